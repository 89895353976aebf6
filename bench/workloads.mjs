// Workload definitions shared by the benchmark and the fingerprint (plain ESM over dist/).
import { seedConfig, rngFromSeed, uniforms, normalMatrix, fromFlat, split, initialState, trainBatches, updateD, updateG } from '../dist/index.js'

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
    // u is this loop's own fresh array: scaled where it lies, then copied into the matrix
    for (let j = 0; j < u.length; j++) u[j] = 2 * u[j] - 1
    out.push(fromFlat(BATCH, XD, u))
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

// Goodfellow et al. (2014)'s MNIST sizes (their mnist.yaml): batch 100, noise 100, G 100-1200
// relu-1200 relu-784 sigmoid, D 784-240-240-1. The paper's D is maxout (240 units x 5 pieces)
// with dropout and its optimiser SGD with momentum; the core has neither layer nor optimiser
// yet (issue 14), so D's hidden layers are relu and both players use the Adam settings above.
export const GOODFELLOW_BATCH = 100
export const GOODFELLOW_LATENT = 100
export const goodfellowConfig = Object.freeze({
  ...mnistConfig,
  batchSize: GOODFELLOW_BATCH,
  latentDim: GOODFELLOW_LATENT,
  generator: {
    layers: [
      { units: 1200, activation: { kind: 'relu' } },
      { units: 1200, activation: { kind: 'relu' } },
      { units: XD, activation: { kind: 'sigmoid' } },
    ],
  },
  discriminator: {
    layers: [
      { units: 240, activation: { kind: 'relu' } },
      { units: 240, activation: { kind: 'relu' } },
      { units: 1, activation: { kind: 'identity' } },
    ],
  },
  data: { ...mnistConfig.data, size: GOODFELLOW_BATCH },
})

/**
 * The multiply-adds of the products one D step and one G step compute, for layer widths
 * `g` (noise width first) and `d` (data width first) on `n` rows: D's step runs G forward (n
 * rows), D forward and D's parameter gradients on 2n rows, and D's input gradients for every
 * layer but the first; G's step runs D forward on n rows, D's input gradients for every
 * layer, G's parameter gradients and G's input gradients for every layer but the first (G's
 * forward pass is the one D's step left: the WebAssembly step reuses it).
 */
export const stepMultiplyAdds = (g, d, n) => {
  const layers = (w) => w.slice(1).map((units, i) => w[i] * units)
  const sum = (xs) => xs.reduce((a, b) => a + b, 0)
  const G = layers(g)
  const D = layers(d)
  const dStep = n * sum(G) + 2 * n * sum(D) + 2 * n * sum(D) + 2 * n * sum(D.slice(1))
  const gStep = n * sum(D) + n * sum(D) + n * sum(G) + n * sum(G.slice(1))
  return dStep + gStep
}

/**
 * GAN steps through the public pure functions, from `initialState(config)`, on `batches` in
 * turn (cycling): `run(from, count)` runs `count` steps from step `from` and returns the sums of
 * D's and G's batch losses; the state advances. `api` says how:
 * - `'batches'` (the default): one `trainBatches` call, each step's Z ~ N(0, 1) drawn from the
 *   state's PRNG; the intermediate states are never built.
 * - `'steps'`: per step, Z (batchSize x latentDim) from `noiseStream()`, `updateD` on the batch
 *   and Z, then `updateG` on Z: a state built and dropped each step.
 */
export const ganLoop = (config, batches, api = 'batches') => {
  if (api !== 'batches' && api !== 'steps') throw new Error(`api must be batches or steps, got ${api}`)
  let state = initialState(config)
  let rng = noiseStream()
  return (from, count) => {
    let sD = 0
    let sG = 0
    if (api === 'batches') {
      const [losses, next] = trainBatches(state, Array.from({ length: count }, (_, k) => batches[(from + k) % batches.length]))
      state = next
      for (const l of losses) {
        sD += l.lossD
        sG += l.lossG
      }
      return [sD, sG]
    }
    for (let i = from; i < from + count; i++) {
      const [noise, next] = normalMatrix(rng, config.batchSize, config.latentDim)
      const [lossD, s1] = updateD(state, batches[i % batches.length], noise)
      const [lossG, s2] = updateG(s1, noise)
      state = s2
      rng = next
      sD += lossD
      sG += lossG
    }
    return [sD, sG]
  }
}
