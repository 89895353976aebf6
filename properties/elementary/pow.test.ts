/**
 * powInt against exact BigInt powering: correctly rounded (and so within 1 ulp) for bases near
 * 1 with exponents up to 2^53 − 1 (the long squaring chains), Adam-like β^t, and any double;
 * special values as Math.pow's; x^2 = x·x bit for bit.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { powInt } from '../../src/elementary/index.js'
import { powPositive, powQuick } from '../../src/elementary/pow.js'
import { powIntRef, roundToDouble } from '../support/elementary-reference.js'
import { anyFiniteBits, doubleIn, expectWithin, uniformIn } from './cases.js'

const correctlyRounded = (x: number, n: number): void => {
  const ref = powIntRef(x, n)
  const y = powInt(x, n)
  expectWithin(`powInt(·, ${n})`, x, y, ref, 1)
  // The reference has no signed zero: a zero result takes the sign of x^n, negative only for a negative base (-0 included) and an odd n.
  const rounded = roundToDouble(ref)
  const want = rounded === 0 && (x < 0 || Object.is(x, -0)) && n % 2 === 1 ? -0 : rounded
  if (!Object.is(y, want)) expect.fail(`powInt(${x}, ${n}) = ${y}, the correctly rounded value is ${want}`)
}

/** Safe integers, log-uniform: 2^u for u uniform in [0, 53), floored. */
const exponent = (maxLog2: number): fc.Arbitrary<number> => uniformIn(0, maxLog2).map((u) => Math.min(Math.floor(2 ** u), Number.MAX_SAFE_INTEGER))

describe('powInt', () => {
  it('is correctly rounded for Adam-like bases β = 1 − 10^-d (d in [0.5, 9]) and t up to 10^8', () =>
    fc.assert(fc.property(uniformIn(0.5, 9).map((d) => 1 - 10 ** -d), exponent(26.6), correctlyRounded)))
  it('is correctly rounded for bases within 2^-20 of 1 and exponents up to 2^53 − 1', () =>
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: 33, max: 53 }), exponent(53), (k, s, n) => correctlyRounded(1 + k * 2 ** -s, n)),
    ))
  it('is correctly rounded for the longest squaring chains: x = 1 ± k·2^-52, n in [2^48, 2^53)', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.boolean(), uniformIn(48, 53), (k, up, u) => {
        const n = Math.min(Math.floor(2 ** u), Number.MAX_SAFE_INTEGER)
        correctlyRounded(up ? 1 + k * 2 ** -52 : 1 - k * 2 ** -53, n)
      }),
    ))
  it('is correctly rounded for bases in (0, 4) and exponents up to 2^20', () => fc.assert(fc.property(uniformIn(0, 4), exponent(20), correctlyRounded)))
  it('is correctly rounded for any double and exponent (overflow, underflow, subnormal results, signs)', () =>
    fc.assert(fc.property(anyFiniteBits, exponent(53), correctlyRounded)))
  it('is correctly rounded near the subnormal range and the overflow threshold', () =>
    fc.assert(
      fc.property(uniformIn(0.5, 2), fc.integer({ min: 1, max: 3 }), (x, which) => {
        // n with x^n near 2^-1074, 2^-1022 or 2^1024
        const target = which === 1 ? -1074 : which === 2 ? -1022 : 1024
        const n = Math.max(1, Math.round((target * Math.LN2) / Math.log(x)))
        if (Number.isSafeInteger(n) && Math.abs(Math.log(x)) > 1e-9) correctlyRounded(x, n)
      }),
    ))
  it('is correctly rounded for the largest and smallest doubles (the top binade, subnormal bases)', () =>
    fc.assert(fc.property(fc.oneof(doubleIn(2 ** 1000, Number.MAX_VALUE), doubleIn(-Number.MAX_VALUE, -(2 ** 1000)), doubleIn(-2.2250738585072014e-308, 2.2250738585072014e-308)), fc.integer({ min: 0, max: 4 }), correctlyRounded)))
  it('gives x·x for n = 2 and x for n = 1, bit for bit', () =>
    fc.assert(
      fc.property(anyFiniteBits, (x) => {
        expect(Object.is(powInt(x, 2), x * x)).toBe(true)
        expect(Object.is(powInt(x, 1), x)).toBe(true)
      }),
    ))
  it("has Math.pow's special values for integer exponents", () => {
    expect(powInt(NaN, 0)).toBe(1)
    expect(powInt(Infinity, 0)).toBe(1)
    expect(powInt(0, 0)).toBe(1)
    expect(powInt(NaN, 3)).toBeNaN()
    expect(Object.is(powInt(0, 3), 0)).toBe(true)
    expect(Object.is(powInt(-0, 3), -0)).toBe(true)
    expect(Object.is(powInt(-0, 4), 0)).toBe(true)
    expect(powInt(Infinity, 5)).toBe(Infinity)
    expect(powInt(-Infinity, 5)).toBe(-Infinity)
    expect(powInt(-Infinity, 6)).toBe(Infinity)
    expect(powInt(-1, Number.MAX_SAFE_INTEGER)).toBe(-1)
    expect(powInt(1, Number.MAX_SAFE_INTEGER)).toBe(1)
    expect(powInt(0.999, 1_000_000)).toBe(0)
    expect(powInt(1.7903519114213349e308, 3)).toBe(Infinity)
    expect(powInt(Number.MAX_VALUE, 1)).toBe(Number.MAX_VALUE)
    expect(powInt(-Number.MAX_VALUE, 2)).toBe(Infinity)
    expect(powInt(2, 1023)).toBe(8.98846567431158e307)
    expect(powInt(2, 1024)).toBe(Infinity)
    expect(powInt(0.5, 1074)).toBe(Number.MIN_VALUE)
    expect(powInt(0.5, 1075)).toBe(0)
    expect(powInt(-2, 1025)).toBe(-Infinity)
    expect(powInt(1 - 2 ** -53, Number.MAX_SAFE_INTEGER)).toBe(0.36787944117144233)
  })
  it('refuses an exponent that is not an integer >= 0', () => {
    for (const n of [-1, 0.5, NaN, Infinity, -Infinity, 2 ** 51 + 0.5]) expect(() => powInt(2, n)).toThrow(RangeError)
  })

  it('exponents beyond 2^53 (Adam at the largest safe count): correctly rounded against the reference, 0 and Infinity where the powers leave the range', () => {
    for (const x of [1 - 2 ** -53, 1 - 2 ** -52, 1 + 2 ** -52, 0.999, 0.9, 1.5, -(1 - 2 ** -53)]) {
      for (const n of [2 ** 53, 2 ** 53 + 2, 2 ** 54, 2 ** 60, 1e300]) {
        expect(Object.is(powInt(x, n), roundToDouble(powIntRef(x, n))), `${x}^${n}`).toBe(true)
      }
    }
    // (1 - 2^-53)^(2^54) = e^-2 to within 2^-53 relative
    expect(Math.abs(powInt(1 - 2 ** -53, 2 ** 54) / 0.1353352832366127 - 1)).toBeLessThan(2 ** -50)
    expect(powInt(0.9, 2 ** 53)).toBe(0)
    expect(powInt(1.5, 2 ** 53)).toBe(Infinity)
    expect(powInt(-1, 2 ** 53)).toBe(1)
  })

  describe('its two phases (Ziv: a quick double-double powering, the accurate one when the quick cannot decide)', () => {
    /** The quick phase's answer, when it gives one, is the accurate phase's, bit for bit. */
    const samePhases = (a: number, n: number): boolean => {
      const quick = powQuick(a, n)
      if (quick === quick && !Object.is(quick, powPositive(a, n))) expect.fail(`powQuick(${a}, ${n}) = ${quick}, powPositive gives ${powPositive(a, n)}`)
      return quick === quick
    }
    const positiveBase = (arb: fc.Arbitrary<number>): fc.Arbitrary<number> => arb.map(Math.abs).filter((a) => a > 0 && a !== 1 && Number.isFinite(a))
    it('agree wherever the quick phase answers: Adam-like bases, bases in (0, 4), any double', () => {
      const agree = (a: number, n: number): void => void samePhases(a, n)
      fc.assert(fc.property(uniformIn(0.5, 9).map((d) => 1 - 10 ** -d), exponent(26.6).filter((n) => n >= 2), agree))
      fc.assert(fc.property(positiveBase(uniformIn(0, 4)), exponent(20).filter((n) => n >= 2), agree))
      fc.assert(fc.property(positiveBase(anyFiniteBits), exponent(45).filter((n) => n >= 2), agree))
    })
    it('the quick phase answers for Adam\'s bias corrections over a long run (β in {0.5, 0.9, 0.99, 0.999}, t ≤ 10^5)', () => {
      let declined = 0
      for (const beta of [0.5, 0.9, 0.99, 0.999]) for (let t = 2; t <= 100_000; t += 7) if (!samePhases(beta, t) && beta ** t > 2 ** -890) declined++
      expect(declined).toBe(0)
    })
    it('the quick phase declines outside its range: results beyond 2^±900, exponents from 2^40', () => {
      expect(powQuick(0.5, 901)).toBeNaN()
      expect(powQuick(2, 901)).toBeNaN()
      expect(powQuick(0.5, 899)).toBe(2 ** -899)
      expect(powQuick(1 + 2 ** -40, 2 ** 40)).toBeNaN()
      expect(powQuick(Number.MAX_VALUE, 2)).toBeNaN()
      expect(powQuick(Number.MIN_VALUE, 2)).toBeNaN()
    })
  })
})
