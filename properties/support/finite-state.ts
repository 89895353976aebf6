/**
 * Whether a state is all finite: every float it stores (parameters and both Adam moments of
 * both networks). The non-finite guards promise that every state a run keeps passes this.
 */
import type { AdamState } from '../../src/optim/adam.js'
import type { GanState } from '../../src/gan/index.js'
import { type Matrix, firstNonFinite, leaves } from '../../src/index.js'

/** Every float a state stores: parameters and both Adam moments of both networks. */
export const storedFloats = (s: GanState): ReadonlyArray<Matrix> => [
  ...leaves(s.generator),
  ...leaves(s.discriminator),
  ...leaves((s.optimizerG as AdamState).m),
  ...leaves((s.optimizerG as AdamState).v),
  ...leaves((s.optimizerD as AdamState).m),
  ...leaves((s.optimizerD as AdamState).v),
]

/** True when every float `s` stores is finite. */
export const allFinite = (s: GanState): boolean => storedFloats(s).every((m) => firstNonFinite(m) < 0)
