/**
 * The seed's objective (Goodfellow et al. 2014's non-saturating GAN, as d2l.ai trains it):
 * with `l(z, y)` the sigmoid cross-entropy on a logit (src/loss/sigmoid-bce.ts),
 *
 *   ℓ_D = (l(z_real, 1) + l(z_fake, 0)) / 2,   ∂ℓ_D/∂z = (sigmoid(z) − y) / 2
 *   ℓ_G = l(z_fake, 1),                        ∂ℓ_G/∂z = sigmoid(z) − 1
 *
 * The halving is the seed's: Gluon's `(loss(real, 1) + loss(fake, 0)) / 2`. Each logit's
 * exponential `exp(−|z|)` is shared by its loss and its gradient (`softplusTermsInto`).
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import { sigmoidBceGradWithExp, sigmoidBceWithSoftplus, softplusTermsInto } from '../loss/sigmoid-bce.js'
import type { Objective } from './objective.js'

/**
 * `Σ_i (l(zr_i, 1) + l(zf_i, 0)) / 2` in row order over the stacked logits (real `0..n`,
 * fake `n..2n`), and `dL/dz` into `dLogits` (first the exponentials, then the gradients).
 */
const discriminatorLossInto = (logits: View, n: number, dLogits: View, scratch: View): number => {
  softplusTermsInto(logits, dLogits, scratch, 2 * n)
  const z = logits.data
  const zo = logits.off
  const dl = dLogits.data
  const dlo = dLogits.off
  const sp = scratch.data
  const so = scratch.off
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zr = z[zo + i]!
    const zf = z[zo + n + i]!
    loss += (sigmoidBceWithSoftplus(zr, 1, sp[so + i]!) + sigmoidBceWithSoftplus(zf, 0, sp[so + n + i]!)) / 2
    dl[dlo + i] = sigmoidBceGradWithExp(zr, 1, dl[dlo + i]!) * 0.5
    dl[dlo + n + i] = sigmoidBceGradWithExp(zf, 0, dl[dlo + n + i]!) * 0.5
  }
  return loss
}

/** `Σ_i l(z_i, 1)` in row order, and `dL/dz` into `dLogits`. */
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
    loss += sigmoidBceWithSoftplus(zi, 1, sp[so + i]!)
    dl[dlo + i] = sigmoidBceGradWithExp(zi, 1, dl[dlo + i]!)
  }
  return loss
}

/**
 * The non-saturating objective, the seed's and the default: D minimises
 * `(l(D(x), 1) + l(D(G(z)), 0)) / 2`, G minimises `l(D(G(z)), 1)`.
 *
 * @category objectives
 * @since 0.2.0
 */
export const nonsaturating: Objective = Object.freeze({
  name: 'nonsaturating',
  scratchPerLogit: 1,
  discriminatorLossInto,
  generatorLossInto,
})
