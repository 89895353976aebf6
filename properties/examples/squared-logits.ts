/**
 * A toy objective, the worked example of docs/architecture.md ("Adding an objective"): the
 * logits are pushed towards targets by squared error,
 *
 *   ℓ_D = ½(z_real − 1)² + ½(z_fake + 1)²,   ∂ℓ_D/∂z_real = z_real − 1,  ∂ℓ_D/∂z_fake = z_fake + 1
 *   ℓ_G = ½(z_fake − 1)²,                    ∂ℓ_G/∂z_fake = z_fake − 1
 *
 * It lives with the properties (it is not shipped); a real objective goes to src/objectives/
 * in the same shape.
 */
import type { View } from '../../src/kernels/view.js'
import type { Objective } from '../../src/objectives/objective.js'

/** `Σ_i ½(zr_i − 1)² + ½(zf_i + 1)²` over the stacked logits, and its gradient per logit. */
const discriminatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
  const z = logits.data
  const g = dLogits.data
  let loss = 0
  for (let i = 0; i < n; i++) {
    const real = z[logits.off + i]! - 1
    const fake = z[logits.off + n + i]! + 1
    loss += 0.5 * real * real + 0.5 * fake * fake
    g[dLogits.off + i] = real
    g[dLogits.off + n + i] = fake
  }
  return loss
}

/** `Σ_i ½(zf_i − 1)²` and its gradient per logit. */
const generatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
  const z = logits.data
  let loss = 0
  for (let i = 0; i < n; i++) {
    const fake = z[logits.off + i]! - 1
    loss += 0.5 * fake * fake
    dLogits.data[dLogits.off + i] = fake
  }
  return loss
}

/** The toy objective as the record the steps take. */
export const squaredLogits: Objective = Object.freeze({ name: 'squared-logits', scratchPerLogit: 0, discriminatorLossInto, generatorLossInto })
