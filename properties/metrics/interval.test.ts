/**
 * The sweep statistics (src/metrics/interval.ts): the Wilson score interval and the type 7
 * quartiles, each against its literal transcription (properties/support/interval-reference.ts)
 * bit for bit, against values computed independently, and held to its laws.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quartiles, wilsonInterval } from '../../src/metrics/interval.js'
import { quartilesReference, wilsonReference } from '../support/interval-reference.js'
import { thrown } from '../support/thrown.js'

const Z95 = 1.959963984540054
const U = 2 ** -53

/** n from everyday sweeps up to the largest safe integer, and k in 0..n, ends included. */
const trials = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    fc.double({ min: 0, max: 1, noNaN: true }),
    fc.constantFrom('any', 'zero', 'one', 'all', 'all but one'),
  )
  .map(([n, u, pick]) => {
    const k = pick === 'zero' ? 0 : pick === 'one' ? 1 : pick === 'all' ? n : pick === 'all but one' ? n - 1 : Math.min(n, Math.floor(u * (n + 1)))
    return { k, n }
  })

const someZ = fc.oneof(fc.constant(Z95), fc.double({ min: 0.01, max: 40, noNaN: true }))

// -------------------------------------------------------------------------------------
// the Wilson score interval
// -------------------------------------------------------------------------------------

/**
 * [k, n, lo, hi] at z = 1.959963984540054 (the double, exactly), computed from the formula
 * in 60-digit decimal arithmetic (Python's `decimal`: centre ∓ half, with the exact 0 and 1
 * at k = 0 and k = n) and printed to 21 digits. Cross-checked against SciPy 1.17's
 * `binomtest(k, n).proportion_ci(method='wilson')` for n <= 10^6: within 3.3e-15 relative
 * (SciPy subtracts centre − half, and so loses a few bits on small lower bounds).
 */
const TABLE: ReadonlyArray<readonly [number, number, string, string]> = [
  [0, 1, '0', '7.93450685622762580911e-1'],
  [1, 1, '2.06549314377237419089e-1', '1'],
  [0, 2, '0', '6.57619772493346919424e-1'],
  [1, 2, '9.45312057342307262920e-2', '9.05468794265769273708e-1'],
  [2, 2, '3.42380227506653080576e-1', '1'],
  [0, 3, '0', '5.61497031755045479204e-1'],
  [1, 3, '6.14919447203962396369e-2', '7.92340399197952253431e-1'],
  [2, 3, '2.07659600802047746569e-1', '9.38508055279603760363e-1'],
  [3, 3, '4.38502968244954520796e-1', '1'],
  [0, 5, '0', '4.34482464783174773479e-1'],
  [1, 5, '3.62241086324301697222e-2', '6.24465370237474694365e-1'],
  [2, 5, '1.17620774232647909241e-1', '7.69275718723987045455e-1'],
  [3, 5, '2.30724281276012954545e-1', '8.82379225767352090759e-1'],
  [4, 5, '3.75534629762525305635e-1', '9.63775891367569830278e-1'],
  [5, 5, '5.65517535216825226521e-1', '1'],
  [0, 10, '0', '2.77532799862889214640e-1'],
  [1, 10, '1.78762130950729063814e-2', '4.04150026795238465331e-1'],
  [2, 10, '5.66821514543752611095e-2', '5.09837528463358267675e-1'],
  [3, 10, '1.07791267406301031198e-1', '6.03221852538854654658e-1'],
  [4, 10, '1.68180329706236133545e-1', '6.87326230266341709383e-1'],
  [5, 10, '2.36593090512563995764e-1', '7.63406909487436004236e-1'],
  [6, 10, '3.12673769733658290617e-1', '8.31819670293763866455e-1'],
  [7, 10, '3.96778147461145345342e-1', '8.92208732593698968802e-1'],
  [8, 10, '4.90162471536641732325e-1', '9.43317848545624738890e-1'],
  [9, 10, '5.95849973204761534669e-1', '9.82123786904927093619e-1'],
  [10, 10, '7.22467200137110785360e-1', '1'],
  [0, 20, '0', '1.61125158052819361482e-1'],
  [1, 20, '8.88144880079539128806e-3', '2.36131193446742034046e-1'],
  [2, 20, '2.78664812137682153840e-2', '3.01033645228487273802e-1'],
  [3, 20, '5.23687458962166092590e-2', '3.60418864740756943779e-1'],
  [4, 20, '8.06576625797980481420e-2', '4.16017432251893568747e-1'],
  [5, 20, '1.11861701407665664615e-1', '4.68700877618744016127e-1'],
  [6, 20, '1.45477244867604300726e-1', '5.18972818353523443867e-1'],
  [7, 20, '1.81191824101082061233e-1', '5.67145723314763747212e-1'],
  [8, 20, '2.18806532372817052992e-1', '6.13418499237746819304e-1'],
  [9, 20, '2.58197858255624237999e-1', '6.57914657549657698149e-1'],
  [10, 20, '2.99298008198212341781e-1', '7.00701991801787658219e-1'],
  [11, 20, '3.42085342450342301851e-1', '7.41802141744375762001e-1'],
  [12, 20, '3.86581500762253180696e-1', '7.81193467627182947008e-1'],
  [13, 20, '4.32854276685236252788e-1', '8.18808175898917938767e-1'],
  [14, 20, '4.81027181646476556133e-1', '8.54522755132395699274e-1'],
  [15, 20, '5.31299122381255983873e-1', '8.88138298592334335385e-1'],
  [16, 20, '5.83982567748106431253e-1', '9.19342337420201951858e-1'],
  [17, 20, '6.39581135259243056221e-1', '9.47631254103783390741e-1'],
  [18, 20, '6.98966354771512726198e-1', '9.72133518786231784616e-1'],
  [19, 20, '7.63868806553257965954e-1', '9.91118551199204608712e-1'],
  [20, 20, '8.38874841947180638518e-1', '1'],
  [1, 1000, '1.76546370626078038295e-4', '5.64255859795793512276e-3'],
  [2, 1000, '5.48643588120727133735e-4', '7.26280786349217578051e-3'],
  [333, 1000, '3.04477903348356232255e-1', '3.62800233985819178963e-1'],
  [500, 1000, '4.69069600368104183643e-1', '5.30930399631895816357e-1'],
  [998, 1000, '9.92737192136507824219e-1', '9.99451356411879272866e-1'],
  [999, 1000, '9.94357441402042064877e-1', '9.99823453629373921962e-1'],
  [1, 1000000, '1.76524576745371489206e-7', '5.66491180431144220542e-6'],
  [2, 1000000, '5.48472309596056344560e-7', '7.29295638857262946018e-6'],
  [333333, 1000000, '3.32409706142839027056e-1', '3.34257574341076583968e-1'],
  [500000, 1000000, '4.99020019890004784130e-1', '5.00979980109995215870e-1'],
  [999998, 1000000, '9.99992707043611427371e-1', '9.99999451527690403944e-1'],
  [999999, 1000000, '9.99994335088195688558e-1', '9.99999823475423254629e-1'],
  [1, 9007199254740991, '1.95981625300715127820e-17', '6.28934045483361450431e-16'],
  [2, 9007199254740991, '6.08926396258953226114e-17', '8.09684173312568878640e-16'],
  [3002399751580330, 9007199254740991, '3.33333323598086944818e-1', '3.33333343068579789996e-1'],
  [4503599627370495, 9007199254740991, '4.99999989674211801587e-1', '5.00000010325788087391e-1'],
  [9007199254740989, 9007199254740991, '9.99999999999999190316e-1', '9.99999999999999939107e-1'],
  [9007199254740990, 9007199254740991, '9.99999999999999371066e-1', '9.99999999999999980402e-1'],
]

/**
 * Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of
 * seven methods", Statistics in Medicine 17, Table II, method 3 (the score interval without
 * continuity correction), to 4 decimals.
 */
const NEWCOMBE: ReadonlyArray<readonly [number, number, number, number]> = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
]

describe('wilsonInterval', () => {
  it('is its transcription, bit for bit, for any n, k and z', () => {
    fc.assert(
      fc.property(trials, someZ, ({ k, n }, z) => {
        expect([...wilsonInterval(k, n, z)]).toEqualBits(wilsonReference(k, n, z))
      }),
    )
  })

  it('z defaults to 1.959963984540054, the 0.975 quantile of the standard normal', () => {
    fc.assert(
      fc.property(trials, ({ k, n }) => {
        expect([...wilsonInterval(k, n)]).toEqualBits([...wilsonInterval(k, n, Z95)])
      }),
    )
  })

  it('agrees with the 60-digit table to 1e-15 relative, and is exactly 0 at k = 0 and exactly 1 at k = n', () => {
    for (const [k, n, lo, hi] of TABLE) {
      const [a, b] = wilsonInterval(k, n)
      const close = (got: number, want: string): void => {
        const w = Number(want)
        if (want === '0' || want === '1') expect(got, `${k}/${n}`).toBe(w)
        else expect(Math.abs(got - w) / w, `${k}/${n}: ${got} against ${want}`).toBeLessThanOrEqual(1e-15)
      }
      close(a, lo)
      close(b, hi)
    }
    expect(TABLE.filter(([k]) => k === 0).every(([, , lo]) => lo === '0')).toBe(true)
  })

  it("agrees with Newcombe's published score intervals to 4 decimals", () => {
    for (const [k, n, lo, hi] of NEWCOMBE) {
      const [a, b] = wilsonInterval(k, n)
      expect(Math.abs(a - lo), `${k}/${n} lower`).toBeLessThanOrEqual(0.00005)
      expect(Math.abs(b - hi), `${k}/${n} upper`).toBeLessThanOrEqual(0.00005)
    }
  })

  it('holds p̂ = k/n inside [0, 1]: 0 <= lo <= k/n <= hi <= 1, with lo > 0 for k > 0 and hi < 1 for k < n on everyday n', () => {
    fc.assert(
      fc.property(trials, someZ, ({ k, n }, z) => {
        const [lo, hi] = wilsonInterval(k, n, z)
        expect(0 <= lo && lo <= k / n && k / n <= hi && hi <= 1, `[${lo}, ${hi}] around ${k}/${n}`).toBe(true)
        if (n <= 1_000_000 && k > 0) expect(lo).toBeGreaterThan(0)
        if (n <= 1_000_000 && k < n) expect(hi).toBeLessThan(1)
      }),
    )
  })

  it('is symmetric: lo(k, n) = 1 − hi(n − k, n), to 2^-49 absolute', () => {
    // Both sides are the same real number reached by different roundings (k/n against
    // 1 − (n − k)/n, a quotient against a sum). Each bound is within a few units of 2^-53
    // of its exact value (the bounds are at most 1, so relative and absolute errors agree up
    // to that factor: the table above allows 1e-15 ≈ 9 units, 20 000 draws against 60-digit
    // arithmetic never exceeded 5), and 1 − hi rounds once more: 16 units covers both with room.
    fc.assert(
      fc.property(trials, someZ, ({ k, n }, z) => {
        const [lo] = wilsonInterval(k, n, z)
        const [, hi] = wilsonInterval(n - k, n, z)
        expect(Math.abs(lo - (1 - hi)), `${k}/${n} at z = ${z}`).toBeLessThanOrEqual(16 * U)
      }),
    )
    // at the ends exactly: lo(0, n) = 0 = 1 − hi(n, n)
    expect(wilsonInterval(0, 7)[0]).toBe(1 - wilsonInterval(7, 7)[1])
  })

  it('narrows as n grows at a fixed p̂: m·k successes in m·n trials give a narrower interval (m >= 2)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 2, max: 1000 }), someZ, (n, u, m, z) => {
        const k = Math.min(n, Math.floor(u * (n + 1)))
        const [a, b] = wilsonInterval(k, n, z)
        const [c, d] = wilsonInterval(m * k, m * n, z)
        expect(d - c, `${k}/${n} against ${m * k}/${m * n}`).toBeLessThan(b - a)
      }),
    )
  })

  it('the lower bound does not cancel: it stays within 1e-15 of the table where centre − half loses bits', () => {
    // 2/1000: centre − half would be 1.6e-15 off (relative); the quotient p²/(d·upper) is not
    const [k, n, lo] = TABLE.find(([k, n]) => k === 2 && n === 1000)!
    const p = k / n
    const z2 = Z95 * Z95
    const d = 1 + z2 / n
    const centre = (p + z2 / (2 * n)) / d
    const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d
    expect(Math.abs(centre - half - Number(lo)) / Number(lo)).toBeGreaterThan(1e-15)
    expect(Math.abs(wilsonInterval(k, n)[0] - Number(lo)) / Number(lo)).toBeLessThanOrEqual(1e-15)
  })

  it('clamps the upper bound to 1 where centre + half rounds above it', () => {
    // found by search: at n near 2^53 and a large z the sum is 1 + 2^-52
    const [k, n, z] = [6440496809218602, 6440496809218604, 33.662265709002845]
    const p = k / n
    const z2 = z * z
    const d = 1 + z2 / n
    const upper = (p + z2 / (2 * n)) / d + (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d
    expect(upper).toBe(1 + 2 ** -52)
    expect(wilsonInterval(k, n, z)[1]).toBe(1)
  })

  it('refuses an n that is not a positive safe integer, a k outside 0..n or not an integer, and a z that is not positive and finite', () => {
    for (const n of [0, -1, 1.5, NaN, Infinity, 2 ** 53]) {
      expect(thrown(() => wilsonInterval(0, n))).toEqual(new RangeError(`wilsonInterval: n must be a positive integer, got ${String(n)}`))
    }
    for (const k of [-1, 11, 0.5, NaN]) {
      expect(thrown(() => wilsonInterval(k, 10))).toEqual(new RangeError(`wilsonInterval: successes must be an integer in 0..10, got ${String(k)}`))
    }
    for (const z of [0, -1, NaN, Infinity]) {
      expect(thrown(() => wilsonInterval(1, 10, z))).toEqual(new RangeError(`wilsonInterval: z must be a positive finite number, got ${String(z)}`))
    }
    expect(thrown(() => wilsonInterval(1, 10, -0))).toBeInstanceOf(RangeError)
    expect(wilsonInterval(1, 1, Number.MIN_VALUE)[1]).toBe(1)
    expect(wilsonInterval(0, Number.MAX_SAFE_INTEGER)[0]).toBe(0)
  })
})

// -------------------------------------------------------------------------------------
// quartiles
// -------------------------------------------------------------------------------------

/** Any finite doubles (−0, subnormals and values near ±MAX_VALUE included), or everyday ones. */
const values = fc.oneof(
  fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 30 }),
  fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 30 }),
  fc.array(fc.constantFrom(0, -0, 1, -1, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324), { minLength: 1, maxLength: 9 }),
)

/** Small integers: type 7 is exact on them (f is 0, 1/4, 1/2 or 3/4). */
const integers = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 30 })

/**
 * NumPy 2.4's `np.quantile(x, [0.25, 0.5, 0.75])` (method 'linear', type 7). The first row
 * is the Fréchet distances of docs/reproduction.md's seeds 0..19.
 */
const NUMPY: ReadonlyArray<readonly [ReadonlyArray<number>, readonly [number, number, number]]> = [
  [
    [1.2408, 0.0653, 0.1552, 0.1199, 0.0152, 0.145, 0.0763, 0.0605, 0.2448, 0.0841, 0.0188, 0.0614, 0.1301, 0.6853, 0.0654, 0.6729, 0.0634, 0.5354, 0.0987, 0.0592],
    [0.0629, 0.0914, 0.1776],
  ],
  [[3, 1, 2], [1.5, 2, 2.5]],
  [[1, 2, 3, 4], [1.75, 2.5, 3.25]],
  [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [0.25, 0.4, 0.55]],
  [[7.5, -2.25, 1e-3, 3, 100], [1e-3, 3, 7.5]],
  [[0.31, 0.07], [0.13, 0.19, 0.25]],
]

const asArray = (q: { count: number; q1: number; median: number; q3: number }): number[] => [q.count, q.q1, q.median, q.q3]

describe('quartiles', () => {
  it('is its transcription, bit for bit, for any finite values', () => {
    fc.assert(
      fc.property(values, (xs) => {
        expect(asArray(quartiles(xs))).toEqualBits(asArray(quartilesReference(xs)))
      }),
    )
  })

  it("agrees with NumPy's quantile (type 7) to 2 units of 2^-53 of the larger neighbour", () => {
    // NumPy interpolates as b − (b − a)(1 − f) for f >= 1/2 and a + (b − a)f below; the two
    // forms round differently, each within about one unit of the exact value.
    for (const [xs, want] of NUMPY) {
      const q = quartiles(xs)
      const got = [q.q1, q.median, q.q3]
      got.forEach((g, i) => expect(Math.abs(g - want[i]!), `${xs.join(', ')}: quartile ${i + 1}`).toBeLessThanOrEqual(2 * U * Math.max(...xs.map(Math.abs))))
      expect(q.count).toBe(xs.length)
    }
  })

  it('is exact on small integers: a known table, and the definition with exact arithmetic', () => {
    expect(quartiles([4, 1, 3, 2])).toEqual({ count: 4, q1: 1.75, median: 2.5, q3: 3.25 })
    expect(quartiles([10, 0])).toEqual({ count: 2, q1: 2.5, median: 5, q3: 7.5 })
    expect(quartiles([5, 1, 9, 3, 7])).toEqual({ count: 5, q1: 3, median: 5, q3: 7 })
    fc.assert(
      fc.property(integers, (xs) => {
        // in quarters, all integers: q(p)·4 = 4x_i + 4f·(x_{i+1} − x_i) with 4f = (n − 1)·4p mod 4
        const x = [...xs].sort((a, b) => a - b)
        const at = (quarter: number): number => {
          const h4 = (x.length - 1) * quarter // h in quarters
          const i = Math.floor(h4 / 4)
          const f4 = h4 - 4 * i
          return f4 === 0 ? x[i]! : (4 * x[i]! + f4 * (x[i + 1]! - x[i]!)) / 4
        }
        expect(quartiles(xs)).toEqual({ count: xs.length, q1: at(1), median: at(2), q3: at(3) })
      }),
    )
  })

  it('lies in sorted order: min <= q1 <= median <= q3 <= max, for any finite values', () => {
    fc.assert(
      fc.property(values, (xs) => {
        const { q1, median, q3 } = quartiles(xs)
        expect(Math.min(...xs) <= q1 && q1 <= median && median <= q3 && q3 <= Math.max(...xs), `${q1}, ${median}, ${q3}`).toBe(true)
      }),
    )
  })

  it('is monotone: raising one value never lowers a quartile (small integers, exact arithmetic)', () => {
    fc.assert(
      fc.property(integers, fc.nat(), fc.integer({ min: 0, max: 500 }), (xs, at, by) => {
        const i = at % xs.length
        const raised = xs.map((x, j) => (j === i ? x + by : x))
        const a = quartiles(xs)
        const b = quartiles(raised)
        expect(b.q1 >= a.q1 && b.median >= a.median && b.q3 >= a.q3).toBe(true)
      }),
    )
  })

  it('does not depend on the order of the values (−0 and +0 included), bit for bit', () => {
    fc.assert(
      fc.property(
        values.chain((xs) => fc.tuple(fc.constant(xs), fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length }))),
        ([xs, shuffled]) => {
          expect(asArray(quartiles(shuffled))).toEqualBits(asArray(quartiles(xs)))
        },
      ),
    )
    // −0 sorts before +0: q1 = x_1 = −0 and q3 = x_3 = +0 whatever the input's order
    expect(asArray(quartiles([0, 0, 0, -0, -0]))).toEqualBits([5, -0, 0, 0])
    expect(asArray(quartiles([-0, 0, -0, 0, 0]))).toEqualBits([5, -0, 0, 0])
  })

  it('of one value is that value three times, −0 included', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(asArray(quartiles([v]))).toEqualBits([1, v, v, v])
      }),
    )
    expect(asArray(quartiles([-0]))).toEqualBits([1, -0, -0, -0])
  })

  it('interpolates without overflow between values of opposite signs near ±MAX_VALUE', () => {
    const max = Number.MAX_VALUE
    // the difference overflows: (1 − f)·a + f·b instead
    expect(max - -max).toBe(Infinity)
    expect(quartiles([-max, max])).toEqual({ count: 2, q1: 0.75 * -max + 0.25 * max, median: 0, q3: 0.25 * -max + 0.75 * max })
  })

  it('refuses an empty array and any value that is not a finite number, naming it', () => {
    expect(thrown(() => quartiles([]))).toEqual(new RangeError('quartiles: needs at least one value, got none'))
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(thrown(() => quartiles([1, 2, bad]))).toEqual(new RangeError(`quartiles: every value must be a finite number, got ${String(bad)} at position 2`))
    }
    expect(thrown(() => quartiles([1, '2' as unknown as number]))).toEqual(new RangeError('quartiles: every value must be a finite number, got 2 at position 1'))
  })
})
