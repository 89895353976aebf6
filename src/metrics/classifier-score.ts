/**
 * The classifier score: the Inception Score's formula (Salimans et al. 2016) with the class
 * probabilities of any classifier (docs/metrics.md).
 *
 * @module
 */
import { exp, log } from '../elementary/index.js'
import { type Matrix, ShapeError, shapeOf } from '../matrix/index.js'
import { dataOf } from '../matrix/matrix.js'

/** How far a row's sum (columns in order) may be from 1. */
const ROW_SUM_TOLERANCE = 1e-6

/**
 * The classifier score of `n` generated samples from a classifier's class probabilities
 * (`probabilities`, `n x K`, row `i` the distribution `p_i = p(y | x_i)` over `K` classes):
 * the Inception Score's formula (Salimans et al. 2016) with any classifier,
 *
 *     score = exp( (1/n) Σ_i KL(p_i ‖ p̄) ),   p̄ = (1/n) Σ_i p_i,
 *     KL(p_i ‖ p̄) = Σ_k p_ik · log(p_ik / p̄_k),   with 0 · log 0 = 0
 *
 * It is 1 when every row is the same distribution and `K` when the rows are one-hot and
 * spread evenly over the `K` classes (confident and diverse); always in `[1, K]` for rows
 * that sum to 1. A score computed with pure-gan's own classifier is comparable only with
 * other scores from that classifier on the same data, never with published Inception Scores.
 *
 * Evaluation order: `S_k = Σ_i p_ik` (i ascending), so `p̄_k = S_k / n`; each ratio
 * `p_ik / p̄_k` is computed as `(n * p_ik) / S_k` (no `p̄_k` underflows to 0 under a tiny
 * positive `p_ik`); `KL_i = Σ_k p_ik * log((n * p_ik) / S_k)` over the `k` with `p_ik > 0`
 * (k ascending; the others add nothing), with the library's own `log`; `D = (Σ_i KL_i) / n`
 * (i ascending); `score = exp(max(0, D))` with the library's `exp`. `D ≥ 0` holds for any
 * nonnegative rows (by the log-sum inequality and Jensen's), so the clamp removes only
 * rounding below 0.
 *
 * Throws a `ShapeError` for no row or no class, and a `RangeError` for an entry that is not
 * a number in `[0, 1]` (named by row and column) or a row whose sum (columns in order) is
 * more than `1e-6` from 1 (float32 outputs of a wide classifier may need dividing by their
 * row sums first).
 *
 * @example
 * import { classifierScore, fromArrays } from 'pure-gan'
 *
 * // two confident samples of different classes out of two
 * classifierScore(fromArrays([[1, 0], [0, 1]])) // 2
 *
 * // every sample the same distribution
 * classifierScore(fromArrays([[0.5, 0.5], [0.5, 0.5]])) // 1
 *
 * @category metrics
 * @since 0.5.0
 */
export const classifierScore = (probabilities: Matrix): number => {
  const op = 'classifierScore'
  const n = probabilities.rows
  const kk = probabilities.cols
  if (n < 1 || kk < 1) throw new ShapeError(`${op}: needs at least one row and one class, got ${shapeOf(probabilities)}`)
  const p = dataOf(probabilities)
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let k = 0; k < kk; k++) {
      const v = p[i * kk + k] as number
      if (!(v >= 0 && v <= 1)) throw new RangeError(`${op}: probabilities must lie in [0, 1]; entry (${i}, ${k}) is ${v}`)
      s += v
    }
    if (!(Math.abs(s - 1) <= ROW_SUM_TOLERANCE)) throw new RangeError(`${op}: row ${i} sums to ${s}; each row must sum to 1 within 1e-6`)
  }
  const sums = new Float64Array(kk)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < kk; k++) sums[k] = (sums[k] as number) + (p[i * kk + k] as number)
  }
  let total = 0
  for (let i = 0; i < n; i++) {
    let kl = 0
    for (let k = 0; k < kk; k++) {
      const v = p[i * kk + k] as number
      if (v > 0) kl += v * log((n * v) / (sums[k] as number))
    }
    total += kl
  }
  return exp(Math.max(0, total / n))
}
