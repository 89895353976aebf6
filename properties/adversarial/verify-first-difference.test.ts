/**
 * `firstDifference` (what `verify` prints) is iterative: the same answers as the recursive
 * definition it replaced, on any pair of JSON values, and no depth of nesting overflows it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { firstDifference } from '../../src/report/make-record.js'

// The recursive definition (the code before the explicit stack), as the reference.
const describeValue = (v: unknown): string => {
  if (typeof v === 'number') {
    const hex = Array.from(new Uint8Array(new Float64Array([v]).buffer)).reverse().map((b) => b.toString(16).padStart(2, '0')).join('')
    return `${v} (bits ${hex})`
  }
  const s = JSON.stringify(v)
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s
}
const reference = (a: unknown, b: unknown, path = ''): string | null => {
  const here = path === '' ? '(root)' : path
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${here}: ${describeValue(a)} vs ${describeValue(b)}`
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const d = reference(a[i], b[i], `${path}[${i}]`)
      if (d !== null) return d
    }
    return a.length === b.length ? null : `${here}: ${a.length} entries vs ${b.length} entries`
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    for (const k of ka) if (!(k in b)) return `${path === '' ? k : `${path}.${k}`}: present vs missing`
    for (const k of kb) if (!(k in a)) return `${path === '' ? k : `${path}.${k}`}: missing vs present`
    for (const k of ka) {
      const d = reference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path === '' ? k : `${path}.${k}`)
      if (d !== null) return d
    }
    return null
  }
  if (typeof a === 'string' && typeof b === 'string' && a !== b && (a.length > 80 || path.endsWith('.f64'))) {
    let i = 0
    while (i < a.length && a[i] === b[i]) i++
    if (path.endsWith('.f64')) return `${here}: entry ${Math.floor(i / 16)} (row-major) differs`
    return `${here}: strings differ at character ${i} (${describeValue(a.slice(i, i + 16))} vs ${describeValue(b.slice(i, i + 16))})`
  }
  return a === b ? null : `${here}: ${describeValue(a)} vs ${describeValue(b)}`
}

const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer({ min: -2, max: 2 }), fc.constantFrom('a', 'b', 'x'.repeat(90), 'x'.repeat(89) + 'y', '0123456789abcdef', '0123456789abcdee')),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'f64', 'c', 'constructor'), tie('v'), { maxKeys: 3 }),
  ),
})).v

/** `b` equal to `a` except at one place, so that pairs often agree up to a deep difference. */
const nearPair = value.chain((a) =>
  fc.tuple(fc.constant(a), fc.oneof(fc.constant(structuredClone(a)), value.map((x) => replaceSomewhere(structuredClone(a), x)))),
)

const replaceSomewhere = (a: unknown, x: unknown): unknown => {
  if (Array.isArray(a) && a.length > 0) {
    a[a.length - 1] = replaceSomewhere(a[a.length - 1], x)
    return a
  }
  if (a !== null && typeof a === 'object') {
    const keys = Object.keys(a)
    if (keys.length > 0) {
      const k = keys[0]!
      ;(a as Record<string, unknown>)[k] = replaceSomewhere((a as Record<string, unknown>)[k], x)
      return a
    }
  }
  return x
}

describe('firstDifference', () => {
  it('gives the recursive definition’s answer on any two JSON values', () => {
    fc.assert(fc.property(fc.oneof(fc.tuple(value, value), nearPair), fc.constantFrom('', 'x.f64', 'root'), ([a, b], path) => {
      expect(firstDifference(a, b, path)).toBe(reference(a, b, path))
    }))
  })

  it('compares values nested 200 000 deep without overflowing (arrays and objects)', () => {
    const deepArray = (n: number, leaf: unknown): unknown => {
      let v: unknown = leaf
      for (let i = 0; i < n; i++) v = [v]
      return v
    }
    const deepObject = (n: number, leaf: unknown): unknown => {
      let v: unknown = leaf
      for (let i = 0; i < n; i++) v = { a: v }
      return v
    }
    expect(firstDifference(deepArray(200_000, 1), deepArray(200_000, 1))).toBeNull()
    expect(firstDifference(deepArray(200_000, 1), deepArray(200_000, 2))).toMatch(/^(\[0\]){200000}: 1 \(bits 3ff0000000000000\) vs 2 \(bits 4000000000000000\)$/)
    expect(firstDifference(deepObject(200_000, 'x'), deepObject(200_000, 'x'))).toBeNull()
    expect(firstDifference({ history: deepArray(200_000, 0) }, { history: 5 })).toBe('history: [...] vs 5 (bits 4014000000000000)')
  })
})
