import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, add, fromArrays, scale, zeros } from '../../src/matrix/index.js'
import { type ParamTree, assertSameTree, leaves, mapTree, zipTrees } from '../../src/tree/param-tree.js'
import { matrix } from '../support/arbitraries.js'

/** Random trees of depth <= 3: matrices, arrays and records with a few keys. */
const tree: fc.Arbitrary<ParamTree> = fc.letrec<{ node: ParamTree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    matrix(3),
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('W', 'b', 'm', 'v', 'layer'), tie('node'), { maxKeys: 3 }),
  ),
})).node

describe('parameter trees', () => {
  it('mapTree keeps the structure and applies f to every leaf, in leaves order', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const doubled = mapTree(t, (m) => scale(m, 2))
        const before = leaves(t)
        const after = leaves(doubled)
        expect(after.length).toBe(before.length)
        after.forEach((m, i) => expect(m).toEqualBits(scale(before[i] as Matrix, 2)))
        expect(() => assertSameTree('check', t, doubled)).not.toThrow()
      }),
    )
  })

  it('record leaves come in sorted key order whatever the insertion order', () => {
    const a = fromArrays([[1]])
    const b = fromArrays([[2]])
    expect(leaves({ z: a, y: b }).map((m) => m.data[0])).toEqual([2, 1])
    expect(leaves({ y: b, z: a }).map((m) => m.data[0])).toEqual([2, 1])
  })

  it('zipTrees combines corresponding leaves', () => {
    const t1 = [{ W: fromArrays([[1, 2]]), b: fromArrays([[3]]) }]
    const t2 = [{ b: fromArrays([[30]]), W: fromArrays([[10, 20]]) }]
    const s = zipTrees('add', [t1, t2], ([x, y]) => add(x as Matrix, y as Matrix))
    expect(leaves(s).map((m) => Array.from(m.data as unknown as Float64Array))).toEqual([[11, 22], [33]])
  })

  it('mismatches throw a ShapeError naming the path and both sides', () => {
    expect(() => assertSameTree('adam', [{ W: zeros(5, 3), b: zeros(1, 3) }], [{ W: zeros(3, 5), b: zeros(1, 3) }])).toThrow(
      new ShapeError('adam: at [0].W: a (5x3) matrix and a (3x5) matrix'),
    )
    expect(() => assertSameTree('sgd', [zeros(1, 1)], [zeros(1, 1), zeros(1, 1)])).toThrow('sgd: at (root): an array of 1 and an array of 2')
    expect(() => assertSameTree('sgd', { W: zeros(1, 1) }, { V: zeros(1, 1) })).toThrow(
      'sgd: at (root): a record with keys {W} and a record with keys {V}',
    )
    expect(() => assertSameTree('sgd', { W: zeros(1, 1) }, zeros(1, 1))).toThrow('sgd: at (root): a record with keys {W} and a (1x1) matrix')
    expect(() => assertSameTree('sgd', { W: zeros(1, 1) }, [zeros(1, 1)])).toThrow('sgd: at (root): a record with keys {W} and an array of 1')
    expect(() => assertSameTree('sgd', zeros(2, 1), { W: zeros(1, 1) })).toThrow(new ShapeError('sgd: at (root): a (2x1) matrix and a record'))
    expect(() => assertSameTree('sgd', [zeros(1, 1)], { W: zeros(1, 1) })).toThrow(new ShapeError('sgd: at (root): an array of 1 and a record'))
    expect(() => assertSameTree('sgd', [zeros(1, 1)], zeros(1, 1))).toThrow(new ShapeError('sgd: at (root): an array of 1 and a (1x1) matrix'))
  })

  it('a record with fewer, more or other keys is a ShapeError listing both key sets, in sorted order', () => {
    const m = zeros(1, 1)
    expect(() => assertSameTree('adam', { b: m, W: m }, { W: m })).toThrow(new ShapeError('adam: at (root): a record with keys {W, b} and a record with keys {W}'))
    expect(() => assertSameTree('adam', [{ W: m }], [{ v: m, W: m, m }])).toThrow(
      new ShapeError('adam: at [0]: a record with keys {W} and a record with keys {W, m, v}'),
    )
    expect(() => assertSameTree('adam', { a: { W: m, b: m } }, { a: { W: m, c: m } })).toThrow(
      new ShapeError('adam: at a: a record with keys {W, b} and a record with keys {W, c}'),
    )
  })

  it('a missing key or leaf anywhere is a ShapeError at its path, never a TypeError', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('W', 'b', 'm', 'v', 'layer'), (t, extra) => {
        // Wrap t in a record and add a key the other tree lacks; it sorts after '0', so the
        // shorter key list is a prefix of the longer one.
        const a = { '0': t, [extra]: zeros(1, 1) }
        const b = { '0': t }
        expect(() => assertSameTree('op', a, b)).toThrow(new ShapeError(`op: at (root): a record with keys {0, ${extra}} and a record with keys {0}`))
        expect(() => assertSameTree('op', b, a)).toThrow(new ShapeError(`op: at (root): a record with keys {0} and a record with keys {0, ${extra}}`))
        expect(() => assertSameTree('op', [a], [b])).toThrow(new ShapeError(`op: at [0]: a record with keys {0, ${extra}} and a record with keys {0}`))
      }),
    )
  })

  it('arrays are walked by index, also past 10 elements (not in the string order of their keys)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), (n) => {
        const t = Array.from({ length: n }, (_, i) => fromArrays([[i]]))
        expect(leaves(t).map((m) => m.data[0])).toEqual(Array.from({ length: n }, (_, i) => i))
        expect(leaves({ a: t }).map((m) => m.data[0])).toEqual(Array.from({ length: n }, (_, i) => i))
        const doubled = mapTree(t, (m) => scale(m, 2))
        expect(Array.isArray(doubled)).toBe(true)
        expect(leaves(doubled).map((m) => m.data[0])).toEqual(Array.from({ length: n }, (_, i) => 2 * i))
      }),
    )
  })
})
