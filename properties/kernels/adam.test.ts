/**
 * src/kernels/adam.ts's flat-optimiser record: `adamFlat.init` zeroes exactly the two moments'
 * stretch, and `adamFlat.stepInto` is `adamStepInto` with the step's constants, bit for bit.
 * (The step itself against the checked optimiser and a scalar transcription: properties/optim.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { adamFlat, adamStepConstants, adamStepInto } from '../../src/kernels/adam.js'
import { dense } from '../../src/kernels/dense.js'
import { identity } from '../../src/nn/activation.js'

const hyper = { learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, rescaleGrad: 0.125 }
const values = (n: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })

describe('adamFlat', () => {
  it('names itself and keeps two state slots (m, v) per parameter', () => {
    expect(adamFlat.name).toBe('adam')
    expect(adamFlat.slotsPerParameter).toBe(2)
  })

  it('init writes zeros into the 2·size entries of the state and nothing else', () =>
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.nat(4), (size, off) => {
        const a = new Float64Array(off + 2 * size + 3).fill(7)
        adamFlat.init(size, { data: a, off })
        expect(Array.from(a)).toEqual([...Array(off).fill(7), ...Array(2 * size).fill(0), 7, 7, 7])
      }),
    ))

  it('stepInto is adamStepInto with adamStepConstants(hyper, count), bit for bit', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((size) => fc.tuple(fc.constant(size), values(size), values(3 * size), fc.nat(100))), ([size, grad, block, count]) => {
        const want = new Float64Array(3 * size)
        adamStepInto(adamStepConstants(hyper, count), size, { data: Float64Array.from(grad), off: 0 }, { data: Float64Array.from(block), off: 0 }, { data: want, off: 0 })
        const got = new Float64Array(3 * size)
        adamFlat.stepInto(hyper, { count, size }, { data: Float64Array.from(grad), off: 0 }, { data: Float64Array.from(block), off: 0 }, { data: got, off: 0 })
        expect(got).toEqualBits(want)
      }),
    ))
})

describe('the dense layer kind', () => {
  it('names itself and counts W (inputs x units) and b (units)', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 50 }), (inputs, units) => {
        expect(dense.name).toBe('dense')
        expect(dense.paramCount(inputs, { units, activation: identity })).toBe(inputs * units + units)
      }),
    ))
})
