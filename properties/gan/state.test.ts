/**
 * Properties of src/gan/state.ts: the run's PRNG streams, the specs of both networks, the
 * real data and the initial state, each against its documented recipe.
 */
import type { AdamState } from '../../src/optim/adam.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  discriminatorSpec,
  generatorSpec,
  initialState,
  makeData,
  runData,
  runStreams,
  seedConfig,
} from '../../src/gan/index.js'
import { initNetwork } from '../../src/nn/init.js'
import { rngFromSeed, split, splitN } from '../../src/random/index.js'
import { leaves } from '../../src/tree/param-tree.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { dataWidth } from '../../src/gan/data.js'

const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 })

describe('the run state', () => {
  it('runStreams splits rngFromSeed(seed) into data, generatorInit, discriminatorInit, evaluation, training (the continuation of 4 splits, as before 0.5) and metrics', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const [rest, children] = splitN(rngFromSeed(seed), 4)
        const [metrics] = split(rest)
        expect(runStreams(seed)).toEqual({
          data: children[0],
          generatorInit: children[1],
          discriminatorInit: children[2],
          evaluation: children[3],
          training: rest,
          metrics,
        })
      }),
    )
  })

  it('the specs: G reads latentDim inputs, D reads as many as the data has columns; both use the configured layers', () => {
    fc.assert(
      fc.property(ganConfig, (config) => {
        expect(generatorSpec(config)).toEqual({ inputSize: config.latentDim, layers: config.generator.layers })
        expect(discriminatorSpec(config)).toEqual({ inputSize: dataWidth(config.data), layers: config.discriminator.layers })
      }),
    )
  })

  it('initialState: both networks from their own streams with the configured init, zero Adam moments, the training stream, counters at 0', () => {
    fc.assert(
      fc.property(ganConfig, (config) => {
        const s = initialState(config)
        const streams = runStreams(config.seed)
        const options = { weightStd: config.init.weightStd, biasInit: config.init.biasInit }
        const [g] = initNetwork(generatorSpec(config), streams.generatorInit, options)
        const [d] = initNetwork(discriminatorSpec(config), streams.discriminatorInit, options)
        const same = (a: Parameters<typeof leaves>[0], b: Parameters<typeof leaves>[0]): void => {
          const la = leaves(a)
          const lb = leaves(b)
          expect(la.length).toBe(lb.length)
          la.forEach((m, i) => expect(m).toEqualBits(lb[i]!))
        }
        same(s.generator, g)
        same(s.discriminator, d)
        for (const [opt, params] of [[s.optimizerG, g], [s.optimizerD, d]] as const) {
          expect(opt.count).toBe(0)
          for (const moments of [(opt as AdamState).m, (opt as AdamState).v]) {
            const lm = leaves(moments)
            const lp = leaves(params)
            expect(lm.map((m) => [m.rows, m.cols])).toEqual(lp.map((m) => [m.rows, m.cols]))
            for (const m of lm) expect(m.data.every((x) => Object.is(x, 0))).toBe(true)
          }
        }
        expect(s.rng).toEqual(streams.training)
        expect([s.step, s.epoch]).toEqual([0, 0])
        expect(s.config).toEqual(JSON.parse(JSON.stringify(config))) // the validated copy: -0 read as +0
        expect(Object.isFrozen(s)).toBe(true)
      }),
    )
  })

  it('runData is makeData on the data stream, the same for every call', () => {
    fc.assert(
      fc.property(ganConfig, (config) => {
        const [expected] = makeData(config.data, runStreams(config.seed).data)
        expect(runData(config)).toEqualBits(expected)
        expect(runData(config)).toEqualBits(runData(config))
      }),
    )
  })

  it('an invalid config is a ConfigError before anything runs', () => {
    const bad = { ...seedConfig, batchSize: 0 }
    expect(() => initialState(bad)).toThrow(ConfigError)
    expect(() => runData(bad)).toThrow(ConfigError)
  })
})
