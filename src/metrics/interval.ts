/**
 * Summaries of many runs: the Wilson score interval of a success rate, and the quartiles of
 * a metric by linear interpolation between order statistics (docs/sweeps.md).
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// Wilson score interval
// -------------------------------------------------------------------------------------

/** The standard normal's 0.975 quantile, Φ⁻¹(0.975), to double precision: a 95 % two-sided interval. */
const Z_95 = 1.959963984540054

/**
 * The Wilson score interval `[lo, hi]` for a binomial proportion after `successes` = k
 * successes in `n` trials (Wilson 1927; the interval of R's `prop.test(k, n, correct = FALSE)`
 * and of statsmodels' `proportion_confint(k, n, method = 'wilson')`). With p̂ = k/n:
 *
 *     centre = (p̂ + z²/(2n)) / (1 + z²/n)
 *     half   = z · sqrt(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n)
 *     [lo, hi] = [centre − half, centre + half]
 *
 * `z` defaults to Φ⁻¹(0.975) = 1.959963984540054, a 95 % interval. The bounds are the roots
 * of (1 + z²/n)·t² − (2p̂ + z²/n)·t + p̂² = 0, so 0 ≤ lo ≤ p̂ ≤ hi ≤ 1, and the interval
 * narrows as n grows at a fixed p̂. The bounds are exact where the mathematics makes them
 * so: `lo` is exactly 0 when k = 0 (p̂² = 0 below) and `hi` exactly 1 when k = n (there
 * centre + half gives 1 only up to rounding, so 1 is returned as a constant).
 *
 * `lo` is computed as the product of the roots divided by the upper root,
 * p̂² / ((1 + z²/n)·(centre + half)), which equals centre − half but does not cancel: for a
 * small k/n, centre − half loses bits (relative errors up to 7e-14 measured), while the
 * quotient stayed within 5e-16 of the exact bound (docs/sweeps.md); a quotient of
 * non-negative numbers, it needs no clamp at 0. `hi` is clamped to 1: for k < n,
 * centre + half can round above 1 (by 2^-52, at n near 2^53 and a large z). Evaluated in
 * double precision in this order (a transcription must follow it to give the same bits):
 *
 *     p = k / n;  z2 = z * z;  d = 1 + z2 / n
 *     centre = (p + z2 / (2 * n)) / d
 *     half = (z * sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d
 *     upper = centre + half
 *     lo = (p * p) / (d * upper)
 *     hi = k === n ? 1 : min(1, upper)
 *
 * Throws a `RangeError` unless `n` is a positive safe integer, `successes` an integer in
 * `0..n`, and `z` a positive finite number.
 *
 * @example
 * import { wilsonInterval } from 'pure-gan'
 * wilsonInterval(11, 20) // [0.34208534245034233, 0.7418021417443759]
 * wilsonInterval(0, 10) // [0, 0.2775327998628892]
 * wilsonInterval(10, 10) // [0.7224672001371109, 1]
 *
 * @category statistics
 * @since 0.5.0
 */
export const wilsonInterval = (successes: number, n: number, z: number = Z_95): readonly [number, number] => {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`wilsonInterval: n must be a positive integer, got ${String(n)}`)
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: successes must be an integer in 0..${n}, got ${String(successes)}`)
  }
  if (!Number.isFinite(z) || z <= 0) throw new RangeError(`wilsonInterval: z must be a positive finite number, got ${String(z)}`)
  const k = successes
  const p = k / n
  const z2 = z * z
  const d = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / d
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d
  const upper = centre + half
  // lo · upper = p² / d (the product of the roots): no cancellation, unlike centre − half.
  const lo = (p * p) / (d * upper)
  const hi = k === n ? 1 : Math.min(1, upper)
  return [lo, hi]
}

// -------------------------------------------------------------------------------------
// quartiles
// -------------------------------------------------------------------------------------

/** A total order on finite numbers: ascending, −0 before +0 (so that sorting is independent of the input's order). */
const ascending = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : Object.is(a, b) ? 0 : Object.is(a, -0) ? -1 : 1)

/**
 * The type 7 quantile at `p` of ascending `x` (length n >= 1): h = (n − 1)p, i = ⌊h⌋,
 * f = h − i; x_i when f = 0, else x_i + f·(x_{i+1} − x_i), or (1 − f)·x_i + f·x_{i+1} when
 * that difference overflows.
 */
const quantile7 = (x: ReadonlyArray<number>, p: number): number => {
  const h = (x.length - 1) * p
  const i = Math.floor(h)
  const f = h - i
  const lo = x[i]!
  if (f === 0) return lo
  const hi = x[i + 1]!
  const width = hi - lo
  return Number.isFinite(width) ? lo + f * width : (1 - f) * lo + f * hi
}

/**
 * The count, first quartile, median and third quartile of `values` (the shape of the sweep
 * record's `MetricQuartiles`), each by linear interpolation between order statistics:
 * Hyndman and Fan's type 7, the default of NumPy's `quantile` and R's `quantile`. For the
 * values sorted ascending, x_0 ≤ … ≤ x_{n−1}, and p in {1/4, 1/2, 3/4}:
 *
 *     h = (n − 1)·p,  q(p) = x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋+1 − x_⌊h⌋)
 *
 * evaluated as written, except that q(p) is x_⌊h⌋ itself when h is an integer (so one value
 * gives that value three times, −0 included), and that when the difference overflows (values
 * of opposite signs beyond ±MAX_VALUE/2) it is `(1 − f)·x_⌊h⌋ + f·x_⌊h⌋+1` with
 * f = h − ⌊h⌋. Since f is 0, 1/4, 1/2 or 3/4, each quartile lies between its two order
 * statistics and q1 ≤ median ≤ q3 in floating point too. The sort puts −0 before +0, so the
 * result does not depend on the order of `values`.
 *
 * Throws a `RangeError` for an empty array or a value that is not a finite number.
 *
 * @example
 * import { quartiles } from 'pure-gan'
 * quartiles([4, 1, 3, 2]) // { count: 4, q1: 1.75, median: 2.5, q3: 3.25 }
 * quartiles([0.5]) // { count: 1, q1: 0.5, median: 0.5, q3: 0.5 }
 *
 * @category statistics
 * @since 0.5.0
 */
export const quartiles = (
  values: ReadonlyArray<number>,
): { readonly count: number; readonly q1: number; readonly median: number; readonly q3: number } => {
  if (values.length === 0) throw new RangeError('quartiles: needs at least one value, got none')
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`quartiles: every value must be a finite number, got ${String(v)} at position ${i}`)
  })
  const x = [...values].sort(ascending)
  return { count: x.length, q1: quantile7(x, 0.25), median: quantile7(x, 0.5), q3: quantile7(x, 0.75) }
}
