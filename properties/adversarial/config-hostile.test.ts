/**
 * validateConfig, assertValidConfig and train on hostile configs built from seedConfig:
 * extra keys at every depth, getters (throwing, changing), cycles, deep nesting, non-plain
 * values (Map, Date, typed arrays, class instances, Proxies) at every path, non-finite and
 * wrongly typed numbers in every numeric position, `__proto__` own keys.
 *
 * The promise (docs/limits.md, docs/reliability.md): validateConfig returns a value for every
 * input and never throws; a Left names the path of the problem (or of its nearest field);
 * assertValidConfig and train throw only a ConfigError, before any work.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { ConfigError, type GanConfig, assertValidConfig, seedConfig, train, validateConfig } from '../../src/gan/index.js'
import {
  PROXY_TRAPS,
  type Path,
  allPaths,
  changingGetter,
  nonPlainValue,
  nonPlainValues,
  numberPaths,
  recordPaths,
  replaceAt,
  showPath,
  throwingProxy,
  valueAt,
  withGetterAt,
  withKeyAt,
  wrongNumber,
} from '../support/hostile-values.js'

/** validateConfig's result; a throw fails the property with the throw's message. */
const validate = (c: unknown): E.Either<ReadonlyArray<string>, GanConfig> => {
  try {
    return validateConfig(c)
  } catch (e) {
    throw new Error(`validateConfig threw: ${String(e)}`)
  }
}

const problemsOf = (c: unknown): ReadonlyArray<string> => {
  const r = validate(c)
  return E.isLeft(r) ? r.left : []
}

/** The path itself or an ancestor at least two fields deep names the problem's place. */
const namesPathOrField = (problems: ReadonlyArray<string>, path: Path): boolean => {
  const names: string[] = []
  for (let n = path.length; n >= Math.min(2, path.length); n--) names.push(showPath(path.slice(0, n)))
  if (path.length === 0) names.push('config')
  return problems.some((p) => names.some((name) => p.includes(name)))
}

/** assertValidConfig and train on a config validateConfig refuses: a ConfigError, nothing else. */
const refusedEverywhere = (c: unknown): void => {
  for (const run of [() => assertValidConfig(c), () => train(c as GanConfig, () => expect.unreachable('an epoch ran'))]) {
    let caught: unknown
    try {
      run()
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(ConfigError)
  }
}

const seedPaths = allPaths(seedConfig).filter((p) => p.length > 0)
const seedRecords = recordPaths(seedConfig)
const seedNumbers = numberPaths(seedConfig)

describe('hostile configs', () => {
  it('an extra key on any record, at any depth (__proto__ as an own key included), is refused naming its path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seedRecords), fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'learningRate', 'alpha', 'layers')), fc.jsonValue(), (path, key, extra) => {
        const container = valueAt(seedConfig, path) as Record<string, unknown>
        fc.pre(!Object.hasOwn(container, key))
        const c = withKeyAt(seedConfig, path, key, extra)
        const problems = problemsOf(c)
        expect(problems.some((p) => p.includes(`unknown config field ${JSON.stringify(showPath([...path, key]))}`)), problems.join(' | ')).toBe(true)
        refusedEverywhere(c)
      }),
    )
  })

  it('a __proto__ key as JSON.parse makes it (an own property) is refused at every depth', () => {
    for (const path of seedRecords) {
      const text = JSON.stringify(withKeyAt(seedConfig, path, 'protoMarker', { beta1: 0.5 })).replace('"protoMarker"', '"__proto__"')
      const parsed = JSON.parse(text) as unknown
      expect(Object.hasOwn(valueAt(parsed, path) as object, '__proto__')).toBe(true)
      expect(problemsOf(parsed)).toContainEqual(expect.stringContaining(`unknown config field ${JSON.stringify(showPath([...path, '__proto__']))}`))
    }
  })

  it('a non-plain value (cycle, 50 000-deep nesting, Map, Date, typed array, class instance, Proxy, getter that throws, ...) at any path is a Left naming the path', () => {
    fc.assert(
      fc.property(fc.constantFrom<Path>([], ...seedPaths), nonPlainValue, (path, [, value]) => {
        const c = path.length === 0 ? value : replaceAt(seedConfig, path, value)
        const problems = problemsOf(c)
        expect(problems.length).toBeGreaterThan(0)
        expect(namesPathOrField(problems, path), problems.join(' | ')).toBe(true)
        refusedEverywhere(c)
      }),
    )
  })

  it('every non-plain value at the root, and at every path, once each', () => {
    for (const [label, value] of nonPlainValues()) {
      for (const path of [[], ...seedPaths] as Path[]) {
        const c = path.length === 0 ? value : replaceAt(seedConfig, path, value)
        const problems = problemsOf(c)
        expect(problems.length, `${label} at ${showPath(path)}`).toBeGreaterThan(0)
        expect(namesPathOrField(problems, path), `${label} at ${showPath(path)}: ${problems.join(' | ')}`).toBe(true)
      }
    }
  })

  it('a non-finite number, a number out of range or a wrong type in every numeric position is a Left naming the field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seedNumbers), wrongNumber, (path, bad) => {
        const c = replaceAt(seedConfig, path, bad)
        const r = validate(c)
        if (E.isRight(r)) {
          // only harmless values pass: a number that is still in the field's range
          expect(typeof bad).toBe('number')
          expect(Number.isFinite(bad)).toBe(true)
          return
        }
        expect(namesPathOrField(r.left, path), r.left.join(' | ')).toBe(true)
        refusedEverywhere(c)
      }),
    )
  })

  it('-0 in any numeric position gives the same outcome as +0, and a Right holds +0', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seedNumbers), (path) => {
        const neg = validate(replaceAt(seedConfig, path, -0))
        const pos = validate(replaceAt(seedConfig, path, 0))
        expect(neg._tag).toBe(pos._tag)
        expect(JSON.stringify(neg)).toBe(JSON.stringify(pos))
        if (E.isRight(neg)) expect(Object.is(valueAt(neg.right, path), 0)).toBe(true)
      }),
    )
  })

  it('a getter that returns a different value on each read is read once: the Right holds its first value, and train uses that', () => {
    fc.assert(
      fc.property(fc.constantFrom(...seedPaths), (path) => {
        const original = valueAt(seedConfig, path)
        const g = changingGetter(original, 'changed after validation')
        const c = withGetterAt(seedConfig, path, g.get)
        const r = validate(c)
        expect(g.reads()).toBe(1)
        expect(E.isRight(r)).toBe(true)
        if (E.isRight(r)) expect(JSON.stringify(r.right)).toBe(JSON.stringify(seedConfig))
      }),
    )
    // through train: the learning rate read once, the run equal to the seed's
    const g = changingGetter(seedConfig.learningRateD, 1e308)
    const c = withGetterAt({ ...seedConfig, epochs: 1 }, ['learningRateD'], g.get) as GanConfig
    const run = train(c)
    expect(g.reads()).toBe(1)
    expect(run.history).toEqual(train({ ...seedConfig, epochs: 1 }).history)
  })

  it('a Proxy with transparent traps is read as the value it wraps', () => {
    fc.assert(
      fc.property(fc.constantFrom<Path>([], ...seedRecords.filter((p) => p.length > 0)), (path) => {
        const c = path.length === 0 ? new Proxy({ ...seedConfig }, {}) : replaceAt(seedConfig, path, new Proxy(valueAt(seedConfig, path) as object, {}))
        const r = validate(c)
        expect(E.isRight(r) && JSON.stringify(r.right) === JSON.stringify(seedConfig)).toBe(true)
      }),
    )
  })

  it('a Proxy over any part of the config whose one trap throws: a Left naming the path, or, when the reading does not use that trap, the Right of the value it wraps', () => {
    fc.assert(
      fc.property(fc.constantFrom<Path>([], ...seedRecords.filter((p) => p.length > 0), ...seedPaths.filter((p) => Array.isArray(valueAt(seedConfig, p)))), fc.constantFrom(...PROXY_TRAPS), (path, trap) => {
        const target = valueAt(seedConfig, path) as object
        const copy = Array.isArray(target) ? [...target] : { ...target }
        const c = path.length === 0 ? throwingProxy(copy, trap) : replaceAt(seedConfig, path, throwingProxy(copy, trap))
        const r = validate(c)
        if (E.isRight(r)) expect(JSON.stringify(r.right)).toBe(JSON.stringify(seedConfig))
        else {
          expect(namesPathOrField(r.left, path), r.left.join(' | ')).toBe(true)
          expect(r.left.some((p) => p.includes(`trap ${trap} refuses`))).toBe(true)
          refusedEverywhere(c)
        }
      }),
    )
  })

  it('a huge array where an array belongs is refused without reading it entry by entry', () => {
    const huge = new Array(2 ** 32 - 1)
    for (const path of [['data', 'A'], ['data', 'b'], ['generator', 'layers'], ['data', 'A', 0]] as Path[]) {
      const problems = problemsOf(replaceAt(seedConfig, path, huge))
      expect(namesPathOrField(problems, path), problems.join(' | ')).toBe(true)
    }
  })
})
