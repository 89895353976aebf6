/**
 * `parseIdx`, `encodeIdx` and `mnistImages` (src/validate/idx.ts): a tensor written by
 * `encodeIdx` (whose header is checked against a transcription of the format) reads back as
 * itself, unaliased; every kind of corrupt file gets its one-line message; a valid file cut
 * at every length, and any bytes at all, give a Left or a well-formed tensor, never a throw;
 * `mnistImages` scales every byte as the documented formulas, bit for bit (and each value is
 * the double nearest the exact rational), and refuses mismatched counts and labels past 9.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/fp/either.js'
import { type IdxTensor, MAX_IDX_BYTES, encodeIdx, mnistImages, parseIdx } from '../../src/validate/idx.js'
import { rangeErrorMessage } from '../support/thrown.js'

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

/** A transcription of the format: magic, big-endian dimensions, data. */
const idxFile = (dims: ReadonlyArray<number>, data: ArrayLike<number>, type = 0x08): Uint8Array => {
  const out: number[] = [0, 0, type, dims.length]
  for (const d of dims) out.push(Math.floor(d / 2 ** 24) % 256, Math.floor(d / 2 ** 16) % 256, Math.floor(d / 2 ** 8) % 256, d % 256)
  for (let i = 0; i < data.length; i++) out.push(data[i]!)
  return Uint8Array.from(out)
}

const leftOf = (bytes: Uint8Array): string => {
  const out = parseIdx(bytes)
  if (E.isRight(out)) throw new Error(`expected a Left, got dims ${JSON.stringify(out.right.dims)}`)
  return out.left
}

const rightOf = <A>(out: E.Either<string, A>): A => {
  if (E.isLeft(out)) throw new Error(out.left)
  return out.right
}

/** What every result must be, whatever the input: a one-line Left, or a tensor that re-encodes as the input. */
const expectWellFormed = (bytes: Uint8Array, out: E.Either<string, IdxTensor>): void => {
  if (E.isLeft(out)) {
    expect(typeof out.left).toBe('string')
    expect(out.left).not.toContain('\n')
    expect(out.left.length).toBeLessThan(300)
    return
  }
  const { dims, data } = out.right
  expect(dims.length >= 1 && dims.length <= 4).toBe(true)
  expect(dims.every((d) => Number.isSafeInteger(d) && d >= 1)).toBe(true)
  expect(data.length).toBe(dims.reduce((p, d) => p * d, 1))
  expect(Object.isFrozen(out.right) && Object.isFrozen(dims)).toBe(true)
  expect(encodeIdx(dims, data)).toEqual(bytes)
}

/** Dimensions of 1 to 4 entries, each small enough for a product up to a few thousand. */
const dimsArb = fc.integer({ min: 1, max: 4 }).chain((n) => fc.array(fc.integer({ min: 1, max: n === 1 ? 3000 : n === 2 ? 60 : 12 }), { minLength: n, maxLength: n }))
const product = (dims: ReadonlyArray<number>): number => dims.reduce((p, d) => p * d, 1)
const tensorArb = dimsArb.chain((dims) => fc.uint8Array({ minLength: product(dims), maxLength: product(dims) }).map((data) => ({ dims, data })))

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`
const MAGIC = '0x00 0x00 0x08 D (unsigned bytes, D = 1..4 dimensions)'

// -------------------------------------------------------------------------------------
// round trip
// -------------------------------------------------------------------------------------

describe('encodeIdx and parseIdx', () => {
  it('encodeIdx writes the format (a transcription), and parseIdx reads it back as the same dims and data', () => {
    fc.assert(
      fc.property(tensorArb, ({ dims, data }) => {
        const bytes = encodeIdx(dims, data)
        expect(bytes).toEqual(idxFile(dims, data))
        const t = rightOf(parseIdx(bytes))
        expect(t.dims).toEqual(dims)
        expect(t.data).toEqual(data)
        expect(Object.getPrototypeOf(t.data)).toBe(Uint8Array.prototype)
      }),
    )
  })

  it('large dimensions are big-endian: 2^32 − 1, 2^24 + 1, 65536 + 256', () => {
    expect(Array.from(encodeIdx([1, 1, 1, 1], Uint8Array.of(5)))).toEqual([0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 5])
    for (const d of [0xffffffff, 2 ** 24 + 1, 65536 + 256]) {
      const file = idxFile([d], [])
      expect(leftOf(file)).toMatch(d > MAX_IDX_BYTES ? /^the dimensions \d+ promise/ : /^truncated: the header promises/)
      expect(leftOf(file)).toContain(String(d))
    }
  })

  it('the data is a copy: changing the input (a Uint8Array, a Buffer, a view into a larger buffer) later changes nothing', () => {
    fc.assert(
      fc.property(tensorArb, fc.nat(), ({ dims, data }, k) => {
        const bytes = encodeIdx(dims, data)
        const padded = new Uint8Array(bytes.length + 8)
        padded.set(bytes, 4)
        for (const input of [bytes.slice(), Buffer.from(bytes), padded.subarray(4, 4 + bytes.length)]) {
          const t = rightOf(parseIdx(input))
          expect(Object.getPrototypeOf(t.data)).toBe(Uint8Array.prototype)
          const i = input.length - 1 - (k % data.length)
          input[i] = input[i]! ^ 0xff
          expect(t.data).toEqual(data)
        }
        expect(bytes).toEqual(encodeIdx(dims, data))
      }),
      { numRuns: 50 },
    )
  })

  it('MNIST-shaped files: 0x00000803 with 3 x 28 x 28 images, 0x00000801 with 3 labels', () => {
    const images = new Uint8Array(3 * 784).map((_, i) => (i * 37) % 256)
    const file = encodeIdx([3, 28, 28], images)
    expect(Array.from(file.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28])
    expect(rightOf(parseIdx(file)).dims).toEqual([3, 28, 28])
    expect(Array.from(encodeIdx([3], Uint8Array.of(5, 0, 4)))).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4])
  })

  it('a product of exactly MAX_IDX_BYTES (64 MiB) is read; one more is refused before anything is allocated', () => {
    expect(MAX_IDX_BYTES).toBe(64 * 1024 * 1024)
    const big = new Uint8Array(8 + MAX_IDX_BYTES)
    big.set([0, 0, 8, 1, 4, 0, 0, 0])
    big[8 + MAX_IDX_BYTES - 1] = 7
    const t = rightOf(parseIdx(big))
    expect(t.dims).toEqual([MAX_IDX_BYTES])
    expect(t.data[MAX_IDX_BYTES - 1]).toBe(7)
    expect(leftOf(idxFile([MAX_IDX_BYTES + 1], []))).toBe(
      `the dimensions ${MAX_IDX_BYTES + 1} promise ${MAX_IDX_BYTES + 1} bytes of data, more than MAX_IDX_BYTES, 67108864 (64 MiB)`,
    )
  })
})

// -------------------------------------------------------------------------------------
// corrupt files
// -------------------------------------------------------------------------------------

describe('parseIdx names what is wrong with a corrupt file', () => {
  it('a magic number that does not start with 0x00 0x00, or names no element type; a gzip file is told so', () => {
    const known = [0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e]
    fc.assert(
      fc.property(tensorArb, fc.uint8Array({ minLength: 3, maxLength: 3 }), ({ dims, data }, [b0, b1, type]) => {
        fc.pre(b0 !== 0 || b1 !== 0 || !known.includes(type!))
        const file = encodeIdx(dims, data)
        file.set([b0!, b1!, type!])
        const gzip = b0 === 0x1f && b1 === 0x8b ? ' (the file is gzip-compressed: decompress it first)' : ''
        expect(leftOf(file)).toBe(`not an IDX file: the magic number is ${[b0!, b1!, type!, dims.length].map(hex).join(' ')}, expected ${MAGIC}${gzip}`)
      }),
    )
    // The start of train-images-idx3-ubyte.gz.
    expect(leftOf(Uint8Array.of(0x1f, 0x8b, 0x08, 0x08, 0x4d, 0x49, 0x8e, 0x50))).toBe(
      `not an IDX file: the magic number is 0x1F 0x8B 0x08 0x08, expected ${MAGIC} (the file is gzip-compressed: decompress it first)`,
    )
    expect(leftOf(Uint8Array.of(0, 0, 0x0a, 1, 0, 0, 0, 1, 0))).toBe(`not an IDX file: the magic number is 0x00 0x00 0x0A 0x01, expected ${MAGIC}`)
  })

  it('another element type, named', () => {
    const names: ReadonlyArray<[number, string]> = [
      [0x09, '0x09 (signed byte)'],
      [0x0b, '0x0B (16-bit short)'],
      [0x0c, '0x0C (32-bit int)'],
      [0x0d, '0x0D (32-bit float)'],
      [0x0e, '0x0E (64-bit double)'],
    ]
    for (const [type, name] of names) {
      fc.assert(
        fc.property(tensorArb, ({ dims, data }) => {
          expect(leftOf(idxFile(dims, data, type))).toBe(`element type ${name} is not supported: only unsigned bytes (0x08) are supported`)
        }),
        { numRuns: 10 },
      )
    }
  })

  it('0 dimensions, or more than 4', () => {
    for (let d = 0; d < 256; d++) {
      if (d >= 1 && d <= 4) continue
      const file = new Uint8Array(4 + 4 * d + 1).fill(1)
      file.set([0, 0, 8, d])
      expect(leftOf(file)).toBe(`the magic number 0x00 0x00 0x08 ${hex(d)} gives ${d} dimensions (1 to 4 are allowed)`)
    }
  })

  it('a file shorter than its magic number, or than its header of 4 + 4·D bytes', () => {
    expect(leftOf(new Uint8Array(0))).toBe(`the file is empty (an IDX file starts with the magic number ${MAGIC})`)
    expect(leftOf(Uint8Array.of(0))).toBe(`truncated header: the file has 1 byte, fewer than the 4 of the magic number ${MAGIC}`)
    expect(leftOf(Uint8Array.of(0, 0, 8))).toBe(`truncated header: the file has 3 bytes, fewer than the 4 of the magic number ${MAGIC}`)
    fc.assert(
      fc.property(tensorArb, fc.nat(), ({ dims, data }, k) => {
        const d = dims.length
        const length = 4 + (k % (4 * d))
        expect(leftOf(encodeIdx(dims, data).subarray(0, length))).toBe(
          `truncated header: ${d} dimension${d === 1 ? ' needs' : 's need'} a header of ${4 + 4 * d} bytes, the file has ${length}`,
        )
      }),
    )
  })

  it('a zero dimension (the first one, wherever the others are)', () => {
    fc.assert(
      fc.property(tensorArb, fc.nat(), fc.boolean(), ({ dims, data }, k, more) => {
        const i = k % dims.length
        const zeroed = dims.map((d, j) => (j === i || (more && j > i) ? 0 : d))
        expect(leftOf(idxFile(zeroed, data))).toBe(`dimension ${i + 1} of ${dims.length} is 0 (every dimension must be at least 1)`)
      }),
    )
  })

  it('a product of dimensions above MAX_IDX_BYTES, named exactly, however far above (no overflow)', () => {
    const big = fc.integer({ min: 1, max: 0xffffffff })
    fc.assert(
      fc.property(fc.array(big, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 40 }), (dims, body) => {
        const exact = dims.reduce((p, d) => p * BigInt(d), 1n)
        fc.pre(exact > BigInt(MAX_IDX_BYTES))
        expect(leftOf(idxFile(dims, body))).toBe(`the dimensions ${dims.join(' x ')} promise ${exact} bytes of data, more than MAX_IDX_BYTES, 67108864 (64 MiB)`)
      }),
    )
    const max = 0xffffffff
    expect(leftOf(idxFile([max, max, max, max], []))).toBe(
      `the dimensions ${max} x ${max} x ${max} x ${max} promise ${BigInt(max) ** 4n} bytes of data, more than MAX_IDX_BYTES, 67108864 (64 MiB)`,
    )
    // A product that passes the bound only at its last factor, and one whose partial products do not.
    expect(leftOf(idxFile([8192, 8192, 2], []))).toMatch(/^the dimensions 8192 x 8192 x 2 promise 134217728 bytes/)
    expect(leftOf(idxFile([8192, 8192, 1], []))).toBe('truncated: the header promises 67108864 bytes of data, the file has 0')
  })

  it('a body shorter or longer than the dimensions promise, both counts said', () => {
    fc.assert(
      fc.property(tensorArb, fc.integer({ min: 1, max: 100 }), fc.boolean(), ({ dims, data }, k, cut) => {
        const file = encodeIdx(dims, data)
        const n = data.length
        if (cut) {
          const m = Math.max(0, n - k)
          expect(leftOf(file.subarray(0, file.length - (n - m)))).toBe(`truncated: the header promises ${n} bytes of data, the file has ${m}`)
        } else {
          const longer = new Uint8Array(file.length + k).fill(0xab)
          longer.set(file)
          expect(leftOf(longer)).toBe(`trailing bytes: the header promises ${n} bytes of data, the file has ${n + k}`)
        }
      }),
    )
  })

  it('a valid file cut at every length is refused, never with a throw, with the message of what the cut removed', () => {
    fc.assert(
      fc.property(tensorArb.filter(({ data }) => data.length <= 200), ({ dims, data }) => {
        const file = encodeIdx(dims, data)
        const header = 4 + 4 * dims.length
        for (let length = 0; length < file.length; length++) {
          const message = leftOf(file.subarray(0, length))
          if (length === 0) expect(message).toMatch(/^the file is empty/)
          else if (length < header) expect(message).toMatch(/^truncated header: /)
          else expect(message).toBe(`truncated: the header promises ${data.length} bytes of data, the file has ${length - header}`)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('anything that is not a Uint8Array', () => {
    for (const x of [null, undefined, 'IDX', [0, 0, 8, 1], new Uint16Array(8), new Int8Array(8), new Uint8ClampedArray(8)]) {
      expect(leftOf(x as unknown as Uint8Array)).toMatch(/^the file's bytes must be a Uint8Array, got /)
    }
  })
})

describe('parseIdx on any bytes', () => {
  const check = (bytes: Uint8Array): void => expectWellFormed(bytes, parseIdx(bytes))

  it('gives a one-line Left or a well-formed tensor that re-encodes as its input, never a throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { numRuns: 300 })
    // Bytes that pass the magic number more often, to reach the later checks.
    const header = fc.tuple(fc.constantFrom(0, 0, 0, 1), fc.constantFrom(0, 0, 0, 0x1f), fc.constantFrom(8, 8, 8, 9, 0x0d, 7), fc.integer({ min: 0, max: 6 }))
    const small = fc.constantFrom(0, 0, 0, 0, 0, 1, 2, 3, 255)
    fc.assert(
      fc.property(header, fc.array(small, { maxLength: 24 }), fc.uint8Array({ maxLength: 40 }), (h, dims, body) => check(Uint8Array.from([...h, ...dims, ...body]))),
      { numRuns: 1000 },
    )
  })
})

// -------------------------------------------------------------------------------------
// encodeIdx's refusals
// -------------------------------------------------------------------------------------

describe('encodeIdx writes only what parseIdx reads', () => {
  it('refuses bad dimensions, a data length that differs, and more than MAX_IDX_BYTES', () => {
    expect(rangeErrorMessage(() => encodeIdx([], new Uint8Array(0)))).toBe('encodeIdx: dims must be an array of 1 to 4 dimensions, got []')
    expect(rangeErrorMessage(() => encodeIdx([1, 1, 1, 1, 1], new Uint8Array(1)))).toBe('encodeIdx: dims must be an array of 1 to 4 dimensions, got [1,1,1,1,1]')
    expect(rangeErrorMessage(() => encodeIdx([2, 0], new Uint8Array(0)))).toBe('encodeIdx: dims[1] must be an integer in 1..4294967295, got 0')
    expect(rangeErrorMessage(() => encodeIdx([1.5], new Uint8Array(1)))).toBe('encodeIdx: dims[0] must be an integer in 1..4294967295, got 1.5')
    expect(rangeErrorMessage(() => encodeIdx([2 ** 32], new Uint8Array(1)))).toBe('encodeIdx: dims[0] must be an integer in 1..4294967295, got 4294967296')
    expect(rangeErrorMessage(() => encodeIdx([2, 3], new Uint8Array(5)))).toBe('encodeIdx: the dimensions 2 x 3 hold 6 bytes, data has 5')
    expect(rangeErrorMessage(() => encodeIdx([3], [1, 2, 3] as unknown as Uint8Array))).toBe('encodeIdx: data must be a Uint8Array, got [1,2,3]')
    expect(rangeErrorMessage(() => encodeIdx([65536, 65536], new Uint8Array(0)))).toBe(
      'encodeIdx: the dimensions 65536 x 65536 promise 4294967296 bytes of data, more than MAX_IDX_BYTES, 67108864 (64 MiB)',
    )
  })
})

// -------------------------------------------------------------------------------------
// mnistImages
// -------------------------------------------------------------------------------------

/** The exact value of a finite double as a fraction n / 2^k (BigInt). */
const exact = (x: number): { n: bigint; k: bigint } => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const sign = bits >> 63n ? -1n : 1n
  const e = Number((bits >> 52n) & 0x7ffn)
  const m = bits & ((1n << 52n) - 1n)
  const [mant, exp] = e === 0 ? [m, -1074] : [m | (1n << 52n), e - 1075]
  return exp >= 0 ? { n: sign * (mant << BigInt(exp)), k: 0n } : { n: sign * mant, k: BigInt(-exp) }
}
/** The neighbouring doubles of a finite double. */
const neighbours = (x: number): [number, number] => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const bits = view.getBigUint64(0)
  const at = (b: bigint): number => {
    view.setBigUint64(0, b)
    return view.getFloat64(0)
  }
  if (x === 0) return [-Number.MIN_VALUE, Number.MIN_VALUE]
  const up = at(bits + 1n)
  const down = at(bits - 1n)
  return x > 0 ? [down, up] : [up, down]
}
/** |x − p/q| as a fraction's numerator over the common denominator (its sign dropped), for comparisons at one q. */
const distance = (x: number, p: bigint, q: bigint): bigint => {
  const { n, k } = exact(x)
  const d = n * q - p * (1n << k)
  // Scale to a common power of two, 2^1100, so that distances of different doubles compare.
  return (d < 0n ? -d : d) << (1100n - k)
}

const scaled = (p: number, scale: '0..1' | '-1..1'): number => (scale === '0..1' ? p / 255 : (2 * p - 255) / 255)

describe('mnistImages', () => {
  const sample = fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
    .chain(([count, rows, cols]) =>
      fc.record({
        count: fc.constant(count),
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        pixels: fc.uint8Array({ minLength: count * rows * cols, maxLength: count * rows * cols }),
        labels: fc.uint8Array({ min: 0, max: 9, minLength: count, maxLength: count }),
        scale: fc.constantFrom('0..1' as const, '-1..1' as const),
      }),
    )

  it('scales every pixel as the literal formulas, bit for bit, in row-major order; labels copied', () => {
    fc.assert(
      fc.property(sample, ({ count, rows, cols, pixels, labels, scale }) => {
        const images = { dims: [count, rows, cols], data: pixels }
        const labelTensor = { dims: [count], data: labels }
        const m = rightOf(mnistImages(images, labelTensor, scale))
        expect(m.rows).toBe(count)
        expect(m.width).toBe(rows * cols)
        const expected = new Float64Array(count * rows * cols)
        for (let r = 0; r < count; r++) {
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) {
              const p = pixels[(r * rows + i) * cols + j]!
              expected[r * (rows * cols) + i * cols + j] = scale === '0..1' ? p / 255 : (2 * p - 255) / 255
            }
          }
        }
        expect(m.pixels).toEqualBits(expected)
        expect(m.labels).toEqual(labels)
        // Copies: changing the inputs changes nothing.
        const before = Float64Array.from(m.pixels)
        pixels.fill(255 - (pixels[0] ?? 0))
        labels[0] = (labels[0]! + 1) % 10
        expect(m.pixels).toEqualBits(before)
        expect(m.labels[0]).not.toBe(labels[0])
        expect(Object.isFrozen(m)).toBe(true)
      }),
    )
  })

  it('every scaled byte is the double nearest the exact rational, the ends exact, and −1..1 odd about 127.5', () => {
    for (const scale of ['0..1', '-1..1'] as const) {
      const images = { dims: [1, 16, 16], data: Uint8Array.from({ length: 256 }, (_, p) => p) }
      const m = rightOf(mnistImages(images, { dims: [1], data: Uint8Array.of(0) }, scale))
      for (let p = 0; p < 256; p++) {
        const x = m.pixels[p]!
        expect(x).toBe(scaled(p, scale))
        const numerator = BigInt(scale === '0..1' ? p : 2 * p - 255)
        for (const y of neighbours(x)) expect(distance(x, numerator, 255n) <= distance(y, numerator, 255n)).toBe(true)
        if (scale === '-1..1') expect(Object.is(m.pixels[255 - p], -x)).toBe(true)
      }
      expect([m.pixels[0], m.pixels[255]]).toEqual(scale === '0..1' ? [0, 1] : [-1, 1])
    }
  })

  it('refuses a label past 9, naming the first', () => {
    fc.assert(
      fc.property(sample, fc.nat(), fc.integer({ min: 10, max: 255 }), ({ count, rows, cols, pixels, labels, scale }, k, bad) => {
        const i = k % count
        const data = labels.map((l, j) => (j >= i ? bad : l))
        const out = mnistImages({ dims: [count, rows, cols], data: pixels }, { dims: [count], data }, scale)
        expect(out).toEqual(E.left(`label ${bad} at index ${i} is not a digit (labels must be 0..9)`))
      }),
    )
  })

  it('refuses counts that differ, naming both', () => {
    fc.assert(
      fc.property(sample, fc.integer({ min: 1, max: 20 }), ({ count, rows, cols, pixels, scale }, n) => {
        fc.pre(n !== count)
        const out = mnistImages({ dims: [count, rows, cols], data: pixels }, { dims: [n], data: new Uint8Array(n) }, scale)
        expect(out).toEqual(E.left(`the images file holds ${count} images, the labels file ${n} labels (the counts must be equal)`))
      }),
    )
    // The real files' counts: a training images file with the test labels.
    const out = mnistImages({ dims: [10000, 1, 1], data: new Uint8Array(10000) }, { dims: [60000], data: new Uint8Array(60000) }, '0..1')
    expect(out).toEqual(E.left('the images file holds 10000 images, the labels file 60000 labels (the counts must be equal)'))
  })

  it('refuses shapes other than count x rows x cols and count, a bad scale, and a tensor whose data is not its dims', () => {
    const labels = { dims: [2], data: Uint8Array.of(1, 2) }
    const images = { dims: [2, 2, 2], data: new Uint8Array(8) }
    expect(mnistImages({ dims: [2, 4], data: new Uint8Array(8) }, labels, '0..1')).toEqual(
      E.left('the images must have 3 dimensions (count x rows x cols), got 2: 2 x 4'),
    )
    expect(mnistImages(images, { dims: [2, 1], data: Uint8Array.of(1, 2) }, '0..1')).toEqual(E.left('the labels must have 1 dimension (count), got 2: 2 x 1'))
    expect(mnistImages(images, labels, '0..255' as '0..1')).toEqual(E.left(`scale must be '0..1' or '-1..1', got "0..255"`))
    expect(mnistImages({ dims: [2, 2, 2], data: new Uint8Array(7) }, labels, '0..1')).toEqual(E.left('images.data holds 7 bytes, its dims 2 x 2 x 2 promise 8'))
    expect(mnistImages(images, { dims: [2.5], data: Uint8Array.of(1, 2) }, '0..1')).toEqual(E.left('labels.dims must be positive integers, got [2.5]'))
    expect(mnistImages(null as unknown as IdxTensor, labels, '0..1')).toEqual(E.left('images must be an IDX tensor ({ dims, data: Uint8Array }), got null'))
  })

  it('reads files written by encodeIdx end to end', () => {
    const pixels = Uint8Array.from({ length: 2 * 784 }, (_, i) => (i * 7) % 256)
    const images = rightOf(parseIdx(encodeIdx([2, 28, 28], pixels)))
    const labels = rightOf(parseIdx(encodeIdx([2], Uint8Array.of(9, 0))))
    const m = rightOf(mnistImages(images, labels, '0..1'))
    expect([m.rows, m.width, m.pixels.length, Array.from(m.labels)]).toEqual([2, 784, 1568, [9, 0]])
    expect(m.pixels[785]).toBe(((785 * 7) % 256) / 255)
  })
})
