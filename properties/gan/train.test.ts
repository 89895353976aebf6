import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  decodeState,
  encodeState,
  NonFiniteLossError,
  initialState,
  runData,
  seedConfig,
  summarizeGenerator,
  train,
  trainEpoch,
  trainEpochs,
  trainStep,
} from '../../src/gan/index.js'
import { fromArrays, sliceRows } from '../../src/matrix/index.js'
import { relativeFrobeniusError } from '../../src/metrics/gaussian.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { dataSize } from '../../src/gan/data.js'

const LN2 = Math.LN2
const distIndex = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

/** A run's complete observable result as text: the encoded final state and every loss as hex bits. */
const fingerprint = (r: ReturnType<typeof train>): string => {
  const hex = (x: number) => Buffer.from(new Float64Array([x]).buffer).toString('hex')
  return encodeState(r.state) + '|' + r.history.map((h) => `${h.epoch}:${hex(h.lossD)}:${hex(h.lossG)}:${h.examples}`).join(',')
}

describe('determinism', () => {
  it('the same config gives bit-identical results twice in one process', () => {
    fc.assert(
      fc.property(ganConfig, (config) => {
        expect(fingerprint(train(config))).toBe(fingerprint(train(config)))
      }),
    )
  })

  it('the same seed and config give bit-identical results in two separate Node processes', () => {
    expect(existsSync(distIndex), 'run `npm run build` first (npm test does it)').toBe(true)
    const script = `
      import { train, seedConfig, encodeState } from ${JSON.stringify(distIndex)}
      const r = train({ ...seedConfig, epochs: 3, seed: 12345 })
      const hex = (x) => Buffer.from(new Float64Array([x]).buffer).toString('hex')
      process.stdout.write(encodeState(r.state) + '|' + r.history.map((h) => h.epoch + ':' + hex(h.lossD) + ':' + hex(h.lossG) + ':' + h.examples).join(','))
    `
    const run = () => execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    const first = run()
    const second = run()
    expect(first.length).toBeGreaterThan(1000)
    expect(second).toBe(first)
    // ... and equal to this process's run of the same config.
    expect(first).toBe(fingerprint(train({ ...seedConfig, epochs: 3, seed: 12345 })))
  })

  it('E1 + E2 epochs equal E1 epochs, a JSON round trip of the state, and E2 more', () => {
    fc.assert(
      fc.property(ganConfig, fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), (config, e1, e2) => {
        const data = runData(config)
        const straight = trainEpochs(initialState(config), data, e1 + e2)
        const first = trainEpochs(initialState(config), data, e1)
        const decoded = decodeState(encodeState(first.state))
        if (E.isLeft(decoded)) throw new Error(decoded.left)
        const resumed = trainEpochs(decoded.right, data, e2)
        expect(encodeState(resumed.state)).toBe(encodeState(straight.state))
        expect([...first.history, ...resumed.history]).toEqual(straight.history)
      }),
    )
  })
})

describe('the training loop', () => {
  it('an epoch makes ceil(N / batch) steps, keeps a ragged last batch, and counts every example once', () => {
    fc.assert(
      fc.property(ganConfig, fc.integer({ min: 1, max: 12 }), (config, batchSize) => {
        const c = { ...config, batchSize }
        const [report, next] = trainEpoch(initialState(c), runData(c))
        expect(next.step).toBe(Math.ceil(dataSize(c.data) / batchSize))
        expect(next.epoch).toBe(1)
        expect(report.examples).toBe(dataSize(c.data))
        expect(Number.isFinite(report.lossD) && Number.isFinite(report.lossG)).toBe(true)
      }),
    )
  })

  it('trainStep draws its noise from the state PRNG: same state, same result; it advances the PRNG', () => {
    const s = initialState(seedConfig)
    const batch = sliceRows(runData(seedConfig), 0, 8)
    const [a, s1] = trainStep(s, batch)
    const [b, s2] = trainStep(s, batch)
    expect(a).toEqual(b)
    expect(encodeState(s1)).toBe(encodeState(s2))
    expect(s1.rng.state).not.toEqual(s.rng.state)
    expect(s1.step).toBe(1)
  })

  it('train reports every epoch through the callback, in order, as in its result', () => {
    const seen: number[] = []
    const r = train({ ...seedConfig, epochs: 3 }, (report, state) => {
      seen.push(report.epoch)
      expect(state.epoch).toBe(report.epoch)
    })
    expect(seen).toEqual([1, 2, 3])
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3])
    expect(r.state.step).toBe(3 * 125)
  })

  it('a non-finite loss stops training with an error naming the step and network, carrying the last finite state', () => {
    const config = { ...seedConfig, epochs: 2, learningRateD: 1e308, learningRateG: 1e308 }
    let error: unknown
    try {
      train(config)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(NonFiniteLossError)
    const e = error as NonFiniteLossError
    expect(e.message).toMatch(/^training stopped at step \d+ \(epoch \d+\): the (generator|discriminator)'s loss is (NaN|-?Infinity)$/)
    expect(e.lastFiniteState.step).toBe(e.step - 1)
    // Here the failure is in an epoch's first step, so the last finite state is at an epoch
    // boundary and resuming the epoch loop from it repeats the failing step exactly.
    expect(e.lastFiniteState.step % 125).toBe(0)
    expect(() => trainEpochs(e.lastFiniteState, runData(config), 1)).toThrow(e.message)
  })

  it('an invalid config is rejected before anything runs, naming every bad field', () => {
    let called = false
    const bad = () => train({ ...seedConfig, batchSize: 0, learningRateD: -1 }, () => (called = true))
    expect(bad).toThrow('batchSize must be an integer in 1..1000, got 0')
    expect(bad).toThrow('learningRateD must be a finite number > 0, got -1')
    expect(called).toBe(false)
  })
})

describe("reproducing the seed's result (docs/reproduction.md)", () => {
  // Tolerances come from the 20-seed table in docs/reproduction.md (seeds 0..19): the
  // largest deviations over all 20 seeds were |loss - ln 2| 0.0058, mean 0.664, relative
  // covariance error 0.484, Fréchet distance 1.24. The bounds sit just above those maxima,
  // so they would hold for any of the 20 seeds, not only the one tested; an untrained or
  // broken generator is far outside them (at initialisation the Fréchet distance is ~10).
  it('seed 0 with the defaults ends with both losses near ln 2 and samples with the data’s mean and covariance', () => {
    const { state, history } = train(seedConfig)
    const final = history[history.length - 1]!
    expect(history).toHaveLength(20)
    expect(Math.abs(final.lossD - LN2)).toBeLessThan(0.01)
    expect(Math.abs(final.lossG - LN2)).toBeLessThan(0.01)
    const s = summarizeGenerator(state)
    expect(s.samples).toBe(10_000)
    s.mean.forEach((m, j) => expect(Math.abs(m - s.trueMean[j]!)).toBeLessThan(0.7))
    expect(relativeFrobeniusError(fromArrays(s.covariance), fromArrays(s.trueCovariance))).toBeLessThan(0.5)
    expect(s.frechetDistance).toBeLessThan(1.5)
    // The untrained generator is nowhere near: the bounds above can fail.
    expect(summarizeGenerator(initialState(seedConfig)).frechetDistance).toBeGreaterThan(5)
  })
})
