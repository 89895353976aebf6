/**
 * Two-sample statistics between an `n x d` sample `x` and an `m x d` sample `y`: the
 * unbiased MMD² with a Gaussian kernel (Gretton et al. 2012), the median heuristic for its
 * bandwidth, the energy distance (Székely & Rizzo 2013), and a permutation test that turns
 * either into a p-value with permutations drawn from a given generator (docs/metrics.md).
 *
 * @module
 */
import { exp } from '../elementary/index.js'
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import type { Rng } from '../random/index.js'
import { permutation } from '../random/permutation.js'

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

/**
 * The most permutations `permutationTest` draws: a p-value's resolution `1/(1 + B)` finer
 * than 1e-5 is below any level a test is run at, and each permutation costs a full
 * evaluation of the statistic, so the cap bounds the time one call can take.
 */
const MAX_PERMUTATIONS = 100000

const checkSample = (op: string, name: string, s: Matrix): void => {
  if (s.rows < 2) throw new ShapeError(`${op}: ${name} needs at least two rows, got ${shapeOf(s)}`)
  if (s.cols < 1) throw new ShapeError(`${op}: ${name} needs at least one column, got ${shapeOf(s)}`)
  const bad = firstNonFinite(s)
  if (bad >= 0) {
    throw new RangeError(`${op}: ${name} must be finite; entry (${Math.floor(bad / s.cols)}, ${bad % s.cols}) is ${s.data[bad]}`)
  }
}

const checkSamples = (op: string, x: Matrix, y: Matrix): void => {
  if (x.cols !== y.cols) throw new ShapeError(`${op}: x and y must have the same width, got ${shapeOf(x)} and ${shapeOf(y)}`)
  checkSample(op, 'x', x)
  checkSample(op, 'y', y)
}

// -------------------------------------------------------------------------------------
// kernels (unchecked)
// -------------------------------------------------------------------------------------

/** `sum_c (a[ai + c] - b[bi + c])²`, summed over `c = 0 .. d-1` in order. */
const squaredDistance = (a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number => {
  let s = 0
  for (let c = 0; c < d; c++) {
    const t = (a[ai + c] as number) - (b[bi + c] as number)
    s += t * t
  }
  return s
}

/** `sum_{i<j} exp(-(|a_i - a_j|² / twoH2))`, i ascending, then j ascending. */
const gaussianWithin = (a: Float64Array, rows: number, d: number, twoH2: number): number => {
  let s = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) s += exp(-(squaredDistance(a, i * d, a, j * d, d) / twoH2))
  }
  return s
}

/** `sum_i sum_j exp(-(|a_i - b_j|² / twoH2))`, i ascending, then j ascending. */
const gaussianBetween = (a: Float64Array, n: number, b: Float64Array, m: number, d: number, twoH2: number): number => {
  let s = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) s += exp(-(squaredDistance(a, i * d, b, j * d, d) / twoH2))
  }
  return s
}

/** `sum_{i<j} sqrt(|a_i - a_j|²)`, i ascending, then j ascending. */
const distanceWithin = (a: Float64Array, rows: number, d: number): number => {
  let s = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) s += Math.sqrt(squaredDistance(a, i * d, a, j * d, d))
  }
  return s
}

/** `sum_i sum_j sqrt(|a_i - b_j|²)`, i ascending, then j ascending. */
const distanceBetween = (a: Float64Array, n: number, b: Float64Array, m: number, d: number): number => {
  let s = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) s += Math.sqrt(squaredDistance(a, i * d, b, j * d, d))
  }
  return s
}

// -------------------------------------------------------------------------------------
// statistics
// -------------------------------------------------------------------------------------

/**
 * The unbiased estimate of the squared maximum mean discrepancy (Gretton et al. 2012,
 * eq. 3) between the rows of `x` (`n x d`) and of `y` (`m x d`), with the Gaussian kernel
 * `k(a, b) = exp(-|a - b|² / (2 h²))` of bandwidth `h = bandwidth`:
 *
 *     MMD²_u = 1/(n(n-1)) sum_{i≠j} k(x_i, x_j) + 1/(m(m-1)) sum_{i≠j} k(y_i, y_j)
 *              - 2/(nm) sum_{i,j} k(x_i, y_j)
 *
 * Evaluation order: `|a - b|²` is `sum_c (a_c - b_c)²` over the columns in order; each
 * kernel value is `exp(-(|a - b|² / t))` with `t = 2 * h * h` and the project's `exp`;
 * `Sxx = sum_{i<j} k(x_i, x_j)` and `Syy` likewise (i ascending, then j ascending: each
 * unordered pair once, since k is symmetric), `Sxy = sum_i sum_j k(x_i, y_j)` (i, then j
 * ascending); the result is `2 * Sxx / (n * (n - 1)) + 2 * Syy / (m * (m - 1)) -
 * 2 * Sxy / (n * m)`, left to right. It can be negative (it is unbiased, not a square); of
 * a sample with itself it is `-(2/n)(1 - mean_{i≠j} k(x_i, x_j)) <= 0`.
 *
 * Needs `n, m >= 2`, the same width `d >= 1`, finite entries and a finite `bandwidth > 0`.
 *
 * @example
 * import { fromArrays, mmd2Unbiased } from 'pure-gan'
 * const x = fromArrays([[0], [1]])
 * mmd2Unbiased(x, x, 1) // -0.3934693402873666
 *
 * @category metrics
 * @since 0.5.0
 */
export const mmd2Unbiased = (x: Matrix, y: Matrix, bandwidth: number): number => {
  checkSamples('mmd2Unbiased', x, y)
  if (!Number.isFinite(bandwidth) || !(bandwidth > 0)) {
    throw new RangeError(`mmd2Unbiased: bandwidth must be a finite number > 0, got ${String(bandwidth)}`)
  }
  const n = x.rows
  const m = y.rows
  const d = x.cols
  const t = 2 * bandwidth * bandwidth
  const sxx = gaussianWithin(dataOf(x), n, d, t)
  const syy = gaussianWithin(dataOf(y), m, d, t)
  const sxy = gaussianBetween(dataOf(x), n, dataOf(y), m, d, t)
  return (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m)
}

/**
 * The median heuristic for the Gaussian kernel's bandwidth: the median of the
 * `N(N-1)/2` Euclidean distances `|z_i - z_j|` (`i < j`) between the rows of the pooled
 * sample `z = [x; y]` (`N = n + m` rows). For an even count it is the **lower** median,
 * the `floor((K - 1)/2)`-th smallest (from 0) of the `K` distances, so the result is always
 * one of the distances, bit for bit. Each distance is `Math.sqrt(sum_c (z_ic - z_jc)²)`,
 * columns in order.
 *
 * Throws a RangeError when the median is 0 (more than half of the pooled rows' pairs are
 * equal), since a zero bandwidth defines no kernel; same input checks as
 * {@link mmd2Unbiased}. The median is invariant under any reshuffling of the pooled rows,
 * so it is the same for every split of a permutation test.
 *
 * @example
 * import { fromArrays, medianHeuristicBandwidth } from 'pure-gan'
 *
 * // distances 1, 3, 5, 2, 4, 2: sorted 1, 2, 2, 3, 4, 5, the lower median is 2
 * medianHeuristicBandwidth(fromArrays([[0], [1]]), fromArrays([[3], [5]])) // 2
 *
 * @category metrics
 * @since 0.5.0
 */
export const medianHeuristicBandwidth = (x: Matrix, y: Matrix): number => {
  checkSamples('medianHeuristicBandwidth', x, y)
  const z = pooled(x, y)
  const rows = x.rows + y.rows
  const d = x.cols
  const distances = new Float64Array((rows * (rows - 1)) / 2)
  let k = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) distances[k++] = Math.sqrt(squaredDistance(z, i * d, z, j * d, d))
  }
  distances.sort()
  const h = distances[Math.floor((distances.length - 1) / 2)] as number
  if (!(h > 0)) {
    throw new RangeError(`medianHeuristicBandwidth: the median pairwise distance of the pooled sample is ${h}; a bandwidth must be > 0`)
  }
  return h
}

/**
 * The energy distance (Székely & Rizzo 2013) between the rows of `x` (`n x d`) and of `y`
 * (`m x d`), as the U-statistic
 *
 *     E = 2 mean_{i,j} |x_i - y_j| - mean_{i≠j} |x_i - x_j| - mean_{i≠j} |y_i - y_j|
 *
 * with Euclidean `|.|`. Evaluation order: each distance is `Math.sqrt(sum_c (a_c - b_c)²)`
 * over the columns in order; `Dxx = sum_{i<j} |x_i - x_j|` and `Dyy` likewise (i ascending,
 * then j ascending: each unordered pair once), `Dxy = sum_i sum_j |x_i - y_j|` (i, then j
 * ascending); the result is `2 * Dxy / (n * m) - 2 * Dxx / (n * (n - 1)) -
 * 2 * Dyy / (m * (m - 1))`, left to right. Like the unbiased MMD² it can be negative; of a
 * sample with itself it is `-(2/n) mean_{i≠j} |x_i - x_j| <= 0`.
 *
 * Needs `n, m >= 2`, the same width `d >= 1` and finite entries.
 *
 * @example
 * import { energyDistance, fromArrays } from 'pure-gan'
 *
 * // 2 * 14/4 - 1 - 2
 * energyDistance(fromArrays([[0], [1]]), fromArrays([[3], [5]])) // 4
 *
 * @category metrics
 * @since 0.5.0
 */
export const energyDistance = (x: Matrix, y: Matrix): number => {
  checkSamples('energyDistance', x, y)
  const n = x.rows
  const m = y.rows
  const d = x.cols
  const dxy = distanceBetween(dataOf(x), n, dataOf(y), m, d)
  const dxx = distanceWithin(dataOf(x), n, d)
  const dyy = distanceWithin(dataOf(y), m, d)
  return (2 * dxy) / (n * m) - (2 * dxx) / (n * (n - 1)) - (2 * dyy) / (m * (m - 1))
}

// -------------------------------------------------------------------------------------
// the permutation test
// -------------------------------------------------------------------------------------

/** The rows of `x` followed by the rows of `y`, as one row-major array. */
const pooled = (x: Matrix, y: Matrix): Float64Array => {
  const z = new Float64Array((x.rows + y.rows) * x.cols)
  z.set(dataOf(x), 0)
  z.set(dataOf(y), x.rows * x.cols)
  return z
}

/**
 * A permutation test's result: the statistic on the given split, its p-value, and the
 * generator advanced past every permutation drawn.
 *
 * @category metrics
 * @since 0.5.0
 */
export interface PermutationTestResult {
  readonly statistic: number
  readonly pValue: number
  readonly rng: Rng
}

/**
 * The permutation test of "x and y are drawn from one distribution" with a statistic that
 * is large when they differ (e.g. {@link mmd2Unbiased}, {@link energyDistance}).
 *
 * `T_obs = statistic(x, y)`. The rows are pooled into `z = [x; y]` (`N = n + m` rows);
 * then, `B = permutations` times in turn, `[pi, rng] = permutation(rng, N)` (the project's
 * Fisher–Yates) and `T_b = statistic(x_b, y_b)` with `x_b` the rows `z[pi_0], ...,
 * z[pi_{n-1}]` and `y_b` the rows `z[pi_n], ..., z[pi_{N-1}]`, in that order. The p-value is
 *
 *     p = (1 + #{b : T_b >= T_obs}) / (1 + B)
 *
 * which is valid (P(p <= α) <= α under the null, for any B) because the observed split
 * counts as one of the equally likely ones. The result is a pure function of its arguments:
 * the same generator gives the same p-value and the same advanced generator (pass the run's
 * evaluation stream, `runStreams(seed).evaluation`, to tie it to a run).
 *
 * For the MMD² pass `(a, b) => mmd2Unbiased(a, b, h)` with `h` computed once, e.g.
 * `h = medianHeuristicBandwidth(x, y)` on the pooled sample: the median of the pooled
 * sample's distances is the same for every split, so recomputing it would only cost time.
 *
 * `permutations` is an integer in `1 .. 100000`: beyond that a p-value's resolution
 * `1/(1 + B)` is finer than any level a test is run at, and each permutation costs one full
 * evaluation of the statistic (O(N² d) for the two above). Input checks as for
 * {@link mmd2Unbiased}; a statistic that returns a non-finite value is a RangeError.
 *
 * @example
 * import { energyDistance, fromArrays, permutationTest, rngFromSeed } from 'pure-gan'
 * const x = fromArrays([[0], [1], [2]])
 * const y = fromArrays([[10], [11], [12]])
 * const r = permutationTest(x, y, energyDistance, rngFromSeed(0), 99)
 * r.statistic // 17.333333333333336
 * r.pValue // 0.13
 *
 * @category metrics
 * @since 0.5.0
 */
export const permutationTest = (
  x: Matrix,
  y: Matrix,
  statistic: (x: Matrix, y: Matrix) => number,
  rng: Rng,
  permutations: number,
): PermutationTestResult => {
  checkSamples('permutationTest', x, y)
  if (!Number.isSafeInteger(permutations) || permutations < 1 || permutations > MAX_PERMUTATIONS) {
    throw new RangeError(`permutationTest: permutations must be an integer in 1..${MAX_PERMUTATIONS}, got ${String(permutations)}`)
  }
  const observed = statistic(x, y)
  if (!Number.isFinite(observed)) throw new RangeError(`permutationTest: the statistic is not finite: ${observed}`)
  const n = x.rows
  const rows = n + y.rows
  const d = x.cols
  const z = pooled(x, y)
  let g = rng
  let atLeast = 0
  for (let b = 0; b < permutations; b++) {
    const [pi, next] = permutation(g, rows)
    g = next
    const xb = new Float64Array(n * d)
    const yb = new Float64Array((rows - n) * d)
    for (let i = 0; i < rows; i++) {
      const src = (pi[i] as number) * d
      const out = i < n ? xb : yb
      const dst = (i < n ? i : i - n) * d
      for (let c = 0; c < d; c++) out[dst + c] = z[src + c] as number
    }
    const t = statistic(unsafeFromFloat64Array(n, d, xb), unsafeFromFloat64Array(rows - n, d, yb))
    if (!Number.isFinite(t)) throw new RangeError(`permutationTest: the statistic is not finite on permutation ${b}: ${t}`)
    if (t >= observed) atLeast++
  }
  return { statistic: observed, pValue: (1 + atLeast) / (1 + permutations), rng: g }
}
