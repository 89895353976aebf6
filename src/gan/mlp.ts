/**
 * The small supervised MLP both of pure-gan's classifiers train (the two-sample test's,
 * classifier-test.ts, and the digit classifier, src/classifier/digit-classifier.ts): its spec, its
 * layer-by-layer initialisation, a pass over one workspace, the checked options and the
 * minibatch Adam loop. Each is the network kernels' (src/kernels/network.ts) and the flat
 * Adam step's (src/kernels/adam.ts): only the loss's gradient at the outputs differs between
 * the two, and the caller supplies it.
 *
 * @module
 * @internal
 */
import { adamStepConstants, adamStepInto } from '../kernels/adam.js'
import type { PassLayer } from '../kernels/layer.js'
import { type NetworkPlan, backwardScratchSize, forwardSize, networkBackwardInto, networkForwardInto, networkPlan, paramCount } from '../kernels/network.js'
import { type View, viewOf } from '../kernels/view.js'
import { type Matrix } from '../matrix/index.js'
import { dataOf } from '../matrix/matrix.js'
import { type Activation, identity as identityActivation } from '../nn/activation.js'
import { flatBlock } from '../nn/blocks.js'
import { initNetwork } from '../nn/init.js'
import type { DenseLayerSpec, LayerSpec, NetworkParams, NetworkSpec } from '../nn/network.js'
import { adamDefaults } from '../optim/adam.js'
import type { Rng } from '../random/rng.js'
import { permutation } from '../random/permutation.js'

// -------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------

/**
 * An MLP's training options with every value filled in: hidden widths, epochs, minibatch
 * size and Adam's learning rate.
 *
 * @internal
 */
export interface MlpOptions {
  readonly hidden: ReadonlyArray<number>
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
}

/** The most hidden layers, the widest one and the most epochs: they bound one call's work per row. */
const MAX_HIDDEN_LAYERS = 8
const MAX_WIDTH = 1024
const MAX_EPOCHS = 10000
const OPTION_NAMES: ReadonlyArray<string> = ['batchSize', 'epochs', 'hidden', 'learningRate']

const isIntegerIn = (x: unknown, lo: number, hi: number): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= lo && x <= hi

const show = (v: unknown): string => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : `${String(v)} (a ${typeof v})`
}

/**
 * `options` (a record of `hidden`, `epochs`, `batchSize`, `learningRate`, each optional) with
 * `defaults` filled in, or a RangeError prefixed `op: ` naming the first bad one: hidden at
 * most 8 widths in `1..1024`, epochs in `1..10000`, batchSize a positive safe integer,
 * learningRate finite and `> 0`; an unknown key is refused.
 *
 * @internal
 */
export const checkMlpOptions = (op: string, defaults: MlpOptions, options: unknown): MlpOptions => {
  if (options === undefined) return defaults
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new RangeError(`${op}: options must be a record, got ${show(options)}`)
  }
  for (const key of Object.keys(options).sort()) {
    if (!OPTION_NAMES.includes(key)) throw new RangeError(`${op}: unknown option "${key}" (known options: ${OPTION_NAMES.join(', ')})`)
  }
  const o = options as { readonly hidden?: unknown; readonly epochs?: unknown; readonly batchSize?: unknown; readonly learningRate?: unknown }
  const hidden = o.hidden ?? defaults.hidden
  if (!Array.isArray(hidden) || hidden.length > MAX_HIDDEN_LAYERS) {
    throw new RangeError(`${op}: hidden must be an array of at most ${MAX_HIDDEN_LAYERS} widths, got ${Array.isArray(hidden) ? `${hidden.length} widths` : show(hidden)}`)
  }
  hidden.forEach((w: unknown, i) => {
    if (!isIntegerIn(w, 1, MAX_WIDTH)) throw new RangeError(`${op}: hidden[${i}] must be an integer in 1..${MAX_WIDTH}, got ${show(w)}`)
  })
  const epochs = o.epochs ?? defaults.epochs
  if (!isIntegerIn(epochs, 1, MAX_EPOCHS)) throw new RangeError(`${op}: epochs must be an integer in 1..${MAX_EPOCHS}, got ${show(epochs)}`)
  const batchSize = o.batchSize ?? defaults.batchSize
  if (!isIntegerIn(batchSize, 1, Number.MAX_SAFE_INTEGER)) throw new RangeError(`${op}: batchSize must be a positive integer, got ${show(batchSize)}`)
  const learningRate = o.learningRate ?? defaults.learningRate
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || !(learningRate > 0)) {
    throw new RangeError(`${op}: learningRate must be a finite number > 0, got ${show(learningRate)}`)
  }
  return { hidden: [...(hidden as number[])], epochs, batchSize, learningRate }
}

// -------------------------------------------------------------------------------------
// the network
// -------------------------------------------------------------------------------------

/**
 * `inputSize` → one dense layer per hidden width, each with activation `hiddenActivation` →
 * `outputs` identity units (the logits).
 *
 * @internal
 */
export const mlpSpec = (inputSize: number, hidden: ReadonlyArray<number>, hiddenActivation: Activation, outputs: number): NetworkSpec => {
  const layers: DenseLayerSpec[] = hidden.map((units) => ({ units, activation: hiddenActivation }))
  layers.push({ units: outputs, activation: identityActivation })
  return { inputSize, layers }
}

/**
 * Layer by layer, `initNetwork` of that layer alone with `weightStd = 1/sqrt(fan_in)` (so
 * `W_l ~ N(0, 1/fan_in)`, drawn row-major, and `b_l = 0`), the generator carried on.
 *
 * @internal
 */
export const initMlp = (spec: NetworkSpec, rng: Rng): readonly [NetworkParams, Rng] => {
  const params: NetworkParams[number][] = []
  let r = rng
  let fanIn = spec.inputSize
  for (const layer of spec.layers) {
    const [p, next] = initNetwork({ inputSize: fanIn, layers: [layer] }, r, { weightStd: 1 / Math.sqrt(fanIn) })
    params.push(p[0]!)
    r = next
    fanIn = layer.units
  }
  return [params, r]
}

/**
 * Rows `rows[from..to-1]` of `a` into `out` from row `at`.
 *
 * @internal
 */
export const copyRows = (a: Matrix, rows: ReadonlyArray<number>, from: number, to: number, out: Float64Array, at: number): void => {
  const d = a.cols
  const src = dataOf(a)
  for (let i = from; i < to; i++) out.set(src.subarray((rows[i] as number) * d, (rows[i] as number) * d + d), (at + i - from) * d)
}

/**
 * A pass over `rows` rows in one workspace: the input block (`rows x d`) first, then the
 * forward values and, for training, the backward scratch and the outputs' gradient
 * (`rows x outputs`), as nn's `forward` and `backward` lay them out (the same kernels, the
 * same bits).
 *
 * @internal
 */
export interface Pass {
  readonly ws: Float64Array
  readonly plan: NetworkPlan
  readonly input: View
  readonly logits: View
  readonly dOut: View
}

/**
 * The {@link Pass} of `layers` (input width `d`) over `rows` rows; with `training`, room for
 * the backward pass and the outputs' gradient.
 *
 * @internal
 */
export const passOver = (layers: ReadonlyArray<LayerSpec>, d: number, rows: number, training: boolean): Pass => {
  const outputs = (layers[layers.length - 1] as LayerSpec).units
  const at = rows * d
  const end = at + forwardSize(layers, rows)
  const dOutAt = training ? end + backwardScratchSize(layers, rows) : end
  const ws = new Float64Array(training ? dOutAt + rows * outputs : end)
  const plan = networkPlan(layers, d, rows, ws, { at, lastOut: -1, scratchAt: training ? end : -1 })
  return { ws, plan, input: viewOf(ws, 0), logits: (plan.layers[plan.layers.length - 1] as PassLayer).out, dOut: viewOf(ws, dOutAt) }
}

// -------------------------------------------------------------------------------------
// training
// -------------------------------------------------------------------------------------

/**
 * One minibatch's place in training, for the loss's gradient: its training-row indices are
 * `order[start], ..., order[start + rows − 1]`; `epoch` and `batch` count from 0.
 *
 * @internal
 */
export interface Minibatch {
  readonly order: ReadonlyArray<number>
  readonly start: number
  readonly rows: number
  readonly epoch: number
  readonly batch: number
}

/**
 * What {@link trainMlp} trains: the network `spec`, the training rows `x` (`rows x
 * spec.inputSize`, row-major), the options, and `outputGradInto`, which writes into `dOut`
 * (`rows x outputs`) the gradient of the minibatch's summed loss with respect to the
 * outputs `logits` (it may throw for a non-finite logit).
 *
 * @internal
 */
export interface MlpTraining {
  readonly spec: NetworkSpec
  readonly x: Float64Array
  readonly rows: number
  readonly options: MlpOptions
  readonly outputGradInto: (logits: View, batch: Minibatch, dOut: View) => void
}

/**
 * The MLP after training, and the generator after its draws: from `rng`, the initial
 * parameters ({@link initMlp}); then for each epoch `[ρ, rng] = permutation(rng, rows)` and
 * minibatches of `batchSize` rows in `ρ`'s order (the last may be shorter), each step
 * `forward`, `outputGradInto`, `backward`, and Adam's step (Gluon's, `β₁ = 0.9`,
 * `β₂ = 0.999`, `ε = 1e-8`) with `rescaleGrad = 1/rows` (the mean loss), the state carried
 * from step to step. The parameters are one flat block in leaf order `W_0, b_0, W_1, ...`.
 *
 * @internal
 */
export const trainMlp = (t: MlpTraining, rng: Rng): readonly [Float64Array, Rng] => {
  const { spec, x, rows: trainRows, options } = t
  const { epochs, batchSize, learningRate } = options
  const layers = spec.layers
  const d = spec.inputSize
  const [initial, r0] = initMlp(spec, rng)
  const P = paramCount(layers, d)
  // Adam's blocks [w | m | v], stepped from one into the other and back; m = v = 0 at first.
  let from = new Float64Array(3 * P)
  let to = new Float64Array(3 * P)
  from.set(flatBlock([initial], P).data.subarray(0, P))
  const grad = new Float64Array(P)
  const gradView = viewOf(grad)
  const passes = new Map<number, Pass>()
  const passFor = (rows: number): Pass => {
    let pass = passes.get(rows)
    if (pass === undefined) {
      pass = passOver(layers, d, rows, true)
      passes.set(rows, pass)
    }
    return pass
  }

  let r = r0
  let count = 0
  for (let epoch = 0; epoch < epochs; epoch++) {
    const [rho, next] = permutation(r, trainRows)
    r = next
    for (let start = 0, b = 0; start < trainRows; start += batchSize, b++) {
      const rows = Math.min(batchSize, trainRows - start)
      const pass = passFor(rows)
      const ws = pass.ws
      for (let i = 0; i < rows; i++) {
        const row = rho[start + i] as number
        ws.set(x.subarray(row * d, row * d + d), i * d)
      }
      const params = viewOf(from)
      networkForwardInto(pass.plan, params, pass.input)
      t.outputGradInto(pass.logits, { order: rho, start, rows, epoch, batch: b }, pass.dOut)
      networkBackwardInto(pass.plan, params, pass.input, pass.dOut, gradView, null)
      adamStepInto(adamStepConstants({ learningRate, ...adamDefaults, rescaleGrad: 1 / rows }, count), P, gradView, params, viewOf(to))
      count++
      const swap = from
      from = to
      to = swap
    }
  }
  return [from.slice(0, P), r]
}

/** Rows go through an evaluation pass this many at a time (its workspace stays small). */
export const EVAL_CHUNK = 1024

/**
 * Runs the evaluation passes of `layers` with `params` over the rows of `x` (`n x d`),
 * `EVAL_CHUNK` rows at a time, and hands each chunk's pass to `visit` with the index of its
 * first row, after the forward pass.
 *
 * @internal
 */
export const forwardChunks = (layers: ReadonlyArray<LayerSpec>, params: Float64Array, x: Matrix, visit: (pass: Pass, start: number, rows: number) => void): void => {
  const d = x.cols
  const src = dataOf(x)
  const view = viewOf(params)
  const chunks = new Map<number, Pass>()
  for (let start = 0; start < x.rows; start += EVAL_CHUNK) {
    const rows = Math.min(EVAL_CHUNK, x.rows - start)
    let pass = chunks.get(rows)
    if (pass === undefined) {
      pass = passOver(layers, d, rows, false)
      chunks.set(rows, pass)
    }
    pass.ws.set(src.subarray(start * d, (start + rows) * d))
    networkForwardInto(pass.plan, view, pass.input)
    visit(pass, start, rows)
  }
}
