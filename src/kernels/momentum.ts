/**
 * SGD with momentum's step over a flat block, the one loop every momentum step runs (the
 * checked optimiser on parameter trees in src/optim/momentum.ts, and a network's block in the
 * GAN's steps), and the schedules of its two rates, pure functions of the step count.
 * Equations and the evaluation order that fixes the bits: src/optim/momentum.ts's module
 * comment.
 *
 * @module
 * @internal
 */
import { powInt } from '../elementary/index.js'
import type { FlatOptimizer } from './adam.js'
import type { View } from './view.js'

/**
 * The options of SGD with momentum, all given (what `validateMomentumOptions` yields): the
 * base rates, the learning rate's decay (`decay`, `minLearningRate`) and the momentum's ramp
 * (`finalMomentum`, `rampEvery`, `rampStart`, `rampSaturate`).
 *
 * @internal
 */
export interface MomentumHyperparameters {
  readonly learningRate: number
  readonly momentum: number
  readonly rescaleGrad: number
  readonly decay: number
  readonly minLearningRate: number
  readonly finalMomentum: number
  readonly rampEvery: number
  readonly rampStart: number
  readonly rampSaturate: number
}

/**
 * The rates of one step: its learning rate `lr_k`, its momentum `μ_k` and the gradient's
 * rescaling (what {@link momentumStepInto} reads).
 *
 * @internal
 */
export interface MomentumStepRates {
  readonly learningRate: number
  readonly momentum: number
  readonly rescaleGrad: number
}

/**
 * The period (pylearn2's epoch count as `MomentumAdjustor` sees it) of the step after `count`
 * steps: `p = (count - count mod rampEvery) / rampEvery + 1`, 1 for the first `rampEvery`
 * steps. Exact for every safe integer `count` (the remainder, the difference and the quotient
 * of an exact multiple do not round).
 *
 * @internal
 */
export const momentumPeriod = (count: number, rampEvery: number): number => (count - (count % rampEvery)) / rampEvery + 1

/**
 * The momentum of the step after `count` steps, pylearn2's `MomentumAdjustor.current_momentum`
 * at the period `p` of {@link momentumPeriod}, in this order:
 *
 * ```
 * w  = rampSaturate - rampStart
 * w = 0:  μ_k = p >= rampStart ? finalMomentum : momentum
 * else:   a = (p - rampStart) / w;  α = a < 0 ? 0 : a > 1 ? 1 : a
 *         μ_k = (momentum * (1 - α)) + (α * finalMomentum)
 * ```
 *
 * @internal
 */
export const momentumAt = (h: MomentumHyperparameters, count: number): number => {
  const p = momentumPeriod(count, h.rampEvery)
  const w = h.rampSaturate - h.rampStart
  if (w === 0) return p >= h.rampStart ? h.finalMomentum : h.momentum
  const a = (p - h.rampStart) / w
  const alpha = a < 0 ? 0 : a > 1 ? 1 : a
  return h.momentum * (1 - alpha) + alpha * h.finalMomentum
}

/**
 * The learning rate of the step after `count` steps, pylearn2's `ExponentialDecay` with its
 * floor: `q = learningRate / powInt(decay, count)`, then `lr_k = q <= minLearningRate ?
 * minLearningRate : q` (the larger of the two; a tie, which can differ only in the sign of a
 * zero, goes to the floor, as pylearn2's `new_lr <= min_lr`).
 *
 * @internal
 */
export const learningRateAt = (h: MomentumHyperparameters, count: number): number => {
  const q = h.learningRate / powInt(h.decay, count)
  return q <= h.minLearningRate ? h.minLearningRate : q
}

/**
 * The rates of the step after `count` steps (`k = count`): {@link learningRateAt},
 * {@link momentumAt} and the rescaling.
 *
 * @internal
 */
export const momentumStepRates = (h: MomentumHyperparameters, count: number): MomentumStepRates => ({
  learningRate: learningRateAt(h, count),
  momentum: momentumAt(h, count),
  rescaleGrad: h.rescaleGrad,
})

/**
 * One step of SGD with momentum on `size` entries: `from` is a `[w | v]` block (the
 * parameters, then the velocity, `size` entries each), `grad` the gradient; writes the new
 * `[w' | v']` into `to`, which must not overlap `from` or `grad`. Per entry, in this order,
 * with the step's rates `lr = r.learningRate`, `momentum = r.momentum`:
 *
 * ```
 * g  = grad * rescaleGrad
 * v' = (momentum * v) + g
 * w' = w - (lr * v')
 * ```
 *
 * @internal
 */
export const momentumStepInto = (r: MomentumStepRates, size: number, grad: View, from: View, to: View): void => {
  const { learningRate, momentum, rescaleGrad } = r
  const g = grad.data
  const gOff = grad.off
  const src = from.data
  const w = from.off
  const v = w + size
  const out = to.data
  const wOut = to.off
  const vOut = wOut + size
  for (let i = 0; i < size; i++) {
    const gi = g[gOff + i]! * rescaleGrad
    const vi = momentum * src[v + i]! + gi
    out[vOut + i] = vi
    out[wOut + i] = src[w + i]! - learningRate * vi
  }
}

/**
 * SGD with momentum as a {@link FlatOptimizer}: state `[v]`, the velocity, zero at first (a
 * network's block is `[w | v]`); a step is {@link momentumStepInto} with
 * {@link momentumStepRates} for the count.
 *
 * @internal
 */
export const momentumFlat: FlatOptimizer<MomentumHyperparameters> = Object.freeze({
  name: 'momentum',
  slotsPerParameter: 1,
  init: (size: number, state: View): void => {
    state.data.fill(0, state.off, state.off + size)
  },
  stepInto: (hyper: MomentumHyperparameters, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View): void =>
    momentumStepInto(momentumStepRates(hyper, step.count), step.size, grad, from, to),
})
