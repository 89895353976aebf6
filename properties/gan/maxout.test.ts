/**
 * A GAN with maxout layers (issue 14, "Layers"): the layers of kernels/maxout.ts through the
 * config, the steps, the epoch, the codec, the limits and the report.
 *
 * - trainEpoch equals trainStep minibatch by minibatch, bit for bit, on random architectures
 *   with maxout layers in D and G (objectives and penalties drawn, ragged last minibatches),
 *   and on large maxout layers (blocked products, two alternating result blocks): the steps
 *   run in JavaScript (the WebAssembly twin computes dense layers only) with no change of bits;
 * - updateD's gradient (with R1's penalty through the maxout layers, sometimes) and updateG's
 *   equal central differences of their summed losses, away from ties: a case is drawn only
 *   when every maxout unit's two largest pieces (in G on the noise, in D on the stacked batch)
 *   differ by more than KINK_MARGIN, and a perturbed point at which a winner changed is
 *   discarded;
 * - with extreme values in every numeric position (learning rates, the initial weights' scale,
 *   the data), a maxout GAN trains to finite numbers or stops with a NonFiniteError keeping an
 *   all-finite state (a NaN piece wins the max, so it reaches the guards);
 * - the config's messages for maxout layers, exactly; the state codec round trip and its
 *   shape check; parameterCount, stepActivations and the workspace bound; the report's layer
 *   text.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { decodeState, encodeState } from '../../src/gan/codec.js'
import { type GanConfig, seedConfig, validateConfig } from '../../src/gan/config.js'
import type { GanState } from '../../src/gan/index.js'
import { parameterCount, runRecordSizeBound, stepActivations } from '../../src/gan/limits.js'
import { discriminatorSpec, generatorSpec, initialState, runData } from '../../src/gan/state.js'
import { trainEpoch } from '../../src/gan/train.js'
import { trainWithinGuards } from '../support/finite-state.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, updatePlans } from '../../src/gan/update.js'
import { type Matrix, vconcat } from '../../src/matrix/index.js'
import { type NetworkParams, forward } from '../../src/nn/network.js'
import { configRows } from '../../src/report/html.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { epochByStep } from '../support/epoch-by-step.js'
import { affineData, anyActivation, ganConfigWithMaxout, smoothActivation } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { maxoutPattern } from '../support/maxout-reference.js'
import { awayFromKinks } from '../support/network-arbitraries.js'
import { dataSize, dataWidth } from '../../src/gan/data.js'

const problems = (config: unknown): ReadonlyArray<string> => {
  const r = validateConfig(config)
  return E.isLeft(r) ? r.left : []
}

const maxout = (units: number, pieces: number) => ({ kind: 'maxout', units, pieces, activation: { kind: 'identity' } }) as const
const logit = { units: 1, activation: { kind: 'identity' } } as const

/** The discriminator, smaller: maxout 8x5 -> maxout 8x5 -> a logit. */
const paperD: GanConfig = { ...seedConfig, discriminator: { layers: [maxout(8, 5), maxout(8, 5), logit] } }

/**
 * trainEpoch against epochByStep (trainStep minibatch by minibatch) over `epochs` epochs: the
 * same states, and the same losses (with packing, the report's mean is per pack: `pack` times
 * the per-row mean, recomputed here from the steps' summed losses).
 */
const expectSameEpochs = (config: GanConfig, epochs: number): void => {
  const data = runData(config)
  const pack = config.pack ?? 1
  let fast = initialState(config)
  let slow = fast
  for (let e = 0; e < epochs; e++) {
    const [report, next] = trainEpoch(fast, data)
    const ref = epochByStep(slow, data)
    if (pack === 1) {
      expect(Object.is(report.lossD, ref.lossD)).toBe(true)
      expect(Object.is(report.lossG, ref.lossG)).toBe(true)
    } else {
      expect(Math.abs(report.lossD - pack * ref.lossD)).toBeLessThanOrEqual(1e-12 * Math.abs(report.lossD))
      expect(Math.abs(report.lossG - pack * ref.lossG)).toBeLessThanOrEqual(1e-12 * Math.abs(report.lossG))
    }
    expect(encodeState(next)).toBe(encodeState(ref.state))
    fast = next
    slow = ref.state
  }
}

/** A random architecture with maxout layers, data and batch sizes, an objective, sometimes R1. */
const configs: fc.Arbitrary<GanConfig> = fc
  .tuple(
    ganConfigWithMaxout(anyActivation),
    fc.integer({ min: 1, max: 30 }),
    fc.integer({ min: 1, max: 30 }),
    fc.constantFrom<GanConfig['objective']>(undefined, { kind: 'minimax' }, { kind: 'hinge' }, { kind: 'least-squares', a: 0, b: 1, c: 1 }, { kind: 'wasserstein', clip: 0.5 }, { kind: 'wasserstein-gp', lambda: 10 }),
    fc.option(fc.double({ min: 0.1, max: 10, noNaN: true }), { nil: undefined }),
  )
  .map(([config, size, batch, objective, gamma]) => ({
    ...config,
    batchSize: Math.min(batch, size),
    data: { ...affineData(config), size },
    ...(objective === undefined ? {} : { objective }),
    ...(gamma === undefined ? {} : { penalty: { kind: 'r1' as const, gamma } }),
  }))

describe('training with maxout layers', () => {
  it('trainEpoch equals trainStep minibatch by minibatch, bit for bit (objectives, R1, ragged last minibatches)', () => {
    fc.assert(
      fc.property(configs, (config) => {
        expect(problems(config)).toEqual([])
        expectSameEpochs(config, 2)
      }),
    )
  })

  it('... and with the issue\'s discriminator (maxout 8x5, maxout 8x5, logit), packed too, large maxout layers (blocked products) and two alternating result blocks', () => {
    expectSameEpochs({ ...paperD, data: { ...affineData(seedConfig), size: 40 } }, 2)
    // with PacGAN's packing (D reads 2 rows as one: its first maxout layer is 4 inputs wide)
    expectSameEpochs({ ...paperD, pack: 2, objective: { kind: 'wasserstein-gp', lambda: 10 }, data: { ...affineData(seedConfig), size: 40 } }, 2)
    // D 2 -> maxout 48x4 -> maxout 48x4 -> 1: 19 441 parameters, 58 323 results per step; 12
    // steps exceed the epoch block, so the steps alternate between two blocks; the products are
    // blocked (192 columns over 16 rows), and with dense layers these steps would run in WebAssembly
    const wide: GanConfig = { ...seedConfig, discriminator: { layers: [maxout(48, 4), maxout(48, 4), logit] }, batchSize: 8, data: { ...affineData(seedConfig), size: 100 } }
    expect(parameterCount(wide).discriminator).toBe(3 * 192 + 49 * 192 + 49)
    expectSameEpochs(wide, 1)
    expectSameEpochs({ ...wide, objective: { kind: 'wasserstein-gp', lambda: 10 }, data: { ...affineData(wide), size: 40 } }, 1)
  })
})

/** The winners of every maxout layer of G on the noise and of D on the stacked batch. */
const patternOf = (state: GanState, real: Matrix, noise: Matrix): string => {
  const g = forward(generatorSpec(state.config), state.generator, noise)
  const d = forward(discriminatorSpec(state.config), state.discriminator, vconcat(real, g.output))
  return `${maxoutPattern(generatorSpec(state.config), g.cache)}/${maxoutPattern(discriminatorSpec(state.config), d.cache)}`
}

/** Both forward passes clear of ties (every maxout unit's two largest pieces apart by more than KINK_MARGIN). */
const clearOfTies = (state: GanState, real: Matrix, noise: Matrix): boolean => {
  const g = forward(generatorSpec(state.config), state.generator, noise)
  const d = forward(discriminatorSpec(state.config), state.discriminator, vconcat(real, g.output))
  return awayFromKinks(generatorSpec(state.config), g.cache) && awayFromKinks(discriminatorSpec(state.config), d.cache)
}

const withLayer = (params: NetworkParams, l: number, key: 'W' | 'b', m: Matrix): NetworkParams => params.map((layer, i) => (i === l ? { ...layer, [key]: m } : layer))

const stateWithBatch = fc
  .tuple(ganConfigWithMaxout(smoothActivation), fc.integer({ min: 1, max: 4 }), fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: undefined }))
  .chain(([base, n, gamma]) => {
    const config: GanConfig = { ...base, ...(gamma === undefined ? {} : { penalty: { kind: 'r1' as const, gamma } }) }
    return fc.record({
      state: fc.constant(initialState(config)),
      real: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      noise: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
    })
  })

describe('extreme values through maxout layers', () => {
  const MAX = Number.MAX_VALUE
  const extreme = (...xs: number[]): fc.Arbitrary<number> => fc.constantFrom(...xs)
  const hostile: fc.Arbitrary<GanConfig> = fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      size: fc.integer({ min: 1, max: 12 }),
      batch: fc.integer({ min: 1, max: 12 }),
      lr: extreme(Number.MIN_VALUE, 0.05, 1e150, 1e306, MAX),
      weightStd: extreme(0, Number.MIN_VALUE, 0.02, 1, 1e150, 1e300, MAX / 16),
      biasInit: fc.constantFrom<'zeros' | 'normal'>('zeros', 'normal'),
      scaleA: extreme(0, 1, 1e150, 1e300, MAX / 64),
      pieces: fc.integer({ min: 2, max: 5 }),
      gMaxout: fc.boolean(),
      objective: fc.constantFrom<GanConfig['objective']>(undefined, { kind: 'hinge' }, { kind: 'wasserstein', clip: 1e300 }, { kind: 'wasserstein-gp', lambda: 1e300 }),
      gamma: fc.option(extreme(Number.MIN_VALUE, 10, 1e300, MAX), { nil: undefined }),
    })
    .map((r) => ({
      ...seedConfig,
      seed: r.seed,
      epochs: 2,
      batchSize: Math.min(r.batch, r.size),
      learningRateD: r.lr,
      learningRateG: r.lr,
      generator: { layers: r.gMaxout ? [maxout(3, r.pieces), maxout(2, 2)] : seedConfig.generator.layers },
      discriminator: { layers: [maxout(3, r.pieces), logit] },
      init: { weightStd: r.weightStd, biasInit: r.biasInit },
      data: { kind: 'affine-gaussian' as const, size: r.size, A: [[r.scaleA, -r.scaleA], [r.scaleA / 2, r.scaleA]], b: [1, -1] },
      ...(r.objective === undefined ? {} : { objective: r.objective }),
      ...(r.gamma === undefined ? {} : { penalty: { kind: 'r1' as const, gamma: r.gamma } }),
    }))

  it('train returns finite means and an all-finite state, or throws a NonFiniteError with an all-finite state', () => {
    fc.assert(
      fc.property(hostile, (config) => {
        fc.pre(problems(config).length === 0)
        trainWithinGuards(config)
      }),
    )
  })
})

describe('the updates\' gradients through maxout layers', () => {
  it('updateD: every D parameter against central differences of the summed loss (R1\'s penalty included when drawn), away from ties', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        fc.pre(clearOfTies(state, real, noise))
        const base = patternOf(state, real, noise)
        const { gradient } = discriminatorLossAndGradient(state, real, noise)
        const loss = (d: NetworkParams): number => {
          const s = { ...state, discriminator: d }
          fc.pre(patternOf(s, real, noise) === base)
          return discriminatorLossAndGradient(s, real, noise).loss
        }
        state.discriminator.forEach((layer, l) => {
          for (const key of ['W', 'b'] as const) expectGradientClose(`D layer ${l} ${key}`, (m) => loss(withLayer(state.discriminator, l, key, m)), layer[key], gradient[l]![key])
        })
      }),
    )
  })

  it('updateG: every G parameter against central differences of the summed loss through D, away from ties', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        fc.pre(clearOfTies(state, real, noise))
        const base = patternOf(state, real, noise)
        const { gradient } = generatorLossAndGradient(state, noise)
        const loss = (g: NetworkParams): number => {
          const s = { ...state, generator: g }
          fc.pre(patternOf(s, real, noise) === base)
          return generatorLossAndGradient(s, noise).loss
        }
        state.generator.forEach((layer, l) => {
          for (const key of ['W', 'b'] as const) expectGradientClose(`G layer ${l} ${key}`, (m) => loss(withLayer(state.generator, l, key, m)), layer[key], gradient[l]![key])
        })
      }),
    )
  })
})

describe('the config of a maxout layer', () => {
  const withD = (layers: unknown[]): unknown => ({ ...seedConfig, discriminator: { layers } })
  const withG = (layers: unknown[]): unknown => ({ ...seedConfig, generator: { layers } })

  it.each([
    ['the issue\'s discriminator (and a kind "dense" spelled out)', withD([maxout(240, 5), maxout(240, 5), { kind: 'dense', units: 1, activation: { kind: 'identity' } }]), []],
    ['maxout in G, its last layer too', withG([maxout(4, 2), maxout(2, 64)]), []],
    ['pieces 1', withD([maxout(5, 1), logit]), ['discriminator.layers[0].pieces must be an integer in 2..64, got 1']],
    ['pieces 65', withD([maxout(5, 65), logit]), ['discriminator.layers[0].pieces must be an integer in 2..64, got 65']],
    ['pieces 2.5', withD([maxout(5, 2.5), logit]), ['discriminator.layers[0].pieces must be an integer in 2..64, got 2.5']],
    ['pieces missing', withD([{ kind: 'maxout', units: 5, activation: { kind: 'identity' } }, logit]), ['discriminator.layers[0].pieces must be an integer in 2..64, got undefined']],
    ['a maxout layer with tanh', withD([{ ...maxout(5, 2), activation: { kind: 'tanh' } }, logit]), ['discriminator.layers[0].activation must be identity for a maxout layer (the max is its nonlinearity), got tanh']],
    ['a maxout layer with no activation', withD([{ kind: 'maxout', units: 5, pieces: 2 }, logit]), ['discriminator.layers[0].activation.kind must be one of identity, tanh, sigmoid, relu, leakyRelu, got undefined']],
    ['an unknown kind', withD([{ kind: 'conv', units: 5, activation: { kind: 'tanh' } }, logit]), ['discriminator.layers[0].kind must be one of dense, maxout, batchnorm, got "conv"']],
    ['a kind given as undefined', withD([{ kind: undefined, units: 5, activation: { kind: 'tanh' } }, logit]), ['discriminator.layers[0].kind must be one of dense, maxout, batchnorm, got undefined']],
    ['an extra key on a maxout layer', withD([{ ...maxout(5, 2), alpha: 0.2 }, logit]), ['unknown config field "discriminator.layers[0].alpha"; known fields of a maxout layer: kind, units, pieces, activation, keep']],
    ['pieces on a dense layer that names its kind', withD([{ kind: 'dense', units: 5, pieces: 2, activation: { kind: 'tanh' } }, logit]), ['unknown config field "discriminator.layers[0].pieces"; known fields of a dense layer: kind, units, activation, keep']],
    ['pieces on a layer without kind (the message of every version before maxout)', withD([{ units: 5, pieces: 2, activation: { kind: 'tanh' } }, logit]), ['unknown config field "discriminator.layers[0].pieces"; known fields of a layer: units, activation, keep']],
    ['units 0 and pieces 0 at once', withD([maxout(0, 0), logit]), ['discriminator.layers[0].units must be an integer in 1..100000, got 0', 'discriminator.layers[0].pieces must be an integer in 2..64, got 0']],
    ['a maxout logit', withD([maxout(5, 2), maxout(1, 3)]), ['discriminator.layers: the last layer must be a dense { units: 1, activation: identity } (a logit), got a maxout layer (units 1, pieces 3)']],
    ['G\'s last maxout layer narrower than the data', withG([maxout(3, 2)]), ['generator.layers: the last layer must have 2 units (the data\'s width), got 3']],
    [
      'too many parameters: maxout\'s k-fold columns count',
      withD([maxout(2000, 64), maxout(100, 64), logit]),
      ['the networks have 13190507 parameters (generator 6, discriminator 13190501), more than the limit of 8388608'],
    ],
  ] as const)('%s: exactly the expected problems', (_, config, expected) => {
    expect(problems(config)).toEqual(expected)
  })

  it('a valid config keeps the layers as given (plain data, frozen), and survives the state codec, whose shape check names the k-fold columns', () => {
    const state = initialState(paperD)
    expect(state.config.discriminator.layers).toEqual(paperD.discriminator.layers)
    expect(state.discriminator.map((p) => [p.W.rows, p.W.cols, p.b.cols])).toEqual([[2, 40, 40], [8, 40, 40], [8, 1, 1]])
    const [, next] = trainEpoch(state, runData(paperD))
    const text = encodeState(next)
    const back = decodeState(text)
    expect(E.isRight(back) && encodeState(back.right)).toBe(text)
    // a maxout layer stored with the dense shapes (units columns, not units·pieces) is refused
    const j = JSON.parse(text)
    j.discriminator[1].W = { ...j.discriminator[1].W, cols: 8, f64: j.discriminator[1].W.f64.slice(0, 16 * 64) }
    j.discriminator[1].b = { ...j.discriminator[1].b, cols: 8, f64: j.discriminator[1].b.f64.slice(0, 16 * 8) }
    const bad = decodeState(JSON.stringify(j))
    expect(E.isLeft(bad) && bad.left).toBe("state.discriminator[1]: shapes W (8x8), b (1x8) differ from the config's (8x40), (1x40)")
  })
})

describe('limits and the report with maxout layers', () => {
  it('parameterCount counts W (in x units·pieces) and b; stepActivations counts a maxout layer as units·(pieces + 1)', () => {
    // D: 2 -> maxout 8x5: 2·40 + 40; -> maxout 8x5: 8·40 + 40; -> logit: 8 + 1
    expect(parameterCount(paperD)).toEqual({ generator: 6, discriminator: 120 + 360 + 9, total: 495 })
    // 8 · (2 + 2 + 2 + 8·6 + 8·6 + 1)
    expect(stepActivations(paperD)).toBe(8 * 103)
    expect(runRecordSizeBound(paperD)).toBeGreaterThan(runRecordSizeBound(seedConfig))
  })

  it("one update's workspace is at most 8 · stepActivations + the parameters (24 · and twice with a gradient penalty), maxout's pieces and winners included", () => {
    fc.assert(
      fc.property(configs, fc.integer({ min: 1, max: 12 }), (config, batchSize) => {
        const c = { ...config, batchSize, data: { ...affineData(config), size: Math.max(batchSize, dataSize(config.data)) } }
        const penalized = c.penalty !== undefined || c.objective?.kind === 'wasserstein-gp'
        const bound = penalized ? 24 * stepActivations(c) + 2 * parameterCount(c).total : 8 * stepActivations(c) + parameterCount(c).total
        expect(updatePlans(c, batchSize).size).toBeLessThanOrEqual(bound)
      }),
    )
  })

  it('the report writes a maxout layer as Maxout(units x pieces)', () => {
    const rows = new Map(configRows(paperD))
    expect(rows.get('discriminator.layers')).toBe('Maxout(8x5) -> Maxout(8x5) -> Dense(1)')
  })
})
