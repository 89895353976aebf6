/**
 * Every config that validateConfig accepts, with extreme values in every numeric position
 * (learning rates, Adam's constants, the initial weights' scale, the data's A and b), trains
 * to finite numbers or stops with a NonFiniteError that keeps an all-finite state; and its
 * summary is finite or a NonFiniteSamplesError. A failure here means a limit is missing in
 * validateConfig (docs/limits.md) or a guard is missing in training (docs/gan.md).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seedConfig, validateConfig } from '../../src/gan/config.js'
import { summarizeGenerator } from '../../src/gan/evaluate.js'
import type { GanConfig } from '../../src/gan/index.js'
import { NonFiniteError, NonFiniteSamplesError, train } from '../../src/gan/train.js'
import { anyActivation } from '../support/gan-arbitraries.js'
import { allFinite, trainWithinGuards } from '../support/finite-state.js'
import { dataSize } from '../../src/gan/data.js'


describe('every config validateConfig accepts, with extreme values in every numeric position', () => {
  const MAX = Number.MAX_VALUE
  const extreme = (...xs: number[]): fc.Arbitrary<number> => fc.constantFrom(...xs)
  const hostileConfig: fc.Arbitrary<GanConfig> = fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      size: fc.integer({ min: 1, max: 16 }),
      batch: fc.integer({ min: 1, max: 16 }),
      epochs: fc.integer({ min: 1, max: 2 }),
      latentDim: fc.integer({ min: 1, max: 3 }),
      lrD: extreme(Number.MIN_VALUE, 1e-300, 0.05, 1e150, 1e306, MAX),
      lrG: extreme(Number.MIN_VALUE, 1e-300, 0.005, 1e150, 1e306, MAX),
      beta1: extreme(0, 0.5, 0.9, 1 - 2 ** -53),
      beta2: extreme(0, 0.5, 0.999, 1 - 2 ** -53),
      epsilon: extreme(Number.MIN_VALUE, 1e-8, 1, 1e300, MAX),
      weightStd: extreme(0, Number.MIN_VALUE, 0.02, 1, 1e150, 1e300, MAX / 16, MAX),
      biasInit: fc.constantFrom<'zeros' | 'normal'>('zeros', 'normal'),
      scaleA: extreme(0, Number.MIN_VALUE, 1, 1e150, 1e300, MAX / 64, MAX),
      b: extreme(0, -1, 1e300, -MAX, MAX),
      activation: anyActivation,
    })
    .map((r) => ({
      ...seedConfig,
      seed: r.seed,
      epochs: r.epochs,
      batchSize: Math.min(r.batch, r.size),
      latentDim: r.latentDim,
      learningRateD: r.lrD,
      learningRateG: r.lrG,
      adam: { beta1: r.beta1, beta2: r.beta2, epsilon: r.epsilon },
      discriminator: { layers: [{ units: 3, activation: r.activation }, { units: 1, activation: { kind: 'identity' as const } }] },
      init: { weightStd: r.weightStd, biasInit: r.biasInit },
      data: { kind: 'affine-gaussian' as const, size: r.size, A: [[r.scaleA, -r.scaleA], [r.scaleA / 2, r.scaleA]], b: [r.b, 1] },
    }))

  it('train either returns finite means and an all-finite state, whose summary is finite or a NonFiniteSamplesError, or throws a NonFiniteError with an all-finite state', () => {
    fc.assert(
      fc.property(hostileConfig, (config) => {
        fc.pre(validateConfig(config)._tag === 'Right')
        const result = trainWithinGuards(config)
        if (result === undefined) return
        try {
          const summary = summarizeGenerator(result.state, 50)
          expect([...summary.mean, ...summary.covariance.flat(), summary.frechetDistance].every(Number.isFinite)).toBe(true)
        } catch (e) {
          expect(e).toBeInstanceOf(NonFiniteSamplesError)
        }
      }),
    )
  })

  // issue 14's family with extreme values in every new numeric position: every objective and
  // its options, every optimiser and its options, R1, critic steps and packing
  const familyConfig: fc.Arbitrary<GanConfig> = fc
    .tuple(
      hostileConfig,
      fc.oneof(
        fc.constant({ kind: 'nonsaturating' as const }),
        fc.constant({ kind: 'minimax' as const }),
        fc.record({ kind: fc.constant('least-squares' as const), a: extreme(0, -1, 1e300, -MAX), b: extreme(1, MAX, -1e150), c: extreme(1, 0, 1e306) }),
        fc.constant({ kind: 'hinge' as const }),
        fc.record({ kind: fc.constant('wasserstein' as const), clip: extreme(Number.MIN_VALUE, 0.01, 1e300, MAX) }),
        fc.record({ kind: fc.constant('wasserstein-gp' as const), lambda: extreme(Number.MIN_VALUE, 10, 1e300, MAX) }),
      ),
      fc.oneof(
        fc.record({ kind: fc.constant('rmsprop' as const), rho: extreme(0, 0.99, 1 - 2 ** -53), epsilon: extreme(Number.MIN_VALUE, 1e-8, MAX) }),
        fc.record({ kind: fc.constant('momentum' as const), momentum: extreme(0, 0.9, 1 - 2 ** -53) }),
        fc.constant({ kind: 'sgd' as const }),
        fc.constant(undefined),
      ),
      fc.option(extreme(Number.MIN_VALUE, 10, 1e300, MAX), { nil: undefined }),
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom(1, 2),
    )
    .map(([base, objective, optimizer, gamma, criticSteps, pack]) => ({
      ...base,
      objective,
      criticSteps,
      ...(optimizer === undefined ? {} : { optimizerD: optimizer, optimizerG: optimizer }),
      ...(gamma === undefined ? {} : { penalty: { kind: 'r1' as const, gamma } }),
      ...(pack === 2 && base.batchSize % 2 === 0 && (dataSize(base.data) % base.batchSize) % 2 === 0 ? { pack } : {}),
    }))

  it('the GAN family: train either returns finite means and an all-finite state, or throws a NonFiniteError naming the step (or epoch) and the network, with an all-finite state', () => {
    fc.assert(
      fc.property(familyConfig, (config) => {
        fc.pre(validateConfig(config)._tag === 'Right')
        let result: ReturnType<typeof train> | undefined
        try {
          result = train(config)
        } catch (e) {
          expect(e).toBeInstanceOf(NonFiniteError)
          expect((e as Error).message).toMatch(/^training stopped (at step \d+ \(epoch \d+\)|in epoch \d+): the (discriminator|generator)/)
          expect(allFinite((e as NonFiniteError).lastFiniteState)).toBe(true)
          return
        }
        for (const r of result.history) expect(Number.isFinite(r.lossD) && Number.isFinite(r.lossG)).toBe(true)
        expect(allFinite(result.state)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
