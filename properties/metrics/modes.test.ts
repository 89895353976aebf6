/**
 * modeCoverage (src/metrics/modes.ts): the VEEGAN/PacGAN mode metrics on inputs whose answer
 * is known, against the literal transcription in properties/support/modes-reference.ts, and
 * its invariances.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { log } from '../../src/elementary/index.js'
import { ShapeError, fromArrays, zeros } from '../../src/matrix/index.js'
import { modeCoverage } from '../../src/metrics/modes.js'
import { modeCoverageReference } from '../support/modes-reference.js'

/** K distinct modes (d wide) at least 8 apart on coordinate 0, and a std in (0.05, 1]. */
const mixture = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }))
  .chain(([k, d]) =>
    fc.record({
      modes: fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: d, maxLength: d }), { minLength: k, maxLength: k }).map((ms) =>
        ms.map((m, i) => m.map((x, c) => (c === 0 ? x + 10 * i : x))),
      ),
      std: fc.double({ min: 0.05, max: 1, noNaN: true }),
      d: fc.constant(d),
    }),
  )

/** A point within std of `mode` on every coordinate: within sqrt(3)·std < 3·std, nearest to it. */
const near = (mode: number[], std: number, u: number[]): number[] => mode.map((x, c) => x + std * u[c % u.length]!)

const unit = fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 })

const is = (a: number | null, b: number | null): boolean => (a === null ? b === null : b !== null && Object.is(a, b))

describe('modeCoverage on inputs whose answer is known', () => {
  it('every mode hit equally: KL exactly 0, all covered, all high quality', () => {
    fc.assert(
      fc.property(mixture, fc.integer({ min: 1, max: 4 }), fc.array(unit, { minLength: 24, maxLength: 24 }), ({ modes, std }, r, us) => {
        const samples: number[][] = []
        for (let t = 0; t < r; t++) modes.forEach((m, i) => samples.push(near(m, std, us[(t * modes.length + i) % us.length]!)))
        const out = modeCoverage(fromArrays(samples), fromArrays(modes), std)
        expect(out.reverseKl).toBe(0)
        expect(out.modesCovered).toBe(modes.length)
        expect(out.highQuality).toBe(samples.length)
        expect(out.highQualityFraction).toBe(1)
        expect(out.counts).toEqual(modes.map(() => r))
      }),
    )
  })

  it('one mode hit: KL = log K (to rounding), one mode covered', () => {
    fc.assert(
      fc.property(mixture, fc.nat(), fc.array(unit, { minLength: 1, maxLength: 20 }), ({ modes, std }, pick, us) => {
        const j = pick % modes.length
        const out = modeCoverage(fromArrays(us.map((u) => near(modes[j]!, std, u))), fromArrays(modes), std)
        expect(out.modesCovered).toBe(1)
        expect(out.counts[j]).toBe(us.length)
        expect(Math.abs(out.reverseKl! - log(modes.length))).toBeLessThanOrEqual(4e-16 * log(modes.length))
      }),
    )
  })

  it('samples shifted far away: none high quality, nothing covered, KL null', () => {
    fc.assert(
      fc.property(mixture, fc.array(unit, { minLength: 1, maxLength: 20 }), ({ modes, std }, us) => {
        const out = modeCoverage(fromArrays(us.map((u) => near(modes[0]!, std, u).map((x) => x + 1e6))), fromArrays(modes), std)
        expect(out).toEqual({ samples: us.length, highQuality: 0, highQualityFraction: 0, modesCovered: 0, counts: modes.map(() => 0), reverseKl: null })
      }),
    )
  })

  it('a point exactly 3·std from its mode is high quality; the next double beyond is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -20, max: 20 }), (d, m, e) => {
        const std = m * 2 ** e
        const mode = new Array<number>(d).fill(0)
        const at = [3 * std, ...mode.slice(1)]
        const beyond = [3 * std * (1 + 2 ** -52), ...mode.slice(1)]
        expect(modeCoverage(fromArrays([at]), fromArrays([mode]), std).highQuality).toBe(1)
        expect(modeCoverage(fromArrays([beyond]), fromArrays([mode]), std).highQuality).toBe(0)
      }),
    )
  })

  it('a sample equally far from two modes counts for the lower index', () => {
    const out = modeCoverage(fromArrays([[0, 0]]), fromArrays([[1, 0], [-1, 0]]), 1)
    expect(out.counts).toEqual([1, 0])
  })
})

describe('modeCoverage against the transcription and its invariances', () => {
  const anyInput = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 })).chain(([k, d]) => {
    const point = fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: d, maxLength: d })
    return fc.record({
      samples: fc.array(point, { minLength: 1, maxLength: 30 }),
      modes: fc.array(point, { minLength: k, maxLength: k }),
      std: fc.double({ min: 0.01, max: 10, noNaN: true }),
    })
  })

  it('equals the transcription of its doc comment bit for bit', () => {
    fc.assert(
      fc.property(anyInput, ({ samples, modes, std }) => {
        const out = modeCoverage(fromArrays(samples), fromArrays(modes), std)
        const ref = modeCoverageReference(samples, modes, std)
        expect({ ...out, reverseKl: null }).toEqual({ ...ref, reverseKl: null })
        expect(is(out.reverseKl, ref.reverseKl)).toBe(true)
      }),
    )
  })

  it('does not depend on the order of the samples, and its KL is >= 0 (or null)', () => {
    fc.assert(
      fc.property(anyInput, fc.array(fc.nat()), ({ samples, modes, std }, keys) => {
        const perm = samples.map((s, i) => ({ s, key: keys[i % Math.max(keys.length, 1)] ?? 0, i })).sort((a, b) => a.key - b.key || b.i - a.i)
        const out = modeCoverage(fromArrays(samples), fromArrays(modes), std)
        const permuted = modeCoverage(fromArrays(perm.map((p) => p.s)), fromArrays(modes), std)
        expect({ ...permuted, reverseKl: null }).toEqual({ ...out, reverseKl: null })
        expect(is(permuted.reverseKl, out.reverseKl)).toBe(true)
        expect(out.reverseKl === null ? out.highQuality === 0 : out.reverseKl >= 0).toBe(true)
      }),
    )
  })
})

describe('modeCoverage rejects bad input at the boundary', () => {
  const ok = fromArrays([[0, 0]])
  it('names the problem', () => {
    expect(() => modeCoverage(fromArrays([[0]]), ok, 1)).toThrow(ShapeError)
    expect(() => modeCoverage(fromArrays([[0]]), ok, 1)).toThrow(/same width/)
    expect(() => modeCoverage(zeros(0, 2), ok, 1)).toThrow(/at least one sample/)
    expect(() => modeCoverage(ok, zeros(0, 2), 1)).toThrow(/at least one mode/)
    expect(() => modeCoverage(ok, ok, 0)).toThrow(RangeError)
    for (const std of [0, -1, NaN, Infinity]) expect(() => modeCoverage(ok, ok, std)).toThrow(/std must be a finite number > 0/)
    expect(() => modeCoverage(fromArrays([[0, NaN]]), ok, 1)).toThrow(/samples must be finite; entry \(0, 1\) is NaN/)
    expect(() => modeCoverage(ok, fromArrays([[Infinity, 0]]), 1)).toThrow(/modes must be finite; entry \(0, 0\) is Infinity/)
  })
})
