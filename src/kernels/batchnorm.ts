/**
 * Batch normalisation (Ioffe & Szegedy 2015) over the rows of a `(rows x units)` block, its
 * forward and backward kernels side by side, as PyTorch's `BatchNorm1d` computes it: in
 * training, each column `j` is normalised with the minibatch's own mean and biased variance,
 *
 *   μ_j = (1/n)·Σ_i z_ij,   d_ij = z_ij − μ_j,   σ²_j = (1/n)·Σ_i d_ij²,
 *   s_j = 1/√(σ²_j + ε),    x̂_ij = d_ij·s_j,      y_ij = γ_j·x̂_ij + β_j
 *
 * and the running statistics move towards the batch's with `momentum`, the variance's
 * unbiased (`n/(n − 1)`) as PyTorch keeps it; in evaluation, `x̂ = (z − μ_run)/√(σ²_run + ε)`.
 * The backward pass goes through the mean and the variance (docs/gradients.md, "Batch
 * normalisation"): with `g_ij = dy_ij·γ_j`,
 *
 *   dz_ij = s_j·((g_ij − (1/n)·Σ_k g_kj) − x̂_ij·(1/n)·Σ_k g_kj·x̂_kj),
 *   dγ_j = Σ_i dy_ij·x̂_ij,   dβ_j = Σ_i dy_ij
 *
 * Every sum runs over the rows from row 0, starting from 0. The evaluation order of each
 * line is the one written here (the code's comments repeat it), which fixes the bits.
 *
 * @module
 * @internal
 */
import type { LayerSpec } from '../nn/network.js'
import { activateInto } from './activation.js'
import type { LayerKind, PassLayer } from './layer.js'
import type { View } from './view.js'

/**
 * A batch normalisation layer's options when its spec leaves them out: PyTorch's
 * `BatchNorm1d` defaults, `momentum` 0.1 (the running statistics' step towards the batch's)
 * and `epsilon` 1e-5 (added to the variance).
 *
 * @internal
 */
export const BATCHNORM_DEFAULTS = Object.freeze({ momentum: 0.1, epsilon: 1e-5 })

/**
 * One batch normalisation over `rows` rows of `units` columns with `epsilon` added to the
 * variance, and the block (`2·units` entries, the plan's) where the training forward pass
 * keeps `s_j` (first `units`) and the batch's biased variance (next `units`), and the block
 * (`rows·units`) where it keeps `x̂`.
 *
 * @internal
 */
export interface BatchNormPlan {
  readonly rows: number
  readonly units: number
  readonly epsilon: number
  readonly xhat: View
  readonly stats: View
}

/**
 * A batch normalisation layer of a network pass: its {@link BatchNormPlan} (whose `stats`
 * block is `3·units` here: `s`, `σ²`, then the batch's mean `μ`), its `momentum`, and `running`,
 * the offset of its `[μ_run | σ²_run]` (`2·units`) in a running-statistics block (the batch
 * normalisation layers of a network in order, network.ts's `runningSize`), which the
 * running-statistics update reads and writes.
 *
 * @internal
 */
export interface BatchNormPass extends BatchNormPlan {
  readonly momentum: number
  readonly running: number
}

/** The batch's mean `μ` (`units` entries) after the layer's `s` and `σ²`. */
const meanOf = (norm: BatchNormPass): View => ({ data: norm.stats.data, off: norm.stats.off + 2 * norm.units })

/** `γ` and `β`, the layer's `W` (`1 x units`) and `b`, in a parameter block. */
const gammaOf = (layer: PassLayer, params: View): View => ({ data: params.data, off: params.off + layer.paramOff })
const betaOf = (layer: PassLayer, params: View): View => ({ data: params.data, off: params.off + layer.paramOff + layer.units })

/**
 * The layer's training forward pass: `pre = γ ⊙ x̂ + β` with the minibatch's statistics
 * ({@link batchNormForwardInto}, keeping `x̂`, `s`, `σ²` and `μ`), then `out = f(pre)`.
 *
 * @internal
 */
export const batchNormLayerForwardInto = (layer: PassLayer, params: View, input: View): void => {
  const norm = layer.norm!
  batchNormForwardInto(norm, input, gammaOf(layer, params), betaOf(layer, params), layer.pre, meanOf(norm))
  activateInto(layer.activation, layer.pre, layer.out, layer.rows * layer.units)
}

/**
 * The layer's backward pass after its training forward pass, given `dz = dL/d(pre)`:
 * `dγ`, `dβ` into `grads` at the layer's offset and `dL/d(input)` into `dInput`, through the
 * batch's mean and variance ({@link batchNormBackwardInto}; each skipped when null).
 *
 * @internal
 */
export const batchNormLayerBackwardInto = (layer: PassLayer, params: View, _input: View, dz: View, grads: View | null, dInput: View | null): void => {
  const dGamma = grads === null ? null : gammaOf(layer, grads)
  const dBeta = grads === null ? null : betaOf(layer, grads)
  batchNormBackwardInto(layer.norm!, dz, gammaOf(layer, params), dGamma, dBeta, dInput)
}

/**
 * The batch normalisation layer kind (network.ts's `kindOf` for `kind: 'batchnorm'`): `units`
 * columns, `W = γ` of one row, `2·units` parameters, and `rows·units + 3·units` kept entries
 * (`x̂`, then `s`, `σ²`, `μ`).
 *
 * @internal
 */
export const batchNorm: LayerKind = Object.freeze({
  name: 'batchnorm',
  weightRows: (): number => 1,
  columns: (layer: LayerSpec): number => layer.units,
  paramCount: (_inputs: number, layer: LayerSpec): number => 2 * layer.units,
  keptSize: (layer: LayerSpec, rows: number): number => (rows + 3) * layer.units,
  forwardInto: batchNormLayerForwardInto,
  backwardInto: batchNormLayerBackwardInto,
})

/**
 * Training forward: `y = γ ⊙ x̂ + β` from `z`, with the batch's mean written to `mean`
 * (`units` entries) and `x̂`, `s`, `σ²` to the plan's blocks. Per column, in order:
 * `μ = (Σ_i z_i) / n`; `d_i = z_i − μ`; `σ² = (Σ_i d_i·d_i) / n`; `s = 1 / sqrt(σ² + ε)`;
 * `x̂_i = d_i·s`; `y_i = γ·x̂_i + β`. `y` may be `z`'s own stretch.
 *
 * @internal
 */
export const batchNormForwardInto = (plan: BatchNormPlan, z: View, gamma: View, beta: View, y: View, mean: View): void => {
  const { rows: n, units: m, epsilon, xhat, stats } = plan
  const zd = z.data
  const xd = xhat.data
  const sd = stats.data
  const yd = y.data
  for (let j = 0; j < m; j++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += zd[z.off + i * m + j]!
    const mu = sum / n
    let sq = 0
    for (let i = 0; i < n; i++) {
      const d = zd[z.off + i * m + j]! - mu
      xd[xhat.off + i * m + j] = d
      sq += d * d
    }
    const variance = sq / n
    const s = 1 / Math.sqrt(variance + epsilon)
    const g = gamma.data[gamma.off + j]!
    const b = beta.data[beta.off + j]!
    for (let i = 0; i < n; i++) {
      const k = i * m + j
      const xh = xd[xhat.off + k]! * s
      xd[xhat.off + k] = xh
      yd[y.off + k] = g * xh + b
    }
    mean.data[mean.off + j] = mu
    sd[stats.off + j] = s
    sd[stats.off + m + j] = variance
  }
}

/**
 * Training backward after {@link batchNormForwardInto} on the same plan, from
 * `dy = dL/dy`: `dγ`, `dβ` (added to nothing: written) when their views are given, and
 * `dz` when given. Per column, in order: `g_i = dy_i·γ`; `Σg = Σ_i g_i`;
 * `Σgx = Σ_i g_i·x̂_i`; `dz_i = s·((g_i − Σg/n) − x̂_i·(Σgx/n))`; `dγ = Σ_i dy_i·x̂_i`;
 * `dβ = Σ_i dy_i`. `dz` may be `dy`'s own stretch.
 *
 * @internal
 */
export const batchNormBackwardInto = (plan: BatchNormPlan, dy: View, gamma: View, dGamma: View | null, dBeta: View | null, dz: View | null): void => {
  const { rows: n, units: m, xhat, stats } = plan
  const dyd = dy.data
  const xd = xhat.data
  for (let j = 0; j < m; j++) {
    const g = gamma.data[gamma.off + j]!
    let sumG = 0
    let sumGx = 0
    let sumDy = 0
    let sumDyX = 0
    for (let i = 0; i < n; i++) {
      const k = i * m + j
      const dyi = dyd[dy.off + k]!
      const xh = xd[xhat.off + k]!
      const gi = dyi * g
      sumG += gi
      sumGx += gi * xh
      sumDy += dyi
      sumDyX += dyi * xh
    }
    if (dGamma !== null) dGamma.data[dGamma.off + j] = sumDyX
    if (dBeta !== null) dBeta.data[dBeta.off + j] = sumDy
    if (dz === null) continue
    const s = stats.data[stats.off + j]!
    const meanG = sumG / n
    const meanGx = sumGx / n
    for (let i = 0; i < n; i++) {
      const k = i * m + j
      const gi = dyd[dy.off + k]! * g
      dz.data[dz.off + k] = s * (gi - meanG - xd[xhat.off + k]! * meanGx)
    }
  }
}

/**
 * The running statistics after a training step, PyTorch's update: per column
 * `μ_run' = (1 − momentum)·μ_run + momentum·μ` and
 * `σ²_run' = (1 − momentum)·σ²_run + momentum·(σ²·(n / (n − 1)))`, the batch's variance made
 * unbiased (`n >= 2`); `running` is `[μ_run | σ²_run]` (`2·units`), written into `next`.
 *
 * @internal
 */
export const runningStatsInto = (plan: BatchNormPlan, momentum: number, mean: View, running: View, next: View): void => {
  const { rows: n, units: m, stats } = plan
  const keep = 1 - momentum
  const unbias = n / (n - 1)
  for (let j = 0; j < m; j++) {
    const r = running.data
    next.data[next.off + j] = keep * r[running.off + j]! + momentum * mean.data[mean.off + j]!
    next.data[next.off + m + j] = keep * r[running.off + m + j]! + momentum * (stats.data[stats.off + m + j]! * unbias)
  }
}

/**
 * Evaluation forward with the running statistics `running = [μ_run | σ²_run]`: per entry
 * `y = γ·((z − μ_run)·(1 / sqrt(σ²_run + ε))) + β`, over the shape's `rows` rows of `units`
 * columns. `y` may be `z`'s own stretch.
 *
 * @internal
 */
export const batchNormEvalInto = (shape: Pick<BatchNormPlan, 'rows' | 'units' | 'epsilon'>, z: View, gamma: View, beta: View, running: View, y: View): void => {
  const { rows, units, epsilon } = shape
  for (let j = 0; j < units; j++) {
    const mu = running.data[running.off + j]!
    const s = 1 / Math.sqrt(running.data[running.off + units + j]! + epsilon)
    const g = gamma.data[gamma.off + j]!
    const b = beta.data[beta.off + j]!
    for (let i = 0; i < rows; i++) {
      const k = i * units + j
      y.data[y.off + k] = g * ((z.data[z.off + k]! - mu) * s) + b
    }
  }
}
