/**
 * The maxout layer's kernels (Goodfellow et al. 2013, "Maxout Networks"), forward and backward
 * side by side, over one layer of a network pass ({@link PassLayer}), as dense.ts. Derivation:
 * docs/gradients.md, section "Maxout".
 *
 * A maxout layer of `m` units with `k` pieces on `x` `(rows x inputs)`: `W` is
 * `(inputs x m·k)` and `b` `(1 x m·k)`, **the pieces of a unit adjacent**: unit `j`'s piece `p`
 * is column `c = j·k + p` (as PyTorch's `Linear(inputs, m·k)` followed by
 * `view(..., m, k).max(-1)`, and pylearn2's `Maxout`).
 *
 * Forward: `z = x·W + b` (`rows x m·k`, the affine values, summed as dense.ts does), then
 * `y_ij = max_p z_i,(j·k + p)`, and `w_ij`, the winning piece: **the lowest index among the
 * largest** (a tie goes to the lower piece, as `argmax` in NumPy, PyTorch and TensorFlow), a NaN
 * piece counting as larger than every number (so a NaN propagates, as `Math.max` and
 * `torch.max` do; the first NaN wins). `y_ij` is the winning piece's value itself (on a tie of
 * `0` and `-0`, the lower piece's zero).
 *
 * Backward, given `dy = dL/dy` `(rows x m)`: the gradient goes to the winning piece only. With
 * `c_ij = j·k + w_ij`: `dW_r,c = Σ_i [c = c_ij]·x_ir·dy_ij`, `db_c = Σ_i [c = c_ij]·dy_ij` (rows
 * ascending, from 0; a column that never wins gets `0`) and `dx_ir = Σ_j dy_ij·W_r,c_ij` (units
 * ascending, from 0). The losing pieces' zero terms are skipped, not added.
 *
 * @module
 * @internal
 */
import type { LayerSpec } from '../nn/network.js'
import { activateInto } from './activation.js'
import { affineInto } from './dense.js'
import type { LayerKind, PassLayer } from './layer.js'
import type { View } from './view.js'

/** A layer spec's pieces: maxout's `pieces`, 1 for a dense layer. */
const piecesOf = (layer: LayerSpec): number => (layer.kind === 'maxout' ? layer.pieces : 1)

/**
 * From the layer's affine values (`layer.affine`, `rows x units·pieces`): `layer.pre_ij`, the
 * largest of unit `j`'s pieces in row `i`, and `layer.winners_ij`, its piece (the lowest index
 * among equal largest values; a NaN counts as larger than every number, the first NaN wins).
 *
 * @internal
 */
export const maxInto = (layer: PassLayer): void => {
  const k = layer.pieces
  const z = layer.affine.data
  const zOff = layer.affine.off
  const y = layer.pre.data
  const yOff = layer.pre.off
  const winners = layer.winners!
  const w = winners.data
  const wOff = winners.off
  const count = layer.rows * layer.units
  for (let e = 0; e < count; e++) {
    const base = zOff + e * k
    let best = z[base]!
    let win = 0
    for (let p = 1; p < k; p++) {
      const v = z[base + p]!
      if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
        best = v
        win = p
      }
    }
    y[yOff + e] = best
    w[wOff + e] = win
  }
}

/**
 * The forward pass: `layer.affine = x·W + b` (`rows x units·pieces`, dense.ts's
 * {@link affineInto}), then `layer.pre` and `layer.winners` ({@link maxInto}), then
 * `layer.out = f(layer.pre)` (nothing for the identity, whose `out` is `pre`).
 *
 * @internal
 */
export const maxoutForwardInto = (layer: PassLayer, params: View, input: View): void => {
  const { rows: n, inputs: K, units: m, pieces: k } = layer
  affineInto(n, K, m * k, input, params.data, params.off + layer.paramOff, layer.affine)
  maxInto(layer)
  activateInto(layer.activation, layer.pre, layer.out, n * m)
}

/**
 * `dW` of `R` rows into `out` from `wOff` (`inputs x units·pieces`, every entry written): with
 * `x` `(R x inputs)` and `g` `(R x units)`, `dW_r,c = Σ_i [c = c_i'j]·x_ir·g_ij` over the rows
 * `i` ascending, from 0, where row `i` takes the winners of the layer's row `i' = i mod rows`
 * (`R = rows` for the backward pass; the gradient penalty stacks `2·rows` rows of two blocks
 * on the same winners).
 *
 * @internal
 */
export const maxoutWeightsInto = (layer: PassLayer, R: number, x: View, g: View, out: Float64Array, wOff: number): void => {
  const { rows: n, inputs: d, units: m, pieces: k } = layer
  const M = m * k
  const win = layer.winners!.data
  const winOff = layer.winners!.off
  const a = x.data
  const gd = g.data
  out.fill(0, wOff, wOff + d * M)
  // Four rows of dW at a time, each entry summed over i ascending: its own order, so the
  // blocking moves no bit; the four rows stay in cache while every row of g passes once.
  let r = 0
  for (; r + 4 <= d; r += 4) {
    const o0 = wOff + r * M
    const o1 = o0 + M
    const o2 = o1 + M
    const o3 = o2 + M
    for (let i = 0; i < R; i++) {
      const xi = x.off + i * d + r
      const x0 = a[xi]!
      const x1 = a[xi + 1]!
      const x2 = a[xi + 2]!
      const x3 = a[xi + 3]!
      const wi = winOff + (i % n) * m
      const gi = g.off + i * m
      for (let j = 0; j < m; j++) {
        const c = j * k + win[wi + j]!
        const gv = gd[gi + j]!
        out[o0 + c] = out[o0 + c]! + x0 * gv
        out[o1 + c] = out[o1 + c]! + x1 * gv
        out[o2 + c] = out[o2 + c]! + x2 * gv
        out[o3 + c] = out[o3 + c]! + x3 * gv
      }
    }
  }
  for (; r < d; r++) {
    const o0 = wOff + r * M
    for (let i = 0; i < R; i++) {
      const x0 = a[x.off + i * d + r]!
      const wi = winOff + (i % n) * m
      const gi = g.off + i * m
      for (let j = 0; j < m; j++) {
        const c = j * k + win[wi + j]!
        out[o0 + c] = out[o0 + c]! + x0 * gd[gi + j]!
      }
    }
  }
}

/**
 * `db_c = Σ_i [c = c_ij]·g_ij` over the layer's rows ascending, from 0, for `g`
 * `(rows x units)`, into `out` from `bOff` (`units·pieces` entries): written when `add` is
 * false, else added to what is there (one addition per entry).
 *
 * @internal
 */
export const maxoutBiasInto = (layer: PassLayer, g: View, out: Float64Array, bOff: number, add: boolean): void => {
  const { rows: n, units: m, pieces: k } = layer
  const win = layer.winners!.data
  const winOff = layer.winners!.off
  const gd = g.data
  for (let j = 0; j < m; j++) {
    for (let p = 0; p < k; p++) {
      let s = 0
      for (let i = 0; i < n; i++) if (win[winOff + i * m + j] === p) s = s + gd[g.off + i * m + j]!
      const c = bOff + j * k + p
      out[c] = add ? out[c]! + s : s
    }
  }
}

/**
 * `dx_ir = Σ_j g_ij·W_r,c_ij` (units ascending, from 0) into `dst` (`rows x inputs`), for `g`
 * `(rows x units)`: the backward pass's input gradient (and the gradient penalty's `ā`).
 *
 * @internal
 */
export const maxoutInputGradientInto = (layer: PassLayer, params: View, g: View, dst: View): void => {
  const { rows: n, inputs: d, units: m, pieces: k } = layer
  const M = m * k
  const w = params.data
  const W0 = params.off + layer.paramOff
  const win = layer.winners!.data
  const winOff = layer.winners!.off
  const gd = g.data
  const out = dst.data
  for (let i = 0; i < n; i++) {
    const gi = g.off + i * m
    const wi = winOff + i * m
    const oi = dst.off + i * d
    // Eight sums at a time, each over j ascending as alone: eight independent chains of
    // additions where one would wait on the last.
    let r = 0
    for (; r + 8 <= d; r += 8) {
      const w0 = W0 + r * M
      let s0 = 0
      let s1 = 0
      let s2 = 0
      let s3 = 0
      let s4 = 0
      let s5 = 0
      let s6 = 0
      let s7 = 0
      for (let j = 0; j < m; j++) {
        const c = w0 + j * k + win[wi + j]!
        const gv = gd[gi + j]!
        s0 = s0 + gv * w[c]!
        s1 = s1 + gv * w[c + M]!
        s2 = s2 + gv * w[c + 2 * M]!
        s3 = s3 + gv * w[c + 3 * M]!
        s4 = s4 + gv * w[c + 4 * M]!
        s5 = s5 + gv * w[c + 5 * M]!
        s6 = s6 + gv * w[c + 6 * M]!
        s7 = s7 + gv * w[c + 7 * M]!
      }
      out[oi + r] = s0
      out[oi + r + 1] = s1
      out[oi + r + 2] = s2
      out[oi + r + 3] = s3
      out[oi + r + 4] = s4
      out[oi + r + 5] = s5
      out[oi + r + 6] = s6
      out[oi + r + 7] = s7
    }
    for (; r < d; r++) {
      const w0 = W0 + r * M
      let s = 0
      for (let j = 0; j < m; j++) s = s + gd[gi + j]! * w[w0 + j * k + win[wi + j]!]!
      out[oi + r] = s
    }
  }
}

/**
 * `out_ij = Σ_r u_ir·W_r,c_ij` (inputs ascending, from 0) into `out` (`rows x units`), for `u`
 * `(rows x inputs)`: `u·W` read at the winning columns only. The gradient penalty's
 * `d̄z = δ̄·W` through a maxout layer (docs/gradients.md, "Maxout").
 *
 * @internal
 */
export const maxoutSelectInto = (layer: PassLayer, params: View, u: View, out: View): void => {
  const { rows: n, inputs: d, units: m, pieces: k } = layer
  const M = m * k
  const w = params.data
  const W0 = params.off + layer.paramOff
  const win = layer.winners!.data
  const winOff = layer.winners!.off
  const ud = u.data
  const o = out.data
  for (let i = 0; i < n; i++) {
    const ui = u.off + i * d
    for (let j = 0; j < m; j++) {
      const c = W0 + j * k + win[winOff + i * m + j]!
      let s = 0
      for (let r = 0; r < d; r++) s = s + ud[ui + r]! * w[c + r * M]!
      o[out.off + i * m + j] = s
    }
  }
}

/**
 * The backward pass given `dz = dL/d(pre)` (`rows x units`), for the input `input` and the
 * winners of the forward pass it follows: when `grads` is not null, `dW` and `db` into the
 * network's gradient block at `grads.off + layer.paramOff` (every entry written; the losing
 * pieces' entries get `0` from the rows they lose); when `dInput` is not null,
 * `dx_ir = Σ_j dz_ij·W_r,c_ij` into it.
 *
 * @internal
 */
export const maxoutBackwardInto = (layer: PassLayer, params: View, input: View, dz: View, grads: View | null, dInput: View | null): void => {
  if (grads !== null) {
    const wOff = grads.off + layer.paramOff
    maxoutWeightsInto(layer, layer.rows, input, dz, grads.data, wOff)
    maxoutBiasInto(layer, dz, grads.data, wOff + layer.inputs * layer.units * layer.pieces, false)
  }
  if (dInput !== null) maxoutInputGradientInto(layer, params, dz, dInput)
}

/**
 * Maxout as a kind: `W` `(inputs x units·pieces)` then `b` `(1 x units·pieces)`; a pass of
 * `rows` rows keeps `rows·units·pieces` affine values and `rows·units` winners besides its
 * pre-activation (the max) and output; the two kernels above.
 *
 * @internal
 */
export const maxout: LayerKind = Object.freeze({
  name: 'maxout',
  weightRows: (inputs: number): number => inputs,
  columns: (layer: LayerSpec): number => layer.units * piecesOf(layer),
  paramCount: (inputs: number, layer: LayerSpec): number => (inputs + 1) * layer.units * piecesOf(layer),
  keptSize: (layer: LayerSpec, rows: number): number => rows * layer.units * (piecesOf(layer) + 1),
  forwardInto: maxoutForwardInto,
  backwardInto: maxoutBackwardInto,
})
