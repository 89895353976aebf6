/**
 * Elementwise operations: each allocates its result and fills it in one pass.
 *
 * @module
 */
import { type Matrix, ShapeError, dataOf, sameShape, shapeOf, unsafeFromFloat64Array } from './matrix.js'

const requireSameShape = (op: string, a: Matrix, b: Matrix): void => {
  if (!sameShape(a, b)) throw new ShapeError(`${op}: shapes differ: ${shapeOf(a)} and ${shapeOf(b)}`)
}

/**
 * `a + b`, entry by entry. Both shapes must be equal.
 *
 * @example
 * import { add, fromArrays, toArrays } from 'pure-gan'
 * toArrays(add(fromArrays([[1, 2]]), fromArrays([[10, 20]]))) // [[11, 22]]
 *
 * @category operations
 * @since 0.1.0
 */
export const add = (a: Matrix, b: Matrix): Matrix => {
  requireSameShape('add', a, b)
  const ad = dataOf(a)
  const bd = dataOf(b)
  const out = new Float64Array(ad.length)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < out.length; i++) out[i] = ad[i]! + bd[i]!
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * `a - b`, entry by entry. Both shapes must be equal.
 *
 * @category operations
 * @since 0.1.0
 */
export const sub = (a: Matrix, b: Matrix): Matrix => {
  requireSameShape('sub', a, b)
  const ad = dataOf(a)
  const bd = dataOf(b)
  const out = new Float64Array(ad.length)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < out.length; i++) out[i] = ad[i]! - bd[i]!
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * The Hadamard (entry by entry) product `a ⊙ b`. Both shapes must be equal.
 *
 * @category operations
 * @since 0.1.0
 */
export const mul = (a: Matrix, b: Matrix): Matrix => {
  requireSameShape('mul', a, b)
  const ad = dataOf(a)
  const bd = dataOf(b)
  const out = new Float64Array(ad.length)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < out.length; i++) out[i] = ad[i]! * bd[i]!
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * `s · a`, every entry multiplied by the scalar `s`.
 *
 * @example
 * import { fromArrays, scale, toArrays } from 'pure-gan'
 * toArrays(scale(fromArrays([[1, -2]]), 3)) // [[3, -6]]
 *
 * @category operations
 * @since 0.1.0
 */
export const scale = (a: Matrix, s: number): Matrix => {
  const ad = dataOf(a)
  const out = new Float64Array(ad.length)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < out.length; i++) out[i] = ad[i]! * s
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * `f` applied to every entry. Convenient, but a closure call per entry: hot paths in
 * pure-gan use dedicated loops instead.
 *
 * @example
 * import { fromArrays, map, toArrays } from 'pure-gan'
 * toArrays(map(fromArrays([[1, 4]]), Math.sqrt)) // [[1, 2]]
 *
 * @category operations
 * @since 0.1.0
 */
export const map = (a: Matrix, f: (x: number) => number): Matrix => {
  const ad = dataOf(a)
  const out = new Float64Array(ad.length)
  for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!)
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * `f(a[i], b[i])` for every entry. Both shapes must be equal.
 *
 * @category operations
 * @since 0.1.0
 */
export const zipWith = (a: Matrix, b: Matrix, f: (x: number, y: number) => number): Matrix => {
  requireSameShape('zipWith', a, b)
  const ad = dataOf(a)
  const bd = dataOf(b)
  const out = new Float64Array(ad.length)
  for (let i = 0; i < out.length; i++) out[i] = f(ad[i]!, bd[i]!)
  return unsafeFromFloat64Array(a.rows, a.cols, out)
}

/**
 * Adds the `1 x cols` row vector `v` to every row of `a` (the bias of a dense layer).
 *
 * @example
 * import { addRowVector, fromArrays, toArrays } from 'pure-gan'
 * toArrays(addRowVector(fromArrays([[1, 2], [3, 4]]), fromArrays([[10, 20]]))) // [[11, 22], [13, 24]]
 *
 * @category operations
 * @since 0.1.0
 */
export const addRowVector = (a: Matrix, v: Matrix): Matrix => {
  if (v.rows !== 1 || v.cols !== a.cols) {
    throw new ShapeError(`addRowVector: the vector must be (1x${a.cols}) for a ${shapeOf(a)} matrix, got ${shapeOf(v)}`)
  }
  const ad = dataOf(a)
  const vd = dataOf(v)
  const cols = a.cols
  const out = new Float64Array(ad.length)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < a.rows; i++) {
    const o = i * cols
    // Stryker disable next-line EqualityOperator: E-BOUND next row overwrites
    for (let j = 0; j < cols; j++) out[o + j] = ad[o + j]! + vd[j]!
  }
  return unsafeFromFloat64Array(a.rows, cols, out)
}

/**
 * The `1 x cols` row of column sums, each summed from row 0 downwards.
 *
 * @example
 * import { columnSums, fromArrays, toArrays } from 'pure-gan'
 * toArrays(columnSums(fromArrays([[1, 2], [3, 4]]))) // [[4, 6]]
 *
 * @category operations
 * @since 0.1.0
 */
export const columnSums = (a: Matrix): Matrix => {
  const ad = dataOf(a)
  const cols = a.cols
  const out = new Float64Array(cols)
  for (let i = 0; i < a.rows; i++) {
    const o = i * cols
    // Stryker disable next-line EqualityOperator: E-BOUND
    for (let j = 0; j < cols; j++) out[j] = out[j]! + ad[o + j]!
  }
  return unsafeFromFloat64Array(1, cols, out)
}

/**
 * The sum of all entries, in row-major order from the first.
 *
 * @category operations
 * @since 0.1.0
 */
export const sum = (a: Matrix): number => {
  const ad = dataOf(a)
  let s = 0
  for (let i = 0; i < ad.length; i++) s += ad[i]!
  return s
}
