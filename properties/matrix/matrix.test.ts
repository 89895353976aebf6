import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Matrix,
  ShapeError,
  add,
  addRowVector,
  columnSums,
  filled,
  fromArrays,
  fromFlat,
  gatherRows,
  get,
  hconcat,
  identity,
  map,
  matmul,
  matmulTransposeA,
  matmulTransposeB,
  mul,
  rowVector,
  scale,
  shapeOf,
  sliceRows,
  sub,
  sum,
  toArrays,
  toFlat,
  transpose,
  vconcat,
  zeros,
  zipWith,
} from '../../src/matrix/index.js'
import { dim, matricesWithShapes, matrix } from '../support/arbitraries.js'

/** Entrywise |a - b| <= rtol·(|a| + |b|) + atol·scale: the float tolerance for algebraic laws. */
const expectClose = (a: Matrix, b: Matrix, scaleOf: number): void => {
  expect(shapeOf(a)).toBe(shapeOf(b))
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] as number
    const y = b.data[i] as number
    // Each output is a sum of at most ~36 products of values bounded by `scaleOf`:
    // rounding is at most a few hundred ulps of the largest partial sum.
    const tol = 1e-13 * scaleOf
    if (!(Math.abs(x - y) <= tol)) throw new Error(`entry ${i}: ${x} vs ${y} (tol ${tol})`)
  }
}

/** Naive triple loop straight from the definition: the oracle for the optimised kernels. */
const naiveProduct = (a: number[][], b: number[][]): number[][] =>
  a.map((row) =>
    (b[0] ?? []).map((_, j) => {
      let c = 0
      for (let k = 0; k < row.length; k++) c = c + (row[k] as number) * ((b[k] as number[])[j] as number)
      return c
    }),
  )

const copyOf = (m: Matrix): Float64Array => Float64Array.from(m.data as unknown as Float64Array)

describe('constructors and readers', () => {
  it('fromArrays / toArrays round-trip', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        expect(fromArrays(toArrays(m))).toEqualBits(m)
      }),
    )
  })

  it('fromFlat / toFlat round-trip and get reads row-major', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const flat = toFlat(m)
        expect(fromFlat(m.rows, m.cols, flat)).toEqualBits(m)
        for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) expect(get(m, i, j)).toBe(flat[i * m.cols + j])
      }),
    )
  })

  it('zeros, filled, identity, rowVector', () => {
    expect(toArrays(zeros(2, 3))).toEqual([[0, 0, 0], [0, 0, 0]])
    expect(toArrays(filled(1, 2, -1.5))).toEqual([[-1.5, -1.5]])
    expect(toArrays(identity(2))).toEqual([[1, 0], [0, 1]])
    expect(shapeOf(rowVector([1, 2, 3]))).toBe('(1x3)')
    expect(shapeOf(zeros(0, 4))).toBe('(0x4)')
  })

  it('fromFlat copies its input: later writes to the source do not reach the matrix', () => {
    const src = [1, 2, 3, 4]
    const m = fromFlat(2, 2, src)
    src[0] = 99
    expect(get(m, 0, 0)).toBe(1)
  })

  it('matrices are frozen records', () => {
    const m = zeros(1, 1)
    expect(Object.isFrozen(m)).toBe(true)
  })

  it('bad constructor input names the problem', () => {
    expect(() => fromFlat(2, 2, [1, 2, 3])).toThrow(/3 values cannot fill a \(2x2\) matrix, which needs 4/)
    expect(() => fromArrays([[1, 2], [3]])).toThrow(/row 1 has 1 entries but row 0 has 2/)
    expect(() => zeros(-1, 2)).toThrow(/rows must be a non-negative integer, got -1/)
    expect(() => zeros(1.5, 2)).toThrow(RangeError)
    expect(() => get(zeros(2, 2), 2, 0)).toThrow(/index \(2, 0\) is outside the \(2x2\) matrix/)
  })
})

describe('products', () => {
  const product = matricesWithShapes(3, ([n, k, m]) => [[n!, k!], [k!, m!]], 6, { min: -10, max: 10 })

  it('matmul equals the naive triple loop bit for bit (k-ascending summation order)', () => {
    fc.assert(
      fc.property(product, ([a, b]) => {
        expect(toArrays(matmul(a!, b!))).toEqual(naiveProduct(toArrays(a!), toArrays(b!)))
      }),
    )
  })

  it('matmulTransposeA(a, b) = matmul(aᵀ, b) and matmulTransposeB(a, b) = matmul(a, bᵀ), bit for bit', () => {
    fc.assert(
      fc.property(product, ([a, b]) => {
        const at = transpose(a!)
        const bt = transpose(b!)
        expect(matmulTransposeA(at, b!)).toEqualBits(matmul(a!, b!))
        expect(matmulTransposeB(a!, bt)).toEqualBits(matmul(a!, b!))
      }),
    )
  })

  it('(AB)ᵀ = BᵀAᵀ exactly (each entry is the same sum in the same order)', () => {
    fc.assert(
      fc.property(product, ([a, b]) => {
        expect(transpose(matmul(a!, b!))).toEqualBits(matmul(transpose(b!), transpose(a!)))
      }),
    )
  })

  it('(AB)C = A(BC) within float tolerance', () => {
    const triple = matricesWithShapes(4, ([n, k, l, m]) => [[n!, k!], [k!, l!], [l!, m!]], 6, { min: -10, max: 10 })
    fc.assert(
      fc.property(triple, ([a, b, c]) => {
        // |entries| <= 10, inner sizes <= 6: partial sums are bounded by 6·6·10³.
        expectClose(matmul(matmul(a!, b!), c!), matmul(a!, matmul(b!, c!)), 36 * 1000)
      }),
    )
  })

  it('A(B + C) = AB + AC and (A + B)C = AC + BC within float tolerance', () => {
    const left = matricesWithShapes(3, ([n, k, m]) => [[n!, k!], [k!, m!], [k!, m!]], 6, { min: -10, max: 10 })
    fc.assert(
      fc.property(left, ([a, b, c]) => {
        expectClose(matmul(a!, add(b!, c!)), add(matmul(a!, b!), matmul(a!, c!)), 6 * 200)
        const at = transpose(a!)
        const ct = transpose(c!)
        const bt = transpose(b!)
        expectClose(matmul(add(bt, ct), at), add(matmul(bt, at), matmul(ct, at)), 6 * 200)
      }),
    )
  })

  it('the identity is neutral, exactly (up to the sign of zero: 0 + (-0) is +0)', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const same = (x: Matrix, y: Matrix): boolean => x.data.every((v, i) => v === y.data[i])
        expect(same(matmul(identity(m.rows), m), m)).toBe(true)
        expect(same(matmul(m, identity(m.cols)), m)).toBe(true)
      }),
    )
  })

  it('inner-dimension mismatches throw a ShapeError naming both shapes', () => {
    fc.assert(
      fc.property(dim(), dim(), dim(), dim(), (n, k, k2, m) => {
        fc.pre(k !== k2)
        const a = zeros(n, k)
        const b = zeros(k2, m)
        expect(() => matmul(a, b)).toThrow(ShapeError)
        expect(() => matmul(a, b)).toThrow(`matmul: inner dimensions differ: (${n}x${k}) and (${k2}x${m})`)
        expect(() => matmulTransposeA(zeros(k, n), zeros(k2, m))).toThrow(`(${k}x${n}) and (${k2}x${m})`)
        expect(() => matmulTransposeB(zeros(n, k), zeros(m, k2))).toThrow(`(${n}x${k}) and (${m}x${k2})`)
      }),
    )
  })
})

describe('elementwise operations', () => {
  const pair = matricesWithShapes(2, ([r, c]) => [[r!, c!], [r!, c!]])

  it('add, sub, mul, scale, map, zipWith agree with the scalar definitions entry by entry', () => {
    fc.assert(
      fc.property(pair, fc.double({ min: -5, max: 5, noNaN: true }), ([a, b], s) => {
        const fa = toFlat(a!)
        const fb = toFlat(b!)
        expect(toFlat(add(a!, b!))).toEqual(fa.map((x, i) => x + fb[i]!))
        expect(toFlat(sub(a!, b!))).toEqual(fa.map((x, i) => x - fb[i]!))
        expect(toFlat(mul(a!, b!))).toEqual(fa.map((x, i) => x * fb[i]!))
        expect(toFlat(scale(a!, s))).toEqual(fa.map((x) => x * s))
        expect(toFlat(map(a!, Math.abs))).toEqual(fa.map(Math.abs))
        expect(toFlat(zipWith(a!, b!, Math.max))).toEqual(fa.map((x, i) => Math.max(x, fb[i]!)))
      }),
    )
  })

  it('a + b - b is a within rounding, and add commutes exactly', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(add(a!, b!)).toEqualBits(add(b!, a!))
        expectClose(sub(add(a!, b!), b!), a!, 20)
      }),
    )
  })

  it('addRowVector adds the vector to every row; columnSums sums every column; sum is the total', () => {
    fc.assert(
      fc.property(matricesWithShapes(2, ([r, c]) => [[r!, c!], [1, c!]]), ([a, v]) => {
        const rows = toArrays(a!)
        const vec = toFlat(v!)
        expect(toArrays(addRowVector(a!, v!))).toEqual(rows.map((row) => row.map((x, j) => x + vec[j]!)))
        const sums = vec.map((_, j) => rows.reduce((s, row) => s + row[j]!, 0))
        expect(toFlat(columnSums(a!))).toEqual(sums)
        expect(sum(a!)).toBe(toFlat(a!).reduce((s, x) => s + x, 0))
      }),
    )
  })

  it('every shape mismatch throws a ShapeError naming both shapes', () => {
    fc.assert(
      fc.property(dim(), dim(), dim(), dim(), (r1, c1, r2, c2) => {
        fc.pre(r1 !== r2 || c1 !== c2)
        const a = zeros(r1, c1)
        const b = zeros(r2, c2)
        for (const [name, op] of [['add', add], ['sub', sub], ['mul', mul], ['zipWith', (x: Matrix, y: Matrix) => zipWith(x, y, Math.max)]] as const) {
          expect(() => op(a, b)).toThrow(ShapeError)
          expect(() => op(a, b)).toThrow(`${name}: shapes differ: (${r1}x${c1}) and (${r2}x${c2})`)
        }
        if (r2 !== 1 || c2 !== c1) expect(() => addRowVector(a, b)).toThrow(`(1x${c1}) for a (${r1}x${c1}) matrix, got (${r2}x${c2})`)
        if (r1 !== r2) expect(() => hconcat(a, b)).toThrow(`hconcat: row counts differ: (${r1}x${c1}) and (${r2}x${c2})`)
        if (c1 !== c2) expect(() => vconcat(a, b)).toThrow(`vconcat: column counts differ: (${r1}x${c1}) and (${r2}x${c2})`)
      }),
    )
  })
})

describe('structure', () => {
  it('transpose is an involution and moves (i, j) to (j, i)', () => {
    fc.assert(
      fc.property(matrix(), (m) => {
        const t = transpose(m)
        expect(shapeOf(t)).toBe(`(${m.cols}x${m.rows})`)
        expect(transpose(t)).toEqualBits(m)
        for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) expect(get(t, j, i)).toBe(get(m, i, j))
      }),
    )
  })

  it('sliceRows and gatherRows pick the named rows', () => {
    fc.assert(
      fc.property(
        matrix(8),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.nat(),
        fc.nat(),
        (m, picks, s, e) => {
          const idx = picks.map((p) => p % m.rows)
          const rows = toArrays(m)
          expect(toArrays(gatherRows(m, idx))).toEqual(idx.map((i) => rows[i]))
          const start = s % (m.rows + 1)
          const end = start + (e % (m.rows - start + 1))
          expect(toArrays(sliceRows(m, start, end))).toEqual(rows.slice(start, end))
        },
      ),
    )
    expect(() => sliceRows(zeros(3, 1), 2, 4)).toThrow(/rows \[2, 4\) are not a range within the \(3x1\) matrix/)
    expect(() => gatherRows(zeros(3, 1), [0, 3])).toThrow(/index 3 \(position 1\) is outside rows 0..2 of the \(3x1\) matrix/)
  })

  it('hconcat and vconcat place the blocks side by side and one above the other', () => {
    fc.assert(
      fc.property(matricesWithShapes(3, ([r, c1, c2]) => [[r!, c1!], [r!, c2!]]), ([a, b]) => {
        const h = hconcat(a!, b!)
        expect(toArrays(h)).toEqual(toArrays(a!).map((row, i) => [...row, ...toArrays(b!)[i]!]))
        const v = vconcat(transpose(a!), transpose(b!))
        expect(v).toEqualBits(transpose(h))
      }),
    )
  })
})

describe('purity: no operation changes its inputs', () => {
  it('every binary and unary operation leaves its operands bit-identical', () => {
    const ops = matricesWithShapes(3, ([n, k, m]) => [[n!, k!], [k!, m!], [n!, k!], [1, k!]])
    fc.assert(
      fc.property(ops, ([a, b, c, v]) => {
        const before = [a!, b!, c!, v!].map(copyOf)
        matmul(a!, b!)
        matmulTransposeA(a!, c!)
        matmulTransposeB(a!, c!)
        add(a!, c!)
        sub(a!, c!)
        mul(a!, c!)
        scale(a!, 3)
        map(a!, (x) => x * 2)
        zipWith(a!, c!, (x, y) => x - y)
        addRowVector(a!, v!)
        columnSums(a!)
        transpose(a!)
        sliceRows(a!, 0, a!.rows)
        gatherRows(a!, [0])
        hconcat(a!, c!)
        vconcat(a!, c!)
        const after = [a!, b!, c!, v!].map(copyOf)
        after.forEach((x, i) => expect(x).toEqual(before[i]))
      }),
    )
  })

  it('results never share storage with their inputs', () => {
    const m = fromArrays([[1, 2], [3, 4]])
    for (const r of [sliceRows(m, 0, 2), gatherRows(m, [0, 1]), scale(m, 1), vconcat(m, zeros(0, 2))]) {
      expect(r.data.buffer).not.toBe(m.data.buffer)
    }
  })
})
