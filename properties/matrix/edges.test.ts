/**
 * The matrix module at its edges: every argument check of the constructors, readers and
 * row operations with its exact message, the boundary values that are accepted, empty
 * matrices, bitEqual as a predicate that can say no, and the number of calls `map` and
 * `zipWith` make to their function. (Found by mutation testing: matrix/matrix.test.ts checked one
 * rejected value per function and used bitEqual only where it should say yes.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Matrix,
  ShapeError,
  bitEqual,
  columnSums,
  filled,
  fromArrays,
  fromFlat,
  gatherRows,
  get,
  hconcat,
  identity,
  map,
  sameShape,
  shapeOf,
  sliceRows,
  sum,
  toArrays,
  toFlat,
  vconcat,
  zeros,
  zipWith,
} from '../../src/matrix/index.js'
import { dim, matrix } from '../support/arbitraries.js'

/** Values that are not non-negative safe integers. */
const badDimensions = [-1, -0.5, 0.5, 1.5, Number.NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 53)]

const flat = (m: Matrix): number[] => toFlat(m)

describe('constructors: dimensions', () => {
  it('every constructor names itself, the dimension and the value of a bad dimension', () => {
    const constructors: ReadonlyArray<readonly [string, (rows: number, cols: number) => Matrix]> = [
      ['zeros', (r, c) => zeros(r, c)],
      ['filled', (r, c) => filled(r, c, 1)],
      ['fromFlat', (r, c) => fromFlat(r, c, [])],
    ]
    for (const bad of badDimensions) {
      for (const [name, make] of constructors) {
        expect(() => make(bad, 1)).toThrow(new RangeError(`${name}: rows must be a non-negative integer, got ${String(bad)}`))
        expect(() => make(1, bad)).toThrow(new RangeError(`${name}: cols must be a non-negative integer, got ${String(bad)}`))
        // rows is checked first
        expect(() => make(bad, -7)).toThrow(`${name}: rows must be`)
      }
      expect(() => identity(bad)).toThrow(new RangeError(`identity: n must be a non-negative integer, got ${String(bad)}`))
    }
  })

  it('zero dimensions are allowed and give empty matrices of that shape', () => {
    for (const [r, c] of [[0, 0], [0, 3], [3, 0]] as const) {
      for (const m of [zeros(r, c), filled(r, c, 7), fromFlat(r, c, [])]) {
        expect(shapeOf(m)).toBe(`(${r}x${c})`)
        expect(m.data.length).toBe(0)
      }
    }
    expect(shapeOf(identity(0))).toBe('(0x0)')
  })

  it('zeros, filled and identity hold exactly their entries', () => {
    fc.assert(
      fc.property(dim(1, 7), dim(1, 7), fc.double(), (r, c, v) => {
        expect(flat(zeros(r, c))).toEqual(Array.from({ length: r * c }, () => 0))
        const f = flat(filled(r, c, v))
        expect(f.length).toBe(r * c)
        for (const x of f) expect(Object.is(x, v)).toBe(true)
        expect(toArrays(identity(r))).toEqual(Array.from({ length: r }, (_, i) => Array.from({ length: r }, (_, j) => (i === j ? 1 : 0))))
      }),
    )
  })

  it('fromFlat rejects every length but rows·cols, naming both', () => {
    fc.assert(
      fc.property(dim(0, 5), dim(0, 5), fc.integer({ min: 0, max: 30 }), (r, c, len) => {
        fc.pre(len !== r * c)
        expect(() => fromFlat(r, c, new Array<number>(len).fill(0))).toThrow(
          new ShapeError(`fromFlat: ${len} values cannot fill a (${r}x${c}) matrix, which needs ${r * c}`),
        )
      }),
    )
  })
})

describe('fromArrays', () => {
  it('an empty array is a 0x0 matrix; empty rows give a matrix with no columns', () => {
    expect(shapeOf(fromArrays([]))).toBe('(0x0)')
    expect(shapeOf(fromArrays([[], [], []]))).toBe('(3x0)')
  })

  it('names the first row whose length differs from row 0', () => {
    fc.assert(
      fc.property(dim(1, 5), dim(1, 6), fc.integer({ min: 0, max: 8 }), fc.nat(), (cols, rows, badLen, at) => {
        fc.pre(badLen !== cols)
        const bad = 1 + (at % rows) // a row after row 0
        const values = Array.from({ length: rows + 1 }, (_, i) => new Array<number>(i === bad ? badLen : cols).fill(i))
        expect(() => fromArrays(values)).toThrow(
          new ShapeError(`fromArrays: row ${bad} has ${badLen} entries but row 0 has ${cols}; all rows must have the same length`),
        )
      }),
    )
  })

  it('places row i at data[i·cols ...]', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        expect(flat(fromArrays(toArrays(m)))).toEqual(flat(m))
        expect(toArrays(m)).toEqual(Array.from({ length: m.rows }, (_, i) => flat(m).slice(i * m.cols, (i + 1) * m.cols)))
      }),
    )
  })
})

describe('get', () => {
  it('rejects each index outside the matrix, or not an integer, naming it and the shape', () => {
    fc.assert(
      fc.property(matrix(5), (m) => {
        const r = m.rows
        const c = m.cols
        const bad: ReadonlyArray<readonly [number, number]> = [
          [-1, 0], [0, -1], [r, 0], [0, c], [r, c], [r + 1, 0], [0, c + 1],
          [0.5, 0], [0, 0.5], [Number.NaN, 0], [0, Number.NaN], [Infinity, 0], [0, -Infinity],
          [r - 1, c], [r, c - 1], [-1, c - 1], [r - 1, -1],
        ]
        for (const [i, j] of bad) {
          expect(() => get(m, i, j)).toThrow(new RangeError(`get: index (${i}, ${j}) is outside the (${r}x${c}) matrix`))
        }
        // the last row and column are inside
        expect(Object.is(get(m, r - 1, c - 1), m.data[r * c - 1])).toBe(true)
        expect(Object.is(get(m, 0, c - 1), m.data[c - 1])).toBe(true)
        expect(Object.is(get(m, r - 1, 0), m.data[(r - 1) * c])).toBe(true)
      }),
    )
  })
})

describe('bitEqual and sameShape', () => {
  it('bitEqual says no to matrices of another shape, even with the same entries', () => {
    fc.assert(
      fc.property(dim(1, 6), dim(1, 6), dim(1, 6), dim(1, 6), (r1, c1, r2, c2) => {
        fc.pre(r1 !== r2 || c1 !== c2)
        expect(sameShape(zeros(r1, c1), zeros(r2, c2))).toBe(false)
        expect(bitEqual(zeros(r1, c1), zeros(r2, c2))).toBe(false)
        // same number of entries, transposed shape
        expect(bitEqual(zeros(r1, c1), zeros(c1, r1))).toBe(r1 === c1)
        expect(sameShape(zeros(r1, c1), zeros(r1, c1))).toBe(true)
      }),
    )
    expect(bitEqual(zeros(2, 3), zeros(2, 4))).toBe(false)
    expect(bitEqual(zeros(2, 3), zeros(3, 3))).toBe(false)
    expect(bitEqual(zeros(0, 3), zeros(0, 4))).toBe(false)
    expect(bitEqual(zeros(3, 0), zeros(4, 0))).toBe(false)
  })

  it('bitEqual says no to a record whose data is shorter or longer than rows·cols, on either side', () => {
    const full = fromFlat(2, 2, [1, 2, 3, 4])
    for (const data of [Float64Array.of(1, 2, 3), Float64Array.of(1, 2, 3, 4, 5)]) {
      const odd = { rows: 2, cols: 2, data } as unknown as typeof full
      expect(bitEqual(odd, full)).toBe(false)
      expect(bitEqual(full, odd)).toBe(false)
      expect(bitEqual(odd, odd)).toBe(false)
    }
    expect(bitEqual(full, fromFlat(2, 2, [1, 2, 3, 4]))).toBe(true)
  })

  it('bitEqual says no when any one entry differs in any bit, yes for an entrywise copy', () => {
    fc.assert(
      fc.property(matrix(), fc.nat(), fc.double(), (m, at, x) => {
        const k = at % m.data.length
        const values = flat(m)
        expect(bitEqual(m, fromFlat(m.rows, m.cols, values))).toBe(true)
        const changed = values.slice()
        changed[k] = x
        expect(bitEqual(m, fromFlat(m.rows, m.cols, changed))).toBe(Object.is(values[k], x))
      }),
    )
  })

  it('compares with Object.is: NaN equals NaN, 0 differs from -0', () => {
    expect(bitEqual(fromArrays([[Number.NaN, 1]]), fromArrays([[Number.NaN, 1]]))).toBe(true)
    expect(bitEqual(fromArrays([[0, 1]]), fromArrays([[-0, 1]]))).toBe(false)
    expect(bitEqual(fromArrays([[1, -0]]), fromArrays([[1, 0]]))).toBe(false)
    expect(bitEqual(zeros(0, 0), zeros(0, 0))).toBe(true)
  })
})

describe('sliceRows and gatherRows: ranges', () => {
  it('sliceRows rejects every range that is not 0 <= start <= end <= rows of integers, naming it', () => {
    fc.assert(
      fc.property(matrix(5), (m) => {
        const r = m.rows
        const bad: ReadonlyArray<readonly [number, number]> = [
          [-1, 0], [-1, r], [0, r + 1], [r, r + 1], [1, 0], [r, r - 1], [r + 1, r + 1],
          [0.5, 1], [0, 0.5], [Number.NaN, r], [0, Number.NaN], [0, Infinity],
        ]
        for (const [s, e] of bad) {
          expect(() => sliceRows(m, s, e)).toThrow(
            new RangeError(`sliceRows: rows [${s}, ${e}) are not a range within the ${shapeOf(m)} matrix (need 0 <= start <= end <= ${r})`),
          )
        }
        // every boundary range is accepted
        for (const [s, e] of [[0, 0], [r, r], [0, r], [r - 1, r], [0, 1]] as const) {
          const slice = sliceRows(m, s, e)
          expect(shapeOf(slice)).toBe(`(${e - s}x${m.cols})`)
          expect(flat(slice)).toEqual(flat(m).slice(s * m.cols, e * m.cols))
        }
      }),
    )
  })

  it('gatherRows rejects an index outside the rows, or not an integer, naming it and its position', () => {
    fc.assert(
      fc.property(matrix(5), dim(0, 3), (m, pos) => {
        const r = m.rows
        for (const i of [-1, r, r + 1, 0.5, r - 0.5, Number.NaN, Infinity]) {
          const indices = [...new Array<number>(pos).fill(r - 1), i, 0]
          expect(() => gatherRows(m, indices)).toThrow(
            new RangeError(`gatherRows: index ${i} (position ${pos}) is outside rows 0..${r - 1} of the ${shapeOf(m)} matrix`),
          )
        }
        // the first and last rows are inside; no indices give an empty matrix
        expect(toArrays(gatherRows(m, [r - 1, 0]))).toEqual([toArrays(m)[r - 1], toArrays(m)[0]])
        expect(shapeOf(gatherRows(m, []))).toBe(`(0x${m.cols})`)
      }),
    )
  })
})

describe('map and zipWith call their function once per entry, in row-major order', () => {
  it('map', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const seen: number[] = []
        const out = map(m, (x) => {
          seen.push(x)
          return -x
        })
        expect(seen).toEqual(flat(m))
        expect(flat(out)).toEqual(flat(m).map((x) => -x))
      }),
    )
  })

  it('zipWith', () => {
    fc.assert(
      fc.property(matrix(), fc.double({ noNaN: true }), (a, s) => {
        const b = map(a, (x) => x + s)
        const seen: Array<[number, number]> = []
        zipWith(a, b, (x, y) => {
          seen.push([x, y])
          return x
        })
        expect(seen).toEqual(flat(a).map((x, i) => [x, flat(b)[i]]))
      }),
    )
  })
})

describe('empty operands', () => {
  it('concatenating with an empty block gives the other block; sums of nothing are zero', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        expect(hconcat(m, zeros(m.rows, 0))).toEqualBits(m)
        expect(hconcat(zeros(m.rows, 0), m)).toEqualBits(m)
        expect(vconcat(m, zeros(0, m.cols))).toEqualBits(m)
        expect(vconcat(zeros(0, m.cols), m)).toEqualBits(m)
        expect(flat(columnSums(zeros(0, m.cols)))).toEqual(new Array<number>(m.cols).fill(0))
      }),
    )
    expect(sum(zeros(0, 3))).toBe(0)
  })
})

describe('ShapeError', () => {
  it('is an Error named ShapeError', () => {
    const e = new ShapeError('x')
    expect(e).toBeInstanceOf(Error)
    expect(e.name).toBe('ShapeError')
    expect(String(e)).toBe('ShapeError: x')
  })
})
