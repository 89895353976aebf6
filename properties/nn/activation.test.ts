import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, toFlat } from '../../src/matrix/index.js'
import {
  Activation,
  activate,
  activationBackward,
  assertActivation,
  identity,
  leakyRelu,
  relu,
  sigmoid,
  tanh,
} from '../../src/nn/activation.js'
import { finiteDouble, matrix } from '../support/arbitraries.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import { activation, kinkFreeMatrix } from '../support/network-arbitraries.js'
import * as elementary from '../../src/elementary/index.js'

/** A kink-free input with a projection of its shape. */
const inputAndProjection = fc
  .tuple(kinkFreeMatrix(6), fc.array(finiteDouble({ min: -1, max: 1 }), { minLength: 36, maxLength: 36 }))
  .map(([x, cs]) => [x, fromFlat(x.rows, x.cols, cs.slice(0, x.rows * x.cols))] as const)

const copy = (m: Matrix): Matrix => fromFlat(m.rows, m.cols, toFlat(m))

describe('activation gradients', () => {
  it('activationBackward equals central differences of <c, activate(a, x)> (|x| > 1e-3)', () => {
    fc.assert(
      fc.property(activation, inputAndProjection, (a, [x, c]) => {
        const y = activate(a, x)
        const f = (x1: Matrix): number => frobeniusInner(c, activate(a, x1))
        expectGradientClose(`${a.kind} dx`, f, x, activationBackward(a, x, y, c))
      }),
    )
  })

  it('relu and leaky relu take the left slope at exactly 0 (0 and alpha)', () => {
    const x = fromArrays([[0, -0]])
    const dy = fromArrays([[3, 3]])
    expect(toFlat(activationBackward(relu, x, activate(relu, x), dy))).toEqual([0, 0])
    const lr = leakyRelu(0.2)
    expect(toFlat(activationBackward(lr, x, activate(lr, x), dy))).toEqual([0.2 * 3, 0.2 * 3])
  })
})

describe('activation forward', () => {
  it('matches the textbook definitions', () => {
    fc.assert(
      fc.property(matrix(6, { min: -30, max: 30 }), (x) => {
        const xs = toFlat(x)
        const expectAll = (a: Activation, ref: (v: number) => number, relTol: number): void => {
          const ys = toFlat(activate(a, x))
          ys.forEach((v, i) => {
            const r = ref(xs[i] as number)
            if (!(Math.abs(v - r) <= relTol * Math.abs(r))) throw new Error(`${a.kind}(${xs[i]}) = ${v}, expected ${r}`)
          })
        }
        expectAll(identity, (v) => v, 0)
        // tanh and exp are the library's own (src/elementary, each within 1 ulp of the exact
        // value: properties/elementary); the engine's Math.tanh differs from them by up to 2 ulp.
        expectAll(tanh, elementary.tanh, 0)
        expectAll(sigmoid, (v) => 1 / (1 + elementary.exp(-v)), 4e-16 * 4)
        expectAll(relu, (v) => Math.max(v, 0), 0)
        expectAll(leakyRelu(0.1), (v) => (v < 0 ? 0.1 * v : v), 0)
      }),
    )
  })

  it('sigmoid is finite, in [0, 1], and keeps small outputs accurate for any finite x', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const y = activate(sigmoid, fromArrays([[v]])).data[0] as number
        expect(y >= 0 && y <= 1).toBe(true)
        // Symmetry sigmoid(-v) = 1 - sigmoid(v), exact for the larger of the two.
        const yNeg = activate(sigmoid, fromArrays([[-v]])).data[0] as number
        expect(Math.abs(y + yNeg - 1)).toBeLessThanOrEqual(2.3e-16)
      }),
    )
    const at = (v: number): number => activate(sigmoid, fromArrays([[v]])).data[0] as number
    expect(at(-40) / Math.exp(-40)).toBeCloseTo(1, 14)
    expect(at(-700) / Math.exp(-700)).toBeCloseTo(1, 14)
    expect(at(-1e300)).toBe(0)
    expect(at(1e300)).toBe(1)
    expect(at(-Number.MAX_VALUE)).toBe(0)
    expect(at(Number.MAX_VALUE)).toBe(1)
  })

  it('an activation is plain JSON data', () => {
    fc.assert(
      fc.property(activation, (a) => {
        expect(JSON.parse(JSON.stringify(a))).toEqual(a)
        const x = fromArrays([[-2, -0.5, 0, 0.5, 2]])
        expect(activate(JSON.parse(JSON.stringify(a)) as Activation, x)).toEqualBits(activate(a, x))
      }),
    )
    expect(Activation.leakyRelu()).toEqual({ kind: 'leakyRelu', alpha: 0.01 })
    expect(Activation.identity).toBe(identity)
  })

  it('rejects invalid activations', () => {
    expect(() => leakyRelu(Number.NaN)).toThrow(RangeError)
    expect(() => assertActivation('op', 'layer 0', { kind: 'softmax' })).toThrow(/op: layer 0 is not an activation/)
    expect(() => assertActivation('op', 'layer 0', { kind: 'leakyRelu', alpha: 'x' })).toThrow(RangeError)
    expect(() => activate({ kind: 'swish' } as unknown as Activation, fromArrays([[1]]))).toThrow(TypeError)
  })
})

describe('purity and shapes', () => {
  it('never writes to its inputs', () => {
    fc.assert(
      fc.property(activation, inputAndProjection, (a, [x, dy]) => {
        const y = activate(a, x)
        const [x0, y0, dy0] = [copy(x), copy(y), copy(dy)]
        activate(a, x)
        activationBackward(a, x, y, dy)
        expect(x).toEqualBits(x0)
        expect(y).toEqualBits(y0)
        expect(dy).toEqualBits(dy0)
      }),
    )
  })

  it('activationBackward names all three shapes when they differ', () => {
    const x = fromArrays([[1, 2]])
    expect(() => activationBackward(tanh, x, x, fromArrays([[1], [2]]))).toThrow(ShapeError)
    expect(() => activationBackward(tanh, x, x, fromArrays([[1], [2]]))).toThrow(/activationBackward: .*\(1x2\).*\(1x2\).*\(2x1\)/)
  })
})
