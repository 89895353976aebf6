/**
 * runMetrics: a literal transcription of its documented draws (each metric from its own
 * child of the run's metrics stream, through the exported metric functions), purity, which
 * metrics appear for which data, and known answers: a generator collapsed onto one mode of
 * the ring, and one that reproduces the ring's modes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifierTwoSampleTest } from '../../src/gan/classifier-test.js'
import { type DataSpec, type GanConfig, seedConfig } from '../../src/gan/config.js'
import { dataModes, makeData } from '../../src/gan/data.js'
import { sampleGenerator } from '../../src/gan/evaluate.js'
import { RUN_METRICS_SIZES, runMetrics } from '../../src/gan/run-metrics.js'
import { type GanState, initialState, runStreams, stateWith } from '../../src/gan/state.js'
import { train } from '../../src/gan/train.js'
import { fromArrays, toArrays } from '../../src/matrix/index.js'
import { modeCoverage } from '../../src/metrics/modes.js'
import { energyPermutationTest, medianHeuristicBandwidth, mmdPermutationTest } from '../../src/metrics/two-sample.js'
import { splitN } from '../../src/random/rng.js'

const ring: DataSpec = { kind: 'ring8', size: 64, std: 0.01 }
const configOf = (data: DataSpec, seed: number): GanConfig => ({ ...seedConfig, seed, epochs: 1, data })

/** runMetrics as docs/metrics.md describes it, for generated data. */
const byHand = (state: GanState) => {
  const S = RUN_METRICS_SIZES
  const [classifierRng, [modeRng, fakeRng, realRng, permRng, cFakeRng, cRealRng]] = splitN(runStreams(state.config.seed).metrics, 6)
  const spec = state.config.data
  const mixture = dataModes(spec)
  const modes = mixture === undefined ? undefined : modeCoverage(sampleGenerator(state, modeRng!, S.modeSamples)[0], mixture.modes, mixture.std)
  const real = makeData({ ...spec, size: S.twoSampleSize } as DataSpec, realRng!)[0]
  const fake = sampleGenerator(state, fakeRng!, S.twoSampleSize)[0]
  const h = medianHeuristicBandwidth(real, fake)
  const mmd = mmdPermutationTest(real, fake, h, permRng!, S.permutations)
  const energy = energyPermutationTest(real, fake, mmd.rng, S.permutations)
  const cReal = makeData({ ...spec, size: S.classifierSize } as DataSpec, cRealRng!)[0]
  const cFake = sampleGenerator(state, cFakeRng!, S.classifierSize)[0]
  return {
    ...(modes === undefined ? {} : { modes }),
    mmd: { statistic: mmd.statistic, pValue: mmd.pValue, samples: S.twoSampleSize, permutations: S.permutations, bandwidth: h },
    energy: { statistic: energy.statistic, pValue: energy.pValue, samples: S.twoSampleSize, permutations: S.permutations },
    classifier: classifierTwoSampleTest(cReal, cFake, classifierRng),
  }
}

/** The state of `config` with G replaced by the constant map to `point` (zero weights, the point as bias). */
const constantGenerator = (state: GanState, point: readonly [number, number]): GanState => {
  const layer = state.generator[0]!
  return stateWith(state, { generator: [{ W: fromArrays(toArrays(layer.W).map((r) => r.map(() => 0))), b: fromArrays([[point[0], point[1]]]) }] })
}

describe('runMetrics', () => {
  it('is the documented composition of the metric functions on the documented streams, bit for bit', () => {
    fc.assert(
      fc.property(fc.constantFrom<DataSpec>(ring, { kind: 'grid25', size: 64, std: 0.05 }, { kind: 'moons', size: 64, noise: 0.1 }, seedConfig.data), fc.integer({ min: 0, max: 1000 }), (data, seed) => {
        const { state } = train(configOf(data, seed))
        expect(runMetrics(state)).toEqual(byHand(state))
      }),
      { numRuns: 4 },
    )
  })

  it('is a pure function of the state: the same result again and from a fresh state built the same way, and modes only for data with modes', () => {
    const a = initialState(configOf(ring, 3))
    expect(runMetrics(a)).toEqual(runMetrics(initialState(configOf(ring, 3))))
    expect(runMetrics(a).modes?.samples).toBe(2500)
    expect(runMetrics(initialState(configOf({ kind: 'swissroll', size: 64, noise: 0.25, scale: 7.5 }, 3))).modes).toBeUndefined()
    expect(runMetrics(initialState(configOf(seedConfig.data, 3))).modes).toBeUndefined()
  })

  it('a generator collapsed onto one mode of the ring: all points high quality, 1 mode of 8, reverse KL log 8, and every test rejects', () => {
    const collapsed = constantGenerator(initialState(configOf(ring, 0)), [1, 0])
    const m = runMetrics(collapsed)
    expect(m.modes?.highQualityFraction).toBe(1)
    expect(m.modes?.modesCovered).toBe(1)
    expect(m.modes?.reverseKl).toBeCloseTo(Math.log(8), 14)
    expect(m.mmd.pValue).toBe(1 / 201)
    expect(m.energy.pValue).toBe(1 / 201)
    expect(m.classifier.accuracy).toBeGreaterThan(0.85)
  })

  it('a generator far from every mode: no high-quality point, no mode covered, reverse KL null', () => {
    const off = constantGenerator(initialState(configOf(ring, 0)), [0, 0])
    const m = runMetrics(off)
    expect([m.modes?.highQuality, m.modes?.modesCovered, m.modes?.reverseKl]).toEqual([0, 0, null])
  })

  it('a generator collapsed onto the one point of a constant table: every pooled distance is 0, so the bandwidth is 1 (the median heuristic defines none), and MMD² and the energy distance are 0', () => {
    const rows = Array.from({ length: 8 }, () => [0.5, -2])
    const collapsed = constantGenerator(initialState(configOf({ kind: 'table', rows }, 3)), [0.5, -2])
    expect(() => medianHeuristicBandwidth(fromArrays(rows), fromArrays(rows))).toThrow(RangeError)
    const m = runMetrics(collapsed)
    expect([m.mmd.bandwidth, m.mmd.statistic, m.energy.statistic]).toEqual([1, 0, 0])
  })

  it('a table: the real points are rows of the table', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i, -i])
    const state = initialState(configOf({ kind: 'table', rows }, 1))
    const m = runMetrics(state)
    // a table of 30 rows gives 30 real and 30 generated points to the two-sample tests
    expect(m.mmd.samples).toBe(30)
    expect(m.classifier.trainRows + m.classifier.testRows).toBe(60)
  })
})
