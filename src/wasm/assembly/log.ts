// AssemblyScript twins of src/elementary/log.ts's log and log1pInto (fdlibm's log and log1p):
// the same operations in the same order, so the same bits. Algorithms and special values: there.
import { highWord, lowWord, withHighWord } from './bits'

const LN2_HI: f64 = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO: f64 = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const TWO54: f64 = 1.80143985094819840000e16 // 0x43500000 0x00000000
const LG1: f64 = 6.666666666666735130e-1 // 0x3fe55555 0x55555593
const LG2: f64 = 3.999999999940941908e-1 // 0x3fd99999 0x9997fa04
const LG3: f64 = 2.857142874366239149e-1 // 0x3fd24924 0x94229359
const LG4: f64 = 2.222219843214978396e-1 // 0x3fcc71c5 0x1d8e78af
const LG5: f64 = 1.818357216161805012e-1 // 0x3fc74664 0x96cb03de
const LG6: f64 = 1.531383769920937332e-1 // 0x3fc39a09 0xd078c69f
const LG7: f64 = 1.479819860511658591e-1 // 0x3fc2f112 0xdf3e5244

/** `ln(1 + x)`, the operations of src/elementary/log.ts. */
// @ts-ignore: decorator
@inline export function log1p(x: f64): f64 {
  const hx = highWord(x)
  const ax = hx & 0x7fffffff
  let k: i32 = 1
  let f: f64 = 0
  let hu: i32 = 0
  let c: f64 = 0
  if (hx < 0x3fda827a) {
    // 1 + x < √2 (x negative included)
    if (ax >= 0x3ff00000) {
      // x <= -1
      if (x == -1) return -Infinity
      return NaN
    }
    if (ax < 0x3e200000) {
      // |x| < 2^-29
      if (ax < 0x3c900000) return x // |x| < 2^-54
      return x - x * x * 0.5
    }
    if (hx > 0 || hx <= <i32>0xbfd2bec4) {
      // √2/2 − <= 1 + x < √2 +
      k = 0
      f = x
      hu = 1
    }
  }
  if (hx >= 0x7ff00000) return x + x
  if (k != 0) {
    let u: f64
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
  const dk = <f64>k
  const hfsq = 0.5 * f * f
  if (hu == 0) {
    // |f| < 2^-20
    if (f == 0) {
      if (k == 0) return 0
      c += dk * LN2_LO
      return dk * LN2_HI + c
    }
    const R = hfsq * (1 - 0.66666666666666666 * f)
    if (k == 0) return f - R
    return dk * LN2_HI - (R - (dk * LN2_LO + c) - f)
  }
  const s = f / (2 + f)
  const z = s * s
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))))
  if (k == 0) return f - (hfsq - s * (hfsq + R))
  return dk * LN2_HI - (hfsq - (s * (hfsq + R) + (dk * LN2_LO + c)) - f)
}

/** `dst[i] = log1p(src[i])` for `0 <= i < len` (byte addresses; the stretches may coincide). */
export function log1pInto(src: usize, dst: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const at = <usize>i << 3
    store<f64>(dst + at, log1p(load<f64>(src + at)))
  }
}

/** `ln x`, the operations of src/elementary/log.ts. */
// @ts-ignore: decorator
@inline export function log(x0: f64): f64 {
  let x = x0
  let hx = highWord(x)
  const lx = lowWord(x)
  let k: i32 = 0
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, negative or subnormal
    if (((hx & 0x7fffffff) | lx) == 0) return -Infinity
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
  const dk = <f64>k
  if ((0x000fffff & (2 + hx)) < 3) {
    // -2^-20 <= f < 2^-20
    if (f == 0) {
      if (k == 0) return 0
      return dk * LN2_HI + dk * LN2_LO
    }
    const R = f * f * (0.5 - 0.33333333333333333 * f)
    if (k == 0) return f - R
    return dk * LN2_HI - (R - dk * LN2_LO - f)
  }
  const s = f / (2 + f)
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
    if (k == 0) return f - (hfsq - s * (hfsq + R))
    return dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f)
  }
  if (k == 0) return f - s * (f - R)
  return dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f)
}
