/**
 * `train --classifier FILE` on MNIST (issue 18): the field's numbers for the generator at each
 * snapshot epoch (the classifier score and the feature Fréchet distance of `--eval-samples`
 * generated digits against the 10 000 test digits), the real digits' reference values, and at
 * the last epoch the Parzen-window log-likelihood of the test digits with σ chosen on the
 * validation split (Goodfellow et al. 2014, Table 1). Written to digit-metrics.json beside
 * run.json, not into it: run.json stays a pure function of the config, which `verify`
 * re-runs without a classifier.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import type { DigitClassifier } from '../classifier/digit-classifier.js'
import { decodeDigitClassifier } from '../classifier/codec.js'
import { type GeneratedDigitsEvaluation, evaluateGeneratedDigits, parzenEvaluation, realDigitReference } from '../classifier/generator-evaluation.js'
import type { DigitMetricsRecord } from '../report/run-record.js'
import * as E from '../fp/either.js'
import type { MnistData } from '../gan/config.js'
import { mnistValidationRows } from '../gan/digits.js'
import { type GanState, runStreams } from '../gan/state.js'
import { type Matrix, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { logspaceSigmas } from '../metrics/parzen.js'
import { mnistImages } from '../validate/idx.js'
import { UsageError } from './usage-error.js'
import { shown } from './io.js'
import type { MnistFiles } from './mnist-files.js'
import { type ExpectedFile, readBoundedBytes } from './read-bounded.js'

/** What the run's evaluation needs: the classifier, its file's digest, the test and validation digits scaled as the run's, and the sample count. */
export interface DigitEvaluationSetup {
  readonly classifier: DigitClassifier
  readonly classifierDigest: string
  readonly test: Matrix
  readonly validation: Matrix
  readonly samples: number
}

/** The classifier file: a few MB of hex (8.6 MB for the default); 64 MiB is far above any. */
const CLASSIFIER_FILE: ExpectedFile = {
  limit: 64 * 1024 * 1024,
  noun: 'a classifier file',
  reads: '--classifier reads a file pure-gan classifier wrote',
  tooLarge: 'it is not a classifier pure-gan wrote',
}

/** The test images scaled as the run's data (`mnistImages`; the pair was checked when the folder was read). */
const scaledTest = (files: MnistFiles, spec: MnistData): Matrix => {
  const test = mnistImages(files.test.images, files.test.labels, spec.scale)
  if (E.isLeft(test)) throw new UsageError(`the test images: ${test.left}`)
  return unsafeFromFloat64Array(test.right.rows, test.right.width, test.right.pixels)
}

/**
 * Reads and checks `--classifier FILE` for a run on `files`' images with data `spec`: a
 * `UsageError` (one line) when the run's pixels are not in 0..1 (the classifier's), or the
 * file cannot be read, is not a classifier, or takes images of another size.
 */
export const digitEvaluationSetup = (path: string, spec: MnistData, files: MnistFiles, samples: number, seed: number): DigitEvaluationSetup => {
  if (spec.scale !== '0..1') {
    throw new UsageError(`--classifier scores digits with pixels in 0..1, as pure-gan classifier trains on them; this run's data.scale is ${spec.scale}`)
  }
  const bytes = readBoundedBytes(path, CLASSIFIER_FILE)
  const decoded = decodeDigitClassifier(bytes.toString('utf8'))
  if (E.isLeft(decoded)) throw new UsageError(`--classifier ${shown(path)}: ${decoded.left}`)
  const classifier = decoded.right
  const inputs = classifier.inputSize
  if (inputs !== spec.width) throw new UsageError(`--classifier ${shown(path)} takes images of ${inputs} pixels, the run's have ${spec.width}`)
  const validation = mnistValidationRows(spec, files, runStreams(seed).data)
  return { classifier, classifierDigest: createHash('sha256').update(bytes).digest('hex'), test: scaledTest(files, spec), validation, samples }
}

/** The scores of `state`'s generator at its epoch (the run's evaluation stream, so every epoch scores the same noise). */
export const scoreEpoch = (setup: DigitEvaluationSetup, state: GanState): GeneratedDigitsEvaluation & { readonly epoch: number } => ({
  epoch: state.epoch,
  ...evaluateGeneratedDigits(state, setup.classifier, setup.test, { samples: setup.samples }, runStreams(state.config.seed).evaluation),
})

/** The σ candidates of the paper's Parzen estimate: 10 values in logspace(−1, 0). */
export const PARZEN_SIGMAS: ReadonlyArray<number> = Object.freeze(logspaceSigmas(-1, 0, 10))

/**
 * digit-metrics.json's record: the reference values (the test digits against the validation
 * digits, or against themselves with fewer than 2), the epochs' scores, and the last state's
 * Parzen estimate (with at least 1 validation digit to choose σ on).
 */
export const digitMetricsRecord = (setup: DigitEvaluationSetup, epochs: DigitMetricsRecord['epochs'], last: GanState): DigitMetricsRecord => ({
  format: 'pure-gan/digit-metrics',
  version: 1,
  classifier: setup.classifierDigest,
  reference: realDigitReference(setup.classifier, setup.test, setup.validation.rows >= 2 ? setup.validation : setup.test),
  epochs,
  ...(setup.validation.rows >= 1
    ? { parzen: parzenEvaluation(last, setup.validation, setup.test, { samples: setup.samples, sigmas: PARZEN_SIGMAS }, runStreams(last.config.seed).evaluation) }
    : {}),
})
