/**
 * The GAN's steps in WebAssembly (src/wasm/assembly/gan.ts, the twin of this folder's steps in
 * gan-step.ts with the same operations in the same order, for the non-saturating objective:
 * callers check the objective), in two forms:
 *
 * - A whole epoch as one call, for small networks: there per-call overhead and a JavaScript
 *   engine's warm-up, not arithmetic, decide the time (docs/performance.md, "WebAssembly
 *   kernels"). It runs when the host runs the WebAssembly kernels, each network has at most 16
 *   layers, all dense ({@link twinnedLayers}: gan.ts has no maxout), and every product of the
 *   steps is small enough for the dot-product form (dense.ts's `dotProductsSuffice`);
 *   otherwise the epoch runs in JavaScript, step by step.
 * - One step, for networks with a product too large for the dot-product form
 *   ({@link wasmStepPays}): its products blocked in f64x2 inside the module, its blocks kept
 *   there between steps (src/wasm/kernels.ts's residents), so that only the new block, the real
 *   rows and the noise cross over. src/gan/update.ts's updates and train.ts's epoch loop run it.
 *
 * The bits are the same either way (properties/gan/epoch-buffers.test.ts,
 * properties/kernels/gan-step-wasm.test.ts; when the epoch runs:
 * properties/kernels/gan-epoch.test.ts).
 *
 * @module
 * @internal
 */
import type { Activation } from '../nn/activation.js'
import type { LayerSpec } from '../nn/network.js'
import { type GanEpochOutcome, type Stretch, kernels } from '../wasm/kernels.js'
import { adamStepConstants } from './adam.js'
import { dotProductsSuffice } from './dense.js'
import type { AdamRates, GanStepSpec, StepInputs, StepLayout } from './gan-step.js'
import type { StepOptimizer } from './step-optimizer.js'
import { paramCount } from './network.js'
import type { View } from './view.js'

/** The activation kinds as src/wasm/assembly/gan.ts numbers them. */
const KIND_CODE: Readonly<Record<Activation['kind'], number>> = { identity: 0, tanh: 1, sigmoid: 2, relu: 3, leakyRelu: 4 }

/**
 * True when every product of a dense layer of `inputs -> units` on `rows` rows takes the
 * dot-product form: the forward `x·W`, `dW = xᵀ·dz` and `dx = dz·Wᵀ`.
 *
 * @internal
 */
export const smallLayer = (rows: number, inputs: number, units: number): boolean =>
  dotProductsSuffice(rows, units, inputs) && dotProductsSuffice(inputs, units, rows) && dotProductsSuffice(rows, inputs, units)

/**
 * True when every layer of both networks is dense: the only kind src/wasm/assembly/gan.ts
 * computes (its plan names a layer by its units and activation alone, so a maxout layer
 * there would be read as a dense one). Any other kind runs in JavaScript, with no change of
 * bits elsewhere.
 *
 * @internal
 */
export const twinnedLayers = (spec: GanStepSpec): boolean => spec.generator.every(isDense) && spec.discriminator.every(isDense)

const isDense = (layer: LayerSpec): boolean => layer.kind === undefined || layer.kind === 'dense'

/** True when `spec`'s steps on minibatches of `batch` rows can run as the WebAssembly epoch. */
const fitsWasmEpoch = (spec: GanStepSpec, batch: number): boolean => {
  if (!twinnedLayers(spec)) return false
  let d = spec.latentDim
  for (const layer of spec.generator) {
    if (!smallLayer(batch, d, layer.units)) return false
    d = layer.units
  }
  d = spec.width
  for (const layer of spec.discriminator) {
    if (!smallLayer(2 * batch, d, layer.units)) return false
    d = layer.units
  }
  return true
}

/** One epoch's inputs: the shuffled rows, the noise rows, both blocks and both Adam counts at the start. */
export interface EpochInputs {
  readonly rows: number
  readonly batch: number
  readonly data: Float64Array
  readonly noise: Float64Array
  readonly discriminator: Float64Array
  readonly generator: Float64Array
  readonly countD: number
  readonly countG: number
}

/**
 * The Adam rates of a network's optimiser: gan.ts computes Adam only, and its callers run it
 * only when both networks use Adam (gan/update.ts's `wasmComputes`).
 */
const adamRates = (o: StepOptimizer): AdamRates => {
  // Stryker disable next-line ConditionalExpression,StringLiteral: E-UNREACHED callers check
  if (o.kind !== 'adam') throw new Error(`internal error: the WebAssembly GAN step computes Adam, not ${o.kind}`)
  return o.rates
}

/** Each step's bias-corrected learning rate from Adam count `count0` on (adam.ts's `lrT`). */
const learningRates = (rates: AdamRates, count0: number, steps: number): Float64Array => {
  const out = new Float64Array(steps)
  const hyper = { ...rates, rescaleGrad: 1 }
  // Stryker disable next-line EqualityOperator: E-BOUND past a fresh array's end, dropped
  for (let s = 0; s < steps; s++) out[s] = adamStepConstants(hyper, count0 + s).lrT
  return out
}

/** Adam's constants as gan.ts reads them: `beta1, beta2, 1 − beta1, 1 − beta2, epsilon` (adam.ts's). */
const adamConstants = (rates: AdamRates): number[] => {
  const k = adamStepConstants({ ...rates, rescaleGrad: 1 }, 0)
  return [k.beta1, k.beta2, k.c1, k.c2, k.epsilon]
}

/** The plan as gan.ts reads it: layer counts, widths, the data's rows, the batch, then `units, kind` per layer. */
const planOf = (spec: GanStepSpec, rows: number, batch: number): Int32Array =>
  Int32Array.from([
    spec.generator.length,
    spec.discriminator.length,
    spec.latentDim,
    spec.width,
    rows,
    batch,
    ...[...spec.generator, ...spec.discriminator].flatMap((l) => [l.units, KIND_CODE[l.activation.kind]]),
  ])

/** The floats as gan.ts reads them: each layer's leaky-relu slope, then D's Adam constants, then G's. */
const floatsOf = (spec: GanStepSpec): Float64Array =>
  Float64Array.from([
    // Stryker disable next-line ConditionalExpression: E-NOOP gan.ts reads leaky relu's slope only
    ...[...spec.generator, ...spec.discriminator].map((l) => (l.activation.kind === 'leakyRelu' ? l.activation.alpha : 0)),
    ...adamConstants(adamRates(spec.optimizerD)),
    ...adamConstants(adamRates(spec.optimizerG)),
  ])

/**
 * The epoch in WebAssembly for a spec with the non-saturating objective, or `null` when it does
 * not run there (see the module comment; a network of more than 16 layers is refused by gan.ts
 * itself, which holds its layer tables in 16 slots):
 * the summed losses and both networks' last `[w | m | v]` blocks, or the first step whose loss
 * was not finite.
 *
 * @internal
 */
export const wasmEpoch = (spec: GanStepSpec, inputs: EpochInputs): GanEpochOutcome | null => {
  const run = kernels().ganEpoch
  if (run === null || !fitsWasmEpoch(spec, inputs.batch)) return null
  // Stryker disable next-line ArithmeticOperator: E-NOOP sizes the rates; gan.ts reads its own
  const steps = Math.ceil(inputs.rows / inputs.batch)
  return run.run({
    plan: planOf(spec, inputs.rows, inputs.batch),
    floats: floatsOf(spec),
    data: inputs.data,
    noise: inputs.noise,
    lrD: learningRates(adamRates(spec.optimizerD), inputs.countD, steps),
    lrG: learningRates(adamRates(spec.optimizerG), inputs.countG, steps),
    blockD: inputs.discriminator,
    blockG: inputs.generator,
  })
}

/**
 * One step in WebAssembly (D's when `inputs.real` is given, else G's), for a layout whose spec
 * has the non-saturating objective: the twin of gan-step.ts's `discriminatorStepInto` /
 * `generatorStepInto` (Adam after `count` steps), writing the updated network's new
 * `[w | m | v]` into `out` (with `deferred`, when `flushDeferredBlocks` runs or the module's copy is
 * about to be written over) and returning the summed loss; or `null`, nothing written, when it
 * does not run there: no WebAssembly, the module's memory cannot grow enough, more than 16
 * layers, or a layer that is not dense ({@link twinnedLayers}). Callers ask {@link wasmStepPays}
 * first.
 *
 * @internal
 */
export const wasmStep = (layout: StepLayout, inputs: StepInputs, count: number, out: View, deferred = false): number | null => {
  const { spec, rows } = layout
  const run = kernels().ganStep
  if (run === null || !twinnedLayers(spec)) return null
  const discriminatorStep = inputs.real !== null
  const P = { generator: paramCount(spec.generator, spec.latentDim), discriminator: paramCount(spec.discriminator, spec.width) }
  // the updated network's whole block, the other's parameters
  const block = (view: View, updated: boolean, size: number): Stretch => ({ data: view.data, off: view.off, size: (updated ? 3 : 1) * size })
  const rates = adamRates(discriminatorStep ? spec.optimizerD : spec.optimizerG)
  return run.run(
    {
      plan: planOf(spec, rows, rows),
      floats: floatsOf(spec),
      real: inputs.real === null ? null : inputs.real.data.subarray(inputs.real.off, inputs.real.off + rows * spec.width),
      noise: inputs.noise.data.subarray(inputs.noise.off, inputs.noise.off + rows * spec.latentDim),
      generator: block(inputs.generator, !discriminatorStep, P.generator),
      discriminator: block(inputs.discriminator, discriminatorStep, P.discriminator),
      learningRate: adamStepConstants({ ...rates, rescaleGrad: 1 }, count).lrT,
    },
    out,
    3 * (discriminatorStep ? P.discriminator : P.generator),
    deferred,
  )
}

/**
 * Writes every new block a `deferred` {@link wasmStep} left in the module into its `out`: a
 * loop calls it before anything but the next WebAssembly step reads its blocks.
 *
 * @internal
 */
export const flushDeferredBlocks = (): void => kernels().ganStep?.flush()

/**
 * True when a step of `layout` pays its copies in WebAssembly: the host runs the WebAssembly
 * kernels, every layer is dense ({@link twinnedLayers}), and some product of the step is too
 * large for the dot-product form (below that the JavaScript step is as fast, and copying the
 * blocks in and out would cost more than it saves).
 *
 * @internal
 */
export const wasmStepPays = (layout: StepLayout): boolean =>
  kernels().ganStep !== null && twinnedLayers(layout.spec) && !fitsWasmEpoch(layout.spec, layout.rows)
