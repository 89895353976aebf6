/**
 * Edges of src/nn/network.ts that the gradient properties do not reach: every validation
 * message with its exact text (each condition of an `||` on its own), `outputSize`, the
 * unchecked fit test `paramsFit` (true exactly when `validateParams` accepts), `backward` on
 * a cache that does not fit the spec (the layer-by-layer path, which throws the checked
 * operations' own errors), and the workspace passes on their own: `forwardPlan`'s layout
 * (`lastOut` 0 included) and `backwardInto` at offsets inside padding, bit-equal to
 * `backward`, writing only its outputs and exactly its scratch; `flatBlock` (the very array
 * when the leaves lie one after another in one buffer whole Float64Arrays can view, a copy
 * when there is a gap, a leaf in another buffer or an odd-length buffer) and `paramViews`.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromFlat, zeros } from '../../src/matrix/index.js'
import { unsafeFromFloat64Array } from '../../src/matrix/matrix.js'
import { type Activation, activationBackward, identity, relu, sigmoid, tanh } from '../../src/nn/activation.js'
import { type DenseParams, denseBackward } from '../../src/nn/dense.js'
import {
  type ForwardCache,
  type LayerCache,
  type LayerSpec,
  type NetworkParams,
  type NetworkSpec,
  backward,
  forward,
  outputSize,
  paramShapes,
  paramsFit,
  predict,
  validateParams,
  validateSpec,
} from '../../src/nn/network.js'
import { backwardScratchSize, columnsOf, forwardSize, networkBackwardInto, networkForwardInto, networkPlan, paramCount } from '../../src/kernels/network.js'
import { flatBlock, paramViews } from '../../src/nn/blocks.js'
import { networkCase } from '../support/network-arbitraries.js'
import { thrown } from '../support/thrown.js'

const spec: NetworkSpec = {
  inputSize: 2,
  layers: [
    { units: 3, activation: tanh },
    { units: 4, activation: relu },
    { units: 1, activation: identity },
  ],
}
const filled = (r: number, c: number, k: number): Matrix => fromFlat(r, c, Array.from({ length: r * c }, (_, i) => Math.sin(k + 3 * i)))
const params: NetworkParams = [
  { W: filled(2, 3, 1), b: filled(1, 3, 2) },
  { W: filled(3, 4, 3), b: filled(1, 4, 4) },
  { W: filled(4, 1, 5), b: filled(1, 1, 6) },
]
const x = filled(5, 2, 7)

const withLayer = (p: NetworkParams, l: number, layer: unknown): NetworkParams => p.map((q, i) => (i === l ? layer : q)) as NetworkParams

describe('validation messages, exactly', () => {
  it('inputSize: not a positive integer (0, 1.5, -1, NaN, a string), with 1 accepted', () => {
    for (const bad of [0, 1.5, -1, Number.NaN, '2', 2 ** 53]) {
      const s = { ...spec, inputSize: bad } as unknown as NetworkSpec
      const e = thrown(() => validateSpec('op', s))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`op: spec.inputSize must be a positive integer, got ${String(bad)}`)
    }
    expect(() => validateSpec('op', { inputSize: 1, layers: [{ units: 1, activation: tanh }] })).not.toThrow()
  })

  it('layers: not an array (a record, a string, undefined) or empty', () => {
    for (const layers of [{}, { length: 1, 0: spec.layers[0] }, 'ab', undefined, []]) {
      const e = thrown(() => validateSpec('op', { inputSize: 2, layers } as unknown as NetworkSpec))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe('op: spec.layers must be a non-empty array')
    }
  })

  it('units of any layer: not a positive integer, naming the layer', () => {
    for (const l of [0, 1, 2]) {
      for (const bad of [0, 2.5, '3', -4]) {
        const s = { ...spec, layers: spec.layers.map((layer, i) => (i === l ? { ...layer, units: bad } : layer)) } as unknown as NetworkSpec
        const e = thrown(() => forward(s, params, x))
        expect(e).toBeInstanceOf(RangeError)
        expect(e.message).toBe(`forward: spec.layers[${l}].units must be a positive integer, got ${String(bad)}`)
      }
    }
  })

  it('activation of any layer: the message of assertActivation, naming the op and the layer', () => {
    const s = { ...spec, layers: spec.layers.map((layer, i) => (i === 2 ? { ...layer, activation: { kind: 'swish' } } : layer)) } as unknown as NetworkSpec
    expect(thrown(() => predict(s, params, x)).message).toBe(
      'predict: spec.layers[2].activation is not an activation (kind must be one of identity, tanh, sigmoid, relu, leakyRelu), got {"kind":"swish"}',
    )
  })

  it('params: not an array, or another number of layers', () => {
    const e = thrown(() => forward(spec, { 0: params[0] } as unknown as NetworkParams, x))
    expect(e).toBeInstanceOf(ShapeError)
    expect(e.message).toBe('forward: the spec has 3 layers but the params have not an array')
    expect(thrown(() => predict(spec, [...params, params[2]!], x)).message).toBe('predict: the spec has 3 layers but the params have 4 layers')
    const { cache } = forward(spec, params, x)
    expect(thrown(() => backward(spec, withLayer(params, 1, { W: zeros(3, 5), b: params[1]!.b }), cache, zeros(5, 1))).message).toBe(
      'backward: layer 1 W is (3x5) but the spec needs (3x4)',
    )
  })

  it('a W or b wrong in rows only or in columns only, at any layer', () => {
    const d = [2, 3, 4]
    const m = [3, 4, 1]
    for (let l = 0; l < 3; l++) {
      const p = params[l]!
      const cases: Array<[unknown, string]> = [
        [{ W: zeros(d[l]! + 1, m[l]!), b: p.b }, `layer ${l} W is (${d[l]! + 1}x${m[l]}) but the spec needs (${d[l]}x${m[l]})`],
        [{ W: zeros(d[l]!, m[l]! + 1), b: p.b }, `layer ${l} W is (${d[l]}x${m[l]! + 1}) but the spec needs (${d[l]}x${m[l]})`],
        [{ W: p.W, b: zeros(2, m[l]!) }, `layer ${l} b is (2x${m[l]}) but the spec needs (1x${m[l]})`],
        [{ W: p.W, b: zeros(1, m[l]! + 1) }, `layer ${l} b is (1x${m[l]! + 1}) but the spec needs (1x${m[l]})`],
      ]
      for (const [layer, message] of cases) {
        const e = thrown(() => validateParams('vp', spec, withLayer(params, l, layer)))
        expect(e).toBeInstanceOf(ShapeError)
        expect(e.message).toBe(`vp: ${message}`)
      }
    }
  })

  it('paramShapes and outputSize validate the spec under their own names; outputSize is the last layer\'s units', () => {
    expect(paramShapes(spec)).toEqual([
      { W: [2, 3], b: [1, 3] },
      { W: [3, 4], b: [1, 4] },
      { W: [4, 1], b: [1, 1] },
    ])
    expect(outputSize(spec)).toBe(1)
    expect(outputSize({ inputSize: 2, layers: [{ units: 7, activation: tanh }, { units: 5, activation: sigmoid }] })).toBe(5)
    expect(thrown(() => paramShapes({ inputSize: 0, layers: spec.layers })).message).toBe('paramShapes: spec.inputSize must be a positive integer, got 0')
    expect(thrown(() => outputSize({ inputSize: 0, layers: spec.layers })).message).toBe('outputSize: spec.inputSize must be a positive integer, got 0')
  })

  it('backward: a cache that is not an array or has another length, and a dOutput wrong in rows only or in columns only', () => {
    const { cache } = forward(spec, params, x)
    expect(thrown(() => backward(spec, params, { 0: cache[0] } as unknown as ForwardCache, zeros(5, 1))).message).toBe(
      'backward: the spec has 3 layers but the cache has not an array',
    )
    expect(thrown(() => backward(spec, params, cache.slice(0, 2), zeros(5, 1))).message).toBe('backward: the spec has 3 layers but the cache has 2 layers')
    for (const [r, c] of [[6, 1], [5, 2], [4, 1]] as const) {
      const e = thrown(() => backward(spec, params, cache, zeros(r, c)))
      expect(e).toBeInstanceOf(ShapeError)
      expect(e.message).toBe(`backward: dOutput (${r}x${c}) and the cached output (5x1) differ in shape`)
    }
  })
})

describe('paramsFit (the fast paths\' unchecked fit test)', () => {
  const badActivations: unknown[] = [
    null,
    undefined,
    'tanh',
    { kind: 'swish' },
    { kind: 'leakyRelu', alpha: Number.NaN },
    { kind: 'leakyRelu', alpha: '0.1' },
    { kind: 'leakyRelu' },
    Object.assign(() => 0, { kind: 'tanh' }),
  ]
  const accepts = (s: NetworkSpec, p: NetworkParams): boolean => {
    try {
      validateParams('fit', s, p)
      return true
    } catch {
      return false
    }
  }

  it('is true exactly when validateParams accepts: random networks and one corruption each', () => {
    const corruption = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('inputSize' as const), value: fc.constantFrom<unknown>(0, 1.5, '2', -1, Number.NaN, null) }),
      fc.record({ kind: fc.constant('layers' as const), value: fc.constantFrom<unknown>([], {}, null, 'ab') }),
      fc.record({ kind: fc.constant('params' as const), value: fc.constantFrom<unknown>('drop', 'extra', 'record') }),
      fc.record({ kind: fc.constant('units' as const), l: fc.nat(), value: fc.constantFrom<unknown>(0, 1.5, '2', -1, Number.NaN, null) }),
      fc.record({ kind: fc.constant('activation' as const), l: fc.nat(), value: fc.constantFrom(...badActivations) }),
      fc.record({ kind: fc.constant('shape' as const), l: fc.nat(), which: fc.constantFrom('Wr', 'Wc', 'br', 'bc') }),
    )
    fc.assert(
      fc.property(networkCase({ maxDepth: 3, maxWidth: 4, maxBatch: 1 }), corruption, ({ spec: s0, params: p0 }, c) => {
        let s: NetworkSpec = s0
        let p: NetworkParams = p0
        const L = s0.layers.length
        if (c.kind === 'inputSize') s = { ...s0, inputSize: c.value as number }
        if (c.kind === 'layers') s = { ...s0, layers: c.value as NetworkSpec['layers'] }
        if (c.kind === 'params') p = c.value === 'drop' ? p0.slice(1) : c.value === 'extra' ? [...p0, p0[L - 1]!] : ({ ...p0 } as unknown as NetworkParams)
        if (c.kind === 'units' || c.kind === 'activation') {
          const l = c.l % L
          const key = c.kind === 'units' ? 'units' : 'activation'
          s = { ...s0, layers: s0.layers.map((layer, i) => (i === l ? { ...layer, [key]: c.value } : layer)) } as NetworkSpec
        }
        if (c.kind === 'shape') {
          const l = c.l % L
          const q = p0[l]!
          const grown = (m: Matrix, dr: number, dc: number): Matrix => zeros(m.rows + dr, m.cols + dc)
          const layer: DenseParams =
            c.which === 'Wr' ? { W: grown(q.W, 1, 0), b: q.b } : c.which === 'Wc' ? { W: grown(q.W, 0, 1), b: q.b } : c.which === 'br' ? { W: q.W, b: grown(q.b, 1, 0) } : { W: q.W, b: grown(q.b, 0, 1) }
          p = withLayer(p0, l, layer)
        }
        const expected = accepts(s, p)
        if (c.kind === 'none') expect(expected).toBe(true)
        expect(paramsFit(s.layers, s.inputSize, p)).toBe(expected)
      }),
    )
  })

  it('refuses every kind of bad activation and accepts every good one', () => {
    const one = (a: unknown): boolean => paramsFit([{ units: 1, activation: a as Activation }], 1, [{ W: zeros(1, 1), b: zeros(1, 1) }])
    for (const a of badActivations) expect(one(a)).toBe(false)
    for (const a of [identity, tanh, sigmoid, relu, { kind: 'leakyRelu', alpha: 0.2 }, { kind: 'leakyRelu', alpha: 0 }]) expect(one(a)).toBe(true)
    // No layers at all (and no params): not a network. Layers that are not an array.
    expect(paramsFit([], 1, [])).toBe(false)
    for (const layers of [null, undefined, {}, 'ab']) expect(paramsFit(layers as unknown as NetworkSpec['layers'], 2, params)).toBe(false)
    // An input width that is not a positive integer, even with weights of that many rows.
    expect(paramsFit([{ units: 1, activation: tanh }], 0, [{ W: zeros(0, 1), b: zeros(1, 1) }])).toBe(false)
    expect(() => validateParams('fit', { inputSize: 1, layers: [] }, [])).toThrow(RangeError)
  })
})

describe('backward on a cache that does not fit the spec', () => {
  /** The checked layer-by-layer composition (docs/gradients.md, "Network"). */
  const byHand = (s: NetworkSpec, p: NetworkParams, cache: ForwardCache, dOut: Matrix): void => {
    let dA = dOut
    for (let l = p.length - 1; l >= 0; l--) {
      const layer = cache[l]!
      const dz = activationBackward(s.layers[l]!.activation, layer.preActivation, layer.output, dA)
      dA = denseBackward(p[l]!, layer.input, dz).dx
    }
  }

  it('throws the error of the first checked operation that fails, whichever block of whichever layer is off by a row or a column', () => {
    const { cache } = forward(spec, params, x)
    const dOut = filled(5, 1, 9)
    for (let l = 0; l < 3; l++) {
      for (const key of ['input', 'preActivation', 'output'] as const) {
        for (const [dr, dc] of [[1, 0], [0, 1], [-1, 0]] as const) {
          const block = cache[l]![key]
          // The last layer's output must keep dOutput's shape (checked first, with its own message).
          if (l === 2 && key === 'output') continue
          const broken: LayerCache = { ...cache[l]!, [key]: filled(block.rows + dr, block.cols + dc, 11) }
          const bad = cache.map((c, i) => (i === l ? broken : c))
          const want = thrown(() => byHand(spec, params, bad, dOut))
          const got = thrown(() => backward(spec, params, bad, dOut))
          expect(want).toBeInstanceOf(ShapeError)
          expect(got).toBeInstanceOf(ShapeError)
          expect(got.message).toBe(want.message)
        }
      }
    }
  })

  it('... and when the same block is off in the same dimension at every layer', () => {
    const { cache } = forward(spec, params, x)
    for (const key of ['input', 'preActivation', 'output'] as const) {
      for (const [dr, dc] of [[1, 0], [0, 1]] as const) {
        const bad = cache.map((c) => ({ ...c, [key]: filled(c[key].rows + dr, c[key].cols + dc, 13) }))
        // dOutput fits the cached output (checked first), whatever that is.
        const last = bad[bad.length - 1]!.output
        const dOut = filled(last.rows, last.cols, 9)
        const want = thrown(() => byHand(spec, params, bad, dOut))
        const got = thrown(() => backward(spec, params, bad, dOut))
        expect(want).toBeInstanceOf(ShapeError)
        expect(got).toBeInstanceOf(ShapeError)
        expect(got.message).toBe(want.message)
      }
    }
  })
})

describe('the workspace passes (networkPlan, networkForwardInto, networkBackwardInto) at offsets inside NaN padding', () => {
  const bitsOf = (xs: ArrayLike<number>): string[] => Array.from(xs, (v) => Buffer.from(new Float64Array([v]).buffer).toString('hex'))
  // Padding: a value no pass computes here (NaN would hide a NaN written past the end).
  const SENTINEL = -7.75e-77
  const isSentinel = (v: number): boolean => v === SENTINEL

  it('networkPlan: consecutive blocks from `at` (a maxout layer\'s pieces and winners first, then one per identity layer, two otherwise), the last layer\'s at lastOut when lastOut >= 0 (0 included), end just after the rest; the backward scratch from scratchAt, exactly backwardScratchSize long', () => {
    fc.assert(
      fc.property(fc.oneof(networkCase({ maxDepth: 4, maxWidth: 4, maxBatch: 3 }), networkCase({ maxDepth: 4, maxWidth: 4, maxBatch: 3, maxPieces: 3 })), fc.nat(6), fc.constantFrom(-1, 0, 5, 1000), fc.constantFrom(-1, 0, 7), ({ spec: s, x: xs }, at, lastOut, scratchAt) => {
        const n = xs.rows
        const ws = new Float64Array(1)
        const plan = networkPlan(s.layers, s.inputSize, n, ws, { at, lastOut, scratchAt })
        const preOffs = plan.layers.map((l) => l.pre.off)
        const outOffs = plan.layers.map((l) => l.out.off)
        expect(plan.layers.every((l) => l.pre.data === ws && l.out.data === ws)).toBe(true)
        if (scratchAt >= 0) expect(plan.scratchEnd - scratchAt).toBe(backwardScratchSize(s.layers, n))
        else expect([plan.dz.length, plan.dA.length]).toEqual([0, 0])
        let top = at
        s.layers.forEach((layer, l) => {
          const size = n * layer.units
          const isLast = l === s.layers.length - 1 && lastOut >= 0
          const id = layer.activation.kind === 'identity'
          const pass = plan.layers[l]!
          if (layer.kind === 'maxout') {
            expect([pass.pieces, pass.affine.off, pass.winners?.off, pass.affine.data, pass.winners?.data]).toEqual([layer.pieces, top, top + size * layer.pieces, ws, ws])
            top += size * (layer.pieces + 1)
          } else {
            expect([pass.pieces, pass.affine, pass.winners]).toEqual([1, pass.pre, null])
          }
          if (id) {
            expect(preOffs[l]).toBe(isLast ? lastOut : top)
            expect(outOffs[l]).toBe(preOffs[l])
            if (!isLast) top += size
          } else {
            expect(preOffs[l]).toBe(top)
            top += size
            expect(outOffs[l]).toBe(isLast ? lastOut : top)
            if (!isLast) top += size
          }
        })
        expect(plan.end).toBe(top)
        expect(plan.rows).toBe(n)
        if (lastOut < 0) expect(plan.end - at).toBe(forwardSize(s.layers, n))
      }),
    )
  })

  it('backwardInto equals backward bit for bit, with or without the parameter gradients and the input gradient, and writes only its outputs and its scratch', () => {
    const width = fc.oneof({ weight: 2, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 16, max: 20 }) })
    const bigOrSmall = fc
      .record({ inputSize: width, widths: fc.array(width, { minLength: 1, maxLength: 3 }), kinds: fc.array(fc.constantFrom<Activation | 2 | 3>(identity, tanh, sigmoid, relu, 2, 3), { minLength: 3, maxLength: 3 }), n: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 16, max: 20 })), seed: fc.nat(1000) })
      .map(({ inputSize, widths, kinds, n, seed }) => {
        // a number: a maxout layer of that many pieces
        const layerOf = (units: number, k: Activation | 2 | 3): LayerSpec => (typeof k === 'number' ? { kind: 'maxout', units, pieces: k, activation: identity } : { units, activation: k })
        const s: NetworkSpec = { inputSize, layers: widths.map((units, l) => layerOf(units, kinds[l]!)) }
        let d = inputSize
        const p = widths.map((units, l) => {
          const cols = columnsOf(s.layers[l]!)
          const layer = { W: filled(d, cols, seed + 7 * l), b: filled(1, cols, seed + 7 * l + 3) }
          d = units
          return layer
        })
        return { s, p, x: filled(n, inputSize, seed + 100), dOut: filled(n, d, seed + 200) }
      })
    fc.assert(
      fc.property(bigOrSmall, fc.nat(4), fc.nat(4), fc.nat(4), fc.nat(4), fc.boolean(), fc.boolean(), ({ s, p, x: xm, dOut }, inOff, gOff, dInOff, pOff, withGrads, withDIn) => {
        const n = xm.rows
        const { cache } = forward(s, p, xm)
        const want = backward(s, p, cache, dOut)
        const end = forwardSize(s.layers, n)
        const scratch = backwardScratchSize(s.layers, n)
        const input = new Float64Array(inOff + n * s.inputSize + 3).fill(SENTINEL)
        input.set(xm.data as unknown as Float64Array, inOff)
        const ws = new Float64Array(end + scratch + 5).fill(SENTINEL)
        const plan = networkPlan(s.layers, s.inputSize, n, ws, { at: 0, lastOut: -1, scratchAt: end })
        // the parameters flat, in leaf order, inside padding
        const P = paramCount(s.layers, s.inputSize)
        const pd = new Float64Array(pOff + P + 3).fill(SENTINEL)
        pd.set(p.flatMap((l) => [...l.W.data, ...l.b.data]), pOff)
        const pdBits = bitsOf(pd)
        networkForwardInto(plan, { data: pd, off: pOff }, { data: input, off: inOff })
        const trace = bitsOf(ws.subarray(0, plan.end))
        const grads = withGrads ? new Float64Array(gOff + P + 3).fill(SENTINEL) : null
        const dIn = withDIn ? new Float64Array(dInOff + n * s.inputSize + 3).fill(SENTINEL) : null
        const dOutBuf = new Float64Array(2 + dOut.rows * dOut.cols).fill(SENTINEL)
        dOutBuf.set(dOut.data as unknown as Float64Array, 2)
        networkBackwardInto(plan, { data: pd, off: pOff }, { data: input, off: inOff }, { data: dOutBuf, off: 2 }, grads && { data: grads, off: gOff }, dIn && { data: dIn, off: dInOff })
        expect(bitsOf(pd)).toEqual(pdBits)
        if (grads !== null) {
          const wantG = want.grads.flatMap((g) => [...bitsOf(g.W.data), ...bitsOf(g.b.data)])
          expect(bitsOf(grads.subarray(gOff, gOff + P))).toEqual(wantG)
          expect([...grads.subarray(0, gOff), ...grads.subarray(gOff + P)].every(isSentinel)).toBe(true)
        }
        if (dIn !== null) {
          expect(bitsOf(dIn.subarray(dInOff, dInOff + n * s.inputSize))).toEqual(bitsOf(want.dInput.data))
          expect([...dIn.subarray(0, dInOff), ...dIn.subarray(dInOff + n * s.inputSize)].every(isSentinel)).toBe(true)
        }
        // The trace is read only; nothing past the scratch is written.
        expect(bitsOf(ws.subarray(0, plan.end))).toEqual(trace)
        expect(ws.subarray(plan.end + scratch).every(isSentinel)).toBe(true)
        // ... and the scratch is exactly what it needs: every entry of it is written.
        expect(ws.subarray(plan.end, plan.end + scratch).some(isSentinel)).toBe(false)
      }),
    )
  })
})

describe('flatBlock: the leaves of networks as one flat block, read where they lie or copied', () => {
  /** Every leaf's values, tree after tree, each in leaf order (W_0, b_0, W_1, ...). */
  const valuesOf = (trees: ReadonlyArray<NetworkParams>): number[] => trees.flatMap((t) => t.flatMap((l) => [...l.W.data, ...l.b.data]))
  type Layout = 'separate' | 'one block' | 'a gap' | 'another buffer' | 'odd buffer'
  /**
   * `trees` rebuilt in a layout: 'separate' (each leaf its own array); 'one block' (views,
   * one after another, of one array from `off`, inside padding); 'a gap' (as one block, but
   * leaf `j` and those after one entry further on); 'another buffer' (as one block, but leaf
   * `j` a view of a second buffer at the very offset it would have in the first); 'odd
   * buffer' (as one block, in an ArrayBuffer whose byte length is not a multiple of 8, which
   * no Float64Array can view whole).
   */
  const laidOut = (trees: ReadonlyArray<NetworkParams>, layout: Layout, off: number, j: number): { trees: NetworkParams[]; buffer: ArrayBuffer | null } => {
    const values = valuesOf(trees)
    const count = values.length + (layout === 'a gap' ? 1 : 0)
    const buffer = layout === 'odd buffer' ? new ArrayBuffer(8 * (off + count + 2) + 4) : new Float64Array(off + count + 2).fill(-3.5).buffer
    const other = new Float64Array(off + count + 2).fill(-4.5)
    let o = off
    let leaf = 0
    const place = (m: Matrix): Matrix => {
      const n = m.rows * m.cols
      const here = leaf++
      if (layout === 'separate') return fromFlat(m.rows, m.cols, Array.from(m.data))
      if (layout === 'a gap' && here === j) o += 1
      const into = layout === 'another buffer' && here === j ? other : new Float64Array(buffer, 0, off + count + 2)
      into.set(m.data, o)
      const view = into.subarray(o, o + n)
      o += n
      return { rows: m.rows, cols: m.cols, data: view } as unknown as Matrix
    }
    return {
      trees: trees.map((t) => t.map((l) => ({ W: place(l.W), b: place(l.b) }))),
      buffer: layout === 'separate' ? null : buffer,
    }
  }

  it('the very array (no copy) when the leaves lie one after another in one buffer, at their offset; else a fresh copy of `size` entries from 0; the values in [tree 0 | tree 1 | ...] leaf order either way, the leaves untouched', () => {
    const layouts: ReadonlyArray<Layout> = ['separate', 'one block', 'a gap', 'another buffer', 'odd buffer']
    fc.assert(
      fc.property(
        networkCase({ maxDepth: 3, maxWidth: 3, maxBatch: 1 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(...layouts),
        fc.nat(4),
        fc.nat(),
        ({ spec: s, params: p }, k, layout, off, jSeed) => {
          // k trees of one structure: the params, then the params scaled (as m and v would be)
          const trees0 = Array.from({ length: k }, (_, t) => p.map((l) => ({ W: fromFlat(l.W.rows, l.W.cols, Array.from(l.W.data, (v) => v * (t + 1) + t)), b: fromFlat(1, l.b.cols, Array.from(l.b.data, (v) => v - t)) })))
          const leafCount = 2 * p.length * k
          const j = 1 + (jSeed % (leafCount - 1))
          const { trees, buffer } = laidOut(trees0, layout, off, j)
          const want = valuesOf(trees0)
          expect(valuesOf(trees)).toEqual(want)
          const size = paramCount(s.layers, s.inputSize) * k
          expect(want.length).toBe(size)
          const before = valuesOf(trees)
          const block = flatBlock(trees, size)
          expect(Array.from(block.data.subarray(block.off, block.off + size))).toEqual(want)
          expect(valuesOf(trees)).toEqual(before)
          if (layout === 'one block') {
            expect(block.data.buffer).toBe(buffer)
            expect(block.off).toBe(off)
          } else {
            expect(block.off).toBe(0)
            expect(block.data.length).toBe(size)
            expect(block.data.buffer).not.toBe(buffer)
            for (const t of trees) for (const l of t) for (const m of [l.W, l.b]) expect(block.data.buffer).not.toBe(m.data.buffer)
          }
          // What the passes read is the same in every layout: forward and backward on the laid-out params.
          const x1 = fromFlat(1, s.inputSize, Array.from({ length: s.inputSize }, (_, i) => Math.cos(i + off)))
          const got = forward(s, trees[0]!, x1)
          const ref = forward(s, trees0[0]!, x1)
          expect(Array.from(got.output.data)).toEqual(Array.from(ref.output.data))
          const dOut = fromFlat(1, got.output.cols, Array.from({ length: got.output.cols }, (_, i) => Math.sin(i + 1)))
          expect(valuesOf([backward(s, trees[0]!, got.cache, dOut).grads])).toEqual(valuesOf([backward(s, trees0[0]!, ref.cache, dOut).grads]))
        },
      ),
    )
  })

  it('no trees, or trees with no layers: an empty fresh block at 0', () => {
    for (const trees of [[], [[]], [[], []]] as ReadonlyArray<NetworkParams>[]) {
      const block = flatBlock(trees, 0)
      expect(block.off).toBe(0)
      expect(block.data).toBeInstanceOf(Float64Array)
      expect(block.data.length).toBe(0)
    }
  })

  it('a tree with no layers before others is skipped: the block starts at the first leaf there is', () => {
    const block = Float64Array.from([9, 1, 2, 3, 4, 5, 6, 7])
    // one layer 2 -> 2 (W 4 entries, b 2) at offset 1 of one buffer
    const tree: NetworkParams = [Object.freeze({ W: unsafeFromFloat64Array(2, 2, block.subarray(1, 5)), b: unsafeFromFloat64Array(1, 2, block.subarray(5, 7)) })]
    const own = flatBlock([[], tree], 6)
    expect(own.data.buffer).toBe(block.buffer)
    expect(own.off).toBe(1)
    const separate: NetworkParams = [Object.freeze({ W: fromFlat(2, 2, [1, 2, 3, 4]), b: fromFlat(1, 2, [5, 6]) })]
    const copy = flatBlock([[], separate, []], 6)
    expect(copy.off).toBe(0)
    expect(Array.from(copy.data)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('paramViews: frozen { W, b } views of the block from `off`, in leaf order, sharing its storage', () => {
    fc.assert(
      fc.property(networkCase({ maxDepth: 3, maxWidth: 3, maxBatch: 1 }), fc.nat(4), ({ spec: s, params: p }, off) => {
        const P = paramCount(s.layers, s.inputSize)
        const block = new Float64Array(off + P + 2).fill(-1.25)
        block.set(valuesOf([p]), off)
        const views = paramViews(s.layers, s.inputSize, block, off)
        expect(Object.isFrozen(views)).toBe(true)
        expect(views.length).toBe(p.length)
        views.forEach((l, i) => {
          expect(Object.isFrozen(l)).toBe(true)
          expect([l.W.rows, l.W.cols, l.b.rows, l.b.cols]).toEqual([p[i]!.W.rows, p[i]!.W.cols, 1, p[i]!.b.cols])
          expect(l.W.data.buffer).toBe(block.buffer)
          expect(l.b.data.buffer).toBe(block.buffer)
        })
        expect(valuesOf([views])).toEqual(valuesOf([p]))
        expect(flatBlock([views], P)).toEqual({ data: new Float64Array(block.buffer), off })
      }),
    )
  })
})

describe('maxout layers in a spec: messages, shapes, the fit test and the cache check', () => {
  const mx = { kind: 'maxout', units: 2, pieces: 3, activation: identity } as const
  const mspec: NetworkSpec = { inputSize: 2, layers: [mx, { units: 1, activation: identity }] }
  const mparams: NetworkParams = [
    { W: filled(2, 6, 1), b: filled(1, 6, 2) },
    { W: filled(2, 1, 3), b: filled(1, 1, 4) },
  ]
  const withSpecLayer = (layer: unknown): NetworkSpec => ({ ...mspec, layers: [layer as LayerSpec, mspec.layers[1]!] })

  it('validateSpec: the kind, the pieces, maxout\'s activation and pieces on a dense layer, each with its exact message', () => {
    const cases: Array<[unknown, ErrorConstructor, string]> = [
      [{ ...mx, pieces: 0 }, RangeError, 'op: spec.layers[0].pieces must be a positive integer, got 0'],
      [{ ...mx, pieces: 2.5 }, RangeError, 'op: spec.layers[0].pieces must be a positive integer, got 2.5'],
      [{ ...mx, pieces: '3' }, RangeError, 'op: spec.layers[0].pieces must be a positive integer, got 3'],
      [{ kind: 'maxout', units: 2, activation: identity }, RangeError, 'op: spec.layers[0].pieces must be a positive integer, got undefined'],
      [{ ...mx, activation: tanh }, TypeError, 'op: spec.layers[0] is a maxout layer, whose activation must be the identity (the max is its nonlinearity), got {"kind":"tanh"}'],
      [{ ...mx, activation: undefined }, TypeError, 'op: spec.layers[0] is a maxout layer, whose activation must be the identity (the max is its nonlinearity), got undefined'],
      [{ ...mx, kind: 'Maxout' }, TypeError, 'op: spec.layers[0].kind must be dense, maxout or batchnorm (or absent, for dense), got "Maxout"'],
      [{ ...mx, kind: null }, TypeError, 'op: spec.layers[0].kind must be dense, maxout or batchnorm (or absent, for dense), got null'],
      [{ units: 2, pieces: 3, activation: identity }, TypeError, "op: spec.layers[0] has pieces but is a dense layer (a maxout layer is { kind: 'maxout', units, pieces, activation })"],
      [{ kind: 'dense', units: 2, pieces: 3, activation: identity }, TypeError, "op: spec.layers[0] has pieces but is a dense layer (a maxout layer is { kind: 'maxout', units, pieces, activation })"],
      [{ ...mx, units: 0 }, RangeError, 'op: spec.layers[0].units must be a positive integer, got 0'],
    ]
    for (const [layer, type, message] of cases) {
      const e = thrown(() => validateSpec('op', withSpecLayer(layer)))
      expect(e).toBeInstanceOf(type)
      expect(e.message).toBe(message)
    }
    expect(() => validateSpec('op', mspec)).not.toThrow()
    expect(() => validateSpec('op', withSpecLayer({ kind: 'dense', units: 6, activation: tanh }))).not.toThrow()
  })

  it('paramShapes, validateParams and outputSize: W (d x units·pieces), b (1 x units·pieces), the next layer\'s input is units wide', () => {
    expect(paramShapes(mspec)).toEqual([
      { W: [2, 6], b: [1, 6] },
      { W: [2, 1], b: [1, 1] },
    ])
    expect(outputSize({ inputSize: 3, layers: [mx] })).toBe(2)
    expect(thrown(() => validateParams('vp', mspec, withLayer(mparams, 0, { W: filled(2, 2, 1), b: mparams[0]!.b }))).message).toBe('vp: layer 0 W is (2x2) but the spec needs (2x6)')
    expect(thrown(() => validateParams('vp', mspec, withLayer(mparams, 0, { W: mparams[0]!.W, b: filled(1, 2, 1) }))).message).toBe('vp: layer 0 b is (1x2) but the spec needs (1x6)')
    expect(thrown(() => validateParams('vp', mspec, withLayer(mparams, 1, { W: filled(6, 1, 1), b: mparams[1]!.b }))).message).toBe('vp: layer 1 W is (6x1) but the spec needs (2x1)')
  })

  it('paramsFit is true exactly when validateParams accepts: networks with maxout layers and one corruption each', () => {
    const accepts = (s: NetworkSpec, p: NetworkParams): boolean => {
      try {
        validateParams('fit', s, p)
        return true
      } catch {
        return false
      }
    }
    const corruption = fc.oneof(
      fc.constant({ key: 'none', value: undefined as unknown }),
      fc.record({ key: fc.constant('pieces'), value: fc.constantFrom<unknown>(0, 1, 1.5, '2', -1, Number.NaN, null, undefined, 7) }),
      fc.record({ key: fc.constant('kind'), value: fc.constantFrom<unknown>('dense', 'maxout', 'Maxout', null, undefined, 3) }),
      fc.record({ key: fc.constant('activation'), value: fc.constantFrom<unknown>(identity, tanh, relu, null, { kind: 'identity', alpha: 1 }, { kind: 'swish' }) }),
      fc.record({ key: fc.constant('W'), value: fc.constantFrom<unknown>('rows', 'cols') }),
    )
    fc.assert(
      fc.property(networkCase({ maxDepth: 3, maxWidth: 4, maxBatch: 1, maxPieces: 3 }), fc.nat(), corruption, ({ spec: s0, params: p0 }, at, c) => {
        const l = at % s0.layers.length
        let s = s0
        let p = p0
        if (c.key === 'W') {
          const q = p0[l]!
          p = withLayer(p0, l, { W: zeros(q.W.rows + (c.value === 'rows' ? 1 : 0), q.W.cols + (c.value === 'cols' ? 1 : 0)), b: q.b })
        } else if (c.key !== 'none') {
          const layer: { [k: string]: unknown } = { ...s0.layers[l]! }
          if (c.value === undefined) delete layer[c.key]
          else layer[c.key] = c.value
          s = { ...s0, layers: s0.layers.map((x, i) => (i === l ? (layer as unknown as LayerSpec) : x)) }
        }
        const expected = accepts(s, p)
        if (c.key === 'none') expect(expected).toBe(true)
        expect(paramsFit(s.layers, s.inputSize, p)).toBe(expected)
      }),
    )
  })

  it('backward names a maxout layer whose cached input, pieces or output does not fit, and reads the pieces alone (not the cached output)', () => {
    const xm = filled(4, 2, 5)
    const { cache } = forward(mspec, mparams, xm)
    const dOut = filled(4, 1, 9)
    for (const key of ['input', 'preActivation', 'output'] as const) {
      for (const [dr, dc] of [[1, 0], [0, 1]] as const) {
        const block = cache[0]![key]
        const bad = [{ ...cache[0]!, [key]: filled(block.rows + dr, block.cols + dc, 11) }, cache[1]!]
        const shapes = (['input', 'preActivation', 'output'] as const).map((k) => (k === key ? `(${block.rows + dr}x${block.cols + dc})` : `(${cache[0]![k].rows}x${cache[0]![k].cols})`))
        const e = thrown(() => backward(mspec, mparams, bad, dOut))
        expect(e).toBeInstanceOf(ShapeError)
        expect(e.message).toBe(`backward: layer 0 (maxout, 2 units of 3 pieces) needs a cache of input (4x2), pieces (4x6) and output (4x2), got ${shapes[0]}, ${shapes[1]} and ${shapes[2]}`)
      }
    }
    const want = backward(mspec, mparams, cache, dOut)
    const otherOutput = [{ ...cache[0]!, output: filled(4, 2, 17) }, cache[1]!]
    const got = backward(mspec, mparams, otherOutput, dOut)
    expect(got.grads[0]!.W).toEqualBits(want.grads[0]!.W)
    expect(got.grads[0]!.b).toEqualBits(want.grads[0]!.b)
    expect(got.dInput).toEqualBits(want.dInput)
  })

  it('paramViews and flatBlock: maxout layers\' W (d x units·pieces) and b (1 x units·pieces) in leaf order', () => {
    fc.assert(
      fc.property(networkCase({ maxDepth: 3, maxWidth: 3, maxBatch: 1, maxPieces: 3 }), fc.nat(4), ({ spec: s, params: p }, off) => {
        const P = paramCount(s.layers, s.inputSize)
        const values = p.flatMap((l) => [...l.W.data, ...l.b.data])
        expect(values.length).toBe(P)
        const block = new Float64Array(off + P + 2).fill(-1.25)
        block.set(values, off)
        const views = paramViews(s.layers, s.inputSize, block, off)
        expect(views.map((l) => ({ W: [l.W.rows, l.W.cols], b: [l.b.rows, l.b.cols] }))).toEqual(paramShapes(s))
        expect(views.flatMap((l) => [...l.W.data, ...l.b.data])).toEqual(values)
        expect(flatBlock([views], P)).toEqual({ data: new Float64Array(block.buffer), off })
      }),
    )
  })
})
