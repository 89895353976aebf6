/**
 * `tanh` in plain double arithmetic, near correct rounding: `tanh(a) = M/(M + 2)` with
 * `M = e^(2a) − 1` carried as a double-double (about 2^-57 relative) and the quotient formed
 * with one exact-residual correction (Dekker/Veltkamp products, no fused multiply-add).
 *
 * @module
 */

/** `ln 2 = LN2_HI + LN2_LO` (fdlibm's split: `k·LN2_HI` exact for `|k| < 2^21`). */
const LN2_HI = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const INV_LN2 = 1.44269504088896338700e0 // 0x3ff71547 0x652b82fe
/** Veltkamp's splitting constant `2^27 + 1`: `c = SPLIT·v; hi = c − (c − v)` keeps v's top 26 bits. */
const SPLIT = 134217729
/** Taylor coefficients `1/n!`, n = 3..14, each the double nearest the rational (IEEE division). */
const C3 = 1 / 6
const C4 = 1 / 24
const C5 = 1 / 120
const C6 = 1 / 720
const C7 = 1 / 5040
const C8 = 1 / 40320
const C9 = 1 / 362880
const C10 = 1 / 3628800
const C11 = 1 / 39916800
const C12 = 1 / 479001600
const C13 = 1 / 6227020800
const C14 = 1 / 87178291200

/** `2^-28` (exact). */
const TWO_M28 = 1 / 268435456

/** `2^k` for k = 0..63 (exact: built by doubling). */
const POW2 = new Float64Array(64)
POW2[0] = 1
for (let i = 1; i < 64; i++) POW2[i] = 2 * POW2[i - 1]!

/** The one-entry array `tanh` lends to `tanhInto` (written and read within one call). */
const SCALAR = new Float64Array(1)

/**
 * The hyperbolic tangent, within 1 ulp and almost always correctly rounded (measured in
 * docs/elementary.md). Allocation-free; its algorithm lives in `tanhInto`, which it calls on
 * a one-entry array (the activations call `tanhInto` on whole layers).
 *
 * Algorithm, for `a = |x|` (the sign is put back at the end, so `tanh(-x) = -tanh(x)`
 * exactly):
 *
 * 1. `a < 2^-28`: `tanh(x) = x` (the exact value `x − x³/3 + ...` is within `2^-57` relative
 *    of `x`, so `x` is the correctly rounded result; ±0 and subnormals come back unchanged).
 * 2. `a ≥ 22`: `±1` (already for `a > 19.07`, `1 − tanh a < 2^-54` and the correctly rounded
 *    value is 1).
 * 3. Otherwise `y = 2a = k·ln2 + r` (fdlibm's reduction: `hi = y − k·LN2_HI` exact,
 *    `r + rc = hi − k·LN2_LO` as a two-sum, `|r| ≤ 0.3466`), and
 *    `expm1(r + rc) ≈ r + r²/2 + r³·(1/3! + r/4! + ... + r^11/14!) + rc·(1 + r + r²/2)`, with
 *    `r²` exact (Veltkamp split) and the sum carried as a double-double `m`; truncation of the
 *    Taylor series is below `2^-63`. Then `M = 2^k·m + (2^k − 1)` (double-double again),
 *    `D = M + 2`, `q0 = M_hi/D_hi`, and the result is `q0 + (M − q0·D)/D_hi` with `q0·D_hi`
 *    formed exactly (Dekker's product). `M`'s relative error (about 2^-57) enters `tanh`
 *    multiplied by `2/(M + 2) < 1`, so the error before the final rounding is a small fraction
 *    of an ulp.
 *
 * Special values: `tanh(NaN) = NaN`, `tanh(±Infinity) = ±1`, `tanh(±0) = ±0` (sign kept),
 * `tanh(x) = x` for subnormal and `|x| < 2^-28`, `tanh(x) = ±1` exactly for `|x| ≥ 19.07`.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.tanh(0.5) // 0.46211715726000974
 * elementary.tanh(-0) // -0
 */
export const tanh = (x: number): number => {
  SCALAR[0] = x
  tanhInto(SCALAR, 0, SCALAR, 0, 1)
  return SCALAR[0]!
}


/**
 * `dst[dOff + i] = tanh(src[sOff + i])` for `0 <= i < len`, the algorithm of `tanh` above
 * (the same operations, so the same bits), as a loop: the activations call it once per
 * layer, so no double crosses a call boundary (an engine boxes a double it passes to a
 * function it does not inline, and this body is too long to inline). `src` and `dst` may be
 * the same array at the same offset.
 *
 * @example
 * import { elementary } from 'pure-gan'
 * const out = new Float64Array(2)
 * elementary.tanhInto(Float64Array.of(0.5, -0), 0, out, 0, 2)
 * out // Float64Array [0.46211715726000974, -0]
 */
export const tanhInto = (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number): void => {
  for (let i = 0; i < len; i++) {
    const x = src[sOff + i]!
    const a = Math.abs(x)
    if (!(a < 22)) {
      dst[dOff + i] = a === a ? (x > 0 ? 1 : -1) : x
      continue
    }
    if (a < TWO_M28) {
      dst[dOff + i] = x
      continue
    }
    const y = a + a
    const k = Math.floor(y * INV_LN2 + 0.5)
    const hi = y - k * LN2_HI
    const lo = k * LN2_LO
    const r = hi - lo
    const rc = hi - r - lo
    // r² = p + pe exactly
    const cr = SPLIT * r
    const rh = cr - (cr - r)
    const rl = r - rh
    const p = r * r
    const pe = rh * rh - p + 2 * rh * rl + rl * rl
    const h = 0.5 * p
    const poly = C3 + r * (C4 + r * (C5 + r * (C6 + r * (C7 + r * (C8 + r * (C9 + r * (C10 + r * (C11 + r * (C12 + r * (C13 + r * C14))))))))))
    const s = r + h
    const tail = h - (s - r) + (0.5 * pe + r * p * poly + rc * (1 + r + h))
    let mh = s + tail
    let ml = tail - (mh - s)
    if (k !== 0) {
      // M = (2^k − 1) + 2^k·m, with |2^k·m| ≤ 0.42·2^k ≤ 2^k − 1 (a fast two-sum)
      const sc = POW2[k]!
      const uh = sc - 1
      const ul = sc - uh - 1
      const bh = sc * mh
      const th = uh + bh
      const tl = bh - (th - uh) + (ul + sc * ml)
      mh = th + tl
      ml = tl - (mh - th)
    }
    // D = M + 2 (two-sum)
    const dh = mh + 2
    const bb = dh - mh
    const dl = mh - (dh - bb) + (2 - bb) + ml
    const q0 = mh / dh
    // q0·dh = pp + ppe exactly
    const cq = SPLIT * q0
    const qh = cq - (cq - q0)
    const ql = q0 - qh
    const cd = SPLIT * dh
    const dhh = cd - (cd - dh)
    const dhl = dh - dhh
    const pp = q0 * dh
    const ppe = qh * dhh - pp + qh * dhl + ql * dhh + ql * dhl
    const t = q0 + (mh - pp - ppe + ml - q0 * dl) / dh
    dst[dOff + i] = x < 0 ? -t : t
  }
}
