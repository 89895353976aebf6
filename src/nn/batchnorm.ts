/**
 * Batch normalisation's running statistics as values: one `{ mean, variance }` per batch
 * normalisation layer of a network, in order, which a training pass moves towards the
 * minibatch's and an evaluation pass (`predict`) normalises with. The layer's kernels are in
 * src/kernels/batchnorm.ts; its derivation in docs/gradients.md, "Batch normalisation".
 *
 * @module
 */
import { BATCHNORM_DEFAULTS, batchNormEvalInto } from '../kernels/batchnorm.js'
import { activateInto } from '../kernels/activation.js'
import { type View, viewOf } from '../kernels/view.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import type { DenseParams } from './dense.js'
import type { BatchNormLayerSpec, LayerSpec, NetworkSpec } from './network.js'

/**
 * One batch normalisation layer's running statistics: `mean` `μ_run` and `variance` `σ²_run`,
 * each `(1 x units)`.
 *
 * @category model
 * @since 0.3.0
 */
export interface BatchNormStats {
  readonly mean: Matrix
  readonly variance: Matrix
}

/**
 * A network's running statistics: one {@link BatchNormStats} per batch normalisation layer,
 * in the order of the layers (empty for a network without one).
 *
 * @category model
 * @since 0.3.0
 */
export type RunningStats = ReadonlyArray<BatchNormStats>

/**
 * The batch normalisation layers of `layers`, in order.
 *
 * @internal
 */
export const batchNormLayers = (layers: ReadonlyArray<LayerSpec>): ReadonlyArray<BatchNormLayerSpec> =>
  layers.filter((layer): layer is BatchNormLayerSpec => layer.kind === 'batchnorm')

/**
 * The running statistics before any training: `μ_run = 0` and `σ²_run = 1` for every batch
 * normalisation layer of `spec` (PyTorch's), as views of one fresh block.
 *
 * @example
 * import { Activation, initialRunningStats, toArrays } from 'pure-gan'
 * const spec = { inputSize: 2, layers: [{ units: 2, activation: Activation.identity }, { kind: 'batchnorm' as const, units: 2, activation: Activation.relu }] }
 * toArrays(initialRunningStats(spec)[0].variance) // [[1, 1]]
 *
 * @category constructors
 * @since 0.3.0
 */
export const initialRunningStats = (spec: NetworkSpec): RunningStats => {
  const layers = batchNormLayers(spec.layers)
  const data = new Float64Array(layers.reduce((n, layer) => n + 2 * layer.units, 0))
  let at = 0
  for (const layer of layers) {
    data.fill(1, at + layer.units, at + 2 * layer.units)
    at += 2 * layer.units
  }
  return runningViews(spec.layers, data, 0)
}

/**
 * Running statistics as views of a block laid out as network.ts's `runningSize` says: per
 * batch normalisation layer `[μ_run | σ²_run]`, `2·units` entries, from `off`. Frozen.
 *
 * @internal
 */
export const runningViews = (layers: ReadonlyArray<LayerSpec>, data: Float64Array, off: number): RunningStats => {
  const out: BatchNormStats[] = []
  let at = off
  for (const layer of batchNormLayers(layers)) {
    const m = layer.units
    out.push(Object.freeze({ mean: unsafeFromFloat64Array(1, m, data.subarray(at, at + m)), variance: unsafeFromFloat64Array(1, m, data.subarray(at + m, at + 2 * m)) }))
    at += 2 * m
  }
  return Object.freeze(out)
}

/**
 * The running statistics as one fresh flat block of `size` entries (`[μ_run | σ²_run]` per
 * layer, in order), the layout the step kernels read.
 *
 * @internal
 */
export const runningBlock = (stats: RunningStats, size: number): View => {
  const out = new Float64Array(size)
  let at = 0
  for (const s of stats) {
    out.set(dataOf(s.mean), at)
    out.set(dataOf(s.variance), at + s.mean.cols)
    at += 2 * s.mean.cols
  }
  return viewOf(out)
}

/**
 * Throws, naming `op`, unless `running` holds one `{ mean, variance }` of `(1 x units)`
 * matrices per batch normalisation layer of `spec`, in order (`ShapeError`), and every
 * variance is `>= 0` and no entry is NaN (`RangeError`: a negative variance has no root).
 *
 * @internal
 */
export const checkRunningStats = (op: string, spec: NetworkSpec, running: RunningStats): void => {
  const layers = batchNormLayers(spec.layers)
  if (!Array.isArray(running) || running.length !== layers.length) {
    const got = Array.isArray(running) ? `${running.length}` : 'not an array'
    const noun = layers.length === 1 ? 'layer' : 'layers'
    throw new ShapeError(`${op}: the spec has ${layers.length} batch normalisation ${noun} but the running statistics have ${got}`)
  }
  layers.forEach((layer, i) => {
    const s = running[i] as BatchNormStats
    for (const [name, m] of [['mean', s?.mean], ['variance', s?.variance]] as const) {
      if (m === undefined || m === null || m.rows !== 1 || m.cols !== layer.units) {
        throw new ShapeError(`${op}: running statistics ${i} need a ${name} of (1x${layer.units}), got ${m === undefined || m === null ? String(m) : shapeOf(m)}`)
      }
    }
    for (const v of dataOf(s.variance)) {
      if (!(v >= 0)) throw new RangeError(`${op}: running statistics ${i} have a variance of ${String(v)}; variances must be >= 0`)
    }
  })
}

/**
 * A batch normalisation layer in evaluation mode on `x` `(n x units)`:
 * `f(γ ⊙ (x − μ_run)/√(σ²_run + ε) + β)` into a fresh matrix (`params.W` is `γ`, `params.b`
 * is `β`). Shapes already checked.
 *
 * @internal
 */
export const batchNormEvaluate = (layer: BatchNormLayerSpec, params: DenseParams, x: Matrix, stats: BatchNormStats): Matrix => {
  const n = x.rows
  const m = layer.units
  const y = new Float64Array(n * m)
  const running = new Float64Array(2 * m)
  running.set(dataOf(stats.mean), 0)
  running.set(dataOf(stats.variance), m)
  const shape = { rows: n, units: m, epsilon: layer.epsilon ?? BATCHNORM_DEFAULTS.epsilon }
  batchNormEvalInto(shape, viewOf(dataOf(x)), viewOf(dataOf(params.W)), viewOf(dataOf(params.b)), viewOf(running), viewOf(y))
  // Stryker disable next-line ConditionalExpression,StringLiteral: E-NOOP identity copies y
  if (layer.activation.kind === 'identity') return unsafeFromFloat64Array(n, m, y)
  const out = new Float64Array(n * m)
  activateInto(layer.activation, viewOf(y), viewOf(out), n * m)
  return unsafeFromFloat64Array(n, m, out)
}
