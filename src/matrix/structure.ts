/**
 * Operations that rearrange entries without arithmetic: transpose, row slices and
 * gathers (minibatches), concatenation.
 *
 * @module
 */
import { type Matrix, type Shape, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from './matrix.js'

/**
 * `aᵀ`, the `(cols x rows)` matrix with entry `(j, i)` equal to `a`'s `(i, j)`.
 *
 * @example
 * import { fromArrays, toArrays, transpose } from 'pure-gan'
 * toArrays(transpose(fromArrays([[1, 2, 3]]))) // [[1], [2], [3]]
 *
 * @category operations
 * @since 0.1.0
 */
export const transpose = (a: Matrix): Matrix => {
  const ad = dataOf(a)
  const r = a.rows
  const c = a.cols
  const out = new Float64Array(r * c)
  for (let i = 0; i < r; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND
    for (let j = 0; j < c; j++) out[j * r + i] = ad[i * c + j]!
  }
  return unsafeFromFloat64Array(c, r, out)
}

/**
 * Rows `start` (inclusive) to `end` (exclusive), with `0 <= start <= end <= rows`.
 *
 * @example
 * import { fromArrays, sliceRows, toArrays } from 'pure-gan'
 * toArrays(sliceRows(fromArrays([[1], [2], [3]]), 1, 3)) // [[2], [3]]
 *
 * @category operations
 * @since 0.1.0
 */
export const sliceRows = (a: Matrix, start: number, end: number): Matrix => {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > a.rows) {
    throw new RangeError(
      `sliceRows: rows [${start}, ${end}) are not a range within the ${shapeOf(a)} matrix (need 0 <= start <= end <= ${a.rows})`,
    )
  }
  const out = dataOf(a).slice(start * a.cols, end * a.cols)
  return unsafeFromFloat64Array(end - start, a.cols, out)
}

/**
 * The rows at `indices`, in that order (repeats allowed): a minibatch from a permutation.
 *
 * @example
 * import { fromArrays, gatherRows, toArrays } from 'pure-gan'
 * toArrays(gatherRows(fromArrays([[1], [2], [3]]), [2, 0])) // [[3], [1]]
 *
 * @category operations
 * @since 0.1.0
 */
export const gatherRows = (a: Matrix, indices: ArrayLike<number>): Matrix => {
  const ad = dataOf(a)
  const c = a.cols
  const out = new Float64Array(indices.length * c)
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r]!
    if (!Number.isInteger(i) || i < 0 || i >= a.rows) {
      throw new RangeError(`gatherRows: index ${i} (position ${r}) is outside rows 0..${a.rows - 1} of the ${shapeOf(a)} matrix`)
    }
    const src = i * c
    const dst = r * c
    // Stryker disable next-line EqualityOperator: E-BOUND next row overwrites
    for (let j = 0; j < c; j++) out[dst + j] = ad[src + j]!
  }
  return unsafeFromFloat64Array(indices.length, c, out)
}

/**
 * `[a | b]`: `b`'s columns to the right of `a`'s. Row counts must be equal.
 *
 * @example
 * import { fromArrays, hconcat, toArrays } from 'pure-gan'
 * toArrays(hconcat(fromArrays([[1], [2]]), fromArrays([[3], [4]]))) // [[1, 3], [2, 4]]
 *
 * @category operations
 * @since 0.1.0
 */
export const hconcat = (a: Matrix, b: Matrix): Matrix => {
  if (a.rows !== b.rows) throw new ShapeError(`hconcat: row counts differ: ${shapeOf(a)} and ${shapeOf(b)}`)
  const ad = dataOf(a)
  const bd = dataOf(b)
  const c = a.cols + b.cols
  const out = new Float64Array(a.rows * c)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < a.rows; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND b's loop overwrites
    for (let j = 0; j < a.cols; j++) out[i * c + j] = ad[i * a.cols + j]!
    // Stryker disable next-line EqualityOperator: E-BOUND next row overwrites
    for (let j = 0; j < b.cols; j++) out[i * c + a.cols + j] = bd[i * b.cols + j]!
  }
  return unsafeFromFloat64Array(a.rows, c, out)
}

/**
 * Throws `vconcat`'s `ShapeError` when `a` and `b` cannot be stacked (their column counts
 * differ): the one check `vconcat` makes, for callers that check shapes before computing.
 *
 * @internal
 */
export const checkStackable = (a: Shape, b: Shape): void => {
  if (a.cols !== b.cols) throw new ShapeError(`vconcat: column counts differ: ${shapeOf(a)} and ${shapeOf(b)}`)
}

/**
 * `b`'s rows below `a`'s. Column counts must be equal.
 *
 * @example
 * import { fromArrays, vconcat, toArrays } from 'pure-gan'
 * toArrays(vconcat(fromArrays([[1, 2]]), fromArrays([[3, 4]]))) // [[1, 2], [3, 4]]
 *
 * @category operations
 * @since 0.1.0
 */
export const vconcat = (a: Matrix, b: Matrix): Matrix => {
  checkStackable(a, b)
  const out = new Float64Array((a.rows + b.rows) * a.cols)
  out.set(dataOf(a), 0)
  out.set(dataOf(b), a.rows * a.cols)
  return unsafeFromFloat64Array(a.rows + b.rows, a.cols, out)
}
