/**
 * `pure-gan verify` on hostile run.json files, in-process: a real small record with mutated
 * bytes, truncated, nested 50 000 levels deep at a field, with huge arrays, `__proto__`
 * keys, extra keys at any depth, a wrong type at any field, numbers beyond float64 (1e999).
 *
 * The property: exit 0, 1 or 2 with its documented meaning: 0 "verified"; 1 only "different"
 * (one line on stdout) or "the re-run stopped" (one line on stderr); 2 one line on stderr and
 * nothing on stdout; never a stack trace.
 */
import fc from 'fast-check'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasStackTrace, isOneLine, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-verify-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

let text = ''
let record: unknown
beforeAll(() => {
  const out = join(work, 'run')
  const r = runInProcess(['train', '--epochs', '2', '--data-size', '6', '--batch-size', '4', '--quiet', '--out', out])
  expect(r.code).toBe(0)
  text = readFileSync(join(out, 'run.json'), 'utf8')
  record = JSON.parse(text)
})

type Path = ReadonlyArray<string | number>

/** Every path in a JSON value (iteratively), with whether it leads to an object. */
const pathsOf = (root: unknown): ReadonlyArray<{ readonly path: Path; readonly isObject: boolean }> => {
  const out: Array<{ path: Path; isObject: boolean }> = []
  const stack: Array<{ v: unknown; path: Path }> = [{ v: root, path: [] }]
  for (let t = stack.pop(); t !== undefined; t = stack.pop()) {
    const { v, path } = t
    const isObject = v !== null && typeof v === 'object' && !Array.isArray(v)
    out.push({ path, isObject })
    if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, path: [...path, i] }))
    else if (isObject) for (const [k, x] of Object.entries(v as object)) stack.push({ v: x, path: [...path, k] })
  }
  return out
}

const clone = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>

/** Sets the value at `path` (the root is replaced by returning the new value). */
const setAt = (root: unknown, path: Path, value: unknown): unknown => {
  if (path.length === 0) return value
  let o = root as Record<string | number, unknown>
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>
  o[path[path.length - 1]!] = value
  return root
}

/** A placeholder that the text replacement swaps for something JSON.stringify cannot write. */
const HOLE = '"@@HOLE@@"'

type Mutation =
  | { readonly kind: 'bytes'; readonly edits: ReadonlyArray<readonly [number, number]> }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'deep'; readonly at: number; readonly open: '[' | '{"a":'; readonly depth: number }
  | { readonly kind: 'huge'; readonly at: number; readonly length: number }
  | { readonly kind: 'proto'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'extra'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'wrong-type'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'beyond-float'; readonly at: number; readonly number: string }

const anyValue = fc.oneof(fc.constant(null), fc.boolean(), fc.string({ maxLength: 5 }), fc.double(), fc.constant([]), fc.constant({}), fc.constant([[1, 2]]), fc.constant({ epoch: 1 }))

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), at: fc.nat(), open: fc.constantFrom('[' as const, '{"a":' as const), depth: fc.constantFrom(50_000, 100_000) }),
  fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), length: fc.constantFrom(100_000, 1_000_000) }),
  fc.record({ kind: fc.constant('proto' as const), at: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key: fc.constantFrom('extra', 'learningRate', 'constructor', 'toString', ''), value: anyValue }),
  fc.record({ kind: fc.constant('wrong-type' as const), at: fc.nat(), value: anyValue }),
  fc.record({ kind: fc.constant('beyond-float' as const), at: fc.nat(), number: fc.constantFrom('1e999', '-1e999', '1e-999', '-0', '123456789012345678901234567890') }),
)

/** The text of a record with one mutation applied. */
const mutate = (m: Mutation): string => {
  const paths = pathsOf(record)
  const pick = (at: number) => paths[at % paths.length]!
  switch (m.kind) {
    case 'bytes': {
      const bytes = Buffer.from(text, 'utf8')
      for (const [at, b] of m.edits) bytes[at % bytes.length] = b
      return bytes.toString('latin1')
    }
    case 'truncate':
      return text.slice(0, m.at % text.length)
    case 'deep': {
      const deep = m.open === '[' ? '['.repeat(m.depth) + ']'.repeat(m.depth) : '{"a":'.repeat(m.depth) + '1' + '}'.repeat(m.depth)
      return JSON.stringify(setAt(clone(), pick(m.at).path, '@@HOLE@@')).replace(HOLE, deep)
    }
    case 'huge':
      return JSON.stringify(setAt(clone(), pick(m.at).path, new Array(m.length).fill(0)))
    case 'proto':
    case 'extra': {
      const objects = paths.filter((p) => p.isObject)
      const target = objects[m.at % objects.length]!.path
      const key = m.kind === 'proto' ? '__proto__' : m.key
      // JSON text, so that "__proto__" is an own key as JSON.parse makes it.
      const inner = JSON.stringify(setAt(clone(), target, { ...(getAt(clone(), target) as object), '@@KEY@@': m.value }))
      return inner.replace('"@@KEY@@"', JSON.stringify(key))
    }
    case 'wrong-type':
      return JSON.stringify(setAt(clone(), pick(m.at).path, m.value))
    case 'beyond-float': {
      const numbers = paths.filter((p) => typeof getAt(record, p.path) === 'number')
      return JSON.stringify(setAt(clone(), numbers[m.at % numbers.length]!.path, '@@HOLE@@')).replace(HOLE, m.number)
    }
  }
}

const getAt = (root: unknown, path: Path): unknown => {
  let o = root as Record<string | number, unknown>
  for (const k of path) o = o[k] as Record<string | number, unknown>
  return o
}

/**
 * True for the mutations that leave no valid record: nesting 50 000 deep anywhere, a number
 * beyond float64's range anywhere, and an extra or `__proto__` key in any object the record's
 * own structure check covers (outside config and finalState, which the library validates).
 */
const mustRefuse = (m: Mutation): boolean => {
  if (m.kind === 'deep') return true
  if (m.kind === 'beyond-float') return m.number === '1e999' || m.number === '-1e999'
  if (m.kind === 'proto' || m.kind === 'extra') {
    const objects = pathsOf(record).filter((p) => p.isObject)
    const top = objects[m.at % objects.length]!.path[0]
    return top !== 'config' && top !== 'finalState'
  }
  return false
}

let counter = 0

describe('pure-gan verify on hostile run.json files', () => {
  it('the unmutated record verifies (exit 0)', () => {
    const p = join(work, 'good.json')
    writeFileSync(p, text)
    const r = runInProcess(['verify', p])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(r.stdout).toMatch(/^verified: /)
  })

  it('exit 0, 1 or 2 with its documented meaning, one line, never a trace', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const p = join(work, `m-${++counter}.json`)
        writeFileSync(p, mutate(m), 'latin1')
        const r = runInProcess(['verify', p])
        rmSync(p)
        expect(hasStackTrace(r)).toBe(false)
        expect([0, 1, 2]).toContain(r.code)
        const notes = r.stderr.split('\n').filter((l) => l.startsWith('note: '))
        const rest = r.stderr
          .split('\n')
          .filter((l) => l !== '' && !l.startsWith('note: '))
          .map((l) => `${l}\n`)
          .join('')
        expect(notes.length).toBeLessThanOrEqual(1)
        if (r.code === 0) expect([isOneLine(r.stdout), r.stdout.startsWith('verified: '), rest]).toEqual([true, true, ''])
        if (r.code === 1) {
          const different = isOneLine(r.stdout) && r.stdout.startsWith('different: ') && rest === ''
          const stopped = r.stdout === '' && isOneLine(rest) && rest.startsWith('pure-gan verify: the re-run stopped: ')
          expect(different || stopped).toBe(true)
        }
        // Mutations that no run record survives: the whole structure is checked before the re-run.
        if (mustRefuse(m)) expect(r.code).toBe(2)
        if (r.code === 2) expect([r.stdout, notes.length, isOneLine(r.stderr), r.stderr.startsWith('pure-gan verify: ')]).toEqual(['', 0, true, true])
      }),
    )
  })
})
