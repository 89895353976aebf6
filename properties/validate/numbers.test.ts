/** `isPositiveInteger` (src/validate/numbers.ts): exactly the safe integers >= 1, whatever the input's type. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isPositiveInteger } from '../../src/validate/numbers.js'

describe('isPositiveInteger', () => {
  it('accepts every safe integer >= 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(isPositiveInteger(n)).toBe(true)
      }),
    )
    expect([1, 2, 2 ** 53 - 1].map(isPositiveInteger)).toEqual([true, true, true])
  })

  it('refuses 0, -0 and every negative integer', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }), (n) => {
        expect(isPositiveInteger(n)).toBe(false)
      }),
    )
    expect([0, -0, -1, -(2 ** 53)].map(isPositiveInteger)).toEqual([false, false, false, false])
  })

  it('refuses non-integers, integers from 2^53 on, NaN and the infinities', () => {
    fc.assert(
      fc.property(
        fc.double().filter((x) => !Number.isInteger(x)),
        (x) => {
          expect(isPositiveInteger(x)).toBe(false)
        },
      ),
    )
    fc.assert(
      fc.property(fc.double({ min: 2 ** 53, noNaN: true }), (x) => {
        expect(isPositiveInteger(x)).toBe(false)
      }),
    )
    expect([0.5, 1.5, 1 + 2 ** -52, 2 ** 53, 2 ** 53 + 2, NaN, Infinity, -Infinity].map(isPositiveInteger)).toEqual(Array(8).fill(false))
  })

  it('refuses every non-number: numeric strings, bigints, boxed numbers, null, objects', () => {
    fc.assert(
      fc.property(
        fc.anything().filter((v) => typeof v !== 'number'),
        (v) => {
          expect(isPositiveInteger(v)).toBe(false)
        },
      ),
    )
    expect(['1', '7', null, undefined, true, 1n, {}, [1], { valueOf: () => 1 }, new Number(1)].map(isPositiveInteger)).toEqual(Array(10).fill(false))
  })
})
