/**
 * Pure optimisers over parameter trees: `{ init, step }` records whose `step` returns the
 * new parameters and the new state.
 *
 * @module
 */
export { type Optimizer } from './optimizer.js'
export { type SgdOptions, type SgdState, sgd, validateSgdOptions } from './sgd.js'
export { type AdamOptions, type AdamState, adam, adamDefaults, validateAdamOptions } from './adam.js'
export { type RmsPropOptions, type RmsPropState, rmsprop, rmspropDefaults, validateRmsPropOptions } from './rmsprop.js'
export { type MomentumOptions, type MomentumState, momentum, momentumDefaults, validateMomentumOptions } from './momentum.js'
