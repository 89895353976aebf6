/**
 * One training run rendered in memory: trains a config (reporting each epoch to a callback),
 * takes the report's snapshots, and renders every output file of a run folder (run.json,
 * timing.json, losses.svg, samples.svg, report.html), so that `train` and each run of a
 * `sweep` write the same files.
 *
 * @module
 */
import { initialState, runData } from '../gan/state.js'
import type { GanConfig } from '../gan/config.js'
import { type EpochReport, trainEpochs } from '../gan/train.js'
import { lossPlotSvg, lossReferences, reportHtml, samplesPlotSvg } from '../report/index.js'
import { criticGridSpec, makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { RunRecord, SampleSnapshot } from '../report/run-record.js'
import type { OutputFile } from './out-dir.js'
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
 * Trains `config` from its initial state and renders every output file in memory; `onEpoch`
 * hears each epoch's report and its examples per second. Throws a `NonFiniteError` at a
 * non-finite value (nothing rendered).
 */
export const trainAndRender = (config: GanConfig, onEpoch: (report: EpochReport, rate: number) => void = () => undefined): Rendered => {
  const wanted = new Set(snapshotEpochs(config.epochs))
  const snapshots: SampleSnapshot[] = []
  const epochSeconds: number[] = []
  const data = runData(config)
  // The heat map's grid: from the real data, so the same at every snapshot (none unless 2-D, unpacked).
  const grid = criticGridSpec(config, data)
  const start = performance.now()
  let epochStart = start
  let lastRate = 0
  const { state, history } = trainEpochs(initialState(config), data, config.epochs, (report, s) => {
    const seconds = (performance.now() - epochStart) / 1000
    epochSeconds.push(seconds)
    lastRate = report.examples / seconds
    if (wanted.has(report.epoch)) snapshots.push(snapshotOf(s, grid))
    onEpoch(report, lastRate)
    epochStart = performance.now()
  })
  const totalSeconds = (performance.now() - start) / 1000
  const record = makeRunRecord(packageVersion(), data, history, snapshots, state)
  const final = history[history.length - 1]!
  const finalSnapshot = snapshots[snapshots.length - 1]!
  const runJson = runJsonText(record)
  const timing = `${JSON.stringify(
    {
      examplesPerSecond: lastRate,
      examplesPerSecondDefinition: 'examples of the last epoch / that epoch’s wall time, as the seed prints',
      totalSeconds,
      epochSeconds,
      node: process.version,
      finishedAt: new Date().toISOString(),
    },
    null,
    1,
  )}\n`
  const files: OutputFile[] = [
    { name: 'run.json', text: runJson },
    { name: 'timing.json', text: timing },
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
