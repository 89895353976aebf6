/**
 * Stochastic gradient descent with momentum (Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964; as used for deep networks by Sutskever, Martens,
 * Dahl and Hinton, "On the importance of initialization and momentum in deep learning",
 * 2013), in the form of PyTorch's `torch.optim.SGD` with `momentum > 0`, `dampening=0`,
 * `nesterov=False`, `weight_decay=0`: the velocity accumulates gradients, and the learning
 * rate multiplies the velocity. Optionally the learning rate decays and the momentum ramps
 * up with the step count, as in Goodfellow et al. 2014's MNIST run (pylearn2's
 * `ExponentialDecay` and `MomentumAdjustor`).
 *
 * For every parameter entry `w` with gradient entry `grad`, at the step after `k` steps
 * (`k = count`, 0-based), with that step's rates `lr_k` and `μ_k`:
 *
 * ```
 * g  = rescaleGrad · grad                   // rescaled gradient
 * v' = μ_k · v + g                          // velocity (PyTorch: momentum_buffer)
 * w' = w - lr_k · v'                        // the step (new parameters)
 * ```
 *
 * The schedules, pure functions of `k` (so every step is a pure transition of the state, and
 * a resumed run steps with the same rates as an unbroken one):
 *
 * ```
 * lr_k = max(minLearningRate, learningRate / decay^k)
 * p    = floor(k / rampEvery) + 1                                   // the period ("epoch")
 * α    = clamp((p - rampStart) / (rampSaturate - rampStart), 0, 1)
 * μ_k  = momentum · (1 - α) + α · finalMomentum                     // rampSaturate > rampStart
 * μ_k  = p >= rampStart ? finalMomentum : momentum                  // rampSaturate = rampStart
 * ```
 *
 * With the defaults (`decay = 1`, `minLearningRate = 0`, `finalMomentum = momentum`,
 * `rampEvery = 1`, `rampStart = rampSaturate = 0`) `lr_k = learningRate` and
 * `μ_k = momentum` exactly, bit for bit, at every `k`.
 *
 * Evaluation order, the contract that fixes the bits (every operation rounds once):
 *
 * ```
 * q    = learningRate / powInt(decay, k)         // pure-gan's exact-integer power
 * lr_k = q <= minLearningRate ? minLearningRate : q
 * p    = (k - (k % rampEvery)) / rampEvery + 1   // exact for safe integers
 * w    = rampSaturate - rampStart                // exact (safe integers)
 * w = 0:  μ_k = p >= rampStart ? finalMomentum : momentum
 * else:   a = (p - rampStart) / w;  α = a < 0 ? 0 : a > 1 ? 1 : a
 *         μ_k = (momentum * (1 - α)) + (α * finalMomentum)
 * g  = grad * rescaleGrad
 * v' = (μ_k * v) + g
 * w' = w - (lr_k * v')
 * ```
 *
 * The rates are computed once per step (per call of the flat kernel), not per entry.
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
 * exactly (whatever the momentum of each step), so the two are the same update in exact
 * arithmetic; their roundings differ (pylearn2 rounds `μ·inc`, `lr·g` and their difference),
 * and pure-gan computes PyTorch's. With a decaying rate (`decay > 1`) they differ in exact
 * arithmetic too: PyTorch's form applies step `k`'s rate to the whole velocity,
 * `w' = w - lr_k·Σ_j (Π μ)·g_j`, where pylearn2's applies each gradient's own step's rate,
 * `w' = w - Σ_j (Π μ)·lr_j·g_j`. pylearn2 also computes in float32 (floatX): its rates are
 * rounded to float32 before each step, pure-gan's are doubles.
 *
 * The schedules are pylearn2's: `ExponentialDecay` divides the base rate by
 * `decay_factor ** count` after each update (so the first update has the base rate, update
 * `k` has `base / decay^k`) and stops at `min_lr`; `MomentumAdjustor` computes
 * `current_momentum()` from a count that its first `on_monitor`, which `Train.main_loop` runs
 * once before the first epoch, sets to 1, and each later `on_monitor` (after each epoch)
 * raises: epoch `e` (from 1) trains with count `e`, which is `p` above when `rampEvery` is the
 * number of updates per epoch. Differences: pylearn2's floor is sticky (once reached it stays,
 * which equals `max` while `learningRate / decay^k` does not rise, as it does not for
 * `decay >= 1`); its first update uses the base rate even when `min_lr` is larger, where
 * pure-gan's `max` already applies at `k = 0`.
 *
 * State: `{ count, velocity }`, with `velocity` a tree of the structure of the parameters,
 * zero after `init`.
 *
 * @module
 */
import * as E from '../fp/either.js'
import type { ParamTree } from '../tree/param-tree.js'
import { isFiniteNumber, isSafeInteger } from '../validate/numbers.js'
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
 * The schedules (since 0.5.0; module comment), functions of the step count `k`:
 *
 * - `decay` (default `1`, no decay): finite, `>= 1`; step `k`'s rate is
 *   `max(minLearningRate, learningRate / decay^k)` (pylearn2's `ExponentialDecay`
 *   `decay_factor`).
 * - `minLearningRate` (default `0`): finite, `>= 0`, the floor of the rate (pylearn2's
 *   `min_lr`).
 * - `finalMomentum` (default `momentum`): in `[0, 1)`, the momentum the ramp ends at.
 * - `rampEvery` (default `1`): a safe integer `>= 1`, the steps of one period (e.g. of one
 *   epoch); step `k` is in period `p = floor(k / rampEvery) + 1`.
 * - `rampStart`, `rampSaturate` (default `0` each): safe integers, `0 <= rampStart <=
 *   rampSaturate`, the periods where the ramp from `momentum` to `finalMomentum` starts and
 *   ends (pylearn2's `MomentumAdjustor` `start` and `saturate`, in epochs).
 *
 * @category model
 * @since 0.2.0
 */
export interface MomentumOptions {
  readonly learningRate: number
  readonly momentum?: number
  readonly rescaleGrad?: number
  readonly decay?: number
  readonly minLearningRate?: number
  readonly finalMomentum?: number
  readonly rampEvery?: number
  readonly rampStart?: number
  readonly rampSaturate?: number
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
 * The defaults of the optional options of SGD with momentum: `momentum = 0.9`,
 * `rescaleGrad = 1`, and the schedules' (since 0.5.0), which leave both rates constant:
 * `decay = 1`, `minLearningRate = 0`, `rampEvery = 1`, `rampStart = 0`, `rampSaturate = 0`.
 * (`finalMomentum`'s default is the options' `momentum`.)
 *
 * @example
 * import { momentumDefaults } from 'pure-gan'
 * momentumDefaults.momentum // 0.9
 * momentumDefaults.decay // 1
 *
 * @category constants
 * @since 0.2.0
 */
export const momentumDefaults: Readonly<Required<Omit<MomentumOptions, 'learningRate' | 'finalMomentum'>>> = Object.freeze({
  momentum: 0.9,
  rescaleGrad: 1,
  decay: 1,
  minLearningRate: 0,
  rampEvery: 1,
  rampStart: 0,
  rampSaturate: 0,
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** The allowed range, in words, of each option of SGD with momentum (also the config's). */
const RANGES = {
  decay: 'a finite number >= 1',
  minLearningRate: 'a finite number >= 0',
  finalMomentum: 'a number in [0, 1)',
  rampEvery: 'a safe integer >= 1',
  rampStart: 'a safe integer >= 0',
  rampSaturate: 'a safe integer >= 0',
} as const

/**
 * The schedule options of SGD with momentum, each with its default (`undefined`:
 * `finalMomentum`, whose default is `momentum`), its range in words and its test (which the
 * caller applies to finite numbers only): the one table that `validateMomentumOptions` and
 * the GAN config's check read.
 *
 * @internal
 */
export const MOMENTUM_SCHEDULE_OPTIONS: ReadonlyArray<readonly [name: string, fallback: number | undefined, range: string, ok: (x: number) => boolean]> = Object.freeze([
  ['decay', momentumDefaults.decay, RANGES.decay, (x: number) => x >= 1],
  ['minLearningRate', momentumDefaults.minLearningRate, RANGES.minLearningRate, (x: number) => x >= 0],
  ['finalMomentum', undefined, RANGES.finalMomentum, unitInterval],
  ['rampEvery', momentumDefaults.rampEvery, RANGES.rampEvery, (x: number) => isSafeInteger(x) && x >= 1],
  ['rampStart', momentumDefaults.rampStart, RANGES.rampStart, (x: number) => isSafeInteger(x) && x >= 0],
  ['rampSaturate', momentumDefaults.rampSaturate, RANGES.rampSaturate, (x: number) => isSafeInteger(x) && x >= 0],
] as const)

/**
 * The problem of a ramp that saturates before it starts (pylearn2 refuses it too), as
 * `rampSaturate must be ...` without a prefix, or `null` when `rampSaturate >= rampStart`.
 * For valid `rampStart` and `rampSaturate` (absent ones are their defaults, 0).
 *
 * @internal
 */
export const momentumRampProblem = (rampStart: number, rampSaturate: number, where = ''): string | null =>
  rampSaturate >= rampStart ? null : `rampSaturate must be ${RANGES.rampSaturate} and >= rampStart (${rampStart})${where}, got ${rampSaturate}`

/** The schedule's two groups of options: the learning rate's decay, the momentum's ramp. */
const SCHEDULE_GROUPS: ReadonlyArray<ReadonlyArray<string>> = [
  ['decay', 'minLearningRate'],
  ['finalMomentum', 'rampEvery', 'rampStart', 'rampSaturate'],
]

/**
 * A momentum spec of the GAN's config with each schedule group that names at least one of
 * its options completed with the defaults of the others (`finalMomentum`'s is the spec's
 * `momentum`), and a group it does not name left out: so run.json records a schedule whole
 * when a config uses one, and a config without one keeps the record it had before 0.5.0
 * (which `pure-gan verify` compares). Fresh record; the keys in the order of
 * {@link MOMENTUM_SCHEDULE_OPTIONS}, after the spec's others.
 *
 * @internal
 */
export const withMomentumScheduleDefaults = <S extends { readonly momentum: number }>(spec: S): S => {
  const o = spec as unknown as { readonly [key: string]: unknown }
  const named = new Set(SCHEDULE_GROUPS.filter((group) => group.some((name) => Object.hasOwn(o, name))).flat())
  const out: { [key: string]: unknown } = {}
  for (const [key, value] of Object.entries(o)) if (!named.has(key)) out[key] = value
  for (const [name, fallback] of MOMENTUM_SCHEDULE_OPTIONS) {
    if (named.has(name)) out[name] = Object.hasOwn(o, name) ? o[name] : (fallback ?? spec.momentum)
  }
  return out as unknown as S
}

/**
 * Validates options of SGD with momentum (e.g. from a parsed config file): `Right` with every
 * default filled in (`finalMomentum`'s is `momentum`), or `Left` with one message per bad
 * option (joined by `; `), each naming the option, its value and the allowed range; when every
 * option is in its range, a ramp with `rampSaturate < rampStart` is one more such message.
 * Unknown keys are errors (there is no `dampening` or `nesterov`).
 *
 * @example
 * import { validateMomentumOptions } from 'pure-gan'
 * validateMomentumOptions({ learningRate: 0.1 })
 * // { _tag: 'Right', right: { learningRate: 0.1, momentum: 0.9, rescaleGrad: 1, decay: 1, minLearningRate: 0, finalMomentum: 0.9, rampEvery: 1, rampStart: 0, rampSaturate: 0 } }
 * validateMomentumOptions({ learningRate: 0.1, momentum: 1 })
 * // { _tag: 'Left', left: 'momentum: momentum must be a number in [0, 1), got 1' }
 * validateMomentumOptions({ learningRate: 0.1, decay: 0.5 })
 * // { _tag: 'Left', left: 'momentum: decay must be a finite number >= 1, got 0.5' }
 *
 * @category validation
 * @since 0.2.0
 */
export const validateMomentumOptions = (options: unknown): E.Either<string, Required<MomentumOptions>> => {
  const checked = validateOptions<Omit<Required<MomentumOptions>, 'finalMomentum'> & { readonly finalMomentum?: number }>('momentum', options, [
    { name: 'learningRate', range: 'a finite number > 0', ok: positiveFinite },
    { name: 'momentum', default: momentumDefaults.momentum, range: 'a number in [0, 1)', ok: unitInterval },
    { name: 'rescaleGrad', default: momentumDefaults.rescaleGrad, range: 'a finite number > 0', ok: positiveFinite },
    ...MOMENTUM_SCHEDULE_OPTIONS.map(([name, fallback, range, ok]) =>
      fallback === undefined ? { name, optional: true as const, range, ok: (x: number) => isFiniteNumber(x) && ok(x) } : { name, default: fallback, range, ok: (x: number) => isFiniteNumber(x) && ok(x) },
    ),
  ])
  if (E.isLeft(checked)) return checked
  const o = checked.right
  const problem = momentumRampProblem(o.rampStart, o.rampSaturate)
  if (problem !== null) return E.left(`momentum: ${problem}`)
  return E.right(
    Object.freeze({
      learningRate: o.learningRate,
      momentum: o.momentum,
      rescaleGrad: o.rescaleGrad,
      decay: o.decay,
      minLearningRate: o.minLearningRate,
      finalMomentum: o.finalMomentum ?? o.momentum,
      rampEvery: o.rampEvery,
      rampStart: o.rampStart,
      rampSaturate: o.rampSaturate,
    }),
  )
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * SGD with momentum, PyTorch's form: per entry, `g = rescaleGrad · grad`,
 * `v' = μ_k · v + g`, `w' = w - lr_k · v'`, with the rates of step `k = count` from the
 * schedules (`lr_k = max(minLearningRate, learningRate / decay^k)`, `μ_k` ramped from
 * `momentum` to `finalMomentum`; both constant by default; evaluation order in the module
 * comment).
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
 * // a rate halved at every step, and the momentum 0 in period 1, 0.5 from period 2 on
 * const sched = momentum({ learningRate: 1, decay: 2, momentum: 0, finalMomentum: 0.5, rampEvery: 1, rampStart: 1, rampSaturate: 2 })
 * const [q1, t1] = sched.step(sched.init(params), params, grads)
 * toArrays(q1.w) // [[0, -3]]
 * const [q2] = sched.step(t1, q1, grads)
 * toArrays(q2.w) // [[-0.75, -4.5]]
 *
 * @category constructors
 * @since 0.2.0
 */
export const momentum = (options: MomentumOptions): Optimizer<MomentumState> =>
  oneSlotOptimizer(momentumFlat, orThrowRangeError(validateMomentumOptions(options)), 'velocity')
