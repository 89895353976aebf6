/**
 * The training loop: a step that draws its own noise, an epoch over shuffled minibatches,
 * and `train`, which folds epochs from a config.
 *
 * @module
 */
import { isPositiveInteger } from '../validate/numbers.js'
import { firstNonFiniteIn } from '../matrix/finite.js'
import { type Matrix, ShapeError, firstNonFinite, gatherRows, shapeOf } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { uniforms } from '../random/rng.js'
import type { NetworkParams } from '../nn/network.js'
import { type OptimizerSpec, type OptimizerState, optimizerWords, stateTreeNames } from '../optim/choice.js'
import { noiseMatrix } from './noise.js'
import { permutation } from '../random/permutation.js'
import { type GanConfig, type MnistSource, assertValidConfig, criticStepsOf, objectiveSpecOf, optimizerSpecOf, packOf } from './config.js'
import { type NetworkName, NonFiniteLossError, NonFiniteMeanLossError, NonFiniteParametersError } from './non-finite.js'
import { type GanState, discriminatorSpec, generatorSpec, hasBatchNorm, initialStateOfValid, runDataOfValid, runStreams, stateWith } from './state.js'
import { flushDeferredBlocks, wasmEpoch } from '../kernels/gan-epoch.js'
import { dropoutDraws, paramCount } from '../kernels/network.js'
import { type View, viewOf } from '../kernels/view.js'
import {
  type StepDraws,
  blockSize,
  fastPathReady,
  hasDropout,
  networkBlock,
  networkOfBlock,
  plannedStep,
  stepSpec,
  updateD,
  updateG,
  updatePlans,
  wasmComputes,
} from './update.js'

export {
  type NetworkName,
  NonFiniteError,
  NonFiniteLossError,
  NonFiniteMeanLossError,
  NonFiniteParametersError,
  NonFiniteSamplesError,
} from './non-finite.js'
import { dataWidth } from './data.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The summed losses of one step (one minibatch).
 *
 * @category model
 * @since 0.1.0
 */
export interface StepLosses {
  readonly lossD: number
  readonly lossG: number
}

/**
 * What one epoch reports, as the seed's Accumulator: the mean loss per example of D and of
 * G (summed batch losses divided by the number of examples; with critic steps G's by the
 * rows of its updates; with packing, per input row of D, a pack of `pack` examples), and the
 * number of examples.
 *
 * @category model
 * @since 0.1.0
 */
export interface EpochReport {
  readonly epoch: number
  readonly lossD: number
  readonly lossG: number
  readonly examples: number
}

/**
 * The result of `train`: the final state and one report per epoch.
 *
 * @category model
 * @since 0.1.0
 */
export interface TrainResult {
  readonly state: GanState
  readonly history: ReadonlyArray<EpochReport>
}

// -------------------------------------------------------------------------------------
// transitions
// -------------------------------------------------------------------------------------

/**
 * One iteration of the seed's loop on the minibatch `realBatch`: draw
 * `Z ~ N(0, 1)` (rows x latentDim) from the state's PRNG, `updateD` with it, then `updateG`
 * with the same Z through the freshly updated D. Increments `step`. It is
 * {@link trainIteration} on one minibatch.
 *
 * The guard: after each network's update, its summed loss must be finite (else a
 * `NonFiniteLossError`), and so must every entry of its new parameters and Adam moments
 * (else a `NonFiniteParametersError`; an infinite input gives a finite loss and NaN weights),
 * and so must G's running statistics (batch normalisation) after either update.
 * D is checked before G. Both errors carry `state` as the last finite state, which must
 * itself be finite: a state with a NaN or infinite parameter or moment is refused with a
 * `RangeError` before the step.
 *
 * @category transitions
 * @since 0.1.0
 */
export const trainStep = (state: GanState, realBatch: Matrix): readonly [StepLosses, GanState] => iterate('trainStep', state, [realBatch])

/**
 * One generator iteration with critic steps (WGAN's Algorithm 1): for each minibatch of
 * `realBatches` in turn, draw its own `Z ~ N(0, 1)` from the state's PRNG and `updateD` with
 * it; then `updateG` once, with the last minibatch's `Z`, through the last D. Increments
 * `step` by one. The losses are D's summed over all its updates and G's one summed loss.
 * With one minibatch this is the seed's step (`trainStep`); `trainEpoch` groups an epoch's
 * minibatches by `config.criticSteps`.
 *
 * The guard is `trainStep`'s, after every update, D's updates first; the errors carry `state`,
 * the state before the iteration. Throws a `RangeError` for an empty `realBatches`.
 *
 * @category transitions
 * @since 0.3.0
 */
export const trainIteration = (state: GanState, realBatches: ReadonlyArray<Matrix>): readonly [StepLosses, GanState] => {
  if (realBatches.length === 0) throw new RangeError('trainIteration: realBatches must hold at least one minibatch, got none')
  return iterate('trainIteration', state, realBatches)
}

/** {@link trainIteration} on a non-empty list of minibatches; `op` names the caller in a `RangeError`. */
const iterate = (op: string, state: GanState, realBatches: ReadonlyArray<Matrix>): readonly [StepLosses, GanState] => {
  assertFiniteState(op, state)
  let s = state
  let lossD = 0
  let noise: Matrix | null = null
  for (let k = 0; k < realBatches.length; k++) {
    const realBatch = realBatches[k]!
    const [z, rng, draws] = stepDraws(s.rng, realBatch.rows, state.config)
    const [loss, next] = updateD(withRng(s, rng), realBatch, z, draws)
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(state.step + 1, 'discriminator', loss, state)
    guardNetwork(next.discriminator, next.optimizerD, 'discriminator', state)
    guardStats(next, 'discriminator', state)
    // the first loss as it is (0 + (−0) would be +0), the others summed in order
    lossD = k === 0 ? loss : lossD + loss
    noise = z
    s = next
  }
  const [drawsG, rngG] = generatorDraws(s.rng, (noise as Matrix).rows, state.config)
  const [lossG, s2] = updateG(withRng(s, rngG), noise as Matrix, drawsG)
  if (!Number.isFinite(lossG)) throw new NonFiniteLossError(state.step + 1, 'generator', lossG, state)
  guardNetwork(s2.generator, s2.optimizerG, 'generator', state)
  guardStats(s2, 'generator', state)
  return [{ lossD, lossG }, Object.freeze(withCounters(s2, state.step + 1, s2.epoch))]
}

/** True when every entry of every layer's `W` and `b` is finite. */
const finiteLayers = (layers: NetworkParams): boolean =>
  layers.every((l) => firstNonFinite(l.W) < 0 && firstNonFinite(l.b) < 0)

/**
 * What of a network is not finite: its parameters (checked first), its optimiser's state (of
 * kind `kind`: Adam's moments, RMSProp's mean square, the momentum's velocity), or nothing.
 */
const nonFinitePart = (params: NetworkParams, optimizer: OptimizerState, kind: OptimizerSpec['kind']): 'parameters' | 'moments' | undefined =>
  !finiteLayers(params)
    ? 'parameters'
    : stateTreeNames(kind).some((name) => !finiteLayers((optimizer as unknown as { readonly [k: string]: NetworkParams })[name]!))
      ? 'moments'
      : undefined


/** The kind of a network's optimiser in `state`'s config. */
const kindOf = (state: GanState, network: NetworkName): OptimizerSpec['kind'] => optimizerSpecOf(state.config, network === 'discriminator' ? 'D' : 'G').kind

/** Throws the step's `NonFiniteParametersError` when a parameter, or else a moment, is not finite. */
const guardNetwork = (params: NetworkParams, optimizer: OptimizerState, network: NetworkName, before: GanState): void => {
  const part = nonFinitePart(params, optimizer, kindOf(before, network))
  if (part !== undefined) throw new NonFiniteParametersError(before.step + 1, network, part, before)
}

/** Throws the step's `NonFiniteParametersError` when `next`'s running statistics (G's batch normalisation) are not all finite after `network`'s update. */
const guardStats = (next: GanState, network: NetworkName, before: GanState): void => {
  if (!finiteStats(next)) throw new NonFiniteParametersError(before.step + 1, network, 'running statistics', before)
}

/** True when every running mean and variance of G's batch normalisation layers is finite (none: true). */
const finiteStats = (state: GanState): boolean => state.generatorStats.every((s) => firstNonFinite(s.mean) < 0 && firstNonFinite(s.variance) < 0)

/** Refuses (`RangeError`) a state to train from whose parameters or moments are not all finite. */
const assertFiniteState = (op: string, state: GanState): void => {
  for (const [network, params, optimizer] of [
    ['generator', state.generator, state.optimizerG],
    ['discriminator', state.discriminator, state.optimizerD],
  ] as const) {
    const kind = kindOf(state, network)
    const part = nonFinitePart(params, optimizer, kind)
    if (part !== undefined) throw new RangeError(`${op}: the state's ${network} ${part === 'parameters' ? 'parameters' : optimizerWords(kind).perParameter} must be finite, but one is NaN or infinite`)
  }
  if (!finiteStats(state)) throw new RangeError(`${op}: the state's generator running statistics must be finite, but one is NaN or infinite`)
}

/**
 * The epoch's report, the mean loss per input row of D: `(Σ losses) / (examples / pack)` for
 * D and `(Σ losses) / (generatorExamples / pack)` for G (the rows of G's updates: all of them
 * without critic steps; per example without packing), or the epoch's
 * `NonFiniteMeanLossError` (D's first) when a sum of finite step losses overflowed.
 * `start` is the state at the epoch's start.
 */
const epochReport = (start: GanState, sumD: number, sumG: number, examples: number, generatorExamples: number, pack: number): EpochReport => {
  const epoch = start.epoch + 1
  const lossD = sumD / (examples / pack)
  const lossG = sumG / (generatorExamples / pack)
  if (!Number.isFinite(lossD)) throw new NonFiniteMeanLossError(epoch, 'discriminator', lossD, start)
  if (!Number.isFinite(lossG)) throw new NonFiniteMeanLossError(epoch, 'generator', lossG, start)
  return Object.freeze({ epoch, lossD, lossG, examples })
}

/**
 * One epoch: a fresh uniform permutation of the data's rows from the state's PRNG, then
 * `trainStep` on consecutive minibatches of `batchSize` rows of that order. When
 * `batchSize` does not divide the data, the last minibatch keeps the remaining rows (as
 * d2l's `load_array`, Gluon's `last_batch='keep'`), and its Adam step rescales by 1/its rows.
 * Increments `epoch`.
 *
 * Throws a `ShapeError` when `data` is not `(n x width)` with `n >= 1`, a `RangeError` when
 * an entry of `data` or of the state's parameters or moments is NaN or infinite, the `trainStep` guard's errors at the first step
 * that fails, and a `NonFiniteMeanLossError` when an epoch's mean loss overflows.
 *
 * @category transitions
 * @since 0.1.0
 */
export const trainEpoch = (state: GanState, data: Matrix): readonly [EpochReport, GanState] => {
  const width = dataWidth(state.config.data)
  if (data.cols !== width || data.rows === 0) {
    throw new ShapeError(`trainEpoch: the data must be (n x ${width}) with n >= 1, got ${shapeOf(data)}`)
  }
  assertFiniteState('trainEpoch', state)
  const bad = firstNonFiniteIn(data.data, 0, data.rows * width)
  if (bad >= 0) {
    throw new RangeError(`trainEpoch: the data must be finite, but row ${Math.floor(bad / width)}, column ${bad % width} is ${data.data[bad]}`)
  }
  const [order, rng] = permutation(state.rng, data.rows)
  const batch = state.config.batchSize
  const latentDim = state.config.latentDim
  // Checked once for the whole epoch: the steps' own results keep the plans' conditions
  // (see fastPathReady), and the minibatches below have the right shapes.
  const rows = data.rows
  // Batch normalisation in G moves its running statistics at each training pass of G, which
  // the loop below does not carry: such runs go step by step (updateD, updateG: the kernels).
  // Stryker disable next-line ConditionalExpression,BooleanLiteral,ArithmeticOperator: E-PATH
  if (!isPositiveInteger(batch) || !isPositiveInteger(latentDim) || hasBatchNorm(state.config) || !fastPathReady(state, Math.ceil(rows / batch))) {
    return trainEpochByStep(state, data, order, rng)
  }
  // The epoch's rows in shuffled order and the noise of all its steps, each drawn in one go:
  // the steps' minibatches and noises are consecutive row blocks of these, and the noise is
  // the very sequence of draws the steps would make one by one (a matrix of normals is
  // successive single draws, row-major), so every bit is as with `trainStep`.
  const shuffled = dataOf(gatherRows(data, order))
  // With dropout in D the masks' uniforms (2·Σ_l rows·d_l an update) are drawn step by step, in
  // trainIteration's order (stepDraws, generatorDraws), not for the whole epoch at once.
  const dropout = hasDropout(state.config)
  const drawn = dropout ? null : epochDraws(rng, rows, batch, state.config)
  const viaWasm = drawn === null ? null : epochInWasm(state, shuffled, drawn.noise, drawn.rng)
  if (viaWasm === 'failed') return replayFailedEpoch(state, data, order, rng)
  // Stryker disable next-line ConditionalExpression: E-PATH the JavaScript epoch, the same bits
  if (viaWasm !== null) return viaWasm
  const steps = Math.ceil(rows / batch)
  const minibatches: Minibatches = {
    count: steps,
    rows: (k) => Math.min(batch, rows - k * batch),
    real: (k) => viewOf(shuffled, k * batch * width),
  }
  const loop = minibatchLoop(state, minibatches, drawn === null ? { stream: rng } : drawn, false)
  if (loop === 'failed') return replayFailedEpoch(state, data, order, rng)
  const critic = criticStepsOf(state.config)
  const report = epochReport(state, loop.sumD, loop.sumG, rows, generatorRows(rows, batch, critic), packOf(state.config))
  return [report, Object.freeze(stateOfBlocks(state, loop, 1))]
}

/**
 * `trainIteration` on consecutive groups of `config.criticSteps` minibatches of `realBatches`
 * (the last group may be shorter), in order, each minibatch's noise (and other draws) drawn
 * from the state's PRNG as `trainIteration` draws it: with one critic step (the seed's) it is
 * `trainStep` on each minibatch in turn,
 *
 *     trainBatches(s, [B_1, ..., B_k]) = ([l_1, ..., l_k], s_k),  [l_i, s_i] = trainStep(s_{i-1}, B_i),  s_0 = s,
 *
 * bit for bit. `epoch` is unchanged (as `trainStep` leaves it); `step` advances by the
 * iterations. The intermediate states are never built: within the call each network is one
 * block that the next update reads, and large networks' updates write one block of the call's
 * own per network (two when they run in JavaScript), however many there are, where
 * `updateD`/`updateG` in a loop allocate two a step and leave the dropped states to the
 * collector (docs/performance.md, "Peak memory at MNIST size"). No minibatches: the state
 * itself and no losses.
 *
 * Throws a `ShapeError` naming the first minibatch that is not `(n x width)` with `n >= 1` a
 * multiple of the config's pack (with batch normalisation in G, `n >= 2`), a `RangeError` when
 * an entry of the state's parameters or optimiser state is NaN or infinite, and the
 * `trainStep` guard's errors at the first iteration that fails, carrying the state before it.
 *
 * @example
 * import { initialState, runData, seedConfig, sliceRows, trainBatches, trainStep } from 'pure-gan'
 * const s0 = initialState(seedConfig)
 * const data = runData(seedConfig)
 * const [losses, s2] = trainBatches(s0, [sliceRows(data, 0, 8), sliceRows(data, 8, 16)])
 * const [, s1] = trainStep(s0, sliceRows(data, 0, 8))
 * losses[1]?.lossG === trainStep(s1, sliceRows(data, 8, 16))[0].lossG // true
 * s2.step // 2
 *
 * @category transitions
 * @since 0.5.0
 */
export const trainBatches = (state: GanState, realBatches: ReadonlyArray<Matrix>): readonly [ReadonlyArray<StepLosses>, GanState] => {
  const config = state.config
  const width = dataWidth(config.data)
  const pack = packOf(config)
  const least = hasBatchNorm(config) ? Math.max(2, pack) : pack
  realBatches.forEach((b, k) => {
    if (b.cols !== width || b.rows < least || b.rows % pack !== 0) {
      const rule = pack === 1 ? `n >= ${least}` : `n >= ${least} a multiple of the pack ${pack}`
      throw new ShapeError(`trainBatches: minibatch ${k} must be (n x ${width}) with ${rule}, got ${shapeOf(b)}`)
    }
  })
  assertFiniteState('trainBatches', state)
  if (realBatches.length === 0) return [Object.freeze([]), state]
  // Stryker disable next-line ConditionalExpression,LogicalOperator: E-PATH the same bits by step
  if (!isPositiveInteger(config.latentDim) || hasBatchNorm(config) || !fastPathReady(state, realBatches.length)) return batchesByStep(state, realBatches)
  const minibatches: Minibatches = {
    count: realBatches.length,
    rows: (k) => realBatches[k]!.rows,
    real: (k) => viewOf(dataOf(realBatches[k]!)),
  }
  const loop = minibatchLoop(state, minibatches, { stream: state.rng }, true)
  if (loop === 'failed') {
    batchesByStep(state, realBatches)
    // Stryker disable next-line StringLiteral: E-UNREACHED the replay throws first
    throw new Error('trainBatches: internal error: the step-by-step replay of a failed loop did not fail')
  }
  return [Object.freeze(loop.losses), Object.freeze(stateOfBlocks(state, loop, 0))]
}

/** {@link trainBatches} as `trainIteration` on each group of `criticSteps` minibatches in turn. */
const batchesByStep = (state: GanState, realBatches: ReadonlyArray<Matrix>): readonly [ReadonlyArray<StepLosses>, GanState] => {
  const critic = criticStepsOf(state.config)
  const losses: StepLosses[] = []
  let s = state
  for (let k = 0; k < realBatches.length; k += critic) {
    const [l, next] = iterate('trainBatches', s, realBatches.slice(k, k + critic))
    losses.push(Object.freeze({ ...l }))
    s = next
  }
  return [Object.freeze(losses), s]
}

/**
 * The minibatches of a fast loop: `count` of them, the `k`-th with `rows(k)` rows whose
 * real data `real(k)` views (row-major, the data's width).
 */
interface Minibatches {
  readonly count: number
  readonly rows: (k: number) => number
  readonly real: (k: number) => View
}

/**
 * Where a fast loop's draws come from: drawn for all its minibatches at once (`epochDraws`:
 * consecutive rows of `noise`, `interpolation` per pack or `null`; `rng` after them), or drawn
 * update by update from `stream`, in `trainIteration`'s order (`stepDraws`, `generatorDraws`).
 */
type LoopDraws = { readonly noise: Float64Array; readonly interpolation: Float64Array | null; readonly rng: GanState['rng'] } | { readonly stream: GanState['rng'] }

/**
 * What a fast loop leaves: the sums of its iterations' losses (each iteration's D losses
 * summed first, as `trainIteration` sums them), each iteration's losses, the updates made
 * (`d` of D, `g` of G: one G update per iteration), the last blocks and the PRNG state after
 * the last draw. `losses` is empty unless the caller asked for them.
 */
interface LoopOutcome {
  readonly sumD: number
  readonly sumG: number
  readonly losses: ReadonlyArray<StepLosses>
  readonly steps: { readonly d: number; readonly g: number }
  readonly blocks: { readonly generator: View; readonly discriminator: View }
  readonly rng: GanState['rng']
}

/**
 * The fast loop of `trainEpoch` and `trainBatches`: `trainIteration` on consecutive groups of
 * `criticSteps` minibatches (the last group may be shorter), for a state that passed
 * `fastPathReady` for `minibatches.count` updates and minibatches of the right shape, the same
 * bits as the iterations one by one. `'failed'` when an update met a non-finite value (the
 * caller replays step by step to throw that update's error).
 *
 * Each network is one flat `[w | m | v]` block (parameters, then the optimiser's state, each
 * in leaf order), and an update is one kernel on such blocks (discriminatorStepInto,
 * generatorStepInto): no matrix, record or state is built per update, only at the end (and
 * for an error). Each update writes its network's new block into a fresh stretch of one
 * results block (when small; else into one of two alternating blocks per network), and reads
 * the previous update's; one lent workspace serves every update, and the update plans (the
 * workspaces' layouts) are computed once per number of rows.
 */
const minibatchLoop = (state: GanState, minibatches: Minibatches, draws: LoopDraws, keepLosses: boolean): LoopOutcome | 'failed' => {
  try {
    return loopSteps(state, minibatches, draws, keepLosses)
  } finally {
    // the loop's WebAssembly steps leave their new blocks in the module (deferred): written
    // into the loop's blocks here, before anything reads them
    flushDeferredBlocks()
  }
}

/** {@link minibatchLoop}'s steps (the blocks of WebAssembly steps deferred). */
const loopSteps = (state: GanState, minibatches: Minibatches, draws: LoopDraws, keepLosses: boolean): LoopOutcome | 'failed' => {
  const config = state.config
  const latentDim = config.latentDim
  const critic = criticStepsOf(config)
  const pack = packOf(config)
  const count = minibatches.count
  const stepsG = Math.ceil(count / critic)
  // the plans for the most rows any minibatch has first, so that its workspace, allocated at
  // the first JavaScript step (none when every step runs in WebAssembly), serves the others
  let most = 0
  for (let k = 0; k < count; k++) most = Math.max(most, minibatches.rows(k))
  let workspace: Float64Array | null = null
  const lend = (): Float64Array => (workspace ??= new Float64Array(widest.size))
  const widest = updatePlans(config, most, lend)
  const plansByRows = new Map([[most, widest]])
  const plansFor = (n: number): ReturnType<typeof updatePlans> => {
    const known = plansByRows.get(n)
    if (known !== undefined) return known
    const made = updatePlans(config, n, lend)
    plansByRows.set(n, made)
    return made
  }
  const kinds = { d: kindOf(state, 'discriminator'), g: kindOf(state, 'generator') }
  const dSpec = discriminatorSpec(config)
  const gSpec = generatorSpec(config)
  const params = { d: paramCount(dSpec.layers, dSpec.inputSize), g: paramCount(gSpec.layers, gSpec.inputSize) }
  const blockD = blockSize(kinds.d, params.d)
  const blockG = blockSize(kinds.g, params.g)
  const total = count * blockD + stepsG * blockG
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: E-NOOP
  const results = total <= EPOCH_RESULTS ? new Float64Array(total) : null
  // Larger results go to blocks of the loop's own (see `loopBlocks`): two per network at most,
  // one when every update runs in WebAssembly. Nothing but the loop's next update reads them
  // before it ends, so a WebAssembly update leaves its new block in the module (`deferred`),
  // where the next one reads it, and the loop writes them out once, at its end.
  const ownD = results === null ? loopBlocks(blockD) : null
  const ownG = results === null ? loopBlocks(blockG) : null
  let discriminator: View = networkBlock(state.discriminator, state.optimizerD, kinds.d, params.d)
  let generator: View = networkBlock(state.generator, state.optimizerG, kinds.g, params.g)
  const countD0 = state.optimizerD.count
  const countG0 = state.optimizerG.count
  // drawn update by update: the training stream, and one D update's draws (its noise, then its
  // interpolation weights or D's masks) or one G update's (D's masks), each advancing it
  let stream = 'stream' in draws ? draws.stream : draws.rng
  let drawnRows = 0
  const drawD = (n: number): readonly [View, View | null, View | null] => {
    if (!('stream' in draws)) {
      const at = drawnRows
      drawnRows += n
      return [viewOf(draws.noise, at * latentDim), draws.interpolation === null ? null : viewOf(draws.interpolation, at / pack), null]
    }
    const [z, next, d] = stepDraws(stream, n, config)
    stream = next
    return [viewOf(dataOf(z)), viewOfOptional(d.interpolation), viewOfOptional(d.dropout)]
  }
  const drawG = (n: number): View | null => {
    if (!('stream' in draws)) return null
    const [d, next] = generatorDraws(stream, n, config)
    stream = next
    return viewOfOptional(d.dropout)
  }
  const losses: StepLosses[] = []
  let sumD = 0
  let sumG = 0
  let groupD = 0
  let at = 0
  let stepD = 0
  let stepG = 0
  for (let k = 0; k < count; k++) {
    const n = minibatches.rows(k)
    const plans = plansFor(n)
    const [noise, interpolation, masksD] = drawD(n)
    const inputsD = { real: minibatches.real(k), noise, interpolation, dropout: masksD, generator, discriminator }
    // Stryker disable next-line ConditionalExpression: E-NOOP in place; the last blocks escape
    const [lossD, outD] = plannedStep(plans, 'd', inputsD, countD0 + stepD, (inPlace) => (ownD === null ? viewOf(results!, at) : ownD(discriminator, inPlace)), ownD !== null)
    if (!Number.isFinite(lossD)) return 'failed'
    // the group's D losses as trainIteration sums them: the first as it is, then in order
    groupD = stepD % critic === 0 ? lossD : groupD + lossD
    discriminator = outD
    at += blockD
    stepD++
    if (stepD % critic !== 0 && k + 1 < count) continue
    // with dropout: G's masks after the group's last D update's draws
    const masksG = drawG(n)
    const inputsG = { real: null, noise, dropout: masksG, generator, discriminator }
    // Stryker disable next-line ConditionalExpression: E-NOOP in place; the last blocks escape
    const [lossG, outG] = plannedStep(plans, 'g', inputsG, countG0 + stepG, (inPlace) => (ownG === null ? viewOf(results!, at) : ownG(generator, inPlace)), ownG !== null)
    if (!Number.isFinite(lossG)) return 'failed'
    sumD += groupD
    sumG += lossG
    if (keepLosses) losses.push(Object.freeze({ lossD: groupD, lossG }))
    generator = outG
    at += blockG
    stepG++
  }
  // A non-finite parameter or moment never becomes finite again (w - u, b1·m + c1·g and
  // b2·v + c2·g² of a NaN or an infinity are NaN or infinite), so the last blocks hold one
  // exactly when some update of the loop made one: the step-by-step replay then finds which.
  flushDeferredBlocks()
  if (!finiteBlock(discriminator, blockD) || !finiteBlock(generator, blockG)) return 'failed'
  return { sumD, sumG, losses, steps: { d: stepD, g: stepG }, blocks: { generator, discriminator }, rng: stream }
}

/**
 * Where a loop's updates of one network write, over blocks of `size` entries of the loop's
 * own: `(current, inPlace)` is the block the next update writes, given the network's current
 * block. An update that may write over what it reads (`inPlace`: a WebAssembly step, which
 * reads its block into the module before it writes the new one out) writes the current block
 * itself when it is the loop's own; otherwise (the caller's block, or a JavaScript step, which
 * reads its block while it writes) the loop's other block, made when first needed, which nothing
 * reads any more: the state a loop returns is made from its last blocks only. So a loop
 * allocates two blocks per network at most, and one when its updates run in WebAssembly.
 */
const loopBlocks = (size: number): ((current: View, inPlace: boolean) => View) => {
  const blocks: Float64Array[] = []
  return (current, inPlace) => {
    const mine = blocks.includes(current.data)
    if (inPlace && mine) return current
    const other = blocks.find((b) => b !== current.data)
    if (other !== undefined) return viewOf(other)
    const made = new Float64Array(size)
    blocks.push(made)
    return viewOf(made)
  }
}

/** A view of an optional draw matrix's entries, or `null`. */
const viewOfOptional = (m: Matrix | undefined): View | null => (m === undefined ? null : viewOf(dataOf(m)))

/**
 * The epoch as one call of the WebAssembly epoch (src/kernels/gan-epoch.ts: small networks,
 * the same bits as the loop of `trainEpoch`), from the shuffled rows and the noise: its report
 * and state, `'failed'` when a step met a non-finite value (the caller replays the epoch to
 * throw that step's error), or `null` when it does not run in WebAssembly.
 */
const epochInWasm = (state: GanState, shuffled: Float64Array, noise: Float64Array, rngEnd: GanState['rng']): readonly [EpochReport, GanState] | 'failed' | null => {
  const config = state.config
  const spec = stepSpec(config)
  // gan.ts computes the seed's game only (wasmComputes), with one D step per G step
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: E-PATH
  if (!wasmComputes(spec) || criticStepsOf(config) !== 1) return null
  const width = dataWidth(config.data)
  const rows = shuffled.length / width
  const discriminatorParams = paramCount(config.discriminator.layers, width)
  const generatorParams = paramCount(config.generator.layers, config.latentDim)
  const discriminator = networkBlock(state.discriminator, state.optimizerD, 'adam', discriminatorParams)
  const generator = networkBlock(state.generator, state.optimizerG, 'adam', generatorParams)
  const outcome = wasmEpoch(spec, {
    rows,
    batch: config.batchSize,
    data: shuffled,
    noise,
    discriminator: discriminator.data.subarray(discriminator.off, discriminator.off + 3 * discriminatorParams),
    generator: generator.data.subarray(generator.off, generator.off + 3 * generatorParams),
    countD: state.optimizerD.count,
    countG: state.optimizerG.count,
  })
  // Stryker disable next-line ConditionalExpression: E-PATH the JavaScript epoch, the same bits
  if (outcome === null) return null
  if (outcome.kind === 'non-finite') return 'failed'
  const blocks = { discriminator: viewOf(outcome.blockD), generator: viewOf(outcome.blockG) }
  if (!finiteBlock(blocks.discriminator, 3 * discriminatorParams) || !finiteBlock(blocks.generator, 3 * generatorParams)) return 'failed'
  const report = epochReport(state, outcome.sumD, outcome.sumG, rows, rows, 1)
  const steps = Math.ceil(rows / config.batchSize)
  return [report, Object.freeze(stateOfBlocks(state, { steps: { d: steps, g: steps }, blocks, rng: rngEnd }, 1))]
}

/** True when the `size` entries of `block` are all finite. */
const finiteBlock = (block: View, size: number): boolean => firstNonFiniteIn(block.data, block.off, block.off + size) < 0

/**
 * An epoch of the fast path that met a non-finite value, run again step by step from its
 * start (same permutation, same draws, so the same bits) to throw the error `trainStep`
 * gives at the first failing step, with that step's state. Only reached on failure.
 */
const replayFailedEpoch = (state: GanState, data: Matrix, order: ReadonlyArray<number>, rng: GanState['rng']): never => {
  trainEpochByStep(state, data, order, rng)
  // The two paths compute the same bits (gan/epoch-buffers.test.ts), so the replay throws.
  // Stryker disable next-line StringLiteral: E-UNREACHED the replay throws first
  throw new Error('trainEpoch: internal error: the step-by-step replay of a failed epoch did not fail')
}

/**
 * One D update's draws from `rng`: its noise `Z` (`rows x latentDim`), then, with the
 * `wasserstein-gp` objective, its interpolation weights `ε` (`rows` uniforms in `[0, 1)`, as a
 * `rows x 1` matrix), or, with dropout in D, the uniforms of D's masks over the stacked batch
 * (`StepDraws`), and the advanced generator. (Dropout and a gradient penalty never meet.)
 */
const stepDraws = (rng: GanState['rng'], rows: number, config: GanConfig): readonly [Matrix, GanState['rng'], StepDraws] => {
  const [z, afterNoise] = noiseMatrix(rng, rows, config)
  const packs = rows / packOf(config)
  if (objectiveSpecOf(config).kind === 'wasserstein-gp') {
    const [eps, afterEps] = uniforms(afterNoise, packs)
    return [z, afterEps, { interpolation: unsafeFromFloat64Array(packs, 1, eps as Float64Array) }]
  }
  const [dropout, afterMasks] = dropoutUniforms(afterNoise, 2 * packs, config)
  return [z, afterMasks, dropout === undefined ? {} : { dropout }]
}

/**
 * G's update's draws from `rng` (after its group's last D update's): with dropout in D, the
 * uniforms of D's masks over `G(Z)` (`rows/pack` rows of D), else none.
 */
const generatorDraws = (rng: GanState['rng'], rows: number, config: GanConfig): readonly [StepDraws, GanState['rng']] => {
  const [dropout, after] = dropoutUniforms(rng, rows / packOf(config), config)
  return [dropout === undefined ? {} : { dropout }, after]
}

/**
 * The uniforms of D's dropout masks over `dRows` of D's input rows, as a `(count x 1)` matrix
 * (`StepDraws`), and the advanced generator; `undefined` and `rng` itself without dropout.
 */
const dropoutUniforms = (rng: GanState['rng'], dRows: number, config: GanConfig): readonly [Matrix | undefined, GanState['rng']] => {
  if (!hasDropout(config)) return [undefined, rng]
  const count = dropoutDraws(config.discriminator.layers, packOf(config) * dataWidth(config.data), dRows)
  const [u, after] = uniforms(rng, count)
  return [unsafeFromFloat64Array(count, 1, u as Float64Array), after]
}

/**
 * An epoch's draws, in the order `trainIteration` makes them minibatch by minibatch: every
 * row's noise (`rows x latentDim`) and, with the `wasserstein-gp` objective, every row's
 * interpolation weight (else `null`). Without interpolation weights the noise is one draw
 * of all rows (a matrix of normals is successive single draws, row-major, so the same
 * sequence); with them each minibatch's noise is followed by its weights. (With dropout the
 * epoch's loop draws step by step instead: see `trainEpoch`.)
 */
const epochDraws = (rng: GanState['rng'], rows: number, batch: number, config: GanConfig) => {
  const latentDim = config.latentDim
  if (objectiveSpecOf(config).kind !== 'wasserstein-gp') {
    const [all, end] = noiseMatrix(rng, rows, config)
    return { noise: dataOf(all), interpolation: null, rng: end }
  }
  const noise = new Float64Array(rows * latentDim)
  const interpolation = new Float64Array(rows / packOf(config))
  let r = rng
  for (let start = 0; start < rows; start += batch) {
    const [z, next, draws] = stepDraws(r, Math.min(batch, rows - start), config)
    noise.set(dataOf(z), start * latentDim)
    interpolation.set(dataOf(draws.interpolation!), start / packOf(config))
    r = next
  }
  return { noise, interpolation, rng: r }
}

/** `state` with another PRNG state (unfrozen; see `stateRecord` for why not a spread). */
const withRng = (s: GanState, rng: GanState['rng']): GanState =>
  stateWith(s, { rng })

/** `state` with other counters (unfrozen). */
const withCounters = (s: GanState, step: number, epoch: number): GanState =>
  stateWith(s, { step, epoch })

/**
 * The most entries (1 MB) of one block holding all the steps' results of an epoch. The
 * epoch's final state keeps its block alive, so the bound caps what a kept state retains;
 * the seed GAN needs 16 125 (129 KB).
 */
const EPOCH_RESULTS = 131072


/**
 * `state` after a loop's updates, `steps.d` of D and `steps.g` of G: its networks are those
 * of the `[w | state]` blocks `blocks.generator` and `blocks.discriminator`, with the
 * optimisers' counts advanced by each network's updates, the step counter by G's (one per
 * iteration), the PRNG state `rng` and the epoch counter advanced by `epochs` (1 after an
 * epoch, 0 after `trainBatches`). The record is left unfrozen.
 */
const stateOfBlocks = (
  state: GanState,
  loop: { readonly steps: { readonly d: number; readonly g: number }; readonly blocks: { readonly generator: View; readonly discriminator: View }; readonly rng: GanState['rng'] },
  epochs: 0 | 1,
): GanState => {
  const { steps, blocks, rng } = loop
  const [discriminator, optimizerD] = networkOfBlock(discriminatorSpec(state.config), blocks.discriminator, kindOf(state, 'discriminator'), state.optimizerD.count + steps.d)
  const [generator, optimizerG] = networkOfBlock(generatorSpec(state.config), blocks.generator, kindOf(state, 'generator'), state.optimizerG.count + steps.g)
  return stateWith(state, { generator, discriminator, optimizerG, optimizerD, rng, step: state.step + steps.g, epoch: state.epoch + epochs })
}

/**
 * The rows G's updates see in an epoch of `rows` rows in minibatches of `batch` with `critic`
 * D updates per G update: every G update takes the rows of its group's last minibatch, and
 * the epoch's last group ends with the (possibly ragged) last one.
 */
const generatorRows = (rows: number, batch: number, critic: number): number => {
  const stepsD = Math.ceil(rows / batch)
  return (Math.ceil(stepsD / critic) - 1) * batch + (rows - (stepsD - 1) * batch)
}

/**
 * The epoch as consecutive `trainIteration`s, each on `criticSteps` consecutive minibatches
 * (fewer at the epoch's end), for the configs and states the fast loop does not take and to
 * replay a failed epoch.
 */
const trainEpochByStep = (
  state: GanState,
  data: Matrix,
  order: ReadonlyArray<number>,
  rng: GanState['rng'],
): readonly [EpochReport, GanState] => {
  const batch = state.config.batchSize
  const critic = criticStepsOf(state.config)
  let s: GanState = withRng(state, rng)
  let sumD = 0
  let sumG = 0
  let rowsG = 0
  let group: Matrix[] = []
  for (let start = 0; start < data.rows; start += batch) {
    group.push(gatherRows(data, order.slice(start, Math.min(start + batch, data.rows))))
    if (group.length < critic && start + batch < data.rows) continue
    const [losses, next] = iterate('trainStep', s, group)
    sumD += losses.lossD
    sumG += losses.lossG
    rowsG += group[group.length - 1]!.rows
    s = next
    group = []
  }
  const report = epochReport(state, sumD, sumG, data.rows, rowsG, packOf(state.config))
  return [report, Object.freeze(withCounters(s, s.step, state.epoch + 1))]
}

/**
 * Continues a run for `epochs` more epochs on `data`, calling `onEpoch` after each (the
 * callback observes; it cannot change the run).
 *
 * @category transitions
 * @since 0.1.0
 */
export const trainEpochs = (
  state: GanState,
  data: Matrix,
  epochs: number,
  onEpoch?: (report: EpochReport, state: GanState) => void,
): TrainResult => {
  if (!Number.isSafeInteger(epochs) || epochs < 0) throw new RangeError(`trainEpochs: epochs must be an integer >= 0, got ${epochs}`)
  const history: EpochReport[] = []
  let s = state
  for (let e = 0; e < epochs; e++) {
    const [report, next] = trainEpoch(s, data)
    history.push(report)
    s = next
    onEpoch?.(report, s)
  }
  return { state: s, history }
}

/**
 * Trains a GAN from scratch: validates `config` (throwing a `ConfigError` that lists every
 * invalid field before anything runs), builds the data and the initial state from the
 * seed, and runs `config.epochs` epochs. The same config gives the same bits, always.
 * MNIST data needs its images, `source` (`runData`).
 *
 * @example
 * import { seedConfig, train } from 'pure-gan'
 * const { history } = train({ ...seedConfig, epochs: 2 })
 * history[1]?.lossD // 0.49688778263251854
 *
 * @category transitions
 * @since 0.1.0
 */
export const train = (config: GanConfig, onEpoch?: (report: EpochReport, state: GanState) => void, source?: MnistSource): TrainResult => {
  const valid = assertValidConfig(config)
  // Validated once here; the constructors below skip their own validation.
  const streams = runStreams(valid.seed)
  const data = runDataOfValid(valid, streams, source)
  return trainEpochs(initialStateOfValid(valid, streams, data), data, valid.epochs, onEpoch)
}
