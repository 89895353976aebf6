/**
 * A {@link DigitClassifier} to and from JSON text, every parameter bit-exact (as the GAN
 * state's codec writes floats: 16 lowercase hex digits of the IEEE-754 bits per value).
 *
 * @module
 */
import * as E from '../fp/either.js'
import { decodeFloats, encodeFloats } from '../gan/codec.js'
import { preview } from '../validate/preview.js'
import { DIGIT_CLASSES, type DigitClassifier, digitClassifierParamCount } from './digit-classifier.js'

/**
 * The `format` field of an encoded digit classifier.
 *
 * @example
 * import { DIGIT_CLASSIFIER_FORMAT } from 'pure-gan'
 * DIGIT_CLASSIFIER_FORMAT // 'pure-gan/digit-classifier'
 *
 * @category codec
 * @since 0.5.0
 */
export const DIGIT_CLASSIFIER_FORMAT = 'pure-gan/digit-classifier'

/**
 * The version of the format this code writes and reads.
 *
 * @example
 * import { DIGIT_CLASSIFIER_FORMAT_VERSION } from 'pure-gan'
 * DIGIT_CLASSIFIER_FORMAT_VERSION // 1
 *
 * @category codec
 * @since 0.5.0
 */
export const DIGIT_CLASSIFIER_FORMAT_VERSION = 1

const FIELDS = ['format', 'version', 'inputSize', 'hidden', 'classes', 'activation', 'training', 'parameters'] as const
const TRAINING_FIELDS = ['rows', 'epochs', 'batchSize', 'learningRate'] as const
const PARAMETER_FIELDS = ['count', 'f64'] as const
/** The largest input width accepted: 2^16 (MNIST's is 784). */
const MAX_INPUT = 65536
const MAX_HIDDEN_LAYERS = 8
const MAX_WIDTH = 1024

/**
 * The classifier as JSON text: one object with, in this order, `format`
 * (`'pure-gan/digit-classifier'`), `version` (1), `inputSize`, `hidden` (the widths),
 * `classes` (10), `activation` (`'relu'`, the hidden layers'), `training` (`{ rows, epochs,
 * batchSize, learningRate }`) and `parameters` (`{ count, f64 }`: `W_0, b_0, W_1, ...` in
 * order, each value's IEEE-754 bits big-endian as 16 lowercase hex digits). So
 * `decodeDigitClassifier(encodeDigitClassifier(c))` has the same bits as `c`, `-0`, NaN
 * payloads aside (a finite classifier has none).
 *
 * @example
 * import { type DigitClassifier, encodeDigitClassifier } from 'pure-gan'
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: new Float64Array(22), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * JSON.parse(encodeDigitClassifier(c)).parameters.count // 22
 *
 * @category codec
 * @since 0.5.0
 */
export const encodeDigitClassifier = (classifier: DigitClassifier): string =>
  JSON.stringify({
    format: DIGIT_CLASSIFIER_FORMAT,
    version: DIGIT_CLASSIFIER_FORMAT_VERSION,
    inputSize: classifier.inputSize,
    hidden: [...classifier.hidden],
    classes: DIGIT_CLASSES,
    activation: 'relu',
    training: {
      rows: classifier.training.rows,
      epochs: classifier.training.epochs,
      batchSize: classifier.training.batchSize,
      learningRate: classifier.training.learningRate,
    },
    parameters: { count: classifier.parameters.length, f64: encodeFloats(classifier.parameters) },
  })

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isIntegerIn = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= lo && v <= hi

/** The first missing or unknown field of `o` against `fields`, as a message, or undefined. */
const fieldProblem = (o: Record<string, unknown>, fields: ReadonlyArray<string>, where: string): string | undefined => {
  const missing = fields.find((f) => !Object.hasOwn(o, f))
  if (missing !== undefined) return `${where}the field "${missing}" is missing (a digit classifier has ${fields.join(', ')})`
  const unknown = Object.keys(o).find((k) => !fields.includes(k))
  if (unknown !== undefined) return `${where}unknown field ${JSON.stringify(unknown.slice(0, 60))} (a digit classifier has ${fields.join(', ')})`
  return undefined
}

/** The decoded value of an already parsed JSON value (see {@link decodeDigitClassifier}). */
const decodeJson = (j: unknown): E.Either<string, DigitClassifier> => {
  if (!isRecord(j)) return E.left(`not a digit classifier: expected a JSON object, found ${preview(j, 40)}`)
  if (j['format'] !== DIGIT_CLASSIFIER_FORMAT) return E.left(`format must be "${DIGIT_CLASSIFIER_FORMAT}", found ${preview(j['format'], 60)}`)
  if (j['version'] !== DIGIT_CLASSIFIER_FORMAT_VERSION) {
    return E.left(`version ${preview(j['version'], 40)} is not supported: this pure-gan reads version ${DIGIT_CLASSIFIER_FORMAT_VERSION}`)
  }
  const fields = fieldProblem(j, FIELDS, '')
  if (fields !== undefined) return E.left(fields)
  const { inputSize, hidden, classes, activation, training, parameters } = j
  if (!isIntegerIn(inputSize, 1, MAX_INPUT)) return E.left(`inputSize must be an integer in 1..${MAX_INPUT}, found ${preview(inputSize, 40)}`)
  if (!Array.isArray(hidden) || hidden.length < 1 || hidden.length > MAX_HIDDEN_LAYERS) {
    return E.left(`hidden must be an array of 1 to ${MAX_HIDDEN_LAYERS} widths, found ${preview(hidden, 60)}`)
  }
  const badWidth = hidden.findIndex((w) => !isIntegerIn(w, 1, MAX_WIDTH))
  if (badWidth >= 0) return E.left(`hidden[${badWidth}] must be an integer in 1..${MAX_WIDTH}, found ${preview(hidden[badWidth], 40)}`)
  if (classes !== DIGIT_CLASSES) return E.left(`classes must be ${DIGIT_CLASSES} (the digits), found ${preview(classes, 40)}`)
  if (activation !== 'relu') return E.left(`activation must be "relu", found ${preview(activation, 40)}`)
  if (!isRecord(training)) return E.left(`training must be a record { ${TRAINING_FIELDS.join(', ')} }, found ${preview(training, 40)}`)
  const trainingFields = fieldProblem(training, TRAINING_FIELDS, 'training: ')
  if (trainingFields !== undefined) return E.left(trainingFields)
  const { rows, epochs, batchSize, learningRate } = training
  if (!isIntegerIn(rows, 0, Number.MAX_SAFE_INTEGER)) return E.left(`training.rows must be an integer >= 0, found ${preview(rows, 40)}`)
  if (!isIntegerIn(epochs, 1, Number.MAX_SAFE_INTEGER)) return E.left(`training.epochs must be a positive integer, found ${preview(epochs, 40)}`)
  if (!isIntegerIn(batchSize, 1, Number.MAX_SAFE_INTEGER)) return E.left(`training.batchSize must be a positive integer, found ${preview(batchSize, 40)}`)
  if (typeof learningRate !== 'number' || !(learningRate > 0)) return E.left(`training.learningRate must be a number > 0, found ${preview(learningRate, 40)}`)
  if (!isRecord(parameters)) return E.left(`parameters must be a record { count, f64 }, found ${preview(parameters, 40)}`)
  const parameterFields = fieldProblem(parameters, PARAMETER_FIELDS, 'parameters: ')
  if (parameterFields !== undefined) return E.left(parameterFields)
  const widths = hidden as number[]
  const expected = digitClassifierParamCount(inputSize, widths)
  if (parameters['count'] !== expected) {
    return E.left(`parameters.count is ${preview(parameters['count'], 40)}, but the architecture ${[inputSize, ...widths, DIGIT_CLASSES].join(' → ')} has ${expected} parameters`)
  }
  if (typeof parameters['f64'] !== 'string') return E.left(`parameters.f64 must be a string of hex digits, found ${preview(parameters['f64'], 40)}`)
  const values = decodeFloats(parameters['f64'], expected, 'parameters')
  if (E.isLeft(values)) return values
  const p = values.right
  for (let i = 0; i < p.length; i++) {
    if (!Number.isFinite(p[i])) return E.left(`parameters: value ${i} is ${p[i]}; every parameter must be finite`)
  }
  return E.right(
    Object.freeze({
      inputSize,
      hidden: Object.freeze([...widths]),
      parameters: p,
      training: Object.freeze({ rows, epochs, batchSize, learningRate }),
    }),
  )
}

/**
 * The digit classifier that `text` encodes (as {@link encodeDigitClassifier} writes it), or
 * one line naming the first problem: not JSON; not an object; a `format` other than
 * `'pure-gan/digit-classifier'`; a `version` other than 1; a missing or unknown field; an
 * `inputSize` outside `1..65536`; `hidden` not 1 to 8 widths in `1..1024`; `classes` other
 * than 10; an `activation` other than `'relu'`; a bad `training` record; a parameter count
 * other than the architecture's `Σ_l (d_l + 1)·d_{l+1}`; `f64` of the wrong length or with
 * characters other than `0-9a-f`; a parameter that is NaN or infinite (named by index).
 *
 * @example
 * import { type DigitClassifier, decodeDigitClassifier, encodeDigitClassifier } from 'pure-gan'
 * const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: new Float64Array(22), training: { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 } }
 * decodeDigitClassifier(encodeDigitClassifier(c))._tag // 'Right'
 * decodeDigitClassifier('{"format":"pure-gan/gan-state"}') // Left('format must be "pure-gan/digit-classifier", found "pure-gan/gan-state"')
 *
 * @category codec
 * @since 0.5.0
 */
export const decodeDigitClassifier = (text: string): E.Either<string, DigitClassifier> => {
  if (typeof text !== 'string') return E.left(`the text must be a string, found ${preview(text, 40)}`)
  let j: unknown
  try {
    j = JSON.parse(text)
  } catch (e) {
    return E.left(`not JSON, perhaps truncated (${(e instanceof Error ? e.message : String(e)).slice(0, 120)})`)
  }
  return decodeJson(j)
}
