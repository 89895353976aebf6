/**
 * Whether a state is all finite: every float it stores (parameters and both optimisers'
 * state trees, of whichever kind the config chooses, for both networks, and the generator's
 * running statistics). The non-finite
 * guards promise that every state a run keeps passes this.
 */
import { optimizerSpecOf } from '../../src/gan/config.js'
import type { GanState } from '../../src/gan/index.js'
import { type Matrix, type ParamTree, firstNonFinite, leaves } from '../../src/index.js'
import { type OptimizerState, stateTreeNames } from '../../src/optim/choice.js'

/** The trees of an optimiser state of the kind `config` chooses for `player`. */
const stateTrees = (s: GanState, player: 'D' | 'G', state: OptimizerState): ReadonlyArray<ParamTree> =>
  stateTreeNames(optimizerSpecOf(s.config, player).kind).map((name) => (state as unknown as { readonly [k: string]: ParamTree })[name]!)

/** Every float a state stores: parameters and both optimisers' trees (Adam: both moments) of both networks, and G's running statistics. */
export const storedFloats = (s: GanState): ReadonlyArray<Matrix> => [
  ...s.generatorStats.flatMap((st) => [st.mean, st.variance]),
  ...leaves(s.generator),
  ...leaves(s.discriminator),
  ...stateTrees(s, 'G', s.optimizerG).flatMap((t) => leaves(t)),
  ...stateTrees(s, 'D', s.optimizerD).flatMap((t) => leaves(t)),
]

/** True when every float `s` stores is finite. */
export const allFinite = (s: GanState): boolean => storedFloats(s).every((m) => firstNonFinite(m) < 0)
