/**
 * The `toEqualBits` matcher (setup.ts, bits.ts): which inputs pass and which fail, with and
 * without `.not`, and what a failure says.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bitEqual, fromArrays, fromFlat } from '../../src/matrix/index.js'
import { compareBits, describeBitComparison, float64Hex } from './bits.js'

/** The message of the assertion `f` makes, which must fail. */
const failure = (f: () => void): string => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  throw new Error('expected the assertion to fail')
}

/** `x` with its lowest mantissa bit flipped. */
const flipLowBit = (x: number): number => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  view.setBigUint64(0, view.getBigUint64(0) ^ 1n)
  return view.getFloat64(0)
}

describe('toEqualBits passes', () => {
  it('on bit-identical matrices, sequences and numbers', () => {
    expect(fromArrays([[1, 2], [3, 4]])).toEqualBits(fromArrays([[1, 2], [3, 4]]))
    expect(Float64Array.of(0.1, -0)).toEqualBits(Float64Array.of(0.1, -0))
    expect([0.1, 2]).toEqualBits(Float64Array.of(0.1, 2))
    expect(0.30000000000000004).toEqualBits(0.1 + 0.2)
    expect(fromFlat(0, 3, [])).toEqualBits(fromFlat(0, 3, []))
    expect([]).toEqualBits(new Float64Array(0))
  })

  it('on NaN against NaN, whatever the payload (as bitEqual, Object.is)', () => {
    const otherNaN = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0] as number
    expect(Number.NaN).toEqualBits(Number.NaN)
    expect(Float64Array.of(otherNaN)).toEqualBits([Number.NaN])
    expect(fromArrays([[Number.NaN]])).toEqualBits(fromArrays([[Number.NaN]]))
  })

  it('exactly where bitEqual says yes, for matrices of the same shape and full data', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 4, maxLength: 4 }), fc.array(fc.double(), { minLength: 4, maxLength: 4 }), (a, b) => {
        const ma = fromFlat(2, 2, a)
        const mb = fromFlat(2, 2, b)
        expect(compareBits(ma, mb).kind === 'equal').toBe(bitEqual(ma, mb))
        expect(compareBits(ma, ma).kind).toBe('equal')
      }),
    )
  })
})

describe('toEqualBits fails', () => {
  it('on a one-bit difference, naming the index, row, col, both values, both bit patterns and the count', () => {
    const x = 0.1
    const y = flipLowBit(x)
    const message = failure(() => expect(fromArrays([[1, 2, 3], [4, x, 6]])).toEqualBits(fromArrays([[1, 2, 3], [4, y, 6]])))
    expect(message).toContain('1 of 6 entries differ')
    expect(message).toContain('index 4 (row 1, col 1)')
    expect(message).toContain(`received 0.1 (bits ${float64Hex(x)})`)
    expect(message).toContain(`expected ${String(y)} (bits ${float64Hex(y)})`)
    expect(float64Hex(x)).toBe('3fb999999999999a')
    expect(float64Hex(y)).toBe('3fb999999999999b')
  })

  it('counts every differing entry and names the first', () => {
    const message = failure(() => expect([1, 2, 3, 4]).toEqualBits([1, 5, 3, 6]))
    expect(message).toContain('2 of 4 entries differ; the first at index 1:')
    expect(message).toContain(`received 2 (bits ${float64Hex(2)})`)
    expect(message).toContain(`expected 5 (bits ${float64Hex(5)})`)
  })

  it('on 0 against -0, showing the sign', () => {
    const message = failure(() => expect(0).toEqualBits(-0))
    expect(message).toContain('received 0 (bits 0000000000000000)')
    expect(message).toContain('expected -0 (bits 8000000000000000)')
    expect(Float64Array.of(-0)).not.toEqualBits([0])
  })

  it('on NaN against a number', () => {
    expect([Number.NaN]).not.toEqualBits([0])
    expect(failure(() => expect(Number.NaN).toEqualBits(1))).toContain('received NaN (bits 7ff8000000000000)')
  })

  it('on shapes that differ: rows and cols, lengths, kinds', () => {
    expect(failure(() => expect(fromFlat(2, 3, [1, 2, 3, 4, 5, 6])).toEqualBits(fromFlat(3, 2, [1, 2, 3, 4, 5, 6])))).toContain(
      'expected a (3x2) matrix, received a (2x3) matrix',
    )
    expect(failure(() => expect([1, 2]).toEqualBits([1, 2, 3]))).toContain('expected a sequence of 3, received a sequence of 2')
    expect(failure(() => expect(fromFlat(1, 2, [1, 2])).toEqualBits([1, 2]))).toContain('expected a sequence of 2, received a (1x2) matrix')
    expect(fromFlat(0, 3, [])).not.toEqualBits(fromFlat(0, 4, []))
    expect(1).not.toEqualBits([1])
  })

  it('on a matrix whose data is shorter (or longer) than rows·cols, as bitEqual', () => {
    const short = { rows: 2, cols: 2, data: Float64Array.of(1, 2, 3) }
    const full = fromFlat(2, 2, [1, 2, 3, 4])
    expect(bitEqual(short, full)).toBe(false)
    expect(bitEqual(full, short)).toBe(false)
    expect(bitEqual(short, short)).toBe(false)
    expect(failure(() => expect(short).toEqualBits(full))).toContain('the received (2x2) matrix holds 3 data entries, not 4')
    expect(failure(() => expect(full).toEqualBits(short))).toContain('the expected (2x2) matrix holds 3 data entries, not 4')
    expect({ rows: 1, cols: 1, data: Float64Array.of(1, 2) }).not.toEqualBits({ rows: 1, cols: 1, data: Float64Array.of(1, 2) })
  })

  it('under .not on equal values, saying how many entries are equal', () => {
    expect(failure(() => expect(fromArrays([[1, 2]])).not.toEqualBits(fromArrays([[1, 2]])))).toBe(
      'expected the (1x2) matrices not to be bit-equal, but all 2 entries are',
    )
  })

  it('with a TypeError on values it cannot compare, with or without .not', () => {
    expect(() => expect('1').toEqualBits(1)).toThrow(TypeError)
    expect(() => expect(1).not.toEqualBits([1, '2'] as never)).toThrow('the expected value must be a Matrix, a Float64Array, a number[] or a number')
    expect(() => expect(undefined).not.toEqualBits(1)).toThrow('got undefined')
  })
})

describe('describeBitComparison', () => {
  it('describes each outcome', () => {
    expect(describeBitComparison(compareBits([1], [1]))).toBe('expected the sequences of 1 not to be bit-equal, but all 1 entries are')
    expect(describeBitComparison(compareBits(1, 2))).toBe(
      'expected the numbers to be bit-equal, but 1 of 1 entries differ; the first at index 0:\n' +
        '  received 1 (bits 3ff0000000000000)\n' +
        '  expected 2 (bits 4000000000000000)',
    )
  })
})
