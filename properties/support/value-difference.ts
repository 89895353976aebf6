/**
 * Whether a doc example's expression gives the value its comment states (value-comment.ts):
 * a strict deep equality that reports where the two first differ.
 */
import { printValue } from './value-comment.js'

const isPlainObject = (x: unknown): x is Record<string, unknown> => {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false
  const proto = Object.getPrototypeOf(x) as unknown
  return proto === Object.prototype || proto === null
}

const at = (path: string): string => (path === '' ? 'the value' : path)

/**
 * Where `actual` first differs from `expected` (a value read from a comment), with both sides
 * printed, or undefined when they are equal. Equal means:
 * - numbers, strings, booleans, null, undefined: `Object.is` (so a number must be exactly the
 *   one the comment prints, `-0` differs from `0`, and `NaN` equals `NaN`);
 * - a `Float64Array`: an actual `Float64Array` of the same length with `Object.is`-equal entries;
 * - an array: an actual array (not a typed one) of the same length with equal entries;
 * - an object: an actual plain object (a record; frozen ones count) with the same own
 *   enumerable keys, in any order, and equal values.
 */
export const firstValueDifference = (actual: unknown, expected: unknown, path = ''): string | undefined => {
  const differ = (): string => `${at(path)} is ${printValue(actual)}, the comment says ${printValue(expected)}`
  if (expected instanceof Float64Array) {
    if (!(actual instanceof Float64Array) || actual.length !== expected.length) return differ()
    const i = expected.findIndex((e, k) => !Object.is(actual[k], e))
    return i < 0 ? undefined : firstValueDifference(actual[i], expected[i], `${path}[${i}]`) ?? differ()
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return differ()
    if (actual.length !== expected.length) return `${at(path)} has ${actual.length} entries, the comment ${expected.length}: ${differ()}`
    for (let i = 0; i < expected.length; i++) {
      const d = firstValueDifference(actual[i], expected[i], `${path}[${i}]`)
      if (d !== undefined) return d
    }
    return undefined
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return differ()
    const keysA = Object.keys(actual).sort()
    const keysE = Object.keys(expected).sort()
    if (keysA.join('\u0000') !== keysE.join('\u0000')) return `${at(path)} has the keys ${keysA.join(', ')}, the comment ${keysE.join(', ')}: ${differ()}`
    for (const k of keysE) {
      const d = firstValueDifference(actual[k], expected[k], path === '' ? k : `${path}.${k}`)
      if (d !== undefined) return d
    }
    return undefined
  }
  return Object.is(actual, expected) ? undefined : differ()
}
