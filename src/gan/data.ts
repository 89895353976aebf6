/**
 * The real data of a run as a pure function of a PRNG.
 *
 * @module
 */
import { type Matrix, fromArrays, matmulTransposeA, rowVector } from '../matrix/index.js'
import { identity } from '../nn/activation.js'
import { affineActivate } from '../nn/dense.js'
import { normalMatrix } from '../random/normal.js'
import type { Rng } from '../random/rng.js'
import type { AffineGaussianData } from './config.js'

/**
 * `size` rows of `X·A + b` with `X ~ N(0, I)` drawn row-major from `rng` (`size x k`, where
 * `A` is `k x d`): Gaussian data with mean `b` and covariance `AᵀA`. Returns the data and the
 * advanced generator.
 *
 * @example
 * import { makeData, rngFromSeed, seedConfig, shapeOf } from 'pure-gan'
 * const [data] = makeData(seedConfig.data, rngFromSeed(0))
 * shapeOf(data) // '(1000x2)'
 *
 * @category data
 * @since 0.1.0
 */
export const makeData = (spec: AffineGaussianData, rng: Rng): readonly [Matrix, Rng] => {
  const A = fromArrays(spec.A)
  const [X, next] = normalMatrix(rng, spec.size, A.rows)
  // The fused dense kernel: x·A with the bias added after each dot product, the same bits as
  // addRowVector(matmul(X, A), b) (docs/decisions.md, "Matrices"), in one pass and through
  // the kernel that training runs anyway.
  return [affineActivate(X, A, rowVector(spec.b), identity), next]
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
