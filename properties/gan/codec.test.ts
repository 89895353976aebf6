import type { AdamState } from '../../src/optim/adam.js'
import type { OptimizerState } from '../../src/optim/choice.js'
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
} from '../../src/gan/index.js'
import { encodeFloatsWith } from '../../src/gan/codec.js'
import { fromFlat } from '../../src/matrix/index.js'
import { leaves } from '../../src/tree/param-tree.js'
import { ganConfig } from '../support/gan-arbitraries.js'

/** The seed's optimiser state, Adam's (every config here uses Adam). */
const adamState = (s: OptimizerState): AdamState => s as AdamState

const decodeOrThrow = (text: string) => {
  const r = decodeState(text)
  if (E.isLeft(r)) throw new Error(r.left)
  return r.right
}

const allLeaves = (s: ReturnType<typeof initialState>) =>
  leaves([s.generator, s.discriminator, adamState(s.optimizerG).m, adamState(s.optimizerG).v, adamState(s.optimizerD).m, adamState(s.optimizerD).v] as never)

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
        a.forEach((m, i) => expect(m).toEqualBits(b[i]!))
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
    reject(JSON.stringify({ ...j, version: 3 }), 'format version 3 is not supported; this pure-gan reads versions 1 and 2')
    reject(JSON.stringify({ ...j, version: 2 }), 'state.generatorStats: expected an array of { mean, variance }, one per batch normalisation layer of the generator, found undefined')
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

  describe('every corruption is a Left with exactly its message, naming the path', () => {
    // Built on first use, inside a test: computed while the file is collected, it would make
    // every mutant it reaches "static" for Stryker (slower, and reported apart).
    let goodText: string | undefined
    const good = (): string => (goodText ??= encodeState(initialState(seedConfig)))
    type J = Record<string, any>
    const expectLeft = (text: string, message: string): void => {
      expect(decodeState(text)).toEqual(E.left(message))
    }
    /** A deep copy of the good state's JSON with `change` applied, encoded again. */
    const corrupt = (change: (j: J) => void): string => {
      const j = JSON.parse(good()) as J
      change(j)
      return JSON.stringify(j)
    }
    const hex = (n: number): string => '0'.repeat(16 * n)
    const rngMessage = 'state.rng: expected { algorithm: "xoroshiro128plus", state: [4 int32] }'
    const cases: ReadonlyArray<readonly [string, (j: J) => void, string]> = [
      ['a truncated f64, with its path', (j) => (j.generator[0].W.f64 = j.generator[0].W.f64.slice(0, -1)), 'state.generator[0].W: f64 must hold 4 values as 64 hex digits, found 63 digits'],
      ['upper-case hex, with its path', (j) => (j.discriminator[2].b.f64 = 'ABCDEF0123456789'), 'state.discriminator[2].b: f64 must contain only lowercase hex digits 0-9a-f'],
      ['a bad moment in optimizerG.m', (j) => (j.optimizerG.m[0].b.f64 = 'x'), 'state.optimizerG.m[0].b: f64 must hold 2 values as 32 hex digits, found 1 digits'],
      ['a bad moment in optimizerD.v', (j) => (j.optimizerD.v[1].W.f64 = ''), 'state.optimizerD.v[1].W: f64 must hold 15 values as 240 hex digits, found 0 digits'],
      ['a number where a matrix belongs', (j) => (j.generator[0].W = 5), 'state.generator[0].W: expected a matrix, an array or a record, found 5'],
      ['null where a matrix belongs', (j) => (j.discriminator[1].b = null), 'state.discriminator[1].b: expected a matrix, an array or a record, found null'],
      ['a string where a matrix belongs', (j) => (j.optimizerD.m[0].W = 'W'), 'state.optimizerD.m[0].W: expected a matrix, an array or a record, found "W"'],
      ['negative rows', (j) => (j.generator[0].W.rows = -1), 'state.generator[0].W: a matrix needs integer rows >= 0, cols >= 0 and a string f64'],
      ['fractional rows', (j) => (j.generator[0].W.rows = 1.5), 'state.generator[0].W: a matrix needs integer rows >= 0, cols >= 0 and a string f64'],
      ['negative cols', (j) => (j.generator[0].W.cols = -2), 'state.generator[0].W: a matrix needs integer rows >= 0, cols >= 0 and a string f64'],
      ['cols as a string', (j) => (j.generator[0].b.cols = '2'), 'state.generator[0].b: a matrix needs integer rows >= 0, cols >= 0 and a string f64'],
      ['f64 as a number', (j) => (j.generator[0].b.f64 = 0), 'state.generator[0].b: a matrix needs integer rows >= 0, cols >= 0 and a string f64'],
      ['a 0-row matrix (well formed, wrong shape)', (j) => (j.generator[0].W = { rows: 0, cols: 2, f64: '' }), "state.generator[0]: shapes W (0x2), b (1x2) differ from the config's (2x2), (1x2)"],
      ['a 0-column matrix (well formed, wrong shape)', (j) => (j.generator[0].W = { rows: 2, cols: 0, f64: '' }), "state.generator[0]: shapes W (2x0), b (1x2) differ from the config's (2x2), (1x2)"],
      ['W with the wrong number of columns', (j) => (j.generator[0].W = { rows: 2, cols: 1, f64: hex(2) }), "state.generator[0]: shapes W (2x1), b (1x2) differ from the config's (2x2), (1x2)"],
      ['b with the wrong number of rows', (j) => (j.discriminator[0].b = { rows: 2, cols: 5, f64: hex(10) }), "state.discriminator[0]: shapes W (2x5), b (2x5) differ from the config's (2x5), (1x5)"],
      ['b with the wrong number of columns', (j) => (j.discriminator[2].b = { rows: 1, cols: 2, f64: hex(2) }), "state.discriminator[2]: shapes W (3x1), b (1x2) differ from the config's (3x1), (1x1)"],
      ['the generator as a record', (j) => (j.generator = { 0: j.generator[0] }), "state.generator: expected 1 layers as the config's architecture has"],
      ['a layer too few', (j) => (j.discriminator = j.discriminator.slice(1)), "state.discriminator: expected 3 layers as the config's architecture has"],
      ['a layer that is a matrix', (j) => (j.generator[0] = j.generator[0].W), 'state.generator[0]: expected a layer { W, b } of matrices'],
      ['a layer that is an array', (j) => (j.generator[0] = [j.generator[0].W, j.generator[0].b]), 'state.generator[0]: expected a layer { W, b } of matrices'],
      ['a layer with an extra key (it used to say "expected a layer { W, b } of matrices"; now it names the key)', (j) => (j.generator[0].c = j.generator[0].b), 'unknown state field "state.generator[0].c"; known fields of a layer: W, b'],
      ['a layer whose W is an array', (j) => (j.generator[0].W = [j.generator[0].W]), 'state.generator[0]: expected a layer { W, b } of matrices'],
      ['a layer whose b is a record', (j) => (j.generator[0].b = { b: j.generator[0].b }), 'state.generator[0]: expected a layer { W, b } of matrices'],
      ['optimizerD null', (j) => (j.optimizerD = null), 'state.optimizerD: expected { count, m, v }'],
      ['optimizerG a number', (j) => (j.optimizerG = 3), 'state.optimizerG: expected { count, m, v }'],
      ['a negative count', (j) => (j.optimizerD.count = -1), 'state.optimizerD.count must be an integer >= 0, found -1'],
      ['a fractional count', (j) => (j.optimizerG.count = 0.5), 'state.optimizerG.count must be an integer >= 0, found 0.5'],
      ['a missing count', (j) => delete j.optimizerG.count, 'state.optimizerG.count must be an integer >= 0, found undefined'],
      ['moments m of the wrong structure', (j) => (j.optimizerG.m = []), 'state.optimizerG.m: at (root): an array of 1 and an array of 0'],
      ['moments v of the wrong structure', (j) => (j.optimizerD.v = j.optimizerD.v.slice(0, 2)), 'state.optimizerD.v: at (root): an array of 3 and an array of 2'],
      ['moments v of the wrong shape', (j) => (j.optimizerG.v[0].b = { rows: 1, cols: 1, f64: hex(1) }), 'state.optimizerG.v: at [0].b: a (1x2) matrix and a (1x1) matrix'],
      ['no rng', (j) => delete j.rng, rngMessage],
      ['rng null', (j) => (j.rng = null), rngMessage],
      ['rng a string', (j) => (j.rng = 'xoroshiro128plus'), rngMessage],
      ['another algorithm', (j) => (j.rng.algorithm = 'mt19937'), rngMessage],
      ['an all-zero rng state', (j) => (j.rng.state = [0, 0, 0, 0]), 'state.rng.state: state must not be all zero (the all-zero state is a fixed point of xoroshiro128+)'],
      ['a negative epoch', (j) => (j.epoch = -1), 'state.epoch must be an integer >= 0, found -1'],
      ['a fractional step', (j) => (j.step = 2.5), 'state.step must be an integer >= 0, found 2.5'],
      ['a missing step', (j) => delete j.step, 'state.step must be an integer >= 0, found undefined'],
      ['two config problems', (j) => Object.assign(j.config, { seed: -1, epochs: 0 }), 'state.config: seed must be an integer in 0..4294967295, got -1; epochs must be an integer in 1..1000000, got 0'],
      ['no format', (j) => delete j.format, 'state: format must be "pure-gan/gan-state", found undefined'],
      ['a string version', (j) => (j.version = '1'), 'state: format version "1" is not supported; this pure-gan reads versions 1 and 2'],
    ]
    it.each(cases)('%s', (_, change, message) => {
      expectLeft(corrupt(change), message)
    })

    it('a text that is not a JSON object', () => {
      for (const text of ['null', '5', '"state"', '[]', 'true']) expectLeft(text, 'state: expected a JSON object')
    })

    it('the first problem in sorted key order is the one reported, whatever the order of keys in the text', () => {
      // Both matrices of a layer corrupt, b written before W: W (first in sorted order) is named.
      const text = corrupt((j) => {
        j.generator[0] = { b: { ...j.generator[0].b, f64: 'q' }, W: { ...j.generator[0].W, f64: 'q' } }
      })
      expectLeft(text, 'state.generator[0].W: f64 must hold 4 values as 64 hex digits, found 1 digits')
    })
  })

  it('reads layers and records whatever the order of their keys, and equal states give equal text', () => {
    const s = initialState(seedConfig)
    const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T
    // The same state with every layer record built in the order { b, W }.
    const flipped = {
      ...s,
      generator: s.generator.map(reversed),
      discriminator: s.discriminator.map(reversed),
      optimizerD: { ...s.optimizerD, m: (adamState(s.optimizerD).m as never[]).map(reversed), v: (adamState(s.optimizerD).v as never[]).map(reversed) },
    }
    expect(Object.keys(flipped.generator[0]!)).toEqual(['b', 'W'])
    expect(encodeState(flipped)).toBe(encodeState(s))
    // A text whose layers list b before W decodes to the same state.
    const j = JSON.parse(encodeState(s)) as { generator: Array<Record<string, unknown>> }
    j.generator = j.generator.map(reversed)
    const text = JSON.stringify(j)
    expect(text).not.toBe(encodeState(s))
    expect(encodeState(decodeOrThrow(text))).toBe(encodeState(s))
  })
})

describe('canonical text', () => {
  it('equal states give equal text whatever the key order of their configs (nested records too)', () => {
    const reverseKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverseKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reverseKeys(x)]))
          : v
    const reversed = reverseKeys(seedConfig) as typeof seedConfig
    expect(Object.keys(reversed)).toEqual(Object.keys(seedConfig).reverse())
    expect(encodeState(initialState(reversed))).toBe(encodeState(initialState(seedConfig)))
  })

  it('writes the config as JSON with every record\'s keys sorted, whatever their order, and reads it back', () => {
    // Before, this property also added fields the validator did not check (they were kept);
    // unknown config fields are refused at every depth now (next test).
    /** The reference: keys sorted at every depth, arrays kept in order, other values as they are. */
    const sortKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]))
          : v
    /** The value with every record's keys in the order given by `rank` (a permutation seed). */
    const shuffled = (v: unknown, rank: number): unknown =>
      Array.isArray(v)
        ? v.map((x) => shuffled(x, rank))
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.keys(v)
                .map((k, i) => [k, (i * 7919 + rank) % 101] as const)
                .sort((a, b) => a[1] - b[1])
                .map(([k]) => [k, shuffled((v as Record<string, unknown>)[k], rank)]),
            )
          : v
    fc.assert(
      fc.property(ganConfig, fc.nat(100), (config, rank) => {
        const c = shuffled(config, rank) as typeof config
        const s = initialState(c)
        const text = encodeState(s)
        const written = JSON.stringify((JSON.parse(text) as { config: unknown }).config)
        expect(written).toBe(JSON.stringify(sortKeys(JSON.parse(JSON.stringify(config)))))
        const back = decodeOrThrow(text)
        expect(back.config).toEqual(s.config)
        expect(encodeState(back)).toBe(text)
      }),
    )
  })

  it('refuses a state whose config or any record holds an unknown field, naming its path', () => {
    const j = JSON.parse(encodeState(initialState(seedConfig))) as Record<string, any>
    const withInit = { ...j, config: { ...j['config'], init: { ...j['config'].init, note: null } } }
    expect(decodeState(JSON.stringify(withInit))).toEqual(E.left('state.config: unknown config field "init.note"; known fields of init: weightStd, biasInit, discriminatorWeightStd, generatorOutputBias'))
    expect(decodeState(JSON.stringify({ ...j, extra: 1 }))).toEqual(
      E.left('unknown state field "state.extra"; known fields: format, version, config, step, epoch, rng, generator, discriminator, optimizerG, optimizerD'),
    )
    const gen = JSON.parse(JSON.stringify(j['generator']))
    gen[0].W.data = 1
    expect(decodeState(JSON.stringify({ ...j, generator: gen }))).toEqual(E.left('unknown state field "state.generator[0].W.data"; known fields of a matrix: rows, cols, f64'))
    expect(decodeState(JSON.stringify({ ...j, rng: { ...j['rng'], seed: 0 } }))).toEqual(E.left('unknown state field "state.rng.seed"; known fields of rng: algorithm, state'))
    expect(decodeState(JSON.stringify({ ...j, optimizerG: { ...j['optimizerG'], lr: 0 } }))).toEqual(E.left('unknown state field "state.optimizerG.lr"; known fields of an Adam state: count, m, v'))
    // of several unknown keys, the first in sorted order is named, whatever the text's order
    expect(decodeState(JSON.stringify({ ...j, zz: 1, extra: 2 }))).toEqual(
      E.left('unknown state field "state.extra"; known fields: format, version, config, step, epoch, rng, generator, discriminator, optimizerG, optimizerD'),
    )
    // a key over 100 characters is named by its first 100 and an ellipsis
    expect(decodeState(JSON.stringify({ ...j, rng: { ...j['rng'], ['k'.repeat(101)]: 0 } }))).toEqual(
      E.left(`unknown state field "state.rng.${'k'.repeat(100)}..."; known fields of rng: algorithm, state`),
    )
  })

  it('refuses a non-string text, naming its type', () => {
    for (const [value, type] of [[42, 'number'], [null, 'object'], [undefined, 'undefined'], [{}, 'object']] as const) {
      expect(decodeState(value as unknown as string)).toEqual(E.left(`state: expected the JSON text as a string, found ${type}`))
    }
  })
})

describe('the floats’ hex text', () => {
  /** The text as the format defines it, byte by byte: each value's big-endian bytes as two lowercase hex digits. */
  const reference = (values: ReadonlyArray<number>): string =>
    values
      .map((x) => {
        const v = new DataView(new ArrayBuffer(8))
        v.setFloat64(0, x, false)
        return Array.from({ length: 8 }, (_, b) => v.getUint8(b).toString(16).padStart(2, '0')).join('')
      })
      .join('')

  it('is the same with the host’s decoder and without, and as the format defines it (every double: -0, subnormals, infinities, NaNs)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 300 }), fc.integer({ min: 0, max: 5000 }), (values, extra) => {
        // arrays long enough to cross the fallback's pieces of 2048 values
        const all = [...values, ...Array.from({ length: extra }, (_, i) => values[i % Math.max(1, values.length)] ?? i / 7)]
        const want = reference(all)
        expect(encodeFloatsWith(all, new TextDecoder())).toBe(want)
        expect(encodeFloatsWith(all, undefined)).toBe(want)
      }),
      { numRuns: 30 },
    )
  })
})
