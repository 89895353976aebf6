// AssemblyScript twin of src/elementary/exp.ts's exp (fdlibm's __ieee754_exp): the same
// operations in the same order, so the same bits. Algorithm and special values: there.
import { highWord, pow2 } from './bits'

const LN2_HI: f64 = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO: f64 = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const INV_LN2: f64 = 1.44269504088896338700e0 // 0x3ff71547 0x652b82fe
const O_THRESHOLD: f64 = 7.09782712893383973096e2 // 0x40862e42 0xfefa39ef
const U_THRESHOLD: f64 = -7.45133219101941108420e2 // 0xc0874910 0xd52d3051
const P1: f64 = 1.66666666666666019037e-1 // 0x3fc55555 0x5555553e
const P2: f64 = -2.77777777770155933842e-3 // 0xbf66c16c 0x16bebd93
const P3: f64 = 6.61375632143793436117e-5 // 0x3f11566a 0xaf25de2c
const P4: f64 = -1.65339022054652515390e-6 // 0xbebbbd41 0xc5d26bf1
const P5: f64 = 4.13813679705723846039e-8 // 0x3e663769 0x72bea4d0

/** `e^x`, the operations of src/elementary/exp.ts. */
// @ts-ignore: decorator
@inline export function exp(x: f64): f64 {
  let hx = highWord(x)
  const xsb = <u32>hx >>> 31
  hx &= 0x7fffffff
  // |x| >= 709.78..., Infinity or NaN
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) {
      if (x != x) return x + x
      return xsb == 0 ? x : 0
    }
    if (x > O_THRESHOLD) return Infinity
    if (x < U_THRESHOLD) return 0
  }
  if (x == 1) return 2.718281828459045
  let hi: f64 = 0
  let lo: f64 = 0
  let k: f64 = 0
  let r = x
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: fdlibm's reduction (reduceLn2 in the JavaScript form)
    if (hx < 0x3ff0a2b2) {
      // |x| < 1.5·ln2: k = ±1
      hi = xsb != 0 ? x + LN2_HI : x - LN2_HI
      lo = xsb != 0 ? -LN2_LO : LN2_LO
      k = xsb != 0 ? -1 : 1
    } else {
      k = Math.trunc(INV_LN2 * x + (xsb != 0 ? -0.5 : 0.5))
      hi = x - k * LN2_HI
      lo = k * LN2_LO
    }
    r = hi - lo
  } else if (hx < 0x3e300000) {
    // |x| < 2^-28: e^x = 1 + x rounds correctly
    return 1 + x
  }
  const t = r * r
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))))
  if (k == 0) return 1 - ((r * c) / (c - 2) - r)
  const y = 1 - ((lo - (r * c) / (2 - c)) - hi)
  const ki = <i32>k
  if (ki >= -1021) {
    if (ki == 1024) return y * 2 * pow2(1023)
    return y * pow2(ki)
  }
  return y * pow2(ki + 1000) * pow2(-1000)
}

/** `dst[i] = exp(src[i])` for `0 <= i < len` (byte addresses; the stretches may coincide). */
export function expInto(src: usize, dst: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const at = <usize>i << 3
    store<f64>(dst + at, exp(load<f64>(src + at)))
  }
}
