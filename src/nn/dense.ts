/**
 * The dense (fully connected) layer `y = x·W + b`, its backward pass, and the fused
 * kernel `f(x·W + b)` that the network's forward pass runs layer by layer. Derivations:
 * docs/gradients.md, section "Dense layer".
 *
 * Shapes: `x` is `(n x in)` (one example per row), `W` is `(in x out)`, `b` is `(1 x out)`.
 *
 * @module
 */
import { columnSums } from '../matrix/elementwise.js'
import { SMALL, gemm } from '../matrix/kernels.js'
import { matmulTransposeA, matmulTransposeB } from '../matrix/matmul.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, activateInto, identity } from './activation.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The parameters of one dense layer: weights `W` `(in x out)` and bias `b` `(1 x out)`.
 * A type alias (not an interface) so that it is a `ParamTree` record.
 *
 * @example
 * import { type DenseParams, zeros } from 'pure-gan'
 * const layer: DenseParams = { W: zeros(2, 5), b: zeros(1, 5) }
 *
 * @category model
 * @since 0.1.0
 */
export type DenseParams = {
  readonly W: Matrix
  readonly b: Matrix
}

/**
 * The gradients of a dense layer: `dx` `(n x in)`, `dW` `(in x out)`, `db` `(1 x out)`.
 *
 * @category model
 * @since 0.1.0
 */
export type DenseGradients = {
  readonly dx: Matrix
  readonly dW: Matrix
  readonly db: Matrix
}

/**
 * The pre-activation `z = x·W + b` and the output `y = f(z)` of a fused dense layer.
 *
 * @category model
 * @since 0.1.0
 */
export type AffineActivation = {
  readonly z: Matrix
  readonly y: Matrix
}

// -------------------------------------------------------------------------------------
// shape checks
// -------------------------------------------------------------------------------------

const checkAffine = (op: string, x: Matrix, W: Matrix, b: Matrix): void => {
  if (x.cols !== W.rows) {
    throw new ShapeError(`${op}: input ${shapeOf(x)} and weights ${shapeOf(W)} do not fit (input columns must equal weight rows)`)
  }
  if (b.rows !== 1 || b.cols !== W.cols) {
    throw new ShapeError(`${op}: bias ${shapeOf(b)} does not fit weights ${shapeOf(W)} (the bias must be (1x${W.cols}))`)
  }
}

// -------------------------------------------------------------------------------------
// kernel
// -------------------------------------------------------------------------------------

/**
 * Fills `z` (n x m, from `zOff`) with `x·W + b` and `y` (from `yOff`, possibly `z` itself at
 * the same offset) with `f(z)`; `x` is `n x K` from `xOff`, `W` is `K x m` from `wOff`, `b`
 * is `1 x m` from `bOff`, all row-major (a network's layers read their weights and biases
 * from its one flat parameter block). Unchecked: the callers have checked the shapes.
 *
 * Summation order, the contract with `src/matrix/matmul.ts`: each entry is
 * `c = 0; for k = 0..K-1: c = c + x_ik·W_kj`, then `z_ij = c + b_j`, the bias added after
 * the dot product. So `z` equals `addRowVector(matmul(x, W), b)` bit for bit. Large products
 * run the register-blocked kernel of `src/matrix/kernels.ts` and then add the bias; small ones
 * (below its `SMALL` threshold) are plain dot products here, with no call (at the seed's
 * sizes the calls cost more than the arithmetic). The activation follows in one pass.
 *
 * @internal
 */
export const affineKernel = (
  x: Float64Array,
  xOff: number,
  n: number,
  K: number,
  wd: Float64Array,
  wOff: number,
  m: number,
  bd: Float64Array,
  bOff: number,
  a: Activation,
  z: Float64Array,
  zOff: number,
  y: Float64Array,
  yOff: number,
): void => {
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: which product path runs changes no bit: the dot products here and gemm (which has its own small path) both sum in matmul's order and add the bias after (dense.test.ts, nn-kernels.test.ts: both paths equal the unfused composition)
  if (n < 4 || m < 4 || n * m * K < SMALL) {
    // Small (the seed's layers): the dot products right here, with the bias.
    for (let i = 0; i < n; i++) {
      const xi = xOff + i * K
      const xEnd = xi + K
      const zi = zOff + i * m
      for (let j = 0; j < m; j++) {
        let c = 0
        let pw = wOff + j
        for (let px = xi; px < xEnd; px++) {
          c = c + x[px]! * wd[pw]!
          pw += m
        }
        z[zi + j] = c + bd[bOff + j]!
      }
    }
  } else {
    // A(i, k) = x[xOff + i·K + k], B(k, j) = W[wOff + k·m + j]
    gemm(x, xOff, K, 1, wd, wOff, m, 1, n, m, K, z, zOff)
    for (let i = 0; i < n; i++) {
      const o = zOff + i * m
      for (let j = 0; j < m; j++) z[o + j] = z[o + j]! + bd[bOff + j]!
    }
  }
  activateInto(a, z, zOff, y, yOff, n * m)
}

// -------------------------------------------------------------------------------------
// forward
// -------------------------------------------------------------------------------------

/**
 * `f(x·W + b)` in one allocation: the matrix product, then the bias and the activation
 * applied to each block of output rows as soon as it is finished (while it is in cache). Bit for bit equal to
 * `activate(f, addRowVector(matmul(x, W), b))`.
 *
 * @example
 * import { Activation, affineActivate, fromArrays, toArrays } from 'pure-gan'
 * toArrays(affineActivate(fromArrays([[1, 2]]), fromArrays([[1], [-1]]), fromArrays([[0.5]]), Activation.relu)) // [[0]]
 *
 * @category operations
 * @since 0.1.0
 */
export const affineActivate = (x: Matrix, W: Matrix, b: Matrix, a: Activation): Matrix => {
  checkAffine('affineActivate', x, W, b)
  const out = new Float64Array(x.rows * W.cols)
  affineKernel(dataOf(x), 0, x.rows, x.cols, dataOf(W), 0, W.cols, dataOf(b), 0, a, out, 0, out, 0)
  return unsafeFromFloat64Array(x.rows, W.cols, out)
}

/**
 * As `affineActivate`, but keeps the pre-activation too (the backward pass of the
 * activation needs it): `{ z: x·W + b, y: f(z) }`, each bit for bit equal to the unfused
 * composition. For the identity, `y` is `z`.
 *
 * @category operations
 * @since 0.1.0
 */
export const affineActivateWithPre = (x: Matrix, W: Matrix, b: Matrix, a: Activation): AffineActivation => {
  checkAffine('affineActivateWithPre', x, W, b)
  const size = x.rows * W.cols
  if (a.kind === 'identity') {
    const zd = new Float64Array(size)
    affineKernel(dataOf(x), 0, x.rows, x.cols, dataOf(W), 0, W.cols, dataOf(b), 0, a, zd, 0, zd, 0)
    const z = unsafeFromFloat64Array(x.rows, W.cols, zd)
    return Object.freeze({ z, y: z })
  }
  // One allocation for both results: z and y are views of its two halves.
  const both = new Float64Array(2 * size)
  affineKernel(dataOf(x), 0, x.rows, x.cols, dataOf(W), 0, W.cols, dataOf(b), 0, a, both, 0, both, size)
  return Object.freeze({
    z: unsafeFromFloat64Array(x.rows, W.cols, both.subarray(0, size)),
    y: unsafeFromFloat64Array(x.rows, W.cols, both.subarray(size)),
  })
}

/**
 * The dense layer `y = x·W + b`: `x` `(n x in)`, `W` `(in x out)`, `b` `(1 x out)`,
 * `y` `(n x out)`.
 *
 * @example
 * import { denseForward, fromArrays, toArrays } from 'pure-gan'
 * const params = { W: fromArrays([[1, 0], [0, 2]]), b: fromArrays([[10, 20]]) }
 * toArrays(denseForward(params, fromArrays([[1, 1]]))) // [[11, 22]]
 *
 * @category operations
 * @since 0.1.0
 */
export const denseForward = (params: DenseParams, x: Matrix): Matrix => {
  const { W, b } = params
  checkAffine('denseForward', x, W, b)
  const out = new Float64Array(x.rows * W.cols)
  affineKernel(dataOf(x), 0, x.rows, x.cols, dataOf(W), 0, W.cols, dataOf(b), 0, identity, out, 0, out, 0)
  return unsafeFromFloat64Array(x.rows, W.cols, out)
}

// -------------------------------------------------------------------------------------
// backward
// -------------------------------------------------------------------------------------

/**
 * The gradients of a scalar loss `L` through `y = x·W + b`, given `dy = dL/dy` `(n x out)`:
 *
 * - `dx = dy·Wᵀ` `(n x in)` (`matmulTransposeB`)
 * - `dW = xᵀ·dy` `(in x out)` (`matmulTransposeA`)
 * - `db = Σ_i dy_i`, the column sums of `dy`, `(1 x out)`
 *
 * @example
 * import { denseBackward, fromArrays, toArrays } from 'pure-gan'
 * const params = { W: fromArrays([[1], [2]]), b: fromArrays([[0]]) }
 * const g = denseBackward(params, fromArrays([[3, 4]]), fromArrays([[1]]))
 * toArrays(g.dx) // [[1, 2]]
 * toArrays(g.dW) // [[3], [4]]
 *
 * @category operations
 * @since 0.1.0
 */
export const denseBackward = (params: DenseParams, x: Matrix, dy: Matrix): DenseGradients => {
  const { W, b } = params
  checkAffine('denseBackward', x, W, b)
  if (dy.rows !== x.rows || dy.cols !== W.cols) {
    throw new ShapeError(
      `denseBackward: dy ${shapeOf(dy)} does not fit input ${shapeOf(x)} and weights ${shapeOf(W)} (dy must be (${x.rows}x${W.cols}))`,
    )
  }
  return Object.freeze({ dx: matmulTransposeB(dy, W), dW: matmulTransposeA(x, dy), db: columnSums(dy) })
}
