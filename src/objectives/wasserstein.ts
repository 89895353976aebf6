/**
 * The Wasserstein objective (Arjovsky et al. 2017, "Wasserstein GAN", Algorithm 1), on the
 * critic's raw output `z`:
 *
 *   ℓ_D = z_fake − z_real,   ∂ℓ_D/∂z_real = −1,  ∂ℓ_D/∂z_fake = 1
 *   ℓ_G = −z_fake,           ∂ℓ_G/∂z_fake = −1
 *
 * The critic must stay (near) 1-Lipschitz for `−ℓ_D` to estimate the Wasserstein-1
 * distance: by weight clipping after each critic step (config `objective.clip`, the step's
 * `weightClip`) or by the gradient penalty of WGAN-GP (`objective.kind = 'wasserstein-gp'`),
 * which uses this same record.
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import type { Objective } from './objective.js'

/** `Σ_i zf_i − zr_i` in row order, and the gradients −1 (real) and 1 (fake). */
const discriminatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
  const z = logits.data
  const zo = logits.off
  const dl = dLogits.data
  const dlo = dLogits.off
  let loss = 0
  for (let i = 0; i < n; i++) {
    loss += z[zo + n + i]! - z[zo + i]!
    dl[dlo + i] = -1
    dl[dlo + n + i] = 1
  }
  return loss
}

/** `Σ_i −zf_i` in row order, and the gradient −1 per logit. */
const generatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
  const z = logits.data
  const zo = logits.off
  const dl = dLogits.data
  const dlo = dLogits.off
  let loss = 0
  for (let i = 0; i < n; i++) {
    loss -= z[zo + i]!
    dl[dlo + i] = -1
  }
  return loss
}

/**
 * The Wasserstein objective: the critic minimises `D(G(z)) − D(x)`, G minimises `−D(G(z))`.
 *
 * @category objectives
 * @since 0.3.0
 */
export const wasserstein: Objective = Object.freeze({ name: 'wasserstein', scratchPerLogit: 0, discriminatorLossInto, generatorLossInto })
