/**
 * The real data of a run as a pure function of a PRNG.
 *
 * @module
 */
import { type Matrix, addRowVector, fromArrays, matmul, matmulTransposeA, rowVector } from '../matrix/index.js'
import { normalMatrix } from '../random/normal.js'
import type { Rng } from '../random/rng.js'
import type { AffineGaussianData } from './config.js'

/**
 * `size` rows of `X·A + b` with `X ~ N(0, I)` drawn row-major from `rng` (`size x k`, where
 * `A` is `k x d`): Gaussian data with mean `b` and covariance `AᵀA`. Returns the data and the
 * advanced generator.
 *
 * @example
 * import { makeData, rngFromSeed, seedConfig } from 'pure-gan'
 * const [data] = makeData(seedConfig.data, rngFromSeed(0)) // 1000 x 2
 *
 * @category data
 * @since 0.1.0
 */
export const makeData = (spec: AffineGaussianData, rng: Rng): readonly [Matrix, Rng] => {
  const A = fromArrays(spec.A)
  const [X, next] = normalMatrix(rng, spec.size, A.rows)
  return [addRowVector(matmul(X, A), rowVector(spec.b)), next]
}

/**
 * The exact mean `b` and covariance `AᵀA` of the data distribution.
 *
 * @category data
 * @since 0.1.0
 */
export const dataDistribution = (spec: AffineGaussianData): { readonly mean: Matrix; readonly covariance: Matrix } => {
  const A = fromArrays(spec.A)
  return { mean: rowVector(spec.b), covariance: matmulTransposeA(A, A) }
}
