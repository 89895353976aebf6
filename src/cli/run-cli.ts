/**
 * The `pure-gan` command as a function of its arguments: `runCli(argv, io)` returns the exit
 * code and writes only through `io`. `main.ts` wires it to the process; tests call it
 * in-process. No input ever escapes as an exception: a bad command line or input is one line
 * and exit 2 (`UsageError`), and anything unexpected is one line
 * `pure-gan <command>: internal error: <message>` and exit 2.
 *
 * @module
 */
import { type ReadText, UsageError, parseTrainArgs, wantsHelp } from './flags.js'
import { readMnistFlag } from './mnist-files.js'
import { CONFIG_FILE, CSV_FILE, readBoundedFile } from './read-bounded.js'
import { type CliIo, oneLine, shown } from './io.js'
import { readRecordedRun } from './resume.js'
import { trainCommand } from './train-command.js'
import { verifyCommand, verifyHelp } from './verify-command.js'
import { mergeCommand, parseMergeArgs } from './merge-command.js'
import { type Interrupts, sweepCommand } from './sweep-command.js'
import { parseSweepArgs } from './sweep-flags.js'
import { classifierCommand, parseClassifierArgs } from './classifier-command.js'
import { packageVersion } from './version.js'
import { kernels } from '../wasm/kernels.js'
import type { KernelThreads } from '../wasm/threads.js'
import { startNodeKernelThreads } from './kernel-threads.js'

/** `pure-gan --help`. */
export const mainHelp = (): string =>
  [
    'usage: pure-gan <command> [flags]',
    '',
    'Commands:',
    '  train            train the seed GAN (or your settings, or --resume a run) and write a run folder',
    '  verify RUN.json  re-run a recorded run and check it is bit-identical',
    '  sweep            train many seeds and settings in parallel, with their success rate',
    '  merge DIR...     combine the shards of a sweep run as a cluster job array',
  '  classifier       train the MNIST digit classifier (for the classifier score and FID) and write it',
    '',
    'pure-gan <command> --help shows each command’s flags, defaults, ranges and exit codes.',
    '  --version        print the version',
    '  --help, -h       this text (anywhere on the line, --help wins over everything else)',
    '',
    'Exit codes: 0 success; 1 train stopped at a NaN or infinite value, or verify found a',
    'difference (or its re-run stopped at a non-finite value); 2 anything else (a bad command',
    'line or input, an unusable folder, a full disk, an internal error), with one line on stderr.',
  ].join('\n')

/** The reader of the files `train` and `sweep` flags name: `--config`'s JSON and `--data csv:PATH`'s table, each bounded. */
const readFlagFile: ReadText = (path, what) => readBoundedFile(path, what === 'csv' ? CSV_FILE : CONFIG_FILE)

/** `verify`'s arguments: one RUN.json path and, for a run on MNIST, `--data mnist` or `mnist:DIR` before or after it. */
const verifyArgs = (rest: ReadonlyArray<string>): { readonly path: string; readonly data: string | undefined } => {
  let data: string | undefined
  let args = rest
  if (args[0] === '--data' || args[1] === '--data') {
    const at = args[0] === '--data' ? 0 : 1
    data = args[at + 1]
    if (data === undefined || !(data === 'mnist' || data.startsWith('mnist:'))) {
      throw new UsageError(`verify's --data must be mnist or mnist:DIR (the images of a run on MNIST), got ${data === undefined ? 'nothing' : shown(data)}`)
    }
    args = [...args.slice(0, at), ...args.slice(at + 2)]
  }
  const positional = args[0] === '--' ? args.slice(1) : args
  const path = positional[0]
  if (positional.length !== 1 || path === undefined || (args[0] !== '--' && path.startsWith('-'))) {
    const got = positional.length === 0 ? 'none' : positional.slice(0, 3).map((a) => shown(a)).join(' ')
    throw new UsageError(`verify takes exactly one RUN.json path, got ${got}; usage: pure-gan verify RUN.json [--data mnist:DIR] (a path starting with - goes after --)`)
  }
  if (path === '') throw new UsageError('verify needs a RUN.json path, got an empty one')
  return { path, data }
}

/**
 * Chooses the kernels before any work (src/wasm): a `PURE_GAN_KERNELS` that is not `js`, `wasm`
 * or `auto`, or `wasm` on a host without WebAssembly, is a usage error.
 */
const checkKernels = (): void => {
  try {
    kernels()
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  }
}

const dispatch = (argv: ReadonlyArray<string>, io: CliIo): number => {
  const [command, ...rest] = argv
  if (command === 'train' || command === 'verify' || command === 'classifier') checkKernels()
  if (command === 'classifier') return classifierCommand(parseClassifierArgs(rest, wantsHelp(rest)), io)
  if (command === 'train') {
    const options = parseTrainArgs(rest, readFlagFile, readRecordedRun, readMnistFlag)
    if (options.threads === 2) throw new UsageError('--threads 2 starts a second thread, asynchronously: run it through runCliAsync (the pure-gan command does)')
    return trainCommand(options, io)
  }
  if (command === 'verify') {
    if (wantsHelp(rest)) {
      io.stdout(`${verifyHelp()}\n`)
      return 0
    }
    const { path, data } = verifyArgs(rest)
    return verifyCommand(path, packageVersion(), io, data)
  }
  if (command === undefined || command === 'help' || wantsHelp(argv)) {
    io.stdout(`${mainHelp()}\n`)
    return 0
  }
  if (command === '--version') {
    if (rest.length > 0) throw new UsageError(`--version takes nothing after it, got ${shown(rest[0]!)}`)
    io.stdout(`${packageVersion()}\n`)
    return 0
  }
  const quoted = command.length > 100 ? `${JSON.stringify(command.slice(0, 100))}...` : JSON.stringify(command)
  throw new UsageError(`unknown command ${quoted}; commands are train, verify, sweep, merge and classifier (see pure-gan --help)`)
}

/**
 * Runs `pure-gan` with `argv` (the arguments after the program's name), writing through
 * `io`, and returns the exit code: 0 success, 1 a non-finite stop (train) or a difference
 * (verify), 2 everything else. Never throws.
 */
export const runCli = (argv: ReadonlyArray<string>, io: CliIo): number => {
  try {
    if (argv[0] === 'merge') return mergeCommand(parseMergeArgs(argv.slice(1), wantsHelp(argv.slice(1))), io)
    if (argv[0] === 'sweep') throw new UsageError('sweep runs on worker threads, asynchronously: run it through runCliAsync (the pure-gan command does)')
    return dispatch(argv, io)
  } catch (e) {
    return reportError(argv, e, io)
  }
}

/** The one line of an error (a `UsageError` as it is, anything else as an internal error) on stderr; exit code 2. */
const reportError = (argv: ReadonlyArray<string>, e: unknown, io: CliIo): number => {
  const prefix = COMMANDS.includes(argv[0] ?? '') ? `pure-gan ${argv[0]}` : 'pure-gan'
  const message = e instanceof UsageError ? e.message : `internal error: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}`
  try {
    io.stderr(`${prefix}: ${oneLine(message)}\n`)
  } catch {
    // stderr itself failed: the exit code still says it
  }
  return 2
}

const COMMANDS: ReadonlyArray<string> = ['train', 'verify', 'sweep', 'merge', 'classifier']

/**
 * `pure-gan train` with `--threads`: with 2, the kernel threads (src/wasm/threads.ts, a Node
 * worker thread as the helper) run for the training and stop after it. Never rejects.
 */
const trainOnThreads = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  try {
    checkKernels()
    const rest = argv.slice(1)
    const options = parseTrainArgs(rest, readFlagFile, readRecordedRun, readMnistFlag)
    if (options.threads === 1 || options.help) return trainCommand(options, io)
    let threads: KernelThreads
    try {
      threads = await startNodeKernelThreads()
    } catch (e) {
      throw new UsageError(`--threads 2: ${e instanceof Error ? e.message : String(e)}`)
    }
    try {
      return trainCommand(options, io)
    } finally {
      threads.stop()
    }
  } catch (e) {
    return reportError(argv, e, io)
  }
}

/**
 * `runCli` for every command, `sweep` included, whose worker threads make it asynchronous:
 * resolves to the exit code, never rejects. `interrupts` delivers SIGINT to a sweep; `env`
 * holds the variables that choose a sweep's shard (Slurm's, Kubernetes').
 */
export const runCliAsync = async (argv: ReadonlyArray<string>, io: CliIo, interrupts: Interrupts, env: Readonly<Record<string, string | undefined>>): Promise<number> => {
  if (argv[0] === 'train' && argv.slice(1).some((a) => a === '--threads' || a.startsWith('--threads='))) return trainOnThreads(argv, io)
  if (argv[0] !== 'sweep') return runCli(argv, io)
  try {
    checkKernels()
    const rest = argv.slice(1)
    return await sweepCommand(parseSweepArgs(rest, readFlagFile, env, wantsHelp(rest)), io, interrupts)
  } catch (e) {
    return reportError(argv, e, io)
  }
}
