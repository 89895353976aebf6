/**
 * The worked example of docs/architecture.md, run: a toy objective (squared-logits.ts) written
 * as the record the steps take, checked the way every objective is — against a literal scalar
 * transcription, its logit gradients against central differences, and end to end through the
 * kernel layer's D and G steps, whose parameter gradients must match central differences of
 * the objective computed with the checked, immutable network operations.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { initialState, runData } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { discriminatorSpec, generatorSpec } from '../../src/gan/state.js'
import { networkBlock, stepSpec } from '../../src/gan/update.js'
import {
  bindDiscriminatorStep,
  bindGeneratorStep,
  discriminatorGradientInto,
  discriminatorStepInto,
  discriminatorStepLayout,
  generatorGradientInto,
  generatorStepLayout,
} from '../../src/kernels/gan-step.js'
import { paramCount } from '../../src/kernels/network.js'
import { type Matrix, fromFlat, sliceRows, toFlat, vconcat } from '../../src/matrix/index.js'
import { flatBlock, paramViews } from '../../src/nn/blocks.js'
import { type NetworkSpec, forward, predict } from '../../src/nn/network.js'
import { normalMatrix } from '../../src/random/normal.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { squaredLogits } from './squared-logits.js'

const logits = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 16 })

/** The objective's D loss and gradient on plain arrays (real logits, then fake). */
const dLoss = (z: ReadonlyArray<number>): { loss: number; grad: Float64Array } => {
  const n = z.length / 2
  const grad = new Float64Array(z.length)
  const loss = squaredLogits.discriminatorLossInto({ data: Float64Array.from(z), off: 0 }, n, { data: grad, off: 0 }, { data: new Float64Array(0), off: 0 })
  return { loss, grad }
}

describe('the toy objective (docs/architecture.md, "Adding an objective")', () => {
  it('matches its literal scalar transcription', () =>
    fc.assert(
      fc.property(logits.filter((z) => z.length % 2 === 0), (z) => {
        const n = z.length / 2
        let want = 0
        for (let i = 0; i < n; i++) want += 0.5 * (z[i]! - 1) * (z[i]! - 1) + 0.5 * (z[n + i]! + 1) * (z[n + i]! + 1)
        expect(dLoss(z).loss).toBe(want)
        const g = new Float64Array(n)
        const lossG = squaredLogits.generatorLossInto({ data: Float64Array.from(z.slice(n)), off: 0 }, n, { data: g, off: 0 }, { data: g, off: 0 })
        let wantG = 0
        for (let i = 0; i < n; i++) wantG += 0.5 * (z[n + i]! - 1) * (z[n + i]! - 1)
        expect(lossG).toBe(wantG)
      }),
    ))

  it('its logit gradients match central differences', () =>
    fc.assert(
      fc.property(logits.filter((z) => z.length % 2 === 0), (z) => {
        const f = (x: Matrix): number => dLoss(toFlat(x)).loss
        expectGradientClose('squaredLogits D', f, fromFlat(z.length, 1, z), fromFlat(z.length, 1, dLoss(z).grad))
      }),
    ))

  // End to end: the seed GAN's networks, a batch of 8, the toy objective in the step spec.
  const config = seedConfig
  const spec = { ...stepSpec(config), objective: squaredLogits }
  const state = initialState(config)
  const real = sliceRows(runData(config), 0, 8)
  const [noise] = normalMatrix(state.rng, 8, config.latentDim)
  const gSpec = generatorSpec(config)
  const dSpec = discriminatorSpec(config)
  const flat = (spec: NetworkSpec, params: Parameters<typeof flatBlock>[0][number]): Matrix =>
    fromFlat(1, paramCount(spec.layers, spec.inputSize), flatBlock([params], paramCount(spec.layers, spec.inputSize)).data)
  const net = (spec: NetworkSpec, x: Matrix) => paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(x)), 0)
  const inputs = {
    real: { data: Float64Array.from(toFlat(real)), off: 0 },
    noise: { data: Float64Array.from(toFlat(noise)), off: 0 },
    generator: flatBlock([state.generator], paramCount(gSpec.layers, gSpec.inputSize)),
    discriminator: flatBlock([state.discriminator], paramCount(dSpec.layers, dSpec.inputSize)),
  }
  const sumD = (z: ReadonlyArray<number>): number => dLoss(z).loss

  it("D's step: the gradient it leaves is that of ℓ_D with respect to D's parameters (central differences through forward)", () => {
    const layout = discriminatorStepLayout(spec, 8)
    const plan = bindDiscriminatorStep(layout, new Float64Array(layout.size))
    discriminatorGradientInto(plan, inputs)
    const analytic = fromFlat(1, plan.discriminatorParams, plan.gradient.data.slice(plan.gradient.off, plan.gradient.off + plan.discriminatorParams))
    const fake = predict(gSpec, state.generator, noise)
    const f = (d: Matrix): number => sumD(toFlat(forward(dSpec, net(dSpec, d), vconcat(real, fake)).output))
    expectGradientClose("ℓ_D by D's parameters", f, flat(dSpec, state.discriminator), analytic)
  })

  it("G's step: the gradient it leaves is that of ℓ_G with respect to G's parameters", () => {
    const layout = generatorStepLayout(spec, 8)
    const plan = bindGeneratorStep(layout, new Float64Array(layout.size))
    generatorGradientInto(plan, { ...inputs, real: null })
    const analytic = fromFlat(1, plan.generatorParams, plan.gradient.data.slice(plan.gradient.off, plan.gradient.off + plan.generatorParams))
    const f = (g: Matrix): number => {
      const z = toFlat(forward(dSpec, state.discriminator, predict(gSpec, net(gSpec, g), noise)).output)
      return z.reduce((s, v) => s + 0.5 * (v - 1) * (v - 1), 0)
    }
    expectGradientClose("ℓ_G by G's parameters", f, flat(gSpec, state.generator), analytic)
  })

  it('Adam steps on D with it lower ℓ_D on a fixed batch', () => {
    const layout = discriminatorStepLayout(spec, 8)
    const plan = bindDiscriminatorStep(layout, new Float64Array(layout.size))
    const P = plan.discriminatorParams
    // Adam reads D's whole [w | m | v] block
    let block = networkBlock(state.discriminator, state.optimizerD, 'adam', P)
    const losses: number[] = []
    for (let t = 0; t < 50; t++) {
      const out = { data: new Float64Array(3 * P), off: 0 }
      losses.push(discriminatorStepInto(plan, { ...inputs, discriminator: block }, t, out))
      block = out
    }
    expect(losses[49]!).toBeLessThan(0.5 * losses[0]!)
  })
})
