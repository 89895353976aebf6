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
import { SMALL, gemm } from '../matrix/kernels.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, activationBackward, activationBackwardInto, assertActivation } from './activation.js'
import { type DenseParams, affineActivate, affineKernel, denseBackward } from './dense.js'

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

// Stryker disable next-line ConditionalExpression: typeof n === 'number' -> true is equivalent: Number.isSafeInteger is false for every non-number (the other mutants of this line are killed)
const isPositiveInteger = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1

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

const checkInput = (op: string, spec: NetworkSpec, params: NetworkParams, x: Matrix): void => {
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
 * import { Activation, forward, fromArrays, zeros } from 'pure-gan'
 * const spec = { inputSize: 2, layers: [{ units: 1, activation: Activation.identity }] }
 * const { output } = forward(spec, [{ W: zeros(2, 1), b: fromArrays([[3]]) }], zeros(4, 2))
 * // output is (4x1), every entry 3
 *
 * @category operations
 * @since 0.1.0
 */
export const forward = (spec: NetworkSpec, params: NetworkParams, x: Matrix): ForwardResult => {
  validateParams('forward', spec, params)
  checkInput('forward', spec, params, x)
  const n = x.rows
  const layers = spec.layers
  // One allocation for every layer's pre-activation and output; the cache holds views of it.
  const plan = forwardPlan(layers, n, 0, -1)
  const ws = new Float64Array(plan.end)
  const flat = flatBlock([params], paramCount(layers, spec.inputSize))
  forwardInto(layers, spec.inputSize, flat.data, flat.off, dataOf(x), 0, ws, plan)
  const cache: LayerCache[] = []
  let a = x
  for (let l = 0; l < layers.length; l++) {
    const m = (layers[l] as LayerSpec).units
    const zo = plan.preOffs[l]!
    const yo = plan.outOffs[l]!
    const z = unsafeFromFloat64Array(n, m, ws.subarray(zo, zo + n * m))
    // Stryker disable next-line ConditionalExpression: yo === zo -> false gives the identity's output as a second view of the very entries of z instead of z itself: an equal, read-only matrix (-> true is killed)
    const y = yo === zo ? z : unsafeFromFloat64Array(n, m, ws.subarray(yo, yo + n * m))
    cache.push(Object.freeze({ input: a, preActivation: z, output: y }))
    a = y
  }
  return Object.freeze({ output: a, cache: Object.freeze(cache) })
}

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
 * import { Activation, backward, forward, fromArrays } from 'pure-gan'
 * const spec = { inputSize: 1, layers: [{ units: 1, activation: Activation.identity }] }
 * const params = [{ W: fromArrays([[2]]), b: fromArrays([[0]]) }]
 * const { cache } = forward(spec, params, fromArrays([[3]]))
 * const { grads, dInput } = backward(spec, params, cache, fromArrays([[1]]))
 * // grads[0].W is [[3]], grads[0].b is [[1]], dInput is [[2]]
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
  const out = (cache[cache.length - 1] as LayerCache).output
  if (dOutput.rows !== out.rows || dOutput.cols !== out.cols) {
    throw new ShapeError(`backward: dOutput ${shapeOf(dOutput)} and the cached output ${shapeOf(out)} differ in shape`)
  }
  const layers = spec.layers
  const n = dOutput.rows
  // A cache that does not fit the spec (not one made by `forward`) takes the layer-by-layer
  // path, whose checks name the offending shapes.
  // Stryker disable next-line ConditionalExpression: -> true sends fitting caches down backwardByLayer, which gives the same bits (network.test.ts: backward equals the layer-by-layer composition bit for bit); -> false is killed
  if (!cacheFits(layers, spec.inputSize, n, cache)) return backwardByLayer(spec, params, cache, dOutput)
  // One allocation for the results (every gradient and dInput), one for a copy of the cache
  // and the scratch.
  const { ws, plan } = copyOfCache(layers, cache, n, backwardScratchSize(layers, n))
  const P = paramCount(layers, spec.inputSize)
  const d0 = spec.inputSize
  const res = new Float64Array(P + n * d0)
  const flat = flatBlock([params], P)
  backwardInto(layers, spec.inputSize, flat.data, flat.off, plan, dataOf((cache[0] as LayerCache).input), 0, ws, dataOf(dOutput), 0, res, 0, res, P, plan.end)
  return Object.freeze({ grads: paramViews(layers, spec.inputSize, res, 0), dInput: unsafeFromFloat64Array(n, d0, res.subarray(P, P + n * d0)) })
}

/** The reference backward pass, one checked layer operation at a time. */
const backwardByLayer = (
  spec: NetworkSpec,
  params: NetworkParams,
  cache: ForwardCache,
  dOutput: Matrix,
): BackwardResult => {
  // Stryker disable next-line ArrayDeclaration: backwardByLayer runs only for caches that do not fit (cacheFits false) and then always throws: by induction from the last layer, activationBackward and denseBackward pass only when a layer's blocks have the shapes the spec gives them for dOutput's rows, so a cache that passed every layer would fit; what it would return is never observed
  const grads: DenseParams[] = new Array<DenseParams>(params.length)
  let dA = dOutput
  for (let l = params.length - 1; l >= 0; l--) {
    const layer = cache[l] as LayerCache
    const dz = activationBackward((spec.layers[l] as LayerSpec).activation, layer.preActivation, layer.output, dA)
    const g = denseBackward(params[l] as DenseParams, layer.input, dz)
    // Stryker disable next-line ObjectLiteral: backwardByLayer runs only for caches that do not fit (cacheFits false) and then always throws: by induction from the last layer, activationBackward and denseBackward pass only when a layer's blocks have the shapes the spec gives them for dOutput's rows, so a cache that passed every layer would fit; what it would return is never observed
    grads[l] = Object.freeze({ W: g.dW, b: g.db })
    dA = g.dx
  }
  // Stryker disable next-line ObjectLiteral: backwardByLayer runs only for caches that do not fit (cacheFits false) and then always throws: by induction from the last layer, activationBackward and denseBackward pass only when a layer's blocks have the shapes the spec gives them for dOutput's rows, so a cache that passed every layer would fit; what it would return is never observed
  return Object.freeze({ grads: Object.freeze(grads), dInput: dA })
}

// -------------------------------------------------------------------------------------
// internal: unchecked passes over one workspace
// -------------------------------------------------------------------------------------

/**
 * Where one forward pass of `n` rows keeps its values in a workspace: every layer's
 * pre-activation `z_l` and output `a_{l+1}` from `preOffs[l]` and `outOffs[l]` (row-major
 * `n x units` blocks; for the identity the output is the pre-activation, same offset).
 * Layer `l > 0` reads its input at `outOffs[l - 1]`; layer 0 reads the pass's input, which
 * lives elsewhere. A plan depends only on the layers, `n` and where it starts, so a loop
 * computes it once and reuses it for every step.
 *
 * @internal
 */
export interface ForwardPlan {
  readonly n: number
  readonly preOffs: ReadonlyArray<number>
  readonly outOffs: ReadonlyArray<number>
  /** The first offset of the workspace after what the pass uses. */
  readonly end: number
}

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
      // Stryker disable next-line ConditionalExpression: typeof a.alpha === 'number' -> true is equivalent: Number.isFinite is false for every non-number (the other mutants of this line are killed)
      return typeof a.alpha === 'number' && Number.isFinite(a.alpha)
    // Stryker disable next-line ConditionalExpression: an empty default case falls out of the switch and returns undefined, which paramsFit (the only caller, through !isActivation) treats exactly as false
    default:
      return false
  }
}

/** True when every cached block has the shape the spec gives it for `n` rows. */
// Stryker disable next-line BlockStatement: cacheFits only chooses between the fast backward pass and backwardByLayer, which give the same bits for fitting caches; so mutants that make it false more often (an empty body, a test forced to true, return false) are equivalent, while those that let a misfit cache through are killed (nn-network-edges.test.ts)
const cacheFits = (layers: ReadonlyArray<LayerSpec>, inputSize: number, n: number, cache: ForwardCache): boolean => {
  let d = inputSize
  for (let l = 0; l < layers.length; l++) {
    const m = (layers[l] as LayerSpec).units
    const c = cache[l] as LayerCache
    // Stryker disable next-line ConditionalExpression: cacheFits only chooses between the fast backward pass and backwardByLayer, which give the same bits for fitting caches; so mutants that make it false more often (an empty body, a test forced to true, return false) are equivalent, while those that let a misfit cache through are killed (nn-network-edges.test.ts)
    if (c.input.rows !== n || c.input.cols !== d) return false
    // Stryker disable next-line ConditionalExpression: cacheFits only chooses between the fast backward pass and backwardByLayer, which give the same bits for fitting caches; so mutants that make it false more often (an empty body, a test forced to true, return false) are equivalent, while those that let a misfit cache through are killed (nn-network-edges.test.ts)
    // Stryker disable next-line EqualityOperator: c.output.rows === n holds at the last layer at the latest (its output has dOutput's rows, checked before), so that mutant always returns false, i.e. the by-layer path with the same bits; the other EqualityOperator mutants of this line are killed
    if (c.preActivation.rows !== n || c.preActivation.cols !== m || c.output.rows !== n || c.output.cols !== m) return false
    d = m
  }
  // Stryker disable next-line BooleanLiteral: cacheFits only chooses between the fast backward pass and backwardByLayer, which give the same bits for fitting caches; so mutants that make it false more often (an empty body, a test forced to true, return false) are equivalent, while those that let a misfit cache through are killed (nn-network-edges.test.ts)
  return true
}

/**
 * A copy of a cache's values (pre-activations and outputs) in a fresh workspace laid out
 * by `forwardPlan(layers, n, 0, -1)`, with `extra` more entries at the end for the backward
 * scratch.
 */
const copyOfCache = (
  layers: ReadonlyArray<LayerSpec>,
  cache: ForwardCache,
  n: number,
  extra: number,
): { readonly ws: Float64Array; readonly plan: ForwardPlan } => {
  const plan = forwardPlan(layers, n, 0, -1)
  const ws = new Float64Array(plan.end + extra)
  for (let l = 0; l < layers.length; l++) {
    const c = cache[l] as LayerCache
    const size = n * (layers[l] as LayerSpec).units
    ws.set(dataOf(c.preActivation).subarray(0, size), plan.preOffs[l]!)
    // Stryker disable next-line ConditionalExpression: -> true also copies the identity's output, which is its pre-activation, onto the same offset: the same values (-> false is killed)
    if (plan.outOffs[l] !== plan.preOffs[l]) ws.set(dataOf(c.output).subarray(0, size), plan.outOffs[l]!)
  }
  return { ws, plan }
}

/**
 * The number of parameters, `Σ_l (d_l·d_{l+1} + d_{l+1})`, in leaf order: `W_0, b_0, W_1, ...`.
 *
 * @internal
 */
export const paramCount = (layers: ReadonlyArray<LayerSpec>, inputSize: number): number => {
  let d = inputSize
  let P = 0
  for (let l = 0; l < layers.length; l++) {
    const m = (layers[l] as LayerSpec).units
    P += d * m + m
    d = m
  }
  return P
}

/**
 * Parameter-shaped matrices (one frozen `{ W, b }` per layer: parameters, gradients or Adam
 * moments) as views of a flat block in leaf order from `off`.
 *
 * @internal
 */
export const paramViews = (layers: ReadonlyArray<LayerSpec>, inputSize: number, g: Float64Array, off: number): NetworkParams => {
  const out: DenseParams[] = []
  let d = inputSize
  let o = off
  for (const layer of layers) {
    const m = layer.units
    const W = unsafeFromFloat64Array(d, m, g.subarray(o, o + d * m))
    o += d * m
    const b = unsafeFromFloat64Array(1, m, g.subarray(o, o + m))
    o += m
    out.push(Object.freeze({ W, b }))
    d = m
  }
  return Object.freeze(out)
}

/**
 * An array and an offset: where a flat block of values starts (see {@link flatBlock}).
 *
 * @internal
 */
export interface FlatBlock {
  readonly data: Float64Array
  readonly off: number
}

/**
 * The leaves of `trees` (networks' parameters, or their Adam moments: arrays of `{ W, b }`)
 * as one flat block, tree after tree, each in leaf order (`W_0, b_0, W_1, ...`, row-major):
 * the layout the workspace passes and the flat Adam step read. When the leaves already lie
 * one after another in one array (a state's parameters and moments after an update are
 * views of one block), that array itself, with no copy; otherwise a fresh copy of `size`
 * entries (the leaves' total). Reading `.buffer` may move a small array's storage out of
 * V8's heap; its values do not change.
 *
 * @internal
 */
export const flatBlock = (trees: ReadonlyArray<NetworkParams>, size: number): FlatBlock => {
  // the first leaf: the first layer of the first tree that has one
  let head: DenseParams | undefined
  for (let t = 0; t < trees.length && head === undefined; t++) head = (trees[t] as NetworkParams)[0]
  if (head === undefined) return { data: new Float64Array(size), off: 0 }
  const first = dataOf(head.W)
  const buffer = first.buffer
  let next = first.byteOffset
  let contiguous = buffer.byteLength % 8 === 0
  for (let t = 0; t < trees.length && contiguous; t++) {
    const tree = trees[t] as NetworkParams
    for (let q = 0; q < 2 * tree.length; q++) {
      const p = tree[q >> 1] as DenseParams
      const leaf = dataOf((q & 1) === 0 ? p.W : p.b)
      if (leaf.buffer !== buffer || leaf.byteOffset !== next) {
        contiguous = false
        break
      }
      next += leaf.byteLength
    }
  }
  if (contiguous) return { data: new Float64Array(buffer), off: first.byteOffset / 8 }
  const data = new Float64Array(size)
  let o = 0
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t] as NetworkParams
    for (let q = 0; q < 2 * tree.length; q++) {
      const p = tree[q >> 1] as DenseParams
      const leaf = dataOf((q & 1) === 0 ? p.W : p.b)
      data.set(leaf, o)
      o += leaf.length
    }
  }
  return { data, off: 0 }
}

/**
 * The workspace a forward pass of `n` rows needs: per layer `n·units` for the pre-activation
 * and as much again for the output unless the activation is the identity.
 *
 * @internal
 */
export const forwardSize = (layers: ReadonlyArray<LayerSpec>, n: number): number => {
  let size = 0
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l] as LayerSpec
    size += (layer.activation.kind === 'identity' ? 1 : 2) * n * layer.units
  }
  return size
}

/**
 * The plan of a forward pass of `n` rows writing into a workspace from offset `at` (sizes as
 * `forwardSize`). With `lastOut >= 0` the last layer's output goes to `lastOut` instead (for
 * the identity, its pre-activation too), e.g. straight into the lower half of a stacked
 * batch.
 *
 * @internal
 */
export const forwardPlan = (layers: ReadonlyArray<LayerSpec>, n: number, at: number, lastOut: number): ForwardPlan => {
  const L = layers.length
  // Stryker disable next-line ArrayDeclaration: new Array(L) -> new Array() only drops a length hint; the loop assigns every index 0..L-1
  const preOffs: number[] = new Array<number>(L)
  // Stryker disable next-line ArrayDeclaration: new Array(L) -> new Array() only drops a length hint; the loop assigns every index 0..L-1
  const outOffs: number[] = new Array<number>(L)
  let top = at
  for (let l = 0; l < L; l++) {
    const layer = layers[l] as LayerSpec
    const size = n * layer.units
    const last = l === L - 1 && lastOut >= 0
    let zOff: number
    let yOff: number
    if (layer.activation.kind === 'identity') {
      zOff = last ? lastOut : top
      if (!last) top += size
      yOff = zOff
    } else {
      zOff = top
      top += size
      yOff = last ? lastOut : top
      if (!last) top += size
    }
    preOffs[l] = zOff
    outOffs[l] = yOff
  }
  return { n, preOffs, outOffs, end: top }
}

/**
 * The forward pass of `plan.n` rows read from `input` at `inputOff`, writing every
 * pre-activation and output into `ws` where `plan` puts them, layer by layer with the fused
 * kernel (so bit-equal to `forward`). The parameters are one flat block `pd[pOff..]` in leaf
 * order (`W_0, b_0, W_1, ...`, see {@link flatBlock}). Unchecked.
 *
 * @internal
 */
export const forwardInto = (
  layers: ReadonlyArray<LayerSpec>,
  inputSize: number,
  pd: Float64Array,
  pOff: number,
  input: Float64Array,
  inputOff: number,
  ws: Float64Array,
  plan: ForwardPlan,
): void => {
  const n = plan.n
  let src = input
  let srcOff = inputOff
  let d = inputSize
  let o = pOff
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l] as LayerSpec
    const m = layer.units
    const yOff = plan.outOffs[l]!
    affineKernel(src, srcOff, n, d, pd, o, m, pd, o + d * m, layer.activation, ws, plan.preOffs[l]!, ws, yOff)
    o += d * m + m
    d = m
    src = ws
    srcOff = yOff
  }
}

/**
 * The scratch a backward pass of `n` rows needs: `n·units` per layer for `dz` (unless the
 * activation is the identity, whose `dz` is the incoming gradient itself) and `n·d_l` for the
 * gradient with respect to each hidden layer's input.
 *
 * @internal
 */
export const backwardScratchSize = (layers: ReadonlyArray<LayerSpec>, n: number): number => {
  let size = 0
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l] as LayerSpec
    if (layer.activation.kind !== 'identity') size += n * layer.units
    if (l > 0) size += n * (layers[l - 1] as LayerSpec).units
  }
  return size
}

/**
 * The backward pass over a trace, with the order of evaluation of `backward` (so bit-equal
 * to it), given `dL/d(output)` in `dOut` at `dOutOff`:
 *
 * - `dz_l = dA_{l+1} ⊙ f_l'(z_l)`;
 * - when `grads` is not null: `dW_l = a_lᵀ·dz_l` and `db_l` (column sums of `dz_l`, from
 *   row 0 down) into `grads` from `gOff` in leaf order (`W_0, b_0, W_1, ...`);
 * - `dA_l = dz_l·W_lᵀ` for the hidden layers, and for the input only when `dIn` is not null
 *   (into `dIn` at `dInOff`): a discriminator's update needs no input gradient, a
 *   generator's update no parameter gradients of the discriminator.
 *
 * The parameters are one flat block `pd[pOff..]` in leaf order (as for {@link forwardInto}).
 * Scratch comes from the trace's workspace at `at` (`backwardScratchSize`). Small products
 * are dot products written out here (no call), large ones the blocked kernel; both in the
 * order of `matmulTransposeA` and `matmulTransposeB`. Unchecked.
 *
 * @internal
 */
export const backwardInto = (
  layers: ReadonlyArray<LayerSpec>,
  inputSize: number,
  pd: Float64Array,
  pOff: number,
  plan: ForwardPlan,
  input: Float64Array,
  inputOff: number,
  ws: Float64Array,
  dOut: Float64Array,
  dOutOff: number,
  grads: Float64Array | null,
  gOff: number,
  dIn: Float64Array | null,
  dInOff: number,
  at: number,
): void => {
  const n = plan.n
  const L = layers.length
  const P = paramCount(layers, inputSize)
  // W_l's offset in the gradient block; pOff - gOff more in the parameter block
  let wOff = gOff + P
  const toParams = pOff - gOff
  let dA = dOut
  let dAOff = dOutOff
  let top = at
  for (let l = L - 1; l >= 0; l--) {
    const layer = layers[l] as LayerSpec
    const m = layer.units
    const d = l === 0 ? inputSize : (layers[l - 1] as LayerSpec).units
    const a = l === 0 ? input : ws
    const aOff = l === 0 ? inputOff : (plan.outOffs[l - 1] as number)
    let dz = dA
    let dzOff = dAOff
    if (layer.activation.kind !== 'identity') {
      dz = ws
      dzOff = top
      top += n * m
      activationBackwardInto(layer.activation, ws, plan.preOffs[l] as number, ws, plan.outOffs[l] as number, dA, dAOff, ws, dzOff, n * m)
    }
    wOff -= d * m + m
    if (grads !== null) {
      // dW = a_lᵀ·dz (d x m, summed over the n rows): A(i, k) = a_l[k·d + i], B(k, j) = dz[k·m + j]
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: which product path runs changes no bit: the dot products here and gemm (which has its own small path) sum in matmul's order (kernels.test.ts, network.test.ts: both paths equal the layer-by-layer composition)
      if (d < 4 || m < 4 || d * m * n < SMALL) {
        // Stryker disable next-line EqualityOperator: the extra entries i = d (j < m) and j = m of the last row land on db's block, which is zeroed and summed right after; j = m of the other rows lands on the next row's first entry, written next (i >= d, j >= m are killed)
        for (let i = 0; i < d; i++) {
          // Stryker disable next-line EqualityOperator: the extra entries i = d (j < m) and j = m of the last row land on db's block, which is zeroed and summed right after; j = m of the other rows lands on the next row's first entry, written next (i >= d, j >= m are killed)
          for (let j = 0; j < m; j++) {
            let c = 0
            let pa = aOff + i
            let pz = dzOff + j
            for (let k = 0; k < n; k++) {
              c = c + a[pa]! * dz[pz]!
              pa += d
              pz += m
            }
            grads[wOff + i * m + j] = c
          }
        }
      } else {
        gemm(a, aOff, 1, d, dz, dzOff, m, 1, d, m, n, grads, wOff)
      }
      // db = column sums of dz, each from 0 and from row 0 down (as `columnSums`)
      const bOff = wOff + d * m
      for (let j = 0; j < m; j++) grads[bOff + j] = 0
      for (let i = 0; i < n; i++) {
        const o = dzOff + i * m
        for (let j = 0; j < m; j++) grads[bOff + j] = grads[bOff + j]! + dz[o + j]!
      }
    }
    let dst: Float64Array | null = null
    let dstOff = 0
    // Stryker disable ConditionalExpression: dIn !== null -> true makes dst = dIn = null when no input gradient is asked for, and a null dst is skipped just the same (a comment cannot reach an else-if's test alone; the mutants of l > 0 here are killed by the tests)
    if (l > 0) {
      dst = ws
      dstOff = top
      top += n * d
    } else if (dIn !== null) {
      dst = dIn
      dstOff = dInOff
    }
    // Stryker restore ConditionalExpression
    if (dst !== null) {
      // dA_l = dz·Wᵀ (n x d, summed over the m units): A(i, k) = dz[i·m + k], B(k, j) = W[j·m + k]
      const W0 = wOff + toParams
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: which product path runs changes no bit: the dot products here and gemm (which has its own small path) sum in matmul's order (kernels.test.ts, network.test.ts: both paths equal the layer-by-layer composition)
      if (n < 4 || d < 4 || n * d * m < SMALL) {
        for (let i = 0; i < n; i++) {
          const zi = dzOff + i * m
          const zEnd = zi + m
          for (let j = 0; j < d; j++) {
            let c = 0
            let pw = W0 + j * m
            for (let pz = zi; pz < zEnd; pz++) c = c + dz[pz]! * pd[pw++]!
            dst[dstOff + i * d + j] = c
          }
        }
      } else {
        gemm(dz, dzOff, m, 1, pd, W0, 1, m, n, d, m, dst, dstOff)
      }
      dA = dst
      dAOff = dstOff
    }
  }
}
