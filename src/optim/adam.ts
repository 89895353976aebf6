/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", 2015), exactly as
 * MXNet Gluon's `Adam` runs it: the bias correction folded into the learning rate, and
 * `epsilon` added to `sqrt(v)` (the paper's "epsilon hat" form).
 *
 * Step `t = count + 1`, for every parameter entry `w` with gradient entry `grad`:
 *
 * ```
 * g    = rescaleGrad · grad                                  // rescaled gradient
 * m'   = beta1 · m + (1 - beta1) · g                         // first moment estimate
 * v'   = beta2 · v + (1 - beta2) · g²                        // second moment estimate
 * lr_t = lr · sqrt(1 - beta2^t) / (1 - beta1^t)              // bias-corrected step size
 * w'   = w - lr_t · m' / (sqrt(v') + epsilon)                // the step (new parameters)
 * ```
 *
 * Evaluation order, the contract that fixes the bits (JavaScript has no fused multiply-add,
 * so every operation below rounds once, identically on every machine):
 *
 * ```
 * c1   = 1 - beta1;  c2 = 1 - beta2                          // once per optimiser
 * lr_t = lr * (Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)))   // once per step
 * g    = grad * rescaleGrad
 * m'   = (beta1 * m) + (c1 * g)
 * v'   = (beta2 * v) + ((c2 * g) * g)
 * w'   = w - ((lr_t * m') / (Math.sqrt(v') + epsilon))
 * ```
 *
 * `lr_t` is grouped as Gluon's Python computes it (`lr *= math.sqrt(coef2)/coef1`); the
 * per-entry lines are the expression tree of MXNet 1.x's fused `adam_update` kernel
 * (`grad * rescale_grad`, `(1.f - beta2) * grad * grad`, `w - lr * mean / (sqrt(var) + eps)`)
 * with weight decay and gradient clipping left out (Gluon's defaults: `wd = 0` adds `w·0`,
 * which changes at most the sign of a zero; clipping is off). MXNet computes in float32 and
 * pure-gan in float64, so results agree with MXNet to float32 precision, not bit for bit.
 * `Math.pow` is V8's; its result for `beta^t` is deterministic for a given Node version.
 *
 * State: `{ count, m, v }`, with `m` and `v` trees of the structure of the parameters,
 * zero after `init`.
 *
 * @module
 */
import type * as E from 'fp-ts/lib/Either.js'
import { type Matrix, dataOf, unsafeFromFloat64Array, zeros } from '../matrix/matrix.js'
import { type ParamTree, assertSameTree, mapTree, zipTrees } from '../tree/param-tree.js'
import {
  type Optimizer,
  checkCount,
  orThrowRangeError,
  positiveFinite,
  unitInterval,
  validateOptions,
} from './optimizer.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link adam}, with Gluon's defaults.
 *
 * - `learningRate`: finite, `> 0` (required).
 * - `beta1` (default `0.9`), `beta2` (default `0.999`): in `[0, 1)`.
 * - `epsilon` (default `1e-8`): finite, `> 0`. Zero is refused: with `epsilon = 0` a zero
 *   gradient on the first step gives `0 / 0 = NaN`.
 * - `rescaleGrad` (default `1`): finite, `> 0`. Gluon's `trainer.step(batchSize)` is
 *   `rescaleGrad: 1 / batchSize`.
 *
 * @category model
 * @since 0.1.0
 */
export interface AdamOptions {
  readonly learningRate: number
  readonly beta1?: number
  readonly beta2?: number
  readonly epsilon?: number
  readonly rescaleGrad?: number
}

/**
 * The state of {@link adam}: the number of steps taken and the two moment estimates, trees
 * with the structure and shapes of the parameters.
 *
 * @category model
 * @since 0.1.0
 */
export interface AdamState {
  readonly count: number
  readonly m: ParamTree
  readonly v: ParamTree
}

/**
 * Gluon's defaults for every optional Adam option.
 *
 * @category constants
 * @since 0.1.0
 */
export const adamDefaults: Readonly<Required<Omit<AdamOptions, 'learningRate'>>> = Object.freeze({
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  rescaleGrad: 1,
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Validates Adam options (e.g. from a parsed config file): `Right` with every default
 * filled in, or `Left` with one message per bad option (joined by `; `), each naming the
 * option, its value and the allowed range. Unknown keys are errors.
 *
 * @example
 * import { validateAdamOptions } from 'pure-gan'
 * validateAdamOptions({ learningRate: 0.05 })
 * // { _tag: 'Right', right: { learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, rescaleGrad: 1 } }
 * validateAdamOptions({ learningRate: 0.05, beta1: 1 })
 * // { _tag: 'Left', left: 'adam: beta1 must be a number in [0, 1), got 1' }
 *
 * @category validation
 * @since 0.1.0
 */
export const validateAdamOptions = (options: unknown): E.Either<string, Required<AdamOptions>> =>
  validateOptions<Required<AdamOptions>>('adam', options, [
    { name: 'learningRate', range: 'a finite number > 0', ok: positiveFinite },
    { name: 'beta1', default: adamDefaults.beta1, range: 'a number in [0, 1)', ok: unitInterval },
    { name: 'beta2', default: adamDefaults.beta2, range: 'a number in [0, 1)', ok: unitInterval },
    { name: 'epsilon', default: adamDefaults.epsilon, range: 'a finite number > 0', ok: positiveFinite },
    { name: 'rescaleGrad', default: adamDefaults.rescaleGrad, range: 'a finite number > 0', ok: positiveFinite },
  ])

// -------------------------------------------------------------------------------------
// kernel
// -------------------------------------------------------------------------------------

interface StepConstants {
  readonly beta1: number
  readonly beta2: number
  readonly c1: number
  readonly c2: number
  readonly lrT: number
  readonly epsilon: number
  readonly rescaleGrad: number
}

/**
 * One fused pass over a leaf: reads w, grad, m, v once and writes w', m', v' into three
 * fresh arrays. Returns w' and pushes m', v' onto `ms`, `vs` (in leaf order).
 */
const adamLeaf = (
  w: Matrix,
  grad: Matrix,
  m: Matrix,
  v: Matrix,
  k: StepConstants,
  ms: Matrix[],
  vs: Matrix[],
): Matrix => {
  const { beta1, beta2, c1, c2, lrT, epsilon, rescaleGrad } = k
  const wData = dataOf(w)
  const gData = dataOf(grad)
  const mData = dataOf(m)
  const vData = dataOf(v)
  const n = wData.length
  const wOut = new Float64Array(n)
  const mOut = new Float64Array(n)
  const vOut = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const g = gData[i]! * rescaleGrad // rescaled gradient
    const mi = beta1 * mData[i]! + c1 * g // first moment estimate
    const vi = beta2 * vData[i]! + c2 * g * g // second moment estimate: ((1 - beta2)·g)·g
    mOut[i] = mi
    vOut[i] = vi
    wOut[i] = wData[i]! - (lrT * mi) / (Math.sqrt(vi) + epsilon) // the step
  }
  ms.push(unsafeFromFloat64Array(m.rows, m.cols, mOut))
  vs.push(unsafeFromFloat64Array(v.rows, v.cols, vOut))
  return unsafeFromFloat64Array(w.rows, w.cols, wOut)
}

/** A tree of `like`'s structure whose leaves are `ls`, taken in leaf order. */
const refill = (like: ParamTree, ls: ReadonlyArray<Matrix>): ParamTree => {
  let i = 0
  return mapTree(like, () => ls[i++]!)
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Adam with Gluon's update rule and defaults (equations and evaluation order in the module
 * comment). `init` gives `{ count: 0, m: 0, v: 0 }` (zero trees shaped like the
 * parameters); `step` returns the new parameters and `{ count: count + 1, m', v' }`.
 * Throws a `RangeError` naming the option, its value and the allowed range when an option
 * is invalid; `step` throws a `ShapeError` naming the path and both shapes when `params`,
 * `grads` and the state's moments do not share one tree structure.
 *
 * Every entry stays finite as long as the inputs are finite and `|rescaleGrad · grad|`
 * stays below about `1e150` (beyond that `g²` overflows).
 *
 * @example
 * import { adam, fromArrays } from 'pure-gan'
 * const opt = adam({ learningRate: 0.05, rescaleGrad: 1 / 8 })
 * const params = { W: fromArrays([[1, 2]]), b: fromArrays([[0]]) }
 * const grads = { W: fromArrays([[4, -4]]), b: fromArrays([[0]]) }
 * const [next, state] = opt.step(opt.init(params), params, grads)
 * // the first step moves every entry by about lr against its gradient:
 * // next.W is about [[0.95, 2.05]], next.b is exactly [[0]], state.count === 1
 *
 * @category constructors
 * @since 0.1.0
 */
export const adam = (options: AdamOptions): Optimizer<AdamState> => {
  const { learningRate, beta1, beta2, epsilon, rescaleGrad } = orThrowRangeError(validateAdamOptions(options))
  const c1 = 1 - beta1
  const c2 = 1 - beta2

  const init = (params: ParamTree): AdamState =>
    Object.freeze({
      count: 0,
      m: mapTree(params, (p) => zeros(p.rows, p.cols)),
      v: mapTree(params, (p) => zeros(p.rows, p.cols)),
    })

  const step = <P extends ParamTree>(state: AdamState, params: P, grads: P): readonly [P, AdamState] => {
    checkCount('adam.step', state.count)
    assertSameTree('adam.step: params vs grads', params, grads)
    const t = state.count + 1
    const lrT = learningRate * (Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)))
    const k: StepConstants = { beta1, beta2, c1, c2, lrT, epsilon, rescaleGrad }
    const ms: Matrix[] = []
    const vs: Matrix[] = []
    // zipTrees visits leaves in `leaves` order (arrays by index, records by sorted key), so
    // ms and vs come out in the order `refill` puts them back.
    const next = zipTrees('adam.step: params vs state (m, v)', [params, grads, state.m, state.v], (ls) =>
      adamLeaf(ls[0]!, ls[1]!, ls[2]!, ls[3]!, k, ms, vs),
    )
    const newState: AdamState = Object.freeze({ count: t, m: refill(state.m, ms), v: refill(state.v, vs) })
    return Object.freeze([next, newState] as const)
  }

  return Object.freeze({ init, step })
}

// -------------------------------------------------------------------------------------
// internal: the step of a network's parameters from a flat gradient
// -------------------------------------------------------------------------------------

const isMatrixLeaf = (t: unknown): t is Matrix =>
  typeof t === 'object' && t !== null && !Array.isArray(t) && typeof (t as Matrix).rows === 'number' && (t as Matrix).data instanceof Float64Array

/** A `{ W, b }` record (exactly those two own keys) of matrices. */
const isLayerRecord = (t: unknown): t is { readonly W: Matrix; readonly b: Matrix } => {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || isMatrixLeaf(t)) return false
  const r = t as { readonly W?: unknown; readonly b?: unknown }
  return isMatrixLeaf(r.W) && isMatrixLeaf(r.b) && Object.keys(t).length === 2
}

const sameShapeLeaf = (a: Matrix, b: Matrix): boolean => a.rows === b.rows && a.cols === b.cols

/**
 * `adam(options).step(state, params, grads)` for the parameters of a sequential network
 * (an array of `{ W, b }` records), with `grads` given as one flat block `g[gOff..]` in leaf
 * order (`W_0, b_0, W_1, ...`, which is the tree's leaf order: `'W' < 'b'`). The same
 * arithmetic in the same order as `adamLeaf`, so bit for bit the checked step. Every new
 * parameter and both new moments go into one block (the matrices are views of it): `out`
 * from `outOff` (`3·P` entries, freshly allocated by the caller and not written afterwards),
 * or a new array when `out` is null.
 *
 * Returns null, computing nothing, whenever the checked step could behave differently: an
 * option out of range, a bad `count`, or params or moments not exactly of this structure
 * and these shapes. The caller then runs the checked step, which throws the detailed error.
 *
 * @internal
 */
export const adamStepNetwork = (
  learningRate: number,
  beta1: unknown,
  beta2: unknown,
  epsilon: unknown,
  rescaleGrad: number,
  state: AdamState,
  params: ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>,
  g: Float64Array,
  gOff: number,
  out: Float64Array | null,
  outOff: number,
): readonly [ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>, AdamState] | null => {
  if (
    typeof learningRate !== 'number' || !positiveFinite(learningRate) ||
    typeof beta1 !== 'number' || !unitInterval(beta1) ||
    typeof beta2 !== 'number' || !unitInterval(beta2) ||
    typeof epsilon !== 'number' || !positiveFinite(epsilon) ||
    typeof rescaleGrad !== 'number' || !positiveFinite(rescaleGrad)
  ) {
    return null
  }
  const count = state.count
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return null
  const ms = state.m as unknown
  const vs = state.v as unknown
  const L = params.length
  if (!Array.isArray(params) || !Array.isArray(ms) || !Array.isArray(vs) || ms.length !== L || vs.length !== L) return null
  let P = 0
  for (let l = 0; l < L; l++) {
    const p = params[l]
    const m = ms[l] as unknown
    const v = vs[l] as unknown
    if (!isLayerRecord(p) || !isLayerRecord(m) || !isLayerRecord(v)) return null
    if (!sameShapeLeaf(p.W, m.W) || !sameShapeLeaf(p.W, v.W) || !sameShapeLeaf(p.b, m.b) || !sameShapeLeaf(p.b, v.b)) return null
    P += p.W.rows * p.W.cols + p.b.rows * p.b.cols
  }
  const t = count + 1
  const lrT = learningRate * (Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)))
  const c1 = 1 - beta1
  const c2 = 1 - beta2
  const buf = out === null ? new Float64Array(3 * P) : out
  const base = out === null ? 0 : outOff
  const nextParams: Array<{ readonly W: Matrix; readonly b: Matrix }> = []
  const nextM: Array<{ readonly W: Matrix; readonly b: Matrix }> = []
  const nextV: Array<{ readonly W: Matrix; readonly b: Matrix }> = []
  let o = 0
  for (let l = 0; l < L; l++) {
    const p = params[l]!
    const m = (ms as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>)[l]!
    const v = (vs as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>)[l]!
    const nW = p.W.rows * p.W.cols
    const nb = p.b.cols
    const oW = base + o
    const ob = oW + nW
    adamInto(dataOf(p.W), dataOf(m.W), dataOf(v.W), g, gOff + o, buf, oW, P, nW, beta1, beta2, c1, c2, lrT, epsilon, rescaleGrad)
    adamInto(dataOf(p.b), dataOf(m.b), dataOf(v.b), g, gOff + o + nW, buf, ob, P, nb, beta1, beta2, c1, c2, lrT, epsilon, rescaleGrad)
    const rW = p.W.rows
    const cW = p.W.cols
    nextParams.push(Object.freeze({ W: view(rW, cW, buf, oW), b: view(1, nb, buf, ob) }))
    nextM.push(Object.freeze({ W: view(rW, cW, buf, oW + P), b: view(1, nb, buf, ob + P) }))
    nextV.push(Object.freeze({ W: view(rW, cW, buf, oW + 2 * P), b: view(1, nb, buf, ob + 2 * P) }))
    o += nW + nb
  }
  return [Object.freeze(nextParams), Object.freeze({ count: t, m: Object.freeze(nextM), v: Object.freeze(nextV) })]
}

/** A `rows x cols` matrix over `buf[off .. off + rows·cols)`. */
const view = (rows: number, cols: number, buf: Float64Array, off: number): Matrix =>
  unsafeFromFloat64Array(rows, cols, buf.subarray(off, off + rows * cols))

/**
 * One leaf of Adam's step, `adamLeaf`'s arithmetic: `w' -> out[o..]`, `m' -> out[o + P..]`,
 * `v' -> out[o + 2P..]`, with the gradient read from `g[go..]`.
 */
const adamInto = (
  wData: Float64Array,
  mData: Float64Array,
  vData: Float64Array,
  g: Float64Array,
  go: number,
  out: Float64Array,
  o: number,
  P: number,
  n: number,
  beta1: number,
  beta2: number,
  c1: number,
  c2: number,
  lrT: number,
  epsilon: number,
  rescaleGrad: number,
): void => {
  const mo = o + P
  const vo = o + 2 * P
  for (let i = 0; i < n; i++) {
    const gi = g[go + i]! * rescaleGrad // rescaled gradient
    const mi = beta1 * mData[i]! + c1 * gi // first moment estimate
    const vi = beta2 * vData[i]! + c2 * gi * gi // second moment estimate: ((1 - beta2)·g)·g
    out[mo + i] = mi
    out[vo + i] = vi
    out[o + i] = wData[i]! - (lrT * mi) / (Math.sqrt(vi) + epsilon) // the step
  }
}
