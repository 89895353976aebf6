/**
 * The seed GAN's step against an independent, loop-by-loop transcription of SEED.md's
 * equations (properties/support/oracle.ts), on random architectures (every activation),
 * data, batches, weights and optimiser states.
 *
 * Tolerance: relative 1e-12 of each quantity's natural scale. A sum with cancellation is
 * only as accurate as the sum of the absolute values of its terms, so each gradient entry is
 * compared relative to that magnitude (which the oracle computes alongside, running the same
 * backward pass on absolute values, starting from |sigmoid(z)| + |y| for the subtraction
 * sigmoid(z) − y that SEED.md's formula performs); and Adam is compared on the same gradient, because its
 * step m/(sqrt(v) + eps) amplifies a gradient's last-bit differences by up to 1/eps when the
 * gradient is near eps (two correct implementations summing in different orders then differ
 * visibly: that is conditioning, not error). Together with the bit-exact check in
 * gan/update.test.ts that updateD/updateG apply exactly the gradient they compute, this
 * checks the whole step.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type GanState,
  discriminatorLossAndGradient,
  generatorLossAndGradient,
  initialState,
  runData,
  trainEpoch,
  updateD,
  updateG,
} from '../src/gan/index.js'
import { type Matrix, toArrays } from '../src/matrix/index.js'
import type { NetworkParams } from '../src/nn/network.js'
import type { AdamState } from '../src/optim/adam.js'
import type { OptimizerState } from '../src/optim/choice.js'
import { matrixOfShape } from './support/arbitraries.js'
import { anyActivation, ganConfigWith } from './support/gan-arbitraries.js'
import { type OracleAdam, type OracleGrads, type OracleLayer, oracleAdam, oracleGradD, oracleGradG } from './support/oracle.js'
import { oracleHinge, oracleLeastSquares, oracleMinimax, oracleNonsaturating, oracleWasserstein } from './support/oracle-objectives.js'
import { dataWidth } from '../src/gan/data.js'

const REL = 1e-12

/**
 * Below 2^-1022 doubles are subnormal and a rounding's error is up to half of the smallest
 * one (2^-1075) whatever the value's size, so no relative bound holds there: a least-squares
 * loss whose terms underflow (a label near 1e-166 squared) differs by one subnormal ulp when
 * the two sides round `½(z − b)²` in another order. Each compared quantity is a handful of
 * roundings; 4 subnormal ulps covers them and is invisible above the subnormal range.
 */
const SUBNORMAL = 4 * Number.MIN_VALUE

const layersOf = (params: NetworkParams, spec: GanState['config']['generator']): OracleLayer[] =>
  params.map((p, l) => ({ W: toArrays(p.W), b: toArrays(p.b)[0]!, activation: spec.layers[l]!.activation as OracleLayer['activation'] }))

const gradsOf = (params: NetworkParams): OracleGrads => params.map((p) => ({ W: toArrays(p.W), b: toArrays(p.b)[0]! }))

const adamOf = (state: OptimizerState): OracleAdam => {
  const s = state as AdamState
  return {
    count: s.count,
    m: gradsOf(s.m as unknown as ReadonlyArray<{ W: Matrix; b: Matrix }>),
    v: gradsOf(s.v as unknown as ReadonlyArray<{ W: Matrix; b: Matrix }>),
  }
}

const flat = (g: OracleGrads): number[] => g.flatMap((x) => [...x.W.flat(), ...x.b])

/** |actual − expected| <= REL · scale, entry by entry. */
const expectWithin = (what: string, actual: ReadonlyArray<number>, expected: ReadonlyArray<number>, scale: ReadonlyArray<number>): void => {
  expect(actual.length, what).toBe(expected.length)
  actual.forEach((a, i) => {
    const e = expected[i]!
    const s = scale[i]!
    if (!(Math.abs(a - e) <= REL * s + SUBNORMAL)) throw new Error(`${what}[${i}]: pure-gan ${a} vs oracle ${e}, difference ${Math.abs(a - e)} > ${REL} x scale ${s} + ${SUBNORMAL}`)
  })
}

/** A random state, fresh or after one epoch (3 steps) so that the Adam moments are not zero. */
const scenario = fc
  .tuple(ganConfigWith(anyActivation), fc.boolean(), fc.integer({ min: 1, max: 5 }))
  .chain(([config, warm, n]) => {
    const s0 = initialState(config)
    const state = warm ? trainEpoch(s0, runData(config))[1] : s0
    return fc.record({
      state: fc.constant(state),
      X: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      Z: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
    })
  })

/** Compares an Adam step of pure-gan (`next`, `nextOpt`) with the oracle's on the same gradient. */
const checkAdam = (
  what: string,
  layers: OracleLayer[],
  gradient: OracleGrads,
  before: OracleAdam,
  hyper: { lr: number; beta1: number; beta2: number; epsilon: number },
  n: number,
  next: OracleGrads,
  nextOpt: OracleAdam,
  clip: number | null = null,
): void => {
  const o = oracleAdam(layers, gradient, before, hyper, n)
  const clamp = (w: number): number => (clip === null ? w : Math.min(clip, Math.max(-clip, w)))
  const g = flat(gradient).map((x) => x / n)
  const m0 = flat(before.m)
  const v0 = flat(before.v)
  const m1 = flat(o.adam.m)
  const v1 = flat(o.adam.v)
  expectWithin(`${what} m`, flat(nextOpt.m), m1, m0.map((m, i) => hyper.beta1 * Math.abs(m) + (1 - hyper.beta1) * Math.abs(g[i]!)))
  expectWithin(`${what} v`, flat(nextOpt.v), v1, v0.map((v, i) => hyper.beta2 * v + (1 - hyper.beta2) * g[i]! * g[i]!))
  const w0 = layers.flatMap((l) => [...l.W.flat(), ...l.b])
  expectWithin(`${what} parameters`, flat(next), flat(o.layers).map(clamp), w0.map((w, i) => Math.abs(w) + (o.lrT * Math.abs(m1[i]!)) / (Math.sqrt(v1[i]!) + hyper.epsilon)))
  expect(nextOpt.count).toBe(o.adam.count)
}

describe('the seed GAN step against an independent scalar oracle', () => {
  it('update_D: the summed loss and the gradient for every D parameter agree to 1e-12 of their scale', () => {
    fc.assert(
      fc.property(scenario, ({ state, X, Z }) => {
        const c = state.config
        const oracle = oracleGradD(layersOf(state.generator, c.generator), layersOf(state.discriminator, c.discriminator), toArrays(X), toArrays(Z))
        const { loss, gradient } = discriminatorLossAndGradient(state, X, Z)
        expectWithin('loss_D', [loss], [oracle.loss], [oracle.lossMag])
        expectWithin('dLoss_D/dD', flat(gradsOf(gradient)), flat(oracle.grads), flat(oracle.mags))
      }),
    )
  })

  it('update_G: the summed loss and the gradient for every G parameter, through D, agree to 1e-12 of their scale', () => {
    fc.assert(
      fc.property(scenario, ({ state, Z }) => {
        const c = state.config
        const oracle = oracleGradG(layersOf(state.generator, c.generator), layersOf(state.discriminator, c.discriminator), toArrays(Z))
        const { loss, gradient } = generatorLossAndGradient(state, Z)
        expectWithin('loss_G', [loss], [oracle.loss], [oracle.lossMag])
        expectWithin('dLoss_G/dG', flat(gradsOf(gradient)), flat(oracle.grads), flat(oracle.mags))
      }),
    )
  })

  it("updateD's and updateG's Adam steps agree with the oracle's Adam (Gluon, rescale 1/n) on the same gradient", () => {
    fc.assert(
      fc.property(scenario, ({ state, X, Z }) => {
        const c = state.config
        const n = Z.rows
        const D = layersOf(state.discriminator, c.discriminator)
        const [, sD] = updateD(state, X, Z)
        const gD = gradsOf(discriminatorLossAndGradient(state, X, Z).gradient)
        checkAdam('D', D, gD, adamOf(state.optimizerD), { lr: c.learningRateD, ...c.adam }, n, gradsOf(sD.discriminator), adamOf(sD.optimizerD))
        const G = layersOf(state.generator, c.generator)
        const [, sG] = updateG(state, Z)
        const gG = gradsOf(generatorLossAndGradient(state, Z).gradient)
        checkAdam('G', G, gG, adamOf(state.optimizerG), { lr: c.learningRateG, ...c.adam }, n, gradsOf(sG.generator), adamOf(sG.optimizerG))
      }),
    )
  })
})

/** Every objective a config names, with random options, and its oracle transcription. */
const objectives = fc.oneof(
  fc.constant([{ kind: 'nonsaturating' }, oracleNonsaturating] as const),
  fc.constant([{ kind: 'minimax' }, oracleMinimax] as const),
  fc
    .tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }))
    .map(([a, b, c]) => [{ kind: 'least-squares', a, b, c }, oracleLeastSquares(a, b, c)] as const),
  fc.constant([{ kind: 'hinge' }, oracleHinge] as const),
  fc.double({ min: 0.05, max: 2, noNaN: true }).map((clip) => [{ kind: 'wasserstein', clip }, oracleWasserstein] as const),
)

describe('every objective against the oracle, over several steps', () => {
  const run = fc
    .tuple(ganConfigWith(anyActivation), objectives, fc.integer({ min: 1, max: 4 }))
    .chain(([base, [spec, oracle], n]) => {
      const config = { ...base, objective: spec } as GanState['config']
      const batch = fc.record({
        X: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
        Z: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
      })
      return fc.record({ config: fc.constant(config), oracle: fc.constant(oracle), batches: fc.array(batch, { minLength: 3, maxLength: 3 }) })
    })

  it('three iterations of updateD then updateG: each loss, gradient and Adam step (clipped for WGAN) agrees with the oracle', () => {
    fc.assert(
      fc.property(run, ({ config, oracle, batches }) => {
        const c = config
        const clip = c.objective?.kind === 'wasserstein' ? c.objective.clip : null
        let state = initialState(config)
        for (const { X, Z } of batches) {
          const n = Z.rows
          const G = layersOf(state.generator, c.generator)
          const D = layersOf(state.discriminator, c.discriminator)
          const od = oracleGradD(G, D, toArrays(X), toArrays(Z), oracle)
          const d = discriminatorLossAndGradient(state, X, Z)
          expectWithin(`${oracle.name} loss_D`, [d.loss], [od.loss], [od.lossMag])
          expectWithin(`${oracle.name} dLoss_D/dD`, flat(gradsOf(d.gradient)), flat(od.grads), flat(od.mags))
          const [lossD, s1] = updateD(state, X, Z)
          expect(lossD).toBe(d.loss)
          checkAdam(`${oracle.name} D`, D, gradsOf(d.gradient), adamOf(state.optimizerD), { lr: c.learningRateD, ...c.adam }, n, gradsOf(s1.discriminator), adamOf(s1.optimizerD), clip)
          const D1 = layersOf(s1.discriminator, c.discriminator)
          const og = oracleGradG(G, D1, toArrays(Z), oracle)
          const g = generatorLossAndGradient(s1, Z)
          expectWithin(`${oracle.name} loss_G`, [g.loss], [og.loss], [og.lossMag])
          expectWithin(`${oracle.name} dLoss_G/dG`, flat(gradsOf(g.gradient)), flat(og.grads), flat(og.mags))
          const [lossG, s2] = updateG(s1, Z)
          expect(lossG).toBe(g.loss)
          checkAdam(`${oracle.name} G`, G, gradsOf(g.gradient), adamOf(s1.optimizerG), { lr: c.learningRateG, ...c.adam }, n, gradsOf(s2.generator), adamOf(s2.optimizerG))
          state = s2
        }
      }),
      { numRuns: 60 },
    )
  })
})
