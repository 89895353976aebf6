/**
 * Plain SGD's step over a flat block, the one loop every SGD step runs (the checked optimiser
 * on parameter trees in src/optim/sgd.ts, and a network's block in the GAN's steps). Equation
 * and evaluation order: src/optim/sgd.ts's module comment.
 *
 * @module
 * @internal
 */
import type { FlatOptimizer } from './adam.js'
import type { View } from './view.js'

/**
 * SGD's two options, both given (what `validateSgdOptions` yields).
 *
 * @internal
 */
export interface SgdHyperparameters {
  readonly learningRate: number
  readonly rescaleGrad: number
}

/**
 * One SGD step on `size` entries: `from` is a `[w]` block (the parameters only; SGD keeps no
 * state), `grad` the gradient; writes `w'` into `to`, which must not overlap `from` or `grad`.
 * Per entry, three roundings in this order:
 *
 * ```
 * w' = w - (lr * (grad * rescaleGrad))
 * ```
 *
 * @internal
 */
export const sgdStepInto = (h: SgdHyperparameters, size: number, grad: View, from: View, to: View): void => {
  const { learningRate, rescaleGrad } = h
  const g = grad.data
  const gOff = grad.off
  const src = from.data
  const w = from.off
  const out = to.data
  const wOut = to.off
  for (let i = 0; i < size; i++) {
    out[wOut + i] = src[w + i]! - learningRate * (g[gOff + i]! * rescaleGrad)
  }
}

/**
 * Plain SGD as a {@link FlatOptimizer}: no state (`slotsPerParameter` 0, a network's block is
 * just `[w]`, and `init` writes nothing); a step is {@link sgdStepInto}, whatever the count.
 *
 * @internal
 */
export const sgdFlat: FlatOptimizer<SgdHyperparameters> = Object.freeze({
  name: 'sgd',
  slotsPerParameter: 0,
  init: (): void => {},
  stepInto: (hyper: SgdHyperparameters, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View): void =>
    sgdStepInto(hyper, step.size, grad, from, to),
})
