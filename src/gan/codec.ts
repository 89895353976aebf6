/**
 * `GanState` to and from JSON, every float bit-exact (docs/state-format.md).
 *
 * Matrices are stored as `{ rows, cols, f64 }` where `f64` is the row-major entries as
 * IEEE-754 binary64 bit patterns, 16 lowercase hexadecimal digits each (big-endian), so that
 * -0, subnormals and every last bit survive. The PRNG is stored as its four int32 state words.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { pipe } from '../fp/either.js'
import { type Matrix, shapeOf } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type NetworkParams, type NetworkSpec, paramShapes } from '../nn/network.js'
import { type BatchNormStats, type RunningStats, batchNormLayers, checkRunningStats } from '../nn/batchnorm.js'
import { type OptimizerSpec, type OptimizerState, optimizerWords, stateTreeNames } from '../optim/choice.js'
import { rngFromState, validateState } from '../random/rng.js'
import { type ParamTree, assertSameTree } from '../tree/param-tree.js'
import { type PlainData, isPlainRecord, snapshotPlainData } from '../validate/plain-data.js'
import { guarded } from '../validate/guarded.js'
import { preview, shownKey } from '../validate/preview.js'
import { optimizerSpecOf, validateConfig } from './config.js'
import { type GanState, discriminatorSpec, generatorSpec, hasBatchNorm, stateRecord } from './state.js'

/**
 * The `format` field of every encoded state.
 *
 * @category codec
 * @since 0.1.0
 */
export const STATE_FORMAT = 'pure-gan/gan-state'

/**
 * The newest version of the format, which this code writes for a state with running
 * statistics (batch normalisation in G): version 2 adds the field `generatorStats`. A state
 * without them is written as version 1, byte for byte as before, so that every earlier
 * pure-gan still reads it; this code reads both (docs/state-format.md).
 *
 * @category codec
 * @since 0.1.0
 */
export const STATE_FORMAT_VERSION = 2

// -------------------------------------------------------------------------------------
// floats <-> hex
// -------------------------------------------------------------------------------------

const HEX = '0123456789abcdef'

/** The character codes of each byte's two lowercase hex digits: `[high, low]` at `2·byte`. */
const HEX_CODES = ((): Uint8Array => {
  const t = new Uint8Array(512)
  for (let byte = 0; byte < 256; byte++) {
    t[2 * byte] = HEX.charCodeAt(byte >>> 4)
    t[2 * byte + 1] = HEX.charCodeAt(byte & 15)
  }
  return t
})()

/** Each character code's hex digit value (`0-9a-f`), -1 for every other code below 128. */
const HEX_VALUES = ((): Int8Array => {
  const t = new Int8Array(128).fill(-1)
  for (let d = 0; d < 16; d++) t[HEX.charCodeAt(d)] = d
  return t
})()

/**
 * The host's UTF-8 decoder (`TextDecoder`, in every current engine), or undefined: `encodeFloats`
 * turns its ASCII codes into a string with it in one call.
 */
const asciiDecoder = ((): { decode(codes: Uint8Array): string } | undefined => {
  const Decoder = (globalThis as { TextDecoder?: new () => { decode(codes: Uint8Array): string } }).TextDecoder
  return Decoder === undefined ? undefined : new Decoder()
})()

/**
 * Floats per string piece of `encodeFloats` without a decoder: 16 characters each, so a piece is
 * 32 768 character codes, within every engine's limit on the arguments of `String.fromCharCode`.
 */
const FLOATS_PER_PIECE = 2048

/**
 * Each value's IEEE-754 bits, big-endian, as 16 lowercase hex digits, one value after
 * another: the ASCII codes are written into one array and made a string at once (a string
 * grown two characters at a time took 38 s for a state of 2.75 M parameters, pieces through
 * `String.fromCharCode` 7 s, the decoder well under one).
 *
 * @internal
 */
export const encodeFloats = (data: ArrayLike<number>): string => encodeFloatsWith(data, asciiDecoder)

/**
 * `encodeFloats` with `decoder` making the string (without one, pieces through
 * `String.fromCharCode`; the same string either way).
 *
 * @internal
 */
export const encodeFloatsWith = (data: ArrayLike<number>, decoder: { decode(codes: Uint8Array): string } | undefined): string => {
  const view = new DataView(new ArrayBuffer(8))
  const codes = new Uint8Array(16 * data.length)
  let at = 0
  for (let i = 0; i < data.length; i++) {
    view.setFloat64(0, data[i] as number, false)
    for (let b = 0; b < 8; b++) {
      const byte = view.getUint8(b)
      codes[at++] = HEX_CODES[2 * byte] as number
      codes[at++] = HEX_CODES[2 * byte + 1] as number
    }
  }
  if (decoder !== undefined) return decoder.decode(codes)
  const pieces: string[] = []
  for (let start = 0; start < codes.length; start += 16 * FLOATS_PER_PIECE) {
    pieces.push(String.fromCharCode.apply(null, codes.subarray(start, start + 16 * FLOATS_PER_PIECE) as unknown as number[]))
  }
  return pieces.join('')
}

/**
 * The `count` floats of `hex` (as {@link encodeFloats} writes them), or a Left prefixed
 * `where: ` when it holds another number of digits or a character other than `0-9a-f`.
 *
 * @internal
 */
export const decodeFloats = (hex: string, count: number, where: string): E.Either<string, Float64Array> => {
  if (hex.length !== count * 16) {
    return E.left(`${where}: f64 must hold ${count} values as ${count * 16} hex digits, found ${hex.length} digits`)
  }
  if (!/^[0-9a-f]*$/.test(hex)) return E.left(`${where}: f64 must contain only lowercase hex digits 0-9a-f`)
  const out = new Float64Array(count)
  const view = new DataView(new ArrayBuffer(8))
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < count; i++) {
    for (let b = 0; b < 8; b++) {
      const at = i * 16 + b * 2
      // every character is a hex digit (checked above)
      view.setUint8(b, 16 * (HEX_VALUES[hex.charCodeAt(at)] as number) + (HEX_VALUES[hex.charCodeAt(at + 1)] as number))
    }
    out[i] = view.getFloat64(0, false)
  }
  return E.right(out)
}

// -------------------------------------------------------------------------------------
// trees
// -------------------------------------------------------------------------------------

const MATRIX_FIELDS = ['rows', 'cols', 'f64'] as const
const STATE_FIELDS = ['format', 'version', 'config', 'step', 'epoch', 'rng', 'generator', 'discriminator', 'optimizerG', 'optimizerD'] as const
/** Version 2's fields: version 1's and G's running statistics. */
const STATE_FIELDS_2 = [...STATE_FIELDS, 'generatorStats'] as const

/**
 * The message for the first own key of `o` (in sorted order) not in `known`, naming its
 * path: `unknown state field "state.generator[0].W.x"; known fields of a matrix: rows, cols, f64`.
 */
const unknownField = (o: object, where: string, known: ReadonlyArray<string>, what: string): string | undefined => {
  const k = Object.keys(o)
    .sort()
    .find((key) => !known.includes(key))
  if (k === undefined) return undefined
  return `unknown state field ${JSON.stringify(`${where}.${shownKey(k)}`)}; known fields of ${what}: ${known.join(', ')}`
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const isMatrix = (t: ParamTree): t is Matrix => !Array.isArray(t) && (t as Matrix).data instanceof Float64Array

const encodeTree = (t: ParamTree): Json => {
  if (isMatrix(t)) return { rows: t.rows, cols: t.cols, f64: encodeFloats(t.data as unknown as Float64Array) }
  if (Array.isArray(t)) return (t as ReadonlyArray<ParamTree>).map(encodeTree)
  const r = t as { readonly [k: string]: ParamTree }
  const out: { [key: string]: Json } = {}
  for (const k of Object.keys(r).sort()) out[k] = encodeTree(r[k] as ParamTree)
  return out
}

const decodeTree = (j: unknown, where: string): E.Either<string, ParamTree> => {
  if (Array.isArray(j)) {
    const out: ParamTree[] = []
    for (let i = 0; i < j.length; i++) {
      const r = decodeTree(j[i], `${where}[${i}]`)
      if (E.isLeft(r)) return r
      out.push(r.right)
    }
    return E.right(Object.freeze(out))
  }
  if (j === null || typeof j !== 'object') return E.left(`${where}: expected a matrix, an array or a record, found ${preview(j)}`)
  const o = j as Record<string, unknown>
  if (Object.hasOwn(o, 'f64')) {
    const unknown = unknownField(o, where, MATRIX_FIELDS, 'a matrix')
    if (unknown !== undefined) return E.left(unknown)
    const { rows, cols, f64 } = o
    if (!Number.isSafeInteger(rows) || (rows as number) < 0 || !Number.isSafeInteger(cols) || (cols as number) < 0 || typeof f64 !== 'string') {
      return E.left(`${where}: a matrix needs integer rows >= 0, cols >= 0 and a string f64`)
    }
    return pipe(
      decodeFloats(f64, (rows as number) * (cols as number), where),
      E.map((data) => unsafeFromFloat64Array(rows as number, cols as number, data)),
    )
  }
  const out: { [key: string]: ParamTree } = {}
  for (const k of Object.keys(o).sort()) {
    const r = decodeTree(o[k], `${where}.${k}`)
    if (E.isLeft(r)) return r
    out[k] = r.right
  }
  return E.right(Object.freeze(out))
}

// -------------------------------------------------------------------------------------
// codec
// -------------------------------------------------------------------------------------

/** A JSON value with every object's keys in sorted order, so that equal values print alike. */
const canonical = (j: Json): Json => {
  if (Array.isArray(j)) return j.map(canonical)
  // Stryker disable next-line ConditionalExpression: E-UNREACHED a validated config holds no null
  if (j !== null && typeof j === 'object') {
    return Object.fromEntries(
      Object.keys(j)
        .sort()
        .map((k) => [k, canonical(j[k] as Json)]),
    )
  }
  return j
}

/**
 * `value` (plain JSON data, such as a config) as JSON text with every object's keys in sorted
 * order and no whitespace: equal values give equal text whatever order their keys were
 * written in.
 *
 * @internal
 */
export const canonicalJson = (value: unknown): string => JSON.stringify(canonical(JSON.parse(JSON.stringify(value)) as Json))

/**
 * The state as a JSON value (plain objects), ready for `JSON.stringify`. The config's keys
 * are written in sorted order, so equal states give equal text whatever order a config's
 * keys were written in. Version 1 for a generator without batch normalisation, version 2,
 * with `generatorStats`, for one with it.
 *
 * @category codec
 * @since 0.1.0
 */
export const stateToJson = (state: GanState): Json => {
  const withStats = hasBatchNorm(state.config)
  const json: { [key: string]: Json } = {
    format: STATE_FORMAT,
    version: withStats ? 2 : 1,
    config: canonical(JSON.parse(JSON.stringify(state.config)) as Json),
    step: state.step,
    epoch: state.epoch,
    rng: { algorithm: state.rng.algorithm, state: [...state.rng.state] },
    generator: encodeTree(state.generator),
    discriminator: encodeTree(state.discriminator),
    optimizerG: encodeOptimizer(state.optimizerG, optimizerSpecOf(state.config, 'G').kind),
    optimizerD: encodeOptimizer(state.optimizerD, optimizerSpecOf(state.config, 'D').kind),
  }
  if (withStats) json['generatorStats'] = state.generatorStats.map((s) => encodeTree(s as unknown as ParamTree))
  return json
}

/** An optimiser's state as `{ count, <tree>: TREE, ... }`, its trees in `stateTreeNames` order (Adam: `m`, `v`). */
const encodeOptimizer = (state: OptimizerState, kind: OptimizerSpec['kind']): Json => {
  const out: { [key: string]: Json } = { count: state.count }
  for (const name of stateTreeNames(kind)) out[name] = encodeTree((state as unknown as { readonly [k: string]: ParamTree })[name]!)
  return out
}

/**
 * The state as JSON text (keys in a fixed order, no whitespace): equal states give equal text.
 *
 * @example
 * import { decodeState, encodeState, initialState, seedConfig } from 'pure-gan'
 * const text = encodeState(initialState(seedConfig))
 * const back = decodeState(text)
 * back._tag === 'Right' && encodeState(back.right) === text // true
 *
 * @category codec
 * @since 0.1.0
 */
export const encodeState = (state: GanState): string => JSON.stringify(stateToJson(state))


/**
 * The state of the optimiser of kind `kind` (the config's): `{ count, <tree>, ... }` with
 * exactly its trees (`stateTreeNames`), each shaped like `params`.
 */
const decodeOptimizer = (j: unknown, kind: OptimizerSpec['kind'], params: NetworkParams, where: string): E.Either<string, OptimizerState> => {
  const names = stateTreeNames(kind)
  if (!isPlainRecord(j)) return E.left(`${where}: expected { ${['count', ...names].join(', ')} }`)
  const o = j as Record<string, unknown>
  const unknown = unknownField(o, where, ['count', ...names], optimizerWords(kind).record)
  if (unknown !== undefined) return E.left(unknown)
  if (!Number.isSafeInteger(o['count']) || (o['count'] as number) < 0) return E.left(`${where}.count must be an integer >= 0, found ${preview(o['count'])}`)
  const out: { [key: string]: unknown } = { count: o['count'] as number }
  for (const name of names) {
    const tree = decodeTree(o[name], `${where}.${name}`)
    if (E.isLeft(tree)) return tree
    out[name] = tree.right
  }
  try {
    for (const name of names) assertSameTree(`${where}.${name}`, params, out[name] as ParamTree)
  } catch (e) {
    return E.left((e as Error).message)
  }
  return E.right(Object.freeze(out) as unknown as OptimizerState)
}

const decodeNetwork = (j: unknown, shapes: ReadonlyArray<{ readonly W: readonly [number, number]; readonly b: readonly [number, number] }>, where: string): E.Either<string, NetworkParams> => {
  const t = decodeTree(j, where)
  if (E.isLeft(t)) return t
  const layers = t.right
  if (!Array.isArray(layers) || layers.length !== shapes.length) {
    return E.left(`${where}: expected ${shapes.length} layers as the config's architecture has`)
  }
  for (let i = 0; i < shapes.length; i++) {
    const layer = layers[i] as { W?: Matrix; b?: Matrix }
    const s = shapes[i]!
    // Stryker disable next-line ConditionalExpression,LogicalOperator: E-NOOP keys only for W,b
    // Stryker disable next-line ArrayDeclaration,MethodExpression: E-NOOP keys only for W,b
    const keys = isMatrix(layer as ParamTree) || Array.isArray(layer) ? [] : Object.keys(layer).sort()
    const unknown = keys.length > 0 ? unknownField(layer, `${where}[${i}]`, ['W', 'b'], 'a layer') : undefined
    if (unknown !== undefined) return E.left(unknown)
    if (keys.join(',') !== 'W,b' || !isMatrix(layer.W as ParamTree) || !isMatrix(layer.b as ParamTree)) {
      return E.left(`${where}[${i}]: expected a layer { W, b } of matrices`)
    }
    if (layer.W!.rows !== s.W[0] || layer.W!.cols !== s.W[1] || layer.b!.rows !== s.b[0] || layer.b!.cols !== s.b[1]) {
      return E.left(
        `${where}[${i}]: shapes W ${shapeOf(layer.W!)}, b ${shapeOf(layer.b!)} differ from the config's (${s.W[0]}x${s.W[1]}), (${s.b[0]}x${s.b[1]})`,
      )
    }
  }
  return E.right(layers as NetworkParams)
}

/**
 * G's running statistics: none in a version 1 state (whose generator then has no batch
 * normalisation: version 1 predates it); in a version 2 state, `generatorStats`, one
 * `{ mean, variance }` of `(1 x units)` matrices per batch normalisation layer of G, in order,
 * every variance `>= 0` (nn's `checkRunningStats`).
 */
const decodeStats = (j: unknown, version: 1 | 2, spec: NetworkSpec): E.Either<string, RunningStats> => {
  const layers = batchNormLayers(spec.layers).length
  if (version === 1) {
    return layers === 0 ? E.right(Object.freeze([])) : E.left(`state: a version 1 state holds no running statistics, but its config's generator has ${layers} batch normalisation layers (write it as version 2 with generatorStats)`)
  }
  if (!Array.isArray(j)) return E.left(`state.generatorStats: expected an array of { mean, variance }, one per batch normalisation layer of the generator, found ${preview(j)}`)
  const out: BatchNormStats[] = []
  for (let i = 0; i < j.length; i++) {
    const where = `state.generatorStats[${i}]`
    const item = j[i]
    if (!isPlainRecord(item as PlainData) || Object.hasOwn(item as object, 'f64')) return E.left(`${where}: expected { mean, variance } of matrices`)
    const unknown = unknownField(item as object, where, ['mean', 'variance'], 'running statistics')
    if (unknown !== undefined) return E.left(unknown)
    const t = decodeTree(item, where)
    if (E.isLeft(t)) return t
    const { mean, variance } = t.right as unknown as Record<string, unknown>
    if (mean === undefined || variance === undefined || !isMatrix(mean as ParamTree) || !isMatrix(variance as ParamTree)) return E.left(`${where}: expected { mean, variance } of matrices`)
    out.push(Object.freeze({ mean: mean as Matrix, variance: variance as Matrix }))
  }
  try {
    checkRunningStats('state.generatorStats', spec, out)
  } catch (e) {
    return E.left((e as Error).message)
  }
  return E.right(Object.freeze(out))
}

/** The deepest a state nests (state.config.generator.layers[0].activation.kind is at depth 6). */
const STATE_MAX_DEPTH = 16

/** The most values read from a state: a config's 2^21 and the networks' records around them. */
const STATE_MAX_VALUES = 2 ** 21 + 2 ** 18

/**
 * Checks an encoded state given as a value (e.g. parsed JSON): `format` and `version`, the
 * config (`validateConfig`), counters, the PRNG state, and that every matrix has the shape
 * the config's architecture implies. Each failure is a `Left` with a message naming the
 * field.
 *
 * It returns a value for every input and never throws: the value is first read once into
 * plain data (`snapshotPlainData`: each own property read once, at most 16 levels deep,
 * no cycles, no non-plain objects, symbol keys or holes), and every record's keys are
 * checked: an unknown key at any depth is a `Left` naming its path, as in a config. A
 * matrix's `rows · cols` is compared with the length of its `f64` text before anything is
 * allocated.
 *
 * @example
 * import { decodeStateJson, initialState, seedConfig, stateToJson } from 'pure-gan'
 * decodeStateJson(stateToJson(initialState(seedConfig)))._tag // 'Right'
 * decodeStateJson({ ...(stateToJson(initialState(seedConfig)) as object), extra: 1 })
 * // Left('unknown state field "state.extra"; known fields: format, version, config, step, epoch, rng, generator, discriminator, optimizerG, optimizerD')
 *
 * @category codec
 * @since 0.1.0
 */
export const decodeStateJson = (j: unknown): E.Either<string, GanState> => {
  const decode = () => {
    const plain = snapshotPlainData(j, { maxDepth: STATE_MAX_DEPTH, maxValues: STATE_MAX_VALUES, root: 'state', maxProblems: 1 })
    // Stryker disable next-line StringLiteral: E-NOOP maxProblems 1: one problem, nothing joined
    return E.isLeft(plain) ? E.left(plain.left.join('; ')) : decodePlainState(plain.right)
  }
  // Stryker disable next-line all: E-UNREACHED every reading is guarded, over bounded plain data
  return guarded(decode, (message) => `state: could not be decoded (${message})`)
}

const decodePlainState = (j: PlainData): E.Either<string, GanState> => {
  if (!isPlainRecord(j)) return E.left('state: expected a JSON object')
  const o = j as Record<string, unknown>
  if (o['format'] !== STATE_FORMAT) return E.left(`state: format must be "${STATE_FORMAT}", found ${preview(o['format'])}`)
  const version = o['version']
  if (version !== 1 && version !== 2) {
    return E.left(`state: format version ${preview(version)} is not supported; this pure-gan reads versions 1 and 2`)
  }
  const unknown = unknownField(o, 'state', version === 1 ? STATE_FIELDS : STATE_FIELDS_2, 'a state')
  if (unknown !== undefined) return E.left(unknown.replace('; known fields of a state:', '; known fields:'))
  const config = validateConfig(o['config'])
  if (E.isLeft(config)) return E.left(`state.config: ${config.left.join('; ')}`)
  for (const k of ['step', 'epoch'] as const) {
    if (!Number.isSafeInteger(o[k]) || (o[k] as number) < 0) return E.left(`state.${k} must be an integer >= 0, found ${preview(o[k])}`)
  }
  const rngJson = o['rng']
  if (!isPlainRecord(rngJson) || rngJson['algorithm'] !== 'xoroshiro128plus') {
    return E.left('state.rng: expected { algorithm: "xoroshiro128plus", state: [4 int32] }')
  }
  const rngUnknown = unknownField(rngJson, 'state.rng', ['algorithm', 'state'], 'rng')
  if (rngUnknown !== undefined) return E.left(rngUnknown)
  const rngState = validateState(rngJson['state'])
  if (E.isLeft(rngState)) return E.left(`state.rng.state: ${rngState.left}`)
  const generator = decodeNetwork(o['generator'], paramShapes(generatorSpec(config.right)), 'state.generator')
  if (E.isLeft(generator)) return generator
  const discriminator = decodeNetwork(o['discriminator'], paramShapes(discriminatorSpec(config.right)), 'state.discriminator')
  if (E.isLeft(discriminator)) return discriminator
  const optimizerG = decodeOptimizer(o['optimizerG'], optimizerSpecOf(config.right, 'G').kind, generator.right, 'state.optimizerG')
  if (E.isLeft(optimizerG)) return optimizerG
  const optimizerD = decodeOptimizer(o['optimizerD'], optimizerSpecOf(config.right, 'D').kind, discriminator.right, 'state.optimizerD')
  if (E.isLeft(optimizerD)) return optimizerD
  const generatorStats = decodeStats(o['generatorStats'], version, generatorSpec(config.right))
  if (E.isLeft(generatorStats)) return generatorStats
  return E.right(
    Object.freeze(
      stateRecord({
        config: config.right,
        generator: generator.right,
        discriminator: discriminator.right,
        optimizerG: optimizerG.right,
        optimizerD: optimizerD.right,
        generatorStats: generatorStats.right,
        rng: rngFromState(rngState.right),
        step: o['step'] as number,
        epoch: o['epoch'] as number,
      }),
    ),
  )
}

/**
 * `decodeStateJson` of the parsed text; a text that is not JSON is a `Left` too, and so is
 * a value that is not a string. V8's JSON.parse reads deeply nested text without recursion
 * (1 000 000 levels on Node 20); the snapshot then refuses what is nested deeper than 16.
 *
 * @example
 * import { decodeState } from 'pure-gan'
 * decodeState('{"format":"other"}') // Left('state: format must be "pure-gan/gan-state", found "other"')
 *
 * @category codec
 * @since 0.1.0
 */
export const decodeState = (text: string): E.Either<string, GanState> => {
  if (typeof text !== 'string') return E.left(`state: expected the JSON text as a string, found ${typeof text}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    // JSON.parse throws a SyntaxError, nothing else
    return E.left(`state: not valid JSON (${(e as SyntaxError).message})`)
  }
  return decodeStateJson(parsed)
}
