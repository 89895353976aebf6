import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, bitEqual, toFlat, zeros } from '../../src/matrix/index.js'
import { identity, tanh } from '../../src/nn/activation.js'
import type { DenseParams } from '../../src/nn/dense.js'
import { initNetwork } from '../../src/nn/init.js'
import { type NetworkParams, type NetworkSpec, forward, paramShapes } from '../../src/nn/network.js'
import { normalMatrix } from '../../src/random/normal.js'
import { type Rng, rngFromSeed } from '../../src/random/rng.js'
import { networkCase } from '../support/network-arbitraries.js'

const seed = fc.integer({ min: 0, max: 0xffffffff })
// dense networks, and networks with maxout layers (W (d x units·pieces) drawn as one matrix, row-major)
const specOf = fc.oneof(networkCase(), networkCase({ maxPieces: 4 })).map(({ spec }) => spec)
const biasInit = fc.constantFrom('zeros' as const, 'normal' as const)

const sameParams = (a: NetworkParams, b: NetworkParams): boolean =>
  a.length === b.length && a.every((p, l) => bitEqual(p.W, (b[l] as DenseParams).W) && bitEqual(p.b, (b[l] as DenseParams).b))

const stats = (m: Matrix): { mean: number; std: number } => {
  const xs = toFlat(m)
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length
  const variance = xs.reduce((s, v) => s + (v - mean) * (v - mean), 0) / (xs.length - 1)
  return { mean, std: Math.sqrt(variance) }
}

describe('initNetwork', () => {
  it('gives parameters of the shapes the spec asks for, accepted by forward', () => {
    fc.assert(
      fc.property(specOf, seed, biasInit, (spec, s, bi) => {
        const [params] = initNetwork(spec, rngFromSeed(s), { biasInit: bi })
        expect(params.map((p) => ({ W: [p.W.rows, p.W.cols], b: [p.b.rows, p.b.cols] }))).toEqual(paramShapes(spec))
        forward(spec, params, normalMatrix(rngFromSeed(s), 3, spec.inputSize)[0])
      }),
    )
  })

  it('keeps every bias exactly +0 by default', () => {
    fc.assert(
      fc.property(specOf, seed, (spec, s) => {
        const [params] = initNetwork(spec, rngFromSeed(s))
        for (const p of params) for (const v of toFlat(p.b)) expect(Object.is(v, 0)).toBe(true)
      }),
    )
  })

  it('is deterministic: the same spec and rng give the same params and the same next rng; the rng is not changed', () => {
    fc.assert(
      fc.property(specOf, seed, biasInit, (spec, s, bi) => {
        const rng = rngFromSeed(s)
        const before = JSON.stringify(rng)
        const [p1, r1] = initNetwork(spec, rng, { biasInit: bi })
        const [p2, r2] = initNetwork(spec, rng, { biasInit: bi })
        expect(sameParams(p1, p2)).toBe(true)
        expect(r1).toEqual(r2)
        expect(r1).not.toEqual(rng)
        expect(JSON.stringify(rng)).toBe(before)
      }),
    )
  })

  it('draws layer by layer, W before b, each with normalMatrix(rng, rows, cols, 0, weightStd)', () => {
    fc.assert(
      fc.property(specOf, seed, biasInit, fc.double({ min: 0, max: 2, noNaN: true }), (spec, s, bi, std) => {
        let r: Rng = rngFromSeed(s)
        const expected: DenseParams[] = []
        for (const shapes of paramShapes(spec)) {
          const [W, r1] = normalMatrix(r, shapes.W[0], shapes.W[1], 0, std)
          r = r1
          if (bi === 'normal') {
            const [b, r2] = normalMatrix(r, 1, shapes.b[1], 0, std)
            r = r2
            expected.push({ W, b })
          } else {
            expected.push({ W, b: zeros(1, shapes.b[1]) })
          }
        }
        const [params, next] = initNetwork(spec, rngFromSeed(s), { weightStd: std, biasInit: bi })
        expect(sameParams(params, expected)).toBe(true)
        expect(next).toEqual(r)
      }),
    )
  })

  it('draws weights from N(0, 0.02²): sample mean and std of a 200x200 layer', () => {
    const spec: NetworkSpec = { inputSize: 200, layers: [{ units: 200, activation: tanh }] }
    for (const s of [0, 1, 42]) {
      const [params] = initNetwork(spec, rngFromSeed(s))
      const { mean, std } = stats((params[0] as DenseParams).W)
      // 40000 draws: the sample std has a standard error of 0.02/sqrt(80000) = 7e-5 (0.35%),
      // the mean 0.02/200 = 1e-4; the bounds are about 5 standard errors.
      expect(Math.abs(std / 0.02 - 1)).toBeLessThan(0.02)
      expect(Math.abs(mean)).toBeLessThan(5e-4)
    }
  })

  it('draws biases from N(0, weightStd²) with biasInit normal', () => {
    const spec: NetworkSpec = { inputSize: 1, layers: [{ units: 20000, activation: identity }] }
    const [params] = initNetwork(spec, rngFromSeed(7), { weightStd: 1, biasInit: 'normal' })
    const { mean, std } = stats((params[0] as DenseParams).b)
    expect(Math.abs(std - 1)).toBeLessThan(0.03)
    expect(Math.abs(mean)).toBeLessThan(0.04)
  })

  it('rejects invalid options and specs', () => {
    const spec: NetworkSpec = { inputSize: 2, layers: [{ units: 1, activation: identity }] }
    expect(() => initNetwork(spec, rngFromSeed(0), { weightStd: -1 })).toThrow(/initNetwork: weightStd/)
    expect(() => initNetwork(spec, rngFromSeed(0), { weightStd: Number.NaN })).toThrow(RangeError)
    expect(() => initNetwork(spec, rngFromSeed(0), { biasInit: 'ones' as 'zeros' })).toThrow(/biasInit/)
    expect(() => initNetwork({ inputSize: 2, layers: [] }, rngFromSeed(0))).toThrow(RangeError)
  })
})
