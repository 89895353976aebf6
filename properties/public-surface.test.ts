/**
 * The public surface: what `import * as root from 'pure-gan'` reaches (src/index.ts, and the
 * `elementary` namespace inside it).
 *
 * - No name reachable from the root is tagged `@internal` in its declaration's doc comment:
 *   the TypeScript checker resolves each export, value or type, to the declarations it names,
 *   and their doc comments are read for the tag.
 * - The root's names are pinned below, with their kind: adding or removing a public name (or
 *   turning a value into a type) fails here with the names added and removed, so that it is
 *   a deliberate act (edit PINNED in the same commit).
 */
import { inMemoryProgram } from './support/in-memory-program.js'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import * as root from '../src/index.js'

const srcIndex = fileURLToPath(new URL('../src/index.ts', import.meta.url))
/** A made-up index that re-exports internal names, for the check of the check (never on disk). */
const probeIndex = fileURLToPath(new URL('../src/__public_surface_probe.ts', import.meta.url))
const PROBE = [
  "export { updatePlans, updateD } from './gan/update.js'", // updatePlans: `@internal` on a line of its own
  "export { left } from './fp/either.js'", // left: `/** fp-ts's Either.left. @internal */`
  "export { type UpdatePlans } from './gan/update.js'", // a type
].join('\n')

/** One export: `name` (`elementary.exp` inside the namespace) and `kind`, `type` when it names no value. */
interface Export {
  readonly name: string
  readonly kind: 'value' | 'type'
  readonly internal: boolean
}

const program = inMemoryProgram(new Map([[probeIndex, PROBE]]), {}, [srcIndex, probeIndex])
const checker = program.getTypeChecker()

/** The `@internal` tag on a declaration's doc comment (for a variable, its statement's too). */
const taggedInternal = (d: ts.Declaration): boolean => {
  const owners: ts.Node[] = ts.isVariableDeclaration(d) ? [d, d.parent.parent] : [d]
  return owners.some((n) => ts.getJSDocTags(n).some((t) => t.tagName.text === 'internal'))
}

/** Every export of the module `file`, namespaces (`export * as n`) followed into. */
const exportsOf = (file: string): Export[] => {
  const source = program.getSourceFile(file)
  if (source === undefined) throw new Error(`not in the program: ${file}`)
  const walk = (module: ts.Symbol, prefix: string): Export[] =>
    checker.getExportsOfModule(module).flatMap((e) => {
      const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e
      const declarations = target.declarations ?? []
      const self: Export = {
        name: prefix + e.name,
        kind: target.flags & ts.SymbolFlags.Value ? 'value' : 'type',
        internal: declarations.some(taggedInternal),
      }
      const namespace = declarations.find(ts.isSourceFile)
      return namespace === undefined ? [self] : [self, ...walk(target, `${self.name}.`)]
    })
  return walk(checker.getSymbolAtLocation(source)!, '')
}

/** An export as pinned: `type Name` for a type, the bare name for a value. */
const pinned = (e: Export): string => (e.kind === 'type' ? `type ${e.name}` : e.name)
const byName = (a: string, b: string): number => {
  const key = (s: string) => s.replace(/^type /, '')
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
}

// prettier-ignore
const PINNED: ReadonlyArray<string> = [
  'Activation', 'type ActivationKind', 'type AdamOptions', 'type AdamState', 'type AffineActivation',
  'type AffineGaussianData', 'type BackwardResult', 'type BatchNormLayerSpec', 'type BatchNormStats',
  'CRITIC_COLOURS', 'CRITIC_GRID_MARGIN', 'CRITIC_GRID_SIZE', 'type ClassifierTestOptions',
  'type ClassifierTestResult', 'ConfigError', 'type CriticGrid', 'type CriticGridSpec', 'DATA_DEFAULTS',
  'DEFAULT_SUCCESS', 'DIGIT_CLASSES', 'DIGIT_CLASSIFIER_FORMAT', 'DIGIT_CLASSIFIER_FORMAT_VERSION', 'type DataSpec', 'type DenseGradients', 'type DenseLayerSpec', 'type DenseParams', 'type DigitClassifier', 'type DigitClassifierOptions', 'type DigitClassifierTraining', 'type DigitMetricsRecord', 'type DigitScores',
  'type EpochReport', 'type ForwardCache', 'type ForwardResult', 'GRID_SEPARATOR_GREY', 'type GanConfig', 'type GanState', 'type GeneratedDigitsEvaluation', 'type GeneratedDigitsOptions',
  'type GeneratorSummary', 'type GrayImage', 'type IdxTensor', 'type InitOptions', 'type Interval', 'type KernelBackend', 'type KernelThreads', 'type KernelThreadsMemory', 'LOSS_COLOURS',
  'type Labels', 'type LayerCache', 'type LayerConfig', 'type LayerSpec', 'type LeastSquaresLabels',
  'type LegendEntry', 'type LossAndGradient', 'type LossPlotOptions', 'type LossReference',
  'MAX_IDX_BYTES', 'MAX_MARKED_EPOCHS', 'MAX_PNG_SIDE', 'MAX_SEED', 'MNIST_TRAIN_IMAGES_SHA256', 'type Matrix', 'type MaxoutLayerSpec', 'type MetricQuartiles',
  'type MixtureData', 'type MnistData', 'type MnistImages', 'type MnistSource', 'type MnistSplit', 'type ModeCoverage', 'type MomentumOptions', 'type MomentumState', 'type MoonsData',
  'NORMAL_DRAW_BOUND', 'type NetworkName', 'type NetworkParams', 'type NetworkSpec', 'type NoiseSpec', 'NonFiniteError',
  'NonFiniteLossError', 'NonFiniteMeanLossError', 'NonFiniteParametersError', 'NonFiniteSamplesError',
  'OBJECTIVE_KINDS', 'type Objective', 'type ObjectiveSpec', 'type Optimizer', 'PRESETS', 'type ParamTree',
  'type ParzenCandidate', 'type ParzenEvaluation', 'type ParzenEvaluationOptions', 'type ParzenResult', 'type ParzenSigmaResult', 'type PermutationTestResult', 'type PixelScale', 'type PlainData', 'type PlotArea', 'type PngOptions', 'RUN_LIMITS', 'RUN_METRICS_SIZES',
  'type ReadonlyFloat64Array', 'type RepresentativeSamples', 'type RmsPropOptions', 'type RmsPropState',
  'type Rng', 'type RunMetrics', 'type RunRecord', 'type RunStreams', 'type RunningStats', 'SAMPLE_COLOURS',
  'STATE_FORMAT', 'STATE_FORMAT_VERSION', 'SWEEP_METRICS', 'type SampleSnapshot', 'type SamplesPlotOptions', 'type SgdOptions',
  'type SgdState', 'ShapeError', 'type SnapshotLimits', 'type StepDraws', 'type StepLosses',
  'type SuccessClause', 'type SuccessCriterion', 'type SweepMetric', 'type SweepRecord', 'type SweepRun', 'type SweepSample',
  'type SweepSetting', 'type SweepSummaryInput', 'type SwissRollData', 'type TableData', 'type TickOptions',
  'type Ticks', 'type TrainResult', 'type TwoSampleMetric', 'UNIFORM_NOISE_BOUND', 'type ValidConfig', 'activate',
  'activationBackward', 'adam', 'adamDefaults', 'add', 'addRowVector', 'affineActivate',
  'affineActivateWithPre', 'assertActivation', 'assertFinite', 'assertFiniteSamples', 'assertSameTree',
  'assertValidConfig', 'attributes', 'axesSvg', 'backward', 'base64', 'bitEqual', 'classifierAccuracy', 'classifierFeatures', 'classifierProbabilities', 'classifierScore', 'classifierTwoSampleTest',
  'columnSums', 'configRows', 'criticGrid', 'criticGridCentres', 'criticGridSpec', 'criticStepsOf',
  'dataDistribution', 'dataModes', 'dataSize', 'dataWidth', 'decodeDigitClassifier', 'decodeState', 'decodeStateJson', 'denseBackward',
  'denseForward', 'digitGrid', 'digitRowsGrid', 'discriminatorLossAndGradient', 'discriminatorSpec', 'elementary', 'elementary.cos',
  'elementary.exp', 'elementary.expInto', 'elementary.expm1', 'elementary.log', 'elementary.log1p',
  'elementary.log1pInto', 'elementary.powInt', 'elementary.sin', 'elementary.sinCos', 'elementary.tanh',
  'elementary.tanhInto', 'encodeDigitClassifier', 'encodeIdx', 'encodePng', 'encodeState', 'energyDistance', 'energyPermutationTest', 'escapeXml', 'evaluateGeneratedDigits', 'featureFrechetDistance', 'filled',
  'finalLossLine', 'firstDifference', 'firstNonFinite', 'fitTicks', 'formatNumber', 'forward',
  'frechetDistance', 'fromArrays', 'fromFlat', 'gatherRows', 'generate', 'generatorLossAndGradient',
  'generatorSpec', 'get', 'hconcat', 'hinge', 'identity', 'initNetwork', 'initialRunningStats',
  'initialState', 'inverseNormalCdf', 'isPlainRecord', 'isSuccess', 'kernelBackend', 'leakyRelu',
  'leastSquares', 'leaves', 'legendSvg', 'linearScale', 'logspaceSigmas', 'lossPlotSvg', 'lossReferences', 'makeData',
  'makeRunRecord', 'map', 'mapTree', 'matmul', 'matmulTransposeA', 'matmulTransposeB', 'maxoutBackward',
  'maxoutForward', 'medianHeuristicBandwidth', 'minimax', 'mmd2Unbiased', 'mmdPermutationTest',
  'mnistImages', 'mnistSourceProblem', 'mnistSplit', 'modeCoverage', 'momentum', 'momentumDefaults', 'mul', 'nextUint32', 'niceTicks', 'noiseMatrix', 'noiseSpecOf', 'nonsaturating', 'normal',
  'normalMatrix', 'objectiveOf', 'objectiveSpecOf', 'outputSize', 'paramShapes', 'parameterCount',
  'parseIdx', 'parseSuccessCriterion', 'parzenEvaluation', 'parzenLogLikelihood', 'parzenSigma', 'permutation', 'permutationTest', 'predict', 'quartiles', 'randomInt', 'realDigitReference',
  'relativeFrobeniusError', 'relu', 'reportHtml', 'representativeRuns', 'rmsprop', 'rmspropDefaults',
  'rngFromSeed', 'rngFromState', 'rowVector', 'runData', 'runKernelHelper', 'runMetrics', 'runRecordSizeBound', 'runStreams',
  'sameShape', 'sampleCovariance', 'sampleGenerator', 'sampleMean', 'sampleRanges', 'samplesPlotSvg', 'scale',
  'seedConfig', 'sgd', 'shapeOf', 'sigmoid', 'sigmoidBce', 'sigmoidBceGrad', 'sigmoidBceLoss',
  'sigmoidBceLossGrad', 'sliceRows', 'snapshotEpochs', 'snapshotOf', 'snapshotPlainData', 'snapshotPlotsSvg',
  'softmax', 'softmaxCrossEntropy', 'softmaxCrossEntropyGrad',
  'split', 'splitN', 'sqrtPsd', 'startKernelThreads', 'stateToJson', 'stepActivations', 'sub', 'successRateText', 'successText',
  'sum', 'summarizeGenerator', 'summarizeSweep', 'svgDocument', 'sweepHtml', 'symmetricEigen', 'tanh',
  'textWidth', 'toArrays', 'toFlat', 'train', 'trainBatches', 'trainDigitClassifier', 'trainEpoch', 'trainEpochs', 'trainIteration', 'trainStep',
  'transpose', 'truncateText', 'uniform', 'uniforms', 'updateD', 'updateG', 'validateAdamOptions',
  'validateConfig', 'validateMomentumOptions', 'validateParams', 'validateRmsPropOptions', 'validateSeed',
  'validateSgdOptions', 'validateSpec', 'validateState', 'vconcat', 'wasserstein', 'widest', 'wilsonInterval',
  'zeros', 'zipTrees', 'zipWith',
]

const rootExports = exportsOf(srcIndex)

describe('the public surface (src/index.ts)', () => {
  it('holds no name whose declaration is tagged @internal', () => {
    expect(rootExports.filter((e) => e.internal).map((e) => e.name)).toEqual([])
  })

  it('is the pinned list of names: adding or removing one is deliberate (edit PINNED)', () => {
    const found = rootExports.map(pinned)
    const added = found.filter((n) => !PINNED.includes(n)).sort(byName)
    const removed = PINNED.filter((n) => !found.includes(n))
    expect({ added, removed }, 'the root exports differ from PINNED in properties/public-surface.test.ts').toEqual({ added: [], removed: [] })
    expect([...PINNED].sort(byName), 'PINNED is kept sorted').toEqual(PINNED)
  })

  it('its values are what the module gives at run time (the checker sees what `import * as root` does)', () => {
    const values = (prefix: string) => rootExports.filter((e) => e.kind === 'value' && e.name.startsWith(prefix) && !e.name.slice(prefix.length).includes('.'))
    expect(values('').map((e) => e.name).sort()).toEqual(Object.keys(root).sort())
    expect(values('elementary.').map((e) => e.name.slice('elementary.'.length)).sort()).toEqual(Object.keys(root.elementary).sort())
  })

  it('a check of the check: an index that re-exports internal names is caught, values and types', () => {
    const probe = exportsOf(probeIndex)
    expect(probe.filter((e) => e.internal).map(pinned).sort(byName)).toEqual(['type UpdatePlans', 'left', 'updatePlans'])
    expect(probe.filter((e) => !e.internal).map(pinned)).toEqual(['updateD'])
  })
})
