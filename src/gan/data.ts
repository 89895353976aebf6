/**
 * The real data of a run as a pure function of a PRNG: the seed's affine Gaussian, the
 * mode-collapse papers' mixtures (`ring8`, `grid25`), the swiss roll, the two moons, and the
 * user's own table (docs/datasets.md). Every generated coordinate is computed with `+ − × ÷`,
 * `sqrt` and the project's own `sin`/`cos`, so the data has the same bits on every engine.
 *
 * @module
 */
import { cos, sin } from '../elementary/index.js'
import { type Matrix, fromArrays, fromFlat, matmulTransposeA, rowVector } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { identity } from '../nn/activation.js'
import { affineActivate } from '../nn/dense.js'
import { normalMatrix } from '../random/normal.js'
import { permutation } from '../random/permutation.js'
import { type Rng, drawBelow, generatorOf, rngOf, uniforms } from '../random/rng.js'
import type { AffineGaussianData, DataSpec, MixtureData, MnistSource, MoonsData, SwissRollData } from './config.js'
import { mnistSplit } from './digits.js'

/**
 * The default options of each generated dataset, filled into a config by `validateConfig`
 * so that a run's record says the values it used: `ring8` std 0.01 and `grid25` std 0.05
 * (PacGAN's), the swiss roll's noise 0.25 and scale 7.5 (the WGAN-GP toy code's), the moons'
 * noise 0.1.
 *
 * @category data
 * @since 0.5.0
 */
export const DATA_DEFAULTS = Object.freeze({
  ring8: Object.freeze({ std: 0.01 }),
  grid25: Object.freeze({ std: 0.05 }),
  swissroll: Object.freeze({ noise: 0.25, scale: 7.5 }),
  moons: Object.freeze({ noise: 0.1 }),
})

/**
 * The number of columns of the data: `data.b`'s length for the affine Gaussian, the width of
 * a table's rows, 2 for the other datasets.
 *
 * @example
 * import { dataWidth, seedConfig } from 'pure-gan'
 * dataWidth(seedConfig.data) // 2
 * dataWidth({ kind: 'table', rows: [[1, 2, 3]] }) // 3
 *
 * @category data
 * @since 0.5.0
 */
export const dataWidth = (spec: DataSpec): number =>
  spec.kind === 'affine-gaussian' ? spec.b.length : spec.kind === 'table' ? (spec.rows[0] as ReadonlyArray<number>).length : spec.kind === 'mnist' ? spec.width : 2

/**
 * The number of rows of the data: `size`, or a table's row count.
 *
 * @example
 * import { dataSize, seedConfig } from 'pure-gan'
 * dataSize(seedConfig.data) // 1000
 *
 * @category data
 * @since 0.5.0
 */
export const dataSize = (spec: DataSpec): number => (spec.kind === 'table' ? spec.rows.length : spec.size)

/**
 * The data: a `dataSize(spec) x dataWidth(spec)` matrix drawn from `rng` (a table ignores
 * it), and the advanced generator. Per kind (docs/datasets.md):
 *
 * - `affine-gaussian`: `X·A + b` with `X ~ N(0, I)` drawn row-major (`size x k`, where `A` is
 *   `k x d`): Gaussian data with mean `b` and covariance `AᵀA`.
 * - `ring8`, `grid25`: first every row's mode `k_i`, uniform over the modes
 *   (`drawBelow`, in row order), then `Z ~ N(0, I)` (`size x 2`, row-major); row `i` is
 *   `mode(k_i) + std · Z_i` ({@link dataModes}).
 * - `swissroll`: first `u_i ~ U[0, 1)` for every row (`uniforms`), then `Z ~ N(0, I)`
 *   (`size x 2`); `t = (1.5π)·(1 + 2u)`, row `i` is `((t·cos t + noise·Z_i1)/scale,
 *   (t·sin t + noise·Z_i2)/scale)`. scikit-learn also draws the roll's unused height; we do
 *   not.
 * - `moons`: `n_out = floor(size/2)` points `(cos t_j, sin t_j)` with `t_j = j·(π/(n_out − 1))`
 *   (the last exactly π; `t_0 = 0` alone when `n_out = 1`), then `n_in = size − n_out` points
 *   `(1 − cos t_j, (1 − sin t_j) − 0.5)` likewise; the rows are put in the order of
 *   `permutation(rng, size)` (row `i` is point `π_i`), then `noise · Z` is added, `Z ~ N(0, I)`
 *   (`size x 2`).
 * - `table`: its rows, in order.
 * - `mnist`: the training rows of `mnistSplit(spec, source, rng)`, from the images `source`
 *   supplies (a `RangeError` when it is absent or does not fit the config).
 *
 * @example
 * import { makeData, rngFromSeed, seedConfig, shapeOf } from 'pure-gan'
 * const [data] = makeData(seedConfig.data, rngFromSeed(0))
 * shapeOf(data) // '(1000x2)'
 * shapeOf(makeData({ kind: 'ring8', size: 100, std: 0.01 }, rngFromSeed(0))[0]) // '(100x2)'
 *
 * @category data
 * @since 0.1.0
 */
export const makeData = (spec: DataSpec, rng: Rng, source?: MnistSource): readonly [Matrix, Rng] => {
  switch (spec.kind) {
    case 'affine-gaussian':
      return affineGaussian(spec, rng)
    case 'ring8':
    case 'grid25':
      return mixture(spec, rng)
    case 'swissroll':
      return swissRoll(spec, rng)
    case 'moons':
      return moons(spec, rng)
    case 'table':
      return [fromArrays(spec.rows as Array<Array<number>>), rng]
    case 'mnist': {
      const [split, next] = mnistSplit(spec, source, rng)
      return [split.train, next]
    }
  }
}

const affineGaussian = (spec: AffineGaussianData, rng: Rng): readonly [Matrix, Rng] => {
  const A = fromArrays(spec.A)
  const [X, next] = normalMatrix(rng, spec.size, A.rows)
  // The fused dense kernel: x·A with the bias added after each dot product, the same bits as
  // addRowVector(matmul(X, A), b) (docs/decisions.md, "Matrices"), in one pass and through
  // the kernel that training runs anyway.
  return [affineActivate(X, A, rowVector(spec.b), identity), next]
}

/** cos(π/4) = sin(π/4) = √½, correctly rounded (numpy's `cos(2π/8)` has the same bits). */
const S = Math.SQRT1_2

/** The 8 modes of `ring8`, k = 0..7: `(cos 2πk/8, sin 2πk/8)`, with exact 0 and ±1 where cos or sin is. */
const RING8: ReadonlyArray<readonly [number, number]> = [
  [1, 0],
  [S, S],
  [0, 1],
  [-S, S],
  [-1, 0],
  [-S, -S],
  [0, -1],
  [S, -S],
]

/** The 25 modes of `grid25`, k = 5i + j for i, j = 0..4: `(2i − 4, 2j − 4)`. */
const GRID25: ReadonlyArray<readonly [number, number]> = Array.from({ length: 25 }, (_, k) => [2 * Math.floor(k / 5) - 4, 2 * (k % 5) - 4] as const)

const modesOf = (kind: MixtureData['kind']): ReadonlyArray<readonly [number, number]> => (kind === 'ring8' ? RING8 : GRID25)

const mixture = (spec: MixtureData, rng: Rng): readonly [Matrix, Rng] => {
  const modes = modesOf(spec.kind)
  const n = spec.size
  const g = generatorOf(rng)
  const ks = new Uint8Array(n)
  for (let i = 0; i < n; i++) ks[i] = drawBelow(g, modes.length)
  const [Z, next] = normalMatrix(rngOf(g), n, 2)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const m = modes[ks[i] as number] as readonly [number, number]
    out[2 * i] = m[0] + spec.std * (Z.data[2 * i] as number)
    out[2 * i + 1] = m[1] + spec.std * (Z.data[2 * i + 1] as number)
  }
  return [unsafeFromFloat64Array(n, 2, out), next]
}

const swissRoll = (spec: SwissRollData, rng: Rng): readonly [Matrix, Rng] => {
  const n = spec.size
  const [u, afterU] = uniforms(rng, n)
  const [Z, next] = normalMatrix(afterU, n, 2)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const t = 1.5 * Math.PI * (1 + 2 * (u[i] as number))
    out[2 * i] = (t * cos(t) + spec.noise * (Z.data[2 * i] as number)) / spec.scale
    out[2 * i + 1] = (t * sin(t) + spec.noise * (Z.data[2 * i + 1] as number)) / spec.scale
  }
  return [unsafeFromFloat64Array(n, 2, out), next]
}

/** numpy's `linspace(0, π, m)`: `j·(π/(m − 1))`, the last exactly π; `[0]` for m = 1. */
const linspaceToPi = (m: number): ReadonlyArray<number> => {
  if (m === 1) return [0]
  const step = Math.PI / (m - 1)
  return Array.from({ length: m }, (_, j) => (j === m - 1 ? Math.PI : j * step))
}

const moons = (spec: MoonsData, rng: Rng): readonly [Matrix, Rng] => {
  const n = spec.size
  const nOut = Math.floor(n / 2)
  const points = new Float64Array(2 * n)
  // n_out = 0 (size 1): only the inner moon, as numpy's linspace of 0 points is empty
  if (nOut > 0) {
    linspaceToPi(nOut).forEach((t, j) => {
      points[2 * j] = cos(t)
      points[2 * j + 1] = sin(t)
    })
  }
  linspaceToPi(n - nOut).forEach((t, j) => {
    points[2 * (nOut + j)] = 1 - cos(t)
    points[2 * (nOut + j) + 1] = 1 - sin(t) - 0.5
  })
  const [order, afterShuffle] = permutation(rng, n)
  const [Z, next] = normalMatrix(afterShuffle, n, 2)
  const out = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    const p = order[i] as number
    out[2 * i] = (points[2 * p] as number) + spec.noise * (Z.data[2 * i] as number)
    out[2 * i + 1] = (points[2 * p + 1] as number) + spec.noise * (Z.data[2 * i + 1] as number)
  }
  return [unsafeFromFloat64Array(n, 2, out), next]
}

/**
 * The modes of a mixture and their common standard deviation, for the mode-coverage metrics
 * (`modeCoverage`): `ring8`'s 8 and `grid25`'s 25 modes, one per row in the order `makeData`
 * indexes them; `undefined` for data without modes.
 *
 * @example
 * import { dataModes } from 'pure-gan'
 * dataModes({ kind: 'grid25', size: 10, std: 0.05 })?.modes.rows // 25
 * dataModes({ kind: 'moons', size: 10, noise: 0.1 }) // undefined
 *
 * @category data
 * @since 0.5.0
 */
export const dataModes = (spec: DataSpec): { readonly modes: Matrix; readonly std: number } | undefined =>
  spec.kind === 'ring8' || spec.kind === 'grid25' ? { modes: fromArrays(modesOf(spec.kind).map((m) => [m[0], m[1]])), std: spec.std } : undefined

/**
 * The exact mean and covariance of the data distribution where they have a closed form:
 * `b` and `AᵀA` for the affine Gaussian; `0` and `(1/2 + std²)·I` for `ring8` (the mean of
 * `cos²` over the 8 angles is 1/2); `0` and `(8 + std²)·I` for `grid25` (the mean of `c²`
 * over `c ∈ {-4, -2, 0, 2, 4}` is 8). `undefined` for the swiss roll, the moons and a table,
 * whose summaries compare with a Gaussian fitted to the run's real data instead
 * (`summarizeGenerator`).
 *
 * @example
 * import { dataDistribution, seedConfig, toArrays } from 'pure-gan'
 * toArrays(dataDistribution(seedConfig.data).covariance) // [[1.01, 1.95], [1.95, 4.25]]
 * toArrays(dataDistribution({ kind: 'ring8', size: 1, std: 0.5 })!.covariance) // [[0.75, 0], [0, 0.75]]
 *
 * @category data
 * @since 0.1.0
 */
export function dataDistribution(spec: AffineGaussianData): { readonly mean: Matrix; readonly covariance: Matrix }
/** `dataDistribution` of any data: `undefined` where the moments have no closed form. */
export function dataDistribution(spec: DataSpec): { readonly mean: Matrix; readonly covariance: Matrix } | undefined
/** The implementation of both overloads. */
export function dataDistribution(spec: DataSpec): { readonly mean: Matrix; readonly covariance: Matrix } | undefined {
  if (spec.kind === 'affine-gaussian') {
    const A = fromArrays(spec.A)
    return { mean: rowVector(spec.b), covariance: matmulTransposeA(A, A) }
  }
  if (spec.kind !== 'ring8' && spec.kind !== 'grid25') return undefined
  const v = (spec.kind === 'ring8' ? 0.5 : 8) + spec.std * spec.std
  return { mean: fromFlat(1, 2, [0, 0]), covariance: fromFlat(2, 2, [v, 0, 0, v]) }
}

/**
 * A bound on the magnitude of every entry of the data, for the resource checks: for a
 * generated dataset with normal draws within `±z` (`z` = the normal sampler's largest
 * magnitude), `max |mode| + z·std` (1 for the ring, 4 for the grid), `(4.5π + z·noise)/scale`
 * for the swiss roll (`|t cos t|, |t sin t| ≤ t ≤ 4.5π`), `2 + z·noise` for the moons;
 * `max |entry|` of a table. The affine Gaussian's bound is per column, in `limits.ts`.
 *
 * @internal
 */
export const dataMagnitudeBound = (spec: Exclude<DataSpec, AffineGaussianData>, z: number): number => {
  switch (spec.kind) {
    case 'ring8':
      return 1 + z * spec.std
    case 'grid25':
      return 4 + z * spec.std
    case 'swissroll':
      return (4.5 * Math.PI + z * spec.noise) / spec.scale
    case 'moons':
      return 2 + z * spec.noise
    case 'table': {
      let m = 0
      for (const row of spec.rows) for (const v of row) m = Math.max(m, Math.abs(v))
      return m
    }
    case 'mnist':
      return 1
  }
}

/**
 * How many numbers the config's `data` field holds (for the size bounds of the files that
 * record it): `(rows of A + 1)·width + 1` for the affine Gaussian, `rows·width` for a table,
 * its options and size otherwise.
 *
 * @internal
 */
export const dataFieldNumbers = (spec: DataSpec): number => {
  switch (spec.kind) {
    case 'affine-gaussian':
      return (spec.A.length + 1) * spec.b.length + 1
    case 'table':
      return spec.rows.length * dataWidth(spec)
    default:
      return 3
  }
}
