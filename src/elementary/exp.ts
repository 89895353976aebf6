/**
 * `exp` and `expm1` in plain double arithmetic: fdlibm's algorithms (Sun Microsystems,
 * 1993/2004, as in FreeBSD's msun and V8's `ieee754.cc`), written out again in TypeScript.
 * The argument reductions, branch points and minimax coefficients are fdlibm's (its hex
 * values are given next to each constant); fdlibm's error analysis bounds both below 1 ulp,
 * and docs/elementary.md gives the measured maximum error against a 200-bit reference.
 *
 * @module
 */
import { highWord, pow2 } from './bits.js'

/** `ln 2` split as `LN2_HI + LN2_LO`, `LN2_HI` with 32 trailing zero bits so that `k·LN2_HI` is exact for `|k| < 2^21`. */
const LN2_HI = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const INV_LN2 = 1.44269504088896338700e0 // 0x3ff71547 0x652b82fe
/** `2^1023` and `2^-1000` (exact). */
const TWO_P1023 = pow2(1023)
const TWO_M1000 = pow2(-1000)
/** Above this `exp(x)` overflows: `ln(MAX_VALUE)` rounded down. */
const O_THRESHOLD = 7.09782712893383973096e2 // 0x40862e42 0xfefa39ef
/** Below this `exp(x)` rounds to 0. */
const U_THRESHOLD = -7.45133219101941108420e2 // 0xc0874910 0xd52d3051

/**
 * The reduction's results, written by {@link reduceLn2} and read at once by its caller
 * (unboxed doubles; nothing of it is observable from outside a call): `hi`, `lo`, `k`.
 */
const REDUCED = new Float64Array(3)

/**
 * fdlibm's argument reduction of `exp` and `expm1` for `|x| > ln2/2` (`hx` the high word of
 * `|x|`): `x = k·ln2 + (hi − lo)` with `hi = x − k·LN2_HI` exact and `lo = k·LN2_LO`;
 * `k = ±1` below `1.5·ln2`, else `k = trunc(x/ln2 ± 1/2)`. Writes `hi, lo, k` into REDUCED.
 */
const reduceLn2 = (x: number, hx: number, negative: boolean): void => {
  if (hx < 0x3ff0a2b2) {
    // |x| < 1.5·ln2: k = ±1
    REDUCED[0] = negative ? x + LN2_HI : x - LN2_HI
    REDUCED[1] = negative ? -LN2_LO : LN2_LO
    REDUCED[2] = negative ? -1 : 1
    return
  }
  const k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5))
  REDUCED[0] = x - k * LN2_HI
  REDUCED[1] = k * LN2_LO
  REDUCED[2] = k
}

// exp: R(z) ≈ 2 + P1·z + ... + P5·z^5 approximates r·(e^r + 1)/(e^r − 1), |error| < 2^-59 on |r| ≤ 0.3466.
const P1 = 1.66666666666666019037e-1 // 0x3fc55555 0x5555553e
const P2 = -2.77777777770155933842e-3 // 0xbf66c16c 0x16bebd93
const P3 = 6.61375632143793436117e-5 // 0x3f11566a 0xaf25de2c
const P4 = -1.65339022054652515390e-6 // 0xbebbbd41 0xc5d26bf1
const P5 = 4.13813679705723846039e-8 // 0x3e663769 0x72bea4d0

/**
 * `e^x`, within 1 ulp (fdlibm's `__ieee754_exp`; measured maximum error and fraction correctly
 * rounded in docs/elementary.md).
 *
 * Algorithm: `x = k·ln2 + r` with `|r| ≤ ln2/2`, `k = round(x/ln2)`, `r = hi − lo` where
 * `hi = x − k·LN2_HI` (exact) and `lo = k·LN2_LO`. With `c = r − r²·(P1 + r²·(P2 + ... + r²·P5))`
 * (a degree-5 minimax polynomial in `r²` for `R(r²) = r·(e^r + 1)/(e^r − 1)`),
 * `e^r = 1 − ((lo − r·c/(2 − c)) − hi)`, and `e^x = 2^k·e^r`, scaled by powers of two
 * (through `2^(k+1000)·2^-1000` when the result is subnormal).
 *
 * Special values: `exp(NaN) = NaN`, `exp(+Infinity) = +Infinity`, `exp(-Infinity) = +0`,
 * `exp(±0) = 1` (the only exact finite case), `exp(1) = 2.718281828459045` (the double
 * nearest e, as fdlibm/V8 special-case it); `x > 709.782712893384` (`O_THRESHOLD`) gives
 * `+Infinity`, `x < -745.1332191019411` gives `+0`; between `-745.13` and `-708.4` the result
 * is subnormal (rounded once, at the last multiplication).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.exp(0) // 1
 * elementary.exp(1) // 2.718281828459045
 */
export const exp = (x: number): number => {
  let hx = highWord(x)
  const xsb = hx >>> 31
  hx &= 0x7fffffff
  // |x| >= 709.78..., Infinity or NaN
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (x !== x) return x + x
      return xsb === 0 ? x : 0
    }
    if (x > O_THRESHOLD) return Infinity
    if (x < U_THRESHOLD) return 0
  }
  if (x === 1) return 2.718281828459045
  let hi = 0
  let lo = 0
  let k = 0
  let r = x
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    reduceLn2(x, hx, xsb !== 0)
    hi = REDUCED[0]!
    lo = REDUCED[1]!
    k = REDUCED[2]!
    r = hi - lo
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28: e^x = 1 + x rounds correctly
    return 1 + x
  }
  const t = r * r
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
  if (k === 0) return 1 - ((r * c) / (c - 2) - r)
  const y = 1 - ((lo - (r * c) / (2 - c)) - hi)
  if (k >= -1021) {
    if (k === 1024) return y * 2 * TWO_P1023
    return y * pow2(k)
  }
  return y * pow2(k + 1000) * TWO_M1000
}

/**
 * `dst[dOff + i] = exp(src[sOff + i])` for `0 <= i < len`: `exp` above on every entry (the same
 * operations, so the same bits). `src` and `dst` may be the same array at the same offset.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * const out = new Float64Array(2)
 * elementary.expInto(Float64Array.of(0, 1), 0, out, 0, 2)
 * out // Float64Array [1, 2.718281828459045]
 */
export const expInto = (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number): void => {
  for (let i = 0; i < len; i++) dst[dOff + i] = exp(src[sOff + i]!)
}

// expm1: scaled Qn (2^n times fdlibm's Remez coefficients of R1(z), |error| < 2^-61 on |r| ≤ 0.3466).
const Q1 = -3.33333333333331316428e-2 // 0xbfa11111 0x111110f4
const Q2 = 1.58730158725481460165e-3 // 0x3f5a01a0 0x19fe5585
const Q3 = -7.93650757867487942473e-5 // 0xbf14ce19 0x9eaadbb7
const Q4 = 4.00821782732936239552e-6 // 0x3ed0cfca 0x86e65239
const Q5 = -2.01099218183624371326e-7 // 0xbe8afdb7 0x6e09c32d

/**
 * `e^x − 1`, within 1 ulp, accurate for tiny `x` where `exp(x) − 1` would cancel (fdlibm's
 * `expm1`; measured error in docs/elementary.md).
 *
 * Algorithm: `x = k·ln2 + r + c` (`|r| ≤ ln2/2`, `c` the rounding error of `r = hi − lo`).
 * `R1(r²/2)`, a degree-5 minimax polynomial (coefficients Q1..Q5), approximates
 * `6/r·((e^r + 1)/(e^r − 1) − 2/r)`; then
 * `expm1(r) = r + r²/2 + r³/2·(3 − (R1 + R1·r/2))/(6 − r·(3 − R1·r/2))`, corrected for `c` by
 * `c + r·c`, and `expm1(x) = 2^k·(expm1(r) + 1) − 1`, arranged per range of `k` so that no
 * digits cancel (fdlibm's cases (i)–(vii)).
 *
 * Special values: `expm1(NaN) = NaN`, `expm1(+Infinity) = +Infinity`,
 * `expm1(-Infinity) = -1`, `expm1(±0) = ±0` (sign kept), `expm1(x) = x` for `|x| < 2^-54`
 * (subnormals included), `expm1(x) = -1` for `x < -56·ln2 ≈ -38.8` (the correctly rounded
 * value), `+Infinity` above `709.782712893384`.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.expm1(1e-10) // 1.00000000005e-10
 * elementary.expm1(-0) // -0
 */
export const expm1 = (x: number): number => {
  let hx = highWord(x)
  const xsb = hx & 0x80000000
  hx &= 0x7fffffff
  // |x| >= 56·ln2, Infinity or NaN
  if (hx >= 0x4043687a) {
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) {
        if (x !== x) return x + x
        return xsb === 0 ? x : -1
      }
      if (x > O_THRESHOLD) return Infinity
    }
    if (xsb !== 0) return -1
  }
  let k = 0
  let c = 0
  let r = x
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2
    reduceLn2(x, hx, xsb !== 0)
    const hi = REDUCED[0]!
    const lo = REDUCED[1]!
    k = REDUCED[2]!
    r = hi - lo
    c = hi - r - lo
  } else if (hx < 0x3c900000) {
    // |x| < 2^-54: expm1(x) = x (±0 and subnormals included)
    return x
  }
  const hfx = 0.5 * r
  const hxs = r * hfx
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))))
  const t = 3 - r1 * hfx
  let e = hxs * ((r1 - t) / (6 - r * t))
  if (k === 0) return r - (r * e - hxs)
  e = r * (e - c) - c
  e -= hxs
  if (k === -1) return 0.5 * (r - e) - 0.5
  if (k === 1) {
    if (r < -0.25) return -2 * (e - (r + 0.5))
    return 1 + 2 * (r - e)
  }
  if (k <= -2 || k > 56) {
    let y = 1 - (e - r)
    if (k === 1024) y = y * 2 * TWO_P1023
    else y = y * pow2(k)
    return y - 1
  }
  if (k < 20) {
    const t1 = pow2(0) - pow2(-k) // 1 − 2^-k, exact
    return (t1 - (e - r)) * pow2(k)
  }
  const t2 = pow2(-k)
  return (r - (e + t2) + 1) * pow2(k)
}

