/**
 * MNIST as a run's data (config `data: { kind: 'mnist', digest, ... }`, issue 18): the config
 * names the images by digest and the caller supplies them (`MnistSource`). These properties
 * build small IDX tensors of their own, check the split against its definition (a partition
 * of the images by one permutation of the data stream, pixels scaled with one rounding),
 * that training and the metrics use exactly those rows, and every refusal.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/fp/either.js'
import { type GanConfig, type MnistData, type MnistSource, seedConfig, validateConfig } from '../../src/gan/config.js'
import { dataSize, dataWidth, makeData } from '../../src/gan/data.js'
import { mnistComparisonRows, mnistSourceProblem, mnistSplit } from '../../src/gan/digits.js'
import { runMetrics } from '../../src/gan/run-metrics.js'
import { summarizeGenerator } from '../../src/gan/evaluate.js'
import { initialState, runData, runStreams } from '../../src/gan/state.js'
import { train, trainEpochs } from '../../src/gan/train.js'
import { type Matrix, toFlat } from '../../src/matrix/index.js'
import { permutation } from '../../src/random/permutation.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { encodeState } from '../../src/gan/codec.js'

const DIGEST = 'c'.repeat(64)

/** `count` images of `rows x cols` random bytes, labels random digits. */
const sources = (count: fc.Arbitrary<number>): fc.Arbitrary<MnistSource> =>
  fc
    .record({ count, rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }) })
    .chain(({ count, rows, cols }) =>
      fc.record({
        pixels: fc.uint8Array({ minLength: count * rows * cols, maxLength: count * rows * cols }),
        labels: fc.uint8Array({ minLength: count, maxLength: count, max: 9 }),
      }).map(({ pixels, labels }) => ({
        digest: DIGEST,
        train: { images: { dims: [count, rows, cols], data: pixels }, labels: { dims: [count], data: labels } },
      })),
    )

const specFor = (source: MnistSource, size: number, validation: number, scale: '0..1' | '-1..1'): MnistData => {
  const [, rows, cols] = source.train.images.dims as [number, number, number]
  return { kind: 'mnist', digest: DIGEST, width: rows * cols, size, validation, scale }
}

/** A source with its spec: `validation + size <= count`, `size >= 2`. */
const sourcesWithSpecs = sources(fc.integer({ min: 2, max: 40 })).chain((source) => {
  const count = source.train.images.dims[0] as number
  return fc
    .record({ size: fc.integer({ min: 2, max: count }), scale: fc.constantFrom('0..1' as const, '-1..1' as const), seed: fc.nat(1000) })
    .chain(({ size, scale, seed }) => fc.integer({ min: 0, max: count - size }).map((validation) => ({ source, spec: specFor(source, size, validation, scale), seed })))
})

/** The definition: p/255 or (2p − 255)/255, one rounding. */
const scaled = (p: number, scale: '0..1' | '-1..1'): number => (scale === '0..1' ? p / 255 : (2 * p - 255) / 255)

/** Row `r` of `m` as plain numbers. */
const row = (m: Matrix, r: number): number[] => Array.from(toFlat(m)).slice(r * m.cols, (r + 1) * m.cols)

/** Image `i` of the source, scaled. */
const image = (source: MnistSource, i: number, scale: '0..1' | '-1..1'): number[] => {
  const [, rows, cols] = source.train.images.dims as [number, number, number]
  const w = rows * cols
  return Array.from(source.train.images.data.subarray(i * w, (i + 1) * w), (p) => scaled(p, scale))
}

describe('mnistSplit', () => {
  it('is the definition: one permutation of the images, validation first, then the training rows, scaled', () => {
    fc.assert(
      fc.property(sourcesWithSpecs, ({ source, spec, seed }) => {
        const rng = rngFromSeed(seed)
        const [split, next] = mnistSplit(spec, source, rng)
        const [order, after] = permutation(rng, source.train.images.dims[0] as number)
        expect(next).toEqual(after)
        expect([split.validation.rows, split.train.rows, split.train.cols]).toEqual([spec.validation, spec.size, spec.width])
        for (let r = 0; r < spec.validation; r++) {
          expect(row(split.validation, r)).toEqual(image(source, order[r] as number, spec.scale))
          expect(split.validationLabels[r]).toBe(source.train.labels.data[order[r] as number])
        }
        for (let r = 0; r < spec.size; r++) {
          const i = order[spec.validation + r] as number
          expect(row(split.train, r)).toEqual(image(source, i, spec.scale))
          expect(split.trainLabels[r]).toBe(source.train.labels.data[i])
        }
      }),
    )
  })

  it("is makeData's and runData's training data, from the run's data stream", () => {
    fc.assert(
      fc.property(sourcesWithSpecs, ({ source, spec, seed }) => {
        const config = { ...seedConfig, seed, batchSize: 2, latentDim: 2, data: spec, generator: { layers: [{ units: spec.width, activation: { kind: 'sigmoid' } }] } } as GanConfig
        const data = runData(config, source)
        expect(Array.from(toFlat(data))).toEqual(Array.from(toFlat(mnistSplit(spec, source, runStreams(seed).data)[0].train)))
        expect(toFlat(makeData(spec, runStreams(seed).data, source)[0])).toEqual(toFlat(data))
        expect([dataWidth(spec), dataSize(spec)]).toEqual([spec.width, spec.size])
      }),
      { numRuns: 30 },
    )
  })

  it('never leaves [0, 1] or [−1, 1], and maps 0 and 255 to the ends exactly', () => {
    const source: MnistSource = { digest: DIGEST, train: { images: { dims: [2, 1, 2], data: Uint8Array.of(0, 255, 255, 0) }, labels: { dims: [2], data: Uint8Array.of(0, 1) } } }
    for (const scale of ['0..1', '-1..1'] as const) {
      const [split] = mnistSplit(specFor(source, 2, 0, scale), source, rngFromSeed(0))
      expect(new Set(toFlat(split.train))).toEqual(new Set(scale === '0..1' ? [0, 1] : [-1, 1]))
    }
  })
})

describe('mnistSourceProblem: every misfit of the images supplied is one line, and the data refuses it', () => {
  const source: MnistSource = {
    digest: DIGEST,
    train: { images: { dims: [5, 2, 2], data: new Uint8Array(20) }, labels: { dims: [5], data: Uint8Array.of(0, 1, 2, 3, 4) } },
  }
  const spec = specFor(source, 3, 2, '0..1')
  const cases: ReadonlyArray<readonly [string, MnistData, MnistSource | undefined, RegExp]> = [
    ['no images', spec, undefined, /^the config's data is mnist \(digest cccccccccccc\.\.\.\): its images must be supplied/],
    ['other images', spec, { ...source, digest: 'd'.repeat(64) }, /the images supplied have digest dddddddddddd\.\.\.: they are other images than the run's$/],
    ['another width', { ...spec, width: 5 }, source, /^the images supplied are 2x2 = 4 pixels, the config's data\.width is 5$/],
    ['too few images', { ...spec, size: 4 }, source, /^data\.validation \+ data\.size is 2 \+ 4 = 6, more than the 5 images supplied$/],
    [
      'labels of another count',
      spec,
      { ...source, train: { ...source.train, labels: { dims: [4], data: Uint8Array.of(0, 1, 2, 3) } } },
      /^the images supplied: the images file holds 5 images, the labels file 4 labels \(the counts must be equal\)$/,
    ],
    ['a label that is no digit', spec, { ...source, train: { ...source.train, labels: { dims: [5], data: Uint8Array.of(0, 1, 2, 3, 10) } } }, /is not a digit/],
  ]
  it.each(cases)('%s', (_, s, src, message) => {
    expect(mnistSourceProblem(s, src)).toMatch(message)
    expect(() => mnistSplit(s, src, rngFromSeed(0))).toThrow(RangeError)
    expect(() => makeData(s, rngFromSeed(0), src)).toThrow(message)
  })
  it('accepts a source that fits', () => {
    expect(mnistSourceProblem(spec, source)).toBeUndefined()
  })
})

describe('validateConfig: mnist data', () => {
  const base = { ...seedConfig, latentDim: 2, generator: { layers: [{ units: 4, activation: { kind: 'sigmoid' } }] } } as GanConfig
  const withData = (data: unknown): unknown => ({ ...base, data })

  it('fills in validation 10 000 and scale 0..1, and keeps what is given', () => {
    const v = validateConfig(withData({ kind: 'mnist', digest: DIGEST, width: 4, size: 100 }))
    expect(E.isRight(v) && v.right.data).toEqual({ kind: 'mnist', digest: DIGEST, width: 4, size: 100, validation: 10000, scale: '0..1' })
    const w = validateConfig(withData({ kind: 'mnist', digest: DIGEST, width: 4, size: 100, validation: 0, scale: '-1..1' }))
    expect(E.isRight(w) && w.right.data).toEqual({ kind: 'mnist', digest: DIGEST, width: 4, size: 100, validation: 0, scale: '-1..1' })
  })

  const refusals: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['a short digest', { digest: 'abc' }, /data\.digest must be the SHA-256 of the training images file, 64 lower-case hexadecimal digits, got "abc"/],
    ['an upper-case digest', { digest: 'C'.repeat(64) }, /data\.digest must be/],
    ['width 0', { width: 0 }, /data\.width must be an integer in 1\.\.67108864 \(the pixels of one image, 784 for MNIST\), got 0/],
    ['size 1', { size: 1 }, /data\.size must be an integer in 2\.\.67108864 \(the training images used\), got 1/],
    ['a fractional validation', { validation: 2.5 }, /data\.validation must be an integer in 0\.\.67108864 \(the training images held out\), got 2\.5/],
    ['another scale', { scale: '0..255' }, /data\.scale must be '0\.\.1' or '-1\.\.1' \(the pixels' range\), got "0\.\.255"/],
    ['an unknown key', { pixels: [] }, /unknown config field "data\.pixels"; known fields of mnist data: kind, digest, width, size, validation, scale/],
    ["G's output of another width", { width: 5 }, /generator\.layers: the last layer must have 5 units \(the data's width\), got 4/],
  ]
  it.each(refusals)('refuses %s', (_, change, message) => {
    const v = validateConfig(withData({ kind: 'mnist', digest: DIGEST, width: 4, size: 100, ...(change as object) }))
    expect(E.isLeft(v) && v.left.join('\n')).toMatch(message)
  })
})

describe('training and measuring on supplied images', () => {
  const source: MnistSource = {
    digest: DIGEST,
    train: {
      images: { dims: [30, 2, 2], data: Uint8Array.from({ length: 120 }, (_, i) => (i * 37) % 256) },
      labels: { dims: [30], data: Uint8Array.from({ length: 30 }, (_, i) => i % 10) },
    },
  }
  const config = {
    ...seedConfig,
    epochs: 2,
    batchSize: 5,
    latentDim: 3,
    data: specFor(source, 20, 8, '0..1'),
    generator: { layers: [{ units: 6, activation: { kind: 'relu' } }, { units: 4, activation: { kind: 'sigmoid' } }] },
  } as GanConfig

  it('train is trainEpochs on runData, and the same bits twice', () => {
    const a = train(config, undefined, source)
    const b = trainEpochs(initialState(config), runData(config, source), config.epochs)
    expect(encodeState(a.state)).toBe(encodeState(b.state))
    expect(encodeState(train(config, undefined, source).state)).toBe(encodeState(a.state))
  })

  it('train without the images, or with other images, refuses with the line', () => {
    expect(() => train(config)).toThrow(/its images must be supplied/)
    expect(() => train(config, undefined, { ...source, digest: 'e'.repeat(64) })).toThrow(/other images than the run's/)
  })

  it("runMetrics compares with held-out digits: rows of the validation split, chosen by the metrics' draw", () => {
    const { state } = train(config, undefined, source)
    const m = runMetrics(state, source)
    expect(m.mmd.samples).toBe(8)
    expect(m.modes).toBeUndefined()
    const [split] = mnistSplit(config.data as MnistData, source, runStreams(config.seed).data)
    const held = new Set(Array.from({ length: split.validation.rows }, (_, r) => row(split.validation, r).join(',')))
    const rows = mnistComparisonRows(config.data as MnistData, source, runStreams(config.seed).data, rngFromSeed(5), 3)
    expect(rows.rows).toBe(3)
    for (let r = 0; r < 3; r++) expect(held.has(row(rows, r).join(','))).toBe(true)
    expect(() => runMetrics(state)).toThrow(/its images must be supplied/)
    expect(() => summarizeGenerator(state)).toThrow(/^summarizeGenerator: a run on MNIST has no pixel-space summary/)
  })

  it('without a validation split, the comparison rows are training rows', () => {
    const spec = { ...(config.data as MnistData), validation: 0 }
    const [split] = mnistSplit(spec, source, runStreams(1).data)
    const trainRows = new Set(Array.from({ length: split.train.rows }, (_, r) => row(split.train, r).join(',')))
    const rows = mnistComparisonRows(spec, source, runStreams(1).data, rngFromSeed(2), 50)
    expect(rows.rows).toBe(20)
    for (let r = 0; r < rows.rows; r++) expect(trainRows.has(row(rows, r).join(','))).toBe(true)
  })
})
