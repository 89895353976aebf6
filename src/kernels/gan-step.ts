/**
 * The GAN's two steps over one workspace: SEED.md's `update_D` and `update_G` on networks
 * stored flat, each network one `[w | m | v]` block (its parameters, then Adam's two moments,
 * each in leaf order). A step's plan lays out and binds its workspace once per config and
 * batch size; the step then runs forward passes, the objective's loss kernel, backward
 * passes and Adam's step with no allocation beyond a few small records.
 *
 * D's step (n rows): G's forward pass on the noise `Z`, whose last layer writes straight
 * into the lower half of the stacked batch `U = [X; G(Z)]`; D's forward pass on `U`
 * (2n rows); the objective's D loss on the stacked logits; D's backward pass to its
 * parameters (no gradient with respect to `U`); Adam on D's block.
 * G's step: G's forward pass, D's forward pass on `G(Z)`, the objective's G loss, D's backward
 * pass to its input only, G's backward pass to its parameters (none to the noise); Adam on
 * G's block.
 *
 * @module
 * @internal
 */
import type { LayerSpec } from '../nn/network.js'
import type { Objective } from '../objectives/objective.js'
import type { AdamHyperparameters } from './adam.js'
import { clampInPlace } from './clip.js'
import { type GradientPenalty, type GradientPenaltyPlan, gradientPenaltyInto, gradientPenaltyPlan, gradientPenaltySize } from './gradient-penalty.js'
import { type BoundOptimizer, type StepOptimizer, boundOptimizer, optimizerStepInto } from './step-optimizer.js'
import {
  type NetworkPlan,
  backwardScratchSize,
  dropoutMasksInto,
  dropoutSize,
  forwardSize,
  networkBackwardInto,
  networkForwardInto,
  networkPlan,
  paramCount,
  runningStatsNextInto,
} from './network.js'
import type { View } from './view.js'

/**
 * Adam's options for one network, the batch's rescaling aside (each step sets
 * `rescaleGrad = 1/rows`).
 *
 * @internal
 */
export type AdamRates = Omit<AdamHyperparameters, 'rescaleGrad'>

/**
 * What a GAN's steps are made of: both networks' layers, the noise and data widths, the
 * objective, the bound every parameter of D is clipped to after its step (`null`: none;
 * the Wasserstein objective's weight clipping), the gradient penalties D's loss adds
 * (gradient-penalty.ts) and each network's optimiser.
 *
 * @internal
 */
export interface GanStepSpec {
  readonly generator: ReadonlyArray<LayerSpec>
  readonly discriminator: ReadonlyArray<LayerSpec>
  readonly latentDim: number
  readonly width: number
  /** PacGAN's pack size `m`: D's input row is `m` consecutive rows (`m · width` wide). */
  readonly pack: number
  readonly objective: Objective
  readonly weightClip: number | null
  /** WGAN-GP's penalty at the interpolates `x̂_i = ε_i·x_i + (1 − ε_i)·G(z_i)` (`null`: none). */
  readonly interpolatedPenalty: GradientPenalty | null
  /** R1's penalty at the real rows (`null`: none). */
  readonly realPenalty: GradientPenalty | null
  readonly optimizerD: StepOptimizer
  readonly optimizerG: StepOptimizer
}

/**
 * One step's plan bound to its workspace: the passes, where the objective's gradient and
 * scratch go, where the updated network's gradient is left, its optimiser with
 * `rescaleGrad = 1/rows`, and the parameter counts.
 *
 * @internal
 */
export interface StepPlan {
  readonly spec: GanStepSpec
  readonly rows: number
  /** D's input rows per half of the batch: `rows / pack`. */
  readonly packs: number
  readonly objective: Objective
  readonly generator: NetworkPlan
  readonly discriminator: NetworkPlan
  readonly dLogits: View
  readonly lossScratch: View
  /** The updated network's gradient (leaf order). */
  readonly gradient: View
  readonly optimizer: BoundOptimizer
  readonly generatorParams: number
  readonly discriminatorParams: number
}

/**
 * D's step also keeps the stacked batch `U = [X; G(Z)]`, the bound its parameters are
 * clipped to after the step (`null`: none), and for its gradient penalties their plan over
 * `rows` rows and, for WGAN-GP's, where the interpolates go (each `null` when unused).
 *
 * @internal
 */
export interface DiscriminatorStepPlan extends StepPlan {
  readonly stacked: View
  readonly weightClip: number | null
  readonly penalty: GradientPenaltyPlan | null
  readonly interpolates: View | null
}

/** G's step keeps `dL/dG(Z)`, the gradient D's backward pass hands to G's. @internal */
export interface GeneratorStepPlan extends StepPlan {
  readonly dFake: View
}

/**
 * Where a step keeps what in its workspace (offsets), and the workspace's size: computed
 * from the spec and the rows alone, so that a caller can size one workspace for several
 * steps before binding them to it.
 *
 * @internal
 */
export interface StepLayout {
  readonly spec: GanStepSpec
  readonly rows: number
  /** The discriminator step's `U`; the generator step's `dL/dG(Z)`. */
  readonly batchOff: number
  readonly gAt: number
  readonly gLastOut: number
  readonly gBackAt: number
  readonly dAt: number
  readonly dBackAt: number
  readonly dlOff: number
  readonly scratchOff: number
  readonly gradOff: number
  /** D's step: where the gradient penalties' plan (`-1`: none) and the interpolates (`-1`: none) go. */
  readonly penaltyOff: number
  readonly interpolatesOff: number
  /** Where D's dropout masks and masked inputs go (`-1`: no dropout; network.ts's `masksAt`). */
  readonly masksOff: number
  readonly size: number
}

/**
 * The layout of D's step on `rows` rows, in order: G's forward pass, `U` (`2·rows` rows),
 * D's forward pass on `U`, the logits' gradient, the objective's scratch, D's backward
 * scratch, D's gradient, then, with a gradient penalty, its plan's workspace and, with
 * WGAN-GP's, the interpolates (`rows x width`). With packing (`spec.pack = m`, which divides
 * `rows`), `U` is read by D as `2·rows/m` rows of `m·width`: row-major, `m` consecutive rows
 * are one D input, reals with reals and fakes with fakes.
 *
 * @internal
 */
export const discriminatorStepLayout = (spec: GanStepSpec, rows: number): StepLayout => {
  const { generator: gLayers, discriminator: dLayers, width, objective } = spec
  const packs = rows / spec.pack
  const dIn = width * spec.pack
  const n2 = 2 * packs
  const batchOff = forwardSize(gLayers, rows)
  const dAt = batchOff + 2 * rows * width
  const dlOff = dAt + forwardSize(dLayers, n2)
  const scratchOff = dlOff + n2
  const dBackAt = scratchOff + n2 * objective.scratchPerLogit
  const gradOff = dBackAt + backwardScratchSize(dLayers, n2)
  const gradEnd = gradOff + paramCount(dLayers, dIn)
  const penalized = spec.interpolatedPenalty !== null || spec.realPenalty !== null
  const penaltyOff = penalized ? gradEnd : -1
  const penaltyEnd = penalized ? gradEnd + gradientPenaltySize({ inputSize: dIn, layers: dLayers }, packs) : gradEnd
  const interpolatesOff = spec.interpolatedPenalty !== null ? penaltyEnd : -1
  const end = interpolatesOff >= 0 ? interpolatesOff + rows * width : penaltyEnd
  const masks = dropoutSize(dLayers, dIn, n2)
  const masksOff = masks > 0 ? end : -1
  const size = end + masks
  // Stryker disable next-line UnaryOperator: E-NOOP D's step never runs G's backward pass
  return { spec, rows, batchOff, gAt: 0, gLastOut: batchOff + rows * width, gBackAt: -1, dAt, dBackAt, dlOff, scratchOff, gradOff, penaltyOff, interpolatesOff, masksOff, size }
}

/**
 * The layout of G's step on `rows` rows, in order: G's forward pass, D's forward pass on
 * `G(Z)` (as `rows/pack` packed rows), the logits' gradient, the objective's scratch, D's
 * backward scratch, `dL/dG(Z)`, G's backward scratch, G's gradient.
 *
 * @internal
 */
export const generatorStepLayout = (spec: GanStepSpec, rows: number): StepLayout => {
  const { generator: gLayers, discriminator: dLayers, latentDim, width, objective } = spec
  const packs = rows / spec.pack
  const dAt = forwardSize(gLayers, rows)
  const dlOff = dAt + forwardSize(dLayers, packs)
  const scratchOff = dlOff + packs
  const dBackAt = scratchOff + packs * objective.scratchPerLogit
  const batchOff = dBackAt + backwardScratchSize(dLayers, packs)
  const gBackAt = batchOff + rows * width
  const gradOff = gBackAt + backwardScratchSize(gLayers, rows)
  const end = gradOff + paramCount(gLayers, latentDim)
  const masks = dropoutSize(dLayers, width * spec.pack, packs)
  const masksOff = masks > 0 ? end : -1
  return { spec, rows, batchOff, gAt: 0, gLastOut: -1, gBackAt, dAt, dBackAt, dlOff, scratchOff, gradOff, penaltyOff: -1, interpolatesOff: -1, masksOff, size: end + masks }
}

/**
 * The parts both steps share, bound to `ws`; D runs on `dRows` rows of `pack · width`. The
 * optimiser rescales by `1/(rows/pack)`, one over D's input rows per half (the rows
 * themselves without packing), so that a step follows the mean loss per D input.
 */
const bindStep = (layout: StepLayout, dRows: number, ws: Float64Array, optimizer: StepOptimizer): StepPlan => {
  const { spec, rows } = layout
  const packs = rows / spec.pack
  return {
    spec,
    rows,
    packs,
    objective: spec.objective,
    generator: networkPlan(spec.generator, spec.latentDim, rows, ws, { at: layout.gAt, lastOut: layout.gLastOut, scratchAt: layout.gBackAt }),
    discriminator: networkPlan(spec.discriminator, spec.width * spec.pack, dRows, ws, { at: layout.dAt, lastOut: -1, scratchAt: layout.dBackAt, masksAt: layout.masksOff }),
    dLogits: { data: ws, off: layout.dlOff },
    lossScratch: { data: ws, off: layout.scratchOff },
    gradient: { data: ws, off: layout.gradOff },
    optimizer: boundOptimizer(optimizer, 1 / packs),
    generatorParams: paramCount(spec.generator, spec.latentDim),
    discriminatorParams: paramCount(spec.discriminator, spec.width * spec.pack),
  }
}

/**
 * D's step plan on `ws` (at least `layout.size` entries; its contents on entry are never
 * read, and the step overwrites them).
 *
 * @internal
 */
export const bindDiscriminatorStep = (layout: StepLayout, ws: Float64Array): DiscriminatorStepPlan => ({
  ...bindStep(layout, (2 * layout.rows) / layout.spec.pack, ws, layout.spec.optimizerD),
  stacked: { data: ws, off: layout.batchOff },
  weightClip: layout.spec.weightClip,
  penalty:
    layout.penaltyOff < 0
      ? null
      : gradientPenaltyPlan({ inputSize: layout.spec.width * layout.spec.pack, layers: layout.spec.discriminator }, layout.rows / layout.spec.pack, { data: ws, off: layout.penaltyOff }),
  interpolates: layout.interpolatesOff < 0 ? null : { data: ws, off: layout.interpolatesOff },
})

/**
 * G's step plan on `ws` (as {@link bindDiscriminatorStep}).
 *
 * @internal
 */
export const bindGeneratorStep = (layout: StepLayout, ws: Float64Array): GeneratorStepPlan => ({
  ...bindStep(layout, layout.rows / layout.spec.pack, ws, layout.spec.optimizerG),
  dFake: { data: ws, off: layout.batchOff },
})

/**
 * A step's inputs: the noise `Z` (`rows x latentDim`), the real batch `X` (`rows x width`,
 * D's step only), WGAN-GP's interpolation weights `ε` (`rows` entries in `[0, 1]`; D's step
 * with that penalty only, else absent or `null`), the uniforms of D's dropout masks (with
 * dropout only: network.ts's `dropoutDraws` entries for D's pass, `2·rows/pack` rows in D's
 * step and `rows/pack` in G's, the dropping layers in order, each's `rows x d_l` row-major;
 * else absent or `null`) and both networks' `[w | state]` blocks (only the parameters of the
 * network not updated are read).
 *
 * @internal
 */
export interface StepInputs {
  readonly real: View | null
  readonly noise: View
  readonly interpolation?: View | null
  readonly dropout?: View | null
  readonly generator: View
  readonly discriminator: View
  /**
   * With batch normalisation in G: its running statistics (network.ts's `runningSize`
   * entries), read, and where the step writes them moved by G's training pass (both absent or
   * `null` without, or to leave them be).
   */
  readonly generatorStats?: View | null
  readonly nextGeneratorStats?: View | null
}

/**
 * G's training pass on the noise, then, when the inputs ask, its running statistics moved
 * towards the minibatch's (network.ts's `runningStatsNextInto`).
 */
const generatorPassInto = (plan: NetworkPlan, inputs: StepInputs): void => {
  networkForwardInto(plan, inputs.generator, inputs.noise)
  const next = inputs.nextGeneratorStats ?? null
  if (next !== null) runningStatsNextInto(plan, inputs.generatorStats!, next)
}

/** The last layer's output view of a pass. */
const outputOf = (plan: NetworkPlan): View => plan.layers[plan.layers.length - 1]!.out

/**
 * D's summed loss for the real batch and the noise, leaving D's gradient at `plan.gradient`:
 * the objective's loss, plus WGAN-GP's penalty at the interpolates
 * `x̂_i = ε_i·x_i + (1 − ε_i)·G(z_i)` (evaluated `e * x + (1 − e) * f` per entry), plus R1's
 * at the real rows, each penalty's gradient added in that order.
 *
 * @internal
 */
export const discriminatorGradientInto = (plan: DiscriminatorStepPlan, inputs: StepInputs): number => {
  const real = inputs.real!
  const u = plan.stacked
  const count = plan.rows * plan.spec.width
  const x = real.data
  const xo = real.off
  const ud = u.data
  const uo = u.off
  // Stryker disable next-line EqualityOperator: E-BOUND G overwrites it
  for (let i = 0; i < count; i++) ud[uo + i] = x[xo + i]!
  generatorPassInto(plan.generator, inputs)
  if ((inputs.dropout ?? null) !== null) dropoutMasksInto(plan.discriminator, inputs.dropout!)
  networkForwardInto(plan.discriminator, inputs.discriminator, u)
  let loss = plan.objective.discriminatorLossInto(outputOf(plan.discriminator), plan.packs, plan.dLogits, plan.lossScratch)
  networkBackwardInto(plan.discriminator, inputs.discriminator, u, plan.dLogits, plan.gradient, null)
  if (plan.penalty === null) return loss
  const { interpolatedPenalty, realPenalty } = plan.spec
  if (interpolatedPenalty !== null) {
    const hat = plan.interpolates!
    interpolatesInto(u, inputs.interpolation!, plan.packs, plan.discriminator.inputSize, hat)
    loss += gradientPenaltyInto(plan.penalty, interpolatedPenalty, inputs.discriminator, hat, plan.gradient, null)
  }
  if (realPenalty !== null) loss += gradientPenaltyInto(plan.penalty, realPenalty, inputs.discriminator, u, plan.gradient, null)
  return loss
}

/**
 * `x̂_i = ε_i·x_i + (1 − ε_i)·f_i` into `hat` (`rows x width`), from the stacked batch `u`
 * (`x_i` in its upper half, `f_i = G(z_i)` in its lower half) and the weights `eps`:
 * `e * x + (1 - e) * f` per entry, in that order.
 *
 * @internal
 */
export const interpolatesInto = (u: View, eps: View, rows: number, width: number, hat: View): void => {
  const ud = u.data
  const e = eps.data
  const h = hat.data
  const fakeOff = u.off + rows * width
  for (let i = 0; i < rows; i++) {
    const ei = e[eps.off + i]!
    const ci = 1 - ei
    for (let j = 0; j < width; j++) {
      const k = i * width + j
      h[hat.off + k] = ei * ud[u.off + k]! + ci * ud[fakeOff + k]!
    }
  }
}

/**
 * G's summed loss for the noise through the current D, leaving G's gradient at
 * `plan.gradient`.
 *
 * @internal
 */
export const generatorGradientInto = (plan: GeneratorStepPlan, inputs: StepInputs): number => {
  generatorPassInto(plan.generator, inputs)
  const fake = outputOf(plan.generator)
  if ((inputs.dropout ?? null) !== null) dropoutMasksInto(plan.discriminator, inputs.dropout!)
  networkForwardInto(plan.discriminator, inputs.discriminator, fake)
  const loss = plan.objective.generatorLossInto(outputOf(plan.discriminator), plan.packs, plan.dLogits, plan.lossScratch)
  networkBackwardInto(plan.discriminator, inputs.discriminator, fake, plan.dLogits, null, plan.dFake)
  networkBackwardInto(plan.generator, inputs.generator, inputs.noise, plan.dFake, plan.gradient, null)
  return loss
}

/**
 * SEED.md's `update_D` on flat blocks: D's gradient, then D's optimiser (after `count` steps;
 * the seed's Adam) on D's block, writing D's new `[w' | state']` (Adam: `[w' | m' | v']`)
 * into `out` (a stretch never written before and never written afterwards), then, when the
 * plan clips, `w'` clipped to `[−weightClip, weightClip]` (the optimiser's state is not).
 * Returns the summed loss.
 *
 * @internal
 */
export const discriminatorStepInto = (plan: DiscriminatorStepPlan, inputs: StepInputs, count: number, out: View): number => {
  const loss = discriminatorGradientInto(plan, inputs)
  optimizerStepInto(plan.optimizer, { count, size: plan.discriminatorParams }, plan.gradient, inputs.discriminator, out)
  if (plan.weightClip !== null) clampInPlace(out, plan.discriminatorParams, plan.weightClip)
  return loss
}

/**
 * SEED.md's `update_G` on flat blocks (as {@link discriminatorStepInto}): writes G's new
 * `[w' | state']` into `out` and returns the summed loss.
 *
 * @internal
 */
export const generatorStepInto = (plan: GeneratorStepPlan, inputs: StepInputs, count: number, out: View): number => {
  const loss = generatorGradientInto(plan, inputs)
  optimizerStepInto(plan.optimizer, { count, size: plan.generatorParams }, plan.gradient, inputs.generator, out)
  return loss
}
