/**
 * The two-sample statistics (src/metrics/two-sample.ts): MMD², the median-heuristic
 * bandwidth and the energy distance against their literal transcription
 * (properties/support/two-sample-reference.ts) bit for bit, their laws (symmetry, a sample
 * against itself), small cases worked by hand, the input checks, and the permutation test's
 * calibration under the null and its power against a shift.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, toArrays } from '../../src/matrix/index.js'
import { energyDistance, medianHeuristicBandwidth, mmd2Unbiased, permutationTest } from '../../src/metrics/two-sample.js'
import { normalMatrix } from '../../src/random/normal.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { energyReference, medianReference, mmd2Reference, permutationTestReference } from '../support/two-sample-reference.js'
import { thrown } from '../support/thrown.js'

const U = 2 ** -53

/** Two samples of 2..7 and 2..7 rows with a common width 1..3, entries in [-10, 10]. */
const samples = fc.integer({ min: 1, max: 3 }).chain((d) => {
  const row = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d })
  const rows = fc.array(row, { minLength: 2, maxLength: 7 })
  return fc.tuple(rows, rows)
})
const bandwidth = fc.double({ min: 0.05, max: 20, noNaN: true })

const pairs = (rows: ReadonlyArray<ReadonlyArray<number>>, f: (a: ReadonlyArray<number>, b: ReadonlyArray<number>) => number): number => {
  let s = 0
  let c = 0
  for (let i = 0; i < rows.length; i++) {
    for (let j = 0; j < rows.length; j++) {
      if (i !== j) {
        s += f(rows[i]!, rows[j]!)
        c++
      }
    }
  }
  return s / c
}
const dist = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => Math.sqrt(a.reduce((s, v, c) => s + (v - b[c]!) ** 2, 0))

describe('against the literal transcription, bit for bit', () => {
  it('mmd2Unbiased, energyDistance and medianHeuristicBandwidth', () => {
    fc.assert(
      fc.property(samples, bandwidth, ([x, y], h) => {
        const X = fromArrays(x)
        const Y = fromArrays(y)
        expect(Object.is(mmd2Unbiased(X, Y, h), mmd2Reference(x, y, h))).toBe(true)
        expect(Object.is(energyDistance(X, Y), energyReference(x, y))).toBe(true)
        const med = medianReference(x, y)
        if (med > 0) expect(Object.is(medianHeuristicBandwidth(X, Y), med)).toBe(true)
        else expect(thrown(() => medianHeuristicBandwidth(X, Y))).toBeInstanceOf(RangeError)
      }),
      { numRuns: 300 },
    )
  })

  it('permutationTest: the statistic, the p-value and the advanced generator', () => {
    fc.assert(
      fc.property(samples, fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 30 }), ([x, y], seed, b) => {
        const got = permutationTest(fromArrays(x), fromArrays(y), energyDistance, rngFromSeed(seed), b)
        const want = permutationTestReference(x, y, energyReference, rngFromSeed(seed), b)
        expect(got).toEqual(want)
        expect(Object.is(got.statistic, want.statistic) && Object.is(got.pValue, want.pValue)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})

describe('laws', () => {
  /**
   * Swapping x and y swaps the two within-sample sums (a + b = b + a exactly) and re-orders
   * the nm terms of the between-sample sum. Recursive summation of nm >= 0 terms errs by at
   * most (nm − 1)u times their sum, so the two orders differ by at most 2(nm)u·Sxy, and the
   * results by 2(nm)u·(2Sxy/(nm)) plus the final operations' few ulps: 4(nm + 4)u times the
   * sum of the terms' magnitudes bounds both.
   */
  it('both are symmetric in x and y, to the reordering of one sum', () => {
    fc.assert(
      fc.property(samples, bandwidth, ([x, y], h) => {
        const X = fromArrays(x)
        const Y = fromArrays(y)
        const tol = 4 * (x.length * y.length + 4) * U
        const mmdScale = 2 + 2 // each of the three terms is a mean of kernels in [0, 1]: magnitudes sum <= 4
        expect(Math.abs(mmd2Unbiased(X, Y, h) - mmd2Unbiased(Y, X, h))).toBeLessThanOrEqual(tol * mmdScale)
        const e = energyDistance(X, Y)
        const scale = Math.abs(e) + 4 * 40 // each mean distance is <= 20·sqrt(3) < 40
        expect(Math.abs(e - energyDistance(Y, X))).toBeLessThanOrEqual(tol * scale)
      }),
      { numRuns: 300 },
    )
  })

  /**
   * Of a sample with itself, Sxy = 2Sxx + n (the diagonal: k = 1, distance 0), so
   * MMD²_u(x, x) = −(2/n)(1 − mean_{i≠j} k(x_i, x_j)) and E(x, x) = −(2/n) mean_{i≠j} |x_i − x_j|.
   * Compared to a few ulps of the terms' magnitude (the sums are regrouped).
   */
  it('a sample against itself: MMD² = −(2/n)(1 − mean k), E = −(2/n) mean |x_i − x_j|', () => {
    fc.assert(
      fc.property(samples, bandwidth, ([x], h) => {
        const X = fromArrays(x)
        const n = x.length
        const tol = 8 * (n * n + 4) * U
        const kbar = pairs(x, (a, b) => Math.exp(-(dist(a, b) ** 2) / (2 * h * h)))
        expect(Math.abs(mmd2Unbiased(X, X, h) - -(2 / n) * (1 - kbar))).toBeLessThanOrEqual(tol * 4)
        const dbar = pairs(x, dist)
        expect(Math.abs(energyDistance(X, X) - -(2 / n) * dbar)).toBeLessThanOrEqual(tol * (4 * dbar + 1e-300))
      }),
      { numRuns: 300 },
    )
  })
})

describe('small cases by hand: x = (0, 1), y = (3, 5) in one dimension', () => {
  const x = fromArrays([[0], [1]])
  const y = fromArrays([[3], [5]])
  it('the distances 1, 3, 5, 2, 4, 2 sort to 1, 2, 2, 3, 4, 5: the lower median is 2', () => {
    expect(medianHeuristicBandwidth(x, y)).toBe(2)
    expect(medianHeuristicBandwidth(y, x)).toBe(2)
  })
  it('energy: 2·(3 + 5 + 2 + 4)/4 − 1 − 2 = 4, exactly', () => {
    expect(energyDistance(x, y)).toBe(4)
  })
  /**
   * h = 1: e^{−1/2} + e^{−2} − (e^{−9/2} + e^{−25/2} + e^{−2} + e^{−8})/2, which is
   * 0.66847420842128132104782... (mpmath, 40 digits). Five exps (each within 1 ulp) and
   * six operations on terms of size <= 1 err by less than 16u.
   */
  it('MMD² with h = 1 against its 40-digit value', () => {
    expect(Math.abs(mmd2Unbiased(x, y, 1) - 0.668474208421281321)).toBeLessThanOrEqual(16 * U)
  })
})

describe('input checks', () => {
  const a = fromArrays([[0], [1]])
  it.each<[string, () => unknown, new (...args: never[]) => Error, RegExp]>([
    ['widths differ', () => mmd2Unbiased(a, fromArrays([[0, 1], [1, 2]]), 1), ShapeError, /same width.*\(2x1\) and \(2x2\)/],
    ['one row', () => energyDistance(fromArrays([[0]]), a), ShapeError, /x needs at least two rows/],
    ['no columns', () => energyDistance(...([0, 0].map(() => ({ rows: 2, cols: 0, data: new Float64Array(0) }) as Matrix) as [Matrix, Matrix])), ShapeError, /at least one column/],
    ['NaN', () => medianHeuristicBandwidth(a, fromArrays([[0], [NaN]])), RangeError, /y must be finite; entry \(1, 0\) is NaN/],
    ['bandwidth 0', () => mmd2Unbiased(a, a, 0), RangeError, /bandwidth must be a finite number > 0/],
    ['bandwidth Infinity', () => mmd2Unbiased(a, a, Infinity), RangeError, /bandwidth/],
    ['median 0', () => medianHeuristicBandwidth(fromArrays([[1], [1]]), fromArrays([[1], [2]])), RangeError, /median pairwise distance .* is 0/],
    ['0 permutations', () => permutationTest(a, a, energyDistance, rngFromSeed(0), 0), RangeError, /permutations must be an integer in 1\.\.100000/],
    ['too many permutations', () => permutationTest(a, a, energyDistance, rngFromSeed(0), 100001), RangeError, /1\.\.100000/],
    ['fractional permutations', () => permutationTest(a, a, energyDistance, rngFromSeed(0), 2.5), RangeError, /got 2\.5/],
    ['a non-finite statistic', () => permutationTest(a, a, () => NaN, rngFromSeed(0), 5), RangeError, /statistic is not finite/],
  ])('%s', (_, f, type, message) => {
    const e = thrown(f)
    expect(e).toBeInstanceOf(type)
    expect(e.message).toMatch(message)
  })
  it('inputs are not written to', () => {
    const x = fromArrays([[0, 1], [2, 3], [4, 5]])
    const y = fromArrays([[1, 1], [0, 0]])
    permutationTest(x, y, (p, q) => mmd2Unbiased(p, q, medianHeuristicBandwidth(x, y)), rngFromSeed(3), 10)
    expect(toArrays(x)).toEqual([[0, 1], [2, 3], [4, 5]])
    expect(toArrays(y)).toEqual([[1, 1], [0, 0]])
  })
})

// -------------------------------------------------------------------------------------
// calibration and power
// -------------------------------------------------------------------------------------

const SEEDS = 200
const ALPHA = 0.05
const B = 99

/**
 * The 99.9 % central interval of Binomial(n, p) from exact tail sums: the largest lo with
 * P(X < lo) <= 0.0005 and the smallest hi with P(X > hi) <= 0.0005. For n = 200, p = 0.05
 * it is [2, 21] (mean 10); a test whose p-values were not valid, or never or always below
 * α, lands outside.
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

/** x, y: 20 x 2 draws from N(0, I) and N(shift·e_1, I); the rejections of both tests at α. */
const rejections = (shift: number): { mmd: number; energy: number } => {
  let mmd = 0
  let energy = 0
  for (let seed = 0; seed < SEEDS; seed++) {
    const [x, r1] = normalMatrix(rngFromSeed(seed), 20, 2)
    const [y0, r2] = normalMatrix(r1, 20, 2)
    const y = fromArrays(toArrays(y0).map(([a, b]) => [a! + shift, b!]))
    const h = medianHeuristicBandwidth(x, y)
    if (permutationTest(x, y, (p, q) => mmd2Unbiased(p, q, h), r2, B).pValue <= ALPHA) mmd++
    if (permutationTest(x, y, energyDistance, r2, B).pValue <= ALPHA) energy++
  }
  return { mmd, energy }
}

describe('the permutation test over 200 seeds (n = m = 20, d = 2, 99 permutations, α = 0.05)', () => {
  it('the interval is the exact binomial one', () => {
    expect(binomialInterval(SEEDS, ALPHA, 0.0005)).toEqual([2, 21])
  })

  it('under the null the rejection rate lies in the 99.9 % binomial interval around 0.05', () => {
    const [lo, hi] = binomialInterval(SEEDS, ALPHA, 0.0005)
    const r = rejections(0)
    console.log(`null rejections out of ${SEEDS}: MMD ${r.mmd}, energy ${r.energy}`)
    expect(r.mmd).toBeGreaterThanOrEqual(lo)
    expect(r.mmd).toBeLessThanOrEqual(hi)
    expect(r.energy).toBeGreaterThanOrEqual(lo)
    expect(r.energy).toBeLessThanOrEqual(hi)
  })

  it('a shift of 2 in the mean is rejected in at least 95 % of seeds', () => {
    const r = rejections(2)
    console.log(`shift-2 rejections out of ${SEEDS}: MMD ${r.mmd}, energy ${r.energy}`)
    expect(r.mmd).toBeGreaterThanOrEqual(0.95 * SEEDS)
    expect(r.energy).toBeGreaterThanOrEqual(0.95 * SEEDS)
  })
})
