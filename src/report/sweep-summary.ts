/**
 * The pure parts of a sweep's summary: the success criterion (read, printed, applied), the
 * record of a sweep built from its definition and its runs, and the choice of each setting's
 * representative runs (docs/sweeps.md).
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'
import { quartiles, wilsonInterval } from '../metrics/interval.js'
import { preview } from '../validate/preview.js'
import type { MetricQuartiles, SuccessCriterion, SweepMetric, SweepRecord, SweepRun, SweepSetting } from './sweep-record.js'

// -------------------------------------------------------------------------------------
// the success criterion
// -------------------------------------------------------------------------------------

/**
 * The criterion a sweep applies when none is given: a final Fréchet distance below 0.1 (11
 * of the seed's 20 runs meet it, docs/reproduction.md).
 *
 * @category sweep
 * @since 0.5.0
 */
export const DEFAULT_SUCCESS = 'frechet<0.1'

const METRICS: ReadonlyArray<SweepMetric> = ['frechet', 'lossD', 'lossG']
const OPS: ReadonlyArray<SuccessCriterion['op']> = ['<', '<=', '>', '>=']

/** METRIC OP NUMBER, nothing around it; NUMBER = `-`? (DIGITS (`.` DIGITS)? | `.` DIGITS) ([eE] [+-]? DIGITS)?. */
const CRITERION = /^(frechet|lossD|lossG)(<=|>=|<|>)(-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$/

const GRAMMAR = 'METRIC OP NUMBER (METRIC one of frechet, lossD, lossG; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces)'

/**
 * Reads a success criterion, `METRIC OP NUMBER` with no spaces (the text of `--success`):
 *
 *     METRIC := frechet | lossD | lossG
 *     OP     := < | <= | > | >=
 *     NUMBER := -? (DIGITS (. DIGITS)? | . DIGITS) ((e | E) (+ | -)? DIGITS)?      DIGITS := [0-9]+
 *
 * so `frechet<0.1`, `lossD>=.5`, `lossG<-2`, `frechet<=1e-3` and `frechet<2.5E+1` are
 * criteria; a `+` sign, a trailing point (`1.`), `Infinity`, `NaN`, hexadecimal, underscores
 * and spaces are not. NUMBER is read as JavaScript reads a decimal (correctly rounded to the
 * nearest double; `-0` reads as 0) and must be finite (`1e999` is refused; `1e-999` is 0).
 *
 * Returns `{ criterion }`, or `{ problem }`: one line that names what is allowed and quotes
 * the text (cut after 80 characters).
 *
 * @example
 * import { parseSuccessCriterion } from 'pure-gan'
 * parseSuccessCriterion('frechet<0.1') // { criterion: { metric: 'frechet', op: '<', threshold: 0.1 } }
 * parseSuccessCriterion('lossD>=.5') // { criterion: { metric: 'lossD', op: '>=', threshold: 0.5 } }
 * 'problem' in parseSuccessCriterion('frechet < 0.1') // true
 *
 * @category sweep
 * @since 0.5.0
 */
export const parseSuccessCriterion = (text: string): { readonly criterion: SuccessCriterion } | { readonly problem: string } => {
  const m = typeof text === 'string' ? CRITERION.exec(text) : null
  if (m === null) return { problem: `--success must be ${GRAMMAR}, got ${preview(text, 80)}` }
  const threshold = Number(m[3]) + 0
  if (!Number.isFinite(threshold)) return { problem: `--success must be METRIC OP NUMBER with a finite NUMBER (${m[3]} is beyond the largest double), got ${preview(text, 80)}` }
  return { criterion: { metric: m[1] as SweepMetric, op: m[2] as SuccessCriterion['op'], threshold } }
}

/**
 * A criterion as text, canonically: `${metric}${op}${String(threshold)}` (JavaScript's
 * shortest round-trip form of the number, `-0` as `0`), so that
 * `parseSuccessCriterion(successText(c))` gives `c` back. Throws a `RangeError` for a
 * criterion that `parseSuccessCriterion` could not have given (an unknown metric or
 * operator, a threshold that is not a finite number).
 *
 * @example
 * import { successText } from 'pure-gan'
 * successText({ metric: 'frechet', op: '<', threshold: 0.1 }) // 'frechet<0.1'
 * successText({ metric: 'lossD', op: '>=', threshold: 1e-7 }) // 'lossD>=1e-7'
 *
 * @category sweep
 * @since 0.5.0
 */
export const successText = (criterion: SuccessCriterion): string => {
  const { metric, op, threshold } = criterion
  if (!METRICS.includes(metric) || !OPS.includes(op) || typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new RangeError(`successText: not a success criterion: metric ${preview(metric)}, op ${preview(op)}, threshold ${preview(threshold)}`)
  }
  return `${metric}${op}${String(threshold)}`
}

/**
 * Whether a run succeeds under `criterion`: it finished (a `non-finite` or `failed` run never
 * succeeds), its value of the criterion's metric is a finite number, and
 * `value op threshold` holds.
 *
 * @example
 * import { isSuccess } from 'pure-gan'
 * const criterion = { metric: 'frechet', op: '<', threshold: 0.1 } as const
 * isSuccess(criterion, { status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05 }) // true
 * isSuccess(criterion, { status: 'non-finite', lossD: null, lossG: null, frechet: null }) // false
 *
 * @category sweep
 * @since 0.5.0
 */
export const isSuccess = (criterion: SuccessCriterion, run: Pick<SweepRun, 'status' | 'lossD' | 'lossG' | 'frechet'>): boolean => {
  if (run.status !== 'finished') return false
  const value = run[criterion.metric]
  if (typeof value !== 'number' || !Number.isFinite(value)) return false
  const t = criterion.threshold
  switch (criterion.op) {
    case '<':
      return value < t
    case '<=':
      return value <= t
    case '>':
      return value > t
    case '>=':
      return value >= t
  }
}

// -------------------------------------------------------------------------------------
// the record
// -------------------------------------------------------------------------------------

/**
 * What `summarizeSweep` builds a record from: the package version, the seeds `from..to`, the
 * grid (`[flag, values]` pairs), the success criterion, every setting (its id, its grid
 * values, its config with seed 0) in grid order, and the runs in any order.
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SweepSummaryInput {
  readonly packageVersion: string
  readonly seeds: { readonly from: number; readonly to: number }
  readonly grid: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
  readonly success: SuccessCriterion
  readonly settings: ReadonlyArray<{ readonly id: string; readonly values: ReadonlyArray<readonly [string, string]>; readonly config: GanConfig }>
  readonly runs: ReadonlyArray<SweepRun>
}

/** A run as the record holds it: the fields in the type's order, `success` from the criterion. */
const recordRun = (run: SweepRun, criterion: SuccessCriterion): SweepRun => ({
  config: run.config,
  seed: run.seed,
  status: run.status,
  lossD: run.lossD,
  lossG: run.lossG,
  frechet: run.frechet,
  success: isSuccess(criterion, run),
  message: run.message,
})

const STATUSES: ReadonlyArray<SweepRun['status']> = ['finished', 'non-finite', 'failed']

/** The first problem of the input, as a message, or undefined. */
const inputProblem = (input: SweepSummaryInput): string | undefined => {
  const { from, to } = input.seeds
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to) return `the seeds must be integers from..to with from <= to, got ${preview(from)}..${preview(to)}`
  const ids = new Set<string>()
  for (const s of input.settings) {
    if (ids.has(s.id)) return `setting ${s.id} appears twice in the settings`
    ids.add(s.id)
  }
  const seen = new Set<string>()
  for (const run of input.runs) {
    if (!ids.has(run.config)) return `run of unknown setting ${run.config} (seed ${preview(run.seed)})`
    if (!Number.isSafeInteger(run.seed) || run.seed < from || run.seed > to) return `setting ${run.config} seed ${preview(run.seed)} is outside the sweep's seeds ${from}..${to}`
    const key = `${run.seed} ${run.config}`
    if (seen.has(key)) return `setting ${run.config} seed ${run.seed} appears twice`
    seen.add(key)
    if (!STATUSES.includes(run.status)) return `setting ${run.config} seed ${run.seed} has status ${preview(run.status)}, not finished, non-finite or failed`
    if (run.status === 'finished') {
      const bad = METRICS.find((m) => typeof run[m] !== 'number' || !Number.isFinite(run[m]))
      if (bad !== undefined) return `setting ${run.config} seed ${run.seed} finished but its ${bad} is ${preview(run[bad])}, not a finite number`
    }
  }
  return undefined
}

/**
 * The record of a sweep (sweep.json) from its definition and its runs:
 *
 * - `format` `'pure-gan/sweep'`, `version` 1, the package version, the seeds, the grid (copied)
 *   and `success` as `successText(input.success)`;
 * - one `SweepSetting` per setting, in the order given: `runs` (its runs of any status),
 *   `finished`, `nonFinite`, `failed`, `successes` (runs for which `isSuccess` holds),
 *   `successRate` = successes / (finished + nonFinite) and `interval` =
 *   `wilsonInterval(successes, finished + nonFinite)`, both `null` when that is 0, and
 *   `metrics`: for `frechet`, `lossD` and `lossG` in that order, `quartiles` of the finished
 *   runs' values (`null` when none finished);
 * - every run, sorted by its setting's position in `settings`, then by seed ascending, with
 *   its fields in the type's order and `success` computed with `isSuccess` (the input's
 *   `success` is not read, so a record always agrees with its criterion).
 *
 * Every object is built afresh in a fixed key order (configs aside, which are kept as given),
 * so any order of the runs gives the same JSON text.
 *
 * Throws a `RangeError` naming the first problem in this order: seeds that are not integers
 * `from <= to`; a setting id given twice (`setting c-1 appears twice in the settings`); then
 * for the runs in the order given, the first that names an unknown setting
 * (`run of unknown setting c-9 (seed 7)`), has a seed outside `from..to`
 * (`setting c-1 seed 25 is outside the sweep's seeds 0..19`), repeats a setting and seed
 * (`setting c-1 seed 7 appears twice`), has a status other than the three
 * (`setting c-1 seed 7 has status "done", not finished, non-finite or failed`), or finished
 * without a finite `frechet`, `lossD` or `lossG`
 * (`setting c-1 seed 7 finished but its frechet is null, not a finite number`).
 *
 * @example
 * import { seedConfig, summarizeSweep } from 'pure-gan'
 * const run = { config: 'c-1', seed: 0, status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05, success: true, message: null } as const
 * const record = summarizeSweep({
 *   packageVersion: '0.5.0',
 *   seeds: { from: 0, to: 1 },
 *   grid: [],
 *   success: { metric: 'frechet', op: '<', threshold: 0.1 },
 *   settings: [{ id: 'c-1', values: [], config: { ...seedConfig, seed: 0 } }],
 *   runs: [run, { ...run, seed: 1, frechet: 0.5, success: false }],
 * })
 * record.settings[0]?.successRate // 0.5
 * record.settings[0]?.metrics.frechet // { count: 2, q1: 0.1625, median: 0.275, q3: 0.3875 }
 *
 * @category sweep
 * @since 0.5.0
 */
export const summarizeSweep = (input: SweepSummaryInput): SweepRecord => {
  const problem = inputProblem(input)
  if (problem !== undefined) throw new RangeError(problem)
  const position = new Map(input.settings.map((s, i) => [s.id, i]))
  const runs = input.runs
    .map((r) => recordRun(r, input.success))
    .sort((a, b) => position.get(a.config)! - position.get(b.config)! || a.seed - b.seed)
  const settings = input.settings.map((s): SweepSetting => {
    const own = runs.filter((r) => r.config === s.id)
    const finished = own.filter((r) => r.status === 'finished')
    const nonFinite = own.filter((r) => r.status === 'non-finite').length
    const successes = own.filter((r) => r.success).length
    const trials = finished.length + nonFinite
    const metric = (m: SweepMetric): MetricQuartiles | null => (finished.length === 0 ? null : quartiles(finished.map((r) => r[m] as number)))
    return {
      id: s.id,
      values: s.values.map(([flag, value]) => [flag, value] as const),
      config: s.config,
      runs: own.length,
      finished: finished.length,
      nonFinite,
      failed: own.length - finished.length - nonFinite,
      successes,
      successRate: trials === 0 ? null : successes / trials,
      interval: trials === 0 ? null : wilsonInterval(successes, trials),
      metrics: { frechet: metric('frechet'), lossD: metric('lossD'), lossG: metric('lossG') },
    }
  })
  return {
    format: 'pure-gan/sweep',
    version: 1,
    packageVersion: input.packageVersion,
    seeds: { from: input.seeds.from, to: input.seeds.to },
    grid: input.grid.map(([flag, values]) => [flag, [...values]] as const),
    success: successText(input.success),
    settings,
    runs,
  }
}

// -------------------------------------------------------------------------------------
// representative runs
// -------------------------------------------------------------------------------------

/**
 * The seeds of a setting's representative finished runs, by final Fréchet distance: `best`
 * (the lowest), `median` (the lower median: with the m finished runs sorted by distance, then
 * seed, the one at position ⌊(m − 1)/2⌋ from 0) and `worst` (the highest); ties go to the
 * lower seed in all three. `null` when none of the setting's runs finished. Throws a
 * `RangeError` for an id that is not one of the record's settings.
 *
 * @example
 * import { representativeRuns, seedConfig, summarizeSweep } from 'pure-gan'
 * const run = (seed: number, frechet: number) => ({ config: 'c-1', seed, status: 'finished', lossD: 0.69, lossG: 0.69, frechet, success: false, message: null }) as const
 * const record = summarizeSweep({
 *   packageVersion: '0.5.0',
 *   seeds: { from: 0, to: 3 },
 *   grid: [],
 *   success: { metric: 'frechet', op: '<', threshold: 0.1 },
 *   settings: [{ id: 'c-1', values: [], config: { ...seedConfig, seed: 0 } }],
 *   runs: [run(0, 0.3), run(1, 0.05), run(2, 0.8), run(3, 0.3)],
 * })
 * representativeRuns(record, 'c-1') // { best: 1, median: 0, worst: 2 }
 *
 * @category sweep
 * @since 0.5.0
 */
export const representativeRuns = (record: SweepRecord, settingId: string): { readonly best: number; readonly median: number; readonly worst: number } | null => {
  if (!record.settings.some((s) => s.id === settingId)) throw new RangeError(`representativeRuns: the record has no setting ${settingId}`)
  const finished = record.runs
    .filter((r): r is SweepRun & { readonly frechet: number } => r.config === settingId && r.status === 'finished' && Number.isFinite(r.frechet))
    .sort((a, b) => a.frechet - b.frechet || a.seed - b.seed)
  const first = finished[0]
  if (first === undefined) return null
  const highest = finished[finished.length - 1]!.frechet
  const worst = finished.find((r) => r.frechet === highest)!
  return { best: first.seed, median: finished[Math.floor((finished.length - 1) / 2)]!.seed, worst: worst.seed }
}
