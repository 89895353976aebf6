/**
 * Adam's step over a flat block, the one loop every Adam step runs (the checked optimiser
 * on parameter trees in src/optim/adam.ts and the GAN's steps on whole networks). Equations
 * and the evaluation order that fixes the bits: src/optim/adam.ts's module comment.
 *
 * @module
 * @internal
 */
import { powInt } from '../elementary/index.js'
import type { View } from './view.js'

/**
 * The constants of one Adam step: `c1 = 1 − beta1`, `c2 = 1 − beta2`, and the bias-corrected
 * rate `lrT = lr · (sqrt(1 − beta2^t) / (1 − beta1^t))` for step `t`.
 *
 * @internal
 */
export interface AdamStepConstants {
  readonly beta1: number
  readonly beta2: number
  readonly c1: number
  readonly c2: number
  readonly lrT: number
  readonly epsilon: number
  readonly rescaleGrad: number
}

/**
 * Adam's five options, all given (what `validateAdamOptions` yields).
 *
 * @internal
 */
export interface AdamHyperparameters {
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  readonly epsilon: number
  readonly rescaleGrad: number
}

/**
 * The constants of the step after `count` steps: `t = count + 1`,
 * `lrT = lr * (Math.sqrt(1 - powInt(beta2, t)) / (1 - powInt(beta1, t)))` (Gluon's grouping).
 *
 * @internal
 */
export const adamStepConstants = (h: AdamHyperparameters, count: number): AdamStepConstants => {
  const { learningRate, beta1, beta2, epsilon, rescaleGrad } = h
  const t = count + 1
  const lrT = learningRate * (Math.sqrt(1 - powInt(beta2, t)) / (1 - powInt(beta1, t)))
  return { beta1, beta2, c1: 1 - beta1, c2: 1 - beta2, lrT, epsilon, rescaleGrad }
}

/**
 * One Adam step on `size` entries: `from` is a `[w | m | v]` block (the parameters, then the
 * two moments, `size` entries each), `grad` the gradient; writes the new `[w' | m' | v']`
 * into `to`, which must not overlap `from` or `grad`. Per entry, in this order:
 *
 * ```
 * g  = grad * rescaleGrad
 * m' = (beta1 * m) + (c1 * g)
 * v' = (beta2 * v) + ((c2 * g) * g)
 * w' = w - ((lrT * m') / (Math.sqrt(v') + epsilon))
 * ```
 *
 * @internal
 */
export const adamStepInto = (k: AdamStepConstants, size: number, grad: View, from: View, to: View): void => {
  const { beta1, beta2, c1, c2, lrT, epsilon, rescaleGrad } = k
  const g = grad.data
  const gOff = grad.off
  const src = from.data
  const w = from.off
  const m = w + size
  const v = m + size
  const out = to.data
  const wOut = to.off
  const mOut = wOut + size
  const vOut = mOut + size
  for (let i = 0; i < size; i++) {
    const gi = g[gOff + i]! * rescaleGrad
    const mi = beta1 * src[m + i]! + c1 * gi
    const vi = beta2 * src[v + i]! + c2 * gi * gi
    out[mOut + i] = mi
    out[vOut + i] = vi
    out[wOut + i] = src[w + i]! - (lrT * mi) / (Math.sqrt(vi) + epsilon)
  }
}

/**
 * An optimiser over a flat block, the form the GAN's steps take: a network's block is
 * `[w | state]`, the parameters followed by `slotsPerParameter` more entries per parameter
 * (Adam: its two moments), and `stepInto` writes the next `[w' | state']` into `to`, given the
 * gradient and the step count so far. `init` writes a fresh state for `size` parameters into
 * `state` (`slotsPerParameter · size` entries).
 *
 * @internal
 */
export interface FlatOptimizer<H> {
  readonly name: string
  readonly slotsPerParameter: number
  readonly init: (size: number, state: View) => void
  readonly stepInto: (hyper: H, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View) => void
}

/**
 * Adam as a {@link FlatOptimizer}: state `[m | v]`, zero at first; a step is
 * {@link adamStepInto} with {@link adamStepConstants} for the count.
 *
 * @internal
 */
export const adamFlat: FlatOptimizer<AdamHyperparameters> = Object.freeze({
  name: 'adam',
  slotsPerParameter: 2,
  init: (size: number, state: View): void => {
    state.data.fill(0, state.off, state.off + 2 * size)
  },
  stepInto: (hyper: AdamHyperparameters, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View): void =>
    adamStepInto(adamStepConstants(hyper, step.count), step.size, grad, from, to),
})
