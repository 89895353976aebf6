/**
 * The generator's noise `Z` (`rows x latentDim`), drawn from a stream in the config's
 * distribution (`NoiseSpec`): the one place every noise of a run is drawn (training steps,
 * epochs, samples and summaries).
 *
 * @module
 */
import type { Matrix } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { normalMatrix } from '../random/normal.js'
import { type Rng, uniforms } from '../random/rng.js'
import { type GanConfig, noiseSpecOf } from './config.js'

/**
 * `rows x config.latentDim` noise from `rng` and the advanced stream, entry by entry in
 * row-major order: `normalMatrix(rng, rows, latentDim)` for normal noise (the seed's);
 * `z = bound · (2u − 1)` from `uniforms(rng, rows · latentDim)` for uniform noise on
 * [−bound, bound). Either way successive single draws, so `rows` drawn at once are the rows
 * drawn one minibatch after another.
 *
 * @category randomness
 * @since 0.5.0
 */
export const noiseMatrix = (rng: Rng, rows: number, config: GanConfig): readonly [Matrix, Rng] => {
  const spec = noiseSpecOf(config)
  if (spec.kind === 'normal') return normalMatrix(rng, rows, config.latentDim)
  const n = rows * config.latentDim
  const [u, next] = uniforms(rng, n)
  const z = new Float64Array(n)
  for (let i = 0; i < n; i++) z[i] = spec.bound * (2 * (u[i] as number) - 1)
  return [unsafeFromFloat64Array(rows, config.latentDim, z), next]
}
