/**
 * An independent oracle for the seed GAN's two updates: SEED.md's update_D and update_G
 * written directly from its equations, one example and one scalar at a time, on plain
 * number arrays. It shares no code with src/ (it does not use the matrix type, the network,
 * the loss or the optimiser modules), so an error common to both is unlikely.
 *
 * Conventions follow SEED.md: dense layers y = x·W + b; the loss
 * l(z, y) = max(z, 0) − z·y + log(1 + exp(−|z|)) with dl/dz = sigmoid(z) − y;
 * update_D's loss (l(D(x), 1) + l(D(G(z)), 0)) / 2 per example, summed; update_G's loss
 * l(D(G(z)), 1), summed; Adam (Gluon): g = grad / n, m = b1·m + (1 − b1)·g,
 * v = b2·v + (1 − b2)·g², lr_t = lr·sqrt(1 − b2^t)/(1 − b1^t), w −= lr_t·m/(sqrt(v) + eps).
 */

import { type OracleObjective, oracleNonsaturating } from './oracle-objectives.js'

export type OracleActivation = { kind: 'identity' | 'tanh' | 'sigmoid' | 'relu' } | { kind: 'leakyRelu'; alpha: number }

export interface OracleLayer {
  W: number[][] // in x out
  b: number[] // out
  activation: OracleActivation
}

export interface OracleAdam {
  count: number
  m: { W: number[][]; b: number[] }[]
  v: { W: number[][]; b: number[] }[]
}

export interface OracleHyper {
  lr: number
  beta1: number
  beta2: number
  epsilon: number
}

const logistic = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

const act = (a: OracleActivation, x: number): number => {
  switch (a.kind) {
    case 'identity':
      return x
    case 'tanh':
      return Math.tanh(x)
    case 'sigmoid':
      return logistic(x)
    case 'relu':
      return x > 0 ? x : 0
    case 'leakyRelu':
      return x > 0 ? x : a.alpha * x
  }
}

/** f'(x), given x and y = f(x). At 0, relu's slope is 0 and leaky relu's is alpha. */
const actSlope = (a: OracleActivation, x: number, y: number): number => {
  switch (a.kind) {
    case 'identity':
      return 1
    case 'tanh':
      return 1 - y * y
    case 'sigmoid':
      return y * (1 - y)
    case 'relu':
      return x > 0 ? 1 : 0
    case 'leakyRelu':
      return x > 0 ? 1 : a.alpha
  }
}

/** Forward pass of one example: the pre-activations and outputs of every layer. */
const forwardOne = (layers: OracleLayer[], x: number[]): { inputs: number[][]; pre: number[][]; out: number[][] } => {
  const inputs: number[][] = []
  const pre: number[][] = []
  const out: number[][] = []
  let a = x
  for (const layer of layers) {
    inputs.push(a)
    const z = layer.b.map((bj, j) => {
      let s = 0
      for (let k = 0; k < a.length; k++) s += a[k]! * layer.W[k]![j]!
      return s + bj
    })
    const y = z.map((zj) => act(layer.activation, zj))
    pre.push(z)
    out.push(y)
    a = y
  }
  return { inputs, pre, out }
}

/** Parameter-shaped arrays: gradients, or the magnitudes that bound their rounding errors. */
export type OracleGrads = { W: number[][]; b: number[] }[]

const zerosLike = (layers: OracleLayer[]): OracleGrads => layers.map((l) => ({ W: l.W.map((r) => r.map(() => 0)), b: l.b.map(() => 0) }))

/**
 * Backward pass of one example given dL/d(output) and a magnitude bound for it: adds this
 * example's parameter gradients into `grads` and the same computation on absolute values
 * into `mags` (Σ|term| of every sum, the scale of its rounding error), and returns dL/d(input)
 * with its magnitude.
 */
const backwardOne = (
  layers: OracleLayer[],
  f: ReturnType<typeof forwardOne>,
  dOut: number[],
  magOut: number[],
  grads: OracleGrads,
  mags: OracleGrads,
): { d: number[]; mag: number[] } => {
  let dy = dOut
  let my = magOut
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!
    const slopes = dy.map((_, j) => actSlope(layer.activation, f.pre[l]![j]!, f.out[l]![j]!))
    const dz = dy.map((d, j) => d * slopes[j]!)
    const mz = my.map((m, j) => m * Math.abs(slopes[j]!))
    const input = f.inputs[l]!
    for (let k = 0; k < input.length; k++) {
      for (let j = 0; j < dz.length; j++) {
        grads[l]!.W[k]![j]! += input[k]! * dz[j]!
        mags[l]!.W[k]![j]! += Math.abs(input[k]!) * mz[j]!
      }
    }
    for (let j = 0; j < dz.length; j++) {
      grads[l]!.b[j]! += dz[j]!
      mags[l]!.b[j]! += mz[j]!
    }
    dy = input.map((_, k) => {
      let s = 0
      for (let j = 0; j < dz.length; j++) s += dz[j]! * layer.W[k]![j]!
      return s
    })
    my = input.map((_, k) => {
      let s = 0
      for (let j = 0; j < dz.length; j++) s += mz[j]! * Math.abs(layer.W[k]![j]!)
      return s
    })
  }
  return { d: dy, mag: my }
}

/**
 * Gluon's Adam step on one network, written out per scalar. `grads` are gradients of the
 * summed loss; they are divided by the batch size `n` (Gluon's rescale_grad = 1/n).
 */
export const oracleAdam = (layers: OracleLayer[], grads: OracleGrads, state: OracleAdam, h: OracleHyper, n: number) => {
  const t = state.count + 1
  const lrT = (h.lr * Math.sqrt(1 - h.beta2 ** t)) / (1 - h.beta1 ** t)
  const m = state.m.map((x) => ({ W: x.W.map((r) => [...r]), b: [...x.b] }))
  const v = state.v.map((x) => ({ W: x.W.map((r) => [...r]), b: [...x.b] }))
  const update = (w: number, grad: number, mi: { arr: number[]; i: number }, vi: { arr: number[]; i: number }): number => {
    const g = grad / n
    mi.arr[mi.i] = h.beta1 * mi.arr[mi.i]! + (1 - h.beta1) * g
    vi.arr[vi.i] = h.beta2 * vi.arr[vi.i]! + (1 - h.beta2) * g * g
    return w - (lrT * mi.arr[mi.i]!) / (Math.sqrt(vi.arr[vi.i]!) + h.epsilon)
  }
  const next = layers.map((layer, l) => ({
    activation: layer.activation,
    W: layer.W.map((row, k) => row.map((w, j) => update(w, grads[l]!.W[k]![j]!, { arr: m[l]!.W[k]!, i: j }, { arr: v[l]!.W[k]!, i: j }))),
    b: layer.b.map((w, j) => update(w, grads[l]!.b[j]!, { arr: m[l]!.b, i: j }, { arr: v[l]!.b, i: j })),
  }))
  return { layers: next, adam: { count: t, m, v }, lrT }
}

/**
 * update_D's summed loss and its gradient with respect to D, per example: each real row and
 * its fake row in turn, under `objective` (the seed's by default). `lossMag` and `mags` bound
 * the rounding scale of each result.
 */
export const oracleGradD = (G: OracleLayer[], D: OracleLayer[], X: number[][], Z: number[][], objective: OracleObjective = oracleNonsaturating) => {
  const grads = zerosLike(D)
  const mags = zerosLike(D)
  let loss = 0
  let lossMag = 0
  for (let i = 0; i < X.length; i++) {
    const fake = forwardOne(G, Z[i]!).out.at(-1)!
    const fr = forwardOne(D, X[i]!)
    const ff = forwardOne(D, fake)
    const t = objective.d(fr.out.at(-1)![0]!, ff.out.at(-1)![0]!)
    loss += t.real.loss + t.fake.loss
    lossMag += Math.abs(t.real.loss) + Math.abs(t.fake.loss)
    // a derivative such as sigmoid(z) − y is a subtraction: its rounding scale is the
    // objective's `mag` (|sigmoid(z)| + |y|), not |result| (for large z, sigmoid(z) − 1
    // cancels; pure-gan computes it without cancellation).
    backwardOne(D, fr, [t.real.grad], [t.real.mag], grads, mags)
    backwardOne(D, ff, [t.fake.grad], [t.fake.mag], grads, mags)
  }
  return { loss, lossMag, grads, mags }
}

/** update_G's summed loss and its gradient with respect to G, through D, per example, under `objective`. */
export const oracleGradG = (G: OracleLayer[], D: OracleLayer[], Z: number[][], objective: OracleObjective = oracleNonsaturating) => {
  const grads = zerosLike(G)
  const mags = zerosLike(G)
  const unused = zerosLike(D)
  const unusedMags = zerosLike(D)
  let loss = 0
  let lossMag = 0
  for (let i = 0; i < Z.length; i++) {
    const fg = forwardOne(G, Z[i]!)
    const fd = forwardOne(D, fg.out.at(-1)!)
    const t = objective.g(fd.out.at(-1)![0]!)
    loss += t.loss
    lossMag += Math.abs(t.loss)
    const back = backwardOne(D, fd, [t.grad], [t.mag], unused, unusedMags)
    backwardOne(G, fg, back.d, back.mag, grads, mags)
  }
  return { loss, lossMag, grads, mags }
}

/** D's output for one row (the logit), written out per scalar. */
export const oracleOutput = (layers: OracleLayer[], x: number[]): number => forwardOne(layers, x).out.at(-1)![0]!

/** G's output row for one noise row. */
export const oracleSample = (layers: OracleLayer[], z: number[]): number[] => forwardOne(layers, z).out.at(-1)!

/** `∂D(x)/∂x` for one row: the backward pass of the row seeded with 1. */
export const oracleInputGradient = (layers: OracleLayer[], x: number[]): number[] =>
  backwardOne(layers, forwardOne(layers, x), [1], [1], zerosLike(layers), zerosLike(layers)).d
