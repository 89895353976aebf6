/**
 * The classifier two-sample test (C2ST; D. Lopez-Paz, M. Oquab, "Revisiting Classifier
 * Two-Sample Tests", ICLR 2017): a fresh discriminator of one fixed architecture is trained on
 * half of the real and half of the generated rows, and its accuracy on the other halves is
 * the statistic: about 1/2 when the two samples come from one distribution, near 1 when a
 * classifier tells them apart. It is the seed's own view of a generator (its discriminator's
 * game, played out by a referee that never saw the run) reported with its standard error and
 * an exact binomial p-value (docs/metrics.md, "Classifier two-sample test").
 *
 * @module
 */
import { scale2 } from '../elementary/bits.js'
import { type View } from '../kernels/view.js'
import { sigmoidBceGrad } from '../loss/sigmoid-bce.js'
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { leakyRelu } from '../nn/activation.js'
import type { Rng } from '../random/rng.js'
import { permutation } from '../random/permutation.js'
import { type Minibatch, type MlpOptions, checkMlpOptions, copyRows, forwardChunks, mlpSpec, trainMlp } from './mlp.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of {@link classifierTwoSampleTest}; every one may be left out. The defaults are
 * the yardstick: change them to study the test, not to compare runs (a metric is comparable
 * across runs only with one classifier).
 *
 * - `hidden` (default `[32, 32]`): the widths of the hidden layers, each leaky ReLU with
 *   slope 0.2; an array of at most 8 integers in `1..1024` (`[]`: logistic regression).
 * - `epochs` (default `30`): passes over the training rows, an integer in `1..10000`.
 * - `batchSize` (default `64`): rows per minibatch, a positive safe integer (a larger one
 *   than the training rows makes one batch per epoch).
 * - `learningRate` (default `0.01`): Adam's learning rate, a finite number `> 0`.
 *
 * @example
 * import { type ClassifierTestOptions } from 'pure-gan'
 * const wide: ClassifierTestOptions = { hidden: [64, 64], epochs: 50 }
 *
 * @category metrics
 * @since 0.5.0
 */
export interface ClassifierTestOptions {
  readonly hidden?: ReadonlyArray<number>
  readonly epochs?: number
  readonly batchSize?: number
  readonly learningRate?: number
}

/**
 * The result of {@link classifierTwoSampleTest}: the held-out accuracy `acc = K / testRows`
 * (`K` the test rows classified correctly), its standard error
 * `sqrt(acc·(1 − acc)/testRows)`, the rows trained and tested on (both classes together), and
 * the exact one-sided p-value `P(Binomial(testRows, 1/2) >= K)`.
 *
 * @example
 * import { type ClassifierTestResult } from 'pure-gan'
 * const chance: ClassifierTestResult = { accuracy: 0.5, standardError: 0.05, trainRows: 100, testRows: 100, pValue: 0.5397946186935892 }
 *
 * @category metrics
 * @since 0.5.0
 */
export interface ClassifierTestResult {
  readonly accuracy: number
  readonly standardError: number
  readonly trainRows: number
  readonly testRows: number
  readonly pValue: number
}

/** The defaults of {@link ClassifierTestOptions}. */
const DEFAULTS: MlpOptions = Object.freeze({ hidden: Object.freeze([32, 32]), epochs: 30, batchSize: 64, learningRate: 0.01 })
/** The slope of the hidden layers' leaky ReLU for negative inputs (DCGAN's discriminator's). */
const LEAK = 0.2
/** The fewest rows of each sample: two to train on and two to test on per class. */
const MIN_ROWS = 4

const OP = 'classifierTwoSampleTest'

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

const checkSample = (name: string, s: Matrix): void => {
  if (s.rows < MIN_ROWS) throw new ShapeError(`${OP}: ${name} needs at least ${MIN_ROWS} rows, got ${shapeOf(s)}`)
  if (s.cols < 1) throw new ShapeError(`${OP}: ${name} needs at least one column, got ${shapeOf(s)}`)
  const bad = firstNonFinite(s)
  if (bad >= 0) {
    throw new RangeError(`${OP}: ${name} must be finite; entry (${Math.floor(bad / s.cols)}, ${bad % s.cols}) is ${s.data[bad]}`)
  }
}

// -------------------------------------------------------------------------------------
// the binomial tail
// -------------------------------------------------------------------------------------

/** `2^500` and `2^-500`, exact: the step by which the tail's running sum is kept in range. */
const TWO_P500 = 2 ** 500
const TWO_M500 = 1 / 2 ** 500

/**
 * `P(X >= k)` for `X ~ Binomial(m, 1/2)`, i.e. `2^-m · sum_{j=k}^{m} C(m, j)`, for integers
 * `0 <= k <= m + 1`, with `+ − × ÷` and exact scalings by powers of two only:
 *
 * - `k <= 0`: 1 exactly; `k > m`: 0.
 * - Otherwise, from `j = m` down to `k`: `t_m = 1`, `t_j = (t_{j+1} · (j + 1)) / (m − j)`
 *   (`= C(m, j)` up to the common scale), `s = t_m + t_{m−1} + ... + t_k` summed in that
 *   order; whenever `s > 2^500` after an addition, `t` and `s` are multiplied by `2^-500` and
 *   `e` grows by 500 (exact). The result is `min(1, s · 2^(e − m))` (`scale2`: exact unless
 *   it lands in the subnormal range).
 *
 * Each `t_j` carries at most `2(m − j)` roundings and the sum `m − k` more, so the result is
 * within about `3(m − k + 1)·2^-53` of the exact tail, relatively (a normal result).
 *
 * @internal
 */
export const binomialHalfUpperTail = (m: number, k: number): number => {
  if (k <= 0) return 1
  if (k > m) return 0
  let t = 1
  let s = 1
  let e = 0
  for (let j = m - 1; j >= k; j--) {
    t = (t * (j + 1)) / (m - j)
    s += t
    if (s > TWO_P500) {
      t *= TWO_M500
      s *= TWO_M500
      e += 500
    }
  }
  return Math.min(1, scale2(s, e - m))
}

// -------------------------------------------------------------------------------------
// the classifier
// -------------------------------------------------------------------------------------

const nonFiniteLogit = (where: string, v: number): never => {
  throw new RangeError(`${OP}: the classifier's logit is ${v} ${where}; the samples' scale or the learning rate is too large for it`)
}

// -------------------------------------------------------------------------------------
// the test
// -------------------------------------------------------------------------------------

/**
 * The classifier two-sample test (Lopez-Paz & Oquab 2017) of "the rows of `real` and of
 * `fake` come from one distribution": a fresh classifier's held-out accuracy, its standard
 * error and an exact binomial p-value. A pure function of its arguments: the same inputs
 * give the same bits (pass the run's evaluation stream, `runStreams(seed).evaluation`, to
 * tie it to a run).
 *
 * The algorithm, in the order of its draws from `rng`:
 *
 * 1. `n = min(real.rows, fake.rows)`; only the first `n` rows of each are used. `h = floor(n/2)`.
 * 2. `[π, rng] = permutation(rng, n)`, then `[σ, rng] = permutation(rng, n)`. Training rows:
 *    `real[π_0], ..., real[π_{h−1}]` (label 1) followed by `fake[σ_0], ..., fake[σ_{h−1}]`
 *    (label 0), indices `0 .. 2h−1` in that order; test rows: `real[π_h..π_{n−1}]` (label 1)
 *    and `fake[σ_h..σ_{n−1}]` (label 0). `trainRows = 2h`, `testRows = 2(n − h)`.
 * 3. The classifier: `d → hidden[0] → ... → 1`, dense layers, each hidden one leaky ReLU with
 *    slope 0.2 (`f(x) = x` for `x > 0`, `0.2x` otherwise), the last the identity (the logit
 *    `z`). Initialised layer by layer from `rng`: `initNetwork` of the layer alone with
 *    `weightStd = 1/sqrt(fan_in)`, i.e. `W_l ~ N(0, 1/fan_in)` row-major and `b_l = 0`.
 * 4. Adam (`adam`, Gluon's, `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`) at `learningRate`, on the
 *    mean sigmoid cross-entropy of each minibatch: for each of `epochs` epochs,
 *    `[ρ, rng] = permutation(rng, 2h)`; minibatch `b = 0, 1, ...` holds the training rows
 *    `ρ[bB], ..., ρ[min((b+1)B, 2h) − 1]` (`B = batchSize`; the last may be shorter); its
 *    step is `forward`, `sigmoidBceLossGrad(z, y)` (the gradient of the summed loss
 *    `l(z, y) = max(z, 0) − zy + log(1 + exp(−|z|))`), `backward`, and Adam's step with
 *    `rescaleGrad = 1/rows` (the mean), the state carried from step to step. The steps run
 *    the kernels under those checked operations on one workspace, reused from step to step:
 *    the same bits as composing `forward`, `sigmoidBceLossGrad`, `backward` and
 *    `adam({ learningRate, rescaleGrad: 1/rows }).step` (a property checks it).
 * 5. `K` = the number of test rows on the right side of 0: `z > 0` for a real row, `z < 0`
 *    for a fake one (the logits of `predict`, bit for bit, computed 1024 rows at a time);
 *    a logit of exactly 0 counts as wrong for either class.
 *
 * Then `accuracy = K/testRows`, `standardError = sqrt(accuracy·(1 − accuracy)/testRows)` and
 *
 *     pValue = P(Binomial(testRows, 1/2) >= K) = 2^−testRows · sum_{j=K}^{testRows} C(testRows, j)
 *
 * the exact one-sided binomial tail, computed with `+ − × ÷` and scalings by powers of two
 * (docs/metrics.md). Under the null the classifier is independent of the test rows, so
 * `E[accuracy] = 1/2` whatever it learned: given the classifier, with `q` the chance that it
 * calls a row real, `K` is a sum of `testRows` independent Bernoulli trials (`testRows/2`
 * with mean `q`, `testRows/2` with mean `1 − q`), of mean `testRows/2`, and by Hoeffding
 * (1956, Theorem 4) its tail above the mean is at most the `Binomial(testRows, 1/2)` tail:
 * `P(pValue <= α) <= α` for every `α < 1/2`: `K ~ Binomial(testRows, 1/2)` exactly when
 * `q = 1/2`, and the test is conservative when the classifier favours one class.
 *
 * Needs `real` and `fake` of one width `d >= 1` (`ShapeError`), at least 4 rows each
 * (`ShapeError`) and finite entries (`RangeError`); options as {@link ClassifierTestOptions}
 * (`RangeError` naming the option). A NaN or infinite logit in training (named by epoch and
 * minibatch) or on a test row (samples of too large a scale, or too large a learning rate) is a
 * `RangeError`. Work: `epochs · 2h` rows through the network and back; 1000 + 1000 rows in
 * 2-D with the defaults take 50–90 ms once warm, about 0.25 s cold (docs/metrics.md).
 *
 * @example
 * import { classifierTwoSampleTest, fromArrays, rngFromSeed } from 'pure-gan'
 *
 * // 8 points near the origin against the same points moved 20 to the right
 * const real = fromArrays([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5], [0.2, 0.7], [0.9, 0.1], [0.4, 0.3]])
 * const fake = fromArrays([[20, 0], [21, 0], [20, 1], [21, 1], [20.5, 0.5], [20.2, 0.7], [20.9, 0.1], [20.4, 0.3]])
 * const r = classifierTwoSampleTest(real, fake, rngFromSeed(0))
 * r.accuracy // 1
 * r.standardError // 0
 * r.trainRows // 8
 * r.testRows // 8
 * r.pValue // 0.00390625
 *
 * @category metrics
 * @since 0.5.0
 */
export const classifierTwoSampleTest = (real: Matrix, fake: Matrix, rng: Rng, options?: ClassifierTestOptions): ClassifierTestResult => {
  if (real.cols !== fake.cols) throw new ShapeError(`${OP}: real and fake must have the same width, got ${shapeOf(real)} and ${shapeOf(fake)}`)
  checkSample('real', real)
  checkSample('fake', fake)
  const opts = checkMlpOptions(OP, DEFAULTS, options)
  const n = Math.min(real.rows, fake.rows)
  const h = Math.floor(n / 2)
  const d = real.cols
  const [pi, r1] = permutation(rng, n)
  const [sigma, r2] = permutation(r1, n)

  const trainRows = 2 * h
  const x = new Float64Array(trainRows * d)
  copyRows(real, pi, 0, h, x, 0)
  copyRows(fake, sigma, 0, h, x, h)

  const spec = mlpSpec(d, opts.hidden, leakyRelu(LEAK), 1)
  // the gradient of the summed sigmoid cross-entropy: rows 0..h-1 of x are real (label 1)
  const outputGradInto = (z: View, batch: Minibatch, dOut: View): void => {
    for (let i = 0; i < batch.rows; i++) {
      const v = z.data[z.off + i] as number
      if (!Number.isFinite(v)) nonFiniteLogit(`in epoch ${batch.epoch + 1}, minibatch ${batch.batch + 1}`, v)
      dOut.data[dOut.off + i] = sigmoidBceGrad(v, (batch.order[batch.start + i] as number) < h ? 1 : 0)
    }
  }
  const [params] = trainMlp({ spec, x, rows: trainRows, options: opts, outputGradInto }, r2)

  const testHalf = n - h
  const testRows = 2 * testHalf
  const t = new Float64Array(testRows * d)
  copyRows(real, pi, h, n, t, 0)
  copyRows(fake, sigma, h, n, t, testHalf)
  let correct = 0
  forwardChunks(spec.layers, params, unsafeFromFloat64Array(testRows, d, t), (pass, start, rows) => {
    for (let i = 0; i < rows; i++) {
      const v = pass.logits.data[pass.logits.off + i] as number
      if (!Number.isFinite(v)) nonFiniteLogit(`on test row ${start + i} after training`, v)
      if (start + i < testHalf ? v > 0 : v < 0) correct++
    }
  })
  const accuracy = correct / testRows
  return Object.freeze({
    accuracy,
    standardError: Math.sqrt((accuracy * (1 - accuracy)) / testRows),
    trainRows,
    testRows,
    pValue: binomialHalfUpperTail(testRows, correct),
  })
}
