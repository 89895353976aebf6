/**
 * The flags of `pure-gan train`: one table that drives parsing, validation, the config the
 * run uses, and the help text. Each flag's error names the flag and its allowed values.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { type DataSpec, type GanConfig, MAX_SEED, UNIFORM_NOISE_BOUND, noiseSpecOf, objectiveSpecOf, optimizerSpecOf, seedConfig, validateConfig } from '../gan/config.js'
import { OPTIMIZER_KINDS, type OptimizerSpec } from '../optim/choice.js'
import { PRESETS } from '../gan/presets.js'
import { OBJECTIVE_DEFAULTS, OBJECTIVE_KINDS, type ObjectiveSpec } from '../objectives/index.js'
import { adamDefaults } from '../optim/adam.js'
import { momentumDefaults } from '../optim/momentum.js'
import { rmspropDefaults } from '../optim/rmsprop.js'
import type { LayerSpec } from '../nn/network.js'
import { oneLine, shown } from './io.js'
import { LAYER_LIST_FORM, LAYER_LIST_HELP, layerListText, parseLayerList } from './layer-list.js'
import type { RecordedRun } from './resume.js'
import { dataSize } from '../gan/data.js'
import { DATA_FLAG_VALUES, type DataChoice, type ReadImages, dataName, parseData, withDataChoice } from './data-flag.js'
import type { MnistFiles } from './mnist-files.js'
import { mnistSourceProblem } from '../gan/digits.js'
import { UsageError } from './usage-error.js'

export { UsageError } from './usage-error.js'

type Kind =
  | { readonly type: 'int'; readonly min: number; readonly max: number }
  | { readonly type: 'real'; readonly check: 'positive' | 'nonNegative' | 'unit' | 'finite' }
  | { readonly type: 'choice'; readonly values: ReadonlyArray<string> }
  | { readonly type: 'layers' }
  | { readonly type: 'keeps' }
  | { readonly type: 'data' }

/** A flag's parsed value: a number, a choice, a layer list, or a list of keep probabilities. */
type FlagValue = number | string | ReadonlyArray<LayerSpec> | ReadonlyArray<number> | DataChoice

interface ConfigFlag {
  readonly name: string
  readonly kind: Kind
  readonly help: string
  readonly get: (c: GanConfig) => number | string
  readonly set: (c: GanConfig, v: FlagValue) => GanConfig
  /** The objective an option flag belongs to (it is refused with any other). */
  readonly objective?: ObjectiveSpec['kind']
  /** The default as help shows it, when `get(seedConfig)` is not it. */
  readonly shownDefault?: string
}

/**
 * `c` with D's layers' keep probabilities `keeps`, one per layer (a `keep` of 1 leaves the
 * layer without one: no dropout); a `UsageError` for another count.
 */
const withKeeps = (c: GanConfig, keeps: ReadonlyArray<number>): GanConfig => {
  const layers = c.discriminator.layers
  if (keeps.length !== layers.length) {
    throw new UsageError(`--dropout-keep must give one keep probability per layer of D (${layers.length}), got ${keeps.length}`)
  }
  return {
    ...c,
    discriminator: {
      layers: layers.map(({ keep: _keep, ...layer }, l) => (keeps[l]! < 1 ? { ...layer, keep: keeps[l]! } : layer) as LayerSpec),
    },
  }
}

/** `c` with the option `key` of its objective set to `v` (the objective's other options kept). */
const withObjectiveOption = (c: GanConfig, key: string, v: number): GanConfig => ({ ...c, objective: { ...objectiveSpecOf(c), [key]: v } as ObjectiveSpec })

/** A flag for an option of one objective: `--<name>` sets `objective.<key>`. */
const objectiveOption = (name: string, objective: ObjectiveSpec['kind'], key: string, check: 'positive' | 'finite', fallback: number, help: string): ConfigFlag => ({
  name,
  kind: { type: 'real', check },
  help: `${help} (with --objective ${objective})`,
  objective,
  shownDefault: String(fallback),
  get: (c) => ((c.objective as { readonly [k: string]: unknown } | undefined)?.[key] as number | undefined) ?? fallback,
  set: (c, v) => withObjectiveOption(c, key, v as number),
})

/** Every config field a user tunes from the command line. */
export const CONFIG_FLAGS: ReadonlyArray<ConfigFlag> = [
  { name: 'seed', kind: { type: 'int', min: 0, max: MAX_SEED }, help: 'PRNG seed', get: (c) => c.seed, set: (c, v) => ({ ...c, seed: v as number }) },
  { name: 'epochs', kind: { type: 'int', min: 1, max: 1_000_000 }, help: 'passes over the data', get: (c) => c.epochs, set: (c, v) => ({ ...c, epochs: v as number }) },
  { name: 'batch-size', kind: { type: 'int', min: 1, max: 10_000_000 }, help: 'minibatch rows (at most the data size)', get: (c) => c.batchSize, set: (c, v) => ({ ...c, batchSize: v as number }) },
  {
    name: 'data',
    kind: { type: 'data' },
    help: 'the real data (docs/datasets.md): the seed\'s Gaussian, a mixture of 8 or 25 Gaussians, the swiss roll, the two moons, or the numbers of a CSV file',
    get: (c) => dataName(c.data),
    set: (c, v) => ({ ...c, data: withDataChoice(c.data, v as DataChoice) }),
  },
  {
    name: 'data-size',
    kind: { type: 'int', min: 1, max: 10_000_000 },
    help: 'real data points (not with --data csv:PATH, whose rows are the data)',
    get: (c) => dataSize(c.data),
    set: (c, v) => {
      if (c.data.kind === 'table') throw new UsageError(`--data-size applies to generated data, not to a table of rows (--data csv:PATH), got --data-size ${String(v)}`)
      return { ...c, data: { ...c.data, size: v as number } }
    },
  },
  { name: 'latent-dim', kind: { type: 'int', min: 1, max: 100_000 }, help: "width of G's noise input", get: (c) => c.latentDim, set: (c, v) => ({ ...c, latentDim: v as number }) },
  {
    name: 'generator',
    kind: { type: 'layers' },
    help: "G's layers, the last as wide as the data",
    get: (c) => layerListText(c.generator.layers),
    set: (c, v) => ({ ...c, generator: { layers: v as ReadonlyArray<LayerSpec> } }),
  },
  {
    name: 'discriminator',
    kind: { type: 'layers' },
    help: "D's layers, the last 1 (a dense logit)",
    get: (c) => layerListText(c.discriminator.layers),
    set: (c, v) => ({ ...c, discriminator: { layers: v as ReadonlyArray<LayerSpec> } }),
  },
  {
    // after --discriminator: it sets the keep of D's layers as they are then
    name: 'dropout-keep',
    kind: { type: 'keeps' },
    help: "D's layers' keep probabilities in order: each layer's input is dropped in training (inverted dropout; 1: none), never with a gradient penalty",
    shownDefault: '1 per layer (none)',
    get: (c) => c.discriminator.layers.map((l) => l.keep ?? 1).join(','),
    set: (c, v) => withKeeps(c, v as ReadonlyArray<number>),
  },
  { name: 'lr-d', kind: { type: 'real', check: 'positive' }, help: "discriminator's Adam learning rate", get: (c) => c.learningRateD, set: (c, v) => ({ ...c, learningRateD: v as number }) },
  { name: 'lr-g', kind: { type: 'real', check: 'positive' }, help: "generator's Adam learning rate", get: (c) => c.learningRateG, set: (c, v) => ({ ...c, learningRateG: v as number }) },
  { name: 'beta1', kind: { type: 'real', check: 'unit' }, help: "Adam's first-moment decay", get: (c) => c.adam.beta1, set: (c, v) => ({ ...c, adam: { ...c.adam, beta1: v as number } }) },
  { name: 'beta2', kind: { type: 'real', check: 'unit' }, help: "Adam's second-moment decay", get: (c) => c.adam.beta2, set: (c, v) => ({ ...c, adam: { ...c.adam, beta2: v as number } }) },
  { name: 'epsilon', kind: { type: 'real', check: 'positive' }, help: "Adam's epsilon", get: (c) => c.adam.epsilon, set: (c, v) => ({ ...c, adam: { ...c.adam, epsilon: v as number } }) },
  { name: 'weight-std', kind: { type: 'real', check: 'nonNegative' }, help: 'std of the initial weights', get: (c) => c.init.weightStd, set: (c, v) => ({ ...c, init: { ...c.init, weightStd: v as number } }) },
  { name: 'bias-init', kind: { type: 'choice', values: ['zeros', 'normal'] }, help: 'initial biases', get: (c) => c.init.biasInit, set: (c, v) => ({ ...c, init: { ...c.init, biasInit: v as 'zeros' | 'normal' } }) },
  // the objective first: its option flags below set fields of the record it makes
  { name: 'objective', kind: { type: 'choice', values: OBJECTIVE_KINDS }, help: "the GAN's losses (docs/objectives.md)", get: (c) => objectiveSpecOf(c).kind, set: (c, v) => ({ ...c, objective: { kind: v } as ObjectiveSpec }) },
  objectiveOption('ls-a', 'least-squares', 'a', 'finite', OBJECTIVE_DEFAULTS['least-squares'].a, 'the label D gives fakes'),
  objectiveOption('ls-b', 'least-squares', 'b', 'finite', OBJECTIVE_DEFAULTS['least-squares'].b, 'the label D gives reals'),
  objectiveOption('ls-c', 'least-squares', 'c', 'finite', OBJECTIVE_DEFAULTS['least-squares'].c, 'the label G wants for fakes'),
  objectiveOption('weight-clip', 'wasserstein', 'clip', 'positive', OBJECTIVE_DEFAULTS.wasserstein.clip, "bound of the critic's parameters, clipped after each of its steps"),
  objectiveOption('gp-lambda', 'wasserstein-gp', 'lambda', 'positive', OBJECTIVE_DEFAULTS['wasserstein-gp'].lambda, 'weight of the gradient penalty'),
  {
    name: 'r1-gamma',
    kind: { type: 'real', check: 'positive' },
    help: "weight γ of the R1 penalty (γ/2)·‖∇D(x)‖² at the real points, with any objective",
    shownDefault: 'none',
    get: (c) => c.penalty?.gamma ?? 'none',
    set: (c, v) => ({ ...c, penalty: { kind: 'r1', gamma: v as number } }),
  },
  {
    name: 'noise',
    kind: { type: 'choice', values: ['normal', 'uniform'] },
    help: "the distribution of G's input: normal, N(0, 1); or uniform, on [-bound, bound) with the config's bound (√3 when it sets none: unit variance, Goodfellow et al. 2014)",
    get: (c) => noiseSpecOf(c).kind,
    set: (c, v) => {
      const { noise, ...rest } = c
      return v === 'normal' ? rest : { ...rest, noise: { kind: 'uniform', bound: noise?.kind === 'uniform' ? noise.bound : UNIFORM_NOISE_BOUND } }
    },
  },
  { name: 'pack', kind: { type: 'int', min: 1, max: 64 }, help: "PacGAN's pack size: D sees this many samples concatenated per input row (must divide every minibatch)", get: (c) => c.pack ?? 1, set: (c, v) => ({ ...c, pack: v as number }) },
  { name: 'critic-steps', kind: { type: 'int', min: 1, max: 1000 }, help: 'discriminator updates per generator update, each on its own minibatch', get: (c) => c.criticSteps ?? 1, set: (c, v) => ({ ...c, criticSteps: v as number }) },
  // the optimisers and their options: applied after every other flag (withOptimizerFlags)
  { name: 'optimizer-d', kind: { type: 'choice', values: OPTIMIZER_KINDS }, help: "the discriminator's optimiser (docs/optimizers.md)", get: (c) => optimizerSpecOf(c, 'D').kind, set: (c) => c },
  { name: 'optimizer-g', kind: { type: 'choice', values: OPTIMIZER_KINDS }, help: "the generator's optimiser", get: (c) => optimizerSpecOf(c, 'G').kind, set: (c) => c },
  { name: 'rho', kind: { type: 'real', check: 'unit' }, help: "RMSProp's mean-square decay (PyTorch's alpha), for each player using rmsprop", shownDefault: String(rmspropDefaults.rho), get: () => rmspropDefaults.rho, set: (c) => c },
  { name: 'momentum', kind: { type: 'real', check: 'unit' }, help: 'the momentum, for each player using momentum', shownDefault: String(momentumDefaults.momentum), get: () => momentumDefaults.momentum, set: (c) => c },
]

/** Each optimiser's options (each set by the flag of its name; `--epsilon` is Adam's and RMSProp's) and defaults. */
const OPTIMIZER_FLAGS: { readonly [K in OptimizerSpec['kind']]: ReadonlyArray<readonly [option: string, fallback: number]> } = {
  adam: [
    ['beta1', adamDefaults.beta1],
    ['beta2', adamDefaults.beta2],
    ['epsilon', adamDefaults.epsilon],
  ],
  rmsprop: [
    ['rho', rmspropDefaults.rho],
    ['epsilon', rmspropDefaults.epsilon],
  ],
  momentum: [['momentum', momentumDefaults.momentum]],
  sgd: [],
}

/**
 * `config` with the optimiser flags applied: `--optimizer-d` / `--optimizer-g` choose a
 * player's optimiser afresh (its options from the flags, else their defaults; Adam's from
 * `config.adam`, which `--beta1`, `--beta2`, `--epsilon` set); the option flags (`--rho`,
 * `--momentum`, `--epsilon`) then set that option of every player whose optimiser has it.
 * A kind the config chose and no flag re-chooses keeps its other options (momentum's
 * schedules, which only a `--config` file sets).
 * An option flag no player's optimiser takes is refused. A player on the seed's Adam (no
 * optimiser field) keeps none.
 */
const withOptimizerFlags = (config: GanConfig, values: ReadonlyMap<string, string>, parse: (name: string) => FlagValue): GanConfig => {
  let out = config
  const used = new Set<string>()
  for (const [player, flag, field] of [['D', 'optimizer-d', 'optimizerD'], ['G', 'optimizer-g', 'optimizerG']] as const) {
    const chosen = values.has(flag) ? (parse(flag) as OptimizerSpec['kind']) : undefined
    const current = optimizerSpecOf(out, player)
    if (chosen === undefined && out[field] === undefined) {
      // the seed's Adam on config.adam: the Adam flags already set it
      for (const f of ['beta1', 'beta2', 'epsilon']) used.add(f)
      continue
    }
    const kind = chosen ?? current.kind
    // a kind kept from the config keeps the options no flag sets (momentum's schedules)
    const spec: { [key: string]: string | number } = chosen === undefined ? { ...(current as unknown as { readonly [k: string]: string | number }) } : { kind }
    // each option's flag has the option's name
    for (const [option, fallback] of OPTIMIZER_FLAGS[kind]) {
      used.add(option)
      const given = values.has(option) ? (parse(option) as number) : undefined
      const kept = chosen === undefined ? (current as unknown as { readonly [k: string]: number })[option] : kind === 'adam' ? (out.adam as unknown as { readonly [k: string]: number })[option] : undefined
      spec[option] = given ?? kept ?? fallback
    }
    out = { ...out, [field]: spec as unknown as OptimizerSpec }
  }
  for (const [flag, takers] of [['beta1', 'adam'], ['beta2', 'adam'], ['epsilon', 'adam or rmsprop'], ['rho', 'rmsprop'], ['momentum', 'momentum']] as const) {
    if (values.has(flag) && !used.has(flag)) throw new UsageError(`--${flag} applies to a player whose optimiser is ${takers}, but neither player's is`)
  }
  return out
}

/** What the flags allow, in words: the same text for errors and help. */
export const describeRange = (kind: Kind): string => {
  switch (kind.type) {
    case 'int':
      return `an integer in ${kind.min}..${kind.max}`
    case 'real':
      return kind.check === 'positive' ? 'a finite number > 0' : kind.check === 'nonNegative' ? 'a finite number >= 0' : kind.check === 'finite' ? 'a finite number' : 'a number in [0, 1)'
    case 'choice':
      return `one of ${kind.values.join(', ')}`
    case 'layers':
      return LAYER_LIST_FORM
    case 'keeps':
      return 'comma-separated numbers in (0, 1], one per layer of D'
    case 'data':
      return `one of ${DATA_FLAG_VALUES.join(', ')}`
  }
}

const INT = /^[+-]?\d+$/
const REAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** `K1,K2,...`, each a number in `(0, 1]`; a `UsageError` naming the first bad entry's position (from 1). */
const parseKeeps = (name: string, text: string): ReadonlyArray<number> =>
  text.split(',').map((entry, i) => {
    const x = Number(entry)
    if (!REAL.test(entry) || !(x > 0 && x <= 1)) {
      throw new UsageError(`--${name}: entry ${i + 1} must be a number in (0, 1], got ${JSON.stringify(entry.length > 100 ? `${entry.slice(0, 100)}...` : entry)}`)
    }
    return x
  })

const parseValue = (flag: ConfigFlag, text: string, readText: ReadText = noFiles, readImages: ReadImages = noImages): FlagValue => {
  const bad = (): never => {
    throw new UsageError(`--${flag.name} must be ${describeRange(flag.kind)}, got ${JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)}`)
  }
  const k = flag.kind
  if (k.type === 'layers') {
    const list = parseLayerList(flag.name, text)
    if ('problem' in list) throw new UsageError(list.problem)
    return list.layers
  }
  if (k.type === 'keeps') return parseKeeps(flag.name, text)
  if (k.type === 'data') return parseData(text, readText, readImages)
  if (k.type === 'choice') return k.values.includes(text) ? text : bad()
  if (k.type === 'int') {
    if (!INT.test(text)) return bad()
    const n = Number(text)
    return Number.isSafeInteger(n) && n >= k.min && n <= k.max ? n : bad()
  }
  if (!REAL.test(text)) return bad()
  const x = Number(text)
  const ok = Number.isFinite(x) && (k.check === 'positive' ? x > 0 : k.check === 'nonNegative' ? x >= 0 : k.check === 'finite' || (x >= 0 && x < 1))
  return ok ? x : bad()
}

/** The parsed command line of `pure-gan train`. */
export interface TrainOptions {
  /** The run's config; with `--resume`, the record's with `--epochs` as its total. */
  readonly config: GanConfig
  /** `--resume`: the finished run this one continues (read and checked), else undefined. */
  readonly resume: RecordedRun | undefined
  readonly out: string | undefined
  readonly force: boolean
  readonly quiet: boolean
  readonly json: boolean
  readonly help: boolean
  /** `--threads`: 1, or 2 to split the WebAssembly steps' large products over a second thread (the same bits). */
  readonly threads: 1 | 2
  /** The MNIST files of a run on `mnist` data (`--data mnist`, `mnist:DIR`, or a preset or config naming them), else undefined. */
  readonly images?: MnistFiles
  /** `--classifier FILE` (a run on MNIST): score the generated digits with it (src/cli/digit-metrics.ts). */
  readonly classifier?: string
  /** `--eval-samples N`: the generated digits each score uses (default 10 000). */
  readonly evalSamples?: number
}

/** The most and the default generated digits `--eval-samples` takes. */
const EVAL_SAMPLES = { min: 2, max: 100_000, default: 10_000 } as const

/**
 * `--classifier FILE` and `--eval-samples N`: only for a run on MNIST, the second only with the
 * first. A `UsageError` otherwise.
 */
const evaluationOptions = (values: ReadonlyMap<string, string>, data: DataSpec): Pick<TrainOptions, 'classifier' | 'evalSamples'> => {
  const classifier = values.get('classifier')
  const samplesText = values.get('eval-samples')
  if (classifier === undefined) {
    if (samplesText !== undefined) throw new UsageError('--eval-samples goes with --classifier FILE (the generated digits the classifier scores)')
    return {}
  }
  if (data.kind !== 'mnist') throw new UsageError(`--classifier scores generated digits: it needs MNIST data (--data mnist, mnist:DIR or --preset goodfellow2014-mnist), got --data ${dataName(data)}`)
  if (classifier === '') throw new UsageError('--classifier needs the path of a file pure-gan classifier wrote')
  let evalSamples: number = EVAL_SAMPLES.default
  if (samplesText !== undefined) {
    const n = Number(samplesText)
    if (!/^\d+$/.test(samplesText) || !(n >= EVAL_SAMPLES.min && n <= EVAL_SAMPLES.max)) {
      throw new UsageError(`--eval-samples must be an integer in ${EVAL_SAMPLES.min}..${EVAL_SAMPLES.max}, got ${JSON.stringify(samplesText.length > 100 ? `${samplesText.slice(0, 100)}...` : samplesText)}`)
    }
    evalSamples = n
  }
  return { classifier, evalSamples }
}

/** The switches of `pure-gan train` (flags that take no value), with their short forms. */
const SWITCHES: ReadonlyArray<{ readonly name: 'force' | 'quiet' | 'json' | 'help'; readonly short?: string }> = [
  { name: 'force' },
  { name: 'quiet', short: 'q' },
  { name: 'json' },
  { name: 'help', short: 'h' },
]

/** True when `args` asks for help anywhere (`--help`, `-h`, or `--help=...`): help wins over every other flag or error. */
export const wantsHelp = (args: ReadonlyArray<string>): boolean => args.some((a) => a === '--help' || a === '-h' || a.startsWith('--help='))

// `--epochs -3` would read "-3" as a flag: a value that looks like a negative number is taken
// as the flag's value, so that it reaches the range check and its clear message.
const NEGATIVE_NUMBER = /^-(\d|\.\d|Infinity)/

interface RawFlags {
  readonly values: ReadonlyMap<string, string>
  readonly switches: ReadonlySet<string>
}

const flagLabel = (name: string): string => {
  const s = SWITCHES.find((w) => w.name === name)?.short
  return s === undefined ? `--${name}` : `--${name} (-${s})`
}

/**
 * Splits `pure-gan train`'s arguments into flag values and switches: `--name value`,
 * `--name=value`, `--switch`, `-q`, `-h`. Throws a `UsageError` for an unknown flag, a flag
 * without its value, a switch given a value, a flag given twice, or any other argument.
 */
const splitFlags = (args: ReadonlyArray<string>): RawFlags => {
  const valued = new Set<string>(['out', 'config', 'preset', 'resume', 'threads', 'classifier', 'eval-samples', ...CONFIG_FLAGS.map((f) => f.name)])
  const values = new Map<string, string>()
  const switches = new Set<string>()
  const once = (name: string): void => {
    if (values.has(name) || switches.has(name)) throw new UsageError(`${flagLabel(name)} is given twice; give each flag at most once (see pure-gan train --help)`)
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      const rest = args.slice(i + 1)
      throw new UsageError(rest.length === 0 ? 'unexpected argument --; train takes only flags (see pure-gan train --help)' : `unexpected argument ${shown(rest[0]!)} after --; train takes only flags (see pure-gan train --help)`)
    }
    const short = /^-([^-])(=.*)?$/su.exec(a)
    const long = /^--([^=]+)(=.*)?$/su.exec(a)
    if (short === null && long === null) {
      throw new UsageError(`unexpected argument ${shown(a)}; train takes only flags (see pure-gan train --help)`)
    }
    const name = short !== null ? SWITCHES.find((w) => w.short === short[1])?.name : long![1]!
    const given = short !== null ? `-${short[1]}` : `--${long![1]}`
    const inline = (short ?? long)![2]
    if (name !== undefined && SWITCHES.some((w) => w.name === name)) {
      if (inline !== undefined) throw new UsageError(`${given} takes no value, got ${shown(a)}; give ${given} alone (see pure-gan train --help)`)
      once(name)
      switches.add(name)
    } else if (name !== undefined && short === null && valued.has(name)) {
      once(name)
      if (inline !== undefined) values.set(name, inline.slice(1))
      else {
        const next = args[i + 1]
        if (next === undefined || (next.startsWith('-') && !NEGATIVE_NUMBER.test(next))) {
          throw new UsageError(`${given} needs a value; see pure-gan train --help`)
        }
        values.set(name, next)
        i++
      }
    } else {
      throw new UsageError(`unknown flag ${shown(given)}; see pure-gan train --help`)
    }
  }
  return { values, switches }
}

/** The reader of a parse that may not read files. */
const noFiles = (path: string, what: FileKind = 'config'): never => {
  throw new UsageError(`${what === 'csv' ? '--data csv:' : '--config '}${shown(path)}: this command line cannot read files`)
}

/** The reader of a parse that may not read images: `--data mnist` is refused. */
const noImages = (text: string): never => {
  throw new UsageError(`--data ${shown(text)}: this command cannot train on MNIST's images (pure-gan train can)`)
}

/** What a command line reads besides run records: `--config`'s JSON, or `--data csv:PATH`'s table. */
export type FileKind = 'config' | 'csv'

/** Reads a file a flag names (bounded, one clear line when it cannot): the text of `path`. */
export type ReadText = (path: string, what: FileKind) => string

/** The reader of a parse that may not read files: `--resume`. */
const noRecords = (path: string): never => {
  throw new UsageError(`--resume ${shown(path)}: this command line cannot read files`)
}

/** The flags `--resume` takes beside itself: the new total, and where and how to write. */
const RESUME_FLAGS: ReadonlyArray<string> = ['resume', 'epochs', 'out', 'threads', 'data']

/**
 * `--threads`: `1` (the default) or `2`, which splits the WebAssembly steps' large matrix
 * products and Adam steps over a second thread (src/wasm/threads.ts; the same bits, so not a
 * setting of the run). Anything else is a `UsageError`.
 */
const threadsOf = (values: ReadonlyMap<string, string>): 1 | 2 => {
  const text = values.get('threads')
  if (text === undefined || text === '1') return 1
  if (text === '2') return 2
  throw new UsageError(`--threads must be 1 or 2 (2 splits the large matrix products of the WebAssembly steps over a second thread, with the same bits), got ${JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)}`)
}

/**
 * The options of `--resume PATH`: the run at PATH (`readRun`), continued to `--epochs` with
 * its own config otherwise. A config flag, `--config` or `--preset` is refused (the first
 * given is named), so is a missing `--epochs` or one not above the record's epochs, and a
 * config `validateConfig` refuses with the new total.
 */
const resumeOptions = (raw: RawFlags, readRun: (path: string, data?: string) => RecordedRun): TrainOptions => {
  const { values, switches } = raw
  const path = values.get('resume')!
  for (const name of values.keys()) {
    if (!RESUME_FLAGS.includes(name)) {
      throw new UsageError(`--${name} cannot be combined with --resume: a resumed run's settings are its record's; give only --epochs (the new total), --threads, --data mnist:DIR (a run on MNIST's images) and the output flags --out, --force, --quiet, --json`)
    }
  }
  if (path === '') throw new UsageError('--resume needs the path of a run.json')
  const out = values.get('out')
  if (out === '') throw new UsageError('--out needs a folder name')
  const data = values.get('data')
  if (data !== undefined && !(data === 'mnist' || data.startsWith('mnist:'))) {
    throw new UsageError(`--data with --resume must be mnist or mnist:DIR (the images of a run on MNIST; any other data is the record's), got ${JSON.stringify(data.length > 100 ? `${data.slice(0, 100)}...` : data)}`)
  }
  const run = readRun(path, data)
  const before = run.record.config.epochs
  const epochsFlag = CONFIG_FLAGS.find((f) => f.name === 'epochs')!
  const max = (epochsFlag.kind as { readonly max: number }).max
  if (before >= max) throw new UsageError(`--resume ${shown(path)}: the run has ${before} epochs, the most a run may have, so it cannot be continued`)
  const allowed = `an integer in ${before + 1}..${max} (more than the ${before} epochs of ${shown(path)})`
  const text = values.get('epochs')
  if (text === undefined) throw new UsageError(`--resume needs --epochs N, the new total: ${allowed}`)
  const epochs = parseValue(epochsFlag, text) as number
  if (epochs <= before) throw new UsageError(`--epochs with --resume must be ${allowed}, got ${JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)}`)
  const checked = validateConfig({ ...run.record.config, epochs })
  if (E.isLeft(checked)) throw new UsageError(`these settings cannot run: ${oneLine(checked.left.join('; '))}`)
  return { config: checked.right, resume: run, out, force: switches.has('force'), quiet: switches.has('quiet'), json: switches.has('json'), help: false, threads: threadsOf(values) }
}

/**
 * The config the flags start from: the named preset (`--preset`), the JSON config file
 * (`--config`, validated as `validateConfig` does, each problem named), or the seed's. Both
 * at once is refused.
 */
const baseConfig = (file: string | undefined, preset: string | undefined, readText: ReadText): GanConfig => {
  if (file !== undefined && preset !== undefined) throw new UsageError('--config and --preset both choose the starting config; give one of them')
  if (preset !== undefined) {
    const named = Object.hasOwn(PRESETS, preset) ? PRESETS[preset] : undefined
    if (named === undefined) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset.length > 100 ? `${preset.slice(0, 100)}...` : preset)}`)
    return named
  }
  if (file === undefined) return seedConfig
  if (file === '') throw new UsageError('--config needs a file name')
  const text = readText(file, 'config')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`--config ${shown(file)} is not JSON (${oneLine(e instanceof Error ? e.message : String(e))})`)
  }
  const checked = validateConfig(parsed)
  if (E.isLeft(checked)) throw new UsageError(`--config ${shown(file)} is not a valid config: ${oneLine(checked.left.join('; '))}`)
  return checked.right
}

/**
 * Parses `pure-gan train`'s arguments (after the word `train`) into a validated config and
 * options, or throws a `UsageError` naming the flag and its allowed values. The config starts
 * from `--preset` or `--config` (read with `readText`) or the seed's, and every other flag
 * overrides its field; with `--resume PATH` it is the config of the run `readRun` reads at
 * PATH, with `--epochs` (required, above the run's) its new total. `--help` (or
 * `-h`) anywhere wins: the result then has `help: true` and the defaults, whatever else the
 * line holds. The config is checked by `validateConfig` too, so every limit of the library
 * (sizes, memory, the size of run.json) is refused here, before anything runs.
 */
export const parseTrainArgs = (
  args: ReadonlyArray<string>,
  readText: ReadText = noFiles,
  readRun: (path: string, data?: string) => RecordedRun = noRecords,
  readImages: ReadImages = noImages,
): TrainOptions => {
  if (wantsHelp(args)) return { config: seedConfig, resume: undefined, out: undefined, force: false, quiet: false, json: false, help: true, threads: 1 }
  const raw = splitFlags(args)
  if (raw.values.has('resume')) return resumeOptions(raw, readRun)
  const { values, switches } = raw
  let config: GanConfig = baseConfig(values.get('config'), values.get('preset'), readText)
  let images: MnistFiles | undefined
  const readAndKeep: ReadImages = (text) => (images = readImages(text))
  for (const f of CONFIG_FLAGS) {
    const text = values.get(f.name)
    if (text !== undefined) config = f.set(config, parseValue(f, text, readText, readAndKeep))
  }
  const parse = (name: string): FlagValue => parseValue(CONFIG_FLAGS.find((f) => f.name === name)!, values.get(name)!)
  config = withOptimizerFlags(config, values, parse)
  const objective = objectiveSpecOf(config).kind
  for (const f of CONFIG_FLAGS) {
    if (f.objective !== undefined && values.has(f.name) && f.objective !== objective) {
      throw new UsageError(`--${f.name} applies to --objective ${f.objective} only, got --objective ${objective}`)
    }
  }
  if (values.has('dropout-keep') && config.discriminator.layers.some((l) => l.keep !== undefined) && (objective === 'wasserstein-gp' || config.penalty !== undefined)) {
    throw new UsageError(`--dropout-keep cannot be combined with a gradient penalty (--objective wasserstein-gp or --r1-gamma), got ${objective === 'wasserstein-gp' ? '--objective wasserstein-gp' : '--r1-gamma'}`)
  }
  if (config.batchSize > dataSize(config.data)) {
    throw new UsageError(`--batch-size must be an integer in 1..${dataSize(config.data)} (the data size), got "${config.batchSize}"`)
  }
  const checked = validateConfig(config)
  if (E.isLeft(checked)) throw new UsageError(`these settings cannot run: ${oneLine(checked.left.join('; '))}`)
  const data = checked.right.data
  // a preset or config file naming MNIST by digest: the package's files, checked against it
  if (data.kind === 'mnist' && images === undefined) images = readImages('mnist')
  if (data.kind === 'mnist') {
    const problem = mnistSourceProblem(data, images)
    if (problem !== undefined) throw new UsageError(`these settings cannot run on the images of ${shown(images!.dir)}: ${problem}`)
  }
  const out = values.get('out')
  if (out === '') throw new UsageError('--out needs a folder name')
  return {
    ...(data.kind === 'mnist' ? { images: images! } : {}),
    ...evaluationOptions(values, data),
    config: checked.right,
    resume: undefined,
    out,
    force: switches.has('force'),
    quiet: switches.has('quiet'),
    json: switches.has('json'),
    help: false,
    threads: threadsOf(values),
  }
}

/** `pure-gan train --help`: every flag with its default and range. */
export const trainHelp = (): string => {
  const metavar = (k: Kind): string => (k.type === 'choice' ? (k.values.join('|').length <= 16 ? k.values.join('|') : 'NAME') : k.type === 'int' ? 'N' : k.type === 'layers' ? 'LAYERS' : k.type === 'keeps' ? 'K1,K2,...' : k.type === 'data' ? 'DATA' : 'X')
  const rows = CONFIG_FLAGS.map((f) => [`--${f.name} ${metavar(f.kind)}`, `${f.help}; ${describeRange(f.kind)}; default ${f.shownDefault ?? f.get(seedConfig)}`])
  rows.push(
    ['--preset NAME', `start from a named config: ${Object.keys(PRESETS).join(', ')}; default d2l (the seed's)`],
    ['--config FILE', 'start from a JSON config (the GanConfig of the library, validated as validateConfig does); the flags above override its fields'],
    ['--resume RUN.json', "continue the finished run RUN.json (a run.json of pure-gan train) to --epochs N, which must exceed its epochs; its settings are the record's, so no other config flag, --config or --preset goes with it. The new run.json is byte for byte that of a run of N epochs from the start (see Resuming below)"],
    ['--out DIR', 'folder for run.json, timing.json, losses.svg, samples.svg, report.html; default a fresh folder runs/<date>-<time>-seed<N>'],
    ['--force', 'write into --out even if it is not empty: replaces run.json (only one pure-gan wrote), timing.json, losses.svg, samples.svg, report.html and last-finite-state.json (each must be a regular file), removes the one this run does not write, and pure-gan\'s stale .pure-gan-tmp-* files; touches nothing else'],
    ['--quiet, -q', 'print nothing but errors'],
    ['--json', 'print the run record (run.json) to stdout instead of the summary line'],
    ['--classifier FILE', 'with MNIST data: score the generated digits at each snapshot epoch with this classifier (a file of pure-gan classifier): the classifier score and the feature Fréchet distance to the test digits, and at the end the Parzen-window log-likelihood of the test digits; written to digit-metrics.json and shown in report.html (docs/mnist.md)'],
    ['--eval-samples N', `the generated digits each --classifier score uses; an integer in ${EVAL_SAMPLES.min}..${EVAL_SAMPLES.max}; default ${EVAL_SAMPLES.default}`],
    ['--threads N', '1 or 2: with 2, the large matrix products and Adam steps of the WebAssembly steps (networks of MNIST size) are split over a second thread, with the same bits; about 1.5x at Goodfellow et al.\'s MNIST sizes on 2 cores (docs/performance.md); default 1'],
    ['--help, -h', 'this text'],
  )
  const width = Math.max(...rows.map((r) => r[0]!.length))
  return [
    'usage: pure-gan train [flags]',
    '       pure-gan train --resume RUN.json --epochs N [--out DIR] [--force] [--quiet] [--json]',
    '',
    "Trains the seed GAN (d2l.ai's chapter) with these settings and writes its report.",
    '',
    ...rows.map(([a, b]) => `  ${a!.padEnd(width)}  ${b}`),
    '',
    ...LAYER_LIST_HELP,
    '',
    "Resuming continues from RUN.json's final state (the PRNG included) and keeps its history. The",
    'report snapshots up to 6 epochs of a run (1, the last, round(k*N/5) for k = 1..4): those',
    'RUN.json has are reused; when the longer run snapshots an epoch up to the old total that',
    'RUN.json does not have (20 -> 30 epochs: 6 and 18), the run is replayed from its start up',
    'to the last such epoch (18), checked against the losses and snapshots RUN.json holds on the',
    'way; otherwise (20 -> 40) nothing is replayed. Without --out the new run goes to a fresh',
    "folder; --out RUN.json's own folder needs --force, and replaces its files only once the new",
    'run is rendered (a non-finite stop there keeps them, beside last-finite-state.json).',
    '',
    'Output is all or nothing: every file is rendered in memory, written under a temporary name',
    '(.pure-gan-tmp-<pid>-<name>) and renamed into place only when all were written; the free',
    'space is checked before training against an upper bound of what the run writes.',
    '',
    'Exit codes:',
    '  0  done: the folder holds this run\'s five files (and nothing else of pure-gan\'s)',
    '  1  training stopped at a NaN or infinite value (a loss, an epoch\'s mean loss, the',
    '     parameters, the generated samples): the message names it; the last finite state is',
    '     saved as last-finite-state.json (and, with --force, an earlier run\'s five files are',
    '     removed), or the message says why it could not be saved',
    '  2  anything else: a bad command line, an unusable --out folder, too little disk space,',
    '     a failed write (nothing of the run is written), an internal error; one line on stderr',
  ].join('\n')
}
