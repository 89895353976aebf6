/**
 * MNIST's images as a run's data (`MnistData`): checking the pixels a caller supplies
 * against the config, and the split of the training images into the held-out validation
 * rows and the training rows, fixed by the run's data stream.
 *
 * @module
 */
import { type Matrix, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { permutation } from '../random/permutation.js'
import type { Rng } from '../random/rng.js'
import { mnistPairProblem, pixelValues } from '../validate/idx.js'
import type { MnistData, MnistSource } from './config.js'

/**
 * A run's MNIST data: the training rows and the validation rows (scaled pixels, one image
 * per row) and their labels, in the order the data stream's permutation gives them.
 *
 * @category model
 * @since 0.5.0
 */
export interface MnistSplit {
  readonly train: Matrix
  readonly trainLabels: Uint8Array
  readonly validation: Matrix
  readonly validationLabels: Uint8Array
}

/**
 * What makes `source` unfit for `spec` (one line), or `undefined`: no source, a digest other
 * than the config's, images that are not an MNIST pair (`mnistPairProblem`), an image size
 * other than `spec.width`, or fewer images than `spec.validation + spec.size`.
 *
 * @example
 * import { mnistSourceProblem } from 'pure-gan'
 * const spec = { kind: 'mnist', digest: 'a'.repeat(64), width: 4, size: 2, validation: 1, scale: '0..1' } as const
 * mnistSourceProblem(spec, undefined) // "the config's data is mnist (digest aaaaaaaaaaaa...): its images must be supplied (an MnistSource; the command line reads them with --data mnist or mnist:DIR)"
 *
 * @category validation
 * @since 0.5.0
 */
export const mnistSourceProblem = (spec: MnistData, source: MnistSource | undefined): string | undefined => {
  const named = `the config's data is mnist (digest ${spec.digest.slice(0, 12)}...)`
  if (source === undefined) return `${named}: its images must be supplied (an MnistSource; the command line reads them with --data mnist or mnist:DIR)`
  if (source.digest !== spec.digest) {
    return `${named}, but the images supplied have digest ${String(source.digest).slice(0, 12)}...: they are other images than the run's`
  }
  const pair = mnistPairProblem(source.train.images, source.train.labels)
  if (pair !== undefined) return `the images supplied: ${pair}`
  const [count, rows, cols] = source.train.images.dims as [number, number, number]
  if (rows * cols !== spec.width) return `the images supplied are ${rows}x${cols} = ${rows * cols} pixels, the config's data.width is ${spec.width}`
  if (spec.validation + spec.size > count) {
    return `data.validation + data.size is ${spec.validation} + ${spec.size} = ${spec.validation + spec.size}, more than the ${count} images supplied`
  }
  return undefined
}

/** The rows `order[from .. to)` of the images, scaled, and their labels. */
const gather = (source: MnistSource, table: Float64Array, order: ReadonlyArray<number>, from: number, to: number, width: number): readonly [Matrix, Uint8Array] => {
  const pixels = source.train.images.data
  const labels = source.train.labels.data
  const out = new Float64Array((to - from) * width)
  const outLabels = new Uint8Array(to - from)
  for (let r = from; r < to; r++) {
    const image = order[r] as number
    const at = (r - from) * width
    const src = image * width
    for (let c = 0; c < width; c++) out[at + c] = table[pixels[src + c] as number] as number
    outLabels[r - from] = labels[image] as number
  }
  return [unsafeFromFloat64Array(to - from, width, out), outLabels]
}

/**
 * The run's split of the supplied images: `π = permutation(rng, count)`; the validation rows
 * are images `π_0 .. π_{v−1}` (`v = spec.validation`), the training rows images `π_v ..
 * π_{v+size−1}`, each pixel `p` scaled by `spec.scale`. Returns the split and the advanced
 * generator. Throws a `RangeError` with {@link mnistSourceProblem}'s line when the source does
 * not fit the config.
 *
 * @example
 * import { mnistSplit, rngFromSeed } from 'pure-gan'
 * const images = { dims: [3, 1, 2], data: Uint8Array.of(0, 255, 51, 204, 255, 0) }
 * const labels = { dims: [3], data: Uint8Array.of(1, 2, 3) }
 * const spec = { kind: 'mnist', digest: 'b'.repeat(64), width: 2, size: 2, validation: 1, scale: '0..1' } as const
 * const split = mnistSplit(spec, { digest: 'b'.repeat(64), train: { images, labels } }, rngFromSeed(0))[0]
 * split.train.rows // 2
 * split.validation.rows // 1
 *
 * @category data
 * @since 0.5.0
 */
export const mnistSplit = (spec: MnistData, source: MnistSource | undefined, rng: Rng): readonly [MnistSplit, Rng] => {
  const problem = mnistSourceProblem(spec, source)
  if (problem !== undefined) throw new RangeError(problem)
  const s = source as MnistSource
  const [order, next] = permutation(rng, s.train.images.dims[0] as number)
  const table = pixelValues(spec.scale)
  const [validation, validationLabels] = gather(s, table, order, 0, spec.validation, spec.width)
  const [train, trainLabels] = gather(s, table, order, spec.validation, spec.validation + spec.size, spec.width)
  return [{ train, trainLabels, validation, validationLabels }, next]
}

/**
 * `n` rows to compare a generator with (`runMetrics`'s real points): images of the held-out
 * validation split, or of the training rows when `spec.validation` is 0, chosen by `σ =
 * permutation(rng, part's rows)`, its first `min(n, part's rows)` entries in order, scaled as
 * the training rows are. `dataRng` is the run's data stream, from which the split is drawn as
 * {@link mnistSplit} draws it; only the chosen rows are gathered. Throws a `RangeError` when
 * the source does not fit the config.
 *
 * @internal
 */
export const mnistComparisonRows = (spec: MnistData, source: MnistSource | undefined, dataRng: Rng, rng: Rng, n: number): Matrix => {
  const problem = mnistSourceProblem(spec, source)
  if (problem !== undefined) throw new RangeError(problem)
  const s = source as MnistSource
  const [order] = permutation(dataRng, s.train.images.dims[0] as number)
  const [from, rows] = spec.validation > 0 ? [0, spec.validation] : [spec.validation, spec.size]
  const [pick] = permutation(rng, rows)
  const m = Math.min(n, rows)
  const chosen = new Array<number>(m)
  for (let i = 0; i < m; i++) chosen[i] = order[from + (pick[i] as number)] as number
  return gather(s, pixelValues(spec.scale), chosen, 0, m, spec.width)[0]
}

/**
 * The validation rows of {@link mnistSplit} alone (the same permutation of `dataRng`, the same
 * scaled pixels), without gathering the training rows: for scoring against held-out digits.
 * Throws a `RangeError` when the source does not fit the config.
 *
 * @internal
 */
export const mnistValidationRows = (spec: MnistData, source: MnistSource | undefined, dataRng: Rng): Matrix => {
  const problem = mnistSourceProblem(spec, source)
  if (problem !== undefined) throw new RangeError(problem)
  const s = source as MnistSource
  const [order] = permutation(dataRng, s.train.images.dims[0] as number)
  return gather(s, pixelValues(spec.scale), order, 0, spec.validation, spec.width)[0]
}
