/**
 * When the WebAssembly epoch (src/kernels/gan-epoch.ts) runs: for the seed GAN on a host with
 * the WebAssembly kernels, and not for networks whose products are large or with the
 * JavaScript kernels. That it changes no bit is gan/epoch-buffers.test.ts's property (trainEpoch
 * against trainStep, minibatch by minibatch, on random small architectures), which runs under
 * both backends.
 */
import { describe, expect, it } from 'vitest'
import { paramCount } from '../../src/kernels/network.js'
import { wasmEpoch } from '../../src/kernels/gan-epoch.js'
import { type GanConfig, runData, seedConfig } from '../../src/gan/index.js'
import { stepSpec } from '../../src/gan/update.js'
import { dataOf } from '../../src/matrix/matrix.js'
import { kernels } from '../../src/wasm/kernels.js'

const epochOf = (config: GanConfig) => {
  const width = config.data.b.length
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
