/**
 * Losses with their derivatives.
 *
 * @module
 */
export { type Labels, sigmoidBce, sigmoidBceGrad, sigmoidBceLoss, sigmoidBceLossGrad } from './sigmoid-bce.js'
export { softmax, softmaxCrossEntropy, softmaxCrossEntropyGrad } from './softmax-ce.js'
