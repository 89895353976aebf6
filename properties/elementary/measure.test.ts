/**
 * The accuracy measurement of docs/elementary.md (runs only with PURE_GAN_DEEP=1):
 * for each function, N arguments (default 1 000 000, `PURE_GAN_MEASURE_N` to change) from a
 * fixed-seed generator, a quarter each uniform in bit patterns over the domain, uniform in
 * value over the main range, uniform in value over the hard region, and log-uniform in
 * magnitude; it logs the largest error in ulps (and where), the fraction correctly rounded,
 * and the same for this engine's Math.* with how often the two differ. Then a plain loop
 * timing (ns per call, ours and Math.*), for information only: nothing is asserted on time.
 *
 *   PURE_GAN_DEEP=1 npx vitest run properties/elementary/measure.test.ts
 */
import { describe, expect, it } from 'vitest'
import { cos, exp, expm1, log, log1p, powInt, sin, tanh } from '../../src/elementary/index.js'
import { type Big, cosRef, expRef, expm1Ref, log1pRef, logRef, powIntRef, roundToDouble, sinRef, tanhRef, ulpError } from '../support/elementary-reference.js'
import { fromBits } from './cases.js'

const DEEP = process.env['PURE_GAN_DEEP'] === '1'
const N = Number(process.env['PURE_GAN_MEASURE_N'] ?? 1_000_000)

/** xorshift128+ on two 64-bit BigInt words would be slow; two xorshift32 streams give 64 random bits. */
const makeRandom = (seed: number) => {
  let a = seed | 1
  let b = (seed * 2654435761) | 1
  const next32 = (): number => {
    a ^= a << 13
    a ^= a >>> 17
    a ^= a << 5
    b ^= b << 17
    b ^= b >>> 15
    b ^= b << 26
    return (a + b) >>> 0
  }
  const unit = (): number => (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53
  const bits = (): number => fromBits((BigInt(next32()) << 32n) | BigInt(next32()))
  return { next32, unit, bits }
}

interface Case {
  readonly name: string
  readonly f: (x: number) => number
  readonly engine: (x: number) => number
  readonly ref: (x: number) => Big
  readonly inDomain: (x: number) => boolean
  readonly main: readonly [number, number]
  readonly hard: readonly [number, number]
  readonly magnitudes: readonly [number, number] // log2 range of |x|
  readonly signs: 'both' | 'positive'
}

const CASES: readonly Case[] = [
  { name: 'exp', f: exp, engine: Math.exp, ref: expRef, inDomain: Number.isFinite, main: [-745.2, 709.79], hard: [-1, 1], magnitudes: [-60, 9.5], signs: 'both' },
  { name: 'expm1', f: expm1, engine: Math.expm1, ref: expm1Ref, inDomain: Number.isFinite, main: [-40, 709.79], hard: [-1, 1], magnitudes: [-1074, 9.5], signs: 'both' },
  { name: 'log', f: log, engine: Math.log, ref: logRef, inDomain: (x) => x > 0 && x < Infinity, main: [0, 4], hard: [0.5, 2], magnitudes: [-1074, 1024], signs: 'positive' },
  { name: 'log1p', f: log1p, engine: Math.log1p, ref: log1pRef, inDomain: (x) => x > -1 && x < Infinity, main: [-1, 4], hard: [-0.5, 1], magnitudes: [-1074, 1024], signs: 'both' },
  { name: 'tanh', f: tanh, engine: Math.tanh, ref: tanhRef, inDomain: Number.isFinite, main: [-20, 20], hard: [-1, 1], magnitudes: [-1074, 5], signs: 'both' },
  // sin, cos: main = the data sets' angles, hard = the whole Cody–Waite range (|x| < 2^20·π/2); the bit patterns are mostly Payne–Hanek's
  { name: 'sin', f: sin, engine: Math.sin, ref: sinRef, inDomain: Number.isFinite, main: [-15, 15], hard: [-1647099, 1647099], magnitudes: [-1074, 1024], signs: 'both' },
  { name: 'cos', f: cos, engine: Math.cos, ref: cosRef, inDomain: Number.isFinite, main: [-15, 15], hard: [-1647099, 1647099], magnitudes: [-1074, 1024], signs: 'both' },
]

const argument = (c: Case, rnd: ReturnType<typeof makeRandom>, i: number): number => {
  for (;;) {
    let x: number
    switch (i % 4) {
      case 0:
        x = rnd.bits()
        break
      case 1:
        x = c.main[0] + rnd.unit() * (c.main[1] - c.main[0])
        break
      case 2:
        x = c.hard[0] + rnd.unit() * (c.hard[1] - c.hard[0])
        break
      default: {
        const [lo, hi] = c.magnitudes
        const m = 2 ** (lo + rnd.unit() * (hi - lo))
        x = c.signs === 'positive' || rnd.next32() % 2 === 0 ? m : -m
      }
    }
    if (c.inDomain(x)) return x
  }
}

interface Stats {
  max: number
  at: number
  correct: number
  engineMax: number
  engineAt: number
  engineCorrect: number
  differ: number
}

const measure = (n: number, sample: (i: number) => number, f: (x: number) => number, engine: (x: number) => number, ref: (x: number) => Big): Stats => {
  const s: Stats = { max: 0, at: NaN, correct: 0, engineMax: 0, engineAt: NaN, engineCorrect: 0, differ: 0 }
  for (let i = 0; i < n; i++) {
    const x = sample(i)
    const b = ref(x)
    const cr = roundToDouble(b)
    const y = f(x)
    const z = engine(x)
    const e = ulpError(y, b)
    const ez = ulpError(z, b)
    if (e > s.max) {
      s.max = e
      s.at = x
    }
    if (ez > s.engineMax) {
      s.engineMax = ez
      s.engineAt = x
    }
    if (Object.is(y, cr)) s.correct++
    if (Object.is(z, cr)) s.engineCorrect++
    if (!Object.is(y, z)) s.differ++
  }
  return s
}

const report = (name: string, n: number, s: Stats): void => {
  const pct = (k: number): string => `${((100 * k) / n).toFixed(4)} %`
  console.log(
    `${name}: ${n} arguments; ours: max ${s.max.toFixed(4)} ulp (at ${s.at}), correctly rounded ${pct(s.correct)}; ` +
      `Math on Node ${process.versions.node}: max ${s.engineMax.toFixed(4)} ulp (at ${s.engineAt}), correctly rounded ${pct(s.engineCorrect)}; results differ on ${pct(s.differ)}`,
  )
}

/** ns per call over a 64 Ki-argument array, median of 5 timed passes after warm-up. */
const nsPerCall = (f: (x: number) => number, xs: Float64Array): number => {
  const pass = (): number => {
    let acc = 0
    const t0 = process.hrtime.bigint()
    for (let r = 0; r < 20; r++) for (let i = 0; i < xs.length; i++) acc += f(xs[i]!)
    const t = Number(process.hrtime.bigint() - t0) / (20 * xs.length)
    if (acc === 0.123456789) console.log('') // keep acc alive
    return t
  }
  for (let w = 0; w < 3; w++) pass()
  const ts = [pass(), pass(), pass(), pass(), pass()].sort((p, q) => p - q)
  return ts[2]!
}

describe.skipIf(!DEEP)('elementary accuracy measurement (PURE_GAN_DEEP=1)', () => {
  for (const c of CASES) {
    it(
      `${c.name}: max ulp error and fraction correctly rounded over ${N} arguments`,
      () => {
        const rnd = makeRandom(0x5eed + c.name.length * 7919)
        const s = measure(N, (i) => argument(c, rnd, i), c.f, c.engine, c.ref)
        report(c.name, N, s)
        const xs = new Float64Array(1 << 16)
        const r2 = makeRandom(7)
        for (let i = 0; i < xs.length; i++) xs[i] = c.main[0] / 4 + r2.unit() * ((c.main[1] - c.main[0]) / 4)
        if (c.name === 'tanh') for (let i = 0; i < xs.length; i++) xs[i] = (r2.unit() - 0.5) * 6
        console.log(`${c.name}: ${nsPerCall(c.f, xs).toFixed(1)} ns per call; Math.${c.name}: ${nsPerCall(c.engine, xs).toFixed(1)} ns per call`)
        expect(s.max).toBeLessThanOrEqual(1)
      },
      3_600_000,
    )
  }
  it(
    `powInt: max ulp error and fraction correctly rounded over ${N} (x, n) pairs`,
    () => {
      const rnd = makeRandom(0xada)
      const args: [number, number][] = []
      const pick = (i: number): number => {
        let x: number
        let n: number
        switch (i % 4) {
          case 0: // Adam: β = 1 − 10^-d, t up to 10^8
            x = 1 - 10 ** -(0.5 + rnd.unit() * 8.5)
            n = Math.floor(10 ** (rnd.unit() * 8))
            break
          case 1: // near 1, exponents up to 2^53 − 1
            x = 1 + (rnd.unit() - 0.5) * 2 ** -(20 + Math.floor(rnd.unit() * 33))
            n = Math.min(Math.floor(2 ** (rnd.unit() * 53)), Number.MAX_SAFE_INTEGER)
            break
          case 2: // (0, 4), exponents up to 2^12
            x = rnd.unit() * 4
            n = Math.floor(2 ** (rnd.unit() * 12))
            break
          default: // any double, any exponent
            x = rnd.bits()
            if (!Number.isFinite(x)) x = 0.5
            n = Math.min(Math.floor(2 ** (rnd.unit() * 53)), Number.MAX_SAFE_INTEGER)
        }
        args[i % 1] = [x, n]
        return x
      }
      let nn = 0
      const s = measure(
        N,
        (i) => {
          const x = pick(i)
          nn = args[0]![1]
          return x
        },
        (x) => powInt(x, nn),
        (x) => Math.pow(x, nn),
        (x) => powIntRef(x, nn),
      )
      report('powInt', N, s)
      expect(s.max).toBeLessThanOrEqual(1)
    },
    3_600_000,
  )
})
