/**
 * The generator's noise distribution (config `noise`, issue 18): normal (the seed's, and the
 * default) or uniform on [−bound, bound). `noiseMatrix` is the one place noise is drawn; these
 * properties pin it to its transcription, check that every path of a run (`trainStep`,
 * `trainEpoch`'s fast loop and its WebAssembly epoch, `trainBatches`, `sampleGenerator`) draws
 * exactly that noise, and that the config refuses what it cannot use.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import { type GanConfig, UNIFORM_NOISE_BOUND, seedConfig, validateConfig } from '../../src/gan/config.js'
import { sampleGenerator, generate } from '../../src/gan/evaluate.js'
import type { GanState } from '../../src/gan/index.js'
import { noiseMatrix } from '../../src/gan/noise.js'
import { initialState, runData } from '../../src/gan/state.js'
import { trainBatches, trainEpoch, trainStep } from '../../src/gan/train.js'
import { updateD, updateG } from '../../src/gan/update.js'
import { sliceRows } from '../../src/matrix/index.js'
import { normalMatrix } from '../../src/random/normal.js'
import { rngFromSeed, uniforms } from '../../src/random/rng.js'
import * as E from '../../src/fp/either.js'
import { anyActivation, ganConfigWith } from '../support/gan-arbitraries.js'
import { epochByStep } from '../support/epoch-by-step.js'

const bits = (x: number): string => {
  const v = new DataView(new ArrayBuffer(8))
  v.setFloat64(0, x)
  return v.getBigUint64(0).toString(16)
}

/** A random architecture with uniform noise of a random bound (√3 in a third of the cases). */
const uniformConfigs: fc.Arbitrary<GanConfig> = fc
  .tuple(ganConfigWith(anyActivation), fc.oneof(fc.constant(UNIFORM_NOISE_BOUND), fc.double({ min: 0.01, max: 10, noNaN: true })))
  .map(([config, bound]) => ({ ...config, noise: { kind: 'uniform' as const, bound } }))

describe('noiseMatrix', () => {
  it('draws normal noise as normalMatrix does, bit for bit, with or without the field', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 9 }), (seed, rows) => {
        const rng = rngFromSeed(seed)
        const [ref, refNext] = normalMatrix(rng, rows, seedConfig.latentDim)
        for (const config of [seedConfig, { ...seedConfig, noise: { kind: 'normal' as const } }]) {
          const [z, next] = noiseMatrix(rng, rows, config)
          expect(Array.from(z.data, bits)).toEqual(Array.from(ref.data, bits))
          expect(next).toEqual(refNext)
        }
      }),
    )
  })

  it('draws uniform noise as bound·(2u − 1) of the stream’s uniforms, row-major, in [−bound, bound)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 7 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (seed, rows, q, bound) => {
        const config = { ...seedConfig, latentDim: q, noise: { kind: 'uniform' as const, bound } }
        const rng = rngFromSeed(seed)
        const [z, next] = noiseMatrix(rng, rows, config)
        // the transcription: one uniform per entry, in order
        let r = rng
        const want: number[] = []
        for (let i = 0; i < rows * q; i++) {
          const [[u], after] = uniforms(r, 1)
          want.push(bound * (2 * u! - 1))
          r = after
        }
        expect([z.rows, z.cols]).toEqual([rows, q])
        expect(Array.from(z.data, bits)).toEqual(want.map(bits))
        expect(next).toEqual(r)
        for (const x of z.data) expect(x >= -bound && x < bound).toBe(true)
      }),
    )
  })
})

describe('a run with uniform noise', () => {
  it('trainStep draws its Z with noiseMatrix: the same bits as updateD then updateG on that Z', () => {
    fc.assert(
      fc.property(uniformConfigs, (config) => {
        const s0 = initialState(config)
        const batch = sliceRows(runData(config), 0, Math.min(config.batchSize, runData(config).rows))
        const [losses, s1] = trainStep(s0, batch)
        const [z, rng] = noiseMatrix(s0.rng, batch.rows, config)
        const [lossD, d1] = updateD({ ...s0, rng }, batch, z)
        const [lossG, g1] = updateG(d1, z)
        expect(bits(losses.lossD)).toBe(bits(lossD))
        expect(bits(losses.lossG)).toBe(bits(lossG))
        expect(encodeState(s1)).toBe(encodeState({ ...g1, step: 1 }))
      }),
    )
  })

  it('trainEpoch (its fast loop or WebAssembly epoch) and trainBatches are trainStep minibatch by minibatch', () => {
    fc.assert(
      fc.property(uniformConfigs, (config) => {
        const data = runData(config)
        const s0: GanState = initialState(config)
        const [report, fast] = trainEpoch(s0, data)
        const ref = epochByStep(s0, data)
        expect(bits(report.lossD)).toBe(bits(ref.lossD))
        expect(encodeState(fast)).toBe(encodeState(ref.state))
        const batches = [sliceRows(data, 0, 1), sliceRows(data, 0, data.rows)]
        const [, viaBatches] = trainBatches(s0, batches)
        const [, a] = trainStep(s0, batches[0]!)
        const [, b] = trainStep(a, batches[1]!)
        expect(encodeState(viaBatches)).toBe(encodeState(b))
      }),
    )
  })

  it('sampleGenerator draws the same noise', () => {
    const config = { ...seedConfig, noise: { kind: 'uniform' as const, bound: 2 } }
    const s = initialState(config)
    const [points] = sampleGenerator(s, rngFromSeed(5), 7)
    const [z] = noiseMatrix(rngFromSeed(5), 7, config)
    expect(Array.from(points.data, bits)).toEqual(Array.from(generate(s, z).data, bits))
  })
})

describe('the config’s noise', () => {
  it('fills in the bound √3 and keeps a config without noise as it was', () => {
    const filled = validateConfig({ ...seedConfig, noise: { kind: 'uniform' } } as unknown as GanConfig)
    expect(E.isRight(filled) && filled.right.noise).toEqual({ kind: 'uniform', bound: Math.sqrt(3) })
    const plain = validateConfig(seedConfig)
    expect(E.isRight(plain) && Object.hasOwn(plain.right, 'noise')).toBe(false)
  })

  it('refuses another kind, a bound that is not a finite number > 0 and an unknown key, naming each', () => {
    const problems = (noise: unknown): ReadonlyArray<string> => {
      const r = validateConfig({ ...seedConfig, noise } as unknown as GanConfig)
      return E.isLeft(r) ? r.left : []
    }
    expect(problems({ kind: 'cauchy' })).toEqual(['noise.kind must be one of normal, uniform, got "cauchy"'])
    expect(problems('uniform')).toEqual(['noise.kind must be one of normal, uniform, got undefined'])
    for (const bound of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '2']) {
      expect(problems({ kind: 'uniform', bound })).toEqual([`noise.bound must be a finite number > 0 for uniform noise, got ${typeof bound === 'string' ? '"2"' : String(bound)}`])
    }
    expect(problems({ kind: 'normal', bound: 1 })[0]).toContain('noise.bound')
  })
})
