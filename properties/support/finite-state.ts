/**
 * Whether a state is all finite: every float it stores (parameters and both optimisers'
 * state trees, of whichever kind the config chooses, for both networks, and the generator's
 * running statistics). The non-finite
 * guards promise that every state a run keeps passes this.
 */
import { expect } from 'vitest'
import { type GanConfig, optimizerSpecOf } from '../../src/gan/config.js'
import { NonFiniteError, type TrainResult, train } from '../../src/gan/train.js'
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

/**
 * `train(config)` held to the non-finite guards' promise: either it returns finite mean losses
 * and an all-finite state (returned), or it throws a `NonFiniteError` whose `lastFiniteState`
 * is all finite (`undefined` is returned). Any other outcome fails the calling test.
 */
export const trainWithinGuards = (config: GanConfig): TrainResult | undefined => {
  let result: TrainResult
  try {
    result = train(config)
  } catch (e) {
    expect(e).toBeInstanceOf(NonFiniteError)
    expect(allFinite((e as NonFiniteError).lastFiniteState)).toBe(true)
    return undefined
  }
  for (const r of result.history) expect(Number.isFinite(r.lossD) && Number.isFinite(r.lossG)).toBe(true)
  expect(allFinite(result.state)).toBe(true)
  return result
}
