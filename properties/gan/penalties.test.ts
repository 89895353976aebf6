/**
 * The gradient penalties in the GAN's D step: WGAN-GP's `λ·Σ_i (‖∇_x D(x̂_i)‖ − 1)²` at the
 * interpolates `x̂_i = ε_i·x_i + (1 − ε_i)·G(z_i)` (objective `wasserstein-gp`) and R1's
 * `(γ/2)·Σ_i ‖∇_x D(x_i)‖²` at the real rows (config `penalty`), on top of the objective.
 * The loss D's step reports equals an independent per-row transcription (the oracle's
 * forward and input-gradient passes), and the gradient it applies equals central differences
 * of that transcription as a function of every parameter of D. (The kernel's own properties,
 * on random networks of every activation: properties/kernels/gradient-penalty.test.ts.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { initialState, runData } from '../../src/gan/state.js'
import { trainEpoch, trainIteration } from '../../src/gan/train.js'
import { discriminatorLossAndGradient, updateD } from '../../src/gan/update.js'
import { type Matrix, fromArrays, fromFlat, gatherRows, toArrays, toFlat } from '../../src/matrix/index.js'
import type { NetworkParams } from '../../src/nn/network.js'
import { paramViews } from '../../src/nn/blocks.js'
import { paramCount } from '../../src/kernels/network.js'
import { normalMatrix } from '../../src/random/normal.js'
import { permutation } from '../../src/random/permutation.js'
import { uniforms } from '../../src/random/rng.js'
import { leaves } from '../../src/tree/param-tree.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { type OracleLayer, oracleInputGradient, oracleOutput, oracleSample } from '../support/oracle.js'
import { dataWidth } from '../../src/gan/data.js'

const layersOf = (params: NetworkParams, spec: GanConfig['discriminator']): OracleLayer[] =>
  params.map((p, l) => ({ W: toArrays(p.W), b: toArrays(p.b)[0]!, activation: spec.layers[l]!.activation as OracleLayer['activation'] }))

const norm = (g: number[]): number => Math.sqrt(g.reduce((s, v) => s + v * v, 0))

/**
 * D's total loss per the papers, row by row: the Wasserstein (or the seed's) objective, plus
 * λ·(‖∇D(x̂_i)‖ − 1)² and (γ/2)·‖∇D(x_i)‖².
 */
const oracleLossD = (config: GanConfig, G: OracleLayer[], D: OracleLayer[], X: number[][], Z: number[][], eps: number[] | null): number => {
  let loss = 0
  for (let i = 0; i < X.length; i++) {
    const x = X[i]!
    const f = oracleSample(G, Z[i]!)
    loss += oracleOutput(D, f) - oracleOutput(D, x)
    if (config.objective?.kind === 'wasserstein-gp') {
      const e = eps![i]!
      const hat = x.map((xj, j) => e * xj + (1 - e) * f[j]!)
      loss += config.objective.lambda * (norm(oracleInputGradient(D, hat)) - 1) ** 2
    }
    if (config.penalty !== undefined) loss += (config.penalty.gamma / 2) * norm(oracleInputGradient(D, x)) ** 2
  }
  return loss
}

const cases = fc
  .tuple(ganConfig, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.option(fc.double({ min: 0.1, max: 20, noNaN: true }), { nil: undefined }), fc.double({ min: 0.1, max: 20, noNaN: true }))
  .chain(([base, n, gp, gamma, lambda]) => {
    const config: GanConfig = {
      ...base,
      objective: gp ? { kind: 'wasserstein-gp', lambda } : { kind: 'wasserstein', clip: 1e300 },
      ...(gamma === undefined ? {} : { penalty: { kind: 'r1' as const, gamma } }),
    }
    return fc.record({
      config: fc.constant(config),
      X: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      Z: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
      eps: gp ? fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((e) => fromFlat(n, 1, e)) : fc.constant(undefined),
    })
  })

describe('gradient penalties in D\'s step', () => {
  it('the reported loss is the per-row transcription, and the gradient is central differences of it for every parameter of D', () =>
    fc.assert(
      fc.property(cases, ({ config, X, Z, eps }) => {
        const state = initialState(config)
        const G = layersOf(state.generator, config.generator)
        const D = layersOf(state.discriminator, config.discriminator)
        const e = eps === undefined ? null : toFlat(eps)
        const want = oracleLossD(config, G, D, toArrays(X), toArrays(Z), e)
        const { loss, gradient } = discriminatorLossAndGradient(state, X, Z, eps === undefined ? {} : { interpolation: eps })
        expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)))
        const spec = { inputSize: dataWidth(config.data), layers: config.discriminator.layers }
        const P = paramCount(spec.layers, spec.inputSize)
        const flat = (params: NetworkParams): Matrix => fromFlat(1, P, leaves(params as never).flatMap((m) => toFlat(m)))
        const f = (theta: Matrix): number =>
          oracleLossD(config, G, layersOf(paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(theta)), 0), config.discriminator), toArrays(X), toArrays(Z), e)
        expectGradientClose('d(loss_D + penalties)/dD', f, flat(state.discriminator), flat(gradient))
      }),
      { numRuns: 80 },
    ))

  it('updateD applies it, and trainEpoch equals trainIteration group by group with the interpolation weights drawn after each noise', () =>
    fc.assert(
      fc.property(cases, fc.integer({ min: 1, max: 3 }), ({ config }, critic) => {
        const c = { ...config, criticSteps: critic, batchSize: 3 }
        const data = runData(c)
        const s0 = initialState(c)
        const [report, fast] = trainEpoch(s0, data)
        const [order, rng] = permutation(s0.rng, data.rows)
        let s: GanState = { ...s0, rng }
        let group: Matrix[] = []
        let sumD = 0
        for (let start = 0; start < data.rows; start += 3) {
          group.push(gatherRows(data, order.slice(start, Math.min(start + 3, data.rows))))
          if (group.length < critic && start + 3 < data.rows) continue
          const [losses, next] = trainIteration(s, group)
          sumD += losses.lossD
          s = next
          group = []
        }
        expect(Object.is(report.lossD, sumD / data.rows)).toBe(true)
        expect(JSON.stringify(leaves(fast.discriminator as never).map((m) => Array.from(m.data)))).toBe(
          JSON.stringify(leaves(s.discriminator as never).map((m) => Array.from(m.data))),
        )
        expect(fast.rng.state).toEqual(s.rng.state)
      }),
      { numRuns: 30 },
    ))

  it('trainIteration draws each minibatch\'s interpolation weights from the PRNG right after its noise', () => {
    const config: GanConfig = { ...fc.sample(cases, { seed: 3, numRuns: 1 })[0]!.config, objective: { kind: 'wasserstein-gp', lambda: 10 } }
    const s0 = initialState(config)
    const real = gatherRows(runData(config), [0, 1])
    const [z, r1] = normalMatrix(s0.rng, 2, config.latentDim)
    const [eps, r2] = uniforms(r1, 2)
    const [lossD, s1] = updateD({ ...s0, rng: r2 }, real, z, { interpolation: fromFlat(2, 1, Array.from(eps)) })
    const [losses, after] = trainIteration(s0, [real])
    expect(losses.lossD).toBe(lossD)
    expect(toArrays(after.discriminator[0]!.W)).toEqual(toArrays(s1.discriminator[0]!.W))
  })

  it('interpolation weights are required with wasserstein-gp, refused without it, and must be (n x 1) in [0, 1]', () => {
    const base = fc.sample(cases, { seed: 5, numRuns: 1 })[0]!.config
    const gp = initialState({ ...base, objective: { kind: 'wasserstein-gp', lambda: 10 } })
    const { penalty: _r1, ...withoutR1 } = base
    const plain = initialState({ ...withoutR1, objective: { kind: 'hinge' } })
    const real = gatherRows(runData(base), [0, 1])
    const [z] = normalMatrix(gp.rng, 2, base.latentDim)
    expect(() => updateD(gp, real, z)).toThrow(new RangeError('updateD: the wasserstein-gp objective needs the interpolation weights ε (2x1, each in [0, 1])'))
    expect(() => updateD(plain, real, z, { interpolation: fromArrays([[0.5], [0.5]]) })).toThrow(new RangeError('updateD: interpolation weights are taken only with the wasserstein-gp objective, not hinge'))
    expect(() => updateD(gp, real, z, { interpolation: fromArrays([[0.5, 0.5]]) })).toThrow('updateD: the interpolation weights must be (2x1), one per input row of D, got (1x2)')
    expect(() => updateD(gp, real, z, { interpolation: fromArrays([[0.5], [1.5]]) })).toThrow(new RangeError('updateD: every interpolation weight must be in [0, 1], got 1.5 at row 1'))
    expect(() => updateD(gp, real, z, { interpolation: fromArrays([[Number.NaN], [0]]) })).toThrow(new RangeError('updateD: every interpolation weight must be in [0, 1], got NaN at row 0'))
  })
})
