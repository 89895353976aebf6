/**
 * The datasets of docs/datasets.md: each generator against a literal transcription of its
 * documented draw order (one `normal`, `uniform` or `randomInt` at a time), the geometry each
 * promises (modes, circles, the roll's radius), the exact moments against large samples, the
 * config's checks and defaults, and training end to end on every kind.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cos, sin } from '../../src/elementary/index.js'
import * as E from '../../src/fp/either.js'
import { DATA_DEFAULTS, type DataSpec, type GanConfig, dataDistribution, dataModes, dataSize, dataWidth, decodeState, encodeState, makeData, runData, seedConfig, train, validateConfig } from '../../src/gan/index.js'
import { type Matrix, toArrays } from '../../src/matrix/index.js'
import { sampleCovariance, sampleMean } from '../../src/metrics/gaussian.js'
import { type Rng, normal, permutation, randomInt, rngFromSeed, uniform } from '../../src/random/index.js'

const seedArb = fc.integer({ min: 0, max: 2 ** 32 - 1 })

/** `n` normals drawn one at a time (normalMatrix's row-major order). */
const normals = (rng: Rng, n: number): readonly [number[], Rng] => {
  const out: number[] = []
  let r = rng
  for (let i = 0; i < n; i++) {
    const [z, next] = normal(r)
    out.push(z)
    r = next
  }
  return [out, r]
}

const S = Math.sqrt(0.5)
const RING = [[1, 0], [S, S], [0, 1], [-S, S], [-1, 0], [-S, -S], [0, -1], [S, -S]]
const GRID = Array.from({ length: 25 }, (_, k) => [2 * Math.floor(k / 5) - 4, 2 * (k % 5) - 4])

/** The mixtures as docs/datasets.md writes them: modes first (randomInt), then the normals. */
const mixtureByHand = (kind: 'ring8' | 'grid25', size: number, std: number, rng: Rng): readonly [number[][], Rng] => {
  const modes = kind === 'ring8' ? RING : GRID
  const ks: number[] = []
  let r = rng
  for (let i = 0; i < size; i++) {
    const [k, next] = randomInt(r, modes.length)
    ks.push(k)
    r = next
  }
  const [z, after] = normals(r, 2 * size)
  return [ks.map((k, i) => [modes[k]![0]! + std * z[2 * i]!, modes[k]![1]! + std * z[2 * i + 1]!]), after]
}

const swissRollByHand = (size: number, noise: number, scale: number, rng: Rng): readonly [number[][], Rng] => {
  const us: number[] = []
  let r = rng
  for (let i = 0; i < size; i++) {
    const [u, next] = uniform(r)
    us.push(u)
    r = next
  }
  const [z, after] = normals(r, 2 * size)
  return [
    us.map((u, i) => {
      const t = 1.5 * Math.PI * (1 + 2 * u)
      return [(t * cos(t) + noise * z[2 * i]!) / scale, (t * sin(t) + noise * z[2 * i + 1]!) / scale]
    }),
    after,
  ]
}

const moonsByHand = (size: number, noise: number, rng: Rng): readonly [number[][], Rng] => {
  const nOut = Math.floor(size / 2)
  const nIn = size - nOut
  const lin = (m: number): number[] => (m === 1 ? [0] : Array.from({ length: m }, (_, j) => (j === m - 1 ? Math.PI : j * (Math.PI / (m - 1)))))
  const points = [...(nOut === 0 ? [] : lin(nOut).map((t) => [cos(t), sin(t)])), ...lin(nIn).map((t) => [1 - cos(t), 1 - sin(t) - 0.5])]
  const [order, r] = permutation(rng, size)
  const [z, after] = normals(r, 2 * size)
  return [order.map((p, i) => [points[p]![0]! + noise * z[2 * i]!, points[p]![1]! + noise * z[2 * i + 1]!]), after]
}

const sameBits = (m: Matrix, rows: ReadonlyArray<ReadonlyArray<number>>): void => {
  expect(m.rows).toBe(rows.length)
  const got = toArrays(m)
  rows.forEach((row, i) => row.forEach((v, j) => {
    if (!Object.is(got[i]![j], v)) expect.fail(`row ${i}, column ${j}: ${got[i]![j]} vs ${v}`)
  }))
}

const sameRng = (a: Rng, b: Rng): void => expect(a.state).toEqual(b.state)

describe('the datasets against their transcriptions', () => {
  it('ring8 and grid25: a mode per row (randomInt, in order), then std·N(0, I), bit for bit, and the stream where the transcription leaves it', () => {
    fc.assert(
      fc.property(fc.constantFrom('ring8' as const, 'grid25' as const), fc.integer({ min: 1, max: 60 }), fc.double({ min: 1e-6, max: 3, noNaN: true }), seedArb, (kind, size, std, seed) => {
        const [m, next] = makeData({ kind, size, std }, rngFromSeed(seed))
        const [rows, after] = mixtureByHand(kind, size, std, rngFromSeed(seed))
        sameBits(m, rows)
        sameRng(next, after)
      }),
    )
  })

  it('swissroll: u per row, then N(0, I); ((t cos t + noise z1)/scale, (t sin t + noise z2)/scale) with t = 1.5π(1 + 2u), bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 2, noNaN: true }), fc.double({ min: 0.1, max: 20, noNaN: true }), seedArb, (size, noise, scale, seed) => {
        const [m, next] = makeData({ kind: 'swissroll', size, noise, scale }, rngFromSeed(seed))
        const [rows, after] = swissRollByHand(size, noise, scale, rngFromSeed(seed))
        sameBits(m, rows)
        sameRng(next, after)
      }),
    )
  })

  it("moons: scikit-learn's half circles at numpy's linspace, outer first, shuffled by permutation, then noise·N(0, I), bit for bit", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), seedArb, (size, noise, seed) => {
        const [m, next] = makeData({ kind: 'moons', size, noise }, rngFromSeed(seed))
        const [rows, after] = moonsByHand(size, noise, rngFromSeed(seed))
        sameBits(m, rows)
        sameRng(next, after)
      }),
    )
  })

  it('a table is its rows, in order, and leaves the stream untouched', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((w) => fc.array(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: w, maxLength: w }), { minLength: 1, maxLength: 20 })), seedArb, (rows, seed) => {
        const [m, next] = makeData({ kind: 'table', rows }, rngFromSeed(seed))
        sameBits(m, rows)
        sameRng(next, rngFromSeed(seed))
      }),
    )
  })
})

describe('the geometry each dataset promises', () => {
  it("ring8's modes are 8 distinct points on the unit circle at angles 2πk/8 (within an ulp of cos and sin), and grid25's the 25 points of {-4,-2,0,2,4}²", () => {
    const ring = toArrays(dataModes({ kind: 'ring8', size: 1, std: 0.01 })!.modes)
    expect(new Set(ring.map((p) => p.join(','))).size).toBe(8)
    ring.forEach(([x, y], k) => {
      expect(Math.abs(x! - Math.cos((2 * Math.PI * k) / 8))).toBeLessThan(1e-15)
      expect(Math.abs(y! - Math.sin((2 * Math.PI * k) / 8))).toBeLessThan(1e-15)
    })
    const grid = toArrays(dataModes({ kind: 'grid25', size: 1, std: 0.05 })!.modes)
    expect(grid).toEqual(GRID)
    expect(dataModes(seedConfig.data)).toBeUndefined()
    expect(dataModes({ kind: 'swissroll', size: 2, noise: 0, scale: 1 })).toBeUndefined()
  })

  it('with small std every point of a mixture lies nearest its own mode, and each mode draws about 1/K of the points', () => {
    for (const kind of ['ring8', 'grid25'] as const) {
      const n = 20_000
      const data = toArrays(makeData({ kind, size: n, std: 0.01 }, rngFromSeed(7))[0])
      const modes = kind === 'ring8' ? RING : GRID
      const counts = new Array<number>(modes.length).fill(0)
      for (const [x, y] of data) {
        const dist = modes.map(([a, b]) => (x! - a!) ** 2 + (y! - b!) ** 2)
        const k = dist.indexOf(Math.min(...dist))
        expect(Math.sqrt(dist[k]!)).toBeLessThan(0.01 * 8.3 * Math.SQRT2)
        counts[k]!++
      }
      // binomial(n, 1/K): every count within 5 standard deviations of n/K
      const p = 1 / modes.length
      for (const c of counts) expect(Math.abs(c - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)))
    }
  })

  it('noiseless moons lie on their circles: outer x² + y² = 1, inner (x − 1)² + (y − 1/2)² = 1, with y ≥ 0 outside and y ≤ 1/2 inside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 200 }), seedArb, (size, seed) => {
        const rows = toArrays(makeData({ kind: 'moons', size, noise: 0 }, rngFromSeed(seed))[0])
        let outer = 0
        for (const [x, y] of rows) {
          const onOuter = Math.abs(x! * x! + y! * y! - 1) < 1e-15 && y! >= 0
          const onInner = Math.abs((x! - 1) ** 2 + (y! - 0.5) ** 2 - 1) < 1e-15 && y! <= 0.5 + 1e-16
          expect(onOuter || onInner).toBe(true)
          if (onOuter && !onInner) outer++
        }
        // the two circles cross at 2 points only, so all but at most 2 points are told apart
        expect(Math.abs(outer - Math.floor(size / 2))).toBeLessThanOrEqual(2)
      }),
    )
  })

  it('the noiseless swiss roll lies on the spiral r = t/scale with t in [1.5π, 4.5π)', () => {
    const rows = toArrays(makeData({ kind: 'swissroll', size: 500, noise: 0, scale: 7.5 }, rngFromSeed(3))[0])
    for (const [x, y] of rows) {
      const t = 7.5 * Math.hypot(x!, y!)
      expect(t).toBeGreaterThanOrEqual(1.5 * Math.PI - 1e-12)
      expect(t).toBeLessThan(4.5 * Math.PI + 1e-12)
      expect(Math.abs(x! - (t * Math.cos(t)) / 7.5)).toBeLessThan(1e-12)
    }
  })

  it('the exact moments of ring8 and grid25 match large samples (5 standard errors), and are undefined where there is no closed form', () => {
    for (const [kind, std] of [['ring8', 0.3], ['grid25', 0.5]] as const) {
      const spec = { kind, size: 200_000, std }
      const x = makeData(spec, rngFromSeed(11))[0]
      const exact = dataDistribution(spec)!
      const v = exact.covariance.data[0]!
      const mean = sampleMean(x).data
      const cov = sampleCovariance(x).data
      const se = Math.sqrt(v / spec.size)
      expect(Math.abs(mean[0]!)).toBeLessThan(5 * se)
      expect(Math.abs(mean[1]!)).toBeLessThan(5 * se)
      // the variance of a sample variance is at most E[x⁴]/n: bounded by (max |mode| + 9 std)⁴ / n
      const seVar = Math.sqrt((kind === 'ring8' ? 1 + 9 * std : 4 + 9 * std) ** 4 / spec.size)
      expect(Math.abs(cov[0]! - v)).toBeLessThan(5 * seVar)
      expect(Math.abs(cov[3]! - v)).toBeLessThan(5 * seVar)
      expect(Math.abs(cov[1]!)).toBeLessThan(5 * seVar)
    }
    expect(dataDistribution({ kind: 'moons', size: 2, noise: 0.1 })).toBeUndefined()
    expect(dataDistribution({ kind: 'table', rows: [[1], [2], [3], [4]] })).toBeUndefined()
  })

  it('dataWidth and dataSize', () => {
    expect([dataWidth(seedConfig.data), dataSize(seedConfig.data)]).toEqual([2, 1000])
    expect([dataWidth({ kind: 'table', rows: [[1, 2, 3], [4, 5, 6]] }), dataSize({ kind: 'table', rows: [[1, 2, 3], [4, 5, 6]] })]).toEqual([3, 2])
    expect([dataWidth({ kind: 'moons', size: 7, noise: 0 }), dataSize({ kind: 'moons', size: 7, noise: 0 })]).toEqual([2, 7])
  })
})

const withData = (data: unknown): unknown => ({ ...seedConfig, data })
const problems = (data: unknown): ReadonlyArray<string> => {
  const r = validateConfig(withData(data))
  return E.isLeft(r) ? r.left : []
}

describe('the config of each dataset', () => {
  it('fills in the defaults, so that run.json says what was used', () => {
    const filled = (data: unknown): unknown => {
      const r = validateConfig(withData(data))
      return E.isRight(r) ? r.right.data : r.left
    }
    expect(filled({ kind: 'ring8', size: 100 })).toEqual({ kind: 'ring8', size: 100, std: DATA_DEFAULTS.ring8.std })
    expect(filled({ kind: 'grid25', size: 100 })).toEqual({ kind: 'grid25', size: 100, std: 0.05 })
    expect(filled({ kind: 'swissroll', size: 100 })).toEqual({ kind: 'swissroll', size: 100, noise: 0.25, scale: 7.5 })
    expect(filled({ kind: 'moons', size: 100 })).toEqual({ kind: 'moons', size: 100, noise: 0.1 })
    expect(filled({ kind: 'moons', size: 100, noise: 0 })).toEqual({ kind: 'moons', size: 100, noise: 0 })
    expect(filled({ kind: 'table', rows: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16]] })).toEqual({ kind: 'table', rows: [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14], [15, 16]] })
  })

  it('refuses each bad field with one message naming it and what is allowed', () => {
    expect(problems({ kind: 'rings', size: 10 })).toEqual(['data.kind must be one of affine-gaussian, ring8, grid25, swissroll, moons, table, mnist, got "rings"'])
    expect(problems({ kind: 'ring8', size: 0 })).toContain('data.size must be an integer in 1..10000000, got 0')
    expect(problems({ kind: 'ring8', size: 10, std: 0 })).toEqual(["data.std must be a finite number > 0 (each mode's standard deviation), got 0"])
    expect(problems({ kind: 'grid25', size: 10, std: Number.NaN })).toEqual(["data.std must be a finite number > 0 (each mode's standard deviation), got NaN"])
    expect(problems({ kind: 'swissroll', size: 10, noise: -1 })).toEqual(['data.noise must be a finite number >= 0 (the standard deviation of the noise), got -1'])
    expect(problems({ kind: 'swissroll', size: 10, scale: 0 })).toEqual(['data.scale must be a finite number > 0 (the roll is divided by it), got 0'])
    expect(problems({ kind: 'moons', size: 1 })[0]).toBe('data.size must be an integer in 2..10000000 (the summary fits a Gaussian to the real data), got 1')
    expect(problems({ kind: 'ring8', size: 10, noise: 1 })).toEqual(['unknown config field "data.noise"; known fields of ring8 data: kind, size, std'])
    expect(problems({ kind: 'table', rows: [[1, 2], [3], [4, 5], [6, 7]] })[0]).toBe('data.rows[1] must be an array of 2 finite numbers (as many as data.rows[0]), got [3]')
    expect(problems({ kind: 'table', rows: [[1, 2], [3, Number.POSITIVE_INFINITY], [4, 5], [6, 7]] })[0]).toBe('data.rows[1][1] must be a finite number, got Infinity')
    expect(problems({ kind: 'table', rows: [[1, 2], [3, 4], [5, 6]] })[0]).toMatch(/^data\.rows must be an array of at least 4 rows/)
    expect(problems({ kind: 'table', rows: [[], [], [], []] })[0]).toBe('data.rows[0] must be a non-empty array of finite numbers, got []')
    expect(problems({ kind: 'table', rows: [[1, 2], [3, 4], [5, 6], [7, 8]], size: 2 })[0]).toBe('unknown config field "data.size"; known fields of table data: kind, rows')
    expect(problems({ kind: 'ring8', size: 10, std: 1e300 })[0]).toMatch(/^data: its entries can reach .* more than the limit of/)
  })

  it("G's last layer must be as wide as a table's rows", () => {
    const rows = [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5]]
    expect(problems({ kind: 'table', rows })).toContain("generator.layers: the last layer must have 3 units (the data's width), got 2")
  })
})

describe('training on every dataset', () => {
  const specs: ReadonlyArray<DataSpec> = [
    { kind: 'ring8', size: 64, std: 0.01 },
    { kind: 'grid25', size: 64, std: 0.05 },
    { kind: 'swissroll', size: 64, noise: 0.25, scale: 7.5 },
    { kind: 'moons', size: 64, noise: 0.1 },
    { kind: 'table', rows: Array.from({ length: 64 }, (_, i) => [i / 64, ((i * 7) % 64) / 64]) },
  ]
  it('trains two epochs deterministically, runData is makeData on the data stream, and the final state survives the codec', () => {
    for (const data of specs) {
      const config: GanConfig = { ...seedConfig, epochs: 2, data }
      const a = train(config)
      const b = train(config)
      expect(encodeState(a.state)).toBe(encodeState(b.state))
      expect(a.history).toHaveLength(2)
      const decoded = decodeState(encodeState(a.state))
      expect(E.isRight(decoded) && encodeState(decoded.right) === encodeState(a.state)).toBe(true)
      expect(runData(config).rows).toBe(64)
    }
  })
})
