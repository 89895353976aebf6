/**
 * decodeState and decodeStateJson on hostile input: encoded states of small random valid
 * states, then mutated bytes, truncation, deep nesting in every field, extra keys at every
 * depth (`__proto__` included), hostile rows and cols; and, for decodeStateJson, cycles,
 * getters, Proxies and non-plain values at every path.
 *
 * The promise (docs/state-format.md, docs/reliability.md): a Left naming the field, or a Right
 * whose encoding decodes again to the same text; never a throw; time and memory bounded by
 * the input's size (no allocation from an untrusted rows x cols before the f64 length fits).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { type GanState, decodeState, decodeStateJson, encodeState, initialState, runData, seedConfig, trainEpoch } from '../../src/gan/index.js'
import { anyActivation, ganConfigWith } from '../support/gan-arbitraries.js'
import {
  type Path,
  allPaths,
  deepArrayText,
  deepRecordText,
  nonPlainValue,
  nonPlainValues,
  recordPaths,
  replaceAt,
  showPath,
  valueAt,
  withKeyAt,
} from '../support/hostile-values.js'

const decodeText = (text: string): E.Either<string, GanState> => {
  try {
    return decodeState(text)
  } catch (e) {
    throw new Error(`decodeState threw: ${String(e)}`)
  }
}

const decodeValue = (j: unknown): E.Either<string, GanState> => {
  try {
    return decodeStateJson(j)
  } catch (e) {
    throw new Error(`decodeStateJson threw: ${String(e)}`)
  }
}

/** A Left, or a Right whose encoding decodes again to the same text. */
const leftOrStable = (r: E.Either<string, GanState>): void => {
  if (E.isRight(r)) {
    const text = encodeState(r.right)
    const again = decodeText(text)
    expect(E.isRight(again) && encodeState(again.right) === text).toBe(true)
  }
}

/** The state's path as a message names it: `state.generator[0].W`. */
const statePath = (path: Path): string => showPath(['state', ...path])

/** A message names the path or an ancestor at least two fields deep (the config's fields by their own path). */
const namesPath = (message: string, path: Path): boolean => {
  for (let n = path.length; n >= Math.min(2, path.length); n--) {
    const p = path.slice(0, n)
    if (message.includes(statePath(p))) return true
    if (p[0] === 'config' && p.length > 1 && message.startsWith('state.config: ') && message.includes(showPath(p.slice(1)))) return true
  }
  return path.length === 0 && message.startsWith('state')
}

const smallState: fc.Arbitrary<GanState> = fc.tuple(ganConfigWith(anyActivation), fc.boolean()).map(([config, trained]) => {
  const s0 = initialState(config)
  return trained ? trainEpoch(s0, runData(config))[1] : s0
})

let seedJson: unknown
const seedStateJson = (): unknown => (seedJson ??= JSON.parse(encodeState(initialState(seedConfig))))

describe('hostile state text', () => {
  it('a mutated byte, a truncation or an insertion: a Left or a Right that re-encodes to a valid state, never a throw', () => {
    fc.assert(
      fc.property(smallState, fc.nat(), fc.constantFrom('mutate', 'truncate', 'insert'), fc.string({ minLength: 1, maxLength: 3 }), (s, at, how, chunk) => {
        const text = encodeState(s)
        const i = at % text.length
        const hostile = how === 'truncate' ? text.slice(0, i) : how === 'mutate' ? text.slice(0, i) + chunk[0] + text.slice(i + 1) : text.slice(0, i) + chunk + text.slice(i)
        leftOrStable(decodeText(hostile))
      }),
    )
  })

  it('100 000-deep nesting in place of any field (text): a Left naming the field', () => {
    const json = seedStateJson()
    fc.assert(
      fc.property(fc.constantFrom(...allPaths(json).filter((p) => p.length > 0)), fc.boolean(), (path, asArray) => {
        const marker = '"__deep_marker__"'
        const text = JSON.stringify(replaceAt(json, path, '__deep_marker__')).replace(marker, asArray ? deepArrayText(100_000) : deepRecordText(100_000))
        const r = decodeText(text)
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) expect(namesPath(r.left, path), r.left).toBe(true)
      }),
    )
  })

  it('an extra key on any record, at any depth (__proto__ from the text included): a Left naming its path', () => {
    const json = seedStateJson()
    fc.assert(
      fc.property(fc.constantFrom(...recordPaths(json)), fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'data', 'extra')), (path, key) => {
        fc.pre(!Object.hasOwn(valueAt(json, path) as object, key))
        const text = JSON.stringify(withKeyAt(json, path, 'extra_marker_key', 1)).replace('"extra_marker_key"', () => JSON.stringify(key))
        const r = decodeText(text)
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) expect(namesPath(r.left, [...path, key]) || namesPath(r.left, path), r.left).toBe(true)
      }),
    )
  })

  it('hostile rows and cols (huge, negative, fractional, strings, null): a Left, fast, without allocating rows x cols', () => {
    const json = seedStateJson()
    const matrices: Path[] = recordPaths(json).filter((p) => Object.hasOwn(valueAt(json, p) as object, 'f64'))
    const values = [2 ** 53, 2 ** 53 - 1, 2 ** 30, 1e300, -1, -0.5, 1.5, '2', null, [], {}, true]
    for (const path of matrices) {
      for (const field of ['rows', 'cols']) {
        for (const v of values) {
          const started = performance.now()
          const r = decodeText(JSON.stringify(replaceAt(json, [...path, field], v)))
          expect(E.isLeft(r), `${showPath(path)}.${field} = ${JSON.stringify(v)}`).toBe(true)
          if (E.isLeft(r)) expect(namesPath(r.left, path), r.left).toBe(true)
          expect(performance.now() - started).toBeLessThan(1000)
        }
      }
      // both huge: rows · cols = 2^60 entries, checked against the digit count before any allocation
      const r = decodeText(JSON.stringify(replaceAt(replaceAt(json, [...path, 'rows'], 2 ** 30), [...path, 'cols'], 2 ** 30)))
      expect(E.isLeft(r)).toBe(true)
    }
  })

  it('a text that is not a string is a Left', () => {
    for (const v of [undefined, null, 5, {}, Symbol('s')]) expect(E.isLeft(decodeState(v as unknown as string))).toBe(true)
  })
})

describe('hostile state values (decodeStateJson)', () => {
  it('a non-plain value (cycle, deep nesting, Map, Date, typed array, class instance, Proxy, throwing getter) at any path: a Left naming the path', () => {
    const json = seedStateJson()
    fc.assert(
      fc.property(fc.constantFrom<Path>([], ...allPaths(json).filter((p) => p.length > 0)), nonPlainValue, (path, [, value]) => {
        const r = decodeValue(path.length === 0 ? value : replaceAt(json, path, value))
        expect(E.isLeft(r)).toBe(true)
        if (E.isLeft(r)) expect(namesPath(r.left, path), r.left).toBe(true)
      }),
    )
  })

  it('every non-plain value at the root and at a few paths, once each', () => {
    const json = seedStateJson()
    for (const [label, value] of nonPlainValues()) {
      for (const path of [[], ['config'], ['generator'], ['generator', 0, 'W'], ['optimizerD', 'm', 1], ['rng', 'state'], ['step']] as Path[]) {
        const r = decodeValue(path.length === 0 ? value : replaceAt(json, path, value))
        expect(E.isLeft(r), `${label} at ${showPath(path)}`).toBe(true)
        if (E.isLeft(r)) expect(namesPath(r.left, path), `${label} at ${showPath(path)}: ${r.left}`).toBe(true)
      }
    }
  })

  it('non-finite and out-of-range counters: a Left naming the counter', () => {
    const json = seedStateJson()
    for (const path of [['step'], ['epoch'], ['optimizerG', 'count'], ['optimizerD', 'count']] as Path[]) {
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 0.5, 2 ** 53, '1', null, 10n]) {
        const r = decodeValue(replaceAt(json, path, v))
        expect(E.isLeft(r) && r.left.includes(statePath(path)), `${showPath(path)} = ${String(v)}`).toBe(true)
      }
    }
  })

  it('a getter that changes its value is read once: the Right is the state it first showed', () => {
    const json = seedStateJson() as Record<string, unknown>
    let reads = 0
    const hostile = Object.defineProperty({ ...json }, 'step', { get: () => (reads++ === 0 ? 5 : -1), enumerable: true })
    const r = decodeValue(hostile)
    expect(reads).toBe(1)
    expect(E.isRight(r) && r.right.step === 5).toBe(true)
  })
})
