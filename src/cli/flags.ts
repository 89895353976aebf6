/**
 * The flags of `pure-gan train`: one table that drives parsing, validation, the config the
 * run uses, and the help text. Each flag's error names the flag and its allowed values.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import { type GanConfig, MAX_SEED, seedConfig } from '../gan/config.js'

/** A bad command line: the message is printed as is, and the command exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

type Kind = { readonly type: 'int'; readonly min: number; readonly max: number } | { readonly type: 'real'; readonly check: 'positive' | 'nonNegative' | 'unit' } | { readonly type: 'choice'; readonly values: ReadonlyArray<string> }

interface ConfigFlag {
  readonly name: string
  readonly kind: Kind
  readonly help: string
  readonly get: (c: GanConfig) => number | string
  readonly set: (c: GanConfig, v: number | string) => GanConfig
}

/** Every config field a user tunes from the command line. */
export const CONFIG_FLAGS: ReadonlyArray<ConfigFlag> = [
  { name: 'seed', kind: { type: 'int', min: 0, max: MAX_SEED }, help: 'PRNG seed', get: (c) => c.seed, set: (c, v) => ({ ...c, seed: v as number }) },
  { name: 'epochs', kind: { type: 'int', min: 1, max: 1_000_000 }, help: 'passes over the data', get: (c) => c.epochs, set: (c, v) => ({ ...c, epochs: v as number }) },
  { name: 'batch-size', kind: { type: 'int', min: 1, max: 10_000_000 }, help: 'minibatch rows (at most the data size)', get: (c) => c.batchSize, set: (c, v) => ({ ...c, batchSize: v as number }) },
  { name: 'data-size', kind: { type: 'int', min: 1, max: 10_000_000 }, help: 'real data points', get: (c) => c.data.size, set: (c, v) => ({ ...c, data: { ...c.data, size: v as number } }) },
  { name: 'latent-dim', kind: { type: 'int', min: 1, max: 100_000 }, help: "width of G's noise input", get: (c) => c.latentDim, set: (c, v) => ({ ...c, latentDim: v as number }) },
  { name: 'lr-d', kind: { type: 'real', check: 'positive' }, help: "discriminator's Adam learning rate", get: (c) => c.learningRateD, set: (c, v) => ({ ...c, learningRateD: v as number }) },
  { name: 'lr-g', kind: { type: 'real', check: 'positive' }, help: "generator's Adam learning rate", get: (c) => c.learningRateG, set: (c, v) => ({ ...c, learningRateG: v as number }) },
  { name: 'beta1', kind: { type: 'real', check: 'unit' }, help: "Adam's first-moment decay", get: (c) => c.adam.beta1, set: (c, v) => ({ ...c, adam: { ...c.adam, beta1: v as number } }) },
  { name: 'beta2', kind: { type: 'real', check: 'unit' }, help: "Adam's second-moment decay", get: (c) => c.adam.beta2, set: (c, v) => ({ ...c, adam: { ...c.adam, beta2: v as number } }) },
  { name: 'epsilon', kind: { type: 'real', check: 'positive' }, help: "Adam's epsilon", get: (c) => c.adam.epsilon, set: (c, v) => ({ ...c, adam: { ...c.adam, epsilon: v as number } }) },
  { name: 'weight-std', kind: { type: 'real', check: 'nonNegative' }, help: 'std of the initial weights', get: (c) => c.init.weightStd, set: (c, v) => ({ ...c, init: { ...c.init, weightStd: v as number } }) },
  { name: 'bias-init', kind: { type: 'choice', values: ['zeros', 'normal'] }, help: 'initial biases', get: (c) => c.init.biasInit, set: (c, v) => ({ ...c, init: { ...c.init, biasInit: v as 'zeros' | 'normal' } }) },
]

/** What the flags allow, in words: the same text for errors and help. */
export const describeRange = (kind: Kind): string => {
  switch (kind.type) {
    case 'int':
      return `an integer in ${kind.min}..${kind.max}`
    case 'real':
      return kind.check === 'positive' ? 'a finite number > 0' : kind.check === 'nonNegative' ? 'a finite number >= 0' : 'a number in [0, 1)'
    case 'choice':
      return `one of ${kind.values.join(', ')}`
  }
}

const INT = /^[+-]?\d+$/
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

const parseValue = (flag: ConfigFlag, text: string): number | string => {
  const bad = (): never => {
    throw new UsageError(`--${flag.name} must be ${describeRange(flag.kind)}, got "${text}"`)
  }
  const k = flag.kind
  if (k.type === 'choice') return k.values.includes(text) ? text : bad()
  if (k.type === 'int') {
    if (!INT.test(text)) return bad()
    const n = Number(text)
    return Number.isSafeInteger(n) && n >= k.min && n <= k.max ? n : bad()
  }
  if (!REAL.test(text)) return bad()
  const x = Number(text)
  const ok = Number.isFinite(x) && (k.check === 'positive' ? x > 0 : k.check === 'nonNegative' ? x >= 0 : x >= 0 && x < 1)
  return ok ? x : bad()
}

/** The parsed command line of `pure-gan train`. */
export interface TrainOptions {
  readonly config: GanConfig
  readonly out: string | undefined
  readonly force: boolean
  readonly quiet: boolean
  readonly json: boolean
  readonly help: boolean
}

/**
 * Parses `pure-gan train`'s arguments (after the word `train`) into a validated config and
 * options, or throws a `UsageError` naming the flag and its allowed values.
 */
export const parseTrainArgs = (args: ReadonlyArray<string>): TrainOptions => {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    out: { type: 'string' },
    force: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }
  for (const f of CONFIG_FLAGS) options[f.name] = { type: 'string' }
  // `--epochs -3` would read "-3" as a flag: join a value that looks like a negative number
  // to its flag (`--epochs=-3`) so that it reaches the range check and its clear message.
  const joined: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    const next = args[i + 1]
    const name = a.startsWith('--') ? a.slice(2) : ''
    if (next !== undefined && options[name]?.type === 'string' && /^-(\d|\.\d|Infinity)/.test(next)) {
      joined.push(`${a}=${next}`)
      i++
    } else joined.push(a)
  }
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: joined, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>
  } catch (e) {
    const code = (e as { code?: string }).code
    const message = (e as Error).message
    const flag = /'(-[^' ]+)/.exec(message)?.[1]
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown flag ${flag ?? message}; see pure-gan train --help`)
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${flag ?? 'a flag'} needs a value; see pure-gan train --help`)
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new UsageError(`unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''}; train takes only flags (see pure-gan train --help)`)
    throw new UsageError(message)
  }
  let config: GanConfig = seedConfig
  for (const f of CONFIG_FLAGS) {
    const text = values[f.name]
    if (typeof text === 'string') config = f.set(config, parseValue(f, text))
  }
  if (config.batchSize > config.data.size) {
    throw new UsageError(`--batch-size must be an integer in 1..${config.data.size} (the data size), got "${config.batchSize}"`)
  }
  const out = values['out']
  if (out === '') throw new UsageError('--out needs a folder name')
  return {
    config,
    out: typeof out === 'string' ? out : undefined,
    force: values['force'] === true,
    quiet: values['quiet'] === true,
    json: values['json'] === true,
    help: values['help'] === true,
  }
}

/** `pure-gan train --help`: every flag with its default and range. */
export const trainHelp = (): string => {
  const rows = CONFIG_FLAGS.map((f) => [`--${f.name} ${f.kind.type === 'choice' ? f.kind.values.join('|') : f.kind.type === 'int' ? 'N' : 'X'}`, `${f.help}; ${describeRange(f.kind)}; default ${f.get(seedConfig)}`])
  rows.push(
    ['--out DIR', 'folder for run.json, timing.json, losses.svg, samples.svg, report.html; default a fresh folder runs/<date>-<time>-seed<N>'],
    ['--force', 'write into --out even if it exists and is not empty (replacing those files)'],
    ['--quiet, -q', 'print nothing but errors'],
    ['--json', 'print the run record (run.json) to stdout instead of the summary line'],
    ['--help, -h', 'this text'],
  )
  const width = Math.max(...rows.map((r) => r[0]!.length))
  return [
    'usage: pure-gan train [flags]',
    '',
    "Trains the seed GAN (d2l.ai's chapter) with these settings and writes its report.",
    '',
    ...rows.map(([a, b]) => `  ${a!.padEnd(width)}  ${b}`),
    '',
    'Exit codes: 0 done; 1 training stopped at a NaN or infinite loss (the last finite state is',
    'saved as last-finite-state.json); 2 bad command line or unusable --out folder.',
  ].join('\n')
}
