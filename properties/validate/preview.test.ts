/** `shownKey` (src/validate/preview.ts): a key as messages name it. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { shownKey } from '../../src/validate/preview.js'

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
