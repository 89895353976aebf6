/**
 * Stochastic gradient descent with momentum (Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964; as used for deep networks by Sutskever, Martens,
 * Dahl and Hinton, "On the importance of initialization and momentum in deep learning",
 * 2013), in the form of PyTorch's `torch.optim.SGD` with `momentum > 0`, `dampening=0`,
 * `nesterov=False`, `weight_decay=0`: the velocity accumulates gradients, and the learning
 * rate multiplies the velocity.
 *
 * For every parameter entry `w` with gradient entry `grad`:
 *
 * ```
 * g  = rescaleGrad · grad                   // rescaled gradient
 * v' = momentum · v + g                     // velocity (PyTorch: momentum_buffer)
 * w' = w - lr · v'                          // the step (new parameters)
 * ```
 *
 * Evaluation order, the contract that fixes the bits (every operation rounds once):
 *
 * ```
 * g  = grad * rescaleGrad
 * v' = (momentum * v) + g
 * w' = w - (lr * v')
 * ```
 *
 * These are the expression trees of PyTorch's single-tensor SGD on the CPU:
 * `buf.mul_(momentum).add_(grad, alpha=1 - dampening)` (`v·μ + 1·g`, and `1·g` is exact) and
 * `param.add_(buf, alpha=-lr)` (`w + (-lr)·v'`, exactly `w - lr·v'`). PyTorch has no velocity
 * before the first step and sets it to a copy of the gradient; pure-gan starts from a zero
 * velocity, and `momentum · 0 + g` is `g` except that a gradient of `-0` gives a velocity of
 * `+0` (so the two can differ only in the sign of a zero parameter). Bits may differ from
 * PyTorch where it computes in float32 or a compiler fuses a multiply and an add.
 *
 * Goodfellow et al. 2014 trained with pylearn2's `Momentum` rule, which keeps the increment
 * instead: `inc' = μ·inc - lr·g; w' = w + inc'`. With a constant learning rate `inc = -lr·v`
 * exactly, so the two are the same update in exact arithmetic; their roundings differ
 * (pylearn2 rounds `μ·inc`, `lr·g` and their difference), and pure-gan computes PyTorch's.
 * (With a changing rate they differ in exact arithmetic too: PyTorch's form applies the new
 * rate to the whole velocity. pure-gan's rates are constant.) The paper's MNIST configuration
 * also raised `μ` from 0.5 to 0.7 over the first 250 epochs and decayed the rate; pure-gan's
 * `momentum` is one constant.
 *
 * State: `{ count, velocity }`, with `velocity` a tree of the structure of the parameters,
 * zero after `init`.
 *
 * @module
 */
import type * as E from '../fp/either.js'
import type { ParamTree } from '../tree/param-tree.js'
import { type Optimizer, orThrowRangeError, positiveFinite, unitInterval, validateOptions } from './optimizer.js'
import { momentumFlat } from '../kernels/momentum.js'
import { oneSlotOptimizer } from './flat-leaf.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link momentum}.
 *
 * - `learningRate`: finite, `> 0` (required).
 * - `momentum` (default `0.9`): in `[0, 1)`. `0` is plain SGD (bit for bit, up to the sign of
 *   a zero); 0.9 is the conventional constant (Sutskever et al. 2013), where PyTorch's
 *   default of 0 would make this optimiser `sgd`.
 * - `rescaleGrad` (default `1`): finite, `> 0`, multiplies every gradient first.
 *
 * @category model
 * @since 0.2.0
 */
export interface MomentumOptions {
  readonly learningRate: number
  readonly momentum?: number
  readonly rescaleGrad?: number
}

/**
 * The state of {@link momentum}: the number of steps taken and the velocity, a tree with the
 * structure and shapes of the parameters.
 *
 * @category model
 * @since 0.2.0
 */
export interface MomentumState {
  readonly count: number
  readonly velocity: ParamTree
}

/**
 * The defaults of every optional option of SGD with momentum: `momentum = 0.9`,
 * `rescaleGrad = 1`.
 *
 * @example
 * import { momentumDefaults } from 'pure-gan'
 * momentumDefaults.momentum // 0.9
 *
 * @category constants
 * @since 0.2.0
 */
export const momentumDefaults: Readonly<Required<Omit<MomentumOptions, 'learningRate'>>> = Object.freeze({
  momentum: 0.9,
  rescaleGrad: 1,
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Validates options of SGD with momentum (e.g. from a parsed config file): `Right` with every
 * default filled in, or `Left` with one message per bad option (joined by `; `), each naming
 * the option, its value and the allowed range. Unknown keys are errors (there is no
 * `dampening` or `nesterov`).
 *
 * @example
 * import { validateMomentumOptions } from 'pure-gan'
 * validateMomentumOptions({ learningRate: 0.1 })
 * // { _tag: 'Right', right: { learningRate: 0.1, momentum: 0.9, rescaleGrad: 1 } }
 * validateMomentumOptions({ learningRate: 0.1, momentum: 1 })
 * // { _tag: 'Left', left: 'momentum: momentum must be a number in [0, 1), got 1' }
 *
 * @category validation
 * @since 0.2.0
 */
export const validateMomentumOptions = (options: unknown): E.Either<string, Required<MomentumOptions>> =>
  validateOptions<Required<MomentumOptions>>('momentum', options, [
    { name: 'learningRate', range: 'a finite number > 0', ok: positiveFinite },
    { name: 'momentum', default: momentumDefaults.momentum, range: 'a number in [0, 1)', ok: unitInterval },
    { name: 'rescaleGrad', default: momentumDefaults.rescaleGrad, range: 'a finite number > 0', ok: positiveFinite },
  ])

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * SGD with momentum, PyTorch's form: per entry, `g = rescaleGrad · grad`,
 * `v' = momentum · v + g`, `w' = w - lr · v'` (evaluation order in the module comment).
 * `init` gives `{ count: 0, velocity: 0 }` (a zero tree shaped like the parameters); `step`
 * returns the new parameters and `{ count: count + 1, velocity: v' }`. Throws a `RangeError`
 * naming the option, its value and the allowed range when an option is invalid; `step` throws
 * a `ShapeError` naming the path and both shapes when `params`, `grads` and the state's
 * velocity do not share one tree structure.
 *
 * @example
 * import { fromArrays, momentum, toArrays } from 'pure-gan'
 * const opt = momentum({ learningRate: 0.5, momentum: 0.5 })
 * const params = { w: fromArrays([[1, -1]]) }
 * const grads = { w: fromArrays([[1, 2]]) }
 * const [p1, s1] = opt.step(opt.init(params), params, grads)
 * toArrays(p1.w) // [[0.5, -2]]
 * const [p2, s2] = opt.step(s1, p1, grads)
 * toArrays(p2.w) // [[-0.25, -3.5]]
 * s2.count // 2
 *
 * // the second step adds half the first one's velocity: v2 = 0.5·v1 + g
 *
 * @category constructors
 * @since 0.2.0
 */
export const momentum = (options: MomentumOptions): Optimizer<MomentumState> =>
  oneSlotOptimizer(momentumFlat, orThrowRangeError(validateMomentumOptions(options)), 'velocity')
