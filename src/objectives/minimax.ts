/**
 * The minimax objective of Goodfellow et al. 2014 ("Generative Adversarial Nets", eq. 1),
 * with `l(z, y)` the sigmoid cross-entropy on a logit (src/loss/sigmoid-bce.ts) and
 * `s(z) = log(1 + e^z) = l(z, 0)`:
 *
 *   ℓ_D = (l(z_real, 1) + l(z_fake, 0)) / 2     (the seed's D loss, halving included)
 *   ℓ_G = −l(z_fake, 0) = log(1 − sigmoid(z_fake)) = −s(z_fake),   ∂ℓ_G/∂z = −sigmoid(z)
 *
 * G minimises `log(1 − D(G(z)))`, the game's own value. When D is confident that a fake is
 * fake (`z_fake ≪ 0`), `∂ℓ_G/∂z = −sigmoid(z) ≈ −e^z` vanishes: the saturation that made the
 * paper recommend the non-saturating `−log D(G(z))` instead (docs/objectives.md).
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import { sigmoidBceGradWithExp, sigmoidBceWithSoftplus, softplusTermsInto } from '../loss/sigmoid-bce.js'
import { nonsaturating } from './nonsaturating.js'
import type { Objective } from './objective.js'

/** `Σ_i −l(z_i, 0)` in row order, and `dL/dz = −(sigmoid(z) − 0)` into `dLogits`. */
const generatorLossInto = (logits: View, n: number, dLogits: View, scratch: View): number => {
  softplusTermsInto(logits, dLogits, scratch, n)
  const z = logits.data
  const zo = logits.off
  const dl = dLogits.data
  const dlo = dLogits.off
  const sp = scratch.data
  const so = scratch.off
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zi = z[zo + i]!
    loss -= sigmoidBceWithSoftplus(zi, 0, sp[so + i]!)
    dl[dlo + i] = -sigmoidBceGradWithExp(zi, 0, dl[dlo + i]!)
  }
  return loss
}

/**
 * The minimax objective: D's loss is the seed's (non-saturating's, halved), G minimises
 * `Σ_i log(1 − sigmoid(z_fake_i)) = −Σ_i l(z_fake_i, 0)`.
 *
 * @category objectives
 * @since 0.3.0
 */
export const minimax: Objective = Object.freeze({
  name: 'minimax',
  scratchPerLogit: 1,
  discriminatorLossInto: nonsaturating.discriminatorLossInto,
  generatorLossInto,
})
