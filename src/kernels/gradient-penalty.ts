/**
 * The gradient penalties of a critic `D` (a network whose last layer gives one logit `o` per
 * row): WGAN-GP's `λ·Σ_i (‖g_i‖ − c)²` (Gulrajani et al. 2017, `c = 1`) and R1's
 * `(γ/2)·Σ_i ‖g_i‖²` (Mescheder et al. 2018), where `g_i = ∂o_i/∂x_i` is row `i` of the input
 * gradient of a backward pass seeded with `dL/do = 1`. The kernel computes the penalty and
 * adds its gradient with respect to every parameter of `D` by reverse mode through that
 * backward pass (double backpropagation). The derivation: docs/gradients.md, section
 * "Gradient penalties (double backpropagation)"; the activations' second derivatives are in
 * its section "Activations".
 *
 * In the notation of network.ts: `a_0 = x`, `z_l = a_l·W_l + b_l`, `a_{l+1} = f_l(z_l)`;
 * the input-gradient pass `δ_L = 1`, `dz_l = δ_{l+1} ⊙ f_l'(z_l)`, `δ_l = dz_l·W_lᵀ`,
 * `g = δ_0`. With `P = Σ_i φ(‖g_i‖)` and `ḡ_i = ∂P/∂g_i = (φ'(r_i)/r_i)·g_i`:
 *
 * ```
 * up,   l = 0..L−1:  d̄z_l = δ̄_l·W_l          (δ̄_0 = ḡ)
 *                    ι_l  = d̄z_l ⊙ δ_{l+1} ⊙ f_l''(z_l)
 *                    δ̄_{l+1} = d̄z_l ⊙ f_l'(z_l)
 * down, l = L−1..0:  z̄_l  = ι_l + ā_{l+1} ⊙ f_l'(z_l)      (ā_L = 0)
 *                    W̄_l  = δ̄_lᵀ·dz_l + a_lᵀ·z̄_l
 *                    b̄_l  = 1ᵀ·z̄_l
 *                    ā_l  = z̄_l·W_lᵀ                        (ā_0 = ∂P/∂x)
 * ```
 *
 * A maxout layer (identity activation, so `f' = 1`, `f'' = 0`) takes part through its winning
 * pieces, which are fixed near the point (the max is linear there): with `c_ij` the winning
 * column of row `i`, unit `j`, its `δ_l = dz_l·W_lᵀ` reads `W_l` at those columns only, so the
 * same sweeps hold with `d̄z_l,ij = Σ_r δ̄_l,ir·W_l,r c_ij`, `W̄_l` scattered to the winning
 * columns (`W̄_l,r c += Σ_i [c = c_ij]·(δ̄_l,ir·dz_l,ij + a_l,ir·z̄_l,ij)`, the stacked rows in
 * order), `b̄_l,c = Σ_i [c = c_ij]·z̄_l,ij` and `ā_l,ir = Σ_j z̄_l,ij·W_l,r c_ij` (maxout.ts;
 * docs/gradients.md, "Maxout").
 *
 * @module
 * @internal
 */
import { gemm } from '../matrix/kernels.js'
import type { Activation } from '../nn/activation.js'
import type { NetworkSpec } from '../nn/network.js'
import { activationBackwardInto } from './activation.js'
import { maxoutBiasInto, maxoutInputGradientInto, maxoutSelectInto, maxoutWeightsInto } from './maxout.js'
import { type NetworkPlan, backwardScratchSize, columnsOf, forwardSize, networkBackwardInto, networkForwardInto, networkPlan } from './network.js'
import type { PassLayer } from './layer.js'
import type { View } from './view.js'

/**
 * A penalty on the norm `r_i = ‖g_i‖₂` of each row's input gradient, summed over the rows,
 * `P = Σ_i φ(r_i)`:
 *
 * - `wasserstein-gp`: `φ(r) = λ·(r − c)²` with `λ = weight`, `c = target` (WGAN-GP: `c = 1`),
 *   `φ'(r)/r = 2λ·(r − c)/r`; at `g_i = 0`, where the direction `g_i/‖g_i‖` is undefined, the
 *   row's gradient is taken to be `0` (a subgradient; docs/gradients.md says why)
 * - `r1`: `φ(r) = (γ/2)·r²` with `γ = weight`, `φ'(r)/r = γ` (smooth everywhere, no square root)
 *
 * The sum is over the rows, not a mean (as every gradient in the library): a mean over `n`
 * rows is the weight divided by `n`. Weights and targets are meant to be finite and `>= 0`;
 * the kernel does not check them (the config's validation does, where a penalty is named).
 *
 * @internal
 */
export type GradientPenalty =
  | { readonly kind: 'wasserstein-gp'; readonly weight: number; readonly target: number }
  | { readonly kind: 'r1'; readonly weight: number }

/**
 * One layer's blocks of the double backward pass: `left` is `[δ̄_l ; a_l]` (`2·rows x d_l`,
 * `δ̄_l` in the upper half, a copy of `a_l` in `leftLow`), `right` is `[dz_l ; z̄_l]`
 * (`2·rows x d_{l+1}`, shared by the layers; `z̄_l` in `rightLow`), so that
 * `W̄_l = leftᵀ·right` is one product. `dz` and `deltaNext` are where the input-gradient pass
 * leaves `dz_l` and `δ_{l+1}`; `injection` holds `ι_l` (`rows x d_{l+1}`).
 *
 * @internal
 */
export interface PenaltyLayer {
  readonly left: View
  readonly leftLow: View
  readonly right: View
  readonly rightLow: View
  readonly dz: View
  readonly deltaNext: View
  readonly injection: View
}

/**
 * A gradient penalty's pass of a network over `rows` rows, bound to one workspace from the
 * plan's first entry to `end`: the forward pass and the input-gradient pass (`net`, laid out
 * by network.ts), the seed `δ_L = 1` (`seed`, `rows x d_L`), the input gradient `g`
 * (`inputGrad`, `rows x d_0`, which holds `g` after a call), each layer's
 * {@link PenaltyLayer}, `ā` (`barA`, `rows x max_l d_l`) and the product `W̄_l`
 * (`product`, `max_l d_l·c_l`, with `c_l` the layer's columns: `d_{l+1}`, or `d_{l+1}·pieces`
 * for maxout).
 *
 * @internal
 */
export interface GradientPenaltyPlan {
  readonly rows: number
  readonly inputSize: number
  readonly paramCount: number
  readonly net: NetworkPlan
  readonly seed: View
  readonly inputGrad: View
  readonly layers: ReadonlyArray<PenaltyLayer>
  readonly barA: View
  readonly product: View
  readonly end: number
}

/** `max_l d_l` (`inputs`) and `max_l d_{l+1}` (`outputs`) and `max_l d_l·c_l` (`W_l`'s size). */
const widths = (spec: NetworkSpec): { inputs: number; outputs: number; weights: number } => {
  let d = spec.inputSize
  let inputs = 0
  let outputs = 0
  let weights = 0
  for (const layer of spec.layers) {
    inputs = Math.max(inputs, d)
    outputs = Math.max(outputs, layer.units)
    weights = Math.max(weights, d * columnsOf(layer))
    d = layer.units
  }
  return { inputs, outputs, weights }
}

/**
 * The workspace a gradient penalty over `rows` rows of the network `spec` needs:
 * `forwardSize + backwardScratchSize` (network.ts's passes), `rows·d_L` (the seed),
 * `rows·d_0` (`g`), `Σ_l (2·rows·d_l + rows·d_{l+1})` (each layer's `[δ̄_l ; a_l]` and `ι_l`),
 * `2·rows·max_l d_{l+1}` (`[dz_l ; z̄_l]`), `rows·max_l d_l` (`ā`) and `max_l d_l·c_l`
 * (`W̄_l`; `c_l` the columns of `W_l`, `d_{l+1}·pieces` for maxout).
 *
 * @internal
 */
export const gradientPenaltySize = (spec: NetworkSpec, rows: number): number => {
  const { inputs, outputs, weights } = widths(spec)
  let size = forwardSize(spec.layers, rows) + backwardScratchSize(spec.layers, rows)
  size += rows * spec.layers[spec.layers.length - 1]!.units + rows * spec.inputSize
  let d = spec.inputSize
  for (const layer of spec.layers) {
    size += 2 * rows * d + rows * layer.units
    d = layer.units
  }
  return size + 2 * rows * outputs + rows * inputs + weights
}

/**
 * The plan of a gradient penalty of the network `spec` over `rows` rows, in the workspace
 * `at.data` from `at.off` to `at.off + gradientPenaltySize(spec, rows)` (the plan's `end`).
 * Computed once per network and row count; the kernel then runs on it call after call and
 * writes nothing in the workspace outside that stretch.
 *
 * @internal
 */
export const gradientPenaltyPlan = (spec: NetworkSpec, rows: number, at: View): GradientPenaltyPlan => {
  const ws = at.data
  const L = spec.layers.length
  const netScratch = at.off + forwardSize(spec.layers, rows)
  const net = networkPlan(spec.layers, spec.inputSize, rows, ws, { at: at.off, lastOut: -1, scratchAt: netScratch })
  let top = net.scratchEnd
  const take = (size: number): View => {
    const v = { data: ws, off: top }
    top += size
    return v
  }
  const seed = take(rows * spec.layers[L - 1]!.units)
  const inputGrad = take(rows * spec.inputSize)
  const { inputs, outputs, weights } = widths(spec)
  const right = take(2 * rows * outputs)
  const barA = take(rows * inputs)
  const product = take(weights)
  const layers: PenaltyLayer[] = []
  let d = spec.inputSize
  for (let l = 0; l < L; l++) {
    const m = spec.layers[l]!.units
    const left = take(2 * rows * d)
    const deltaNext = l + 1 < L ? net.dA[l + 1]! : seed
    layers.push({
      left,
      leftLow: { data: ws, off: left.off + rows * d },
      right,
      rightLow: { data: ws, off: right.off + rows * m },
      dz: net.dz[l] ?? deltaNext,
      deltaNext,
      injection: take(rows * m),
    })
    d = m
  }
  return { rows, inputSize: spec.inputSize, paramCount: net.paramCount, net, seed, inputGrad, layers, barA, product, end: top }
}

/**
 * `ι = d̄z ⊙ δ ⊙ f''(z)` for `0 <= i < len`, the second derivative taken from the output
 * `y = f(z)` (`out`), entry by entry `ι_i = (d̄z_i · δ_i) · f''`:
 *
 * - tanh: `f'' = −2y·(1 − y²)`, computed `(-2 * y) * (1 - y * y)`
 * - sigmoid: `f'' = y·(1 − y)·(1 − 2y)`, computed `(y * (1 - y)) * (1 - 2 * y)`
 * - identity, relu, leakyRelu: `f'' = 0` (everywhere, the kink included: their `f'` is taken
 *   constant on each side, with the left slope at 0), so `ι = 0`
 *
 * @internal
 */
export const injectionInto = (a: Activation, out: View, barDz: View, delta: View, inj: View, len: number): void => {
  const y = out.data
  const yo = out.off
  const u = barDz.data
  const uo = barDz.off
  const v = delta.data
  const vo = delta.off
  const o = inj.data
  const oo = inj.off
  switch (a.kind) {
    case 'tanh':
      for (let i = 0; i < len; i++) {
        const t = y[yo + i]!
        o[oo + i] = u[uo + i]! * v[vo + i]! * (-2 * t * (1 - t * t))
      }
      return
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const s = y[yo + i]!
        o[oo + i] = u[uo + i]! * v[vo + i]! * (s * (1 - s) * (1 - 2 * s))
      }
      return
    default:
      for (let i = 0; i < len; i++) o[oo + i] = 0
  }
}

/**
 * The per-row penalty from the input gradient `g` (`rows x width`): returns
 * `P = Σ_i φ(r_i)` (summed from row 0 down, from 0) with `s_i = Σ_k g_ik²` (k ascending, from
 * 0), `r_i = sqrt(s_i)`, and writes `ḡ_i = (φ'(r_i)/r_i)·g_i` into `barG`:
 *
 * - wasserstein-gp: `t = r − c`, `φ = (λ·t)·t`, `ḡ = ((2λ·t)/r)·g`, and `ḡ = 0` when `s = 0`
 * - r1: `φ = ((γ/2)·s)`, `ḡ = γ·g`
 *
 * @internal
 */
export const penaltyRowsInto = (penalty: GradientPenalty, g: View, rows: number, width: number, barG: View): number => {
  const src = g.data
  const dst = barG.data
  let P = 0
  for (let i = 0; i < rows; i++) {
    const gi = g.off + i * width
    const bi = barG.off + i * width
    let s = 0
    for (let k = 0; k < width; k++) s = s + src[gi + k]! * src[gi + k]!
    let coef: number
    if (penalty.kind === 'r1') {
      P = P + (penalty.weight / 2) * s
      coef = penalty.weight
    } else {
      const r = Math.sqrt(s)
      const t = r - penalty.target
      P = P + penalty.weight * t * t
      coef = s > 0 ? (2 * penalty.weight * t) / r : 0
    }
    // Stryker disable next-line EqualityOperator: E-BOUND next row, or leftLow: written later
    for (let k = 0; k < width; k++) dst[bi + k] = coef * src[gi + k]!
  }
  return P
}

/** `dst[i] = src[i]` for `0 <= i < len`. */
const copyInto = (src: View, dst: View, len: number): void => {
  dst.data.set(src.data.subarray(src.off, src.off + len), dst.off)
}

/**
 * A maxout layer's `W̄_l` and `b̄_l` added to `grads` (at the layer's offset, one addition per
 * entry): `[dz_l ; z̄_l]` in `blocks.right` (`z̄_l` already in its lower half) against
 * `[δ̄_l ; a_l]` in `blocks.left`, scattered to the winning columns over the stacked `2·rows`
 * rows in order (`T`, `d_l x units·pieces`), then `b̄_l` from `z̄_l`.
 */
const maxoutAdjointsInto = (layer: PassLayer, blocks: PenaltyLayer, a: View, T: View, grads: View): void => {
  const n = layer.rows
  const d = layer.inputs
  const M = layer.units * layer.pieces
  copyInto(blocks.dz, blocks.right, n * layer.units)
  copyInto(a, blocks.leftLow, n * d)
  maxoutWeightsInto(layer, 2 * n, blocks.left, blocks.right, T.data, T.off)
  const g = grads.data
  const gOff = grads.off + layer.paramOff
  const t = T.data
  for (let e = 0; e < d * M; e++) g[gOff + e] = g[gOff + e]! + t[T.off + e]!
  maxoutBiasInto(layer, blocks.rightLow, g, gOff + d * M, true)
}

/**
 * The gradient penalty `P = Σ_i φ(‖g_i‖)` of the network with parameters `params` (leaf order
 * `W_0, b_0, W_1, ...`) on the rows `input` (`rows x d_0`), where `g_i = ∂(Σ_j o_ij)/∂x_i` is
 * row `i` of the input gradient of the backward pass seeded with `1` (for a critic with one
 * output unit, `∂o_i/∂x_i`). Returns `P`; afterwards `plan.inputGrad` holds `g`.
 *
 * When `grads` is not null, ADDS `∂P/∂θ` to it: `grads[paramOff + e] += ∂P/∂θ_e` for every
 * parameter entry, one addition per entry (`W̄_l = δ̄_lᵀ·dz_l + a_lᵀ·z̄_l` is one product
 * over the stacked `2·rows` rows, `b̄_l` the column sums of `z̄_l`, each summed from 0), so a
 * caller adds the penalty's gradient on top of its objective's. When `dInput` is not null,
 * ADDS `∂P/∂x` (`rows x d_0`) to it the same way. Writes nothing else outside the plan's
 * workspace; `grads` and `dInput` must not overlap the workspace, `params` or `input`.
 *
 * @internal
 */
export const gradientPenaltyInto = (
  plan: GradientPenaltyPlan,
  penalty: GradientPenalty,
  params: View,
  input: View,
  grads: View | null,
  dInput: View | null,
): number => {
  const { rows: n, net, layers } = plan
  const passLayers = net.layers
  const L = passLayers.length
  const seed = plan.seed
  seed.data.fill(1, seed.off, seed.off + n * passLayers[L - 1]!.units)
  networkForwardInto(net, params, input)
  networkBackwardInto(net, params, input, seed, null, plan.inputGrad)
  const P = penaltyRowsInto(penalty, plan.inputGrad, n, plan.inputSize, layers[0]!.left)
  // Stryker disable next-line ConditionalExpression: E-NOOP then only the workspace is written
  if (grads === null && dInput === null) return P
  const w = params.data
  // up: d̄z_l = δ̄_l·W_l (in right's upper half), ι_l, δ̄_{l+1} = d̄z_l ⊙ f_l'(z_l)
  for (let l = 0; l < L; l++) {
    const layer = passLayers[l]!
    const blocks = layers[l]!
    const d = layer.inputs
    const m = layer.units
    const wOff = params.off + layer.paramOff
    if (layer.winners !== null) maxoutSelectInto(layer, params, blocks.left, blocks.right)
    else gemm({ data: blocks.left.data, off: blocks.left.off, major: d, depth: 1 }, { data: w, off: wOff, major: 1, depth: m }, { rows: n, cols: m, depth: d }, blocks.right)
    injectionInto(layer.activation, layer.out, blocks.right, blocks.deltaNext, blocks.injection, n * m)
    if (l + 1 < L) activationBackwardInto(layer.activation, layer.pre, layer.out, blocks.right, layers[l + 1]!.left, n * m)
  }
  // down: z̄_l, then W̄_l = [δ̄_l ; a_l]ᵀ·[dz_l ; z̄_l], b̄_l, ā_l = z̄_l·W_lᵀ
  const barA = plan.barA
  const T = plan.product
  for (let l = L - 1; l >= 0; l--) {
    const layer = passLayers[l]!
    const blocks = layers[l]!
    const d = layer.inputs
    const m = layer.units
    const size = n * m
    const zb = blocks.rightLow
    const z = zb.data
    if (l === L - 1) {
      copyInto(blocks.injection, zb, size)
    } else {
      activationBackwardInto(layer.activation, layer.pre, layer.out, barA, zb, size)
      const inj = blocks.injection.data
      const io = blocks.injection.off
      // Stryker disable next-line EqualityOperator: E-BOUND padding, or barA[0]: written first
      for (let e = 0; e < size; e++) z[zb.off + e] = z[zb.off + e]! + inj[io + e]!
    }
    const wOff = params.off + layer.paramOff
    if (layer.winners !== null) {
      if (grads !== null) maxoutAdjointsInto(layer, blocks, l > 0 ? passLayers[l - 1]!.out : input, T, grads)
      if (l > 0 || dInput !== null) maxoutInputGradientInto(layer, params, zb, barA)
      continue
    }
    if (grads !== null) {
      copyInto(blocks.dz, blocks.right, size)
      copyInto(l > 0 ? passLayers[l - 1]!.out : input, blocks.leftLow, n * d)
      gemm(
        { data: blocks.left.data, off: blocks.left.off, major: 1, depth: d },
        { data: blocks.right.data, off: blocks.right.off, major: 1, depth: m },
        { rows: d, cols: m, depth: 2 * n },
        T,
      )
      const g = grads.data
      const gOff = grads.off + layer.paramOff
      const t = T.data
      for (let e = 0; e < d * m; e++) g[gOff + e] = g[gOff + e]! + t[T.off + e]!
      const bOff = gOff + d * m
      for (let j = 0; j < m; j++) {
        let c = 0
        for (let i = 0; i < n; i++) c = c + z[zb.off + i * m + j]!
        g[bOff + j] = g[bOff + j]! + c
      }
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: E-NOOP only barA, unread
    if (l > 0 || dInput !== null) {
      gemm({ data: z, off: zb.off, major: m, depth: 1 }, { data: w, off: wOff, major: m, depth: 1 }, { rows: n, cols: d, depth: m }, barA)
    }
  }
  if (dInput !== null) {
    const dst = dInput.data
    const a = barA.data
    for (let e = 0; e < n * plan.inputSize; e++) dst[dInput.off + e] = dst[dInput.off + e]! + a[barA.off + e]!
  }
  return P
}
