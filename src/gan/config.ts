/**
 * The configuration of a GAN run: plain data, validated once before anything runs.
 *
 * @module
 */
import { ACTIVATION_KINDS, isActivationKind } from '../nn/activation.js'
import * as E from '../fp/either.js'
import type { LayerSpec } from '../nn/network.js'
import { BATCHNORM_DEFAULTS } from '../kernels/batchnorm.js'
import { OBJECTIVE_DEFAULTS, OBJECTIVE_KINDS, type ObjectiveSpec } from '../objectives/index.js'
import { adamDefaults } from '../optim/adam.js'
import { MOMENTUM_SCHEDULE_OPTIONS, momentumDefaults, momentumRampProblem, withMomentumScheduleDefaults } from '../optim/momentum.js'
import { rmspropDefaults } from '../optim/rmsprop.js'
import { OPTIMIZER_KINDS, type OptimizerSpec } from '../optim/choice.js'
import { guarded } from '../validate/guarded.js'
import { isFiniteNumber, isPositiveInteger } from '../validate/numbers.js'
import { type PlainData, isPlainRecord, snapshotPlainData } from '../validate/plain-data.js'
import { preview, shownKey } from '../validate/preview.js'
import { type CheckedData, checkData } from './data-check.js'
import type { IdxTensor, PixelScale } from '../validate/idx.js'
import { resourceProblems } from './limits.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * One layer of a network (dense or maxout); the same type as `LayerSpec`, under its old name.
 *
 * @deprecated use LayerSpec
 * @category model
 * @since 0.1.0
 */
export type LayerConfig = LayerSpec

/**
 * The real data: `size` draws of `x·A + b` with `x ~ N(0, I)` (SEED.md's "lamest example").
 * `A` is `k x d` (k = rows, the latent width of the data), `b` has `d` entries; the data has
 * `d` columns.
 *
 * @category model
 * @since 0.1.0
 */
export interface AffineGaussianData {
  readonly kind: 'affine-gaussian'
  readonly size: number
  readonly A: ReadonlyArray<ReadonlyArray<number>>
  readonly b: ReadonlyArray<number>
}

/**
 * A mixture of Gaussians with equal weights and a common standard deviation `std` around
 * fixed modes, as the mode-collapse papers use them (VEEGAN, Srivastava et al. 2017; PacGAN,
 * Lin et al. 2018): `ring8`, the 8 modes `(cos 2πk/8, sin 2πk/8)`, k = 0..7, on the unit circle
 * (default std 0.01); `grid25`, the 25 modes `{-4, -2, 0, 2, 4}²` (default std 0.05). `size`
 * points, each from a mode drawn uniformly (docs/datasets.md).
 *
 * @category model
 * @since 0.5.0
 */
export interface MixtureData {
  readonly kind: 'ring8' | 'grid25'
  readonly size: number
  readonly std: number
}

/**
 * The swiss roll of the WGAN-GP toy code (Gulrajani et al. 2017): scikit-learn's
 * `make_swiss_roll` with noise `noise` (default 0.25), its first and third columns, divided
 * by `scale` (default 7.5): `t = 1.5π(1 + 2u)`, `u ~ U[0, 1)`, and the point
 * `((t cos t + noise·z₁)/scale, (t sin t + noise·z₂)/scale)`, `z ~ N(0, I)`.
 *
 * @category model
 * @since 0.5.0
 */
export interface SwissRollData {
  readonly kind: 'swissroll'
  readonly size: number
  readonly noise: number
  readonly scale: number
}

/**
 * scikit-learn's `make_moons`: two interleaving half circles, `floor(size/2)` points at
 * `(cos t, sin t)` and the rest at `(1 − cos t, 1/2 − sin t)`, `t` evenly spaced on `[0, π]`
 * (numpy's `linspace`), shuffled, plus `N(0, noise²)` on each coordinate (default noise 0.1).
 *
 * @category model
 * @since 0.5.0
 */
export interface MoonsData {
  readonly kind: 'moons'
  readonly size: number
  readonly noise: number
}

/**
 * The user's own data, row by row (`pure-gan train --data csv:PATH` reads a CSV file into
 * it): at least 4 rows (the run's classifier test trains on half and tests on half), every
 * row with the same number of finite entries, at least 1, at most 1 000 000 numbers in all.
 * The data is the rows themselves, in order; the data stream is not used.
 *
 * @category model
 * @since 0.5.0
 */
export interface TableData {
  readonly kind: 'table'
  readonly rows: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * Images in the MNIST layout (the training half of four IDX files: images `count x rows x
 * cols` of unsigned bytes and their digit labels), named by the SHA-256 `digest` of the
 * training images file, so that a config stays small and a run's record says exactly which
 * digits it used. The pixels are not in the config: every function that needs the data takes
 * them as an {@link MnistSource} whose digest must be this one (the command line reads the
 * files: `--data mnist` or `mnist:DIR`).
 *
 * The data stream draws one permutation of the `count` training images (`permutation`): its
 * first `validation` entries are the held-out validation split, the next `size` the training
 * rows, in that order; the rest are unused. Pixels are scaled by `scale` (`'0..1'`: `p/255`,
 * `'-1..1'`: `(2p − 255)/255`, as `mnistImages`). `width` is `rows · cols` (784 for MNIST).
 *
 * - `digest`: 64 lower-case hexadecimal digits.
 * - `size`: an integer in 2..`count − validation`; `validation` (default 10 000) in
 *   0..`count − size`; the source's count is checked when the pixels are supplied.
 * - `scale` (default `'0..1'`, the paper's sigmoid output range).
 *
 * @category model
 * @since 0.5.0
 */
export interface MnistData {
  readonly kind: 'mnist'
  readonly digest: string
  readonly width: number
  readonly size: number
  readonly validation: number
  readonly scale: PixelScale
}

/**
 * The pixels an {@link MnistData} config names: the training images and labels as parsed IDX
 * tensors (`parseIdx`), and the SHA-256 (hex) of the images file they were read from. The
 * core does not hash: the caller (the command line, with Node's crypto) vouches for `digest`,
 * and the data's functions refuse a source whose digest differs from the config's.
 *
 * @category model
 * @since 0.5.0
 */
export interface MnistSource {
  readonly digest: string
  readonly train: { readonly images: IdxTensor; readonly labels: IdxTensor }
}

/**
 * The real data of a run (config field `data`): the seed's affine Gaussian, a mixture with
 * known modes, the swiss roll, the two moons, a table of the user's rows, or MNIST's images
 * by digest (docs/datasets.md).
 *
 * @category model
 * @since 0.5.0
 */
export type DataSpec = AffineGaussianData | MixtureData | SwissRollData | MoonsData | TableData | MnistData

/**
 * Everything that determines a run, bit for bit. Stored inside every `GanState`, so a state
 * alone is enough to continue a run.
 *
 * - `generator.layers`: G's layers (`LayerSpec`: dense, maxout with 2..64 pieces, or batch
 *   normalisation, whose `units` equal its input's width, `momentum` in `[0, 1]` and `epsilon`
 *   `> 0` filled in with PyTorch's 0.1 and 1e-5 when left out; G's only, and then every
 *   minibatch must have at least 2 rows); its input is `latentDim` wide, its last layer must
 *   have as many units as the data has columns.
 * - `discriminator.layers`: D's layers; its input is the data's width, its last layer must be
 *   a dense layer of 1 unit with the identity activation (a logit). A layer's optional `keep`
 *   in `(0, 1]` drops its input in training (inverted dropout, docs/gan.md; D's only, and never
 *   with a gradient penalty).
 * - `learningRateD`, `learningRateG`: Adam step sizes; `adam`: the shared Adam constants.
 *   Each step rescales gradients by 1 / (rows of its minibatch), as Gluon's `trainer.step`.
 * - `init`: weights from N(0, weightStd²); biases zero (`'zeros'`, Gluon) or N(0, weightStd²).
 *   Optional: `discriminatorWeightStd`, D's own scale (G keeps `weightStd`), and
 *   `generatorOutputBias: 'marginals'`, G's last biases at the logits of the data's column
 *   means (pylearn2's, for a sigmoid output; `initialState`).
 * - `objective` (optional, default `{ kind: 'nonsaturating' }`, the seed's): the GAN's
 *   losses (`ObjectiveSpec`, docs/objectives.md). A config without it is the seed's game.
 * - `criticSteps` (optional, default 1): discriminator updates per generator update, each on
 *   its own minibatch and noise; the generator's update uses the last one's noise
 *   (docs/gan.md, "Critic steps").
 * - `penalty` (optional, default none): R1's gradient penalty on D (`PenaltySpec`).
 * - `pack` (optional, default 1): PacGAN's packing (Lin et al. 2018): D's input row is `pack`
 *   consecutive rows of a minibatch concatenated, real with real and fake with fake, so D's
 *   input is `pack · width` wide; `pack` must divide every minibatch (docs/gan.md, "Packing").
 * - `optimizerD`, `optimizerG` (optional, default Adam with the constants of `adam`): each
 *   player's optimiser (`OptimizerSpec`, docs/optimizers.md); its learning rate stays
 *   `learningRateD` / `learningRateG`.
 * - `noise` (optional, default `{ kind: 'normal' }`, the seed's): the distribution of G's
 *   input `Z` (`NoiseSpec`; docs/gan.md, "The noise").
 *
 * @category model
 * @since 0.1.0
 */
export interface GanConfig {
  readonly seed: number
  readonly epochs: number
  readonly batchSize: number
  readonly latentDim: number
  readonly learningRateD: number
  readonly learningRateG: number
  readonly adam: { readonly beta1: number; readonly beta2: number; readonly epsilon: number }
  readonly generator: { readonly layers: ReadonlyArray<LayerSpec> }
  readonly discriminator: { readonly layers: ReadonlyArray<LayerSpec> }
  readonly init: {
    readonly weightStd: number
    readonly biasInit: 'zeros' | 'normal'
    readonly discriminatorWeightStd?: number
    readonly generatorOutputBias?: 'marginals'
  }
  readonly data: DataSpec
  readonly objective?: ObjectiveSpec
  readonly criticSteps?: number
  readonly optimizerD?: OptimizerSpec
  readonly optimizerG?: OptimizerSpec
  readonly penalty?: PenaltySpec
  readonly pack?: number
  readonly noise?: NoiseSpec
}

/**
 * The distribution of the generator's input `Z`, each entry drawn independently from the
 * run's stream: `normal`, N(0, 1) (the seed's, and the default), or `uniform`, U[−bound,
 * bound) with `bound > 0` (default √3, `Math.sqrt(3)`, for unit variance: Goodfellow et al.
 * 2014's MNIST noise), drawn as `bound · (2u − 1)` from the stream's uniforms `u` in [0, 1)
 * (`2u − 1` is exact; one rounding in the product).
 *
 * @category model
 * @since 0.5.0
 */
export type NoiseSpec = { readonly kind: 'normal' } | { readonly kind: 'uniform'; readonly bound: number }

/**
 * The config's noise distribution, `{ kind: 'normal' }` when it names none.
 *
 * @category model
 * @since 0.5.0
 */
export const noiseSpecOf = (config: GanConfig): NoiseSpec => config.noise ?? NORMAL_NOISE

const NORMAL_NOISE: NoiseSpec = Object.freeze({ kind: 'normal' })

/** The default bound of uniform noise, √3: U[−√3, √3) has variance 1. */
export const UNIFORM_NOISE_BOUND = Math.sqrt(3)

/**
 * The config's pack size `m` (PacGAN), 1 when it sets none: D sees `m` samples concatenated
 * per input row.
 *
 * @category model
 * @since 0.3.0
 */
export const packOf = (config: GanConfig): number => config.pack ?? 1

/**
 * A gradient penalty on D added to any objective (config field `penalty`): R1 (Mescheder et
 * al. 2018), `(γ/2)·Σ_i ‖∇_x D(x_i)‖²` over the real rows of each D step, `gamma` > 0
 * (default 10). (WGAN-GP's penalty belongs to its objective, `wasserstein-gp`.)
 *
 * @category model
 * @since 0.3.0
 */
export type PenaltySpec = { readonly kind: 'r1'; readonly gamma: number }

/**
 * A player's optimiser: the config's `optimizerD` (`'D'`) or `optimizerG` (`'G'`), or, when it
 * names none, Adam with the constants of `config.adam` (the seed's).
 *
 * @category model
 * @since 0.3.0
 */
export const optimizerSpecOf = (config: GanConfig, player: 'D' | 'G'): OptimizerSpec =>
  // config.adam as it is (a hand-built config's extra key still reaches Adam's option check)
  (player === 'D' ? config.optimizerD : config.optimizerG) ?? ({ ...config.adam, kind: 'adam' } as OptimizerSpec)

/**
 * The config's objective, `{ kind: 'nonsaturating' }` when it names none.
 *
 * @category model
 * @since 0.3.0
 */
export const objectiveSpecOf = (config: GanConfig): ObjectiveSpec => config.objective ?? NONSATURATING

const NONSATURATING: ObjectiveSpec = Object.freeze({ kind: 'nonsaturating' })

/**
 * The config's discriminator updates per generator update, 1 when it sets none.
 *
 * @category model
 * @since 0.3.0
 */
export const criticStepsOf = (config: GanConfig): number => config.criticSteps ?? 1

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The seed's configuration (SEED.md, d2l.ai's GAN chapter): 1000 points of
 * `N(0, I)·[[1, 2], [-0.1, 0.5]] + [1, 2]`, batch 8, Adam with lr_D 0.05 and lr_G 0.005
 * (Gluon defaults otherwise), latent size 2, 20 epochs, G = Dense(2),
 * D = Dense(5, tanh) -> Dense(3, tanh) -> Dense(1), weights N(0, 0.02²), zero biases.
 * Seed 0.
 *
 * @example
 * import { seedConfig } from 'pure-gan'
 * const longer = { ...seedConfig, epochs: 40, seed: 7 }
 *
 * @category constructors
 * @since 0.1.0
 */
export const seedConfig: GanConfig & { readonly data: AffineGaussianData } = deepFreeze({
  seed: 0,
  epochs: 20,
  batchSize: 8,
  latentDim: 2,
  learningRateD: 0.05,
  learningRateG: 0.005,
  adam: { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  generator: { layers: [{ units: 2, activation: { kind: 'identity' } }] },
  discriminator: {
    layers: [
      { units: 5, activation: { kind: 'tanh' } },
      { units: 3, activation: { kind: 'tanh' } },
      { units: 1, activation: { kind: 'identity' } },
    ],
  },
  init: { weightStd: 0.02, biasInit: 'zeros' },
  data: {
    kind: 'affine-gaussian',
    size: 1000,
    A: [
      [1, 2],
      [-0.1, 0.5],
    ],
    b: [1, 2],
  },
})

/** `value` with every object and array in it frozen (in place), returned. @internal */
export function deepFreeze<T>(value: T): T {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: K-LOAD
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 4294967295

/** `x` is an integer in `1..max`: a count (epochs, a width, a size). */
const isPositiveIntegerUpTo = (x: unknown, max: number): boolean => isPositiveInteger(x) && x <= max

/** `x` is a seed: an integer in `0..MAX_SEED` (-0 is read as 0). */
const isSeed = (x: unknown): boolean => x === 0 || isPositiveIntegerUpTo(x, MAX_SEED)

const isPositiveFinite = (x: unknown): boolean => isFiniteNumber(x) && x > 0

const show = (x: unknown): string => preview(x)


type PlainRecord = { readonly [key: string]: PlainData }

/** A field's path for a message: `adam.beta1`, `generator.layers[0].foo` (keys over 100 characters cut). */
const fieldPath = (path: string, key: string): string => (path === '' ? shownKey(key) : `${path}.${shownKey(key)}`)

/** One message per own key of `record` that is not in `known`, naming its path and the known fields. */
const checkKnownKeys = (record: PlainRecord, path: string, known: ReadonlyArray<string>, what: string, errors: string[]): void => {
  for (const k of Object.keys(record)) {
    if (!known.includes(k)) errors.push(`unknown config field ${JSON.stringify(fieldPath(path, k))}; known fields of ${what}: ${known.join(', ')}`)
  }
}

const checkActivation = (path: string, a: PlainData, errors: string[]): void => {
  const kind = isPlainRecord(a) ? a['kind'] : undefined
  if (!isPlainRecord(a) || !isActivationKind(kind)) {
    errors.push(`${path}.kind must be one of ${ACTIVATION_KINDS.join(', ')}, got ${show(kind)}`)
    if (isPlainRecord(a)) checkKnownKeys(a, path, ['kind', 'alpha'], 'an activation', errors)
    return
  }
  if (kind === 'leakyRelu') {
    const alpha = a['alpha']
    if (!(isFiniteNumber(alpha) && alpha >= 0 && alpha < 1)) {
      errors.push(`${path}.alpha must be a number in [0, 1), got ${show(alpha)}`)
    }
    checkKnownKeys(a, path, ['kind', 'alpha'], 'a leakyRelu activation', errors)
  } else {
    // alpha has no effect on any other activation: a config that sets it means something else.
    if (Object.hasOwn(a, 'alpha')) {
      errors.push(`unknown config field ${JSON.stringify(`${path}.alpha`)}: only a leakyRelu activation takes alpha; known fields of a ${String(kind)} activation: kind`)
    }
    checkKnownKeys(
      Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'alpha')),
      path,
      ['kind'],
      `a ${String(kind)} activation`,
      errors,
    )
  }
}

/** The most pieces of a maxout layer (docs/limits.md); the papers use 2 to 5. */
export const MAX_MAXOUT_PIECES = 64

/**
 * One message per problem of a list of layers at `field`, true when there is none. A layer
 * is `{ units, activation }` (dense, the kind a layer without `kind` has), `{ kind: "dense",
 * units, activation }`, `{ kind: "maxout", units, pieces, activation }` with `pieces` in
 * 2..MAX_MAXOUT_PIECES and the identity (the max is the layer's nonlinearity), or
 * `{ kind: "batchnorm", units, activation, momentum?, epsilon? }` with `momentum` in `[0, 1]`
 * and `epsilon` a finite number `> 0`.
 */
const checkLayers = (field: string, layers: PlainData, errors: string[]): boolean => {
  if (!Array.isArray(layers) || layers.length === 0) {
    errors.push(`${field} must be a non-empty array of layers, got ${show(layers)}`)
    return false
  }
  const before = errors.length
  ;(layers as ReadonlyArray<PlainData>).forEach((layer, i) => {
    const path = `${field}[${i}]`
    if (!isPlainRecord(layer)) {
      errors.push(`${path} must be a layer { units, activation }, got ${show(layer)}`)
      return
    }
    const hasKind = Object.hasOwn(layer, 'kind')
    const kind = layer['kind']
    if (hasKind && kind !== 'dense' && kind !== 'maxout' && kind !== 'batchnorm') {
      errors.push(`${path}.kind must be one of dense, maxout, batchnorm, got ${show(kind)}`)
      return
    }
    if (!isPositiveIntegerUpTo(layer['units'], 100_000)) errors.push(`${path}.units must be an integer in 1..100000, got ${show(layer['units'])}`)
    if (Object.hasOwn(layer, 'keep')) {
      const keep = layer['keep']
      if (!(typeof keep === 'number' && keep > 0 && keep <= 1)) errors.push(`${path}.keep must be a number in (0, 1] (the probability of keeping an input), got ${show(keep)}`)
    }
    const activation = layer['activation']
    checkActivation(`${path}.activation`, activation, errors)
    if (kind === 'maxout') {
      const pieces = layer['pieces']
      if (!(isPositiveIntegerUpTo(pieces, MAX_MAXOUT_PIECES) && (pieces as number) >= 2)) {
        errors.push(`${path}.pieces must be an integer in 2..${MAX_MAXOUT_PIECES}, got ${show(pieces)}`)
      }
      const a = isPlainRecord(activation) ? activation['kind'] : undefined
      if (isActivationKind(a) && a !== 'identity') {
        errors.push(`${path}.activation must be identity for a maxout layer (the max is its nonlinearity), got ${a}`)
      }
      checkKnownKeys(layer, path, ['kind', 'units', 'pieces', 'activation', 'keep'], 'a maxout layer', errors)
    } else if (kind === 'batchnorm') {
      const { momentum, epsilon } = layer
      if (momentum !== undefined && !(isFiniteNumber(momentum) && momentum >= 0 && momentum <= 1)) {
        errors.push(`${path}.momentum must be a number in [0, 1] (the running statistics' step towards the batch's), got ${show(momentum)}`)
      }
      if (epsilon !== undefined && !(isFiniteNumber(epsilon) && epsilon > 0)) errors.push(`${path}.epsilon must be a finite number > 0 (added to the variance), got ${show(epsilon)}`)
      checkKnownKeys(layer, path, ['kind', 'units', 'activation', 'momentum', 'epsilon'], 'a batch normalisation layer', errors)
    } else if (hasKind) checkKnownKeys(layer, path, ['kind', 'units', 'activation', 'keep'], 'a dense layer', errors)
    else checkKnownKeys(layer, path, ['units', 'activation', 'keep'], 'a layer', errors)
  })
  return errors.length === before
}

/**
 * With batch normalisation in G every minibatch needs at least 2 rows (one row has no
 * variance, and the running variance's `n/(n − 1)` divides by zero): a `batchSize` of 1, or a
 * data size that leaves a last minibatch of one row, is refused.
 */
const checkBatchNormRows = (batchSize: PlainData | undefined, dataSize: number | undefined, errors: string[]): void => {
  if (batchSize === 1) errors.push('batchSize must be at least 2 with batch normalisation in the generator (one row has no variance), got 1')
  else if (typeof batchSize === 'number' && dataSize !== undefined && dataSize % batchSize === 1) {
    errors.push(`batchSize ${batchSize} leaves a last minibatch of 1 row of data.size ${dataSize}; batch normalisation in the generator needs at least 2 rows (choose a batchSize that does not leave 1)`)
  }
}

/** The fields a config may leave out, each with its default (see `GanConfig`). */
const OPTIONAL_FIELDS = ['objective', 'criticSteps', 'optimizerD', 'optimizerG', 'penalty', 'pack', 'noise'] as const

/** The largest pack size. */
const MAX_PACK = 64

/** The most critic steps per generator step. */
const MAX_CRITIC_STEPS = 1000

/** Each objective's options: name, default, the allowed range in words and its test. */
const OBJECTIVE_OPTIONS: { readonly [K in ObjectiveSpec['kind']]: ReadonlyArray<readonly [string, number, string, (x: number) => boolean]> } = {
  nonsaturating: [],
  minimax: [],
  'least-squares': [
    ['a', OBJECTIVE_DEFAULTS['least-squares'].a, 'a finite number', () => true],
    ['b', OBJECTIVE_DEFAULTS['least-squares'].b, 'a finite number', () => true],
    ['c', OBJECTIVE_DEFAULTS['least-squares'].c, 'a finite number', () => true],
  ],
  hinge: [],
  wasserstein: [['clip', OBJECTIVE_DEFAULTS.wasserstein.clip, 'a finite number > 0', (x) => x > 0]],
  'wasserstein-gp': [['lambda', OBJECTIVE_DEFAULTS['wasserstein-gp'].lambda, 'a finite number > 0', (x) => x > 0]],
}

/**
 * The config's `objective` with every option it leaves out filled in, or `undefined` when it
 * is absent or invalid (each problem pushed onto `errors`, naming the field and its range).
 */
const checkObjective = (o: PlainData | undefined, errors: string[]): ObjectiveSpec | undefined => {
  if (o === undefined) return undefined
  const kind = isPlainRecord(o) ? o['kind'] : undefined
  if (!isPlainRecord(o) || !(OBJECTIVE_KINDS as ReadonlyArray<unknown>).includes(kind)) {
    errors.push(`objective.kind must be one of ${OBJECTIVE_KINDS.join(', ')}, got ${show(kind)}`)
    return undefined
  }
  return checkOptions('objective', o, String(kind), OBJECTIVE_OPTIONS[kind as ObjectiveSpec['kind']], `the ${String(kind)} objective`, errors) as ObjectiveSpec | undefined
}

/**
 * Each optimiser's options: name, default, the allowed range in words and its test
 * (docs/optimizers.md). Momentum's schedule options have no default here: recorded only when
 * given (`withMomentumScheduleDefaults` completes a named group), so that a config without a
 * schedule keeps its pre-0.5.0 record.
 */
const OPTIMIZER_OPTIONS: { readonly [K in OptimizerSpec['kind']]: ReadonlyArray<readonly [string, number | undefined, string, (x: number) => boolean]> } = {
  adam: [
    ['beta1', adamDefaults.beta1, 'a number in [0, 1)', (x) => x >= 0 && x < 1],
    ['beta2', adamDefaults.beta2, 'a number in [0, 1)', (x) => x >= 0 && x < 1],
    ['epsilon', adamDefaults.epsilon, 'a finite number > 0', (x) => x > 0],
  ],
  rmsprop: [
    ['rho', rmspropDefaults.rho, 'a number in [0, 1)', (x) => x >= 0 && x < 1],
    ['epsilon', rmspropDefaults.epsilon, 'a finite number > 0', (x) => x > 0],
  ],
  momentum: [['momentum', momentumDefaults.momentum, 'a number in [0, 1)', (x) => x >= 0 && x < 1], ...MOMENTUM_SCHEDULE_OPTIONS.map(([name, , range, ok]) => [name, undefined, range, ok] as const)],
  sgd: [],
}

/**
 * A player's optimiser (`field` is `optimizerD` or `optimizerG`) with every option it leaves
 * out filled in, or `undefined` when it is absent or invalid (each problem pushed onto
 * `errors`).
 */
const checkOptimizer = (field: string, o: PlainData | undefined, errors: string[]): OptimizerSpec | undefined => {
  if (o === undefined) return undefined
  const kind = isPlainRecord(o) ? o['kind'] : undefined
  if (!isPlainRecord(o) || !(OPTIMIZER_KINDS as ReadonlyArray<unknown>).includes(kind)) {
    errors.push(`${field}.kind must be one of ${OPTIMIZER_KINDS.join(', ')}, got ${show(kind)}`)
    return undefined
  }
  const spec = checkOptions(field, o, String(kind), OPTIMIZER_OPTIONS[kind as OptimizerSpec['kind']], `the ${String(kind)} optimizer`, errors) as OptimizerSpec | undefined
  if (spec?.kind !== 'momentum') return spec
  const filled = withMomentumScheduleDefaults(spec)
  const problem = momentumRampProblem(filled.rampStart ?? momentumDefaults.rampStart, filled.rampSaturate ?? momentumDefaults.rampSaturate, ' for the momentum optimizer')
  if (problem === null) return filled
  errors.push(`${field}.${problem}`)
  return undefined
}

/**
 * Checks `pack`: an integer in 1..MAX_PACK that divides the minibatch size and, when the data
 * does not split into whole minibatches, the last minibatch's rows too (each D input row is
 * a whole pack). Skipped beyond the range check when the batch or data are themselves invalid.
 */
const checkPack = (pack: PlainData | undefined, batchSize: PlainData | undefined, size: number | undefined, errors: string[]): void => {
  if (!isPositiveIntegerUpTo(pack, MAX_PACK)) {
    errors.push(`pack must be an integer in 1..${MAX_PACK}, got ${show(pack)}`)
    return
  }
  if (!isPositiveInteger(batchSize) || size === undefined || batchSize > size) return
  const m = pack as number
  const last = size % batchSize
  if (batchSize % m !== 0) errors.push(`pack must divide batchSize (${batchSize}): each of D's input rows is a whole pack, got ${m}`)
  else if (last !== 0 && last % m !== 0) {
    errors.push(`pack must divide the last minibatch's rows too (data.size ${size} mod batchSize ${batchSize} = ${last}), got ${m}`)
  }
}

/** The config's `penalty` with `gamma` filled in, or `undefined` when absent or invalid (problems onto `errors`). */
const checkPenalty = (o: PlainData | undefined, errors: string[]): PenaltySpec | undefined => {
  if (o === undefined) return undefined
  const kind = isPlainRecord(o) ? o['kind'] : undefined
  if (!isPlainRecord(o) || kind !== 'r1') {
    errors.push(`penalty.kind must be r1, got ${show(kind)}`)
    return undefined
  }
  return checkOptions('penalty', o, 'r1', [['gamma', 10, 'a finite number > 0', (x) => x > 0]], 'the r1 penalty', errors) as PenaltySpec | undefined
}

/** The config's `noise` with `bound` filled in, or `undefined` when absent or invalid (problems onto `errors`). */
const checkNoise = (o: PlainData | undefined, errors: string[]): NoiseSpec | undefined => {
  if (o === undefined) return undefined
  const kind = isPlainRecord(o) ? o['kind'] : undefined
  if (!isPlainRecord(o) || (kind !== 'normal' && kind !== 'uniform')) {
    errors.push(`noise.kind must be one of normal, uniform, got ${show(kind)}`)
    return undefined
  }
  if (kind === 'normal') return checkOptions('noise', o, 'normal', [], 'normal noise', errors) as NoiseSpec | undefined
  return checkOptions('noise', o, 'uniform', [['bound', UNIFORM_NOISE_BOUND, 'a finite number > 0', (x) => x > 0]], 'uniform noise', errors) as NoiseSpec | undefined
}

/**
 * The record `o` (of kind `kind`, at `field`) with its options checked against `options` and
 * those left out filled in (but those without a default, left out); `undefined` after pushing
 * each problem onto `errors`.
 */
const checkOptions = (
  field: string,
  o: PlainRecord,
  kind: string,
  options: ReadonlyArray<readonly [string, number | undefined, string, (x: number) => boolean]>,
  what: string,
  errors: string[],
): PlainRecord | undefined => {
  const before = errors.length
  const filled: { [key: string]: PlainData } = { kind }
  for (const [name, fallback, range, ok] of options) {
    // an option without a default is recorded only when given
    if (fallback === undefined && !Object.hasOwn(o, name)) continue
    const v = Object.hasOwn(o, name) ? o[name] : fallback
    if (isFiniteNumber(v) && ok(v)) filled[name] = v
    else errors.push(`${field}.${name} must be ${range} for ${what}, got ${show(v)}`)
  }
  checkKnownKeys(o, field, ['kind', ...options.map((opt) => opt[0])], what, errors)
  // Stryker disable next-line ConditionalExpression: E-NOOP an error was pushed: a Left anyway
  return errors.length === before ? filled : undefined
}

/** The most values a config can hold that validateConfig reads (a 1024 x 1024 data.A is about half). */
const CONFIG_MAX_VALUES = 2 ** 21

/** The deepest a config nests (generator.layers[0].activation.kind is at depth 5). */
const CONFIG_MAX_DEPTH = 16

/**
 * Checks every field of a configuration and collects one message per invalid field, each
 * naming the field, its allowed range and the value found. Nothing runs on a `Left`.
 *
 * - It returns a value for every input and never throws. The input is first read once into
 *   plain data (`snapshotPlainData`: each own property read exactly once, at most 16 levels
 *   deep and 2^21 values, no cycles, no Map, Date, typed array, class instance or other
 *   non-plain object, no symbol keys, no holes); what it cannot read is a `Left` naming the
 *   path.
 * - Unknown keys are refused at every depth, naming their path (`adam.learningRate`,
 *   `generator.layers[0].activation.foo`); so is `alpha` on an activation other than
 *   leakyRelu.
 * - Every field is checked against its range; then the resource limits of `RUN_LIMITS`
 *   (docs/limits.md), each with the numbers and the limit.
 *
 * A `Right` holds that plain copy, frozen, with every -0 read as +0 (JSON cannot carry -0,
 * and a config must survive the state codec unchanged): the value checked is the value used.
 *
 * @example
 * import { seedConfig, validateConfig } from 'pure-gan'
 * import * as E from 'fp-ts/lib/Either.js'
 * E.isLeft(validateConfig({ ...seedConfig, batchSize: 0 })) // true
 * E.isLeft(validateConfig({ ...seedConfig, adam: { ...seedConfig.adam, learningRate: 1 } })) // true
 *
 * @category validation
 * @since 0.1.0
 */
export const validateConfig = (config: unknown): E.Either<ReadonlyArray<string>, ValidConfig> => {
  const validate = () => {
    const plain = snapshotPlainData(config, { maxDepth: CONFIG_MAX_DEPTH, maxValues: CONFIG_MAX_VALUES, rootName: 'config' })
    return E.isLeft(plain) ? plain : validatePlainConfig(plain.right)
  }
  // Stryker disable next-line all: E-UNREACHED every reading is guarded, over bounded plain data
  return guarded(validate, (message) => [`config: could not be validated (${message})`])
}

/** `validateConfig` on a value that is already a plain-data snapshot. */
const validatePlainConfig = (config: PlainData): E.Either<ReadonlyArray<string>, ValidConfig> => {
  const errors: string[] = []
  if (!isPlainRecord(config)) return E.left([`config must be an object, got ${show(config)}`])
  const c = config
  if (!isSeed(c['seed'])) errors.push(`seed must be an integer in 0..${MAX_SEED}, got ${show(c['seed'])}`)
  if (!isPositiveIntegerUpTo(c['epochs'], 1_000_000)) errors.push(`epochs must be an integer in 1..1000000, got ${show(c['epochs'])}`)
  if (!isPositiveIntegerUpTo(c['latentDim'], 100_000)) errors.push(`latentDim must be an integer in 1..100000, got ${show(c['latentDim'])}`)
  if (!isPositiveFinite(c['learningRateD'])) errors.push(`learningRateD must be a finite number > 0, got ${show(c['learningRateD'])}`)
  if (!isPositiveFinite(c['learningRateG'])) errors.push(`learningRateG must be a finite number > 0, got ${show(c['learningRateG'])}`)

  const adam = c['adam']
  if (!isPlainRecord(adam)) errors.push(`adam must be { beta1, beta2, epsilon }, got ${show(adam)}`)
  else {
    for (const k of ['beta1', 'beta2'] as const) {
      const v = adam[k]
      if (!(typeof v === 'number' && v >= 0 && v < 1)) errors.push(`adam.${k} must be a number in [0, 1), got ${show(v)}`)
    }
    const epsilon = adam['epsilon']
    if (!isPositiveFinite(epsilon)) {
      errors.push(`adam.epsilon must be a finite number > 0, got ${show(epsilon)}`)
    }
    checkKnownKeys(adam, 'adam', ['beta1', 'beta2', 'epsilon'], 'adam', errors)
  }

  const init = c['init']
  if (!isPlainRecord(init)) errors.push(`init must be { weightStd, biasInit }, got ${show(init)}`)
  else {
    const weightStd = init['weightStd']
    if (!(isFiniteNumber(weightStd) && weightStd >= 0)) {
      errors.push(`init.weightStd must be a finite number >= 0, got ${show(weightStd)}`)
    }
    if (init['biasInit'] !== 'zeros' && init['biasInit'] !== 'normal') {
      errors.push(`init.biasInit must be "zeros" or "normal", got ${show(init['biasInit'])}`)
    }
    const dStd = init['discriminatorWeightStd']
    if (dStd !== undefined && !(isFiniteNumber(dStd) && dStd >= 0)) {
      errors.push(`init.discriminatorWeightStd must be a finite number >= 0 (D's weights' std, when it differs from G's weightStd), got ${show(dStd)}`)
    }
    const outputBias = init['generatorOutputBias']
    if (outputBias !== undefined && outputBias !== 'marginals') {
      errors.push(`init.generatorOutputBias must be "marginals" (G's output biases from the data's per-column means) or absent, got ${show(outputBias)}`)
    }
    checkKnownKeys(init, 'init', ['weightStd', 'biasInit', 'discriminatorWeightStd', 'generatorOutputBias'], 'init', errors)
  }

  // The data: its width fixes G's output and D's input.
  const checkedData = checkData(c['data'], errors)
  const dataWidth = checkedData?.width
  const dataSize = checkedData?.size

  if (!isPositiveIntegerUpTo(c['batchSize'], dataSize ?? 10_000_000)) {
    errors.push(`batchSize must be an integer in 1..${dataSize ?? 'data.size'}, got ${show(c['batchSize'])}`)
  }

  let dropping = false
  for (const [name, isG] of [['generator', true], ['discriminator', false]] as const) {
    const net = c[name]
    const layers = isPlainRecord(net) ? net['layers'] : undefined
    if (checkLayers(`${name}.layers`, layers, errors)) {
      const all = layers as unknown as ReadonlyArray<LayerSpec>
      const last = all[all.length - 1]!
      let width: unknown = isG ? c['latentDim'] : undefined
      all.forEach((layer, i) => {
        if (isG && Object.hasOwn(layer, 'keep')) errors.push(`generator.layers[${i}].keep: dropout is for the discriminator's layers only, not the generator's`)
        if (layer.kind === 'batchnorm') {
          if (!isG) errors.push(`discriminator.layers[${i}]: batch normalisation is for the generator's layers only, not the discriminator's (D's batch mixes real and generated rows, and the gradient penalties are per-row)`)
          else if (typeof width === 'number' && layer.units !== width) {
            errors.push(`generator.layers[${i}].units must equal its input's width ${width} (a batch normalisation layer keeps the width), got ${layer.units}`)
          }
        }
        width = layer.units
      })
      if (isG && all.some((layer) => layer.kind === 'batchnorm')) checkBatchNormRows(c['batchSize'], dataSize, errors)
      if (!isG) dropping = all.some((layer) => layer.keep !== undefined && layer.keep < 1)
      if (isG && dataWidth !== undefined && last.units !== dataWidth) {
        errors.push(`generator.layers: the last layer must have ${dataWidth} units (the data's width), got ${last.units}`)
      }
      const init = c['init']
      if (isG && isPlainRecord(init) && init['generatorOutputBias'] === 'marginals' && (last.kind !== undefined && last.kind !== 'dense' || last.activation.kind !== 'sigmoid')) {
        errors.push(`init.generatorOutputBias "marginals" needs G's last layer to be dense with the sigmoid activation (its biases become the logits of the data's means), got ${last.kind ?? 'dense'} ${last.activation.kind}`)
      }
      if (!isG && last.kind === 'maxout') {
        errors.push(`discriminator.layers: the last layer must be a dense { units: 1, activation: identity } (a logit), got a maxout layer (units ${last.units}, pieces ${last.pieces})`)
      } else if (!isG && (last.units !== 1 || last.activation.kind !== 'identity')) {
        errors.push(
          `discriminator.layers: the last layer must be { units: 1, activation: identity } (a logit), got units ${last.units}, activation ${last.activation.kind}`,
        )
      }
    }
    if (isPlainRecord(net)) checkKnownKeys(net, name, ['layers'], name, errors)
  }
  const objective = checkObjective(c['objective'], errors)
  const optimizerD = checkOptimizer('optimizerD', c['optimizerD'], errors)
  const optimizerG = checkOptimizer('optimizerG', c['optimizerG'], errors)
  const penalty = checkPenalty(c['penalty'], errors)
  const noise = checkNoise(c['noise'], errors)
  if (dropping && (objective?.kind === 'wasserstein-gp' || penalty !== undefined)) {
    errors.push(`discriminator.layers: dropout (a layer's keep below 1) cannot be combined with a gradient penalty (the wasserstein-gp objective or penalty)`)
  }
  if (Object.hasOwn(c, 'pack')) checkPack(c['pack'], c['batchSize'], dataSize, errors)
  if (Object.hasOwn(c, 'criticSteps') && !isPositiveIntegerUpTo(c['criticSteps'], MAX_CRITIC_STEPS)) {
    errors.push(`criticSteps must be an integer in 1..${MAX_CRITIC_STEPS}, got ${show(c['criticSteps'])}`)
  }
  const known = [...Object.keys(seedConfig), ...OPTIONAL_FIELDS]
  for (const k of Object.keys(c)) if (!known.includes(k)) errors.push(`unknown config field ${JSON.stringify(fieldPath('', k))}; known fields: ${known.join(', ')}`)
  if (errors.length > 0) return E.left(errors)
  const filled = { ...c, data: (checkedData as CheckedData).filled, generator: withBatchNormDefaults(c['generator'] as PlainRecord), ...(objective === undefined ? {} : { objective }), ...(optimizerD === undefined ? {} : { optimizerD }), ...(optimizerG === undefined ? {} : { optimizerG }), ...(penalty === undefined ? {} : { penalty }), ...(noise === undefined ? {} : { noise }) }
  const valid = filled as unknown as GanConfig
  const limits = resourceProblems(valid)
  return limits.length > 0 ? E.left(limits) : E.right(deepFreeze(withoutNegativeZeros(valid)) as ValidConfig)
}

/**
 * G's layers with every batch normalisation layer's `momentum` and `epsilon` filled in with
 * their defaults (PyTorch's 0.1 and 1e-5) when left out, so that a run's recorded config says
 * the values it used. Other layers are as given.
 */
const withBatchNormDefaults = (generator: PlainRecord): PlainRecord => {
  const layers = generator['layers'] as ReadonlyArray<PlainRecord>
  if (!layers.some((layer) => layer['kind'] === 'batchnorm')) return generator
  return { ...generator, layers: layers.map((layer) => (layer['kind'] === 'batchnorm' ? { ...layer, momentum: layer['momentum'] ?? BATCHNORM_DEFAULTS.momentum, epsilon: layer['epsilon'] ?? BATCHNORM_DEFAULTS.epsilon } : layer)) }
}

/** A deep copy in which every -0 is +0, so that a config survives JSON (which has no -0). */
const withoutNegativeZeros = (value: unknown): unknown => {
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value
  if (Array.isArray(value)) return value.map(withoutNegativeZeros)
  if (value !== null && typeof value === 'object') {
    // Object.fromEntries defines every key as an own property: `out[k] = v` would drop a
    // "__proto__" key or set the copy's prototype.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZeros(v)]))
  }
  return value
}

/**
 * Thrown by `train` (and the other entry points that take a config) when `validateConfig`
 * rejects it, before any computation. `problems` lists every invalid field.
 *
 * @category validation
 * @since 0.1.0
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: ReadonlyArray<string>) {
    super(`invalid config:\n  - ${problems.join('\n  - ')}`)
  }
}

declare const validConfigBrand: unique symbol

/**
 * A config that `validateConfig` accepted (a `GanConfig` with a type-level brand, nothing at
 * run time): validation happens once, at the boundary, and the functions that take a
 * `ValidConfig` trust it without checking again.
 *
 * @category model
 * @since 0.2.0
 */
export type ValidConfig = GanConfig & { readonly [validConfigBrand]: true }

/**
 * The config if valid; throws a `ConfigError` listing every problem otherwise.
 *
 * @category validation
 * @since 0.1.0
 */
export const assertValidConfig = (config: unknown): ValidConfig => {
  const r = validateConfig(config)
  if (E.isLeft(r)) throw new ConfigError(r.left)
  return r.right
}
