/**
 * RMSProp (Tieleman and Hinton, "Lecture 6e: rmsprop", COURSERA: Neural Networks for Machine
 * Learning, 2012), exactly as PyTorch's `torch.optim.RMSprop` runs it with its defaults
 * (`momentum=0`, `centered=False`, `weight_decay=0`): the mean square starts at zero, and
 * `epsilon` is added to `sqrt(s)`, outside the square root. The WGAN paper's reference code
 * trains with it.
 *
 * For every parameter entry `w` with gradient entry `grad`:
 *
 * ```
 * g  = rescaleGrad · grad                                 // rescaled gradient
 * s' = rho · s + (1 - rho) · g²                           // mean square (PyTorch: square_avg)
 * w' = w - lr · g / (sqrt(s') + epsilon)                  // the step (new parameters)
 * ```
 *
 * Evaluation order, the contract that fixes the bits (JavaScript has no fused multiply-add,
 * so every operation below rounds once, identically on every machine):
 *
 * ```
 * c  = 1 - rho                                            // once per step
 * g  = grad * rescaleGrad
 * s' = (rho * s) + ((c * g) * g)
 * w' = w - ((lr * g) / (Math.sqrt(s') + epsilon))
 * ```
 *
 * These are the expression trees of PyTorch's single-tensor RMSprop on the CPU:
 * `square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)` (ATen's `addcmul` computes
 * `self + value * t1 * t2`), `avg = square_avg.sqrt().add_(eps)` and
 * `param.addcdiv_(grad, avg, value=-lr)` (`self + value * t1 / t2`, and `w + (-lr·g)/a` is
 * `w - (lr·g)/a` exactly). PyTorch's `alpha` is `rho` here; it has no `rescaleGrad` (its
 * `rescaleGrad: r` is PyTorch on gradients `grad * r`). Bits may differ from PyTorch where it
 * computes in float32 (its usual dtype), where a compiler fuses a multiply and an add (CUDA
 * kernels, and CPU kernels built with contraction), and in its multi-tensor (`foreach`) path.
 *
 * Other frameworks differ: TensorFlow 1's `RMSPropOptimizer` starts the mean square at 1, not
 * 0, and adds epsilon inside the root (`lr · g / sqrt(s' + epsilon)`, default `1e-10`,
 * `decay=0.9`); MXNet/Gluon's `RMSProp` also puts epsilon inside (`sqrt(n + epsilon)`,
 * `gamma1=0.9`); the lecture has no epsilon and suggests 0.9 for `rho`.
 *
 * State: `{ count, meanSquare }`, with `meanSquare` a tree of the structure of the
 * parameters, zero after `init`.
 *
 * @module
 */
import type * as E from '../fp/either.js'
import type { ParamTree } from '../tree/param-tree.js'
import { type Optimizer, orThrowRangeError, positiveFinite, unitInterval, validateOptions } from './optimizer.js'
import { rmspropFlat } from '../kernels/rmsprop.js'
import { oneSlotOptimizer } from './flat-leaf.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link rmsprop}, with PyTorch's defaults.
 *
 * - `learningRate`: finite, `> 0` (required; PyTorch's default `lr=1e-2` is not taken).
 * - `rho` (default `0.99`, PyTorch's `alpha`): in `[0, 1)`, the decay of the mean square.
 * - `epsilon` (default `1e-8`): finite, `> 0`, added to `sqrt(s')`. Zero is refused: with
 *   `epsilon = 0` a zero gradient on the first step gives `0 / 0 = NaN`.
 * - `rescaleGrad` (default `1`): finite, `> 0`, multiplies every gradient first.
 *
 * @category model
 * @since 0.2.0
 */
export interface RmsPropOptions {
  readonly learningRate: number
  readonly rho?: number
  readonly epsilon?: number
  readonly rescaleGrad?: number
}

/**
 * The state of {@link rmsprop}: the number of steps taken and the mean square of the
 * gradients, a tree with the structure and shapes of the parameters.
 *
 * @category model
 * @since 0.2.0
 */
export interface RmsPropState {
  readonly count: number
  readonly meanSquare: ParamTree
}

/**
 * PyTorch's defaults for every optional RMSProp option: `rho = 0.99`, `epsilon = 1e-8`,
 * `rescaleGrad = 1`.
 *
 * @example
 * import { rmspropDefaults } from 'pure-gan'
 * rmspropDefaults.rho // 0.99
 *
 * @category constants
 * @since 0.2.0
 */
export const rmspropDefaults: Readonly<Required<Omit<RmsPropOptions, 'learningRate'>>> = Object.freeze({
  rho: 0.99,
  epsilon: 1e-8,
  rescaleGrad: 1,
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Validates RMSProp options (e.g. from a parsed config file): `Right` with every default
 * filled in, or `Left` with one message per bad option (joined by `; `), each naming the
 * option, its value and the allowed range. Unknown keys are errors (PyTorch's `alpha` is
 * `rho` here).
 *
 * @example
 * import { validateRmsPropOptions } from 'pure-gan'
 * validateRmsPropOptions({ learningRate: 5e-5 })
 * // { _tag: 'Right', right: { learningRate: 5e-5, rho: 0.99, epsilon: 1e-8, rescaleGrad: 1 } }
 * validateRmsPropOptions({ learningRate: 5e-5, rho: 1 })
 * // { _tag: 'Left', left: 'rmsprop: rho must be a number in [0, 1), got 1' }
 *
 * @category validation
 * @since 0.2.0
 */
export const validateRmsPropOptions = (options: unknown): E.Either<string, Required<RmsPropOptions>> =>
  validateOptions<Required<RmsPropOptions>>('rmsprop', options, [
    { name: 'learningRate', range: 'a finite number > 0', ok: positiveFinite },
    { name: 'rho', default: rmspropDefaults.rho, range: 'a number in [0, 1)', ok: unitInterval },
    { name: 'epsilon', default: rmspropDefaults.epsilon, range: 'a finite number > 0', ok: positiveFinite },
    { name: 'rescaleGrad', default: rmspropDefaults.rescaleGrad, range: 'a finite number > 0', ok: positiveFinite },
  ])

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * RMSProp with PyTorch's update rule and defaults: per entry, `g = rescaleGrad · grad`,
 * `s' = rho · s + (1 - rho) · g²`, `w' = w - lr · g / (sqrt(s') + epsilon)` (evaluation order
 * in the module comment). `init` gives `{ count: 0, meanSquare: 0 }` (a zero tree shaped like
 * the parameters); `step` returns the new parameters and `{ count: count + 1, meanSquare: s' }`.
 * Throws a `RangeError` naming the option, its value and the allowed range when an option is
 * invalid; `step` throws a `ShapeError` naming the path and both shapes when `params`, `grads`
 * and the state's mean square do not share one tree structure.
 *
 * The first step from a zero mean square moves every entry with a nonzero gradient by about
 * `lr / sqrt(1 - rho)` against it (10·lr with the default `rho`).
 *
 * @example
 * import { fromArrays, leaves, rmsprop, toArrays } from 'pure-gan'
 * const opt = rmsprop({ learningRate: 0.01, rho: 0.75 })
 * const params = { W: fromArrays([[1, 2]]), b: fromArrays([[0]]) }
 * const grads = { W: fromArrays([[4, -4]]), b: fromArrays([[0]]) }
 * const [next, state] = opt.step(opt.init(params), params, grads)
 * toArrays(next.W) // [[0.9800000001, 2.0199999999]]
 * leaves(state.meanSquare).map(toArrays) // [[[4, 4]], [[0]]]
 * toArrays(next.b) // [[0]]
 * state.count // 1
 *
 * @category constructors
 * @since 0.2.0
 */
export const rmsprop = (options: RmsPropOptions): Optimizer<RmsPropState> =>
  oneSlotOptimizer(rmspropFlat, orThrowRangeError(validateRmsPropOptions(options)), 'meanSquare')
