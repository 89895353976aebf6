/**
 * A GAN objective as a record of pure kernels over the discriminator's logits, the
 * extension point for new losses (docs/architecture.md walks through adding one). The
 * training steps call them between the networks' forward and backward passes.
 *
 * @module
 */
import type { View } from '../kernels/view.js'

/**
 * A GAN objective: the discriminator's summed loss over a batch of `n` real and `n` fake
 * logits and its gradient with respect to each logit, and the generator's summed loss over
 * `n` fake logits and its gradient. Each kernel reads the logits from a view, writes the
 * gradient into another (same layout) and may use `scratchPerLogit` entries per logit of
 * the scratch view; it returns the summed loss. Pure: nothing else is written.
 *
 * The logits of the discriminator's batch are stacked, the `n` real ones first, then the `n`
 * fake ones (the seed runs D once on `[X; G(Z)]`).
 *
 * @category model
 * @since 0.2.0
 */
export interface Objective {
  /** The objective's name, as a config names it. */
  readonly name: string
  /** Scratch entries the kernels may use per logit. */
  readonly scratchPerLogit: number
  /** `Σ_i ℓ_D(real_i, fake_i)` over the stacked logits, and `dL/dlogit` into `dLogits`. */
  readonly discriminatorLossInto: (logits: View, n: number, dLogits: View, scratch: View) => number
  /** `Σ_i ℓ_G(fake_i)`, and `dL/dlogit` into `dLogits`. */
  readonly generatorLossInto: (logits: View, n: number, dLogits: View, scratch: View) => number
}
