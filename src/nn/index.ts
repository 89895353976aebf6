/**
 * Neural-network building blocks: activations as data, the dense layer and its fused
 * kernel, the sequential network with its forward and backward passes, initialisation.
 *
 * The bare `identity` activation of `./activation.js` is not re-exported here: the package
 * root already exports the identity matrix under that name. Use `Activation.identity`.
 *
 * @module
 */
export {
  Activation,
  type ActivationKind,
  activate,
  activationBackward,
  assertActivation,
  leakyRelu,
  relu,
  sigmoid,
  tanh,
} from './activation.js'
export {
  type AffineActivation,
  type DenseGradients,
  type DenseParams,
  affineActivate,
  affineActivateWithPre,
  denseBackward,
  denseForward,
} from './dense.js'
export { type InitOptions, initNetwork } from './init.js'
export { type BatchNormStats, type RunningStats, initialRunningStats } from './batchnorm.js'
export { maxoutBackward, maxoutForward } from './maxout.js'
export {
  type BackwardResult,
  type BatchNormLayerSpec,
  type DenseLayerSpec,
  type ForwardCache,
  type ForwardResult,
  type LayerCache,
  type LayerSpec,
  type MaxoutLayerSpec,
  type NetworkParams,
  type NetworkSpec,
  backward,
  forward,
  outputSize,
  paramShapes,
  predict,
  validateParams,
  validateSpec,
} from './network.js'
