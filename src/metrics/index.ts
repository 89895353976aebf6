/**
 * Statistics of samples and distances between distributions.
 *
 * @module
 */
export * from './gaussian.js'
