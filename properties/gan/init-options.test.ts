/**
 * The initialisation options Goodfellow et al. 2014's MNIST setup needs (issue 18): D's own
 * weight scale (`init.discriminatorWeightStd`) and G's output biases from the data's marginals
 * (`init.generatorOutputBias: 'marginals'`, pylearn2's `init_sigmoid_bias_from_marginals`).
 * Checked against their definitions written out here, and for leaving every other bit alone.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import { type GanConfig, seedConfig, validateConfig } from '../../src/gan/config.js'
import { discriminatorSpec, initialState, marginalBiases, runData, runStreams } from '../../src/gan/state.js'
import { train, trainEpochs } from '../../src/gan/train.js'
import { log } from '../../src/elementary/index.js'
import * as E from '../../src/fp/either.js'
import { fromArrays, toArrays, toFlat } from '../../src/matrix/index.js'
import { initNetwork } from '../../src/nn/init.js'

/** The definition, one column at a time: the mean (rows in order), clipped, its logit. */
const marginalsByHand = (rows: ReadonlyArray<ReadonlyArray<number>>): number[] =>
  rows[0]!.map((_, j) => {
    let s = 0
    for (const row of rows) s += row[j]!
    const p = Math.min(Math.max(s / rows.length, 1e-7), 1 - 1e-7)
    return log(p / (1 - p))
  })

/** The seed's data (2 columns, 1000 rows) with a sigmoid output for G. */
const sigmoidG: GanConfig = { ...seedConfig, generator: { layers: [{ units: 2, activation: { kind: 'sigmoid' } }] } }

describe('marginalBiases', () => {
  it('is the logit of each column mean, clipped to [1e-7, 1 − 1e-7], bit for bit', () => {
    const cell = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1), fc.double({ min: -3, max: 3, noNaN: true }))
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((w) => fc.array(fc.array(cell, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 20 })), (rows) => {
        expect(Array.from(toFlat(marginalBiases(fromArrays(rows))))).toEqual(marginalsByHand(rows))
      }),
    )
  })

  it('clips: an all-zero column gives logit(1e-7), an all-one column logit(1 − 1e-7)', () => {
    const b = toFlat(marginalBiases(fromArrays([[0, 1], [0, 1]])))
    expect(Array.from(b)).toEqual([log(1e-7 / (1 - 1e-7)), log((1 - 1e-7) / (1 - (1 - 1e-7)))])
    expect(b[0]).toBeCloseTo(-16.118, 3)
  })
})

describe('initialState with the options', () => {
  it("generatorOutputBias 'marginals' replaces G's last biases with the data's, and nothing else", () => {
    const config: GanConfig = { ...sigmoidG, init: { ...sigmoidG.init, generatorOutputBias: 'marginals' } }
    const plain = initialState(sigmoidG)
    const s = initialState(config)
    const g = s.generator as ReadonlyArray<{ readonly W: unknown; readonly b: unknown }>
    const p = plain.generator as ReadonlyArray<{ readonly W: unknown; readonly b: unknown }>
    expect(toArrays(g[0]!.W as never)).toEqual(toArrays(p[0]!.W as never))
    expect(Array.from(toFlat(g[0]!.b as never))).toEqual(marginalsByHand(toArrays(runData(config))))
    expect(encodeState({ ...s, config: plain.config, generator: plain.generator })).toBe(encodeState(plain))
  })

  it('discriminatorWeightStd draws D from its stream with its own scale; G is unchanged', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.5, noNaN: true }), fc.nat(1000), (std, seed) => {
        const base = { ...seedConfig, seed }
        const config: GanConfig = { ...base, init: { ...base.init, discriminatorWeightStd: std } }
        const s = initialState(config)
        const [d] = initNetwork(discriminatorSpec(config), runStreams(seed).discriminatorInit, { weightStd: std, biasInit: 'zeros' })
        expect(JSON.stringify(s.discriminator)).toBe(JSON.stringify(d))
        expect(JSON.stringify(s.generator)).toBe(JSON.stringify(initialState(base).generator))
      }),
      { numRuns: 30 },
    )
  })

  it('train starts from that state', () => {
    const config: GanConfig = { ...sigmoidG, epochs: 1, init: { ...sigmoidG.init, generatorOutputBias: 'marginals', discriminatorWeightStd: 0.001 } }
    expect(encodeState(train(config).state)).toBe(encodeState(trainEpochs(initialState(config), runData(config), 1).state))
  })
})

describe('validateConfig: the options', () => {
  const problems = (init: unknown, config: GanConfig = sigmoidG): ReadonlyArray<string> => {
    const r = validateConfig({ ...config, init })
    return E.isLeft(r) ? r.left : []
  }
  it.each<readonly [string, unknown, GanConfig, RegExp]>([
    ['a negative D scale', { weightStd: 0.02, biasInit: 'zeros', discriminatorWeightStd: -1 }, sigmoidG, /^init\.discriminatorWeightStd must be a finite number >= 0 \(D's weights' std, when it differs from G's weightStd\), got -1$/],
    ['a NaN D scale', { weightStd: 0.02, biasInit: 'zeros', discriminatorWeightStd: Number.NaN }, sigmoidG, /^init\.discriminatorWeightStd must be a finite number >= 0/],
    ['another output bias', { weightStd: 0.02, biasInit: 'zeros', generatorOutputBias: 'zeros' }, sigmoidG, /^init\.generatorOutputBias must be "marginals" \(G's output biases from the data's per-column means\) or absent, got "zeros"$/],
    ["marginals under the seed's identity output", { weightStd: 0.02, biasInit: 'zeros', generatorOutputBias: 'marginals' }, seedConfig, /^init\.generatorOutputBias "marginals" needs G's last layer to be dense with the sigmoid activation .*got dense identity$/],
    ['a D scale past the initial-weight limit', { weightStd: 0.02, biasInit: 'zeros', discriminatorWeightStd: 1e300 }, sigmoidG, /^init\.discriminatorWeightStd: the initial weights, discriminatorWeightStd · z .* can reach /],
  ])('refuses %s', (_name, init, config, message) => {
    expect(problems(init, config).join('\n')).toMatch(message)
  })
  it('accepts them, and records them as given', () => {
    const init = { weightStd: 0.02, biasInit: 'zeros', discriminatorWeightStd: 0.003, generatorOutputBias: 'marginals' }
    const r = validateConfig({ ...sigmoidG, init })
    expect(E.isRight(r) && r.right.init).toEqual(init)
  })
})
