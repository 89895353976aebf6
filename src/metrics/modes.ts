/**
 * Mode coverage of samples from a Gaussian mixture, as VEEGAN (Srivastava et al. 2017) and
 * PacGAN (Lin et al. 2018) measure it on their rings and grids of modes.
 *
 * @module
 */
import { log } from '../elementary/index.js'
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'

/**
 * What {@link modeCoverage} reports about `samples` against a mixture's `modes`.
 *
 * @category metrics
 * @since 0.5.0
 */
export type ModeCoverage = {
  /** The number of samples (rows of `samples`). */
  readonly samples: number
  /** How many samples are high quality: within `3 · std` of their nearest mode. */
  readonly highQuality: number
  /** `highQuality / samples`. */
  readonly highQualityFraction: number
  /** How many modes are nearest to at least one high-quality sample. */
  readonly modesCovered: number
  /** Per mode, the number of high-quality samples nearest to it (sums to `highQuality`). */
  readonly counts: ReadonlyArray<number>
  /**
   * KL(p ‖ u) between the modes' histogram of high-quality samples and the uniform one;
   * `null` when no sample is high quality (p is then undefined).
   */
  readonly reverseKl: number | null
}

/**
 * Mode coverage of generated `samples` (n x d) against the `modes` (K x d) of a mixture of
 * Gaussians with standard deviation `std`, as VEEGAN and PacGAN define it (both evaluate
 * 2500 samples):
 *
 *     nearest(x)   = argmin_k ‖x − m_k‖²          (lowest k on a tie)
 *     high quality ⇔ ‖x − m_nearest(x)‖ ≤ 3 · std  (Euclidean; sqrt of the sum of squares)
 *     counts_k     = #{ high-quality x : nearest(x) = k }
 *     modesCovered = #{ k : counts_k ≥ 1 }
 *     p_k = counts_k / highQuality,  u_k = 1/K
 *     reverseKl    = max(0, Σ_{k: p_k > 0} p_k · log(p_k / (1/K)))   (k in order, natural log)
 *
 * The bound is inclusive (`≤`, against the double `3 * std`); PacGAN's code uses `<`, which
 * differs only for a point exactly on the boundary. The KL is written as PacGAN's `KLD(p, q)`
 * computes it, so it is exactly 0 when every mode holds the same count and log K (up to
 * rounding) when one mode holds them all; the clamp at 0 only removes rounding below 0.
 * With no high-quality sample p is 0/0: PacGAN's code then reports NaN, this reports `null`.
 *
 * Throws a `ShapeError` when there is no sample or no mode or their widths differ, and a
 * `RangeError` when `std` is not a finite number > 0 or an entry is NaN or infinite (named).
 *
 * @example
 * import { fromArrays, modeCoverage } from 'pure-gan'
 * const modes = fromArrays([[0, 0], [10, 0]])
 * modeCoverage(fromArrays([[0, 1], [9, 0], [5, 5]]), modes, 1).modesCovered // 2
 *
 * @category metrics
 * @since 0.5.0
 */
export const modeCoverage = (samples: Matrix, modes: Matrix, std: number): ModeCoverage => {
  if (samples.rows < 1) throw new ShapeError(`modeCoverage: needs at least one sample, got samples ${shapeOf(samples)}`)
  if (modes.rows < 1) throw new ShapeError(`modeCoverage: needs at least one mode, got modes ${shapeOf(modes)}`)
  if (samples.cols !== modes.cols) {
    throw new ShapeError(`modeCoverage: samples and modes must have the same width, got samples ${shapeOf(samples)} and modes ${shapeOf(modes)}`)
  }
  if (!(Number.isFinite(std) && std > 0)) throw new RangeError(`modeCoverage: std must be a finite number > 0, got ${std}`)
  for (const [name, m] of [['samples', samples], ['modes', modes]] as const) {
    const bad = firstNonFinite(m)
    if (bad >= 0) {
      throw new RangeError(`modeCoverage: ${name} must be finite; entry (${Math.floor(bad / m.cols)}, ${bad % m.cols}) is ${m.data[bad]}`)
    }
  }
  const n = samples.rows
  const k = modes.rows
  const d = samples.cols
  const bound = 3 * std
  const counts = new Array<number>(k).fill(0)
  let highQuality = 0
  for (let i = 0; i < n; i++) {
    let best = -1
    let bestD2 = Infinity
    for (let j = 0; j < k; j++) {
      let d2 = 0
      for (let c = 0; c < d; c++) {
        const diff = (samples.data[i * d + c] as number) - (modes.data[j * d + c] as number)
        d2 += diff * diff
      }
      // Strict: the lowest index keeps a tie. `best < 0` takes mode 0 even when d2 overflowed.
      if (best < 0 || d2 < bestD2) {
        best = j
        bestD2 = d2
      }
    }
    if (Math.sqrt(bestD2) <= bound) {
      counts[best] = counts[best]! + 1
      highQuality++
    }
  }
  let modesCovered = 0
  for (const c of counts) if (c > 0) modesCovered++
  let reverseKl: number | null = null
  if (highQuality > 0) {
    const q = 1 / k
    let kl = 0
    for (const c of counts) {
      if (c === 0) continue
      const p = c / highQuality
      kl += p * log(p / q)
    }
    reverseKl = Math.max(0, kl)
  }
  return { samples: n, highQuality, highQualityFraction: highQuality / n, modesCovered, counts, reverseKl }
}
