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
import type { MetricQuartiles, SuccessClause, SuccessCriterion, SweepMetric, SweepRecord, SweepRun, SweepSetting } from './sweep-record.js'

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

/**
 * Every {@link SweepMetric}, in the order a setting's `metrics` holds them in sweep.json: the
 * final Fréchet distance and losses, then the mode coverage (data with modes only), then the
 * two-sample tests (docs/sweeps.md, "The record"). A run (`SweepRun`) holds the first three as
 * `lossD`, `lossG`, `frechet`, then the others in this order.
 *
 * @example
 * import { SWEEP_METRICS } from 'pure-gan'
 * SWEEP_METRICS.join(' ') // 'frechet lossD lossG modes hq reverseKl mmdP energyP c2st'
 *
 * @category sweep
 * @since 0.5.0
 */
export const SWEEP_METRICS: ReadonlyArray<SweepMetric> = Object.freeze(['frechet', 'lossD', 'lossG', 'modes', 'hq', 'reverseKl', 'mmdP', 'energyP', 'c2st'] as const)

/** The metrics every finished run has as a finite number; the others may be `null`. */
const ALWAYS: ReadonlyArray<SweepMetric> = ['frechet', 'lossD', 'lossG']
const OPS: ReadonlyArray<SuccessClause['op']> = ['<', '<=', '>', '>=']

/** METRIC OP NUMBER, nothing around it; NUMBER = `-`? (DIGITS (`.` DIGITS)? | `.` DIGITS) ([eE] [+-]? DIGITS)?. */
const CLAUSE = new RegExp(`^(${SWEEP_METRICS.join('|')})(<=|>=|<|>)(-?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$`)

const GRAMMAR = `METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of ${SWEEP_METRICS.join(', ')}; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces)`

/**
 * Reads a success criterion (the text of `--success`): one clause `METRIC OP NUMBER`, or
 * several joined by `&`, all of which must hold; no spaces:
 *
 *     CRITERION := CLAUSE (& CLAUSE)*
 *     CLAUSE    := METRIC OP NUMBER
 *     METRIC    := frechet | lossD | lossG | modes | hq | reverseKl | mmdP | energyP | c2st
 *     OP        := < | <= | > | >=
 *     NUMBER    := -? (DIGITS (. DIGITS)? | . DIGITS) ((e | E) (+ | -)? DIGITS)?      DIGITS := [0-9]+
 *
 * so `frechet<0.1`, `lossD>=.5`, `lossG<-2`, `frechet<=1e-3`, `frechet<2.5E+1` and
 * `modes>=8&hq>=0.98` are criteria; a `+` sign, a trailing point (`1.`), `Infinity`, `NaN`,
 * hexadecimal, underscores, spaces and an empty clause (`frechet<0.1&`, `&&`) are not. NUMBER
 * is read as JavaScript reads a decimal (correctly rounded to the nearest double; `-0` reads
 * as 0) and must be finite (`1e999` is refused; `1e-999` is 0). The clauses are kept in the
 * order written, repeated ones too.
 *
 * Returns `{ criterion }` (the list of clauses), or `{ problem }`: one line that names what is
 * allowed and quotes the text (cut after 80 characters), and, for a text of several clauses,
 * the first that is not one (`(clause 2: "foo")`); when every clause is in the grammar, the
 * first NUMBER beyond the largest double.
 *
 * @example
 * import { parseSuccessCriterion } from 'pure-gan'
 * parseSuccessCriterion('frechet<0.1') // { criterion: [{ metric: 'frechet', op: '<', threshold: 0.1 }] }
 * parseSuccessCriterion('modes>=8&hq>=.98') // { criterion: [{ metric: 'modes', op: '>=', threshold: 8 }, { metric: 'hq', op: '>=', threshold: 0.98 }] }
 * 'problem' in parseSuccessCriterion('frechet < 0.1') // true
 *
 * @category sweep
 * @since 0.5.0
 */
export const parseSuccessCriterion = (text: string): { readonly criterion: SuccessCriterion } | { readonly problem: string } => {
  if (typeof text !== 'string') return { problem: `--success must be ${GRAMMAR}, got ${preview(text, 80)}` }
  const parts = text.split('&')
  const matches: RegExpExecArray[] = []
  for (const [i, part] of parts.entries()) {
    const m = CLAUSE.exec(part)
    if (m === null) return { problem: `--success must be ${GRAMMAR}, got ${preview(text, 80)}${parts.length > 1 ? ` (clause ${i + 1}: ${preview(part, 40)})` : ''}` }
    matches.push(m)
  }
  const clauses: SuccessClause[] = []
  for (const m of matches) {
    const threshold = Number(m[3]) + 0
    if (!Number.isFinite(threshold)) return { problem: `--success must be METRIC OP NUMBER with a finite NUMBER (${m[3]} is beyond the largest double), got ${preview(text, 80)}` }
    clauses.push({ metric: m[1] as SweepMetric, op: m[2] as SuccessClause['op'], threshold })
  }
  return { criterion: clauses as unknown as SuccessCriterion }
}

/**
 * A criterion as text, canonically: its clauses joined by `&`, each
 * `${metric}${op}${String(threshold)}` (JavaScript's shortest round-trip form of the number,
 * `-0` as `0`), so that `parseSuccessCriterion(successText(c))` gives `c` back. Throws a
 * `RangeError` for a criterion that `parseSuccessCriterion` could not have given (not a
 * non-empty list; a clause with an unknown metric or operator, or a threshold that is not a
 * finite number).
 *
 * @example
 * import { successText } from 'pure-gan'
 * successText([{ metric: 'frechet', op: '<', threshold: 0.1 }]) // 'frechet<0.1'
 * successText([{ metric: 'modes', op: '>=', threshold: 8 }, { metric: 'hq', op: '>=', threshold: 0.98 }]) // 'modes>=8&hq>=0.98'
 *
 * @category sweep
 * @since 0.5.0
 */
export const successText = (criterion: SuccessCriterion): string => {
  if (!Array.isArray(criterion) || criterion.length === 0) {
    throw new RangeError(`successText: not a success criterion: expected a non-empty list of clauses, got ${preview(criterion)}`)
  }
  return criterion
    .map((clause: SuccessClause) => {
      const { metric, op, threshold } = (typeof clause === 'object' && clause !== null ? clause : {}) as Partial<SuccessClause>
      if (!SWEEP_METRICS.includes(metric as SweepMetric) || !OPS.includes(op as SuccessClause['op']) || typeof threshold !== 'number' || !Number.isFinite(threshold)) {
        throw new RangeError(`successText: not a success criterion: metric ${preview(metric)}, op ${preview(op)}, threshold ${preview(threshold)}`)
      }
      return `${metric}${op}${String(threshold)}`
    })
    .join('&')
}

/** Whether `value op threshold` holds for a finite number `value`. */
const holds = (clause: SuccessClause, value: unknown): boolean => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false
  const t = clause.threshold
  switch (clause.op) {
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

/**
 * Whether a run succeeds under `criterion`: it finished (a `non-finite` or `failed` run never
 * succeeds) and every clause holds: the run's value of the clause's metric is a finite number
 * (not `null`, not absent) and `value op threshold` holds. A metric the run does not have
 * (`modes` on data without modes) fails its clause. A list of no clauses (which
 * `parseSuccessCriterion` never gives) holds for no run.
 *
 * @example
 * import { isSuccess } from 'pure-gan'
 * const criterion = [{ metric: 'frechet', op: '<', threshold: 0.1 }] as const
 * isSuccess(criterion, { status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05 }) // true
 * isSuccess(criterion, { status: 'non-finite', lossD: null, lossG: null, frechet: null }) // false
 * const both = [{ metric: 'modes', op: '>=', threshold: 8 }, { metric: 'hq', op: '>=', threshold: 0.98 }] as const
 * isSuccess(both, { status: 'finished', modes: 8, hq: 0.99 }) // true
 * isSuccess(both, { status: 'finished', modes: 8, hq: null }) // false
 *
 * @category sweep
 * @since 0.5.0
 */
export const isSuccess = (criterion: SuccessCriterion, run: Pick<SweepRun, 'status'> & Partial<Pick<SweepRun, SweepMetric>>): boolean =>
  run.status === 'finished' && criterion.length > 0 && criterion.every((clause) => holds(clause, run[clause.metric]))

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

/** A metric of a run as the record holds it: as given, `undefined` as `null` (so that every run has every key). */
const valueOf = (run: SweepRun, metric: SweepMetric): number | null => run[metric] ?? null

/** A run as the record holds it: the fields in the type's order, `success` from the criterion. */
const recordRun = (run: SweepRun, criterion: SuccessCriterion): SweepRun => ({
  config: run.config,
  seed: run.seed,
  status: run.status,
  lossD: valueOf(run, 'lossD'),
  lossG: valueOf(run, 'lossG'),
  frechet: valueOf(run, 'frechet'),
  modes: valueOf(run, 'modes'),
  hq: valueOf(run, 'hq'),
  reverseKl: valueOf(run, 'reverseKl'),
  mmdP: valueOf(run, 'mmdP'),
  energyP: valueOf(run, 'energyP'),
  c2st: valueOf(run, 'c2st'),
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
      const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v)
      const bad = ALWAYS.find((m) => !finite(run[m]))
      if (bad !== undefined) return `setting ${run.config} seed ${run.seed} finished but its ${bad} is ${preview(run[bad])}, not a finite number`
      const badOptional = SWEEP_METRICS.find((m) => run[m] !== null && !finite(run[m]))
      if (badOptional !== undefined) return `setting ${run.config} seed ${run.seed} finished but its ${badOptional} is ${preview(run[badOptional])}, not a finite number or null`
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
 *   `metrics`: for every metric in the order of `SWEEP_METRICS`, `quartiles` of the values
 *   of the finished runs that have one (not `null`; the metric is `null` when none has);
 * - every run, sorted by its setting's position in `settings`, then by seed ascending, with
 *   its fields in the type's order (a metric that is `undefined` written as `null`) and
 *   `success` computed with `isSuccess` (the input's `success` is not read, so a record
 *   always agrees with its criterion). The metrics of a run that did not finish are copied
 *   as given and never read.
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
 * (`setting c-1 seed 7 has status "done", not finished, non-finite or failed`), finished
 * without a finite `frechet`, `lossD` or `lossG`
 * (`setting c-1 seed 7 finished but its frechet is null, not a finite number`), or finished
 * with another metric that is neither a finite number nor `null`
 * (`setting c-1 seed 7 finished but its modes is undefined, not a finite number or null`).
 *
 * @example
 * import { seedConfig, summarizeSweep } from 'pure-gan'
 * const metrics = { modes: null, hq: null, reverseKl: null, mmdP: 0.3, energyP: 0.4, c2st: 0.52 }
 * const run = { config: 'c-1', seed: 0, status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05, ...metrics, success: true, message: null } as const
 * const record = summarizeSweep({
 *   packageVersion: '0.5.0',
 *   seeds: { from: 0, to: 1 },
 *   grid: [],
 *   success: [{ metric: 'frechet', op: '<', threshold: 0.1 }],
 *   settings: [{ id: 'c-1', values: [], config: { ...seedConfig, seed: 0 } }],
 *   runs: [run, { ...run, seed: 1, frechet: 0.5, c2st: 0.6, success: false }],
 * })
 * record.settings[0]?.successRate // 0.5
 * record.settings[0]?.metrics.frechet // { count: 2, q1: 0.1625, median: 0.275, q3: 0.3875 }
 * record.settings[0]?.metrics.c2st?.median // 0.56
 * record.settings[0]?.metrics.modes // null
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
    const metric = (m: SweepMetric): MetricQuartiles | null => {
      const values = finished.flatMap((r) => (r[m] === null ? [] : [r[m] as number]))
      return values.length === 0 ? null : quartiles(values)
    }
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
      metrics: {
        frechet: metric('frechet'),
        lossD: metric('lossD'),
        lossG: metric('lossG'),
        modes: metric('modes'),
        hq: metric('hq'),
        reverseKl: metric('reverseKl'),
        mmdP: metric('mmdP'),
        energyP: metric('energyP'),
        c2st: metric('c2st'),
      },
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
 * const metrics = { modes: null, hq: null, reverseKl: null, mmdP: 0.3, energyP: 0.4, c2st: 0.52 }
 * const run = (seed: number, frechet: number) => ({ config: 'c-1', seed, status: 'finished', lossD: 0.69, lossG: 0.69, frechet, ...metrics, success: false, message: null }) as const
 * const record = summarizeSweep({
 *   packageVersion: '0.5.0',
 *   seeds: { from: 0, to: 3 },
 *   grid: [],
 *   success: [{ metric: 'frechet', op: '<', threshold: 0.1 }],
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
