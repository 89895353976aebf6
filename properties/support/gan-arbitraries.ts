/**
 * Arbitraries for GAN properties: small random configurations (any latent width, data
 * width, depths and widths, smooth activations), states initialised from them with weights
 * large enough to give substantial gradients, and matching minibatches and noise.
 */
import fc from 'fast-check'
import { type AffineGaussianData, type GanConfig, type GanState, type LayerConfig, initialState, seedConfig } from '../../src/gan/index.js'
import type { Matrix } from '../../src/matrix/index.js'
import type { Activation } from '../../src/nn/activation.js'
import { matrixOfShape } from './arbitraries.js'
import { dataWidth } from '../../src/gan/data.js'
import type { ObjectiveSpec } from '../../src/objectives/index.js'

/** Smooth activations only: finite differences are exact to O(h²) everywhere on them. */
export const smoothActivation: fc.Arbitrary<Activation> = fc.constantFrom<Activation>({ kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'identity' })
const smooth = smoothActivation

/** Every activation, kinks included (for properties that do not differentiate numerically). */
export const anyActivation: fc.Arbitrary<Activation> = fc.oneof(
  smooth,
  fc.constantFrom<Activation>({ kind: 'relu' }),
  fc.double({ min: 0, max: 0.5, noNaN: true }).map((alpha): Activation => ({ kind: 'leakyRelu', alpha })),
)

const hidden = (maxLayers: number, activation: fc.Arbitrary<Activation>): fc.Arbitrary<LayerConfig[]> =>
  fc.array(fc.record({ units: fc.integer({ min: 1, max: 5 }), activation }), { maxLength: maxLayers })

/** A valid configuration with random architecture (activations drawn from `activation`), data and seed. */
export const ganConfigWith = (activation: fc.Arbitrary<Activation>): fc.Arbitrary<GanConfig> =>
  fc
  .record({
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    latentDim: fc.integer({ min: 1, max: 3 }),
    width: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 3 }),
    gHidden: hidden(1, activation),
    gLast: activation,
    dHidden: hidden(2, activation),
    weightStd: fc.double({ min: 0.2, max: 1.5, noNaN: true }),
    biasInit: fc.constantFrom<'zeros' | 'normal'>('zeros', 'normal'),
    lrD: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
    lrG: fc.double({ min: 1e-3, max: 0.1, noNaN: true }),
    A: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 9, maxLength: 9 }),
    b: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .map((r) => ({
    ...seedConfig,
    seed: r.seed,
    epochs: 1,
    batchSize: 4,
    latentDim: r.latentDim,
    learningRateD: r.lrD,
    learningRateG: r.lrG,
    generator: { layers: [...r.gHidden, { units: r.width, activation: r.gLast }] },
    discriminator: { layers: [...r.dHidden, { units: 1, activation: { kind: 'identity' } as Activation }] },
    init: { weightStd: r.weightStd, biasInit: r.biasInit },
    data: {
      kind: 'affine-gaussian' as const,
      size: 12,
      A: Array.from({ length: r.k }, (_, i) => r.A.slice(i * 3, i * 3 + r.width)),
      b: r.b.slice(0, r.width),
    },
  }))

/** A valid configuration with random architecture (smooth activations), data and seed. */
export const ganConfig: fc.Arbitrary<GanConfig> = ganConfigWith(smooth)

/** A state from a random config with a real minibatch and noise of 1..5 rows. */
export const stateWithBatch: fc.Arbitrary<{ state: GanState; real: Matrix; noise: Matrix }> = fc
  .tuple(ganConfig, fc.integer({ min: 1, max: 5 }))
  .chain(([config, n]) =>
    fc.record({
      state: fc.constant(initialState(config)),
      real: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      noise: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
    }),
  )

/**
 * A valid configuration with random architecture as `ganConfigWith(activation)`, in which each
 * layer but D's last (the logit) is turned, three times in five, into a maxout layer of the
 * same units with 2..4 pieces; D's first layer always is, when D has a hidden layer.
 */
export const ganConfigWithMaxout = (activation: fc.Arbitrary<Activation>): fc.Arbitrary<GanConfig> =>
  fc
    .tuple(ganConfigWith(activation), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 6, maxLength: 6 }), fc.integer({ min: 2, max: 4 }))
    .map(([config, pieces, dPieces]) => {
      const maxout = (layer: LayerConfig, k: number): LayerConfig => (k < 2 ? layer : { kind: 'maxout', units: layer.units, pieces: k, activation: { kind: 'identity' } })
      const g = config.generator.layers.map((layer, l) => maxout(layer, pieces[l]!))
      const d = config.discriminator.layers.map((layer, l, all) => (l === all.length - 1 ? layer : maxout(layer, l === 0 ? dPieces : pieces[3 + l]!)))
      return { ...config, generator: { layers: g }, discriminator: { layers: d } }
    })

/** The data of a config the arbitraries built (always the affine Gaussian), typed as such; throws for another kind. */
export const affineData = (c: GanConfig): AffineGaussianData => {
  if (c.data.kind !== 'affine-gaussian') throw new Error(`expected affine-gaussian data, got ${c.data.kind}`)
  return c.data
}

/** Every objective of the family, with random clip bounds and penalty weights. */
export const anyObjective: fc.Arbitrary<ObjectiveSpec> = fc.oneof(
  fc.constant<ObjectiveSpec>({ kind: 'nonsaturating' }),
  fc.constant<ObjectiveSpec>({ kind: 'minimax' }),
  fc.constant<ObjectiveSpec>({ kind: 'least-squares', a: 0, b: 1, c: 1 }),
  fc.constant<ObjectiveSpec>({ kind: 'hinge' }),
  fc.double({ min: 0.01, max: 1, noNaN: true }).map((clip): ObjectiveSpec => ({ kind: 'wasserstein', clip })),
  fc.double({ min: 0.1, max: 10, noNaN: true }).map((lambda): ObjectiveSpec => ({ kind: 'wasserstein-gp', lambda })),
)

/**
 * A random architecture (every activation kind) with the family's options: a data size of
 * 1..30 rows in minibatches of 1..12 (ragged last ones included), 1..6 critic steps, any
 * objective, R1 or not, a pack that divides every minibatch, and dropout in D (never with a
 * gradient penalty).
 */
export const familyConfig: fc.Arbitrary<GanConfig> = fc
  .tuple(ganConfigWith(anyActivation), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), anyObjective, fc.boolean(), fc.nat(3), fc.nat(2))
  .map(([config, size, batch, criticSteps, objective, r1, packChoice, dropChoice]) => {
    const batchSize = Math.min(batch, size)
    // a pack that divides every minibatch (PacGAN's packing), 1 when only 1 does
    const packs = [1, 2, 3, 4].filter((m) => batchSize % m === 0 && (size % batchSize) % m === 0)
    // dropout of D's layer inputs (never with a gradient penalty): keeps 0.5, 0.8 or 1 by layer
    const dropout = dropChoice > 0 && !r1 && objective.kind !== 'wasserstein-gp'
    const keeps = [0.5, 0.8, 1]
    const dLayers = config.discriminator.layers.map((layer, l) => (dropout ? { ...layer, keep: keeps[(l + dropChoice) % 3]! } : layer))
    return {
      ...config,
      discriminator: { layers: dLayers },
      batchSize,
      data: { ...config.data, size },
      criticSteps,
      objective,
      pack: packs[packChoice % packs.length]!,
      ...(r1 ? { penalty: { kind: 'r1' as const, gamma: 1 } } : {}),
    }
  })

/**
 * The seed's game with D 2-64-64-1 (tanh), minibatches of `batchSize` rows and `size` rows of
 * data: 4 417 parameters of D, 13 251 results an update, so 12 updates exceed the 131 072
 * entries of one results block and a loop writes its updates into blocks of its own; D's
 * 64 -> 64 product on 16 rows is blocked, so its steps run in WebAssembly where the host runs
 * the WebAssembly kernels.
 */
export const wideDiscriminatorConfig = (batchSize: number, size: number): GanConfig => ({
  ...seedConfig,
  discriminator: {
    layers: [
      { units: 64, activation: { kind: 'tanh' } },
      { units: 64, activation: { kind: 'tanh' } },
      { units: 1, activation: { kind: 'identity' } },
    ],
  },
  batchSize,
  data: { ...affineData(seedConfig), size },
})
