/**
 * SGD with momentum and its two schedules written out from docs/optimizers.md ("SGD with
 * momentum", "The schedules") as a plain loop over numbers: an oracle for
 * src/kernels/momentum.ts and src/optim/momentum.ts. It shares no code with them but the
 * project's `powInt`, which the docs name as the definition of `decay^k`.
 *
 * For the step after `k` steps (`k = count`, 0-based):
 *
 * ```
 * lr_k = max(minLearningRate, learningRate / decay^k)          (a tie goes to the floor)
 * p    = floor(k / rampEvery) + 1                               (here with BigInt: exact)
 * α    = clamp((p - rampStart) / (rampSaturate - rampStart), 0, 1)
 * μ_k  = momentum·(1 - α) + α·finalMomentum   when rampSaturate > rampStart
 * μ_k  = p >= rampStart ? finalMomentum : momentum   when rampSaturate = rampStart
 * g  = grad·rescaleGrad;  v' = μ_k·v + g;  w' = w - lr_k·v'
 * ```
 */
import { powInt } from '../../src/elementary/index.js'

/** Every option given. */
export interface ScheduledMomentum {
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

/** The rate of step `k`: the larger of the floor and `learningRate / decay^k`, the floor on a tie. */
export const referenceLearningRate = (o: ScheduledMomentum, k: number): number => {
  const decayed = o.learningRate / powInt(o.decay, k)
  return decayed > o.minLearningRate ? decayed : o.minLearningRate
}

/** The momentum of step `k`: pylearn2's `current_momentum()` at the period (epoch) of step `k`. */
export const referenceMomentum = (o: ScheduledMomentum, k: number): number => {
  const period = Number(BigInt(k) / BigInt(o.rampEvery)) + 1
  if (o.rampSaturate === o.rampStart) {
    if (period >= o.rampStart) return o.finalMomentum
    return o.momentum
  }
  let alpha = (period - o.rampStart) / (o.rampSaturate - o.rampStart)
  if (alpha < 0) alpha = 0
  if (alpha > 1) alpha = 1
  return o.momentum * (1 - alpha) + alpha * o.finalMomentum
}

/**
 * Steps `grads.length` times from count `count0`, parameters `w0` and velocity `v0` (each a
 * flat array): the final parameters and velocity.
 */
export const referenceScheduledMomentum = (
  o: ScheduledMomentum,
  count0: number,
  w0: ReadonlyArray<number>,
  v0: ReadonlyArray<number>,
  grads: ReadonlyArray<ReadonlyArray<number>>,
): { w: number[]; v: number[] } => {
  const w = [...w0]
  const v = [...v0]
  for (let s = 0; s < grads.length; s++) {
    const lr = referenceLearningRate(o, count0 + s)
    const mu = referenceMomentum(o, count0 + s)
    for (let i = 0; i < w.length; i++) {
      const g = grads[s]![i]! * o.rescaleGrad
      v[i] = mu * v[i]! + g
      w[i] = w[i]! - lr * v[i]!
    }
  }
  return { w, v }
}
