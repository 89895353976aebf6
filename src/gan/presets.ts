/**
 * Named configs (`pure-gan train --preset NAME`): the seed's, and the papers' setups on the
 * seed's data, each a plain `GanConfig` a user can also spread and change in code.
 *
 * @module
 */
import { type GanConfig, seedConfig } from './config.js'

/**
 * The presets by name. `d2l` is the seed's config (d2l.ai's GAN chapter), the default of
 * `pure-gan train`.
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
})
