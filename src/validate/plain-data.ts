/**
 * Reading an untrusted value once, safely: `snapshotPlainData` copies a value that came from
 * outside (a parsed file, a caller's object) into frozen plain data, or says where and why it
 * cannot. Validators then check the copy, and trusted code uses the copy: a getter that
 * answers differently on a second read, a Proxy, a cycle or a 50 000-deep nesting can then
 * neither crash a validator nor make the value used differ from the value checked.
 *
 * @module
 */
import * as E from '../fp/either.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Plain data: what `snapshotPlainData` returns. Primitives of every kind are kept as they are
 * (a validator that follows refuses the ones it does not expect, e.g. a bigint or NaN where
 * an integer belongs); containers are frozen arrays (every index an own data property, no
 * holes) and frozen records whose prototype is `Object.prototype` and whose own string keys
 * (a `"__proto__"` key as JSON.parse makes it included) are data properties.
 *
 * @category model
 * @since 0.2.0
 */
export type PlainData =
  | null
  | undefined
  | boolean
  | number
  | string
  | bigint
  | symbol
  | ReadonlyArray<PlainData>
  | { readonly [key: string]: PlainData }

/**
 * Bounds of a snapshot. `maxDepth`: containers may nest this deep (the value itself is at
 * depth 0, its entries at 1); `maxValues`: the values read in all (every entry of every
 * container counts one), checked against an array's length before any entry is read;
 * `maxProblems`: the snapshot stops after this many problems. `root`: the path of the value
 * in messages (`'state'`, or `''` for a value whose fields are named alone, e.g. a config's
 * `adam.beta1`); `rootName`: how the value itself is named when `root` is empty.
 *
 * @category model
 * @since 0.2.0
 */
export interface SnapshotLimits {
  readonly maxDepth: number
  readonly maxValues: number
  readonly maxProblems?: number
  readonly root?: string
  readonly rootName?: string
}

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** `path.key` for identifier keys, `path["a key"]` (at most 60 characters shown) otherwise. */
const childPath = (path: string, key: string): string => {
  if (IDENTIFIER.test(key) && key.length <= 60) return path === '' ? key : `${path}.${key}`
  const shown = key.length > 60 ? `${JSON.stringify(key.slice(0, 60))}...` : JSON.stringify(key)
  return `${path}[${shown}]`
}

/** The message of a thrown value, never throwing itself, at most 120 characters. */
const thrownMessage = (e: unknown): string => {
  let text: string
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : typeof e === 'symbol' ? e.toString() : String(e)
  } catch {
    text = 'a value that cannot be printed'
  }
  if (typeof text !== 'string') text = 'a value that cannot be printed'
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

/** What kind of non-plain object `v` is, for a message ("a Map", "an instance of Point"). */
const describeObject = (v: object, proto: object | null): string => {
  if (typeof v === 'function') return 'a function'
  try {
    const tag = Object.prototype.toString.call(v).slice(8, -1)
    if (tag !== 'Object' && tag !== 'Array') return /^[AEIOU]/.test(tag) ? `an ${tag}` : `a ${tag}`
    const ctor: unknown = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value
    const name = typeof ctor === 'function' ? ctor.name : ''
    return name === '' ? 'an object with a prototype other than Object.prototype' : `an instance of ${name.slice(0, 60)}`
  } catch (e) {
    return `an object that cannot be inspected (${thrownMessage(e)})`
  }
}

const PLAIN = 'plain data (null, a boolean, a number, a string, an array or a plain object)'

// -------------------------------------------------------------------------------------
// snapshot
// -------------------------------------------------------------------------------------

/**
 * A frozen plain copy of an untrusted value, or every problem found (up to `maxProblems`,
 * default 10), each naming the path of the value at fault:
 *
 * - each own property is read exactly once, inside `try`/`catch` (a getter is called once; a
 *   Proxy trap that throws, a revoked Proxy, a getter that throws become a message);
 * - a record must have `Object.prototype` or `null` as prototype, and an array
 *   `Array.prototype`: Map, Set, Date, typed arrays, class instances, boxed primitives and
 *   functions are refused (`must be plain data ..., found a Map`); so are symbol keys and
 *   holes in arrays (an array's non-index properties are not read);
 * - a container inside itself is a cycle (refused); the same object twice elsewhere is
 *   copied twice;
 * - nesting deeper than `maxDepth` and more than `maxValues` values in all are refused
 *   before they are read, so time and memory are bounded and nothing recurses more than
 *   `maxDepth` frames, whatever the input.
 *
 * It never throws.
 *
 * @example
 * import { snapshotPlainData } from 'pure-gan'
 * const cyclic: Record<string, unknown> = {}
 * cyclic.self = cyclic
 * snapshotPlainData({ a: [1, 2] }, { maxDepth: 8, maxValues: 100 }) // Right({ a: [1, 2] })
 * snapshotPlainData(cyclic, { maxDepth: 8, maxValues: 100, rootName: 'value' })
 * // Left(['self: a cycle (this value contains itself)'])
 * snapshotPlainData({ seen: new Map() }, { maxDepth: 8, maxValues: 100 })
 * // Left(['seen: must be plain data (null, a boolean, a number, a string, an array or a plain object), found a Map'])
 *
 * @category validation
 * @since 0.2.0
 */
export const snapshotPlainData = (value: unknown, limits: SnapshotLimits): E.Either<ReadonlyArray<string>, PlainData> => {
  const maxProblems = limits.maxProblems ?? 10
  const root = limits.root ?? ''
  const rootName = limits.rootName ?? 'value'
  const problems: string[] = []
  const ancestors = new Set<object>()
  let budget = limits.maxValues
  const named = (path: string): string => (path === '' ? rootName : path)
  const fail = (path: string, text: string): undefined => {
    if (problems.length < maxProblems) problems.push(`${named(path)}: ${text}`)
    return undefined
  }

  const copy = (v: unknown, path: string, depth: number): PlainData => {
    if (problems.length >= maxProblems) return undefined
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v as PlainData
    const obj = v as object
    if (ancestors.has(obj)) return fail(path, 'a cycle (this value contains itself)')
    let isArray: boolean
    let proto: object | null
    try {
      isArray = Array.isArray(obj)
      proto = Reflect.getPrototypeOf(obj)
    } catch (e) {
      return fail(path, `cannot be read (${thrownMessage(e)})`)
    }
    const plain = typeof obj !== 'function' && (isArray ? proto === Array.prototype : proto === Object.prototype || proto === null)
    if (!plain) return fail(path, `must be ${PLAIN}, found ${describeObject(obj, proto)}`)
    if (depth >= limits.maxDepth) return fail(path, `nested deeper than ${limits.maxDepth} levels`)
    ancestors.add(obj)
    try {
      return isArray ? copyArray(obj as ReadonlyArray<unknown>, path, depth) : copyRecord(obj, path, depth)
    } finally {
      ancestors.delete(obj)
    }
  }

  const copyArray = (a: ReadonlyArray<unknown>, path: string, depth: number): PlainData => {
    let length: unknown
    try {
      length = a.length
    } catch (e) {
      return fail(path, `its length cannot be read (${thrownMessage(e)})`)
    }
    if (typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) return fail(path, `has no valid array length (${String(length)})`)
    if (length > budget) {
      return fail(path, `an array of ${length} entries: more than the ${limits.maxValues} values in all that are read`)
    }
    budget -= length
    const out: PlainData[] = []
    for (let i = 0; i < length; i++) {
      const here = `${path}[${i}]`
      let d: PropertyDescriptor | undefined
      let entry: unknown
      try {
        d = Reflect.getOwnPropertyDescriptor(a, String(i))
        entry = d === undefined ? undefined : 'get' in d || 'set' in d ? d.get?.call(a) : d.value
      } catch (e) {
        fail(here, `reading it threw (${thrownMessage(e)})`)
        continue
      }
      if (d === undefined) {
        fail(here, 'a hole in a sparse array')
        continue
      }
      out.push(copy(entry, here, depth + 1))
      if (problems.length >= maxProblems) break
    }
    return Object.freeze(out)
  }

  const copyRecord = (o: object, path: string, depth: number): PlainData => {
    let keys: ReadonlyArray<string | symbol>
    try {
      keys = Reflect.ownKeys(o)
    } catch (e) {
      return fail(path, `its keys cannot be read (${thrownMessage(e)})`)
    }
    if (keys.length > budget) return fail(path, `a record of ${keys.length} keys: more than the ${limits.maxValues} values in all that are read`)
    budget -= keys.length
    const entries: Array<[string, PlainData]> = []
    for (const key of keys) {
      if (typeof key === 'symbol') {
        fail(path, `has a symbol key (${thrownMessage(key)}); plain data has string keys only`)
        continue
      }
      const here = childPath(path, key)
      let d: PropertyDescriptor | undefined
      let entry: unknown
      try {
        d = Reflect.getOwnPropertyDescriptor(o, key)
        entry = d === undefined ? undefined : 'get' in d || 'set' in d ? d.get?.call(o) : d.value
      } catch (e) {
        fail(here, `reading it threw (${thrownMessage(e)})`)
        continue
      }
      // A Proxy may list a key it then says it does not have: there is nothing to read.
      if (d === undefined) continue
      entries.push([key, copy(entry, here, depth + 1)])
      if (problems.length >= maxProblems) break
    }
    // Object.fromEntries defines each key as an own data property: a "__proto__" key stays
    // a key (an assignment would set the prototype instead).
    return Object.freeze(Object.fromEntries(entries))
  }

  try {
    const out = copy(value, root, 0)
    return problems.length > 0 ? E.left(problems) : E.right(out)
  } catch (e) {
    // Not expected (every reading above is guarded); a stack overflow of a caller already
    // near the limit, or memory exhaustion, still ends as a value.
    return E.left([...problems, `${named(root)}: cannot be read (${thrownMessage(e)})`])
  }
}

/**
 * True when `v` is a plain record of a snapshot (not null, not an array).
 *
 * @example
 * import { isPlainRecord } from 'pure-gan'
 * isPlainRecord({ a: 1 }) // true
 * isPlainRecord([1]) // false
 *
 * @category validation
 * @since 0.2.0
 */
export const isPlainRecord = (v: unknown): v is { readonly [key: string]: PlainData } =>
  v !== null && typeof v === 'object' && !Array.isArray(v)
