/**
 * The two-sample statistics (src/metrics/two-sample.ts): MMD², the median-heuristic
 * bandwidth and the energy distance against their literal transcription
 * (properties/support/two-sample-reference.ts) bit for bit, their laws (symmetry, a sample
 * against itself), small cases worked by hand, the input checks, the permutation test's
 * calibration under the null and its power against a shift, and the specialised permutation
 * tests (mmdPermutationTest, energyPermutationTest) against the generic one, bit for bit.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, toArrays } from '../../src/matrix/index.js'
import {
  type PermutationTestResult,
  energyDistance,
  energyPermutationTest,
  medianHeuristicBandwidth,
  mmd2Unbiased,
  mmdPermutationTest,
  permutationTest,
} from '../../src/metrics/two-sample.js'
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

// -------------------------------------------------------------------------------------
// the specialised permutation tests: the generic one's bits from a pair matrix
// -------------------------------------------------------------------------------------

/**
 * Entries: everyday values, small integers (ties and equal rows), and extreme magnitudes:
 * ±0, subnormals, 1e±150 and 1e154 (whose squared differences are near the ends of the
 * range), ±1e300 and ±MAX_VALUE (whose squared differences overflow: a distance of Infinity,
 * a kernel value of 0 or NaN, a statistic that is not finite).
 */
const entry = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 3, arbitrary: fc.integer({ min: -2, max: 2 }) },
  {
    weight: 1,
    // prettier-ignore
    arbitrary: fc.constantFrom(
      0, -0, 5e-324, -5e-324, 1e-150, 1e-300, 1e150, -1e150, 1e154, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE,
    ),
  },
)

/**
 * x (n x d) and y (m x d) with n, m in 2..30 and d in 1..4; in a third of the cases every
 * row (of both) is one of at most three rows, so that whole rows repeat within and across
 * the samples.
 */
const wideSamples = fc
  .record({
    d: fc.integer({ min: 1, max: 4 }),
    n: fc.integer({ min: 2, max: 30 }),
    m: fc.integer({ min: 2, max: 30 }),
    fromPool: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ d, n, m, fromPool }) => {
    const row = fc.array(entry, { minLength: d, maxLength: d })
    const rowsOf = (r: fc.Arbitrary<number[]>) =>
      fc.tuple(fc.array(r, { minLength: n, maxLength: n }), fc.array(r, { minLength: m, maxLength: m }))
    return fromPool === 0 ? fc.array(row, { minLength: 1, maxLength: 3 }).chain((pool) => rowsOf(fc.constantFrom(...pool))) : rowsOf(row)
  })

/** Bandwidths: everyday ones, and ones whose 2h² underflows to 0 or overflows to Infinity. */
const wideBandwidth = fc.oneof(
  { weight: 8, arbitrary: fc.double({ min: 1e-3, max: 1e3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(5e-324, 1e-200, 1e-160, 1e160, 1e200, Number.MAX_VALUE) },
)

/** Seeds of rngFromSeed: any 32-bit unsigned integer. */
const seeds = fc.integer({ min: 0, max: 2 ** 32 - 1 })

/** What a call gives: its result, or the error it throws. */
const outcome = (f: () => PermutationTestResult): PermutationTestResult | Error => {
  try {
    return f()
  } catch (e) {
    return e as Error
  }
}

/**
 * The specialised test gives the generic one's outcome: the same statistic, p-value and
 * generator state bit for bit, or the same error class with the same message, named after
 * itself (`generic` is the name the generic message starts with). Returns whether it threw.
 */
const expectSameOutcome = (
  got: PermutationTestResult | Error,
  want: PermutationTestResult | Error,
  name: string,
  generic = 'permutationTest',
): boolean => {
  if (want instanceof Error) {
    expect(got).toBeInstanceOf(Error)
    expect((got as Error).constructor).toBe(want.constructor)
    expect((got as Error).message).toBe(`${name}:${want.message.slice(want.message.indexOf(':') + 1)}`)
    expect(want.message.startsWith(`${generic}:`)).toBe(true)
    return true
  }
  expect(got).not.toBeInstanceOf(Error)
  const r = got as PermutationTestResult
  expect(Object.is(r.statistic, want.statistic)).toBe(true)
  expect(Object.is(r.pValue, want.pValue)).toBe(true)
  expect(r.rng.state).toEqual(want.rng.state)
  expect(r).toEqual(want)
  return false
}

describe('mmdPermutationTest and energyPermutationTest: the generic permutationTest, bit for bit', () => {
  /**
   * The pair matrix stores each unordered pair's value once, computed as (a, b) with a < b,
   * and a permuted split reads it as (b, a) as often as (a, b); the generic test computes
   * it in the split's order. They agree because every term of |u − v|² is symmetric: IEEE
   * subtraction rounds u − v and v − u to numbers of equal magnitude, and squaring drops the
   * sign.
   */
  it('(u − v)² and (v − u)² are the same double, for any finite u, v', () => {
    const finite = fc.oneof(entry, fc.double({ noNaN: true, noDefaultInfinity: true }))
    fc.assert(
      fc.property(finite, finite, (u, v) => {
        expect(Object.is((u - v) * (u - v), (v - u) * (v - u))).toBe(true)
        expect(Object.is(u - v, -(v - u)) || u === v).toBe(true)
      }),
      { numRuns: 1000 },
    )
  })

  it('the statistic, the p-value and the advanced generator, or the same refusal', () => {
    let returned = 0
    let refused = 0
    fc.assert(
      fc.property(wideSamples, wideBandwidth, seeds, fc.integer({ min: 1, max: 40 }), ([x, y], h, seed, b) => {
        const X = fromArrays(x)
        const Y = fromArrays(y)
        const mmd = expectSameOutcome(
          outcome(() => mmdPermutationTest(X, Y, h, rngFromSeed(seed), b)),
          outcome(() => permutationTest(X, Y, (p, q) => mmd2Unbiased(p, q, h), rngFromSeed(seed), b)),
          'mmdPermutationTest',
        )
        const energy = expectSameOutcome(
          outcome(() => energyPermutationTest(X, Y, rngFromSeed(seed), b)),
          outcome(() => permutationTest(X, Y, energyDistance, rngFromSeed(seed), b)),
          'energyPermutationTest',
        )
        returned += Number(!mmd) + Number(!energy)
        refused += Number(mmd) + Number(energy)
      }),
      { numRuns: 400 },
    )
    // both outcomes are reached: extreme entries and bandwidths make some statistics non-finite
    expect(returned).toBeGreaterThan(200)
    expect(refused).toBeGreaterThan(5)
  })

  it('at the bandwidth of the median heuristic, on normal samples of up to 100 rows (the intended use)', () => {
    const rows = fc.integer({ min: 2, max: 100 })
    fc.assert(
      fc.property(seeds, rows, rows, fc.integer({ min: 1, max: 3 }), (seed, n, m, d) => {
        const [x, r1] = normalMatrix(rngFromSeed(seed), n, d)
        const [y, r2] = normalMatrix(r1, m, d, 0.5)
        const h = medianHeuristicBandwidth(x, y)
        const mmd = permutationTest(x, y, (p, q) => mmd2Unbiased(p, q, h), r2, 25)
        expectSameOutcome(mmdPermutationTest(x, y, h, r2, 25), mmd, 'mmdPermutationTest')
        expectSameOutcome(energyPermutationTest(x, y, r2, 25), permutationTest(x, y, energyDistance, r2, 25), 'energyPermutationTest')
      }),
      { numRuns: 40 },
    )
  })

  it('the observed statistic is mmd2Unbiased(x, y, h) and energyDistance(x, y), exactly', () => {
    fc.assert(
      fc.property(samples, bandwidth, ([x, y], h) => {
        const X = fromArrays(x)
        const Y = fromArrays(y)
        expect(Object.is(mmdPermutationTest(X, Y, h, rngFromSeed(0), 1).statistic, mmd2Unbiased(X, Y, h))).toBe(true)
        expect(Object.is(energyPermutationTest(X, Y, rngFromSeed(0), 1).statistic, energyDistance(X, Y))).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})

describe('mmdPermutationTest and energyPermutationTest: refusals', () => {
  const a = fromArrays([[0], [1]])
  const b = fromArrays([[2], [5], [7]])
  const noColumns = { rows: 2, cols: 0, data: new Float64Array(0) } as Matrix
  /** Inputs that permutationTest refuses before it evaluates the statistic (the bandwidth is 1, or checked after the count). */
  const refused: ReadonlyArray<[string, Matrix, Matrix, number, number]> = [
    ['widths differ', a, fromArrays([[0, 1], [1, 2]]), 1, 5],
    ['x has one row', fromArrays([[0]]), a, 1, 5],
    ['y has one row', a, fromArrays([[0]]), 1, 5],
    ['no columns', noColumns, noColumns, 1, 5],
    ['x holds NaN', fromArrays([[0], [NaN]]), a, 1, 5],
    ['y holds Infinity', a, fromArrays([[-Infinity], [0]]), 1, 5],
    ['0 permutations', a, b, 1, 0],
    ['too many permutations', a, b, 1, 100001],
    ['fractional permutations', a, b, 1, 2.5],
    ['NaN permutations', a, b, 1, NaN],
    ['a shape error before a bad count', a, fromArrays([[0, 1], [1, 2]]), 1, 0],
    ['a bad count before a bad bandwidth', a, b, 0, 0],
  ]
  it.each(refused)('%s: the error and message of permutationTest, named after the function', (_, x, y, h, count) => {
    expectSameOutcome(
      outcome(() => mmdPermutationTest(x, y, h, rngFromSeed(0), count)),
      outcome(() => permutationTest(x, y, (p, q) => mmd2Unbiased(p, q, h), rngFromSeed(0), count)),
      'mmdPermutationTest',
    )
    expectSameOutcome(
      outcome(() => energyPermutationTest(x, y, rngFromSeed(0), count)),
      outcome(() => permutationTest(x, y, energyDistance, rngFromSeed(0), count)),
      'energyPermutationTest',
    )
  })

  it.each([0, -1, NaN, Infinity, -Infinity, -0])('bandwidth %s: mmd2Unbiased\'s error inside permutationTest, named after the function', (h) => {
    const got = outcome(() => mmdPermutationTest(a, b, h, rngFromSeed(0), 5))
    const want = outcome(() => permutationTest(a, b, (p, q) => mmd2Unbiased(p, q, h), rngFromSeed(0), 5))
    expectSameOutcome(got, want, 'mmdPermutationTest', 'mmd2Unbiased')
    expect((got as Error).message).toMatch(/^mmdPermutationTest: bandwidth must be a finite number > 0, got /)
  })

  it('a statistic that is not finite: the observed one, as permutationTest says it', () => {
    // (1e300 − 0)² overflows: a distance of Infinity, and Infinity − Infinity in E
    const big = fromArrays([[0], [1e300]])
    const energy = outcome(() => energyPermutationTest(big, a, rngFromSeed(0), 5))
    expectSameOutcome(energy, outcome(() => permutationTest(big, a, energyDistance, rngFromSeed(0), 5)), 'energyPermutationTest')
    expect((energy as Error).message).toBe('energyPermutationTest: the statistic is not finite: NaN')
    // 2h² underflows to 0: a pair of equal rows gives 0/0, a kernel value of NaN
    const twice = fromArrays([[0], [0]])
    const mmd = outcome(() => mmdPermutationTest(twice, a, 1e-200, rngFromSeed(0), 5))
    const generic = outcome(() => permutationTest(twice, a, (p, q) => mmd2Unbiased(p, q, 1e-200), rngFromSeed(0), 5))
    expectSameOutcome(mmd, generic, 'mmdPermutationTest')
    expect((mmd as Error).message).toBe('mmdPermutationTest: the statistic is not finite: NaN')
  })

  /** 8193 pooled rows: the N x N matrix would take 8 · 8193² bytes, over 512 MiB. */
  it('more than 8192 pooled rows: a RangeError that points to permutationTest, after the other checks', () => {
    const x = fromFlat(4097, 1, new Float64Array(4097).map((_, i) => i))
    const y = fromFlat(4096, 1, new Float64Array(4096).map((_, i) => -i))
    for (const f of [() => mmdPermutationTest(x, y, 1, rngFromSeed(0), 5), () => energyPermutationTest(x, y, rngFromSeed(0), 5)]) {
      const e = thrown(f)
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toMatch(/^(mmd|energy)PermutationTest: the pooled sample has 8193 rows, more than 8192 \(/)
      expect(e.message).toMatch(/ 537001992 bytes\); use permutationTest, which computes the same bits in O\(N d\) memory$/)
    }
    // the other checks come first, as in permutationTest
    expect(thrown(() => mmdPermutationTest(x, y, 1, rngFromSeed(0), 0)).message).toMatch(/permutations must be/)
    expect(thrown(() => mmdPermutationTest(x, y, 0, rngFromSeed(0), 5)).message).toMatch(/bandwidth must be/)
    expect(thrown(() => energyPermutationTest(x, fromArrays([[0, 1], [1, 2]]), rngFromSeed(0), 5))).toBeInstanceOf(ShapeError)
  })

  /** The bound itself is taken: a 512 MiB matrix and 2^25 distances (a few seconds). */
  it('8192 pooled rows are accepted', () => {
    const x = fromFlat(4096, 1, new Float64Array(4096).map((_, i) => i))
    const y = fromFlat(4096, 1, new Float64Array(4096).map((_, i) => -i - 0.5))
    const r = energyPermutationTest(x, y, rngFromSeed(0), 1)
    expect(Object.is(r.statistic, energyDistance(x, y))).toBe(true)
  })

  it('inputs are not written to', () => {
    const x = fromArrays([[0, 1], [2, 3], [4, 5]])
    const y = fromArrays([[1, 1], [0, 0]])
    mmdPermutationTest(x, y, medianHeuristicBandwidth(x, y), rngFromSeed(3), 10)
    energyPermutationTest(x, y, rngFromSeed(3), 10)
    expect(toArrays(x)).toEqual([[0, 1], [2, 3], [4, 5]])
    expect(toArrays(y)).toEqual([[1, 1], [0, 0]])
  })
})
