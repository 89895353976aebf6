/**
 * The optimiser a config chooses for one player (`optimizerD`, `optimizerG`): its spec, the
 * state it keeps, the kernel the GAN's steps run, and the checked tree form. Every choice is
 * one of the optimisers of this folder; the learning rate is the config's per player
 * (`learningRateD`, `learningRateG`), and each step rescales the summed gradient by `1/rows`.
 *
 * @module
 */
import type * as E from '../fp/either.js'
import type { StepOptimizer } from '../kernels/step-optimizer.js'
import type { Matrix } from '../matrix/matrix.js'
import type { ParamTree } from '../tree/param-tree.js'
import { isSafeInteger } from '../validate/numbers.js'
import { type AdamState, adam, adamNetworkReady, isLayerRecord } from './adam.js'
import { type MomentumState, momentum, momentumDefaults, validateMomentumOptions } from './momentum.js'
import type { Optimizer } from './optimizer.js'
import { type RmsPropState, rmsprop, validateRmsPropOptions } from './rmsprop.js'
import { type SgdState, sgd, validateSgdOptions } from './sgd.js'

/**
 * One player's optimiser with its options (the learning rate aside, which is the config's
 * per player):
 *
 * - `adam`: Adam as Gluon runs it (docs/optimizers.md), `beta1`, `beta2`, `epsilon`;
 * - `rmsprop`: PyTorch's RMSProp, `rho` (PyTorch's `alpha`), `epsilon` outside the root;
 * - `momentum`: SGD with momentum, PyTorch's form, `momentum`, and optionally (since 0.5.0)
 *   the schedules of its rates over the player's own steps: `decay`, `minLearningRate` (the
 *   learning rate's decay) and `finalMomentum`, `rampEvery`, `rampStart`, `rampSaturate` (the
 *   momentum's ramp); absent, each has its default (`MomentumOptions`), and `validateConfig`
 *   records a schedule group (the decay's two, the ramp's four) only when the config names
 *   one of its options, then whole;
 * - `sgd`: plain SGD.
 *
 * @category optimizers
 * @since 0.3.0
 */
export type OptimizerSpec =
  | { readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  | { readonly kind: 'rmsprop'; readonly rho: number; readonly epsilon: number }
  | {
      readonly kind: 'momentum'
      readonly momentum: number
      readonly decay?: number
      readonly minLearningRate?: number
      readonly finalMomentum?: number
      readonly rampEvery?: number
      readonly rampStart?: number
      readonly rampSaturate?: number
    }
  | { readonly kind: 'sgd' }

/**
 * The state of any optimiser a config can choose; which one a state holds follows from its
 * config.
 *
 * @category optimizers
 * @since 0.3.0
 */
export type OptimizerState = AdamState | RmsPropState | MomentumState | SgdState

/**
 * The optimisers a config can name.
 *
 * @category optimizers
 * @since 0.3.0
 */
export const OPTIMIZER_KINDS: ReadonlyArray<OptimizerSpec['kind']> = Object.freeze(['adam', 'rmsprop', 'momentum', 'sgd'])

/**
 * The names of an optimiser's per-parameter trees in its state, in the order its flat block
 * keeps them after the parameters: Adam `m, v`, RMSProp `meanSquare`, momentum `velocity`,
 * SGD none.
 *
 * @category optimizers
 * @since 0.3.0
 */
export const stateTreeNames = (kind: OptimizerSpec['kind']): ReadonlyArray<string> => STATE_TREES[kind]

const STATE_TREES: { readonly [K in OptimizerSpec['kind']]: ReadonlyArray<string> } = Object.freeze({
  adam: Object.freeze(['m', 'v']),
  rmsprop: Object.freeze(['meanSquare']),
  momentum: Object.freeze(['velocity']),
  sgd: Object.freeze([]),
})

/**
 * How messages name an optimiser of each kind: its state record (`an Adam state`) and what it
 * keeps per parameter (`Adam moments (m, v)`, `RMSProp mean square`, `momentum velocity`;
 * plain SGD keeps nothing). The one table the codec's and the non-finite guards' messages read.
 *
 * @internal
 */
export const optimizerWords = (kind: OptimizerSpec['kind']): { readonly record: string; readonly perParameter: string } => OPTIMIZER_WORDS[kind]

const OPTIMIZER_WORDS: { readonly [K in OptimizerSpec['kind']]: { readonly record: string; readonly perParameter: string } } = Object.freeze({
  adam: Object.freeze({ record: 'an Adam state', perParameter: 'Adam moments (m, v)' }),
  rmsprop: Object.freeze({ record: 'an RMSProp state', perParameter: 'RMSProp mean square' }),
  momentum: Object.freeze({ record: 'a momentum state', perParameter: 'momentum velocity' }),
  sgd: Object.freeze({ record: 'an SGD state', perParameter: 'SGD state' }),
})

/** The options record of the tree optimiser for `spec` (its kind dropped). */
const optionsOf = (spec: OptimizerSpec, learningRate: number, rescaleGrad: number): { readonly [k: string]: number } => {
  const { kind: _kind, ...rest } = spec
  return { ...rest, learningRate, rescaleGrad }
}

/**
 * The checked tree optimiser of `spec` with this learning rate and rescaling (throws the
 * optimiser's `RangeError` for a bad option).
 *
 * @category optimizers
 * @since 0.3.0
 */
export const treeOptimizerOf = (spec: OptimizerSpec, learningRate: number, rescaleGrad: number): Optimizer<OptimizerState> => {
  switch (spec.kind) {
    case 'adam':
      return adam(optionsOf(spec, learningRate, rescaleGrad) as never) as Optimizer<OptimizerState>
    case 'rmsprop':
      return rmsprop(optionsOf(spec, learningRate, rescaleGrad) as never) as Optimizer<OptimizerState>
    case 'momentum':
      return momentum(optionsOf(spec, learningRate, rescaleGrad) as never) as Optimizer<OptimizerState>
    case 'sgd':
      return sgd(optionsOf(spec, learningRate, rescaleGrad) as never) as unknown as Optimizer<OptimizerState>
    default:
      return unknownKind(spec)
  }
}

/** A `RangeError` for a spec of no known kind (a config that did not pass `validateConfig`). */
const unknownKind = (spec: never): never => {
  throw new RangeError(`optimizer: kind must be one of ${OPTIMIZER_KINDS.join(', ')}, got ${JSON.stringify((spec as { readonly kind?: unknown }).kind) ?? 'undefined'}`)
}

/**
 * `spec` with its learning rate as the GAN's steps take it.
 *
 * @internal
 */
export const stepOptimizerOf = (spec: OptimizerSpec, learningRate: number): StepOptimizer => {
  switch (spec.kind) {
    case 'adam':
      return { kind: 'adam', rates: { learningRate, beta1: spec.beta1, beta2: spec.beta2, epsilon: spec.epsilon } }
    case 'rmsprop':
      return { kind: 'rmsprop', rates: { learningRate, rho: spec.rho, epsilon: spec.epsilon } }
    case 'momentum':
      return {
        kind: 'momentum',
        rates: {
          learningRate,
          momentum: spec.momentum,
          decay: spec.decay ?? momentumDefaults.decay,
          minLearningRate: spec.minLearningRate ?? momentumDefaults.minLearningRate,
          finalMomentum: spec.finalMomentum ?? spec.momentum,
          rampEvery: spec.rampEvery ?? momentumDefaults.rampEvery,
          rampStart: spec.rampStart ?? momentumDefaults.rampStart,
          rampSaturate: spec.rampSaturate ?? momentumDefaults.rampSaturate,
        },
      }
    case 'sgd':
      return { kind: 'sgd', rates: { learningRate } }
    default:
      return unknownKind(spec)
  }
}

/** True when `t` is an array of `{ W, b }` records (exactly those keys) shaped as `params`'s layers. */
const layersLike = (t: unknown, params: ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>): boolean =>
  Array.isArray(t) && t.length === params.length && t.every((layer: unknown, l) => isLayerRecord(layer, params[l]!.W.rows, params[l]!.W.cols))

/**
 * True when the flat kernel of `spec` computes exactly what its checked tree optimiser
 * would for `steps` consecutive steps from `state` on `params`: valid options with nothing
 * left to a default, a count that stays a safe integer, and every state tree an array of
 * `{ W, b }` records shaped as `params`' layers. Adam's is `adamNetworkReady`. For parameters
 * that fit their network's spec (what the GAN's fast path checks first; they are arrays of
 * `{ W, b }` matrices).
 *
 * @internal
 */
export const optimizerReady = (spec: OptimizerSpec, learningRate: unknown, state: OptimizerState, params: unknown, steps: number): boolean => {
  if (spec.kind === 'adam') {
    const { kind: _kind, ...adamConfig } = spec
    return adamNetworkReady(learningRate, adamConfig, state as AdamState, params, steps)
  }
  // a known kind, every option given (none left to a default) and valid (validate* refuses unknown keys)
  // Stryker disable next-line BooleanLiteral: E-PATH then both paths throw one RangeError
  if (!Object.hasOwn(OPTION_NAMES, spec.kind)) return false
  if (!OPTION_NAMES[spec.kind].every((name) => Object.hasOwn(spec, name))) return false
  const options = optionsOf(spec, learningRate as number, 1)
  const valid: E.Either<string, unknown> =
    // Stryker disable next-line ConditionalExpression: E-PATH another kind's check refuses it
    spec.kind === 'rmsprop' ? validateRmsPropOptions(options) : spec.kind === 'momentum' ? validateMomentumOptions(options) : validateSgdOptions(options)
  if (valid._tag === 'Left') return false
  const count = state.count
  if (!isSafeInteger(count) || count < 0 || count > Number.MAX_SAFE_INTEGER - steps) return false
  const trees = STATE_TREES[spec.kind].map((name) => (state as unknown as { readonly [k: string]: ParamTree })[name])
  return trees.every((t) => layersLike(t, params as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>))
}

/** Each kind's options but Adam's (whose readiness is `adamNetworkReady`), the learning rate aside. */
const OPTION_NAMES: { readonly [K in Exclude<OptimizerSpec['kind'], 'adam'>]: ReadonlyArray<string> } = Object.freeze({
  rmsprop: ['rho', 'epsilon'],
  momentum: ['momentum'],
  sgd: [],
})
