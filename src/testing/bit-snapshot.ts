/**
 * Bit-exact comparison of whole values (parameter trees, optimiser states, tuples of them): a
 * snapshot replaces every number by its 64-bit pattern, so that two values are equal when they
 * have the same structure and every number has the same bits (0 and -0 differ; a NaN equals a
 * NaN of the same payload).
 *
 * @module
 */

const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)
const bitsOf = (x: number): string => {
  f64[0] = x
  return u64[0]!.toString(16)
}

/**
 * A plain copy of `x` in which every number (a number, or an entry of a `Float64Array`) is its
 * 64-bit pattern in hexadecimal, arrays stay arrays and records become records with sorted
 * keys; anything else is kept as it is. Equal snapshots (compared deeply) mean bit-identical
 * values.
 *
 * @example
 * import { fromArrays } from 'pure-gan'
 * import { bitSnapshot } from 'pure-gan/testing'
 * bitSnapshot({ w: fromArrays([[1, -0]]), count: 2 })
 * // { count: '4000000000000000', w: { cols: '4000000000000000', data: ['3ff0000000000000', '8000000000000000'], rows: '3ff0000000000000' } }
 *
 * @category laws
 * @since 0.2.0
 */
export const bitSnapshot = (x: unknown): unknown => {
  if (typeof x === 'number') return bitsOf(x)
  if (x instanceof Float64Array) return Array.from(x, bitsOf)
  if (Array.isArray(x)) return x.map(bitSnapshot)
  if (typeof x === 'object' && x !== null) {
    const r = x as { readonly [key: string]: unknown }
    return Object.fromEntries(Object.keys(r).sort().map((k) => [k, bitSnapshot(r[k])]))
  }
  return x
}

/**
 * a ≡ b: the same structure and the same bits in every number (`bitSnapshot(a)` and
 * `bitSnapshot(b)` print alike as JSON).
 *
 * @example
 * import { fromArrays } from 'pure-gan'
 * import { sameBits } from 'pure-gan/testing'
 * sameBits([fromArrays([[0.1 + 0.2]])], [fromArrays([[0.3]])]) // false
 * sameBits({ b: 1, a: [2] }, { a: [2], b: 1 }) // true
 * sameBits(0, -0) // false
 *
 * @category laws
 * @since 0.2.0
 */
export const sameBits = (a: unknown, b: unknown): boolean => JSON.stringify(bitSnapshot(a)) === JSON.stringify(bitSnapshot(b))
