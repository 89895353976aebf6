// AssemblyScript twin of src/random/normal.ts's normalFromUint53 with ppnd16 (Wichura's
// AS 241, PPND16): the same operations in the same order (Horner's rule in the paper's order),
// so the same bits. The algorithm, its coefficients and their checks: there.
import { log } from './log'

const SPLIT1: f64 = 0.425
const SPLIT2: f64 = 5
const CONST1: f64 = 0.180625
const CONST2: f64 = 1.6
const A0: f64 = 3.387132872796366608
const A1: f64 = 1.3314166789178437745e2
const A2: f64 = 1.9715909503065514427e3
const A3: f64 = 1.3731693765509461125e4
const A4: f64 = 4.5921953931549871457e4
const A5: f64 = 6.7265770927008700853e4
const A6: f64 = 3.3430575583588128105e4
const A7: f64 = 2.5090809287301226727e3
const B1: f64 = 4.2313330701600911252e1
const B2: f64 = 6.871870074920579083e2
const B3: f64 = 5.3941960214247511077e3
const B4: f64 = 2.1213794301586595867e4
const B5: f64 = 3.930789580009271061e4
const B6: f64 = 2.8729085735721942674e4
const B7: f64 = 5.226495278852854561e3
const C0: f64 = 1.42343711074968357734
const C1: f64 = 4.6303378461565452959
const C2: f64 = 5.7694972214606914055
const C3: f64 = 3.64784832476320460504
const C4: f64 = 1.27045825245236838258
const C5: f64 = 2.4178072517745061177e-1
const C6: f64 = 2.27238449892691845833e-2
const C7: f64 = 7.7454501427834140764e-4
const D1: f64 = 2.05319162663775882187
const D2: f64 = 1.6763848301838038494
const D3: f64 = 6.8976733498510000455e-1
const D4: f64 = 1.4810397642748007459e-1
const D5: f64 = 1.51986665636164571966e-2
const D6: f64 = 5.475938084995344946e-4
const D7: f64 = 1.05075007164441684324e-9
const E0: f64 = 6.6579046435011037772
const E1: f64 = 5.4637849111641143699
const E2: f64 = 1.7848265399172913358
const E3: f64 = 2.9656057182850489123e-1
const E4: f64 = 2.6532189526576123093e-2
const E5: f64 = 1.2426609473880784386e-3
const E6: f64 = 2.71155556874348757815e-5
const E7: f64 = 2.01033439929228813265e-7
const F1: f64 = 5.9983220655588793769e-1
const F2: f64 = 1.3692988092273580531e-1
const F3: f64 = 1.48753612908506148525e-2
const F4: f64 = 7.868691311456132591e-4
const F5: f64 = 1.8463183175100546818e-5
const F6: f64 = 1.4215117583164458887e-7
const F7: f64 = 2.04426310338993978564e-15

const TWO_POW_53: f64 = 9007199254740992
const TWO_POW_54: f64 = 18014398509481984

/** PPND16's body for `q = p − 1/2` and the smaller tail area `tail` (normal.ts's ppnd16). */
// @ts-ignore: decorator
@inline function ppnd16(q: f64, tail: f64): f64 {
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q
    return (
      (q * (((((((A7 * r + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0)) /
      (((((((B7 * r + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1)
    )
  }
  let r = Math.sqrt(-log(tail))
  let z: f64
  if (r <= SPLIT2) {
    r = r - CONST2
    z =
      (((((((C7 * r + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + C1) * r + C0) /
      (((((((D7 * r + D6) * r + D5) * r + D4) * r + D3) * r + D2) * r + D1) * r + 1)
  } else {
    r = r - SPLIT2
    z =
      (((((((E7 * r + E6) * r + E5) * r + E4) * r + E3) * r + E2) * r + E1) * r + E0) /
      (((((((F7 * r + F6) * r + F5) * r + F4) * r + F3) * r + F2) * r + F1) * r + 1)
  }
  return q < 0 ? -z : z
}

/**
 * `dst[i] = mean + std·Φ⁻¹((k + 1/2)/2^53)` for the integers `k = src[i]` in `[0, 2^53)`
 * (normal.ts's normalFromUint53, then the affine map of normalMatrix); byte addresses, the
 * stretches may coincide.
 */
export function normalsFromUint53(src: usize, dst: usize, len: i32, mean: f64, std: f64): void {
  for (let i = 0; i < len; i++) {
    const k = load<f64>(src + (<usize>i << 3))
    const q = (2 * (k - TWO_POW_53 / 2) + 1) / TWO_POW_54
    const tail = k < TWO_POW_53 / 2 ? (2 * k + 1) / TWO_POW_54 : (2 * (TWO_POW_53 - k) - 1) / TWO_POW_54
    store<f64>(dst + (<usize>i << 3), mean + std * ppnd16(q, tail))
  }
}
