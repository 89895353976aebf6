/**
 * Batch normalisation's batch statistics written out per scalar, for the properties that
 * check the layer and the GAN's running statistics against them: per column of a minibatch,
 * the mean `(Σ_i z_i)/n` and the biased variance `(Σ_i (z_i − μ)²)/n`, rows in order (the
 * order docs/gradients.md states, so the bits agree with the kernel's).
 */
import { type Matrix, toArrays } from '../../src/matrix/index.js'

/** Per column of `z`: its mean and biased variance, each summed over the rows in order from 0. */
export const columnStats = (z: Matrix): { mean: number[]; variance: number[] } => {
  const rows = toArrays(z)
  const n = rows.length
  const mean: number[] = []
  const variance: number[] = []
  for (let j = 0; j < z.cols; j++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += rows[i]![j]!
    const mu = sum / n
    let sq = 0
    for (let i = 0; i < n; i++) {
      const d = rows[i]![j]! - mu
      sq += d * d
    }
    mean.push(mu)
    variance.push(sq / n)
  }
  return { mean, variance }
}
