import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import {
  STATE_FORMAT,
  decodeState,
  encodeState,
  initialState,
  runData,
  seedConfig,
  stateToJson,
  trainEpoch,
} from '../src/gan/index.js'
import { bitEqual, fromFlat } from '../src/matrix/index.js'
import { leaves } from '../src/tree/param-tree.js'
import { ganConfig } from './support/gan-arbitraries.js'

const decodeOrThrow = (text: string) => {
  const r = decodeState(text)
  if (E.isLeft(r)) throw new Error(r.left)
  return r.right
}

const allLeaves = (s: ReturnType<typeof initialState>) =>
  leaves([s.generator, s.discriminator, s.optimizerG.m, s.optimizerG.v, s.optimizerD.m, s.optimizerD.v] as never)

/** The encoded text of a state whose first generator weight is replaced by `x`. */
const withFirstWeight = (x: number): string => {
  const s = initialState(seedConfig)
  const [first, ...rest] = s.generator
  const W = fromFlat(first!.W.rows, first!.W.cols, [x, ...Array.from(first!.W.data as unknown as Float64Array).slice(1)])
  return encodeState({ ...s, generator: [{ ...first!, W }, ...rest] })
}

describe('the GanState codec', () => {
  it('round-trips every float, the PRNG and the counters bit for bit, after training too', () => {
    fc.assert(
      fc.property(ganConfig, fc.boolean(), (config, trained) => {
        const s0 = initialState(config)
        const s = trained ? trainEpoch(s0, runData(config))[1] : s0
        const back = decodeOrThrow(encodeState(s))
        const a = allLeaves(s)
        const b = allLeaves(back)
        expect(b.length).toBe(a.length)
        a.forEach((m, i) => expect(bitEqual(m, b[i]!)).toBe(true))
        expect(back.rng).toEqual(s.rng)
        expect([back.step, back.epoch, back.optimizerD.count, back.optimizerG.count]).toEqual([s.step, s.epoch, s.optimizerD.count, s.optimizerG.count])
        expect(back.config).toEqual(s.config)
        expect(encodeState(back)).toBe(encodeState(s))
      }),
    )
  })

  it('keeps -0, subnormals, extremes and NaN payload-free values exactly', () => {
    for (const x of [-0, 5e-324, -2.2250738585072014e-308, Number.MAX_VALUE, 0.1 + 0.2]) {
      const back = decodeOrThrow(withFirstWeight(x))
      expect(Object.is(back.generator[0]!.W.data[0], x)).toBe(true)
    }
  })

  it('writes the documented header', () => {
    const j = stateToJson(initialState(seedConfig)) as Record<string, unknown>
    expect(j['format']).toBe(STATE_FORMAT)
    expect(j['version']).toBe(1)
  })

  it('rejects corrupted or mismatched text with a message naming the problem', () => {
    const good = encodeState(initialState(seedConfig))
    const j = JSON.parse(good) as Record<string, unknown>
    const reject = (text: string, message: string | RegExp): void => {
      const r = decodeState(text)
      expect(E.isLeft(r)).toBe(true)
      if (E.isLeft(r)) expect(r.left).toMatch(message)
    }
    reject(good.slice(0, good.length / 2), /not valid JSON/)
    reject('[]', 'expected a JSON object')
    reject(JSON.stringify({ ...j, format: 'other' }), 'format must be "pure-gan/gan-state", found "other"')
    reject(JSON.stringify({ ...j, version: 2 }), 'format version 2 is not supported; this pure-gan reads version 1')
    reject(JSON.stringify({ ...j, step: -1 }), 'state.step must be an integer >= 0, found -1')
    reject(JSON.stringify({ ...j, config: { ...(j['config'] as object), batchSize: 0 } }), /state\.config: batchSize must be an integer/)
    reject(JSON.stringify({ ...j, rng: { algorithm: 'xoroshiro128plus', state: [1, 2, 3] } }), /state\.rng\.state/)
    // A matrix of the wrong shape for the config's architecture.
    const gen = JSON.parse(JSON.stringify(j['generator'])) as Array<{ W: { rows: number; cols: number; f64: string } }>
    gen[0]!.W = { rows: 1, cols: 2, f64: gen[0]!.W.f64.slice(0, 32) }
    reject(JSON.stringify({ ...j, generator: gen }), /state\.generator\[0\]: shapes W \(1x2\), b \(1x2\) differ from the config's \(2x2\), \(1x2\)/)
    // A truncated or non-hex float string.
    const gen2 = JSON.parse(JSON.stringify(j['generator'])) as Array<{ W: { f64: string } }>
    gen2[0]!.W.f64 = gen2[0]!.W.f64.slice(0, -1)
    reject(JSON.stringify({ ...j, generator: gen2 }), /f64 must hold 4 values as 64 hex digits, found 63 digits/)
    gen2[0]!.W.f64 = 'z'.repeat(64)
    reject(JSON.stringify({ ...j, generator: gen2 }), /only lowercase hex digits/)
    // Optimiser moments whose shapes do not match the parameters.
    const opt = JSON.parse(JSON.stringify(j['optimizerD'])) as { m: unknown[] }
    opt.m = opt.m.slice(1)
    reject(JSON.stringify({ ...j, optimizerD: opt }), /state\.optimizerD\.m/)
  })
})
