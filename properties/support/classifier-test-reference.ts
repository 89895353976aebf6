/**
 * The classifier two-sample test of src/gan/classifier-test.ts written out from its doc
 * comment, one example and one scalar at a time, on plain arrays: the split, the classifier's
 * initialisation, the minibatches, the per-example forward and backward passes, Adam (the
 * oracle's scalar Gluon Adam, properties/support/oracle.ts) and the count of the test rows on
 * the right side of 0. It shares the generator's draws with src/ (`permutation`,
 * `normalMatrix`: they are the spec's), nothing else, and computes with `Math.exp` and its own
 * sums, so it agrees with the library to rounding, not bit for bit: the properties compare
 * the accuracy (a count) where no test logit is near 0.
 *
 * And the same test composed from the checked public operations (`forward`,
 * `sigmoidBceLossGrad`, `backward`, `adam`'s `step`, `predict`), as its doc comment names
 * them: the library runs the kernels under those operations on one workspace, and must give
 * the same bits.
 *
 * Also: the binomial tail transcribed in the library's evaluation order (bit for bit), and
 * the exact tail from BigInt binomial coefficients.
 */
import { sigmoidBceLossGrad } from '../../src/loss/index.js'
import { type Matrix, fromArrays, gatherRows, toArrays, vconcat } from '../../src/matrix/index.js'
import { type NetworkParams, type NetworkSpec, backward, forward, initNetwork, leakyRelu, predict } from '../../src/nn/index.js'
import { identity as identityActivation } from '../../src/nn/activation.js'
import { type AdamState, adam } from '../../src/optim/adam.js'
import type { Optimizer } from '../../src/optim/optimizer.js'
import { normalMatrix } from '../../src/random/normal.js'
import { permutation } from '../../src/random/permutation.js'
import type { Rng } from '../../src/random/rng.js'
import { type OracleAdam, type OracleGrads, type OracleLayer, oracleAdam } from './oracle.js'

type Rows = ReadonlyArray<ReadonlyArray<number>>

/**
 * P(Binomial(m, 1/2) >= k) as the doc comment of `binomialHalfUpperTail` states it: 1 for
 * k <= 0, 0 for k > m; else t = 1, s = 1, e = 0 and for j = m − 1 down to k:
 * t = (t·(j + 1))/(m − j), s = s + t, and when s > 2^500 both are multiplied by 2^−500 and e
 * grows by 500; the result is min(1, s·2^(e − m)).
 */
export const binomialTailReference = (m: number, k: number): number => {
  if (k <= 0) return 1
  if (k > m) return 0
  let t = 1
  let s = 1
  let e = 0
  for (let j = m - 1; j >= k; j--) {
    t = (t * (j + 1)) / (m - j)
    s = s + t
    if (s > 2 ** 500) {
      t = t * 2 ** -500
      s = s * 2 ** -500
      e = e + 500
    }
  }
  // s·2^(e − m): exact in steps of 2^-500 while the result is a normal double (the
  // properties compare bits only there).
  let p = s
  let x = e - m
  while (x < -500) {
    p = p * 2 ** -500
    x = x + 500
  }
  return Math.min(1, p * 2 ** x)
}

/** C(m, j) for j = 0..m, exactly. */
const binomialRow = (m: number): bigint[] => {
  const row: bigint[] = [1n]
  for (let j = 1; j <= m; j++) row.push((row[j - 1]! * BigInt(m - j + 1)) / BigInt(j))
  return row
}

/**
 * The exact tail 2^−m · Σ_{j=k}^{m} C(m, j), rounded once to a double: the sum's top 64 bits
 * (and a sticky bit) as a Number, then scaled by a power of two (m <= 1000, so the scale stays
 * a normal double for every tail above 2^-1022).
 */
export const binomialTailExact = (m: number, k: number): number => {
  if (k <= 0) return 1
  if (k > m) return 0
  const row = binomialRow(m)
  let sum = 0n
  for (let j = k; j <= m; j++) sum += row[j]!
  const bits = sum.toString(2).length
  const shift = Math.max(0, bits - 64)
  let top = sum >> BigInt(shift)
  if (shift > 0 && (sum & ((1n << BigInt(shift)) - 1n)) !== 0n) top |= 1n // sticky: no tie is lost
  return Number(top) * 2 ** (shift - m)
}

/** sqrt(acc·(1 − acc)/testRows). */
export const standardErrorReference = (accuracy: number, testRows: number): number => Math.sqrt((accuracy * (1 - accuracy)) / testRows)

export interface ReferenceOptions {
  readonly hidden: ReadonlyArray<number>
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
}

export interface ReferenceResult {
  readonly accuracy: number
  readonly correct: number
  readonly trainRows: number
  readonly testRows: number
  /** The smallest |z| over the test rows: a count compared across roundings needs it away from 0. */
  readonly smallestTestLogit: number
}

const leaky = (x: number): number => (x > 0 ? x : 0.2 * x)
const leakySlope = (x: number): number => (x > 0 ? 1 : 0.2)

/** The pre-activations and outputs of every layer for one row; the last layer is the identity. */
const forwardOne = (layers: OracleLayer[], x: ReadonlyArray<number>): { inputs: number[][]; pre: number[][] } => {
  const inputs: number[][] = []
  const pre: number[][] = []
  let a = [...x]
  layers.forEach((layer, l) => {
    inputs.push(a)
    const z = layer.b.map((bj, j) => {
      let s = 0
      for (let i = 0; i < a.length; i++) s += a[i]! * layer.W[i]![j]!
      return s + bj
    })
    pre.push(z)
    a = l === layers.length - 1 ? z : z.map(leaky)
  })
  return { inputs, pre }
}

const logitOf = (layers: OracleLayer[], x: ReadonlyArray<number>): number => forwardOne(layers, x).pre.at(-1)![0]!

/** dl/dz = sigmoid(z) − y for l(z, y) = max(z, 0) − zy + log(1 + exp(−|z|)). */
const bceSlope = (z: number, y: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - y

/** Adds one row's gradient of l(z(x), y) into `grads`. */
const backwardOne = (layers: OracleLayer[], x: ReadonlyArray<number>, y: number, grads: OracleGrads): void => {
  const f = forwardOne(layers, x)
  let dz = [bceSlope(f.pre.at(-1)![0]!, y)]
  for (let l = layers.length - 1; l >= 0; l--) {
    const input = f.inputs[l]!
    for (let i = 0; i < input.length; i++) for (let j = 0; j < dz.length; j++) grads[l]!.W[i]![j]! += input[i]! * dz[j]!
    for (let j = 0; j < dz.length; j++) grads[l]!.b[j]! += dz[j]!
    if (l === 0) break
    const below = f.pre[l - 1]!
    dz = input.map((_, i) => {
      let s = 0
      for (let j = 0; j < dz.length; j++) s += dz[j]! * layers[l]!.W[i]![j]!
      return s * leakySlope(below[i]!)
    })
  }
}

const zerosLike = (layers: OracleLayer[]): OracleGrads => layers.map((l) => ({ W: l.W.map((r) => r.map(() => 0)), b: l.b.map(() => 0) }))

/**
 * The test as the doc comment of `classifierTwoSampleTest` states it: n = min of the row
 * counts, h = ⌊n/2⌋; π then σ = permutation(rng, n); training rows real[π_0..π_{h−1}] (y = 1)
 * then fake[σ_0..σ_{h−1}] (y = 0); layer by layer W ~ normalMatrix(rng, fan_in, units, 0,
 * 1/sqrt(fan_in)), b = 0; per epoch ρ = permutation(rng, 2h) and minibatches of consecutive
 * ρ entries, each an Adam step on the summed gradient divided by the batch's rows; then the
 * test rows real[π_h..] (right when z > 0) and fake[σ_h..] (right when z < 0).
 */
export const classifierTestReference = (real: Rows, fake: Rows, rng: Rng, o: ReferenceOptions): ReferenceResult => {
  const n = Math.min(real.length, fake.length)
  const h = Math.floor(n / 2)
  const [pi, r1] = permutation(rng, n)
  const [sigma, r2] = permutation(r1, n)
  const train: { x: ReadonlyArray<number>; y: number }[] = []
  for (let i = 0; i < h; i++) train.push({ x: real[pi[i]!]!, y: 1 })
  for (let i = 0; i < h; i++) train.push({ x: fake[sigma[i]!]!, y: 0 })

  let r = r2
  let layers: OracleLayer[] = []
  let fanIn = real[0]!.length
  for (const units of [...o.hidden, 1]) {
    const [W, next] = normalMatrix(r, fanIn, units, 0, 1 / Math.sqrt(fanIn))
    r = next
    layers.push({ W: toArrays(W), b: new Array<number>(units).fill(0), activation: { kind: 'identity' } })
    fanIn = units
  }
  let adam: OracleAdam = { count: 0, m: zerosLike(layers), v: zerosLike(layers) }
  const hyper = { lr: o.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const [rho, next] = permutation(r, 2 * h)
    r = next
    for (let start = 0; start < 2 * h; start += o.batchSize) {
      const batch = rho.slice(start, Math.min(start + o.batchSize, 2 * h))
      const grads = zerosLike(layers)
      for (const i of batch) backwardOne(layers, train[i]!.x, train[i]!.y, grads)
      const stepped = oracleAdam(layers, grads, adam, hyper, batch.length)
      layers = stepped.layers
      adam = stepped.adam
    }
  }

  let correct = 0
  let smallest = Infinity
  for (let i = h; i < n; i++) {
    const zr = logitOf(layers, real[pi[i]!]!)
    const zf = logitOf(layers, fake[sigma[i]!]!)
    if (zr > 0) correct++
    if (zf < 0) correct++
    smallest = Math.min(smallest, Math.abs(zr), Math.abs(zf))
  }
  const testRows = 2 * (n - h)
  return { accuracy: correct / testRows, correct, trainRows: 2 * h, testRows, smallestTestLogit: smallest }
}

/**
 * The test composed from the checked operations its doc comment names: the split as above;
 * `initNetwork` of each layer alone with `weightStd = 1/sqrt(fan_in)`; per minibatch
 * `forward`, `sigmoidBceLossGrad` against the rows' labels, `backward` and the `step` of
 * `adam({ learningRate, rescaleGrad: 1/rows })` on one carried state; `predict` on the test
 * rows. Returns the library's result record, the p-value from {@link binomialTailReference}.
 */
export const classifierTestByCheckedApi = (real: Matrix, fake: Matrix, rng: Rng, o: ReferenceOptions) => {
  const n = Math.min(real.rows, fake.rows)
  const h = Math.floor(n / 2)
  const d = real.cols
  const [pi, r1] = permutation(rng, n)
  const [sigma, r2] = permutation(r1, n)
  const X = vconcat(gatherRows(real, pi.slice(0, h)), gatherRows(fake, sigma.slice(0, h)))
  const Y = fromArrays([...new Array<number[]>(h).fill([1]), ...new Array<number[]>(h).fill([0])])
  const spec: NetworkSpec = {
    inputSize: d,
    layers: [...o.hidden.map((units) => ({ units, activation: leakyRelu(0.2) })), { units: 1, activation: identityActivation }],
  }
  let r = r2
  const init: NetworkParams[number][] = []
  let fanIn = d
  for (const layer of spec.layers) {
    const [p, next] = initNetwork({ inputSize: fanIn, layers: [layer] }, r, { weightStd: 1 / Math.sqrt(fanIn) })
    init.push(p[0]!)
    r = next
    fanIn = layer.units
  }
  let params: NetworkParams = init
  const optimizers = new Map<number, Optimizer<AdamState>>()
  const optimizerFor = (rows: number): Optimizer<AdamState> => {
    if (!optimizers.has(rows)) optimizers.set(rows, adam({ learningRate: o.learningRate, rescaleGrad: 1 / rows }))
    return optimizers.get(rows)!
  }
  let state = optimizerFor(1).init(params)
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const [rho, next] = permutation(r, 2 * h)
    r = next
    for (let start = 0; start < 2 * h; start += o.batchSize) {
      const idx = rho.slice(start, Math.min(start + o.batchSize, 2 * h))
      const { output, cache } = forward(spec, params, gatherRows(X, idx))
      const { grads } = backward(spec, params, cache, sigmoidBceLossGrad(output, gatherRows(Y, idx)))
      ;[params, state] = optimizerFor(idx.length).step(state, params, grads)
    }
  }
  const test = vconcat(gatherRows(real, pi.slice(h, n)), gatherRows(fake, sigma.slice(h, n)))
  const z = toArrays(predict(spec, params, test)).map((row) => row[0]!)
  let correct = 0
  z.forEach((v, i) => {
    if (i < n - h ? v > 0 : v < 0) correct++
  })
  const testRows = 2 * (n - h)
  const accuracy = correct / testRows
  return { accuracy, standardError: standardErrorReference(accuracy, testRows), trainRows: 2 * h, testRows, pValue: binomialTailReference(testRows, correct) }
}
