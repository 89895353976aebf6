/**
 * Gaussian summaries of samples and the Fréchet distance between two Gaussians
 * (the quantity behind FID): `|mu1 - mu2|² + tr(S1 + S2 - 2 (S1^½ S2 S1^½)^½)`.
 *
 * @module
 */
import { type Matrix, ShapeError, firstNonFinite, shapeOf } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { highWord, pow2, scale2 } from '../elementary/bits.js'

/**
 * Matrices whose largest |entry| lies in `[2^-250, 2^250]` are decomposed as given; others
 * are first scaled by a power of two (exact) so that it lies in `[1, 2)` (or `[1, 4)`), since
 * the Jacobi stopping test sums squares of entries, which overflow above about 1e154 and
 * underflow below about 1e-162. Inside the range the squares (and the squares of entries
 * 2^-260 times smaller) stay normal, so the results there are those of the unscaled loop.
 */
const SAFE_MIN = pow2(-250)
const SAFE_MAX = 2 ** 250

/** The e with `2^e <= m < 2^(e+1)`, for a finite `m > 0` (normal or subnormal). */
const exponentOf = (m: number): number => {
  if (m < pow2(-1022)) return ((highWord(m * 2 ** 54) >>> 20) & 0x7ff) - 1023 - 54
  return ((highWord(m) >>> 20) & 0x7ff) - 1023
}

/** The largest |entry| of the first `len` entries of `data`. */
const maxAbsOf = (data: ArrayLike<number>, len: number): number => {
  let m = 0
  for (let i = 0; i < len; i++) m = Math.max(m, Math.abs(data[i] as number))
  return m
}

/** The power-of-two exponent that brings `m` into `[1, 2)` (`even`: into `[1, 4)` by an even one), or 0 when `m` is 0 or already in `[SAFE_MIN, SAFE_MAX]`. */
const rescaleExponent = (m: number, even: boolean): number => {
  if (m === 0 || (m >= SAFE_MIN && m <= SAFE_MAX)) return 0
  const e = exponentOf(m)
  return even ? -2 * Math.floor(e / 2) : -e
}

/**
 * The `1 x d` mean of the rows of an `n x d` sample (n >= 1), summed from row 0.
 *
 * @example
 * import { fromArrays, sampleMean, toArrays } from 'pure-gan'
 * toArrays(sampleMean(fromArrays([[0, 1], [2, 3]]))) // [[1, 2]]
 *
 * @category statistics
 * @since 0.1.0
 */
export const sampleMean = (x: Matrix): Matrix => {
  if (x.rows < 1) throw new ShapeError(`sampleMean: needs at least one row, got ${shapeOf(x)}`)
  const d = x.cols
  const out = new Float64Array(d)
  for (let i = 0; i < x.rows; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND
    for (let j = 0; j < d; j++) out[j] = out[j]! + (x.data[i * d + j] as number)
  }
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let j = 0; j < d; j++) out[j] = out[j]! / x.rows
  return unsafeFromFloat64Array(1, d, out)
}

/**
 * The `d x d` unbiased sample covariance (divisor n - 1) of an `n x d` sample (n >= 2),
 * computed around the sample mean in two passes.
 *
 * @example
 * import { fromArrays, sampleCovariance, toArrays } from 'pure-gan'
 * toArrays(sampleCovariance(fromArrays([[0], [2]]))) // [[2]]
 *
 * @category statistics
 * @since 0.1.0
 */
export const sampleCovariance = (x: Matrix): Matrix => {
  if (x.rows < 2) throw new ShapeError(`sampleCovariance: needs at least two rows, got ${shapeOf(x)}`)
  const d = x.cols
  const mu = sampleMean(x).data
  const out = new Float64Array(d * d)
  for (let i = 0; i < x.rows; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
    for (let a = 0; a < d; a++) {
      const da = (x.data[i * d + a] as number) - (mu[a] as number)
      // Stryker disable next-line EqualityOperator: E-BOUND the symmetric fill overwrites
      for (let b = a; b < d; b++) out[a * d + b] = out[a * d + b]! + da * ((x.data[i * d + b] as number) - (mu[b] as number))
    }
  }
  // Stryker disable next-line EqualityOperator: E-BOUND the inner loop is empty
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = out[a * d + b]! / (x.rows - 1)
      out[a * d + b] = v
      out[b * d + a] = v
    }
  }
  return unsafeFromFloat64Array(d, d, out)
}

const checkSymmetric = (op: string, s: Matrix): void => {
  if (s.rows !== s.cols) throw new ShapeError(`${op}: needs a square matrix, got ${shapeOf(s)}`)
  const bad = firstNonFinite(s)
  if (bad >= 0) {
    throw new RangeError(`${op}: the matrix must be finite; entry (${Math.floor(bad / s.cols)}, ${bad % s.cols}) is ${s.data[bad]}`)
  }
  for (let i = 0; i < s.rows; i++) {
    // Stryker disable next-line EqualityOperator: E-NOOP a finite entry equals itself
    for (let j = 0; j < i; j++) {
      const a = s.data[i * s.cols + j] as number
      const b = s.data[j * s.cols + i] as number
      if (!(Math.abs(a - b) <= 1e-12 * (Math.abs(a) + Math.abs(b)) + Number.MIN_VALUE)) {
        throw new RangeError(`${op}: the matrix must be symmetric; entry (${i}, ${j}) = ${a} but (${j}, ${i}) = ${b}`)
      }
    }
  }
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by the cyclic Jacobi method (fixed
 * sweep order, so the result is deterministic). Returns `values` (length d, unsorted) and
 * `vectors` (d x d, eigenvector k in column k), with `S = V diag(values) Vᵀ`, and `sweeps`,
 * the number of sweeps of rotations it took.
 *
 * Sweeps stop when the off-diagonal sum of squares `off` is at most `1e-32` of the total, or
 * is 0, or no longer falls from one sweep to the next (rounding level: further sweeps only
 * move rounding errors), and after 100 sweeps at most. Without the third test a matrix wider
 * than a few rows always ran all 100 sweeps; it changes no result that met one of the others
 * (properties/adversarial/eigen-sweeps.test.ts).
 *
 * Works at every finite scale: a matrix whose largest |entry| is outside `[2^-250, 2^250]`
 * is scaled by a power of two `2^s` (exact) so that it is in `[1, 2)`, decomposed, and its
 * eigenvalues scaled back by `2^-s` (one rounding at most, into the subnormal range or to
 * ±Infinity); the eigenvectors are those of the scaled matrix. So the eigenvalues of `2^k·S`
 * are `2^k` times those of `S` and the vectors the same, bit for bit, wherever no value of
 * either computation is subnormal: not an entry, and not an intermediate of the rotations,
 * which a matrix whose entries span some 2^300 or more can meet, since `S` and `2^k·S` may
 * be decomposed at different internal scales. (Before 0.5.0 the sums of squares of its stopping test overflowed above
 * about 1e154 or underflowed below about 1e-162, and it returned the diagonal unrotated.)
 *
 * Throws a `ShapeError` for a matrix that is not square, and a `RangeError` for one with a
 * NaN or infinite entry (named first) or one that is not symmetric.
 *
 * @category linear algebra
 * @since 0.1.0
 */
export const symmetricEigen = (s: Matrix): { readonly values: ReadonlyArray<number>; readonly vectors: Matrix; readonly sweeps: number } => {
  checkSymmetric('symmetricEigen', s)
  const n = s.rows
  const shift = rescaleExponent(maxAbsOf(s.data, n * n), false)
  const a = Float64Array.from(s.data as unknown as Float64Array)
  if (shift !== 0) for (let i = 0; i < n * n; i++) a[i] = scale2(a[i]!, shift)
  const v = new Float64Array(n * n)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  // The sum of squares off the diagonal after the previous sweep: once a sweep fails to lower
  // it, the rotations only move rounding errors around, and the loop stops.
  let previousOff = Infinity
  let sweeps = 0
  // Stryker disable next-line EqualityOperator: E-CONTRACT more sweeps
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    let total = 0
    // The convergence test (its disabled mutants only make it stop later: E-CONTRACT).
    // Stryker disable next-line EqualityOperator: E-CONTRACT reads undefined
    for (let i = 0; i < n; i++) {
      // Stryker disable next-line EqualityOperator: E-CONTRACT reads undefined
      for (let j = 0; j < n; j++) {
        // Stryker disable next-line ArithmeticOperator: E-CONTRACT reads undefined
        const x = a[i * n + j]!
        // Stryker disable next-line AssignmentOperator: E-CONTRACT more sweeps
        total += x * x
        // Stryker disable next-line ConditionalExpression: E-CONTRACT more sweeps
        if (i !== j) off += x * x
      }
    }
    // off <= total always, so `|| off === 0` never decides anything either.
    // Stryker disable next-line ConditionalExpression,LogicalOperator: E-CONTRACT more sweeps
    // Stryker disable next-line EqualityOperator: E-CONTRACT more sweeps
    if (off <= 1e-32 * total || off === 0) break
    if (off >= previousOff) break
    previousOff = off
    sweeps++
    // Stryker disable next-line EqualityOperator,ArithmeticOperator: E-BOUND empty inner loop
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!
        if (apq === 0) continue
        const app = a[p * n + p]!
        const aqq = a[q * n + q]!
        // Rotation angle that zeroes a_pq (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (aqq - app) / (2 * apq)
        // Stryker disable next-line EqualityOperator: E-CONTRACT rotates by -45 degrees
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const sn = t * c
        // Stryker disable next-line EqualityOperator: E-BOUND
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!
          const akq = a[k * n + q]!
          a[k * n + p] = c * akp - sn * akq
          a[k * n + q] = sn * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!
          const aqk = a[q * n + k]!
          a[p * n + k] = c * apk - sn * aqk
          a[q * n + k] = sn * apk + c * aqk
        }
        // Stryker disable next-line EqualityOperator: E-BOUND
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!
          const vkq = v[k * n + q]!
          v[k * n + p] = c * vkp - sn * vkq
          v[k * n + q] = sn * vkp + c * vkq
        }
      }
    }
  }
  const values: number[] = []
  for (let i = 0; i < n; i++) values.push(shift === 0 ? a[i * n + i]! : scale2(a[i * n + i]!, -shift))
  return { values, vectors: unsafeFromFloat64Array(n, n, v), sweeps }
}

/**
 * The symmetric square root `S^½ = V diag(sqrt(max(λ, 0))) Vᵀ` of a symmetric positive
 * semi-definite matrix. Eigenvalues below zero (round-off of a PSD matrix) are clamped to 0.
 *
 * @category linear algebra
 * @since 0.1.0
 */
export const sqrtPsd = (s: Matrix): Matrix => {
  const { values, vectors } = symmetricEigen(s)
  const n = s.rows
  const out = new Float64Array(n * n)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < n; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND the next row overwrites
    for (let j = 0; j < n; j++) {
      let acc = 0
      for (let k = 0; k < n; k++) acc += (vectors.data[i * n + k] as number) * Math.sqrt(Math.max(values[k] as number, 0)) * (vectors.data[j * n + k] as number)
      out[i * n + j] = acc
    }
  }
  return unsafeFromFloat64Array(n, n, out)
}

/**
 * The squared Fréchet (2-Wasserstein) distance between N(mu1, S1) and N(mu2, S2):
 * `|mu1 - mu2|² + tr(S1) + tr(S2) - 2 tr((S1^½ S2 S1^½)^½)`. Means are `1 x d`, covariances
 * `d x d` symmetric PSD. Zero for identical Gaussians (up to round-off; clamped at 0).
 * Covariances whose largest |entry| is outside `[2^-250, 2^250]` are scaled by an even power
 * of two `c` first (exact) and the trace of the square root scaled back by `1/c`, so it works
 * at every finite scale (since 0.5.0; before, `S1^½ S2 S1^½` overflowed or underflowed there).
 *
 * @example
 * import { frechetDistance, fromArrays, identity } from 'pure-gan'
 * frechetDistance(fromArrays([[0, 0]]), identity(2), fromArrays([[3, 4]]), identity(2)) // 25
 *
 * @category statistics
 * @since 0.1.0
 */
export const frechetDistance = (mu1: Matrix, s1: Matrix, mu2: Matrix, s2: Matrix): number => {
  const d = mu1.cols
  if (mu1.rows !== 1 || mu2.rows !== 1 || mu2.cols !== d || s1.rows !== d || s1.cols !== d || s2.rows !== d || s2.cols !== d) {
    throw new ShapeError(
      `frechetDistance: means must be (1x${d}) and covariances (${d}x${d}), got ${shapeOf(mu1)}, ${shapeOf(s1)}, ${shapeOf(mu2)}, ${shapeOf(s2)}`,
    )
  }
  let meanTerm = 0
  for (let j = 0; j < d; j++) {
    const diff = (mu1.data[j] as number) - (mu2.data[j] as number)
    meanTerm += diff * diff
  }
  // Covariances outside [2^-250, 2^250] are scaled by an even power of two c = 2^shift (exact,
  // and exact under sqrt) so that M below neither overflows nor underflows; tr((S1^½ S2 S1^½)^½)
  // scales by c, so its sum is scaled back by 1/c.
  const shift = rescaleExponent(Math.max(maxAbsOf(s1.data, d * d), maxAbsOf(s2.data, d * d)), true)
  const scaled = (sm: Matrix): Matrix => (shift === 0 ? sm : unsafeFromFloat64Array(d, d, Float64Array.from(sm.data, (x) => scale2(x, shift))))
  const a1 = scaled(s1)
  const a2 = scaled(s2)
  const r = sqrtPsd(a1)
  // M = S1^½ S2 S1^½ = R (S2 R), symmetric PSD, in O(d³): T = S2 R first (each entry summed
  // over l in order), then M[i][j] = Σ_k R[i][k] T[k][j] (in order of k). Symmetrised below
  // to remove round-off asymmetry.
  const t = new Float64Array(d * d)
  for (let k = 0; k < d; k++) {
    for (let j = 0; j < d; j++) {
      let inner = 0
      for (let l = 0; l < d; l++) inner += (a2.data[k * d + l] as number) * (r.data[l * d + j] as number)
      t[k * d + j] = inner
    }
  }
  const m = new Float64Array(d * d)
  // Stryker disable next-line EqualityOperator: E-BOUND
  for (let i = 0; i < d; i++) {
    // Stryker disable next-line EqualityOperator: E-BOUND the next row overwrites
    for (let j = 0; j < d; j++) {
      let acc = 0
      for (let k = 0; k < d; k++) acc += (r.data[i * d + k] as number) * (t[k * d + j] as number)
      m[i * d + j] = acc
    }
  }
  for (let i = 0; i < d; i++) {
    // Stryker disable next-line EqualityOperator: E-NOOP (x + x) / 2 = x below 2^1023
    for (let j = 0; j < i; j++) {
      const avg = (m[i * d + j]! + m[j * d + i]!) / 2
      m[i * d + j] = avg
      m[j * d + i] = avg
    }
  }
  const { values } = symmetricEigen(unsafeFromFloat64Array(d, d, m))
  let trSqrt = 0
  for (const lambda of values) trSqrt += Math.sqrt(Math.max(lambda, 0))
  if (shift !== 0) trSqrt = scale2(trSqrt, -shift)
  let tr = 0
  for (let i = 0; i < d; i++) tr += (s1.data[i * d + i] as number) + (s2.data[i * d + i] as number)
  return Math.max(0, meanTerm + tr - 2 * trSqrt)
}

/**
 * `|S - T|_F / |T|_F`: the Frobenius norm of the difference relative to the reference `t`
 * (e.g. a sample covariance against the true one). Shapes must be equal; `t` must not be 0.
 *
 * @example
 * import { fromArrays, relativeFrobeniusError } from 'pure-gan'
 *
 * // 1 / sqrt(2)
 * relativeFrobeniusError(fromArrays([[1, 0], [0, 2]]), fromArrays([[1, 0], [0, 1]])) // 0.7071067811865476
 *
 * @category statistics
 * @since 0.1.0
 */
export const relativeFrobeniusError = (s: Matrix, t: Matrix): number => {
  if (s.rows !== t.rows || s.cols !== t.cols) throw new ShapeError(`relativeFrobeniusError: shapes differ: ${shapeOf(s)} and ${shapeOf(t)}`)
  let num = 0
  let den = 0
  for (let i = 0; i < t.data.length; i++) {
    const x = t.data[i] as number
    const d = (s.data[i] as number) - x
    num += d * d
    den += x * x
  }
  if (den === 0) throw new RangeError('relativeFrobeniusError: the reference matrix is zero')
  return Math.sqrt(num / den)
}
