/**
 * `GanState`: the one immutable record a run carries from step to step.
 *
 * @module
 */
import type { Matrix } from '../matrix/index.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { log } from '../elementary/index.js'
import { sampleMean } from '../metrics/gaussian.js'
import { initNetwork } from '../nn/init.js'
import type { NetworkParams, NetworkSpec } from '../nn/network.js'
import { type RunningStats, initialRunningStats } from '../nn/batchnorm.js'
import { type OptimizerState, treeOptimizerOf } from '../optim/choice.js'
import { type Rng, rngFromSeed, splitN } from '../random/rng.js'
import { type GanConfig, type MnistSource, type ValidConfig, assertValidConfig, optimizerSpecOf, packOf } from './config.js'
import { dataWidth, makeData } from './data.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Everything a run needs to continue: the config it was started with, both networks'
 * parameters, both optimiser states (Adam's, the seed's, unless the config chooses another), the PRNG (as plain data) and the counters. Nothing outside
 * this record (and the data, itself a pure function of `config`) influences the next step.
 *
 * - `generatorStats`: the running statistics of G's batch normalisation layers (one
 *   `{ mean, variance }` per such layer, in order; empty without one), which every training
 *   pass of G moves and every sample of G (evaluation mode) uses.
 * - `step`: minibatch iterations completed (one D update and one G update each).
 * - `epoch`: full passes over the data completed.
 *
 * @category model
 * @since 0.1.0
 */
export interface GanState {
  readonly config: GanConfig
  readonly generator: NetworkParams
  readonly discriminator: NetworkParams
  readonly optimizerG: OptimizerState
  readonly optimizerD: OptimizerState
  readonly generatorStats: RunningStats
  readonly rng: Rng
  readonly step: number
  readonly epoch: number
}

/**
 * A `GanState` record with its fields in declaration order. Every state pure-gan builds
 * comes from here, so that all of them share one object layout (one hidden class, and one
 * more for the frozen ones): property reads on states then stay monomorphic, which the
 * per-step code depends on for speed (object spread gives every state a new layout).
 *
 * @internal
 */
export const stateRecord = (fields: GanState): GanState => {
  const { config, generator, discriminator, optimizerG, optimizerD, generatorStats, rng, step, epoch } = fields
  return { config, generator, discriminator, optimizerG, optimizerD, generatorStats, rng, step, epoch }
}

/**
 * `state` with some fields replaced, as a {@link stateRecord} (unfrozen).
 *
 * @internal
 */
export const stateWith = (state: GanState, changes: Partial<GanState>): GanState => stateRecord({ ...state, ...changes })

// -------------------------------------------------------------------------------------
// networks of a config
// -------------------------------------------------------------------------------------

/**
 * G's architecture: input `latentDim` wide, the layers of `config.generator`.
 *
 * @category networks
 * @since 0.1.0
 */
export const generatorSpec = (config: GanConfig): NetworkSpec => ({
  inputSize: config.latentDim,
  layers: config.generator.layers,
})

/**
 * True when the config's generator has a batch normalisation layer (whose running statistics
 * each training pass of G moves, and which the state holds as `generatorStats`).
 *
 * @internal
 */
export const hasBatchNorm = (config: GanConfig): boolean => config.generator.layers.some((layer) => layer.kind === 'batchnorm')

/**
 * D's architecture: input as wide as the data (times the pack size, PacGAN's packing), the
 * layers of `config.discriminator`.
 *
 * @category networks
 * @since 0.1.0
 */
export const discriminatorSpec = (config: GanConfig): NetworkSpec => ({
  inputSize: packOf(config) * dataWidth(config.data),
  layers: config.discriminator.layers,
})

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * The PRNG streams of a run (see {@link runStreams}).
 *
 * @category model
 * @since 0.1.0
 */
export interface RunStreams {
  readonly data: Rng
  readonly generatorInit: Rng
  readonly discriminatorInit: Rng
  readonly evaluation: Rng
  readonly training: Rng
  readonly metrics: Rng
}

/**
 * The PRNG streams of a run, all split from `rngFromSeed(config.seed)` in this order:
 * `data` (the real data), `generatorInit`, `discriminatorInit`, `evaluation` (the noise of
 * the samples that summarise a generator), `training` (the per-epoch shuffles and the
 * noise of every step, in the order they are drawn) and `metrics` (the draws of the run's
 * metrics, `runMetrics`: fresh real and generated samples, permutations, the classifier's
 * split and initialisation). Stream `k` is the seed's generator advanced by `k · 2^64`
 * steps (`splitN`), so they never overlap. Separate streams keep the data fixed when an
 * architecture changes, and evaluating never disturbs training.
 *
 * @category constructors
 * @since 0.1.0
 */
export const runStreams = (seed: number): RunStreams => {
  const [metrics, [data, generatorInit, discriminatorInit, evaluation, training]] = splitN(rngFromSeed(seed), 5) as unknown as readonly [
    Rng,
    readonly [Rng, Rng, Rng, Rng, Rng],
  ]
  return { data, generatorInit, discriminatorInit, evaluation, training, metrics }
}

/**
 * The real data of a run: `makeData(config.data)` on the run's data stream. MNIST data
 * (`kind: 'mnist'`) needs its images, `source` (a `RangeError` without them); every other
 * kind ignores it.
 *
 * @example
 * import { bitEqual, runData, seedConfig, shapeOf } from 'pure-gan'
 * const data = runData(seedConfig)
 * shapeOf(data) // '(1000x2)'
 * bitEqual(runData(seedConfig), data) // true
 *
 * @category constructors
 * @since 0.1.0
 */
export const runData = (config: GanConfig, source?: MnistSource): Matrix => runDataOfValid(assertValidConfig(config), undefined, source)

/**
 * `runData` for a config that `validateConfig` has already accepted (no second validation).
 *
 * @internal
 */
export const runDataOfValid = (valid: ValidConfig, streams: RunStreams = runStreams(valid.seed), source?: MnistSource): Matrix =>
  makeData(valid.data, streams.data, source)[0]

/**
 * The state before the first step: both networks initialised from their own streams
 * (weights N(0, weightStd²), D's N(0, discriminatorWeightStd²) when the config sets it,
 * biases per `config.init.biasInit`, G's output biases from the data's marginals with
 * `generatorOutputBias: 'marginals'` ({@link marginalBiases}: the run's data is then built,
 * with `source` for MNIST); a batch normalisation layer's `γ = 1`, `β = 0`), fresh optimiser
 * states, G's running statistics at `μ = 0`, `σ² = 1`, the training stream, counters at
 * zero. Throws a `ConfigError` for an invalid config.
 *
 * @example
 * import { initialState, seedConfig } from 'pure-gan'
 * const s0 = initialState(seedConfig)
 * s0.step // 0
 *
 * @category constructors
 * @since 0.1.0
 */
export const initialState = (config: GanConfig, source?: MnistSource): GanState => {
  const valid = assertValidConfig(config)
  const streams = runStreams(valid.seed)
  return initialStateOfValid(valid, streams, valid.init.generatorOutputBias === 'marginals' ? runDataOfValid(valid, streams, source) : undefined)
}

/**
 * `initialState(config, source)` when the caller has built the run's data already
 * (`data = runData(config, source)`): the data is not built a second time.
 *
 * @internal
 */
export const initialStateWith = (config: GanConfig, data: Matrix): GanState => {
  const valid = assertValidConfig(config)
  return initialStateOfValid(valid, runStreams(valid.seed), data)
}

/**
 * G's output biases from the data's marginals (pylearn2's `init_sigmoid_bias_from_marginals`,
 * Goodfellow et al. 2014's MNIST generator): for each column `j` of the `n` data rows,
 *
 *     m_j = (Σ_{r = 0..n−1} x_rj) / n            (r ascending: `sampleMean`)
 *     p_j = min(max(m_j, 1e-7), 1 − 1e-7)
 *     b_j = log(p_j / (1 − p_j))                 (the project's own log)
 *
 * so that `sigmoid(b)` is the mean image: a sigmoid generator starts at the data's average.
 *
 * @internal
 */
export const marginalBiases = (data: Matrix): Matrix => {
  const m = dataOf(sampleMean(data))
  const b = new Float64Array(m.length)
  for (let j = 0; j < m.length; j++) {
    const p = Math.min(Math.max(m[j] as number, MARGINAL_CLIP), 1 - MARGINAL_CLIP)
    b[j] = log(p / (1 - p))
  }
  return unsafeFromFloat64Array(1, m.length, b)
}

/** pylearn2's clip of the marginals before their logit. */
const MARGINAL_CLIP = 1e-7

/** The run's data for an initialisation that needs it, or a `RangeError` saying so. */
const dataOrThrow = (data: Matrix | undefined): Matrix => {
  if (data === undefined) throw new RangeError("initialState: init.generatorOutputBias 'marginals' needs the run's data (pass the config's images for MNIST)")
  return data
}

/** `params` (a network whose last layer is dense) with its last layer's biases replaced by `b`. */
const withOutputBiases = (params: NetworkParams, b: Matrix): NetworkParams => {
  const last = params[params.length - 1] as { readonly W: Matrix; readonly b: Matrix }
  return Object.freeze([...params.slice(0, -1), Object.freeze({ W: last.W, b })]) as NetworkParams
}

/**
 * `initialState` for a config that `validateConfig` has already accepted (no second
 * validation); `data` is the run's data, needed (only) by `init.generatorOutputBias`.
 *
 * @internal
 */
export const initialStateOfValid = (valid: ValidConfig, streams: RunStreams = runStreams(valid.seed), data?: Matrix): GanState => {
  const { weightStd, biasInit, discriminatorWeightStd = weightStd, generatorOutputBias } = valid.init
  const [drawn] = initNetwork(generatorSpec(valid), streams.generatorInit, { weightStd, biasInit })
  const [discriminator] = initNetwork(discriminatorSpec(valid), streams.discriminatorInit, { weightStd: discriminatorWeightStd, biasInit })
  const generator = generatorOutputBias === 'marginals' ? withOutputBiases(drawn, marginalBiases(dataOrThrow(data))) : drawn
  const optimizerG = treeOptimizerOf(optimizerSpecOf(valid, 'G'), 1, 1).init(generator)
  const optimizerD = treeOptimizerOf(optimizerSpecOf(valid, 'D'), 1, 1).init(discriminator)
  return Object.freeze(
    stateRecord({ config: valid, generator, discriminator, optimizerG, optimizerD, generatorStats: initialRunningStats(generatorSpec(valid)), rng: streams.training, step: 0, epoch: 0 }),
  )
}
