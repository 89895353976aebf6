/**
 * When the WebAssembly epoch (src/kernels/gan-epoch.ts) runs: for the seed GAN on a host with
 * the WebAssembly kernels, and not for networks whose products are large, with a maxout layer
 * (gan.ts computes dense layers only; nor does the WebAssembly step run them), or with the
 * JavaScript kernels. That it changes no bit is gan/epoch-buffers.test.ts's property (trainEpoch
 * against trainStep, minibatch by minibatch, on random small architectures), which runs under
 * both backends.
 */
import { describe, expect, it } from 'vitest'
import { paramCount } from '../../src/kernels/network.js'
import { smallLayer, twinnedLayers, wasmEpoch, wasmStep, wasmStepPays } from '../../src/kernels/gan-epoch.js'
import { discriminatorStepLayout } from '../../src/kernels/gan-step.js'
import { type GanConfig, runData, seedConfig } from '../../src/gan/index.js'
import { stepRunsInWasm, stepSpec, wasmComputes } from '../../src/gan/update.js'
import { dataOf } from '../../src/matrix/matrix.js'
import { kernels } from '../../src/wasm/kernels.js'
import { dataWidth } from '../../src/gan/data.js'

const epochOf = (config: GanConfig) => {
  const width = dataWidth(config.data)
  const data = dataOf(runData(config))
  const rows = data.length / width
  const dP = paramCount(config.discriminator.layers, width)
  const gP = paramCount(config.generator.layers, config.latentDim)
  return wasmEpoch(stepSpec(config), {
    rows,
    batch: config.batchSize,
    data,
    noise: new Float64Array(rows * config.latentDim).fill(0.25),
    discriminator: new Float64Array(3 * dP).fill(0.01),
    generator: new Float64Array(3 * gP).fill(0.01),
    countD: 0,
    countG: 0,
  })
}

describe('the WebAssembly epoch', () => {
  it('runs the seed GAN when the host runs the WebAssembly kernels, and never with the JavaScript kernels', () => {
    const outcome = epochOf(seedConfig)
    if (kernels().backend === 'js') {
      expect(outcome).toBe(null)
    } else {
      expect(outcome?.kind).toBe('done')
    }
  })

  it('does not run networks whose products are large enough for the blocked kernel', () => {
    const wide: GanConfig = {
      ...seedConfig,
      discriminator: { layers: [{ units: 64, activation: { kind: 'tanh' } }, { units: 1, activation: { kind: 'identity' } }] },
      batchSize: 32,
    }
    expect(epochOf(wide)).toBe(null)
  })
})

describe('which epochs run in WebAssembly', () => {
  const tanh = (units: number) => ({ units, activation: { kind: 'tanh' } }) as const
  const identity = (units: number) => ({ units, activation: { kind: 'identity' } }) as const
  const runs = (config: GanConfig): boolean => epochOf(config) !== null

  it('smallLayer: every one of the three products must take the dot-product form (fewer than 4 rows or columns, or under 4096 multiply-adds)', () => {
    // 2·64·64 = 8192 multiply-adds: x·W has 2 rows (dots); dW = xᵀ·dz is 64 x 64 (blocked)
    expect(smallLayer(2, 64, 64)).toBe(false)
    // 64 rows, 2 inputs, 64 units: x·W is 64 x 64 over 2 (blocked)
    expect(smallLayer(64, 2, 64)).toBe(false)
    // 64 rows, 64 inputs, 2 units: dx = dz·Wᵀ is 64 x 64 over 2 (blocked)
    expect(smallLayer(64, 64, 2)).toBe(false)
    // 8·64·8 = 4096: each product at the threshold is blocked; one multiply-add less is not
    expect(smallLayer(8, 64, 8)).toBe(false)
    expect(smallLayer(8, 63, 8)).toBe(true)
    expect(smallLayer(3, 3, 1000)).toBe(true)
    expect(smallLayer(16, 5, 3)).toBe(true)
  })

  it.skipIf(kernels().backend === 'js')('a network of at most 16 layers, G and D alike; G counted on the batch, D on twice the batch', () => {
    const gOf = (n: number): GanConfig => ({ ...seedConfig, generator: { layers: [...Array.from({ length: n - 1 }, () => tanh(3)), identity(2)] } })
    const dOf = (n: number): GanConfig => ({ ...seedConfig, discriminator: { layers: [...Array.from({ length: n - 1 }, () => tanh(3)), identity(1)] } })
    expect([runs(gOf(16)), runs(gOf(17)), runs(dOf(16)), runs(dOf(17))]).toEqual([true, false, true, false])
    // a wide G alone keeps the epoch in JavaScript
    expect(runs({ ...seedConfig, batchSize: 64, generator: { layers: [tanh(64), identity(2)] } })).toBe(false)
    // D's 2 -> 64 layer at batch 16: 16·2·64 = 2048 for G's row count, but D's step runs 32 rows (4096)
    expect(runs({ ...seedConfig, batchSize: 16, discriminator: { layers: [tanh(64), identity(1)] } })).toBe(false)
    expect(runs({ ...seedConfig, batchSize: 15, discriminator: { layers: [tanh(64), identity(1)] } })).toBe(true)
  })
})

describe('only dense layers run in WebAssembly (gan.ts has no maxout)', () => {
  const maxout = (units: number, pieces: number) => ({ kind: 'maxout', units, pieces, activation: { kind: 'identity' } }) as const
  const small: GanConfig = { ...seedConfig, discriminator: { layers: [maxout(5, 2), { units: 1, activation: { kind: 'identity' } }] } }
  const wideG: GanConfig = { ...seedConfig, batchSize: 32, generator: { layers: [maxout(64, 2), { units: 2, activation: { kind: 'identity' } }] } }
  const dense: GanConfig = { ...seedConfig, batchSize: 32, generator: { layers: [{ units: 64, activation: { kind: 'tanh' } }, { units: 2, activation: { kind: 'identity' } }] } }

  it('twinnedLayers: true exactly when every layer of both networks is dense (kind left out or "dense")', () => {
    expect(twinnedLayers(stepSpec(seedConfig))).toBe(true)
    expect(twinnedLayers(stepSpec({ ...seedConfig, generator: { layers: [{ kind: 'dense', units: 2, activation: { kind: 'identity' } }] } }))).toBe(true)
    expect(twinnedLayers(stepSpec(small))).toBe(false)
    expect(twinnedLayers(stepSpec(wideG))).toBe(false)
  })

  it('the epoch, the step and the choice of the WebAssembly step refuse a maxout layer (small or large products), whatever the backend', () => {
    expect(epochOf(small)).toBe(null)
    expect(epochOf(wideG)).toBe(null)
    for (const config of [small, wideG]) {
      const spec = stepSpec(config)
      expect(wasmComputes(spec)).toBe(false)
      const layout = discriminatorStepLayout(spec, config.batchSize)
      expect(wasmStepPays(layout)).toBe(false)
      expect(stepRunsInWasm(layout)).toBe(false)
      const P = { g: paramCount(config.generator.layers, config.latentDim), d: paramCount(config.discriminator.layers, 2) }
      const inputs = {
        real: { data: new Float64Array(2 * config.batchSize).fill(0.5), off: 0 },
        noise: { data: new Float64Array(config.latentDim * config.batchSize).fill(0.25), off: 0 },
        generator: { data: new Float64Array(3 * P.g).fill(0.01), off: 0 },
        discriminator: { data: new Float64Array(3 * P.d).fill(0.01), off: 0 },
      }
      const out = new Float64Array(3 * P.d).fill(-2)
      expect(wasmStep(layout, inputs, 0, { data: out, off: 0 })).toBe(null)
      expect(out.every((v) => v === -2)).toBe(true)
    }
    // the same shapes dense: the large one's steps run in WebAssembly where the host has it
    expect(wasmStepPays(discriminatorStepLayout(stepSpec(dense), 32))).toBe(kernels().ganStep !== null)
  })
})
