/**
 * What a sweep (or one shard of it) writes when its runs are settled: for the whole sweep,
 * sweep.json (the record of report/sweep-summary.ts) and sweep.html; for a shard,
 * `shard-I-of-N.json`, the shard's runs with the sweep's whole definition, which
 * `pure-gan merge` combines into the very sweep.json and sweep.html of the unsharded sweep.
 *
 * @module
 */
import { join } from 'node:path'
import * as E from '../fp/either.js'
import type { RunRecord } from '../report/run-record.js'
import { sweepHtml } from '../report/sweep-html.js'
import type { SweepRecord, SweepRun } from '../report/sweep-record.js'
import { isSuccess, parseSuccessCriterion, representativeRuns, summarizeSweep } from '../report/sweep-summary.js'
import { UsageError } from './flags.js'
import { writeFilesAtomic } from './out-dir.js'
import { RUN_RECORD_FILE, readBoundedFile } from './read-bounded.js'
import { checkRunRecord } from './record-check.js'
import type { SweepOptions, SweepSettingPlan } from './sweep-flags.js'
import { type RunOutcome, runDir } from './sweep-run.js'
import { packageVersion } from './version.js'

/** One cell of a sweep: its number in the sweep's one order, its setting and its seed. */
export interface SweepCell {
  readonly index: number
  readonly setting: SweepSettingPlan
  readonly seed: number
}

/** A settled sweep (or shard): its options, its cells, and each cell's outcome by number. */
export interface SweepResults {
  readonly options: SweepOptions
  readonly cells: ReadonlyArray<SweepCell>
  readonly outcomes: ReadonlyMap<number, RunOutcome>
}

/** The format of a shard record. */
export const SHARD_FORMAT = 'pure-gan/sweep-shard'

/**
 * A shard's record (`shard-I-of-N.json`): the sweep's definition (seeds, grid, success, every
 * setting), which shard it is, and its runs in cell order.
 */
export interface ShardRecord {
  readonly format: typeof SHARD_FORMAT
  readonly version: 1
  readonly packageVersion: string
  readonly seeds: { readonly from: number; readonly to: number }
  readonly grid: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
  readonly success: string
  readonly settings: ReadonlyArray<SweepSettingPlan>
  readonly shard: { readonly index: number; readonly count: number }
  readonly runs: ReadonlyArray<SweepRun>
}

/** The success criterion of `text` (checked when the command line was parsed). */
export const criterionOf = (text: string) => {
  const parsed = parseSuccessCriterion(text)
  if ('problem' in parsed) throw new UsageError(parsed.problem)
  return parsed.criterion
}

/** A cell's entry in a record, from its outcome: every metric `null` for a run that did not finish. */
const runOf = (cell: SweepCell, outcome: RunOutcome, success: ReturnType<typeof criterionOf>): SweepRun => {
  const f = outcome.status === 'finished' ? outcome : null
  const run = {
    config: cell.setting.id,
    seed: cell.seed,
    status: outcome.status,
    lossD: f === null ? null : f.lossD,
    lossG: f === null ? null : f.lossG,
    frechet: f === null ? null : f.frechet,
    modes: f === null ? null : f.modes,
    hq: f === null ? null : f.hq,
    reverseKl: f === null ? null : f.reverseKl,
    mmdP: f === null ? null : f.mmdP,
    energyP: f === null ? null : f.energyP,
    c2st: f === null ? null : f.c2st,
  }
  return { ...run, success: isSuccess(success, run), message: f === null ? (outcome as { readonly message: string }).message : null }
}

/** JSON text as every sweep file is written: pretty-printed, one space, a final newline. */
const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`

/**
 * The final samples of each setting's best, median and worst finished runs, read from their
 * run.json under the folders `dirs` (the first that holds it), for sweep.html.
 */
export const representativeSamples = (record: SweepRecord, dirs: ReadonlyArray<string>) => {
  const read = (setting: string, seed: number) => {
    for (const dir of dirs) {
      try {
        const checked = checkRunRecord(JSON.parse(readBoundedFile(join(runDir(dir, setting, seed), 'run.json'), RUN_RECORD_FILE)))
        if (E.isRight(checked)) return samplesOf(seed, checked.right)
      } catch {
        // not in this folder
      }
    }
    return null
  }
  return Object.fromEntries(
    record.settings.map((s) => {
      const chosen = representativeRuns(record, s.id)
      return [s.id, chosen === null ? { best: null, median: null, worst: null } : { best: read(s.id, chosen.best), median: read(s.id, chosen.median), worst: read(s.id, chosen.worst) }]
    }),
  )
}

/** A run's real sample and final generated points, for sweep.html. */
const samplesOf = (seed: number, record: RunRecord) => ({ seed, realSample: record.realSample, points: record.snapshots[record.snapshots.length - 1]!.points })

/**
 * The sweep's record and page from its definition and every run, written into `out`
 * (sweep.json and sweep.html, all or nothing); the samples of sweep.html are read from the
 * runs' folders under `dirs`. Returns sweep.json's text.
 */
export const writeSweep = (
  definition: { readonly seeds: SweepOptions['seeds']; readonly grid: SweepOptions['grid']; readonly success: string; readonly settings: ReadonlyArray<SweepSettingPlan> },
  runs: ReadonlyArray<SweepRun>,
  out: string,
  dirs: ReadonlyArray<string>,
): string => {
  const record = summarizeSweep({ packageVersion: packageVersion(), seeds: definition.seeds, grid: definition.grid, success: criterionOf(definition.success), settings: definition.settings, runs })
  const text = jsonText(record)
  writeFilesAtomic(out, [
    { name: 'sweep.html', text: sweepHtml(record, representativeSamples(record, dirs)) },
    { name: 'sweep.json', text },
  ])
  return text
}

/**
 * Writes what a settled sweep writes: sweep.json and sweep.html for a whole sweep, its shard
 * record for a shard. Returns the text written as JSON (what `--json` prints).
 */
export const writeSweepResults = (results: SweepResults): string => {
  const { options, cells, outcomes } = results
  const success = criterionOf(options.success)
  const runs = cells.map((c) => runOf(c, outcomes.get(c.index)!, success))
  if (options.shard === null) return writeSweep(options, runs, options.out, [options.out])
  const record: ShardRecord = {
    format: SHARD_FORMAT,
    version: 1,
    packageVersion: packageVersion(),
    seeds: options.seeds,
    grid: options.grid,
    success: options.success,
    settings: options.settings,
    shard: { index: options.shard.index, count: options.shard.count },
    runs,
  }
  const text = jsonText(record)
  writeFilesAtomic(options.out, [{ name: `shard-${options.shard.index}-of-${options.shard.count}.json`, text }])
  return text
}

