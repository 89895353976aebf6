/**
 * The GAN of SEED.md: config, state, the pure update functions, the training loop, the codec.
 *
 * @module
 */
export { type ClassifierTestOptions, type ClassifierTestResult, classifierTwoSampleTest } from './classifier-test.js'
export { STATE_FORMAT, STATE_FORMAT_VERSION, decodeState, decodeStateJson, encodeState, stateToJson } from './codec.js'
export { type AffineGaussianData, ConfigError, type DataSpec, type GanConfig, type LayerConfig, MAX_SEED, type MixtureData, type MnistData, type MnistSource, type MoonsData, type NoiseSpec, type SwissRollData, type TableData, UNIFORM_NOISE_BOUND, type ValidConfig, assertValidConfig, criticStepsOf, noiseSpecOf, objectiveSpecOf, seedConfig, validateConfig } from './config.js'
export { noiseMatrix } from './noise.js'
export { DATA_DEFAULTS, dataDistribution, dataModes, dataSize, dataWidth, makeData } from './data.js'
export { type MnistSplit, mnistSourceProblem, mnistSplit } from './digits.js'
export { type GeneratorSummary, assertFiniteSamples, generate, sampleGenerator, summarizeGenerator } from './evaluate.js'
export { NORMAL_DRAW_BOUND, RUN_LIMITS, parameterCount, runRecordSizeBound, stepActivations } from './limits.js'
export {
  type NetworkName,
  NonFiniteError,
  NonFiniteLossError,
  NonFiniteMeanLossError,
  NonFiniteParametersError,
  NonFiniteSamplesError,
} from './non-finite.js'
export { type GanState, type RunStreams, discriminatorSpec, generatorSpec, initialState, runData, runStreams } from './state.js'
export { type EpochReport, type StepLosses, type TrainResult, train, trainBatches, trainEpoch, trainEpochs, trainIteration, trainStep } from './train.js'
export { type LossAndGradient, type StepDraws, discriminatorLossAndGradient, generatorLossAndGradient, updateD, updateG } from './update.js'
export { MNIST_TRAIN_IMAGES_SHA256, PRESETS } from './presets.js'
export { RUN_METRICS_SIZES, type RunMetrics, type TwoSampleMetric, runMetrics } from './run-metrics.js'
