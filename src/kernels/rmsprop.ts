/**
 * RMSProp's step over a flat block, the one loop every RMSProp step runs (the checked
 * optimiser on parameter trees in src/optim/rmsprop.ts, and a network's block in the GAN's
 * steps). Equations and the evaluation order that fixes the bits: src/optim/rmsprop.ts's
 * module comment.
 *
 * @module
 * @internal
 */
import type { FlatOptimizer } from './adam.js'
import type { View } from './view.js'

/**
 * RMSProp's four options, all given (what `validateRmsPropOptions` yields).
 *
 * @internal
 */
export interface RmsPropHyperparameters {
  readonly learningRate: number
  readonly rho: number
  readonly epsilon: number
  readonly rescaleGrad: number
}

/**
 * One RMSProp step on `size` entries: `from` is a `[w | s]` block (the parameters, then the
 * mean square, `size` entries each), `grad` the gradient; writes the new `[w' | s']` into
 * `to`, which must not overlap `from` or `grad`. With `c = 1 - rho` (once per call), per
 * entry, in this order:
 *
 * ```
 * g  = grad * rescaleGrad
 * s' = (rho * s) + ((c * g) * g)
 * w' = w - ((lr * g) / (Math.sqrt(s') + epsilon))
 * ```
 *
 * @internal
 */
export const rmspropStepInto = (h: RmsPropHyperparameters, size: number, grad: View, from: View, to: View): void => {
  const { learningRate, rho, epsilon, rescaleGrad } = h
  const c = 1 - rho
  const g = grad.data
  const gOff = grad.off
  const src = from.data
  const w = from.off
  const s = w + size
  const out = to.data
  const wOut = to.off
  const sOut = wOut + size
  for (let i = 0; i < size; i++) {
    const gi = g[gOff + i]! * rescaleGrad
    const si = rho * src[s + i]! + c * gi * gi
    out[sOut + i] = si
    out[wOut + i] = src[w + i]! - (learningRate * gi) / (Math.sqrt(si) + epsilon)
  }
}

/**
 * RMSProp as a {@link FlatOptimizer}: state `[s]`, the mean square, zero at first (PyTorch's
 * initial square average; a network's block is `[w | s]`); a step is {@link rmspropStepInto},
 * whatever the count.
 *
 * @internal
 */
export const rmspropFlat: FlatOptimizer<RmsPropHyperparameters> = Object.freeze({
  name: 'rmsprop',
  slotsPerParameter: 1,
  init: (size: number, state: View): void => {
    state.data.fill(0, state.off, state.off + size)
  },
  stepInto: (hyper: RmsPropHyperparameters, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View): void =>
    rmspropStepInto(hyper, step.size, grad, from, to),
})
