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

const checkBandwidth = (op: string, bandwidth: number): void => {
  if (!Number.isFinite(bandwidth) || !(bandwidth > 0)) {
    throw new RangeError(`${op}: bandwidth must be a finite number > 0, got ${String(bandwidth)}`)
  }
}

const checkPermutations = (op: string, permutations: number): void => {
  if (!Number.isSafeInteger(permutations) || permutations < 1 || permutations > MAX_PERMUTATIONS) {
    throw new RangeError(`${op}: permutations must be an integer in 1..${MAX_PERMUTATIONS}, got ${String(permutations)}`)
  }
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

/**
 * The Gaussian kernel's value on rows `ai` of `a` and `bi` of `b`: `exp(-(|a - b|² / twoH2))`.
 * The one place the kernel is evaluated, for {@link mmd2Unbiased} and the kernel matrix of
 * {@link mmdPermutationTest}. Symmetric bit for bit: `u - v` is exactly `-(v - u)` in IEEE
 * arithmetic and squaring drops the sign, so every term of `|a - b|²`, and thus the sum taken
 * in the same column order, is the same double with the rows swapped.
 */
const gaussianKernel = (a: Float64Array, ai: number, b: Float64Array, bi: number, d: number, twoH2: number): number =>
  exp(-(squaredDistance(a, ai, b, bi, d) / twoH2))

/**
 * The Euclidean distance `sqrt(|a - b|²)` between rows `ai` of `a` and `bi` of `b`: the one
 * place a distance is evaluated, for {@link energyDistance}, {@link medianHeuristicBandwidth}
 * and the distance matrix of {@link energyPermutationTest}; symmetric bit for bit as
 * {@link gaussianKernel} is.
 */
const euclidean = (a: Float64Array, ai: number, b: Float64Array, bi: number, d: number): number => Math.sqrt(squaredDistance(a, ai, b, bi, d))

/** `sum_{i<j} k(a_i, a_j)`, i ascending, then j ascending. */
const gaussianWithin = (a: Float64Array, rows: number, d: number, twoH2: number): number => {
  let s = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) s += gaussianKernel(a, i * d, a, j * d, d, twoH2)
  }
  return s
}

/** `sum_i sum_j k(a_i, b_j)`, i ascending, then j ascending. */
const gaussianBetween = (a: Float64Array, n: number, b: Float64Array, m: number, d: number, twoH2: number): number => {
  let s = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) s += gaussianKernel(a, i * d, b, j * d, d, twoH2)
  }
  return s
}

/** `sum_{i<j} |a_i - a_j|`, i ascending, then j ascending. */
const distanceWithin = (a: Float64Array, rows: number, d: number): number => {
  let s = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) s += euclidean(a, i * d, a, j * d, d)
  }
  return s
}

/** `sum_i sum_j |a_i - b_j|`, i ascending, then j ascending. */
const distanceBetween = (a: Float64Array, n: number, b: Float64Array, m: number, d: number): number => {
  let s = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) s += euclidean(a, i * d, b, j * d, d)
  }
  return s
}

/** MMD²_u from its three sums: `2 Sxx/(n(n-1)) + 2 Syy/(m(m-1)) - 2 Sxy/(nm)`, left to right. */
const mmd2FromSums = (sxx: number, syy: number, sxy: number, n: number, m: number): number =>
  (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m)

/** E from its three sums: `2 Dxy/(nm) - 2 Dxx/(n(n-1)) - 2 Dyy/(m(m-1))`, left to right. */
const energyFromSums = (dxx: number, dyy: number, dxy: number, n: number, m: number): number =>
  (2 * dxy) / (n * m) - (2 * dxx) / (n * (n - 1)) - (2 * dyy) / (m * (m - 1))

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
  checkBandwidth('mmd2Unbiased', bandwidth)
  const n = x.rows
  const m = y.rows
  const d = x.cols
  const t = 2 * bandwidth * bandwidth
  const sxx = gaussianWithin(dataOf(x), n, d, t)
  const syy = gaussianWithin(dataOf(y), m, d, t)
  const sxy = gaussianBetween(dataOf(x), n, dataOf(y), m, d, t)
  return mmd2FromSums(sxx, syy, sxy, n, m)
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
  const h = medianPairwiseDistance(x, y)
  if (!(h > 0)) {
    throw new RangeError(`medianHeuristicBandwidth: the median pairwise distance of the pooled sample is ${h}; a bandwidth must be > 0`)
  }
  return h
}

/**
 * The lower median of the pooled rows' pairwise distances, as {@link medianHeuristicBandwidth}
 * computes it, `0` included, for samples already checked (finite, of one width, at least two
 * pooled rows).
 *
 * @internal
 */
export const medianPairwiseDistance = (x: Matrix, y: Matrix): number => {
  const z = pooled(x, y)
  const rows = x.rows + y.rows
  const d = x.cols
  const distances = new Float64Array((rows * (rows - 1)) / 2)
  let k = 0
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) distances[k++] = euclidean(z, i * d, z, j * d, d)
  }
  distances.sort()
  return distances[Math.floor((distances.length - 1) / 2)] as number
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
  return energyFromSums(dxx, dyy, dxy, n, m)
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
  checkPermutations('permutationTest', permutations)
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

// -------------------------------------------------------------------------------------
// the permutation tests on a pair matrix
// -------------------------------------------------------------------------------------

/**
 * The most pooled rows `mmdPermutationTest` and `energyPermutationTest` take. They hold the
 * full `N x N` matrix of doubles, `8 N²` bytes: 512 MiB at N = 8192 (n = m = 4096), well
 * below the largest typed array current engines allocate (2 GiB and more) and what a laptop
 * can spare; 200 MB at n = m = 2500, the sample size of the mode-coverage papers. Beyond it
 * `permutationTest`, whose memory is `O(N d)`, computes the same bits.
 */
const MAX_POOLED_ROWS = 8192

const checkPooledRows = (op: string, rows: number): void => {
  if (rows > MAX_POOLED_ROWS) {
    throw new RangeError(
      `${op}: the pooled sample has ${rows} rows, more than ${MAX_POOLED_ROWS} (its ${rows} x ${rows} matrix of doubles would take ` +
        `${8 * rows * rows} bytes); use permutationTest, which computes the same bits in O(N d) memory`,
    )
  }
}

/**
 * The kernel matrix `K_ab = k(z_a, z_b)` of the pooled rows `z` (`N x N`, row-major). Each
 * unordered pair is evaluated once, as `(a, b)` with `a < b`, and written to `(a, b)` and
 * `(b, a)`: the kernel is symmetric bit for bit (see {@link gaussianKernel}). The diagonal
 * stays 0; no sum reads it.
 */
const kernelMatrix = (z: Float64Array, rows: number, d: number, twoH2: number): Float64Array => {
  const p = new Float64Array(rows * rows)
  // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
  for (let a = 0; a < rows; a++) {
    for (let b = a + 1; b < rows; b++) {
      const v = gaussianKernel(z, a * d, z, b * d, d, twoH2)
      p[a * rows + b] = v
      p[b * rows + a] = v
    }
  }
  return p
}

/** The distance matrix `D_ab = |z_a - z_b|` of the pooled rows, built as {@link kernelMatrix} builds its matrix. */
const distanceMatrix = (z: Float64Array, rows: number, d: number): Float64Array => {
  const p = new Float64Array(rows * rows)
  // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
  for (let a = 0; a < rows; a++) {
    for (let b = a + 1; b < rows; b++) {
      const v = euclidean(z, a * d, z, b * d, d)
      p[a * rows + b] = v
      p[b * rows + a] = v
    }
  }
  return p
}

/**
 * The three sums of a split, read from the pair matrix `p` through the index buffer `idx`
 * and written to `out` as `[within x, within y, between]`:
 *
 *     within x = sum_{0 <= i < j < n} P[idx_i, idx_j]
 *     within y = sum_{n <= i < j < N} P[idx_i, idx_j]
 *     between  = sum_{0 <= i < n} sum_{n <= j < N} P[idx_i, idx_j]
 *
 * each with i ascending, then j ascending: the order `gaussianWithin`, `gaussianBetween`,
 * `distanceWithin` and `distanceBetween` add them. Row `idx_i` of x's part serves both its
 * within and its between terms in one pass, `j` from `i + 1` to `N` (each sum keeps its own
 * accumulator, so its order is unchanged): every row of `p` is read once per split, not
 * x's rows twice (issue 15: a run's permutation tests are bound by reading `p`).
 */
const splitSums = (p: Float64Array, rows: number, idx: Int32Array, n: number, out: Float64Array): void => {
  let withinX = 0
  let between = 0
  for (let i = 0; i < n; i++) {
    const row = (idx[i] as number) * rows
    // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
    for (let j = i + 1; j < n; j++) withinX += p[row + (idx[j] as number)] as number
    for (let j = n; j < rows; j++) between += p[row + (idx[j] as number)] as number
  }
  let withinY = 0
  // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
  for (let i = n; i < rows; i++) {
    const row = (idx[i] as number) * rows
    for (let j = i + 1; j < rows; j++) withinY += p[row + (idx[j] as number)] as number
  }
  out[0] = withinX
  out[1] = withinY
  out[2] = between
}

/**
 * `permutationTest`'s loop on a pair matrix `p` of the pooled rows: the statistic of a split
 * is `fromSums(within x_b, within y_b, between, n, m)` with the sums read from `p` through one
 * index buffer (the identity for the observed split, then each drawn permutation, copied in).
 * Same draws and comparisons as `permutationTest`.
 *
 * Only the observed statistic is checked for being finite. Every unordered pair of pooled
 * rows enters exactly one of its three sums, each sum is scaled by a finite positive factor
 * and the three are added: a NaN or infinite entry of `p` makes it non-finite. When it is
 * finite, every entry is finite, so a kernel value lies in [0, 1] and a distance below
 * `sqrt(MAX_VALUE)` ≈ 1.3e154 (its square was finite), and no split's sums of at most
 * `N²/2 <= 2^25` entries can overflow: `permutationTest`'s check on each permutation never
 * fires for these two statistics.
 */
const pairMatrixTest = (
  op: string,
  p: Float64Array,
  n: number,
  rows: number,
  fromSums: (withinX: number, withinY: number, between: number, n: number, m: number) => number,
  rng: Rng,
  permutations: number,
): PermutationTestResult => {
  const m = rows - n
  const idx = new Int32Array(rows)
  // Stryker disable next-line EqualityOperator: E-BOUND idx ends there
  for (let i = 0; i < rows; i++) idx[i] = i
  const sums = new Float64Array(3)
  const split = (): number => {
    splitSums(p, rows, idx, n, sums)
    return fromSums(sums[0] as number, sums[1] as number, sums[2] as number, n, m)
  }
  const observed = split()
  if (!Number.isFinite(observed)) throw new RangeError(`${op}: the statistic is not finite: ${observed}`)
  let g = rng
  let atLeast = 0
  for (let b = 0; b < permutations; b++) {
    const [pi, next] = permutation(g, rows)
    g = next
    idx.set(pi)
    if (split() >= observed) atLeast++
  }
  return { statistic: observed, pValue: (1 + atLeast) / (1 + permutations), rng: g }
}

/**
 * The permutation test with the unbiased MMD² (Gaussian kernel, bandwidth `h`), computing
 * exactly what `permutationTest(x, y, (a, b) => mmd2Unbiased(a, b, h), rng, permutations)`
 * computes, bit for bit (the statistic, the p-value and the advanced generator), in far less
 * time.
 *
 * The pooled sample `z = [x; y]` (`N = n + m` rows) gives the kernel matrix
 * `K_ab = exp(-(|z_a - z_b|² / (2 h²)))`, computed once: `N(N-1)/2` kernel values (by the
 * helper {@link mmd2Unbiased} uses), each stored at `(a, b)` and `(b, a)`. A split with
 * index order `pi` (the identity for `T_obs`; then, `B = permutations` times in turn,
 * `[pi, rng] = permutation(rng, N)`) has `x_b = z[pi_0 .. pi_{n-1}]`, `y_b = z[pi_n .. pi_{N-1}]`
 * and
 *
 *     Sxx = sum_{0 <= i < j < n} K[pi_i, pi_j]    Syy = sum_{n <= i < j < N} K[pi_i, pi_j]
 *     Sxy = sum_{0 <= i < n} sum_{n <= j < N} K[pi_i, pi_j]
 *     T   = 2 Sxx / (n(n-1)) + 2 Syy / (m(m-1)) - 2 Sxy / (nm)
 *
 * each sum i ascending, then j ascending, and T left to right: the order in which
 * `mmd2Unbiased(x_b, y_b, h)` adds the same kernel values. They are the same doubles because
 * a kernel value depends only on its pair of rows: `|z_a - z_b|²` and `|z_b - z_a|²` are the
 * same sum of the same terms (`u - v` is exactly `-(v - u)`, and squaring drops the sign). The
 * p-value is `(1 + #{b : T_b >= T_obs}) / (1 + B)`.
 *
 * Cost: `O(N² d)` and `N(N-1)/2` exps once, then `N(N-1)/2` additions per permutation,
 * against `N(N-1)/2` kernel evaluations each for `permutationTest`; at n = m = 500, d = 2,
 * B = 200, 10 to 14 times faster in our measurements (docs/metrics.md). Memory: the `N x N`
 * matrix, `8 N²` bytes; `N` is at most 8192 (512 MiB), beyond which a RangeError points to
 * `permutationTest`.
 *
 * Input checks and messages as `permutationTest`'s with this function's name, in its order
 * (the samples, then `permutations`, then the bandwidth, as `mmd2Unbiased` checks it), then
 * the size. A non-finite statistic is a RangeError as there; it can only be the observed one
 * (a NaN kernel value, from `0/0` or `Infinity/Infinity` in `|z_a - z_b|² / (2 h²)` when
 * `2 h²` underflows or overflows, enters the observed sums, and finite kernel values lie in
 * [0, 1]).
 *
 * @example
 * import { fromArrays, mmd2Unbiased, mmdPermutationTest, permutationTest, rngFromSeed } from 'pure-gan'
 * const x = fromArrays([[0], [1], [2]])
 * const y = fromArrays([[10], [11], [12]])
 * const r = mmdPermutationTest(x, y, 1, rngFromSeed(0), 99)
 * r.statistic // 0.8989310684412504
 * r.pValue // 0.13
 *
 * // the generic test with the same statistic: the same bits
 * const s = permutationTest(x, y, (a, b) => mmd2Unbiased(a, b, 1), rngFromSeed(0), 99)
 * s.pValue === r.pValue && s.statistic === r.statistic && s.rng.state.join() === r.rng.state.join() // true
 *
 * @category metrics
 * @since 0.5.0
 */
export const mmdPermutationTest = (x: Matrix, y: Matrix, bandwidth: number, rng: Rng, permutations: number): PermutationTestResult => {
  const op = 'mmdPermutationTest'
  checkSamples(op, x, y)
  checkPermutations(op, permutations)
  checkBandwidth(op, bandwidth)
  const rows = x.rows + y.rows
  checkPooledRows(op, rows)
  const k = kernelMatrix(pooled(x, y), rows, x.cols, 2 * bandwidth * bandwidth)
  return pairMatrixTest(op, k, x.rows, rows, mmd2FromSums, rng, permutations)
}

/**
 * The permutation test with the energy distance, computing exactly what
 * `permutationTest(x, y, energyDistance, rng, permutations)` computes, bit for bit (the
 * statistic, the p-value and the advanced generator), in far less time.
 *
 * The pooled sample `z = [x; y]` (`N = n + m` rows) gives the distance matrix
 * `D_ab = sqrt(|z_a - z_b|²)`, computed once: `N(N-1)/2` distances (by the helper
 * {@link energyDistance} uses), each stored at `(a, b)` and `(b, a)`. A split with index order
 * `pi` (the identity for `T_obs`; then, `B = permutations` times in turn,
 * `[pi, rng] = permutation(rng, N)`) has `x_b = z[pi_0 .. pi_{n-1}]`, `y_b = z[pi_n .. pi_{N-1}]`
 * and
 *
 *     Dxx = sum_{0 <= i < j < n} D[pi_i, pi_j]    Dyy = sum_{n <= i < j < N} D[pi_i, pi_j]
 *     Dxy = sum_{0 <= i < n} sum_{n <= j < N} D[pi_i, pi_j]
 *     T   = 2 Dxy / (nm) - 2 Dxx / (n(n-1)) - 2 Dyy / (m(m-1))
 *
 * each sum i ascending, then j ascending, and T left to right: the order in which
 * `energyDistance(x_b, y_b)` adds the same distances, which are the same doubles because
 * `|z_a - z_b|²` and `|z_b - z_a|²` are (`u - v` is exactly `-(v - u)`, and squaring drops
 * the sign). The p-value is `(1 + #{b : T_b >= T_obs}) / (1 + B)`.
 *
 * Cost: `O(N² d)` and `N(N-1)/2` square roots once, then `N(N-1)/2` additions per
 * permutation; at n = m = 500, d = 2, B = 200, 1.5 to 1.8 times as fast as
 * `permutationTest`, whose distances are cheap at d = 2 (4.5 to 7.5 times at d = 10;
 * docs/metrics.md). Memory: the `N x N` matrix, `8 N²` bytes; `N` is at most 8192
 * (512 MiB), beyond which a RangeError points to `permutationTest`.
 *
 * Input checks and messages as `permutationTest`'s with this function's name, in its order
 * (the samples, then `permutations`), then the size. A non-finite statistic is a RangeError
 * as there; it can only be the observed one (a distance whose square overflows enters the
 * observed sums, and finite distances are below 1.3e154, too small for any split's sums to
 * overflow).
 *
 * @example
 * import { energyDistance, energyPermutationTest, fromArrays, permutationTest, rngFromSeed } from 'pure-gan'
 * const x = fromArrays([[0], [1], [2]])
 * const y = fromArrays([[10], [11], [12]])
 * const r = energyPermutationTest(x, y, rngFromSeed(0), 99)
 * r.statistic // 17.333333333333336
 * r.pValue // 0.13
 *
 * // the generic test with the same statistic: the same bits
 * const s = permutationTest(x, y, energyDistance, rngFromSeed(0), 99)
 * s.pValue === r.pValue && s.statistic === r.statistic && s.rng.state.join() === r.rng.state.join() // true
 *
 * @category metrics
 * @since 0.5.0
 */
export const energyPermutationTest = (x: Matrix, y: Matrix, rng: Rng, permutations: number): PermutationTestResult => {
  const op = 'energyPermutationTest'
  checkSamples(op, x, y)
  checkPermutations(op, permutations)
  const rows = x.rows + y.rows
  checkPooledRows(op, rows)
  return pairMatrixTest(op, distanceMatrix(pooled(x, y), rows, x.cols), x.rows, rows, energyFromSums, rng, permutations)
}
