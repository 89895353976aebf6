/**
 * The resource limits of validateConfig (src/gan/limits.ts, docs/limits.md): each refuses a
 * config just past it with a message naming what is too large, its numbers and the limit,
 * and lets the config at it pass; an MNIST-sized GAN stays valid; `runRecordSizeBound` is an
 * upper bound of the run record's text even when every number prints at its longest; one
 * step's workspace is within 8 · stepActivations + parameters; the data is finite for every
 * draw of the normal sampler.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  type GanConfig,
  NORMAL_DRAW_BOUND,
  RUN_LIMITS,
  makeData,
  parameterCount,
  runData,
  runRecordSizeBound,
  seedConfig,
  stepActivations,
  train,
  validateConfig,
} from '../../src/gan/index.js'
import { updatePlans } from '../../src/gan/update.js'
import { fromFlat } from '../../src/matrix/index.js'
import { normalFromUint53 } from '../../src/random/normal.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { criticGridSpec, makeRunRecord, snapshotEpochs, snapshotOf } from '../../src/report/make-record.js'
import { anyActivation, ganConfigWith } from '../support/gan-arbitraries.js'
import { dataWidth } from '../../src/gan/data.js'

const problems = (c: unknown): ReadonlyArray<string> => {
  const r = validateConfig(c)
  return E.isLeft(r) ? r.left : []
}

const layer = (units: number, kind: 'identity' | 'tanh' | 'relu' = 'tanh') => ({ units, activation: { kind } })
const logit = layer(1, 'identity')

/** Data of width d (A: k rows, mostly zeros) and n rows. */
const dataOf = (d: number, k = 1, n = 1000) => ({
  kind: 'affine-gaussian' as const,
  size: n,
  A: Array.from({ length: k }, (_, i) => Array.from({ length: d }, (_, j) => (i === j % k ? 1 : 0))),
  b: Array.from({ length: d }, () => 0),
})

/** A GAN on data of width d: G latent → hidden → d, D d → hidden → 1. */
const gan = (o: { d?: number; k?: number; n?: number; latent?: number; hidden?: ReadonlyArray<number>; batch?: number; epochs?: number }): GanConfig => {
  const d = o.d ?? 2
  const hidden = o.hidden ?? []
  return {
    ...seedConfig,
    epochs: o.epochs ?? 1,
    batchSize: o.batch ?? 8,
    latentDim: o.latent ?? 2,
    generator: { layers: [...hidden.map((u) => layer(u)), layer(d, 'identity')] },
    discriminator: { layers: [...hidden.map((u) => layer(u)), logit] },
    data: dataOf(d, o.k, o.n),
  }
}

describe('resource limits', () => {
  it('an MNIST-sized GAN (784-wide data of 60 000 rows, latent 100, one hidden layer of 1200 in each network, a 784 x 784 A, 100 epochs, batch 100) is valid', () => {
    const mnist = { ...gan({ d: 784, k: 784, n: 60_000, latent: 100, hidden: [1200], batch: 100, epochs: 100 }) }
    expect(problems(mnist)).toEqual([])
    expect(runRecordSizeBound(mnist)).toBeLessThan(RUN_LIMITS.maxRunRecordBytes)
  })

  // Each case: the config at the limit (valid), past it (refused), and the message it must give.
  const cases: ReadonlyArray<readonly [string, GanConfig, GanConfig, string]> = [
    ['data width', gan({ d: 1024, n: 10 }), gan({ d: 1025, n: 10 }), "data: the data's width (data.b has 1025 entries) is more than the limit of 1024"],
    ['rows of A', gan({ d: 2, k: 1024, n: 10 }), gan({ d: 2, k: 1025, n: 10 }), 'data.A has 1025 rows, more than the limit of 1024'],
    ['layers', { ...gan({}), discriminator: { layers: [...Array.from({ length: 999 }, () => layer(1)), logit] } }, { ...gan({}), discriminator: { layers: [...Array.from({ length: 1000 }, () => layer(1)), logit] } }, 'discriminator.layers has 1001 layers, more than the limit of 1000'],
    ['data entries', gan({ d: 13, n: 10_000_000, k: 1 }), gan({ d: 14, n: 10_000_000, k: 1 }), 'data: data.size × max(width, rows of data.A) = 10000000 × 14 = 140000000 entries, more than the limit of 134217728'],
    ['epoch noise', gan({ d: 1, n: 2 ** 17, latent: 1024 }), gan({ d: 1, n: 2 ** 17, latent: 1025 }), 'the noise of one epoch, data.size × latentDim = 131072 × 1025 = 134348800 normal draws, is more than the limit of 134217728'],
    ['step activations', gan({ d: 1, n: 2 ** 22, batch: 2 ** 22, latent: 5 }), gan({ d: 1, n: 2 ** 22, batch: 2 ** 22, latent: 6 }), "one step's activations, batchSize × (latentDim + data width + all layer widths) = 4194304 × 9 = 37748736, are more than the limit of 33554432"],
    ['evaluation activations', gan({ d: 1, latent: 13_420, n: 10 }), gan({ d: 1, latent: 13_422, n: 10 }), "the summary's activations, 10000 samples × (latentDim + generator layer widths) = 10000 × 13423 = 134230000, are more than the limit of 134217728"],
    ['data magnitude', { ...gan({}), data: { ...dataOf(2), A: [[1e100 / 8.3 / 1.001, 0]] } }, { ...gan({}), data: { ...dataOf(2), A: [[1e100 / 8.3 * 1.001, 0]] } }, 'data.A and data.b: column 0 of the data x·A + b can reach 1.001e+100'],
    ['initial weights', { ...gan({}), init: { weightStd: 1e100 / 8.3 / 1.001, biasInit: 'normal' } }, { ...gan({}), init: { weightStd: Number.MAX_VALUE, biasInit: 'zeros' } }, 'init.weightStd: the initial weights, weightStd · z for normal draws z within ±8.3, can reach Infinity, more than the limit of 1e+100'],
    ['run record', gan({ epochs: 1_000_000 }), gan({ epochs: 1_000_000, hidden: [2000, 2000] }), 'the run record (run.json) could reach'],
  ]

  it.each(cases)('%s: the config at the limit is valid, past it a Left naming the numbers and the limit', (_, at, past, message) => {
    const atProblems = problems(at)
    expect(atProblems, atProblems.join(' | ')).toEqual([])
    const found = problems(past)
    expect(found.some((p) => p.includes(message)), found.join(' | ')).toBe(true)
  })

  it('parameters: past the limit a Left naming both networks\' counts (the run record limit binds first below it: 48 bytes of hex per parameter)', () => {
    const past = gan({ latent: 80, hidden: [100_000] })
    expect(parameterCount(past).total).toBeGreaterThan(RUN_LIMITS.maxParameters)
    expect(problems(past)).toContain('the networks have 8700003 parameters (generator 8300002, discriminator 400001), more than the limit of 8388608')
    const below = gan({ latent: 1, hidden: [100_000] })
    expect(problems(below).some((p) => p.includes('parameters'))).toBe(false)
  })

  it('a huge data.b is refused by the snapshot before it is copied (more values than a config holds)', () => {
    const found = problems({ ...seedConfig, data: { ...seedConfig.data, b: new Array(2 ** 22).fill(0) } })
    expect(found).toEqual(['data.b: an array of 4194304 entries: more than the 2097152 values in all that are read'])
  })

  it('runRecordSizeBound bounds the run record of small random runs (heat-map grids included), even with every number at its longest (24 characters), and is within 20% + 16 KiB of that', () => {
    const longest = -1.2345678901234567e-300
    expect(JSON.stringify(longest)).toHaveLength(24)
    const longestNumbers = (v: unknown): unknown =>
      typeof v === 'number' ? longest : Array.isArray(v) ? v.map(longestNumbers) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, longestNumbers(x)])) : v
    fc.assert(
      fc.property(ganConfigWith(anyActivation), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), (base, epochs, size0, packed, normed) => {
        // packed: PacGAN pairs (D then reads 2 points per row and has no heat map); the size is made even
        const size = packed || normed ? 2 * Math.ceil(size0 / 2) : size0
        // normed: G normalises its noise first (batch normalisation: running statistics in the state, version 2; minibatches of an even size >= 2)
        const generator = normed ? { layers: [{ kind: 'batchnorm' as const, units: base.latentDim, activation: { kind: 'identity' as const } }, ...base.generator.layers] } : base.generator
        const batchSize = normed ? Math.min(2 * Math.ceil(base.batchSize / 2), size) : Math.min(base.batchSize, size)
        const config = { ...base, epochs, generator, data: { ...base.data, size }, batchSize, ...(packed ? { pack: 2 } : {}) }
        const snaps = new Set(snapshotEpochs(epochs))
        const snapshots: ReturnType<typeof snapshotOf>[] = []
        // As pure-gan train takes them: with D's heat-map grid for 2-column data (widths 1..3 are drawn)
        const grid = criticGridSpec(config, runData(config))
        const { state, history } = train(config, (r, s) => {
          if (snaps.has(r.epoch)) snapshots.push(snapshotOf(s, grid))
        })
        expect(snapshots.every((s) => (s.critic !== undefined) === (dataWidth(config.data) === 2 && !packed))).toBe(true)
        const record = makeRunRecord('0.0.0-a-long-prerelease-version-string', runData(config), history, snapshots, state)
        const bound = runRecordSizeBound(state.config)
        const text = `${JSON.stringify(record, null, 1)}\n`
        const worst = `${JSON.stringify(longestNumbers(record), null, 1)}\n`
        expect(text.length).toBeLessThanOrEqual(bound)
        expect(worst.length).toBeLessThanOrEqual(bound)
        expect(bound).toBeLessThanOrEqual(worst.length * 1.2 + 16384)
      }),
    )
  })

  it("one update's workspace is at most 8 · stepActivations + the parameters; with a gradient penalty or dropout, 24 · stepActivations + twice the parameters", () => {
    fc.assert(
      fc.property(ganConfigWith(anyActivation), fc.integer({ min: 1, max: 12 }), fc.constantFrom('none', 'r1', 'gp', 'both', 'dropout'), (config, batchSize, extra) => {
        const keep = (layers: GanConfig['discriminator']['layers']) => layers.map((l) => ({ ...l, keep: 0.5 }))
        const c: GanConfig = {
          ...config,
          batchSize,
          ...(extra === 'r1' || extra === 'both' ? { penalty: { kind: 'r1' as const, gamma: 1 } } : {}),
          ...(extra === 'gp' || extra === 'both' ? { objective: { kind: 'wasserstein-gp' as const, lambda: 1 } } : {}),
          ...(extra === 'dropout' ? { discriminator: { layers: keep(config.discriminator.layers) } } : {}),
        }
        const bound = extra === 'none' ? 8 * stepActivations(c) + parameterCount(c).total : 24 * stepActivations(c) + 2 * parameterCount(c).total
        expect(updatePlans(c, batchSize).size).toBeLessThanOrEqual(bound)
      }),
      { numRuns: 300 },
    )
  })

  it('the data is finite for the largest draws of the sampler when A and b are at the magnitude limit', () => {
    const extreme = normalFromUint53(0)
    expect(Math.abs(extreme)).toBeLessThan(NORMAL_DRAW_BOUND)
    const a = RUN_LIMITS.maxDataMagnitude / NORMAL_DRAW_BOUND / 3.01
    const data = { kind: 'affine-gaussian' as const, size: 50, A: [[a, -a], [-a, a], [a, a]], b: [0, 0] }
    const config = { ...seedConfig, data, discriminator: seedConfig.discriminator }
    expect(problems(config)).toEqual([])
    // x at ±the largest draw in every entry: |x·A| reaches 3 · a · 8.29 < the limit
    const X = fromFlat(1, 3, [extreme, -extreme, extreme])
    const worst = X.data.reduce((s, x, k) => s + Math.abs(x as number) * Math.abs(data.A[k]![0]!), 0)
    expect(Number.isFinite(worst) && worst <= RUN_LIMITS.maxDataMagnitude).toBe(true)
    const [m] = makeData(data, rngFromSeed(0))
    expect(Array.from(m.data as unknown as Float64Array).every(Number.isFinite)).toBe(true)
  })
})
