import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, sum, toFlat } from '../../src/matrix/index.js'
import {
  expNegAbs,
  sigmoidBce,
  sigmoidBceGrad,
  sigmoidBceGradWithExp,
  sigmoidBceLoss,
  sigmoidBceLossGrad,
  sigmoidBceWithSoftplus,
  softplusTermsInto,
} from '../../src/loss/sigmoid-bce.js'
import { matricesWithShapes } from '../support/arbitraries.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import * as elementary from '../../src/elementary/index.js'

// -------------------------------------------------------------------------------------
// An independent reference.
//
// The code evaluates l(z, y) = max(z, 0) - z·y + log1p(exp(-|z|)). The reference evaluates
// the DEFINITION instead, the cross-entropy -y·log p - (1 - y)·log(1 - p) with p = sigmoid(z),
// through -log p = softplus(-z) and -log(1 - p) = softplus(z):
//   ref(z, y) = y·softplus(-z) + (1 - y)·softplus(z)
// with softplus(u) = log(1 + e^u) computed without log1p:
//   u > 0:        u + softplus(-u)
//   -1 < u <= 0:  Math.log(1 + e^u); 1 + e^u is in (1.37, 2], its rounding error (<= 2^-53)
//                 is below 4e-16 relative to the result (>= 0.31)
//   u <= -1:      the series log(1 + t) = t - t²/2 + t³/3 - ..., t = e^u <= 0.37, summed
//                 until the terms no longer change the sum (alternating, so the error is
//                 below the first omitted term)
// Every term is non-negative, so the reference is accurate to a few ulps for any
// |z| <= 700 (beyond that e^u approaches the subnormal range).
// -------------------------------------------------------------------------------------

const log1pSeries = (t: number): number => {
  let s = 0
  let power = t
  for (let k = 1; k < 200; k++) {
    const next = s + (k % 2 === 1 ? power / k : -power / k)
    if (next === s) break
    s = next
    power *= t
  }
  return s
}

const softplusRef = (u: number): number => {
  if (u > 0) return u + softplusRef(-u)
  return u > -1 ? Math.log(1 + Math.exp(u)) : log1pSeries(Math.exp(u))
}

const lossRef = (z: number, y: number): number => y * softplusRef(-z) + (1 - y) * softplusRef(z)

/** sigmoid(z) - y as y·(-sigmoid(-z)) + (1 - y)·sigmoid(z), sigmoid(u) = 1 / (1 + e^-u). */
const gradRef = (z: number, y: number): number => y * (-1 / (1 + Math.exp(z))) + (1 - y) * (1 / (1 + Math.exp(-z)))

const relErr = (a: number, ref: number): number => (a === ref ? 0 : Math.abs(a - ref) / Math.abs(ref))

const label = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }))

const EXTREMES = [
  0, -0, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-300, -1e-300, 1e-8, -1e-8, 36, -36, 40, -40, 700, -700, 745, -745,
  1e3, -1e3, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE,
]

describe('sigmoidBce values', () => {
  it('equals the cross-entropy reference to 5e-15 relative for |z| <= 700 (observed worst: 1.1e-15)', () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), label, (z, y) => {
        const l = sigmoidBce(z, y)
        const ref = lossRef(z, y)
        if (!(relErr(l, ref) <= 5e-15)) throw new Error(`l(${z}, ${y}) = ${l}, reference ${ref}`)
      }),
    )
  })

  it('keeps the small log1p term: l(40, 1) = exp(-40) to 1e-15 relative, and likewise in both tails', () => {
    expect(sigmoidBce(40, 1)).toBeGreaterThan(0)
    expect(relErr(sigmoidBce(40, 1), Math.exp(-40))).toBeLessThanOrEqual(1e-15)
    expect(relErr(sigmoidBce(-40, 0), Math.exp(-40))).toBeLessThanOrEqual(1e-15)
    for (const z of [50, 100, 300, 700]) {
      expect(relErr(sigmoidBce(z, 1), Math.exp(-z))).toBeLessThanOrEqual(1e-15)
      expect(relErr(sigmoidBce(-z, 0), Math.exp(-z))).toBeLessThanOrEqual(1e-15)
    }
    expect(sigmoidBce(0, 0)).toBe(Math.LN2)
    expect(sigmoidBce(0, 1)).toBe(Math.LN2)
  })

  it('is finite and non-negative for every finite logit and label in [0, 1], extremes included', () => {
    const check = (z: number, y: number): void => {
      const l = sigmoidBce(z, y)
      const g = sigmoidBceGrad(z, y)
      if (!(Number.isFinite(l) && l >= 0)) throw new Error(`l(${z}, ${y}) = ${l}`)
      if (!(Number.isFinite(g) && g >= -1 && g <= 1)) throw new Error(`dl/dz(${z}, ${y}) = ${g}`)
    }
    for (const z of EXTREMES) for (const y of [0, 0.25, 0.5, 0.75, 1]) check(z, y)
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), label, (z, y) => check(z, y)))
    // In the far tails the loss is linear and exact: l(z, 1) = -z for z << 0, l(z, 0) = z for z >> 0.
    expect(sigmoidBce(-1e300, 1)).toBe(1e300)
    expect(sigmoidBce(1e300, 0)).toBe(1e300)
    expect(sigmoidBce(Number.MAX_VALUE, 0)).toBe(Number.MAX_VALUE)
    expect(sigmoidBce(-Number.MAX_VALUE, 1)).toBe(Number.MAX_VALUE)
    expect(sigmoidBce(1e3, 1)).toBe(0)
    expect(sigmoidBce(-1e3, 0)).toBe(0)
    expect(sigmoidBce(1e3, 0.5)).toBe(500)
  })
})

describe('sigmoidBceGrad values', () => {
  it('equals sigmoid(z) - y (reference above) to 1e-14 relative (1e-16 absolute under cancellation) for |z| <= 700', () => {
    fc.assert(
      fc.property(fc.double({ min: -700, max: 700, noNaN: true }), label, (z, y) => {
        const g = sigmoidBceGrad(z, y)
        const ref = gradRef(z, y)
        // With 0 < y < 1 the two terms of ref have opposite signs; their sum may cancel,
        // so allow an absolute error of one ulp of 1 as well.
        if (!(Math.abs(g - ref) <= 1e-14 * Math.abs(ref) + 2.3e-16)) throw new Error(`dl/dz(${z}, ${y}) = ${g}, reference ${ref}`)
      }),
    )
  })

  it('is accurate in the tails: y = 1, z >> 0 gives -exp(-z); y = 0, z << 0 gives exp(z)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 700, noNaN: true }), (z) => {
        // -sigmoid(-z) = -1 / (1 + e^z): no cancellation, accurate to a few ulps.
        expect(relErr(sigmoidBceGrad(z, 1), -1 / (1 + Math.exp(z)))).toBeLessThanOrEqual(1e-15)
        expect(relErr(sigmoidBceGrad(-z, 0), 1 / (1 + Math.exp(z)))).toBeLessThanOrEqual(1e-15)
      }),
    )
    expect(relErr(sigmoidBceGrad(40, 1), -Math.exp(-40))).toBeLessThanOrEqual(1e-15)
    expect(sigmoidBceGrad(40, 1)).toBeLessThan(0)
    expect(sigmoidBceGrad(0, 1)).toBe(-0.5)
    expect(sigmoidBceGrad(0, 0)).toBe(0.5)
    expect(sigmoidBceGrad(1e300, 0)).toBe(1)
    expect(sigmoidBceGrad(-1e300, 1)).toBe(-1)
  })
})

describe('gradients against central differences', () => {
  const logitsLabelsProjection = matricesWithShapes(2, ([n = 1, m = 1]) => [[n, m], [n, m], [n, m]], 6).map(
    ([z, y, c]) => ({
      z: fromFlat((z as Matrix).rows, (z as Matrix).cols, toFlat(z as Matrix).map((v) => v * 5)),
      // Labels in [0, 1] from the [-10, 10] pool.
      y: fromFlat((y as Matrix).rows, (y as Matrix).cols, toFlat(y as Matrix).map((v) => (v + 10) / 20)),
      c: c as Matrix,
    }),
  )

  it('sigmoidBceLossGrad equals central differences of the summed loss, for matrix and scalar labels', () => {
    fc.assert(
      fc.property(logitsLabelsProjection, label, ({ z, y }, s) => {
        expectGradientClose('d sum l(z, Y) / dz', (z1) => sum(sigmoidBceLoss(z1, y)), z, sigmoidBceLossGrad(z, y))
        expectGradientClose('d sum l(z, s) / dz', (z1) => sum(sigmoidBceLoss(z1, s)), z, sigmoidBceLossGrad(z, s))
      }),
    )
  })

  it('and of a weighted sum <c, l(z, y)> (the gradient is per entry, not averaged)', () => {
    fc.assert(
      fc.property(logitsLabelsProjection, ({ z, y, c }) => {
        const g = sigmoidBceLossGrad(z, y)
        const weighted = fromFlat(g.rows, g.cols, toFlat(g).map((v, i) => v * (c.data[i] as number)))
        expectGradientClose('d <c, l(z, y)> / dz', (z1) => frobeniusInner(c, sigmoidBceLoss(z1, y)), z, weighted)
      }),
    )
  })
})

describe('matrix forms', () => {
  it('apply the scalar functions entry by entry; a scalar label equals a filled label matrix', () => {
    fc.assert(
      fc.property(
        matricesWithShapes(2, ([n = 1, m = 1]) => [[n, m]], 6, { min: -1e3, max: 1e3 }),
        label,
        ([z], s) => {
          const zm = z as Matrix
          const filled = fromFlat(zm.rows, zm.cols, toFlat(zm).map(() => s))
          expect(toFlat(sigmoidBceLoss(zm, s))).toEqual(toFlat(zm).map((v) => sigmoidBce(v, s)))
          expect(toFlat(sigmoidBceLossGrad(zm, s))).toEqual(toFlat(zm).map((v) => sigmoidBceGrad(v, s)))
          expect(sigmoidBceLoss(zm, filled)).toEqualBits(sigmoidBceLoss(zm, s))
          expect(sigmoidBceLossGrad(zm, filled)).toEqualBits(sigmoidBceLossGrad(zm, s))
        },
      ),
    )
  })

  it('never write to their inputs', () => {
    fc.assert(
      fc.property(matricesWithShapes(2, ([n = 1, m = 1]) => [[n, m], [n, m]], 6, { min: 0, max: 1 }), ([z, y]) => {
        const zm = z as Matrix
        const ym = y as Matrix
        const [z0, y0] = [toFlat(zm), toFlat(ym)]
        sigmoidBceLoss(zm, ym)
        sigmoidBceLossGrad(zm, ym)
        expect(toFlat(zm)).toEqual(z0)
        expect(toFlat(ym)).toEqual(y0)
      }),
    )
  })

  it('reject labels of another shape (naming both shapes) or outside [0, 1]', () => {
    const z = fromArrays([[0], [1]])
    expect(() => sigmoidBceLoss(z, fromArrays([[0, 1]]))).toThrow(ShapeError)
    expect(() => sigmoidBceLoss(z, fromArrays([[0, 1]]))).toThrow(/sigmoidBceLoss: logits \(2x1\) and labels \(1x2\) differ in shape/)
    expect(() => sigmoidBceLossGrad(z, fromArrays([[0, 1]]))).toThrow(/sigmoidBceLossGrad: logits \(2x1\) and labels \(1x2\)/)
    expect(() => sigmoidBceLoss(z, 2)).toThrow(RangeError)
    expect(() => sigmoidBceLoss(z, Number.NaN)).toThrow(RangeError)
    expect(() => sigmoidBceLossGrad(z, fromArrays([[0], [-0.5]]))).toThrow(/labels must be in \[0, 1\], got -0.5 at entry 1/)
  })

  it('stay finite on extreme logits', () => {
    const z = fromFlat(EXTREMES.length, 1, EXTREMES)
    for (const y of [0, 0.5, 1]) {
      expect(toFlat(sigmoidBceLoss(z, y)).every(Number.isFinite)).toBe(true)
      expect(toFlat(sigmoidBceLossGrad(z, y)).every(Number.isFinite)).toBe(true)
    }
  })
})

describe('evaluation order (the bits of a run depend on it; docs/gradients.md)', () => {
  // Labels whose rounding differs between (1 - y) - 1/2 and 1/2 - y, and the branch boundary z = ±0.
  const boundaryLabel = fc.oneof(label, fc.constantFrom(2 ** -54, 1e-17, 1 - 2 ** -53, 0.3))
  const logit = fc.oneof(fc.constantFrom(0, -0), fc.double({ min: -800, max: 800, noNaN: true }))

  it('the gradient is (1 - y) - e/(1 + e), e = exp(-z), for z >= 0 (z = ±0 included) and e/(1 + e) - y, e = exp(z), for z < 0, bit for bit', () => {
    fc.assert(
      fc.property(logit, boundaryLabel, (z, y) => {
        const e = elementary.exp(-Math.abs(z))
        const expected = z >= 0 ? 1 - y - e / (1 + e) : e / (1 + e) - y
        expect(Object.is(sigmoidBceGrad(z, y), expected)).toBe(true)
      }),
    )
    // The two forms differ at z = 0 for such a label: 1 - 2^-54 rounds to 1.
    expect(sigmoidBceGrad(0, 2 ** -54)).toBe(0.5)
    expect(0.5 - 2 ** -54).not.toBe(0.5)
  })

  it('the shared-exponential forms used by the GAN step equal sigmoidBce and sigmoidBceGrad bit for bit', () => {
    fc.assert(
      fc.property(logit, boundaryLabel, (z, y) => {
        const e = expNegAbs(z)
        expect(Object.is(e, elementary.exp(-Math.abs(z)))).toBe(true)
        expect(Object.is(sigmoidBceWithSoftplus(z, y, elementary.log1p(e)), sigmoidBce(z, y))).toBe(true)
        expect(Object.is(sigmoidBceGradWithExp(z, y, e), sigmoidBceGrad(z, y))).toBe(true)
      }),
    )
  })
})

describe('softplusTermsInto', () => {
  it('writes expNegAbs(z) and log1p of it for each logit, at its offsets, and nothing else', () =>
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(0, -0), fc.double({ min: -800, max: 800, noNaN: true })), { maxLength: 20 }), fc.nat(4), (zs, gap) => {
        const n = zs.length
        // a finite sentinel, so that a write past a stretch (of a value read past the logits) shows
        const ws = new Float64Array(3 * n + 3 * gap + 2).fill(7.5)
        const zOff = gap
        const eOff = zOff + n + gap
        const sOff = eOff + n + gap
        ws.set(zs, zOff)
        softplusTermsInto({ data: ws, off: zOff }, { data: ws, off: eOff }, { data: ws, off: sOff }, n)
        for (let i = 0; i < ws.length; i++) {
          const e = i >= eOff && i < eOff + n ? expNegAbs(zs[i - eOff]!) : undefined
          const sp = i >= sOff && i < sOff + n ? elementary.log1p(expNegAbs(zs[i - sOff]!)) : undefined
          const z = i >= zOff && i < zOff + n ? zs[i - zOff]! : undefined
          expect(Object.is(ws[i], e ?? sp ?? z ?? 7.5), `entry ${i}`).toBe(true)
        }
      }),
    ))
})

describe('label validation, every branch', () => {
  it('rejects a scalar label below 0 or above 1 naming the value (and no entry), and a label matrix entry on either side naming the entry', () => {
    const z = fromArrays([[0], [1]])
    for (const f of [sigmoidBceLoss, sigmoidBceLossGrad]) {
      const op = f === sigmoidBceLoss ? 'sigmoidBceLoss' : 'sigmoidBceLossGrad'
      expect(() => f(z, -0.5)).toThrow(new RangeError(`${op}: labels must be in [0, 1], got -0.5`))
      expect(() => f(z, 1.5)).toThrow(new RangeError(`${op}: labels must be in [0, 1], got 1.5`))
      expect(() => f(z, fromArrays([[1], [1.25]]))).toThrow(new RangeError(`${op}: labels must be in [0, 1], got 1.25 at entry 1`))
      expect(() => f(z, fromArrays([[-1], [0]]))).toThrow(new RangeError(`${op}: labels must be in [0, 1], got -1 at entry 0`))
      // The bounds themselves are labels.
      expect(() => f(z, 0)).not.toThrow()
      expect(() => f(z, 1)).not.toThrow()
      expect(() => f(z, fromArrays([[0], [1]]))).not.toThrow()
    }
  })

  it('rejects labels differing from the logits in rows only or in columns only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (n, m, d, rowsDiffer) => {
        const z = fromFlat(n, m, new Array<number>(n * m).fill(0))
        const [r, c] = rowsDiffer ? [n + d, m] : [n, m + d]
        const y = fromFlat(r, c, new Array<number>(r * c).fill(0.5))
        const msg = `logits (${n}x${m}) and labels (${r}x${c}) differ in shape`
        expect(() => sigmoidBceLoss(z, y)).toThrow(ShapeError)
        expect(() => sigmoidBceLoss(z, y)).toThrow(`sigmoidBceLoss: ${msg}`)
        expect(() => sigmoidBceLossGrad(z, y)).toThrow(`sigmoidBceLossGrad: ${msg}`)
      }),
    )
  })
})
