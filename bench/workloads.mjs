// Workload definitions shared by the benchmark and the fingerprint (plain ESM over dist/).
import { seedConfig, rngFromSeed, uniforms, normalMatrix, fromFlat, split } from '../dist/index.js'

export { seedConfig }

// MNIST scale, as ../shared/bench/reference-mlp-gan-step.mjs: batch 64, G 64-256(relu)-784(tanh),
// D 784-256(leakyRelu 0.2)-1, Adam lr 2e-4, beta1 0.5, beta2 0.999, eps 1e-8, sigmoid BCE.
export const BATCH = 64
export const LATENT = 64
export const XD = 784
export const mnistConfig = Object.freeze({
  ...seedConfig,
  seed: 0,
  epochs: 1,
  batchSize: BATCH,
  latentDim: LATENT,
  learningRateD: 2e-4,
  learningRateG: 2e-4,
  adam: { beta1: 0.5, beta2: 0.999, epsilon: 1e-8 },
  generator: { layers: [{ units: 256, activation: { kind: 'relu' } }, { units: XD, activation: { kind: 'tanh' } }] },
  discriminator: {
    layers: [{ units: 256, activation: { kind: 'leakyRelu', alpha: 0.2 } }, { units: 1, activation: { kind: 'identity' } }],
  },
  init: { weightStd: 0.02, biasInit: 'zeros' },
  data: { kind: 'affine-gaussian', size: BATCH, A: [Array.from({ length: XD }, () => 1)], b: Array.from({ length: XD }, () => 0) },
})

// A deterministic pool of real minibatches (uniform in [-1, 1), like the baseline's data)
// and a noise stream: both from pure-gan's own PRNG.
export const mnistBatches = (count, seed = 1) => {
  let rng = rngFromSeed(seed)
  const out = []
  for (let i = 0; i < count; i++) {
    const [u, next] = uniforms(rng, BATCH * XD)
    rng = next
    const v = new Float64Array(u.length)
    for (let j = 0; j < v.length; j++) v[j] = 2 * u[j] - 1
    out.push(fromFlat(BATCH, XD, v))
  }
  return out
}

export const noiseStream = (seed = 2) => split(rngFromSeed(seed))[0]

// One MNIST-scale GAN step through the public pure functions, as the baseline's step():
// fresh noise Z (64x64), update_D on the real batch and Z, then update_G with the same Z.
export const mnistStep = (api, state, rng, real) => {
  const [noise, rng2] = api.normalMatrix(rng, BATCH, LATENT)
  const [lossD, s1] = api.updateD(state, real, noise)
  const [lossG, s2] = api.updateG(s1, noise)
  return [lossD, lossG, s2, rng2]
}

export { normalMatrix }
