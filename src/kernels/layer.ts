/**
 * What a kind of layer contributes to a network's passes: how wide its parameters are, how
 * much of the forward workspace it keeps besides its pre-activation and output, and its
 * forward and backward kernels (which sit side by side in the kind's own file: dense.ts,
 * maxout.ts). The network's passes (network.ts) call a layer's kernels through its kind, so a
 * new kind (batch normalisation, dropout) is one file and one record here, with no change to
 * the passes. (The gradient penalties' double backward pass, gradient-penalty.ts, knows the
 * dense and maxout kinds by name: a new kind adds its branch there, docs/gradients.md.)
 *
 * @module
 * @internal
 */
import type { Activation } from '../nn/activation.js'
import type { LayerSpec } from '../nn/network.js'
import type { BatchNormPass } from './batchnorm.js'
import type { View } from './view.js'

/**
 * One layer of a pass over `rows` rows: `inputs` values in, `units` out; its parameters at
 * `paramOff` in the network's parameter block (leaf order, `W` `(inputs x units·pieces)` then
 * `b` `(1 x units·pieces)`); the pass writes the affine values `z = x·W + b`
 * (`rows x units·pieces`) to `affine`, the pre-activation (`rows x units`) to `pre` and the
 * output `f(pre)` to `out` (the same view for the identity).
 *
 * - dense: `pieces` is 1 and `affine` is `pre` itself (its pre-activation is `z`); `winners`
 *   is null.
 * - maxout (`pieces` k): `affine` is a block of its own; `pre` is the max over each unit's k
 *   pieces, and `winners` (`rows x units`, integers stored as float64) the piece that gave it.
 *
 * - batchnorm: `W` is `γ` and `b` is `β` (each `1 x units`, PyTorch's `weight` and `bias`);
 *   `norm` holds its plan (the kept `x̂` and per-column statistics, its momentum, epsilon and
 *   where its running statistics lie in a running block); `affine` is `pre` and `winners` null.
 *   Every other kind's `norm` is null.
 *
 * With dropout of its input (a training plan of a layer whose spec has `keep < 1`), `mask`
 * (`rows x inputs`, dropout.ts's `1/keep` or 0) and `masked` (`rows x inputs`, the input
 * `x ⊙ mask` the layer's kernels then read); both `null` otherwise (and in every evaluation plan).
 *
 * @internal
 */
export interface PassLayer {
  readonly kind: LayerKind
  readonly rows: number
  readonly inputs: number
  readonly units: number
  readonly pieces: number
  readonly activation: Activation
  readonly paramOff: number
  readonly affine: View
  readonly winners: View | null
  readonly norm: BatchNormPass | null
  readonly pre: View
  readonly out: View
  readonly keep: number
  readonly mask: View | null
  readonly masked: View | null
}

/**
 * A kind of layer: the columns of its `W` and `b` for a layer spec, the rows of its `W` for
 * `inputs` inputs (`inputs`, or 1 for batch normalisation's `γ`), its parameter count for
 * `inputs` inputs, how many forward-workspace entries a pass of `rows` rows keeps for it
 * besides `pre` and `out` (maxout's `affine` and `winners`, batch normalisation's `x̂` and
 * statistics), and its two kernels (batch normalisation's forward kernel is its training one,
 * with the minibatch's statistics; network.ts runs its evaluation kernel instead when a pass
 * is given running statistics).
 * `forwardInto` writes the layer's `affine`, `winners`, `pre` and `out` from `input`;
 * `backwardInto`, given `dz = dL/d(pre)`, writes the parameter gradients into `grads` at the
 * layer's offset and `dL/d(input)` into `dInput` (each skipped when null).
 *
 * @internal
 */
export interface LayerKind {
  readonly name: string
  readonly columns: (layer: LayerSpec) => number
  readonly weightRows: (inputs: number) => number
  readonly paramCount: (inputs: number, layer: LayerSpec) => number
  readonly keptSize: (layer: LayerSpec, rows: number) => number
  readonly forwardInto: (layer: PassLayer, params: View, input: View) => void
  readonly backwardInto: (layer: PassLayer, params: View, input: View, dz: View, grads: View | null, dInput: View | null) => void
}
