/**
 * Hostile values for the adversarial properties (properties/adversarial/): the things a
 * caller can hand a validator that plain JSON cannot carry, and helpers that plant them at
 * any path of a plain value. Shared by the config, codec and command-line suites.
 *
 * A path is a list of keys (strings) and indices (numbers); `showPath` prints it as the
 * library's messages do (`adam.beta1`, `generator.layers[0].units`).
 */
import fc from 'fast-check'

export type Path = ReadonlyArray<string | number>

/** `a.b[0].c`, as the validators name a field; the root is ''. */
export const showPath = (path: Path): string =>
  path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? k : `${s}.${k}`), '')

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Every path of a plain value (arrays by index, records by key), the root included, parents before children. */
export const allPaths = (value: unknown, prefix: Path = []): ReadonlyArray<Path> => {
  const out: Path[] = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...allPaths(v, [...prefix, i])))
  else if (isRecord(value)) for (const k of Object.keys(value)) out.push(...allPaths(value[k], [...prefix, k]))
  return out
}

/** The paths of the records (plain objects) inside a plain value, the root included. */
export const recordPaths = (value: unknown): ReadonlyArray<Path> => allPaths(value).filter((p) => isRecord(valueAt(value, p)))

/** The paths of the numbers inside a plain value. */
export const numberPaths = (value: unknown): ReadonlyArray<Path> => allPaths(value).filter((p) => typeof valueAt(value, p) === 'number')

/** The value at `path` (undefined when absent). */
export const valueAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), value)

/** A plain deep copy (arrays and records copied, every key kept as an own data property). */
export const plainCopy = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(plainCopy)
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainCopy(v)]))
  return value
}

/**
 * A copy of `value` in which the container at `path.slice(0, -1)` gets `define(container,
 * lastKey)` applied to it (after copying): the way to plant a getter, an extra key, a
 * `__proto__` own key or any replacement. With an empty path, `define` receives a box
 * `{ root }` and the result is the box's `root` afterwards.
 */
export const editAt = (value: unknown, path: Path, define: (container: Record<string | number, unknown>, key: string | number) => void): unknown => {
  const box: Record<string, unknown> = { root: plainCopy(value) }
  const full: Path = ['root', ...path]
  let container = box as Record<string | number, unknown>
  for (const k of full.slice(0, -1)) container = container[k] as Record<string | number, unknown>
  define(container, full[full.length - 1]!)
  return box['root']
}

/** `value` with the entry at `path` replaced by `replacement` (an own data property). */
export const replaceAt = (value: unknown, path: Path, replacement: unknown): unknown =>
  editAt(value, path, (c, k) => {
    Object.defineProperty(c, k, { value: replacement, enumerable: true, writable: true, configurable: true })
  })

/** `value` with an extra own key `key` (any string, `__proto__` included) on the record at `path`. */
export const withKeyAt = (value: unknown, path: Path, key: string, extra: unknown): unknown =>
  replaceAt(value, [...path, key], extra)

/**
 * `value` with the entry at `path` turned into a getter; `reads` counts its calls. The getter
 * returns `first` on its first call and `later` after (or throws `later` when `throwing`).
 */
export const withGetterAt = (
  value: unknown,
  path: Path,
  getter: () => unknown,
): unknown =>
  editAt(value, path, (c, k) => {
    Object.defineProperty(c, k, { get: getter, enumerable: true, configurable: true })
  })

/** A getter that returns `first` the first time and `later` every later time, counting its reads. */
export const changingGetter = (first: unknown, later: unknown): { get: () => unknown; reads: () => number } => {
  let n = 0
  return {
    get: () => (n++ === 0 ? first : later),
    reads: () => n,
  }
}

/** An array nested `depth` deep: `[[[...[leaf]...]]]`, built without recursion. */
export const deepArray = (depth: number, leaf: unknown = 0): unknown => {
  let v: unknown = leaf
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

/** A record nested `depth` deep: `{ a: { a: ... leaf } }`, built without recursion. */
export const deepRecord = (depth: number, leaf: unknown = 0, key = 'a'): unknown => {
  let v: unknown = leaf
  for (let i = 0; i < depth; i++) v = { [key]: v }
  return v
}

/** JSON text of an array nested `depth` deep (V8's JSON.parse reads it without recursion). */
export const deepArrayText = (depth: number, leaf = '0'): string => '['.repeat(depth) + leaf + ']'.repeat(depth)

/** JSON text of a record nested `depth` deep. */
export const deepRecordText = (depth: number, leaf = '0', key = 'a'): string => `{"${key}":`.repeat(depth) + leaf + '}'.repeat(depth)

/** A record that contains itself (under `self`), and an array that contains itself. */
export const cyclicRecord = (): unknown => {
  const o: Record<string, unknown> = { a: 1 }
  o['self'] = o
  return o
}
export const cyclicArray = (): unknown => {
  const a: unknown[] = [1]
  a.push(a)
  return a
}

/** The traps a Proxy can make throw while a validator reads a value. */
export const PROXY_TRAPS = ['ownKeys', 'get', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has', 'isExtensible'] as const

/** A Proxy over `target` whose `trap` throws (every other trap transparent). */
export const throwingProxy = (target: object, trap: (typeof PROXY_TRAPS)[number]): unknown =>
  new Proxy(target, {
    [trap]: () => {
      throw new Error(`trap ${trap} refuses`)
    },
  })

/** A Proxy over `target` whose every trap throws. */
export const everyTrapThrows = (target: object): unknown => {
  const refuse = (): never => {
    throw new Error('every trap refuses')
  }
  return new Proxy(target, Object.fromEntries(PROXY_TRAPS.map((t) => [t, refuse])))
}

/** A revoked Proxy: every operation on it throws a TypeError (Array.isArray included). */
export const revokedProxy = (): unknown => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

/** A thrown value whose every reading throws too (message, toString, its prototype). */
export const unprintableThrow = (): never => {
  throw new Proxy(
    {},
    {
      get: () => {
        throw new Error('no reading this')
      },
      getPrototypeOf: () => {
        throw new Error('no prototype either')
      },
    },
  )
}

class Point {
  constructor(
    readonly x = 1,
    readonly y = 2,
  ) {}
}

/**
 * Values that are not plain data (JSON cannot hold them) or that fight being read: what a
 * validator must refuse with a message, never a throw or a hang. Each comes with a label.
 * Built fresh on every call (cycles and Proxies are objects with identity).
 */
export const nonPlainValues = (): ReadonlyArray<readonly [string, unknown]> => {
  const withSymbolKey: Record<string | symbol, unknown> = { a: 1 }
  withSymbolKey[Symbol('hidden')] = 2
  const sparse: unknown[] = [1]
  sparse[5] = 2
  const holey = new Array(3)
  const throwingGetter = Object.defineProperty({}, 'x', {
    get: () => {
      throw new Error('getter refuses')
    },
    enumerable: true,
  })
  const unprintableGetter = Object.defineProperty({}, 'x', { get: unprintableThrow, enumerable: true })
  return [
    ['a cyclic record', cyclicRecord()],
    ['a cyclic array', cyclicArray()],
    ['an array nested 50 000 deep', deepArray(50_000)],
    ['a record nested 50 000 deep', deepRecord(50_000)],
    ['a Map', new Map([['a', 1]])],
    ['a Set', new Set([1])],
    ['a Date', new Date(0)],
    ['a RegExp', /x/],
    ['a Float64Array', new Float64Array([1, 2])],
    ['an Int32Array', new Int32Array(2)],
    ['an ArrayBuffer', new ArrayBuffer(8)],
    ['a class instance', new Point()],
    ['a function', () => 1],
    ['a boxed number', Object(1) as unknown],
    ['a record with a symbol key', withSymbolKey],
    ['a sparse array', sparse],
    ['an array of holes', holey],
    ['an array of length 2^32 - 1', new Array(2 ** 32 - 1)],
    ['a getter that throws', throwingGetter],
    ['a getter that throws an unprintable value', unprintableGetter],
    ['a revoked Proxy', revokedProxy()],
    ['a Proxy whose every trap throws', everyTrapThrows({ a: 1 })],
    ['an array Proxy whose every trap throws', everyTrapThrows([1, 2])],
  ]
}

/** One of {@link nonPlainValues}, as an arbitrary (label and value). */
export const nonPlainValue: fc.Arbitrary<readonly [string, unknown]> = fc
  .integer({ min: 0, max: nonPlainValues().length - 1 })
  .map((i) => nonPlainValues()[i]!)

/**
 * Wrong plain values for a numeric position: non-finite and -0, numbers far out of any
 * range, and other types (strings of numbers included).
 */
export const wrongNumbers: ReadonlyArray<unknown> = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -Number.MAX_VALUE,
  Number.MAX_VALUE,
  2 ** 53,
  -1,
  0.5,
  '1',
  '',
  true,
  null,
  undefined,
  [],
  {},
  [1],
  10n,
]

/** One of {@link wrongNumbers}. */
export const wrongNumber: fc.Arbitrary<unknown> = fc.constantFrom(...wrongNumbers)
