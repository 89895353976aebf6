/**
 * PNG images of 8-bit grayscale pixels, written by a pure encoder, and a grid of digit
 * images (MNIST's, or a generator's samples) to write with it.
 *
 * The encoder writes what the PNG specification (ISO/IEC 15948, W3C PNG 2nd edition) needs
 * and nothing more: the signature, an `IHDR` chunk (bit depth 8, colour type 0: grayscale, no
 * interlace), one `IDAT` chunk holding a zlib stream (RFC 1950) of the filtered rows (filter
 * type 0, None, on every row: a 0 byte, then the row's pixels), and `IEND`; every chunk ends
 * with the CRC-32 of its type and data (ISO 3309's polynomial, reflected 0xEDB88320, as zlib
 * computes it). The zlib stream is either our own, of stored (uncompressed) deflate blocks
 * (RFC 1951, section 3.2.4), or a complete one from the caller's `deflate` (the command
 * line passes `node:zlib`'s `deflateSync`), so the core imports nothing and bundles for a
 * browser (docs/decisions.md, "PNG").
 *
 * @module
 */
import type { PixelScale } from '../validate/idx.js'
import { isPositiveInteger } from '../validate/numbers.js'
import { preview } from '../validate/preview.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A grayscale image: `height` rows of `width` pixels, row by row from the top, one byte each
 * (0 black, 255 white): the pixel at column `x` of row `y` is `pixels[y·width + x]`.
 *
 * @category model
 * @since 0.5.0
 */
export interface GrayImage {
  readonly width: number
  readonly height: number
  readonly pixels: Uint8Array
}

/**
 * Options of `encodePng`: `deflate`, given the filtered rows, returns a complete zlib stream
 * of them (RFC 1950: header, deflate data, Adler-32), such as `node:zlib`'s `deflateSync`.
 * Without it the stream holds stored blocks (no compression).
 *
 * @category model
 * @since 0.5.0
 */
export interface PngOptions {
  readonly deflate?: (raw: Uint8Array) => Uint8Array
}

/**
 * The largest width and height `encodePng` writes and `digitGrid` builds: 16 384 pixels, so
 * an image holds at most 16 384 x 16 385 = 268 451 840 bytes of filtered rows (256 MiB).
 * A grid of all 60 000 MNIST digits, 245 columns of 29 pixels, is 7106 pixels wide.
 *
 * @category constants
 * @since 0.5.0
 */
export const MAX_PNG_SIDE = 16384

/**
 * The grey of `digitGrid`'s separator lines and empty cells (a mid grey, visible between
 * white and black backgrounds).
 *
 * @category constants
 * @since 0.5.0
 */
export const GRID_SEPARATOR_GREY = 128

// -------------------------------------------------------------------------------------
// checksums
// -------------------------------------------------------------------------------------

/** `CRC_TABLE[n]`: the CRC register after shifting the byte `n` through it eight times. */
const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c
  }
  return table
})()

/**
 * The CRC-32 of `bytes[from, to)` (ISO 3309, ITU-T V.42; PNG's and zlib's): register
 * initialised to 0xFFFFFFFF, reflected polynomial 0xEDB88320, one table look-up per byte,
 * result complemented; an unsigned 32-bit integer (`crc32` of the ASCII `123456789` is
 * 0xCBF43926).
 *
 * @internal
 * @since 0.5.0
 */
export const crc32 = (bytes: Uint8Array, from = 0, to = bytes.length): number => {
  let c = 0xffffffff
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/**
 * The Adler-32 of `bytes` (RFC 1950, section 8.2): `a = 1 + Σ bytes`, `b = Σ` of the
 * successive `a`, each modulo 65 521, as `b·65536 + a`. The sums are reduced every 5552 bytes,
 * as zlib does; in doubles they could go much longer, exactly.
 *
 * @internal
 * @since 0.5.0
 */
export const adler32 = (bytes: Uint8Array): number => {
  let a = 1
  let b = 0
  let i = 0
  while (i < bytes.length) {
    const end = Math.min(i + 5552, bytes.length)
    for (; i < end; i++) {
      a += bytes[i]!
      b += a
    }
    a %= 65521
    b %= 65521
  }
  return b * 65536 + a
}

// -------------------------------------------------------------------------------------
// zlib
// -------------------------------------------------------------------------------------

/** The most bytes one stored deflate block holds (its LEN is 16 bits). */
const STORED_BLOCK = 65535

/** `x` as 4 big-endian bytes at `out[at]`. */
const putUint32 = (out: Uint8Array, at: number, x: number): void => {
  out[at] = x >>> 24
  out[at + 1] = (x >>> 16) & 0xff
  out[at + 2] = (x >>> 8) & 0xff
  out[at + 3] = x & 0xff
}

/**
 * `raw` as a zlib stream of stored deflate blocks: the header `0x78 0x01` (deflate, 32 KiB
 * window, no dictionary; 0x7801 is a multiple of 31), then blocks of at most 65 535 bytes,
 * each `BFINAL|BTYPE=00` in one byte (1 on the last block, 0 before), `LEN` and `NLEN = ~LEN`
 * as 16-bit little-endian, and the `LEN` bytes; then the Adler-32 of `raw`, big-endian. An
 * empty `raw` gives one empty final block.
 *
 * @internal
 * @since 0.5.0
 */
export const zlibStored = (raw: Uint8Array): Uint8Array => {
  const blocks = Math.max(1, Math.ceil(raw.length / STORED_BLOCK))
  const out = new Uint8Array(2 + 5 * blocks + raw.length + 4)
  out[0] = 0x78
  out[1] = 0x01
  let at = 2
  for (let k = 0; k < blocks; k++) {
    const from = k * STORED_BLOCK
    const len = Math.min(STORED_BLOCK, raw.length - from)
    out[at] = k === blocks - 1 ? 1 : 0
    out[at + 1] = len & 0xff
    out[at + 2] = len >>> 8
    out[at + 3] = ~len & 0xff
    out[at + 4] = (~len >>> 8) & 0xff
    out.set(raw.subarray(from, from + len), at + 5)
    at += 5 + len
  }
  putUint32(out, at, adler32(raw))
  return out
}

// -------------------------------------------------------------------------------------
// PNG
// -------------------------------------------------------------------------------------

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10]

/** A chunk of type `type` (4 ASCII letters) around `data`, written at `out[at]`; returns the end. */
const putChunk = (out: Uint8Array, at: number, type: string, data: Uint8Array): number => {
  putUint32(out, at, data.length)
  for (let i = 0; i < 4; i++) out[at + 4 + i] = type.charCodeAt(i)
  out.set(data, at + 8)
  putUint32(out, at + 8 + data.length, crc32(out, at + 4, at + 8 + data.length))
  return at + 12 + data.length
}

const isBytes = (x: unknown): x is Uint8Array => Object.prototype.toString.call(x) === '[object Uint8Array]'

/** Throws unless `n` is an integer in 1..MAX_PNG_SIDE. */
const checkSide = (op: string, what: string, n: unknown): void => {
  if (!isPositiveInteger(n) || n > MAX_PNG_SIDE) throw new RangeError(`${op}: ${what} must be an integer in 1..${MAX_PNG_SIDE}, got ${preview(n, 40)}`)
}

/**
 * The PNG file of a grayscale image: signature, `IHDR` (width, height, bit depth 8, colour
 * type 0, compression 0, filter 0, interlace 0), one `IDAT` with the zlib stream of the rows
 * (each a filter byte 0, then its `width` pixels: `height·(width + 1)` bytes), `IEND`.
 * Without `options.deflate` the stream is stored blocks of at most 65 535 bytes (the file is
 * then `height·(width + 1)` bytes, plus 5 per block and 63 more); with it,
 * `deflate` must return a complete zlib stream (`node:zlib`'s `deflateSync`, not
 * `deflateRawSync`).
 *
 * Throws a `RangeError` (one line) unless `width` and `height` are integers in
 * 1..{@link MAX_PNG_SIDE}, `pixels` is a Uint8Array of `width·height` bytes, and `deflate`,
 * if given, is a function that returns a Uint8Array starting with a zlib header (method 8,
 * the header's check bits right). Reads its arguments only.
 *
 * @example
 * import { encodePng } from 'pure-gan'
 *
 * const png = encodePng({ width: 2, height: 1, pixels: Uint8Array.of(0, 255) })
 * Array.from(png.subarray(0, 8)) // [137, 80, 78, 71, 13, 10, 26, 10]
 * Array.from(png.subarray(16, 24)) // [0, 0, 0, 2, 0, 0, 0, 1]
 * png.length // 71
 *
 * @category PNG
 * @since 0.5.0
 */
export const encodePng = (image: GrayImage, options?: PngOptions): Uint8Array => {
  if (typeof image !== 'object' || image === null) throw new RangeError(`encodePng: image must be { width, height, pixels }, got ${preview(image, 40)}`)
  const { width, height, pixels } = image
  checkSide('encodePng', 'width', width)
  checkSide('encodePng', 'height', height)
  if (!isBytes(pixels)) throw new RangeError(`encodePng: pixels must be a Uint8Array, got ${preview(pixels, 40)}`)
  if (pixels.length !== width * height) {
    throw new RangeError(`encodePng: pixels holds ${pixels.length} bytes, but width x height = ${width} x ${height} is ${width * height}`)
  }
  const deflate = options?.deflate
  if (deflate !== undefined && typeof deflate !== 'function') throw new RangeError(`encodePng: options.deflate must be a function, got ${preview(deflate, 40)}`)
  const raw = new Uint8Array(height * (width + 1))
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1)
  const stream = deflate === undefined ? zlibStored(raw) : deflate(raw)
  if (!isBytes(stream)) throw new RangeError(`encodePng: options.deflate must return a Uint8Array (a zlib stream), got ${preview(stream, 40)}`)
  if (stream.length < 6 || (stream[0]! & 0x0f) !== 8 || (stream[0]! * 256 + stream[1]!) % 31 !== 0) {
    const head = Array.from(stream.subarray(0, 2), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ')
    throw new RangeError(`encodePng: options.deflate returned no zlib stream (it starts ${head || 'empty'}; pass a function such as node:zlib's deflateSync)`)
  }
  const header = new Uint8Array(13)
  putUint32(header, 0, width)
  putUint32(header, 4, height)
  header[8] = 8 // bit depth
  header[9] = 0 // colour type: grayscale; compression, filter and interlace methods 0
  const out = new Uint8Array(8 + 25 + 12 + stream.length + 12)
  out.set(SIGNATURE, 0)
  let at = putChunk(out, 8, 'IHDR', header)
  at = putChunk(out, at, 'IDAT', stream)
  putChunk(out, at, 'IEND', new Uint8Array(0))
  return out
}

// -------------------------------------------------------------------------------------
// a grid of digits
// -------------------------------------------------------------------------------------

/**
 * `count` square images of `side x side` pixels (the first `count·side²` entries of
 * `pixels`, image `k` at `pixels[k·side²..]`, row by row: a matrix of samples or
 * `mnistImages`'s pixels) tiled into one grayscale image, left to right then top to bottom,
 * `c = min(columns, count)` to a row and `r = ⌈count / c⌉` rows, with a 1-pixel line of grey
 * {@link GRID_SEPARATOR_GREY} between and around them (so `width = c·(side + 1) + 1`,
 * `height = r·(side + 1) + 1`; cells past `count` in the last row are grey too). Pixel
 * `(i, j)` of image `k` lands at column `1 + (k mod c)·(side + 1) + j`, row
 * `1 + ⌊k / c⌋·(side + 1) + i`.
 *
 * Each value `x` is clamped to `range` and mapped to a byte, rounding half up:
 *
 * ```text
 * '0..1':   byte = ⌊255·min(max(x, 0), 1) + 0.5⌋
 * '-1..1':  byte = ⌊127.5·(min(max(x, −1), 1) + 1) + 0.5⌋
 * ```
 *
 * (each operation a double's, so `mnistImages`'s bytes come back exactly). Throws a
 * `RangeError` (one line) unless `count`, `side` and `columns` are positive integers, the
 * grid is at most {@link MAX_PNG_SIDE} pixels on each side, `pixels` is a Float64Array
 * holding at least `count·side²` values, none NaN (±Infinity are clamped), and `range` is one
 * of the two.
 *
 * @example
 * import { digitGrid } from 'pure-gan'
 *
 * const g = digitGrid(Float64Array.of(0, 1, 1, 0.5), 1, 2, 10, '0..1')
 * g.width // 4
 * g.height // 4
 * Array.from(g.pixels.subarray(4, 12)) // [128, 0, 255, 128, 128, 255, 128, 128]
 *
 * @category PNG
 * @since 0.5.0
 */
export const digitGrid = (pixels: Float64Array, count: number, side: number, columns: number, range: PixelScale): GrayImage => {
  const op = 'digitGrid'
  for (const [what, n] of [['count', count], ['side', side], ['columns', columns]] as const) {
    if (!isPositiveInteger(n)) throw new RangeError(`${op}: ${what} must be a positive integer, got ${preview(n, 40)}`)
  }
  if (range !== '0..1' && range !== '-1..1') throw new RangeError(`${op}: range must be '0..1' or '-1..1', got ${preview(range, 40)}`)
  const c = Math.min(columns, count)
  const r = Math.ceil(count / c)
  const width = c * (side + 1) + 1
  const height = r * (side + 1) + 1
  if (width > MAX_PNG_SIDE || height > MAX_PNG_SIDE) {
    throw new RangeError(`${op}: the grid would be ${width} x ${height} pixels, more than ${MAX_PNG_SIDE} on a side (fewer images, fewer columns or a smaller side)`)
  }
  if (Object.prototype.toString.call(pixels) !== '[object Float64Array]') throw new RangeError(`${op}: pixels must be a Float64Array, got ${preview(pixels, 40)}`)
  const area = side * side
  if (pixels.length < count * area) {
    throw new RangeError(`${op}: pixels holds ${pixels.length} values, fewer than count x side x side = ${count} x ${side} x ${side} = ${count * area}`)
  }
  const out = new Uint8Array(width * height).fill(GRID_SEPARATOR_GREY)
  const low = range === '0..1' ? 0 : -1
  for (let k = 0; k < count; k++) {
    const top = 1 + Math.floor(k / c) * (side + 1)
    const left = 1 + (k % c) * (side + 1)
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const at = k * area + i * side + j
        const x = pixels[at]!
        if (Number.isNaN(x)) throw new RangeError(`${op}: pixels[${at}] is NaN (values must be numbers; they are clamped to ${range})`)
        const v = x < low ? low : x > 1 ? 1 : x
        out[(top + i) * width + left + j] = low === 0 ? Math.floor(255 * v + 0.5) : Math.floor(127.5 * (v + 1) + 0.5)
      }
    }
  }
  return Object.freeze({ width, height, pixels: out })
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * `bytes` in base64 (RFC 4648 §4, with `=` padding): each 3 bytes `b0 b1 b2` become the
 * digits of `b0 >> 2`, `(b0 & 3) << 4 | b1 >> 4`, `(b1 & 15) << 2 | b2 >> 6` and `b2 & 63`.
 * For the PNGs a page embeds as `data:image/png;base64,...`.
 *
 * @example
 * import { base64 } from 'pure-gan'
 * base64(Uint8Array.of(102, 111, 111, 98)) // 'Zm9vYg=='
 *
 * @category PNG
 * @since 0.5.0
 */
export const base64 = (bytes: Uint8Array): string => {
  const out: string[] = []
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number
    const b1 = i + 1 < bytes.length ? (bytes[i + 1] as number) : 0
    const b2 = i + 2 < bytes.length ? (bytes[i + 2] as number) : 0
    out.push(
      BASE64_DIGITS[b0 >> 2] as string,
      BASE64_DIGITS[((b0 & 3) << 4) | (b1 >> 4)] as string,
      i + 1 < bytes.length ? (BASE64_DIGITS[((b1 & 15) << 2) | (b2 >> 6)] as string) : '=',
      i + 2 < bytes.length ? (BASE64_DIGITS[b2 & 63] as string) : '=',
    )
  }
  return out.join('')
}

/**
 * Rows of square images (each row `side²` values, row-major, `side = √(row length)`) as a
 * grid of 10 columns: `digitGrid` of the rows' values, e.g. a run record's 100 digits of 784
 * values as a 10 x 10 grid of 28 x 28 digits (291 x 291 pixels). Throws a `RangeError` (one
 * line) when the rows are empty, not all of one square length, or `digitGrid` refuses them.
 *
 * @example
 * import { digitRowsGrid } from 'pure-gan'
 * digitRowsGrid([[0, 1, 1, 0], [1, 1, 1, 1]], '0..1').width // 7
 *
 * @category PNG
 * @since 0.5.0
 */
export const digitRowsGrid = (rows: ReadonlyArray<ReadonlyArray<number>>, range: PixelScale): GrayImage => {
  const length = rows[0]?.length ?? 0
  const side = Math.round(Math.sqrt(length))
  if (rows.length === 0 || side === 0 || side * side !== length || rows.some((r) => r.length !== length)) {
    throw new RangeError(`digitRowsGrid: the rows must be one or more of the same square length (side² values each), got ${rows.length} rows, the first of ${length} values`)
  }
  const pixels = new Float64Array(rows.length * length)
  rows.forEach((row, i) => pixels.set(row, i * length))
  return digitGrid(pixels, rows.length, side, 10, range)
}
