/**
 * Properties of src/gan/evaluate.ts: sampling the generator and summarising it, each against
 * its recipe (the network's prediction on noise from the given stream; the summary on the
 * run's evaluation stream).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  dataDistribution,
  generate,
  generatorSpec,
  initialState,
  runStreams,
  sampleGenerator,
  summarizeGenerator,
} from '../../src/gan/index.js'
import { toArrays, toFlat } from '../../src/matrix/index.js'
import { frechetDistance, sampleCovariance, sampleMean } from '../../src/metrics/gaussian.js'
import { predict } from '../../src/nn/network.js'
import { normalMatrix, rngFromSeed } from '../../src/random/index.js'
import { affineData, ganConfig, stateWithBatch } from '../support/gan-arbitraries.js'

describe('evaluating a generator', () => {
  it('generate(state, noise) is G\'s prediction on the noise', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, noise }) => {
        expect(generate(state, noise)).toEqualBits(predict(generatorSpec(state.config), state.generator, noise))
      }),
    )
  })

  it('sampleGenerator draws count x latentDim noise from the given stream and returns G of it and the advanced stream', () => {
    fc.assert(
      fc.property(ganConfig, fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 6 }), (config, seed, count) => {
        const state = initialState(config)
        const [noise, next] = normalMatrix(rngFromSeed(seed), count, config.latentDim)
        const [x, after] = sampleGenerator(state, rngFromSeed(seed), count)
        expect(x).toEqualBits(generate(state, noise))
        expect(after).toEqual(next)
      }),
    )
  })

  it('summarizeGenerator summarises samples from the evaluation stream against the true distribution, whatever the training stream', () => {
    fc.assert(
      fc.property(ganConfig, fc.integer({ min: 2, max: 40 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (config, n, otherSeed) => {
        const state = initialState(config)
        const [x] = sampleGenerator(state, runStreams(config.seed).evaluation, n)
        const mean = sampleMean(x)
        const covariance = sampleCovariance(x)
        const truth = dataDistribution(affineData(state.config))
        const expected = {
          samples: n,
          mean: toFlat(mean),
          covariance: toArrays(covariance),
          trueMean: toFlat(truth.mean),
          trueCovariance: toArrays(truth.covariance),
          frechetDistance: frechetDistance(mean, covariance, truth.mean, truth.covariance),
        }
        expect(summarizeGenerator(state, n)).toEqual(expected)
        // the training stream plays no part
        expect(summarizeGenerator({ ...state, rng: rngFromSeed(otherSeed) }, n)).toEqual(expected)
      }),
    )
  })

  it('summarizeGenerator needs an integer number of samples >= 2', () => {
    const state = initialState(fc.sample(ganConfig, { numRuns: 1, seed: 1 })[0]!)
    expect(summarizeGenerator(state, 2).samples).toBe(2)
    for (const bad of [1, 0, -5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => summarizeGenerator(state, bad)).toThrow(new RangeError(`summarizeGenerator: samples must be an integer >= 2, got ${bad}`))
    }
  })
})
