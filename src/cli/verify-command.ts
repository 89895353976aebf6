/**
 * `pure-gan verify RUN.json`: re-runs a recorded run from its config and seed and reports
 * whether the result is bit-identical.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import * as E from '../fp/either.js'
import { validateConfig } from '../gan/config.js'
import { initialState, runData } from '../gan/state.js'
import { trainEpochs } from '../gan/train.js'
import { firstDifference, makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { RunRecord, SampleSnapshot } from '../report/run-record.js'
import { UsageError } from './flags.js'
import { runJsonText } from './train-command.js'

export const verifyHelp = (): string =>
  [
    'usage: pure-gan verify RUN.json',
    '',
    'Re-runs the config and seed recorded in RUN.json (written by pure-gan train) and compares',
    'the fresh run record with the recorded one, every float bit for bit.',
    '',
    'Exit codes: 0 bit-identical; 1 different (the first difference is printed);',
    '2 RUN.json missing, unreadable, not JSON, truncated, or of another format or version.',
  ].join('\n')

/** Reads and checks a run.json; throws a UsageError naming the problem. */
export const readRunRecord = (path: string): RunRecord & { readonly packageVersion: string } => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new UsageError(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${path} is not valid JSON, perhaps truncated (${(e as Error).message})`)
  }
  const o = parsed as Partial<Record<keyof RunRecord, unknown>> | null
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new UsageError(`${path} is not a run record (expected a JSON object)`)
  if (o.format !== 'pure-gan/run') throw new UsageError(`${path} is not a run record: format must be "pure-gan/run", found ${JSON.stringify(o.format)}`)
  if (o.version !== 1) throw new UsageError(`${path} has run-record version ${JSON.stringify(o.version)}; this pure-gan reads version 1`)
  const config = validateConfig(o.config)
  if (E.isLeft(config)) throw new UsageError(`${path} has an invalid config: ${config.left.join('; ')}`)
  return parsed as RunRecord
}

/** The record a fresh run of `record.config` produces (same code path as `pure-gan train`). */
export const rerun = (record: RunRecord, version: string): RunRecord => {
  const config = record.config
  const wanted = new Set(snapshotEpochs(config.epochs))
  const snapshots: SampleSnapshot[] = []
  const data = runData(config)
  const { state, history } = trainEpochs(initialState(config), data, config.epochs, (report, s) => {
    if (wanted.has(report.epoch)) snapshots.push(snapshotOf(s))
  })
  return makeRunRecord(version, data, history, snapshots, state)
}

/** Runs `pure-gan verify`; returns the exit code. */
export const verifyCommand = (path: string, version: string): number => {
  const recorded = readRunRecord(path)
  const fresh = JSON.parse(runJsonText(rerun(recorded, recorded.packageVersion))) as unknown
  const difference = firstDifference(recorded, fresh)
  if (recorded.packageVersion !== version) {
    process.stderr.write(`note: ${path} was written by pure-gan ${recorded.packageVersion}; this is ${version}\n`)
  }
  if (difference === null) {
    process.stdout.write(`verified: ${path} is bit-identical to a fresh run (seed ${recorded.config.seed}, ${recorded.config.epochs} epochs)\n`)
    return 0
  }
  process.stdout.write(`different: ${path} and a fresh run first differ at ${difference}\n`)
  return 1
}
