/** `guarded` (src/validate/guarded.ts): the validator's own result, or a Left naming what it threw. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/fp/either.js'
import { guarded } from '../../src/validate/guarded.js'

describe('guarded', () => {
  it('returns the validator’s Right or Left unchanged, without calling onThrow', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer().map(E.right), fc.string().map(E.left)), (result) => {
        let called = false
        const out = guarded(() => result, (m) => ((called = true), m))
        expect(out).toBe(result)
        expect(called).toBe(false)
      }),
    )
  })

  it('turns a thrown Error into Left(onThrow(its message)), and anything else thrown into "an unknown error"', () => {
    fc.assert(
      fc.property(fc.string(), (message) => {
        expect(guarded(() => { throw new RangeError(message) }, (m) => `failed: ${m}`)).toEqual(E.left(`failed: ${message}`))
      }),
    )
    for (const thrown of ['text', 42, null, undefined, { message: 'not an Error' }]) {
      expect(guarded(() => { throw thrown }, (m) => [m])).toEqual(E.left(['an unknown error']))
    }
  })
})
