// AssemblyScript twin of src/elementary/tanh.ts's tanhInto: the same operations in the same
// order (the algorithm and its error analysis are documented there), so the same bits.
import { pow2 } from './bits'

const LN2_HI: f64 = 6.93147180369123816490e-1 // 0x3fe62e42 0xfee00000
const LN2_LO: f64 = 1.90821492927058770002e-10 // 0x3dea39ef 0x35793c76
const INV_LN2: f64 = 1.44269504088896338700e0 // 0x3ff71547 0x652b82fe
const SPLIT: f64 = 134217729
const C3: f64 = 1.0 / 6
const C4: f64 = 1.0 / 24
const C5: f64 = 1.0 / 120
const C6: f64 = 1.0 / 720
const C7: f64 = 1.0 / 5040
const C8: f64 = 1.0 / 40320
const C9: f64 = 1.0 / 362880
const C10: f64 = 1.0 / 3628800
const C11: f64 = 1.0 / 39916800
const C12: f64 = 1.0 / 479001600
const C13: f64 = 1.0 / 6227020800
const C14: f64 = 1.0 / 87178291200
const TWO_M28: f64 = 1.0 / 268435456

/** `tanh(x)`, the operations of src/elementary/tanh.ts. */
// @ts-ignore: decorator
@inline export function tanh(x: f64): f64 {
  const a = Math.abs(x)
  if (!(a < 22)) return a == a ? (x > 0 ? 1.0 : -1.0) : x
  if (a < TWO_M28) return x
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
  if (k != 0) {
    // M = (2^k − 1) + 2^k·m (a fast two-sum); 0 < k < 64 here
    const sc = pow2(<i32>k)
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
  return x < 0 ? -t : t
}

/** `dst[i] = tanh(src[i])` for `0 <= i < len` (byte addresses; the stretches may coincide). */
export function tanhInto(src: usize, dst: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const at = <usize>i << 3
    store<f64>(dst + at, tanh(load<f64>(src + at)))
  }
}
