/**
 * The two pure transitions of GAN training, SEED.md's `update_D` and `update_G`, and the
 * gradients they apply (exported, so that properties and users can inspect them).
 *
 * Notation (docs/gan.md): X real minibatch (n x d), Z noise (n x latentDim),
 * G(Z) generator output, D(·) discriminator logits (n x 1), l(z, y) the sigmoid
 * cross-entropy on a logit. Losses are summed over the minibatch; Adam rescales the summed
 * gradient by 1/n, so it steps on the gradient of the batch mean, as Gluon's
 * `trainer.step(batch_size)`.
 *
 * @module
 */
import { type Matrix, ShapeError, shapeOf } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { clampInPlace } from '../kernels/clip.js'
import { mapTree } from '../tree/param-tree.js'
import { checkStackable } from '../matrix/structure.js'
import {
  type DiscriminatorStepPlan,
  type GanStepSpec,
  type GeneratorStepPlan,
  type StepInputs,
  type StepLayout,
  type StepPlan,
  bindDiscriminatorStep,
  bindGeneratorStep,
  discriminatorGradientInto,
  discriminatorStepInto,
  discriminatorStepLayout,
  generatorGradientInto,
  generatorStepInto,
  generatorStepLayout,
} from '../kernels/gan-step.js'
import { flushDeferredBlocks, twinnedLayers, wasmStep, wasmStepPays } from '../kernels/gan-epoch.js'
import { drops, dropoutDraws, paramCount, runningSize } from '../kernels/network.js'
import { type RunningStats, checkRunningStats, runningBlock, runningViews } from '../nn/batchnorm.js'
import { type View, viewOf } from '../kernels/view.js'
import { flatBlock, paramViews } from '../nn/blocks.js'
import { type LayerSpec, type NetworkParams, type NetworkSpec, checkInput, checkOutputGradient, outputSize, paramsFit, validateParams } from '../nn/network.js'
import { nonsaturating } from '../objectives/nonsaturating.js'
import { objectiveOf } from '../objectives/index.js'
import { type OptimizerSpec, type OptimizerState, optimizerReady, stateTreeNames, stepOptimizerOf, treeOptimizerOf } from '../optim/choice.js'
import { slotsOf } from '../kernels/step-optimizer.js'
import type { ParamTree } from '../tree/param-tree.js'
import { type GanConfig, objectiveSpecOf, optimizerSpecOf, packOf } from './config.js'
import { type GanState, discriminatorSpec, generatorSpec, hasBatchNorm, stateWith } from './state.js'
import { dataWidth } from './data.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A summed minibatch loss and its gradient with respect to one network's parameters.
 *
 * @category model
 * @since 0.1.0
 */
export interface LossAndGradient {
  readonly loss: number
  readonly gradient: NetworkParams
}

const checkBatch = (op: string, config: GanConfig, realBatch: Matrix | null, noise: Matrix): void => {
  if (noise.rows === 0 || noise.cols !== config.latentDim) {
    throw new ShapeError(`${op}: noise must be (n x ${config.latentDim}) with n >= 1 (latentDim ${config.latentDim}), got ${shapeOf(noise)}`)
  }
  if (realBatch !== null) {
    const width = dataWidth(config.data)
    if (realBatch.cols !== width || realBatch.rows !== noise.rows) {
      throw new ShapeError(
        `${op}: the real batch must be (${noise.rows}x${width}) (as many rows as the noise, data width ${width}), got ${shapeOf(realBatch)} with noise ${shapeOf(noise)}`,
      )
    }
  }
  if (hasBatchNorm(config) && noise.rows < 2) {
    throw new ShapeError(`${op}: batch normalisation in the generator needs minibatches of at least 2 rows (one row has no variance), got ${shapeOf(noise)} noise`)
  }
  const pack = packOf(config)
  if (noise.rows % pack !== 0) {
    throw new ShapeError(`${op}: with pack ${pack}, the minibatch's rows must be a multiple of ${pack} (each of D's input rows is a whole pack), got ${noise.rows}`)
  }
}

/** True when the config's objective is WGAN-GP, whose D step takes interpolation weights. */
const needsInterpolation = (config: GanConfig): boolean => objectiveSpecOf(config).kind === 'wasserstein-gp'

/**
 * Refuses (`RangeError`) interpolation weights the config does not use, their absence when it
 * does, or weights that are not `(rows x 1)` with every entry in `[0, 1]`.
 */
const checkInterpolation = (op: string, config: GanConfig, rows: number, interpolation: Matrix | undefined): void => {
  if (!needsInterpolation(config)) {
    if (interpolation !== undefined) throw new RangeError(`${op}: interpolation weights are taken only with the wasserstein-gp objective, not ${objectiveSpecOf(config).kind}`)
    return
  }
  const packs = rows / packOf(config)
  if (interpolation === undefined) throw new RangeError(`${op}: the wasserstein-gp objective needs the interpolation weights ε (${packs}x1, each in [0, 1])`)
  if (interpolation.rows !== packs || interpolation.cols !== 1) {
    throw new ShapeError(`${op}: the interpolation weights must be (${packs}x1), one per input row of D, got ${shapeOf(interpolation)}`)
  }
  const e = dataOf(interpolation)
  for (let i = 0; i < packs; i++) {
    if (!(e[i]! >= 0 && e[i]! <= 1)) throw new RangeError(`${op}: every interpolation weight must be in [0, 1], got ${e[i]} at row ${i}`)
  }
}

/**
 * A step's draws from the training stream, beyond its noise: WGAN-GP's interpolation weights
 * `ε` (D's step with the `wasserstein-gp` objective only) and the uniforms of D's dropout masks
 * (configs whose discriminator has a layer with `keep < 1` only): a `(count x 1)` matrix of
 * uniforms in `[0, 1)`, for each dropping layer of D in order its input's `r x d_l` entries
 * row-major (`d_l` the layer's input width, `r` D's input rows: `2n/pack` in D's step, the
 * stacked batch, and `n/pack` in G's), each entry's mask `u < keep ? 1/keep : 0` (docs/gan.md).
 *
 * @category model
 * @since 0.4.0
 */
export interface StepDraws {
  readonly interpolation?: Matrix
  readonly dropout?: Matrix
}


/**
 * A step's running-statistics inputs for `state` (gan-step.ts's `StepInputs`): with batch
 * normalisation in G, its statistics as a block and a fresh block for their next values; else
 * none.
 */
const statsInputs = (state: GanState): { readonly generatorStats: View | null; readonly nextGeneratorStats: View | null } => {
  // Stryker disable next-line ConditionalExpression: E-NOOP empty blocks, no statistics
  if (!hasBatchNorm(state.config)) return NO_STATS
  const size = runningSize(state.config.generator.layers)
  return { generatorStats: runningBlock(state.generatorStats, size), nextGeneratorStats: viewOf(new Float64Array(size)) }
}

const NO_STATS = Object.freeze({ generatorStats: null, nextGeneratorStats: null })

/** G's running statistics after a step given `statsInputs(state)`: its next block's views, or `state`'s own without batch normalisation. */
/**
 * Throws `op`'s error when `state`'s running statistics do not fit its generator (nn's
 * `checkRunningStats`: one `{ mean, variance }` of `(1 x units)` per batch normalisation layer,
 * variances `>= 0`); a generator without one needs none.
 */
const checkStats = (op: string, state: GanState): void => {
  // Stryker disable next-line ConditionalExpression: E-NOOP no statistics fit no layer
  if (hasBatchNorm(state.config) || state.generatorStats.length !== 0) checkRunningStats(op, generatorSpec(state.config), state.generatorStats)
}

const statsAfter = (state: GanState, stats: ReturnType<typeof statsInputs>): RunningStats =>
  stats.nextGeneratorStats === null ? state.generatorStats : runningViews(state.config.generator.layers, stats.nextGeneratorStats.data, 0)

/**
 * True when the config's discriminator drops a layer's input in training (a `keep` below 1).
 *
 * @internal
 */
export const hasDropout = (config: GanConfig): boolean => config.discriminator.layers.some(drops)

/**
 * Refuses (`RangeError`) dropout uniforms for a config without dropout, their absence when it
 * has some, or uniforms that are not `(count x 1)` (`ShapeError`) with every entry in `[0, 1)`;
 * `dRows` is D's input rows of the pass.
 */
const checkDropout = (op: string, config: GanConfig, dRows: number, dropout: Matrix | undefined): void => {
  if (!hasDropout(config)) {
    if (dropout !== undefined) throw new RangeError(`${op}: dropout uniforms are taken only when a discriminator layer has keep < 1, and none has`)
    return
  }
  const count = dropoutDraws(config.discriminator.layers, packOf(config) * dataWidth(config.data), dRows)
  if (dropout === undefined) throw new RangeError(`${op}: the discriminator's dropout needs its mask uniforms (${count}x1, each in [0, 1))`)
  if (dropout.rows !== count || dropout.cols !== 1) {
    throw new ShapeError(`${op}: the dropout uniforms must be (${count}x1), one per input entry of each dropping layer of D over ${dRows} rows, got ${shapeOf(dropout)}`)
  }
  const u = dataOf(dropout)
  for (let i = 0; i < count; i++) {
    if (!(u[i]! >= 0 && u[i]! < 1)) throw new RangeError(`${op}: every dropout uniform must be in [0, 1), got ${u[i]} at row ${i}`)
  }
}

/** Checks D's step's draws (`checkInterpolation`, `checkDropout` over the stacked `2n/pack` rows). */
const checkDraws = (op: string, config: GanConfig, rows: number, draws: StepDraws): void => {
  checkInterpolation(op, config, rows, draws.interpolation)
  checkDropout(op, config, (2 * rows) / packOf(config), draws.dropout)
}

/** Checks G's step's draws: no interpolation weights, `checkDropout` over `n/pack` rows. */
const checkGeneratorDraws = (op: string, config: GanConfig, rows: number, draws: StepDraws): void => {
  if (draws.interpolation !== undefined) throw new RangeError(`${op}: interpolation weights are taken only by D's step, not G's`)
  checkDropout(op, config, rows / packOf(config), draws.dropout)
}

/** The view of a matrix's entries, or `null` for none. */
const viewOfOptional = (m: Matrix | undefined): View | null => (m === undefined ? null : viewOf(dataOf(m)))

// -------------------------------------------------------------------------------------
// the steps' plans, one workspace per update
// -------------------------------------------------------------------------------------

/**
 * True when the state fits the kernels' plans: both networks' specs are valid and their
 * parameters fit them (what `predict`, `forward` and `backward` would check), G's output is
 * as wide as the data and D's output is one logit (what `vconcat` and `backward` would
 * check). Otherwise `assertDiscriminatorStepFits` / `assertGeneratorStepFits` throw the
 * checked operations' errors.
 */
const fitsFastPath = (config: GanConfig, generator: NetworkParams, discriminator: NetworkParams): boolean => {
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const width = dataWidth(config.data)
  return (
    paramsFit(gLayers, config.latentDim, generator) &&
    paramsFit(dLayers, packOf(config) * width, discriminator) &&
    (gLayers[gLayers.length - 1] as LayerSpec).units === width &&
    (dLayers[dLayers.length - 1] as LayerSpec).units === 1
  )
}

/**
 * Workspaces up to this many entries (128 KB) also hold the Adam step's results, so that a
 * small update makes one allocation instead of two (an allocation outside the JavaScript
 * heap costs about a microsecond, as much as the rest of a seed-GAN update). The state then
 * keeps the whole block alive; the bound caps what that retains. Larger workspaces are
 * garbage as soon as the update returns.
 */
const SHARED_WORKSPACE = 16384

/**
 * What the steps are made of, from a config: both networks' layers, the noise and data
 * widths, the config's objective (`nonsaturating`, the seed's, when it names none), its
 * weight clip, its gradient penalties (WGAN-GP's from the objective, R1's from `penalty`),
 * and each network's optimiser (Adam with `config.adam`, the seed's, when it
 * names none) with its learning rate.
 *
 * @internal
 */
export const stepSpec = (config: GanConfig): GanStepSpec => {
  const objective = objectiveSpecOf(config)
  return {
    generator: config.generator.layers,
    discriminator: config.discriminator.layers,
    latentDim: config.latentDim,
    width: dataWidth(config.data),
    pack: packOf(config),
    objective: objectiveOf(objective),
    weightClip: objective.kind === 'wasserstein' ? objective.clip : null,
    interpolatedPenalty: objective.kind === 'wasserstein-gp' ? { kind: 'wasserstein-gp', weight: objective.lambda, target: 1 } : null,
    realPenalty: config.penalty === undefined ? null : { kind: 'r1', weight: config.penalty.gamma },
    optimizerD: stepOptimizerOf(optimizerSpecOf(config, 'D'), config.learningRateD),
    optimizerG: stepOptimizerOf(optimizerSpecOf(config, 'G'), config.learningRateG),
  }
}

/**
 * The plans of both steps for minibatches of `n` rows, which a loop computes once and lends
 * its steps ({@link discriminatorStepInto}, {@link generatorStepInto}): the JavaScript steps'
 * plans are bound to one workspace of `size` entries only when a step first needs them
 * (`bound`), so a loop whose steps all run in WebAssembly allocates no workspace.
 *
 * @internal
 */
export interface UpdatePlans {
  readonly size: number
  /** The JavaScript steps' plans and their workspace, made at the first call and the same after. */
  readonly bound: () => BoundPlans
  /** The steps run in WebAssembly ({@link stepRunsInWasm}), from these layouts. */
  readonly inWasm: { readonly d: StepLayout; readonly g: StepLayout } | null
}

/** Both steps' JavaScript plans, bound to `workspace`. @internal */
export interface BoundPlans {
  readonly d: DiscriminatorStepPlan
  readonly g: GeneratorStepPlan
  readonly workspace: Float64Array
}

/**
 * {@link UpdatePlans} for `config` and minibatches of `n` rows, bound (when first needed) to
 * the workspace `lend` returns (it must hold `size` entries; the plans of several row counts
 * can share the largest one's), else to a fresh one.
 *
 * @internal
 */
export const updatePlans = (config: GanConfig, n: number, lend?: () => Float64Array): UpdatePlans => {
  const spec = stepSpec(config)
  const dLayout = discriminatorStepLayout(spec, n)
  const gLayout = generatorStepLayout(spec, n)
  const size = Math.max(dLayout.size, gLayout.size)
  const inWasm = stepRunsInWasm(dLayout) ? { d: dLayout, g: gLayout } : null
  let plans: BoundPlans | null = null
  const bound = (): BoundPlans => {
    if (plans === null) {
      const ws = lend === undefined ? new Float64Array(size) : lend()
      plans = { d: bindDiscriminatorStep(dLayout, ws), g: bindGeneratorStep(gLayout, ws), workspace: ws }
    }
    return plans
  }
  return { size, bound, inWasm }
}

/**
 * One step of a loop on `plans`, D's (`net` `'d'`, see {@link discriminatorStepInto}) or G's
 * (`'g'`, {@link generatorStepInto}): in WebAssembly when the plans say so and it runs, else on
 * the plans' workspace (bound at the first such step). `out(inPlace)` says where the new block
 * goes: `inPlace` is true for the WebAssembly step, which reads the blocks it updates into the
 * module's memory before it writes the new one, so that `out` may then be the block it
 * updates; false for the JavaScript step, whose `out` must not overlap its inputs. With
 * `deferred`, a WebAssembly step leaves its new block in the module until `flushDeferredBlocks`
 * (the loop's next step reads it there), and a JavaScript step flushes every deferred block
 * before it reads its own. Returns the summed loss and the block written. The same bits
 * either way.
 *
 * @internal
 */
export const plannedStep = (plans: UpdatePlans, net: 'd' | 'g', inputs: StepInputs, count: number, out: (inPlace: boolean) => View, deferred = false): readonly [number, View] => {
  // Stryker disable next-line ConditionalExpression: E-PATH the JavaScript step, the same bits
  if (plans.inWasm !== null) {
    const target = out(true)
    const loss = wasmStep(plans.inWasm[net], inputs, count, target, deferred)
    if (loss !== null) return [loss, target]
  }
  // a JavaScript step reads its blocks from their arrays: every deferred block written first
  if (deferred) flushDeferredBlocks()
  const target = out(false)
  const bound = plans.bound()
  return [net === 'd' ? discriminatorStepInto(bound.d, inputs, count, target) : generatorStepInto(bound.g, inputs, count, target), target]
}

/**
 * A network's `[w | state]` block (see {@link discriminatorStepInto}): its parameters, then
 * the optimiser's per-parameter trees in order (`stateTreeNames`; Adam `[w | m | v]`); the
 * state's own array when they already lie that way in one (every state an update made), else
 * a copy.
 *
 * @internal
 */
export const networkBlock = (params: NetworkParams, optimizer: OptimizerState, kind: OptimizerSpec['kind'], P: number): View => {
  const trees = stateTreeNames(kind).map((name) => (optimizer as unknown as { readonly [k: string]: NetworkParams })[name]!)
  return flatBlock([params, ...trees], (1 + trees.length) * P)
}

/**
 * The parameters and the optimiser state of kind `kind` (count `count`) whose matrices are
 * views of a network's `[w | state]` block (frozen, as every record of a state).
 *
 * @internal
 */
export const networkOfBlock = (spec: NetworkSpec, block: View, kind: OptimizerSpec['kind'], count: number): readonly [NetworkParams, OptimizerState] => {
  const P = paramCount(spec.layers, spec.inputSize)
  const params = paramViews(spec.layers, spec.inputSize, block.data, block.off)
  const state: { [key: string]: unknown } = { count }
  stateTreeNames(kind).forEach((name, j) => {
    state[name] = paramViews(spec.layers, spec.inputSize, block.data, block.off + (j + 1) * P) as unknown as ParamTree
  })
  return [params, Object.freeze(state) as unknown as OptimizerState]
}

/**
 * Entries of a network's `[w | state]` block: `(1 + slots) · P` for `P` parameters.
 *
 * @internal
 */
export const blockSize = (kind: OptimizerSpec['kind'], P: number): number => (1 + slotsOf(kind)) * P

// -------------------------------------------------------------------------------------
// gradients
// -------------------------------------------------------------------------------------

/**
 * The discriminator's summed loss (the seed's `Σ_i (l(D(x_i), 1) + l(D(G(z_i)), 0)) / 2`, or
 * the config's objective's) and its gradient with respect to D's parameters (G is held fixed:
 * no gradient reaches it). D runs once on the stacked batch `[X; G(Z)]` (2n rows), so the
 * gradient is one backward pass from the objective's logit gradients (the seed's
 * `dL/dlogit_i = (sigmoid(logit_i) - y_i) / 2`), plus the config's gradient penalties: with
 * the `wasserstein-gp` objective, `interpolation` (`n x 1`, each `ε_i` in `[0, 1]`) gives the
 * interpolates `x̂_i = ε_i·x_i + (1 − ε_i)·G(z_i)`; without it, `interpolation` must be absent.
 * With dropout in D, `draws.dropout` gives the masks of D's pass over the stacked batch
 * ({@link StepDraws}); without it, it must be absent.
 *
 * @category gradients
 * @since 0.1.0
 */
export const discriminatorLossAndGradient = (state: GanState, realBatch: Matrix, noise: Matrix, draws: StepDraws = {}): LossAndGradient => {
  const { loss, gradient } = discriminatorStepValues(state, realBatch, noise, draws)
  return { loss, gradient }
}

/** A step's loss, gradient and G's running statistics after the step's training pass of G. */
interface StepValues extends LossAndGradient {
  readonly generatorStats: RunningStats
}

/** `discriminatorLossAndGradient` with G's running statistics after the step. */
const discriminatorStepValues = (state: GanState, realBatch: Matrix, noise: Matrix, draws: StepDraws): StepValues => {
  checkBatch('updateD', state.config, realBatch, noise)
  checkStats('updateD', state)
  checkDraws('updateD', state.config, noise.rows, draws)
  const { interpolation, dropout } = draws
  const config = state.config
  assertDiscriminatorStepFits(state, realBatch, noise)
  const layout = discriminatorStepLayout(stepSpec(config), noise.rows)
  const plan = bindDiscriminatorStep(layout, new Float64Array(layout.size))
  const generator = flatBlock([state.generator], plan.generatorParams)
  const discriminator = flatBlock([state.discriminator], plan.discriminatorParams)
  const stats = statsInputs(state)
  const inputs = { real: viewOf(dataOf(realBatch)), noise: viewOf(dataOf(noise)), interpolation: viewOfOptional(interpolation), dropout: viewOfOptional(dropout), generator, discriminator, ...stats }
  const loss = discriminatorGradientInto(plan, inputs)
  return { loss, gradient: gradientOf(plan, discriminatorSpec(config)), generatorStats: statsAfter(state, stats) }
}

/**
 * The generator's summed non-saturating loss `Σ_i l(D(G(z_i)), 1)` and its gradient with
 * respect to G's parameters, through the current D: D's backward pass yields
 * `dL/dG(Z)`, which G's backward pass carries to G's parameters. D is not changed. With
 * dropout in D, `draws.dropout` gives the masks of D's pass over `G(Z)` ({@link StepDraws});
 * `draws.interpolation` must be absent.
 *
 * @category gradients
 * @since 0.1.0
 */
export const generatorLossAndGradient = (state: GanState, noise: Matrix, draws: StepDraws = {}): LossAndGradient => {
  const { loss, gradient } = generatorStepValues(state, noise, draws)
  return { loss, gradient }
}

/** `generatorLossAndGradient` with G's running statistics after the step. */
const generatorStepValues = (state: GanState, noise: Matrix, draws: StepDraws): StepValues => {
  checkBatch('updateG', state.config, null, noise)
  checkStats('updateG', state)
  checkGeneratorDraws('updateG', state.config, noise.rows, draws)
  const config = state.config
  assertGeneratorStepFits(state, noise)
  const layout = generatorStepLayout(stepSpec(config), noise.rows)
  const plan = bindGeneratorStep(layout, new Float64Array(layout.size))
  const generator = flatBlock([state.generator], plan.generatorParams)
  const discriminator = flatBlock([state.discriminator], plan.discriminatorParams)
  const stats = statsInputs(state)
  const loss = generatorGradientInto(plan, { real: null, noise: viewOf(dataOf(noise)), dropout: viewOfOptional(draws.dropout), generator, discriminator, ...stats })
  return { loss, gradient: gradientOf(plan, generatorSpec(config)), generatorStats: statsAfter(state, stats) }
}

/** The gradient a step left in its workspace, as fresh parameter-shaped matrices. */
const gradientOf = (plan: StepPlan, spec: NetworkSpec): NetworkParams => {
  const g = plan.gradient
  const P = paramCount(spec.layers, spec.inputSize)
  return paramViews(spec.layers, spec.inputSize, g.data.slice(g.off, g.off + P), 0)
}

// -------------------------------------------------------------------------------------
// the one check of a state against its config
// -------------------------------------------------------------------------------------

/**
 * Throws, for a state whose networks do not fit its config, the error of the first checked
 * operation of D's step as a chain (docs/gan.md): `predict(G, Z)`, `vconcat(X, G(Z))`,
 * `forward(D, U)`, `backward(D, ·, dL/dlogits)` with one logit per row. Shapes only; when it
 * passes, the kernels' plan fits the state (`fitsFastPath`).
 */
const assertDiscriminatorStepFits = (state: GanState, realBatch: Matrix, noise: Matrix): void => {
  const config = state.config
  if (fitsFastPath(config, state.generator, state.discriminator)) return
  const gSpec = generatorSpec(config)
  const dSpec = discriminatorSpec(config)
  const n2 = 2 * noise.rows
  validateParams('predict', gSpec, state.generator)
  checkStackable(realBatch, { rows: noise.rows, cols: outputSize(gSpec) })
  validateParams('forward', dSpec, state.discriminator)
  // Stryker disable next-line StringLiteral: E-UNREACHED checkStackable matched the widths first
  checkInput('forward', dSpec, state.discriminator, { rows: n2, cols: realBatch.cols })
  checkOutputGradient({ rows: n2, cols: 1 }, { rows: n2, cols: outputSize(dSpec) })
  // Stryker disable next-line StringLiteral: E-UNREACHED a check above throws first
  throw new Error('updateD: internal error: a state that does not fit passed every check')
}

/**
 * As {@link assertDiscriminatorStepFits} for G's step: `forward(G, Z)`, `forward(D, G(Z))`,
 * `backward(D, ·, dL/dlogits)`, then G's backward pass.
 */
const assertGeneratorStepFits = (state: GanState, noise: Matrix): void => {
  const config = state.config
  if (fitsFastPath(config, state.generator, state.discriminator)) return
  const gSpec = generatorSpec(config)
  const dSpec = discriminatorSpec(config)
  const n = noise.rows
  validateParams('forward', gSpec, state.generator)
  validateParams('forward', dSpec, state.discriminator)
  checkInput('forward', dSpec, state.discriminator, { rows: n, cols: outputSize(gSpec) })
  checkOutputGradient({ rows: n, cols: 1 }, { rows: n, cols: outputSize(dSpec) })
  // Stryker disable next-line StringLiteral: E-UNREACHED a check above throws first
  throw new Error('updateG: internal error: a state that does not fit passed every check')
}

// -------------------------------------------------------------------------------------
// transitions
// -------------------------------------------------------------------------------------

/**
 * A player's checked tree optimiser (`optimizerSpecOf`: the seed's Adam with `config.adam`
 * unless the config chooses another) with its learning rate and the batch's rescaling. Its
 * options come first, then the learning rate and the rescaling, so that a key of the options
 * that the optimiser knows (`learningRate`, `rescaleGrad`) can never override them, while one
 * it does not know still reaches its option check (a `RangeError`). validateConfig refuses both.
 */
const optimizerFor = (config: GanConfig, player: 'D' | 'G', batchRows: number) =>
  treeOptimizerOf(optimizerSpecOf(config, player), player === 'D' ? config.learningRateD : config.learningRateG, 1 / batchRows)

/**
 * True when `steps` consecutive updates of this state take the fast path: both networks fit
 * their specs (what the checked operations check), and both optimiser steps would compute
 * exactly as `optimizerFor(...).step` without an error or a default (`optimizerReady`). The
 * fast updates keep all of this true for their results (same config, same shapes, the same
 * frozen `{ W, b }` structure, counts + 1), so a loop checks once (`trainEpoch` does, per
 * epoch) and then runs {@link discriminatorStepInto} / {@link generatorStepInto} directly.
 *
 * @internal
 */
export const fastPathReady = (state: GanState, steps: number): boolean => {
  const config = state.config
  return (
    fitsFastPath(config, state.generator, state.discriminator) &&
    optimizerReady(optimizerSpecOf(config, 'D'), config.learningRateD, state.optimizerD, state.discriminator, steps) &&
    optimizerReady(optimizerSpecOf(config, 'G'), config.learningRateG, state.optimizerG, state.generator, steps)
  )
}

/**
 * One update's buffers: a workspace of `size` entries and where the `3P` results go,
 * `[ws, out]`: after the workspace in the same allocation when both fit in
 * {@link SHARED_WORKSPACE} entries, else a block of their own.
 */
const updateBuffers = (size: number, block: number): readonly [Float64Array, View] => {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: E-NOOP
  const shared = size + block <= SHARED_WORKSPACE
  const ws = new Float64Array(shared ? size + block : size)
  return shared ? [ws, { data: ws, off: size }] : [ws, { data: new Float64Array(block), off: 0 }]
}

/**
 * True when a step of `layout` runs in WebAssembly (src/kernels/gan-epoch.ts's `wasmStep`):
 * it pays there (`wasmStepPays`) and it computes the spec's game (`wasmComputes`).
 *
 * @internal
 */
export const stepRunsInWasm = (layout: StepLayout): boolean => wasmComputes(layout.spec) && wasmStepPays(layout)

/**
 * True when the WebAssembly steps (src/wasm/assembly/gan.ts) compute `spec`'s game: the
 * non-saturating objective, no packing, nothing clipped, no gradient penalty, Adam for both
 * networks, dense layers only (`twinnedLayers`), no dropout.
 *
 * @internal
 */
export const wasmComputes = (spec: GanStepSpec): boolean =>
  spec.objective === nonsaturating &&
  !spec.discriminator.some(drops) &&
  spec.pack === 1 &&
  spec.weightClip === null &&
  spec.interpolatedPenalty === null &&
  spec.realPenalty === null &&
  spec.optimizerD.kind === 'adam' &&
  spec.optimizerG.kind === 'adam' &&
  twinnedLayers(spec)

/** A step's JavaScript kernels: its plan's binding and the step itself. */
interface StepKernels<Plan> {
  readonly bind: (layout: StepLayout, ws: Float64Array) => Plan
  readonly stepInto: (plan: Plan, inputs: StepInputs, count: number, out: View) => number
}

/**
 * One step on fresh buffers, in WebAssembly when it runs there ({@link stepRunsInWasm}), else
 * through `kernels` on one allocation (workspace and results, or two when large): the summed
 * loss and the updated network's new `[w | m | v]` (`3P` entries). The same bits either way.
 */
const stepOnFreshBuffers = <Plan>(layout: StepLayout, inputs: StepInputs, count: number, block: number, kernels: StepKernels<Plan>): readonly [number, View] => {
  // Stryker disable next-line ConditionalExpression,BlockStatement: E-PATH the same bits in JS
  if (stepRunsInWasm(layout)) {
    const out = viewOf(new Float64Array(block))
    const loss = wasmStep(layout, inputs, count, out)
    // Stryker disable next-line ConditionalExpression,EqualityOperator: E-PATH null: no memory
    if (loss !== null) return [loss, out]
  }
  const [ws, out] = updateBuffers(layout.size, block)
  return [kernels.stepInto(kernels.bind(layout, ws), inputs, count, out), out]
}

/**
 * `updateD` for a state that passed {@link fastPathReady} and a batch that passed
 * `checkBatch`: D's step on the state's networks as `[w | m | v]` blocks
 * (`stepOnFreshBuffers`), then the next state, whose new matrices are views of the results.
 */
const updateDFast = (state: GanState, realBatch: Matrix, noise: Matrix, draws: StepDraws): readonly [number, GanState] => {
  const config = state.config
  const layout = discriminatorStepLayout(stepSpec(config), noise.rows)
  const dSpec = discriminatorSpec(config)
  const P = paramCount(dSpec.layers, dSpec.inputSize)
  const kinds = { d: layout.spec.optimizerD.kind, g: layout.spec.optimizerG.kind }
  const generator = networkBlock(state.generator, state.optimizerG, kinds.g, paramCount(config.generator.layers, config.latentDim))
  const current = networkBlock(state.discriminator, state.optimizerD, kinds.d, P)
  const count = state.optimizerD.count
  const interpolation = viewOfOptional(draws.interpolation)
  const stats = statsInputs(state)
  const inputs = { real: viewOf(dataOf(realBatch)), noise: viewOf(dataOf(noise)), interpolation, dropout: viewOfOptional(draws.dropout), generator, discriminator: current, ...stats }
  const [loss, out] = stepOnFreshBuffers(layout, inputs, count, blockSize(kinds.d, P), { bind: bindDiscriminatorStep, stepInto: discriminatorStepInto })
  const [discriminator, optimizerD] = networkOfBlock(dSpec, out, kinds.d, count + 1)
  return [loss, Object.freeze(stateWith(state, { discriminator, optimizerD, generatorStats: statsAfter(state, stats) }))]
}

/**
 * `updateG` for a state that passed {@link fastPathReady} and noise that passed
 * `checkBatch` (as `updateDFast`).
 */
const updateGFast = (state: GanState, noise: Matrix, draws: StepDraws): readonly [number, GanState] => {
  const config = state.config
  const layout = generatorStepLayout(stepSpec(config), noise.rows)
  const gSpec = generatorSpec(config)
  const P = paramCount(gSpec.layers, gSpec.inputSize)
  const kinds = { d: layout.spec.optimizerD.kind, g: layout.spec.optimizerG.kind }
  const current = networkBlock(state.generator, state.optimizerG, kinds.g, P)
  const discriminator = networkBlock(state.discriminator, state.optimizerD, kinds.d, paramCount(config.discriminator.layers, packOf(config) * dataWidth(config.data)))
  const count = state.optimizerG.count
  const stats = statsInputs(state)
  const inputs = { real: null, noise: viewOf(dataOf(noise)), dropout: viewOfOptional(draws.dropout), generator: current, discriminator, ...stats }
  const [loss, out] = stepOnFreshBuffers(layout, inputs, count, blockSize(kinds.g, P), { bind: bindGeneratorStep, stepInto: generatorStepInto })
  const [generator, optimizerG] = networkOfBlock(gSpec, out, kinds.g, count + 1)
  return [loss, Object.freeze(stateWith(state, { generator, optimizerG, generatorStats: statsAfter(state, stats) }))]
}

/**
 * SEED.md's `update_D`: one step of D's optimiser (the seed's Adam; lr `learningRateD`,
 * gradients rescaled by 1/n) on the discriminator's loss for the real minibatch `realBatch`
 * (n x d) and the noise `noise` (n x latentDim), then the objective's weight clipping, if any.
 * With the `wasserstein-gp` objective, `draws.interpolation` (n x 1, each weight in `[0, 1]`)
 * gives the penalty's interpolates (`trainIteration` draws it after the noise); without that
 * objective it must be absent (a `RangeError` otherwise). With dropout in D (a layer's `keep`
 * below 1), `draws.dropout` gives the uniforms of D's masks over the stacked batch
 * ({@link StepDraws}; `trainIteration` draws them after the noise); without, it must be
 * absent. With batch normalisation in G, G's training pass on the noise moves its running
 * statistics (`generatorStats`, docs/gan.md), and the noise must have at least 2 rows. Returns
 * the summed batch loss (penalties included) and the next state, in which only
 * `discriminator`, `optimizerD` and, with batch normalisation in G, `generatorStats` differ.
 *
 * @example
 * import { initialState, normalMatrix, runData, seedConfig, sliceRows, updateD } from 'pure-gan'
 * const s0 = initialState(seedConfig)
 * const [noise] = normalMatrix(s0.rng, 8, 2)
 * const [lossD, s1] = updateD(s0, sliceRows(runData(seedConfig), 0, 8), noise)
 *
 * @category transitions
 * @since 0.1.0
 */
export const updateD = (state: GanState, realBatch: Matrix, noise: Matrix, draws: StepDraws = {}): readonly [number, GanState] => {
  checkBatch('updateD', state.config, realBatch, noise)
  checkDraws('updateD', state.config, noise.rows, draws)
  checkStats('updateD', state)
  return fastPathReady(state, 1) ? updateDFast(state, realBatch, noise, draws) : updateDChecked(state, realBatch, noise, draws)
}

/**
 * `updateD` through the checked operations (the gradient, then the checked Adam step, then
 * the objective's weight clipping, if any, on fresh copies).
 */
const updateDChecked = (state: GanState, realBatch: Matrix, noise: Matrix, draws: StepDraws): readonly [number, GanState] => {
  const { loss, gradient, generatorStats } = discriminatorStepValues(state, realBatch, noise, draws)
  const [stepped, optimizerD] = optimizerFor(state.config, 'D', noise.rows).step(
    state.optimizerD,
    state.discriminator,
    gradient,
  )
  const clip = stepSpec(state.config).weightClip
  const discriminator = clip === null ? stepped : mapTree(stepped, (m) => clamped(m, clip))
  return [loss, Object.freeze(stateWith(state, { discriminator, optimizerD, generatorStats }))]
}

/** A fresh copy of `m` with every entry clamped to `[−bound, bound]`. */
const clamped = (m: Matrix, bound: number): Matrix => {
  const data = dataOf(m).slice()
  clampInPlace(viewOf(data), data.length, bound)
  return unsafeFromFloat64Array(m.rows, m.cols, data)
}

/**
 * SEED.md's `update_G`: one Adam step (lr `learningRateG`, gradients rescaled by 1/n) on
 * the generator's loss `Σ l(D(G(z)), 1)` for the noise `noise` (n x latentDim), through the
 * state's current discriminator. With dropout in D, `draws.dropout` gives the uniforms of D's
 * masks over `G(Z)` ({@link StepDraws}; `trainIteration` draws them after the last D update's
 * draws); without, it must be absent. With batch normalisation in G, its training pass moves
 * the running statistics as in `updateD`. Returns the summed batch loss and the next state, in
 * which only `generator`, `optimizerG` and, with batch normalisation, `generatorStats` differ.
 *
 * @category transitions
 * @since 0.1.0
 */
export const updateG = (state: GanState, noise: Matrix, draws: StepDraws = {}): readonly [number, GanState] => {
  checkBatch('updateG', state.config, null, noise)
  checkGeneratorDraws('updateG', state.config, noise.rows, draws)
  checkStats('updateG', state)
  return fastPathReady(state, 1) ? updateGFast(state, noise, draws) : updateGChecked(state, noise, draws)
}

/** `updateG` through the checked operations (the gradient, then the checked Adam step). */
const updateGChecked = (state: GanState, noise: Matrix, draws: StepDraws): readonly [number, GanState] => {
  const { loss, gradient, generatorStats } = generatorStepValues(state, noise, draws)
  const [generator, optimizerG] = optimizerFor(state.config, 'G', noise.rows).step(
    state.optimizerG,
    state.generator,
    gradient,
  )
  return [loss, Object.freeze(stateWith(state, { generator, optimizerG, generatorStats }))]
}
