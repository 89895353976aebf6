/**
 * The least-squares objective (LSGAN; Mao et al. 2017, "Least Squares Generative Adversarial
 * Networks", eq. 2), on D's raw output `z` (no sigmoid), with the labels `a` (fake), `b`
 * (real) and `c` (what G wants D to say of a fake):
 *
 *   ℓ_D = ½(z_real − b)² + ½(z_fake − a)²,   ∂ℓ_D/∂z_real = z_real − b,  ∂ℓ_D/∂z_fake = z_fake − a
 *   ℓ_G = ½(z_fake − c)²,                    ∂ℓ_G/∂z_fake = z_fake − c
 *
 * The paper's defaults are `a = 0`, `b = c = 1` (its "0-1 coding"); `a = −1, b = 1, c = 0`
 * is its other choice.
 *
 * @module
 */
import type { View } from '../kernels/view.js'
import type { Objective } from './objective.js'

/**
 * The three labels of the least-squares objective.
 *
 * @category objectives
 * @since 0.3.0
 */
export interface LeastSquaresLabels {
  /** The fake label D regresses fakes to. */
  readonly a: number
  /** The real label D regresses reals to. */
  readonly b: number
  /** The label G wants D to give its fakes. */
  readonly c: number
}

/**
 * The least-squares objective with the labels `labels`: per logit `d = z − label`, the loss
 * `0.5 * d * d` (summed in row order, real then fake for D) and the gradient `d`.
 *
 * @example
 * import { leastSquares } from 'pure-gan'
 * const lsgan = leastSquares({ a: 0, b: 1, c: 1 })
 * lsgan.name // 'least-squares'
 *
 * @category objectives
 * @since 0.3.0
 */
export const leastSquares = (labels: LeastSquaresLabels): Objective => {
  const { a, b, c } = labels
  const discriminatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
    const z = logits.data
    const zo = logits.off
    const dl = dLogits.data
    const dlo = dLogits.off
    let loss = 0
    for (let i = 0; i < n; i++) {
      const real = z[zo + i]! - b
      const fake = z[zo + n + i]! - a
      loss += 0.5 * real * real + 0.5 * fake * fake
      dl[dlo + i] = real
      dl[dlo + n + i] = fake
    }
    return loss
  }
  const generatorLossInto = (logits: View, n: number, dLogits: View, _scratch: View): number => {
    const z = logits.data
    const zo = logits.off
    const dl = dLogits.data
    const dlo = dLogits.off
    let loss = 0
    for (let i = 0; i < n; i++) {
      const fake = z[zo + i]! - c
      loss += 0.5 * fake * fake
      dl[dlo + i] = fake
    }
    return loss
  }
  return Object.freeze({ name: 'least-squares', scratchPerLogit: 0, discriminatorLossInto, generatorLossInto })
}
