/**
 * `encodePng` and `digitGrid` (src/report/png.ts). Each PNG is taken apart here by a decoder
 * of the test's own: the signature, every chunk's CRC-32 (a bitwise loop, not the module's
 * table), the IHDR fields, the stored blocks (LEN, NLEN, BFINAL, at most 65 535 bytes) and
 * the Adler-32 (a per-byte loop), then node:zlib's `inflateSync` and the filter bytes give
 * back the pixels, which must be the input's; on random images, with our stored blocks and
 * with `deflateSync` passed in, and at the sizes where the blocks split. `digitGrid` is
 * checked against a transcription that goes the other way (from each output pixel to the
 * image and value it shows).
 */
import { deflateRawSync, deflateSync, inflateSync } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mnistImages } from '../../src/validate/idx.js'
import { GRID_SEPARATOR_GREY, type GrayImage, MAX_PNG_SIDE, adler32, crc32, digitGrid, encodePng, zlibStored } from '../../src/report/png.js'
import { rangeErrorMessage } from '../support/thrown.js'

// -------------------------------------------------------------------------------------
// an independent decoder
// -------------------------------------------------------------------------------------

/** CRC-32 bit by bit (the PNG specification's sample code, without its table). */
const bitwiseCrc = (bytes: Uint8Array): number => {
  let c = 0xffffffff
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (c & 1 ? 0xedb88320 : 0)
  }
  return (c ^ 0xffffffff) >>> 0
}

/** Adler-32 reduced at every byte (RFC 1950's definition, literally). */
const simpleAdler = (bytes: Uint8Array): number => {
  let a = 1
  let b = 0
  for (const x of bytes) {
    a = (a + x) % 65521
    b = (b + a) % 65521
  }
  return b * 65536 + a
}

/** The bytes of `parts`, one after another. */
const concat = (parts: ReadonlyArray<Uint8Array>): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Equal bytes, compared fast (a deep equality over 10^5 entries is slow), the first difference named. */
const expectSameBytes = (actual: Uint8Array, expected: Uint8Array): void => {
  expect(actual.length).toBe(expected.length)
  let i = 0
  while (i < actual.length && actual[i] === expected[i]) i++
  expect(i === actual.length ? 'equal' : `byte ${i}: ${actual[i]} against ${expected[i]}`).toBe('equal')
}

const u32 = (bytes: Uint8Array, at: number): number => bytes[at]! * 2 ** 24 + bytes[at + 1]! * 2 ** 16 + bytes[at + 2]! * 2 ** 8 + bytes[at + 3]!

interface Decoded {
  readonly types: ReadonlyArray<string>
  readonly ihdr: { width: number; height: number; depth: number; colour: number; compression: number; filter: number; interlace: number }
  /** The IDAT data, concatenated: the zlib stream. */
  readonly stream: Uint8Array
  readonly pixels: Uint8Array
}

/** The PNG taken apart, every CRC checked; the pixels through inflateSync and the filter bytes (all 0). */
const decode = (png: Uint8Array): Decoded => {
  expect(Array.from(png.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10])
  const types: string[] = []
  const idat: Uint8Array[] = []
  let ihdr: Uint8Array | undefined
  let at = 8
  while (at < png.length) {
    const length = u32(png, at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const data = png.subarray(at + 8, at + 8 + length)
    expect(at + 12 + length).toBeLessThanOrEqual(png.length)
    expect(u32(png, at + 8 + length), `the CRC of ${type}`).toBe(bitwiseCrc(png.subarray(at + 4, at + 8 + length)))
    types.push(type)
    if (type === 'IHDR') ihdr = data
    if (type === 'IDAT') idat.push(data)
    at += 12 + length
  }
  expect(at).toBe(png.length)
  expect(types[0]).toBe('IHDR')
  expect(types.at(-1)).toBe('IEND')
  expect(ihdr!.length).toBe(13)
  const h = { width: u32(ihdr!, 0), height: u32(ihdr!, 4), depth: ihdr![8]!, colour: ihdr![9]!, compression: ihdr![10]!, filter: ihdr![11]!, interlace: ihdr![12]! }
  const stream = concat(idat)
  const raw = inflateSync(stream)
  expect(raw.length).toBe(h.height * (h.width + 1))
  const pixels = new Uint8Array(h.width * h.height)
  for (let y = 0; y < h.height; y++) {
    expect(raw[y * (h.width + 1)], `the filter byte of row ${y}`).toBe(0)
    pixels.set(raw.subarray(y * (h.width + 1) + 1, (y + 1) * (h.width + 1)), y * h.width)
  }
  return { types, ihdr: h, stream, pixels }
}

/** A zlib stream of stored blocks taken apart: the header, each block's length, the data, the Adler-32. */
const storedBlocks = (stream: Uint8Array): { lengths: number[]; data: Uint8Array; adler: number } => {
  expect([stream[0], stream[1]]).toEqual([0x78, 0x01])
  expect((stream[0]! * 256 + stream[1]!) % 31).toBe(0)
  const lengths: number[] = []
  const parts: Uint8Array[] = []
  let at = 2
  for (;;) {
    const head = stream[at]!
    expect(head & 0b110, 'BTYPE 00: stored').toBe(0)
    expect(head >> 3, 'the rest of the header byte').toBe(0)
    const len = stream[at + 1]! + stream[at + 2]! * 256
    const nlen = stream[at + 3]! + stream[at + 4]! * 256
    expect(nlen).toBe(0xffff - len)
    lengths.push(len)
    parts.push(stream.subarray(at + 5, at + 5 + len))
    at += 5 + len
    if (head & 1) break
  }
  expect(at + 4).toBe(stream.length)
  return { lengths, data: concat(parts), adler: u32(stream, at) }
}

/** The lengths the blocks of `n` bytes must have: 65 535 each, the rest in the last (one empty block for 0). */
const expectedLengths = (n: number): number[] => {
  const out: number[] = []
  for (let left = n; left > 0; left -= 65535) out.push(Math.min(65535, left))
  return out.length === 0 ? [0] : out
}

/** The filtered rows of an image (filter byte 0 before each row). */
const rawOf = (image: GrayImage): Uint8Array => {
  const raw = new Uint8Array(image.height * (image.width + 1))
  for (let y = 0; y < image.height; y++) raw.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), y * (image.width + 1) + 1)
  return raw
}

const imageArb = (max: number): fc.Arbitrary<GrayImage> =>
  fc
    .tuple(fc.integer({ min: 1, max }), fc.integer({ min: 1, max }))
    .chain(([width, height]) => fc.uint8Array({ minLength: width * height, maxLength: width * height }).map((pixels) => ({ width, height, pixels })))

/** A PNG checked in full: the decoder's checks, the IHDR fields, the pixels; the stored blocks when `stored`. */
const expectPngOf = (png: Uint8Array, image: GrayImage, stored: boolean): void => {
  const d = decode(png)
  expect(d.types).toEqual(['IHDR', 'IDAT', 'IEND'])
  expect(d.ihdr).toEqual({ width: image.width, height: image.height, depth: 8, colour: 0, compression: 0, filter: 0, interlace: 0 })
  expectSameBytes(d.pixels, image.pixels)
  if (stored) {
    const raw = rawOf(image)
    const blocks = storedBlocks(d.stream)
    expect(blocks.lengths).toEqual(expectedLengths(raw.length))
    expectSameBytes(blocks.data, raw)
    expect(blocks.adler).toBe(simpleAdler(raw))
  } else expectSameBytes(d.stream, deflateSync(rawOf(image)))
}


// -------------------------------------------------------------------------------------
// checksums
// -------------------------------------------------------------------------------------

describe('the checksums', () => {
  it('crc32 is the bitwise CRC-32 on any bytes and range; 0xCBF43926 for "123456789"', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), fc.nat(), fc.nat(), (bytes, i, j) => {
        expect(crc32(bytes)).toBe(bitwiseCrc(bytes))
        const from = bytes.length === 0 ? 0 : i % bytes.length
        const to = from + (bytes.length === 0 ? 0 : j % (bytes.length - from + 1))
        expect(crc32(bytes, from, to)).toBe(bitwiseCrc(bytes.subarray(from, to)))
      }),
    )
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array(0))).toBe(0)
  })

  it('adler32 is RFC 1950 reduced at every byte, also past the 5552-byte reduction and on the worst case (all 255)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12000 }), (bytes) => {
        expect(adler32(bytes)).toBe(simpleAdler(bytes))
      }),
      { numRuns: 50 },
    )
    for (const n of [0, 1, 5551, 5552, 5553, 200_000]) expect(adler32(new Uint8Array(n).fill(255))).toBe(simpleAdler(new Uint8Array(n).fill(255)))
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398)
  })
})

// -------------------------------------------------------------------------------------
// zlib and PNG
// -------------------------------------------------------------------------------------

describe('zlibStored', () => {
  it('is a zlib stream that inflateSync reads back, in blocks of at most 65 535 bytes, at every length near the splits', () => {
    for (const n of [0, 1, 2, 65534, 65535, 65536, 65537, 131069, 131070, 131071, 200_000]) {
      const raw = Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) % 256)
      const stream = zlibStored(raw)
      expectSameBytes(inflateSync(stream), raw)
      const blocks = storedBlocks(stream)
      expect(blocks.lengths).toEqual(expectedLengths(n))
      expect(blocks.adler).toBe(simpleAdler(raw))
      expect(stream.length).toBe(2 + 5 * blocks.lengths.length + n + 4)
    }
  })
})

describe('encodePng', () => {
  it('writes a PNG whose chunks, IHDR and pixels decode as the input (stored blocks)', () => {
    fc.assert(fc.property(imageArb(40), (image) => expectPngOf(encodePng(image), image, true)), { numRuns: 100 })
  })

  it('with deflateSync passed in: the IDAT holds exactly deflateSync of the rows, and decodes as the input', () => {
    const deflate = (raw: Uint8Array): Uint8Array => deflateSync(raw)
    fc.assert(fc.property(imageArb(40), (image) => expectPngOf(encodePng(image, { deflate }), image, false)), { numRuns: 100 })
  })

  it('splits the stored blocks at 65 535 bytes: rows of exactly one block, one byte more, two full blocks, and between', () => {
    // height·(width + 1): 255·257 = 65535, 256·256 = 65536, 510·257 = 131070, 300·301 = 90300.
    for (const [width, height] of [[256, 255], [255, 256], [256, 510], [300, 300]] as const) {
      const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 7 + (i >> 9)) % 256)
      const image = { width, height, pixels }
      expectPngOf(encodePng(image), image, true)
      expectPngOf(encodePng(image, { deflate: (raw) => deflateSync(raw) }), image, false)
    }
  })

  it('the largest sides, MAX_PNG_SIDE = 16384, are written; one more is refused', () => {
    expect(MAX_PNG_SIDE).toBe(16384)
    for (const [width, height] of [[16384, 1], [1, 16384]] as const) {
      const image = { width, height, pixels: new Uint8Array(16384).fill(200) }
      expectPngOf(encodePng(image), image, true)
    }
    expect(rangeErrorMessage(() => encodePng({ width: 16385, height: 1, pixels: new Uint8Array(16385) }))).toBe('encodePng: width must be an integer in 1..16384, got 16385')
  })

  it('reads its arguments only, and gives the same bytes for the same image', () => {
    fc.assert(
      fc.property(imageArb(20), (image) => {
        const copy = image.pixels.slice()
        let seen: Uint8Array | undefined
        const a = encodePng(image)
        const b = encodePng(image, {
          deflate: (raw) => {
            seen = raw
            return deflateSync(raw)
          },
        })
        expect(image.pixels).toEqual(copy)
        expect(seen).toEqual(rawOf(image))
        expect(encodePng(image)).toEqual(a)
        expect(encodePng(image, { deflate: (raw) => deflateSync(raw) })).toEqual(b)
      }),
      { numRuns: 30 },
    )
  })

  it('refuses bad sides, pixels and deflate functions with one line', () => {
    const px = (n: number) => new Uint8Array(n)
    for (const [width, label] of [[0, '0'], [1.5, '1.5'], [Number.NaN, 'NaN'], [-3, '-3'], ['4', '"4"']] as const) {
      expect(rangeErrorMessage(() => encodePng({ width: width as number, height: 1, pixels: px(1) }))).toBe(`encodePng: width must be an integer in 1..16384, got ${label}`)
      expect(rangeErrorMessage(() => encodePng({ width: 1, height: width as number, pixels: px(1) }))).toBe(`encodePng: height must be an integer in 1..16384, got ${label}`)
    }
    expect(rangeErrorMessage(() => encodePng({ width: 3, height: 4, pixels: px(10) }))).toBe('encodePng: pixels holds 10 bytes, but width x height = 3 x 4 is 12')
    expect(rangeErrorMessage(() => encodePng({ width: 2, height: 1, pixels: [1, 2] as unknown as Uint8Array }))).toBe('encodePng: pixels must be a Uint8Array, got [1,2]')
    expect(rangeErrorMessage(() => encodePng(null as unknown as GrayImage))).toBe('encodePng: image must be { width, height, pixels }, got null')
    const image = { width: 2, height: 2, pixels: px(4) }
    expect(rangeErrorMessage(() => encodePng(image, { deflate: 'zlib' as unknown as (raw: Uint8Array) => Uint8Array }))).toBe(
      'encodePng: options.deflate must be a function, got "zlib"',
    )
    expect(rangeErrorMessage(() => encodePng(image, { deflate: () => [0x78, 1] as unknown as Uint8Array }))).toBe(
      'encodePng: options.deflate must return a Uint8Array (a zlib stream), got [120,1]',
    )
    // deflateRawSync gives deflate data without the zlib header and trailer.
    expect(rangeErrorMessage(() => encodePng(image, { deflate: (raw) => deflateRawSync(raw) }))).toMatch(
      /^encodePng: options\.deflate returned no zlib stream \(it starts 0x[0-9A-F]{2} 0x[0-9A-F]{2}; pass a function such as node:zlib's deflateSync\)$/,
    )
    expect(rangeErrorMessage(() => encodePng(image, { deflate: () => new Uint8Array(0) }))).toBe(
      "encodePng: options.deflate returned no zlib stream (it starts empty; pass a function such as node:zlib's deflateSync)",
    )
  })
})

// -------------------------------------------------------------------------------------
// digitGrid
// -------------------------------------------------------------------------------------

/** The byte of value `x`, as the doc comment writes it. */
const byteOf = (x: number, range: '0..1' | '-1..1'): number =>
  range === '0..1' ? Math.floor(255 * Math.min(Math.max(x, 0), 1) + 0.5) : Math.floor(127.5 * (Math.min(Math.max(x, -1), 1) + 1) + 0.5)

/** The grid built from the output's side: for each pixel, the separator or the image and value it shows. */
const gridTranscription = (pixels: Float64Array, count: number, side: number, columns: number, range: '0..1' | '-1..1'): GrayImage => {
  const c = Math.min(columns, count)
  const r = Math.ceil(count / c)
  const width = c * (side + 1) + 1
  const height = r * (side + 1) + 1
  const out = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y % (side + 1)) - 1
      const j = (x % (side + 1)) - 1
      const k = Math.floor(y / (side + 1)) * c + Math.floor(x / (side + 1))
      out[y * width + x] = i < 0 || j < 0 || k >= count ? GRID_SEPARATOR_GREY : byteOf(pixels[k * side * side + i * side + j]!, range)
    }
  }
  return { width, height, pixels: out }
}

describe('digitGrid', () => {
  const value = fc.oneof(
    fc.double({ min: -1.5, max: 1.5, noNaN: true }),
    fc.constantFrom(-Infinity, Infinity, -1, 0, -0, 1, 0.5, -0.5, 127.5 / 255, 0.5 / 255, 1 / 510),
  )
  const gridArb = fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 5 }))
    .chain(([count, side, columns, extra]) =>
      fc.record({
        count: fc.constant(count),
        side: fc.constant(side),
        columns: fc.constant(columns),
        pixels: fc.array(value, { minLength: count * side * side + extra, maxLength: count * side * side + extra }).map((a) => Float64Array.from(a)),
        range: fc.constantFrom('0..1' as const, '-1..1' as const),
      }),
    )

  it('places image k at its cell, clamps and rounds each value as documented, grey elsewhere (against a transcription)', () => {
    fc.assert(
      fc.property(gridArb, ({ pixels, count, side, columns, range }) => {
        const copy = pixels.slice()
        const g = digitGrid(pixels, count, side, columns, range)
        expect(g).toEqual(gridTranscription(pixels, count, side, columns, range))
        expect(pixels).toEqualBits(copy)
        expect(Object.isFrozen(g)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('gives back every byte that mnistImages scaled, in both ranges; rounds half up', () => {
    for (const range of ['0..1', '-1..1'] as const) {
      const bytes = Uint8Array.from({ length: 256 }, (_, p) => p)
      const m = mnistImages({ dims: [1, 16, 16], data: bytes }, { dims: [1], data: Uint8Array.of(0) }, range)
      if (m._tag === 'Left') throw new Error(m.left)
      const g = digitGrid(m.right.pixels, 1, 16, 1, range)
      const inner = Uint8Array.from({ length: 256 }, (_, p) => g.pixels[(1 + Math.floor(p / 16)) * 18 + 1 + (p % 16)]!)
      expect(inner).toEqual(bytes)
    }
    /** The bytes of 1 x 1 images in one row: pixel k of row 1 sits at column 1 + 2k. */
    const row = (xs: number[], range: '0..1' | '-1..1'): number[] => {
      const g = digitGrid(Float64Array.from(xs), xs.length, 1, xs.length, range)
      return xs.map((_, k) => g.pixels[g.width + 1 + 2 * k]!)
    }
    // 0.5·255 = 127.5 rounds up; (0 + 1)·127.5 likewise; past the range, clamped.
    expect(row([0.5, 1 / 255, 2, -2, Infinity, -0], '0..1')).toEqual([128, 1, 255, 0, 255, 0])
    expect(row([0, -1 + 2 / 255, 2, -Infinity, -0, 1], '-1..1')).toEqual([128, 1, 255, 0, 128, 255])
  })

  it('a grid of 100 MNIST-sized digits in 10 columns is 291 x 291; 7 in 3 columns leaves two grey cells', () => {
    const g = digitGrid(new Float64Array(100 * 784), 100, 28, 10, '0..1')
    expect([g.width, g.height]).toEqual([291, 291])
    const h = digitGrid(new Float64Array(7 * 4).fill(1), 7, 2, 3, '0..1')
    expect([h.width, h.height]).toEqual([10, 10])
    expect(Array.from(h.pixels.subarray(70, 80))).toEqual([128, 255, 255, 128, 128, 128, 128, 128, 128, 128])
  })

  it('refuses bad counts, sides, columns, ranges, too few values, NaN and a grid past MAX_PNG_SIDE', () => {
    const px = new Float64Array(16)
    for (const [what, args] of [
      ['count', [0, 2, 1]],
      ['side', [1, 1.5, 1]],
      ['columns', [1, 2, -1]],
    ] as const) {
      expect(rangeErrorMessage(() => digitGrid(px, args[0], args[1], args[2], '0..1'))).toMatch(new RegExp(`^digitGrid: ${what} must be a positive integer, got -?[0-9.]+$`))
    }
    expect(rangeErrorMessage(() => digitGrid(px, 1, 2, 1, '0..255' as '0..1'))).toBe(`digitGrid: range must be '0..1' or '-1..1', got "0..255"`)
    expect(rangeErrorMessage(() => digitGrid(px, 5, 2, 5, '0..1'))).toBe('digitGrid: pixels holds 16 values, fewer than count x side x side = 5 x 2 x 2 = 20')
    expect(rangeErrorMessage(() => digitGrid([0, 1, 2, 3] as unknown as Float64Array, 1, 2, 1, '0..1'))).toBe('digitGrid: pixels must be a Float64Array, got [0,1,2,3]')
    expect(rangeErrorMessage(() => digitGrid(Float64Array.of(0, 1, Number.NaN, 0), 1, 2, 1, '-1..1'))).toBe(
      'digitGrid: pixels[2] is NaN (values must be numbers; they are clamped to -1..1)',
    )
    expect(rangeErrorMessage(() => digitGrid(new Float64Array(0), 16383, 1, 16383, '0..1'))).toBe(
      'digitGrid: the grid would be 32767 x 3 pixels, more than 16384 on a side (fewer images, fewer columns or a smaller side)',
    )
    // The widest grid that fits: 8191 images of side 1 in one row, 16383 pixels.
    expect(digitGrid(new Float64Array(8191), 8191, 1, 8191, '0..1').width).toBe(16383)
  })
})
