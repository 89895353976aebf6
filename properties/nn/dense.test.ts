import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Matrix,
  ShapeError,
  addRowVector,
  fromArrays,
  fromFlat,
  matmul,
  shapeOf,
  toFlat,
  zeros,
} from '../../src/matrix/index.js'
import { activate } from '../../src/nn/activation.js'
import { affineActivate, affineActivateWithPre, denseBackward, denseForward } from '../../src/nn/dense.js'
import { dim } from '../support/arbitraries.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import { activation, spreadPool } from '../support/network-arbitraries.js'

/** x (n x in), W (in x out), b (1 x out), c (n x out), dimensions 1..maxDim, values in [-max, max]. */
const layerCase = (max = 10, maxDim = 6) =>
  fc
    .tuple(dim(1, maxDim), dim(1, maxDim), dim(1, maxDim), spreadPool(2 * maxDim * maxDim + maxDim * maxDim + maxDim, max))
    .map(([n, i, o, pool]) => {
      let offset = 0
      const take = (r: number, c: number): Matrix => {
        const m = fromFlat(r, c, pool.slice(offset, offset + r * c))
        offset += r * c
        return m
      }
      return { x: take(n, i), W: take(i, o), b: take(1, o), c: take(n, o) }
    })

const copy = (m: Matrix): Matrix => fromFlat(m.rows, m.cols, toFlat(m))

describe('dense gradients', () => {
  it('dW, db and dx equal central differences of <c, denseForward({ W, b }, x)>', () => {
    fc.assert(
      fc.property(layerCase(), ({ x, W, b, c }) => {
        const g = denseBackward({ W, b }, x, c)
        expectGradientClose('dW', (W1) => frobeniusInner(c, denseForward({ W: W1, b }, x)), W, g.dW)
        expectGradientClose('db', (b1) => frobeniusInner(c, denseForward({ W, b: b1 }, x)), b, g.db)
        expectGradientClose('dx', (x1) => frobeniusInner(c, denseForward({ W, b }, x1)), x, g.dx)
      }),
    )
  })
})

describe('fused forward', () => {
  it('equals the unfused composition bit for bit, for every activation', () => {
    fc.assert(
      fc.property(
        activation,
        // Up to 11 rows: the kernel works in blocks of four rows plus a remainder.
        fc.oneof(layerCase(), layerCase(1e3, 11), layerCase(1e-3, 11)),
        (a, { x, W, b }) => {
          const z = addRowVector(matmul(x, W), b)
          const y = activate(a, z)
          expect(denseForward({ W, b }, x)).toEqualBits(z)
          expect(affineActivate(x, W, b, a)).toEqualBits(y)
          const both = affineActivateWithPre(x, W, b, a)
          expect(both.z).toEqualBits(z)
          expect(both.y).toEqualBits(y)
        },
      ),
    )
  })

  it('on shapes that reach the blocked kernel (n, out >= 4 and n·in·out >= 4096) equals a naive ordered loop and the unfused composition bit for bit', () => {
    // z_ij = (((0 + x_i0·W_0j) + x_i1·W_1j) + ...) + b_j, summed here one scalar at a time.
    const naive = (x: Matrix, W: Matrix, b: Matrix): Matrix => {
      const out: number[] = []
      for (let i = 0; i < x.rows; i++) {
        for (let j = 0; j < W.cols; j++) {
          let c = 0
          for (let k = 0; k < x.cols; k++) c = c + (x.data[i * x.cols + k] as number) * (W.data[k * W.cols + j] as number)
          out.push(c + (b.data[j] as number))
        }
      }
      return fromFlat(x.rows, W.cols, out)
    }
    const bigCase = fc
      .tuple(dim(4, 19), dim(4, 19), dim(0, 5), spreadPool(257, 10), fc.integer({ min: 1, max: 256 }))
      .map(([n, o, extra, pool, stride]) => {
        const K = Math.ceil(4096 / (n * o)) + extra
        let next = 0
        const take = (r: number, c: number): Matrix =>
          fromFlat(r, c, Array.from({ length: r * c }, () => pool[(next++ * stride) % pool.length] as number))
        return { x: take(n, K), W: take(K, o), b: take(1, o) }
      })
    fc.assert(
      fc.property(activation, bigCase, (a, { x, W, b }) => {
        const z = naive(x, W, b)
        expect(addRowVector(matmul(x, W), b)).toEqualBits(z)
        const y = activate(a, z)
        expect(denseForward({ W, b }, x)).toEqualBits(z)
        expect(affineActivate(x, W, b, a)).toEqualBits(y)
        const both = affineActivateWithPre(x, W, b, a)
        expect(both.z).toEqualBits(z)
        expect(both.y).toEqualBits(y)
      }),
    )
  })

  it('keeps the sign of zero as matmul does (0 + -0 = 0)', () => {
    const x = fromArrays([[-0, 1]])
    const W = fromArrays([[1], [-0]])
    const b = fromArrays([[-0]])
    expect(denseForward({ W, b }, x)).toEqualBits(addRowVector(matmul(x, W), b))
  })
})

describe('purity and shapes', () => {
  it('never writes to its inputs', () => {
    fc.assert(
      fc.property(activation, layerCase(), (a, { x, W, b, c }) => {
        const before = [x, W, b, c].map(copy)
        denseForward({ W, b }, x)
        denseBackward({ W, b }, x, c)
        affineActivate(x, W, b, a)
        affineActivateWithPre(x, W, b, a)
        ;[x, W, b, c].forEach((m, i) => expect(m).toEqualBits(before[i] as Matrix))
      }),
    )
  })

  it('names the op and both shapes on a mismatch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        (n, i, j, o) => {
          fc.pre(i !== j)
          const x = zeros(n, i)
          const W = zeros(j, o)
          const b = zeros(1, o)
          const both = new RegExp(`\\(${n}x${i}\\).*\\(${j}x${o}\\)`)
          expect(() => denseForward({ W, b }, x)).toThrow(ShapeError)
          expect(() => denseForward({ W, b }, x)).toThrow(both)
          expect(() => affineActivate(x, W, b, { kind: 'tanh' })).toThrow(/^affineActivate: /)
          expect(() => denseBackward({ W, b }, x, zeros(n, o))).toThrow(both)
        },
      ),
    )
    const W = zeros(2, 3)
    expect(() => denseForward({ W, b: zeros(1, 2) }, zeros(4, 2))).toThrow(/denseForward: bias \(1x2\) does not fit weights \(2x3\)/)
    expect(() => denseForward({ W, b: zeros(3, 1) }, zeros(4, 2))).toThrow(ShapeError)
    expect(() => denseBackward({ W, b: zeros(1, 3) }, zeros(4, 2), zeros(4, 2))).toThrow(
      new RegExp(`denseBackward: dy \\(4x2\\) does not fit input \\(4x2\\) and weights ${shapeOf(W).replace(/[()]/g, '\\$&')}`),
    )
    expect(() => denseBackward({ W, b: zeros(1, 3) }, zeros(4, 2), zeros(5, 3))).toThrow(ShapeError)
  })
})
