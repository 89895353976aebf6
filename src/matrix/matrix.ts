/**
 * The immutable matrix: a row-major `Float64Array` with its shape.
 *
 * Every operation in `src/matrix` allocates its result and never writes to its
 * inputs. Inside an operation the freshly allocated array is filled in a plain
 * `for` loop (mutable inside, immutable outside, as fp-ts's `zipWith`), and the
 * result is handed out through the read-only type below.
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A `Float64Array` with every writing method and the writable index removed from its type.
 * TypeScript has no read-only typed array, so this is how writes are kept out of reach.
 *
 * @category model
 * @since 0.1.0
 */
export type ReadonlyFloat64Array = Omit<
  Float64Array,
  'copyWithin' | 'fill' | 'reverse' | 'set' | 'sort' | 'subarray' | number
> & { readonly [index: number]: number }

/**
 * A dense, row-major matrix of float64 values: entry `(i, j)` is `data[i * cols + j]`.
 *
 * Treat it as a value: nothing in pure-gan writes to `data` after a matrix is returned,
 * and neither should callers. The record itself is frozen.
 *
 * @example
 * import { fromArrays } from 'pure-gan'
 * const m = fromArrays([[1, 2, 3], [4, 5, 6]])
 * m.rows // 2
 * m.cols // 3
 * m.data[1 * 3 + 0] // 4
 *
 * @category model
 * @since 0.1.0
 */
export interface Matrix {
  readonly rows: number
  readonly cols: number
  readonly data: ReadonlyFloat64Array
}

/**
 * Thrown when the shapes of the operands of an operation do not fit together.
 * The message names the operation and every shape involved, e.g.
 * `matmul: inner dimensions differ: (2x3) and (4x5)`.
 *
 * @category errors
 * @since 0.1.0
 */
export class ShapeError extends Error {
  override readonly name = 'ShapeError'
}

// -------------------------------------------------------------------------------------
// internal constructors
// -------------------------------------------------------------------------------------

/**
 * Wraps an array the caller has just allocated and filled, without copying. The caller
 * must not write to `data` afterwards. This is the only way operations build results.
 *
 * @internal
 */
export const unsafeFromFloat64Array = (rows: number, cols: number, data: Float64Array): Matrix =>
  Object.freeze({ rows, cols, data: data as ReadonlyFloat64Array })

/**
 * The backing array of a matrix as a plain `Float64Array`, for kernels that only read it.
 *
 * @internal
 */
export const dataOf = (m: Matrix): Float64Array => m.data as unknown as Float64Array

/**
 * A matrix's shape alone, `rows x cols`: what shape checks read (a `Matrix` is one).
 *
 * @internal
 */
export type Shape = { readonly rows: number; readonly cols: number }

/**
 * `"(RxC)"`, the form every shape error uses.
 *
 * @category utils
 * @since 0.1.0
 */
export const shapeOf = (m: Shape): string => `(${m.rows}x${m.cols})`

const checkDimension = (op: string, name: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${String(n)}`)
  }
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * A `rows x cols` matrix of zeros. Dimensions are non-negative integers (empty matrices
 * are allowed).
 *
 * @example
 * import { zeros } from 'pure-gan'
 * zeros(2, 3).data.length // 6
 *
 * @category constructors
 * @since 0.1.0
 */
export const zeros = (rows: number, cols: number): Matrix => {
  checkDimension('zeros', 'rows', rows)
  checkDimension('zeros', 'cols', cols)
  return unsafeFromFloat64Array(rows, cols, new Float64Array(rows * cols))
}

/**
 * A `rows x cols` matrix with every entry equal to `value`.
 *
 * @example
 * import { filled, toArrays } from 'pure-gan'
 * toArrays(filled(1, 2, 7)) // [[7, 7]]
 *
 * @category constructors
 * @since 0.1.0
 */
export const filled = (rows: number, cols: number, value: number): Matrix => {
  checkDimension('filled', 'rows', rows)
  checkDimension('filled', 'cols', cols)
  return unsafeFromFloat64Array(rows, cols, new Float64Array(rows * cols).fill(value))
}

/**
 * A matrix from a row-major flat array of length `rows * cols`. The values are copied.
 *
 * @example
 * import { fromFlat, get } from 'pure-gan'
 * get(fromFlat(2, 2, [1, 2, 3, 4]), 1, 0) // 3
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromFlat = (rows: number, cols: number, values: ArrayLike<number>): Matrix => {
  checkDimension('fromFlat', 'rows', rows)
  checkDimension('fromFlat', 'cols', cols)
  if (values.length !== rows * cols) {
    throw new ShapeError(
      `fromFlat: ${values.length} values cannot fill a (${rows}x${cols}) matrix, which needs ${rows * cols}`,
    )
  }
  return unsafeFromFloat64Array(rows, cols, Float64Array.from(values))
}

/**
 * A matrix from an array of rows. Every row must have the same length; an empty array
 * gives a `0x0` matrix. The values are copied.
 *
 * @example
 * import { fromArrays, shapeOf } from 'pure-gan'
 * shapeOf(fromArrays([[1, 2], [3, 4], [5, 6]])) // '(3x2)'
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromArrays = (values: ReadonlyArray<ReadonlyArray<number>>): Matrix => {
  const rows = values.length
  const cols = rows === 0 ? 0 : (values[0] as ReadonlyArray<number>).length
  const out = new Float64Array(rows * cols)
  for (let i = 0; i < rows; i++) {
    const row = values[i] as ReadonlyArray<number>
    if (row.length !== cols) {
      throw new ShapeError(
        `fromArrays: row ${i} has ${row.length} entries but row 0 has ${cols}; all rows must have the same length`,
      )
    }
    // Stryker disable next-line EqualityOperator: E-BOUND next row overwrites
    for (let j = 0; j < cols; j++) out[i * cols + j] = row[j] as number
  }
  return unsafeFromFloat64Array(rows, cols, out)
}

/**
 * A `1 x n` row vector.
 *
 * @example
 * import { rowVector, shapeOf } from 'pure-gan'
 * shapeOf(rowVector([1, 2])) // '(1x2)'
 *
 * @category constructors
 * @since 0.1.0
 */
export const rowVector = (values: ReadonlyArray<number>): Matrix => fromFlat(1, values.length, values)

/**
 * The `n x n` identity matrix.
 *
 * @category constructors
 * @since 0.1.0
 */
export const identity = (n: number): Matrix => {
  checkDimension('identity', 'n', n)
  const out = new Float64Array(n * n)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < n; i++) out[i * n + i] = 1
  return unsafeFromFloat64Array(n, n, out)
}

// -------------------------------------------------------------------------------------
// readers
// -------------------------------------------------------------------------------------

/**
 * Entry `(i, j)`. Throws a `RangeError` naming the index and the shape when out of range.
 *
 * @example
 * import { fromArrays, get } from 'pure-gan'
 * get(fromArrays([[1, 2], [3, 4]]), 0, 1) // 2
 *
 * @category readers
 * @since 0.1.0
 */
export const get = (m: Matrix, i: number, j: number): number => {
  if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= m.rows || j >= m.cols) {
    throw new RangeError(`get: index (${i}, ${j}) is outside the ${shapeOf(m)} matrix`)
  }
  return m.data[i * m.cols + j] as number
}

/**
 * The matrix as an array of rows (fresh plain arrays).
 *
 * @example
 * import { fromFlat, toArrays } from 'pure-gan'
 * toArrays(fromFlat(2, 1, [5, 6])) // [[5], [6]]
 *
 * @category readers
 * @since 0.1.0
 */
export const toArrays = (m: Matrix): number[][] => {
  const out: number[][] = []
  for (let i = 0; i < m.rows; i++) {
    const row: number[] = []
    for (let j = 0; j < m.cols; j++) row.push(m.data[i * m.cols + j] as number)
    out.push(row)
  }
  return out
}

/**
 * The entries in row-major order as a fresh plain array.
 *
 * @category readers
 * @since 0.1.0
 */
export const toFlat = (m: Matrix): number[] => Array.from(m.data as unknown as Float64Array)

/**
 * True when both matrices have the same shape.
 *
 * @category readers
 * @since 0.1.0
 */
export const sameShape = (a: Shape, b: Shape): boolean => a.rows === b.rows && a.cols === b.cols

/**
 * True when both matrices have the same shape, each holds exactly `rows·cols` entries, and
 * the entries are bit-identical (`Object.is` per entry: `NaN` equals `NaN`, `0` differs from
 * `-0`). A malformed record whose data is shorter or longer than its shape is equal to
 * nothing.
 *
 * @category readers
 * @since 0.1.0
 */
export const bitEqual = (a: Matrix, b: Matrix): boolean => {
  if (!sameShape(a, b)) return false
  const ad = dataOf(a)
  const bd = dataOf(b)
  if (ad.length !== a.rows * a.cols || bd.length !== ad.length) return false
  // Stryker disable next-line EqualityOperator: E-BOUND reads undefined twice
  for (let i = 0; i < ad.length; i++) if (!Object.is(ad[i], bd[i])) return false
  return true
}
