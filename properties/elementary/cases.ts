/**
 * Shared pieces of the elementary-function properties: the functions with their references,
 * fast-check arbitraries for doubles (by bit pattern, in ranges, around a point), and the
 * accuracy assertion.
 */
import fc from 'fast-check'
import { expect } from 'vitest'
import { type Big, roundToDouble, ulpError } from '../support/elementary-reference.js'

const F64 = new Float64Array(1)
const U64 = new BigUint64Array(F64.buffer)

/** The double with these 64 bits. */
export const fromBits = (bits: bigint): number => {
  U64[0] = bits
  return F64[0]!
}

/** The 64 bits of the double x. */
export const toBits = (x: number): bigint => {
  F64[0] = x
  return U64[0]!
}

/** The next double above x (finite x). */
export const nextUp = (x: number): number => {
  if (x === 0) return Number.MIN_VALUE
  return x > 0 ? fromBits(toBits(x) + 1n) : fromBits(toBits(x) - 1n)
}

/** Any finite double, uniform in bit patterns. */
export const anyFiniteBits = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map(fromBits).filter(Number.isFinite)

/** Doubles in [min, max] (fast-check's `double`: by position in the ordered doubles, so tiny magnitudes are frequent). */
export const doubleIn = (min: number, max: number): fc.Arbitrary<number> => fc.double({ min, max, noNaN: true })

/** Uniform in value in [min, max]. */
export const uniformIn = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 2 ** 30 }).chain((hi) => fc.integer({ min: 0, max: 2 ** 23 - 1 }).map((lo) => min + ((hi * 2 ** 23 + lo) / 2 ** 53) * (max - min)))

/** The doubles within `ulps` positions of x (x finite), both sides. */
export const around = (x: number, ulps: number): fc.Arbitrary<number> =>
  fc.integer({ min: -ulps, max: ulps }).map((k) => {
    const b = toBits(x)
    const n = x < 0 ? b - BigInt(k) : b + BigInt(k)
    return fromBits(n)
  })

/** Asserts |f(x) − ref(x)| ≤ `bound` ulps of the exact value, naming the function, argument, result and the correctly rounded value. */
export const expectWithin = (name: string, x: number, y: number, ref: Big, bound: number): void => {
  const err = ulpError(y, ref)
  if (!(err <= bound)) expect.fail(`${name}(${x}) = ${y}: ${err} ulp from the exact value (correctly rounded: ${roundToDouble(ref)}), more than ${bound}`)
}

/**
 * The law of an array form `fInto(src, sOff, dst, dOff, len)` of a scalar `f`: over random
 * stretches at random offsets inside NaN-filled arrays, `dst[dOff + i]` is `f(src[sOff + i])`
 * bit for bit, every other entry of `dst` and all of `src` are untouched, and in place
 * (`src === dst`, same offset) gives the same values.
 */
export const arrayFormLaw = (
  f: (x: number) => number,
  fInto: (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number) => void,
  value: fc.Arbitrary<number>,
): fc.IPropertyWithHooks<[number[], number, number, number]> =>
  fc.property(fc.array(value, { maxLength: 40 }), fc.nat(5), fc.nat(5), fc.nat(3), (xs, sOff, dOff, pad) => {
    const src = new Float64Array(sOff + xs.length + pad).fill(NaN)
    src.set(xs, sOff)
    const before = Float64Array.from(src)
    const dst = new Float64Array(dOff + xs.length + pad).fill(NaN)
    fInto(src, sOff, dst, dOff, xs.length)
    for (let i = 0; i < dst.length; i++) {
      const want = i >= dOff && i < dOff + xs.length ? f(xs[i - dOff]!) : NaN
      if (!Object.is(dst[i], want)) throw new Error(`entry ${i}: ${dst[i]}, want ${want}`)
    }
    for (let i = 0; i < src.length; i++) if (!Object.is(src[i], before[i])) throw new Error(`src entry ${i} changed`)
    fInto(src, sOff, src, sOff, xs.length)
    for (let i = 0; i < xs.length; i++) if (!Object.is(src[sOff + i], f(xs[i]!))) throw new Error(`in place, entry ${i}`)
  })
