/**
 * A generator of digits measured the way the field does (issue #18): the classifier score and
 * the classifier-feature Fréchet distance of its samples, what real digits score on both, and
 * the Parzen-window log-likelihood of test digits under its samples with the window chosen on
 * validation digits (Goodfellow et al. 2014, Table 1). Each function is the composition of the
 * public parts its doc comment names, with the same bits; docs/mnist.md shows a whole
 * evaluation.
 *
 * @module
 */
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { classifierScore } from '../metrics/classifier-score.js'
import { checkSigmaCandidates, parzenLogLikelihood, parzenSigma } from '../metrics/parzen.js'
import { dataWidth } from '../gan/data.js'
import { assertFiniteSamples, sampleGenerator } from '../gan/evaluate.js'
import type { GanState } from '../gan/state.js'
import type { Rng } from '../random/rng.js'
import { type DigitClassifier, checkUse, classifierProbabilities, featureFrechetDistance } from './digit-classifier.js'

/** The most generated samples one evaluation draws (10 times issue 18's 10 000). */
const MAX_SAMPLES = 100_000

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

const checkSamples = (op: string, samples: unknown): void => {
  if (!(Number.isSafeInteger(samples) && (samples as number) >= 2 && (samples as number) <= MAX_SAMPLES)) {
    throw new RangeError(`${op}: options.samples must be an integer in 2..100000, got ${String(samples)}`)
  }
}

/** Throws unless `x` has at least `minRows` rows, the generator's `width` columns, and finite entries. */
const checkRows = (op: string, name: string, x: Matrix, width: number, minRows: number): void => {
  if (x.cols !== width) throw new ShapeError(`${op}: ${name} must have the generator's ${width} columns, got ${shapeOf(x)}`)
  if (x.rows < minRows) throw new ShapeError(`${op}: ${name} needs at least ${minRows} row${minRows === 1 ? '' : 's'}, got ${shapeOf(x)}`)
  const bad = firstNonFinite(x)
  if (bad >= 0) throw new RangeError(`${op}: ${name} must be finite; entry (${Math.floor(bad / x.cols)}, ${bad % x.cols}) is ${x.data[bad]}`)
}

/** Throws unless the classifier reads the generator's digits: the same width. */
const checkClassifierWidth = (op: string, classifier: DigitClassifier, width: number): void => {
  if (classifier.inputSize !== width) {
    throw new ShapeError(`${op}: the classifier reads ${classifier.inputSize} columns but the generator makes ${width}`)
  }
}

// -------------------------------------------------------------------------------------
// classifier score and feature Fréchet distance
// -------------------------------------------------------------------------------------

/**
 * Options of {@link evaluateGeneratedDigits}.
 *
 * @example
 * import { type GeneratedDigitsOptions } from 'pure-gan'
 * const issue18: GeneratedDigitsOptions = { samples: 10000 }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface GeneratedDigitsOptions {
  /** How many digits to generate: an integer in `2..100000` (issue 18: 10 000). */
  readonly samples: number
}

/**
 * What {@link evaluateGeneratedDigits} and {@link realDigitReference} report: plain numbers,
 * so `JSON.stringify` writes it as it is.
 *
 * @example
 * import { type DigitScores } from 'pure-gan'
 * const r: DigitScores = { classifierScore: 9.6, fid: 0.4 }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface DigitScores {
  /** `exp((1/n) Σ_i KL(p(y|x_i) ‖ p̄(y)))` of the scored digits (`classifierScore`), in `[1, 10]`. */
  readonly classifierScore: number
  /** The Fréchet distance between the classifier's penultimate features of the two sets (`featureFrechetDistance`), `≥ 0` up to rounding. */
  readonly fid: number
}

/**
 * What {@link evaluateGeneratedDigits} reports: {@link DigitScores} of the generated digits
 * and how many there were.
 *
 * @example
 * import { type GeneratedDigitsEvaluation } from 'pure-gan'
 * const r: GeneratedDigitsEvaluation = { samples: 10000, classifierScore: 8.1, fid: 12.5 }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface GeneratedDigitsEvaluation extends DigitScores {
  /** The number of generated digits `n` both scores were computed from. */
  readonly samples: number
}

/**
 * The classifier score and the classifier-feature Fréchet distance ("FID") of a generator's
 * digits: with `[G, _] = sampleGenerator(state, rng, n)` (`n = options.samples`, the noise
 * drawn from `rng`; the advanced stream is not returned, so pass a stream of its own, e.g.
 * `runStreams(seed).evaluation`),
 *
 *     classifierScore = exp( (1/n) Σ_i KL(p(y | G_i) ‖ (1/n) Σ_j p(y | G_j)) )
 *     fid = |μ_G − μ_T|² + tr(Σ_G + Σ_T − 2 (Σ_G^½ Σ_T Σ_G^½)^½)
 *
 * where `p(y | ·)` is `classifierProbabilities(classifier, G)` and `μ`, `Σ` the mean and
 * covariance of `classifierFeatures` of `G` and of the `test` digits: exactly
 * `classifierScore(classifierProbabilities(classifier, G))` and
 * `featureFrechetDistance(classifier, G, test)`, the same bits. Issue 18: `n = 10 000`
 * generated against MNIST's 10 000 test digits; {@link realDigitReference} gives what real
 * digits score. Comparable only with scores from the same classifier on the same data.
 *
 * Throws, before generating anything, a `RangeError` for `options.samples` not an integer in
 * `2..100000` or a non-finite `test` entry, and a `ShapeError` for a classifier whose width
 * is not the generator's (`dataWidth(state.config.data)`) or whose parameters do not fit its
 * architecture, or `test` of another width or with fewer than 2 rows; then a
 * `NonFiniteSamplesError` naming the first NaN or infinite generated entry
 * (`assertFiniteSamples`).
 *
 * @example
 * import { type DigitClassifier, evaluateGeneratedDigits, fromArrays, initialState, rngFromSeed, seedConfig } from 'pure-gan'
 *
 * // a classifier of 2-column "digits" whose logits are all 0: every digit is uniform over the classes
 * const c: DigitClassifier = { inputSize: 2, hidden: [1], parameters: new Float64Array(23), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * const r = evaluateGeneratedDigits(initialState(seedConfig), c, fromArrays([[1, 2], [3, 4]]), { samples: 100 }, rngFromSeed(1))
 * r.samples // 100
 * r.fid // 0
 *
 * @category classifier
 * @since 0.5.0
 */
export const evaluateGeneratedDigits = (state: GanState, classifier: DigitClassifier, test: Matrix, options: GeneratedDigitsOptions, rng: Rng): GeneratedDigitsEvaluation => {
  const op = 'evaluateGeneratedDigits'
  checkSamples(op, options.samples)
  const width = dataWidth(state.config.data)
  checkClassifierWidth(op, classifier, width)
  checkUse(op, classifier, test, 2, 'test')
  const [generated] = sampleGenerator(state, rng, options.samples)
  assertFiniteSamples(generated, state)
  return {
    samples: options.samples,
    classifierScore: classifierScore(classifierProbabilities(classifier, generated)),
    fid: featureFrechetDistance(classifier, generated, test),
  }
}

/**
 * What real digits score, the reference for {@link evaluateGeneratedDigits}: the classifier
 * score of the `test` digits and the classifier-feature Fréchet distance between other real
 * digits (`reference`, e.g. held-out training digits, as many as the generated ones) and the
 * test digits,
 *
 *     classifierScore = classifierScore(classifierProbabilities(classifier, test))
 *     fid = featureFrechetDistance(classifier, reference, test)
 *
 * the same bits (equations in {@link evaluateGeneratedDigits}). A generator matches real
 * digits when its scores come close to these; the `fid` of two real sets is above 0 by the
 * sampling noise of `n` digits.
 *
 * Throws as `classifierProbabilities` and `featureFrechetDistance` do, named
 * `realDigitReference`: a `ShapeError` for a width other than the classifier's, fewer than 2
 * rows in `test` or `reference`, or parameters that do not fit the architecture, and a
 * `RangeError` for a non-finite entry.
 *
 * @example
 * import { type DigitClassifier, fromArrays, realDigitReference } from 'pure-gan'
 *
 * // feature a = max(x, 0), logits 0: the score is 1 and the FID the 1-D (μ_a − μ_b)² + (σ_a − σ_b)²
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([1, 0, ...new Array(20).fill(0)]), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * realDigitReference(c, fromArrays([[3], [4], [5]]), fromArrays([[0], [1], [2]])) // { classifierScore: 1, fid: 9 }
 *
 * @category classifier
 * @since 0.5.0
 */
export const realDigitReference = (classifier: DigitClassifier, test: Matrix, reference: Matrix): DigitScores => {
  const op = 'realDigitReference'
  checkUse(op, classifier, test, 2, 'test')
  checkUse(op, classifier, reference, 2, 'reference')
  return {
    classifierScore: classifierScore(classifierProbabilities(classifier, test)),
    fid: featureFrechetDistance(classifier, reference, test),
  }
}

// -------------------------------------------------------------------------------------
// Parzen window
// -------------------------------------------------------------------------------------

/**
 * Options of {@link parzenEvaluation}.
 *
 * @example
 * import { type ParzenEvaluationOptions, logspaceSigmas } from 'pure-gan'
 * const issue18: ParzenEvaluationOptions = { samples: 10000, sigmas: logspaceSigmas(-1, 0, 10) }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface ParzenEvaluationOptions {
  /** How many digits to generate, the kernels' centres: an integer in `2..100000` (issue 18: 10 000). */
  readonly samples: number
  /** The candidate windows, at least one, each in `[1e-150, 1e150]` (issue 18: `logspaceSigmas(-1, 0, 10)`). */
  readonly sigmas: ReadonlyArray<number>
}

/**
 * One candidate window of {@link parzenEvaluation} and how it fits the validation digits.
 *
 * @example
 * import { type ParzenCandidate } from 'pure-gan'
 * const c: ParzenCandidate = { sigma: 0.2, validationMean: 230.5 }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface ParzenCandidate {
  /** The window `σ_k`. */
  readonly sigma: number
  /** `(1/m_v) Σ_i log p(v_i)` of the validation digits under the samples with window `σ_k` (`parzenSigma`'s `means[k]`). */
  readonly validationMean: number
}

/**
 * What {@link parzenEvaluation} reports: numbers and an array of records, so
 * `JSON.stringify` writes it as it is, except that a mean of −Infinity (a digit beyond the
 * reach of every kernel, see `parzenLogLikelihood`) and a standard error of NaN are written
 * as `null`.
 *
 * @example
 * import { type ParzenEvaluation } from 'pure-gan'
 * const r: ParzenEvaluation = { samples: 10000, sigma: 0.2, sigmas: [{ sigma: 0.2, validationMean: 230.5 }], mean: 225, standardError: 2 }
 *
 * @category classifier
 * @since 0.5.0
 */
export interface ParzenEvaluation {
  /** The number of generated digits `n`, the kernels' centres for both the choice and the estimate. */
  readonly samples: number
  /** The chosen window: the candidate with the highest validation mean (the first of equal ones). */
  readonly sigma: number
  /** Every candidate, in the order of `options.sigmas`, with its validation mean. */
  readonly sigmas: ReadonlyArray<ParzenCandidate>
  /** `(1/m) Σ_i log p(t_i)`, the mean log-likelihood of the test digits at the chosen window (Goodfellow et al. 2014: 225 for adversarial nets). */
  readonly mean: number
  /** `sd/√m`, the standard error of `mean` (sample standard deviation, divisor `m − 1`; the paper's ± 2). */
  readonly standardError: number
}

/**
 * The Parzen-window log-likelihood of test digits under a generator, as Goodfellow et al.
 * (2014, Table 1) report it: with `[S, _] = sampleGenerator(state, rng, n)` (`n =
 * options.samples`; the advanced stream is not returned), the window chosen on the
 * validation digits `V` and the estimate on the test digits `T`, both under the same `S`,
 *
 *     log p(x) = logmeanexp_j( −|x − S_j|² / (2σ²) ) − d·log σ − (d/2)·log(2π)
 *     σ = argmax_{σ_k ∈ sigmas} (1/|V|) Σ_{v ∈ V} log p(v)
 *     mean = (1/|T|) Σ_{t ∈ T} log p(t),  standardError = sd_t / √|T|
 *
 * exactly `parzenSigma(V, S, sigmas)` then `parzenLogLikelihood(T, S, σ)`, the same bits.
 * Issue 18: `n = 10 000`, `V` the run's held-out validation digits (`mnistSplit`), `T` MNIST's
 * 10 000 test digits, `sigmas = logspaceSigmas(-1, 0, 10)`. Theis et al. (2016): unreliable
 * in 784 dimensions, a comparison between runs and not a likelihood (docs/metrics.md).
 *
 * Throws, before generating anything, a `RangeError` for `options.samples` not an integer in
 * `2..100000`, no candidate or a candidate outside `[1e-150, 1e150]` (named `sigmas[k]`), or a
 * non-finite entry, and a `ShapeError` for `validation` (at least 1 row) or `test` (at least
 * 2) of a width other than the generator's (`dataWidth(state.config.data)`); then a
 * `NonFiniteSamplesError` naming the first NaN or infinite generated entry.
 *
 * @example
 * import { fromArrays, initialState, parzenEvaluation, rngFromSeed, seedConfig } from 'pure-gan'
 *
 * const v = fromArrays([[0, 0], [0.01, -0.02]])
 * const t = fromArrays([[0.02, 0.01], [-0.01, 0]])
 * const r = parzenEvaluation(initialState(seedConfig), v, t, { samples: 50, sigmas: [0.001, 0.01, 1] }, rngFromSeed(1))
 * r.sigmas.map((c) => c.sigma) // [0.001, 0.01, 1]
 * r.sigma // 0.01
 *
 * @category classifier
 * @since 0.5.0
 */
export const parzenEvaluation = (state: GanState, validation: Matrix, test: Matrix, options: ParzenEvaluationOptions, rng: Rng): ParzenEvaluation => {
  const op = 'parzenEvaluation'
  checkSamples(op, options.samples)
  checkSigmaCandidates(op, options.sigmas)
  const width = dataWidth(state.config.data)
  checkRows(op, 'validation', validation, width, 1)
  checkRows(op, 'test', test, width, 2)
  const [samples] = sampleGenerator(state, rng, options.samples)
  assertFiniteSamples(samples, state)
  const choice = parzenSigma(validation, samples, options.sigmas)
  const estimate = parzenLogLikelihood(test, samples, choice.sigma)
  return {
    samples: options.samples,
    sigma: choice.sigma,
    sigmas: options.sigmas.map((sigma, k) => ({ sigma, validationMean: choice.means[k] as number })),
    mean: estimate.mean,
    standardError: estimate.standardError,
  }
}
