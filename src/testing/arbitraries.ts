/**
 * fast-check arbitraries for matrices: dimensions, bounded finite doubles, matrices of a given
 * or a random shape, and lists of matrices whose shapes fit together. Following fast-check's
 * advice, sizes are drawn first and a maximal value array is sliced in `.map`, so
 * counterexamples shrink to small shapes.
 *
 * @module
 */
import fc from 'fast-check'
import { type Matrix, fromFlat } from '../matrix/index.js'

/**
 * The closed interval `[min, max]` that the entries of generated matrices lie in.
 *
 * @example
 * import { type ValueRange } from 'pure-gan/testing'
 * const unit: ValueRange = { min: -1, max: 1 }
 * unit.max - unit.min // 2
 *
 * @category arbitraries
 * @since 0.2.0
 */
export interface ValueRange {
  readonly min: number
  readonly max: number
}

/**
 * Finite doubles x with min <= x <= max (default [-10, 10]): no NaN, no infinities; -0 and
 * subnormals included when the range holds them.
 *
 * @example
 * import fc from 'fast-check'
 * import { finiteDouble } from 'pure-gan/testing'
 * fc.sample(finiteDouble({ min: -1, max: 1 }), 50).every((x) => Number.isFinite(x) && Math.abs(x) <= 1) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const finiteDouble = ({ min, max }: ValueRange = { min: -10, max: 10 }): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true })

/**
 * A dimension d, an integer with min <= d <= max (default 1..6).
 *
 * @example
 * import fc from 'fast-check'
 * import { dim } from 'pure-gan/testing'
 * fc.sample(dim(2, 3), 50).every((d) => d === 2 || d === 3) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const dim = (min = 1, max = 6): fc.Arbitrary<number> => fc.integer({ min, max })

/**
 * A matrix of exactly `rows x cols` with entries `finiteDouble(range)`.
 *
 * @example
 * import fc from 'fast-check'
 * import { shapeOf } from 'pure-gan'
 * import { matrixOfShape } from 'pure-gan/testing'
 * fc.sample(matrixOfShape(2, 3), 20).every((m) => shapeOf(m) === '(2x3)') // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const matrixOfShape = (rows: number, cols: number, range?: ValueRange): fc.Arbitrary<Matrix> =>
  fc
    .array(finiteDouble(range), { minLength: rows * cols, maxLength: rows * cols })
    .map((vs) => fromFlat(rows, cols, vs))

/**
 * A matrix of random shape `r x c`, 1 <= r, c <= maxDim (default 6), with entries
 * `finiteDouble(range)`.
 *
 * @example
 * import fc from 'fast-check'
 * import { matrix } from 'pure-gan/testing'
 * fc.sample(matrix(3), 20).every((m) => m.rows >= 1 && m.rows <= 3 && m.cols >= 1 && m.cols <= 3) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const matrix = (maxDim = 6, range?: ValueRange): fc.Arbitrary<Matrix> =>
  fc
    .tuple(dim(1, maxDim), dim(1, maxDim), fc.array(finiteDouble(range), { minLength: maxDim * maxDim, maxLength: maxDim * maxDim }))
    .map(([r, c, vs]) => fromFlat(r, c, vs.slice(0, r * c)))

/**
 * A list of matrices whose shapes are a function of random dimensions: `shapes(d)` receives
 * `count` dimensions d_k, 1 <= d_k <= maxDim, and gives each matrix's `[rows, cols]`; the
 * entries (`finiteDouble(range)`) are drawn from one maximal pool and sliced, so shrinking
 * stays cheap. Below, A (m x k) and B (k x n) always have a product.
 *
 * @example
 * import fc from 'fast-check'
 * import { matmul } from 'pure-gan'
 * import { matricesWithShapes } from 'pure-gan/testing'
 * const factors = matricesWithShapes(3, ([m, k, n]) => [[m!, k!], [k!, n!]])
 * fc.sample(factors, 20).every(([a, b]) => matmul(a!, b!).rows === a!.rows) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const matricesWithShapes = (
  count: number,
  shapes: (d: ReadonlyArray<number>) => ReadonlyArray<readonly [number, number]>,
  maxDim = 6,
  range?: ValueRange,
): fc.Arbitrary<Matrix[]> => {
  const maxEntries = shapes(Array.from({ length: count }, () => maxDim)).reduce((s, [r, c]) => s + r * c, 0)
  return fc
    .tuple(fc.array(dim(1, maxDim), { minLength: count, maxLength: count }), fc.array(finiteDouble(range), { minLength: maxEntries, maxLength: maxEntries }))
    .map(([ds, pool]) => {
      let offset = 0
      return shapes(ds).map(([r, c]) => {
        const m = fromFlat(r, c, pool.slice(offset, offset + r * c))
        offset += r * c
        return m
      })
    })
}
