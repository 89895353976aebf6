/**
 * The metrics of a run, as the mode-collapse papers report them: mode coverage on mixtures,
 * two-sample tests (MMD² and the energy distance with permutation p-values), and a fresh
 * classifier's held-out accuracy on real against generated points. A pure function of the
 * state: every draw comes from the run's `metrics` stream (`runStreams(seed).metrics`).
 *
 * @module
 */
import type { Matrix } from '../matrix/index.js'
import { type ModeCoverage, modeCoverage } from '../metrics/modes.js'
import { energyPermutationTest, medianPairwiseDistance, mmdPermutationTest } from '../metrics/two-sample.js'
import { permutation } from '../random/permutation.js'
import { type Rng, splitN } from '../random/rng.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type ClassifierTestResult, classifierTwoSampleTest } from './classifier-test.js'
import type { MnistSource } from './config.js'
import { mnistComparisonRows } from './digits.js'
import { dataModes, dataSize, dataWidth, makeData } from './data.js'
import { assertFiniteSamples, sampleGenerator } from './evaluate.js'
import { type GanState, runStreams } from './state.js'

/**
 * The sample sizes and permutation count of `runMetrics`: 2500 generated points for mode
 * coverage (VEEGAN's and PacGAN's count), 250 real and 250 generated points for the
 * two-sample tests with 200 permutations (p-values in steps of 1/201), and 1000 of each for
 * the classifier (half to train it, half to test it).
 *
 * @category metrics
 * @since 0.5.0
 */
export const RUN_METRICS_SIZES = Object.freeze({ modeSamples: 2500, twoSampleSize: 250, permutations: 200, classifierSize: 1000 })

/**
 * A two-sample test of a run: the statistic (MMD² with its median-heuristic `bandwidth`, or
 * the energy distance), its permutation p-value, and the sizes it used.
 *
 * @category metrics
 * @since 0.5.0
 */
export interface TwoSampleMetric {
  readonly statistic: number
  readonly pValue: number
  readonly samples: number
  readonly permutations: number
  readonly bandwidth?: number
}

/**
 * What `runMetrics` measures (docs/metrics.md, "The metrics of a run"). `modes` only for
 * data with modes (`ring8`, `grid25`).
 *
 * @category metrics
 * @since 0.5.0
 */
export interface RunMetrics {
  readonly modes?: ModeCoverage
  readonly mmd: TwoSampleMetric
  readonly energy: TwoSampleMetric
  readonly classifier: ClassifierTestResult
}

/**
 * `n` real points for a comparison: fresh draws of the data's distribution
 * (`makeData` with `size` n) for generated data, `min(n, rows)` rows of a table chosen by
 * a permutation (a table has no distribution to draw from beyond its rows), or MNIST's
 * held-out digits (`mnistComparisonRows`) from the images `source` supplies.
 */
const realPoints = (state: GanState, rng: Rng, n: number, source: MnistSource | undefined): Matrix => {
  const spec = state.config.data
  if (spec.kind === 'mnist') return mnistComparisonRows(spec, source, runStreams(state.config.seed).data, rng, n)
  if (spec.kind !== 'table') return makeData({ ...spec, size: n }, rng)[0]
  const rows = dataSize(spec)
  const [order] = permutation(rng, rows)
  const m = Math.min(n, rows)
  const d = dataWidth(spec)
  const out = new Float64Array(m * d)
  for (let i = 0; i < m; i++) {
    const row = spec.rows[order[i] as number] as ReadonlyArray<number>
    for (let c = 0; c < d; c++) out[i * d + c] = row[c] as number
  }
  return unsafeFromFloat64Array(m, d, out)
}

/**
 * The metrics of the state's generator against its data (docs/metrics.md), drawing from
 * `runStreams(seed).metrics` split into six streams (`splitN`), in order: the generated
 * points of the mode coverage, the generated and the real points of the two-sample tests,
 * their permutations, and the generated and the real points of the classifier test, whose
 * own draws (split, initialisation, minibatches) come from the seventh stream.
 *
 * - `modes` (data with modes only): `modeCoverage` of `RUN_METRICS_SIZES.modeSamples`
 *   generated points (high quality within 3 std, modes covered, reverse KL).
 * - `mmd`, `energy`: `twoSampleSize` real against as many generated points (a table gives at
 *   most its row count of each); MMD² with the median-heuristic bandwidth of the pooled
 *   points, each with `permutations` permutations, the MMD's first and the energy's from
 *   where it left the stream.
 * - `classifier`: `classifierTwoSampleTest` on `classifierSize` real and as many generated
 *   points.
 *
 * Throws a `NonFiniteSamplesError` when a generated point is NaN or infinite, as
 * `summarizeGenerator` does.
 *
 * @example
 * import { runMetrics, seedConfig, train } from 'pure-gan'
 * const { state } = train({ ...seedConfig, epochs: 1 })
 * const m = runMetrics(state)
 * m.modes // undefined
 * m.mmd.permutations // 200
 *
 * @category metrics
 * @since 0.5.0
 */
export const runMetrics = (state: GanState, source?: MnistSource): RunMetrics => {
  const spec = state.config.data
  const sizes = RUN_METRICS_SIZES
  const [classifierRng, [modeRng, fakeRng, realRng, permutationRng, classifierFakeRng, classifierRealRng]] = splitN(runStreams(state.config.seed).metrics, 6)
  const generated = (rng: Rng, n: number): Matrix => {
    const [x] = sampleGenerator(state, rng, n)
    assertFiniteSamples(x, state)
    return x
  }
  const mixture = dataModes(spec)
  const modes = mixture === undefined ? undefined : modeCoverage(generated(modeRng as Rng, sizes.modeSamples), mixture.modes, mixture.std)
  const real = realPoints(state, realRng as Rng, sizes.twoSampleSize, source)
  const fake = generated(fakeRng as Rng, real.rows)
  const bandwidth = medianHeuristicBandwidthOrOne(real, fake)
  const mmd = mmdPermutationTest(real, fake, bandwidth, permutationRng as Rng, sizes.permutations)
  const energy = energyPermutationTest(real, fake, mmd.rng, sizes.permutations)
  const classifierReal = realPoints(state, classifierRealRng as Rng, sizes.classifierSize, source)
  const classifierFake = generated(classifierFakeRng as Rng, classifierReal.rows)
  const classifier = classifierTwoSampleTest(classifierReal, classifierFake, classifierRng)
  const common = { samples: real.rows, permutations: sizes.permutations }
  return {
    ...(modes === undefined ? {} : { modes }),
    mmd: { statistic: mmd.statistic, pValue: mmd.pValue, ...common, bandwidth },
    energy: { statistic: energy.statistic, pValue: energy.pValue, ...common },
    classifier,
  }
}

/**
 * The median heuristic's bandwidth, or 1 when more than half of the pooled points' pairs
 * coincide (a generator collapsed onto one point against a table of repeated rows): the
 * median is then 0, which defines no kernel. Both samples are finite (checked above, or a
 * valid config's data).
 */
const medianHeuristicBandwidthOrOne = (x: Matrix, y: Matrix): number => {
  const h = medianPairwiseDistance(x, y)
  return h > 0 ? h : 1
}
