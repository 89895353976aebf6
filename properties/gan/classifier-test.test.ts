/**
 * The classifier two-sample test (src/gan/classifier-test.ts): its p-value against a literal
 * transcription (bit for bit) and the exact tail from BigInt binomial coefficients, the whole
 * test against a scalar reference written from its doc comment (properties/support/
 * classifier-test-reference.ts) and, bit for bit, against the same steps composed from the
 * checked operations (forward, backward, adam, predict), determinism, known answers, its calibration under the null
 * over 200 seeds, and every refusal.
 *
 * Not asserted, because it is not true: that swapping `real` and `fake` gives the same
 * accuracy (the labels flip and the pooled training rows come in another order, so the
 * minibatches and the trained classifier differ), or that the result is invariant under a
 * reordering of the rows (the split takes rows by position).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ClassifierTestOptions, binomialHalfUpperTail, classifierTwoSampleTest } from '../../src/gan/classifier-test.js'
import { type Matrix, ShapeError, fromArrays, toArrays, vconcat } from '../../src/matrix/index.js'
import { normalMatrix } from '../../src/random/normal.js'
import { type Rng, rngFromSeed } from '../../src/random/rng.js'
import {
  binomialTailExact,
  binomialTailReference,
  classifierTestByCheckedApi,
  classifierTestReference,
  standardErrorReference,
} from '../support/classifier-test-reference.js'
import { thrown } from '../support/thrown.js'

const U = 2 ** -53

/** `rows x d` draws from N(mean·1, I), and the generator after them. */
const gaussian = (rng: Rng, rows: number, d: number, mean = 0): readonly [Matrix, Rng] => normalMatrix(rng, rows, d, mean, 1)

// -------------------------------------------------------------------------------------
// the p-value
// -------------------------------------------------------------------------------------

describe('the p-value P(Binomial(m, 1/2) >= K)', () => {
  it('is the literal transcription, bit for bit (normal results), for m up to 3000', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }).chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: -1, max: m + 1 }))),
        ([m, k]) => {
          const want = binomialTailReference(m, k)
          fc.pre(want === 0 || want >= 2 ** -1022)
          expect(Object.is(binomialHalfUpperTail(m, k), want)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  /**
   * Each term carries at most 2(m − k) roundings and the sum m − k more, so the result is
   * within 3(m − k + 1)u of the exact tail, relatively (measured: at most 0.29(m − k + 1)u
   * over m <= 600).
   */
  it('is within 3(m − K + 1)·2^-53 of the exact tail (BigInt binomial coefficients), for m up to 1000', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }).chain((m) => fc.tuple(fc.constant(m), fc.integer({ min: 0, max: m + 1 }))),
        ([m, k]) => {
          const exact = binomialTailExact(m, k)
          fc.pre(exact === 0 || exact >= 2 ** -1022)
          const got = binomialHalfUpperTail(m, k)
          expect(Math.abs(got - exact)).toBeLessThanOrEqual(3 * (m - k + 1) * U * exact)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('small cases by hand, and the edges', () => {
    expect(binomialHalfUpperTail(1, 1)).toBe(0.5)
    expect(binomialHalfUpperTail(2, 1)).toBe(0.75)
    expect(binomialHalfUpperTail(4, 2)).toBe(11 / 16)
    expect(binomialHalfUpperTail(10, 8)).toBe(56 / 1024)
    expect(binomialHalfUpperTail(8, 8)).toBe(2 ** -8)
    expect(binomialHalfUpperTail(1074, 1074)).toBe(2 ** -1074) // the smallest subnormal, exactly
    expect(binomialHalfUpperTail(1075, 1075)).toBe(0) // 2^-1075 rounds to even: 0
    expect(binomialHalfUpperTail(7, 0)).toBe(1)
    expect(binomialHalfUpperTail(7, -3)).toBe(1)
    expect(binomialHalfUpperTail(7, 8)).toBe(0)
  })

  /** P(X >= m/2) = 1/2 + P(X = m/2)/2 and P(X = m/2) = C(m, m/2)/2^m ≈ sqrt(2/(πm))(1 − 1/(4m)). */
  it('for m = 100000 (a sum scaled by 2^-500 many times): P(X >= m/2) = 1/2 + C(m, m/2)/2^(m+1)', () => {
    const m = 100000
    const centre = Math.sqrt(2 / (Math.PI * m)) * (1 - 1 / (4 * m))
    expect(Math.abs(binomialHalfUpperTail(m, m / 2) - (0.5 + centre / 2))).toBeLessThanOrEqual(1e-12)
    expect(binomialHalfUpperTail(m, 60000)).toBe(0) // about e^-2013: below the smallest subnormal
  })

  it('decreases in K', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: -1, max: 501 }), (m, k) => {
        expect(binomialHalfUpperTail(m, k + 1)).toBeLessThanOrEqual(binomialHalfUpperTail(m, k))
      }),
      { numRuns: 300 },
    )
  })
})

// -------------------------------------------------------------------------------------
// the whole test against the scalar reference
// -------------------------------------------------------------------------------------

/** Two samples of 4..12 rows with a common width 1..3, entries in [-3, 3], the second shifted. */
const samples = fc
  .record({ d: fc.integer({ min: 1, max: 3 }), shift: fc.double({ min: -2, max: 2, noNaN: true }) })
  .chain(({ d, shift }) => {
    const row = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d })
    const rows = fc.array(row, { minLength: 4, maxLength: 12 })
    return fc.tuple(rows, rows.map((rs) => rs.map((r) => r.map((v) => v + shift))))
  })
const options = fc.record({
  hidden: fc.constantFrom<ReadonlyArray<number>>([], [3], [4, 3]),
  epochs: fc.integer({ min: 1, max: 4 }),
  batchSize: fc.integer({ min: 1, max: 10 }),
  learningRate: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
})

describe('against the scalar reference written from the doc comment', () => {
  it('the same split, classifier, minibatches and Adam steps: the same count of right test rows', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 0, max: 2 ** 31 }), options, ([real, fake], seed, o) => {
        const want = classifierTestReference(real, fake, rngFromSeed(seed), o)
        // a logit this close to 0 could fall on either side after other roundings
        fc.pre(want.smallestTestLogit > 1e-6)
        const got = classifierTwoSampleTest(fromArrays(real), fromArrays(fake), rngFromSeed(seed), o)
        expect(got.trainRows).toBe(want.trainRows)
        expect(got.testRows).toBe(want.testRows)
        expect(got.accuracy).toBe(want.accuracy)
        expect(Object.is(got.standardError, standardErrorReference(want.accuracy, want.testRows))).toBe(true)
        expect(Object.is(got.pValue, binomialTailReference(want.testRows, want.correct))).toBe(true)
      }),
      { numRuns: 150 },
    )
  })

  it('the checked operations the doc comment names (forward, sigmoidBceLossGrad, backward, adam, predict) give the same bits', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 0, max: 2 ** 31 }), options, ([real, fake], seed, o) => {
        const got = classifierTwoSampleTest(fromArrays(real), fromArrays(fake), rngFromSeed(seed), o)
        const want = classifierTestByCheckedApi(fromArrays(real), fromArrays(fake), rngFromSeed(seed), o)
        expect(got).toEqual(want)
        expect(Object.is(got.standardError, want.standardError) && Object.is(got.pValue, want.pValue)).toBe(true)
      }),
      { numRuns: 150 },
    )
    // and with the defaults, over 40 + 40 rows (the last minibatch of each epoch is 16 rows)
    const [real, r1] = gaussian(rngFromSeed(8), 80, 2)
    const [fake, r2] = gaussian(r1, 80, 2, 0.5)
    expect(classifierTwoSampleTest(real, fake, r2)).toEqual(classifierTestByCheckedApi(real, fake, r2, { hidden: [32, 32], epochs: 30, batchSize: 64, learningRate: 0.01 }))
    // and more test rows than one chunk of 1024: 4200 test rows, predict on all of them at once
    const [many, r3] = gaussian(r2, 4200, 2)
    const [others, r4] = gaussian(r3, 4200, 2, 0.2)
    const o = { hidden: [8], epochs: 1, batchSize: 512, learningRate: 0.01 }
    const got = classifierTwoSampleTest(many, others, r4, o)
    expect(got.testRows).toBe(4200)
    expect(got).toEqual(classifierTestByCheckedApi(many, others, r4, o))
  })

  it('the defaults are hidden [32, 32], 30 epochs, batches of 64, learning rate 0.01', () => {
    const [real, r1] = gaussian(rngFromSeed(3), 40, 2)
    const [fake, r2] = gaussian(r1, 40, 2, 0.5)
    const want = classifierTestReference(toArrays(real), toArrays(fake), r2, { hidden: [32, 32], epochs: 30, batchSize: 64, learningRate: 0.01 })
    expect(want.smallestTestLogit).toBeGreaterThan(1e-6)
    const got = classifierTwoSampleTest(real, fake, r2)
    expect(got.accuracy).toBe(want.accuracy)
    expect(got).toEqual(classifierTwoSampleTest(real, fake, r2, { hidden: [32, 32], epochs: 30, batchSize: 64, learningRate: 0.01 }))
  })
})

// -------------------------------------------------------------------------------------
// determinism and laws
// -------------------------------------------------------------------------------------

describe('a pure function of (real, fake, rng, options)', () => {
  const [real, r1] = gaussian(rngFromSeed(11), 60, 2)
  const [fake, r2] = gaussian(r1, 50, 2, 0.4)

  it('the same inputs give the same bits, in a frozen record', () => {
    const a = classifierTwoSampleTest(real, fake, r2)
    const b = classifierTwoSampleTest(real, fake, r2)
    for (const key of ['accuracy', 'standardError', 'trainRows', 'testRows', 'pValue'] as const) expect(Object.is(a[key], b[key])).toBe(true)
    expect(Object.isFrozen(a)).toBe(true)
  })

  it('different generators draw different splits: the accuracy varies over seeds', () => {
    const accuracies = new Set<number>()
    for (let seed = 0; seed < 10; seed++) accuracies.add(classifierTwoSampleTest(real, fake, rngFromSeed(seed), { epochs: 5 }).accuracy)
    expect(accuracies.size).toBeGreaterThan(1)
  })

  it('rows beyond the first n = min(real.rows, fake.rows) are not used', () => {
    // real has 60 rows and fake 50: n = 50; more rows after real's 60th change nothing
    const [extra] = gaussian(rngFromSeed(99), 7, 2, 5)
    const a = classifierTwoSampleTest(real, fake, r2, { epochs: 5 })
    const b = classifierTwoSampleTest(vconcat(real, extra), fake, r2, { epochs: 5 })
    expect(b).toEqual(a)
    expect(Object.is(a.pValue, b.pValue) && Object.is(a.standardError, b.standardError)).toBe(true)
    expect(a.trainRows).toBe(50)
    expect(a.testRows).toBe(50)
  })

  it('trainRows = 2⌊n/2⌋, testRows = 2(n − ⌊n/2⌋); K = accuracy·testRows is an integer; SE and p follow from it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 30 }), fc.integer({ min: 4, max: 30 }), fc.integer({ min: 0, max: 1000 }), (nr, nf, seed) => {
        const [x, g1] = gaussian(rngFromSeed(seed), nr, 2)
        const [y, g2] = gaussian(g1, nf, 2, 1)
        const r = classifierTwoSampleTest(x, y, g2, { epochs: 2, hidden: [4] })
        const n = Math.min(nr, nf)
        expect(r.trainRows).toBe(2 * Math.floor(n / 2))
        expect(r.testRows).toBe(2 * (n - Math.floor(n / 2)))
        const k = Math.round(r.accuracy * r.testRows)
        expect(r.accuracy).toBe(k / r.testRows)
        expect(Object.is(r.standardError, Math.sqrt((r.accuracy * (1 - r.accuracy)) / r.testRows))).toBe(true)
        expect(Object.is(r.pValue, binomialHalfUpperTail(r.testRows, k))).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it('does not write to its inputs', () => {
    const x = fromArrays([[0, 1], [2, 3], [4, 5], [6, 7]])
    const y = fromArrays([[1, 1], [0, 0], [2, 2], [3, 3], [9, 9]])
    classifierTwoSampleTest(x, y, rngFromSeed(1), { epochs: 3 })
    expect(toArrays(x)).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]])
    expect(toArrays(y)).toEqual([[1, 1], [0, 0], [2, 2], [3, 3], [9, 9]])
  })
})

// -------------------------------------------------------------------------------------
// known answers
// -------------------------------------------------------------------------------------

describe('known answers', () => {
  it('N(0, I) against N(10·1, I), 200 + 200 rows in 2-D: every test row right, p = 2^-200 exactly', () => {
    for (let seed = 0; seed < 5; seed++) {
      const [real, r1] = gaussian(rngFromSeed(seed), 200, 2)
      const [fake, r2] = gaussian(r1, 200, 2, 10)
      const r = classifierTwoSampleTest(real, fake, r2)
      expect(r).toEqual({ accuracy: 1, standardError: 0, trainRows: 200, testRows: 200, pValue: 2 ** -200 })
    }
  })

  it('points against their mirror images across the far line x₁ = 10 (x₁ ↦ 20 − x₁): every test row right', () => {
    for (let seed = 0; seed < 5; seed++) {
      const [real, r1] = gaussian(rngFromSeed(100 + seed), 150, 3)
      const fake = fromArrays(toArrays(real).map(([a, ...rest]) => [20 - a!, ...rest]))
      const r = classifierTwoSampleTest(real, fake, r1)
      expect(r.accuracy).toBe(1)
      expect(r.pValue).toBe(2 ** -150)
    }
  })

  it('a shift of 1 in 2-D (Bayes accuracy Φ(√2/2) ≈ 0.76), 500 + 500 rows: accuracy within 0.05 of it, p tiny', () => {
    const [real, r1] = gaussian(rngFromSeed(7), 500, 2)
    const [fake, r2] = gaussian(r1, 500, 2, 1)
    const r = classifierTwoSampleTest(real, fake, r2)
    expect(Math.abs(r.accuracy - 0.7602)).toBeLessThanOrEqual(0.05)
    expect(r.pValue).toBeLessThan(1e-20)
  })
})

// -------------------------------------------------------------------------------------
// calibration under the null
// -------------------------------------------------------------------------------------

const SEEDS = 200
const ROWS = 200
const ALPHA = 0.05

/**
 * The 99.9 % central interval of Binomial(n, p) from exact tail sums: the largest lo with
 * P(X < lo) <= 0.0005 and the smallest hi with P(X > hi) <= 0.0005. For n = 200, p = 0.05 it
 * is [2, 21].
 */
const binomialInterval = (n: number, p: number, tail: number): [number, number] => {
  const pmf: number[] = [(1 - p) ** n]
  for (let k = 1; k <= n; k++) pmf.push((pmf[k - 1]! * (n - k + 1) * p) / (k * (1 - p)))
  let lo = 0
  let below = 0
  while (below + pmf[lo]! <= tail) below += pmf[lo++]!
  let hi = n
  let above = 0
  while (above + pmf[hi]! <= tail) above += pmf[hi--]!
  return [lo, hi]
}

describe(`under the null: ${SEEDS} seeds of two independent ${ROWS}-row samples of N(0, I) in 2-D, the defaults`, () => {
  /**
   * Under the null the classifier is independent of the test rows, so E[accuracy] = 1/2
   * whatever it learned, and each run's accuracy has variance at most 1/(4·testRows) (a sum of
   * independent Bernoulli trials): the mean of 200 lies within 0.5 ± 3·sqrt(1/(4·200))/sqrt(200).
   * The p-value is conservative (P(p <= α) <= α): with testRows = 200 it is <= 0.05 exactly
   * when K >= 113, whose binomial probability is 0.0384, the test's size when the classifier
   * calls half of all rows real.
   */
  it('the mean accuracy is within 0.5 ± 3 SE, and the rejections at α = 0.05 within the 99.9 % binomial interval around 0.05', () => {
    expect(binomialInterval(SEEDS, ALPHA, 0.0005)).toEqual([2, 21])
    expect(binomialHalfUpperTail(ROWS, 113)).toBeLessThanOrEqual(ALPHA)
    expect(binomialHalfUpperTail(ROWS, 112)).toBeGreaterThan(ALPHA)
    let sum = 0
    let rejections = 0
    for (let seed = 0; seed < SEEDS; seed++) {
      const [x, r1] = gaussian(rngFromSeed(seed), ROWS, 2)
      const [y, r2] = gaussian(r1, ROWS, 2)
      const r = classifierTwoSampleTest(x, y, r2)
      expect(r.testRows).toBe(ROWS)
      sum += r.accuracy
      if (r.pValue <= ALPHA) rejections++
    }
    const mean = sum / SEEDS
    const se = Math.sqrt(1 / (4 * ROWS)) / Math.sqrt(SEEDS)
    console.log(`null over ${SEEDS} seeds: mean accuracy ${mean}, rejections at 0.05: ${rejections}`)
    expect(Math.abs(mean - 0.5)).toBeLessThanOrEqual(3 * se)
    const [lo, hi] = binomialInterval(SEEDS, ALPHA, 0.0005)
    expect(rejections).toBeGreaterThanOrEqual(lo)
    expect(rejections).toBeLessThanOrEqual(hi)
  })
})

// -------------------------------------------------------------------------------------
// refusals
// -------------------------------------------------------------------------------------

describe('refusals, one message each', () => {
  const a = fromArrays([[0], [1], [2], [3]])
  const g = rngFromSeed(0)
  const wide = { rows: 4, cols: 0, data: new Float64Array(0) } as Matrix
  it.each<[string, () => unknown, new (...args: never[]) => Error, string]>([
    ['widths differ', () => classifierTwoSampleTest(a, fromArrays([[0, 1], [1, 2], [2, 3], [3, 4]]), g), ShapeError, 'classifierTwoSampleTest: real and fake must have the same width, got (4x1) and (4x2)'],
    ['three real rows', () => classifierTwoSampleTest(fromArrays([[0], [1], [2]]), a, g), ShapeError, 'classifierTwoSampleTest: real needs at least 4 rows, got (3x1)'],
    ['three fake rows', () => classifierTwoSampleTest(a, fromArrays([[0], [1], [2]]), g), ShapeError, 'classifierTwoSampleTest: fake needs at least 4 rows, got (3x1)'],
    ['no columns', () => classifierTwoSampleTest(wide, wide, g), ShapeError, 'classifierTwoSampleTest: real needs at least one column, got (4x0)'],
    ['NaN', () => classifierTwoSampleTest(a, fromArrays([[0], [1], [NaN], [3]]), g), RangeError, 'classifierTwoSampleTest: fake must be finite; entry (2, 0) is NaN'],
    ['Infinity', () => classifierTwoSampleTest(fromArrays([[0], [Infinity], [2], [3]]), a, g), RangeError, 'classifierTwoSampleTest: real must be finite; entry (1, 0) is Infinity'],
    ['options not a record', () => classifierTwoSampleTest(a, a, g, 5 as never), RangeError, 'classifierTwoSampleTest: options must be a record, got 5'],
    ['options an array', () => classifierTwoSampleTest(a, a, g, [] as never), RangeError, 'classifierTwoSampleTest: options must be a record, got an array'],
    ['an unknown option', () => classifierTwoSampleTest(a, a, g, { epoch: 3 } as never), RangeError, 'classifierTwoSampleTest: unknown option "epoch" (known options: batchSize, epochs, hidden, learningRate)'],
    ['hidden not an array', () => classifierTwoSampleTest(a, a, g, { hidden: 32 as never }), RangeError, 'classifierTwoSampleTest: hidden must be an array of at most 8 widths, got 32'],
    ['nine hidden layers', () => classifierTwoSampleTest(a, a, g, { hidden: new Array<number>(9).fill(2) }), RangeError, 'classifierTwoSampleTest: hidden must be an array of at most 8 widths, got 9 widths'],
    ['a width 0', () => classifierTwoSampleTest(a, a, g, { hidden: [4, 0] }), RangeError, 'classifierTwoSampleTest: hidden[1] must be an integer in 1..1024, got 0'],
    ['a width 1025', () => classifierTwoSampleTest(a, a, g, { hidden: [1025] }), RangeError, 'classifierTwoSampleTest: hidden[0] must be an integer in 1..1024, got 1025'],
    ['a fractional width', () => classifierTwoSampleTest(a, a, g, { hidden: [2.5] }), RangeError, 'classifierTwoSampleTest: hidden[0] must be an integer in 1..1024, got 2.5'],
    ['0 epochs', () => classifierTwoSampleTest(a, a, g, { epochs: 0 }), RangeError, 'classifierTwoSampleTest: epochs must be an integer in 1..10000, got 0'],
    ['10001 epochs', () => classifierTwoSampleTest(a, a, g, { epochs: 10001 }), RangeError, 'classifierTwoSampleTest: epochs must be an integer in 1..10000, got 10001'],
    ['epochs as a string', () => classifierTwoSampleTest(a, a, g, { epochs: '3' as never }), RangeError, 'classifierTwoSampleTest: epochs must be an integer in 1..10000, got "3" (a string)'],
    ['batch size 0', () => classifierTwoSampleTest(a, a, g, { batchSize: 0 }), RangeError, 'classifierTwoSampleTest: batchSize must be a positive integer, got 0'],
    ['batch size 1.5', () => classifierTwoSampleTest(a, a, g, { batchSize: 1.5 }), RangeError, 'classifierTwoSampleTest: batchSize must be a positive integer, got 1.5'],
    ['learning rate 0', () => classifierTwoSampleTest(a, a, g, { learningRate: 0 }), RangeError, 'classifierTwoSampleTest: learningRate must be a finite number > 0, got 0'],
    ['learning rate -0', () => classifierTwoSampleTest(a, a, g, { learningRate: -0 }), RangeError, 'classifierTwoSampleTest: learningRate must be a finite number > 0, got -0'],
    ['learning rate Infinity', () => classifierTwoSampleTest(a, a, g, { learningRate: Infinity }), RangeError, 'classifierTwoSampleTest: learningRate must be a finite number > 0, got Infinity'],
    ['learning rate NaN', () => classifierTwoSampleTest(a, a, g, { learningRate: NaN }), RangeError, 'classifierTwoSampleTest: learningRate must be a finite number > 0, got NaN'],
  ])('%s', (_, f, type, message) => {
    const e = thrown(f)
    expect(e).toBeInstanceOf(type)
    expect(e.message).toBe(message)
  })

  it('options left out, undefined or {} are the defaults; an option set to undefined is its default', () => {
    const [x, r1] = gaussian(rngFromSeed(5), 12, 2)
    const [y, r2] = gaussian(r1, 12, 2, 1)
    const d = classifierTwoSampleTest(x, y, r2)
    expect(classifierTwoSampleTest(x, y, r2, undefined)).toEqual(d)
    expect(classifierTwoSampleTest(x, y, r2, {})).toEqual(d)
    expect(classifierTwoSampleTest(x, y, r2, { epochs: undefined } as unknown as ClassifierTestOptions)).toEqual(d)
  })

  it('a non-finite logit in training is a RangeError naming the epoch and minibatch', () => {
    const x = fromArrays([[0, 0], [1, 0], [0, 1], [1, 1]])
    const y = fromArrays([[5, 5], [6, 5], [5, 6], [6, 6]])
    const e = thrown(() => classifierTwoSampleTest(x, y, rngFromSeed(0), { learningRate: 1e300 }))
    expect(e).toBeInstanceOf(RangeError)
    expect(e.message).toBe("classifierTwoSampleTest: the classifier's logit is NaN in epoch 2, minibatch 1; the samples' scale or the learning rate is too large for it")
  })

  it('a non-finite logit on a test row is a RangeError naming the row', () => {
    const x = fromArrays([[1e308, -1e308], [1e308, 0], [0, 1e308], [1, 1]])
    const y = fromArrays([[0, 0], [1, 0], [0, 1], [1, 1]])
    const e = thrown(() => classifierTwoSampleTest(x, y, rngFromSeed(0)))
    expect(e).toBeInstanceOf(RangeError)
    expect(e.message).toMatch(/^classifierTwoSampleTest: the classifier's logit is (NaN|-?Infinity) on test row \d+ after training; /)
  })
})
