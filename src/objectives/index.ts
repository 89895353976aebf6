/**
 * The GAN objectives pure-gan ships, and the choice of one from a config's `objective`
 * record. Each objective is a record of pure loss kernels over the discriminator's logits
 * (objective.ts); docs/objectives.md gives each one's losses, gradients and reference.
 *
 * @module
 */
import { hinge } from './hinge.js'
import { type LeastSquaresLabels, leastSquares } from './least-squares.js'
import { minimax } from './minimax.js'
import { nonsaturating } from './nonsaturating.js'
import type { Objective } from './objective.js'
import { wasserstein } from './wasserstein.js'

export { type Objective } from './objective.js'
export { hinge, leastSquares, type LeastSquaresLabels, minimax, nonsaturating, wasserstein }

/**
 * A config's choice of objective (config field `objective`, flag `--objective`):
 *
 * - `nonsaturating` (the default, the seed's), `minimax`, `hinge`: no options;
 * - `least-squares` with its labels `a`, `b`, `c` (default 0, 1, 1);
 * - `wasserstein` with the weight clip `clip` (default 0.01): after every critic step each
 *   of D's parameters is clamped to `[−clip, clip]`;
 * - `wasserstein-gp` with the penalty weight `lambda` (default 10): the Wasserstein losses
 *   plus `λ·Σ_i (‖∇_x D(x̂_i)‖₂ − 1)²` at random interpolates, no clipping.
 *
 * @category objectives
 * @since 0.3.0
 */
export type ObjectiveSpec =
  | { readonly kind: 'nonsaturating' }
  | { readonly kind: 'minimax' }
  | ({ readonly kind: 'least-squares' } & LeastSquaresLabels)
  | { readonly kind: 'hinge' }
  | { readonly kind: 'wasserstein'; readonly clip: number }
  | { readonly kind: 'wasserstein-gp'; readonly lambda: number }

/**
 * The options' defaults of the objectives that take options, as `validateConfig` fills them
 * in: the least-squares labels `a = 0`, `b = c = 1` (the LSGAN paper's 0-1 coding), the
 * Wasserstein weight clip 0.01 (WGAN's) and WGAN-GP's `λ = 10`.
 *
 * @internal
 */
export const OBJECTIVE_DEFAULTS = Object.freeze({
  'least-squares': Object.freeze({ a: 0, b: 1, c: 1 }),
  wasserstein: Object.freeze({ clip: 0.01 }),
  'wasserstein-gp': Object.freeze({ lambda: 10 }),
})

/**
 * The objectives a config can name, in the order docs/objectives.md gives them.
 *
 * @category objectives
 * @since 0.3.0
 */
export const OBJECTIVE_KINDS: ReadonlyArray<ObjectiveSpec['kind']> = Object.freeze([
  'nonsaturating',
  'minimax',
  'least-squares',
  'hinge',
  'wasserstein',
  'wasserstein-gp',
])

/**
 * The loss kernels of an objective spec (both Wasserstein kinds share one record; their
 * clipping and penalty are the steps' business).
 *
 * @category objectives
 * @since 0.3.0
 */
export const objectiveOf = (spec: ObjectiveSpec): Objective => {
  switch (spec.kind) {
    case 'nonsaturating':
      return nonsaturating
    case 'minimax':
      return minimax
    case 'least-squares':
      return leastSquares(spec)
    case 'hinge':
      return hinge
    case 'wasserstein':
    case 'wasserstein-gp':
      return wasserstein
    default:
      // a config that did not pass validateConfig
      throw new RangeError(`objective: kind must be one of ${OBJECTIVE_KINDS.join(', ')}, got ${JSON.stringify((spec as { readonly kind?: unknown }).kind) ?? 'undefined'}`)
  }
}
