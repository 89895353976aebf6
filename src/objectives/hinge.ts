/**
 * The hinge objective (Lim & Ye 2017, "Geometric GAN"; Miyato et al. 2018, SN-GAN), on D's raw
 * output `z`:
 *
 *   ℓ_D = relu(1 − z_real) + relu(1 + z_fake),   ∂ℓ_D/∂z_real = −[z_real < 1],  ∂ℓ_D/∂z_fake = [z_fake > −1]
 *   ℓ_G = −z_fake,                               ∂ℓ_G/∂z_fake = −1   (the Wasserstein G loss)
 *
 * At a hinge's kink (`z_real = 1`, `z_fake = −1`) the derivative taken is 0, as relu's at 0
 * (docs/gradients.md, "Activations").
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import type { Objective } from './objective.js'
import { wasserstein } from './wasserstein.js'

/** `Σ_i relu(1 − zr_i) + relu(1 + zf_i)` in row order, and its gradient per logit. */
const discriminatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
  const z = logits.data
  const zo = logits.off
  const dl = dLogits.data
  const dlo = dLogits.off
  let loss = 0
  for (let i = 0; i < n; i++) {
    const real = 1 - z[zo + i]!
    const fake = 1 + z[zo + n + i]!
    // Stryker disable next-line EqualityOperator: E-ZERO 1 − z and 1 + z are +0 at the kinks
    loss += (real > 0 ? real : 0) + (fake > 0 ? fake : 0)
    dl[dlo + i] = real > 0 ? -1 : 0
    dl[dlo + n + i] = fake > 0 ? 1 : 0
  }
  return loss
}

/**
 * The hinge objective: D minimises `relu(1 − D(x)) + relu(1 + D(G(z)))`, G minimises
 * `−D(G(z))`.
 *
 * @category objectives
 * @since 0.3.0
 */
export const hinge: Objective = Object.freeze({ name: 'hinge', scratchPerLogit: 0, discriminatorLossInto, generatorLossInto: wasserstein.generatorLossInto })
