/**
 * src/nn/maxout.ts (and the kernels of src/kernels/maxout.ts under it), docs/gradients.md
 * "Maxout":
 *
 * - dW, db and dx equal central differences of <c, maxoutForward(...)> for random shapes,
 *   pieces (1..5) and values, every entry of every parameter and of the input, away from ties:
 *   a case is drawn only when every unit's two largest pieces differ by more than KINK_MARGIN,
 *   and a perturbed point at which some winner changed is discarded (`fc.pre` inside the
 *   objective), so no difference quotient straddles a kink of the max;
 * - forward and backward equal a literal transcription (support/maxout-reference.ts) bit for
 *   bit, ties and extreme magnitudes included;
 * - ties: the lowest piece wins, and takes the whole gradient, bit for bit; a NaN piece wins;
 *   (the sign of a tied zero, on the kernel: properties/kernels/layers.test.ts);
 * - one piece is the dense layer with the identity, bit for bit;
 * - purity, and the messages of every check.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, toFlat, zeros } from '../../src/matrix/index.js'
import { denseBackward, denseForward } from '../../src/nn/dense.js'
import { maxoutBackward, maxoutForward } from '../../src/nn/maxout.js'
import { dim } from '../support/arbitraries.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import { maxoutBackwardReference, maxoutReference, winnersOf } from '../support/maxout-reference.js'
import { KINK_MARGIN, spreadPool } from '../support/network-arbitraries.js'
import { thrown } from '../support/thrown.js'

/** The smallest gap between a unit's two largest pieces, over every row and unit (Infinity for one piece). */
const smallestGap = (z: ReadonlyArray<number>, k: number): number => {
  let gap = Infinity
  for (let u = 0; u < z.length; u += k) {
    const sorted = z.slice(u, u + k).sort((a, b) => b - a)
    if (k > 1) gap = Math.min(gap, sorted[0]! - sorted[1]!)
  }
  return gap
}

/** x (n x in), W (in x units·k), b (1 x units·k), c (n x units): n, in, units in 1..maxDim, k in 1..maxPieces. */
const layerCase = (max = 3, maxDim = 5, maxPieces = 5) =>
  fc
    .tuple(dim(1, maxDim), dim(1, maxDim), dim(1, maxDim), dim(1, maxPieces), spreadPool(maxDim * maxDim * (2 * maxPieces + 2) + maxDim * maxPieces, max))
    .map(([n, d, m, k, pool]) => {
      let offset = 0
      const take = (r: number, c: number): Matrix => {
        const mat = fromFlat(r, c, pool.slice(offset, offset + r * c))
        offset += r * c
        return mat
      }
      return { x: take(n, d), W: take(d, m * k), b: take(1, m * k), c: take(n, m), k }
    })

const copy = (m: Matrix): Matrix => fromFlat(m.rows, m.cols, toFlat(m))

describe('maxout gradients', () => {
  it('dW, db and dx equal central differences of <c, maxoutForward(...)>, away from ties', () => {
    fc.assert(
      fc.property(layerCase(), ({ x, W, b, c, k }) => {
        const base = maxoutReference(x, W, b, k)
        fc.pre(smallestGap(toFlat(base.z), k) > KINK_MARGIN)
        const pattern = base.winners.join(',')
        /** <c, y> at a perturbed point, discarded when a winner changed there. */
        const at = (x1: Matrix, W1: Matrix, b1: Matrix): number => {
          fc.pre(maxoutReference(x1, W1, b1, k).winners.join(',') === pattern)
          return frobeniusInner(c, maxoutForward({ W: W1, b: b1 }, x1, k))
        }
        const g = maxoutBackward({ W, b }, x, k, c)
        expectGradientClose('dW', (W1) => at(x, W1, b), W, g.dW)
        expectGradientClose('db', (b1) => at(x, W, b1), b, g.db)
        expectGradientClose('dx', (x1) => at(x1, W, b), x, g.dx)
      }),
    )
  })
})

describe('maxout against its literal transcription', () => {
  // Values from a coarse grid too, so that ties (and tied zeros of both signs) occur often.
  const tied = fc
    .tuple(dim(1, 5), dim(1, 4), dim(1, 4), dim(1, 5), fc.array(fc.constantFrom(-1, -0, 0, 0.5, 1, 2), { minLength: 200, maxLength: 200 }))
    .map(([n, d, m, k, pool]) => {
      let offset = 0
      const take = (r: number, c: number): Matrix => {
        const mat = fromFlat(r, c, pool.slice(offset, offset + r * c))
        offset += r * c
        return mat
      }
      return { x: take(n, d), W: take(d, m * k), b: take(1, m * k), c: take(n, m), k }
    })

  it('forward (the max and its value) and backward (dW, db, dx in the documented order) bit for bit, ties included', () => {
    fc.assert(
      fc.property(fc.oneof(layerCase(), layerCase(1e150, 5, 5), tied), ({ x, W, b, c, k }) => {
        const ref = maxoutReference(x, W, b, k)
        expect(maxoutForward({ W, b }, x, k)).toEqualBits(ref.y)
        const want = maxoutBackwardReference(x, W, k, ref.winners, c)
        const got = maxoutBackward({ W, b }, x, k, c)
        expect(got.dW).toEqualBits(want.dW)
        expect(got.db).toEqualBits(want.db)
        expect(got.dx).toEqualBits(want.dx)
      }),
    )
  })

  it('one piece is the dense layer with the identity, bit for bit', () => {
    fc.assert(
      fc.property(layerCase(3, 6, 1), ({ x, W, b, c }) => {
        expect(maxoutForward({ W, b }, x, 1)).toEqualBits(denseForward({ W, b }, x))
        const want = denseBackward({ W, b }, x, c)
        const got = maxoutBackward({ W, b }, x, 1, c)
        expect(got.dW).toEqualBits(want.dW)
        expect(got.db).toEqualBits(want.db)
        expect(got.dx).toEqualBits(want.dx)
      }),
    )
  })
})

describe('ties: the lowest piece wins', () => {
  it('pieces equal as functions: the lowest of the equal largest takes the whole gradient, the others exactly 0', () => {
    // Unit j's pieces: random columns, then one of them copied over a later piece (equal z in
    // every row); wherever that value is the largest, the earlier copy must win.
    fc.assert(
      fc.property(layerCase(3, 4, 5), fc.nat(), fc.nat(), ({ x, W, b, c, k }, from, to) => {
        fc.pre(k >= 2)
        const p = from % (k - 1)
        const q = p + 1 + (to % (k - 1 - p))
        const M = W.cols
        const ws = toFlat(W)
        const bs = toFlat(b)
        for (let j = 0; j < M / k; j++) {
          for (let r = 0; r < W.rows; r++) ws[r * M + j * k + q] = ws[r * M + j * k + p]!
          bs[j * k + q] = bs[j * k + p]!
        }
        const W2 = fromFlat(W.rows, M, ws)
        const b2 = fromFlat(1, M, bs)
        const g = maxoutBackward({ W: W2, b: b2 }, x, k, c)
        const ref = maxoutReference(x, W2, b2, k)
        // the later copy never wins, so its gradient column is exactly 0 (+0)
        expect(ref.winners.every((w) => w !== q)).toBe(true)
        for (let j = 0; j < M / k; j++) {
          for (let r = 0; r < W.rows; r++) expect(Object.is(g.dW.data[r * M + j * k + q], 0)).toBe(true)
          expect(Object.is(g.db.data[j * k + q], 0)).toBe(true)
        }
        expect(maxoutForward({ W: W2, b: b2 }, x, k)).toEqualBits(ref.y)
      }),
    )
  })

  it('all pieces equal: piece 0 wins; its gradient is the dense layer\'s', () => {
    const x = fromArrays([[1, -2], [0.5, 3]])
    const W = fromArrays([[2, 2, 2], [-1, -1, -1]])
    const b = fromArrays([[0.25, 0.25, 0.25]])
    const dy = fromArrays([[3], [-5]])
    const g = maxoutBackward({ W, b }, x, 3, dy)
    expect(toFlat(g.dW)).toEqual([3 * 1 + -5 * 0.5, 0, 0, 3 * -2 + -5 * 3, 0, 0])
    expect(toFlat(g.db)).toEqual([-2, 0, 0])
    expect(toFlat(g.dx)).toEqual([6, -3, -10, 5])
    expect(toFlat(maxoutForward({ W, b }, x, 3))).toEqual([4.25, -1.75])
  })

  it('a NaN piece wins (the first NaN) and takes the gradient', () => {
    // z = x·W + b with x = [[1]]: the pieces are W's row plus b (never -0: z sums from +0;
    // the tie of 0 and -0 is checked on the kernel, properties/kernels/layers.test.ts)
    const ones = fromArrays([[1]])
    const y = (w: number[], bias: number[], k: number): number[] => toFlat(maxoutForward({ W: fromArrays([w]), b: fromArrays([bias]) }, ones, k))
    expect(y([1, Number.NaN, 5], [0, 0, 0], 3)).toEqual([Number.NaN])
    expect(y([Number.NaN, 7], [0, 0], 2)).toEqual([Number.NaN])
    expect(winnersOf([1, Number.NaN, Number.NaN, 9], 4)).toEqual([1])
    const g = maxoutBackward({ W: fromArrays([[1, Number.NaN, 5, Number.NaN]]), b: zeros(1, 4) }, ones, 4, fromArrays([[2]]))
    expect(toFlat(g.dW)).toEqual([0, 2, 0, 0])
    expect(toFlat(g.db)).toEqual([0, 2, 0, 0])
    expect(toFlat(g.dx)).toEqual([Number.NaN])
  })
})

describe('purity and messages', () => {
  it('never writes to its inputs', () => {
    fc.assert(
      fc.property(layerCase(), ({ x, W, b, c, k }) => {
        const before = [x, W, b, c].map(copy)
        maxoutForward({ W, b }, x, k)
        maxoutBackward({ W, b }, x, k, c)
        ;[x, W, b, c].forEach((m, i) => expect(m).toEqualBits(before[i] as Matrix))
      }),
    )
  })

  it('names the op, the shapes and the pieces', () => {
    const W = zeros(2, 6)
    const b = zeros(1, 6)
    const x = zeros(4, 2)
    for (const bad of [0, 1.5, -2, Number.NaN]) {
      const e = thrown(() => maxoutForward({ W, b }, x, bad))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`maxoutForward: pieces must be a positive integer, got ${String(bad)}`)
    }
    const split = thrown(() => maxoutBackward({ W, b }, x, 4, zeros(4, 1)))
    expect(split).toBeInstanceOf(ShapeError)
    expect(split.message).toBe('maxoutBackward: weights (2x6) do not split into units of 4 pieces (W must have units·pieces columns)')
    expect(thrown(() => maxoutForward({ W, b }, zeros(4, 3), 3)).message).toBe(
      'maxoutForward: input (4x3) and weights (2x6) do not fit (input columns must equal weight rows)',
    )
    expect(thrown(() => maxoutForward({ W, b: zeros(1, 3) }, x, 3)).message).toBe('maxoutForward: bias (1x3) does not fit weights (2x6) (the bias must be (1x6))')
    for (const dy of [zeros(4, 3), zeros(3, 2)]) {
      const e = thrown(() => maxoutBackward({ W, b }, x, 3, dy))
      expect(e).toBeInstanceOf(ShapeError)
      expect(e.message).toBe(`maxoutBackward: dy (${dy.rows}x${dy.cols}) does not fit input (4x2) and weights (2x6) of 3 pieces (dy must be (4x2))`)
    }
  })
})
