/**
 * The errors that stop a run at a NaN or infinite value: in a step's loss, in an epoch's
 * mean loss, in a network's parameters or Adam moments after its update, or in the
 * generator's samples or their statistics. Each carries the last state from which every
 * value computed so far was finite, so a caller can save it, inspect it, or resume from it
 * with other settings. Catch {@link NonFiniteError} to handle them all.
 *
 * @module
 */
import { optimizerWords } from '../optim/choice.js'
import { optimizerSpecOf } from './config.js'
import type { GanState } from './state.js'

/**
 * The two networks, as errors name them.
 *
 * @category errors
 * @since 0.1.0
 */
export type NetworkName = 'discriminator' | 'generator'

/**
 * The base of every error that stops a run at a non-finite value. `lastFiniteState` is the
 * last state from which everything reported or stored so far is finite.
 *
 * @category errors
 * @since 0.1.0
 */
export class NonFiniteError extends Error {
  override readonly name: string = 'NonFiniteError'
  constructor(
    message: string,
    readonly lastFiniteState: GanState,
  ) {
    super(message)
  }
}

/**
 * Thrown by `trainStep` (and so by `trainEpoch`, `trainEpochs`, `train`) when a minibatch
 * loss is NaN or infinite. It names the step (1-based, counting from the start of the run),
 * the network whose update produced it, and carries `lastFiniteState`: the state at the start
 * of that step.
 *
 * @category errors
 * @since 0.1.0
 */
export class NonFiniteLossError extends NonFiniteError {
  override readonly name = 'NonFiniteLossError'
  constructor(
    readonly step: number,
    readonly network: NetworkName,
    readonly loss: number,
    lastFiniteState: GanState,
  ) {
    super(`training stopped at step ${step} (epoch ${lastFiniteState.epoch + 1}): the ${network}'s loss is ${loss}`, lastFiniteState)
  }
}

/**
 * Thrown by `trainStep` (and so by every training entry point) when a network's update
 * leaves a NaN or infinite entry in its parameters or in its optimiser's state (Adam's
 * moments, RMSProp's mean square, the momentum's velocity) although the loss
 * was finite (an infinite input, or a gradient whose square overflows), or leaves G's batch
 * normalisation running statistics non-finite (a batch variance that overflows; G's training
 * pass runs in both updates). `what` says which: `'parameters'` (checked first), `'moments'`
 * (the optimiser's state, whatever it holds) or `'running statistics'`. `lastFiniteState` is the state at the start
 * of that step.
 *
 * @category errors
 * @since 0.1.0
 */
export class NonFiniteParametersError extends NonFiniteError {
  override readonly name = 'NonFiniteParametersError'
  constructor(
    readonly step: number,
    readonly network: NetworkName,
    readonly what: 'parameters' | 'moments' | 'running statistics',
    lastFiniteState: GanState,
  ) {
    const kind = optimizerSpecOf(lastFiniteState.config, network === 'discriminator' ? 'D' : 'G').kind
    const noun = what === 'parameters' ? 'its parameters' : what === 'moments' ? `its ${optimizerWords(kind).perParameter}` : "the generator's running statistics"
    super(`training stopped at step ${step} (epoch ${lastFiniteState.epoch + 1}): the ${network}'s update made ${noun} non-finite`, lastFiniteState)
  }
}

/**
 * Thrown by `trainEpoch` (and so by `trainEpochs`, `train`) when an epoch's mean loss of a
 * network, `(Σ step losses) / examples`, is infinite although every step's loss was finite:
 * their sum overflowed. `lastFiniteState` is the state at the start of that epoch (the
 * discriminator's mean is checked first).
 *
 * @category errors
 * @since 0.1.0
 */
export class NonFiniteMeanLossError extends NonFiniteError {
  override readonly name = 'NonFiniteMeanLossError'
  constructor(
    readonly epoch: number,
    readonly network: NetworkName,
    readonly loss: number,
    lastFiniteState: GanState,
  ) {
    super(`training stopped in epoch ${epoch}: the ${network}'s mean loss over the epoch is ${loss} (each step's loss was finite; their sum overflowed)`, lastFiniteState)
  }
}

/**
 * Thrown by `summarizeGenerator` and `snapshotOf` when the generator's samples, or the
 * statistics computed from them, are NaN or infinite although its parameters are finite
 * (they are so large that `G(z)` overflows, or the distance to an extreme data distribution
 * overflows); and by `snapshotOf` and `criticGrid` when D's output on the heat map's grid is
 * (`network` then is `'discriminator'`). `where` says what was not finite; `lastFiniteState`
 * is the state that was being evaluated.
 *
 * @category errors
 * @since 0.1.0
 */
export class NonFiniteSamplesError extends NonFiniteError {
  override readonly name = 'NonFiniteSamplesError'
  constructor(
    readonly where: string,
    lastFiniteState: GanState,
    readonly network: NetworkName = 'generator',
  ) {
    super(`evaluating the ${network} after epoch ${lastFiniteState.epoch} met a non-finite value: ${where}`, lastFiniteState)
  }
}
