import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, fromArrays, fromFlat, identity, matmul, matmulTransposeB, toArrays, transpose } from '../src/matrix/index.js'
import { frechetDistance, relativeFrobeniusError, sampleCovariance, sampleMean, sqrtPsd, symmetricEigen } from '../src/metrics/gaussian.js'
import { matrixOfShape } from './support/arbitraries.js'

/** A random symmetric PSD matrix B Bᵀ (d x d) with d in 1..5. */
const psd = fc.integer({ min: 1, max: 5 }).chain((d) => matrixOfShape(d, d, { min: -2, max: 2 }).map((b) => matmulTransposeB(b, b)))

const maxAbsDiff = (a: Matrix, b: Matrix): number => {
  let m = 0
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs((a.data[i] as number) - (b.data[i] as number)))
  return m
}

describe('sample statistics', () => {
  it('mean and unbiased covariance agree with the two-pass definitions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 4 }), fc.context(), (n, d, ctx) => {
        const rows = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i * 7 + j * 3 + n)))
        const x = fromArrays(rows)
        ctx.log(`n=${n} d=${d}`)
        const mu = rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n)
        toArrays(sampleMean(x))[0]!.forEach((m, j) => expect(m).toBeCloseTo(mu[j]!, 14))
        const cov = toArrays(sampleCovariance(x))
        for (let a = 0; a < d; a++) {
          for (let b = 0; b < d; b++) {
            const c = rows.reduce((s, r) => s + (r[a]! - mu[a]!) * (r[b]! - mu[b]!), 0) / (n - 1)
            expect(cov[a]![b]).toBeCloseTo(c, 13)
          }
        }
      }),
    )
    expect(() => sampleCovariance(fromArrays([[1, 2]]))).toThrow('sampleCovariance: needs at least two rows, got (1x2)')
  })
})

describe('symmetric eigen-decomposition and square root', () => {
  it('V diag(λ) Vᵀ reconstructs S and V is orthogonal', () => {
    fc.assert(
      fc.property(psd, (s) => {
        const { values, vectors } = symmetricEigen(s)
        const d = s.rows
        const lam = fromFlat(d, d, Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? values[i / (d + 1)]! : 0)))
        const scaleOf = 1 + Math.max(...Array.from(s.data as unknown as Float64Array).map(Math.abs))
        expect(maxAbsDiff(matmul(matmul(vectors, lam), transpose(vectors)), s)).toBeLessThan(1e-12 * scaleOf)
        expect(maxAbsDiff(matmul(transpose(vectors), vectors), identity(d))).toBeLessThan(1e-12)
      }),
    )
  })

  it('sqrtPsd(S)² = S', () => {
    fc.assert(
      fc.property(psd, (s) => {
        const r = sqrtPsd(s)
        const scaleOf = 1 + Math.max(...Array.from(s.data as unknown as Float64Array).map(Math.abs))
        expect(maxAbsDiff(matmul(r, r), s)).toBeLessThan(1e-9 * scaleOf)
      }),
    )
  })

  it('rejects non-symmetric input naming the entries', () => {
    expect(() => symmetricEigen(fromArrays([[1, 2], [3, 4]]))).toThrow('symmetricEigen: the matrix must be symmetric; entry (1, 0) = 3 but (0, 1) = 2')
  })
})

describe('Fréchet distance', () => {
  it('is zero between a Gaussian and itself, and |mu1 - mu2|² when covariances are equal', () => {
    fc.assert(
      fc.property(psd, fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 10, maxLength: 10 }), (s, shift) => {
        const d = s.rows
        const mu1 = fromFlat(1, d, shift.slice(0, d))
        const mu2 = fromFlat(1, d, shift.slice(5, 5 + d))
        const scaleOf = 1 + s.data.reduce((m, x) => Math.max(m, Math.abs(x)), 0)
        expect(frechetDistance(mu1, s, mu1, s)).toBeLessThan(1e-6 * scaleOf)
        const sq = shift.slice(0, d).reduce((acc, x, j) => acc + (x - shift[5 + j]!) ** 2, 0)
        expect(Math.abs(frechetDistance(mu1, s, mu2, s) - sq)).toBeLessThan(1e-6 * scaleOf + 1e-12 * sq)
      }),
    )
  })

  it('matches the closed form Σ (sqrt(a_i) - sqrt(b_i))² for diagonal covariances', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0.01, max: 9, noNaN: true }), fc.double({ min: 0.01, max: 9, noNaN: true })), { minLength: 1, maxLength: 4 }), (pairs) => {
        const d = pairs.length
        const diag = (vs: number[]) => fromFlat(d, d, Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? vs[i / (d + 1)]! : 0)))
        const zero = fromFlat(1, d, new Array(d).fill(0))
        const expected = pairs.reduce((s, [a, b]) => s + (Math.sqrt(a) - Math.sqrt(b)) ** 2, 0)
        expect(frechetDistance(zero, diag(pairs.map((p) => p[0])), zero, diag(pairs.map((p) => p[1])))).toBeCloseTo(expected, 10)
      }),
    )
  })

  it('is symmetric in its two Gaussians', () => {
    fc.assert(
      fc.property(psd, psd, (a, b) => {
        fc.pre(a.rows === b.rows)
        const z = fromFlat(1, a.rows, new Array(a.rows).fill(0))
        expect(frechetDistance(z, a, z, b)).toBeCloseTo(frechetDistance(z, b, z, a), 6)
      }),
    )
  })

  it('relativeFrobeniusError is |S - T|_F / |T|_F', () => {
    expect(relativeFrobeniusError(fromArrays([[1, 0], [0, 2]]), fromArrays([[1, 0], [0, 1]]))).toBeCloseTo(1 / Math.SQRT2, 15)
  })
})
