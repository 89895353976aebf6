/**
 * `sin` and `cos` in plain double arithmetic: fdlibm's algorithms (Sun Microsystems, 1993, with
 * Bruce D. Evans's refinements as in FreeBSD's msun), written out again in TypeScript. An
 * argument reduction `|x| = n·π/2 + (y0 + y1)`, `|y0 + y1| ≲ π/4`, then fdlibm's kernels
 * `__kernel_sin` and `__kernel_cos` (minimax polynomials on [−π/4, π/4]) on `y0 + y1`, chosen and
 * signed by `n mod 4`. The reduction is Cody–Waite's with π/2 in three 33-bit parts below
 * `2^20·π/2` (`__ieee754_rem_pio2`'s medium case) and Payne–Hanek's above it
 * (`__kernel_rem_pio2`, with 2/π as 24-bit chunks), so every finite double is accepted. The
 * constants are fdlibm's (their hex words are given next to each); fdlibm's analysis bounds
 * both functions below 1 ulp, and docs/elementary.md gives the measured maximum error against a
 * BigInt reference.
 *
 * @module
 */
import { fromWords, highWord, lowWord, scale2 } from './bits.js'

// __kernel_sin: sin(x) ≈ x + S1·x³ + ... + S6·x^13, |sin(x)/x − (1 + S1·x² + ... + S6·x^12)| ≤ 2^-58 on [0, π/4].
const S1 = -1.66666666666666324348e-1 // 0xbfc55555 0x55555549
const S2 = 8.33333333332248946124e-3 // 0x3f811111 0x1110f8a6
const S3 = -1.98412698298579493134e-4 // 0xbf2a01a0 0x19c161d5
const S4 = 2.75573137070700676789e-6 // 0x3ec71de3 0x57b1fe7d
const S5 = -2.50507602534068634195e-8 // 0xbe5ae5e6 0x8a2b9ceb
const S6 = 1.58969099521155010221e-10 // 0x3de5d93a 0x5acfd57c

// __kernel_cos: cos(x) ≈ 1 − x²/2 + C1·x⁴ + ... + C6·x^14, error ≤ 2^-58 on [0, π/4].
const C1 = 4.16666666666666019037e-2 // 0x3fa55555 0x5555554c
const C2 = -1.38888888888741095749e-3 // 0xbf56c16c 0x16c15177
const C3 = 2.48015872894767294178e-5 // 0x3efa01a0 0x19cb1590
const C4 = -2.75573143513906633035e-7 // 0xbe927e4f 0x809c52ad
const C5 = 2.08757232129817482790e-9 // 0x3e21ee9e 0xbdb4b1c4
const C6 = -1.13596475577881948265e-11 // 0xbda8fae9 0xbe8838d4

/** `2/π` (53 bits). */
const INV_PIO2 = 6.36619772367581382433e-1 // 0x3fe45f30 0x6dc9c883
/**
 * `π/2` in three 33-bit parts and their tails: `PIO2_1 + PIO2_1T`, `PIO2_1 + PIO2_2 + PIO2_2T` and
 * `PIO2_1 + PIO2_2 + PIO2_3 + PIO2_3T` are `π/2` to about 85, 118 and 151 bits; `n·PIO2_i` is
 * exact for `n < 2^20`.
 */
const PIO2_1 = 1.57079632673412561417e0 // 0x3ff921fb 0x54400000
const PIO2_1T = 6.07710050650619224932e-11 // 0x3dd0b461 0x1a626331
const PIO2_2 = 6.07710050630396597660e-11 // 0x3dd0b461 0x1a600000
const PIO2_2T = 2.02226624879595063154e-21 // 0x3ba3198a 0x2e037073
const PIO2_3 = 2.02226624871116645580e-21 // 0x3ba3198a 0x2e000000
const PIO2_3T = 8.47842766036889956997e-32 // 0x397b839a 0x252049c1

/**
 * The Cody–Waite constants above, for the property that checks them against π (nothing here
 * reads this object).
 *
 * @internal
 */
export const CODY_WAITE = { INV_PIO2, PIO2_1, PIO2_1T, PIO2_2, PIO2_2T, PIO2_3, PIO2_3T } as const

/**
 * The bits of 2/π after the binary point, 24 at a time (fdlibm's `ipio2`): entry i holds bits
 * 24i + 1 to 24i + 24, 1584 bits in all, enough for every double's exponent. (A property
 * compares it with 2/π computed from Machin's formula.)
 *
 * @internal
 */
export const TWO_OVER_PI_24 = Int32Array.of(
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7,
  0x246e3a, 0x424dd2, 0xe00649, 0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c,
  0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b, 0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11,
  0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5, 0xf17b3d, 0x0739f7,
  0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e,
  0xe61b08, 0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
)

/**
 * `π/2` cut into 24-bit pieces, the first five of fdlibm's `PIo2` (the ones a 53-bit result
 * uses): each a double with at most 24 significant bits, their sum `π/2` truncated to about 120
 * bits.
 *
 * @internal
 */
export const PIO2_24 = Float64Array.of(
  1.57079625129699707031e0, // 0x3ff921fb 0x40000000
  7.54978941586159635335e-8, // 0x3e74442d 0x00000000
  5.39030252995776476554e-15, // 0x3cf84698 0x80000000
  3.28200341580791294123e-22, // 0x3b78cc51 0x60000000
  1.27065575308067607349e-29, // 0x39f01b83 0x80000000
)

/** `2^24` and `2^-24` (exact). */
const TWO24 = 16777216
const TWON24 = 1 / 16777216
/** `jk + 1` chunks of 2/π are used at first (fdlibm's `init_jk` for 53-bit results, `jk = 4`). */
const JK = 4

/** The reduction's result `y0, y1`, written by {@link reducePio2} and read at once by its caller. */
const REDUCED = new Float64Array(2)
/** Scratch of {@link remPio2Large}: `x` in 24-bit chunks, 2/π's chunks, the product's chunks. */
const TX = new Float64Array(3)
const F = new Float64Array(20)
const Q = new Float64Array(20)
const FQ = new Float64Array(20)
const IQ = new Int32Array(20)

/**
 * Payne–Hanek reduction (fdlibm's `__kernel_rem_pio2` for 53-bit results): for
 * `a = Σ TX[i]·2^(e0 − 24i)` (`nx` chunks of 24 bits, `a ≥ 2^20`), writes `y0 + y1 = a − n·π/2`
 * into REDUCED and returns `n mod 8`. It multiplies the chunks of `a` by only the chunks of 2/π
 * whose product with `a` is not a multiple of 8 (the products are exact integers in doubles),
 * takes the integer part mod 8 and the fraction, adds more chunks of 2/π while the fraction's
 * leading chunks cancel to zero, and multiplies the fraction by π/2 in 24-bit pieces.
 */
const remPio2Large = (e0: number, nx: number): number => {
  const jx = nx - 1
  const jv = Math.max(Math.trunc((e0 - 3) / 24), 0)
  let q0 = e0 - 24 * (jv + 1)
  // F[i] = TWO_OVER_PI_24[jv − jx + i] (0 before the table's start), i = 0..jx + JK
  for (let i = 0, j = jv - jx; i <= jx + JK; i++, j++) F[i] = j < 0 ? 0 : TWO_OVER_PI_24[j]!
  for (let i = 0; i <= JK; i++) {
    let fw = 0
    for (let j = 0; j <= jx; j++) fw += TX[j]! * F[jx + i - j]!
    Q[i] = fw
  }
  let jz = JK
  let z = 0
  let n = 0
  let ih = 0
  for (;;) {
    // distill Q[jz..0] into 24-bit integers IQ[0..jz−1], the carries into z
    z = Q[jz]!
    for (let i = 0, j = jz; j > 0; i++, j--) {
      const fw = Math.trunc(TWON24 * z)
      IQ[i] = z - TWO24 * fw
      z = Q[j - 1]! + fw
    }
    // the integer part mod 8 (n) and the fraction (z)
    z = scale2(z, q0)
    z -= 8 * Math.floor(z * 0.125)
    n = Math.trunc(z)
    z -= n
    ih = 0
    if (q0 > 0) {
      // IQ[jz − 1] holds integer bits too
      const i = IQ[jz - 1]! >> (24 - q0)
      n += i
      IQ[jz - 1] = IQ[jz - 1]! - (i << (24 - q0))
      ih = IQ[jz - 1]! >> (23 - q0)
    } else if (q0 === 0) ih = IQ[jz - 1]! >> 23
    else if (z >= 0.5) ih = 2
    if (ih > 0) {
      // fraction ≥ 1/2: n + 1, and the fraction becomes 1 − fraction
      n += 1
      let carry = 0
      for (let i = 0; i < jz; i++) {
        const j = IQ[i]!
        if (carry === 0) {
          if (j !== 0) {
            carry = 1
            IQ[i] = 0x1000000 - j
          }
        } else IQ[i] = 0xffffff - j
      }
      if (q0 === 1) IQ[jz - 1] = IQ[jz - 1]! & 0x7fffff
      else if (q0 === 2) IQ[jz - 1] = IQ[jz - 1]! & 0x3fffff
      if (ih === 2) {
        z = 1 - z
        if (carry !== 0) z -= scale2(1, q0)
      }
    }
    // the leading chunks of the fraction all cancelled: take more chunks of 2/π
    if (z === 0) {
      let j = 0
      for (let i = jz - 1; i >= JK; i--) j |= IQ[i]!
      if (j === 0) {
        let k = 1
        while (IQ[JK - k] === 0) k++
        for (let i = jz + 1; i <= jz + k; i++) {
          F[jx + i] = TWO_OVER_PI_24[jv + i]!
          let fw = 0
          for (let j2 = 0; j2 <= jx; j2++) fw += TX[j2]! * F[jx + i - j2]!
          Q[i] = fw
        }
        jz += k
        continue
      }
    }
    break
  }
  // drop zero chunks, or split z into chunks
  if (z === 0) {
    jz -= 1
    q0 -= 24
    while (IQ[jz] === 0) {
      jz--
      q0 -= 24
    }
  } else {
    z = scale2(z, -q0)
    if (z >= TWO24) {
      const fw = Math.trunc(TWON24 * z)
      IQ[jz] = z - TWO24 * fw
      jz += 1
      q0 += 24
      IQ[jz] = fw
    } else IQ[jz] = z
  }
  // the chunks as doubles, Q[i] = IQ[i]·2^(q0 − 24i)
  let fw = scale2(1, q0)
  for (let i = jz; i >= 0; i--) {
    Q[i] = fw * IQ[i]!
    fw *= TWON24
  }
  // FQ[jz − i] = Σ_k PIO2_24[k]·Q[i + k]
  for (let i = jz; i >= 0; i--) {
    fw = 0
    for (let k = 0; k <= JK && k <= jz - i; k++) fw += PIO2_24[k]! * Q[i + k]!
    FQ[jz - i] = fw
  }
  // y0 = Σ FQ, y1 its rounding error, signed by ih
  fw = 0
  for (let i = jz; i >= 0; i--) fw += FQ[i]!
  REDUCED[0] = ih === 0 ? fw : -fw
  fw = FQ[0]! - fw
  for (let i = 1; i <= jz; i++) fw += FQ[i]!
  REDUCED[1] = ih === 0 ? fw : -fw
  return n & 7
}

/**
 * fdlibm's `__ieee754_rem_pio2` for `a = |x| > π/4` finite (`ix` the high word of a): writes
 * `y0, y1` with `a = n·π/2 + y0 + y1` (y0 the double nearest the remainder, y1 its tail) into
 * REDUCED and returns `n mod 4`. Below `2^20·π/2`: `n = round(a·2/π)` and
 * `r = a − n·PIO2_1 − n·PIO2_1T`, again with the next 33 bits of π/2 while the cancellation
 * exceeds 16 bits, and a third time beyond 49 bits (up to 151 bits of π/2 in all). Above:
 * {@link remPio2Large}.
 */
const reducePio2 = (a: number, ix: number): number => {
  if (ix < 0x413921fb) {
    const fn = Math.round(a * INV_PIO2)
    let r = a - fn * PIO2_1
    let w = fn * PIO2_1T
    const j = ix >> 20
    let y0 = r - w
    if (j - ((highWord(y0) >> 20) & 0x7ff) > 16) {
      // cancellation beyond 16 bits: π/2 to 118 bits
      let t = r
      w = fn * PIO2_2
      r = t - w
      w = fn * PIO2_2T - (t - r - w)
      y0 = r - w
      if (j - ((highWord(y0) >> 20) & 0x7ff) > 49) {
        // beyond 49 bits: π/2 to 151 bits (enough for every double below 2^20·π/2)
        t = r
        w = fn * PIO2_3
        r = t - w
        w = fn * PIO2_3T - (t - r - w)
        y0 = r - w
      }
    }
    REDUCED[0] = y0
    REDUCED[1] = r - y0 - w
    return fn & 3
  }
  // a = 2^(e0 + 23)·(1.f): TX[0], TX[1], TX[2] its 24-bit chunks, TX[0] ∈ [2^23, 2^24)
  const e0 = (ix >> 20) - 1046
  let z = fromWords(ix - (e0 << 20), lowWord(a))
  TX[0] = Math.trunc(z)
  z = (z - TX[0]!) * TWO24
  TX[1] = Math.trunc(z)
  z = (z - TX[1]!) * TWO24
  TX[2] = z
  let nx = 3
  while (TX[nx - 1] === 0) nx--
  return remPio2Large(e0, nx) & 3
}

/** fdlibm's `__kernel_sin(x, 0, 0)` for `|x| ≤ π/4`: `x + x³·(S1 + x²·(S2 + ... + x²·S6))`. */
const sinPoly = (x: number): number => {
  const z = x * x
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))
  return x + z * x * (S1 + z * r)
}

/**
 * fdlibm's `__kernel_sin(x, y, 1)`: `sin(x + y)` for `|x + y| ≲ π/4`, `y` the tail of `x`, as
 * `x − ((x²·(y/2 − x³·r) − y) − x³·S1)`, `r = S2 + x²·(S3 + ... + x²·S6)` (`sin(x + y) ≈ sin x + y·cos x`,
 * `cos x ≈ 1 − x²/2`).
 */
const sinKernel = (x: number, y: number): number => {
  const z = x * x
  const v = z * x
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))
  return x - (z * (0.5 * y - v * r) - y - v * S1)
}

/**
 * fdlibm's `__kernel_cos(x, y)` (Evans's form): `cos(x + y)` for `|x + y| ≲ π/4` as
 * `w + (((1 − w) − x²/2) + (x²·r − x·y))`, `w = 1 − x²/2` rounded (so `(1 − w) − x²/2` is its
 * exact rounding error), `r = x²·(C1 + x²·(C2 + ... + x²·C6))`.
 */
const cosKernel = (x: number, y: number): number => {
  const z = x * x
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))))
  const hz = 0.5 * z
  const w = 1 - hz
  return w + (1 - w - hz + (z * r - x * y))
}

/** sin(n·π/2 + y0 + y1) for `q = n mod 4` (a switch on the quadrant). */
const sinQuadrant = (q: number, y0: number, y1: number): number =>
  q === 0 ? sinKernel(y0, y1) : q === 1 ? cosKernel(y0, y1) : q === 2 ? -sinKernel(y0, y1) : -cosKernel(y0, y1)

/** cos(n·π/2 + y0 + y1) for `q = n mod 4`. */
const cosQuadrant = (q: number, y0: number, y1: number): number =>
  q === 0 ? cosKernel(y0, y1) : q === 1 ? -sinKernel(y0, y1) : q === 2 ? -cosKernel(y0, y1) : sinKernel(y0, y1)

/**
 * The sine (radians), within 1 ulp, for every double (fdlibm's `sin`; measured maximum error in
 * docs/elementary.md).
 *
 * Algorithm: for `|x| ≤ π/4` (high word at most that of π/4), `x` itself below `2^-26`, else
 * `x + x³·(S1 + x²·(S2 + ... + x²·S6))`, a degree-13 minimax polynomial (error ≤ 2^-58). Otherwise
 * `|x| = n·π/2 + (y0 + y1)` (Cody–Waite with π/2 in three 33-bit parts below `2^20·π/2`,
 * Payne–Hanek with 2/π in 24-bit chunks above), and `sin|x|` is `sin(y0 + y1)`, `cos(y0 + y1)`,
 * `−sin(y0 + y1)` or `−cos(y0 + y1)` for `n mod 4 = 0, 1, 2, 3`, by fdlibm's kernels
 * (`sin(x + y) ≈ x + (x³·S1 + (x²·(x³·r − y/2) + y))`, `cos(x + y) ≈ 1 − x²/2 + x⁴·P(x²) − x·y`);
 * the sign of x is put back at the end, so `sin(−x) = −sin(x)` exactly.
 *
 * Special values: `sin(NaN) = sin(±Infinity) = NaN`, `sin(±0) = ±0` (sign kept), `sin(x) = x`
 * for subnormal and `|x| < 2^-26` (the correctly rounded value).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.sin(1) // 0.8414709848078965
 * elementary.sin(-0) // -0
 *
 * @category elementary
 * @since 0.5.0
 */
export const sin = (x: number): number => {
  const ix = highWord(x) & 0x7fffffff
  if (ix <= 0x3fe921fb) {
    // |x| ≲ π/4
    if (ix < 0x3e500000) return x
    return sinPoly(x)
  }
  if (ix >= 0x7ff00000) return x - x
  const q = reducePio2(Math.abs(x), ix)
  const s = sinQuadrant(q, REDUCED[0]!, REDUCED[1]!)
  return x < 0 ? -s : s
}

/**
 * The cosine (radians), within 1 ulp, for every double (fdlibm's `cos`; measured maximum error
 * in docs/elementary.md).
 *
 * Algorithm: for `|x| ≤ π/4`, 1 below `2^-27·√2`, else `w + (((1 − w) − x²/2) + x⁴·(C1 + ... + x^10·C6))`
 * with `w = 1 − x²/2` rounded, a degree-14 minimax polynomial (error ≤ 2^-58). Otherwise
 * `|x| = n·π/2 + (y0 + y1)` as in `sin`, and `cos|x|` is `cos(y0 + y1)`, `−sin(y0 + y1)`,
 * `−cos(y0 + y1)` or `sin(y0 + y1)` for `n mod 4 = 0, 1, 2, 3`; `cos(−x) = cos(x)` exactly (the
 * reduction works on `|x|`).
 *
 * Special values: `cos(NaN) = cos(±Infinity) = NaN`, `cos(±0) = 1`, `cos(x) = 1` for
 * `|x| < 2^-27·√2` (the correctly rounded value).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.cos(1) // 0.5403023058681398
 * elementary.cos(Math.PI) // -1
 *
 * @category elementary
 * @since 0.5.0
 */
export const cos = (x: number): number => {
  const ix = highWord(x) & 0x7fffffff
  if (ix <= 0x3fe921fb) {
    if (ix < 0x3e46a09e) return 1
    return cosKernel(x, 0)
  }
  if (ix >= 0x7ff00000) return x - x
  const q = reducePio2(Math.abs(x), ix)
  return cosQuadrant(q, REDUCED[0]!, REDUCED[1]!)
}

/**
 * `[sin(x), cos(x)]` with one argument reduction for both: the same operations as `sin` and
 * `cos` above, so the same bits (the data sets' angles want both).
 *
 * @example
 * import { elementary } from 'pure-gan'
 * elementary.sinCos(1) // [0.8414709848078965, 0.5403023058681398]
 * elementary.sinCos(-0) // [-0, 1]
 *
 * @category elementary
 * @since 0.5.0
 */
export const sinCos = (x: number): [sin: number, cos: number] => {
  const ix = highWord(x) & 0x7fffffff
  if (ix <= 0x3fe921fb) return [ix < 0x3e500000 ? x : sinPoly(x), ix < 0x3e46a09e ? 1 : cosKernel(x, 0)]
  if (ix >= 0x7ff00000) return [x - x, x - x]
  const q = reducePio2(Math.abs(x), ix)
  const y0 = REDUCED[0]!
  const y1 = REDUCED[1]!
  const s = sinQuadrant(q, y0, y1)
  return [x < 0 ? -s : s, cosQuadrant(q, y0, y1)]
}
