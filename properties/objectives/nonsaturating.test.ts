/**
 * src/objectives/nonsaturating.ts against its literal scalar transcription: the seed's
 * `(l(z_real, 1) + l(z_fake, 0)) / 2` and `l(z_fake, 1)` per logit with the scalar sigmoid
 * cross-entropy, summed in row order, and the gradients `(sigmoid(z) − y) / 2` and
 * `sigmoid(z) − 1`, bit for bit; and what the record says of itself.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sigmoidBce, sigmoidBceGrad } from '../../src/loss/sigmoid-bce.js'
import { nonsaturating } from '../../src/objectives/nonsaturating.js'

const logits = (n: number) => fc.array(fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(0, -0)), { minLength: n, maxLength: n })
const stacked = fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), logits(2 * n), fc.nat(3)))

describe('the non-saturating objective', () => {
  it('names itself and needs one scratch entry per logit', () => {
    expect(nonsaturating.name).toBe('nonsaturating')
    expect(nonsaturating.scratchPerLogit).toBe(1)
  })

  it("D's loss and logit gradients are the scalar transcription's, bit for bit, at any offsets", () =>
    fc.assert(
      fc.property(stacked, ([n, z, off]) => {
        let want = 0
        for (let i = 0; i < n; i++) want += (sigmoidBce(z[i]!, 1) + sigmoidBce(z[n + i]!, 0)) / 2
        const wantGrad = z.map((v, i) => sigmoidBceGrad(v, i < n ? 1 : 0) * 0.5)
        const data = new Float64Array(off + 2 * n).fill(Number.NaN)
        data.set(z, off)
        const grad = new Float64Array(off + 2 * n).fill(Number.NaN)
        const scratch = new Float64Array(off + 2 * n).fill(Number.NaN)
        const loss = nonsaturating.discriminatorLossInto({ data, off }, n, { data: grad, off }, { data: scratch, off })
        expect(Object.is(loss, want)).toBe(true)
        expect(grad.subarray(off)).toEqualBits(Float64Array.from(wantGrad))
        expect(data.subarray(off)).toEqualBits(Float64Array.from(z))
      }),
    ))

  it("G's loss and logit gradients are the scalar transcription's, bit for bit", () =>
    fc.assert(
      fc.property(stacked, ([n, z]) => {
        const fake = z.slice(0, n)
        let want = 0
        for (let i = 0; i < n; i++) want += sigmoidBce(fake[i]!, 1)
        const grad = new Float64Array(n)
        const loss = nonsaturating.generatorLossInto({ data: Float64Array.from(fake), off: 0 }, n, { data: grad, off: 0 }, { data: new Float64Array(n), off: 0 })
        expect(Object.is(loss, want)).toBe(true)
        expect(grad).toEqualBits(Float64Array.from(fake.map((v) => sigmoidBceGrad(v, 1))))
      }),
    ))
})
