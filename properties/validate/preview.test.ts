/** `preview` and `shownKey` (src/validate/preview.ts): values and keys as messages show them. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { preview, shownKey } from '../../src/validate/preview.js'

describe('shownKey', () => {
  it('names a key of up to 100 characters in full, a longer one by its first 100 and "..."', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (key) => {
        expect(shownKey(key)).toBe(key)
      }),
    )
    fc.assert(
      fc.property(fc.string({ minLength: 101, maxLength: 400 }), (key) => {
        expect(shownKey(key)).toBe(`${key.slice(0, 100)}...`)
      }),
    )
    expect(shownKey('k'.repeat(100))).toBe('k'.repeat(100))
    expect(shownKey('k'.repeat(101))).toBe(`${'k'.repeat(100)}...`)
  })
})

describe('preview', () => {
  it('prints numbers, bigints, booleans, undefined and symbols at the top level by name', () => {
    expect([Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5].map((x) => preview(x))).toEqual(['NaN', 'Infinity', '0', '1.5'])
    expect([preview(12n), preview(true), preview(false), preview(undefined), preview(Symbol('s'))]).toEqual(['12', 'true', 'false', 'undefined', 'Symbol(s)'])
  })

  it('prints plain data as its JSON text: null, non-finite numbers in containers as null, bigints and booleans inside, undefined and functions dropped from objects and null in arrays', () => {
    expect(preview(null)).toBe('null')
    expect(preview([1, Number.NaN, 2n, true, undefined, Symbol('x'), () => 1, null])).toBe('[1,null,2,true,null,null,null,null]')
    expect(preview({ a: 1, skip: undefined, f: () => 1, s: Symbol('y'), b: [false], c: 'text' })).toBe('{"a":1,"b":[false],"c":"text"}')
    expect(preview(Object.assign(Object.create(null), { k: 1 }))).toBe('{"k":1}')
    expect(preview('quote"d')).toBe('"quote\\"d"')
    // a function is what JSON.stringify leaves out: nothing at the top level
    expect(preview(() => 1)).toBe('')
  })

  it('cuts after max characters with "...", at exactly max, and never reads past the cut', () => {
    expect(preview([1, 2, 3], 7)).toBe('[1,2,3]')
    expect(preview([1, 2, 3], 6)).toBe('[1,2,3...')
    expect(preview('x'.repeat(10), 5)).toBe('"xxxx...')
    expect(preview({ ['k'.repeat(10)]: 1 }, 5)).toBe('{"kkk...')
    let reads = 0
    const many = new Proxy([1, 2, 3, 4, 5, 6, 7, 8], { get: (t, p) => ((reads += typeof p === 'string' && /^\d+$/.test(p) ? 1 : 0), Reflect.get(t, p)) })
    expect(preview(many, 4)).toBe('[1,2...')
    expect(reads).toBeLessThan(4)
  })

  it('names a non-plain object by its tag, and a value whose reading throws by a fixed phrase', () => {
    expect(preview(new Date(0))).toBe('[object Date]')
    expect(preview(new Map())).toBe('[object Map]')
    const throwing = { get bad(): number { throw new Error('no') } }
    expect(preview(throwing)).toBe('(a value that cannot be printed)')
  })
})
