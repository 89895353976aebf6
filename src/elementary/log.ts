/**
 * `log` and `log1p` in plain double arithmetic: fdlibm's algorithms (Sun Microsystems, 1993,
 * as in FreeBSD's msun and V8's `ieee754.cc`), written out again in TypeScript. Reductions,
 * branch points and the degree-14 minimax coefficients are fdlibm's (hex values next to each
 * constant); fdlibm's error analysis bounds both below 1 ulp, and docs/elementary.md gives
 * the measured maximum error against a 200-bit reference.
 *
 * @module
 */
import { highWord, lowWord, withHighWord } from './bits.js'

/** The one-entry array `log1p` lends to `log1pInto` (written and read within one call). */
const SCALAR = new Float64Array(1)

/** `ln 2 = LN2_HI + LN2_LO`, `n·LN2_HI` exact for `|n| < 2000`. */
const LN2_HI = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const TWO54 = 1.80143985094819840000e16 // 0x43500000 0x00000000
// R(s²) ≈ Lg1·s² + ... + Lg7·s^14 for log(1+f) = 2s + s·R, s = f/(2+f), |error| < 2^-58.45 on [0, 0.1716].
const LG1 = 6.666666666666735130e-1 // 0x3fe55555 0x55555593
const LG2 = 3.999999999940941908e-1 // 0x3fd99999 0x9997fa04
const LG3 = 2.857142874366239149e-1 // 0x3fd24924 0x94229359
const LG4 = 2.222219843214978396e-1 // 0x3fcc71c5 0x1d8e78af
const LG5 = 1.818357216161805012e-1 // 0x3fc74664 0x96cb03de
const LG6 = 1.531383769920937332e-1 // 0x3fc39a09 0xd078c69f
const LG7 = 1.479819860511658591e-1 // 0x3fc2f112 0xdf3e5244

/**
 * The natural logarithm `ln x`, within 1 ulp (fdlibm's `__ieee754_log`; measured error in
 * docs/elementary.md).
 *
 * Algorithm: `x = 2^k·(1 + f)` with `√2/2 < 1 + f < √2` (subnormals scaled by `2^54` first);
 * `s = f/(2 + f)`, `log(1 + f) = 2s + s·R(s²)` with `R` a degree-7 minimax polynomial in `s²`
 * (Lg1..Lg7), evaluated as `f − (hfsq − s·(hfsq + R))` (`hfsq = f²/2`) or `f − s·(f − R)`
 * depending on `f`; then `log x = k·LN2_HI + (log(1 + f) + k·LN2_LO)`. For `|f| < 2^-20`,
 * `log(1 + f) ≈ f − f²·(1/2 − f/3)`.
 *
 * Special values: `log(NaN) = NaN`, `log(x < 0) = NaN` (`-Infinity` and `-0`'s negative
 * neighbours included), `log(±0) = -Infinity`, `log(+Infinity) = +Infinity`, `log(1) = +0`
 * (the only exact finite case); subnormal `x` is exact input (`log(5e-324) ≈ -744.44`).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.log(1) // 0
 * elementary.log(2) // 0.6931471805599453
 */
export const log = (x0: number): number => {
  let x = x0
  let hx = highWord(x)
  const lx = lowWord(x)
  let k = 0
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity
    if (hx < 0) return NaN
    k -= 54
    x *= TWO54
    hx = highWord(x)
  }
  if (hx >= 0x7ff00000) return x + x
  k += (hx >> 20) - 1023
  hx &= 0x000fffff
  let i = (hx + 0x95f64) & 0x100000
  x = withHighWord(x, hx | (i ^ 0x3ff00000)) // normalise x or x/2
  k += i >> 20
  const f = x - 1
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f === 0) {
      if (k === 0) return 0
      return k * LN2_HI + k * LN2_LO
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f)
    if (k === 0) return f - R
    return k * LN2_HI - (R - k * LN2_LO - f)
  }
  const s = f / (2 + f)
  const dk = k
  const z = s * s
  i = hx - 0x6147a
  const w = z * z
  const j = 0x6b851 - hx
  const t1 = w * (LG2 + w * (LG4 + w * LG6))
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)))
  i |= j
  const R = t2 + t1
  if (i > 0) {
    const hfsq = 0.5 * f * f
    if (k === 0) return f - (hfsq - s * (hfsq + R))
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f)
  }
  if (k === 0) return f - s * (f - R)
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f)
}

/**
 * `ln(1 + x)`, within 1 ulp, accurate for tiny `x` where `log(1 + x)` would lose `x`'s digits
 * (fdlibm's `log1p`; measured error in docs/elementary.md). Its algorithm lives in `log1pInto`,
 * which it calls on a one-entry array (the losses call `log1pInto` on whole batches).
 *
 * Algorithm: `1 + x = 2^k·(1 + f)` with `√2/2 < 1 + f < √2`; when `k ≠ 0`, `u = 1 + x` is
 * rounded and its rounding error `c = (1 + x) − u` enters as `c/u`. Then the same
 * `log(1 + f) = f − (hfsq − s·(hfsq + R))` as `log` (same coefficients), and
 * `log1p(x) = k·LN2_HI + (log(1 + f) + (k·LN2_LO + c))`. For `|x| < 2^-29`,
 * `log1p(x) = x − x²/2`; for `|x| < 2^-54`, `x`.
 *
 * Special values: `log1p(NaN) = NaN`, `log1p(x < -1) = NaN` (`-Infinity` included),
 * `log1p(-1) = -Infinity`, `log1p(+Infinity) = +Infinity`, `log1p(±0) = ±0` (sign kept),
 * `log1p(x) = x` for subnormal `x`.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.log1p(1e-10) // 9.999999999500001e-11
 * elementary.log1p(-1) // -Infinity
 */
export const log1p = (x: number): number => {
  SCALAR[0] = x
  log1pInto(SCALAR, 0, SCALAR, 0, 1)
  return SCALAR[0]!
}

/**
 * `dst[dOff + i] = log1p(src[sOff + i])` for `0 <= i < len`, the algorithm of `log1p` above
 * as a loop (the same operations, so the same bits): the losses call it once per batch, so
 * no double crosses a call boundary (an engine boxes a double it passes to a function it does
 * not inline, and this body is too long to inline). `src` and `dst` may be the same array at
 * the same offset.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * const out = new Float64Array(2)
 * elementary.log1pInto(Float64Array.of(1e-10, -1), 0, out, 0, 2)
 * out // Float64Array [9.999999999500001e-11, -Infinity]
 */
export const log1pInto = (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number): void => {
  for (let i = 0; i < len; i++) {
    const x = src[sOff + i]!
    const hx = highWord(x)
    const ax = hx & 0x7fffffff
    let k = 1
    let f = 0
    let hu = 0
    let c = 0
    if (hx < 0x3fda827a) {
      // 1 + x < √2 (x negative included)
      if (ax >= 0x3ff00000) {
        // x <= -1
        if (x === -1) {
          dst[dOff + i] = -Infinity
          continue
        }
        dst[dOff + i] = NaN
        continue
      }
      if (ax < 0x3e200000) {
        // |x| < 2^-29
        if (ax < 0x3c900000) { // |x| < 2^-54
          dst[dOff + i] = x
          continue
        }
        dst[dOff + i] = x - x * x * 0.5
        continue
      }
      if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
        // √2/2 − <= 1 + x < √2 +
        k = 0
        f = x
        hu = 1
      }
    }
    if (hx >= 0x7ff00000) {
      dst[dOff + i] = x + x
      continue
    }
    if (k !== 0) {
      let u: number
      if (hx < 0x43400000) {
        u = 1 + x
        hu = highWord(u)
        k = (hu >> 20) - 1023
        c = k > 0 ? 1 - (u - x) : x - (u - 1) // correction term
        c /= u
      } else {
        u = x
        hu = highWord(u)
        k = (hu >> 20) - 1023
        c = 0
      }
      hu &= 0x000fffff
      if (hu < 0x6a09e) {
        u = withHighWord(u, hu | 0x3ff00000) // normalise u
      } else {
        k += 1
        u = withHighWord(u, hu | 0x3fe00000) // normalise u/2
        hu = (0x00100000 - hu) >> 2
      }
      f = u - 1
    }
    const hfsq = 0.5 * f * f
    if (hu === 0) {
      // |f| < 2^-20
      if (f === 0) {
        if (k === 0) {
          dst[dOff + i] = 0
          continue
        }
        c += k * LN2_LO
        dst[dOff + i] = k * LN2_HI + c
        continue
      }
      const R = hfsq * (1 - 0.66666666666666666 * f)
      if (k === 0) {
        dst[dOff + i] = f - R
        continue
      }
      dst[dOff + i] = k * LN2_HI - (R - (k * LN2_LO + c) - f)
      continue
    }
    const s = f / (2 + f)
    const z = s * s
    const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))))
    if (k === 0) {
      dst[dOff + i] = f - (hfsq - s * (hfsq + R))
      continue
    }
    dst[dOff + i] = k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f)
  }
}
