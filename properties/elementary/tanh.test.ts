/**
 * tanh against the BigInt reference: within 0.625 ulp on every double (the error bound of its
 * double-double evaluation, docs/elementary.md), odd symmetry, bounds, special values, and
 * monotonicity across the breakpoints of its reduction.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { tanh, tanhInto } from '../../src/elementary/index.js'
import { tanhRef } from '../support/elementary-reference.js'
import { anyFiniteBits, around, arrayFormLaw, doubleIn, expectWithin, nextUp, uniformIn } from './cases.js'

/** The bound the analysis gives: 1/2 ulp of final rounding plus 2^-57 relative (≤ 1/8 ulp) before it. */
const BOUND = 0.625
const LN2 = 0.6931471805599453

const accurate = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('tanh', x, tanh(x), tanhRef(x), BOUND)
    }),
  )

/** Around a = (j + 1/2)·ln2/2 (where the reduction's k changes), 2^-28, 19.06 and 22. */
const breakpoints = fc.oneof(
  fc.integer({ min: 0, max: 63 }).chain((j) => around(((j + 0.5) * LN2) / 2, 64)),
  fc.constantFrom(2 ** -28, 19.061547465398498, 22).chain((c) => around(c, 64)),
).chain((a) => fc.boolean().map((neg) => (neg ? -a : a)))

describe('tanh', () => {
  it('is within 0.625 ulp on every double, by bit pattern', accurate(anyFiniteBits))
  it('is within 0.625 ulp on doubles of [-25, 25] and uniformly in value on [-25, 25]', () => {
    accurate(doubleIn(-25, 25))()
    accurate(uniformIn(-25, 25))()
  })
  it('is within 0.625 ulp on [-1, 1], around |x| = 0.55 and on subnormals', () => {
    accurate(uniformIn(-1, 1))()
    accurate(fc.oneof(uniformIn(0.5, 0.6), uniformIn(-0.6, -0.5), around(0.5493061443340549, 10000)))()
    accurate(doubleIn(-2.2250738585072014e-308, 2.2250738585072014e-308))()
  })
  it('is within 0.625 ulp and monotone across its reduction breakpoints', () => {
    accurate(breakpoints)()
    fc.assert(
      fc.property(breakpoints, (x) => {
        const y = nextUp(x)
        if (!(tanh(x) <= tanh(y))) expect.fail(`not monotone: tanh(${x}) = ${tanh(x)} > tanh(${y}) = ${tanh(y)}`)
      }),
    )
  })
  it('is odd bit for bit and bounded by 1 in magnitude', () =>
    fc.assert(
      fc.property(fc.oneof(anyFiniteBits, doubleIn(-25, 25)), (x) => {
        expect(Object.is(tanh(-x), -tanh(x))).toBe(true)
        expect(Math.abs(tanh(x)) <= 1).toBe(true)
      }),
    ))
  it('has the special values: ±0 kept, x for tiny x, ±1 from 19.07 on', () => {
    expect(tanh(NaN)).toBeNaN()
    expect(tanh(Infinity)).toBe(1)
    expect(tanh(-Infinity)).toBe(-1)
    expect(Object.is(tanh(0), 0)).toBe(true)
    expect(Object.is(tanh(-0), -0)).toBe(true)
    expect(tanh(Number.MIN_VALUE)).toBe(Number.MIN_VALUE)
    expect(tanh(-1e-300)).toBe(-1e-300)
    expect(tanh(1e-9)).toBe(1e-9)
    expect(tanh(19.07)).toBe(1)
    expect(tanh(-22)).toBe(-1)
    expect(tanh(Number.MAX_VALUE)).toBe(1)
    expect(tanh(0.5)).toBe(0.46211715726000974)
  })
})

describe('tanhInto', () => {
  it('is tanh entry by entry, bit for bit, at any offsets and in place, and writes nothing else', () =>
    fc.assert(arrayFormLaw(tanh, tanhInto, fc.oneof(anyFiniteBits, uniformIn(-3, 3), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 22, -22, 2 ** -28, 5e-324)))))
})
