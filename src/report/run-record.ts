/**
 * The run record: everything `pure-gan train` writes to `run.json`, and everything the
 * plots and the report are pure functions of. No timings (those go to `timing.json`), so two
 * runs with the same seed and flags give byte-identical records.
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'
import type { GeneratorSummary } from '../gan/evaluate.js'
import type { RunMetrics } from '../gan/run-metrics.js'
import type { EpochReport } from '../gan/train.js'
import type { DigitScores, GeneratedDigitsEvaluation, ParzenEvaluation } from '../classifier/generator-evaluation.js'

/**
 * Where D's output is sampled for the heat map of a run: a `size x size` grid of cells over
 * the rectangle `x` × `y` (each `[lo, hi]` with `lo < hi`), the same for every snapshot of a
 * run so that the frames compare. `criticGridSpec` derives it from the run's real data.
 *
 * @category model
 * @since 0.3.0
 */
export interface CriticGridSpec {
  readonly x: readonly [lo: number, hi: number]
  readonly y: readonly [lo: number, hi: number]
  readonly size: number
}

/**
 * D's raw output (its logit, the critic's value: the last layer's output, no sigmoid) on the
 * cell centres of a {@link CriticGridSpec}, computed with `predict` on the snapshot's state.
 * `values` has `size²` entries, row-major: row `r` (0 first) holds the cells whose centre
 * has y = `y[0] + ((2r + 1) · (y[1] − y[0])) / (2 · size)`, the lowest y first; within a
 * row, column `c` has x = `x[0] + ((2c + 1) · (x[1] − x[0])) / (2 · size)`, the lowest x
 * first. So `values[r · size + c]` is D at the centre of column `c`, row `r`.
 *
 * @category model
 * @since 0.3.0
 */
export interface CriticGrid extends CriticGridSpec {
  readonly values: ReadonlyArray<number>
}

/**
 * Generated points at the end of one epoch, for the scatter plot: `points` rows of
 * `[x, y, ...]` (data width), from the same noise at every epoch so the frames are comparable.
 * `critic`: D's output on a grid over the plane at that epoch ({@link CriticGrid}), for the
 * heat map under the points; present exactly when the data has 2 columns and D takes one
 * point per row (no packing), and the snapshot was taken with a grid (as `pure-gan train`
 * takes them).
 *
 * @category model
 * @since 0.1.0
 */
export interface SampleSnapshot {
  readonly epoch: number
  readonly points: ReadonlyArray<ReadonlyArray<number>>
  readonly critic?: CriticGrid
}

/**
 * The contents of `run.json`.
 *
 * - `format` / `version`: `'pure-gan/run'`, 1.
 * - `packageVersion`: the pure-gan version that produced it.
 * - `config`: the full config (its `seed` is the run's seed).
 * - `history`: the per-epoch mean losses (the seed's Accumulator).
 * - `realSample`: the first `min(1000, data.size)` rows of the real data, for the scatter plot
 *   (100 for MNIST data, a grid of digits).
 * - `snapshots`: generated points at chosen epochs (always including the last), each with
 *   D's output on a fixed grid over the plane when the data has 2 columns and no packing.
 * - `summary`: statistics of 10 000 generated samples against the true distribution; absent
 *   for MNIST data (since 0.5.0: its 784-dimensional Gaussian costs minutes and says little).
 * - `metrics`: mode coverage (data with modes), the two-sample tests and the classifier
 *   test of the final generator (`runMetrics`, docs/metrics.md); since 0.5.0.
 * - `finalState`: the final `GanState` as `stateToJson` gives it (docs/state-format.md).
 *
 * @category model
 * @since 0.1.0
 */
export interface RunRecord {
  readonly format: 'pure-gan/run'
  readonly version: 1
  readonly packageVersion: string
  readonly config: GanConfig
  readonly history: ReadonlyArray<EpochReport>
  readonly realSample: ReadonlyArray<ReadonlyArray<number>>
  readonly snapshots: ReadonlyArray<SampleSnapshot>
  readonly summary?: GeneratorSummary
  readonly metrics?: RunMetrics
  readonly finalState: unknown
}

/**
 * What `pure-gan train --classifier FILE` writes to digit-metrics.json for a run on MNIST
 * (docs/mnist.md): the field's numbers for its generator, scored with one classifier file.
 *
 * @category model
 * @since 0.5.0
 */
export interface DigitMetricsRecord {
  readonly format: 'pure-gan/digit-metrics'
  readonly version: 1
  /** The SHA-256 of the classifier file: the numbers compare only between runs scored with the same one. */
  readonly classifier: string
  /** The real digits' values: the test digits' classifier score, and the Fréchet distance of their features to the validation digits'. */
  readonly reference: DigitScores
  /** At each snapshot epoch: `evaluateGeneratedDigits` on `samples` generated digits (the run's evaluation stream). */
  readonly epochs: ReadonlyArray<GeneratedDigitsEvaluation & { readonly epoch: number }>
  /** At the last epoch: `parzenEvaluation`, σ from 10 values in logspace(−1, 0) chosen on the validation digits; absent without a validation split. */
  readonly parzen?: ParzenEvaluation
}

