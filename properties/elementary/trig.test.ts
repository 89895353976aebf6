/**
 * sin, cos and sinCos against the BigInt reference (π from Machin's formula, exact reduction,
 * Taylor series): within 1 ulp on the data sets' angles, around the multiples of π/2 and π/4
 * (where the reduction cancels or changes quadrant) across the whole double range, on tiny and
 * subnormal arguments and on every double by bit pattern; symmetry bit for bit,
 * sin² + cos² = 1 to a few ulps, special values, and fdlibm's tables of π/2 and 2/π checked
 * against the reference π.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cos, sin, sinCos } from '../../src/elementary/index.js'
import { CODY_WAITE, PIO2_24, TWO_OVER_PI_24 } from '../../src/elementary/trig.js'
import { type Big, PI_BITS, PI_FIXED, cosRef, fromDouble, roundToDouble, sinRef, sub } from '../support/elementary-reference.js'
import { anyFiniteBits, around, doubleIn, expectWithin, fromBits, nextUp, uniformIn } from './cases.js'

/** fdlibm's bound (measured below 0.75, docs/elementary.md). */
const BOUND = 1
const PI = Math.PI

const accurate = (arb: fc.Arbitrary<number>) => (): void =>
  fc.assert(
    fc.property(arb, (x) => {
      expectWithin('sin', x, sin(x), sinRef(x), BOUND)
      expectWithin('cos', x, cos(x), cosRef(x), BOUND)
    }),
  )

/** `arb` or its negation. */
const signed = (arb: fc.Arbitrary<number>): fc.Arbitrary<number> => arb.chain((a) => fc.boolean().map((neg) => (neg ? -a : a)))

/** `j·π/2^s` as the nearest double, from the reference π (Infinity beyond the double range). */
const multiple = (j: bigint, s: number): number => roundToDouble({ m: j * PI_FIXED, e: -PI_BITS - s })

/** A positive integer with a uniformly chosen number of bits in [1, maxBits] (log-uniform in size). */
const integerOfBits = (maxBits: number): fc.Arbitrary<bigint> =>
  fc.integer({ min: 1, max: maxBits }).chain((b) => fc.bigInt({ min: 1n << BigInt(b - 1), max: (1n << BigInt(b)) - 1n }))

/**
 * The doubles within 16 positions of `j·π/2` (`quarter` false) or of `(2j + 1)·π/4` (`quarter`
 * true) for j of up to `maxBits` bits: where `x − n·π/2` cancels, and where n changes.
 */
const nearMultiples = (maxBits: number, quarter: boolean): fc.Arbitrary<number> =>
  integerOfBits(maxBits)
    .map((j) => (quarter ? multiple(2n * j + 1n, 2) : multiple(j, 1)))
    .filter(Number.isFinite)
    .chain((x) => around(x, 16))

/** The high word 0x3fe921fb ends the direct range (|x| ≲ π/4); 0x413921fb starts Payne–Hanek (≈ 2^20·π/2). */
const DIRECT_END = fromBits(0x3fe921fc00000000n)
const MEDIUM_END = fromBits(0x413921fb00000000n)
/** The tiny cut-offs: sin(x) = x below 2^-26, cos(x) = 1 below the double with high word 0x3e46a09e (≈ 2^-27·√2). */
const SIN_TINY = 2 ** -26
const COS_TINY = fromBits(0x3e46a09e00000000n)
/**
 * The j ≤ 2^20 whose nearest double to j·π/2 is relatively closest to it, 2^-69 to 2^-73 (found
 * by scanning every j with the reference π): the cancellations that need the third part of π/2.
 */
const CLOSEST_BELOW_2_20 = [204551n, 554999n, 789615n, 263205n, 380513n, 526410n, 761026n, 846793n, 1024231n, 87981n]
/** The double closest to a multiple of π/2 (6381956970095103·2^797, 2^-60.9 from it). */
const HARDEST = 6381956970095103 * 2 ** 797

describe('sin and cos', () => {
  it('are within 1 ulp uniformly in value on [-2π, 2π]', accurate(uniformIn(-2 * PI, 2 * PI)))
  it('are within 1 ulp on the data sets\u2019 angles: [0, 15], the swiss roll\u2019s [1.5π, 4.5π], the moons\u2019 [0, π]', () => {
    accurate(uniformIn(0, 15))()
    accurate(uniformIn(1.5 * PI, 4.5 * PI))()
    accurate(uniformIn(0, PI))()
  })
  it('are within 1 ulp around the multiples of π/2 (cancellation) and π/4 (quadrant changes) below 2^20·π/2', () => {
    accurate(signed(nearMultiples(20, false)))()
    accurate(signed(nearMultiples(20, true)))()
    accurate(signed(fc.integer({ min: 1, max: 16 }).chain((j) => around(multiple(BigInt(j), 1), 1000))))()
    accurate(signed(fc.constantFrom(...CLOSEST_BELOW_2_20).chain((j) => around(multiple(j, 1), 4))))()
  })
  it('are within 1 ulp around the multiples of π/2 and π/4 across the whole range (Payne–Hanek) and at the hardest case', () => {
    accurate(signed(nearMultiples(1023, false)))()
    accurate(signed(nearMultiples(1023, true)))()
    accurate(signed(around(HARDEST, 64)))()
  })
  it('are within 1 ulp just above the Cody–Waite range, [2^20·π/2, 2^27], where Payne–Hanek starts with its first chunk of 2/π', () => {
    accurate(signed(uniformIn(MEDIUM_END, 2 ** 27)))()
    accurate(signed(fc.bigInt({ min: 1n << 20n, max: 1n << 27n }).chain((j) => around(multiple(j, 1), 16))))()
  })
  it('are within 1 ulp next to the ends of the direct range and of the Cody–Waite range', () =>
    accurate(signed(fc.oneof(around(DIRECT_END, 1000), around(PI / 4, 1000), around(MEDIUM_END, 1000), around(2 ** 20 * (PI / 2), 1000))))())
  it('are within 1 ulp on tiny and subnormal arguments and next to the tiny cut-offs', () => {
    accurate(doubleIn(-(2 ** -20), 2 ** -20))()
    accurate(doubleIn(-2.2250738585072014e-308, 2.2250738585072014e-308))()
    accurate(signed(fc.oneof(around(SIN_TINY, 1000), around(COS_TINY, 1000))))()
  })
  it('are within 1 ulp on every double, by bit pattern, and log-uniformly in magnitude', () => {
    accurate(anyFiniteBits)()
    accurate(signed(uniformIn(-1074, 1023.99).map((u) => 2 ** u)))()
    accurate(uniformIn(-(2 ** 21), 2 ** 21))()
  })
  it('are odd and even bit for bit: sin(−x) = −sin(x), cos(−x) = cos(x)', () =>
    fc.assert(
      fc.property(fc.oneof(anyFiniteBits, uniformIn(-20, 20), nearMultiples(1023, false)), (x) => {
        expect(Object.is(sin(-x), -sin(x))).toBe(true)
        expect(Object.is(cos(-x), cos(x))).toBe(true)
      }),
    ))
  it('keep sin² + cos² within 4 ulps of 1 (2^-50) and both within [−1, 1]', () =>
    fc.assert(
      fc.property(fc.oneof(anyFiniteBits, uniformIn(-20, 20), nearMultiples(1023, true)), (x) => {
        const s = sin(x)
        const c = cos(x)
        expect(Math.abs(s * s + c * c - 1)).toBeLessThanOrEqual(2 ** -50)
        expect(Math.abs(s) <= 1 && Math.abs(c) <= 1).toBe(true)
      }),
    ))
  it('are monotone across the end of the direct range, near π/4', () =>
    fc.assert(
      fc.property(fc.oneof(around(DIRECT_END, 1000), around(PI / 4, 1000)), (x) => {
        const y = nextUp(x)
        if (!(sin(x) <= sin(y) && cos(x) >= cos(y))) expect.fail(`not monotone between ${x} and ${y}`)
      }),
    ))
  it('have the special values: NaN for NaN and ±Infinity, ±0 kept by sin, x and 1 for tiny x', () => {
    for (const x of [NaN, Infinity, -Infinity]) {
      expect(sin(x)).toBeNaN()
      expect(cos(x)).toBeNaN()
    }
    expect(Object.is(sin(0), 0)).toBe(true)
    expect(Object.is(sin(-0), -0)).toBe(true)
    expect(cos(0)).toBe(1)
    expect(cos(-0)).toBe(1)
    expect(sin(Number.MIN_VALUE)).toBe(Number.MIN_VALUE)
    expect(sin(-1e-300)).toBe(-1e-300)
    expect(sin(2 ** -27)).toBe(2 ** -27)
    expect(cos(1e-9)).toBe(1)
    expect(cos(-Number.MIN_VALUE)).toBe(1)
    expect(sin(PI)).toBe(1.2246467991473532e-16)
    expect(cos(PI)).toBe(-1)
    expect(cos(PI / 2)).toBe(6.123233995736766e-17)
    expect(sin(PI / 2)).toBe(1)
    expect(sin(1)).toBe(0.8414709848078965)
    expect(sin(Number.MAX_VALUE)).toBe(0.004961954789184062)
    expect(cos(Number.MAX_VALUE)).toBe(-0.9999876894265599)
    expect(sin(HARDEST)).toBe(1)
    expect(cos(HARDEST)).toBe(-4.687165924254628e-19)
  })
})

describe('sinCos', () => {
  it('is [sin(x), cos(x)] bit for bit', () =>
    fc.assert(
      fc.property(fc.oneof(anyFiniteBits, uniformIn(-20, 20), nearMultiples(1023, false), fc.constantFrom(NaN, Infinity, -Infinity, 0, -0, 5e-324, SIN_TINY, COS_TINY)), (x) => {
        expect(sinCos(x)).toEqual([sin(x), cos(x)])
        const [s, c] = sinCos(x)
        expect(Object.is(s, sin(x)) && Object.is(c, cos(x))).toBe(true)
      }),
    ))
})

/** The significant bits of a double (its integer mantissa without trailing zeros). */
const significantBits = (x: number): number => {
  let m = fromDouble(Math.abs(x)).m
  while (m % 2n === 0n) m >>= 1n
  return m.toString(2).length
}

describe('the reduction\u2019s constants, against π from Machin\u2019s formula', () => {
  const pio2: Big = { m: PI_FIXED, e: -PI_BITS - 1 }
  it('TWO_OVER_PI_24 holds the first 1584 bits of 2/π, 24 to an entry', () => {
    const bits = 24 * TWO_OVER_PI_24.length
    const T = (1n << BigInt(bits + 1 + PI_BITS)) / PI_FIXED // floor(2/π·2^bits), exact here
    const chunks = Array.from({ length: TWO_OVER_PI_24.length }, (_, i) => Number((T >> BigInt(bits - 24 * (i + 1))) & 0xffffffn))
    expect(Array.from(TWO_OVER_PI_24)).toEqual(chunks)
  })
  it('PIO2_24 cuts π/2 into 24-bit pieces: k pieces are π/2 to within 2^(1 − 24k)', () => {
    let rest = pio2
    PIO2_24.forEach((p, i) => {
      expect(significantBits(p)).toBeLessThanOrEqual(24)
      rest = sub(rest, fromDouble(p))
      expect(rest.m >= 0n).toBe(true)
      expect(roundToDouble(rest)).toBeLessThan(2 ** (1 - 24 * (i + 1)))
    })
  })
  it('the Cody–Waite parts: 2/π rounded, π/2 in 33-bit heads whose tails are the rounded remainders', () => {
    const { INV_PIO2, PIO2_1, PIO2_1T, PIO2_2, PIO2_2T, PIO2_3, PIO2_3T } = CODY_WAITE
    expect(INV_PIO2).toBe(roundToDouble({ m: (1n << BigInt(2 * PI_BITS + 1)) / PI_FIXED, e: -PI_BITS }))
    for (const head of [PIO2_1, PIO2_2, PIO2_3]) expect(significantBits(head)).toBeLessThanOrEqual(33)
    const r1 = sub(pio2, fromDouble(PIO2_1))
    const r2 = sub(r1, fromDouble(PIO2_2))
    const r3 = sub(r2, fromDouble(PIO2_3))
    expect([roundToDouble(r1), roundToDouble(r2), roundToDouble(r3)]).toEqual([PIO2_1T, PIO2_2T, PIO2_3T])
  })
})
