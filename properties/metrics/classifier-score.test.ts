/**
 * classifierScore (src/metrics/classifier-score.ts): against the literal transcription in
 * properties/support/parzen-reference.ts bit for bit, its two known values (equal rows → 1,
 * one-hot rows spread evenly over K classes → K) to stated rounding, its bounds [1, K], and
 * the refusals' exact messages.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ShapeError, fromArrays, zeros } from '../../src/matrix/index.js'
import { classifierScore } from '../../src/metrics/classifier-score.js'
import { classifierScoreReference } from '../support/parzen-reference.js'
import { thrown } from '../support/thrown.js'

const U = 2 ** -53

/** A row of K probabilities: nonnegative weights (some exactly 0) divided by their sum. */
const row = (k: number) =>
  fc
    .array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })), { minLength: k, maxLength: k })
    .filter((w) => w.some((v) => v > 0))
    .map((w) => {
      const s = w.reduce((a, b) => a + b, 0)
      return w.map((v) => v / s)
    })
const rows = fc.integer({ min: 1, max: 8 }).chain((k) => fc.tuple(fc.constant(k), fc.array(row(k), { minLength: 1, maxLength: 30 })))

describe('classifierScore', () => {
  it('equals the transcription bit for bit', () => {
    fc.assert(
      fc.property(rows, ([, p]) => {
        expect(Object.is(classifierScore(fromArrays(p)), classifierScoreReference(p))).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  /**
   * Equal rows: S_k is n copies of p_k summed (relative error ≤ (n − 1)u), so each ratio
   * n·p_k/S_k is 1 within (n + 1)u, its log within (n + 1)u·(1 + u) of 0, KL_i within
   * (n + 1)u·(1 + 2u)·Σ_k p_k plus the K-term sum's rounding of terms that small, D likewise,
   * and exp(D) ≤ 1 + (n + 2)u·(1 + small) + one ulp. So |score − 1| ≤ (n + 4)·2u.
   */
  it('all rows equal: 1, within (n + 4)·2u', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }).chain((k) => row(k)), fc.integer({ min: 1, max: 200 }), (p, n) => {
        const score = classifierScore(fromArrays(new Array<number[]>(n).fill(p)))
        expect(score).toBeGreaterThanOrEqual(1)
        expect(score - 1).toBeLessThanOrEqual((n + 4) * 2 * U)
      }),
    )
  })

  /**
   * One-hot rows, r per class: S_k = r and n·1/r = K exactly, so KL_i is log K (one rounding,
   * L); D sums n copies of L (relative error ≤ (n − 1)u) and divides by n (u), and exp carries
   * D's absolute error (≤ (n + 1)u·L + 2u·L for log's ulp) into a relative one, plus its own ulp.
   */
  it('n one-hot rows spread evenly over K classes, in any order: K within K·u·(2(n + 3)·log K + 2)', () => {
    let exact = 0
    let all = 0
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }), fc.array(fc.nat()), (k, r, keys) => {
        const labels = Array.from({ length: k * r }, (_, i) => i % k)
        const order = labels.map((c, i) => ({ c, key: keys[i % Math.max(keys.length, 1)] ?? 0, i })).sort((a, b) => a.key - b.key || a.i - b.i)
        const p = order.map(({ c }) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)))
        const score = classifierScore(fromArrays(p))
        const n = k * r
        all++
        if (score === k) exact++
        expect(Math.abs(score - k)).toBeLessThanOrEqual(k * U * (2 * (n + 3) * Math.log(k) + 2))
      }),
    )
    console.log(`one-hot rows evenly over K classes: exactly K in ${exact} of ${all} cases`)
  })

  /**
   * [1, K]: the clamp gives ≥ 1 exactly. Above: D ≤ log K for rows summing to 1 exactly; these
   * rows sum to 1 within K·u (one division each), which can raise D by about K·u·(1 + log K),
   * and rounding adds at most about (n + K + 4)u·(2 + log n + log K) (the sums of n and K
   * terms, the logs' ulps). Their total is below 4(n + K + 4)u·(2 + log n + log K).
   */
  it('lies in [1, K·(1 + 4(n + K + 4)u·(2 + log n + log K))]', () => {
    fc.assert(
      fc.property(rows, ([k, p]) => {
        const n = p.length
        const score = classifierScore(fromArrays(p))
        expect(score).toBeGreaterThanOrEqual(1)
        expect(score).toBeLessThanOrEqual(k * (1 + 4 * (n + k + 4) * U * (2 + Math.log(n) + Math.log(k))))
      }),
      { numRuns: 300 },
    )
  })

  it('one row, or one class: 1', () => {
    expect(classifierScore(fromArrays([[0.2, 0.3, 0.5]]))).toBe(1)
    expect(classifierScore(fromArrays([[1], [1], [1]]))).toBe(1)
  })
})

describe('refusals, with their exact messages', () => {
  const cases: ReadonlyArray<[string, () => unknown, typeof ShapeError | typeof RangeError, string]> = [
    ['no row', () => classifierScore(zeros(0, 3)), ShapeError, 'classifierScore: needs at least one row and one class, got (0x3)'],
    ['no class', () => classifierScore(zeros(2, 0)), ShapeError, 'classifierScore: needs at least one row and one class, got (2x0)'],
    ['negative', () => classifierScore(fromArrays([[0.5, 0.5], [1.5, -0.5]])), RangeError, 'classifierScore: probabilities must lie in [0, 1]; entry (1, 0) is 1.5'],
    ['NaN', () => classifierScore(fromArrays([[NaN, 1]])), RangeError, 'classifierScore: probabilities must lie in [0, 1]; entry (0, 0) is NaN'],
    ['sum', () => classifierScore(fromArrays([[0.5, 0.5], [0.5, 0.49]])), RangeError, 'classifierScore: row 1 sums to 0.99; each row must sum to 1 within 1e-6'],
  ]
  it.each(cases)('%s', (_name, f, kind, message) => {
    const e = thrown(f)
    expect(e).toBeInstanceOf(kind)
    expect(e.message).toBe(message)
  })

  it('a row sum within 1e-6 of 1 is taken as it is', () => {
    expect(classifierScore(fromArrays([[0.5, 0.5 + 9e-7]]))).toBe(1)
  })
})
