/**
 * The digit classifier's codec (src/classifier/codec.ts): a round trip keeps every bit, and
 * the decoder refuses each kind of bad file with its own one-line message.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DIGIT_CLASSIFIER_FORMAT,
  type DigitClassifier,
  classifierProbabilities,
  decodeDigitClassifier,
  encodeDigitClassifier,
  trainDigitClassifier,
} from '../../src/classifier/index.js'
import * as E from '../../src/fp/either.js'
import { bitEqual, fromArrays } from '../../src/matrix/index.js'
import { rngFromSeed } from '../../src/random/index.js'

const bitsOf = (a: Float64Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex')

/** A classifier 3 → hidden → 10 with arbitrary finite parameters (-0 and subnormals included). */
const arbitraryClassifier = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }).chain((hidden) => {
  let count = 0
  let d = 3
  for (const h of [...hidden, 10]) {
    count += (d + 1) * h
    d = h
  }
  return fc.record({
    hidden: fc.constant(hidden),
    parameters: fc.float64Array({ minLength: count, maxLength: count, noNaN: true, noDefaultInfinity: true }),
    rows: fc.nat(),
    epochs: fc.integer({ min: 1, max: 100 }),
    batchSize: fc.integer({ min: 1, max: 1000 }),
    learningRate: fc.double({ min: 1e-9, max: 1, noNaN: true }),
  })
}).map(({ hidden, parameters, rows, epochs, batchSize, learningRate }): DigitClassifier => ({ inputSize: 3, hidden, parameters, training: { rows, epochs, batchSize, learningRate } }))

describe('encode and decode', () => {
  it('a round trip keeps every bit of every parameter, and the text is the same when encoded again', () => {
    fc.assert(
      fc.property(arbitraryClassifier, (c) => {
        const text = encodeDigitClassifier(c)
        const back = decodeDigitClassifier(text)
        expect(E.isRight(back)).toBe(true)
        if (E.isLeft(back)) return
        expect(bitsOf(back.right.parameters)).toBe(bitsOf(c.parameters))
        expect(back.right.hidden).toEqual(c.hidden)
        expect(back.right.inputSize).toBe(3)
        expect(back.right.training).toEqual(c.training)
        expect(encodeDigitClassifier(back.right)).toBe(text)
      }),
      { numRuns: 100 },
    )
  })

  it('a trained classifier read back gives the same probabilities, bit for bit', () => {
    const x = fromArrays([[0, 1], [1, 0], [1, 1], [0, 0]])
    const c = trainDigitClassifier(x, [0, 1, 2, 3], { hidden: [5, 4], epochs: 3, batchSize: 2 }, rngFromSeed(9))
    const back = decodeDigitClassifier(encodeDigitClassifier(c))
    if (E.isLeft(back)) throw new Error(back.left)
    expect(bitEqual(classifierProbabilities(back.right, x), classifierProbabilities(c, x))).toBe(true)
  })
})

describe('the decoder refuses, each problem with its message', () => {
  const c: DigitClassifier = { inputSize: 2, hidden: [3], parameters: new Float64Array(3 * 3 + 4 * 10).fill(0.5), training: { rows: 10, epochs: 1, batchSize: 5, learningRate: 0.001 } }
  const good = JSON.parse(encodeDigitClassifier(c)) as Record<string, unknown>
  const edited = (change: (j: Record<string, any>) => void): string => {
    const j = JSON.parse(JSON.stringify(good)) as Record<string, any>
    change(j)
    return JSON.stringify(j)
  }
  const hexOf = (v: number): string => {
    const b = Buffer.alloc(8)
    b.writeDoubleBE(v)
    return b.toString('hex')
  }

  it.each([
    ['not JSON', '{"format":', /^not JSON, perhaps truncated \(.+\)$/],
    ['not an object', '[1, 2]', 'not a digit classifier: expected a JSON object, found [1,2]'],
    ['another format', edited((j) => (j['format'] = 'pure-gan/gan-state')), `format must be "${DIGIT_CLASSIFIER_FORMAT}", found "pure-gan/gan-state"`],
    ['another version', edited((j) => (j['version'] = 2)), 'version 2 is not supported: this pure-gan reads version 1'],
    ['a missing field', edited((j) => delete j['hidden']), 'the field "hidden" is missing (a digit classifier has format, version, inputSize, hidden, classes, activation, training, parameters)'],
    ['an unknown field', edited((j) => (j['extra'] = 1)), 'unknown field "extra" (a digit classifier has format, version, inputSize, hidden, classes, activation, training, parameters)'],
    ['a bad input width', edited((j) => (j['inputSize'] = 0)), 'inputSize must be an integer in 1..65536, found 0'],
    ['no hidden layer', edited((j) => (j['hidden'] = [])), 'hidden must be an array of 1 to 8 widths, found []'],
    ['a bad width', edited((j) => (j['hidden'] = [3.5])), 'hidden[0] must be an integer in 1..1024, found 3.5'],
    ['another number of classes', edited((j) => (j['classes'] = 26)), 'classes must be 10 (the digits), found 26'],
    ['another activation', edited((j) => (j['activation'] = 'tanh')), 'activation must be "relu", found "tanh"'],
    ['a bad training record', edited((j) => (j['training']['epochs'] = 0)), 'training.epochs must be a positive integer, found 0'],
    ['a count that does not fit the architecture', edited((j) => (j['hidden'] = [4])), 'parameters.count is 49, but the architecture 2 → 4 → 10 has 62 parameters'],
    ['too few hex digits', edited((j) => (j['parameters']['f64'] = (j['parameters']['f64'] as string).slice(16))), 'parameters: f64 must hold 49 values as 784 hex digits, found 768 digits'],
    ['a character that is not a hex digit', edited((j) => (j['parameters']['f64'] = `X${(j['parameters']['f64'] as string).slice(1)}`)), 'parameters: f64 must contain only lowercase hex digits 0-9a-f'],
    ['a NaN parameter', edited((j) => (j['parameters']['f64'] = hexOf(1) + hexOf(NaN) + (j['parameters']['f64'] as string).slice(32))), 'parameters: value 1 is NaN; every parameter must be finite'],
    ['an infinite parameter', edited((j) => (j['parameters']['f64'] = (j['parameters']['f64'] as string).slice(0, -16) + hexOf(-Infinity))), 'parameters: value 48 is -Infinity; every parameter must be finite'],
  ] as const)('%s', (_name, text, message) => {
    const r = decodeDigitClassifier(text)
    expect(E.isLeft(r)).toBe(true)
    if (E.isRight(r)) return
    if (typeof message === 'string') expect(r.left).toBe(message)
    else expect(r.left).toMatch(message)
    expect(r.left).not.toContain('\n')
  })
})
