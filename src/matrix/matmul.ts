/**
 * Matrix products, including products against a transposed operand that never build the
 * transpose (the backward pass of a dense layer needs `xᵀ·dy` and `dy·Wᵀ`).
 *
 * Summation order, the contract that makes results bit-reproducible: every output entry is
 * `c = 0; for k = 0, 1, ..., K-1: c = c + a_ik * b_kj` (with the operands read from
 * wherever the variant keeps them). JavaScript has no fused multiply-add, so each step
 * rounds twice and the result is the same on every machine. The three variants follow the
 * same order, so `matmul(a, transpose(b))` and `matmulTransposeB(a, b)` agree bit for bit.
 * Faster kernels must keep this order.
 *
 * All three are checked wrappers over one unchecked kernel (`kernels.ts`), which computes
 * 4 x 4 blocks of the result in registers over packed copies of the operands and keeps the
 * order above entry by entry.
 *
 * @module
 */
import { gemm } from './kernels.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from './matrix.js'

/**
 * The product `a · b` of an `(n x k)` and a `(k x m)` matrix, an `(n x m)` matrix.
 *
 * @example
 * import { fromArrays, matmul, toArrays } from 'pure-gan'
 * toArrays(matmul(fromArrays([[1, 2]]), fromArrays([[3], [4]]))) // [[11]]
 *
 * @category operations
 * @since 0.1.0
 */
export const matmul = (a: Matrix, b: Matrix): Matrix => {
  if (a.cols !== b.rows) {
    throw new ShapeError(`matmul: inner dimensions differ: ${shapeOf(a)} and ${shapeOf(b)}`)
  }
  const n = a.rows
  const K = a.cols
  const m = b.cols
  const out = new Float64Array(n * m)
  // A(i, k) = a[i·K + k], B(k, j) = b[k·m + j]
  gemm({ data: dataOf(a), off: 0, major: K, depth: 1 }, { data: dataOf(b), off: 0, major: 1, depth: m }, { rows: n, cols: m, depth: K }, { data: out, off: 0 })
  return unsafeFromFloat64Array(n, m, out)
}

/**
 * The product `aᵀ · b` of an `(k x n)` and a `(k x m)` matrix, an `(n x m)` matrix,
 * without forming `aᵀ`.
 *
 * @example
 * import { fromArrays, matmulTransposeA, toArrays } from 'pure-gan'
 * toArrays(matmulTransposeA(fromArrays([[1], [2]]), fromArrays([[3], [4]]))) // [[11]]
 *
 * @category operations
 * @since 0.1.0
 */
export const matmulTransposeA = (a: Matrix, b: Matrix): Matrix => {
  if (a.rows !== b.rows) {
    throw new ShapeError(`matmulTransposeA: row counts differ (aᵀ·b needs equal rows): ${shapeOf(a)} and ${shapeOf(b)}`)
  }
  const K = a.rows
  const n = a.cols
  const m = b.cols
  const out = new Float64Array(n * m)
  // A(i, k) = a[k·n + i], B(k, j) = b[k·m + j]
  gemm({ data: dataOf(a), off: 0, major: 1, depth: n }, { data: dataOf(b), off: 0, major: 1, depth: m }, { rows: n, cols: m, depth: K }, { data: out, off: 0 })
  return unsafeFromFloat64Array(n, m, out)
}

/**
 * The product `a · bᵀ` of an `(n x k)` and a `(m x k)` matrix, an `(n x m)` matrix,
 * without forming `bᵀ`.
 *
 * @example
 * import { fromArrays, matmulTransposeB, toArrays } from 'pure-gan'
 * toArrays(matmulTransposeB(fromArrays([[1, 2]]), fromArrays([[3, 4]]))) // [[11]]
 *
 * @category operations
 * @since 0.1.0
 */
export const matmulTransposeB = (a: Matrix, b: Matrix): Matrix => {
  if (a.cols !== b.cols) {
    throw new ShapeError(`matmulTransposeB: column counts differ (a·bᵀ needs equal columns): ${shapeOf(a)} and ${shapeOf(b)}`)
  }
  const n = a.rows
  const K = a.cols
  const m = b.rows
  const out = new Float64Array(n * m)
  // A(i, k) = a[i·K + k], B(k, j) = b[j·K + k]
  gemm({ data: dataOf(a), off: 0, major: K, depth: 1 }, { data: dataOf(b), off: 0, major: K, depth: 1 }, { rows: n, cols: m, depth: K }, { data: out, off: 0 })
  return unsafeFromFloat64Array(n, m, out)
}
