/**
 * The record of a sweep (`pure-gan sweep`, sweep.json): many trainings, one per cell of a
 * seed range crossed with a grid of settings, summarised per setting as a success rate with
 * its 95 % Wilson interval and the quartiles of each final metric. Plain JSON data, every
 * field in a fixed order and nothing that depends on time or on the order in which runs
 * finished, so that the same sweep writes the same bytes with any number of workers, and the
 * merge of its shards writes the bytes of the unsharded sweep.
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'

/**
 * A final metric of a run that a success criterion and the summaries name, in the order of
 * `SWEEP_METRICS` (a setting's `metrics`; a {@link SweepRun} holds `lossD`, `lossG` and
 * `frechet` in that order, then the others in this one):
 *
 * - `frechet`: the Fréchet distance of the run's summary (`summary.frechetDistance`);
 * - `lossD`, `lossG`: the last epoch's mean losses;
 * - `modes`: the modes covered (`metrics.modes.modesCovered`), `hq`: the fraction of
 *   high-quality samples (`metrics.modes.highQualityFraction`), `reverseKl`: the reverse KL of
 *   the modes' histogram (`metrics.modes.reverseKl`), for data with modes (`ring8`, `grid25`)
 *   only;
 * - `mmdP`: the MMD² test's permutation p-value (`metrics.mmd.pValue`), `energyP`: the energy
 *   test's (`metrics.energy.pValue`), `c2st`: the classifier two-sample test's held-out
 *   accuracy (`metrics.classifier.accuracy`).
 *
 * @category sweep
 * @since 0.5.0
 */
export type SweepMetric = 'frechet' | 'lossD' | 'lossG' | 'modes' | 'hq' | 'reverseKl' | 'mmdP' | 'energyP' | 'c2st'

/**
 * One clause of a success criterion: a run's `metric` compared with `threshold` by `op`
 * (`frechet<0.1` is `{ metric: 'frechet', op: '<', threshold: 0.1 }`).
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SuccessClause {
  readonly metric: SweepMetric
  readonly op: '<' | '<=' | '>' | '>='
  readonly threshold: number
}

/**
 * When a run counts as a success: every clause holds (a conjunction; `modes>=8&hq>=0.98` is two
 * clauses). The default, `frechet<0.1`, is `[{ metric: 'frechet', op: '<', threshold: 0.1 }]`.
 * A run that did not finish is never a success, nor one whose value of a clause's metric is
 * `null`.
 *
 * @category sweep
 * @since 0.5.0
 */
export type SuccessCriterion = readonly [SuccessClause, ...SuccessClause[]]

/**
 * One cell's outcome: its setting's id, its seed, and
 *
 * - `finished`: the run trained to the end; its final metrics (every {@link SweepMetric}:
 *   `lossD`, `lossG`, `frechet`, then the others in the order of `SWEEP_METRICS`): `lossD`,
 *   `lossG` and `frechet` are always numbers;
 *   `modes`, `hq` and `reverseKl` are `null` for data without modes, and `reverseKl` also when
 *   no sample was high quality; `mmdP`, `energyP` and `c2st` are numbers (from run.json's
 *   `metrics`);
 * - `non-finite`: training stopped at a NaN or infinite value (a result of the setting, counted
 *   in the success rate as a failure to succeed); `message` says where; its metrics are `null`;
 * - `failed`: the run did not produce a result (its worker died, its folder could not be
 *   written); `message` says why; its metrics are `null`. Not counted in the success rate; a
 *   resumed sweep runs it again.
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SweepRun {
  readonly config: string
  readonly seed: number
  readonly status: 'finished' | 'non-finite' | 'failed'
  readonly lossD: number | null
  readonly lossG: number | null
  readonly frechet: number | null
  readonly modes: number | null
  readonly hq: number | null
  readonly reverseKl: number | null
  readonly mmdP: number | null
  readonly energyP: number | null
  readonly c2st: number | null
  readonly success: boolean
  readonly message: string | null
}

/**
 * The median and quartiles of one metric over a setting's finished runs that have a value of
 * it (`count` of them), each quartile by linear interpolation between order statistics
 * (NumPy's default, Hyndman and Fan's type 7); `null` when there is no such run.
 *
 * @category sweep
 * @since 0.5.0
 */
export interface MetricQuartiles {
  readonly count: number
  readonly q1: number
  readonly median: number
  readonly q3: number
}

/**
 * One setting of the grid, summarised over its seeds: its id (the folder name of its runs),
 * its grid values (`[flag, value]` pairs in the grid's order; none without a grid), its
 * config (seed aside: the seed field is 0), the counts of its runs by status, the successes,
 * the success rate over the finished and non-finite runs with its 95 % Wilson interval
 * (`null` when there is no such run), and the quartiles of each metric (every
 * {@link SweepMetric}, in the order of `SWEEP_METRICS`).
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SweepSetting {
  readonly id: string
  readonly values: ReadonlyArray<readonly [string, string]>
  readonly config: GanConfig
  readonly runs: number
  readonly finished: number
  readonly nonFinite: number
  readonly failed: number
  readonly successes: number
  readonly successRate: number | null
  readonly interval: readonly [number, number] | null
  readonly metrics: { readonly [M in SweepMetric]: MetricQuartiles | null }
}

/**
 * sweep.json: the sweep's definition (seeds `from..to`, the grid as `[flag, values]` pairs in
 * the order given, the success criterion as text), one {@link SweepSetting} per setting in grid
 * order (the first grid flag varying slowest), and every run, settings in that order and seeds
 * ascending within each.
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SweepRecord {
  readonly format: 'pure-gan/sweep'
  readonly version: 1
  readonly packageVersion: string
  readonly seeds: { readonly from: number; readonly to: number }
  readonly grid: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
  readonly success: string
  readonly settings: ReadonlyArray<SweepSetting>
  readonly runs: ReadonlyArray<SweepRun>
}
