/**
 * Checking the config's `data` field, kind by kind, and filling in each dataset's default
 * options (`DATA_DEFAULTS`) so that a run's recorded config says what it used.
 *
 * @module
 */
import { isFiniteNumber, isPositiveInteger } from '../validate/numbers.js'
import { type PlainData, isPlainRecord } from '../validate/plain-data.js'
import { preview, shownKey } from '../validate/preview.js'
import { DATA_DEFAULTS } from './data.js'

/** The data kinds a config may name. */
export const DATA_KINDS = ['affine-gaussian', 'ring8', 'grid25', 'swissroll', 'moons', 'table', 'mnist'] as const

/** The most numbers a table may hold (`rows · width`): with its rows' containers, well inside a config's 2^21 values. */
export const MAX_TABLE_CELLS = 1_000_000

/** The most rows a generated dataset may have. */
export const MAX_DATA_SIZE = 10_000_000

type PlainRecord = { readonly [key: string]: PlainData }

/** What a valid `data` field gives the rest of the checks: its width and row count, and the field with its defaults filled in. */
export interface CheckedData {
  readonly width: number
  readonly size: number
  readonly filled: PlainRecord
}

const show = (x: unknown): string => preview(x)

const unknownKeys = (data: PlainRecord, known: ReadonlyArray<string>, what: string, errors: string[]): void => {
  for (const k of Object.keys(data)) {
    if (!known.includes(k)) errors.push(`unknown config field ${JSON.stringify(`data.${shownKey(k)}`)}; known fields of ${what}: ${known.join(', ')}`)
  }
}

/** The fewest rows of data whose summary fits a Gaussian to the data itself (a covariance needs 2). */
const FITTED_MIN_ROWS = 2

/**
 * The fewest rows a table may have: its summary fits a covariance (2 rows), and the run's
 * classifier test (`runMetrics`) trains on half of its rows and tests on the other half (at
 * least 2 each).
 */
export const MIN_TABLE_ROWS = 4

const checkSize = (data: PlainRecord, errors: string[], min = 1): number | undefined => {
  const size = data['size']
  if (isPositiveInteger(size) && size >= min && size <= MAX_DATA_SIZE) return size
  const why = min > 1 ? ' (the summary fits a Gaussian to the real data)' : ''
  errors.push(`data.size must be an integer in ${min}..${MAX_DATA_SIZE}${why}, got ${show(size)}`)
  return undefined
}

/** An optional option: its value when valid or absent (then the default), undefined after pushing a message. */
const option = (data: PlainRecord, key: string, fallback: number, ok: (v: number) => boolean, allowed: string, errors: string[]): number | undefined => {
  if (!Object.hasOwn(data, key)) return fallback
  const v = data[key]
  if (isFiniteNumber(v) && ok(v)) return v
  errors.push(`data.${key} must be ${allowed}, got ${show(v)}`)
  return undefined
}

const affineGaussian = (data: PlainRecord, errors: string[]): CheckedData | undefined => {
  const size = checkSize(data, errors)
  const A = data['A']
  const b = data['b']
  const finiteRow = (r: PlainData): boolean => Array.isArray(r) && (r as ReadonlyArray<PlainData>).every(isFiniteNumber)
  let width: number | undefined
  if (!Array.isArray(b) || b.length === 0 || !finiteRow(b)) {
    errors.push(`data.b must be a non-empty array of finite numbers, got ${show(b)}`)
  } else if (!Array.isArray(A) || A.length === 0 || !(A as ReadonlyArray<PlainData>).every((r) => finiteRow(r) && (r as ReadonlyArray<PlainData>).length === b.length)) {
    errors.push(`data.A must be a non-empty array of rows of ${b.length} finite numbers (as many as data.b), got ${show(A)}`)
  } else width = b.length
  unknownKeys(data, ['kind', 'size', 'A', 'b'], 'affine-gaussian data', errors)
  return size === undefined || width === undefined ? undefined : { width, size, filled: data }
}

const positive = (v: number): boolean => v > 0
const nonNegative = (v: number): boolean => v >= 0

const mixture = (data: PlainRecord, kind: 'ring8' | 'grid25', errors: string[]): CheckedData | undefined => {
  const size = checkSize(data, errors)
  const std = option(data, 'std', DATA_DEFAULTS[kind].std, positive, 'a finite number > 0 (each mode\'s standard deviation)', errors)
  unknownKeys(data, ['kind', 'size', 'std'], `${kind} data`, errors)
  return size === undefined || std === undefined ? undefined : { width: 2, size, filled: { kind, size, std } }
}

const swissRoll = (data: PlainRecord, errors: string[]): CheckedData | undefined => {
  const size = checkSize(data, errors, FITTED_MIN_ROWS)
  const noise = option(data, 'noise', DATA_DEFAULTS.swissroll.noise, nonNegative, 'a finite number >= 0 (the standard deviation of the noise)', errors)
  const scale = option(data, 'scale', DATA_DEFAULTS.swissroll.scale, positive, 'a finite number > 0 (the roll is divided by it)', errors)
  unknownKeys(data, ['kind', 'size', 'noise', 'scale'], 'swissroll data', errors)
  return size === undefined || noise === undefined || scale === undefined ? undefined : { width: 2, size, filled: { kind: 'swissroll', size, noise, scale } }
}

const moons = (data: PlainRecord, errors: string[]): CheckedData | undefined => {
  const size = checkSize(data, errors, FITTED_MIN_ROWS)
  const noise = option(data, 'noise', DATA_DEFAULTS.moons.noise, nonNegative, 'a finite number >= 0 (the standard deviation of the noise)', errors)
  unknownKeys(data, ['kind', 'size', 'noise'], 'moons data', errors)
  return size === undefined || noise === undefined ? undefined : { width: 2, size, filled: { kind: 'moons', size, noise } }
}

const table = (data: PlainRecord, errors: string[]): CheckedData | undefined => {
  unknownKeys(data, ['kind', 'rows'], 'table data', errors)
  const rows = data['rows']
  if (!Array.isArray(rows) || rows.length < MIN_TABLE_ROWS) {
    errors.push(`data.rows must be an array of at least ${MIN_TABLE_ROWS} rows of finite numbers (the run's classifier test trains on half of them and tests on the other half), got ${show(rows)}`)
    return undefined
  }
  const first = rows[0]
  if (!Array.isArray(first) || first.length === 0) {
    errors.push(`data.rows[0] must be a non-empty array of finite numbers, got ${show(first)}`)
    return undefined
  }
  const width = first.length
  if (rows.length * width > MAX_TABLE_CELLS) {
    errors.push(`data.rows holds ${rows.length} rows of ${width} numbers, more than the ${MAX_TABLE_CELLS} numbers a table may hold`)
    return undefined
  }
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as PlainData
    if (!Array.isArray(row) || row.length !== width) {
      errors.push(`data.rows[${i}] must be an array of ${width} finite numbers (as many as data.rows[0]), got ${show(row)}`)
      return undefined
    }
    const bad = (row as ReadonlyArray<PlainData>).findIndex((v) => !isFiniteNumber(v))
    if (bad >= 0) {
      errors.push(`data.rows[${i}][${bad}] must be a finite number, got ${show((row as ReadonlyArray<PlainData>)[bad])}`)
      return undefined
    }
  }
  return { width, size: rows.length, filled: data }
}

/** The default size of MNIST's validation split: 10 000 of the 60 000 training digits, as Goodfellow et al. held out. */
export const MNIST_VALIDATION_DEFAULT = 10_000

/** The most images an IDX file of unsigned bytes can hold (one byte each, 64 MiB). */
const MAX_IMAGES = 64 * 1024 * 1024

const mnist = (data: PlainRecord, errors: string[]): CheckedData | undefined => {
  unknownKeys(data, ['kind', 'digest', 'width', 'size', 'validation', 'scale'], 'mnist data', errors)
  const digest = data['digest']
  const okDigest = typeof digest === 'string' && /^[0-9a-f]{64}$/.test(digest)
  if (!okDigest) errors.push(`data.digest must be the SHA-256 of the training images file, 64 lower-case hexadecimal digits, got ${show(digest)}`)
  const width = data['width']
  const okWidth = isPositiveInteger(width) && width <= MAX_IMAGES
  if (!okWidth) errors.push(`data.width must be an integer in 1..${MAX_IMAGES} (the pixels of one image, 784 for MNIST), got ${show(width)}`)
  const size = data['size']
  const okSize = isPositiveInteger(size) && size >= FITTED_MIN_ROWS && size <= MAX_IMAGES
  if (!okSize) errors.push(`data.size must be an integer in ${FITTED_MIN_ROWS}..${MAX_IMAGES} (the training images used), got ${show(size)}`)
  const validation = Object.hasOwn(data, 'validation') ? data['validation'] : MNIST_VALIDATION_DEFAULT
  const okValidation = typeof validation === 'number' && Number.isSafeInteger(validation) && validation >= 0 && validation <= MAX_IMAGES
  if (!okValidation) errors.push(`data.validation must be an integer in 0..${MAX_IMAGES} (the training images held out), got ${show(validation)}`)
  const scale = Object.hasOwn(data, 'scale') ? data['scale'] : '0..1'
  const okScale = scale === '0..1' || scale === '-1..1'
  if (!okScale) errors.push(`data.scale must be '0..1' or '-1..1' (the pixels' range), got ${show(scale)}`)
  if (!(okDigest && okWidth && okSize && okValidation && okScale)) return undefined
  return { width, size, filled: { kind: 'mnist', digest, width, size, validation, scale } }
}

/**
 * Checks the config's `data` field (one message per problem, pushed onto `errors`) and
 * returns its width, its row count and the field with the dataset's defaults filled in, or
 * `undefined` when it is invalid.
 */
export const checkData = (data: PlainData, errors: string[]): CheckedData | undefined => {
  const kind = isPlainRecord(data) ? data['kind'] : undefined
  if (!isPlainRecord(data)) {
    errors.push(`data must be an object { kind, ... } with kind one of ${DATA_KINDS.join(', ')}, got ${show(data)}`)
    return undefined
  }
  switch (kind) {
    case 'affine-gaussian':
      return affineGaussian(data, errors)
    case 'ring8':
    case 'grid25':
      return mixture(data, kind, errors)
    case 'swissroll':
      return swissRoll(data, errors)
    case 'moons':
      return moons(data, errors)
    case 'table':
      return table(data, errors)
    case 'mnist':
      return mnist(data, errors)
    default:
      errors.push(`data.kind must be one of ${DATA_KINDS.join(', ')}, got ${show(kind)}`)
      return undefined
  }
}
