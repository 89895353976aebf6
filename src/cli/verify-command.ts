/**
 * `pure-gan verify RUN.json`: re-runs a recorded run from its config and seed and reports
 * whether the result is bit-identical.
 *
 * @module
 */
import * as E from '../fp/either.js'
import type { MnistSource } from '../gan/config.js'
import { initialStateWith, runData } from '../gan/state.js'
import { imagesForConfig } from './mnist-files.js'
import { NonFiniteError, trainEpochs } from '../gan/train.js'
import { criticGridSpec, firstDifference, makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { RunRecord, SampleSnapshot } from '../report/run-record.js'
import { UsageError } from './flags.js'
import { type CliIo, oneLine, shown } from './io.js'
import { type ExpectedFile, MAX_RECORD_BYTES, RUN_RECORD_FILE, readBoundedFile } from './read-bounded.js'
import { type CheckedRecord, checkRunRecord } from './record-check.js'
import { runJsonText } from './render-run.js'

/** `pure-gan verify --help`. */
export const verifyHelp = (): string =>
  [
    'usage: pure-gan verify RUN.json',
    '',
    'Re-runs the config and seed recorded in RUN.json (written by pure-gan train) and compares',
    'the fresh run record with the recorded one, every float bit for bit.',
    '',
    `RUN.json must be a regular file (symbolic links are followed) of at most ${MAX_RECORD_BYTES / (1024 * 1024)} MiB, with a`,
    "run record's structure at every level; it is checked whole before anything runs.",
    '',
    'Exit codes:',
    '  0  bit-identical',
    '  1  re-ran and the result differs (the first difference is printed on stdout), or the',
    '     re-run itself stopped at a NaN or infinite value ("the re-run stopped: ..." on stderr)',
    '  2  anything else: RUN.json missing, unreadable, not a regular file, too large, not JSON,',
    '     truncated, of another format or version, with a field of the wrong structure, a',
    '     config the library refuses (including its size limits), a bad command line, or an',
    '     internal error; one line on stderr',
  ].join('\n')

/**
 * Reads and checks a run.json: the parsed text (for the comparison) and the checked record.
 * Throws a UsageError naming the problem; `expected` says which command reads it.
 */
export const readRunRecord = (path: string, expected: ExpectedFile = RUN_RECORD_FILE): { readonly parsed: unknown; readonly record: CheckedRecord } => {
  const text = readBoundedFile(path, expected)
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${shown(path)} is not valid JSON, perhaps truncated (${oneLine((e as Error).message).slice(0, 200)})`)
  }
  const record = checkRunRecord(parsed)
  if (E.isLeft(record)) throw new UsageError(`${shown(path)} ${record.left}`)
  return { parsed, record: record.right }
}

/** The record a fresh run of `record.config` produces (same code path as `pure-gan train`). */
export const rerun = (record: CheckedRecord, version: string, images?: MnistSource): RunRecord => {
  const config = record.config
  const wanted = new Set(snapshotEpochs(config.epochs))
  const snapshots: SampleSnapshot[] = []
  const data = runData(config, images)
  const grid = criticGridSpec(config, data)
  const { state, history } = trainEpochs(initialStateWith(config, data), data, config.epochs, (report, s) => {
    if (wanted.has(report.epoch)) snapshots.push(snapshotOf(s, grid))
  })
  return makeRunRecord(version, data, history, snapshots, state, images)
}

/** Runs `pure-gan verify` on one path; returns the exit code (a `UsageError` means exit 2). */
export const verifyCommand = (path: string, version: string, io: CliIo, data?: string): number => {
  const { parsed, record } = readRunRecord(path)
  if (data !== undefined && record.config.data.kind !== 'mnist') throw new UsageError(`verify's --data is for a run on MNIST; ${shown(path)} is a run on ${record.config.data.kind} data`)
  const images = imagesForConfig(record.config, data)
  let fresh: unknown
  try {
    fresh = JSON.parse(runJsonText(rerun(record, record.packageVersion, images)))
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e
    io.stderr(`pure-gan verify: the re-run stopped: ${oneLine(e.message)}\n`)
    return 1
  }
  const difference = firstDifference(parsed, fresh)
  if (record.packageVersion !== version) {
    io.stderr(`note: ${shown(path)} was written by pure-gan ${shown(record.packageVersion)}; this is ${version}\n`)
  }
  if (difference === null) {
    io.stdout(`verified: ${shown(path)} is bit-identical to a fresh run (seed ${record.config.seed}, ${record.config.epochs} epochs)\n`)
    return 0
  }
  io.stdout(`different: ${shown(path)} and a fresh run first differ at ${oneLine(difference)}\n`)
  return 1
}
