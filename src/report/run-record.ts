/**
 * The run record: everything `pure-gan train` writes to `run.json`, and everything the
 * plots and the report are pure functions of. No timings (those go to `timing.json`), so two
 * runs with the same seed and flags give byte-identical records.
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'
import type { GeneratorSummary } from '../gan/evaluate.js'
import type { EpochReport } from '../gan/train.js'

/**
 * Generated points at the end of one epoch, for the scatter plot: `points` rows of
 * `[x, y, ...]` (data width), from the same noise at every epoch so the frames are comparable.
 *
 * @category model
 * @since 0.1.0
 */
export interface SampleSnapshot {
  readonly epoch: number
  readonly points: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * The contents of `run.json`.
 *
 * - `format` / `version`: `'pure-gan/run'`, 1.
 * - `packageVersion`: the pure-gan version that produced it.
 * - `config`: the full config (its `seed` is the run's seed).
 * - `history`: the per-epoch mean losses (the seed's Accumulator).
 * - `realSample`: the first `min(1000, data.size)` rows of the real data, for the scatter plot.
 * - `snapshots`: generated points at chosen epochs (always including the last).
 * - `summary`: statistics of 10 000 generated samples against the true distribution.
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
  readonly summary: GeneratorSummary
  readonly finalState: unknown
}
