/**
 * SGD with momentum's step over a flat block, the one loop every momentum step runs (the
 * checked optimiser on parameter trees in src/optim/momentum.ts, and a network's block in the
 * GAN's steps). Equations and the evaluation order that fixes the bits:
 * src/optim/momentum.ts's module comment.
 *
 * @module
 * @internal
 */
import type { FlatOptimizer } from './adam.js'
import type { View } from './view.js'

/**
 * The three options of SGD with momentum, all given (what `validateMomentumOptions` yields).
 *
 * @internal
 */
export interface MomentumHyperparameters {
  readonly learningRate: number
  readonly momentum: number
  readonly rescaleGrad: number
}

/**
 * One step of SGD with momentum on `size` entries: `from` is a `[w | v]` block (the
 * parameters, then the velocity, `size` entries each), `grad` the gradient; writes the new
 * `[w' | v']` into `to`, which must not overlap `from` or `grad`. Per entry, in this order:
 *
 * ```
 * g  = grad * rescaleGrad
 * v' = (momentum * v) + g
 * w' = w - (lr * v')
 * ```
 *
 * @internal
 */
export const momentumStepInto = (h: MomentumHyperparameters, size: number, grad: View, from: View, to: View): void => {
  const { learningRate, momentum, rescaleGrad } = h
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
 * network's block is `[w | v]`); a step is {@link momentumStepInto}, whatever the count.
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
    momentumStepInto(hyper, step.size, grad, from, to),
})
