/**
 * `pure-gan train`: checks the output folder, trains, reports progress on stderr, renders
 * every output file in memory, and writes them all or nothing.
 *
 * @module
 */
import { encodeState } from '../gan/codec.js'
import { type EpochReport, NonFiniteError } from '../gan/train.js'
import { type TrainOptions, UsageError, trainHelp } from './flags.js'
import { type CliIo, oneLine, shown } from './io.js'
import { type Rendered, trainAndRender } from './render-run.js'
import { type OutDir, OutputWriteError, RUN_FILES, STATE_FILE, freshRunDir, prepareOutDir, removeCreated, removeFiles, writeFilesAtomic } from './out-dir.js'
import { estimateRunBytes } from './output-size.js'


const progressLine = (r: EpochReport, epochs: number, rate: number): string =>
  `epoch ${r.epoch}/${epochs}  loss_D ${r.lossD.toFixed(4)}  loss_G ${r.lossG.toFixed(4)}  ${Math.round(rate)} examples/sec`

const bar = (done: number, total: number): string => {
  const width = 30
  const filled = Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** Trains and renders with progress on stderr: a live bar on a terminal, a line per epoch otherwise, nothing with --quiet. */
const trainWithProgress = (options: TrainOptions, io: CliIo): Rendered => {
  const { config } = options
  const tty = io.isTTY && !options.quiet
  let epochs = 0
  try {
    return trainAndRender(config, (report, rate) => {
      epochs = report.epoch
      if (tty) {
        io.stderr(`\r${bar(report.epoch, config.epochs)} ${progressLine(report, config.epochs, rate)}\x1b[K`)
        if (report.epoch === config.epochs) io.stderr('\n')
      } else if (!options.quiet) {
        io.stderr(`${progressLine(report, config.epochs, rate)}\n`)
      }
    })
  } catch (e) {
    // the live bar is mid-line: end it before the error's line
    if (tty && epochs < config.epochs) io.stderr('\n')
    throw e
  }
}

/**
 * A non-finite stop: saves the last finite state (atomically) and, with --force, removes an
 * earlier run's five files so that the folder holds only this run's outcome. Exit code 1.
 */
const saveLastFiniteState = (e: NonFiniteError, out: OutDir, force: boolean, io: CliIo): number => {
  const where = shown(`${out.dir}/${STATE_FILE}`)
  try {
    writeFilesAtomic(out.dir, [{ name: STATE_FILE, text: encodeState(e.lastFiniteState) }])
  } catch (w) {
    if (!(w instanceof OutputWriteError)) throw w
    removeCreated(out)
    io.stderr(`pure-gan train: ${oneLine(e.message)}; the last finite state could not be saved to ${where}: ${w.reason}\n`)
    return 1
  }
  if (force) removeFiles(out.dir, RUN_FILES)
  io.stderr(`pure-gan train: ${oneLine(e.message)}; the last finite state is in ${where}\n`)
  return 1
}

/** Runs `pure-gan train`; returns the exit code (a `UsageError` means exit 2). */
export const trainCommand = (options: TrainOptions, io: CliIo): number => {
  if (options.help) {
    io.stdout(`${trainHelp()}\n`)
    return 0
  }
  const dir = options.out ?? freshRunDir(options.config.seed, new Date())
  const out = prepareOutDir({ dir, force: options.force, bytes: estimateRunBytes(options.config) })
  let finished = false
  try {
    let rendered: Rendered
    try {
      rendered = trainWithProgress(options, io)
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e
      const code = saveLastFiniteState(e, out, options.force, io)
      finished = true
      return code
    }
    try {
      writeFilesAtomic(dir, rendered.files)
    } catch (e) {
      if (!(e instanceof OutputWriteError)) throw e
      throw new UsageError(`could not write ${e.file} into ${shown(`${dir}/`)} (${e.reason}); nothing of this run was written`)
    }
    // A state saved by an earlier run's non-finite stop is not this run's (checked to be ours).
    if (options.force) removeFiles(dir, [STATE_FILE])
    finished = true
    if (options.json) io.stdout(rendered.runJson)
    else if (!options.quiet) {
      io.stdout(`loss_D ${rendered.final.lossD.toFixed(3)}, loss_G ${rendered.final.lossG.toFixed(3)}, ${Math.round(rendered.rate)} examples/sec\n`)
      io.stderr(`wrote ${shown(`${dir}/`)}: ${RUN_FILES.join(', ')}\n`)
    }
    return 0
  } finally {
    // Any failure leaves no folder of this run's making behind (only removed if empty).
    if (!finished) removeCreated(out)
  }
}
