/**
 * A sequential multilayer perceptron (stax's `serial` of dense and maxout layers): the
 * architecture is plain data (`NetworkSpec`), the parameters a `ParamTree` (`NetworkParams`),
 * and the passes are pure functions of both. The chain rule that `backward` implements,
 * including the gradient with respect to the input, is derived in docs/gradients.md, sections
 * "Network" and "Maxout".
 *
 * Layer `l` (0-based) maps `a_l` `(n x d_l)` to `a_{l+1} = f_l(z_l)` with
 * `z_l = a_l·W_l + b_l` (dense) or `z_l,ij = max_p (a_l·W_l + b_l)_i,(j·k + p)` (maxout with `k`
 * pieces, `f_l` the identity), where `d_0 = inputSize` and `d_{l+1} = layers[l].units`.
 *
 * @module
 */
import { isFiniteNumber, isPositiveInteger } from '../validate/numbers.js'
import type { PassLayer } from '../kernels/layer.js'
import { maxInto } from '../kernels/maxout.js'
import {
  type NetworkPlan,
  backwardScratchSize,
  columnsOf,
  forwardSize,
  paramCount,
  weightRowsOf,
  networkBackwardInto,
  networkForwardInto,
  networkPlan,
} from '../kernels/network.js'
import { type View, viewOf } from '../kernels/view.js'
import { type Matrix, type Shape, ShapeError, dataOf, sameShape, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, assertActivation, checkActivationBackwardShapes } from './activation.js'
import { flatBlock, paramViews } from './blocks.js'
import { type DenseParams, affineActivate, checkDenseBackwardShapes } from './dense.js'
import { type BatchNormStats, type RunningStats, batchNormEvaluate, checkRunningStats } from './batchnorm.js'
import { maxoutForward } from './maxout.js'
import { preview } from '../validate/preview.js'


// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A dense layer of a network spec, `f(x·W + b)`: its number of output units and its
 * activation. `kind` may be left out: a layer without one is dense (every spec before maxout).
 *
 * @category model
 * @since 0.3.0
 */
export type DenseLayerSpec = {
  readonly kind?: 'dense'
  readonly units: number
  readonly activation: Activation
  /**
   * Dropout of the layer's input in training (a GAN's discriminator only): each input entry
   * is kept with probability `keep` in `(0, 1]` and scaled by `1/keep` (inverted dropout);
   * absent or 1: none. Evaluation ignores it (the identity).
   */
  readonly keep?: number
}

/**
 * A maxout layer (Goodfellow et al. 2013, "Maxout Networks"): `units` outputs, each the largest
 * of `pieces` affine functions of the input, `y_ij = max_p (x·W + b)_i,(j·pieces + p)`, with `W`
 * `(in x units·pieces)` and `b` `(1 x units·pieces)` (the pieces of a unit adjacent). The max is
 * its nonlinearity: its activation must be the identity. The GAN's config allows 2..64 pieces.
 *
 * @example
 * import { type MaxoutLayerSpec } from 'pure-gan'
 * const layer: MaxoutLayerSpec = { kind: 'maxout', units: 240, pieces: 5, activation: { kind: 'identity' } }
 *
 * @category model
 * @since 0.3.0
 */
export type MaxoutLayerSpec = {
  readonly kind: 'maxout'
  readonly units: number
  readonly pieces: number
  readonly activation: { readonly kind: 'identity' }
  /** Dropout of the layer's input in training, as {@link DenseLayerSpec}'s `keep`. */
  readonly keep?: number
}

/**
 * A batch normalisation layer (Ioffe & Szegedy 2015) followed by an activation,
 * `y = f(γ ⊙ x̂ + β)` with `x̂` the input normalised per column: in training (`forward`,
 * `backward`, a GAN's updates) with the minibatch's mean and biased variance,
 * `x̂ = (x − μ_B)/√(σ²_B + epsilon)`; in evaluation (`predict`, a GAN's samples) with the
 * running statistics, `x̂ = (x − μ_run)/√(σ²_run + epsilon)`, which every training pass moves
 * by `momentum` towards the batch's (the variance's unbiased form, PyTorch's `BatchNorm1d`).
 * Its `units` equal its input's width; its parameters are `W = γ` and `b = β`, each
 * `(1 x units)` (PyTorch's `weight` and `bias`), initialised to 1 and 0. `momentum` in `[0, 1]`
 * (default 0.1) and `epsilon > 0` (default 1e-5). Derivation: docs/gradients.md, "Batch
 * normalisation". Training needs at least two rows (one row has no variance).
 *
 * @example
 * import { type BatchNormLayerSpec } from 'pure-gan'
 * const layer: BatchNormLayerSpec = { kind: 'batchnorm', units: 128, activation: { kind: 'relu' } }
 *
 * @category model
 * @since 0.3.0
 */
export type BatchNormLayerSpec = {
  readonly kind: 'batchnorm'
  readonly units: number
  readonly activation: Activation
  readonly momentum?: number
  readonly epsilon?: number
  /** Dropout of the layer's input in training, as {@link DenseLayerSpec}'s `keep`. */
  readonly keep?: number
}

/**
 * One layer of a network spec: a dense layer (`kind` `'dense'` or left out), a maxout layer
 * (`kind` `'maxout'`) or a batch normalisation layer (`kind` `'batchnorm'`).
 *
 * @category model
 * @since 0.1.0
 */
export type LayerSpec = DenseLayerSpec | MaxoutLayerSpec | BatchNormLayerSpec

/**
 * The architecture of a sequential MLP as plain JSON data: the input width and the layers
 * in order. The seed's discriminator is
 * `{ inputSize: 2, layers: [{ units: 5, activation: tanh }, { units: 3, activation: tanh }, { units: 1, activation: identity }] }`.
 *
 * @example
 * import { Activation, type NetworkSpec } from 'pure-gan'
 * const discriminator: NetworkSpec = {
 *   inputSize: 2,
 *   layers: [
 *     { units: 5, activation: Activation.tanh },
 *     { units: 3, activation: Activation.tanh },
 *     { units: 1, activation: Activation.identity },
 *   ],
 * }
 *
 * @category model
 * @since 0.1.0
 */
export type NetworkSpec = {
  readonly inputSize: number
  readonly layers: ReadonlyArray<LayerSpec>
}

/**
 * One `DenseParams` per layer, in order: a `ParamTree`, so gradients (the same type) and
 * optimiser state line up with it leaf by leaf.
 *
 * @category model
 * @since 0.1.0
 */
export type NetworkParams = ReadonlyArray<DenseParams>

/**
 * What the backward pass needs from one layer's forward pass: its input `a_l`, its
 * pre-activation `z_l = a_l·W_l + b_l` and its output `a_{l+1} = f_l(z_l)`. For a maxout
 * layer, `preActivation` holds the affine values `a_l·W_l + b_l` (`n x units·pieces`, every
 * piece) and `output` their max per unit; its backward pass reads the pieces alone (the
 * winners are found again from them).
 *
 * @category model
 * @since 0.1.0
 */
export type LayerCache = {
  readonly input: Matrix
  readonly preActivation: Matrix
  readonly output: Matrix
}

/**
 * One `LayerCache` per layer, in order. The last entry's `output` is the network's output.
 *
 * @category model
 * @since 0.1.0
 */
export type ForwardCache = ReadonlyArray<LayerCache>

/**
 * The result of `forward`: the network's output and the cache for `backward`.
 *
 * @category model
 * @since 0.1.0
 */
export type ForwardResult = {
  readonly output: Matrix
  readonly cache: ForwardCache
}

/**
 * The result of `backward`: `dL/dθ` for every parameter (same structure as the params)
 * and `dL/dx` for the input `x` `(n x inputSize)`.
 *
 * @category model
 * @since 0.1.0
 */
export type BackwardResult = {
  readonly grads: NetworkParams
  readonly dInput: Matrix
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------


/**
 * Throws when `spec` is not a valid network spec: `inputSize` and every `units` must be
 * positive integers (`RangeError`), there must be at least one layer (`RangeError`), a
 * layer's `kind` must be `'dense'`, `'maxout'`, `'batchnorm'` or absent (`TypeError`), every
 * activation must be valid (see `assertActivation`); a maxout layer's `pieces` must be a
 * positive integer (`RangeError`) and its activation the identity (`TypeError`), and only a
 * maxout layer may have `pieces` (`TypeError`); a batch normalisation layer's `units` must
 * equal its input's width, its `momentum` lie in `[0, 1]` and its `epsilon` be finite and
 * `> 0` (`RangeError`s). Messages start with `op`.
 *
 * @category utils
 * @since 0.1.0
 */
export const validateSpec = (op: string, spec: NetworkSpec): void => {
  if (!isPositiveInteger(spec.inputSize)) {
    throw new RangeError(`${op}: spec.inputSize must be a positive integer, got ${String(spec.inputSize)}`)
  }
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) {
    throw new RangeError(`${op}: spec.layers must be a non-empty array`)
  }
  let inputs = spec.inputSize
  spec.layers.forEach((layer, l) => {
    if (!isPositiveInteger(layer.units)) {
      throw new RangeError(`${op}: spec.layers[${l}].units must be a positive integer, got ${String(layer.units)}`)
    }
    const width = inputs
    inputs = layer.units
    const kind: unknown = layer.kind
    const pieces: unknown = (layer as { readonly pieces?: unknown }).pieces
    if (kind === 'maxout') {
      if (!isPositiveInteger(pieces)) throw new RangeError(`${op}: spec.layers[${l}].pieces must be a positive integer, got ${String(pieces)}`)
      if (!isIdentity(layer.activation)) {
        throw new TypeError(`${op}: spec.layers[${l}] is a maxout layer, whose activation must be the identity (the max is its nonlinearity), got ${preview(layer.activation)}`)
      }
      return
    }
    if (kind === 'batchnorm') {
      if (pieces !== undefined) throw new TypeError(`${op}: spec.layers[${l}] has pieces but is a batch normalisation layer`)
      if (layer.units !== width) {
        throw new RangeError(`${op}: spec.layers[${l}] is a batch normalisation layer of ${String(layer.units)} units, but its input is ${width} wide (they must be equal)`)
      }
      const { momentum, epsilon } = layer as BatchNormLayerSpec
      if (!momentumFits(momentum)) throw new RangeError(`${op}: spec.layers[${l}].momentum must be a number in [0, 1], got ${preview(momentum)}`)
      if (!epsilonFits(epsilon)) throw new RangeError(`${op}: spec.layers[${l}].epsilon must be a finite number > 0, got ${preview(epsilon)}`)
      assertActivation(op, `spec.layers[${l}].activation`, layer.activation)
      return
    }
    if (kind !== undefined && kind !== 'dense') throw new TypeError(`${op}: spec.layers[${l}].kind must be dense, maxout or batchnorm (or absent, for dense), got ${preview(kind)}`)
    if (pieces !== undefined) throw new TypeError(`${op}: spec.layers[${l}] has pieces but is a dense layer (a maxout layer is { kind: 'maxout', units, pieces, activation })`)
    assertActivation(op, `spec.layers[${l}].activation`, layer.activation)
  })
}

/** A batch normalisation layer's `momentum`: absent, or a number in `[0, 1]`. */
const momentumFits = (momentum: unknown): boolean => momentum === undefined || (isFiniteNumber(momentum) && momentum >= 0 && momentum <= 1)

/** A batch normalisation layer's `epsilon`: absent, or a finite number `> 0`. */
const epsilonFits = (epsilon: unknown): boolean => epsilon === undefined || (isFiniteNumber(epsilon) && epsilon > 0)

/** True for the identity activation `{ kind: 'identity' }` (maxout's only one). */
const isIdentity = (a: unknown): boolean => typeof a === 'object' && a !== null && (a as { readonly kind?: unknown }).kind === 'identity'

/**
 * The shapes the spec asks of each layer's parameters: `W_l` is `(d_l x c_l)` and `b_l` is
 * `(1 x c_l)`, as `[rows, cols]` pairs, where `c_l = d_{l+1}` for a dense layer and
 * `d_{l+1}·pieces` for a maxout layer; a batch normalisation layer's `W = γ` is `(1 x d_{l+1})`.
 * Validates the spec first.
 *
 * @example
 * import { Activation, paramShapes } from 'pure-gan'
 * paramShapes({ inputSize: 2, layers: [{ units: 5, activation: Activation.tanh }] })
 * // [{ W: [2, 5], b: [1, 5] }]
 *
 * @category utils
 * @since 0.1.0
 */
export const paramShapes = (
  spec: NetworkSpec,
): ReadonlyArray<{ readonly W: readonly [number, number]; readonly b: readonly [number, number] }> => {
  validateSpec('paramShapes', spec)
  let inputs = spec.inputSize
  return spec.layers.map((layer) => {
    const cols = columnsOf(layer)
    const shapes = { W: [weightRowsOf(layer, inputs), cols] as const, b: [1, cols] as const }
    inputs = layer.units
    return shapes
  })
}

/**
 * Throws a `ShapeError` naming `op`, the layer and both shapes when `params` do not fit
 * `spec` (number of layers, or the shape of any `W` or `b`); validates the spec first.
 *
 * @category utils
 * @since 0.1.0
 */
export const validateParams = (op: string, spec: NetworkSpec, params: NetworkParams): void => {
  validateSpec(op, spec)
  if (!Array.isArray(params) || params.length !== spec.layers.length) {
    const got = Array.isArray(params) ? `${params.length} layers` : 'not an array'
    throw new ShapeError(`${op}: the spec has ${spec.layers.length} layers but the params have ${got}`)
  }
  let inputs = spec.inputSize
  for (let l = 0; l < params.length; l++) {
    const layer = spec.layers[l] as LayerSpec
    const cols = columnsOf(layer)
    const p = params[l] as DenseParams
    const rows = weightRowsOf(layer, inputs)
    if (p.W.rows !== rows || p.W.cols !== cols) {
      throw new ShapeError(`${op}: layer ${l} W is ${shapeOf(p.W)} but the spec needs (${rows}x${cols})`)
    }
    if (p.b.rows !== 1 || p.b.cols !== cols) {
      throw new ShapeError(`${op}: layer ${l} b is ${shapeOf(p.b)} but the spec needs (1x${cols})`)
    }
    inputs = layer.units
  }
}

/**
 * Throws the `ShapeError` of `forward`, `predict` (`op`) for an input of shape `x` that does
 * not fit the spec's input width (params already checked against the spec).
 *
 * @internal
 */
export const checkInput = (op: string, spec: NetworkSpec, params: NetworkParams, x: Shape): void => {
  if (x.cols !== spec.inputSize) {
    const W0 = (params[0] as DenseParams).W
    throw new ShapeError(
      `${op}: input ${shapeOf(x)} does not fit layer 0's weights ${shapeOf(W0)} (the spec's inputSize is ${spec.inputSize})`,
    )
  }
}

/**
 * The number of outputs of the network, the last layer's `units`.
 *
 * @category utils
 * @since 0.1.0
 */
export const outputSize = (spec: NetworkSpec): number => {
  validateSpec('outputSize', spec)
  return (spec.layers[spec.layers.length - 1] as LayerSpec).units
}

// -------------------------------------------------------------------------------------
// forward
// -------------------------------------------------------------------------------------

/**
 * The forward pass on a batch `x` `(n x inputSize)`, keeping what `backward` needs: per
 * layer its input, pre-activation (a maxout layer's: its pieces, `n x units·pieces`) and
 * output. Each layer is one fused kernel (the one of `affineActivateWithPre`, or of
 * `maxoutForward`, bit for bit), and every layer's values share one allocation (the cache's
 * matrices are views of it). Throws a `ShapeError` when the params or the input do not fit
 * the spec.
 *
 * @example
 * import { Activation, forward, fromArrays, toArrays, zeros } from 'pure-gan'
 * const spec = { inputSize: 2, layers: [{ units: 1, activation: Activation.identity }] }
 * const { output } = forward(spec, [{ W: zeros(2, 1), b: fromArrays([[3]]) }], zeros(4, 2))
 * toArrays(output) // [[3], [3], [3], [3]]
 *
 * @category operations
 * @since 0.1.0
 */
export const forward = (spec: NetworkSpec, params: NetworkParams, x: Matrix): ForwardResult => {
  validateParams('forward', spec, params)
  checkInput('forward', spec, params, x)
  const n = x.rows
  // One allocation for every layer's pre-activation and output; the cache holds views of it.
  const ws = new Float64Array(forwardSize(spec.layers, n))
  // Stryker disable next-line UnaryOperator: E-NOOP a scratch adds backward views, unread here
  const plan = networkPlan(spec.layers, spec.inputSize, n, ws, { at: 0, lastOut: -1, scratchAt: -1 })
  networkForwardInto(plan, flatBlock([params], plan.paramCount), viewOf(dataOf(x)))
  const cache: LayerCache[] = []
  let a = x
  for (const layer of plan.layers) {
    const z = matrixOf(layer, layer.pre)
    // Stryker disable next-line ConditionalExpression: E-NOOP an equal view of the same entries
    const y = layer.out === layer.pre ? z : matrixOf(layer, layer.out)
    const pieces = layer.winners === null ? z : piecesOf(layer)
    cache.push(Object.freeze({ input: a, preActivation: pieces, output: y }))
    a = y
  }
  return Object.freeze({ output: a, cache: Object.freeze(cache) })
}

/** A layer's `rows x units` block of the workspace at `v`, as a matrix view. */
const matrixOf = (layer: PassLayer, v: View): Matrix =>
  unsafeFromFloat64Array(layer.rows, layer.units, v.data.subarray(v.off, v.off + layer.rows * layer.units))

/** A maxout layer's affine values, `rows x units·pieces`, as a matrix view. */
const piecesOf = (layer: PassLayer): Matrix => {
  const cols = layer.units * layer.pieces
  return unsafeFromFloat64Array(layer.rows, cols, layer.affine.data.subarray(layer.affine.off, layer.affine.off + layer.rows * cols))
}

/**
 * The network's output alone: one fused kernel and one allocation per layer (`affineActivate`,
 * or `maxoutForward` for a maxout layer), nothing kept. Bit for bit equal to
 * `forward(spec, params, x).output` for a network without batch normalisation. A batch
 * normalisation layer is evaluated with the running statistics `running` (one entry per such
 * layer, in order; required when the spec has one): `f(γ ⊙ (x − μ_run)/√(σ²_run + ε) + β)`,
 * evaluation mode, where `forward` is training mode (the minibatch's statistics).
 *
 * @category operations
 * @since 0.1.0
 */
export const predict = (spec: NetworkSpec, params: NetworkParams, x: Matrix, running: RunningStats = []): Matrix => {
  validateParams('predict', spec, params)
  checkInput('predict', spec, params, x)
  checkRunningStats('predict', spec, running)
  let a = x
  let r = 0
  for (let l = 0; l < params.length; l++) {
    const p = params[l] as DenseParams
    const layer = spec.layers[l] as LayerSpec
    if (layer.kind === 'batchnorm') a = batchNormEvaluate(layer, p, a, running[r++] as BatchNormStats)
    else a = layer.kind === 'maxout' ? maxoutForward(p, a, layer.pieces) : affineActivate(a, p.W, p.b, layer.activation)
  }
  return a
}

// -------------------------------------------------------------------------------------
// backward
// -------------------------------------------------------------------------------------

/**
 * Throws `backward`'s `ShapeError` when `dOutput` and the cached output differ in shape.
 *
 * @internal
 */
export const checkOutputGradient = (dOutput: Shape, output: Shape): void => {
  if (!sameShape(dOutput, output)) {
    throw new ShapeError(`backward: dOutput ${shapeOf(dOutput)} and the cached output ${shapeOf(output)} differ in shape`)
  }
}

/**
 * The backward pass: given the cache of `forward(spec, params, x)` and
 * `dOutput = dL/d(output)`, returns `dL/dW_l`, `dL/db_l` for every layer and
 * `dInput = dL/dx`. Layer by layer from the last:
 *
 * - `dz_l = dA_{l+1} ⊙ f_l'(z_l)` (`activationBackward`)
 * - `dW_l = a_lᵀ·dz_l`, `db_l = column sums of dz_l`, `dA_l = dz_l·W_lᵀ` (`denseBackward`)
 * - a maxout layer: `dz_l = dA_{l+1}` (its activation is the identity), and each entry's
 *   gradient goes to its winning piece only (`maxoutBackward`, docs/gradients.md "Maxout"),
 *   the winners found again from the cached pieces
 *
 * and `dInput = dA_0`. The gradients are summed over the batch, not averaged.
 *
 * @example
 * import { Activation, backward, forward, fromArrays, toArrays } from 'pure-gan'
 * const spec = { inputSize: 1, layers: [{ units: 1, activation: Activation.identity }] }
 * const params = [{ W: fromArrays([[2]]), b: fromArrays([[0]]) }]
 * const { cache } = forward(spec, params, fromArrays([[3]]))
 * const { grads, dInput } = backward(spec, params, cache, fromArrays([[1]]))
 * toArrays(grads[0].W) // [[3]]
 * toArrays(grads[0].b) // [[1]]
 * toArrays(dInput) // [[2]]
 *
 * @category operations
 * @since 0.1.0
 */
export const backward = (
  spec: NetworkSpec,
  params: NetworkParams,
  cache: ForwardCache,
  dOutput: Matrix,
): BackwardResult => {
  validateParams('backward', spec, params)
  if (!Array.isArray(cache) || cache.length !== params.length) {
    const got = Array.isArray(cache) ? `${cache.length} layers` : 'not an array'
    throw new ShapeError(`backward: the spec has ${params.length} layers but the cache has ${got}`)
  }
  checkOutputGradient(dOutput, (cache[cache.length - 1] as LayerCache).output)
  const layers = spec.layers
  const n = dOutput.rows
  checkCacheShapes(spec, params, cache, dOutput)
  const block = flatBlock([params], paramCount(spec.layers, spec.inputSize))
  const plan = copyOfCache(spec, block, cache, n)
  const P = plan.paramCount
  const d0 = spec.inputSize
  const res = new Float64Array(P + n * d0)
  const input = viewOf(dataOf((cache[0] as LayerCache).input))
  networkBackwardInto(plan, block, input, viewOf(dataOf(dOutput)), viewOf(res), viewOf(res, P))
  return Object.freeze({ grads: paramViews(layers, spec.inputSize, res, 0), dInput: unsafeFromFloat64Array(n, d0, res.subarray(P, P + n * d0)) })
}

/**
 * Throws, for a cache that does not fit the spec (not one `forward` made), the error of the
 * first checked operation of the layer-by-layer chain (docs/gradients.md, "Network") that
 * would fail: from the last layer, `activationBackward(f_l, z_l, a_{l+1}, dA)` and then
 * `denseBackward({ W_l, b_l }, a_l, dz)`, with `dA` of shape `(rows of dz) x d_l` next (for a
 * maxout layer, {@link checkMaxoutCache}). Shapes only; when it passes, every block has the
 * shape the spec gives it for `dOutput`'s rows.
 */
const checkCacheShapes = (spec: NetworkSpec, params: NetworkParams, cache: ForwardCache, dOutput: Matrix): void => {
  let dA: Shape = dOutput
  for (let l = params.length - 1; l >= 0; l--) {
    const layer = cache[l] as LayerCache
    const { W, b } = params[l] as DenseParams
    const s = spec.layers[l] as LayerSpec
    if (s.kind === 'maxout') checkMaxoutCache(l, s, W, layer, dA.rows)
    else if (s.kind === 'batchnorm') checkBatchNormCache(l, s, layer, dA.rows)
    else {
      checkActivationBackwardShapes(layer.preActivation, layer.output, dA)
      checkDenseBackwardShapes({ W, b }, layer.input, dA)
    }
    dA = { rows: dA.rows, cols: s.kind === 'batchnorm' ? s.units : W.rows }
  }
}

/**
 * Throws `backward`'s `ShapeError` unless a batch normalisation layer's cache holds, for `n`
 * rows, its input, pre-activation and output, each `(n x units)`.
 */
const checkBatchNormCache = (l: number, s: BatchNormLayerSpec, c: LayerCache, n: number): void => {
  const fits = (m: Shape): boolean => m.rows === n && m.cols === s.units
  if (!fits(c.input) || !fits(c.preActivation) || !fits(c.output)) {
    throw new ShapeError(
      `backward: layer ${l} (batch normalisation, ${s.units} units) needs a cache of input, pre-activation and output each (${n}x${s.units}), got ${shapeOf(c.input)}, ${shapeOf(c.preActivation)} and ${shapeOf(c.output)}`,
    )
  }
}

/**
 * Throws `backward`'s `ShapeError` unless a maxout layer's cache holds, for `n` rows, its input
 * `(n x inputs)`, its pieces `(n x units·pieces)` and its output `(n x units)`; the gradient
 * reaching it is `(n x units)` already (the output's shape, or the next layer's input width).
 */
const checkMaxoutCache = (l: number, s: MaxoutLayerSpec, W: Shape, c: LayerCache, n: number): void => {
  const fits = (m: Shape, cols: number): boolean => m.rows === n && m.cols === cols
  if (!fits(c.input, W.rows) || !fits(c.preActivation, W.cols) || !fits(c.output, s.units)) {
    throw new ShapeError(
      `backward: layer ${l} (maxout, ${s.units} units of ${s.pieces} pieces) needs a cache of input (${n}x${W.rows}), pieces (${n}x${W.cols}) and output (${n}x${s.units}), got ${shapeOf(c.input)}, ${shapeOf(c.preActivation)} and ${shapeOf(c.output)}`,
    )
  }
}

// -------------------------------------------------------------------------------------
// internal: unchecked passes over one workspace
// -------------------------------------------------------------------------------------

/**
 * Checks, without building a message, what `validateParams` checks: true when the layers
 * are a valid spec with input width `inputSize` and `params` fit it. The fast paths call
 * the checked functions (which throw the detailed error) when this is false.
 *
 * @internal
 */
export const paramsFit = (layers: ReadonlyArray<LayerSpec>, inputSize: number, params: NetworkParams): boolean => {
  if (!isPositiveInteger(inputSize) || !Array.isArray(layers) || layers.length === 0) return false
  if (!Array.isArray(params) || params.length !== layers.length) return false
  let d = inputSize
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l] as LayerSpec
    const m = layer.units
    if (!isPositiveInteger(m) || !layerFits(layer, d)) return false
    const cols = columnsOf(layer)
    const p = params[l] as DenseParams
    if (p.W.rows !== weightRowsOf(layer, d) || p.W.cols !== cols || p.b.rows !== 1 || p.b.cols !== cols) return false
    d = m
  }
  return true
}

/**
 * What `validateSpec` checks of a layer of input width `inputs` besides its units: its kind,
 * pieces and activation, and a batch normalisation layer's width and options.
 */
const layerFits = (layer: LayerSpec, inputs: number): boolean => {
  const pieces: unknown = (layer as { readonly pieces?: unknown }).pieces
  const kind: unknown = layer.kind
  if (kind === 'maxout') return isPositiveInteger(pieces) && isIdentity(layer.activation)
  if (kind === 'batchnorm') {
    const { momentum, epsilon } = layer as BatchNormLayerSpec
    return pieces === undefined && layer.units === inputs && momentumFits(momentum) && epsilonFits(epsilon) && isActivation(layer.activation)
  }
  return (kind === undefined || kind === 'dense') && pieces === undefined && isActivation(layer.activation)
}

const isActivation = (a: Activation): boolean => {
  if (typeof a !== 'object' || a === null) return false
  switch (a.kind) {
    case 'identity':
    case 'tanh':
    case 'sigmoid':
    case 'relu':
      return true
    case 'leakyRelu':
      return isFiniteNumber(a.alpha)
    // Stryker disable next-line ConditionalExpression: E-NOOP an empty default returns undefined
    default:
      return false
  }
}

/**
 * The plan of a backward pass over a fresh workspace holding a copy of the cache's values
 * (pre-activations and outputs; a maxout layer's pieces, its max and winners found again from
 * them; a batch normalisation layer's `x̂` and statistics computed again from its input, the
 * same bits as its forward pass), its scratch after them.
 */
const copyOfCache = (spec: NetworkSpec, params: View, cache: ForwardCache, n: number): NetworkPlan => {
  const end = forwardSize(spec.layers, n)
  const ws = new Float64Array(end + backwardScratchSize(spec.layers, n))
  const plan = networkPlan(spec.layers, spec.inputSize, n, ws, { at: 0, lastOut: -1, scratchAt: end })
  plan.layers.forEach((layer, l) => {
    const c = cache[l] as LayerCache
    const size = n * layer.units
    if (layer.norm !== null) layer.kind.forwardInto(layer, params, viewOf(dataOf(c.input)))
    if (layer.winners !== null) {
      ws.set(dataOf(c.preActivation).subarray(0, size * layer.pieces), layer.affine.off)
      maxInto(layer)
    } else ws.set(dataOf(c.preActivation).subarray(0, size), layer.pre.off)
    // Stryker disable next-line ConditionalExpression: E-NOOP copies the same values again
    if (layer.out !== layer.pre) ws.set(dataOf(c.output).subarray(0, size), layer.out.off)
  })
  return plan
}
