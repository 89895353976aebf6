/**
 * The optimiser of one network as the GAN's steps run it: which flat optimiser (adam.ts,
 * rmsprop.ts, momentum.ts, sgd.ts) and its rates, and the one step that dispatches to its
 * kernel. A network's block is `[w | state]`, the parameters then `slotsOf(kind)` more
 * entries per parameter (Adam `[m | v]`, RMSProp `[s]`, momentum `[v]`, SGD nothing).
 *
 * @module
 * @internal
 */
import { type AdamHyperparameters, adamFlat } from './adam.js'
import { type MomentumHyperparameters, momentumFlat } from './momentum.js'
import { type RmsPropHyperparameters, rmspropFlat } from './rmsprop.js'
import { type SgdHyperparameters, sgdFlat } from './sgd.js'
import type { View } from './view.js'

/**
 * A network's optimiser: its kind and its rates (all options but the batch's rescaling,
 * which each step sets to `1/rows`).
 *
 * @internal
 */
export type StepOptimizer =
  | { readonly kind: 'adam'; readonly rates: Omit<AdamHyperparameters, 'rescaleGrad'> }
  | { readonly kind: 'rmsprop'; readonly rates: Omit<RmsPropHyperparameters, 'rescaleGrad'> }
  | { readonly kind: 'momentum'; readonly rates: Omit<MomentumHyperparameters, 'rescaleGrad'> }
  | { readonly kind: 'sgd'; readonly rates: Omit<SgdHyperparameters, 'rescaleGrad'> }

/**
 * A {@link StepOptimizer} bound to a batch's rescaling: the hyperparameters its kernel takes.
 *
 * @internal
 */
export type BoundOptimizer =
  | { readonly kind: 'adam'; readonly hyper: AdamHyperparameters }
  | { readonly kind: 'rmsprop'; readonly hyper: RmsPropHyperparameters }
  | { readonly kind: 'momentum'; readonly hyper: MomentumHyperparameters }
  | { readonly kind: 'sgd'; readonly hyper: SgdHyperparameters }

/**
 * State entries per parameter of an optimiser kind (its flat record's `slotsPerParameter`).
 *
 * @internal
 */
export const slotsOf = (kind: StepOptimizer['kind']): number => {
  switch (kind) {
    case 'adam':
      return adamFlat.slotsPerParameter
    // Stryker disable next-line ConditionalExpression: E-NOOP falls to momentum's, also 1 slot
    case 'rmsprop':
      return rmspropFlat.slotsPerParameter
    case 'momentum':
      return momentumFlat.slotsPerParameter
    case 'sgd':
      return sgdFlat.slotsPerParameter
  }
}

/**
 * `o` with `rescaleGrad` (each step's `1/rows`).
 *
 * @internal
 */
export const boundOptimizer = (o: StepOptimizer, rescaleGrad: number): BoundOptimizer =>
  ({ kind: o.kind, hyper: { ...o.rates, rescaleGrad } }) as BoundOptimizer

/**
 * One step of the bound optimiser after `step.count` steps on `step.size` parameters: from the
 * `[w | state]` block `from` and the gradient `grad`, the next `[w' | state']` into `to` (which
 * overlaps neither), by the kind's flat kernel.
 *
 * @internal
 */
export const optimizerStepInto = (o: BoundOptimizer, step: { readonly count: number; readonly size: number }, grad: View, from: View, to: View): void => {
  switch (o.kind) {
    case 'adam':
      return adamFlat.stepInto(o.hyper, step, grad, from, to)
    case 'rmsprop':
      return rmspropFlat.stepInto(o.hyper, step, grad, from, to)
    case 'momentum':
      return momentumFlat.stepInto(o.hyper, step, grad, from, to)
    case 'sgd':
      return sgdFlat.stepInto(o.hyper, step, grad, from, to)
  }
}
