/**
 * `pure-gan train`: checks the output folder, trains, reports progress on stderr, renders
 * every output file in memory, and writes them all or nothing.
 *
 * @module
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { encodeState } from '../gan/codec.js'
import { type EpochReport, NonFiniteError } from '../gan/train.js'
import { type TrainOptions, UsageError, trainHelp } from './flags.js'
import { type CliIo, oneLine, shown } from './io.js'
import { type Rendered, type RunStart, continueAndRender, freshStart } from './render-run.js'
import { digitEvaluationSetup } from './digit-metrics.js'
import { type RecordedRun, replayedEpochs, resumeStart } from './resume.js'
import { type OutDir, OutputWriteError, RUN_FILES, STATE_FILE, freshRunDir, prepareOutDir, removeCreated, removeFiles, writeFilesAtomic } from './out-dir.js'
import { estimateRunBytes } from './output-size.js'
import { packageVersion } from './version.js'


const progressLine = (r: EpochReport, epochs: number, rate: number): string =>
  `epoch ${r.epoch}/${epochs}  loss_D ${r.lossD.toFixed(4)}  loss_G ${r.lossG.toFixed(4)}  ${Math.round(rate)} examples/sec${timeLeft(r, epochs, rate)}`

/**
 * The time the epochs after `r` would take at this epoch's rate, as `  about 12 s left` (under
 * 100 s), `  about 7 min left` (under 100 minutes) or `  about 3 h 20 min left`; nothing after
 * the last epoch, or when the rate is not a positive finite number.
 */
const timeLeft = (r: EpochReport, epochs: number, rate: number): string => {
  const seconds = ((epochs - r.epoch) * r.examples) / rate
  if (r.epoch >= epochs || !(rate > 0) || !Number.isFinite(seconds)) return ''
  if (seconds < 100) return `  about ${Math.ceil(seconds)} s left`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 100) return `  about ${minutes} min left`
  return `  about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`
}

const bar = (done: number, total: number): string => {
  const width = 30
  const filled = Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
}

/** The lines announcing a resume once its start is ready: where it continues, what it replayed. */
const resumeLines = (options: TrainOptions, run: RecordedRun): string => {
  const before = run.record.config.epochs
  const replay = replayedEpochs(before, options.config.epochs)
  const what = replay === 0 ? 'nothing replayed' : `epochs 1..${replay} replayed for the snapshots it lacks, as recorded`
  const version = packageVersion()
  const note = run.record.packageVersion === version ? '' : `note: ${shown(run.path)} was written by pure-gan ${shown(run.record.packageVersion)}; this is ${version}\n`
  return `${note}resuming ${shown(run.path)} at epoch ${before} of ${options.config.epochs} (${what})\n`
}

/**
 * Where the run starts: its initial state, or with --resume the record's end (src/cli/resume.ts).
 * A resume's replay shows a live bar on a terminal, erased when it ends, and nothing
 * otherwise, so that a record the replay refuses gets one line; once it is ready, a line
 * says where the run continues.
 */
const startOf = (options: TrainOptions, io: CliIo): RunStart => {
  const { config, resume } = options
  if (resume === undefined) {
    const start = freshStart(config, options.images)
    if (options.classifier === undefined || config.data.kind !== 'mnist') return start
    return { ...start, evaluation: digitEvaluationSetup(options.classifier, config.data, options.images!, options.evalSamples!, config.seed) }
  }
  const tty = io.isTTY && !options.quiet
  let drawn = false
  let start: RunStart
  try {
    start = resumeStart(resume, config, (report, epochs) => {
      if (!tty) return
      io.stderr(`\r${bar(report.epoch, epochs)} replay epoch ${report.epoch}/${epochs}  loss_D ${report.lossD.toFixed(4)}  loss_G ${report.lossG.toFixed(4)}\x1b[K`)
      drawn = true
    })
  } finally {
    if (drawn) io.stderr('\r\x1b[K')
  }
  if (!options.quiet) io.stderr(resumeLines(options, resume))
  return start
}

/**
 * Trains and renders with progress on stderr: a live bar on a terminal, a line per epoch
 * otherwise, nothing with --quiet.
 */
const trainWithProgress = (options: TrainOptions, io: CliIo): Rendered => {
  const { config } = options
  const tty = io.isTTY && !options.quiet
  const from = startOf(options, io)
  let epochs = from.state.epoch
  try {
    return continueAndRender(from, (report, rate) => {
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

/** True when `a` and `b` name the same file (the same device and inode); false when either is missing. */
const sameFile = (a: string, b: string): boolean => {
  try {
    const [x, y] = [statSync(a), statSync(b)]
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return false
  }
}

/**
 * A non-finite stop: saves the last finite state (atomically) and, with --force, removes an
 * earlier run's five files so that the folder holds only this run's outcome, unless they are
 * the run this one resumed (`keeps`): those stay, beside the state. Exit code 1.
 */
const saveLastFiniteState = (e: NonFiniteError, out: OutDir, force: boolean, keeps: boolean, io: CliIo): number => {
  const where = shown(`${out.dir}/${STATE_FILE}`)
  try {
    writeFilesAtomic(out.dir, [{ name: STATE_FILE, text: encodeState(e.lastFiniteState) }])
  } catch (w) {
    if (!(w instanceof OutputWriteError)) throw w
    removeCreated(out)
    io.stderr(`pure-gan train: ${oneLine(e.message)}; the last finite state could not be saved to ${where}: ${w.reason}\n`)
    return 1
  }
  if (force && !keeps) removeFiles(out.dir, RUN_FILES)
  io.stderr(`pure-gan train: ${oneLine(e.message)}; the last finite state is in ${where}${keeps ? ', beside the run it continued' : ''}\n`)
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
  // --out the resumed run's own folder: its files are replaced only by the finished new run
  const keeps = options.resume !== undefined && sameFile(join(dir, 'run.json'), options.resume.path)
  let finished = false
  try {
    let rendered: Rendered
    try {
      rendered = trainWithProgress(options, io)
    } catch (e) {
      if (!(e instanceof NonFiniteError)) throw e
      const code = saveLastFiniteState(e, out, options.force, keeps, io)
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
      io.stderr(`wrote ${shown(`${dir}/`)}: ${rendered.files.map((f) => f.name).join(', ')}\n`)
    }
    return 0
  } finally {
    // Any failure leaves no folder of this run's making behind (only removed if empty).
    if (!finished) removeCreated(out)
  }
}
