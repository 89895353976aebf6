/**
 * One run of a sweep in its folder (`DIR/runs/<setting>/seed-<n>/`): training it and writing
 * its files all or nothing, and reading back the outcome of a run an earlier sweep finished,
 * so that a resumed sweep skips it. Used by the sweep's workers (sweep-worker.ts) and its
 * main thread (sweep-command.ts).
 *
 * A finished run writes timing.json (losses.svg, samples.svg and report.html with
 * `--run-reports`) and, last, run.json: run.json present means the run is complete. A run
 * stopped at a non-finite value writes last-finite-state.json and, last, stopped.json (its
 * message), as train writes the state.
 *
 * @module
 */
import { lstatSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import * as E from '../fp/either.js'
import { canonicalJson, encodeState } from '../gan/codec.js'
import type { GanConfig } from '../gan/config.js'
import { dataModes } from '../gan/data.js'
import { NonFiniteError } from '../gan/train.js'
import { describeFsError } from './fs-errors.js'
import { oneLine } from './io.js'
import { type OutputFile, STATE_FILE, isOurTemporary, writeFilesAtomic } from './out-dir.js'
import { RUN_RECORD_FILE, readBoundedFile } from './read-bounded.js'
import { checkRunRecord } from './record-check.js'
import { trainAndRender } from './render-run.js'

/** The file that records a run's non-finite stop (its message), written after last-finite-state.json. */
export const STOPPED_FILE = 'stopped.json'

/**
 * A finished run's metrics as sweep.json records them (`SweepRun`'s, in its order): the last
 * epoch's mean losses, the summary's Fréchet distance, and from run.json's `metrics` the modes
 * covered, the high-quality fraction and the reverse KL (`null` for data without modes; the
 * reverse KL also when no sample was high quality), the MMD² and energy p-values and the
 * classifier's accuracy.
 */
export interface FinishedMetrics {
  readonly lossD: number
  readonly lossG: number
  readonly frechet: number
  readonly modes: number | null
  readonly hq: number | null
  readonly reverseKl: number | null
  readonly mmdP: number
  readonly energyP: number
  readonly c2st: number
}

/** What a run came to, as the workers report it and sweep.json records it. */
export type RunOutcome =
  | ({ readonly status: 'finished' } & FinishedMetrics)
  | { readonly status: 'non-finite'; readonly message: string }
  | { readonly status: 'failed'; readonly message: string }

/** The folder of a run: `<out>/runs/<setting id>/seed-<seed>`. */
export const runDir = (out: string, setting: string, seed: number): string => join(out, 'runs', setting, `seed-${seed}`)

/**
 * Removes pure-gan's temporary files from a run folder `dir` (the write of a worker that was
 * stopped or died), if the folder exists: what is left is only whole files.
 */
export const clearUnfinished = (dir: string): void => {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return
  }
  for (const name of names.filter(isOurTemporary)) {
    try {
      if (lstatSync(join(dir, name)).isFile()) unlinkSync(join(dir, name))
    } catch {
      // gone already
    }
  }
}

/**
 * Trains `config` and writes its folder `dir` (created if needed): the outcome. Never throws:
 * a write that fails, or anything unexpected, is a `failed` outcome with its reason.
 */
export const trainRunInto = (dir: string, config: GanConfig, runReports: boolean): RunOutcome => {
  try {
    mkdirSync(dir, { recursive: true })
    clearUnfinished(dir)
    let files: ReadonlyArray<OutputFile>
    let outcome: RunOutcome
    try {
      const rendered = trainAndRender(config, undefined, runReports)
      // run.json last: once it is in place, every other file is
      const kept = rendered.files.filter((f) => f.name !== 'run.json')
      files = [...kept, { name: 'run.json', text: rendered.runJson }]
      const metrics = finalMetrics(rendered.record)
      // every record this pure-gan writes has its metrics
      if (metrics === null) throw new Error('the run record has no valid metrics')
      outcome = { status: 'finished', ...metrics }
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e
      const message = oneLine(e.message)
      files = [
        { name: STATE_FILE, text: encodeState(e.lastFiniteState) },
        { name: STOPPED_FILE, text: `${JSON.stringify({ format: 'pure-gan/stopped', version: 1, config: JSON.parse(canonicalJson(config)), message }, null, 1)}\n` },
      ]
      outcome = { status: 'non-finite', message }
    }
    writeFilesAtomic(dir, files)
    return outcome
  } catch (e) {
    return { status: 'failed', message: oneLine(e instanceof Error ? e.message : describeFsError(e)) }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/**
 * A finished run's metrics from its record: the last epoch's mean losses, the summary's
 * Fréchet distance, and the values of its `metrics` (`RunMetrics`). `null` when `metrics` is
 * not what this pure-gan writes for the record's config: absent (a run.json of pure-gan before
 * 0.5), without a finite `mmd.pValue`, `energy.pValue` or `classifier.accuracy`, or with
 * `modes` where the data has none, or none (or not with finite `modesCovered` and
 * `highQualityFraction` and a `reverseKl` finite or null) where it has.
 */
const finalMetrics = (record: {
  readonly config: GanConfig
  readonly history: ReadonlyArray<{ readonly lossD: number; readonly lossG: number }>
  readonly summary?: { readonly frechetDistance: number }
  readonly metrics?: unknown
}): FinishedMetrics | null => {
  const last = record.history[record.history.length - 1]!
  const m = record.metrics
  // a run on MNIST has no summary; sweeps do not train on MNIST
  if (record.summary === undefined) return null
  if (!isObject(m) || !isObject(m['mmd']) || !isObject(m['energy']) || !isObject(m['classifier'])) return null
  const mmdP = m['mmd']['pValue']
  const energyP = m['energy']['pValue']
  const c2st = m['classifier']['accuracy']
  if (!finite(mmdP) || !finite(energyP) || !finite(c2st)) return null
  const modes = m['modes']
  let coverage: Pick<FinishedMetrics, 'modes' | 'hq' | 'reverseKl'> = { modes: null, hq: null, reverseKl: null }
  if (dataModes(record.config.data) === undefined) {
    if (modes !== undefined) return null
  } else {
    if (!isObject(modes)) return null
    const { modesCovered, highQualityFraction, reverseKl } = modes
    if (!finite(modesCovered) || !finite(highQualityFraction) || !(reverseKl === null || finite(reverseKl))) return null
    coverage = { modes: modesCovered, hq: highQualityFraction, reverseKl }
  }
  return { lossD: last.lossD, lossG: last.lossG, frechet: record.summary.frechetDistance, ...coverage, mmdP, energyP, c2st }
}

/**
 * The outcome an earlier sweep left in `dir` for `config`: `finished` from a run.json that is a
 * valid run record of exactly this config with the metrics this pure-gan writes (a run.json
 * without them, from a pure-gan before 0.5, is run again, so that a resumed sweep records what
 * a fresh one does), `non-finite` from a stopped.json of this config; `null` when there is
 * neither (or they belong to another config, or do not read): the run is to be run.
 */
export const recordedOutcome = (dir: string, config: GanConfig): RunOutcome | null => {
  const want = canonicalJson(config)
  try {
    const record = checkRunRecord(JSON.parse(readBoundedFile(join(dir, 'run.json'), RUN_RECORD_FILE)))
    if (E.isRight(record) && canonicalJson(record.right.config) === want) {
      const metrics = finalMetrics(record.right)
      if (metrics !== null) return { status: 'finished', ...metrics }
    }
  } catch {
    // absent or unreadable: not finished
  }
  try {
    const stopped = JSON.parse(readBoundedFile(join(dir, STOPPED_FILE), STOPPED_RECORD)) as { readonly format?: unknown; readonly config?: unknown; readonly message?: unknown }
    if (stopped.format === 'pure-gan/stopped' && typeof stopped.message === 'string' && canonicalJson(stopped.config) === want) return { status: 'non-finite', message: stopped.message }
  } catch {
    // absent or unreadable
  }
  return null
}

/** How stopped.json is read: a small JSON file (its config and one line). */
const STOPPED_RECORD = { limit: 64 * 1024 * 1024, noun: 'a stopped-run record', reads: 'a sweep reads the stopped.json it wrote', tooLarge: 'it is not a stopped.json pure-gan wrote' }
