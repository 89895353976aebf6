/**
 * Each player's optimiser in the GAN (config `optimizerD`, `optimizerG`; Adam with
 * `config.adam` when absent): updateD and updateG apply exactly the gradient they report
 * with the checked tree optimiser of the config's choice, bit for bit (the tree optimisers
 * themselves are checked against literal scalar transcriptions in properties/optim/); the
 * state keeps that optimiser's trees and nothing else, survives the codec, and trains
 * through trainEpoch as step by step; a non-finite optimiser state is named by its kind.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeState, encodeState } from '../../src/gan/codec.js'
import { type GanConfig, optimizerSpecOf, seedConfig, validateConfig } from '../../src/gan/config.js'
import type { GanState } from '../../src/gan/index.js'
import { initialState, runData } from '../../src/gan/state.js'
import { NonFiniteParametersError, trainEpoch, trainStep } from '../../src/gan/train.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, updateD, updateG } from '../../src/gan/update.js'
import { bitEqual, gatherRows } from '../../src/matrix/index.js'
import { type OptimizerSpec, type OptimizerState, stateTreeNames, treeOptimizerOf } from '../../src/optim/choice.js'
import { normalMatrix } from '../../src/random/normal.js'
import { permutation } from '../../src/random/permutation.js'
import { type ParamTree, leaves } from '../../src/tree/param-tree.js'
import { anyActivation, ganConfigWith, stateWithBatch } from '../support/gan-arbitraries.js'

const unit = fc.double({ min: 0, max: 0.999, noNaN: true })
const optimizerSpecs: fc.Arbitrary<OptimizerSpec> = fc.oneof(
  fc.record({ kind: fc.constant('adam' as const), beta1: unit, beta2: unit, epsilon: fc.double({ min: 1e-10, max: 1e-2, noNaN: true }) }),
  fc.record({ kind: fc.constant('rmsprop' as const), rho: unit, epsilon: fc.double({ min: 1e-10, max: 1e-2, noNaN: true }) }),
  fc.record({ kind: fc.constant('momentum' as const), momentum: unit }),
  // with schedules (each option present or not): a fast decay and short periods, so that two steps see them move
  fc
    .record(
      {
        kind: fc.constant('momentum' as const),
        momentum: unit,
        decay: fc.double({ min: 1, max: 3, noNaN: true }),
        minLearningRate: fc.double({ min: 0, max: 1e-3, noNaN: true }),
        finalMomentum: unit,
        rampEvery: fc.integer({ min: 1, max: 3 }),
        rampStart: fc.nat(3),
        width: fc.nat(3),
      },
      { requiredKeys: ['kind', 'momentum'] },
    )
    .map(({ width, ...o }): OptimizerSpec => (o.rampStart === undefined && width === undefined ? o : { ...o, rampStart: o.rampStart ?? 0, rampSaturate: (o.rampStart ?? 0) + (width ?? 0) })),
  fc.constant<OptimizerSpec>({ kind: 'sgd' }),
)

/** Every leaf of an optimiser state's trees, in `stateTreeNames` order. */
const stateLeaves = (state: OptimizerState, kind: OptimizerSpec['kind']) =>
  leaves(stateTreeNames(kind).map((name) => (state as unknown as { readonly [k: string]: ParamTree })[name]!) as never)

const sameLeaves = (a: ReturnType<typeof leaves>, b: ReturnType<typeof leaves>): boolean => a.length === b.length && a.every((m, i) => bitEqual(m, b[i]!))

const withOptimizers = fc.tuple(stateWithBatch, optimizerSpecs, optimizerSpecs).map(([{ state, real, noise }, d, g]) => {
  const config = { ...state.config, optimizerD: d, optimizerG: g }
  return { state: initialState(config), real, noise }
})

describe('the players\' optimisers in the GAN', () => {
  it('updateD applies the reported gradient with D\'s chosen optimiser (lr_D, rescaled by 1/n), bit for bit, twice in a row', () =>
    fc.assert(
      fc.property(withOptimizers, ({ state, real, noise }) => {
        let s: GanState = state
        for (let t = 0; t < 2; t++) {
          const spec = optimizerSpecOf(s.config, 'D')
          const [loss, next] = updateD(s, real, noise)
          const { loss: l2, gradient } = discriminatorLossAndGradient(s, real, noise)
          const [d, opt] = treeOptimizerOf(spec, s.config.learningRateD, 1 / noise.rows).step(s.optimizerD, s.discriminator, gradient)
          expect(loss).toBe(l2)
          expect(sameLeaves(leaves(next.discriminator as never), leaves(d as never))).toBe(true)
          expect(sameLeaves(stateLeaves(next.optimizerD, spec.kind), stateLeaves(opt, spec.kind))).toBe(true)
          expect(Object.keys(next.optimizerD).sort()).toEqual(['count', ...stateTreeNames(spec.kind)].sort())
          expect(next.optimizerD.count).toBe(t + 1)
          expect(next.optimizerG).toBe(s.optimizerG)
          s = next
        }
      }),
      { numRuns: 60 },
    ))

  it("updateD with a momentum schedule, from any count, applies the tree optimiser's step at that count, bit for bit", () =>
    fc.assert(
      fc.property(
        stateWithBatch,
        optimizerSpecs.filter((o) => o.kind === 'momentum'),
        fc.oneof(fc.nat(100), fc.nat(Number.MAX_SAFE_INTEGER - 1)),
        ({ state, real, noise }, spec, count) => {
          const config = { ...state.config, optimizerD: spec }
          const s0 = initialState(config)
          const s: GanState = { ...s0, optimizerD: { ...s0.optimizerD, count } }
          const [, next] = updateD(s, real, noise)
          const { gradient } = discriminatorLossAndGradient(s, real, noise)
          const [d, opt] = treeOptimizerOf(spec, config.learningRateD, 1 / noise.rows).step(s.optimizerD, s.discriminator, gradient)
          expect(sameLeaves(leaves(next.discriminator as never), leaves(d as never))).toBe(true)
          expect(sameLeaves(stateLeaves(next.optimizerD, 'momentum'), stateLeaves(opt, 'momentum'))).toBe(true)
          expect(next.optimizerD.count).toBe(count + 1)
        },
      ),
      { numRuns: 40 },
    ))

  it('updateG applies the reported gradient with G\'s chosen optimiser, bit for bit, twice in a row', () =>
    fc.assert(
      fc.property(withOptimizers, ({ state, noise }) => {
        let s: GanState = state
        for (let t = 0; t < 2; t++) {
          const spec = optimizerSpecOf(s.config, 'G')
          const [loss, next] = updateG(s, noise)
          const { loss: l2, gradient } = generatorLossAndGradient(s, noise)
          const [g, opt] = treeOptimizerOf(spec, s.config.learningRateG, 1 / noise.rows).step(s.optimizerG, s.generator, gradient)
          expect(loss).toBe(l2)
          expect(sameLeaves(leaves(next.generator as never), leaves(g as never))).toBe(true)
          expect(sameLeaves(stateLeaves(next.optimizerG, spec.kind), stateLeaves(opt, spec.kind))).toBe(true)
          expect(next.optimizerD).toBe(s.optimizerD)
          s = next
        }
      }),
      { numRuns: 60 },
    ))

  it('trainEpoch equals trainStep minibatch by minibatch, and the state survives the codec, for every pair of optimisers', () =>
    fc.assert(
      fc.property(ganConfigWith(anyActivation), optimizerSpecs, optimizerSpecs, fc.integer({ min: 1, max: 7 }), (base, d, g, batch) => {
        const config: GanConfig = { ...base, batchSize: batch, optimizerD: d, optimizerG: g }
        const data = runData(config)
        const s0 = initialState(config)
        const [report, fast] = trainEpoch(s0, data)
        // trainEpoch's permutation, then its steps one by one
        const [order, rng] = permutation(s0.rng, data.rows)
        let s: GanState = { ...s0, rng }
        let sumD = 0
        for (let start = 0; start < data.rows; start += batch) {
          const [losses, next] = trainStep(s, gatherRows(data, order.slice(start, Math.min(start + batch, data.rows))))
          sumD += losses.lossD
          s = next
        }
        expect(Object.is(report.lossD, sumD / data.rows)).toBe(true)
        expect(encodeState(fast)).toBe(encodeState({ ...s, epoch: 1 }))
        const back = decodeState(encodeState(fast))
        expect(E.isRight(back) && encodeState(back.right)).toBe(encodeState(fast))
      }),
      { numRuns: 40 },
    ))

  it('the codec refuses a state whose optimiser holds another kind\'s trees, naming the field and the kind\'s own', () => {
    const config = { ...seedConfig, optimizerD: { kind: 'rmsprop', rho: 0.99, epsilon: 1e-8 } as const }
    const json = JSON.parse(encodeState(initialState(config)))
    expect(Object.keys(json.optimizerD)).toEqual(['count', 'meanSquare'])
    expect(Object.keys(json.optimizerG)).toEqual(['count', 'm', 'v'])
    json.optimizerD = { count: 0, m: json.optimizerD.meanSquare, v: json.optimizerD.meanSquare }
    const r = decodeState(JSON.stringify(json))
    expect(E.isLeft(r) && r.left).toBe('unknown state field "state.optimizerD.m"; known fields of an RMSProp state: count, meanSquare')
  })

  it('a gradient whose square overflows leaves RMSProp\'s parameters finite and its mean square infinite: the run stops naming the mean square', () => {
    // A linear critic under the Wasserstein loss: dL/dW = Σ (x_fake − x_real), about −1e160 for
    // a real point at 1e160, whose square overflows; w − lr·g/(sqrt(∞) + ε) = w stays finite.
    const config: GanConfig = {
      ...seedConfig,
      discriminator: { layers: [{ units: 1, activation: { kind: 'identity' } }] },
      objective: { kind: 'wasserstein', clip: 1e300 },
      optimizerD: { kind: 'rmsprop', rho: 0.99, epsilon: 1e-8 },
    }
    const s0 = initialState(config)
    const huge = gatherRows(runData(config), [0])
    const real = { ...huge, data: Float64Array.of(1e160, 1e160) }
    let error: unknown
    try {
      trainStep(s0, real)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(NonFiniteParametersError)
    expect((error as NonFiniteParametersError).what).toBe('moments')
    expect((error as Error).message).toBe("training stopped at step 1 (epoch 1): the discriminator's update made its RMSProp mean square non-finite")
  })
})

describe('a state whose config never passed validateConfig', () => {
  it('an unknown optimiser or objective kind is a RangeError naming the known ones, not a crash', () => {
    const s0 = initialState(seedConfig)
    const real = gatherRows(runData(seedConfig), [0, 1])
    const [z] = normalMatrix(s0.rng, 2, seedConfig.latentDim)
    const badOptimizer = { ...s0, config: { ...seedConfig, optimizerD: { kind: 'adagrad' } } } as unknown as GanState
    expect(() => updateD(badOptimizer, real, z)).toThrow(new RangeError('optimizer: kind must be one of adam, rmsprop, momentum, sgd, got "adagrad"'))
    expect(() => treeOptimizerOf({ kind: 'adagrad' } as never, 0.1, 1)).toThrow(new RangeError('optimizer: kind must be one of adam, rmsprop, momentum, sgd, got "adagrad"'))
    const badObjective = { ...s0, config: { ...seedConfig, objective: { kind: 'wgan' } } } as unknown as GanState
    expect(() => updateG(badObjective, z)).toThrow(new RangeError('objective: kind must be one of nonsaturating, minimax, least-squares, hinge, wasserstein, wasserstein-gp, got "wgan"'))
  })
})

describe('config validation: optimizerD and optimizerG (issue 14)', () => {
  const problems = (c: unknown): ReadonlyArray<string> => {
    const r = validateConfig(c)
    return E.isLeft(r) ? r.left : []
  }
  it.each([
    ['an unknown kind', { kind: 'adagrad' }, ['optimizerD.kind must be one of adam, rmsprop, momentum, sgd, got "adagrad"']],
    ['rho 1', { kind: 'rmsprop', rho: 1 }, ['optimizerD.rho must be a number in [0, 1) for the rmsprop optimizer, got 1']],
    ['a zero epsilon', { kind: 'rmsprop', epsilon: 0 }, ['optimizerD.epsilon must be a finite number > 0 for the rmsprop optimizer, got 0']],
    ['momentum -0.1', { kind: 'momentum', momentum: -0.1 }, ['optimizerD.momentum must be a number in [0, 1) for the momentum optimizer, got -0.1']],
    ['PyTorch\'s alpha', { kind: 'rmsprop', alpha: 0.9 }, ['unknown config field "optimizerD.alpha"; known fields of the rmsprop optimizer: kind, rho, epsilon']],
    ['an option of plain sgd', { kind: 'sgd', momentum: 0.9 }, ['unknown config field "optimizerD.momentum"; known fields of the sgd optimizer: kind']],
    ['decay 0.5', { kind: 'momentum', decay: 0.5 }, ['optimizerD.decay must be a finite number >= 1 for the momentum optimizer, got 0.5']],
    ['a decay of Infinity', { kind: 'momentum', decay: Number.POSITIVE_INFINITY }, ['optimizerD.decay must be a finite number >= 1 for the momentum optimizer, got Infinity']],
    ['a decay of NaN', { kind: 'momentum', decay: Number.NaN }, ['optimizerD.decay must be a finite number >= 1 for the momentum optimizer, got NaN']],
    ['a string decay', { kind: 'momentum', decay: '1.000004' }, ['optimizerD.decay must be a finite number >= 1 for the momentum optimizer, got "1.000004"']],
    ['a negative minimum rate', { kind: 'momentum', minLearningRate: -1e-6 }, ['optimizerD.minLearningRate must be a finite number >= 0 for the momentum optimizer, got -0.000001']],
    ['finalMomentum 1', { kind: 'momentum', finalMomentum: 1 }, ['optimizerD.finalMomentum must be a number in [0, 1) for the momentum optimizer, got 1']],
    ['rampEvery 0', { kind: 'momentum', rampEvery: 0 }, ['optimizerD.rampEvery must be a safe integer >= 1 for the momentum optimizer, got 0']],
    ['rampEvery 2.5', { kind: 'momentum', rampEvery: 2.5 }, ['optimizerD.rampEvery must be a safe integer >= 1 for the momentum optimizer, got 2.5']],
    ['rampStart -1', { kind: 'momentum', rampStart: -1 }, ['optimizerD.rampStart must be a safe integer >= 0 for the momentum optimizer, got -1']],
    ['rampSaturate < rampStart', { kind: 'momentum', rampStart: 250, rampSaturate: 1 }, ['optimizerD.rampSaturate must be a safe integer >= 0 and >= rampStart (250) for the momentum optimizer, got 1']],
    ['rampStart alone (rampSaturate 0)', { kind: 'momentum', rampStart: 2 }, ['optimizerD.rampSaturate must be a safe integer >= 0 and >= rampStart (2) for the momentum optimizer, got 0']],
    [
      'two bad schedule options',
      { kind: 'momentum', decay: 0, rampEvery: -1 },
      ['optimizerD.decay must be a finite number >= 1 for the momentum optimizer, got 0', 'optimizerD.rampEvery must be a safe integer >= 1 for the momentum optimizer, got -1'],
    ],
    [
      "PyTorch's nesterov",
      { kind: 'momentum', nesterov: true },
      ['unknown config field "optimizerD.nesterov"; known fields of the momentum optimizer: kind, momentum, decay, minLearningRate, finalMomentum, rampEvery, rampStart, rampSaturate'],
    ],
  ])('%s is refused, naming the field and its range', (_, optimizerD, expected) => {
    expect(problems({ ...seedConfig, optimizerD })).toEqual(expected)
  })

  it('fills in the options left out (PyTorch\'s RMSProp 0.99 and 1e-8, momentum 0.9, Gluon\'s Adam)', () => {
    const valid = (o: unknown) => {
      const r = validateConfig({ ...seedConfig, optimizerG: o })
      if (E.isLeft(r)) throw new Error(r.left.join('; '))
      return r.right.optimizerG
    }
    expect(valid({ kind: 'rmsprop' })).toEqual({ kind: 'rmsprop', rho: 0.99, epsilon: 1e-8 })
    expect(valid({ kind: 'momentum' })).toEqual({ kind: 'momentum', momentum: 0.9 })
    expect(valid({ kind: 'adam', beta1: 0.5 })).toEqual({ kind: 'adam', beta1: 0.5, beta2: 0.999, epsilon: 1e-8 })
    expect(valid({ kind: 'sgd' })).toEqual({ kind: 'sgd' })
  })

  it("records momentum's schedules only when named, and a named group whole (so configs and run.json without one stay as before 0.5.0)", () => {
    const valid = (o: unknown) => {
      const r = validateConfig({ ...seedConfig, optimizerG: o })
      if (E.isLeft(r)) throw new Error(r.left.join('; '))
      return r.right.optimizerG
    }
    expect(valid({ kind: 'momentum', momentum: 0.5 })).toEqual({ kind: 'momentum', momentum: 0.5 })
    expect(Object.keys(valid({ kind: 'momentum' })!)).toEqual(['kind', 'momentum'])
    // the decay's group: decay, minLearningRate
    expect(valid({ kind: 'momentum', decay: 1.000004 })).toEqual({ kind: 'momentum', momentum: 0.9, decay: 1.000004, minLearningRate: 0 })
    expect(valid({ kind: 'momentum', minLearningRate: 1e-6 })).toEqual({ kind: 'momentum', momentum: 0.9, decay: 1, minLearningRate: 1e-6 })
    // the ramp's group: finalMomentum (default: momentum), rampEvery, rampStart, rampSaturate
    expect(valid({ kind: 'momentum', momentum: 0.5, rampSaturate: 250 })).toEqual({ kind: 'momentum', momentum: 0.5, finalMomentum: 0.5, rampEvery: 1, rampStart: 0, rampSaturate: 250 })
    // the paper's (mnist.yaml), in the order of the options' table
    const paper = { kind: 'momentum', rampSaturate: 250, momentum: 0.5, rampStart: 1, finalMomentum: 0.7, rampEvery: 500, minLearningRate: 1e-6, decay: 1.000004 }
    const recorded = valid(paper)!
    expect(recorded).toEqual(paper)
    expect(Object.keys(recorded)).toEqual(['kind', 'momentum', 'decay', 'minLearningRate', 'finalMomentum', 'rampEvery', 'rampStart', 'rampSaturate'])
  })

  it('a momentum config without schedules trains to the same bits as one naming their defaults', () => {
    const base = { ...seedConfig, epochs: 1, optimizerD: { kind: 'momentum', momentum: 0.5 }, optimizerG: { kind: 'momentum', momentum: 0.7 } } as const
    const named = {
      ...base,
      optimizerD: { kind: 'momentum', momentum: 0.5, decay: 1, minLearningRate: 0, finalMomentum: 0.5, rampEvery: 1, rampStart: 0, rampSaturate: 0 },
      optimizerG: { kind: 'momentum', momentum: 0.7, decay: 1, minLearningRate: 0, finalMomentum: 0.7, rampEvery: 7, rampStart: 3, rampSaturate: 3 },
    } as const
    const a = trainEpoch(initialState(base), runData(base))[1]
    const b = trainEpoch(initialState(named), runData(named))[1]
    const strip = (s: GanState) => encodeState({ ...s, config: base as GanConfig })
    expect(strip(b)).toBe(strip(a))
    expect(b.optimizerD.count).toBeGreaterThan(1)
  })

  it('a config without them is the seed\'s Adam on config.adam, bit for bit the same as naming it', () => {
    const named = { ...seedConfig, epochs: 2, optimizerD: { kind: 'adam', ...seedConfig.adam }, optimizerG: { kind: 'adam', ...seedConfig.adam } } as const
    const a = trainEpoch(initialState({ ...seedConfig, epochs: 2 }), runData(seedConfig))[1]
    const b = trainEpoch(initialState(named), runData(named))[1]
    const strip = (s: GanState) => encodeState({ ...s, config: seedConfig })
    expect(strip(b)).toBe(strip(a))
  })
})
