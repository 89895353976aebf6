/**
 * Sampling from a trained generator and summarising the samples against the real
 * distribution.
 *
 * @module
 */
import { type Matrix, firstNonFinite, toArrays, toFlat } from '../matrix/index.js'
import { frechetDistance, sampleCovariance, sampleMean } from '../metrics/gaussian.js'
import { predict } from '../nn/network.js'
import { noiseMatrix } from './noise.js'
import type { Rng } from '../random/rng.js'
import type { ValidConfig } from './config.js'
import { dataDistribution } from './data.js'
import { NonFiniteSamplesError } from './non-finite.js'
import { type GanState, generatorSpec, runDataOfValid, runStreams } from './state.js'

/**
 * `G(Z)` for the given noise (rows x latentDim): generated points, one per row, in
 * evaluation mode: a batch normalisation layer of G normalises with the state's running
 * statistics (`state.generatorStats`), so a sample does not depend on the other rows drawn
 * with it.
 *
 * @category evaluation
 * @since 0.1.0
 */
export const generate = (state: GanState, noise: Matrix): Matrix => predict(generatorSpec(state.config), state.generator, noise, state.generatorStats)

/**
 * `count` generated points from noise drawn from `rng`; returns them and the advanced rng.
 *
 * @category evaluation
 * @since 0.1.0
 */
export const sampleGenerator = (state: GanState, rng: Rng, count: number): readonly [Matrix, Rng] => {
  const [noise, next] = noiseMatrix(rng, count, state.config)
  return [generate(state, noise), next]
}

/**
 * Mean and covariance of generated samples, the true ones of the data distribution, and the
 * Fréchet distance between the two Gaussians.
 *
 * @category model
 * @since 0.1.0
 */
export interface GeneratorSummary {
  readonly samples: number
  readonly mean: ReadonlyArray<number>
  readonly covariance: ReadonlyArray<ReadonlyArray<number>>
  readonly trueMean: ReadonlyArray<number>
  readonly trueCovariance: ReadonlyArray<ReadonlyArray<number>>
  readonly frechetDistance: number
}

/**
 * Summarises the state's generator on `samples` points (default 10 000) whose noise comes
 * from the run's `evaluation` stream (`runStreams`), so the summary is a pure function of
 * the state: the same state always gives the same numbers, and summarising never changes
 * the training stream.
 *
 * Throws a `NonFiniteSamplesError` when a generated point (a generator whose finite
 * parameters are too large), the points' mean or covariance, the data distribution's, or the
 * Fréchet distance is NaN or infinite, naming the first of these that is: a summary holds
 * only finite numbers. A `RangeError` for a run on MNIST, which has no summary
 * (docs/datasets.md).
 *
 * @example
 * import { seedConfig, summarizeGenerator, train } from 'pure-gan'
 * const { state } = train(seedConfig)
 *
 * // after the seed's 20 epochs; 0 when the samples' mean and covariance are the data distribution's
 * summarizeGenerator(state).frechetDistance // 1.2408499377095321
 *
 * @category evaluation
 * @since 0.1.0
 */
export const summarizeGenerator = (state: GanState, samples = 10_000): GeneratorSummary => {
  if (!Number.isSafeInteger(samples) || samples < 2) {
    throw new RangeError(`summarizeGenerator: samples must be an integer >= 2, got ${samples}`)
  }
  if (state.config.data.kind === 'mnist') {
    throw new RangeError('summarizeGenerator: a run on MNIST has no pixel-space summary (a Gaussian of 784 pixels costs minutes and says little); see docs/mnist.md for its metrics')
  }
  const [x] = sampleGenerator(state, runStreams(state.config.seed).evaluation, samples)
  assertFiniteSamples(x, state)
  const mean = sampleMean(x)
  const covariance = sampleCovariance(x)
  const finite = (...ms: ReadonlyArray<Matrix>): boolean => ms.every((m) => firstNonFinite(m) < 0)
  if (!finite(mean, covariance)) throw new NonFiniteSamplesError('the mean or covariance of its points overflows', state)
  const truth = referenceMoments(state)
  if (!finite(truth.mean, truth.covariance)) throw new NonFiniteSamplesError(state.config.data.kind === 'affine-gaussian' ? "the data distribution's mean b or covariance AᵀA overflows" : "the real data's mean or covariance overflows", state)
  const distance = frechetDistance(mean, covariance, truth.mean, truth.covariance)
  if (!Number.isFinite(distance)) throw new NonFiniteSamplesError(`the Fréchet distance to the data distribution is ${distance}`, state)
  return {
    samples,
    mean: toFlat(mean),
    covariance: toArrays(covariance),
    trueMean: toFlat(truth.mean),
    trueCovariance: toArrays(truth.covariance),
    frechetDistance: distance,
  }
}

/**
 * The moments a summary compares the generated points with: the data distribution's exact
 * mean and covariance where they have a closed form (`dataDistribution`: the affine
 * Gaussian, `ring8`, `grid25`), otherwise the sample mean and covariance of the run's real
 * data (`runData`: every row of the swiss roll, the moons or a table).
 */
const referenceMoments = (state: GanState): { readonly mean: Matrix; readonly covariance: Matrix } => {
  const exact = dataDistribution(state.config.data)
  if (exact !== undefined) return exact
  const data = runDataOfValid(state.config as ValidConfig)
  return { mean: sampleMean(data), covariance: sampleCovariance(data) }
}

/**
 * Throws a `NonFiniteSamplesError` naming the first NaN or infinite entry of the generated
 * points `x` (one per row) of `state`'s generator; returns nothing when every entry is finite.
 *
 * @category evaluation
 * @since 0.1.0
 */
export const assertFiniteSamples = (x: Matrix, state: GanState): void => {
  const bad = firstNonFinite(x)
  if (bad >= 0) {
    const row = Math.floor(bad / x.cols)
    throw new NonFiniteSamplesError(`point ${row}, coordinate ${bad - row * x.cols} is ${x.data[bad]}`, state)
  }
}
