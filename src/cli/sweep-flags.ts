/**
 * The command line of `pure-gan sweep`: the seed range, the grid, the success criterion, the
 * workers, the shard, and every flag of `train` as the settings every run shares. Each grid
 * setting is parsed and validated exactly as `train` parses its flags, before anything runs.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { type GanConfig, MAX_SEED } from '../gan/config.js'
import { canonicalJson } from '../gan/codec.js'
import { DEFAULT_SUCCESS, parseSuccessCriterion } from '../report/sweep-summary.js'
import { type ReadText, UsageError, parseTrainArgs } from './flags.js'
import { shown } from './io.js'

/** The most runs one sweep (all its shards together) may hold. */
export const MAX_SWEEP_RUNS = 100_000

/** The most workers. */
export const MAX_WORKERS = 256

/** One setting of the grid: its id, its grid values (`[flag, value]`, in grid order) and its config (seed 0). */
export interface SweepSettingPlan {
  readonly id: string
  readonly values: ReadonlyArray<readonly [string, string]>
  readonly config: GanConfig
}

/** Which slice of the cells this process runs: the `index`-th (0-based) of `count`, and where that came from. */
export interface ShardChoice {
  readonly index: number
  readonly count: number
  readonly from: string
}

/** The parsed command line of `pure-gan sweep`. */
export interface SweepOptions {
  readonly help: boolean
  readonly seeds: { readonly from: number; readonly to: number }
  readonly grid: ReadonlyArray<readonly [string, ReadonlyArray<string>]>
  readonly settings: ReadonlyArray<SweepSettingPlan>
  readonly success: string
  readonly workers: number
  readonly workerHeapMb: number | null
  readonly shard: ShardChoice | null
  readonly out: string
  readonly runReports: boolean
  readonly quiet: boolean
  readonly json: boolean
}

/** The flags of the sweep itself (the others are train's), and whether each takes a value. */
const SWEEP_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ['seeds', true],
  ['grid', true],
  ['success', true],
  ['workers', true],
  ['worker-heap-mb', true],
  ['shard', true],
  ['shards', true],
  ['out', true],
  ['run-reports', false],
  ['quiet', false],
  ['json', false],
])

/** Train's flags that a sweep sets itself, with the reason a user may not. */
const NOT_IN_SWEEP: ReadonlyMap<string, string> = new Map([
  ['seed', 'the seeds come from --seeds A..B'],
  ['force', 'a sweep resumes in its --out folder instead'],
  ['resume', 'a sweep trains every run from the start (and resumes itself in its --out folder)'],
  ['threads', 'a sweep runs its runs in parallel on --workers instead'],
])

/** The flags for the layer lists, whose values hold commas: one value per --grid. */
const LIST_FLAGS = new Set(['generator', 'discriminator', 'dropout-keep'])


/**
 * Splits the sweep's own flags from train's: returns the sweep's values (each --grid kept in
 * order) and train's arguments as given. Throws a `UsageError` for a sweep flag without its
 * value, given twice (--grid aside), or a switch with a value.
 */
const splitSweepFlags = (args: ReadonlyArray<string>) => {
  const values = new Map<string, string>()
  const grids: string[] = []
  const switches = new Set<string>()
  const rest: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const long = /^--([^=]+)(=.*)?$/su.exec(a)
    const short = a === '-q' ? 'quiet' : undefined
    const name = short ?? long?.[1]
    const takes = name === undefined ? undefined : SWEEP_FLAGS.get(name)
    if (name !== undefined && NOT_IN_SWEEP.has(name)) throw new UsageError(`--${name} is not a sweep flag: ${NOT_IN_SWEEP.get(name)!} (see pure-gan sweep --help)`)
    if (takes === undefined) {
      rest.push(a)
      continue
    }
    const inline = long?.[2]
    if (!takes) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value, got ${shown(a)}`)
      switches.add(name!)
      continue
    }
    let value: string
    if (inline !== undefined) value = inline.slice(1)
    else {
      const next = args[i + 1]
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value; see pure-gan sweep --help`)
      value = next
      i++
    }
    if (name === 'grid') grids.push(value)
    else if (values.has(name!)) throw new UsageError(`--${name} is given twice; give it at most once (see pure-gan sweep --help)`)
    else values.set(name!, value)
  }
  return { values, grids, switches, rest }
}

/** `A..B` (or `N`): an inclusive range of seeds in 0..MAX_SEED. */
const parseSeeds = (text: string | undefined): { readonly from: number; readonly to: number } => {
  if (text === undefined) throw new UsageError('--seeds is required: the seeds of every setting, A..B (inclusive) or one N, e.g. --seeds 0..99')
  const m = /^(\d{1,10})(?:\.\.(\d{1,10}))?$/.exec(text)
  const from = m === null ? NaN : Number(m[1])
  const to = m === null ? NaN : Number(m[2] ?? m[1])
  if (!(from <= to && to <= MAX_SEED)) throw new UsageError(`--seeds must be A..B with 0 <= A <= B <= ${MAX_SEED} (or one seed N), got ${shown(text)}`)
  return { from, to }
}

/**
 * The grid: each `--grid FLAG=V1,V2,...` a train flag (not --seed) and its values, in the order
 * given; a layer-list flag (whose values hold commas) takes one value per --grid, and a flag
 * given again adds its values. Refuses a flag that is also given as a plain flag.
 */
const parseGrid = (grids: ReadonlyArray<string>, rest: ReadonlyArray<string>): ReadonlyArray<readonly [string, ReadonlyArray<string>]> => {
  const out = new Map<string, string[]>()
  for (const g of grids) {
    const m = /^([a-z0-9-]+)=(.+)$/su.exec(g)
    if (m === null) throw new UsageError(`--grid must be FLAG=VALUE,VALUE,... with FLAG a train flag, e.g. --grid lr-d=0.05,0.02, got ${shown(g)}`)
    const flag = m[1]!
    if (flag === 'seed') throw new UsageError('--grid cannot vary --seed: the seeds come from --seeds A..B')
    if (SWEEP_FLAGS.has(flag) || flag === 'config' || flag === 'preset' || flag === 'force' || flag === 'help' || flag === 'threads') throw new UsageError(`--grid ${shown(flag)} is not a training setting; the grid varies train's config flags (see pure-gan train --help)`)
    if (rest.some((a) => a === `--${flag}` || a.startsWith(`--${flag}=`))) throw new UsageError(`--${flag} is given both as a flag and in --grid; give it in one place`)
    const values = LIST_FLAGS.has(flag) ? [m[2]!] : m[2]!.split(',')
    if (values.some((v) => v === '')) throw new UsageError(`--grid ${flag}= has an empty value, got ${shown(g)}`)
    out.set(flag, [...(out.get(flag) ?? []), ...values])
  }
  for (const [flag, values] of out) {
    const twice = values.find((v, i) => values.indexOf(v) !== i)
    if (twice !== undefined) throw new UsageError(`--grid ${flag} lists ${shown(twice)} twice`)
  }
  return [...out.entries()]
}

/** Every combination of the grid's values, the first flag varying slowest (one empty combination without a grid). */
const combinations = (grid: ReadonlyArray<readonly [string, ReadonlyArray<string>]>): ReadonlyArray<ReadonlyArray<readonly [string, string]>> =>
  grid.reduce<ReadonlyArray<ReadonlyArray<readonly [string, string]>>>((acc, [flag, values]) => acc.flatMap((c) => values.map((v) => [...c, [flag, v] as const])), [[]])

/** A setting's id: `cfg-` and the first 12 hex digits of the SHA-256 of its config's canonical JSON (seed 0), the same on every machine. */
export const settingId = (config: GanConfig): string => `cfg-${createHash('sha256').update(canonicalJson({ ...config, seed: 0 })).digest('hex').slice(0, 12)}`

/**
 * The shard: `--shard I/N` (0-based I), else Slurm's array variables (`SLURM_ARRAY_TASK_ID`
 * minus `SLURM_ARRAY_TASK_MIN`, of `SLURM_ARRAY_TASK_COUNT`), else Kubernetes' Indexed Job
 * (`JOB_COMPLETION_INDEX` of `--shards N`); none when none is set. `--shards N` alone without
 * an index is refused.
 */
const parseShard = (shard: string | undefined, shards: string | undefined, env: Readonly<Record<string, string | undefined>>): ShardChoice | null => {
  const count = (text: string, what: string): number => {
    if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new UsageError(`${what} must be a shard count in 1..999999, got ${shown(text)}`)
    return Number(text)
  }
  const index = (text: string, n: number, what: string): number => {
    if (!/^\d{1,6}$/.test(text) || Number(text) >= n) throw new UsageError(`${what} must be a shard index in 0..${n - 1} (0-based, of ${n}), got ${shown(text)}`)
    return Number(text)
  }
  if (shard !== undefined) {
    if (shards !== undefined) throw new UsageError('--shard I/N already gives the count; drop --shards')
    const m = /^([^/]*)\/(.*)$/.exec(shard)
    if (m === null) throw new UsageError(`--shard must be I/N (the I-th of N shards, 0-based), got ${shown(shard)}`)
    const n = count(m[2]!, '--shard I/N: N')
    return { index: index(m[1]!, n, '--shard I/N: I'), count: n, from: '--shard' }
  }
  const slurmId = env['SLURM_ARRAY_TASK_ID']
  if (slurmId !== undefined && slurmId !== '') {
    const n = count(env['SLURM_ARRAY_TASK_COUNT'] ?? '', 'SLURM_ARRAY_TASK_COUNT')
    const min = env['SLURM_ARRAY_TASK_MIN'] ?? '0'
    if (!/^\d{1,6}$/.test(min)) throw new UsageError(`SLURM_ARRAY_TASK_MIN must be an integer, got ${shown(min)}`)
    if (!/^\d{1,6}$/.test(slurmId)) throw new UsageError(`SLURM_ARRAY_TASK_ID must be an integer, got ${shown(slurmId)}`)
    return { index: index(String(Number(slurmId) - Number(min)), n, 'SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN'), count: n, from: 'Slurm (SLURM_ARRAY_TASK_ID)' }
  }
  const k8s = env['JOB_COMPLETION_INDEX']
  if (k8s !== undefined && k8s !== '') {
    if (shards === undefined) throw new UsageError('JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job): give the job\'s completions as --shards N')
    const n = count(shards, '--shards')
    return { index: index(k8s, n, 'JOB_COMPLETION_INDEX'), count: n, from: 'Kubernetes (JOB_COMPLETION_INDEX)' }
  }
  if (shards !== undefined) throw new UsageError('--shards N needs the index of this shard: JOB_COMPLETION_INDEX (a Kubernetes Indexed Job), or give --shard I/N')
  return null
}

/** `--workers K`, 1..MAX_WORKERS, default the machine's cores. */
const parseWorkers = (text: string | undefined): number => {
  if (text === undefined) return Math.min(MAX_WORKERS, availableParallelism())
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_WORKERS) throw new UsageError(`--workers must be an integer in 1..${MAX_WORKERS}, got ${shown(text)}`)
  return Number(text)
}

/** `--worker-heap-mb M`: a cap on each worker's heap (a run beyond it fails; the sweep goes on), 16..1048576; none by default. */
const parseHeap = (text: string | undefined): number | null => {
  if (text === undefined) return null
  if (!/^\d{1,7}$/.test(text) || Number(text) < 16 || Number(text) > 1_048_576) throw new UsageError(`--worker-heap-mb must be an integer in 16..1048576 (MB), got ${shown(text)}`)
  return Number(text)
}

/**
 * Parses `pure-gan sweep`'s arguments (after the word `sweep`): the sweep's own flags, and
 * train's flags as the settings every run shares; each grid setting is train's flags plus its
 * values, parsed by `parseTrainArgs` (so a bad value or an impossible setting is refused with
 * train's message, naming the setting). Throws a `UsageError`.
 */
export const parseSweepArgs = (args: ReadonlyArray<string>, readText: ReadText, env: Readonly<Record<string, string | undefined>>, wantsHelp: boolean): SweepOptions => {
  if (wantsHelp) return { help: true, seeds: { from: 0, to: 0 }, grid: [], settings: [], success: DEFAULT_SUCCESS, workers: 1, workerHeapMb: null, shard: null, out: '', runReports: false, quiet: false, json: false }
  const { values, grids, switches, rest } = splitSweepFlags(args)
  const seeds = parseSeeds(values.get('seeds'))
  const grid = parseGrid(grids, rest)
  const combos = combinations(grid)
  const runs = combos.length * (seeds.to - seeds.from + 1)
  if (runs > MAX_SWEEP_RUNS) throw new UsageError(`this sweep has ${runs} runs (${combos.length} settings x ${seeds.to - seeds.from + 1} seeds); at most ${MAX_SWEEP_RUNS} are allowed`)
  const byId = new Map<string, ReadonlyArray<readonly [string, string]>>()
  const settings = combos.map((combo): SweepSettingPlan => {
    const extra = combo.flatMap(([flag, value]) => [`--${flag}`, value])
    let config: GanConfig
    try {
      config = parseTrainArgs([...rest, ...extra], readText).config
    } catch (e) {
      if (!(e instanceof UsageError) || combo.length === 0) throw e
      throw new UsageError(`the setting ${combo.map(([f, v]) => `${f}=${v}`).join(', ')}: ${e.message}`)
    }
    const seedless = { ...config, seed: 0 }
    const id = settingId(seedless)
    const same = byId.get(id)
    if (same !== undefined) throw new UsageError(`the grid gives one config twice: ${same.map(([f, v]) => `${f}=${v}`).join(', ')} and ${combo.map(([f, v]) => `${f}=${v}`).join(', ')}`)
    byId.set(id, combo)
    return { id, values: combo, config: seedless }
  })
  const success = values.get('success') ?? DEFAULT_SUCCESS
  const criterion = parseSuccessCriterion(success)
  if ('problem' in criterion) throw new UsageError(criterion.problem)
  const out = values.get('out')
  if (out === undefined || out === '') throw new UsageError('--out DIR is required: the sweep writes its runs there, and a second sweep with the same arguments resumes there')
  return {
    help: false,
    seeds,
    grid,
    settings,
    success,
    workers: parseWorkers(values.get('workers')),
    workerHeapMb: parseHeap(values.get('worker-heap-mb')),
    shard: parseShard(values.get('shard'), values.get('shards'), env),
    out,
    runReports: switches.has('run-reports'),
    quiet: switches.has('quiet'),
    json: switches.has('json'),
  }
}
