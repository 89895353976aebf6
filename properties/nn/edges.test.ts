/**
 * The checks and messages of src/nn/{activation,dense,init}.ts, each condition of an `||` on
 * its own, with the exact text: `leakyRelu`'s and `assertActivation`'s refusals (every kind
 * of non-activation), `activationBackward`'s shape check, the dense layer's input, bias and
 * dy checks, and `initNetwork`'s options (weightStd 0 allowed, non-numbers refused).
 */
import { describe, expect, it } from 'vitest'
import { ShapeError, fromFlat, toFlat, zeros } from '../../src/matrix/index.js'
import { type Activation, activationBackward, assertActivation, leakyRelu, tanh } from '../../src/nn/activation.js'
import { affineActivate, affineActivateWithPre, denseBackward, denseForward } from '../../src/nn/dense.js'
import { type InitOptions, initNetwork } from '../../src/nn/init.js'
import type { NetworkSpec } from '../../src/nn/network.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { thrown } from '../support/thrown.js'
import * as elementary from '../../src/elementary/index.js'

describe('activations: refusals with their exact messages', () => {
  it('leakyRelu refuses a non-finite or non-number alpha, naming it', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '0.1', null]) {
      const e = thrown(() => leakyRelu(bad as number))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`leakyRelu: alpha must be a finite number, got ${String(bad)}`)
    }
    expect(leakyRelu(-3)).toEqual({ kind: 'leakyRelu', alpha: -3 })
    expect(leakyRelu()).toEqual({ kind: 'leakyRelu', alpha: 0.01 })
  })

  it('assertActivation refuses every non-activation: null, undefined, strings, numbers, arrays, functions, unknown or non-string kinds', () => {
    const kinds = 'identity, tanh, sigmoid, relu, leakyRelu'
    const bad: unknown[] = [null, undefined, 'tanh', 3, [{ kind: 'tanh' }], {}, { kind: 'softmax' }, { kind: 3 }, { kind: null }, { kind: ['tanh'] }]
    for (const a of bad) {
      const e = thrown(() => assertActivation('op', 'layer 2', a))
      expect(e).toBeInstanceOf(TypeError)
      expect(e.message).toBe(`op: layer 2 is not an activation (kind must be one of ${kinds}), got ${JSON.stringify(a)}`)
    }
    // A function carrying a valid kind is not a plain-data activation.
    expect(thrown(() => assertActivation('op', 'w', Object.assign(() => 0, { kind: 'tanh' }))).message).toMatch(/^op: w is not an activation/)
    for (const alpha of [Number.NaN, Number.POSITIVE_INFINITY, '0.2', undefined, null]) {
      const e = thrown(() => assertActivation('op', 'layer 0', { kind: 'leakyRelu', alpha }))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`op: layer 0 is a leakyRelu whose alpha must be a finite number, got ${String(alpha)}`)
    }
    for (const a of [{ kind: 'identity' }, { kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'relu' }, { kind: 'leakyRelu', alpha: -1 }, { kind: 'leakyRelu', alpha: 0 }]) {
      expect(() => assertActivation('op', 'w', a)).not.toThrow()
    }
  })

  it('activationBackward refuses y or dy of another shape, each on its own, naming all three shapes', () => {
    const x = zeros(2, 3)
    for (const [y, dy] of [[zeros(2, 3), zeros(2, 4)], [zeros(2, 3), zeros(3, 3)], [zeros(2, 4), zeros(2, 3)], [zeros(1, 3), zeros(2, 3)]] as const) {
      const e = thrown(() => activationBackward(tanh, x, y, dy))
      expect(e).toBeInstanceOf(ShapeError)
      expect(e.message).toBe(`activationBackward: x (2x3), y (${y.rows}x${y.cols}) and dy (${dy.rows}x${dy.cols}) must have one shape`)
    }
  })
})

describe('the dense layer: shape checks with their exact messages', () => {
  const W = fromFlat(2, 3, [1, 2, 3, 4, 5, 6])
  const b = fromFlat(1, 3, [0.5, -0.5, 1])

  it('input columns vs weight rows; a bias wrong in rows only or in columns only, for every entry point', () => {
    const ops: Array<[string, (x: typeof W, w: typeof W, bb: typeof W) => unknown]> = [
      ['denseForward', (x, w, bb) => denseForward({ W: w, b: bb }, x)],
      ['affineActivate', (x, w, bb) => affineActivate(x, w, bb, tanh)],
      ['affineActivateWithPre', (x, w, bb) => affineActivateWithPre(x, w, bb, tanh)],
      ['denseBackward', (x, w, bb) => denseBackward({ W: w, b: bb }, x, zeros(x.rows, w.cols))],
    ]
    for (const [name, op] of ops) {
      expect(thrown(() => op(zeros(4, 3), W, b)).message).toBe(`${name}: input (4x3) and weights (2x3) do not fit (input columns must equal weight rows)`)
      for (const bad of [zeros(2, 3), zeros(1, 2), zeros(1, 4)]) {
        const e = thrown(() => op(zeros(4, 2), W, bad))
        expect(e).toBeInstanceOf(ShapeError)
        expect(e.message).toBe(`${name}: bias (${bad.rows}x${bad.cols}) does not fit weights (2x3) (the bias must be (1x3))`)
      }
    }
  })

  it('denseBackward: dy wrong in rows only or in columns only', () => {
    for (const dy of [zeros(5, 3), zeros(4, 2), zeros(3, 4)]) {
      const e = thrown(() => denseBackward({ W, b }, zeros(4, 2), dy))
      expect(e).toBeInstanceOf(ShapeError)
      expect(e.message).toBe(`denseBackward: dy (${dy.rows}x${dy.cols}) does not fit input (4x2) and weights (2x3) (dy must be (4x3))`)
    }
  })

  it('affineActivateWithPre: for the identity y is z itself; otherwise two matrices of the layer\'s shape', () => {
    const x = fromFlat(2, 2, [1, -1, 0.5, 2])
    const id = affineActivateWithPre(x, W, b, { kind: 'identity' })
    expect(id.y).toBe(id.z)
    expect(toFlat(id.z)).toEqual(toFlat(denseForward({ W, b }, x)))
    const t = affineActivateWithPre(x, W, b, tanh)
    expect([t.z.rows, t.z.cols, t.y.rows, t.y.cols, t.z.data.length, t.y.data.length]).toEqual([2, 3, 2, 3, 6, 6])
    expect(toFlat(t.z)).toEqual(toFlat(denseForward({ W, b }, x)))
    expect(toFlat(t.y)).toEqual(toFlat(t.z).map(elementary.tanh))
  })
})

describe('initNetwork: options', () => {
  const spec: NetworkSpec = { inputSize: 2, layers: [{ units: 3, activation: tanh }, { units: 1, activation: { kind: 'identity' } as Activation }] }

  it('weightStd must be a finite number >= 0 (0 allowed: every weight exactly 0); biasInit zeros or normal', () => {
    for (const bad of [-1, -Number.MIN_VALUE, Number.NaN, Number.POSITIVE_INFINITY, '0.02', null]) {
      const e = thrown(() => initNetwork(spec, rngFromSeed(0), { weightStd: bad } as unknown as InitOptions))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`initNetwork: weightStd must be a finite number >= 0, got ${String(bad)}`)
    }
    for (const bad of ['ones', '', 'Zeros', null]) {
      const e = thrown(() => initNetwork(spec, rngFromSeed(0), { biasInit: bad } as unknown as InitOptions))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`initNetwork: biasInit must be 'zeros' or 'normal', got ${String(bad)}`)
    }
    const [params] = initNetwork(spec, rngFromSeed(3), { weightStd: 0, biasInit: 'normal' })
    for (const p of params) for (const v of [...toFlat(p.W), ...toFlat(p.b)]) expect(Math.abs(v)).toBe(0)
  })
})
