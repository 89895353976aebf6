/**
 * What a kind of layer contributes to a network's passes: its parameter count, and its
 * forward and backward kernels (which sit side by side in the kind's own file, as dense.ts).
 * The network's passes (network.ts) call a layer's kernels through its kind, so a new kind
 * (maxout, batch normalisation, dropout) is one file and one record here, with no change to
 * the passes.
 *
 * @module
 * @internal
 */
import type { Activation } from '../nn/activation.js'
import type { View } from './view.js'

/**
 * One layer of a pass over `rows` rows: `inputs` values in, `units` out; its parameters at
 * `paramOff` in the network's parameter block (leaf order); the pass writes the
 * pre-activation to `pre` and the output to `out` (the same view for the identity).
 *
 * @internal
 */
export interface PassLayer {
  readonly kind: LayerKind
  readonly rows: number
  readonly inputs: number
  readonly units: number
  readonly activation: Activation
  readonly paramOff: number
  readonly pre: View
  readonly out: View
}

/**
 * A kind of layer: how many parameters it has for `inputs` inputs and `units` outputs, and
 * its two kernels. `forwardInto` writes the layer's `pre` and `out` from `input`;
 * `backwardInto`, given `dz = dL/d(pre)`, writes the parameter gradients into `grads` at the
 * layer's offset and `dL/d(input)` into `dInput` (each skipped when null).
 *
 * @internal
 */
export interface LayerKind {
  readonly name: string
  readonly paramCount: (inputs: number, units: number) => number
  readonly forwardInto: (layer: PassLayer, params: View, input: View) => void
  readonly backwardInto: (layer: PassLayer, params: View, input: View, dz: View, grads: View | null, dInput: View | null) => void
}
