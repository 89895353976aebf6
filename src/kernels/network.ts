/**
 * A sequential network's passes over one workspace: the plan of a pass (every layer's
 * {@link PassLayer}, and where the backward pass keeps its `dz` and `dA` blocks), the
 * forward pass and the backward pass. The chain rule is derived in docs/gradients.md,
 * section "Network"; the layers' own kernels are in dense.ts, maxout.ts and activation.ts,
 * each layer's called through its kind ({@link kindOf}).
 *
 * Layer `l` maps `a_l` `(rows x d_l)` to `a_{l+1} = f_l(z_l)`, `z_l = a_l·W_l + b_l` for a
 * dense layer (a maxout layer's `z_l` is the max over each unit's pieces of `a_l·W_l + b_l`),
 * with `d_0 = inputSize`; the parameters are one flat block in leaf order `W_0, b_0, W_1, ...`.
 *
 * @module
 * @internal
 */
import type { LayerSpec } from '../nn/network.js'
import { activationBackwardInto } from './activation.js'
import { BATCHNORM_DEFAULTS, batchNorm, runningStatsInto } from './batchnorm.js'
import { dense } from './dense.js'
import { dropoutMaskInto, maskedInto } from './dropout.js'
import type { LayerKind, PassLayer } from './layer.js'
import { maxout } from './maxout.js'
import type { View } from './view.js'

/**
 * Where a pass lives in its workspace: its forward values from `at` (the last layer's
 * output at `lastOut` instead when `lastOut >= 0`, e.g. straight into the lower half of a
 * stacked batch), and its backward scratch from `scratchAt` (none when `scratchAt < 0`).
 *
 * @internal
 */
export interface PassLayout {
  readonly at: number
  readonly lastOut: number
  readonly scratchAt: number
  /**
   * A training pass's dropout blocks (per dropping layer, its mask then its masked input, each
   * `rows x inputs`; {@link dropoutSize} entries) from here; absent or `< 0`: none (evaluation).
   */
  readonly masksAt?: number
}

/**
 * A pass of a network over `rows` rows bound to one workspace: its layers (shapes,
 * parameter offsets, where `z_l` and `a_{l+1}` go), and for the backward pass per layer
 * where `dz_l` goes (`null` for the identity, whose `dz` is the incoming gradient itself) and
 * where `dA_l`, the gradient with respect to a hidden layer's input, goes (`null` at layer 0,
 * whose input gradient goes where the caller asks). `end` is the first workspace offset after
 * the forward values (`lastOut` aside), `scratchEnd` after the backward scratch.
 *
 * @internal
 */
export interface NetworkPlan {
  readonly rows: number
  readonly inputSize: number
  readonly layers: ReadonlyArray<PassLayer>
  readonly dz: ReadonlyArray<View | null>
  readonly dA: ReadonlyArray<View | null>
  readonly paramCount: number
  readonly end: number
  readonly scratchEnd: number
}

/**
 * The kind of a layer spec: `maxout` for `kind: 'maxout'`, `batchNorm` for
 * `kind: 'batchnorm'`, else `dense` (a spec without a `kind` is dense).
 *
 * @internal
 */
export const kindOf = (layer: LayerSpec): LayerKind => (layer.kind === 'maxout' ? maxout : layer.kind === 'batchnorm' ? batchNorm : dense)

/**
 * The rows of a layer's `W` for `inputs` inputs: `inputs`, or 1 for batch normalisation's `γ`.
 *
 * @internal
 */
export const weightRowsOf = (layer: LayerSpec, inputs: number): number => kindOf(layer).weightRows(inputs)

/**
 * The entries of a network's running-statistics block: `2·units` (`[μ_run | σ²_run]`) per
 * batch normalisation layer, in order; 0 without one.
 *
 * @internal
 */
export const runningSize = (layers: ReadonlyArray<LayerSpec>): number => {
  let size = 0
  for (const layer of layers) if (layer.kind === 'batchnorm') size += 2 * layer.units
  return size
}

/**
 * The columns of a layer's `W` and `b`: `units` (dense), `units·pieces` (maxout).
 *
 * @internal
 */
export const columnsOf = (layer: LayerSpec): number => kindOf(layer).columns(layer)

/**
 * The number of parameters, `Σ_l (d_l·c_l + c_l)` with `c_l = columnsOf(layers[l])`
 * (`d_{l+1}` for a dense layer, `d_{l+1}·pieces` for maxout).
 *
 * @internal
 */
export const paramCount = (layers: ReadonlyArray<LayerSpec>, inputSize: number): number => {
  let d = inputSize
  let P = 0
  for (const layer of layers) {
    P += kindOf(layer).paramCount(d, layer)
    d = layer.units
  }
  return P
}

/**
 * The workspace a forward pass of `rows` rows needs: per layer what its kind keeps
 * (`keptSize`: nothing for dense, `rows·units·(pieces + 1)` for maxout), `rows·units` for
 * `z_l` and as much again for the output unless the activation is the identity.
 *
 * @internal
 */
export const forwardSize = (layers: ReadonlyArray<LayerSpec>, rows: number): number => {
  let size = 0
  for (const layer of layers) size += kindOf(layer).keptSize(layer, rows) + (layer.activation.kind === 'identity' ? 1 : 2) * rows * layer.units
  return size
}

/**
 * True when a layer drops its input in training: its spec has a `keep` below 1 (a `keep` of 1
 * or none is no dropout, and draws nothing).
 *
 * @internal
 */
export const drops = (layer: LayerSpec): boolean => layer.keep !== undefined && layer.keep < 1

/**
 * The uniforms one training pass of `rows` rows draws for its masks: `rows·d_l` per dropping
 * layer `l` (its input width `d_l`), 0 without dropout.
 *
 * @internal
 */
export const dropoutDraws = (layers: ReadonlyArray<LayerSpec>, inputSize: number, rows: number): number => {
  let d = inputSize
  let count = 0
  for (const layer of layers) {
    if (drops(layer)) count += rows * d
    d = layer.units
  }
  return count
}

/**
 * The workspace a training pass's dropout blocks need: a mask and a masked input per
 * dropping layer, `2·rows·d_l` each (twice {@link dropoutDraws}).
 *
 * @internal
 */
export const dropoutSize = (layers: ReadonlyArray<LayerSpec>, inputSize: number, rows: number): number => 2 * dropoutDraws(layers, inputSize, rows)

/**
 * The scratch a backward pass of `rows` rows needs: `rows·units` per layer for `dz` (unless
 * the activation is the identity) and `rows·d_l` for each hidden layer's input gradient. The
 * same for every kind: maxout's backward pass needs nothing more (it reads its winners from
 * the forward workspace and skips the losing pieces).
 *
 * @internal
 */
export const backwardScratchSize = (layers: ReadonlyArray<LayerSpec>, rows: number): number => {
  let size = 0
  for (let l = 0; l < layers.length; l++) {
    if (layers[l]!.activation.kind !== 'identity') size += rows * layers[l]!.units
    if (l > 0) size += rows * layers[l - 1]!.units
  }
  return size
}

/**
 * The plan of a pass of `layers` (input width `inputSize`) over `rows` rows in the workspace
 * `ws`, laid out by `layout`. Computed once per config and batch size; the kernels then
 * run on it step after step.
 *
 * @internal
 */
export const networkPlan = (
  layers: ReadonlyArray<LayerSpec>,
  inputSize: number,
  rows: number,
  ws: Float64Array,
  layout: PassLayout,
): NetworkPlan => {
  const L = layers.length
  const passLayers: PassLayer[] = []
  let masksAt = layout.masksAt ?? -1
  let runningAt = 0
  let top = layout.at
  let d = inputSize
  let paramOff = 0
  for (let l = 0; l < L; l++) {
    const spec = layers[l]!
    const { units, activation } = spec
    const kind = kindOf(spec)
    const size = rows * units
    const last = l === L - 1 && layout.lastOut >= 0
    // a kind's kept block first: maxout's affine values (rows x units·pieces), then its winners
    const kept = kind.keptSize(spec, rows)
    const affineAt = top
    top += kept
    let pre: number
    let out: number
    if (activation.kind === 'identity') {
      pre = last ? layout.lastOut : top
      if (!last) top += size
      out = pre
    } else {
      pre = top
      top += size
      out = last ? layout.lastOut : top
      if (!last) top += size
    }
    const preView = { data: ws, off: pre }
    const pieces = spec.kind === 'maxout' ? spec.pieces : 1
    const norm =
      spec.kind === 'batchnorm'
        ? {
            rows,
            units,
            epsilon: spec.epsilon ?? BATCHNORM_DEFAULTS.epsilon,
            momentum: spec.momentum ?? BATCHNORM_DEFAULTS.momentum,
            xhat: { data: ws, off: affineAt },
            stats: { data: ws, off: affineAt + size },
            running: runningAt,
          }
        : null
    if (norm !== null) runningAt += 2 * units
    const dropping = masksAt >= 0 && drops(spec)
    const mask = dropping ? { data: ws, off: masksAt } : null
    const masked = dropping ? { data: ws, off: masksAt + rows * d } : null
    if (dropping) masksAt += 2 * rows * d
    passLayers.push({
      kind,
      rows,
      inputs: d,
      units,
      pieces,
      activation,
      paramOff,
      affine: spec.kind === 'maxout' ? { data: ws, off: affineAt } : preView,
      winners: spec.kind === 'maxout' ? { data: ws, off: affineAt + size * pieces } : null,
      norm,
      pre: preView,
      // Stryker disable next-line ConditionalExpression: E-NOOP an equal view
      out: out === pre ? preView : { data: ws, off: out },
      keep: spec.keep ?? 1,
      mask,
      masked,
    })
    paramOff += kind.paramCount(d, spec)
    d = units
  }
  // without a scratch, no backward views at all (a backward pass on such a plan fails at once)
  let scratch = layout.scratchAt
  let dz: Array<View | null> = []
  let dA: Array<View | null> = []
  if (scratch >= 0) {
    dz = new Array<View | null>(L).fill(null)
    // Stryker disable next-line ArrayDeclaration: E-NOOP dA[0] is never read
    dA = new Array<View | null>(L).fill(null)
    for (let l = L - 1; l >= 0; l--) {
      if (layers[l]!.activation.kind !== 'identity') {
        dz[l] = { data: ws, off: scratch }
        scratch += rows * layers[l]!.units
      }
      if (l > 0) {
        dA[l] = { data: ws, off: scratch }
        scratch += rows * layers[l - 1]!.units
      }
    }
  }
  return { rows, inputSize, layers: passLayers, dz, dA, paramCount: paramOff, end: top, scratchEnd: scratch }
}

/**
 * The forward pass (training): layer after layer `z_l = a_l·W_l + b_l` (maxout: the max over
 * each unit's pieces; batch normalisation: `γ ⊙ x̂ + β` with the minibatch's statistics),
 * `a_{l+1} = f_l(z_l)` through each layer's kind, into the plan's workspace, reading the
 * parameters from `params` (leaf order) and `a_0` from `input`. (Evaluation with running
 * statistics is nn's `predict`.)
 *
 * @internal
 */
export const networkForwardInto = (plan: NetworkPlan, params: View, input: View): void => {
  const layers = plan.layers
  let a = input
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l]!
    if (layer.mask !== null) {
      maskedInto(layer.mask, a, layer.masked!, layer.rows * layer.inputs)
      a = layer.masked!
    }
    layer.kind.forwardInto(layer, params, a)
    a = layer.out
  }
}

/**
 * The running statistics after a training forward pass of `plan` (batch normalisation's
 * `runningStatsInto` per layer, with the layer's momentum): from `running` into `next`
 * ({@link runningSize} entries each, the layers' `[μ_run | σ²_run]` in order). Nothing without
 * a batch normalisation layer.
 *
 * @internal
 */
export const runningStatsNextInto = (plan: NetworkPlan, running: View, next: View): void => {
  for (const layer of plan.layers) {
    const norm = layer.norm
    if (norm === null) continue
    const mean = { data: norm.stats.data, off: norm.stats.off + 2 * norm.units }
    runningStatsInto(norm, norm.momentum, mean, { data: running.data, off: running.off + norm.running }, { data: next.data, off: next.off + norm.running })
  }
}

/**
 * A training plan's dropout masks from `uniforms` (dropout.ts's `dropoutMaskInto`): the
 * dropping layers in order, each taking the next `rows·d_l` uniforms (its mask's entries,
 * row-major). Nothing without dropout.
 *
 * @internal
 */
export const dropoutMasksInto = (plan: NetworkPlan, uniforms: View): void => {
  let at = uniforms.off
  for (const layer of plan.layers) {
    if (layer.mask === null) continue
    const len = layer.rows * layer.inputs
    dropoutMaskInto(layer.keep, { data: uniforms.data, off: at }, layer.mask, len)
    at += len
  }
}

/**
 * The backward pass after {@link networkForwardInto} on the same plan, `params` and `input`,
 * given `dOut = dL/d(output)`: from the last layer, `dz_l = dA_{l+1} ⊙ f_l'(z_l)`, then
 * the layer's kind's backward pass: `dW_l`, `db_l` into the gradient block `grads` (leaf
 * order; skipped when null) and `dA_l = dz_l·W_lᵀ` (maxout: through the winning pieces only;
 * for layer 0 into `dInput`, skipped when null: a discriminator's update
 * needs no input gradient, a generator's update no parameter gradients of the
 * discriminator). Gradients are summed over the rows. The plan must have a backward
 * scratch (`layout.scratchAt >= 0`).
 *
 * @internal
 */
export const networkBackwardInto = (
  plan: NetworkPlan,
  params: View,
  input: View,
  dOut: View,
  grads: View | null,
  dInput: View | null,
): void => {
  const layers = plan.layers
  let dA = dOut
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!
    let dz = dA
    const dzAt = plan.dz[l]!
    if (dzAt !== null) {
      activationBackwardInto(layer.activation, layer.pre, layer.out, dA, dzAt, layer.rows * layer.units)
      dz = dzAt
    }
    const dst = l > 0 ? plan.dA[l]! : dInput
    const x = layer.masked ?? (l > 0 ? layers[l - 1]!.out : input)
    layer.kind.backwardInto(layer, params, x, dz, grads, dst)
    // dropout: dL/dx = (dz·Wᵀ) ⊙ mask, in place
    if (layer.mask !== null && dst !== null) maskedInto(layer.mask, dst, dst, layer.rows * layer.inputs)
    // Stryker disable next-line ConditionalExpression: E-NOOP a null dst is layer 0's, the last
    if (dst !== null) dA = dst
  }
}
