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
 * lr_t = lr * (Math.sqrt(1 - powInt(beta2, t)) / (1 - powInt(beta1, t)))   // once per step
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
 * `powInt` is the library's own `beta^t` (src/elementary, correctly rounded for every step
 * count), so `lr_t` has the same bits on every engine; `Math.pow` differs between engines
 * and V8 versions.
 *
 * State: `{ count, m, v }`, with `m` and `v` trees of the structure of the parameters,
 * zero after `init`.
 *
 * @module
 */
import { isSafeInteger } from '../validate/numbers.js'
import type * as E from '../fp/either.js'
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
import { type AdamStepConstants, adamStepConstants, adamStepInto } from '../kernels/adam.js'
import { viewOf } from '../kernels/view.js'

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
// the step of one leaf
// -------------------------------------------------------------------------------------

/**
 * One Adam step on a leaf ({@link adamStepInto} on a `[w | m | v]` copy of it, into one
 * fresh `[w' | m' | v']` block whose thirds become the new matrices). Returns w' and pushes
 * m', v' onto `ms`, `vs` (in leaf order).
 */
const adamLeaf = (
  leaf: { readonly w: Matrix; readonly grad: Matrix; readonly m: Matrix; readonly v: Matrix },
  k: AdamStepConstants,
  ms: Matrix[],
  vs: Matrix[],
): Matrix => {
  const { w, grad, m, v } = leaf
  const n = dataOf(w).length
  const from = new Float64Array(3 * n)
  from.set(dataOf(w))
  from.set(dataOf(m), n)
  from.set(dataOf(v), 2 * n)
  const to = new Float64Array(3 * n)
  adamStepInto(k, n, viewOf(dataOf(grad)), viewOf(from), viewOf(to))
  ms.push(unsafeFromFloat64Array(m.rows, m.cols, to.subarray(n, 2 * n)))
  vs.push(unsafeFromFloat64Array(v.rows, v.cols, to.subarray(2 * n)))
  return unsafeFromFloat64Array(w.rows, w.cols, to.subarray(0, n))
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
 * import { adam, fromArrays, toArrays } from 'pure-gan'
 * const opt = adam({ learningRate: 0.05, rescaleGrad: 1 / 8 })
 * const params = { W: fromArrays([[1, 2]]), b: fromArrays([[0]]) }
 * const grads = { W: fromArrays([[4, -4]]), b: fromArrays([[0]]) }
 * const [next, state] = opt.step(opt.init(params), params, grads)
 * toArrays(next.W) // [[0.9500000316227566, 2.0499999683772434]]
 * toArrays(next.b) // [[0]]
 * state.count // 1
 *
 * // the first step moves every entry by about lr against its gradient
 *
 * @category constructors
 * @since 0.1.0
 */
export const adam = (options: AdamOptions): Optimizer<AdamState> => {
  const hyper = orThrowRangeError(validateAdamOptions(options))

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
    const k = adamStepConstants(hyper, state.count)
    const ms: Matrix[] = []
    const vs: Matrix[] = []
    // zipTrees visits leaves in `leaves` order (arrays by index, records by sorted key), so
    // ms and vs come out in the order `refill` puts them back.
    const next = zipTrees('adam.step: params vs state (m, v)', [params, grads, state.m, state.v], (ls) =>
      adamLeaf({ w: ls[0]!, grad: ls[1]!, m: ls[2]!, v: ls[3]! }, k, ms, vs),
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

/**
 * A `{ W, b }` record (exactly those two own keys) of matrices of the given shapes: `W`
 * `(rows x cols)`, `b` `(1 x cols)`.
 *
 * @internal
 */
export const isLayerRecord = (t: unknown, rows: number, cols: number): boolean => {
  if (typeof t !== 'object' || t === null || Array.isArray(t) || isMatrixLeaf(t)) return false
  const W = (t as { readonly W?: unknown }).W
  const b = (t as { readonly b?: unknown }).b
  if (!isMatrixLeaf(W) || !isMatrixLeaf(b) || Object.keys(t).length !== 2) return false
  return W.rows === rows && W.cols === cols && b.rows === 1 && b.cols === cols
}

/**
 * The number of parameters when `params`, `ms` and `vs` are arrays of `{ W, b }` records
 * of one shape each (what `zipTrees` would accept for these trees), else -1.
 */
const networkSize = (params: unknown, ms: unknown, vs: unknown): number => {
  if (!Array.isArray(params) || !Array.isArray(ms) || !Array.isArray(vs)) return -1
  const L = params.length
  if (ms.length !== L || vs.length !== L) return -1
  let P = 0
  for (let l = 0; l < L; l++) {
    const p = params[l] as { readonly W?: Matrix } | null
    const W = typeof p === 'object' && p !== null ? p.W : undefined
    if (typeof W !== 'object' || W === null) return -1
    const rows = W.rows
    const cols = W.cols
    if (!isLayerRecord(params[l], rows, cols) || !isLayerRecord(ms[l], rows, cols) || !isLayerRecord(vs[l], rows, cols)) return -1
    P += rows * cols + cols
  }
  return P
}

/**
 * True when `adamStepInto` (src/kernels/adam.ts) with `adamStepConstants({ learningRate,
 * ...adamConfig, rescaleGrad }, count)` computes exactly what the checked step would for these
 * arguments, and keeps doing so for `steps` consecutive steps on its own results: the
 * options record `{ learningRate, ...adamConfig, rescaleGrad }` is exactly these five
 * options with valid values (no other key, nothing left to a default; any `rescaleGrad`
 * `1/n` qualifies), `count + steps` is a safe integer, and the params and both moments are
 * arrays of `{ W, b }` records of one shape each.
 *
 * @internal
 */
export const adamNetworkReady = (
  learningRate: unknown,
  adamConfig: unknown,
  state: AdamState,
  params: unknown,
  steps: number,
): boolean => {
  if (typeof adamConfig !== 'object' || adamConfig === null || Array.isArray(adamConfig)) return false
  const keys = Object.keys(adamConfig)
  if (keys.length !== 3) return false
  for (let i = 0; i < 3; i++) {
    const k = keys[i]
    if (k !== 'beta1' && k !== 'beta2' && k !== 'epsilon') return false
  }
  const { beta1, beta2, epsilon } = adamConfig as { readonly beta1: unknown; readonly beta2: unknown; readonly epsilon: unknown }
  if (
    !positiveFinite(learningRate) ||
    typeof beta1 !== 'number' || !unitInterval(beta1) ||
    typeof beta2 !== 'number' || !unitInterval(beta2) ||
    !positiveFinite(epsilon)
  ) {
    return false
  }
  const count = state.count
  if (!isSafeInteger(count) || count < 0 || count > Number.MAX_SAFE_INTEGER - steps) return false
  return networkSize(params, state.m, state.v) >= 0
}
