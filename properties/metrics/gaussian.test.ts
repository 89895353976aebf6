import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, identity, matmul, matmulTransposeB, rowVector, scale, toArrays, transpose, zeros } from '../../src/matrix/index.js'
import { frechetDistance, relativeFrobeniusError, sampleCovariance, sampleMean, sqrtPsd, symmetricEigen } from '../../src/metrics/gaussian.js'
import { finiteDouble, matrixOfShape } from '../support/arbitraries.js'

/** A random symmetric PSD matrix B Bᵀ (d x d) with d in 1..5. */
const psd = fc.integer({ min: 1, max: 5 }).chain((d) => matrixOfShape(d, d, { min: -2, max: 2 }).map((b) => matmulTransposeB(b, b)))

/** A random symmetric matrix (any signs, zero diagonal entries included), d in 1..5. */
const symmetric = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 25, maxLength: 25 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }))
  .map(([d, vs, zeroDiagonal]) => {
    const out = new Array<number>(d * d).fill(0)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = i === j && zeroDiagonal[i] ? 0 : (vs[i * 5 + j] as number)
        out[i * d + j] = v
        out[j * d + i] = v
      }
    }
    return fromFlat(d, d, out)
  })

const sorted = (xs: ReadonlyArray<number>): number[] => [...xs].sort((a, b) => a - b)

/** V diag(values) Vᵀ. */
const recompose = (values: ReadonlyArray<number>, vectors: Matrix): Matrix => {
  const d = vectors.rows
  const lam = fromFlat(d, d, Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? values[i / (d + 1)]! : 0)))
  return matmul(matmul(vectors, lam), transpose(vectors))
}

const maxAbs = (m: Matrix): number => m.data.reduce((acc, x) => Math.max(acc, Math.abs(x)), 0)

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

describe('sample statistics: edge cases and stability', () => {
  it('the mean of one row is that row; no rows is a ShapeError', () => {
    fc.assert(
      fc.property(fc.array(finiteDouble(), { minLength: 1, maxLength: 6 }), (row) => {
        expect(toArrays(sampleMean(rowVector(row)))).toEqual([row.map((x) => 0 + x)])
      }),
    )
    expect(() => sampleMean(zeros(0, 2))).toThrow(new ShapeError('sampleMean: needs at least one row, got (0x2)'))
  })

  it('the covariance of shifted data equals that of the data: deviations are taken from the mean (two-pass)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }),
        fc.constantFrom(1e6, -3e7, 2 ** 30),
        (n, d, vs, shift) => {
          // y = x + shift, and z = y - shift exactly (Sterbenz): z and y have the same covariance.
          const y = fromFlat(n, d, vs.slice(0, n * d).map((x) => x + shift))
          const z = fromFlat(n, d, Array.from(y.data, (v) => v - shift))
          const cz = sampleCovariance(z)
          const tol = 1e-7 * (1 + maxAbs(cz))
          expect(maxAbsDiff(sampleCovariance(y), cz)).toBeLessThanOrEqual(tol)
        },
      ),
    )
  })
})

describe('symmetric eigen-decomposition and square root', () => {
  it('works for any symmetric matrix, indefinite and with zero diagonal entries included', () => {
    fc.assert(
      fc.property(symmetric, (s) => {
        const { values, vectors } = symmetricEigen(s)
        const scaleOf = 1 + maxAbs(s)
        expect(maxAbsDiff(recompose(values, vectors), s)).toBeLessThan(1e-12 * scaleOf)
        expect(maxAbsDiff(matmul(transpose(vectors), vectors), identity(s.rows))).toBeLessThan(1e-12)
      }),
    )
    const [lo, hi] = sorted(symmetricEigen(fromArrays([[0, 1], [1, 0]])).values)
    expect(Math.abs(lo! + 1)).toBeLessThan(1e-15)
    expect(Math.abs(hi! - 1)).toBeLessThan(1e-15)
  })

  it('is accurate at any scale: the eigenvalues of c·S are c times those of S, for c = 2^-60 and 2^60', () => {
    fc.assert(
      fc.property(symmetric, fc.constantFrom(2 ** -60, 2 ** 60), (s, c) => {
        const base = sorted(symmetricEigen(s).values)
        const scaled = sorted(symmetricEigen(scale(s, c)).values)
        const tol = 1e-12 * (1 + maxAbs(s))
        scaled.forEach((v, i) => expect(Math.abs(v / c - base[i]!)).toBeLessThan(tol))
      }),
    )
  })

  it('sqrtPsd(S) is the positive semi-definite root: symmetric, with eigenvalues >= 0 (not -S^½)', () => {
    fc.assert(
      fc.property(psd, (s) => {
        const r = sqrtPsd(s)
        const tol = 1e-9 * (1 + maxAbs(s))
        expect(maxAbsDiff(r, transpose(r))).toBeLessThan(tol)
        const symmetrised = fromFlat(r.rows, r.cols, Array.from(r.data, (x, i) => (x + r.data[(i % r.cols) * r.cols + Math.floor(i / r.cols)]!) / 2))
        for (const v of symmetricEigen(symmetrised).values) expect(v).toBeGreaterThanOrEqual(-tol)
      }),
    )
    expect(toArrays(sqrtPsd(fromArrays([[4, 0], [0, 9]])))).toEqual([[2, 0], [0, 3]])
  })

  it('accepts asymmetry up to 1e-12 relative at every scale (and one subnormal step next to 0), rejects more', () => {
    fc.assert(
      fc.property(fc.integer({ min: -300, max: 300 }), fc.boolean(), (k, lowerBigger) => {
        const s = 2 ** k
        const make = (delta: number) => {
          const a = s * (1 + delta)
          return lowerBigger ? fromArrays([[s, s], [a, s]]) : fromArrays([[s, a], [s, s]])
        }
        expect(() => symmetricEigen(make(2 ** -42))).not.toThrow() // 2.3e-13 relative
        expect(() => symmetricEigen(make(2 ** -36))).toThrow(RangeError) // 1.5e-11 relative
      }),
    )
    expect(() => symmetricEigen(fromArrays([[1, 0], [Number.MIN_VALUE, 1]]))).not.toThrow()
    expect(() => symmetricEigen(fromArrays([[1, 0], [2 * Number.MIN_VALUE, 1]]))).toThrow(
      'symmetricEigen: the matrix must be symmetric; entry (1, 0) = 1e-323 but (0, 1) = 0',
    )
  })

  it('rejects a non-square matrix naming its shape', () => {
    expect(() => symmetricEigen(zeros(2, 3))).toThrow(new ShapeError('symmetricEigen: needs a square matrix, got (2x3)'))
    expect(() => sqrtPsd(zeros(3, 1))).toThrow(new ShapeError('symmetricEigen: needs a square matrix, got (3x1)'))
  })


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

  it('rejects means and covariances of mismatched shapes, naming all four', () => {
    const m = zeros(1, 2)
    const c = identity(2)
    const cases: ReadonlyArray<readonly [Matrix, Matrix, Matrix, Matrix, string]> = [
      [zeros(2, 2), c, m, c, '(2x2), (2x2), (1x2), (2x2)'],
      [m, c, zeros(2, 2), c, '(1x2), (2x2), (2x2), (2x2)'],
      [m, c, zeros(1, 3), c, '(1x2), (2x2), (1x3), (2x2)'],
      [m, zeros(3, 2), m, c, '(1x2), (3x2), (1x2), (2x2)'],
      [m, zeros(2, 3), m, c, '(1x2), (2x3), (1x2), (2x2)'],
      [m, c, m, zeros(3, 2), '(1x2), (2x2), (1x2), (3x2)'],
      [m, c, m, zeros(2, 3), '(1x2), (2x2), (1x2), (2x3)'],
    ]
    for (const [mu1, s1, mu2, s2, shapes] of cases) {
      expect(() => frechetDistance(mu1, s1, mu2, s2)).toThrow(new ShapeError(`frechetDistance: means must be (1x2) and covariances (2x2), got ${shapes}`))
    }
  })

  it('relativeFrobeniusError equals sqrt(Σ(s - t)² / Σt²); shapes must agree and t must not be zero', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 32, maxLength: 32 }), (r, c, vs) => {
        const s = fromFlat(r, c, vs.slice(0, r * c))
        const t = fromFlat(r, c, vs.slice(16, 16 + r * c))
        const den = t.data.reduce((acc, x) => acc + x * x, 0)
        fc.pre(den > 0)
        const num = Array.from(s.data, (x, i) => (x - t.data[i]!) ** 2).reduce((a, b) => a + b, 0)
        expect(relativeFrobeniusError(s, t)).toBeCloseTo(Math.sqrt(num / den), 12)
      }),
    )
    expect(() => relativeFrobeniusError(zeros(2, 2), zeros(3, 2))).toThrow(new ShapeError('relativeFrobeniusError: shapes differ: (2x2) and (3x2)'))
    expect(() => relativeFrobeniusError(zeros(2, 2), zeros(2, 3))).toThrow(new ShapeError('relativeFrobeniusError: shapes differ: (2x2) and (2x3)'))
    expect(() => relativeFrobeniusError(identity(2), zeros(2, 2))).toThrow(new RangeError('relativeFrobeniusError: the reference matrix is zero'))
  })

  it('relativeFrobeniusError is |S - T|_F / |T|_F', () => {
    expect(relativeFrobeniusError(fromArrays([[1, 0], [0, 2]]), fromArrays([[1, 0], [0, 1]]))).toBeCloseTo(1 / Math.SQRT2, 15)
  })
})
