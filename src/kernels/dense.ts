/**
 * The dense layer's kernels, forward and backward side by side, over one layer of a network
 * pass ({@link PassLayer}: its shape, where its parameters lie in the network's block, and
 * where its pre-activation and output go). Derivations: docs/gradients.md, "Dense layer"
 * and "Network".
 *
 * Forward, for `x` `(rows x inputs)`: `z = x·W + b`, `y = f(z)`.
 * Backward, given `dz = dL/dz` `(rows x units)`: `dW = xᵀ·dz`, `db = Σ_rows dz`,
 * `dx = dz·Wᵀ`.
 *
 * Summation order, the contract with src/matrix/matmul.ts: every entry of a product is
 * `c = 0; for k ascending: c = c + A(i, k)·B(k, j)`, and `z_ij = c + b_j` adds the bias after
 * the dot product; `db_j` sums the rows from row 0 down, from 0. So each result equals the
 * checked matrix composition bit for bit, whichever of the two product paths runs: small
 * products (below {@link SMALL} multiply-adds, or fewer than 4 rows or columns) are dot
 * products written out here (at the seed's sizes a call costs more than the arithmetic),
 * larger ones the register-blocked {@link gemm}.
 *
 * @module
 * @internal
 */
import { SMALL, gemm } from '../matrix/kernels.js'
import { activateInto } from './activation.js'
import type { LayerSpec } from '../nn/network.js'
import type { LayerKind, PassLayer } from './layer.js'
import type { View } from './view.js'

/**
 * True when a product of `rows x depth` by `depth x cols` runs as plain dot products here
 * rather than through {@link gemm}: fewer than 4 rows or columns, or under {@link SMALL}
 * multiply-adds. Only the speed depends on it: both paths sum in the same order.
 */
// Stryker disable all: E-PATH
export const dotProductsSuffice = (rows: number, cols: number, depth: number): boolean => rows < 4 || cols < 4 || rows * cols * depth < SMALL
// Stryker restore all

/**
 * `z = x·W + b` for `x` `(n x K)` (`input`) and the `[W | b]` block of the parameters at
 * `w[wOff]` (`W` `(K x m)` row-major, then `b` `(1 x m)`), into `z` (`n x m`): every entry
 * `c = 0; for k ascending: c = c + x_ik·W_kj`, then `c + b_j`. The affine part of the dense
 * layer and of maxout (whose `m` is `units·pieces`).
 *
 * @internal
 */
export const affineInto = (n: number, K: number, m: number, input: View, w: Float64Array, wOff: number, out: View): void => {
  const x = input.data
  const xOff = input.off
  const bOff = wOff + K * m
  const z = out.data
  const zOff = out.off
  // Stryker disable next-line ConditionalExpression: E-PATH
  if (dotProductsSuffice(n, m, K)) {
    for (let i = 0; i < n; i++) {
      const xi = xOff + i * K
      const xEnd = xi + K
      const zi = zOff + i * m
      for (let j = 0; j < m; j++) {
        let c = 0
        let pw = wOff + j
        for (let px = xi; px < xEnd; px++) {
          c = c + x[px]! * w[pw]!
          pw += m
        }
        z[zi + j] = c + w[bOff + j]!
      }
    }
  } else {
    // A(i, k) = x[xOff + i·K + k], B(k, j) = W[wOff + k·m + j]
    gemm({ data: x, off: xOff, major: K, depth: 1 }, { data: w, off: wOff, major: 1, depth: m }, { rows: n, cols: m, depth: K }, out)
    for (let i = 0; i < n; i++) {
      const o = zOff + i * m
      for (let j = 0; j < m; j++) z[o + j] = z[o + j]! + w[bOff + j]!
    }
  }
}

/**
 * `layer.pre = x·W + b` and `layer.out = f(layer.pre)`, with `W`, `b` read from the network's
 * parameter block `params` (at `params.off + layer.paramOff`) and `x` from `input`.
 *
 * @internal
 */
export const denseForwardInto = (layer: PassLayer, params: View, input: View): void => {
  const { rows: n, inputs: K, units: m } = layer
  affineInto(n, K, m, input, params.data, params.off + layer.paramOff, layer.pre)
  activateInto(layer.activation, layer.pre, layer.out, n * m)
}

/**
 * The layer's backward pass given `dz = dL/dz` (`rows x units`), for the input `input` it
 * was run on: when `grads` is not null, `dW = xᵀ·dz` and `db` (column sums of `dz`, from row
 * 0 down) into the network's gradient block `grads` at `grads.off + layer.paramOff` (leaf
 * order, as the parameters); when `dInput` is not null, `dx = dz·Wᵀ` (`rows x inputs`) into it.
 *
 * @internal
 */
export const denseBackwardInto = (
  layer: PassLayer,
  params: View,
  input: View,
  dz: View,
  grads: View | null,
  dInput: View | null,
): void => {
  const { rows: n, inputs: d, units: m } = layer
  const a = input.data
  const aOff = input.off
  const g = dz.data
  const gzOff = dz.off
  if (grads !== null) {
    const out = grads.data
    const wOff = grads.off + layer.paramOff
    // dW = aᵀ·dz (d x m, summed over the n rows): A(i, k) = a[k·d + i], B(k, j) = dz[k·m + j]
    // Stryker disable next-line ConditionalExpression: E-PATH
    if (dotProductsSuffice(d, m, n)) {
      // Stryker disable next-line EqualityOperator: E-BOUND overwritten below
      for (let i = 0; i < d; i++) {
        // Stryker disable next-line EqualityOperator: E-BOUND overwritten below
        for (let j = 0; j < m; j++) {
          let c = 0
          let pa = aOff + i
          let pz = gzOff + j
          for (let k = 0; k < n; k++) {
            c = c + a[pa]! * g[pz]!
            pa += d
            pz += m
          }
          out[wOff + i * m + j] = c
        }
      }
    } else {
      gemm({ data: a, off: aOff, major: 1, depth: d }, { data: g, off: gzOff, major: 1, depth: m }, { rows: d, cols: m, depth: n }, { data: out, off: wOff })
    }
    // db = column sums of dz, each from 0 and from row 0 down (as `columnSums`)
    const bOff = wOff + d * m
    for (let j = 0; j < m; j++) out[bOff + j] = 0
    for (let i = 0; i < n; i++) {
      const o = gzOff + i * m
      for (let j = 0; j < m; j++) out[bOff + j] = out[bOff + j]! + g[o + j]!
    }
  }
  if (dInput !== null) {
    // dx = dz·Wᵀ (n x d, summed over the m units): A(i, k) = dz[i·m + k], B(k, j) = W[j·m + k]
    const w = params.data
    const W0 = params.off + layer.paramOff
    const dst = dInput.data
    const dstOff = dInput.off
    // Stryker disable next-line ConditionalExpression: E-PATH
    if (dotProductsSuffice(n, d, m)) {
      for (let i = 0; i < n; i++) {
        const zi = gzOff + i * m
        const zEnd = zi + m
        for (let j = 0; j < d; j++) {
          let c = 0
          let pw = W0 + j * m
          for (let pz = zi; pz < zEnd; pz++) c = c + g[pz]! * w[pw++]!
          dst[dstOff + i * d + j] = c
        }
      }
    } else {
      gemm({ data: g, off: gzOff, major: m, depth: 1 }, { data: w, off: W0, major: m, depth: 1 }, { rows: n, cols: d, depth: m }, dInput)
    }
  }
}

/**
 * The dense layer as a kind: `W` `(inputs x units)` then `b` `(1 x units)`, no workspace
 * beyond its pre-activation (which is `z`) and output, and the two kernels above.
 *
 * @internal
 */
export const dense: LayerKind = Object.freeze({
  name: 'dense',
  weightRows: (inputs: number): number => inputs,
  columns: (layer: LayerSpec): number => layer.units,
  paramCount: (inputs: number, layer: LayerSpec): number => inputs * layer.units + layer.units,
  keptSize: (): number => 0,
  forwardInto: denseForwardInto,
  backwardInto: denseBackwardInto,
})
