/**
 * The Parzen-window log-likelihood (src/metrics/parzen.ts): against the literal transcription
 * in properties/support/parzen-reference.ts bit for bit; with one sample, the Gaussian
 * log-density in closed form; with many samples of N(0, I), the closed form of the smoothed
 * density it estimates, within a justified tolerance at a fixed seed; invariance under
 * permuting the samples and under translation, with their rounding bounds; parzenSigma's
 * choice; logspaceSigmas against correctly rounded values; the refusals' exact messages.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { log } from '../../src/elementary/index.js'
import { ShapeError, fromArrays, toArrays, zeros } from '../../src/matrix/index.js'
import { PARZEN_CONSTANTS, logspaceSigmas, parzenLogLikelihood, parzenSigma } from '../../src/metrics/parzen.js'
import { normalMatrix } from '../../src/random/normal.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { logspaceReference, parzenReference, parzenSigmaReference } from '../support/parzen-reference.js'
import { thrown } from '../support/thrown.js'

/** The unit roundoff, 2^-53. */
const U = 2 ** -53

/** Test rows (1..6) and samples (1..8) of one width 1..4, entries in [-10, 10]. */
const inputs = fc.integer({ min: 1, max: 4 }).chain((d) => {
  const row = fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: d, maxLength: d })
  return fc.record({
    test: fc.array(row, { minLength: 1, maxLength: 6 }),
    samples: fc.array(row, { minLength: 1, maxLength: 8 }),
    d: fc.constant(d),
  })
})
const sigma = fc.double({ min: 0.01, max: 10, noNaN: true })

/** `c = d·|log σ| + (d/2)·log(2π)` in magnitude, for the rounding bounds. */
const cMagnitude = (d: number, s: number): number => d * Math.abs(Math.log(s)) + (d / 2) * 1.84

/**
 * How far two evaluations of one row's `log p` may lie apart when the terms `exp(a_j − M)`
 * are the same but summed in another order: each recursive sum of `n` terms in [0, 1] is
 * within `(n − 1)u·S` of the exact `S`, so `log(S/n)` moves by at most `2(n − 1)u` (plus
 * `2u` for the two divisions by n) between the orders; `log` adds at most one ulp of
 * `log(S/n)` (`≤ 2u·log n`) to each, and `M + L` and `− c` one rounding each, at most
 * `u·(|row| + |c| + log n)` per evaluation. So `2(n+1)u + 4u·log n + 4u·(|row| + |c| + log n)`
 * bounds the difference; the test uses `u·(3n + 8(|row| + |c|) + 8 log n + 8)`, above it.
 */
const reorderBound = (n: number, row: number, c: number): number => U * (3 * n + 8 * (Math.abs(row) + c) + 8 * Math.log(n) + 8)

describe('parzenLogLikelihood against the transcription, bit for bit', () => {
  it('mean, standard error and every row', () => {
    fc.assert(
      fc.property(inputs, sigma, ({ test, samples }, s) => {
        const got = parzenLogLikelihood(fromArrays(test), fromArrays(samples), s)
        const want = parzenReference(test, samples, s)
        expect(Object.is(got.mean, want.mean)).toBe(true)
        expect(Object.is(got.standardError, want.standardError)).toBe(true)
        expect(got.perRow.length).toBe(want.perRow.length)
        got.perRow.forEach((r, i) => expect(Object.is(r, want.perRow[i])).toBe(true))
      }),
      { numRuns: 300 },
    )
  })

  it('parzenSigma and logspaceSigmas', () => {
    fc.assert(
      fc.property(inputs, fc.array(sigma, { minLength: 1, maxLength: 5 }), ({ test, samples }, sigmas) => {
        expect(parzenSigma(fromArrays(test), fromArrays(samples), sigmas)).toEqual(parzenSigmaReference(test, samples, sigmas))
      }),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.integer({ min: -150, max: 150 }), fc.integer({ min: -150, max: 150 }), fc.integer({ min: 2, max: 40 }), (lo, hi, count) => {
        const got = logspaceSigmas(lo / 4, hi / 4, count)
        const want = logspaceReference(lo / 4, hi / 4, count)
        got.forEach((v, k) => expect(Object.is(v, want[k])).toBe(true))
      }),
    )
  })
})

/**
 * Larger cases than `inputs`: 1..40 rows (more than one block of 16 rows, and odd counts),
 * 1..13 samples (every remainder of four), widths 1..5, entries in [-3, 3] so that several
 * windows of the grid below give finite, distinct means.
 */
const blocked = fc.integer({ min: 1, max: 5 }).chain((d) => {
  const row = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: d, maxLength: d })
  return fc.record({ test: fc.array(row, { minLength: 1, maxLength: 40 }), samples: fc.array(row, { minLength: 1, maxLength: 13 }) })
})

describe('the squared distances shared by every window (docs/metrics.md, "Speed")', () => {
  it('parzenSigma over k windows gives, for each, the bits of the literal transcription and of parzenLogLikelihood alone', () => {
    fc.assert(
      fc.property(blocked, fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 1, maxLength: 10 }), ({ test, samples }, sigmas) => {
        const x = fromArrays(test)
        const s = fromArrays(samples)
        const got = parzenSigma(x, s, sigmas)
        expect(got).toEqual(parzenSigmaReference(test, samples, sigmas))
        sigmas.forEach((sk, k) => expect(Object.is(got.means[k], parzenLogLikelihood(x, s, sk).mean)).toBe(true))
      }),
      { numRuns: 100 },
    )
  })

  it('parzenLogLikelihood on more rows than one block: every row the transcription\'s bits', () => {
    fc.assert(
      fc.property(blocked, fc.double({ min: 0.05, max: 5, noNaN: true }), ({ test, samples }, sk) => {
        const got = parzenLogLikelihood(fromArrays(test), fromArrays(samples), sk)
        const want = parzenReference(test, samples, sk)
        got.perRow.forEach((r, i) => expect(Object.is(r, want.perRow[i])).toBe(true))
        expect(Object.is(got.mean, want.mean)).toBe(true)
        expect(Object.is(got.standardError, want.standardError)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it("issue 18's grid on 37 rows of width 20 and 23 samples: the transcription's means, bit for bit", () => {
    const [xm, r1] = normalMatrix(rngFromSeed(18), 37, 20)
    const [sm] = normalMatrix(r1, 23, 20)
    const sigmas = logspaceSigmas(-1, 0, 10).map((v) => v * 4)
    const got = parzenSigma(xm, sm, sigmas)
    const want = parzenSigmaReference(toArrays(xm), toArrays(sm), sigmas)
    got.means.forEach((v, k) => expect(Object.is(v, want.means[k])).toBe(true))
    expect(got.index).toBe(want.index)
    expect(got.means.filter((v) => Number.isFinite(v)).length).toBe(10)
  })
})

describe('answers known in closed form', () => {
  it('one sample: the Gaussian log-density N(x; s, σ²I), to rounding', () => {
    fc.assert(
      fc.property(inputs, sigma, ({ test, samples, d }, s) => {
        const centre = samples[0]!
        const got = parzenLogLikelihood(fromArrays(test), fromArrays([centre]), s).perRow
        test.forEach((x, i) => {
          // the product of d one-dimensional densities, in logs, with the engine's Math.log
          let want = 0
          let size = 0
          for (let k = 0; k < d; k++) {
            const z = (x[k]! - centre[k]!) / s
            want += -(z * z) / 2 - Math.log(s) - Math.log(2 * Math.PI) / 2
            size += (z * z) / 2 + Math.abs(Math.log(s)) + 1
          }
          // each of the ~4d operations on either side rounds by at most u·(the magnitudes so far);
          // Math.log and the library's log differ by at most an ulp each
          expect(Math.abs(got[i]! - want)).toBeLessThanOrEqual(16 * d * U * size)
        })
      }),
      { numRuns: 300 },
    )
  })

  it('σ = 1 and the sample on the test point: exactly −ln(2π)/2 per dimension', () => {
    for (let d = 1; d <= 5; d++) {
      const x = fromArrays([new Array<number>(d).fill(0.5)])
      expect(parzenLogLikelihood(x, x, 1).mean).toBe(-(d / 2) * PARZEN_CONSTANTS.LOG_2PI)
    }
  })

  it('LOG_2PI and LN10 are within an ulp of the library log of 2·Math.PI and 10', () => {
    expect(Math.abs(PARZEN_CONSTANTS.LOG_2PI - log(2 * Math.PI))).toBeLessThanOrEqual(2 ** -51)
    expect(PARZEN_CONSTANTS.LN10).toBe(log(10))
  })

  /**
   * With samples s_j of N(0, I_d), E[p̂(x)] = E[N(x; s, σ²I)] = N(x; 0, (1 + σ²)I), in closed
   * form, and Var[p̂(x)] = (E[K²] − p²)/n with E[K²] = (4πσ²)^(−d/2)·N(x; 0, (1 + σ²/2)I)
   * (the square of a Gaussian kernel is a Gaussian of variance σ²/2, rescaled). So log p̂(x)
   * lies within `4·sd/p` of log N(x; 0, (1 + σ²)I) but with probability ~6e-5 each (normal
   * approximation; the log's bias, −(sd/p)²/2, is at most 0.008 at n = 500, against a
   * tolerance of 0.5 there). The seed is fixed, so the test is
   * deterministic; the bounds shrink as 1/√n, so the estimate approaches the smoothed
   * density. (N(x; 0, I) itself differs from it by O(σ²): the window smooths.)
   */
  it('samples of N(0, I): the estimate approaches log N(x; 0, (1 + σ²)I) as n grows', () => {
    const d = 2
    const s = 0.25
    const points = [[0, 0], [0.3, -0.5], [1, 1], [-1.5, 0.5]]
    const logNormal = (x: number[], v: number): number => -x.reduce((a, b) => a + b * b, 0) / (2 * v) - (d / 2) * Math.log(2 * Math.PI * v)
    const lines: string[] = []
    for (const n of [500, 5000, 50000]) {
      const [samples] = normalMatrix(rngFromSeed(18), n, d)
      const got = parzenLogLikelihood(fromArrays(points), samples, s).perRow
      points.forEach((x, i) => {
        const p = Math.exp(logNormal(x, 1 + s * s))
        const k2 = (4 * Math.PI * s * s) ** (-d / 2) * Math.exp(logNormal(x, 1 + (s * s) / 2))
        const rel = Math.sqrt((k2 - p * p) / n) / p
        const err = got[i]! - logNormal(x, 1 + s * s)
        lines.push(`n=${n} x=(${x.join(', ')}): error ${err.toExponential(2)}, 4·sd ${(4 * rel).toExponential(2)}`)
        expect(Math.abs(err)).toBeLessThanOrEqual(4 * rel)
      })
    }
    console.log(lines.join('\n'))
  })
})

describe('invariances, with their rounding bounds', () => {
  it('permuting the samples moves each row by at most u·(3n + 8(|row| + |c|) + 8 log n + 8)', () => {
    fc.assert(
      fc.property(inputs, sigma, fc.array(fc.nat()), ({ test, samples, d }, s, keys) => {
        const perm = samples.map((r, i) => ({ r, key: keys[i % Math.max(keys.length, 1)] ?? 0, i })).sort((a, b) => a.key - b.key || b.i - a.i)
        const a = parzenLogLikelihood(fromArrays(test), fromArrays(samples), s)
        const b = parzenLogLikelihood(fromArrays(test), fromArrays(perm.map((p) => p.r)), s)
        const c = cMagnitude(d, s)
        let worst = 0
        a.perRow.forEach((r, i) => {
          const bound = reorderBound(samples.length, r, c)
          worst = Math.max(worst, bound)
          expect(Math.abs(r - b.perRow[i]!)).toBeLessThanOrEqual(bound)
        })
        // the mean: the rows' differences, plus the two sums' roundings (m u · max |row| each)
        const m = test.length
        const big = Math.max(...a.perRow.map(Math.abs))
        expect(Math.abs(a.mean - b.mean)).toBeLessThanOrEqual(worst + 2 * (m + 1) * U * big)
      }),
      { numRuns: 300 },
    )
  })

  it('a translation that is exact in doubles (dyadic entries and shift) changes nothing, bit for bit', () => {
    // entries k/1024 with |k| <= 2^20 and shifts likewise: every x + v is exact, so every
    // difference (x + v) − (s + v) is the same double as x − s
    const dyadic = fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => k / 1024)
    const rows = (d: number, max: number) => fc.array(fc.array(dyadic, { minLength: d, maxLength: d }), { minLength: 1, maxLength: max })
    const input = fc.integer({ min: 1, max: 3 }).chain((d) => fc.tuple(rows(d, 5), rows(d, 6), fc.array(dyadic, { minLength: d, maxLength: d })))
    fc.assert(
      fc.property(input, sigma, ([test, samples, v], s) => {
        const shift = (m: number[][]) => fromArrays(m.map((r) => r.map((x, k) => x + v[k]!)))
        expect(parzenLogLikelihood(shift(test), shift(samples), s)).toEqual(parzenLogLikelihood(fromArrays(test), fromArrays(samples), s))
      }),
      { numRuns: 200 },
    )
  })

  /**
   * A general shift v rounds `x + v` and `s + v`: each computed difference (shifted or not)
   * is within `E_k = 2u(|x_k| + |s_k| + 2|v_k|)` of the exact `x_k − s_k`, so the squared
   * distance moves by at most `Σ_k (2|δ_k| + 2E_k)·2E_k` plus the two sums' roundings
   * (`(d + 1)u` of each), and `a_j` by that over `2σ²` (plus a rounding of each). The row is a
   * log-sum-exp of the `a_j`, which moves by at most `max_j |Δa_j|`, plus the evaluations'
   * own roundings (reorderBound covers them).
   */
  it('any translation moves each row by at most the propagated rounding of the shifted differences', () => {
    const shiftArb = fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 4, maxLength: 4 })
    fc.assert(
      fc.property(inputs, sigma, shiftArb, ({ test, samples, d }, s, v) => {
        const shift = (m: number[][]) => m.map((r) => r.map((x, k) => x + v[k]!))
        const a = parzenLogLikelihood(fromArrays(test), fromArrays(samples), s).perRow
        const b = parzenLogLikelihood(fromArrays(shift(test)), fromArrays(shift(samples)), s).perRow
        const t = 2 * s * s
        test.forEach((x, i) => {
          let da = 0
          for (const sj of samples) {
            let moved = 0
            let d2 = 0
            for (let k = 0; k < d; k++) {
              const delta = Math.abs(x[k]! - sj[k]!)
              const e = 2 * U * (Math.abs(x[k]!) + Math.abs(sj[k]!) + 2 * Math.abs(v[k]!)) * (1 + 4 * U)
              moved += (2 * delta + 2 * e) * 2 * e
              d2 += (delta + e) * (delta + e)
            }
            da = Math.max(da, (moved + 2 * (d + 1) * U * d2) / t + 4 * U * (d2 / t))
          }
          expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(da * (1 + 1e-9) + reorderBound(samples.length, a[i]!, cMagnitude(d, s)))
        })
      }),
      { numRuns: 300 },
    )
  })
})

describe('parzenSigma and logspaceSigmas', () => {
  it('parzenSigma takes the highest mean, the first of equal ones, with parzenLogLikelihood bits', () => {
    const v = fromArrays([[0], [0.5]])
    const smp = fromArrays([[-1], [1], [0.2]])
    const sigmas = [0.05, 0.5, 0.5, 5]
    const r = parzenSigma(v, smp, sigmas)
    expect(r.means).toEqual(sigmas.map((s) => parzenLogLikelihood(v, smp, s).mean))
    expect(r.index).toBe(1)
    expect(r.sigma).toBe(0.5)
    expect(Math.max(...r.means)).toBe(r.means[1])
  })

  it("issue 18's grid, logspace(−1, 0, 10): 0.1 and 1 exact, every value within 2 ulps of 10^(−1 + k/9)", () => {
    // 10^(−1 + k/9) correctly rounded: Python's decimal at 60 digits, D(10) ** (D(k − 9) / 9), then float()
    const exact = [
      0.1, 0.1291549665014884, 0.16681005372000587, 0.21544346900318836, 0.2782559402207125, 0.35938136638046275, 0.46415888336127786, 0.599484250318941,
      0.7742636826811271, 1,
    ]
    const grid = logspaceSigmas(-1, 0, 10)
    expect(grid[0]).toBe(0.1)
    expect(grid[9]).toBe(1)
    const ulps = grid.map((g, k) => Math.round((g - exact[k]!) / (2 ** -52 * 2 ** Math.floor(Math.log2(exact[k]!)))))
    console.log(`logspaceSigmas(-1, 0, 10) − correctly rounded, in ulps: ${ulps.join(' ')}`)
    for (const u of ulps) expect(Math.abs(u)).toBeLessThanOrEqual(2)
  })

  it('any grid: within (4.7|y| + 2.3)·1e-16 relative of Math.pow (plus its own ulp), increasing', () => {
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -20, max: 20, noNaN: true }), fc.integer({ min: 2, max: 30 }), (lo, hi, count) => {
        const grid = logspaceSigmas(lo, hi, count)
        grid.forEach((g, k) => {
          const y = (lo * (count - 1 - k) + hi * k) / (count - 1)
          const want = Math.pow(10, y)
          expect(Math.abs(g - want) / want).toBeLessThanOrEqual((4.7 * Math.abs(y) + 2.3) * 1e-16 + 2.3e-16)
        })
      }),
    )
  })
})

describe('refusals, with their exact messages', () => {
  const ok = fromArrays([[0, 0]])
  const cases: ReadonlyArray<[string, () => unknown, typeof ShapeError | typeof RangeError, string]> = [
    ['empty test', () => parzenLogLikelihood(zeros(0, 2), ok, 1), ShapeError, 'parzenLogLikelihood: test needs at least one row, got (0x2)'],
    ['empty samples', () => parzenLogLikelihood(ok, zeros(0, 2), 1), ShapeError, 'parzenLogLikelihood: samples needs at least one row, got (0x2)'],
    ['no column', () => parzenLogLikelihood(zeros(1, 0), zeros(1, 0), 1), ShapeError, 'parzenLogLikelihood: test needs at least one column, got (1x0)'],
    [
      'widths',
      () => parzenLogLikelihood(fromArrays([[0]]), ok, 1),
      ShapeError,
      'parzenLogLikelihood: test and samples must have the same width, got test (1x1) and samples (1x2)',
    ],
    ['NaN entry', () => parzenLogLikelihood(fromArrays([[0, NaN]]), ok, 1), RangeError, 'parzenLogLikelihood: test must be finite; entry (0, 1) is NaN'],
    [
      'infinite sample',
      () => parzenLogLikelihood(ok, fromArrays([[0, 0], [-Infinity, 0]]), 1),
      RangeError,
      'parzenLogLikelihood: samples must be finite; entry (1, 0) is -Infinity',
    ],
    ...[0, -1, NaN, Infinity, 1e-151, 2e150].map(
      (s): [string, () => unknown, typeof RangeError, string] => [
        `sigma ${s}`,
        () => parzenLogLikelihood(ok, ok, s),
        RangeError,
        `parzenLogLikelihood: sigma must be a finite number in [1e-150, 1e150] (2σ² a normal double), got ${s}`,
      ],
    ),
    ['no candidate', () => parzenSigma(ok, ok, []), RangeError, 'parzenSigma: sigmas needs at least one candidate, got none'],
    [
      'bad candidate',
      () => parzenSigma(ok, ok, [1, 0]),
      RangeError,
      'parzenSigma: sigmas[1] must be a finite number in [1e-150, 1e150] (2σ² a normal double), got 0',
    ],
    [
      'validation width',
      () => parzenSigma(fromArrays([[0]]), ok, [1]),
      ShapeError,
      'parzenSigma: validation and samples must have the same width, got validation (1x1) and samples (1x2)',
    ],
    ['lo', () => logspaceSigmas(NaN, 0, 10), RangeError, 'logspaceSigmas: lo must be a finite number in [-150, 150], got NaN'],
    ['hi', () => logspaceSigmas(0, 151, 10), RangeError, 'logspaceSigmas: hi must be a finite number in [-150, 150], got 151'],
    ['count', () => logspaceSigmas(-1, 0, 1), RangeError, 'logspaceSigmas: count must be an integer in 2..100000, got 1'],
    ['count 2.5', () => logspaceSigmas(-1, 0, 2.5), RangeError, 'logspaceSigmas: count must be an integer in 2..100000, got 2.5'],
  ]
  it.each(cases)('%s', (_name, f, kind, message) => {
    const e = thrown(f)
    expect(e).toBeInstanceOf(kind)
    expect(e.message).toBe(message)
  })

  it('a row beyond every sample is −Infinity (mean −Infinity, standard error NaN); one test row has standard error NaN', () => {
    const far = parzenLogLikelihood(fromArrays([[0], [1e10]]), fromArrays([[0]]), 1e-150)
    expect(far.perRow[1]).toBe(-Infinity)
    expect(far.mean).toBe(-Infinity)
    expect(far.standardError).toBeNaN()
    const one = parzenLogLikelihood(fromArrays([[0]]), fromArrays([[0], [1]]), 1)
    expect(one.standardError).toBeNaN()
    expect(Number.isFinite(one.mean)).toBe(true)
    expect(one.perRow[0]).toBe(one.mean)
  })
})
