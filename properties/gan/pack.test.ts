/**
 * PacGAN's packing (config `pack`, Lin et al. 2018): D's input row is `pack` consecutive
 * rows of the minibatch concatenated, reals with reals and fakes with fakes. The losses D's
 * and G's steps report equal a transcription that builds the packs explicitly and runs the
 * oracle's per-row networks on them, under every objective; their gradients equal central
 * differences of that transcription for every parameter; the optimiser steps on the mean
 * per pack; and configs whose pack does not divide a minibatch are refused.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type GanConfig, seedConfig, validateConfig } from '../../src/gan/config.js'
import { initialState } from '../../src/gan/state.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, updateD } from '../../src/gan/update.js'
import { paramCount } from '../../src/kernels/network.js'
import { type Matrix, fromArrays, fromFlat, toArrays, toFlat } from '../../src/matrix/index.js'
import { paramViews } from '../../src/nn/blocks.js'
import type { NetworkParams } from '../../src/nn/network.js'
import { adam } from '../../src/optim/adam.js'
import type { AdamState } from '../../src/optim/adam.js'
import { leaves } from '../../src/tree/param-tree.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { type OracleLayer, oracleOutput, oracleSample } from '../support/oracle.js'
import { type OracleObjective, oracleHinge, oracleLeastSquares, oracleMinimax, oracleNonsaturating, oracleWasserstein } from '../support/oracle-objectives.js'
import { dataWidth } from '../../src/gan/data.js'

const layersOf = (params: NetworkParams, spec: GanConfig['discriminator']): OracleLayer[] =>
  params.map((p, l) => ({ W: toArrays(p.W), b: toArrays(p.b)[0]!, activation: spec.layers[l]!.activation as OracleLayer['activation'] }))

/** The rows in packs of `m`: pack `p` is rows `p·m .. p·m + m − 1` concatenated. */
const packs = (rows: number[][], m: number): number[][] => Array.from({ length: rows.length / m }, (_, p) => rows.slice(p * m, p * m + m).flat())

const oracleLossD = (o: OracleObjective, G: OracleLayer[], D: OracleLayer[], X: number[][], Z: number[][], m: number): number => {
  const fake = packs(Z.map((z) => oracleSample(G, z)), m)
  return packs(X, m).reduce((sum, x, p) => {
    const t = o.d(oracleOutput(D, x), oracleOutput(D, fake[p]!))
    return sum + t.real.loss + t.fake.loss
  }, 0)
}

const oracleLossG = (o: OracleObjective, G: OracleLayer[], D: OracleLayer[], Z: number[][], m: number): number =>
  packs(Z.map((z) => oracleSample(G, z)), m).reduce((sum, f) => sum + o.g(oracleOutput(D, f)).loss, 0)

const objectives = fc.constantFrom<readonly [NonNullable<GanConfig['objective']>, OracleObjective]>(
  [{ kind: 'nonsaturating' }, oracleNonsaturating],
  [{ kind: 'minimax' }, oracleMinimax],
  [{ kind: 'least-squares', a: 0, b: 1, c: 1 }, oracleLeastSquares(0, 1, 1)],
  [{ kind: 'hinge' }, oracleHinge],
  [{ kind: 'wasserstein', clip: 1e300 }, oracleWasserstein],
)

const cases = fc.tuple(ganConfig, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), objectives).chain(([base, m, k, [objective, oracle]]) => {
  const n = m * k
  const config: GanConfig = { ...base, batchSize: n, pack: m, objective }
  return fc.record({
    config: fc.constant(config),
    oracle: fc.constant(oracle),
    X: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
    Z: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
  })
})

const flatOf = (params: NetworkParams): Matrix => {
  const values = leaves(params as never).flatMap((mat) => toFlat(mat))
  return fromFlat(1, values.length, values)
}

describe('packing', () => {
  it("D's loss is the packed transcription's, and its gradient central differences of it for every parameter of D", () =>
    fc.assert(
      fc.property(cases, ({ config, oracle, X, Z }) => {
        const s = initialState(config)
        const m = config.pack!
        const G = layersOf(s.generator, config.generator)
        const dSpec = { inputSize: m * dataWidth(config.data), layers: config.discriminator.layers }
        const lossOf = (d: NetworkParams) => oracleLossD(oracle, G, layersOf(d, config.discriminator), toArrays(X), toArrays(Z), m)
        const want = lossOf(s.discriminator)
        const { loss, gradient } = discriminatorLossAndGradient(s, X, Z)
        expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)))
        const f = (theta: Matrix) => lossOf(paramViews(dSpec.layers, dSpec.inputSize, Float64Array.from(toFlat(theta)), 0))
        expectGradientClose('dLoss_D/dD with packing', f, flatOf(s.discriminator), flatOf(gradient))
      }),
      { numRuns: 60 },
    ))

  it("G's loss goes through D on packs of fakes, and its gradient is central differences of it for every parameter of G", () =>
    fc.assert(
      fc.property(cases, ({ config, oracle, Z }) => {
        const s = initialState(config)
        const m = config.pack!
        const D = layersOf(s.discriminator, config.discriminator)
        const gSpec = { inputSize: config.latentDim, layers: config.generator.layers }
        const lossOf = (g: NetworkParams) => oracleLossG(oracle, layersOf(g, config.generator), D, toArrays(Z), m)
        const { loss, gradient } = generatorLossAndGradient(s, Z)
        expect(Math.abs(loss - lossOf(s.generator))).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(loss)))
        const f = (theta: Matrix) => lossOf(paramViews(gSpec.layers, gSpec.inputSize, Float64Array.from(toFlat(theta)), 0))
        expectGradientClose('dLoss_G/dG with packing', f, flatOf(s.generator), flatOf(gradient))
      }),
      { numRuns: 60 },
    ))

  it('D is (pack · width) wide, and its optimiser steps on the mean per pack (rescaled by pack / rows)', () =>
    fc.assert(
      fc.property(cases, ({ config, X, Z }) => {
        const s = initialState(config)
        const m = config.pack!
        expect(s.discriminator[0]!.W.rows).toBe(m * dataWidth(config.data))
        expect(paramCount(config.discriminator.layers, m * dataWidth(config.data))).toBe(leaves(s.discriminator as never).reduce((t, mat) => t + mat.data.length, 0))
        const [, next] = updateD(s, X, Z)
        const { gradient } = discriminatorLossAndGradient(s, X, Z)
        const [d] = adam({ learningRate: config.learningRateD, ...config.adam, rescaleGrad: 1 / (Z.rows / m) }).step(s.optimizerD as AdamState, s.discriminator, gradient)
        expect(leaves(next.discriminator as never).map((mat) => Array.from(mat.data))).toEqual(leaves(d as never).map((mat) => Array.from(mat.data)))
      }),
      { numRuns: 30 },
    ))

  it('a pack that does not divide every minibatch is refused, naming the sizes; a batch not a multiple of it is a ShapeError', () => {
    const problems = (c: unknown) => {
      const r = validateConfig(c)
      return E.isLeft(r) ? r.left : []
    }
    expect(problems({ ...seedConfig, pack: 3 })).toEqual(["pack must divide batchSize (8): each of D's input rows is a whole pack, got 3"])
    expect(problems({ ...seedConfig, pack: 16 })).toEqual(["pack must divide batchSize (8): each of D's input rows is a whole pack, got 16"])
    expect(problems({ ...seedConfig, data: { ...seedConfig.data, size: 1002 }, pack: 4 })).toEqual([
      "pack must divide the last minibatch's rows too (data.size 1002 mod batchSize 8 = 2), got 4",
    ])
    expect(problems({ ...seedConfig, data: { ...seedConfig.data, size: 1002 }, pack: 2 })).toEqual([])
    expect(problems({ ...seedConfig, pack: 0 })).toEqual(['pack must be an integer in 1..64, got 0'])
    expect(problems({ ...seedConfig, pack: 65 })).toEqual(['pack must be an integer in 1..64, got 65'])
    const s = initialState({ ...seedConfig, pack: 2 })
    const X = fromArrays([[0, 0], [1, 1], [2, 2]])
    const Z = fromArrays([[0, 0], [1, 1], [2, 2]])
    expect(() => updateD(s, X, Z)).toThrow("updateD: with pack 2, the minibatch's rows must be a multiple of 2 (each of D's input rows is a whole pack), got 3")
  })
})
