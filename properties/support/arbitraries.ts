/**
 * fast-check arbitraries shared by every property file: dimensions, bounded finite
 * matrices, and matrices of given shape. Following fast-check's advice, sizes are drawn first
 * and a maximal value array is sliced in `.map`, so counterexamples shrink to small shapes.
 */
import fc from 'fast-check'
import { type Matrix, fromFlat } from '../../src/matrix/index.js'

/** Options for the values inside generated matrices. */
export interface ValueRange {
  readonly min: number
  readonly max: number
}

/** Finite doubles in `[min, max]`: no NaN, no infinities, no -0 surprises beyond the range. */
export const finiteDouble = ({ min, max }: ValueRange = { min: -10, max: 10 }): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true })

/** A dimension in `[min, max]` (default 1..6). */
export const dim = (min = 1, max = 6): fc.Arbitrary<number> => fc.integer({ min, max })

/** A matrix of exactly `rows x cols` with entries in `range`. */
export const matrixOfShape = (rows: number, cols: number, range?: ValueRange): fc.Arbitrary<Matrix> =>
  fc
    .array(finiteDouble(range), { minLength: rows * cols, maxLength: rows * cols })
    .map((vs) => fromFlat(rows, cols, vs))

/** A matrix of random shape (each dimension in 1..maxDim) with entries in `range`. */
export const matrix = (maxDim = 6, range?: ValueRange): fc.Arbitrary<Matrix> =>
  fc
    .tuple(dim(1, maxDim), dim(1, maxDim), fc.array(finiteDouble(range), { minLength: maxDim * maxDim, maxLength: maxDim * maxDim }))
    .map(([r, c, vs]) => fromFlat(r, c, vs.slice(0, r * c)))

/**
 * A list of matrices whose shapes are given by a function of random dimensions; the
 * values are drawn from one maximal pool and sliced, so shrinking stays cheap.
 * `shapes(d)` receives `count` dimensions in `[1, maxDim]`.
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
