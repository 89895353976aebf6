/**
 * Standard normal draws by inversion: `z = Φ⁻¹(u)` for one uniform `u` per draw, with Φ⁻¹
 * computed by Wichura's algorithm AS 241 (PPND16), accurate to about 1 part in 10^16.
 *
 * Why inversion rather than Box–Muller or the polar method: exactly one uniform per normal
 * and no cached spare value, so a matrix of normals equals the same number of successive
 * single draws bit for bit, and the generator state after `n` normals is always `2n` steps
 * on. The only `Math` functions used are `log` and `sqrt` (`sqrt` is correctly rounded by
 * IEEE 754; V8 computes `log` with its port of fdlibm, so results are identical on every
 * platform running V8).
 *
 * @module
 */
import { type Matrix, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Rng, drawUint53, generatorOf, rngOf } from './rng.js'
import { log } from '../elementary/index.js'
import { ELEMENTWISE_MIN, kernels } from '../wasm/kernels.js'

// -------------------------------------------------------------------------------------
// AS 241 (PPND16)
// -------------------------------------------------------------------------------------

// M. J. Wichura, Algorithm AS 241: The Percentage Points of the Normal Distribution,
// Applied Statistics 37(3), 1988, 477–484. Coefficients transcribed from the paper's
// double-precision PPND16; their mantissa hash sums (AB 55.8831928806149014439,
// CD 49.33206503301610289036, EF 47.52583317549289671629) are checked in the tests.

const SPLIT1 = 0.425
const SPLIT2 = 5
const CONST1 = 0.180625
const CONST2 = 1.6

// |q| <= 0.425: z = q · A(r) / B(r) with r = 0.180625 - q².
const A0 = 3.387132872796366608
const A1 = 1.3314166789178437745e2
const A2 = 1.9715909503065514427e3
const A3 = 1.3731693765509461125e4
const A4 = 4.5921953931549871457e4
const A5 = 6.7265770927008700853e4
const A6 = 3.3430575583588128105e4
const A7 = 2.5090809287301226727e3
const B1 = 4.2313330701600911252e1
const B2 = 6.871870074920579083e2
const B3 = 5.3941960214247511077e3
const B4 = 2.1213794301586595867e4
const B5 = 3.930789580009271061e4
const B6 = 2.8729085735721942674e4
const B7 = 5.226495278852854561e3

// s = sqrt(-log(tail)) <= 5: z = C(s - 1.6) / D(s - 1.6).
const C0 = 1.42343711074968357734
const C1 = 4.6303378461565452959
const C2 = 5.7694972214606914055
const C3 = 3.64784832476320460504
const C4 = 1.27045825245236838258
const C5 = 2.4178072517745061177e-1
const C6 = 2.27238449892691845833e-2
const C7 = 7.7454501427834140764e-4
const D1 = 2.05319162663775882187
const D2 = 1.6763848301838038494
const D3 = 6.8976733498510000455e-1
const D4 = 1.4810397642748007459e-1
const D5 = 1.51986665636164571966e-2
const D6 = 5.475938084995344946e-4
const D7 = 1.05075007164441684324e-9

// s > 5 (tail below exp(-25) ≈ 1.4e-11): z = E(s - 5) / F(s - 5).
const E0 = 6.6579046435011037772
const E1 = 5.4637849111641143699
const E2 = 1.7848265399172913358
const E3 = 2.9656057182850489123e-1
const E4 = 2.6532189526576123093e-2
const E5 = 1.2426609473880784386e-3
const E6 = 2.71155556874348757815e-5
const E7 = 2.01033439929228813265e-7
const F1 = 5.9983220655588793769e-1
const F2 = 1.3692988092273580531e-1
const F3 = 1.48753612908506148525e-2
const F4 = 7.868691311456132591e-4
const F5 = 1.8463183175100546818e-5
const F6 = 1.4215117583164458887e-7
const F7 = 2.04426310338993978564e-15

/**
 * The body of PPND16, given `q = p - 1/2` and the smaller tail area `tail = min(p, 1 - p)`,
 * both exact and `tail > 0`. Taking both as inputs lets {@link normal} pass exact values for
 * uniforms that are not themselves doubles. Horner's rule in the paper's order.
 */
const ppnd16 = (q: number, tail: number): number => {
  if (Math.abs(q) <= SPLIT1) {
    const r = CONST1 - q * q
    return (
      (q * (((((((A7 * r + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0)) /
      (((((((B7 * r + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1)
    )
  }
  let r = Math.sqrt(-log(tail))
  let z: number
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
  // Stryker disable next-line EqualityOperator: E-UNREACHED q = 0 returned above
  return q < 0 ? -z : z
}

const TWO_POW_53 = 9007199254740992
const TWO_POW_54 = 18014398509481984

/**
 * `Φ⁻¹(u)` for `u = (k + 1/2) / 2^53`, `k` an integer in `[0, 2^53)`: the midpoints of the
 * `2^53` equal cells of `(0, 1)`, so `u` is never 0 or 1 and the map is symmetric
 * (`k ↔ 2^53 - 1 - k` flips the sign exactly). `u` itself is not a double when
 * `k >= 2^52` (it would need 54 bits; `k = 2^53 - 1` would even round to 1), so the
 * exact `q` and tail area are computed from `k` instead:
 * `q = (2(k - 2^52) + 1) / 2^54` and `tail = (2k + 1) / 2^54` for `k < 2^52`,
 * `tail = (2(2^53 - k) - 1) / 2^54` otherwise (odd integers below `2^53`, all exact).
 * The results lie in `[-8.2924, 8.2924]`: `Φ⁻¹(2^-54) ≈ -8.2924`.
 *
 * @internal
 */
export const normalFromUint53 = (k: number): number => {
  // 2k + 1 itself is not exact above 2^53; 2(k - 2^52) + 1 is an odd integer below 2^53.
  const q = (2 * (k - TWO_POW_53 / 2) + 1) / TWO_POW_54
  // Stryker disable next-line EqualityOperator: E-UNREACHED tail unread at k = 2^52
  const tail = k < TWO_POW_53 / 2 ? (2 * k + 1) / TWO_POW_54 : (2 * (TWO_POW_53 - k) - 1) / TWO_POW_54
  return ppnd16(q, tail)
}

// -------------------------------------------------------------------------------------
// inverse CDF
// -------------------------------------------------------------------------------------

/**
 * `Φ⁻¹(p)`, the standard normal quantile, by AS 241 (PPND16): relative error about
 * `1e-16` for `1e-300 <= p <= 1 - 2^-53` (measured in the tests against an independent Φ).
 * Three rational approximations: `|p - 1/2| <= 0.425`, tail area down to `exp(-25)`, and
 * the far tail.
 *
 * - `p` in `(0, 1)`: a finite value; `Φ⁻¹(1/2) = 0` exactly, and `Φ⁻¹(1 - p) = -Φ⁻¹(p)`
 *   exactly whenever `1 - p` is computed without rounding (e.g. every `p >= 1/2`).
 * - `p = 0` gives `-Infinity` and `p = 1` gives `Infinity` (the limits).
 * - Anything else (negative, above 1, `NaN`) throws a `RangeError`
 *   `inverseNormalCdf: p must be a probability in [0, 1], got X`.
 *
 * Subnormal `p` (below `2.2e-308`) still gives finite values (at most about `38.5` in
 * magnitude) but lie beyond the range AS 241 was fitted on.
 *
 * @example
 * import { inverseNormalCdf } from 'pure-gan'
 * inverseNormalCdf(0.975) // 1.9599639845400536
 * inverseNormalCdf(0.5) // 0
 *
 * @category inverse cdf
 * @since 0.1.0
 */
export const inverseNormalCdf = (p: number): number => {
  if (!(p >= 0 && p <= 1)) {
    throw new RangeError(`inverseNormalCdf: p must be a probability in [0, 1], got ${String(p)}`)
  }
  if (p === 0) return -Infinity
  if (p === 1) return Infinity
  const q = p - 0.5
  // Stryker disable next-line EqualityOperator: E-UNREACHED tail unread at q = 0
  return ppnd16(q, q < 0 ? p : 1 - p)
}

// -------------------------------------------------------------------------------------
// draws
// -------------------------------------------------------------------------------------

/**
 * One standard normal draw and the advanced generator (two 32-bit steps). With `k` the
 * 53-bit integer of {@link uniform} (first output's top 27 bits, second output's top 26
 * bits), the draw is `Φ⁻¹((k + 1/2) / 2^53)` by AS 241, so it lies in `[-8.2924, 8.2924]`
 * and is never `±Infinity`. For `k < 2^52` it equals `inverseNormalCdf((k + 0.5) / 2^53)`
 * bit for bit; the upper half is its exact mirror image.
 *
 * @example
 * import { normal, rngFromSeed } from 'pure-gan'
 * const [z, next] = normal(rngFromSeed(42))
 * z // 1.1955782829342188
 *
 * @category draws
 * @since 0.1.0
 */
export const normal = (rng: Rng): readonly [number, Rng] => {
  const g = generatorOf(rng)
  const z = normalFromUint53(drawUint53(g))
  return [z, rngOf(g)]
}

const checkDimension = (name: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`normalMatrix: ${name} must be a non-negative integer, got ${String(n)}`)
  }
}

/**
 * A `rows x cols` matrix of independent `N(mean, std²)` draws, and the advanced generator
 * (`2 · rows · cols` steps). Filled row-major: entry `i` (row `floor(i / cols)`, column
 * `i mod cols`) is `mean + std · z_i`, where `z_i` is the `i`-th of `rows · cols`
 * successive {@link normal} draws; with the defaults `mean = 0`, `std = 1` the entries are
 * the draws themselves, bit for bit. `rows` and `cols` are non-negative integers, `mean` a
 * finite number and `std` a finite number `>= 0` (`std = 0` gives a constant matrix and
 * still advances the generator).
 *
 * @example
 * import { normalMatrix, rngFromSeed, shapeOf } from 'pure-gan'
 *
 * // Gluon's init.Normal(0.02)
 * const [W, next] = normalMatrix(rngFromSeed(0), 2, 5, 0, 0.02)
 * shapeOf(W) // '(2x5)'
 * W.data[0] // -0.024250188366430434
 *
 * @category draws
 * @since 0.1.0
 */
export const normalMatrix = (rng: Rng, rows: number, cols: number, mean = 0, std = 1): readonly [Matrix, Rng] => {
  checkDimension('rows', rows)
  checkDimension('cols', cols)
  if (!Number.isFinite(mean)) {
    throw new RangeError(`normalMatrix: mean must be a finite number, got ${String(mean)}`)
  }
  if (!Number.isFinite(std) || std < 0) {
    throw new RangeError(`normalMatrix: std must be a finite number >= 0, got ${String(std)}`)
  }
  const g = generatorOf(rng)
  const out = new Float64Array(rows * cols)
  const wasm = kernels().normalsFromUint53
  // Stryker disable next-line ConditionalExpression,EqualityOperator: E-PATH the same bits in JS
  if (wasm !== null && out.length >= ELEMENTWISE_MIN) {
    // the draws first, then the quantiles in WebAssembly (src/wasm: the same bits)
    for (let i = 0; i < out.length; i++) out[i] = drawUint53(g)
    wasm(out, out, out.length, mean, std)
  } else {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * normalFromUint53(drawUint53(g))
  }
  return [unsafeFromFloat64Array(rows, cols, out), rngOf(g)]
}
