/**
 * The digit classifier of the original paper's MNIST experiment (issue #18): an MLP trained
 * with pure-gan's own core (the network kernels, softmax cross-entropy and its hand-derived
 * gradient, Adam) on labelled images, and what it measures of a generator: class
 * probabilities (for the classifier score), the penultimate layer's features (for a Fréchet
 * distance between feature Gaussians, an FID computed with this network) and the accuracy.
 *
 * Scores computed with this network are comparable only with other scores from the same
 * network (the same classifier file) on the same data: never with published Inception
 * Scores or FIDs, whose network is Inception-v3 (docs/mnist.md, "The classifier").
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import { softmax, softmaxCrossEntropyGrad } from '../loss/softmax-ce.js'
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { frechetDistance, sampleCovariance, sampleMean } from '../metrics/gaussian.js'
import { relu } from '../nn/activation.js'
import type { NetworkSpec } from '../nn/network.js'
import { type Minibatch, type MlpOptions, checkMlpOptions, forwardChunks, mlpSpec, trainMlp } from '../gan/mlp.js'
import { paramCount } from '../kernels/network.js'
import type { Rng } from '../random/rng.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The number of classes of a digit classifier: the digits 0..9.
 *
 * @example
 * import { DIGIT_CLASSES } from 'pure-gan'
 * DIGIT_CLASSES // 10
 *
 * @category constants
 * @since 0.5.0
 */
export const DIGIT_CLASSES = 10

/**
 * Options of {@link trainDigitClassifier}; every one may be left out.
 *
 * - `hidden` (default `[512, 256]`): the widths of the hidden layers, each ReLU; 1 to 8
 *   integers in `1..1024` (the last is the feature layer).
 * - `epochs` (default `10`): passes over the training images, an integer in `1..10000`.
 * - `batchSize` (default `100`): images per minibatch, a positive safe integer.
 * - `learningRate` (default `0.001`): Adam's learning rate, a finite number `> 0`.
 *
 * The defaults reach 98.2 % test accuracy on MNIST in about 3 minutes (docs/mnist.md, "The classifier").
 *
 * @example
 * import { type DigitClassifierOptions } from 'pure-gan'
 * const quick: DigitClassifierOptions = { hidden: [64], epochs: 2 }
 *
 * @category model
 * @since 0.5.0
 */
export interface DigitClassifierOptions {
  readonly hidden?: ReadonlyArray<number>
  readonly epochs?: number
  readonly batchSize?: number
  readonly learningRate?: number
}

/**
 * A trained digit classifier: the MLP `inputSize → hidden[0] → ... → hidden[H−1] → 10`, each
 * hidden layer dense with ReLU (`a = max(z, 0)`, `z = x·W + b`), the last dense with the
 * identity (the logits); `parameters` holds `W_0, b_0, W_1, b_1, ...` one after another, each
 * row-major (`W_l` `(d_l x d_{l+1})`); `training` records how it was trained (the options and
 * the number of training rows).
 *
 * @example
 * import { type DigitClassifier } from 'pure-gan'
 * const tiny: DigitClassifier = {
 *   inputSize: 1,
 *   hidden: [1],
 *   parameters: Float64Array.of(1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
 *   training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 },
 * }
 *
 * @category model
 * @since 0.5.0
 */
export interface DigitClassifier {
  readonly inputSize: number
  readonly hidden: ReadonlyArray<number>
  readonly parameters: Float64Array
  readonly training: DigitClassifierTraining
}

/**
 * How a {@link DigitClassifier} was trained: the number of training rows and the options
 * (with the defaults filled in).
 *
 * @example
 * import { type DigitClassifierTraining } from 'pure-gan'
 * const t: DigitClassifierTraining = { rows: 60000, epochs: 5, batchSize: 100, learningRate: 0.001 }
 *
 * @category model
 * @since 0.5.0
 */
export interface DigitClassifierTraining {
  readonly rows: number
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
}

/** The defaults of {@link DigitClassifierOptions}. */
const DEFAULTS: MlpOptions = Object.freeze({ hidden: Object.freeze([512, 256]), epochs: 10, batchSize: 100, learningRate: 0.001 })

const TRAIN = 'trainDigitClassifier'

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/**
 * The network of a classifier with `inputSize` inputs and `hidden` widths: dense ReLU layers,
 * then 10 identity units.
 *
 * @internal
 */
export const digitClassifierSpec = (inputSize: number, hidden: ReadonlyArray<number>): NetworkSpec => mlpSpec(inputSize, hidden, relu, DIGIT_CLASSES)

/**
 * The number of parameters of a classifier with `inputSize` inputs and `hidden` widths:
 * `Σ_l (d_l + 1)·d_{l+1}` with `d_0 = inputSize`, `d_{H+1} = 10`.
 *
 * @internal
 */
export const digitClassifierParamCount = (inputSize: number, hidden: ReadonlyArray<number>): number =>
  paramCount(digitClassifierSpec(inputSize, hidden).layers, inputSize)

const checkImages = (op: string, name: string, x: Matrix, minRows: number): void => {
  if (x.rows < minRows) throw new ShapeError(`${op}: ${name} needs at least ${minRows} row${minRows === 1 ? '' : 's'}, got ${shapeOf(x)}`)
  if (x.cols < 1) throw new ShapeError(`${op}: ${name} needs at least one column, got ${shapeOf(x)}`)
  const bad = firstNonFinite(x)
  if (bad >= 0) throw new RangeError(`${op}: ${name} must be finite; entry (${Math.floor(bad / x.cols)}, ${bad % x.cols}) is ${x.data[bad]}`)
}

const checkLabels = (op: string, labels: ReadonlyArray<number> | Uint8Array, rows: number): void => {
  if (!Array.isArray(labels) && !(labels instanceof Uint8Array)) throw new RangeError(`${op}: labels must be an array or a Uint8Array of digits`)
  if (labels.length !== rows) throw new ShapeError(`${op}: ${labels.length} labels for ${rows} images`)
  for (let i = 0; i < labels.length; i++) {
    const y: unknown = labels[i]
    if (!(Number.isSafeInteger(y) && (y as number) >= 0 && (y as number) < DIGIT_CLASSES)) {
      throw new RangeError(`${op}: labels[${i}] must be a digit, an integer in 0..9, got ${String(y)}`)
    }
  }
}

/**
 * Throws unless `c` is a classifier whose parameters fit its architecture and `x` (at least
 * `minRows` rows, finite) has its input width; messages start with `op` and name `x` as `name`.
 *
 * @internal
 */
export const checkUse = (op: string, c: DigitClassifier, x: Matrix, minRows: number, name = 'x'): void => {
  const expected = digitClassifierParamCount(c.inputSize, c.hidden)
  if (c.hidden.length < 1) throw new RangeError(`${op}: the classifier needs at least one hidden layer`)
  if (c.parameters.length !== expected) {
    throw new ShapeError(`${op}: the classifier's ${c.parameters.length} parameters do not fit its architecture ${[c.inputSize, ...c.hidden, DIGIT_CLASSES].join(' → ')}, which has ${expected}`)
  }
  if (x.cols !== c.inputSize) throw new ShapeError(`${op}: ${name} must have the classifier's ${c.inputSize} columns, got ${shapeOf(x)}`)
  checkImages(op, name, x, minRows)
}

// -------------------------------------------------------------------------------------
// training
// -------------------------------------------------------------------------------------

/**
 * Trains a digit classifier on `images` (`n x d`, one image per row, e.g. MNIST's pixels
 * scaled to `0..1` by `mnistImages`) and their `labels` (digits 0..9): a pure function of its
 * arguments, the same bits from the same inputs and `rng`.
 *
 * The network ({@link DigitClassifier}): `d → hidden → 10`, ReLU hidden layers, identity
 * logits `z`. Initialised layer by layer from `rng`, `W_l ~ N(0, 1/fan_in)` row-major and
 * `b_l = 0`. Trained by Adam (Gluon's, `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`) on the mean
 * softmax cross-entropy of each minibatch,
 *
 *     L = (1/B) Σ_i l_i,   l_i = logsumexp(z_i) − z_i,y_i,   ∂l_i/∂z_ik = p_ik − [k = y_i]
 *
 * (`softmaxCrossEntropyGrad`, derived in docs/gradients.md, "Softmax cross-entropy"): for each
 * epoch `[ρ, rng] = permutation(rng, n)`, minibatches of `batchSize` rows in `ρ`'s order (the
 * last may be shorter), each step `forward`, the gradient, `backward` and Adam's step with
 * `rescaleGrad = 1/B`: the loop and kernels of `classifierTwoSampleTest`, with this loss.
 *
 * Throws a `ShapeError` for no image or column, or a labels count other than `n`; a
 * `RangeError` for a non-finite pixel, a label that is not a digit, a bad option (named), or
 * a non-finite logit in training (named by epoch and minibatch: too large a learning rate).
 * Work: `epochs · n` rows forward and back; 60 000 MNIST digits with the defaults take a few
 * minutes (docs/mnist.md).
 *
 * @example
 * import { classifierAccuracy, fromArrays, rngFromSeed, trainDigitClassifier } from 'pure-gan'
 *
 * // two "digits" in 2-D: 0 on the left, 1 on the right
 * const x = fromArrays([[-1, 0], [-1, 1], [-2, 0], [1, 0], [1, 1], [2, 0]])
 * const labels = [0, 0, 0, 1, 1, 1]
 * const c = trainDigitClassifier(x, labels, { hidden: [8], epochs: 50, batchSize: 3, learningRate: 0.05 }, rngFromSeed(1))
 * c.parameters.length // 114
 * classifierAccuracy(c, x, labels) // 1
 *
 * @category classifier
 * @since 0.5.0
 */
export const trainDigitClassifier = (
  images: Matrix,
  labels: ReadonlyArray<number> | Uint8Array,
  options: DigitClassifierOptions | undefined,
  rng: Rng,
): DigitClassifier => {
  checkImages(TRAIN, 'images', images, 1)
  checkLabels(TRAIN, labels, images.rows)
  const opts = checkMlpOptions(TRAIN, DEFAULTS, options)
  if (opts.hidden.length < 1) throw new RangeError(`${TRAIN}: hidden must hold at least one width (the last hidden layer gives the features)`)
  const n = images.rows
  const spec = digitClassifierSpec(images.cols, opts.hidden)
  const K = DIGIT_CLASSES
  const outputGradInto = (z: View, batch: Minibatch, dOut: View): void => {
    const rows = batch.rows
    const logits = unsafeFromFloat64Array(rows, K, z.data.slice(z.off, z.off + rows * K))
    const bad = firstNonFinite(logits)
    if (bad >= 0) {
      throw new RangeError(`${TRAIN}: a logit is ${logits.data[bad]} in epoch ${batch.epoch + 1}, minibatch ${batch.batch + 1}; the learning rate is too large for these images`)
    }
    const y = new Uint8Array(rows)
    for (let i = 0; i < rows; i++) y[i] = labels[batch.order[batch.start + i] as number] as number
    dOut.data.set(dataOf(softmaxCrossEntropyGrad(logits, y)), dOut.off)
  }
  const [parameters] = trainMlp({ spec, x: dataOf(images), rows: n, options: opts, outputGradInto }, rng)
  return Object.freeze({
    inputSize: images.cols,
    hidden: Object.freeze([...opts.hidden]),
    parameters,
    training: Object.freeze({ rows: n, epochs: opts.epochs, batchSize: opts.batchSize, learningRate: opts.learningRate }),
  })
}

// -------------------------------------------------------------------------------------
// evaluation
// -------------------------------------------------------------------------------------

/** The rows x 10 logits, or the last hidden layer's rows x width features, of `x`. */
const outputsOf = (c: DigitClassifier, x: Matrix, features: boolean): Matrix => {
  const layers = digitClassifierSpec(c.inputSize, c.hidden).layers
  const at = features ? layers.length - 2 : layers.length - 1
  const width = layers[at]!.units
  const out = new Float64Array(x.rows * width)
  forwardChunks(layers, c.parameters, x, (pass, start, rows) => {
    const v = pass.plan.layers[at]!.out
    out.set(v.data.subarray(v.off, v.off + rows * width), start * width)
  })
  return unsafeFromFloat64Array(x.rows, width, out)
}

/**
 * The classifier's logits `z` of every row of `x` (`n x 10`): the forward pass, computed 1024
 * rows at a time (the same bits as `predict` on the whole matrix). Throws a `RangeError` when
 * one is not finite (images far outside the training range).
 */
const logitsOf = (op: string, c: DigitClassifier, x: Matrix): Matrix => {
  const z = outputsOf(c, x, false)
  const bad = firstNonFinite(z)
  if (bad >= 0) throw new RangeError(`${op}: the logit (${Math.floor(bad / DIGIT_CLASSES)}, ${bad % DIGIT_CLASSES}) is ${z.data[bad]}; the rows are far outside the classifier's training range`)
  return z
}

/**
 * The class probabilities `p(y | x_i)` of every row of `x` (`n x d`, `d` the classifier's
 * input width), `n x 10`: `softmax(z)` of the logits, `p_ik = exp(z_ik − m_i) / Σ_j exp(z_ij − m_i)`,
 * so each row sums to 1 within rounding; the input of `classifierScore`. Throws a
 * `ShapeError` for a width other than the classifier's, no row, or parameters that do not fit
 * its architecture, and a `RangeError` for a non-finite entry or logit.
 *
 * @example
 * import { type DigitClassifier, classifierProbabilities, fromArrays, toArrays } from 'pure-gan'
 *
 * // 1 input, one hidden unit a = max(x, 0), logits (a, 0, ..., 0)
 * const W1 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([1, 0, ...W1, ...new Array(10).fill(0)]), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * toArrays(classifierProbabilities(c, fromArrays([[0]])))[0] // [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]
 *
 * @category classifier
 * @since 0.5.0
 */
export const classifierProbabilities = (classifier: DigitClassifier, x: Matrix): Matrix => {
  const op = 'classifierProbabilities'
  checkUse(op, classifier, x, 1)
  return softmax(logitsOf(op, classifier, x))
}

/**
 * The penultimate layer's activations of every row of `x`: the last hidden layer's ReLU
 * outputs `a_H = max(z_H, 0)`, `n x hidden[H−1]` (`n x 256` with the defaults), the features
 * whose Gaussians {@link featureFrechetDistance} compares. Same argument rules as
 * {@link classifierProbabilities}.
 *
 * @example
 * import { type DigitClassifier, classifierFeatures, fromArrays, toArrays } from 'pure-gan'
 *
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([2, -1, ...new Array(20).fill(0)]), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * toArrays(classifierFeatures(c, fromArrays([[0], [1], [3]]))) // [[0], [1], [5]]
 *
 * @category classifier
 * @since 0.5.0
 */
export const classifierFeatures = (classifier: DigitClassifier, x: Matrix): Matrix => {
  checkUse('classifierFeatures', classifier, x, 1)
  return outputsOf(classifier, x, true)
}

/**
 * The fraction of the rows of `x` whose predicted digit is their label:
 * `(1/n) Σ_i [argmax_k z_ik = y_i]`, the argmax the first largest logit. Same argument rules
 * as {@link classifierProbabilities}, with one digit per row in `labels` (`ShapeError`,
 * `RangeError`).
 *
 * @example
 * import { type DigitClassifier, classifierAccuracy, fromArrays } from 'pure-gan'
 *
 * // logits (a, 0, ..., 0) with a = max(x, 0): digit 0 for x > 0, else the first largest, also 0
 * const W1 = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([1, 0, ...W1, ...new Array(10).fill(0)]), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * classifierAccuracy(c, fromArrays([[1], [2], [3], [4]]), [0, 0, 0, 7]) // 0.75
 *
 * @category classifier
 * @since 0.5.0
 */
export const classifierAccuracy = (classifier: DigitClassifier, x: Matrix, labels: ReadonlyArray<number> | Uint8Array): number => {
  const op = 'classifierAccuracy'
  checkUse(op, classifier, x, 1)
  checkLabels(op, labels, x.rows)
  const z = dataOf(logitsOf(op, classifier, x))
  let correct = 0
  for (let i = 0; i < x.rows; i++) {
    let best = 0
    for (let k = 1; k < DIGIT_CLASSES; k++) if (z[i * DIGIT_CLASSES + k]! > z[i * DIGIT_CLASSES + best]!) best = k
    if (best === labels[i]) correct++
  }
  return correct / x.rows
}

/**
 * The Fréchet distance between the Gaussians fitted to the classifier's penultimate features
 * ({@link classifierFeatures}) of two sets of images: with `f(a)`, `f(b)` the feature
 * matrices, `μ` their `sampleMean`s and `Σ` their `sampleCovariance`s (divisor `n − 1`),
 *
 *     FD = |μ_a − μ_b|² + tr(Σ_a + Σ_b − 2 (Σ_a^½ Σ_b Σ_a^½)^½)
 *
 * (`frechetDistance`): an FID computed with pure-gan's own digit classifier instead of
 * Inception-v3, so comparable only with other distances from the same classifier, never with
 * published FIDs. 0 for one set against itself (up to the square roots' rounding), larger the
 * further apart the feature distributions. Needs at least 2 rows in each set; otherwise the
 * rules of {@link classifierProbabilities}.
 *
 * @example
 * import { type DigitClassifier, featureFrechetDistance, fromArrays } from 'pure-gan'
 *
 * // features a = max(x, 0): the 1-D Fréchet distance (μ_a − μ_b)² + (σ_a − σ_b)²
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([1, 0, ...new Array(20).fill(0)]), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * featureFrechetDistance(c, fromArrays([[0], [1], [2]]), fromArrays([[3], [4], [5]])) // 9
 *
 * @category classifier
 * @since 0.5.0
 */
export const featureFrechetDistance = (classifier: DigitClassifier, a: Matrix, b: Matrix): number => {
  const op = 'featureFrechetDistance'
  checkUse(op, classifier, a, 2, 'a')
  checkUse(op, classifier, b, 2, 'b')
  const fa = outputsOf(classifier, a, true)
  const fb = outputsOf(classifier, b, true)
  return frechetDistance(sampleMean(fa), sampleCovariance(fa), sampleMean(fb), sampleCovariance(fb))
}
