/**
 * Batch normalisation in the GAN's generator (issue 14, "Layers"), docs/gan.md "Batch
 * normalisation in the generator":
 *
 * - the running statistics after `updateD` and after `updateG` equal a literal transcription of
 *   PyTorch's rule, bit for bit: G's training pass on the step's noise (nn's `forward`), each
 *   layer's batch mean `(Σ_i z_i)/n` and biased variance `(Σ_i (z_i − μ)²)/n`, then
 *   `(1 − m)·old + m·μ` and `(1 − m)·old + m·(σ²·(n/(n − 1)))`; with critic steps they move
 *   once per D update and once in G's;
 * - trainEpoch equals trainStep minibatch by minibatch, bit for bit (objectives drawn);
 * - updateD's and updateG's gradients equal central differences of their summed losses with
 *   G normalised by its minibatch's statistics (a case is drawn only when every normalised
 *   column's variance is at least 1e-3, as in properties/nn/batchnorm-network.test.ts);
 * - samples use evaluation mode: `generate` is `predict` with the state's running statistics,
 *   and a sample does not depend on the rows drawn with it;
 * - the codec: a version 2 state round-trips, and a decoded state trains on bit for bit; a
 *   state without batch normalisation stays version 1; every corruption of `generatorStats` is
 *   refused with its message;
 * - extreme values train to finite numbers or stop with a NonFiniteError keeping an all-finite
 *   state (running statistics included);
 * - the config's and the updates' messages.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { STATE_FORMAT_VERSION, decodeState, encodeState, stateToJson } from '../../src/gan/codec.js'
import { type GanConfig, seedConfig, validateConfig } from '../../src/gan/config.js'
import { generate, sampleGenerator } from '../../src/gan/evaluate.js'
import type { GanState } from '../../src/gan/index.js'
import { generatorSpec, initialState, runData } from '../../src/gan/state.js'
import { NonFiniteSamplesError, train, trainEpoch, trainIteration } from '../../src/gan/train.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, updateD, updateG, updatePlans } from '../../src/gan/update.js'
import { parameterCount, runRecordSizeBound, stepActivations } from '../../src/gan/limits.js'
import { criticGridSpec, makeRunRecord, snapshotOf } from '../../src/report/make-record.js'
import { type Matrix, fromFlat, toArrays, toFlat } from '../../src/matrix/index.js'
import type { Activation } from '../../src/nn/activation.js'
import type { RunningStats } from '../../src/nn/batchnorm.js'
import { type LayerSpec, type NetworkParams, forward, predict } from '../../src/nn/network.js'
import { normalMatrix } from '../../src/random/normal.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { epochByStep } from '../support/epoch-by-step.js'
import { trainWithinGuards } from '../support/finite-state.js'
import { anyActivation, ganConfigWith, smoothActivation } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { columnStats } from '../support/batchnorm-reference.js'
import { thrown } from '../support/thrown.js'
import { dataWidth } from '../../src/gan/data.js'

const problems = (config: unknown): ReadonlyArray<string> => {
  const r = validateConfig(config)
  return E.isLeft(r) ? r.left : []
}

const bn = (units: number, activation: Activation, momentum = 0.1, epsilon = 1e-5): LayerSpec => ({ kind: 'batchnorm', units, activation, momentum, epsilon })

/**
 * `ganConfigWith(activation)` with batch normalisation in G: each hidden layer becomes a linear
 * dense layer followed by a batch normalisation layer with the hidden layer's activation (or,
 * with no hidden layer, one normalises the noise first), momentum and epsilon drawn; batches of
 * 2..6 rows and a data size that never leaves a last minibatch of one row.
 */
const withBatchNorm = (activation: fc.Arbitrary<Activation>): fc.Arbitrary<GanConfig> =>
  fc
    .tuple(ganConfigWith(activation), fc.constantFrom(0, 0.1, 0.5, 1), fc.constantFrom(1e-5, 1e-3, 0.1), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 14 }))
    .map(([config, momentum, epsilon, batch, size]) => {
      const [last, ...hiddenReversed] = [...config.generator.layers].reverse()
      const hidden = hiddenReversed.reverse()
      const layers: LayerSpec[] =
        hidden.length === 0
          ? [bn(config.latentDim, { kind: 'identity' }, momentum, epsilon), last!]
          : [...hidden.flatMap((h) => [{ units: h.units, activation: { kind: 'identity' } as Activation }, bn(h.units, h.activation, momentum, epsilon)]), last!]
      const fixedSize = size % batch === 1 ? size + 1 : size
      return { ...config, batchSize: Math.min(batch, fixedSize), generator: { layers }, data: { ...config.data, size: fixedSize } }
    })

/** PyTorch's rule, transcribed: G's training pass on `noise`, then each layer's statistics moved by its momentum. */
const expectedStats = (state: GanState, noise: Matrix): number[][] => {
  const spec = generatorSpec(state.config)
  const { cache } = forward(spec, state.generator, noise)
  const n = noise.rows
  const out: number[][] = []
  let r = 0
  spec.layers.forEach((layer, l) => {
    if (layer.kind !== 'batchnorm') return
    const { mean, variance } = columnStats(cache[l]!.input)
    const m = layer.momentum!
    const old = state.generatorStats[r++]!
    const oldMean = toFlat(old.mean)
    const oldVar = toFlat(old.variance)
    out.push(mean.map((mu, j) => (1 - m) * oldMean[j]! + m * mu))
    out.push(variance.map((v, j) => (1 - m) * oldVar[j]! + m * (v * (n / (n - 1)))))
  })
  return out
}

const statsOf = (stats: RunningStats): number[][] => stats.flatMap((s) => [toFlat(s.mean), toFlat(s.variance)])

/** A state of a batch-normalised G (its γ, β and running statistics moved off their initial values by a few updates) with a minibatch and noise of `rows` rows. */
const stateWithBatch = (activation: fc.Arbitrary<Activation>) =>
  fc.tuple(withBatchNorm(activation), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 0, max: 3 })).chain(([config, n, warm]) => {
    let state = initialState(config)
    const data = runData(config)
    for (let k = 0; k < warm; k++) state = trainStep2(state, data)
    return fc.record({
      state: fc.constant(state),
      real: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      noise: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
    })
  })

/** One D and one G update on the data's first two rows with noise from a fixed stream (moves γ, β and the running statistics). */
const trainStep2 = (state: GanState, data: Matrix): GanState => {
  const real = fromFlat(2, data.cols, toFlat(data).slice(0, 2 * data.cols))
  const [z] = normalMatrix(rngFromSeed(state.step + 7), 2, state.config.latentDim)
  const [, afterD] = updateD(state, real, z)
  return updateG(afterD, z)[1]
}

describe('running statistics', () => {
  it('after updateD and after updateG: PyTorch\'s rule on G\'s training pass over the step\'s noise, bit for bit', () => {
    fc.assert(
      fc.property(stateWithBatch(anyActivation), ({ state, real, noise }) => {
        const [, afterD] = updateD(state, real, noise)
        expect(statsOf(afterD.generatorStats)).toEqual(expectedStats(state, noise))
        const [, afterG] = updateG(afterD, noise)
        expect(statsOf(afterG.generatorStats)).toEqual(expectedStats(afterD, noise))
        // the parameters as without the statistics: updateG's G is the one its gradient says
        expect(afterD.generator).toBe(state.generator)
      }),
    )
  })

  it('with two batch normalisation layers each keeps its own statistics, bit for bit', () => {
    const config: GanConfig = { ...seedConfig, generator: { layers: [bn(2, { kind: 'identity' }, 0.3), { units: 3, activation: { kind: 'identity' } }, bn(3, { kind: 'tanh' }, 0.7, 1e-3), { units: 2, activation: { kind: 'identity' } }] } }
    let state = initialState(config)
    const [noise] = normalMatrix(rngFromSeed(5), 6, 2)
    const real = fromFlat(6, 2, toFlat(runData(config)).slice(0, 12))
    for (let k = 0; k < 3; k++) {
      const [, afterD] = updateD(state, real, noise)
      expect(statsOf(afterD.generatorStats)).toEqual(expectedStats(state, noise))
      const [, afterG] = updateG(afterD, noise)
      expect(statsOf(afterG.generatorStats)).toEqual(expectedStats(afterD, noise))
      state = afterG
    }
  })

  it('with k critic steps they move k + 1 times an iteration: once per D update, once in G\'s', () => {
    fc.assert(
      fc.property(withBatchNorm(anyActivation), fc.integer({ min: 1, max: 3 }), (config, k) => {
        const state = initialState(config)
        const data = runData(config)
        const n = config.batchSize
        const batches = Array.from({ length: k }, (_, i) => fromFlat(n, data.cols, toFlat(data).slice(0, n * data.cols).map((v) => v + i)))
        const [, viaIteration] = trainIteration(state, batches)
        // the same draws as trainIteration makes: each D update's noise from the training stream, G's with the last
        let s = state
        let z: Matrix | null = null
        for (const batch of batches) {
          const [noise, rng] = normalMatrix(s.rng, n, config.latentDim)
          s = updateD({ ...s, rng }, batch, noise)[1]
          z = noise
        }
        s = updateG(s, z!)[1]
        expect(statsOf(viaIteration.generatorStats)).toEqual(statsOf(s.generatorStats))
        expect(encodeState(viaIteration)).toBe(encodeState({ ...s, step: state.step + 1 }))
      }),
      { numRuns: 40 },
    )
  })

  it('trainEpoch equals trainStep minibatch by minibatch, bit for bit, with any objective', () => {
    fc.assert(
      fc.property(
        withBatchNorm(anyActivation),
        fc.constantFrom<GanConfig['objective']>(undefined, { kind: 'hinge' }, { kind: 'least-squares', a: 0, b: 1, c: 1 }, { kind: 'wasserstein-gp', lambda: 10 }),
        (base, objective) => {
          const config: GanConfig = { ...base, ...(objective === undefined ? {} : { objective }) }
          expect(problems(config)).toEqual([])
          const data = runData(config)
          let fast = initialState(config)
          let slow = fast
          for (let e = 0; e < 2; e++) {
            const [report, next] = trainEpoch(fast, data)
            const ref = epochByStep(slow, data)
            expect([report.lossD, report.lossG]).toEqual([ref.lossD, ref.lossG])
            expect(encodeState(next)).toBe(encodeState(ref.state))
            fast = next
            slow = ref.state
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})

/** The smallest variance of any normalised column of G's training pass on `noise`. */
const smallestVariance = (state: GanState, noise: Matrix): number => {
  const spec = generatorSpec(state.config)
  const { cache } = forward(spec, state.generator, noise)
  let least = Infinity
  spec.layers.forEach((layer, l) => {
    if (layer.kind === 'batchnorm') least = Math.min(least, ...columnStats(cache[l]!.input).variance)
  })
  return least
}

const withLayer = (params: NetworkParams, l: number, key: 'W' | 'b', m: Matrix): NetworkParams => params.map((layer, i) => (i === l ? { ...layer, [key]: m } : layer))

describe('the updates\' gradients through batch normalisation (central differences of the summed losses)', () => {
  it('updateG: every G parameter, γ and β included', () => {
    fc.assert(
      fc.property(stateWithBatch(smoothActivation), ({ state, noise }) => {
        fc.pre(smallestVariance(state, noise) >= 1e-3)
        const { gradient } = generatorLossAndGradient(state, noise)
        state.generator.forEach((p, l) => {
          for (const key of ['W', 'b'] as const) {
            const loss = (m: Matrix) => generatorLossAndGradient({ ...state, generator: withLayer(state.generator, l, key, m) }, noise).loss
            expectGradientClose(`G ${key}${l}`, loss, p[key], gradient[l]![key])
          }
        })
      }),
      { numRuns: 60 },
    )
  })

  it('updateD: every D parameter, the fakes from G\'s training pass', () => {
    fc.assert(
      fc.property(stateWithBatch(smoothActivation), ({ state, real, noise }) => {
        const { gradient } = discriminatorLossAndGradient(state, real, noise)
        state.discriminator.forEach((p, l) => {
          for (const key of ['W', 'b'] as const) {
            const loss = (m: Matrix) => discriminatorLossAndGradient({ ...state, discriminator: withLayer(state.discriminator, l, key, m) }, real, noise).loss
            expectGradientClose(`D ${key}${l}`, loss, p[key], gradient[l]![key])
          }
        })
      }),
      { numRuns: 60 },
    )
  })
})

describe('samples use evaluation mode', () => {
  it('generate is predict with the state\'s running statistics; each sample is the same alone as in its batch', () => {
    fc.assert(
      fc.property(stateWithBatch(anyActivation), ({ state, noise }) => {
        const samples = generate(state, noise)
        expect(toFlat(samples)).toEqual(toFlat(predict(generatorSpec(state.config), state.generator, noise, state.generatorStats)))
        toArrays(noise).forEach((row, i) => expect(toArrays(generate(state, fromFlat(1, row.length, row)))[0]).toEqual(toArrays(samples)[i]))
      }),
    )
  })

  it('and not training mode: a trained state\'s samples differ from G\'s training pass over the same noise', () => {
    const config: GanConfig = { ...seedConfig, epochs: 2, generator: { layers: [{ units: 4, activation: { kind: 'identity' } }, bn(4, { kind: 'relu' }), { units: 2, activation: { kind: 'identity' } }] } }
    const { state } = train(config)
    const [noise] = normalMatrix(rngFromSeed(1), 8, 2)
    expect(toFlat(generate(state, noise))).not.toEqual(toFlat(forward(generatorSpec(config), state.generator, noise).output))
  })
})

describe('the codec', () => {
  const config: GanConfig = { ...seedConfig, epochs: 1, generator: { layers: [bn(2, { kind: 'identity' }), { units: 5, activation: { kind: 'identity' } }, bn(5, { kind: 'tanh' }, 0.3, 1e-3), { units: 2, activation: { kind: 'identity' } }] } }

  it('a version 2 state round-trips, and the decoded state trains on bit for bit as the original', () => {
    const { state } = train(config)
    const text = encodeState(state)
    expect(JSON.parse(text).version).toBe(2)
    expect(STATE_FORMAT_VERSION).toBe(2)
    const back = decodeState(text)
    if (E.isLeft(back)) throw new Error(back.left)
    expect(encodeState(back.right)).toBe(text)
    expect(statsOf(back.right.generatorStats)).toEqual(statsOf(state.generatorStats))
    const data = runData(config)
    expect(encodeState(trainEpoch(back.right, data)[1])).toBe(encodeState(trainEpoch(state, data)[1]))
  })

  it('a state without batch normalisation is written as version 1, without the field, and read back with none', () => {
    const json = stateToJson(initialState(seedConfig)) as Record<string, unknown>
    expect(json['version']).toBe(1)
    expect('generatorStats' in json).toBe(false)
    const back = decodeState(JSON.stringify(json))
    expect(E.isRight(back) && back.right.generatorStats).toEqual([])
  })

  it('every corruption of generatorStats is refused with its message', () => {
    const good = stateToJson(initialState(config)) as Record<string, unknown>
    const stats = good['generatorStats'] as Array<Record<string, unknown>>
    const matrix = (cols: number, values: number[]) => stateToJson({ ...initialState(config), generatorStats: [{ mean: fromFlat(1, cols, values), variance: fromFlat(1, cols, values) }, ...initialState(config).generatorStats.slice(1)] } as GanState) as Record<string, unknown>
    const negative = (matrix(2, [0, -1])['generatorStats'] as unknown[])[0]
    const cases: [unknown, string][] = [
      [{ ...good, version: 1, generatorStats: undefined }, 'state: a version 1 state holds no running statistics, but its config\'s generator has 2 batch normalisation layers (write it as version 2 with generatorStats)'],
      [{ ...good, generatorStats: undefined }, 'state.generatorStats: expected an array of { mean, variance }, one per batch normalisation layer of the generator, found undefined'],
      [{ ...good, generatorStats: stats.slice(1) }, 'state.generatorStats: the spec has 2 batch normalisation layers but the running statistics have 1'],
      [{ ...good, generatorStats: [{ ...stats[0], extra: 1 }, stats[1]] }, 'unknown state field "state.generatorStats[0].extra"; known fields of running statistics: mean, variance'],
      [{ ...good, generatorStats: [{ mean: (stats[0] as Record<string, unknown>)['mean'] }, stats[1]] }, 'state.generatorStats[0]: expected { mean, variance } of matrices'],
      [{ ...good, generatorStats: [stats[1], stats[0]] }, 'state.generatorStats: running statistics 0 need a mean of (1x2), got (1x5)'],
      [{ ...good, generatorStats: [negative, stats[1]] }, 'state.generatorStats: running statistics 0 have a variance of -1; variances must be >= 0'],
      [{ ...good, generatorStats: [(stats[0] as Record<string, unknown>)['mean'], stats[1]] }, 'state.generatorStats[0]: expected { mean, variance } of matrices'],
      [{ ...good, generatorStats: [3, stats[1]] }, 'state.generatorStats[0]: expected { mean, variance } of matrices'],
      [{ ...good, generatorStats: [{ variance: (stats[0] as Record<string, unknown>)['variance'] }, stats[1]] }, 'state.generatorStats[0]: expected { mean, variance } of matrices'],
      [{ ...good, generatorStats: [{ ...stats[0], mean: { rows: 1, cols: 2, f64: '00' } }, stats[1]] }, 'state.generatorStats[0].mean: f64 must hold 2 values as 32 hex digits, found 2 digits'],
    ]
    for (const [json, message] of cases) {
      const text = JSON.stringify(json)
      const r = decodeState(text)
      expect(E.isLeft(r) ? r.left : 'accepted').toBe(message)
    }
  })
})

describe('extreme values through batch normalisation', () => {
  const MAX = Number.MAX_VALUE
  const extreme = (...xs: number[]): fc.Arbitrary<number> => fc.constantFrom(...xs)
  const hostile: fc.Arbitrary<GanConfig> = fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      size: fc.integer({ min: 2, max: 12 }),
      batch: fc.integer({ min: 2, max: 12 }),
      lr: extreme(Number.MIN_VALUE, 0.05, 1e150, 1e306, MAX),
      weightStd: extreme(0, Number.MIN_VALUE, 0.02, 1, 1e150, 1e300, MAX / 16),
      scaleA: extreme(0, 1, 1e150, 1e300, MAX / 64),
      momentum: extreme(0, 0.1, 1),
      epsilon: extreme(Number.MIN_VALUE, 1e-5, 1e300),
      objective: fc.constantFrom<GanConfig['objective']>(undefined, { kind: 'hinge' }, { kind: 'wasserstein', clip: 1e300 }),
    })
    .map((r) => ({
      ...seedConfig,
      seed: r.seed,
      epochs: 2,
      batchSize: Math.min(r.batch, r.size),
      learningRateD: r.lr,
      learningRateG: r.lr,
      generator: { layers: [{ units: 3, activation: { kind: 'identity' } }, bn(3, { kind: 'relu' }, r.momentum, r.epsilon), { units: 2, activation: { kind: 'identity' } }] },
      init: { weightStd: r.weightStd, biasInit: 'normal' as const },
      data: { kind: 'affine-gaussian' as const, size: r.size, A: [[r.scaleA, -r.scaleA], [r.scaleA / 2, r.scaleA]], b: [1, -1] },
      ...(r.objective === undefined ? {} : { objective: r.objective }),
    }))

  it('train returns finite means and an all-finite state, or throws a NonFiniteError with an all-finite state', () => {
    fc.assert(
      fc.property(hostile, (config) => {
        fc.pre(problems(config).length === 0)
        const result = trainWithinGuards(config)
        // samples in evaluation mode: finite, or the NonFiniteSamplesError that names them
        if (result !== undefined) {
          try {
            expect(toFlat(sampleGenerator(result.state, rngFromSeed(1), 20)[0]).every(Number.isFinite)).toBe(true)
          } catch (e) {
            expect(e).toBeInstanceOf(NonFiniteSamplesError)
          }
        }
      }),
    )
  })
})

describe('limits', () => {
  it('parameterCount counts γ and β; one update\'s workspace is at most 8 · stepActivations + the parameters (24 · and twice with a gradient penalty)', () => {
    const c: GanConfig = { ...seedConfig, generator: { layers: [{ units: 4, activation: { kind: 'identity' } }, bn(4, { kind: 'relu' }), { units: 2, activation: { kind: 'identity' } }] } }
    // G: 2·4 + 4, then γ and β: 2·4, then 4·2 + 2
    expect(parameterCount(c).generator).toBe(12 + 8 + 10)
    // 8 · (2 + 2 + (4 + 2·4 + 2) + 9)
    expect(stepActivations(c)).toBe(8 * 27)
    fc.assert(
      fc.property(withBatchNorm(anyActivation), fc.constantFrom<GanConfig['objective']>(undefined, { kind: 'wasserstein-gp', lambda: 1 }), (config, objective) => {
        const conf: GanConfig = { ...config, ...(objective === undefined ? {} : { objective }) }
        const bound = objective === undefined ? 8 * stepActivations(conf) + parameterCount(conf).total : 24 * stepActivations(conf) + 2 * parameterCount(conf).total
        expect(updatePlans(conf, conf.batchSize).size).toBeLessThanOrEqual(bound)
      }),
    )
  })
})

describe('the run record\'s size bound', () => {
  it('counts G\'s running statistics: a run with four 300-wide batch normalisation layers, every number at its longest, stays within runRecordSizeBound', () => {
    const wide = bn(300, { kind: 'identity' })
    const config: GanConfig = { ...seedConfig, epochs: 1, data: { ...seedConfig.data, size: 40 }, generator: { layers: [{ units: 300, activation: { kind: 'identity' } }, wide, wide, wide, bn(300, { kind: 'relu' }), { units: 2, activation: { kind: 'identity' } }] } }
    // with its one snapshot and heat-map grid, as pure-gan train takes it, so that the bound's allowance for them is used
    const grid = criticGridSpec(config, runData(config))
    const snapshots: ReturnType<typeof snapshotOf>[] = []
    const { state, history } = train(config, (_, s) => snapshots.push(snapshotOf(s, grid)))
    const longest = -1.2345678901234567e-300
    const longestNumbers = (v: unknown): unknown =>
      typeof v === 'number' ? longest : Array.isArray(v) ? v.map(longestNumbers) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, longestNumbers(x)])) : v
    const record = makeRunRecord('0.0.0-a-long-prerelease-version-string', runData(config), history, snapshots, state)
    const worst = `${JSON.stringify(longestNumbers(record), null, 1)}\n`
    expect(worst.length).toBeLessThanOrEqual(runRecordSizeBound(state.config))
  })
})

describe('messages', () => {
  const g = (...layers: LayerSpec[]): GanConfig => ({ ...seedConfig, generator: { layers: [...layers, { units: 2, activation: { kind: 'identity' } } as LayerSpec] } })
  const relu: Activation = { kind: 'relu' }
  it('the config: G only, the width, momentum, epsilon, unknown keys, one-row minibatches; defaults filled in', () => {
    expect(problems(g({ units: 4, activation: relu }, bn(3, relu)))).toEqual(["generator.layers[1].units must equal its input's width 4 (a batch normalisation layer keeps the width), got 3"])
    expect(problems(g(bn(3, relu)))).toEqual(["generator.layers[0].units must equal its input's width 2 (a batch normalisation layer keeps the width), got 3"])
    expect(problems(g(bn(2, relu, 1.5, 0)))).toEqual([
      "generator.layers[0].momentum must be a number in [0, 1] (the running statistics' step towards the batch's), got 1.5",
      'generator.layers[0].epsilon must be a finite number > 0 (added to the variance), got 0',
    ])
    expect(problems(g({ ...bn(2, relu), pieces: 2 } as LayerSpec))).toEqual(['unknown config field "generator.layers[0].pieces"; known fields of a batch normalisation layer: kind, units, activation, momentum, epsilon'])
    expect(problems({ ...seedConfig, discriminator: { layers: [{ units: 5, activation: relu }, bn(5, relu), { units: 1, activation: { kind: 'identity' } }] } })).toEqual([
      "discriminator.layers[1]: batch normalisation is for the generator's layers only, not the discriminator's (D's batch mixes real and generated rows, and the gradient penalties are per-row)",
    ])
    expect(problems({ ...g(bn(2, relu)), batchSize: 1 })).toEqual(['batchSize must be at least 2 with batch normalisation in the generator (one row has no variance), got 1'])
    expect(problems({ ...g(bn(2, relu)), batchSize: 3, data: { ...seedConfig.data, size: 10 } })).toEqual([
      'batchSize 3 leaves a last minibatch of 1 row of data.size 10; batch normalisation in the generator needs at least 2 rows (choose a batchSize that does not leave 1)',
    ])
    const filled = validateConfig(g({ kind: 'batchnorm', units: 2, activation: relu }))
    expect(E.isRight(filled) && filled.right.generator.layers[0]).toEqual({ kind: 'batchnorm', units: 2, activation: relu, momentum: 0.1, epsilon: 1e-5 })
  })

  it('the updates: a one-row minibatch, and running statistics that do not fit G', () => {
    const state = initialState(g(bn(2, relu)))
    const one = fromFlat(1, 2, [0.5, -1])
    expect(thrown(() => updateD(state, one, one)).message).toBe('updateD: batch normalisation in the generator needs minibatches of at least 2 rows (one row has no variance), got (1x2) noise')
    expect(thrown(() => updateG(state, one)).message).toBe('updateG: batch normalisation in the generator needs minibatches of at least 2 rows (one row has no variance), got (1x2) noise')
    const two = fromFlat(2, 2, [0.5, -1, 2, 0])
    expect(thrown(() => updateG({ ...state, generatorStats: [] }, two)).message).toBe('updateG: the spec has 1 batch normalisation layer but the running statistics have 0')
    const plain = initialState(seedConfig)
    // without batch normalisation one row is a minibatch like any other, and no statistics move
    const [, afterD] = updateD(plain, one, one)
    expect(afterD.generatorStats).toEqual([])
    expect(updateG(afterD, one)[1].generatorStats).toEqual([])
    expect(thrown(() => updateD({ ...plain, generatorStats: state.generatorStats }, two, two)).message).toBe('updateD: the spec has 0 batch normalisation layers but the running statistics have 1')
    expect(thrown(() => train({ ...g(bn(2, relu)), epochs: 1 }) && trainIteration({ ...state, generatorStats: [{ mean: fromFlat(1, 2, [0, Number.NaN]), variance: fromFlat(1, 2, [1, 1]) }] }, [two])).message).toBe(
      "trainIteration: the state's generator running statistics must be finite, but one is NaN or infinite",
    )
  })
})
