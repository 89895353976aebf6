/**
 * Statistics of samples and distances between distributions (with the Parzen-window
 * log-likelihood and the classifier score), and the summaries of many runs (a success rate's
 * Wilson interval, a metric's quartiles).
 *
 * @module
 */
export { frechetDistance, relativeFrobeniusError, sampleCovariance, sampleMean, sqrtPsd, symmetricEigen } from './gaussian.js'
export { quartiles, wilsonInterval } from './interval.js'
export {
  type PermutationTestResult,
  energyDistance,
  energyPermutationTest,
  medianHeuristicBandwidth,
  mmd2Unbiased,
  mmdPermutationTest,
  permutationTest,
} from './two-sample.js'
export { type ModeCoverage, modeCoverage } from './modes.js'
export { type ParzenResult, type ParzenSigmaResult, logspaceSigmas, parzenLogLikelihood, parzenSigma } from './parzen.js'
export { classifierScore } from './classifier-score.js'
