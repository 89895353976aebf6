/**
 * `pure-gan sweep`: one training per cell of a seed range crossed with a grid of settings, on
 * a pool of worker threads, each run in its own folder; then sweep.json and sweep.html (or,
 * for one shard of a sweep, its shard record for `pure-gan merge`).
 *
 * What it writes depends only on its arguments: the cells are numbered in one order (settings
 * in grid order, the first grid flag varying slowest, seeds ascending within each), every run
 * is a pure function of its config, and the records list runs in cell order, so the number of
 * workers and the order in which they finish change no byte. A second sweep with the same
 * arguments and `--out` reads the outcome of every run already in its folder and runs only the
 * rest (a failed run again). SIGINT stops the workers and keeps every finished run; each run's
 * files are written all or nothing, its run.json (or stopped.json) last.
 *
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { canonicalJson } from '../gan/codec.js'
import type { SweepRecord } from '../report/sweep-record.js'
import { successRateText } from '../report/sweep-html.js'
import { UsageError } from './flags.js'
import { type CliIo, oneLine, shown } from './io.js'
import { checkFreeSpace, writeFilesAtomic } from './out-dir.js'
import { estimateRunBytes } from './output-size.js'
import type { ShardChoice, SweepOptions, SweepSettingPlan } from './sweep-flags.js'
import { type RunOutcome, clearUnfinished, recordedOutcome, runDir } from './sweep-run.js'
import type { RunReply, RunRequest } from './sweep-worker.js'
import { type SweepCell, type SweepResults, writeSweepResults } from './sweep-output.js'

/** The plan file of a sweep folder: the sweep's definition, so that a second sweep there is known to be the same one. */
export const PLAN_FILE = 'sweep-plan.json'

/** How the command hears of SIGINT: `onInterrupt(handler)` installs a handler and returns its removal. */
export interface Interrupts {
  readonly onInterrupt: (handler: () => void) => () => void
}

/** The cells of the whole sweep in their one order: settings in grid order, seeds ascending within each. */
export const sweepCells = (options: Pick<SweepOptions, 'settings' | 'seeds'>): ReadonlyArray<SweepCell> => {
  const cells: SweepCell[] = []
  for (const setting of options.settings) {
    for (let seed = options.seeds.from; seed <= options.seeds.to; seed++) cells.push({ index: cells.length, setting, seed })
  }
  return cells
}

/** The cells of shard `index` of `count`: every `count`-th cell from the `index`-th (disjoint, and together all cells). */
export const shardCells = (cells: ReadonlyArray<SweepCell>, shard: ShardChoice | null): ReadonlyArray<SweepCell> =>
  shard === null ? cells : cells.filter((c) => c.index % shard.count === shard.index)

/** The sweep's definition as the plan file holds it (the settings with their configs, the seeds, the grid). */
const planText = (options: SweepOptions): string =>
  `${JSON.stringify(
    {
      format: 'pure-gan/sweep-plan',
      version: 1,
      seeds: options.seeds,
      grid: options.grid,
      settings: options.settings.map((s) => ({ id: s.id, values: s.values, config: JSON.parse(canonicalJson(s.config)) as unknown })),
    },
    null,
    1,
  )}\n`

/**
 * Creates `--out` (or finds it), and checks that a plan file already there is this sweep's;
 * writes the plan file when there is none. Throws a `UsageError` for another sweep's folder
 * or one that cannot be written.
 */
const prepareSweepDir = (options: SweepOptions): void => {
  const text = planText(options)
  try {
    mkdirSync(options.out, { recursive: true })
  } catch (e) {
    throw new UsageError(`--out ${shown(options.out)} is not a writable folder (${oneLine(e instanceof Error ? e.message : String(e))})`)
  }
  let existing: string | null = null
  try {
    existing = readFileSync(join(options.out, PLAN_FILE), 'utf8')
  } catch {
    existing = null
  }
  if (existing !== null && existing !== text) {
    throw new UsageError(`--out ${shown(options.out)} holds another sweep (its ${PLAN_FILE} differs: other settings, seeds or grid); choose another folder`)
  }
  if (existing === null) writeFilesAtomic(options.out, [{ name: PLAN_FILE, text }])
}

/** `1m 05s`, `12s`: a duration for the progress line. */
const duration = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds))
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`
}

/** The progress of a pool: counts and the time left estimated from this session's pace. */
interface Progress {
  readonly total: number
  done: number
  failed: number
  readonly skipped: number
  readonly start: number
}

/** A 30-character bar of `done` of `total`. */
const bar = (done: number, total: number): string => {
  const filled = Math.round((done / total) * 30)
  return `[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}]`
}

const progressText = (p: Progress): string => {
  const ranHere = p.done - p.skipped
  const left = p.total - p.done
  const elapsed = (performance.now() - p.start) / 1000
  const eta = ranHere > 0 && left > 0 ? `, about ${duration((elapsed / ranHere) * left)} left` : ''
  return `${p.done}/${p.total} runs done, ${p.failed} failed${eta}`
}

/** A setting as the progress names it: its grid values (`lr-d=0.05 epochs=40`), or its id without a grid. */
const settingLabel = (s: SweepSettingPlan): string => (s.values.length === 0 ? s.id : s.values.map(([f, v]) => `${f}=${v}`).join(' '))

const outcomeText = (o: RunOutcome): string =>
  o.status === 'finished' ? `frechet ${o.frechet.toPrecision(4)}, loss_D ${o.lossD.toFixed(4)}, loss_G ${o.lossG.toFixed(4)}` : o.status === 'non-finite' ? `stopped: ${o.message}` : `failed: ${o.message}`

/**
 * Runs `todo` on a pool of `options.workers` worker threads (at most one per run), reporting
 * each outcome to `settle`; resolves when all are settled, or `'interrupted'` at SIGINT (after
 * stopping every worker). A worker that dies settles its run as failed and is replaced.
 */
const runPool = (options: SweepOptions, todo: ReadonlyArray<SweepCell>, settle: (cell: SweepCell, outcome: RunOutcome) => void, interrupts: Interrupts): Promise<'done' | 'interrupted'> =>
  new Promise((resolve) => {
    const queue = [...todo]
    const busy = new Map<Worker, SweepCell>()
    const workers = new Set<Worker>()
    let stopping = false
    let remaining = todo.length
    // Once interrupted, further SIGINTs are swallowed until the command returns, so that the
    // stop itself (terminating the workers, clearing their unfinished writes) is never cut short.
    const finish = (how: 'done' | 'interrupted'): void => {
      const inFlight = [...busy.values()]
      void Promise.all([...workers].map((w) => w.terminate())).then(() => {
        for (const cell of inFlight) clearUnfinished(runDir(options.out, cell.setting.id, cell.seed))
        removeInterrupt()
        resolve(how)
      })
    }
    const removeInterrupt = interrupts.onInterrupt(() => {
      if (stopping) return
      stopping = true
      finish('interrupted')
    })
    const settled = (cell: SweepCell, outcome: RunOutcome): void => {
      settle(cell, outcome)
      remaining--
      if (remaining === 0 && !stopping) {
        stopping = true
        finish('done')
      }
    }
    const next = (w: Worker): void => {
      const cell = queue.shift()
      if (cell === undefined || stopping) return
      busy.set(w, cell)
      const request: RunRequest = { cell: cell.index, dir: runDir(options.out, cell.setting.id, cell.seed), config: { ...cell.setting.config, seed: cell.seed }, runReports: options.runReports }
      w.postMessage(request)
    }
    const spawn = (): void => {
      const limits = options.workerHeapMb === null ? {} : { resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMb } }
      const w = new Worker(new URL('./sweep-worker.js', import.meta.url), limits)
      workers.add(w)
      let died = false
      w.on('message', (reply: RunReply) => {
        const cell = busy.get(w)!
        busy.delete(w)
        settled(cell, reply.outcome)
        next(w)
        if (busy.get(w) === undefined && queue.length === 0) {
          workers.delete(w)
          void w.terminate()
        }
      })
      const death = (why: string): void => {
        if (died || stopping) return
        died = true
        workers.delete(w)
        const cell = busy.get(w)
        busy.delete(w)
        if (cell !== undefined) settled(cell, { status: 'failed', message: `its worker died (${why})` })
        if (queue.length > 0 && !stopping) spawn()
      }
      w.on('error', (e) => death(oneLine(`${(e as { code?: string }).code ?? e.name}: ${e.message}`)))
      w.on('exit', (code) => {
        if (busy.has(w)) death(`exit code ${code}`)
      })
      next(w)
    }
    if (todo.length === 0) {
      stopping = true
      finish('done')
      return
    }
    for (let k = 0; k < Math.min(options.workers, todo.length); k++) spawn()
  })

/** `pure-gan sweep --help`. */
export const sweepHelp = (): string =>
  [
    'usage: pure-gan sweep --seeds A..B --out DIR [--grid FLAG=V1,V2,...]... [train flags] [sweep flags]',
    '',
    'Trains one run per cell of the seeds A..B (inclusive) crossed with the grid of settings, each',
    'in DIR/runs/<setting>/seed-<n>/ (run.json and timing.json; losses.svg, samples.svg and',
    'report.html too with --run-reports), and writes DIR/sweep.json and DIR/sweep.html: per',
    'setting, the success rate under --success with its 95 % Wilson interval, and the quartiles',
    'of each final metric (the Fréchet distance, the losses, and run.json\'s metrics: modes',
    'covered, high-quality fraction, reverse KL, MMD and energy p-values, C2ST accuracy).',
    '',
    '  --seeds A..B          the seeds of every setting (or one seed N); required',
    '  --grid FLAG=V1,V2     vary a train flag over these values; repeat --grid for more flags (the',
    '                        first varies slowest); a layer-list flag (--generator, --discriminator,',
    '                        --dropout-keep) takes one value per --grid, repeated for more',
    '  --out DIR             the sweep\'s folder; required. The same command again resumes there:',
    '                        finished runs are read back, the rest (and failed runs) are run',
    '  --success TEXT        when a run succeeds: METRIC OP NUMBER, or several joined by & that',
    '                        must all hold (modes>=8&hq>=0.98); METRIC one of frechet, lossD,',
    '                        lossG, modes, hq, reverseKl, mmdP, energyP, c2st (docs/sweeps.md),',
    '                        OP one of <, <=, >, >=; a metric a run lacks (modes on data without',
    '                        modes) fails its clause; default frechet<0.1',
    '  --workers K           worker threads, 1..256; default the number of cores',
    '  --worker-heap-mb M    cap each worker\'s heap at M MB (16..1048576): a run beyond it fails',
    '                        and the sweep goes on; default none',
    '  --shard I/N           run only the I-th (0-based) of N slices of the cells (every N-th cell',
    '                        from the I-th) and write DIR/shard-I-of-N.json for pure-gan merge;',
    '                        without it, SLURM_ARRAY_TASK_ID/_MIN/_COUNT (a Slurm job array) or',
    '                        JOB_COMPLETION_INDEX with --shards N (a Kubernetes Indexed Job) choose',
    '                        the shard when set',
    '  --shards N            the number of shards of a Kubernetes Indexed Job (its completions)',
    '  --run-reports         also write each run\'s losses.svg, samples.svg and report.html',
    '  --quiet, -q           print nothing but errors',
    '  --json                print sweep.json (or the shard record) to stdout at the end',
    '  --help, -h            this text',
    '',
    'Every other flag is train\'s (pure-gan train --help) and applies to every run; --seed and',
    '--force are not sweep flags. Each setting is checked as train checks its flags before any run.',
    '',
    'Exit codes: 0 every run of this sweep (or shard) has its outcome (finished, or stopped at a',
    'non-finite value, which counts as not a success); 1 some runs failed (a worker died, a folder',
    'could not be written): they are listed in sweep.json and run again by the same command;',
    '2 a bad command line or folder; 130 interrupted (SIGINT): finished runs are kept, run the',
    'same command to continue.',
  ].join('\n')

/** Runs `pure-gan sweep`; resolves to the exit code (a `UsageError` means exit 2). */
export const sweepCommand = async (options: SweepOptions, io: CliIo, interrupts: Interrupts): Promise<number> => {
  if (options.help) {
    io.stdout(`${sweepHelp()}\n`)
    return 0
  }
  prepareSweepDir(options)
  const mine = shardCells(sweepCells(options), options.shard)
  const outcomes = new Map<number, RunOutcome>()
  for (const cell of mine) {
    const recorded = recordedOutcome(runDir(options.out, cell.setting.id, cell.seed), { ...cell.setting.config, seed: cell.seed })
    if (recorded !== null) outcomes.set(cell.index, recorded)
  }
  const todo = mine.filter((c) => !outcomes.has(c.index))
  // the runs still to write, each at most what train writes (report.html included), and the records
  const bytes = todo.reduce((sum, c) => sum + estimateRunBytes(c.setting.config), 0) + mine.length * 1024 + 1024 * 1024
  checkFreeSpace(options.out, bytes, `the ${todo.length} runs still to do of this sweep`)
  const progress: Progress = { total: mine.length, done: outcomes.size, failed: 0, skipped: outcomes.size, start: performance.now() }
  const tty = io.isTTY && !options.quiet
  if (!options.quiet) {
    const where = options.shard === null ? '' : ` (shard ${options.shard.index} of ${options.shard.count}, from ${options.shard.from})`
    io.stderr(`sweep${where}: ${mine.length} runs, ${outcomes.size} already done in ${shown(options.out)}, ${todo.length} to run on ${Math.min(options.workers, Math.max(1, todo.length))} workers\n`)
  }
  const how = await runPool(
    options,
    todo,
    (cell, outcome) => {
      outcomes.set(cell.index, outcome)
      progress.done++
      if (outcome.status === 'failed') progress.failed++
      if (tty) io.stderr(`\r${bar(progress.done, progress.total)} ${progressText(progress)}\x1b[K`)
      else if (!options.quiet) io.stderr(`${settingLabel(cell.setting)} seed ${cell.seed}: ${outcomeText(outcome)} (${progressText(progress)})\n`)
    },
    interrupts,
  )
  if (tty && todo.length > 0) io.stderr('\n')
  if (how === 'interrupted') {
    io.stderr(`pure-gan sweep: interrupted: ${progress.done} of ${progress.total} runs are done and kept in ${shown(options.out)}; run the same command to continue\n`)
    return 130
  }
  const results: SweepResults = { options, cells: mine, outcomes }
  const text = writeSweepResults(results)
  if (options.json) io.stdout(text)
  else if (!options.quiet) {
    if (options.shard === null) {
      const record = JSON.parse(text) as SweepRecord
      for (const s of record.settings) {
        io.stdout(`${settingLabel(s)}: ${s.successes} of ${s.finished + s.nonFinite} succeeded (${record.success}), ${successRateText(s.successRate, s.interval)}${s.failed > 0 ? `, ${s.failed} failed` : ''}\n`)
      }
    }
    io.stderr(`wrote ${shown(join(options.out, options.shard === null ? 'sweep.json' : `shard-${options.shard.index}-of-${options.shard.count}.json`))}\n`)
  }
  return progress.failed > 0 ? 1 : 0
}

