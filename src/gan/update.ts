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
import { sigmoidBce, sigmoidBceGrad, sigmoidBceGradWithExp, sigmoidBceWithSoftplus, softplusTermsInto } from '../loss/sigmoid-bce.js'
import {
  type FlatBlock,
  type ForwardPlan,
  type LayerSpec,
  backward,
  backwardInto,
  backwardScratchSize,
  flatBlock,
  forward,
  forwardInto,
  forwardPlan,
  forwardSize,
  paramCount,
  paramViews,
  paramsFit,
  predict,
} from '../nn/network.js'
import type { NetworkParams } from '../nn/network.js'
import { type AdamState, adam, adamFlatInto, adamNetworkReady } from '../optim/adam.js'
import type { ParamTree } from '../tree/param-tree.js'
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
const fitsFastPath = (config: GanConfig, generator: NetworkParams, discriminator: NetworkParams): boolean => {
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  const width = config.data.b.length
  return (
    paramsFit(gLayers, config.latentDim, generator) &&
    paramsFit(dLayers, width, discriminator) &&
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
  readonly latentDim: number
  readonly gLayers: ReadonlyArray<LayerSpec>
  readonly dLayers: ReadonlyArray<LayerSpec>
  readonly g: ForwardPlan
  readonly d: ForwardPlan
  readonly uOff: number
  /** Where D's logits are. */
  readonly zOff: number
  readonly dlOff: number
  /** The logits' softplus terms `log1p(exp(-|z|))`, one per logit. */
  readonly softplusOff: number
  readonly scratchAt: number
  readonly gOff: number
  /** D's parameter count. */
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
  const softplusOff = dlOff + n2
  const scratchAt = softplusOff + n2
  const gOff = scratchAt + backwardScratchSize(dLayers, n2)
  const P = paramCount(dLayers, width)
  const zOff = d.outOffs[dLayers.length - 1]!
  return { n, width, latentDim: config.latentDim, gLayers, dLayers, g, d, uOff, zOff, dlOff, softplusOff, scratchAt, gOff, P, size: gOff + P }
}

/**
 * The layout of the workspace of one generator update on `n` rows, in order: G's forward
 * pass, D's forward pass on G's output, the logits' gradient, D's backward scratch,
 * `dL/dG(Z)`, G's backward scratch, G's gradient (`P` entries).
 */
interface GeneratorPlan {
  readonly n: number
  readonly width: number
  readonly latentDim: number
  readonly gLayers: ReadonlyArray<LayerSpec>
  readonly dLayers: ReadonlyArray<LayerSpec>
  readonly g: ForwardPlan
  readonly d: ForwardPlan
  /** Where G's output (the fake batch) is. */
  readonly fakeOff: number
  /** Where D's logits are. */
  readonly zOff: number
  readonly dlOff: number
  /** The logits' softplus terms `log1p(exp(-|z|))`, one per logit. */
  readonly softplusOff: number
  readonly dScratch: number
  readonly dIn: number
  readonly gScratch: number
  readonly gOff: number
  /** G's parameter count. */
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
  const softplusOff = dlOff + n
  const dScratch = softplusOff + n
  const dIn = dScratch + backwardScratchSize(dLayers, n)
  const gScratch = dIn + n * width
  const gOff = gScratch + backwardScratchSize(gLayers, n)
  const P = paramCount(gLayers, config.latentDim)
  const fakeOff = g.outOffs[gLayers.length - 1]!
  const zOff = d.outOffs[dLayers.length - 1]!
  return { n, width, latentDim: config.latentDim, gLayers, dLayers, g, d, fakeOff, zOff, dlOff, softplusOff, dScratch, dIn, gScratch, gOff, P, size: gOff + P }
}

/**
 * The plans of both updates for minibatches of `n` rows, which a loop computes once and
 * lends its steps ({@link discriminatorStepInto}, {@link generatorStepInto}); `size` is the
 * workspace that serves both.
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
 * and its gradient.
 */
const discriminatorLossInto = (ws: Float64Array, plan: DiscriminatorPlan): number => {
  const { n, zOff: z, dlOff, softplusOff: sp } = plan
  softplusTermsInto(ws, z, dlOff, sp, 2 * n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zr = ws[z + i]!
    const zf = ws[z + n + i]!
    loss += (sigmoidBceWithSoftplus(zr, 1, ws[sp + i]!) + sigmoidBceWithSoftplus(zf, 0, ws[sp + n + i]!)) / 2
    ws[dlOff + i] = sigmoidBceGradWithExp(zr, 1, ws[dlOff + i]!) * 0.5
    ws[dlOff + n + i] = sigmoidBceGradWithExp(zf, 0, ws[dlOff + n + i]!) * 0.5
  }
  return loss
}

/**
 * G's summed non-saturating loss over the logits `ws[z..z+n)`, `Σ_i l(z_i, 1)` in row
 * order, and its gradient `dL/dlogit` into `ws[dlOff..dlOff+n)`.
 */
const generatorLossInto = (ws: Float64Array, plan: GeneratorPlan): number => {
  const { n, zOff: z, dlOff, softplusOff: sp } = plan
  softplusTermsInto(ws, z, dlOff, sp, n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zi = ws[z + i]!
    loss += sigmoidBceWithSoftplus(zi, 1, ws[sp + i]!)
    ws[dlOff + i] = sigmoidBceGradWithExp(zi, 1, ws[dlOff + i]!)
  }
  return loss
}

/**
 * `discriminatorLossAndGradient` over one workspace `ws` (layout: `plan`), for the real
 * batch `x[xOff..]` and the noise `z[zOff..]` (`plan.n` rows each, row-major) and the
 * networks' parameters as flat blocks in leaf order, G's at `gp[gpOff..]` and D's at
 * `dp[dpOff..]`. Leaves the gradient in `ws` at `plan.gOff` and returns the loss. The
 * arithmetic is that of the reference path, operation by operation: G's last layer writes
 * straight into U's lower half, and D's backward pass skips the gradient with respect to U,
 * which nothing uses.
 */
const discriminatorGradientInto = (
  plan: DiscriminatorPlan,
  x: Float64Array,
  xOff: number,
  z: Float64Array,
  zOff: number,
  gp: Float64Array,
  gpOff: number,
  dp: Float64Array,
  dpOff: number,
  ws: Float64Array,
): number => {
  const uOff = plan.uOff
  const real = plan.n * plan.width
  // Stryker disable next-line EqualityOperator: i <= real copies one more entry (x past the batch, possibly undefined) into ws[uOff + n·width], the first entry of U's lower half, which G's forward pass right below overwrites with its output (n·width >= 1 entries; the kernels never read what an output held before, and the workspace's contents on entry are garbage in the properties); i >= real is killed
  for (let i = 0; i < real; i++) ws[uOff + i] = x[xOff + i]!
  forwardInto(plan.gLayers, plan.latentDim, gp, gpOff, z, zOff, ws, plan.g)
  forwardInto(plan.dLayers, plan.width, dp, dpOff, ws, uOff, ws, plan.d)
  const loss = discriminatorLossInto(ws, plan)
  backwardInto(plan.dLayers, plan.width, dp, dpOff, plan.d, ws, uOff, ws, ws, plan.dlOff, ws, plan.gOff, null, 0, plan.scratchAt)
  return loss
}

/**
 * `generatorLossAndGradient` over one workspace (layout: `plan`), for the noise `z[zOff..]`
 * and flat parameters as for {@link discriminatorGradientInto}; leaves G's gradient at
 * `plan.gOff`. D's backward pass computes only the chain to its input (D's own parameter
 * gradients are not used); G's skips the gradient with respect to the noise.
 */
const generatorGradientInto = (
  plan: GeneratorPlan,
  z: Float64Array,
  zOff: number,
  gp: Float64Array,
  gpOff: number,
  dp: Float64Array,
  dpOff: number,
  ws: Float64Array,
): number => {
  const fakeOff = plan.fakeOff
  forwardInto(plan.gLayers, plan.latentDim, gp, gpOff, z, zOff, ws, plan.g)
  forwardInto(plan.dLayers, plan.width, dp, dpOff, ws, fakeOff, ws, plan.d)
  const loss = generatorLossInto(ws, plan)
  backwardInto(plan.dLayers, plan.width, dp, dpOff, plan.d, ws, fakeOff, ws, ws, plan.dlOff, null, 0, ws, plan.dIn, plan.dScratch)
  backwardInto(plan.gLayers, plan.latentDim, gp, gpOff, plan.g, z, zOff, ws, ws, plan.dIn, ws, plan.gOff, null, 0, plan.gScratch)
  return loss
}

/**
 * SEED.md's `update_D` on networks stored flat, the step a loop runs: each network is one
 * `[w | m | v]` block (its parameters, then Adam's two moments, each in leaf order), G's at
 * `g[gOff..]` (only its parameters are read) and D's at `d[dOff..]`, with D's Adam count
 * `countD`; the real batch is `x[xOff..]` and the noise `z[zOff..]` (`plan.n` rows each).
 * Writes D's new `[w' | m' | v']` into `out[outOff..outOff + 3P)` and returns the summed
 * loss. Bit for bit `updateD` (a property checks it).
 *
 * Unchecked: the caller has established {@link fastPathReady} and lends `plan`
 * ({@link updatePlans}), `ws` (a workspace of at least `plan.size` entries, overwritten;
 * its contents on entry are never read) and `out` (a stretch never written before and
 * never written afterwards, so that the blocks read later stay values).
 *
 * @internal
 */
export const discriminatorStepInto = (
  config: GanConfig,
  plan: DiscriminatorPlan,
  x: Float64Array,
  xOff: number,
  z: Float64Array,
  zOff: number,
  g: Float64Array,
  gOff: number,
  d: Float64Array,
  dOff: number,
  countD: number,
  ws: Float64Array,
  out: Float64Array,
  outOff: number,
): number => {
  const loss = discriminatorGradientInto(plan, x, xOff, z, zOff, g, gOff, d, dOff, ws)
  adamFlatInto(config.learningRateD, config.adam, 1 / plan.n, countD, plan.P, ws, plan.gOff, d, dOff, out, outOff)
  return loss
}

/**
 * SEED.md's `update_G` on networks stored flat (as {@link discriminatorStepInto}; only D's
 * parameters are read): writes G's new `[w' | m' | v']` into `out[outOff..outOff + 3P)`
 * and returns the summed loss.
 *
 * @internal
 */
export const generatorStepInto = (
  config: GanConfig,
  plan: GeneratorPlan,
  z: Float64Array,
  zOff: number,
  g: Float64Array,
  gOff: number,
  d: Float64Array,
  dOff: number,
  countG: number,
  ws: Float64Array,
  out: Float64Array,
  outOff: number,
): number => {
  const loss = generatorGradientInto(plan, z, zOff, g, gOff, d, dOff, ws)
  adamFlatInto(config.learningRateG, config.adam, 1 / plan.n, countG, plan.P, ws, plan.gOff, g, gOff, out, outOff)
  return loss
}

/**
 * A network's `[w | m | v]` block (see {@link discriminatorStepInto}): the state's own
 * array when its parameters and moments already lie that way in one (every state an update
 * made), else a copy.
 *
 * @internal
 */
export const networkBlock = (params: NetworkParams, optimizer: AdamState, P: number): FlatBlock =>
  flatBlock([params, optimizer.m as unknown as NetworkParams, optimizer.v as unknown as NetworkParams], 3 * P)

/**
 * The parameters and the Adam state (count `count`) whose matrices are views of the
 * `[w | m | v]` block `block[off..]` of a network with these layers (frozen, as every record
 * of a state).
 *
 * @internal
 */
export const networkOfBlock = (
  layers: ReadonlyArray<LayerSpec>,
  inputSize: number,
  block: Float64Array,
  off: number,
  P: number,
  count: number,
): readonly [NetworkParams, AdamState] => {
  const params = paramViews(layers, inputSize, block, off)
  const m = paramViews(layers, inputSize, block, off + P) as unknown as ParamTree
  const v = paramViews(layers, inputSize, block, off + 2 * P) as unknown as ParamTree
  return [params, Object.freeze({ count, m, v })]
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
  const plan = discriminatorPlan(config, noise.rows)
  const ws = new Float64Array(plan.size)
  const g = flatBlock([state.generator], paramCount(plan.gLayers, plan.latentDim))
  const d = flatBlock([state.discriminator], plan.P)
  const loss = discriminatorGradientInto(plan, dataOf(realBatch), 0, dataOf(noise), 0, g.data, g.off, d.data, d.off, ws)
  return { loss, gradient: paramViews(plan.dLayers, plan.width, ws.slice(plan.gOff, plan.gOff + plan.P), 0) }
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
  const plan = generatorPlan(config, noise.rows)
  const ws = new Float64Array(plan.size)
  const g = flatBlock([state.generator], plan.P)
  const d = flatBlock([state.discriminator], paramCount(plan.dLayers, plan.width))
  const loss = generatorGradientInto(plan, dataOf(noise), 0, g.data, g.off, d.data, d.off, ws)
  return { loss, gradient: paramViews(plan.gLayers, plan.latentDim, ws.slice(plan.gOff, plan.gOff + plan.P), 0) }
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

/**
 * Adam with the config's constants: `config.adam` first, then the network's learning rate and
 * the batch's rescaling, so that a key in `config.adam` that Adam knows (`learningRate`,
 * `rescaleGrad`) can never override them, while one it does not know still reaches Adam's
 * option check (a `RangeError`). validateConfig refuses both kinds.
 */
const adamFor = (config: GanConfig, learningRate: number, batchRows: number) =>
  adam({ ...config.adam, learningRate, rescaleGrad: 1 / batchRows })


/**
 * True when `steps` consecutive updates of this state take the fast path: both networks fit
 * their specs (what the checked operations check), and both Adam steps would compute
 * exactly as `adamFor(...).step` without an error or a default (`adamNetworkReady`). The
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
    adamNetworkReady(config.learningRateD, config.adam, state.optimizerD, state.discriminator, steps) &&
    adamNetworkReady(config.learningRateG, config.adam, state.optimizerG, state.generator, steps)
  )
}

/**
 * One update's buffers: a workspace of `size` entries and where the `3P` results go, `[ws,
 * out, outOff]`: after the workspace in the same allocation when both fit in
 * {@link SHARED_WORKSPACE} entries, else a block of their own.
 */
const updateBuffers = (size: number, P: number): readonly [Float64Array, Float64Array, number] => {
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: whether the results share the workspace's allocation or have their own changes no value, only which block the state's matrices are views of
  const shared = size + 3 * P <= SHARED_WORKSPACE
  const ws = new Float64Array(shared ? size + 3 * P : size)
  return shared ? [ws, ws, size] : [ws, new Float64Array(3 * P), 0]
}

/**
 * `updateD` for a state that passed {@link fastPathReady} and a batch that passed
 * `checkBatch`: {@link discriminatorStepInto} on the state's networks as `[w | m | v]`
 * blocks, into one allocation (workspace and results, or two when large), then the next
 * state, whose new matrices are views of the results.
 */
const updateDFast = (state: GanState, realBatch: Matrix, noise: Matrix): readonly [number, GanState] => {
  const config = state.config
  const plan = discriminatorPlan(config, noise.rows)
  const P = plan.P
  const g = networkBlock(state.generator, state.optimizerG, paramCount(plan.gLayers, plan.latentDim))
  const d = networkBlock(state.discriminator, state.optimizerD, P)
  const [ws, out, outOff] = updateBuffers(plan.size, P)
  const count = state.optimizerD.count
  const loss = discriminatorStepInto(config, plan, dataOf(realBatch), 0, dataOf(noise), 0, g.data, g.off, d.data, d.off, count, ws, out, outOff)
  const [discriminator, optimizerD] = networkOfBlock(plan.dLayers, plan.width, out, outOff, P, count + 1)
  return [loss, Object.freeze(stateRecord(config, state.generator, discriminator, state.optimizerG, optimizerD, state.rng, state.step, state.epoch))]
}

/**
 * `updateG` for a state that passed {@link fastPathReady} and noise that passed
 * `checkBatch` (as `updateDFast`).
 */
const updateGFast = (state: GanState, noise: Matrix): readonly [number, GanState] => {
  const config = state.config
  const plan = generatorPlan(config, noise.rows)
  const P = plan.P
  const g = networkBlock(state.generator, state.optimizerG, P)
  const d = networkBlock(state.discriminator, state.optimizerD, paramCount(plan.dLayers, plan.width))
  const [ws, out, outOff] = updateBuffers(plan.size, P)
  const count = state.optimizerG.count
  const loss = generatorStepInto(config, plan, dataOf(noise), 0, g.data, g.off, d.data, d.off, count, ws, out, outOff)
  const [generator, optimizerG] = networkOfBlock(plan.gLayers, plan.latentDim, out, outOff, P, count + 1)
  return [loss, Object.freeze(stateRecord(config, generator, state.discriminator, optimizerG, state.optimizerD, state.rng, state.step, state.epoch))]
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
