import type { AdamState } from '../../src/optim/adam.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type GanState,
  discriminatorLossAndGradient,
  generatorLossAndGradient,
  initialState,
  seedConfig,
  updateD,
  updateG,
} from '../../src/gan/index.js'
import { type Matrix, ShapeError, bitEqual, zeros } from '../../src/matrix/index.js'
import type { NetworkParams } from '../../src/nn/network.js'
import { adam } from '../../src/optim/adam.js'
import { leaves } from '../../src/tree/param-tree.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { stateWithBatch } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { type GanStepSpec, discriminatorStepLayout, generatorStepLayout } from '../../src/kernels/gan-step.js'
import { nonsaturating } from '../../src/objectives/nonsaturating.js'
import { stepRunsInWasm, stepSpec } from '../../src/gan/update.js'
import { kernels } from '../../src/wasm/kernels.js'
import { squaredLogits } from '../examples/squared-logits.js'

const withLayer = (params: NetworkParams, l: number, key: 'W' | 'b', m: Matrix): NetworkParams =>
  params.map((layer, i) => (i === l ? { ...layer, [key]: m } : layer))

/** Checks every parameter matrix of one network against central differences of `loss`. */
const checkNetworkGradient = (
  what: string,
  params: NetworkParams,
  gradient: NetworkParams,
  loss: (p: NetworkParams) => number,
): void => {
  params.forEach((layer, l) => {
    for (const key of ['W', 'b'] as const) {
      expectGradientClose(`${what} layer ${l} ${key}`, (m) => loss(withLayer(params, l, key, m)), layer[key], gradient[l]![key])
    }
  })
}

const sameTreeBits = (a: NetworkParams | GanState['optimizerD'], b: typeof a): boolean => {
  const la = leaves(('m' in a ? [a.m, a.v] : a) as never)
  const lb = leaves(('m' in b ? [b.m, b.v] : b) as never)
  return la.length === lb.length && la.every((m, i) => bitEqual(m, lb[i]!))
}

describe('the discriminator update', () => {
  it("its gradient equals central differences of the summed loss_D for every D parameter", () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const { gradient } = discriminatorLossAndGradient(state, real, noise)
        checkNetworkGradient('dLoss_D/dD', state.discriminator, gradient, (d) =>
          discriminatorLossAndGradient({ ...state, discriminator: d }, real, noise).loss,
        )
      }),
    )
  })

  it('applies exactly that gradient with Adam (lr_D, rescaled by 1/n) and touches nothing else', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const [loss, next] = updateD(state, real, noise)
        const { loss: l2, gradient } = discriminatorLossAndGradient(state, real, noise)
        const { adam: a } = state.config
        const [d, opt] = adam({ learningRate: state.config.learningRateD, ...a, rescaleGrad: 1 / noise.rows }).step(state.optimizerD as AdamState, state.discriminator, gradient)
        expect(loss).toBe(l2)
        expect(sameTreeBits(next.discriminator, d)).toBe(true)
        expect(sameTreeBits(next.optimizerD, opt)).toBe(true)
        // G, its optimiser, the PRNG, the counters and the config are the very same values.
        expect(next.generator).toBe(state.generator)
        expect(next.optimizerG).toBe(state.optimizerG)
        expect(next.rng).toBe(state.rng)
        expect(next.config).toBe(state.config)
        expect([next.step, next.epoch]).toEqual([state.step, state.epoch])
      }),
    )
  })
})

describe('the generator update', () => {
  it('its gradient equals central differences of the summed loss_G for every G parameter, through D', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, noise }) => {
        const { gradient } = generatorLossAndGradient(state, noise)
        checkNetworkGradient('dLoss_G/dG', state.generator, gradient, (g) => generatorLossAndGradient({ ...state, generator: g }, noise).loss)
      }),
    )
  })

  it('applies exactly that gradient with Adam (lr_G, rescaled by 1/n) and leaves D untouched', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, noise }) => {
        const [loss, next] = updateG(state, noise)
        const { loss: l2, gradient } = generatorLossAndGradient(state, noise)
        const [g, opt] = adam({ learningRate: state.config.learningRateG, ...state.config.adam, rescaleGrad: 1 / noise.rows }).step(state.optimizerG as AdamState, state.generator, gradient)
        expect(loss).toBe(l2)
        expect(sameTreeBits(next.generator, g)).toBe(true)
        expect(sameTreeBits(next.optimizerG, opt)).toBe(true)
        expect(next.discriminator).toBe(state.discriminator)
        expect(next.optimizerD).toBe(state.optimizerD)
        expect(next.rng).toBe(state.rng)
      }),
    )
  })

  it('goes through the D it is given: after updateD, updateG sees the new D', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const [, s1] = updateD(state, real, noise)
        const [lossAfter] = updateG(s1, noise)
        expect(lossAfter).toBe(generatorLossAndGradient(s1, noise).loss)
      }),
    )
  })
})

describe('losses and inputs', () => {
  it('with all-zero weights and biases D outputs logit 0, so each summed loss is n·ln 2', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const state = initialState({ ...seedConfig, seed, init: { weightStd: 0, biasInit: 'zeros' } })
        const real = zeros(n, 2)
        const noise = zeros(n, 2)
        expect(updateD(state, real, noise)[0]).toBeCloseTo(n * Math.LN2, 14)
        expect(updateG(state, noise)[0]).toBeCloseTo(n * Math.LN2, 14)
      }),
    )
  })

  it('the step functions leave their inputs unchanged (purity)', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const snapshot = (s: GanState) => leaves([s.generator, s.discriminator, (s.optimizerG as AdamState).m, (s.optimizerG as AdamState).v, (s.optimizerD as AdamState).m, (s.optimizerD as AdamState).v] as never).map((m) => Array.from(m.data as unknown as Float64Array))
        const before = snapshot(state)
        const realCopy = Array.from(real.data as unknown as Float64Array)
        updateD(state, real, noise)
        updateG(state, noise)
        expect(snapshot(state)).toEqual(before)
        expect(Array.from(real.data as unknown as Float64Array)).toEqual(realCopy)
      }),
    )
  })

  it('mismatched batches and noise are ShapeErrors naming both shapes', () => {
    const s = initialState(seedConfig)
    expect(() => updateD(s, zeros(8, 2), zeros(8, 3))).toThrow(ShapeError)
    expect(() => updateD(s, zeros(8, 2), zeros(8, 3))).toThrow('updateD: noise must be (n x 2) with n >= 1 (latentDim 2), got (8x3)')
    expect(() => updateD(s, zeros(7, 2), zeros(8, 2))).toThrow('the real batch must be (8x2) (as many rows as the noise, data width 2), got (7x2) with noise (8x2)')
    expect(() => updateG(s, zeros(0, 2))).toThrow('updateG: noise must be (n x 2) with n >= 1')
    fc.assert(
      fc.property(matrixOfShape(3, 2), (z) => {
        expect(() => updateD(s, zeros(3, 1), z)).toThrow(ShapeError)
      }),
    )
  })
})

describe('which updates run their step in WebAssembly (stepRunsInWasm)', () => {
  const tanh = (units: number) => ({ units, activation: { kind: 'tanh' } }) as const
  const specOf = (units: number, objective: GanStepSpec['objective']): GanStepSpec => ({
    ...stepSpec(seedConfig),
    generator: [tanh(units), tanh(2)],
    discriminator: [tanh(units), tanh(1)],
    objective,
  })
  const wasm = kernels().backend === 'wasm'

  it('a step with a blocked product and the non-saturating objective, on a host with the WebAssembly kernels', () => {
    // a 2 -> 64 layer on 64 rows: x·W is 64 x 64 over 2 (blocked)
    expect(stepRunsInWasm(discriminatorStepLayout(specOf(64, nonsaturating), 64))).toBe(wasm)
    expect(stepRunsInWasm(generatorStepLayout(specOf(64, nonsaturating), 64))).toBe(wasm)
  })

  it('never the seed’s sizes (every product a dot product), nor another objective (gan.ts computes the non-saturating one only)', () => {
    expect(stepRunsInWasm(discriminatorStepLayout(specOf(4, nonsaturating), 8))).toBe(false)
    expect(stepRunsInWasm(discriminatorStepLayout(specOf(64, squaredLogits), 64))).toBe(false)
    expect(stepRunsInWasm(generatorStepLayout(specOf(64, squaredLogits), 64))).toBe(false)
  })
})
