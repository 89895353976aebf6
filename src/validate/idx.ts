/**
 * IDX files (the format of MNIST and its relatives: Fashion-MNIST, KMNIST), read into a
 * tensor of bytes, or one line saying what is wrong and what is allowed; MNIST's images and
 * labels as a row-major matrix of scaled pixels. Pure: the caller reads the file (and
 * decompresses it: the published files are gzip-compressed); nothing here touches the file
 * system, so the parser bundles for any platform.
 *
 * The format (Y. LeCun, C. Cortes, C. J. C. Burges, "The MNIST database of handwritten
 * digits"), every integer big-endian:
 *
 * ```text
 * offset      bytes  what
 * 0           2      0x00 0x00
 * 2           1      the element type: 0x08 unsigned byte (0x09 signed byte, 0x0B short,
 *                    0x0C int, 0x0D float, 0x0E double are not supported here)
 * 3           1      D, the number of dimensions: 1..4 here
 * 4           4·D    the dimensions d_1, ..., d_D, each an unsigned 32-bit integer
 * 4 + 4·D     Π d_i  the data, one byte per element, the last dimension varying fastest
 * ```
 *
 * MNIST's training images are `0x00000803`, `60000 x 28 x 28`; its labels `0x00000801`,
 * `60000`. The file must end with its data: bytes after it are refused as well as bytes
 * missing.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { isPositiveInteger } from './numbers.js'
import { preview } from './preview.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An IDX file's contents: its dimensions `dims` (1 to 4 positive integers) and its bytes in
 * row-major order (`data.length` = `dims[0]·dims[1]·...`; the element at `(i, j, k)` of a
 * 3-D tensor is `data[(i·dims[1] + j)·dims[2] + k]`).
 *
 * @category model
 * @since 0.5.0
 */
export interface IdxTensor {
  readonly dims: ReadonlyArray<number>
  readonly data: Uint8Array
}

/**
 * The most data bytes `parseIdx` reads and `encodeIdx` writes: 64 MiB, 67 108 864 bytes.
 * MNIST's and Fashion-MNIST's training images (60 000 x 28 x 28 = 47 040 000 bytes) fit with
 * room to spare; EMNIST's larger splits (from 88 MB up) do not. The product of the
 * dimensions is checked against it before anything is allocated.
 *
 * @category constants
 * @since 0.5.0
 */
export const MAX_IDX_BYTES = 64 * 1024 * 1024

/**
 * MNIST's images and labels as training data: `rows` images of `width` pixels each
 * (`width` = the images' rows x columns, 784 for MNIST), row-major in `pixels`
 * (`pixels[r·width + k]` is pixel `k` of image `r`, pixels row by row), scaled as
 * `mnistImages` says; `labels[r]` is image `r`'s digit, 0..9.
 *
 * @category model
 * @since 0.5.0
 */
export interface MnistImages {
  readonly rows: number
  readonly width: number
  readonly pixels: Float64Array
  readonly labels: Uint8Array
}

/**
 * The two scales of `mnistImages`: `'0..1'` (0 black, 1 white) or `'-1..1'` (a tanh
 * generator's range).
 *
 * @category model
 * @since 0.5.0
 */
export type PixelScale = '0..1' | '-1..1'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** The element types of the IDX format, by their byte. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: '16-bit short',
  0x0c: '32-bit int',
  0x0d: '32-bit float',
  0x0e: '64-bit double',
}

/** A byte as `0x0D`. */
const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`

/** `[60000, 28, 28]` as `60000 x 28 x 28`. */
const shape = (dims: ReadonlyArray<number>): string => dims.join(' x ')

const MAGIC = '0x00 0x00 0x08 D (unsigned bytes, D = 1..4 dimensions)'

/** The big-endian unsigned 32-bit integer at `at`. */
const uint32At = (bytes: Uint8Array, at: number): number =>
  bytes[at]! * 16777216 + bytes[at + 1]! * 65536 + bytes[at + 2]! * 256 + bytes[at + 3]!

/** True for a Uint8Array (a Node Buffer is one), from any realm. */
const isBytes = (x: unknown): x is Uint8Array => Object.prototype.toString.call(x) === '[object Uint8Array]'

/**
 * The product of `dims`, or `undefined` once a partial product passes `MAX_IDX_BYTES`. Each
 * partial product is at most 2^26 before it is multiplied by a dimension below 2^32, so every
 * product computed is below 2^58: finite, and exact whenever it is at most 2^53, so the
 * comparison with the bound is exact.
 */
const boundedProduct = (dims: ReadonlyArray<number>): number | undefined => {
  let n = 1
  for (const d of dims) {
    n *= d
    if (n > MAX_IDX_BYTES) return undefined
  }
  return n
}

/** The exact product of `dims`, for a message (they may multiply past 2^53). */
const exactProduct = (dims: ReadonlyArray<number>): string => dims.reduce((p, d) => p * BigInt(d), 1n).toString()

const tooLarge = (dims: ReadonlyArray<number>): string =>
  `the dimensions ${shape(dims)} promise ${exactProduct(dims)} bytes of data, more than MAX_IDX_BYTES, ${MAX_IDX_BYTES} (64 MiB)`

/** A copy of `bytes[from, to)` as a plain Uint8Array (a Buffer's `slice` would share memory). */
const copyOf = (bytes: Uint8Array, from: number, to: number): Uint8Array => {
  const out = new Uint8Array(to - from)
  out.set(bytes.subarray(from, to))
  return out
}

// -------------------------------------------------------------------------------------
// parse
// -------------------------------------------------------------------------------------

/**
 * The tensor an IDX file holds (the module's doc comment gives the format), or one line
 * saying what is wrong and what is allowed:
 *
 * - `the file is empty (...)`; `truncated header: ...` when it ends before its magic number
 *   or its `4 + 4·D` header bytes (`3 dimensions need a header of 16 bytes, the file has 10`);
 * - `not an IDX file: the magic number is 0x1F 0x8B 0x08 0x08, expected 0x00 0x00 0x08 D ...`
 *   (with a hint when the file is gzip-compressed), also for an unknown element type;
 * - `element type 0x0D (32-bit float) is not supported: only unsigned bytes (0x08) are supported`;
 * - `the magic number 0x00 0x00 0x08 0x05 gives 5 dimensions (1 to 4 are allowed)`;
 * - `dimension 2 of 3 is 0 (every dimension must be at least 1)`;
 * - `the dimensions ... promise N bytes of data, more than MAX_IDX_BYTES, 67108864 (64 MiB)`;
 * - `truncated: the header promises N bytes of data, the file has M` and
 *   `trailing bytes: the header promises N bytes of data, the file has M` (M counts the bytes
 *   after the header).
 *
 * `data` is a copy: changing `bytes` later does not change the tensor. Never throws; time is
 * linear in the data's length.
 *
 * @example
 * import { encodeIdx, parseIdx } from 'pure-gan'
 *
 * const file = Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6)
 * const t = parseIdx(file)
 * t._tag === 'Right' ? [t.right.dims, Array.from(t.right.data)] : t.left // [[2, 3], [1, 2, 3, 4, 5, 6]]
 * parseIdx(file.subarray(0, 17)) // Left('truncated: the header promises 6 bytes of data, the file has 5')
 * parseIdx(encodeIdx([2, 3], Uint8Array.of(1, 2, 3, 4, 5, 6)))._tag // 'Right'
 *
 * @category validation
 * @since 0.5.0
 */
export const parseIdx = (bytes: Uint8Array): E.Either<string, IdxTensor> => {
  try {
    return parse(bytes)
  } catch (e) {
    // Not expected (nothing above throws for a Uint8Array); memory exhaustion still ends as a value.
    return E.left(`the file cannot be read (${e instanceof Error ? e.message.slice(0, 120) : 'an unknown error'})`)
  }
}

const parse = (bytes: Uint8Array): E.Either<string, IdxTensor> => {
  if (!isBytes(bytes)) return E.left(`the file's bytes must be a Uint8Array, got ${preview(bytes, 40)}`)
  if (bytes.length === 0) return E.left(`the file is empty (an IDX file starts with the magic number ${MAGIC})`)
  if (bytes.length < 4) {
    return E.left(`truncated header: the file has ${bytes.length} byte${bytes.length === 1 ? '' : 's'}, fewer than the 4 of the magic number ${MAGIC}`)
  }
  const [b0, b1, type, d] = [bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!]
  const magic = [b0, b1, type, d].map(hex).join(' ')
  if (b0 !== 0 || b1 !== 0 || ELEMENT_TYPES[type] === undefined) {
    const gzip = b0 === 0x1f && b1 === 0x8b ? ' (the file is gzip-compressed: decompress it first)' : ''
    return E.left(`not an IDX file: the magic number is ${magic}, expected ${MAGIC}${gzip}`)
  }
  if (type !== 0x08) return E.left(`element type ${hex(type)} (${ELEMENT_TYPES[type]}) is not supported: only unsigned bytes (0x08) are supported`)
  if (d < 1 || d > 4) return E.left(`the magic number ${magic} gives ${d} dimensions (1 to 4 are allowed)`)
  const header = 4 + 4 * d
  if (bytes.length < header) return E.left(`truncated header: ${d} dimension${d === 1 ? ' needs' : 's need'} a header of ${header} bytes, the file has ${bytes.length}`)
  const dims: number[] = []
  for (let i = 0; i < d; i++) dims.push(uint32At(bytes, 4 + 4 * i))
  const zero = dims.indexOf(0)
  if (zero >= 0) return E.left(`dimension ${zero + 1} of ${d} is 0 (every dimension must be at least 1)`)
  const n = boundedProduct(dims)
  if (n === undefined) return E.left(tooLarge(dims))
  const body = bytes.length - header
  if (body < n) return E.left(`truncated: the header promises ${n} bytes of data, the file has ${body}`)
  if (body > n) return E.left(`trailing bytes: the header promises ${n} bytes of data, the file has ${body}`)
  return E.right(Object.freeze({ dims: Object.freeze(dims), data: copyOf(bytes, header, bytes.length) }))
}

// -------------------------------------------------------------------------------------
// write
// -------------------------------------------------------------------------------------

/**
 * The IDX file of unsigned bytes with dimensions `dims` and elements `data` (row-major):
 * `0x00 0x00 0x08 D`, the `D` dimensions as big-endian 32-bit integers, then a copy of
 * `data`; `parseIdx` reads it back as `{ dims, data }`. Throws a `RangeError` (one line)
 * unless `dims` holds 1 to 4 positive integers whose product is `data.length` and at most
 * {@link MAX_IDX_BYTES}: it writes only what `parseIdx` reads.
 *
 * @example
 * import { encodeIdx } from 'pure-gan'
 *
 * Array.from(encodeIdx([3], Uint8Array.of(7, 8, 9))) // [0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9]
 *
 * @category constructors
 * @since 0.5.0
 */
export const encodeIdx = (dims: ReadonlyArray<number>, data: Uint8Array): Uint8Array => {
  if (!Array.isArray(dims) || dims.length < 1 || dims.length > 4) {
    throw new RangeError(`encodeIdx: dims must be an array of 1 to 4 dimensions, got ${preview(dims, 60)}`)
  }
  const bad = dims.findIndex((x) => !isPositiveInteger(x) || x > 0xffffffff)
  if (bad >= 0) throw new RangeError(`encodeIdx: dims[${bad}] must be an integer in 1..4294967295, got ${preview(dims[bad], 40)}`)
  if (!isBytes(data)) throw new RangeError(`encodeIdx: data must be a Uint8Array, got ${preview(data, 40)}`)
  const n = boundedProduct(dims)
  if (n === undefined) throw new RangeError(`encodeIdx: ${tooLarge(dims)}`)
  if (data.length !== n) throw new RangeError(`encodeIdx: the dimensions ${shape(dims)} hold ${n} bytes, data has ${data.length}`)
  const header = 4 + 4 * dims.length
  const out = new Uint8Array(header + n)
  out[2] = 0x08
  out[3] = dims.length
  dims.forEach((x, i) => {
    const at = 4 + 4 * i
    out[at] = Math.floor(x / 16777216)
    out[at + 1] = Math.floor(x / 65536) % 256
    out[at + 2] = Math.floor(x / 256) % 256
    out[at + 3] = x % 256
  })
  out.set(data, header)
  return out
}

// -------------------------------------------------------------------------------------
// MNIST
// -------------------------------------------------------------------------------------

/** Why `t` is not a well-formed tensor (`what` names it in the message), if it is not. */
const malformed = (t: IdxTensor, what: string): string | undefined => {
  if (typeof t !== 'object' || t === null || !Array.isArray(t.dims) || !isBytes(t.data)) {
    return `${what} must be an IDX tensor ({ dims, data: Uint8Array }), got ${preview(t, 40)}`
  }
  if (!t.dims.every(isPositiveInteger)) return `${what}.dims must be positive integers, got ${preview(t.dims, 60)}`
  const n = t.dims.reduce((p, d) => p * d, 1)
  if (t.data.length !== n) return `${what}.data holds ${t.data.length} bytes, its dims ${shape(t.dims)} promise ${n}`
  return undefined
}

/**
 * MNIST's images and labels (`parseIdx` of `train-images-idx3-ubyte` and
 * `train-labels-idx1-ubyte`, or the `t10k` pair) as a matrix of pixels: image `r` is row `r`
 * of `pixels`, its `rows x cols` pixels row by row (`width` = rows·cols, 784), each byte `p`
 * (0 black .. 255 white) scaled by one correctly rounded division of an integer:
 *
 * ```text
 * '0..1':   x = p / 255                 0 -> 0, 255 -> 1
 * '-1..1':  x = (2·p − 255) / 255       0 -> −1, 255 -> 1, and x(255 − p) = −x(p) exactly
 * ```
 *
 * so each `x` is the double nearest the exact rational (`2·p − 255` is an exact integer; the
 * form `2·(p/255) − 1` would round twice). `labels` is a copy of the labels' bytes.
 *
 * A Left (one line) unless the images have 3 dimensions (count x rows x cols), the labels 1,
 * with the same count (`the images file holds 60000 images, the labels file 10000 labels
 * (the counts must be equal)`), and every label is a digit (`label 12 at index 5 is not a
 * digit (labels must be 0..9)`), or when `scale` is neither of the two.
 *
 * @example
 * import { mnistImages } from 'pure-gan'
 *
 * const images = { dims: [2, 1, 2], data: Uint8Array.of(0, 255, 51, 204) }
 * const labels = { dims: [2], data: Uint8Array.of(7, 3) }
 * const m = mnistImages(images, labels, '-1..1')
 * m._tag === 'Right' ? [m.right.rows, m.right.width, Array.from(m.right.pixels)] : m.left // [2, 2, [-1, 1, -0.6, 0.6]]
 * mnistImages(images, { dims: [2], data: Uint8Array.of(7, 10) }, '0..1') // Left('label 10 at index 1 is not a digit (labels must be 0..9)')
 *
 * @category constructors
 * @since 0.5.0
 */
export const mnistImages = (images: IdxTensor, labels: IdxTensor, scale: PixelScale): E.Either<string, MnistImages> => {
  const bad = mnistPairProblem(images, labels)
  if (bad !== undefined) return E.left(bad)
  if (scale !== '0..1' && scale !== '-1..1') return E.left(`scale must be '0..1' or '-1..1', got ${preview(scale, 40)}`)
  const table = pixelValues(scale)
  const pixels = new Float64Array(images.data.length)
  for (let i = 0; i < pixels.length; i++) pixels[i] = table[images.data[i]!]!
  return E.right(Object.freeze({ rows: images.dims[0]!, width: images.dims[1]! * images.dims[2]!, pixels, labels: copyOf(labels.data, 0, labels.data.length) }))
}

/**
 * The value of each byte `p = 0..255` at `scale`: `p/255` for `'0..1'`, `(2p − 255)/255` for
 * `'-1..1'` (one rounding each; the table {@link mnistImages} scales through).
 *
 * @internal
 */
export const pixelValues = (scale: PixelScale): Float64Array => {
  const table = new Float64Array(256)
  for (let p = 0; p < 256; p++) table[p] = scale === '0..1' ? p / 255 : (2 * p - 255) / 255
  return table
}

/**
 * What is wrong with `images` and `labels` as an MNIST pair (one line, the messages of
 * {@link mnistImages}), or `undefined` when they are one: images of 3 dimensions, labels of 1,
 * the same count, every label a digit. Checks without scaling anything.
 *
 * @internal
 */
export const mnistPairProblem = (images: IdxTensor, labels: IdxTensor): string | undefined => {
  const bad = malformed(images, 'images') ?? malformed(labels, 'labels')
  if (bad !== undefined) return bad
  if (images.dims.length !== 3) {
    return `the images must have 3 dimensions (count x rows x cols), got ${images.dims.length}: ${shape(images.dims)}`
  }
  if (labels.dims.length !== 1) return `the labels must have 1 dimension (count), got ${labels.dims.length}: ${shape(labels.dims)}`
  const count = images.dims[0]
  if (labels.dims[0] !== count) {
    return `the images file holds ${count} images, the labels file ${labels.dims[0]} labels (the counts must be equal)`
  }
  const digit = labels.data.findIndex((l) => l > 9)
  if (digit >= 0) return `label ${labels.data[digit]} at index ${digit} is not a digit (labels must be 0..9)`
  return undefined
}
