/**
 * src/kernels/dropout.ts: the mask is `u < keep ? 1/keep : 0` entry by entry, bit for bit;
 * the masked product is the backward pass of itself (a diagonal linear map: its gradient
 * with respect to the input is the mask, checked by central differences); `keep = 1` is the
 * identity; and over many draws the kept fraction is near `keep` (the mask is a Bernoulli
 * draw of the uniforms it is given).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dropoutMaskInto, maskedInto } from '../../src/kernels/dropout.js'
import { type Matrix, fromFlat, toFlat } from '../../src/matrix/index.js'
import { rngFromSeed, uniforms } from '../../src/random/rng.js'
import { expectGradientClose } from '../support/gradient-check.js'

const keeps = fc.oneof(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.constantFrom(1, 0.5, 0.8))
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

describe('inverted dropout', () => {
  it('the mask is u < keep ? 1/keep : 0, bit for bit, at any offsets, writing nothing else', () =>
    fc.assert(
      fc.property(keeps, fc.array(unit, { minLength: 1, maxLength: 30 }), fc.nat(3), (keep, us, off) => {
        const mask = new Float64Array(off + us.length + 1).fill(Number.NaN)
        const u = new Float64Array(off + us.length)
        u.set(us, off)
        dropoutMaskInto(keep, { data: u, off }, { data: mask, off }, us.length)
        us.forEach((v, i) => expect(Object.is(mask[off + i], v < keep ? 1 / keep : 0)).toBe(true))
        expect(Number.isNaN(mask[off + us.length]!)).toBe(true)
      }),
    ))

  it('the masked product\'s gradient with respect to its input is the mask (central differences of ⟨c, y⟩)', () =>
    fc.assert(
      fc.property(keeps, fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.array(unit, { minLength: n, maxLength: n }), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2 * n, maxLength: 2 * n }))), (keep, [us, xc]) => {
        const n = us.length
        const mask = new Float64Array(n)
        dropoutMaskInto(keep, { data: Float64Array.from(us), off: 0 }, { data: mask, off: 0 }, n)
        const x = xc.slice(0, n)
        const c = xc.slice(n)
        const f = (m: Matrix) => {
          const y = new Float64Array(n)
          maskedInto({ data: mask, off: 0 }, { data: Float64Array.from(toFlat(m)), off: 0 }, { data: y, off: 0 }, n)
          return y.reduce((t, v, i) => t + v * c[i]!, 0)
        }
        const dx = new Float64Array(n)
        maskedInto({ data: mask, off: 0 }, { data: Float64Array.from(c), off: 0 }, { data: dx, off: 0 }, n)
        expectGradientClose('dx', f, fromFlat(1, n, x), fromFlat(1, n, dx))
      }),
    ))

  it('keep = 1 keeps every entry unchanged', () =>
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 20 }), fc.array(fc.double({ noNaN: true }), { minLength: 20, maxLength: 20 }), (us, xs) => {
        const n = us.length
        const mask = new Float64Array(n)
        dropoutMaskInto(1, { data: Float64Array.from(us), off: 0 }, { data: mask, off: 0 }, n)
        const y = new Float64Array(n)
        maskedInto({ data: mask, off: 0 }, { data: Float64Array.from(xs), off: 0 }, { data: y, off: 0 }, n)
        expect(y).toEqualBits(Float64Array.from(xs.slice(0, n)))
      }),
    ))

  it('on 100 000 draws of the library\'s uniforms the kept fraction is within 5 standard deviations of keep', () => {
    for (const keep of [0.1, 0.5, 0.8]) {
      const n = 100_000
      const [u] = uniforms(rngFromSeed(1), n)
      const mask = new Float64Array(n)
      dropoutMaskInto(keep, { data: u as Float64Array, off: 0 }, { data: mask, off: 0 }, n)
      const kept = mask.reduce((t, v) => t + (v > 0 ? 1 : 0), 0) / n
      expect(Math.abs(kept - keep)).toBeLessThan(5 * Math.sqrt((keep * (1 - keep)) / n))
    }
  })
})
