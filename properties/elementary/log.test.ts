/**
 * log and log1p against the BigInt reference (≤ 1 ulp on every double of their domains), their
 * special values, and monotonicity across the breakpoints of fdlibm's reduction.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { log, log1p, log1pInto } from '../../src/elementary/index.js'
import { log1pRef, logRef } from '../support/elementary-reference.js'
import { anyFiniteBits, around, arrayFormLaw, doubleIn, expectWithin, nextUp, uniformIn } from './cases.js'

const accurate = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('log', x, log(x), logRef(x), 1)
    }),
  )
const accurate1p = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('log1p', x, log1p(x), log1pRef(x), 1)
    }),
  )
const monotone = (f: (x: number) => number, arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      const y = nextUp(x)
      if (!(f(x) <= f(y))) expect.fail(`not monotone: f(${x}) = ${f(x)} > f(${y}) = ${f(y)}`)
    }),
  )

/** Powers of two and √2·2^k (where k changes in the reduction), ±64 doubles. */
const logBreakpoints = fc.integer({ min: -1074, max: 1023 }).chain((k) => {
  const p = 2 ** k
  return fc.oneof(around(p, 64), around(Math.SQRT2 * p > Number.MAX_VALUE ? p : Math.SQRT2 * p, 64))
}).filter((x) => x > 0 && Number.isFinite(x))

describe('log', () => {
  it('is within 1 ulp on every positive double, by bit pattern (subnormals included)', accurate(anyFiniteBits.map(Math.abs).filter((x) => x > 0)))
  it('is within 1 ulp on doubles of (0, 4] and uniformly in value on (0, 4]', () => {
    accurate(doubleIn(Number.MIN_VALUE, 4))()
    accurate(uniformIn(1e-9, 4))()
  })
  it('is within 1 ulp near 1, where log x ≈ x − 1 is small', accurate(fc.oneof(uniformIn(0.5, 2), uniformIn(0.999, 1.001), around(1, 100000))))
  it('is within 1 ulp on subnormals', accurate(doubleIn(Number.MIN_VALUE, 2.2250738585072014e-308)))
  it('is within 1 ulp and monotone across powers of two and √2·2^k', () => {
    accurate(logBreakpoints)()
    monotone(log, logBreakpoints)()
  })
  it('has the special values', () => {
    expect(log(NaN)).toBeNaN()
    expect(log(-1)).toBeNaN()
    expect(log(-Number.MIN_VALUE)).toBeNaN()
    expect(log(-Infinity)).toBeNaN()
    expect(log(0)).toBe(-Infinity)
    expect(log(-0)).toBe(-Infinity)
    expect(log(Infinity)).toBe(Infinity)
    expect(Object.is(log(1), 0)).toBe(true)
    expect(log(2)).toBe(0.6931471805599453)
    expect(log(Number.MIN_VALUE)).toBe(-744.4400719213812)
    expect(log(Number.MAX_VALUE)).toBe(709.782712893384)
  })
})

describe('log1p', () => {
  it('is within 1 ulp on every double > -1, by bit pattern', accurate1p(anyFiniteBits.filter((x) => x > -1)))
  it('is within 1 ulp on doubles of (-1, 4] and uniformly in value on (-1, 4]', () => {
    accurate1p(doubleIn(-1 + 2 ** -53, 4))()
    accurate1p(uniformIn(-0.999999, 4))()
  })
  it('is within 1 ulp near 0 and near -1', accurate1p(fc.oneof(doubleIn(-1e-3, 1e-3), around(-1 + 2 ** -53, 100000).filter((x) => x > -1), doubleIn(-1 + 2 ** -53, -0.99))))
  it('is within 1 ulp and monotone across its branch points (±2^-29, ±2^-54, √2/2 − 1, √2 − 1, powers of two)', () => {
    const points = fc.oneof(
      fc.constantFrom(2 ** -29, -(2 ** -29), 2 ** -54, -(2 ** -54), Math.SQRT1_2 - 1, Math.SQRT2 - 1, 2 ** 53, 1).chain((c) => around(c, 64)),
      fc.integer({ min: -50, max: 1023 }).chain((k) => around(2 ** k - 1, 64)),
    ).filter((x) => x > -1)
    accurate1p(points)()
    monotone(log1p, points)()
  })
  it('has the special values (sign of zero kept)', () => {
    expect(log1p(NaN)).toBeNaN()
    expect(log1p(-2)).toBeNaN()
    expect(log1p(-Infinity)).toBeNaN()
    expect(log1p(-1)).toBe(-Infinity)
    expect(log1p(Infinity)).toBe(Infinity)
    expect(Object.is(log1p(0), 0)).toBe(true)
    expect(Object.is(log1p(-0), -0)).toBe(true)
    expect(log1p(Number.MIN_VALUE)).toBe(Number.MIN_VALUE)
    expect(log1p(-Number.MIN_VALUE)).toBe(-Number.MIN_VALUE)
    expect(log1p(1)).toBe(0.6931471805599453)
  })
})

describe('log1pInto', () => {
  it('is log1p entry by entry, bit for bit, at any offsets and in place, and writes nothing else', () =>
    fc.assert(arrayFormLaw(log1p, log1pInto, fc.oneof(anyFiniteBits, uniformIn(-3, 3), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, -1, -2, 5e-324, 2 ** -29)))))
})
