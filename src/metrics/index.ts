/**
 * Statistics of samples and distances between distributions.
 *
 * @module
 */
export { frechetDistance, relativeFrobeniusError, sampleCovariance, sampleMean, sqrtPsd, symmetricEigen } from './gaussian.js'
