/**
 * `powInt(x, n) = x^n` for a double `x` and a safe integer `n ≥ 0`: binary powering in
 * double-double arithmetic (Dekker's exact products, no fused multiply-add), with a separate
 * binary exponent so that nothing overflows or underflows before the one final rounding, and
 * values near 1 carried as `1 + D` so that the relative errors of the long squaring chains
 * (x^(2^52) for n near 2^53) stay far below an ulp. Error analysis: docs/elementary.md.
 *
 * Double-double results go through the module-level `rh`/`rl` (and `re`) registers: written
 * by a helper and read back by its caller immediately, never kept between calls, so
 * `powInt` is a pure function of its arguments and allocates nothing.
 *
 * @module
 */
import { highWord, pow2, scale2 } from './bits.js'

/** Veltkamp's splitting constant `2^27 + 1`. */
const SPLIT = 134217729

/**
 * The helpers' results (rh, rl, re below): R[0], R[1], R[2]. A Float64Array holds doubles
 * unboxed, where module-level `let` numbers were boxed on every write (powInt took 1.1 µs).
 * Written and read within one call of powInt, so nothing of it is observable from outside.
 */
const R = new Float64Array(3)

/** rh + rl = a·b exactly (Dekker), for |a·b| well inside the normal range. */
const twoProd = (a: number, b: number): void => {
  const p = a * b
  const ca = SPLIT * a
  const ah = ca - (ca - a)
  const al = a - ah
  const cb = SPLIT * b
  const bh = cb - (cb - b)
  const bl = b - bh
  R[0] = p
  R[1] = ah * bh - p + ah * bl + al * bh + al * bl
}

/** rh + rl = a + b exactly (Knuth's two-sum). */
const twoSum = (a: number, b: number): void => {
  const s = a + b
  const bb = s - a
  R[0] = s
  R[1] = a - (s - bb) + (b - bb)
}

/** (rh, rl) = (ah + al)·(bh + bl), relative error below 2^-104 (al·bl dropped). */
const ddMul = (ah: number, al: number, bh: number, bl: number): void => {
  twoProd(ah, bh)
  const h = R[0]!
  const l = R[1]! + (ah * bl + al * bh)
  R[0] = h + l
  R[1] = l - (R[0]! - h)
}

/** (rh, rl) = (ah + al) + (bh + bl), for addends of one sign (no cancellation), relative error below 2^-104. */
const ddAdd = (ah: number, al: number, bh: number, bl: number): void => {
  twoSum(ah, bh)
  const h = R[0]!
  const l = R[1]! + (al + bl)
  R[0] = h + l
  R[1] = l - (R[0]! - h)
}

/** (rh, rl) = (1 + a)·(1 + b) − 1 = a + b + a·b for near-one values `1 + a`, `1 + b` (a, b of one sign). */
const nearMul = (ah: number, al: number, bh: number, bl: number): void => {
  ddMul(ah, al, bh, bl)
  const ph = R[0]!
  const pl = R[1]!
  ddAdd(ah, al, bh, bl)
  const sl = R[1]!
  // a + b and a·b have opposite signs when a, b < 0, but |a·b| ≤ |a + b|/4 (|a|, |b| ≤ 1/2): no cancellation
  twoSum(R[0]!, ph)
  const h = R[0]!
  const l = R[1]! + (sl + pl)
  R[0] = h + l
  R[1] = l - (R[0]! - h)
}

/** Largest |D| kept in the near-one form `1 + D`. */
const NEAR = 0.5

/**
 * `x^n` for a double `x` and a safe integer `n ≥ 0` (Adam's bias corrections `β1^t`, `β2^t`),
 * correctly rounded except where `x^n` lies within about `2^-85` (relative) of a rounding
 * boundary (never observed: docs/elementary.md), and within 1 ulp always.
 *
 * Algorithm: right-to-left binary powering, `x^n = Π x^(2^j)` over the set bits `j` of `n`.
 * While a factor or the running product is within `[1/2, 3/2]` it is held as `1 + D` with `D`
 * a double-double (products `(1 + A)(1 + B) = 1 + (A + B + A·B)`), so its rounding errors
 * are relative to `D`, not to 1; otherwise as `(h + l)·2^e`, a double-double `h + l` with
 * `h ∈ [1, 2)` and an integer exponent `e` (products by Dekker's exact `twoProd`). Each
 * operation's relative error is below about `2^-104·min(1, |D|)`, and a relative error `ε` in
 * `x^(2^j)` reaches the result as `(n/2^j)·ε`: summed over the chain the result's relative
 * error stays below about `2^-85` for every `n` whose result is neither 0 nor Infinity. The
 * last step rounds `(h + l)·2^e` once to a double (subnormal results included, with a
 * correction for the tail `l`).
 *
 * Special values (as `Math.pow` for integer exponents): `powInt(x, 0) = 1` for every `x`
 * (NaN included); `powInt(NaN, n > 0) = NaN`; `powInt(±0, n)`: `-0` for `x = -0` and odd
 * `n`, else `+0`; `powInt(±Infinity, n)`: `-Infinity` for `x = -Infinity` and odd `n`, else
 * `+Infinity`; `powInt(±1, n) = ±1` by parity; a negative `x` gives the sign of `(-1)^n`;
 * results beyond `MAX_VALUE` (after rounding) are `±Infinity`, below half the least
 * subnormal `±0`.
 *
 * `n` may be any integer-valued double `≥ 0`, beyond 2^53 too (Adam's step count `t` can be
 * 2^53 when a state's count is the largest safe integer): the powering reads `n`'s bits with
 * `n % 2` and `floor(n / 2)`, exact for every integer double, and a base other than 1 reaches
 * 0 or Infinity within about 64 squarings, so the bound above holds for every such `n`.
 *
 * Throws a `RangeError` when `n` is not an integer `≥ 0` (NaN and Infinity included).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.powInt(0.9, 2) // 0.81
 * elementary.powInt(0.999, 1000) // 0.36769542477096373
 */
export const powInt = (x: number, n: number): number => {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`powInt: the exponent must be an integer >= 0, got ${n}`)
  if (n === 0) return 1
  if (x !== x) return NaN
  const negative = (x < 0 || (x === 0 && 1 / x < 0)) && n % 2 === 1
  const a = Math.abs(x)
  let result: number
  if (a === 0 || a === Infinity || a === 1 || n === 1) result = a
  else {
    result = powQuick(a, n)
    if (result !== result) result = powPositive(a, n)
  }
  return negative ? -result : result
}

/** Bounds of the quick phase: results in `[2^-900, 2^900]`, exponents below `2^40`. */
const QUICK_MIN = 1.1830521861667747e-271 // 2^-900
const QUICK_MAX = 8.452712498170644e270 // 2^900
const QUICK_N = 1099511627776 // 2^40
/** `2^-102`: twice the bound `2^-103` on one double-double product's relative error. */
const TWO_M102 = 1.9721522630525295e-31
/** `2^-80`: the accurate phase's error bound `2^-85`, with room. */
const TWO_M80 = 8.271806125530277e-25

/**
 * The quick phase of `powInt` (Ziv's strategy): `x^n` for finite `a > 0`, `a ≠ 1`, `n ≥ 2` by
 * right-to-left binary powering in plain double-double (Dekker's products inline, no helper
 * calls), or NaN when it cannot decide and the accurate phase ({@link powPositive}) must.
 *
 * Each double-double product has relative error below `2^-103`; an error `δ` in `a^(2^j)`
 * reaches the result `n/2^j` times, so the result `h + l` is within `E = (n + 64)·2^-103`
 * (relative) of `a^n`. The result is returned when rounding `h + l ± (2E + 2^-80)·h` gives one
 * double: then `a^n` is farther from a rounding boundary than both this error and the accurate
 * phase's (`2^-85`), so both phases give the correctly rounded value, the same bits. Every
 * intermediate lies between 1 and the result, so inside `[2^-900, 2^900]` no split
 * overflows and no error term underflows; outside it, or for `n ≥ 2^40`, the answer is NaN.
 *
 * @internal
 */
export const powQuick = (a: number, n: number): number => {
  if (!(n < QUICK_N)) return NaN
  let bh = a
  let bl = 0
  let ph = 1
  let pl = 0
  let m = n
  for (;;) {
    if (m % 2 === 1) {
      // (ph, pl) = (ph + pl)·(bh + bl), Dekker's product of the heads plus the cross terms
      const p = ph * bh
      const cp = SPLIT * ph
      const phh = cp - (cp - ph)
      const phl = ph - phh
      const cb = SPLIT * bh
      const bhh = cb - (cb - bh)
      const bhl = bh - bhh
      const e = phh * bhh - p + phh * bhl + phl * bhh + phl * bhl + (ph * bl + pl * bh)
      ph = p + e
      pl = e - (ph - p)
    }
    m = Math.floor(m / 2)
    if (m === 0) break
    // (bh, bl) = (bh + bl)², the same product with both factors the base
    const q = bh * bh
    const cq = SPLIT * bh
    const qh = cq - (cq - bh)
    const ql = bh - qh
    const f = qh * qh - q + qh * ql + ql * qh + ql * ql + (bh * bl + bl * bh)
    bh = q + f
    bl = f - (bh - q)
  }
  if (!(ph >= QUICK_MIN && ph <= QUICK_MAX)) return NaN
  const err = ((n + 64) * TWO_M102 + TWO_M80) * ph
  const up = ph + (pl + err)
  return up === ph + (pl - err) ? up : NaN
}

/**
 * The powering's two numbers, each `(h, l, e)`: the running product at `PRODUCT` and the base
 * `x^(2^j)` at `BASE`. A number in the near form is `1 + (h + l)` (its `e` unused), in the
 * far form `(h + l)·2^e`. Written and read within one call of powInt, like `R`.
 */
const S = new Float64Array(6)
const PRODUCT = 0
const BASE = 3

/** A far-form exponent beyond which every later factor keeps the result at 0 (Infinity). */
const UNDERFLOWED = -1080
const OVERFLOWED = 1030

/**
 * `S[to] = S[a]·S[b]`, `a` and `b` in the near form where `aNear`, `bNear`; returns whether
 * the product is in the near form. Two near numbers multiply as `(1 + A)(1 + B) − 1` and stay
 * near while `|D| ≤ NEAR`; otherwise both go to the far form and multiply as double-doubles,
 * their exponents added.
 */
const multiply = (to: number, a: number, aNear: boolean, b: number, bNear: boolean): boolean => {
  if (aNear && bNear) {
    nearMul(S[a]!, S[a + 1]!, S[b]!, S[b + 1]!)
    if (!(Math.abs(R[0]!) > NEAR)) {
      S[to] = R[0]!
      S[to + 1] = R[1]!
      return true
    }
    toFar(R[0]!, R[1]!)
  } else {
    let ah = S[a]!
    let al = S[a + 1]!
    let ae = S[a + 2]!
    if (aNear) {
      toFar(ah, al)
      ah = R[0]!
      al = R[1]!
      ae = R[2]!
    }
    let bh = S[b]!
    let bl = S[b + 1]!
    let be = S[b + 2]!
    if (bNear) {
      toFar(bh, bl)
      bh = R[0]!
      bl = R[1]!
      be = R[2]!
    }
    ddMul(ah, al, bh, bl)
    normalise(R[0]!, R[1]!, ae + be)
  }
  S[to] = R[0]!
  S[to + 1] = R[1]!
  S[to + 2] = R[2]!
  return false
}

/**
 * The accurate phase of `powInt`: x^n for finite `a > 0`, `a ≠ 1`, `n ≥ 2` (the algorithm
 * described at {@link powInt}). The product and the base live in `S`, so no double crosses a
 * call (an engine boxes a double it passes to a function it does not inline).
 *
 * @internal
 */
export const powPositive = (a: number, n: number): number => {
  const below = a < 1
  let baseNear = Math.abs(a - 1) <= NEAR
  S[BASE] = baseNear ? a - 1 : 0
  S[BASE + 1] = 0
  S[BASE + 2] = 0
  if (!baseNear) {
    let mant = a
    let e0 = 0
    if (mant < 2.2250738585072014e-308) {
      mant *= 18014398509481984
      e0 = -54
    }
    const ex = ((highWord(mant) >>> 20) & 0x7ff) - 1023
    // pow2(-1023) is not a normal double: halve first for the top binade
    S[BASE] = ex > 1022 ? mant * 0.5 * pow2(-1022) : mant * pow2(-ex)
    S[BASE + 2] = e0 + ex
  }
  // the running product starts at 1 (near form, D = 0)
  let productNear = true
  S[PRODUCT] = 0
  S[PRODUCT + 1] = 0
  S[PRODUCT + 2] = 0
  // the far exponent past which the result is 0 (Infinity): every later factor moves it further
  const beyond = (e: number): boolean => (below ? e < UNDERFLOWED : e > OVERFLOWED)
  let m = n
  for (;;) {
    if (m % 2 === 1) {
      productNear = multiply(PRODUCT, PRODUCT, productNear, BASE, baseNear)
      if (!productNear && beyond(S[PRODUCT + 2]!)) return below ? 0 : Infinity
    }
    m = Math.floor(m / 2)
    if (m === 0) break
    baseNear = multiply(BASE, BASE, baseNear, BASE, baseNear)
    // the next factor taken is at most (at least) this one
    if (!baseNear && beyond(S[BASE + 2]!)) return below ? 0 : Infinity
  }
  if (productNear) {
    twoSum(1, S[PRODUCT]!)
    return R[0]! + (R[1]! + S[PRODUCT + 1]!)
  }
  return roundScaled(S[PRODUCT]!, S[PRODUCT + 1]!, S[PRODUCT + 2]!)
}

/** (rh, rl, re): 1 + (h + l) in the far form, `rh ∈ [1, 2)`. */
const toFar = (h: number, l: number): void => {
  twoSum(1, h)
  const s = R[0]!
  const t = R[1]! + l
  normalise(s + t, t - (s + t - s), 0)
}

/** (rh, rl, re) = (h + l)·2^e rescaled so that `rh ∈ [1, 2)` (exact: a power of two). */
const normalise = (h: number, l: number, e: number): void => {
  const ex = ((highWord(h) >>> 20) & 0x7ff) - 1023
  const s = pow2(-ex)
  R[0] = h * s
  R[1] = l * s
  R[2] = e + ex
}

/** The double nearest `(h + l)·2^e` for `h ∈ [1, 2)`, `|l| ≤ ulp(h)/2`, including subnormal results. */
const roundScaled = (h: number, l: number, e: number): number => {
  if (e > 1023) return Infinity
  const y = scale2(h, e)
  if (e >= -1022) return y
  // subnormal: y is h rounded to the subnormal grid; the tail l may move it by one unit
  const back = scale2(y, -e) // exact
  const rem = h - back + l // distance of h + l from y's preimage (h − back exact)
  const half = scale2(1, -1075 - e)
  const tiny = Number.MIN_VALUE
  const odd = scale2(y, 1074) % 2 === 1
  if (rem > half || (rem === half && odd)) return y + tiny
  if (rem < -half || (rem === -half && odd)) return y - tiny
  return y
}
