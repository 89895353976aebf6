/**
 * exp and expm1 against the BigInt reference (≤ 1 ulp on every double), their special values,
 * and monotonicity across the breakpoints of fdlibm's argument reduction.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { exp, expm1 } from '../../src/elementary/index.js'
import { expRef, expm1Ref } from '../support/elementary-reference.js'
import { anyFiniteBits, around, doubleIn, expectWithin, nextUp, uniformIn } from './cases.js'

const LN2 = 0.6931471805599453
const O_THRESHOLD = 709.782712893384
const U_THRESHOLD = -745.1332191019411

const accurate = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('exp', x, exp(x), expRef(x), 1)
    }),
  )
const accurateM1 = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('expm1', x, expm1(x), expm1Ref(x), 1)
    }),
  )

/** The doubles around the reduction's breakpoints (j + 1/2)·ln2 and the branch points 0.5·ln2, 1.5·ln2, 2^-28, 2^-54. */
const breakpoints = (jMin: number, jMax: number): fc.Arbitrary<number> =>
  fc.oneof(
    fc.integer({ min: jMin, max: jMax }).chain((j) => around((j + 0.5) * LN2, 64)),
    fc.constantFrom(0.5 * LN2, -0.5 * LN2, 1.5 * LN2, -1.5 * LN2, 2 ** -28, -(2 ** -28), 2 ** -54, -(2 ** -54), 56 * LN2, -56 * LN2).chain((c) => around(c, 64)),
  )

const monotone = (f: (x: number) => number, arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      const y = nextUp(x)
      if (!(f(x) <= f(y))) expect.fail(`not monotone: f(${x}) = ${f(x)} > f(${y}) = ${f(y)}`)
    }),
  )

describe('exp', () => {
  it('is within 1 ulp on doubles of its whole finite-result range [-745.2, 709.8]', accurate(doubleIn(-745.2, 709.79)))
  it('is within 1 ulp uniformly in value on [-745.2, 709.8]', accurate(uniformIn(-745.2, 709.79)))
  it('is within 1 ulp on every double, by bit pattern (overflow to Infinity, underflow to 0)', accurate(anyFiniteBits))
  it('is within 1 ulp near 0', accurate(doubleIn(-1e-3, 1e-3)))
  it('is within 1 ulp next to the overflow threshold, the underflow threshold and the subnormal boundary', accurate(fc.oneof(around(O_THRESHOLD, 1000), around(U_THRESHOLD, 1000), around(-708.3964185322641, 1000), uniformIn(-745.2, -708))))
  it('is within 1 ulp and monotone across the argument reduction breakpoints', () => {
    accurate(breakpoints(-1075, 1023))()
    monotone(exp, breakpoints(-1075, 1023))()
  })
  it('has the special values of IEEE 754 / fdlibm', () => {
    expect(exp(NaN)).toBeNaN()
    expect(exp(Infinity)).toBe(Infinity)
    expect(Object.is(exp(-Infinity), 0)).toBe(true)
    expect(exp(0)).toBe(1)
    expect(exp(-0)).toBe(1)
    expect(exp(1)).toBe(2.718281828459045)
    expect(exp(O_THRESHOLD)).toBe(1.7976931348622732e308)
    expect(exp(nextUp(O_THRESHOLD))).toBe(Infinity)
    expect(exp(Number.MAX_VALUE)).toBe(Infinity)
    expect(exp(-Number.MAX_VALUE)).toBe(0)
    expect(exp(U_THRESHOLD)).toBe(Number.MIN_VALUE)
    expect(exp(-745.14)).toBe(0)
    expect(exp(Number.MIN_VALUE)).toBe(1)
    expect(exp(-Number.MIN_VALUE)).toBe(1)
  })
})

describe('expm1', () => {
  it('is within 1 ulp on doubles of [-40, 709.8] (tiny magnitudes frequent)', accurateM1(doubleIn(-40, 709.79)))
  it('is within 1 ulp uniformly in value on [-40, 709.8]', accurateM1(uniformIn(-40, 709.79)))
  it('is within 1 ulp on every double, by bit pattern', accurateM1(anyFiniteBits))
  it('is within 1 ulp near 0, where exp(x) − 1 would cancel', accurateM1(fc.oneof(doubleIn(-1, 1), uniformIn(-1, 1))))
  it('is within 1 ulp next to the overflow threshold and the -1 cut-off at -56·ln2', accurateM1(fc.oneof(around(O_THRESHOLD, 1000), around(-56 * LN2, 1000), uniformIn(-45, -30))))
  it('is within 1 ulp and monotone across the argument reduction breakpoints', () => {
    accurateM1(breakpoints(-60, 1023))()
    monotone(expm1, breakpoints(-60, 1023))()
  })
  it('has the special values (sign of zero kept)', () => {
    expect(expm1(NaN)).toBeNaN()
    expect(expm1(Infinity)).toBe(Infinity)
    expect(expm1(-Infinity)).toBe(-1)
    expect(Object.is(expm1(0), 0)).toBe(true)
    expect(Object.is(expm1(-0), -0)).toBe(true)
    expect(expm1(Number.MIN_VALUE)).toBe(Number.MIN_VALUE)
    expect(expm1(-Number.MIN_VALUE)).toBe(-Number.MIN_VALUE)
    expect(expm1(1e-300)).toBe(1e-300)
    expect(expm1(-40)).toBe(-1)
    expect(expm1(-Number.MAX_VALUE)).toBe(-1)
    expect(expm1(nextUp(O_THRESHOLD))).toBe(Infinity)
  })
  it('keeps the sign of its argument and lies above x', () =>
    fc.assert(
      fc.property(doubleIn(-700, 700), (x) => {
        const y = expm1(x)
        expect(Math.sign(y)).toBe(Math.sign(x))
        expect(y >= x).toBe(true)
      }),
    ))
})
