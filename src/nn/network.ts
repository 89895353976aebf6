/**
 * A sequential multilayer perceptron (stax's `serial` of dense layers): the architecture
 * is plain data (`NetworkSpec`), the parameters a `ParamTree` (`NetworkParams`), and the
 * passes are pure functions of both. The chain rule that `backward` implements, including
 * the gradient with respect to the input, is derived in docs/gradients.md, section
 * "Network".
 *
 * Layer `l` (0-based) maps `a_l` `(n x d_l)` to `a_{l+1} = f_l(z_l)` with
 * `z_l = a_l·W_l + b_l`, where `d_0 = inputSize` and `d_{l+1} = layers[l].units`.
 *
 * @module
 */
import { isFiniteNumber, isPositiveInteger } from '../validate/numbers.js'
import type { PassLayer } from '../kernels/layer.js'
import {
  type NetworkPlan,
  backwardScratchSize,
  forwardSize,
  networkBackwardInto,
  networkForwardInto,
  networkPlan,
} from '../kernels/network.js'
import { type View, viewOf } from '../kernels/view.js'
import { type Matrix, type Shape, ShapeError, dataOf, sameShape, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, assertActivation, checkActivationBackwardShapes } from './activation.js'
import { flatBlock, paramViews } from './blocks.js'
import { type DenseParams, affineActivate, checkDenseBackwardShapes } from './dense.js'


// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One layer of a network spec: its number of output units and its activation.
 *
 * @category model
 * @since 0.1.0
 */
export type LayerSpec = {
  readonly units: number
  readonly activation: Activation
}

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
 * pre-activation `z_l = a_l·W_l + b_l` and its output `a_{l+1} = f_l(z_l)`.
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
 * positive integers (`RangeError`), there must be at least one layer (`RangeError`), and
 * every activation must be valid (see `assertActivation`). Messages start with `op`.
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
  spec.layers.forEach((layer, l) => {
    if (!isPositiveInteger(layer.units)) {
      throw new RangeError(`${op}: spec.layers[${l}].units must be a positive integer, got ${String(layer.units)}`)
    }
    assertActivation(op, `spec.layers[${l}].activation`, layer.activation)
  })
}

/**
 * The shapes the spec asks of each layer's parameters: `W_l` is `(d_l x d_{l+1})` and
 * `b_l` is `(1 x d_{l+1})`, as `[rows, cols]` pairs. Validates the spec first.
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
    const shapes = { W: [inputs, layer.units] as const, b: [1, layer.units] as const }
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
    const units = (spec.layers[l] as LayerSpec).units
    const p = params[l] as DenseParams
    if (p.W.rows !== inputs || p.W.cols !== units) {
      throw new ShapeError(`${op}: layer ${l} W is ${shapeOf(p.W)} but the spec needs (${inputs}x${units})`)
    }
    if (p.b.rows !== 1 || p.b.cols !== units) {
      throw new ShapeError(`${op}: layer ${l} b is ${shapeOf(p.b)} but the spec needs (1x${units})`)
    }
    inputs = units
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
 * layer its input, pre-activation and output. Each layer is one fused kernel (the one of
 * `affineActivateWithPre`, bit for bit), and every layer's values share one allocation (the
 * cache's matrices are views of it). Throws a `ShapeError` when the params or the input do not fit
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
    cache.push(Object.freeze({ input: a, preActivation: z, output: y }))
    a = y
  }
  return Object.freeze({ output: a, cache: Object.freeze(cache) })
}

/** A layer's `rows x units` block of the workspace at `v`, as a matrix view. */
const matrixOf = (layer: PassLayer, v: View): Matrix =>
  unsafeFromFloat64Array(layer.rows, layer.units, v.data.subarray(v.off, v.off + layer.rows * layer.units))

/**
 * The network's output alone: one fused kernel and one allocation per layer, nothing kept.
 * Bit for bit equal to `forward(spec, params, x).output`.
 *
 * @category operations
 * @since 0.1.0
 */
export const predict = (spec: NetworkSpec, params: NetworkParams, x: Matrix): Matrix => {
  validateParams('predict', spec, params)
  checkInput('predict', spec, params, x)
  let a = x
  for (let l = 0; l < params.length; l++) {
    const p = params[l] as DenseParams
    a = affineActivate(a, p.W, p.b, (spec.layers[l] as LayerSpec).activation)
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
  checkCacheShapes(params, cache, dOutput)
  const plan = copyOfCache(spec, cache, n)
  const P = plan.paramCount
  const d0 = spec.inputSize
  const res = new Float64Array(P + n * d0)
  const input = viewOf(dataOf((cache[0] as LayerCache).input))
  networkBackwardInto(plan, flatBlock([params], P), input, viewOf(dataOf(dOutput)), viewOf(res), viewOf(res, P))
  return Object.freeze({ grads: paramViews(layers, spec.inputSize, res, 0), dInput: unsafeFromFloat64Array(n, d0, res.subarray(P, P + n * d0)) })
}

/**
 * Throws, for a cache that does not fit the spec (not one `forward` made), the error of the
 * first checked operation of the layer-by-layer chain (docs/gradients.md, "Network") that
 * would fail: from the last layer, `activationBackward(f_l, z_l, a_{l+1}, dA)` and then
 * `denseBackward({ W_l, b_l }, a_l, dz)`, with `dA` of shape `(rows of dz) x d_l` next. Shapes
 * only; when it passes, every block has the shape the spec gives it for `dOutput`'s rows.
 */
const checkCacheShapes = (params: NetworkParams, cache: ForwardCache, dOutput: Matrix): void => {
  let dA: Shape = dOutput
  for (let l = params.length - 1; l >= 0; l--) {
    const layer = cache[l] as LayerCache
    checkActivationBackwardShapes(layer.preActivation, layer.output, dA)
    const { W, b } = params[l] as DenseParams
    checkDenseBackwardShapes({ W, b }, layer.input, dA)
    dA = { rows: dA.rows, cols: W.rows }
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
    if (!isPositiveInteger(m) || !isActivation(layer.activation)) return false
    const p = params[l] as DenseParams
    if (p.W.rows !== d || p.W.cols !== m || p.b.rows !== 1 || p.b.cols !== m) return false
    d = m
  }
  return true
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
 * (pre-activations and outputs), its scratch after them.
 */
const copyOfCache = (spec: NetworkSpec, cache: ForwardCache, n: number): NetworkPlan => {
  const end = forwardSize(spec.layers, n)
  const ws = new Float64Array(end + backwardScratchSize(spec.layers, n))
  const plan = networkPlan(spec.layers, spec.inputSize, n, ws, { at: 0, lastOut: -1, scratchAt: end })
  plan.layers.forEach((layer, l) => {
    const c = cache[l] as LayerCache
    const size = n * layer.units
    ws.set(dataOf(c.preActivation).subarray(0, size), layer.pre.off)
    // Stryker disable next-line ConditionalExpression: E-NOOP copies the same values again
    if (layer.out !== layer.pre) ws.set(dataOf(c.output).subarray(0, size), layer.out.off)
  })
  return plan
}
