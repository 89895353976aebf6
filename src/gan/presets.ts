/**
 * Named configs (`pure-gan train --preset NAME`): the seed's, and the papers' setups on the
 * seed's data, each a plain `GanConfig` a user can also spread and change in code.
 *
 * @module
 */
import { type GanConfig, seedConfig } from './config.js'

/**
 * WGAN (Arjovsky et al. 2017, Algorithm 1's defaults) on the seed's data and networks: the
 * Wasserstein objective with weight clipping at 0.01, 5 critic steps per generator step,
 * RMSProp at lr 5e-5 for both players (PyTorch's RMSprop defaults otherwise, as the paper's
 * code).
 */
const wgan: GanConfig = Object.freeze({
  ...seedConfig,
  learningRateD: 5e-5,
  learningRateG: 5e-5,
  objective: Object.freeze({ kind: 'wasserstein', clip: 0.01 }),
  criticSteps: 5,
  optimizerD: Object.freeze({ kind: 'rmsprop', rho: 0.99, epsilon: 1e-8 }),
  optimizerG: Object.freeze({ kind: 'rmsprop', rho: 0.99, epsilon: 1e-8 }),
} as const)

/**
 * WGAN-GP (Gulrajani et al. 2017, Algorithm 1's defaults) on the seed's data and networks:
 * the Wasserstein objective with the gradient penalty λ = 10, 5 critic steps, Adam at lr
 * 1e-4 with β = (0.5, 0.9) for both players.
 */
const wganGp: GanConfig = Object.freeze({
  ...seedConfig,
  learningRateD: 1e-4,
  learningRateG: 1e-4,
  objective: Object.freeze({ kind: 'wasserstein-gp', lambda: 10 }),
  criticSteps: 5,
  optimizerD: Object.freeze({ kind: 'adam', beta1: 0.5, beta2: 0.9, epsilon: 1e-8 }),
  optimizerG: Object.freeze({ kind: 'adam', beta1: 0.5, beta2: 0.9, epsilon: 1e-8 }),
} as const)

/**
 * The presets by name. `d2l` is the seed's config (d2l.ai's GAN chapter), the default of
 * `pure-gan train`; `wgan` and `wgan-gp` are the WGAN and WGAN-GP papers' training setups
 * (objective, critic steps, optimisers and rates) on the seed's data and networks.
 *
 * @example
 * import { PRESETS, seedConfig } from 'pure-gan'
 * PRESETS['d2l'] === seedConfig // true
 *
 * @category constructors
 * @since 0.3.0
 */
export const PRESETS: { readonly [name: string]: GanConfig } = Object.freeze({
  d2l: seedConfig,
  wgan,
  'wgan-gp': wganGp,
})
