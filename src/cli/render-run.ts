/**
 * One training run rendered in memory: trains a config (reporting each epoch to a callback),
 * takes the report's snapshots, and renders every output file of a run folder (run.json,
 * timing.json, losses.svg, samples.svg, report.html), so that `train` and each run of a
 * `sweep` write the same files.
 *
 * @module
 */
import { type GanState, initialStateWith, runData } from '../gan/state.js'
import type { GanConfig, MnistSource } from '../gan/config.js'
import { type EpochReport, trainEpochs } from '../gan/train.js'
import { deflateSync } from 'node:zlib'
import { digitRowsGrid, encodePng, lossPlotSvg, lossReferences, reportHtml, samplesPlotSvg } from '../report/index.js'
import { criticGridSpec, makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { Matrix } from '../matrix/index.js'
import type { DigitMetricsRecord, RunRecord, SampleSnapshot } from '../report/run-record.js'
import type { OutputFile } from './out-dir.js'
import { type DigitEvaluationSetup, digitMetricsRecord, scoreEpoch } from './digit-metrics.js'
import { packageVersion } from './version.js'

/** run.json's text: the record, pretty-printed, keys in construction order (deterministic). */
export const runJsonText = (record: RunRecord): string => `${JSON.stringify(record, null, 1)}\n`

/** A finished run, rendered: every file's text, the record, and the numbers of the summary line. */
export interface Rendered {
  readonly files: ReadonlyArray<OutputFile>
  readonly record: RunRecord
  readonly runJson: string
  readonly final: EpochReport
  readonly rate: number
}

/**
 * Where a run's training starts: from its initial state (`freshStart`), or from a recorded
 * run's end (`train --resume`, src/cli/resume.ts). `state` is the state after `history`'s
 * epochs, and `snapshots` hold the frames of `snapshotEpochs(config.epochs)` up to that
 * epoch, so that the rest of the run takes the remaining frames and the record is the one a
 * run from the start would make.
 */
export interface RunStart {
  /** The whole run's config: `config.epochs` is the total, the epochs before `state` included. */
  readonly config: GanConfig
  /** `runData(config, source)`. */
  readonly data: Matrix
  /** The images of a run on MNIST (`config.data.kind === 'mnist'`), else undefined. */
  readonly source?: MnistSource
  /** `--classifier`: score the generated digits at each snapshot epoch and at the end (digit-metrics.json). */
  readonly evaluation?: DigitEvaluationSetup
  /** The state to train from, with `config` as its config. */
  readonly state: GanState
  /** The reports of the epochs before `state`, one per epoch from 1. */
  readonly history: ReadonlyArray<EpochReport>
  /** The run's snapshots at the epochs before `state` (ascending). */
  readonly snapshots: ReadonlyArray<SampleSnapshot>
  /** What timing.json adds for a resumed run (absent for a run from the start). */
  readonly timing?: Readonly<Record<string, unknown>>
}

/** The start of a run of `config` from its initial state: no epoch trained yet. */
export const freshStart = (config: GanConfig, source?: MnistSource): RunStart => {
  const data = runData(config, source)
  return { config, data, ...(source === undefined ? {} : { source }), state: initialStateWith(config, data), history: [], snapshots: [] }
}

/**
 * Trains `config` from its initial state and renders every output file in memory; `onEpoch`
 * hears each epoch's report and its examples per second. Throws a `NonFiniteError` at a
 * non-finite value (nothing rendered).
 */
export const trainAndRender = (config: GanConfig, onEpoch: (report: EpochReport, rate: number) => void = () => undefined, pictures = true): Rendered =>
  continueAndRender(freshStart(config), onEpoch, pictures)

/**
 * Trains from `start` to `start.config.epochs` and renders every output file in memory, as
 * `trainAndRender` does: the history and snapshots are `start`'s followed by those of the
 * epochs trained here. `onEpoch` hears each of those epochs. Without `pictures` only run.json
 * and timing.json are rendered (a sweep's runs: the plots and the report cost more than a seed
 * run's training). Throws a `NonFiniteError` at a non-finite value (nothing rendered).
 */
export const continueAndRender = (start: RunStart, onEpoch: (report: EpochReport, rate: number) => void = () => undefined, pictures = true): Rendered => {
  const { config, data } = start
  const wanted = new Set(snapshotEpochs(config.epochs))
  const snapshots: SampleSnapshot[] = [...start.snapshots]
  const epochSeconds: number[] = []
  const scores: Array<DigitMetricsRecord['epochs'][number]> = []
  // The heat map's grid: from the real data, so the same at every snapshot (none unless 2-D, unpacked).
  const grid = criticGridSpec(config, data)
  const startTime = performance.now()
  let epochStart = startTime
  let lastRate = 0
  const trained = trainEpochs(start.state, data, config.epochs - start.state.epoch, (report, s) => {
    const seconds = (performance.now() - epochStart) / 1000
    epochSeconds.push(seconds)
    lastRate = report.examples / seconds
    if (wanted.has(report.epoch)) {
      snapshots.push(snapshotOf(s, grid))
      if (start.evaluation !== undefined) scores.push(scoreEpoch(start.evaluation, s))
    }
    onEpoch(report, lastRate)
    epochStart = performance.now()
  })
  const totalSeconds = (performance.now() - startTime) / 1000
  const state = trained.state
  const history = [...start.history, ...trained.history]
  const record = makeRunRecord(packageVersion(), data, history, snapshots, state, start.source)
  const digitMetrics = start.evaluation === undefined ? undefined : digitMetricsRecord(start.evaluation, scores, state)
  const final = history[history.length - 1]!
  const finalSnapshot = snapshots[snapshots.length - 1]!
  const runJson = runJsonText(record)
  const timing = `${JSON.stringify(
    {
      examplesPerSecond: lastRate,
      examplesPerSecondDefinition: 'examples of the last epoch / that epoch’s wall time, as the seed prints',
      totalSeconds,
      epochSeconds,
      ...start.timing,
      node: process.version,
      finishedAt: new Date().toISOString(),
    },
    null,
    1,
  )}\n`
  const records: OutputFile[] = [
    { name: 'run.json', text: runJson },
    { name: 'timing.json', text: timing },
  ]
  if (!pictures) return { files: records, record, runJson, final, rate: lastRate }
  if (config.data.kind === 'mnist') {
    const range = config.data.scale
    const grid = (rows: ReadonlyArray<ReadonlyArray<number>>): Uint8Array => encodePng(digitRowsGrid(rows, range), { deflate: (b) => deflateSync(b) })
    const images: OutputFile[] = [
      ...records,
      { name: 'losses.svg', text: lossPlotSvg(history, { references: lossReferences(config) }) },
      { name: 'real-digits.png', text: grid(record.realSample) },
      ...snapshots.map((s) => ({ name: `digits-epoch-${s.epoch}.png`, text: grid(s.points) })),
      ...(digitMetrics === undefined ? [] : [{ name: 'digit-metrics.json', text: `${JSON.stringify(digitMetrics, null, 1)}\n` }]),
      { name: 'report.html', text: reportHtml(record, digitMetrics) },
    ]
    return { files: images, record, runJson, final, rate: lastRate }
  }
  const files: OutputFile[] = [
    ...records,
    { name: 'losses.svg', text: lossPlotSvg(history, { references: lossReferences(config) }) },
    {
      name: 'samples.svg',
      text: samplesPlotSvg(record.realSample, finalSnapshot.points, {
        title: `epoch ${finalSnapshot.epoch}`,
        ...(finalSnapshot.critic === undefined ? {} : { critic: finalSnapshot.critic }),
      }),
    },
    { name: 'report.html', text: reportHtml(record) },
  ]
  return { files, record, runJson, final, rate: lastRate }
}
