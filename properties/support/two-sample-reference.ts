/**
 * The two-sample statistics of src/metrics/two-sample.ts written out as their doc comments
 * state them, on plain arrays of rows, in the same order of evaluation (so that the bits
 * agree): the unbiased MMD² with the Gaussian kernel, the lower-median bandwidth, the energy
 * distance and the permutation test's p-value. Written from the doc comments, not the code.
 */
import { exp } from '../../src/elementary/index.js'
import type { Rng } from '../../src/random/index.js'
import { permutation } from '../../src/random/permutation.js'

type Rows = ReadonlyArray<ReadonlyArray<number>>

/** |a − b|² = Σ_c (a_c − b_c)², c ascending. */
const sq = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => {
  let s = 0
  for (let c = 0; c < a.length; c++) s = s + (a[c]! - b[c]!) * (a[c]! - b[c]!)
  return s
}

/** k(a, b) = exp(−(|a − b|² / (2·h·h))). */
const k = (a: ReadonlyArray<number>, b: ReadonlyArray<number>, h: number): number => exp(-(sq(a, b) / (2 * h * h)))

/** 2·Sxx/(n(n−1)) + 2·Syy/(m(m−1)) − 2·Sxy/(nm), S over i < j (within) or all i, j (between). */
export const mmd2Reference = (x: Rows, y: Rows, h: number): number => {
  const n = x.length
  const m = y.length
  let sxx = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sxx = sxx + k(x[i]!, x[j]!, h)
  let syy = 0
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) syy = syy + k(y[i]!, y[j]!, h)
  let sxy = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) sxy = sxy + k(x[i]!, y[j]!, h)
  return (2 * sxx) / (n * (n - 1)) + (2 * syy) / (m * (m - 1)) - (2 * sxy) / (n * m)
}

/** 2·Dxy/(nm) − 2·Dxx/(n(n−1)) − 2·Dyy/(m(m−1)), D over i < j (within) or all i, j (between). */
export const energyReference = (x: Rows, y: Rows): number => {
  const n = x.length
  const m = y.length
  let dxy = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) dxy = dxy + Math.sqrt(sq(x[i]!, y[j]!))
  let dxx = 0
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) dxx = dxx + Math.sqrt(sq(x[i]!, x[j]!))
  let dyy = 0
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) dyy = dyy + Math.sqrt(sq(y[i]!, y[j]!))
  return (2 * dxy) / (n * m) - (2 * dxx) / (n * (n - 1)) - (2 * dyy) / (m * (m - 1))
}

/** The lower median of the pooled rows' distances |z_i − z_j|, i < j: sorted[⌊(K − 1)/2⌋]. */
export const medianReference = (x: Rows, y: Rows): number => {
  const z = [...x, ...y]
  const ds: number[] = []
  for (let i = 0; i < z.length; i++) for (let j = i + 1; j < z.length; j++) ds.push(Math.sqrt(sq(z[i]!, z[j]!)))
  ds.sort((a, b) => a - b)
  return ds[Math.floor((ds.length - 1) / 2)]!
}

/** T_obs, then B permutations of the pooled rows in turn; p = (1 + #{T_b ≥ T_obs})/(1 + B). */
export const permutationTestReference = (
  x: Rows,
  y: Rows,
  statistic: (x: Rows, y: Rows) => number,
  rng: Rng,
  permutations: number,
): { statistic: number; pValue: number; rng: Rng } => {
  const observed = statistic(x, y)
  const z = [...x, ...y]
  let count = 0
  let g = rng
  for (let b = 0; b < permutations; b++) {
    const [pi, next] = permutation(g, z.length)
    g = next
    const xb = pi.slice(0, x.length).map((i) => z[i]!)
    const yb = pi.slice(x.length).map((i) => z[i]!)
    if (statistic(xb, yb) >= observed) count = count + 1
  }
  return { statistic: observed, pValue: (1 + count) / (1 + permutations), rng: g }
}
