/**
 * The Parzen-window (Gaussian kernel density) estimate of a generator's log-likelihood on test
 * rows, as Goodfellow et al. (2014, Table 1) report it with the estimator of Breuleux et al.
 * (2011), the choice of its window `σ` on validation rows, and the logarithmic grid of
 * candidate windows (docs/metrics.md). Theis et al. (2016) show that the estimate is
 * unreliable in high dimension: read it as a comparison on one data set, not as a likelihood.
 *
 * @module
 */
import { exp, log } from '../elementary/index.js'
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { dataOf } from '../matrix/matrix.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * `ln(2π)` as the double nearest it, 1.8378770664093456 (0x3FFD67F1 C864BEB5): the decimal
 * 1.83787706640934548356065947281123527972279494727556682563430 is `l(8*a(1))` of `bc -l` at
 * scale 60, rounded to a double by Python's `float` (correctly rounded); its error is
 * +7.8e-17, below half an ulp (1.1e-16). (`log(2 * Math.PI)` gives the double below it:
 * `2 * Math.PI` is 2.4e-16 under 2π.)
 */
const LOG_2PI = 1.8378770664093456

/**
 * `ln 10` as the double nearest it, 2.302585092994046 (0x40026BB1 BBB55516): `l(10)` of
 * `bc -l` at scale 60, 2.30258509299404568401799145468436420760110148862877297603333, rounded
 * by Python's `float`; its error is +2.2e-16, below half an ulp (2.2e-16 is 0.49 ulp here).
 */
const LN10 = 2.302585092994046

/** The smallest and largest window accepted: `2σ²` stays a normal double (2e-300 .. 2e300). */
const SIGMA_MIN = 1e-150
const SIGMA_MAX = 1e150

/** The widest exponent range (that of a window, [1e-150, 1e150]) and the longest grid {@link logspaceSigmas} makes. */
const LOGSPACE_BOUND = 150
const LOGSPACE_MAX_COUNT = 100000

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

const checkRows = (op: string, name: string, m: Matrix): void => {
  if (m.rows < 1) throw new ShapeError(`${op}: ${name} needs at least one row, got ${shapeOf(m)}`)
  if (m.cols < 1) throw new ShapeError(`${op}: ${name} needs at least one column, got ${shapeOf(m)}`)
  const bad = firstNonFinite(m)
  if (bad >= 0) {
    throw new RangeError(`${op}: ${name} must be finite; entry (${Math.floor(bad / m.cols)}, ${bad % m.cols}) is ${m.data[bad]}`)
  }
}

const checkPair = (op: string, name: string, x: Matrix, samples: Matrix): void => {
  if (x.cols !== samples.cols) {
    throw new ShapeError(`${op}: ${name} and samples must have the same width, got ${name} ${shapeOf(x)} and samples ${shapeOf(samples)}`)
  }
  checkRows(op, name, x)
  checkRows(op, 'samples', samples)
}

const checkSigma = (op: string, name: string, sigma: number): void => {
  if (!(Number.isFinite(sigma) && sigma >= SIGMA_MIN && sigma <= SIGMA_MAX)) {
    throw new RangeError(`${op}: ${name} must be a finite number in [1e-150, 1e150] (2σ² a normal double), got ${String(sigma)}`)
  }
}

/**
 * Throws a `RangeError` (its message starting with `op`) unless `sigmas` is a nonempty list of
 * windows {@link parzenLogLikelihood} accepts, naming the first bad one as `sigmas[k]`.
 *
 * @internal
 */
export const checkSigmaCandidates = (op: string, sigmas: ReadonlyArray<number>): void => {
  if (sigmas.length < 1) throw new RangeError(`${op}: sigmas needs at least one candidate, got none`)
  sigmas.forEach((s, k) => checkSigma(op, `sigmas[${k}]`, s))
}

// -------------------------------------------------------------------------------------
// the estimate (unchecked)
// -------------------------------------------------------------------------------------

/** Rows of `x` whose squared distances to every sample are held at once: `ROW_BLOCK · n` doubles. */
const ROW_BLOCK = 16

/**
 * `out[r·n + j] = |x_{i0+r} − s_j|² = Σ_k (x_{i0+r,k} − s_jk)²` over the columns in order, for
 * `r = 0 .. rows − 1` and every sample `j`. Two rows and four samples at a time, each pair with
 * its own accumulator summed over `k` ascending: the same bits as one pair at a time, with
 * eight independent additions in flight instead of one.
 */
const squaredDistancesInto = (xs: Float64Array, i0: number, rows: number, ss: Float64Array, n: number, d: number, out: Float64Array): void => {
  let r = 0
  for (; r + 1 < rows; r += 2) {
    const x0 = (i0 + r) * d
    const x1 = x0 + d
    const o0 = r * n
    const o1 = o0 + n
    let j = 0
    for (; j + 3 < n; j += 4) {
      const s0 = j * d
      const s1 = s0 + d
      const s2 = s1 + d
      const s3 = s2 + d
      let a0 = 0
      let a1 = 0
      let a2 = 0
      let a3 = 0
      let b0 = 0
      let b1 = 0
      let b2 = 0
      let b3 = 0
      for (let k = 0; k < d; k++) {
        const p = xs[x0 + k] as number
        const q = xs[x1 + k] as number
        const t0 = ss[s0 + k] as number
        const t1 = ss[s1 + k] as number
        const t2 = ss[s2 + k] as number
        const t3 = ss[s3 + k] as number
        const u0 = p - t0
        const u1 = p - t1
        const u2 = p - t2
        const u3 = p - t3
        const v0 = q - t0
        const v1 = q - t1
        const v2 = q - t2
        const v3 = q - t3
        a0 += u0 * u0
        a1 += u1 * u1
        a2 += u2 * u2
        a3 += u3 * u3
        b0 += v0 * v0
        b1 += v1 * v1
        b2 += v2 * v2
        b3 += v3 * v3
      }
      out[o0 + j] = a0
      out[o0 + j + 1] = a1
      out[o0 + j + 2] = a2
      out[o0 + j + 3] = a3
      out[o1 + j] = b0
      out[o1 + j + 1] = b1
      out[o1 + j + 2] = b2
      out[o1 + j + 3] = b3
    }
    for (; j < n; j++) {
      const s0 = j * d
      let a0 = 0
      let b0 = 0
      for (let k = 0; k < d; k++) {
        const t0 = ss[s0 + k] as number
        const u0 = (xs[x0 + k] as number) - t0
        const v0 = (xs[x1 + k] as number) - t0
        a0 += u0 * u0
        b0 += v0 * v0
      }
      out[o0 + j] = a0
      out[o1 + j] = b0
    }
  }
  for (; r < rows; r++) {
    const x0 = (i0 + r) * d
    for (let j = 0; j < n; j++) {
      const s0 = j * d
      let a0 = 0
      for (let k = 0; k < d; k++) {
        const u0 = (xs[x0 + k] as number) - (ss[s0 + k] as number)
        a0 += u0 * u0
      }
      out[r * n + j] = a0
    }
  }
}

/**
 * The log-likelihood of each row of `x` (`m x d`) under the Parzen window of `samples`
 * (`n x d`) for each window of `sigmas`: `out[q][i]` is `log p(x_i)` with `σ = sigmas[q]`, in
 * the order of {@link parzenLogLikelihood}'s doc comment, the same bits as computing each
 * window alone. Each squared distance `|x_i − s_j|²` is computed once, for a block of
 * `ROW_BLOCK` rows at a time, and read by every window: `a_j = −(|x − s_j|² / t)`, `M`, `S`
 * and `log p` follow per window exactly as for one. Memory: `ROW_BLOCK · n + n` doubles
 * besides the result.
 */
const parzenRowsShared = (x: Matrix, samples: Matrix, sigmas: ReadonlyArray<number>): Float64Array[] => {
  const m = x.rows
  const n = samples.rows
  const d = x.cols
  const xs = dataOf(x)
  const ss = dataOf(samples)
  const windows = sigmas.map((sigma) => ({ t: 2 * sigma * sigma, c: d * log(sigma) + (d / 2) * LOG_2PI }))
  const out = sigmas.map(() => new Float64Array(m))
  const block = Math.min(ROW_BLOCK, m)
  const dist = new Float64Array(block * n)
  const a = new Float64Array(n)
  for (let i0 = 0; i0 < m; i0 += block) {
    const rows = Math.min(block, m - i0)
    squaredDistancesInto(xs, i0, rows, ss, n, d, dist)
    for (let q = 0; q < windows.length; q++) {
      const { t, c } = windows[q] as { t: number; c: number }
      const row = out[q] as Float64Array
      for (let r = 0; r < rows; r++) {
        const o = r * n
        let mx = -Infinity
        for (let j = 0; j < n; j++) {
          const aj = -((dist[o + j] as number) / t)
          a[j] = aj
          if (aj > mx) mx = aj
        }
        if (mx === -Infinity) {
          // Every |x − s_j|² / (2σ²) overflowed: the density is below the smallest double's log.
          row[i0 + r] = -Infinity
          continue
        }
        let s = 0
        for (let j = 0; j < n; j++) s += exp((a[j] as number) - mx)
        row[i0 + r] = mx + log(s / n) - c
      }
    }
  }
  return out
}

/** `(Σ_i r_i) / m`, i ascending. */
const meanOf = (r: ArrayLike<number>): number => {
  let s = 0
  for (let i = 0; i < r.length; i++) s += r[i] as number
  return s / r.length
}

// -------------------------------------------------------------------------------------
// the public functions
// -------------------------------------------------------------------------------------

/**
 * What {@link parzenLogLikelihood} reports.
 *
 * @category metrics
 * @since 0.5.0
 */
export type ParzenResult = {
  /** `(1/m) Σ_i log p(x_i)`, the mean over the test rows. */
  readonly mean: number
  /** `sd/√m` with `sd` the sample standard deviation (divisor `m − 1`); NaN for one test row. */
  readonly standardError: number
  /** `log p(x_i)` of each test row, in row order. */
  readonly perRow: ReadonlyArray<number>
}

/**
 * The Parzen-window estimate of the log-likelihood of `test` rows (`m x d`) under a
 * generator, from its `samples` (`n x d`): the density is the mean of `n` isotropic Gaussians
 * of standard deviation `σ = sigma` centred on the samples (Breuleux et al. 2011; Goodfellow
 * et al. 2014, Table 1), so for each test row `x`
 *
 *     log p(x) = logmeanexp_j( −|x − s_j|² / (2σ²) ) − d·log σ − (d/2)·log(2π)
 *
 * and `mean = (1/m) Σ_i log p(x_i)`, `standardError = sd/√m` with the sample standard
 * deviation `sd = √(Σ_i (log p(x_i) − mean)² / (m − 1))`.
 *
 * Evaluation order: `|x − s_j|² = Σ_k (x_k − s_jk)²` over the columns in order;
 * `a_j = −(|x − s_j|² / t)` with `t = 2 * σ * σ`; `M = max_j a_j`; `S = Σ_j exp(a_j − M)`,
 * j ascending (the largest term is exactly 1, so `S` lies in `[1, n]` and nothing under- or
 * overflows); `log p(x) = M + log(S / n) − c` (left to right) with `c = d * log(σ) +
 * (d / 2) * LOG_2PI` computed once, `LOG_2PI` the double nearest `ln(2π)`; the library's own
 * `exp` and `log`. The mean and the squares of the deviations are summed over the rows in
 * order; `standardError = √(Σ/(m − 1)) / √m`.
 *
 * When every `a_j` of a row overflows to −Infinity (the row is more than about
 * `1.3e154·σ` from every sample), its `log p` is −Infinity, the mean −Infinity and the
 * standard error NaN; rows are never +Infinity or NaN.
 *
 * Theis et al. (2016) show that this estimate can rank models opposite to their true
 * likelihoods and needs impractically many samples in high dimension: use it to compare
 * runs on one low-dimensional data set with one `σ` chosen on validation rows
 * ({@link parzenSigma}), not as a likelihood.
 *
 * Throws a `ShapeError` for an empty `test` or `samples` or different widths, and a
 * `RangeError` for a NaN or infinite entry (named by row and column) or a `sigma` outside
 * `[1e-150, 1e150]` (where `2σ²` would not be a normal double).
 *
 * @example
 * import { fromArrays, parzenLogLikelihood } from 'pure-gan'
 *
 * // one sample at the test point, σ = 1: log N(0; 0, 1) = −ln(2π)/2
 * parzenLogLikelihood(fromArrays([[0]]), fromArrays([[0]]), 1).mean // -0.9189385332046728
 *
 * @category metrics
 * @since 0.5.0
 */
export const parzenLogLikelihood = (test: Matrix, samples: Matrix, sigma: number): ParzenResult => {
  const op = 'parzenLogLikelihood'
  checkPair(op, 'test', test, samples)
  checkSigma(op, 'sigma', sigma)
  const perRow = Array.from(parzenRowsShared(test, samples, [sigma])[0] as Float64Array)
  const mean = meanOf(perRow)
  const m = perRow.length
  let standardError = NaN
  if (mean !== -Infinity) {
    let ss = 0
    for (const v of perRow) ss += (v - mean) * (v - mean)
    standardError = Math.sqrt(ss / (m - 1)) / Math.sqrt(m)
  }
  return { mean, standardError, perRow }
}

/**
 * What {@link parzenSigma} reports.
 *
 * @category metrics
 * @since 0.5.0
 */
export type ParzenSigmaResult = {
  /** The chosen window: the candidate with the highest mean (the first of equal ones). */
  readonly sigma: number
  /** Its index among the candidates. */
  readonly index: number
  /** Each candidate's mean log-likelihood on the validation rows, in the candidates' order. */
  readonly means: ReadonlyArray<number>
}

/**
 * The Parzen window chosen on validation rows, as Goodfellow et al. (2014) choose it: for
 * each candidate `σ_k` of `sigmas` (in order), `mean_k` is {@link parzenLogLikelihood}'s
 * `mean` of the `validation` rows under `samples` with window `σ_k` (the same bits), and
 *
 *     σ = σ_k*,  k* = the first k with mean_k = max_k mean_k
 *
 * (strictly greater replaces: on a tie the earlier candidate stays; a candidate whose mean is
 * −Infinity loses to any finite one). Then report `parzenLogLikelihood(test, samples, σ)` on
 * test rows that the choice never saw.
 *
 * Input checks as {@link parzenLogLikelihood}'s, with `validation` for `test`; `sigmas` must
 * be nonempty, and each `sigmas[k]` is checked as `sigma` is (a `RangeError` naming `k`).
 *
 * @example
 * import { fromArrays, parzenSigma } from 'pure-gan'
 *
 * // samples 2 apart around validation rows in the middle: the wider window fits better
 * parzenSigma(fromArrays([[0]]), fromArrays([[-1], [1]]), [0.1, 1, 10]).sigma // 1
 *
 * @category metrics
 * @since 0.5.0
 */
export const parzenSigma = (validation: Matrix, samples: Matrix, sigmas: ReadonlyArray<number>): ParzenSigmaResult => {
  const op = 'parzenSigma'
  checkPair(op, 'validation', validation, samples)
  checkSigmaCandidates(op, sigmas)
  const means = parzenRowsShared(validation, samples, sigmas).map(meanOf)
  let index = 0
  for (let k = 1; k < means.length; k++) if ((means[k] as number) > (means[index] as number)) index = k
  return { sigma: sigmas[index] as number, index, means }
}

/**
 * `count` windows evenly spaced in `log10` from `10^lo` to `10^hi` (numpy's
 * `logspace(lo, hi, count)`): `σ_k = 10^(y_k)` for `k = 0 .. count − 1` with
 *
 *     y_k = (lo·(count − 1 − k) + hi·k) / (count − 1)
 *
 * evaluated left to right, so `y_0 = lo` and `y_{count−1} = hi` exactly when `lo·(count − 1)`
 * and `hi·(count − 1)` are exact (integers, for instance). Issue 18's grid is
 * `logspaceSigmas(-1, 0, 10)`: `10^(−1 + k/9)`, from 0.1 to 1.
 *
 * `10^y` is computed without `Math.pow`: for an integer `y` as `10·10·…·10` (exact up to
 * `10^22`; one rounding per factor beyond) or its reciprocal (one more rounding: correctly
 * rounded for `|y| ≤ 22`), so `10^-1` is the double `0.1` and `10^0` is 1; otherwise as
 * `exp(y * LN10)` with the library's `exp` and `LN10` the double nearest `ln 10`. The
 * relative error of the latter is at most `|y|·4.7e-16` (the rounding of `LN10` and of the
 * product, carried through `exp`) plus `exp`'s, below 1 ulp: for issue 18's grid the ten
 * values are within 2 ulps of `10^(−1 + k/9)` (docs/metrics.md gives the measured errors).
 *
 * Throws a `RangeError` unless `lo` and `hi` are finite numbers in `[-150, 150]` (the windows
 * {@link parzenLogLikelihood} accepts) and `count` is an integer in `2 .. 100000`.
 *
 * @example
 * import { logspaceSigmas } from 'pure-gan'
 *
 * logspaceSigmas(-1, 1, 3) // [0.1, 1, 10]
 *
 * @category metrics
 * @since 0.5.0
 */
export const logspaceSigmas = (lo: number, hi: number, count: number): number[] => {
  const op = 'logspaceSigmas'
  for (const [name, v] of [['lo', lo], ['hi', hi]] as const) {
    if (!(Number.isFinite(v) && Math.abs(v) <= LOGSPACE_BOUND)) {
      throw new RangeError(`${op}: ${name} must be a finite number in [-150, 150], got ${String(v)}`)
    }
  }
  if (!(Number.isSafeInteger(count) && count >= 2 && count <= LOGSPACE_MAX_COUNT)) {
    throw new RangeError(`${op}: count must be an integer in 2..100000, got ${String(count)}`)
  }
  const out = new Array<number>(count)
  for (let k = 0; k < count; k++) out[k] = tenTo((lo * (count - 1 - k) + hi * k) / (count - 1))
  return out
}

/** `10^y` for `|y| ≤ 150`: by products of 10 for an integer `y`, else `exp(y · LN10)`. */
const tenTo = (y: number): number => {
  if (Number.isInteger(y)) {
    let p = 1
    for (let i = 0; i < Math.abs(y); i++) p *= 10
    return y < 0 ? 1 / p : p
  }
  return exp(y * LN10)
}

/**
 * `LOG_2PI` and `LN10` as the module uses them, for the properties.
 *
 * @internal
 */
export const PARZEN_CONSTANTS = Object.freeze({ LOG_2PI, LN10 })
