/**
 * The internal kernels of src/nn (activation.ts's `activateInto` and
 * `activationBackwardInto`, dense.ts's `denseForwardInto`) on their own, the way the network and
 * the GAN call them: at any offsets inside larger padded buffers. Each equals the checked
 * operation it serves bit for bit, writes exactly its output stretch (nothing before,
 * nothing after), reads nothing outside its inputs' stretches, and leaves its inputs
 * unchanged; both product paths of `denseForwardInto` are reached. Activations: every kind,
 * into another array at the same offset too, the identity's backward copy, the values at
 * zero and the sign of zero (`v < 0 ? 0 : v`, `v < 0 ? alpha·v : v`, negative `alpha`
 * included), sigmoid below -709 (where exp(-x) overflows) still exp(x); unknown kinds name
 * the operation.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, addRowVector, fromFlat, matmul, toFlat } from '../../src/matrix/index.js'
import {
  type Activation,
  activate,
  activationBackward,
  identity,
  leakyRelu,
  relu,
  sigmoid,
  tanh,
} from '../../src/nn/activation.js'
import { activateInto, activationBackwardInto } from '../../src/kernels/activation.js'
import { dense, denseForwardInto } from '../../src/kernels/dense.js'
import { maxInto, maxout, maxoutBackwardInto, maxoutForwardInto } from '../../src/kernels/maxout.js'
import { maxoutBackwardReference, maxoutReference } from '../support/maxout-reference.js'
import type { PassLayer } from '../../src/kernels/layer.js'
import { dim } from '../support/arbitraries.js'
import { activation, spreadDouble, spreadPool } from '../support/network-arbitraries.js'
import * as elementary from '../../src/elementary/index.js'

const bits = (x: number): string => Buffer.from(new Float64Array([x]).buffer).toString('hex')
const bitsOf = (xs: ArrayLike<number>): string[] => Array.from(xs, bits)

/**
 * `values` at `off` inside `off + values.length + pad` entries of `fill`. Paddings are
 * distinct finite values that no kernel computes from the paddings around them (NaN would
 * hide a NaN written past the end, and one common value would hide a copy of it).
 */
const padded = (values: ReadonlyArray<number>, off: number, pad: number, fill: number): Float64Array => {
  const a = new Float64Array(off + values.length + pad).fill(fill)
  a.set(values, off)
  return a
}
const SRC = -0.7123
const DST = 0.3141
const isDst = (v: number): boolean => v === DST

/** Every activation kind, leaky relu with a slope of either sign. */
const anyActivation: fc.Arbitrary<Activation> = fc.oneof(activation, fc.double({ min: -2, max: 2, noNaN: true }).map((a) => leakyRelu(a)))

/** Values with zeros of both signs, tiny and large magnitudes. */
const value = fc.oneof(spreadDouble(5), fc.constantFrom(0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e300, -1e300))

describe('activateInto and activationBackwardInto at offsets inside padding', () => {
  it('equal activate / activationBackward bit for bit and write exactly their stretch', () => {
    fc.assert(
      fc.property(
        anyActivation,
        fc.array(value, { minLength: 0, maxLength: 12 }),
        fc.array(spreadDouble(3), { minLength: 12, maxLength: 12 }),
        fc.tuple(fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4)),
        (a, xs, gs, [sOff, dOff, yOff, gOff, oOff]) => {
          const len = xs.length
          const x = fromFlat(1, len, xs)
          const y = activate(a, x)
          const g = fromFlat(1, len, gs.slice(0, len))
          const wantY = bitsOf(toFlat(y))
          const wantDx = bitsOf(toFlat(activationBackward(a, x, y, g)))
          // forward, into another array
          const src = padded(xs, sOff, 3, SRC)
          const dst = padded([], dOff, len + 3, DST)
          activateInto(a, { data: src, off: sOff }, { data: dst, off: dOff }, len)
          expect(bitsOf(dst.subarray(dOff, dOff + len))).toEqual(wantY)
          expect([...dst.subarray(0, dOff), ...dst.subarray(dOff + len)].every(isDst)).toBe(true)
          expect(bitsOf(src)).toEqual(bitsOf(padded(xs, sOff, 3, SRC)))
          // forward, in place (how the fused dense kernel calls it)
          const inPlace = padded(xs, sOff, 3, DST)
          activateInto(a, { data: inPlace, off: sOff }, { data: inPlace, off: sOff }, len)
          expect(bitsOf(inPlace.subarray(sOff, sOff + len))).toEqual(wantY)
          expect([...inPlace.subarray(0, sOff), ...inPlace.subarray(sOff + len)].every(isDst)).toBe(true)
          // backward, every input at its own offset
          const xd = padded(xs, sOff, 3, SRC)
          const yd = padded(toFlat(y), yOff, 3, -SRC)
          const gd = padded(gs.slice(0, len), gOff, 3, 2 * SRC)
          const out = padded([], oOff, len + 3, DST)
          activationBackwardInto(a, { data: xd, off: sOff }, { data: yd, off: yOff }, { data: gd, off: gOff }, { data: out, off: oOff }, len)
          expect(bitsOf(out.subarray(oOff, oOff + len))).toEqual(wantDx)
          expect([...out.subarray(0, oOff), ...out.subarray(oOff + len)].every(isDst)).toBe(true)
        },
      ),
    )
  })

  it('every kind, into another array at the same offset, and the identity backward (which activationBackward never calls)', () => {
    const xs = [-2, -0.5, -0, 0, 0.25, 3]
    for (const a of [identity, tanh, sigmoid, relu, leakyRelu(0.2), leakyRelu(-0.5)]) {
      const src = padded(xs, 2, 2, SRC)
      const dst = padded([-1, -1, -1, -1, -1, -1], 2, 2, DST)
      activateInto(a, { data: src, off: 2 }, { data: dst, off: 2 }, xs.length)
      expect(bitsOf(dst.subarray(2, 8))).toEqual(bitsOf(toFlat(activate(a, fromFlat(1, 6, xs)))))
      expect([...dst.subarray(0, 2), ...dst.subarray(8)].every(isDst)).toBe(true)
    }
    const g = padded([1, -2, 3], 1, 2, SRC)
    const out = padded([0, 0, 0], 0, 2, DST)
    activationBackwardInto(identity, { data: g, off: 1 }, { data: g, off: 1 }, { data: g, off: 1 }, { data: out, off: 0 }, 3)
    expect(Array.from(out)).toEqual([1, -2, 3, DST, DST])
  })

  it('unknown kinds name the operation', () => {
    const swish = { kind: 'swish' } as unknown as Activation
    const a = new Float64Array(2)
    expect(() => activateInto(swish, { data: a, off: 0 }, { data: a, off: 0 }, 2)).toThrow(new TypeError('activate: unknown activation {"kind":"swish"}'))
    expect(() => activationBackwardInto(swish, { data: a, off: 0 }, { data: a, off: 0 }, { data: a, off: 0 }, { data: a, off: 0 }, 2)).toThrow(new TypeError('activationBackward: unknown activation {"kind":"swish"}'))
    const m = fromFlat(1, 2, [1, 2])
    expect(() => activate(swish, m)).toThrow(new TypeError('activate: unknown activation {"kind":"swish"}'))
    expect(() => activationBackward(swish, m, m, m)).toThrow(new TypeError('activationBackward: unknown activation {"kind":"swish"}'))
  })
})

describe('the activations at zero and at the sign of zero', () => {
  const at = (a: Activation, v: number): number => activate(a, fromFlat(1, 1, [v])).data[0] as number
  const dAt = (a: Activation, v: number, dy: number): number => {
    const x = fromFlat(1, 1, [v])
    return activationBackward(a, x, activate(a, x), fromFlat(1, 1, [dy])).data[0] as number
  }

  it('relu and leaky relu pass 0 and -0 through unchanged (v < 0 ? ... : v), for slopes of either sign', () => {
    for (const v of [0, -0]) {
      expect(Object.is(at(relu, v), v)).toBe(true)
      for (const alpha of [0.2, 0, -0.3]) expect(Object.is(at(leakyRelu(alpha), v), v)).toBe(true)
    }
    expect(Object.is(at(leakyRelu(-0.5), -2), 1)).toBe(true)
    expect(Object.is(at(relu, -Number.MIN_VALUE), 0)).toBe(true)
    expect(Object.is(at(relu, Number.MIN_VALUE), Number.MIN_VALUE)).toBe(true)
  })

  it('sigmoid below -709 (where exp(-x) overflows) is still exp(x), to the last subnormal', () => {
    for (const v of [-710, -740, -745]) expect(at(sigmoid, v)).toBe(elementary.exp(v))
    expect(at(sigmoid, -740)).toBeGreaterThan(0)
  })

  it('sigmoid is exactly 1/2 at 0 and at -0; its derivative there is 1/4', () => {
    expect(at(sigmoid, 0)).toBe(0.5)
    expect(at(sigmoid, -0)).toBe(0.5)
    expect(dAt(sigmoid, 0, 1)).toBe(0.25)
    expect(dAt(tanh, 0, 3)).toBe(3)
  })

  it('the identity returns its input matrix itself forward, and dy itself backward', () => {
    const x = fromFlat(2, 2, [1, -2, 3, -4])
    const dy = fromFlat(2, 2, [0.5, 0.25, -1, 2])
    expect(activate(identity, x)).toBe(x)
    expect(activationBackward(identity, x, x, dy)).toBe(dy)
  })
})

describe('denseForwardInto at offsets inside padding', () => {
  /** The reference z = x·W + b (matmul's order, bias after) and y = f(z). */
  const reference = (x: Matrix, W: Matrix, b: Matrix, a: Activation): { z: number[]; y: number[] } => {
    const z = addRowVector(matmul(x, W), b)
    return { z: toFlat(z), y: toFlat(activate(a, z)) }
  }

  // Shapes on both sides of the blocked path's conditions (n, m >= 4 and n·m·K >= 4096).
  const shapes = fc.oneof(
    fc.tuple(dim(1, 6), dim(1, 6), dim(1, 6)),
    fc.tuple(dim(4, 12), dim(4, 12), dim(30, 80)),
    fc.tuple(dim(1, 3), dim(4, 40), dim(20, 60)),
  )

  it('fills z (and y, in place or elsewhere) exactly, equal to the unfused composition, reading and writing nothing else', () => {
    fc.assert(
      fc.property(anyActivation, shapes, spreadPool(257, 3), fc.integer({ min: 1, max: 256 }), fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)), fc.boolean(), (a, [n, m, K], pool, stride, [xOff, zOff, gap, wOff, bOff], inPlace) => {
        let next = 0
        const take = (r: number, c: number): Matrix => fromFlat(r, c, Array.from({ length: r * c }, () => pool[(next++ * stride) % pool.length] as number))
        const x = take(n, K)
        const W = take(K, m)
        const b = take(1, m)
        const want = reference(x, W, b, a)
        const size = n * m
        const xBuf = padded(toFlat(x), xOff, 4, SRC)
        // [W | b] from wOff + bOff (bOff: the layer's offset inside the network's block)
        const pBuf = padded([...toFlat(W), ...toFlat(b)], wOff + bOff, 4, SRC)
        const yOff = inPlace ? zOff : zOff + size + gap
        const ws = new Float64Array(yOff + size + 4).fill(DST)
        const pre = { data: ws, off: zOff }
        const layer: PassLayer = { kind: dense, rows: n, inputs: K, units: m, pieces: 1, activation: a, paramOff: bOff, affine: pre, winners: null, norm: null, pre, out: inPlace ? pre : { data: ws, off: yOff }, keep: 1, mask: null, masked: null }
        denseForwardInto(layer, { data: pBuf, off: wOff }, { data: xBuf, off: xOff })
        if (inPlace) {
          expect(bitsOf(ws.subarray(zOff, zOff + size))).toEqual(bitsOf(want.y))
        } else {
          expect(bitsOf(ws.subarray(zOff, zOff + size))).toEqual(bitsOf(want.z))
          expect(bitsOf(ws.subarray(yOff, yOff + size))).toEqual(bitsOf(want.y))
          expect(ws.subarray(zOff + size, yOff).every(isDst)).toBe(true)
        }
        expect(ws.subarray(0, zOff).every(isDst)).toBe(true)
        expect(ws.subarray(yOff + size).every(isDst)).toBe(true)
        expect(bitsOf(xBuf)).toEqual(bitsOf(padded(toFlat(x), xOff, 4, SRC)))
        expect(bitsOf(pBuf)).toEqual(bitsOf(padded([...toFlat(W), ...toFlat(b)], wOff + bOff, 4, SRC)))
      }),
    )
  })
})

describe('the maxout kernels at offsets inside padding', () => {
  /** A maxout PassLayer over `n` rows in `ws`: affine values at zOff, winners right after, pre = out at yOff. */
  const layerAt = (n: number, K: number, m: number, k: number, paramOff: number, ws: Float64Array, zOff: number, yOff: number): PassLayer => {
    const pre = { data: ws, off: yOff }
    return { kind: maxout, rows: n, inputs: K, units: m, pieces: k, activation: identity, paramOff, affine: { data: ws, off: zOff }, winners: { data: ws, off: zOff + n * m * k }, norm: null, pre, out: pre, keep: 1, mask: null, masked: null }
  }
  // Inputs up to 13: the backward kernels block eight inputs (dx) and four (dW) at a time, so 4, 8, 12 and their neighbours are edges.
  const shapes = fc.oneof(fc.tuple(dim(1, 6), dim(1, 6), dim(1, 4), dim(1, 5)), fc.tuple(dim(1, 5), dim(1, 6), dim(1, 13), dim(1, 5)), fc.tuple(dim(4, 9), dim(30, 60), dim(2, 4), dim(2, 4)))

  it('forward: affine values, winners and max exactly as the transcription (ties and both backends\' products), writing nothing else; backward into its gradient and input-gradient stretches only, as maxoutBackward', () => {
    fc.assert(
      fc.property(shapes, fc.oneof(spreadPool(600, 3), fc.array(fc.constantFrom(-1, 0, 0.5, 1), { minLength: 600, maxLength: 600 })), fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)), ([n, m, K, k], pool, [xOff, zOff, gap, wOff, pOff, gOff]) => {
        let next = 0
        const take = (r: number, c: number): Matrix => fromFlat(r, c, Array.from({ length: r * c }, () => pool[next++ % pool.length] as number))
        const M = m * k
        const x = take(n, K)
        const W = take(K, M)
        const b = take(1, M)
        const dy = take(n, m)
        const ref = maxoutReference(x, W, b, k)
        const xBuf = padded(toFlat(x), xOff, 4, SRC)
        const pBuf = padded([...toFlat(W), ...toFlat(b)], wOff + pOff, 4, SRC)
        const yOff = zOff + n * M + n * m + gap
        const ws = new Float64Array(yOff + n * m + 4).fill(DST)
        const layer = layerAt(n, K, m, k, pOff, ws, zOff, yOff)
        maxoutForwardInto(layer, { data: pBuf, off: wOff }, { data: xBuf, off: xOff })
        expect(bitsOf(ws.subarray(zOff, zOff + n * M))).toEqual(bitsOf(toFlat(ref.z)))
        expect(Array.from(ws.subarray(zOff + n * M, zOff + n * M + n * m))).toEqual(ref.winners)
        expect(bitsOf(ws.subarray(yOff, yOff + n * m))).toEqual(bitsOf(toFlat(ref.y)))
        expect([...ws.subarray(0, zOff), ...ws.subarray(zOff + n * M + n * m, yOff), ...ws.subarray(yOff + n * m)].every(isDst)).toBe(true)
        expect(bitsOf(xBuf)).toEqual(bitsOf(padded(toFlat(x), xOff, 4, SRC)))
        // backward: the gradient block at gOff + paramOff, the input gradient at gap
        const want = maxoutBackwardReference(x, W, k, ref.winners, dy)
        const P = K * M + M
        const grads = padded([], gOff + pOff, P + 4, DST)
        const dIn = padded([], gap, n * K + 4, DST)
        const trace = bitsOf(ws)
        maxoutBackwardInto(layer, { data: pBuf, off: wOff }, { data: xBuf, off: xOff }, { data: Float64Array.from(toFlat(dy)), off: 0 }, { data: grads, off: gOff }, { data: dIn, off: gap })
        expect(bitsOf(grads.subarray(gOff + pOff, gOff + pOff + P))).toEqual(bitsOf([...toFlat(want.dW), ...toFlat(want.db)]))
        expect([...grads.subarray(0, gOff + pOff), ...grads.subarray(gOff + pOff + P)].every(isDst)).toBe(true)
        expect(bitsOf(dIn.subarray(gap, gap + n * K))).toEqual(bitsOf(toFlat(want.dx)))
        expect([...dIn.subarray(0, gap), ...dIn.subarray(gap + n * K)].every(isDst)).toBe(true)
        expect(bitsOf(ws)).toEqual(trace)
        expect(bitsOf(pBuf)).toEqual(bitsOf(padded([...toFlat(W), ...toFlat(b)], wOff + pOff, 4, SRC)))
      }),
    )
  })

  it('maxInto: a tie goes to the lower piece, value and sign of zero included; a NaN wins, the first of several', () => {
    const run = (z: number[], k: number): { y: number[]; w: number[] } => {
      const n = z.length / k
      const ws = new Float64Array(z.length + 2 * n)
      ws.set(z)
      const pre = { data: ws, off: z.length + n }
      maxInto({ kind: maxout, rows: n, inputs: 1, units: 1, pieces: k, activation: identity, paramOff: 0, affine: { data: ws, off: 0 }, winners: { data: ws, off: z.length }, norm: null, pre, out: pre, keep: 1, mask: null, masked: null })
      return { y: Array.from(ws.subarray(z.length + n)), w: Array.from(ws.subarray(z.length, z.length + n)) }
    }
    expect(run([-0, 0], 2).w).toEqual([0])
    expect(Object.is(run([-0, 0], 2).y[0], -0)).toBe(true)
    expect(Object.is(run([0, -0], 2).y[0], 0)).toBe(true)
    expect(run([1, 3, 3, 2], 4)).toEqual({ y: [3], w: [1] })
    expect(run([5, 5, 5], 3)).toEqual({ y: [5], w: [0] })
    expect(run([1, Number.NaN, 9, Number.NaN], 4).w).toEqual([1])
    expect(run([Number.NaN, 9], 2).w).toEqual([0])
    expect(run([-Infinity, -Infinity, -1e308], 3)).toEqual({ y: [-1e308], w: [2] })
    expect(run([2, 1, 7, 7, -1, -1], 2)).toEqual({ y: [2, 7, -1], w: [0, 0, 0] })
  })
})
