/**
 * Bit access to doubles for the elementary functions: the high and low 32-bit words of a
 * double (fdlibm's `GET_HIGH_WORD`, `INSERT_WORDS`), and exact powers of two.
 *
 * One module-level 8-byte scratch buffer, viewed as a `Float64Array` and an `Int32Array`,
 * does the casts. It is written and read back within a single call (no function here keeps
 * anything in it between calls, and JavaScript runs one call at a time), so every function
 * stays a pure function of its arguments. Which of the two 32-bit words holds the sign and
 * exponent depends on the platform's byte order; it is detected once, here, from the bits of
 * `1.0` (`0x3ff00000_00000000`), so the same words are read on big- and little-endian hosts.
 *
 * @module
 */

const F64 = new Float64Array(1)
const I32 = new Int32Array(F64.buffer)
F64[0] = 1
/** Index in `I32` of the word holding the sign, exponent and top 20 fraction bits. */
const HI = I32[1] === 0x3ff00000 ? 1 : 0
/** Index in `I32` of the low 32 fraction bits. */
const LO = 1 - HI

/**
 * The high 32-bit word of the double `x` (sign, 11 exponent bits, 20 fraction bits), as a
 * signed 32-bit integer, like fdlibm's `GET_HIGH_WORD` into an `int32_t`.
 *
 * @internal
 */
export const highWord = (x: number): number => {
  F64[0] = x
  return I32[HI]!
}

/**
 * The low 32-bit word of the double `x` (the low fraction bits), as a signed 32-bit integer.
 *
 * @internal
 */
export const lowWord = (x: number): number => {
  F64[0] = x
  return I32[LO]!
}

/**
 * The double whose high word is `hi` and low word is `lo` (fdlibm's `INSERT_WORDS`).
 *
 * @internal
 */
export const fromWords = (hi: number, lo: number): number => {
  I32[HI] = hi
  I32[LO] = lo
  return F64[0]!
}

/**
 * `x` with its high word replaced by `hi` (fdlibm's `SET_HIGH_WORD`); the low word is kept.
 *
 * @internal
 */
export const withHighWord = (x: number, hi: number): number => {
  F64[0] = x
  I32[HI] = hi
  return F64[0]!
}

/**
 * `2^k` exactly, for an integer `k` in `[-1022, 1023]` (a normal double built from its
 * exponent bits).
 *
 * @internal
 */
export const pow2 = (k: number): number => {
  I32[HI] = (k + 1023) << 20
  I32[LO] = 0
  return F64[0]!
}

/** `2^1000` and `2^-1000` (exact). */
const TWO_P1000 = pow2(1000)
const TWO_M1000 = pow2(-1000)

/**
 * `x · 2^k` for an integer `k` (C's `ldexp`/`scalbn`): exact whenever the result is a
 * normal double; the one rounding, if any, is that of the last multiplication, into the
 * subnormal range or to ±Infinity. Applied as at most a few factors `2^±1000` and one
 * remaining power of two, so no intermediate product overflows or underflows on its own.
 *
 * @internal
 */
export const scale2 = (x: number, k: number): number => {
  let y = x
  let n = k
  while (n > 1023) {
    y *= TWO_P1000
    n -= 1000
    if (y === Infinity || y === -Infinity) return y
  }
  while (n < -1022) {
    // Stop one step above the subnormal range so that only the last product rounds.
    if (n >= -2044) {
      y *= pow2(n + 1022)
      n = -1022
      break
    }
    y *= TWO_M1000
    n += 1000
  }
  return y * pow2(n)
}
