/**
 * `pure-gan train`: trains, reports progress on stderr, and writes the run folder.
 *
 * @module
 */
import { encodeState } from '../gan/codec.js'
import { initialState, runData } from '../gan/state.js'
import { type EpochReport, NonFiniteLossError, trainEpochs } from '../gan/train.js'
import { lossPlotSvg, reportHtml, samplesPlotSvg } from '../report/index.js'
import { makeRunRecord, snapshotEpochs, snapshotOf } from '../report/make-record.js'
import type { RunRecord, SampleSnapshot } from '../report/run-record.js'
import { type TrainOptions, trainHelp } from './flags.js'
import { freshRunDir, prepareOutDir, writeFileAtomic } from './out-dir.js'
import { packageVersion } from './version.js'

/** run.json's text: the record, pretty-printed, keys in construction order (deterministic). */
export const runJsonText = (record: RunRecord): string => `${JSON.stringify(record, null, 1)}\n`

const progressLine = (r: EpochReport, epochs: number, rate: number): string =>
  `epoch ${r.epoch}/${epochs}  loss_D ${r.lossD.toFixed(4)}  loss_G ${r.lossG.toFixed(4)}  ${Math.round(rate)} examples/sec`

const bar = (done: number, total: number): string => {
  const width = 30
  const filled = Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** Runs `pure-gan train`; returns the exit code. */
export const trainCommand = (options: TrainOptions): number => {
  if (options.help) {
    process.stdout.write(`${trainHelp()}\n`)
    return 0
  }
  const { config } = options
  const dir = options.out ?? freshRunDir(config.seed, new Date())
  prepareOutDir(dir, options.force)

  const tty = process.stderr.isTTY === true && !options.quiet
  const wanted = new Set(snapshotEpochs(config.epochs))
  const snapshots: SampleSnapshot[] = []
  const epochSeconds: number[] = []
  const data = runData(config)
  const start = performance.now()
  let epochStart = start
  let lastRate = 0
  try {
    const { state, history } = trainEpochs(initialState(config), data, config.epochs, (report, s) => {
      const now = performance.now()
      const seconds = (now - epochStart) / 1000
      epochSeconds.push(seconds)
      lastRate = report.examples / seconds
      if (wanted.has(report.epoch)) snapshots.push(snapshotOf(s))
      if (tty) {
        process.stderr.write(`\r${bar(report.epoch, config.epochs)} ${progressLine(report, config.epochs, lastRate)}\x1b[K`)
        if (report.epoch === config.epochs) process.stderr.write('\n')
      } else if (!options.quiet) {
        process.stderr.write(`${progressLine(report, config.epochs, lastRate)}\n`)
      }
      epochStart = performance.now()
    })
    const totalSeconds = (performance.now() - start) / 1000
    const record = makeRunRecord(packageVersion(), data, history, snapshots, state)
    const final = history[history.length - 1]!
    const finalSnapshot = snapshots[snapshots.length - 1]!
    writeFileAtomic(dir, 'run.json', runJsonText(record))
    writeFileAtomic(
      dir,
      'timing.json',
      `${JSON.stringify(
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
      )}\n`,
    )
    writeFileAtomic(dir, 'losses.svg', lossPlotSvg(history))
    writeFileAtomic(dir, 'samples.svg', samplesPlotSvg(record.realSample, finalSnapshot.points, { title: `epoch ${finalSnapshot.epoch}` }))
    writeFileAtomic(dir, 'report.html', reportHtml(record))
    if (options.json) process.stdout.write(runJsonText(record))
    else if (!options.quiet) {
      process.stdout.write(`loss_D ${final.lossD.toFixed(3)}, loss_G ${final.lossG.toFixed(3)}, ${Math.round(lastRate)} examples/sec\n`)
      process.stderr.write(`wrote ${dir}/: run.json, timing.json, losses.svg, samples.svg, report.html\n`)
    }
    return 0
  } catch (e) {
    if (!(e instanceof NonFiniteLossError)) throw e
    if (tty) process.stderr.write('\n')
    writeFileAtomic(dir, 'last-finite-state.json', encodeState(e.lastFiniteState))
    process.stderr.write(`pure-gan train: ${e.message}; the last finite state is in ${dir}/last-finite-state.json\n`)
    return 1
  }
}
