/**
 * Properties of src/random: purity and replay, the raw stream against an independent BigInt
 * transcription of the reference C code of xoroshiro128+ and SplitMix64, the jump against a
 * GF(2) matrix power, the distributions against statistical tests at fixed seeds, and
 * AS 241 against an independent Φ and against quantiles computed with mpmath.
 *
 * Statistical tests run at fixed seeds, so they are deterministic: each would fail for 1 %
 * of seeds even with a perfect generator, and the chosen seeds are simply not among those.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Rng,
  inverseNormalCdf,
  nextUint32,
  normal,
  normalMatrix,
  permutation,
  randomInt,
  rngFromSeed,
  rngFromState,
  split,
  splitN,
  uniform,
  uniforms,
  validateSeed,
  validateState,
} from '../../src/random/index.js'
import { normalFromUint53 } from '../../src/random/normal.js'
import { generatorOf, rngOf } from '../../src/random/rng.js'
import { as241, as241Central, as241Far, as241Intermediate, as241OfP, decimal22, mantissaHash } from '../support/as241.js'
import * as elementary from '../../src/elementary/index.js'

// -------------------------------------------------------------------------------------
// independent reference: xoroshiro128+ and SplitMix64 in BigInt, from the reference C code
// (prng.di.unimi.it/xoroshiro128plus.c, 2018 version, and splitmix64.c). Shares no code
// with pure-rand or src/random.
// -------------------------------------------------------------------------------------

const MASK64 = (1n << 64n) - 1n
const MASK32 = (1n << 32n) - 1n

/** `[s[0], s[1]]`, the two 64-bit words of the C code. */
type RefState = readonly [bigint, bigint]

const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (64n - k))) & MASK64

/** `next()` of xoroshiro128plus.c: `[s[0] + s[1], next state]`. */
const refNext = ([s0, s1In]: RefState): readonly [bigint, RefState] => {
  const result = (s0 + s1In) & MASK64
  const s1 = s1In ^ s0
  return [result, [rotl(s0, 24n) ^ s1 ^ ((s1 << 16n) & MASK64), rotl(s1, 37n)]]
}

/** `jump()` of xoroshiro128plus.c: equivalent to 2^64 calls to `next()`. */
const REF_JUMP = [0xdf900294d8f554a5n, 0x170865df4b3201fcn] as const
const refJump = (s: RefState): RefState => {
  let a = 0n
  let b = 0n
  let cur = s
  for (const word of REF_JUMP) {
    for (let bit = 0n; bit < 64n; bit++) {
      if (((word >> bit) & 1n) === 1n) {
        a ^= cur[0]
        b ^= cur[1]
      }
      cur = refNext(cur)[1]
    }
  }
  return [a, b]
}

/** splitmix64.c: `[output, next counter]`. */
const refSplitmix64 = (x: bigint): readonly [bigint, bigint] => {
  const next = (x + 0x9e3779b97f4a7c15n) & MASK64
  let z = next
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
  return [z ^ (z >> 31n), next]
}

const refFromSeed = (seed: number): RefState => {
  const [a, c] = refSplitmix64(BigInt(seed))
  const [b] = refSplitmix64(c)
  return [a, b]
}

/** pure-rand's state layout `[s0 hi, s0 lo, s1 hi, s1 lo]` (int32) to and from the C words. */
const refFromInt32s = (st: ReadonlyArray<number>): RefState => [
  (BigInt((st[0] as number) >>> 0) << 32n) | BigInt((st[1] as number) >>> 0),
  (BigInt((st[2] as number) >>> 0) << 32n) | BigInt((st[3] as number) >>> 0),
]
const int32sFromRef = ([a, b]: RefState): number[] => [
  Number(BigInt.asIntN(32, a >> 32n)),
  Number(BigInt.asIntN(32, a)),
  Number(BigInt.asIntN(32, b >> 32n)),
  Number(BigInt.asIntN(32, b)),
]

/** The first `n` 32-bit outputs the library should produce: the low halves of `next()`. */
const refUint32s = (s: RefState, n: number): readonly [number[], RefState] => {
  const out: number[] = []
  let cur = s
  for (let i = 0; i < n; i++) {
    const [r, next] = refNext(cur)
    out.push(Number(r & MASK32))
    cur = next
  }
  return [out, cur]
}

/** The 53-bit integer of a uniform from two outputs, in BigInt bit operations. */
const refUint53 = (hi: number, lo: number): bigint => ((BigInt(hi) >> 5n) << 26n) | (BigInt(lo) >> 6n)

// -------------------------------------------------------------------------------------
// the jump as a GF(2) matrix power: T is linear over GF(2) on the 128-bit state
// v = s[0] | s[1] << 64, so T^(2^64) is 64 squarings of its 128x128 bit matrix.
// -------------------------------------------------------------------------------------

const toVec = ([a, b]: RefState): bigint => a | (b << 64n)
const fromVec = (v: bigint): RefState => [v & MASK64, v >> 64n]

/** A linear map as the images of the 128 unit vectors. */
type BitMatrix = ReadonlyArray<bigint>
const applyBits = (m: BitMatrix, v: bigint): bigint => {
  let out = 0n
  for (let i = 0; v !== 0n; i++, v >>= 1n) if ((v & 1n) === 1n) out ^= m[i] as bigint
  return out
}
const transition: BitMatrix = Array.from({ length: 128 }, (_, i) => toVec(refNext(fromVec(1n << BigInt(i)))[1]))
const jumpMatrix: BitMatrix = (() => {
  let m = transition
  for (let k = 0; k < 64; k++) {
    const sq = m
    m = sq.map((col) => applyBits(sq, col)) // (T^(2^k))² = T^(2^(k+1))
  }
  return m
})()

// -------------------------------------------------------------------------------------
// independent standard normal CDF (no shared code with AS 241)
// -------------------------------------------------------------------------------------

const INV_SQRT_2PI = 0.3989422804014327

/** φ(x), with x² split as Cody does so that exp sees an exact square plus a small rest. */
const pdf = (x: number): number => {
  const xs = Math.trunc(x * 16) / 16
  const rest = (x - xs) * (x + xs)
  return INV_SQRT_2PI * Math.exp((-xs * xs) / 2) * Math.exp(-rest / 2)
}

/**
 * Q(x) = 1 - Φ(x) for x >= 0.
 * - x < 1: Q = 1/2 - φ(x)·Σ x^(2n+1)/(1·3·…·(2n+1))  (Abramowitz & Stegun 26.2.11).
 * - x >= 1: Laplace's continued fraction Q = φ(x) / (x + 1/(x + 2/(x + 3/(x + …))))
 *   (A&S 26.2.14), evaluated bottom-up from 1000 terms (converged to 1e-17 for x >= 1).
 * Checked against mpmath at 40 digits: relative error below 1.3e-15 for 0 <= x <= 37.5.
 */
const upperTail = (x: number): number => {
  if (x < 1) {
    let term = x
    let s = x
    for (let n = 1; term > 1e-18 * s; n++) {
      term = (term * x * x) / (2 * n + 1)
      s += term
    }
    return 0.5 - pdf(x) * s
  }
  let t = x
  for (let k = 1000; k >= 1; k--) t = x + k / t
  return pdf(x) / t
}

const cdf = (z: number): number => (z < 0 ? upperTail(-z) : 1 - upperTail(z))

const EPS = 2 ** -52

// -------------------------------------------------------------------------------------
// helpers and arbitraries
// -------------------------------------------------------------------------------------

const seedArb = fc.integer({ min: 0, max: 0xffffffff })
const int32Arb = fc.integer({ min: -2147483648, max: 2147483647 })
const stateArb = fc.tuple(int32Arb, int32Arb, int32Arb, int32Arb).filter((s) => s.some((x) => x !== 0))
/** Seeded generators and generators at arbitrary states. */
const rngArb: fc.Arbitrary<Rng> = fc.oneof(seedArb.map(rngFromSeed), stateArb.map(rngFromState))

/** `n` successive draws of `draw`, and the generator after them. */
const drawMany = <A>(draw: (r: Rng) => readonly [A, Rng], rng: Rng, n: number): readonly [A[], Rng] => {
  const out: A[] = []
  let r = rng
  for (let i = 0; i < n; i++) {
    const [a, next] = draw(r)
    out.push(a)
    r = next
  }
  return [out, r]
}

const FIXED_SEED = 20240601

/** Kolmogorov–Smirnov D_n = sup |F_n - F| of a sample against a continuous CDF. */
const ksStatistic = (sample: ArrayLike<number>, F: (x: number) => number): number => {
  const sorted = Float64Array.from(sample).sort()
  const n = sorted.length
  let d = 0
  for (let i = 0; i < n; i++) {
    const f = F(sorted[i] as number)
    d = Math.max(d, (i + 1) / n - f, f - i / n)
  }
  return d
}
/** Asymptotic 1 % critical value of D_n: 1.628 / sqrt(n). */
const ksCritical1 = (n: number): number => 1.628 / Math.sqrt(n)

const chiSquare = (counts: ReadonlyArray<number>, expected: number): number =>
  counts.reduce((s, c) => s + ((c - expected) * (c - expected)) / expected, 0)

// -------------------------------------------------------------------------------------
// seeds, states, validation
// -------------------------------------------------------------------------------------

describe('rngFromSeed / rngFromState / validation', () => {
  it('the same seed gives the same stream', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        expect(drawMany(nextUint32, rngFromSeed(seed), 16)).toEqual(drawMany(nextUint32, rngFromSeed(seed), 16))
      }),
    )
  })

  it('expands the seed with SplitMix64: state = its first two outputs (published test vector for 0)', () => {
    // splitmix64.c started at 0 outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4.
    expect(rngFromSeed(0).state).toEqual(int32sFromRef([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n]))
    fc.assert(
      fc.property(seedArb, (seed) => {
        expect(rngFromSeed(seed).state).toEqual(int32sFromRef(refFromSeed(seed)))
      }),
    )
  })

  it('an Rng is frozen plain data that survives JSON and rngFromState', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        expect(Object.isFrozen(rng)).toBe(true)
        expect(Object.isFrozen(rng.state)).toBe(true)
        expect(rng.algorithm).toBe('xoroshiro128plus')
        expect(rngFromState(rng.state)).toEqual(rng)
        const revived = JSON.parse(JSON.stringify(rng)) as Rng
        expect(revived).toEqual(rng)
        expect(drawMany(uniform, rngFromState(revived.state), 4)).toEqual(drawMany(uniform, rng, 4))
      }),
    )
  })

  it('rejects seeds outside 0..4294967295 with the range and the value in the message', () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5]) {
      expect(() => rngFromSeed(bad)).toThrow(RangeError)
      expect(() => rngFromSeed(bad)).toThrow(`rngFromSeed: seed must be an integer in 0..4294967295, got ${String(bad)}`)
      expect(validateSeed(bad)).toEqual({ _tag: 'Left', left: `seed must be an integer in 0..4294967295, got ${String(bad)}` })
    }
    expect(validateSeed('7')).toEqual({ _tag: 'Left', left: 'seed must be an integer in 0..4294967295, got "7"' })
    expect(validateSeed(undefined)._tag).toBe('Left')
    expect(validateSeed(0)).toEqual({ _tag: 'Right', right: 0 })
    expect(validateSeed(4294967295)).toEqual({ _tag: 'Right', right: 4294967295 })
    expect(() => rngFromSeed(4294967295)).not.toThrow()
  })

  it('names a rejected value of any type in the message', () => {
    const seedMessage = (x: unknown): string => {
      const v = validateSeed(x)
      return v._tag === 'Left' ? v.left : 'accepted'
    }
    const shown: ReadonlyArray<readonly [unknown, string]> = [
      [10n, '10'],
      [true, 'true'],
      [undefined, 'undefined'],
      [null, 'null'],
      ['7', '"7"'],
      [[1, 2], 'an array of length 2'],
      [{}, 'a value of type object'],
      [{ length: 1 }, 'a value of type object'],
      [() => 1, 'a value of type function'],
      [Symbol('s'), 'a value of type symbol'],
    ]
    for (const [x, text] of shown) {
      expect(seedMessage(x)).toBe(`seed must be an integer in 0..4294967295, got ${text}`)
      const inState = validateState([1, 2, 3, x])
      expect(inState).toEqual({ _tag: 'Left', left: `state[3] must be an integer in -2147483648..2147483647 (int32), got ${text}` })
    }
    expect(validateState({ length: 4 })).toEqual({ _tag: 'Left', left: 'state must be an array of 4 int32 values, got a value of type object' })
    expect(validateState(null)).toEqual({ _tag: 'Left', left: 'state must be an array of 4 int32 values, got null' })
  })

  it('accepts exactly the int32 range in a state', () => {
    expect(validateState([-2147483648, 2147483647, 0, 0])).toEqual({ _tag: 'Right', right: [-2147483648, 2147483647, 0, 0] })
    expect(validateState([1, 1, -2147483649, 1])).toEqual({
      _tag: 'Left',
      left: 'state[2] must be an integer in -2147483648..2147483647 (int32), got -2147483649',
    })
    expect(validateState([1, 1, 1, 2147483648])._tag).toBe('Left')
    fc.assert(
      fc.property(fc.tuple(int32Arb, int32Arb, int32Arb, int32Arb), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2 ** 40 }), fc.boolean(), (st, i, excess, below) => {
        const bad = [...st]
        bad[i] = below ? -2147483648 - excess : 2147483647 + excess
        // one entry just outside int32 (the others valid): it is the one named
        expect(validateState(bad)).toEqual({ _tag: 'Left', left: `state[${i}] must be an integer in -2147483648..2147483647 (int32), got ${bad[i]}` })
      }),
    )
  })

  it('distinct seeds give distinct states', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (a, b) => {
        fc.pre(a !== b)
        expect(rngFromSeed(a).state).not.toEqual(rngFromSeed(b).state)
      }),
    )
  })

  it('rejects states that are not 4 int32 values, or all zero, naming the problem', () => {
    const bad: ReadonlyArray<readonly [unknown, string]> = [
      [[1, 2, 3], 'state must be an array of 4 int32 values, got an array of length 3'],
      [[1, 2, 3, 4, 5], 'an array of length 5'],
      ['abcd', 'state must be an array of 4 int32 values, got "abcd"'],
      [[1, 2, 3, 2 ** 31], 'state[3] must be an integer in -2147483648..2147483647 (int32), got 2147483648'],
      [[1, 0.5, 3, 4], 'state[1] must be an integer in -2147483648..2147483647 (int32), got 0.5'],
      [[Number.NaN, 1, 1, 1], 'state[0] must be an integer'],
      [[1, 1, '1', 1], 'state[2] must be an integer in -2147483648..2147483647 (int32), got "1"'],
      [[0, 0, 0, 0], 'state must not be all zero'],
    ]
    for (const [state, message] of bad) {
      expect(() => rngFromState(state as number[])).toThrow(RangeError)
      expect(() => rngFromState(state as number[])).toThrow(message)
      const v = validateState(state)
      expect(v._tag === 'Left' && v.left.includes(message)).toBe(true)
    }
    expect(Object.is(rngFromState([-0, 1, 2, 3]).state[0], 0)).toBe(true)
  })
})

// -------------------------------------------------------------------------------------
// purity
// -------------------------------------------------------------------------------------

describe('rebuilding a generator', () => {
  it('a generator rebuilt from an Rng reads back an equal Rng (what permutation and splitN rely on for n < 2 and child 0)', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        expect(rngOf(generatorOf(rng))).toEqual(rng)
      }),
    )
  })
})

describe('purity', () => {
  const draws: ReadonlyArray<readonly [string, (r: Rng) => unknown]> = [
    ['nextUint32', nextUint32],
    ['uniform', uniform],
    ['uniforms', (r) => uniforms(r, 5)],
    ['randomInt', (r) => randomInt(r, 7)],
    ['normal', normal],
    ['normalMatrix', (r) => normalMatrix(r, 2, 3, 1, 2)],
    ['permutation', (r) => permutation(r, 9)],
    ['split', split],
    ['splitN', (r) => splitN(r, 3)],
  ]
  for (const [name, draw] of draws) {
    it(`${name} leaves its Rng unchanged and gives the same result when repeated`, () => {
      fc.assert(
        fc.property(rngArb, (rng) => {
          const before = JSON.stringify(rng)
          const first = draw(rng)
          expect(JSON.stringify(rng)).toBe(before)
          expect(draw(rng)).toEqual(first)
          expect(draw(rngFromState(rng.state))).toEqual(first)
        }),
      )
    })
  }
})

// -------------------------------------------------------------------------------------
// the raw stream and uniforms
// -------------------------------------------------------------------------------------

describe('nextUint32 / uniform / uniforms / randomInt', () => {
  it('golden values for seed 42, from the BigInt transcription of the reference C code', () => {
    const [outs] = refUint32s(refFromSeed(42), 8)
    expect(outs).toEqual([3797049240, 1052797783, 1962151222, 3868587078, 1611693572, 660149389, 1549090391, 1950820176])
    expect(drawMany(nextUint32, rngFromSeed(42), 8)[0]).toEqual(outs)
    const us = [0, 2, 4, 6].map((i) => Number(refUint53(outs[i] as number, outs[i + 1] as number)) / 2 ** 53)
    expect(us).toEqual([0.884069414773014, 0.4568489335531415, 0.3752516519554183, 0.3606757108435833])
    expect(drawMany(uniform, rngFromSeed(42), 4)[0]).toEqual(us)
  })

  it('nextUint32 is the low 32 bits of xoroshiro128+ from any state', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const [outs, end] = refUint32s(refFromInt32s(rng.state), 12)
        const [got, rngEnd] = drawMany(nextUint32, rng, 12)
        expect(got).toEqual(outs)
        expect(rngEnd.state).toEqual(int32sFromRef(end))
      }),
    )
  })

  it('uniform = ((hi >>> 5)·2^26 + (lo >>> 6)) / 2^53 of two successive outputs, in [0, 1)', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const [outs] = refUint32s(refFromInt32s(rng.state), 2)
        const [u, next] = uniform(rng)
        expect(u).toBe(Number(refUint53(outs[0] as number, outs[1] as number)) / 2 ** 53)
        expect(u >= 0 && u < 1).toBe(true)
        expect(Number.isInteger(u * 2 ** 53)).toBe(true)
        expect(next).toEqual(nextUint32(nextUint32(rng)[1])[1])
      }),
    )
  })

  it('uniforms(rng, n) equals n successive uniform draws, bit for bit', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 40 }), (rng, n) => {
        const [us, end] = uniforms(rng, n)
        const [expected, expectedEnd] = drawMany(uniform, rng, n)
        expect(Array.from(us as unknown as Float64Array)).toEqual(expected)
        expect(end).toEqual(expectedEnd)
      }),
    )
    expect(() => uniforms(rngFromSeed(1), -1)).toThrow('uniforms: n must be a non-negative integer, got -1')
    expect(() => uniforms(rngFromSeed(1), 2.5)).toThrow(RangeError)
  })

  it('uniform passes a Kolmogorov–Smirnov test against U(0, 1) (100 000 draws, 1 % level)', () => {
    const n = 100_000
    const [us] = uniforms(rngFromSeed(FIXED_SEED), n)
    expect(ksStatistic(us as unknown as Float64Array, (x) => x)).toBeLessThan(ksCritical1(n))
  })

  it('randomInt(rng, n) follows the rejection rule: skip u >= n·floor(2^32/n), return floor(u / floor(2^32/n))', () => {
    const nArb = fc.oneof(
      fc.integer({ min: 1, max: 50 }),
      fc.bigInt({ min: 1n, max: 2n ** 32n }).map(Number),
      // ranges where a quarter to a half of all outputs are rejected
      fc.constantFrom(3 * 2 ** 30, 2 ** 31 + 1, 2 ** 32 - 1, 2 ** 32),
    )
    fc.assert(
      fc.property(rngArb, nArb, (rng, n) => {
        const w = 2n ** 32n / BigInt(n)
        let cur = refFromInt32s(rng.state)
        let u: bigint
        do {
          const [r, next] = refNext(cur)
          u = r & MASK32
          cur = next
        } while (u >= BigInt(n) * w)
        const [j, end] = randomInt(rng, n)
        expect(j).toBe(Number(u / w))
        expect(j >= 0 && j < n && Number.isInteger(j)).toBe(true)
        expect(end.state).toEqual(int32sFromRef(cur))
      }),
    )
  })

  it('randomInt rejects an output exactly at the limit n·floor(2^32/n), and accepts limit - 1', () => {
    // Any state can be built: choose s0's low word so that the first output is exactly `u`.
    const nArb = fc.oneof(
      fc.integer({ min: 3, max: 50 }),
      fc.bigInt({ min: 3n, max: 2n ** 32n - 1n }).map(Number),
      fc.constantFrom(3, 2 ** 31 + 1, 3 * 2 ** 30, 2 ** 32 - 1),
    ).filter((n) => 2 ** 32 % n !== 0) // not a power of two: the limit lies below 2^32
    fc.assert(
      fc.property(nArb, int32Arb, int32Arb, int32Arb, fc.boolean(), (n, s0hi, s1hi, s1lo, atLimit) => {
        const w = Math.floor(2 ** 32 / n)
        const u = atLimit ? n * w : n * w - 1
        const rng = rngFromState([s0hi, (u - s1lo) | 0, s1hi, s1lo])
        const [first, afterFirst] = nextUint32(rng)
        expect(first).toBe(u)
        const [j, end] = randomInt(rng, n)
        if (atLimit) {
          // rejected: the answer comes from a later output, by the reference rule
          let cur = refFromInt32s(afterFirst.state)
          let v: bigint
          do {
            const [r, next] = refNext(cur)
            v = r & MASK32
            cur = next
          } while (v >= BigInt(n * w))
          expect([j, end.state]).toEqual([Math.floor(Number(v) / w), int32sFromRef(cur)])
        } else {
          expect([j, end]).toEqual([n - 1, afterFirst])
        }
        expect(j >= 0 && j < n).toBe(true)
      }),
    )
  })

  it('randomInt(rng, 2^k) is the top k bits of one output', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 32 }), (rng, k) => {
        const [u, next] = nextUint32(rng)
        expect(randomInt(rng, 2 ** k)).toEqual([k === 0 ? 0 : Math.floor(u / 2 ** (32 - k)), next])
      }),
    )
  })

  it('randomInt rejects n outside 1..2^32', () => {
    for (const bad of [0, -3, 1.5, 2 ** 32 + 1, Number.NaN]) {
      expect(() => randomInt(rngFromSeed(1), bad)).toThrow(`randomInt: n must be an integer in 1..4294967296, got ${String(bad)}`)
    }
  })

  it('randomInt(rng, 6) is uniform: chi-square over 60 000 draws (1 % level, 5 df: 15.086)', () => {
    const counts = [0, 0, 0, 0, 0, 0]
    let r = rngFromSeed(FIXED_SEED)
    for (let i = 0; i < 60_000; i++) {
      const [j, next] = randomInt(r, 6)
      counts[j] = (counts[j] as number) + 1
      r = next
    }
    expect(chiSquare(counts, 10_000)).toBeLessThan(15.086)
  })
})

// -------------------------------------------------------------------------------------
// split
// -------------------------------------------------------------------------------------

describe('split / splitN', () => {
  it('the reference jump equals T^(2^64), computed as a GF(2) matrix power', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const s = refFromInt32s(rng.state)
        expect(toVec(refJump(s))).toBe(applyBits(jumpMatrix, toVec(s)))
      }),
    )
  })

  it('split returns [continuation, child]: child = rng, continuation = rng advanced 2^64 steps', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const [continuation, child] = split(rng)
        expect(child).toEqual(rng)
        expect(continuation.state).toEqual(int32sFromRef(fromVec(applyBits(jumpMatrix, toVec(refFromInt32s(rng.state))))))
      }),
    )
  })

  it('the streams of the continuation and the child differ, and splitting is deterministic', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const [continuation, child] = split(rng)
        expect(drawMany(nextUint32, continuation, 4)[0]).not.toEqual(drawMany(nextUint32, child, 4)[0])
        expect(split(rng)).toEqual([continuation, child])
      }),
    )
  })

  it('splitN(rng, n) equals n successive splits of the continuation', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 6 }), (rng, n) => {
        const [rest, children] = splitN(rng, n)
        let r = rng
        const expected: Rng[] = []
        for (let i = 0; i < n; i++) {
          const [next, child] = split(r)
          expected.push(child)
          r = next
        }
        expect(children).toEqual(expected)
        expect(rest).toEqual(r)
        expect(Object.isFrozen(children)).toBe(true)
      }),
    )
    expect(() => splitN(rngFromSeed(1), -1)).toThrow('splitN: n must be a non-negative integer, got -1')
  })

  it('documented hazard: splitting a child repeats its parent split (children are leaves)', () => {
    const rng = rngFromSeed(3)
    const [continuation, child] = split(rng)
    expect(split(child)[0]).toEqual(continuation)
  })
})

// -------------------------------------------------------------------------------------
// inverseNormalCdf (AS 241)
// -------------------------------------------------------------------------------------

/**
 * |Φ(z) - p| converted into the error of z it implies, |ΔΦ| / φ(z), measured on the smaller
 * tail (exact for p >= 1/2, since 1 - p is then exact). AS 241 is accurate to about
 * 7e-16 relative (measured with mpmath) and the oracle Q to 1.3e-15 relative in Q,
 * i.e. under 4ε in z; 16ε·max(1, |z|) covers both with room.
 */
const expectInverts = (p: number): void => {
  const z = inverseNormalCdf(p)
  const tail = Math.min(p, 1 - p)
  const impliedError = Math.abs(upperTail(Math.abs(z)) - tail) / pdf(z)
  const tol = 16 * EPS * Math.max(1, Math.abs(z))
  if (!(impliedError <= tol) || Math.sign(z) !== Math.sign(p - 0.5)) {
    throw new Error(`inverseNormalCdf(${p}) = ${z}: implied error ${impliedError} > ${tol}`)
  }
}

describe('inverseNormalCdf', () => {
  it('Φ(Φ⁻¹(p)) = p on a grid across (0, 1), tails 1e-300 and 1 - 2^-53 included', () => {
    for (let e = -300; e <= -1; e += 0.25) expectInverts(10 ** e)
    for (let k = 1; k < 1000; k++) expectInverts(k / 1000)
    for (let e = 1; e <= 53; e += 0.25) expectInverts(1 - 2 ** -e)
    expectInverts(1 - 1e-16)
    expectInverts(1e-300)
  })

  it('Φ(Φ⁻¹(p)) = p for arbitrary p in [1e-300, 1)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1, maxExcluded: true, noNaN: true }), (p) => {
        expectInverts(p)
      }),
    )
  })

  it('matches quantiles computed independently with mpmath (50 digits) to 4ε relative', () => {
    // p -> Φ⁻¹(p) of the double p, rounded to the nearest double (mpmath 1.3, Newton on ncdf).
    const table: ReadonlyArray<readonly [number, number]> = [
      [1e-300, -37.0470962993612],
      [1e-100, -21.273453560965326],
      [1e-20, -9.262340089798407],
      [1e-10, -6.361340902404057],
      [0.001, -3.0902323061678136],
      [0.025, -1.9599639845400543],
      [0.1, -1.2815515655446004],
      [0.3, -0.5244005127080408],
      [0.6, 0.2533471031357997],
      [0.9, 1.2815515655446006],
      [1 - 2 ** -20, 4.7630010342678135],
      [1 - 2 ** -53, 8.209536151601387],
    ]
    for (const [p, z] of table) {
      expect(Math.abs(inverseNormalCdf(p) - z)).toBeLessThanOrEqual(4 * EPS * Math.abs(z))
    }
    // Φ⁻¹(0.975) = 1.959963984540054 (the double nearest the quantile); AS 241 is 1 ulp below.
    expect(Math.abs(inverseNormalCdf(0.975) - 1.959963984540054)).toBeLessThanOrEqual(2 ** -52 * 2)
    expect(Object.is(inverseNormalCdf(0.5), 0)).toBe(true)
  })

  it('is exactly antisymmetric, Φ⁻¹(1 - p) = -Φ⁻¹(p), whenever 1 - p is exact (every p >= 1/2)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 1, maxExcluded: true, noNaN: true }), (p) => {
        expect(1 - (1 - p)).toBe(p)
        // a + b === 0 exactly iff b === -a (and it lets +0 and -0 agree at p = 1/2)
        expect(inverseNormalCdf(1 - p) + inverseNormalCdf(p)).toBe(0)
      }),
    )
  })

  it('is increasing: strictly on well-separated points, and up to 8ε·|z| of rounding between neighbours', () => {
    const grid = [1e-300, 1e-200, 1e-100, 1e-20, 1.3e-11, 1.4e-11, 1e-3, 0.074, 0.076, 0.3, 0.5, 0.7, 0.924, 0.926, 0.999, 1 - 1e-11, 1 - 2 ** -53]
    for (let i = 1; i < grid.length; i++) {
      expect(inverseNormalCdf(grid[i] as number)).toBeGreaterThan(inverseNormalCdf(grid[i - 1] as number))
    }
    fc.assert(
      fc.property(
        fc.double({ min: 1e-300, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 1e-300, max: 1, maxExcluded: true, noNaN: true }),
        (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          const zl = inverseNormalCdf(lo)
          const zh = inverseNormalCdf(hi)
          expect(zl).toBeLessThanOrEqual(zh + 8 * EPS * Math.max(1, Math.abs(zh)))
        },
      ),
    )
  })

  it('the tests\' second transcription of AS 241 (support/as241.ts) carries the paper\'s coefficients: mantissa hash sums', () => {
    expect(mantissaHash('A', 'B')).toBe(decimal22('55.8831928806149014439'))
    expect(mantissaHash('C', 'D')).toBe(decimal22('49.33206503301610289036'))
    expect(mantissaHash('E', 'F')).toBe(decimal22('47.52583317549289671629'))
  })

  it('equals a second transcription of the paper\'s Fortran PPND16 bit for bit, for arbitrary p in (0, 1)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, minExcluded: true, maxExcluded: true, noNaN: true }), (p) => {
        expect(Object.is(inverseNormalCdf(p), as241OfP(p))).toBe(true)
      }),
    )
  })

  it('chooses the paper\'s region at the exact boundaries (ABS(Q) .LE. 0.425 and R .LE. 5), where the regions\' formulas differ in the last bit', () => {
    // |q| = 0.425 exactly: p = 0.5 - 0.425 is exact (0.425 is a multiple of 2^-54), and so is p - 0.5.
    const p = 0.5 - 0.425
    expect(p - 0.5).toBe(-0.425)
    expect(as241Central(-0.425)).not.toBe(-as241Intermediate(p)) // the choice is visible here
    expect(inverseNormalCdf(p)).toBe(as241Central(-0.425))
    // R = sqrt(-log(tail)) = 5 exactly: the doubles around exp(-25) where that happens.
    const onBoundary: number[] = []
    for (let d = -400; d <= 400; d++) {
      const t = Math.exp(-25) * (1 + d * EPS)
      if (Math.sqrt(-elementary.log(t)) === 5) onBoundary.push(t)
    }
    expect(onBoundary.length).toBeGreaterThan(0)
    expect(onBoundary.some((t) => as241Intermediate(t) !== as241Far(t))).toBe(true)
    for (const t of onBoundary) {
      expect(inverseNormalCdf(t)).toBe(-as241Intermediate(t))
      expect(inverseNormalCdf(t)).toBe(as241OfP(t))
    }
  })

  it('gives ±Infinity at 0 and 1 and throws a RangeError outside [0, 1]', () => {
    expect(inverseNormalCdf(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(inverseNormalCdf(1)).toBe(Number.POSITIVE_INFINITY)
    for (const bad of [-1e-300, -1, 1 + 2 ** -52, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => inverseNormalCdf(bad)).toThrow(`inverseNormalCdf: p must be a probability in [0, 1], got ${String(bad)}`)
    }
  })

  // Reads the source text, which Stryker instruments: skipped in mutation runs (the accuracy
  // properties above still see every coefficient's value there).
  it.skipIf(process.env['PURE_GAN_MUTATION'] === '1')('transcribes the AS 241 coefficients exactly (the paper\'s mantissa hash sums)', () => {
    const source = readFileSync(new URL('../../src/random/normal.ts', import.meta.url), 'utf8')
    // Each coefficient "const X1 = d.ddd[e±k]": sum the mantissas d.ddd as exact decimals (1e-22).
    const mantissas = new Map<string, bigint>()
    for (const m of source.matchAll(/^const ([A-F])(\d) = (\d)\.(\d+)(?:e-?\d+)?$/gm)) {
      const [, letter, index, int, frac] = m as unknown as [string, string, string, string, string]
      mantissas.set(letter + index, BigInt(int + frac.padEnd(22, '0')))
    }
    const hash = (a: string, b: string): bigint => {
      let s = 0n
      for (const [name, v] of mantissas) if (name.startsWith(a) || name.startsWith(b)) s += v
      return s
    }
    const decimal = (x: string): bigint => {
      const [int, frac] = x.split('.') as [string, string]
      return BigInt(int + frac.padEnd(22, '0'))
    }
    expect(mantissas.size).toBe(45) // A0..A7, B1..B7, C0..C7, D1..D7, E0..E7, F1..F7
    expect(hash('A', 'B')).toBe(decimal('55.8831928806149014439'))
    expect(hash('C', 'D')).toBe(decimal('49.33206503301610289036'))
    expect(hash('E', 'F')).toBe(decimal('47.52583317549289671629'))
  })
})

// -------------------------------------------------------------------------------------
// normal draws
// -------------------------------------------------------------------------------------

describe('normal / normalMatrix', () => {
  it('normal = Φ⁻¹((k + 1/2) / 2^53) for the 53-bit integer k of uniform; exact mirror for k >= 2^52', () => {
    fc.assert(
      fc.property(rngArb, (rng) => {
        const [outs] = refUint32s(refFromInt32s(rng.state), 2)
        const k = Number(refUint53(outs[0] as number, outs[1] as number))
        const [z, next] = normal(rng)
        expect(next).toEqual(uniform(rng)[1])
        if (k < 2 ** 52) expect(z).toBe(inverseNormalCdf((k + 0.5) / 2 ** 53))
        else expect(z).toBe(-inverseNormalCdf((2 ** 53 - 1 - k + 0.5) / 2 ** 53))
      }),
    )
  })

  it('maps k and 2^53 - 1 - k to exact opposites, stays finite at the ends, and is monotone in k', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(Number), (k) => {
        expect(normalFromUint53(2 ** 53 - 1 - k)).toBe(-normalFromUint53(k))
      }),
    )
    const zmin = normalFromUint53(0)
    expect(zmin).toBe(-normalFromUint53(2 ** 53 - 1))
    expect(Math.abs(zmin - -8.2924)).toBeLessThan(1e-4) // Φ⁻¹(2^-54)
    expect(normalFromUint53(2 ** 52 - 1)).toBeLessThan(0)
    expect(normalFromUint53(2 ** 52)).toBeGreaterThan(0)
    expect(normalFromUint53(2 ** 52 - 1)).toBe(-normalFromUint53(2 ** 52))
  })

  it('normalFromUint53 equals the second transcription of PPND16 on the exact q and tail, including the k where |q| = 0.425', () => {
    const check = (k: number): void => {
      const q = (2 * (k - 2 ** 52) + 1) / 2 ** 54
      const tail = k < 2 ** 52 ? (2 * k + 1) / 2 ** 54 : (2 * (2 ** 53 - k) - 1) / 2 ** 54
      expect(Object.is(normalFromUint53(k), as241(q, tail))).toBe(true)
    }
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }).map(Number), check))
    // 0.425 = m / 2^54 with m odd, so q = (2(k - 2^52) + 1) / 2^54 hits -0.425 and +0.425 exactly.
    const m = 0.425 * 2 ** 54
    expect(m % 2).toBe(1)
    const kLow = 2 ** 52 - (m + 1) / 2
    const kHigh = 2 ** 53 - 1 - kLow
    expect((2 * (kLow - 2 ** 52) + 1) / 2 ** 54).toBe(-0.425)
    expect((2 * (kHigh - 2 ** 52) + 1) / 2 ** 54).toBe(0.425)
    expect(normalFromUint53(kLow)).toBe(as241Central(-0.425))
    expect(normalFromUint53(kHigh)).toBe(as241Central(0.425))
    for (const k of [0, 1, kLow - 1, kLow, kLow + 1, 2 ** 52 - 1, 2 ** 52, kHigh - 1, kHigh, kHigh + 1, 2 ** 53 - 1]) check(k)
  })

  it('golden values for seed 42 (within 4ε of mpmath; pinned bit for bit for replay)', () => {
    const [zs] = drawMany(normal, rngFromSeed(42), 4)
    expect(zs).toEqual([1.1955782829342188, -0.10837545929631834, -0.31797578662513, -0.3566532315014873])
    const exact = [1.1955782829342185, -0.10837545929631834, -0.31797578662513004, -0.35665323150148737]
    exact.forEach((z, i) => expect(Math.abs((zs[i] as number) - z)).toBeLessThanOrEqual(4 * EPS * Math.abs(z)))
  })

  it('100 000 draws: mean within 4 SE of 0, variance within 4 SE of 1, and a KS test against Φ at 1 %', () => {
    const n = 100_000
    const [m] = normalMatrix(rngFromSeed(FIXED_SEED), 1, n)
    const xs = m.data as unknown as Float64Array
    let sum = 0
    for (const x of xs) sum += x
    const mean = sum / n
    let ss = 0
    for (const x of xs) ss += (x - mean) * (x - mean)
    const variance = ss / (n - 1)
    // SE of the mean is 1/sqrt(n); of the sample variance of normal data sqrt(2/(n-1)) ≈ sqrt(2/n).
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n))
    expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / n))
    expect(ksStatistic(xs, cdf)).toBeLessThan(ksCritical1(n))
  })

  it('normalMatrix has the requested shape and equals successive normal draws row-major, bit for bit', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (rng, rows, cols) => {
        const [m, end] = normalMatrix(rng, rows, cols)
        const [zs, expectedEnd] = drawMany(normal, rng, rows * cols)
        expect([m.rows, m.cols, m.data.length]).toEqual([rows, cols, rows * cols])
        expect(Array.from(m.data as unknown as Float64Array)).toEqual(zs)
        expect(end).toEqual(expectedEnd)
        expect(Object.isFrozen(m)).toBe(true)
      }),
    )
  })

  it('normalMatrix of 100 to 200 entries (the quantiles in WebAssembly from 128 on) equals successive normal draws and advances the generator by exactly those draws', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 100, max: 200 }), (rng, n) => {
        const [m, end] = normalMatrix(rng, 1, n)
        const [zs, expectedEnd] = drawMany(normal, rng, n)
        expect(Array.from(m.data as unknown as Float64Array)).toEqual(zs)
        expect(end).toEqual(expectedEnd)
      }),
      { numRuns: 30 },
    )
  })

  it('normalMatrix with std 0 is the constant mean, and still advances the generator', () => {
    for (const n of [4, 150]) {
      const rng = rngFromSeed(3)
      const [m, end] = normalMatrix(rng, 1, n, 2.5, 0)
      expect(Array.from(m.data as unknown as Float64Array)).toEqual(Array.from({ length: n }, () => 2.5))
      expect(end).toEqual(normalMatrix(rng, 1, n)[1])
    }
  })

  it('normalMatrix(mean, std) is mean + std · z of the standard draws', () => {
    fc.assert(
      fc.property(
        rngArb,
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (rng, mean, std) => {
          const [base] = normalMatrix(rng, 3, 4)
          const [m, end] = normalMatrix(rng, 3, 4, mean, std)
          const expected = Array.from(base.data as unknown as Float64Array, (z) => mean + std * z)
          expect(Array.from(m.data as unknown as Float64Array)).toEqual(expected)
          expect(end).toEqual(normalMatrix(rng, 3, 4)[1])
        },
      ),
    )
  })

  it('normalMatrix rejects bad dimensions, mean and std, naming the argument and its range', () => {
    const r = rngFromSeed(1)
    expect(() => normalMatrix(r, -1, 2)).toThrow('normalMatrix: rows must be a non-negative integer, got -1')
    expect(() => normalMatrix(r, 2, 1.5)).toThrow('normalMatrix: cols must be a non-negative integer, got 1.5')
    expect(() => normalMatrix(r, Number.NaN, 2)).toThrow('normalMatrix: rows must be a non-negative integer, got NaN')
    expect(() => normalMatrix(r, 1, 1, Number.NaN)).toThrow('normalMatrix: mean must be a finite number, got NaN')
    expect(() => normalMatrix(r, 1, 1, Number.POSITIVE_INFINITY)).toThrow('normalMatrix: mean must be a finite number, got Infinity')
    expect(() => normalMatrix(r, 1, 1, 0, -0.1)).toThrow('normalMatrix: std must be a finite number >= 0, got -0.1')
    expect(() => normalMatrix(r, 1, 1, 0, Number.POSITIVE_INFINITY)).toThrow('normalMatrix: std must be a finite number >= 0, got Infinity')
    expect(() => normalMatrix(r, 1, 1, 0, Number.NaN)).toThrow(RangeError)
  })
})

// -------------------------------------------------------------------------------------
// permutation
// -------------------------------------------------------------------------------------

describe('permutation', () => {
  it('is a permutation of 0..n-1, frozen, for n in 0..200', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 200 }), (rng, n) => {
        const [perm] = permutation(rng, n)
        expect(perm.length).toBe(n)
        expect([...perm].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
        expect(Object.isFrozen(perm)).toBe(true)
      }),
    )
  })

  it('is Fisher–Yates exactly: for i = n-1 down to 1, j = randomInt(i + 1), swap i and j', () => {
    fc.assert(
      fc.property(rngArb, fc.integer({ min: 0, max: 50 }), (rng, n) => {
        const a = Array.from({ length: n }, (_, i) => i)
        let r = rng
        for (let i = n - 1; i >= 1; i--) {
          const [j, next] = randomInt(r, i + 1)
          ;[a[i], a[j]] = [a[j] as number, a[i] as number]
          r = next
        }
        expect(permutation(rng, n)).toEqual([a, r])
      }),
    )
  })

  it('n = 0 and n = 1 draw nothing; bad n is rejected', () => {
    const rng = rngFromSeed(9)
    expect(permutation(rng, 0)).toEqual([[], rng])
    expect(permutation(rng, 1)).toEqual([[0], rng])
    expect(() => permutation(rng, -1)).toThrow('permutation: n must be an integer in 0..4294967295, got -1')
    expect(() => permutation(rng, 2.5)).toThrow(RangeError)
    // 2^32 - 1 is the longest JavaScript array: one more is rejected by the check, with its message
    for (const bad of [2 ** 32, 2 ** 32 + 1, 2 ** 53]) {
      expect(() => permutation(rng, bad)).toThrow(`permutation: n must be an integer in 0..4294967295, got ${bad}`)
    }
  })

  it('is uniform over the 6 permutations of 3: chi-square over 60 000 draws (1 % level, 5 df: 15.086)', () => {
    const counts = new Map<string, number>()
    let r = rngFromSeed(FIXED_SEED)
    for (let i = 0; i < 60_000; i++) {
      const [perm, next] = permutation(r, 3)
      const key = perm.join('')
      counts.set(key, (counts.get(key) ?? 0) + 1)
      r = next
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210'])
    expect(chiSquare([...counts.values()], 10_000)).toBeLessThan(15.086)
  })
})
