/**
 * `--data`: the dataset a run trains on, by name, or the numbers of a CSV file
 * (`csv:PATH`, read with the command line's bounded reader and parsed by `parseNumericCsv`).
 *
 * @module
 */
import * as E from '../fp/either.js'
import { type DataSpec, type MnistData, seedConfig } from '../gan/config.js'
import { MAX_TABLE_CELLS, MIN_TABLE_ROWS, MNIST_VALIDATION_DEFAULT } from '../gan/data-check.js'
import type { MnistFiles } from './mnist-files.js'
import { parseNumericCsv } from '../validate/csv.js'
import { UsageError } from './usage-error.js'
import { shown } from './io.js'

/** The values `--data` takes, as help and its messages show them. */
export const DATA_FLAG_VALUES = ['seed-gaussian', 'ring8', 'grid25', 'swissroll', 'moons', 'csv:PATH', 'mnist', 'mnist:DIR'] as const

/** The named datasets of `--data` that are generated. */
type DataName = Exclude<(typeof DATA_FLAG_VALUES)[number], 'csv:PATH' | 'mnist' | 'mnist:DIR'>

const NAMES: ReadonlyArray<string> = DATA_FLAG_VALUES.filter((v) => v !== 'csv:PATH' && !v.startsWith('mnist'))

/** Reads the MNIST files `--data mnist` or `mnist:DIR` names (src/cli/mnist-files.ts's `readMnistFlag`). */
export type ReadImages = (text: string) => MnistFiles

/**
 * The validation split `--data mnist` holds out of `count` training images: Goodfellow et
 * al.'s 10 000 when there are at least 20 000 (MNIST's 60 000 leave 50 000 to train on), else
 * the same share, `floor(count / 6)`, so that a small folder of images keeps most of them.
 */
export const mnistValidationFor = (count: number): number => (count >= 20_000 ? MNIST_VALIDATION_DEFAULT : Math.floor(count / 6))

/**
 * The config's data for the MNIST files `files`: named by their digest, `width` pixels an
 * image, {@link mnistValidationFor} held out and every other image trained on, pixels in
 * `[0, 1]`.
 */
export const mnistSpecOf = (files: MnistFiles): MnistData => {
  const [count, rows, cols] = files.train.images.dims as [number, number, number]
  const validation = mnistValidationFor(count)
  return { kind: 'mnist', digest: files.digest, width: rows * cols, size: count - validation, validation, scale: '0..1' }
}

/**
 * `--data`'s parsed value: a named dataset (its size comes from the config it lands in), a
 * table read from a file, or MNIST's files, read.
 */
export type DataChoice = { readonly name: DataName } | DataSpec | { readonly kind: 'mnist'; readonly files: MnistFiles }

/** Reads a file a flag names. */
type Reader = (path: string, what: 'csv') => string

/**
 * Parses `--data`'s text: a name of `DATA_FLAG_VALUES`, `csv:PATH`, whose file is read
 * with `readText` and parsed (header optional, every row the same width of finite numbers),
 * or `mnist` / `mnist:DIR`, whose four files `readImages` reads and checks.
 * A `UsageError` naming the flag, the file, the line and the column otherwise.
 */
export const parseData = (text: string, readText: Reader, readImages: ReadImages): DataChoice => {
  if (NAMES.includes(text)) return { name: text as DataName }
  if (text === 'mnist' || text.startsWith('mnist:')) return { kind: 'mnist', files: readImages(text) }
  if (!text.startsWith('csv:')) {
    throw new UsageError(`--data must be one of ${DATA_FLAG_VALUES.join(', ')}, got ${JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)}`)
  }
  const path = text.slice('csv:'.length)
  if (path === '') throw new UsageError('--data csv:PATH needs a file name after csv:')
  let contents: string
  try {
    contents = readText(path, 'csv')
  } catch (e) {
    // the reader's one line (missing, not a regular file, too large), said of the flag
    if (e instanceof UsageError) throw new UsageError(`--data csv:${shown(path)}: ${e.message}`)
    throw e
  }
  const table = parseNumericCsv(contents, { maxCells: MAX_TABLE_CELLS })
  if (E.isLeft(table)) throw new UsageError(`--data csv:${shown(path)}: ${table.left}`)
  const rows = table.right.rows
  if (rows < MIN_TABLE_ROWS) {
    throw new UsageError(`--data csv:${shown(path)}: the file has ${rows} row${rows === 1 ? '' : 's'} of numbers; a table needs at least ${MIN_TABLE_ROWS} (the run's classifier test trains on half of them and tests on the other half)`)
  }
  return { kind: 'table', rows: table.right.values }
}

/**
 * The config's data after `--data`: a named dataset keeps the size of the data it replaces
 * (the seed's 1000 when that was a table), with the dataset's default options; a table is
 * the file's rows.
 */
export const withDataChoice = (current: DataSpec, choice: DataChoice): DataSpec => {
  if ('files' in choice) return mnistSpecOf(choice.files)
  if (!('name' in choice)) return choice
  const size = current.kind === 'table' || current.kind === 'mnist' ? seedConfig.data.size : current.size
  return choice.name === 'seed-gaussian' ? { ...seedConfig.data, size } : ({ kind: choice.name, size } as DataSpec)
}

/**
 * The name `--data` would give for `data`, for help's defaults and messages: `seed-gaussian`
 * for the seed's Gaussian (any size), `affine-gaussian` for another one, `csv` for a table.
 */
export const dataName = (data: DataSpec): string => {
  if (data.kind === 'table') return 'csv'
  if (data.kind !== 'affine-gaussian') return data.kind
  const seed = seedConfig.data
  return JSON.stringify([data.A, data.b]) === JSON.stringify([seed.A, seed.b]) ? 'seed-gaussian' : 'affine-gaussian'
}
