/**
 * Plain stochastic gradient descent.
 *
 * For every parameter entry `w` with gradient entry `grad`:
 *
 * ```
 * g  = grad * rescaleGrad      // the rescaled gradient, one rounding
 * w' = w - lr * g              // i.e. w - lr * (rescaleGrad * grad)
 * ```
 *
 * Evaluation order, the contract that fixes the bits: `w' = w - (lr * (grad * rescaleGrad))`,
 * three roundings, in this order, nothing precomputed. (MXNet's `sgd_update` kernel,
 * with `wd = 0`, computes `w - (lr * rescale_grad) * grad` instead; the two agree bit for
 * bit whenever `rescaleGrad` is a power of two, e.g. `1` or `1/8`, and otherwise differ by
 * at most a rounding.) Rescaling the gradient first makes `rescaleGrad = r` on grads `g`
 * bit-identical to `rescaleGrad = 1` on grads `r * g`, the same law Adam satisfies.
 *
 * @module
 */
import type * as E from '../fp/either.js'
import { type Matrix, dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type ParamTree, zipTrees } from '../tree/param-tree.js'
import { type Optimizer, checkCount, orThrowRangeError, positiveFinite, validateOptions } from './optimizer.js'
import { sgdStepInto } from '../kernels/sgd.js'
import { viewOf } from '../kernels/view.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link sgd}. `learningRate` is finite and `> 0`; `rescaleGrad` (default `1`)
 * is finite and `> 0`. Gluon's `trainer.step(batchSize)` corresponds to
 * `rescaleGrad: 1 / batchSize`.
 *
 * @category model
 * @since 0.1.0
 */
export interface SgdOptions {
  readonly learningRate: number
  readonly rescaleGrad?: number
}

/**
 * The state of {@link sgd}: only the number of steps taken.
 *
 * @category model
 * @since 0.1.0
 */
export interface SgdState {
  readonly count: number
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Validates SGD options (e.g. from a parsed config file): `Right` with every default filled
 * in, or `Left` with a message naming each bad option, its value and the allowed range.
 * Unknown keys are errors.
 *
 * @example
 * import { validateSgdOptions } from 'pure-gan'
 * validateSgdOptions({ learningRate: 0.1 })
 * // { _tag: 'Right', right: { learningRate: 0.1, rescaleGrad: 1 } }
 * validateSgdOptions({ learningRate: -1 })
 * // { _tag: 'Left', left: 'sgd: learningRate must be a finite number > 0, got -1' }
 *
 * @category validation
 * @since 0.1.0
 */
export const validateSgdOptions = (options: unknown): E.Either<string, Required<SgdOptions>> =>
  validateOptions<Required<SgdOptions>>('sgd', options, [
    { name: 'learningRate', range: 'a finite number > 0', ok: positiveFinite },
    { name: 'rescaleGrad', default: 1, range: 'a finite number > 0', ok: positiveFinite },
  ])

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * Stochastic gradient descent: `w' = w - lr * (rescaleGrad * grad)`, evaluated as
 * `w - (lr * (grad * rescaleGrad))` (see the module comment). `step` returns the new
 * parameters. Throws a `RangeError` naming the option, its value and the allowed range
 * when an option is invalid.
 *
 * @example
 * import { fromArrays, sgd, toArrays } from 'pure-gan'
 * const opt = sgd({ learningRate: 0.5, rescaleGrad: 1 / 8 })
 * const params = { w: fromArrays([[1, -1]]) }
 * const [next, state] = opt.step(opt.init(params), params, { w: fromArrays([[8, 16]]) })
 * toArrays(next.w) // [[0.5, -2]]
 * state.count // 1
 *
 * @category constructors
 * @since 0.1.0
 */
export const sgd = (options: SgdOptions): Optimizer<SgdState> => {
  const hyper = orThrowRangeError(validateSgdOptions(options))

  // w' = w - lr · (grad · rescaleGrad): sgdStepInto (src/kernels/sgd.ts) on the leaf's own
  // entries (SGD's block is `[w]`, no state), into a fresh array.
  const leaf = (w: Matrix, grad: Matrix): Matrix => {
    const wData = dataOf(w)
    const out = new Float64Array(wData.length)
    sgdStepInto(hyper, out.length, viewOf(dataOf(grad)), viewOf(wData), viewOf(out))
    return unsafeFromFloat64Array(w.rows, w.cols, out)
  }

  return Object.freeze({
    init: (): SgdState => Object.freeze({ count: 0 }),
    step: <P extends ParamTree>(state: SgdState, params: P, grads: P): readonly [P, SgdState] => {
      checkCount('sgd.step', state.count)
      const next = zipTrees('sgd.step: params vs grads', [params, grads], (ls) => leaf(ls[0]!, ls[1]!))
      return Object.freeze([next, Object.freeze({ count: state.count + 1 })] as const)
    },
  })
}
