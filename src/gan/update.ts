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
import { type Matrix, ShapeError, shapeOf, vconcat } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { expNegAbs, sigmoidBce, sigmoidBceGrad, sigmoidBceGradWithExp, sigmoidBceWithExp } from '../loss/sigmoid-bce.js'
import {
  type ForwardPlan,
  type LayerSpec,
  backward,
  backwardInto,
  backwardScratchSize,
  forward,
  forwardInto,
  forwardPlan,
  forwardSize,
  gradientViews,
  paramCount,
  paramsFit,
  predict,
} from '../nn/network.js'
import type { NetworkParams } from '../nn/network.js'
import { adam, adamNetworkReady, adamStepNetwork } from '../optim/adam.js'
import type { GanConfig } from './config.js'
import { type GanState, discriminatorSpec, generatorSpec, stateRecord } from './state.js'

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
    const width = config.data.b.length
    if (realBatch.cols !== width || realBatch.rows !== noise.rows) {
      throw new ShapeError(
        `${op}: the real batch must be (${noise.rows}x${width}) (as many rows as the noise, data width ${width}), got ${shapeOf(realBatch)} with noise ${shapeOf(noise)}`,
      )
    }
  }
}

// -------------------------------------------------------------------------------------
// the fast path: one workspace per update
// -------------------------------------------------------------------------------------

/**
 * True when the state can take the fast path: both networks' specs are valid and their
 * parameters fit them (what `predict`, `forward` and `backward` would check), G's output is
 * as wide as the data and D's output is one logit (what `vconcat` and `backward` would
 * check). Otherwise the reference path runs and throws the checked operations' errors.
 */
// Stryker disable next-line BlockStatement: an empty body returns undefined, so every state takes the checked path; the fast and the checked paths give the same bits (properties: kernels.test.ts, gan-update-paths.test.ts), so only the speed differs
const fitsFastPath = (config: GanConfig, generator: NetworkParams, discriminator: NetworkParams): boolean => {
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const width = config.data.b.length
  return (
    // Stryker disable next-line ConditionalExpression: the mutants to false send fitting states down the checked path, which gives the same bits (kernels.test.ts, gan-update-paths.test.ts); those to true are killed (gan-update-paths.test.ts: misfit states throw the checked errors)
    paramsFit(gLayers, config.latentDim, generator) &&
    paramsFit(dLayers, width, discriminator) &&
    (gLayers[gLayers.length - 1] as LayerSpec).units === width &&
    (dLayers[dLayers.length - 1] as LayerSpec).units === 1
  )
}

/** A loss and the gradient as a flat block `ws[gOff..]` in leaf order. */
interface FlatLossAndGradient {
  readonly loss: number
  readonly ws: Float64Array
  readonly gOff: number
  /** Where the Adam step may write its `3·P` results in `ws`, or -1: not reserved. */
  readonly outOff: number
}

/**
 * Workspaces up to this many entries (128 KB) also hold the Adam step's results, so that a
 * small update makes one allocation instead of two (an allocation outside the JavaScript
 * heap costs about a microsecond, as much as the rest of a seed-GAN update). The state then
 * keeps the whole block alive; the bound caps what that retains. Larger workspaces are
 * garbage as soon as the update returns.
 */
const SHARED_WORKSPACE = 16384

/** Where the Adam results go in a workspace of `size` entries: `size`, or -1 for a separate block. */
// Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,ArithmeticOperator: where the Adam results go (after the workspace, in its allocation, or in a block of their own for -1) changes no value: adamStepNetwork writes the same entries either way and the state's matrices are views of whichever block holds them; only the memory a state keeps alive differs
const resultsAt = (size: number, P: number, reserve: boolean): number => (reserve && size + 3 * P <= SHARED_WORKSPACE ? size : -1)

/**
 * The layout of the workspace of one discriminator update on `n` rows, in order: G's
 * forward pass, the stacked batch U = [X; G(Z)] (G's last layer writes straight into its
 * lower half), D's forward pass on U, the logits' gradient, D's backward scratch, D's
 * gradient (`P` entries, leaf order). It depends only on the config and `n`: a loop
 * computes it once.
 */
interface DiscriminatorPlan {
  readonly n: number
  /** The data width, D's input width. */
  readonly width: number
  readonly g: ForwardPlan
  readonly d: ForwardPlan
  readonly uOff: number
  readonly dlOff: number
  readonly scratchAt: number
  readonly gOff: number
  readonly P: number
  /** The entries the update uses, without the Adam results. */
  readonly size: number
}

const discriminatorPlan = (config: GanConfig, n: number): DiscriminatorPlan => {
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const width = config.data.b.length
  const n2 = 2 * n
  const uOff = forwardSize(gLayers, n)
  const g = forwardPlan(gLayers, n, 0, uOff + n * width)
  const d = forwardPlan(dLayers, n2, uOff + n2 * width, -1)
  const dlOff = d.end
  const scratchAt = dlOff + n2
  const gOff = scratchAt + backwardScratchSize(dLayers, n2)
  const P = paramCount(dLayers, width)
  return { n, width, g, d, uOff, dlOff, scratchAt, gOff, P, size: gOff + P }
}

/**
 * The layout of the workspace of one generator update on `n` rows, in order: G's forward
 * pass, D's forward pass on G's output, the logits' gradient, D's backward scratch,
 * `dL/dG(Z)`, G's backward scratch, G's gradient (`P` entries).
 */
interface GeneratorPlan {
  readonly n: number
  readonly width: number
  readonly g: ForwardPlan
  readonly d: ForwardPlan
  readonly dlOff: number
  readonly dScratch: number
  readonly dIn: number
  readonly gScratch: number
  readonly gOff: number
  readonly P: number
  readonly size: number
}

const generatorPlan = (config: GanConfig, n: number): GeneratorPlan => {
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const width = config.data.b.length
  const g = forwardPlan(gLayers, n, 0, -1)
  const d = forwardPlan(dLayers, n, g.end, -1)
  const dlOff = d.end
  const dScratch = dlOff + n
  const dIn = dScratch + backwardScratchSize(dLayers, n)
  const gScratch = dIn + n * width
  const gOff = gScratch + backwardScratchSize(gLayers, n)
  const P = paramCount(gLayers, config.latentDim)
  return { n, width, g, d, dlOff, dScratch, dIn, gScratch, gOff, P, size: gOff + P }
}

/**
 * The plans of both updates for minibatches of `n` rows, which a loop computes once and
 * lends its steps ({@link updateDFast}, {@link updateGFast}); `size` is the workspace that
 * serves both.
 *
 * @internal
 */
export interface UpdatePlans {
  readonly d: DiscriminatorPlan
  readonly g: GeneratorPlan
  readonly size: number
}

/**
 * {@link UpdatePlans} for `config` and minibatches of `n` rows.
 *
 * @internal
 */
export const updatePlans = (config: GanConfig, n: number): UpdatePlans => {
  const d = discriminatorPlan(config, n)
  const g = generatorPlan(config, n)
  return { d, g, size: Math.max(d.size, g.size) }
}

/**
 * D's summed loss over the stacked logits `ws[z..z+2n)` (the n real ones, then the n fake
 * ones), `Σ_i (l(zr_i, 1) + l(zf_i, 0)) / 2` summed in row order, and its gradient
 * `dL/dlogit` into `ws[dlOff..dlOff+2n)`. Each logit's exponential is shared by its loss
 * and its gradient. A separate small function so that the optimising compiler takes it up
 * within the first epoch (see docs/performance.md).
 */
const discriminatorLossInto = (ws: Float64Array, z: number, n: number, dlOff: number): number => {
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zr = ws[z + i]!
    const zf = ws[z + n + i]!
    const er = expNegAbs(zr)
    const ef = expNegAbs(zf)
    loss += (sigmoidBceWithExp(zr, 1, er) + sigmoidBceWithExp(zf, 0, ef)) / 2
    ws[dlOff + i] = sigmoidBceGradWithExp(zr, 1, er) * 0.5
    ws[dlOff + n + i] = sigmoidBceGradWithExp(zf, 0, ef) * 0.5
  }
  return loss
}

/**
 * G's summed non-saturating loss over the logits `ws[z..z+n)`, `Σ_i l(z_i, 1)` in row
 * order, and its gradient `dL/dlogit` into `ws[dlOff..dlOff+n)`.
 */
const generatorLossInto = (ws: Float64Array, z: number, n: number, dlOff: number): number => {
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zi = ws[z + i]!
    const e = expNegAbs(zi)
    loss += sigmoidBceWithExp(zi, 1, e)
    ws[dlOff + i] = sigmoidBceGradWithExp(zi, 1, e)
  }
  return loss
}

/**
 * `discriminatorLossAndGradient` over one workspace (layout, in order: G's forward pass,
 * the stacked batch U = [X; G(Z)], D's forward pass, the logits' gradient, D's backward
 * scratch, D's gradient). The arithmetic is that of the reference path, operation by
 * operation: G's last layer writes straight into U's lower half, and D's backward pass
 * skips the gradient with respect to U, which nothing uses.
 */
const discriminatorFlat = (
  state: GanState,
  realBatch: Matrix,
  noise: Matrix,
  reserve: boolean,
  scratch: Float64Array | null,
  plan: DiscriminatorPlan,
): FlatLossAndGradient => {
  const dLayers = state.config.discriminator.layers
  const n = plan.n
  const gOff = plan.gOff
  const P = plan.P
  const own = scratch === null || scratch.length < plan.size
  const outOff = own ? resultsAt(plan.size, P, reserve) : -1
  // Stryker disable next-line ConditionalExpression,EqualityOperator: outOff < 0 -> false or <= 0 only allocates 3·P more entries than needed (outOff is never 0: it is -1 or plan.size > 0); own -> true/false and outOff < 0 -> true, on this line too, are killed by the tests
  const ws = own ? new Float64Array(outOff < 0 ? plan.size : plan.size + 3 * P) : scratch
  ws.set(dataOf(realBatch), plan.uOff)
  forwardInto(state.config.generator.layers, state.generator, dataOf(noise), 0, ws, plan.g)
  forwardInto(dLayers, state.discriminator, ws, plan.uOff, ws, plan.d)
  const loss = discriminatorLossInto(ws, plan.d.outOffs[dLayers.length - 1]!, n, plan.dlOff)
  backwardInto(dLayers, state.discriminator, plan.width, plan.d, ws, plan.uOff, ws, ws, plan.dlOff, ws, gOff, null, 0, plan.scratchAt)
  return { loss, ws, gOff, outOff }
}

/**
 * `generatorLossAndGradient` over one workspace (G's forward pass, D's forward pass on G's
 * output, the logits' gradient, D's backward scratch, `dL/dG(Z)`, G's backward scratch, G's
 * gradient). D's backward pass computes only the chain to its input (D's own parameter
 * gradients are not used); G's skips the gradient with respect to the noise.
 */
const generatorFlat = (
  state: GanState,
  noise: Matrix,
  reserve: boolean,
  scratch: Float64Array | null,
  plan: GeneratorPlan,
): FlatLossAndGradient => {
  const config = state.config
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const n = plan.n
  const gOff = plan.gOff
  const P = plan.P
  const own = scratch === null || scratch.length < plan.size
  const outOff = own ? resultsAt(plan.size, P, reserve) : -1
  // Stryker disable next-line ConditionalExpression,EqualityOperator: outOff < 0 -> false or <= 0 only allocates 3·P more entries than needed (outOff is never 0: it is -1 or plan.size > 0); own -> true/false and outOff < 0 -> true, on this line too, are killed by the tests
  const ws = own ? new Float64Array(outOff < 0 ? plan.size : plan.size + 3 * P) : scratch
  const z = dataOf(noise)
  const fakeOff = plan.g.outOffs[gLayers.length - 1]!
  forwardInto(gLayers, state.generator, z, 0, ws, plan.g)
  forwardInto(dLayers, state.discriminator, ws, fakeOff, ws, plan.d)
  const loss = generatorLossInto(ws, plan.d.outOffs[dLayers.length - 1]!, n, plan.dlOff)
  backwardInto(dLayers, state.discriminator, plan.width, plan.d, ws, fakeOff, ws, ws, plan.dlOff, null, 0, ws, plan.dIn, plan.dScratch)
  backwardInto(gLayers, state.generator, config.latentDim, plan.g, z, 0, ws, ws, plan.dIn, ws, gOff, null, 0, plan.gScratch)
  return { loss, ws, gOff, outOff }
}

// -------------------------------------------------------------------------------------
// gradients
// -------------------------------------------------------------------------------------

/**
 * The discriminator's summed loss `Σ_i (l(D(x_i), 1) + l(D(G(z_i)), 0)) / 2` and its
 * gradient with respect to D's parameters (G is held fixed: no gradient reaches it).
 * D runs once on the stacked batch `[X; G(Z)]` (2n rows), so the gradient is one
 * backward pass with `dL/dlogit_i = (sigmoid(logit_i) - y_i) / 2`.
 *
 * @category gradients
 * @since 0.1.0
 */
export const discriminatorLossAndGradient = (state: GanState, realBatch: Matrix, noise: Matrix): LossAndGradient => {
  checkBatch('updateD', state.config, realBatch, noise)
  const config = state.config
  // Stryker disable next-line ConditionalExpression: -> true sends every state down the reference path, which gives the same bits for states that fit (kernels.test.ts: the fused path equals the reference chain bit for bit); -> false is killed (gan-update-paths.test.ts: misfit states throw the checked errors)
  if (!fitsFastPath(config, state.generator, state.discriminator)) return discriminatorByLayer(state, realBatch, noise)
  // Stryker disable next-line BooleanLiteral: reserving room for Adam results that this function never computes only makes the workspace 3·P entries longer; the gradient is copied out of it
  const { loss, ws, gOff } = discriminatorFlat(state, realBatch, noise, false, null, discriminatorPlan(config, noise.rows))
  const width = config.data.b.length
  const g = ws.slice(gOff, gOff + paramCount(config.discriminator.layers, width))
  return { loss, gradient: gradientViews(config.discriminator.layers, width, g, 0) }
}

/**
 * The generator's summed non-saturating loss `Σ_i l(D(G(z_i)), 1)` and its gradient with
 * respect to G's parameters, through the current D: D's backward pass yields
 * `dL/dG(Z)`, which G's backward pass carries to G's parameters. D is not changed.
 *
 * @category gradients
 * @since 0.1.0
 */
export const generatorLossAndGradient = (state: GanState, noise: Matrix): LossAndGradient => {
  checkBatch('updateG', state.config, null, noise)
  const config = state.config
  // Stryker disable next-line ConditionalExpression: -> true sends every state down the reference path, which gives the same bits for states that fit (kernels.test.ts: the fused path equals the reference chain bit for bit); -> false is killed (gan-update-paths.test.ts: misfit states throw the checked errors)
  if (!fitsFastPath(config, state.generator, state.discriminator)) return generatorByLayer(state, noise)
  // Stryker disable next-line BooleanLiteral: reserving room for Adam results that this function never computes only makes the workspace 3·P entries longer; the gradient is copied out of it
  const { loss, ws, gOff } = generatorFlat(state, noise, false, null, generatorPlan(config, noise.rows))
  const g = ws.slice(gOff, gOff + paramCount(config.generator.layers, config.latentDim))
  return { loss, gradient: gradientViews(config.generator.layers, config.latentDim, g, 0) }
}

// -------------------------------------------------------------------------------------
// reference path
// -------------------------------------------------------------------------------------

/**
 * The reference form of {@link discriminatorLossAndGradient}, one checked network operation
 * at a time: what runs when the state does not pass the fast path's checks, so that errors
 * are the checked operations' own. The discriminator's summed loss `Σ_i (l(D(x_i), 1) + l(D(G(z_i)), 0)) / 2` and its
 * gradient with respect to D's parameters (G is held fixed: no gradient reaches it).
 * D runs once on the stacked batch `[X; G(Z)]` (2n rows), so the gradient is one
 * backward pass with `dL/dlogit_i = (sigmoid(logit_i) - y_i) / 2`.
 */
const discriminatorByLayer = (state: GanState, realBatch: Matrix, noise: Matrix): LossAndGradient => {
  const n = noise.rows
  const fake = predict(generatorSpec(state.config), state.generator, noise)
  const dSpec = discriminatorSpec(state.config)
  const { output: logits, cache } = forward(dSpec, state.discriminator, vconcat(realBatch, fake))
  const z = logits.data
  // Stryker disable next-line ArithmeticOperator: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
  const dLogits = new Float64Array(2 * n)
  let loss = 0
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
  for (let i = 0; i < n; i++) {
    const zr = z[i] as number
    const zf = z[n + i] as number
    // Stryker disable next-line AssignmentOperator,ArithmeticOperator: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
    loss += (sigmoidBce(zr, 1) + sigmoidBce(zf, 0)) / 2
    // Stryker disable next-line ArithmeticOperator: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
    dLogits[i] = sigmoidBceGrad(zr, 1) * 0.5
    // Stryker disable next-line ArithmeticOperator: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
    dLogits[n + i] = sigmoidBceGrad(zf, 0) * 0.5
  }
  const { grads } = backward(dSpec, state.discriminator, cache, unsafeFromFloat64Array(2 * n, 1, dLogits))
  // Stryker disable next-line ObjectLiteral: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
  return { loss, gradient: grads }
}

/**
 * The reference form of {@link generatorLossAndGradient}. The generator's summed non-saturating loss `Σ_i l(D(G(z_i)), 1)` and its gradient with
 * respect to G's parameters, through the current D: D's backward pass yields
 * `dL/dG(Z)`, which G's backward pass carries to G's parameters. D is not changed.
 */
const generatorByLayer = (state: GanState, noise: Matrix): LossAndGradient => {
  const n = noise.rows
  const gSpec = generatorSpec(state.config)
  const dSpec = discriminatorSpec(state.config)
  const g = forward(gSpec, state.generator, noise)
  const d = forward(dSpec, state.discriminator, g.output)
  const z = d.output.data
  const dLogits = new Float64Array(n)
  let loss = 0
  // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
  for (let i = 0; i < n; i++) {
    const zi = z[i] as number
    // Stryker disable next-line AssignmentOperator: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
    loss += sigmoidBce(zi, 1)
    dLogits[i] = sigmoidBceGrad(zi, 1)
  }
  const { dInput } = backward(dSpec, state.discriminator, d.cache, unsafeFromFloat64Array(n, 1, dLogits))
  const { grads } = backward(gSpec, state.generator, g.cache, dInput)
  // Stryker disable next-line ObjectLiteral: the reference path runs only for states that fail fitsFastPath, and for every such state it throws before returning (G's params: predict; D's params: forward; G's width: vconcat / D's input check; D's logits not one column: backward's dOutput check), so the loss and logit gradient computed here are never observed
  return { loss, gradient: grads }
}

// -------------------------------------------------------------------------------------
// transitions
// -------------------------------------------------------------------------------------

const adamFor = (config: GanConfig, learningRate: number, batchRows: number) =>
  adam({ learningRate, ...config.adam, rescaleGrad: 1 / batchRows })


/**
 * True when `steps` consecutive updates of this state take the fast path: both networks fit
 * their specs (what the checked operations check), and both Adam steps would compute
 * exactly as `adamFor(...).step` without an error or a default (`adamNetworkReady`). The
 * fast updates keep all of this true for their results (same config, same shapes, the same
 * frozen `{ W, b }` structure, counts + 1), so a loop checks once (`trainEpoch` does, per
 * epoch) and then calls {@link updateDFast} / {@link updateGFast} directly.
 *
 * @internal
 */
// Stryker disable next-line BlockStatement: an empty body returns undefined, so every update (and trainEpoch) takes the checked path; the fast and the checked paths give the same bits (properties: kernels.test.ts, gan-update-paths.test.ts), so only the speed differs
export const fastPathReady = (state: GanState, steps: number): boolean => {
  const config = state.config
  return (
    // Stryker disable next-line ConditionalExpression: the mutants to false send ready states down the checked path, which gives the same bits; those to true are killed (gan-update-paths.test.ts: states that are not ready get the checked step or its error)
    fitsFastPath(config, state.generator, state.discriminator) &&
    adamNetworkReady(config.learningRateD, config.adam, state.optimizerD, state.discriminator, steps) &&
    adamNetworkReady(config.learningRateG, config.adam, state.optimizerG, state.generator, steps)
  )
}

/**
 * `updateD` for a state that passed {@link fastPathReady} and a batch that passed
 * `checkBatch`: the gradient over one workspace, then Adam on the flat gradient. Bit for
 * bit the checked path (a property checks it against reference loops). With `freeze`
 * false the returned record is left unfrozen (everything in it is frozen): for a loop's
 * intermediate states, which never escape it (copying a frozen record is four times slower).
 *
 * A loop may also lend the step what it computes once (`trainEpoch` does): `plans`, the
 * {@link updatePlans} for this batch's rows; `scratch`, a workspace the step may overwrite
 * (its contents on entry are never read; used when it holds this update's own plan size,
 * which `plans.size` covers for both updates, otherwise the step allocates its own); and `out`, where the Adam step writes the new
 * parameters and moments (`3·P` entries from `outOff`, never written before and never
 * written afterwards: the new state's matrices are views of them). Without them the step
 * computes and allocates its own.
 *
 * @internal
 */
export const updateDFast = (
  state: GanState,
  realBatch: Matrix,
  noise: Matrix,
  freeze = true,
  plans: UpdatePlans | null = null,
  scratch: Float64Array | null = null,
  out: Float64Array | null = null,
  outOff = 0,
): readonly [number, GanState] => {
  const config = state.config
  // Stryker disable next-line ConditionalExpression: plans !== null -> false computes the very plan the caller lent (a plan depends only on the config and n); -> true is killed
  const plan = plans !== null ? plans.d : discriminatorPlan(config, noise.rows)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: whether the workspace reserves room for the results when no block is lent only decides where they live (see resultsAt): the same values
  const r = discriminatorFlat(state, realBatch, noise, out === null, scratch, plan)
  const [discriminator, optimizerD] = adamStepNetwork(
    config.learningRateD,
    config.adam,
    1 / noise.rows,
    state.optimizerD,
    state.discriminator,
    r.ws,
    r.gOff,
    // Stryker disable next-line ConditionalExpression,EqualityOperator: out !== null -> true and r.outOff < 0 -> true or <= 0 (outOff is -1 or > 0) only let adamStepNetwork allocate a fresh block instead of using the workspace's room: the same values; a lent block (out) is still used, and the mutants that drop it are killed
    out !== null ? out : r.outOff < 0 ? null : r.ws,
    out !== null ? outOff : r.outOff,
  )
  const next = stateRecord(config, state.generator, discriminator, state.optimizerG, optimizerD, state.rng, state.step, state.epoch)
  return [r.loss, freeze ? Object.freeze(next) : next]
}

/**
 * `updateG` for a state that passed {@link fastPathReady} and noise that passed
 * `checkBatch`; `plans`, `scratch` and `out` as for {@link updateDFast}.
 *
 * @internal
 */
export const updateGFast = (
  state: GanState,
  noise: Matrix,
  freeze = true,
  plans: UpdatePlans | null = null,
  scratch: Float64Array | null = null,
  out: Float64Array | null = null,
  outOff = 0,
): readonly [number, GanState] => {
  const config = state.config
  // Stryker disable next-line ConditionalExpression: plans !== null -> false computes the very plan the caller lent (a plan depends only on the config and n); -> true is killed
  const plan = plans !== null ? plans.g : generatorPlan(config, noise.rows)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: whether the workspace reserves room for the results when no block is lent only decides where they live (see resultsAt): the same values
  const r = generatorFlat(state, noise, out === null, scratch, plan)
  const [generator, optimizerG] = adamStepNetwork(
    config.learningRateG,
    config.adam,
    1 / noise.rows,
    state.optimizerG,
    state.generator,
    r.ws,
    r.gOff,
    // Stryker disable next-line ConditionalExpression,EqualityOperator: out !== null -> true and r.outOff < 0 -> true or <= 0 (outOff is -1 or > 0) only let adamStepNetwork allocate a fresh block instead of using the workspace's room: the same values; a lent block (out) is still used, and the mutants that drop it are killed
    out !== null ? out : r.outOff < 0 ? null : r.ws,
    out !== null ? outOff : r.outOff,
  )
  const next = stateRecord(config, generator, state.discriminator, optimizerG, state.optimizerD, state.rng, state.step, state.epoch)
  return [r.loss, freeze ? Object.freeze(next) : next]
}

/**
 * SEED.md's `update_D`: one Adam step (lr `learningRateD`, gradients rescaled by 1/n) on
 * the discriminator's loss for the real minibatch `realBatch` (n x d) and the noise `noise`
 * (n x latentDim). Returns the summed batch loss and the next state, in which only
 * `discriminator` and `optimizerD` differ.
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
export const updateD = (state: GanState, realBatch: Matrix, noise: Matrix): readonly [number, GanState] => {
  checkBatch('updateD', state.config, realBatch, noise)
  return fastPathReady(state, 1) ? updateDFast(state, realBatch, noise) : updateDChecked(state, realBatch, noise)
}

/** `updateD` through the checked operations (the gradient, then the checked Adam step). */
const updateDChecked = (state: GanState, realBatch: Matrix, noise: Matrix): readonly [number, GanState] => {
  const { loss, gradient } = discriminatorLossAndGradient(state, realBatch, noise)
  const [discriminator, optimizerD] = adamFor(state.config, state.config.learningRateD, noise.rows).step(
    state.optimizerD,
    state.discriminator,
    gradient,
  )
  return [loss, Object.freeze(stateRecord(state.config, state.generator, discriminator, state.optimizerG, optimizerD, state.rng, state.step, state.epoch))]
}

/**
 * SEED.md's `update_G`: one Adam step (lr `learningRateG`, gradients rescaled by 1/n) on
 * the generator's loss `Σ l(D(G(z)), 1)` for the noise `noise` (n x latentDim), through the
 * state's current discriminator. Returns the summed batch loss and the next state, in which
 * only `generator` and `optimizerG` differ.
 *
 * @category transitions
 * @since 0.1.0
 */
export const updateG = (state: GanState, noise: Matrix): readonly [number, GanState] => {
  checkBatch('updateG', state.config, null, noise)
  return fastPathReady(state, 1) ? updateGFast(state, noise) : updateGChecked(state, noise)
}

/** `updateG` through the checked operations (the gradient, then the checked Adam step). */
const updateGChecked = (state: GanState, noise: Matrix): readonly [number, GanState] => {
  const { loss, gradient } = generatorLossAndGradient(state, noise)
  const [generator, optimizerG] = adamFor(state.config, state.config.learningRateG, noise.rows).step(
    state.optimizerG,
    state.generator,
    gradient,
  )
  return [loss, Object.freeze(stateRecord(state.config, generator, state.discriminator, optimizerG, state.optimizerD, state.rng, state.step, state.epoch))]
}
