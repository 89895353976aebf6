/**
 * `pure-gan merge DIR... --out DIR`: combines the shard records (`shard-I-of-N.json`) that a
 * sharded sweep's processes wrote, in one folder or in several, into the sweep.json and
 * sweep.html of the whole sweep, byte for byte those the unsharded sweep writes. It refuses,
 * naming them, shards of different sweeps, missing or repeated shards, and cells that are
 * missing or appear twice, rather than guessing.
 *
 * @module
 */
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as E from '../fp/either.js'
import { canonicalJson } from '../gan/codec.js'
import { validateConfig } from '../gan/config.js'
import type { SweepRun } from '../report/sweep-record.js'
import { SWEEP_METRICS } from '../report/sweep-summary.js'
import { UsageError } from './flags.js'
import { type CliIo, oneLine, shown } from './io.js'
import { readBoundedFile } from './read-bounded.js'
import { type ShardRecord, SHARD_FORMAT, writeSweep } from './sweep-output.js'
import { sweepCells } from './sweep-command.js'

/** The parsed command line of `pure-gan merge`. */
export interface MergeOptions {
  readonly help: boolean
  readonly dirs: ReadonlyArray<string>
  readonly out: string
  readonly quiet: boolean
  readonly json: boolean
}

/** Parses `pure-gan merge`'s arguments: folders, `--out DIR` (required), `--quiet`/`-q`, `--json`, `--help`. */
export const parseMergeArgs = (args: ReadonlyArray<string>, wantsHelp: boolean): MergeOptions => {
  if (wantsHelp) return { help: true, dirs: [], out: '', quiet: false, json: false }
  const dirs: string[] = []
  let out: string | undefined
  let quiet = false
  let json = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--out' || a.startsWith('--out=')) {
      if (out !== undefined) throw new UsageError('--out is given twice; give it once')
      out = a === '--out' ? args[++i] : a.slice('--out='.length)
      if (out === undefined || out === '' || out.startsWith('--')) throw new UsageError('--out needs a folder name')
    } else if (a === '--quiet' || a === '-q') quiet = true
    else if (a === '--json') json = true
    else if (a.startsWith('-')) throw new UsageError(`unknown flag ${shown(a)}; see pure-gan merge --help`)
    else dirs.push(a)
  }
  if (dirs.length === 0) throw new UsageError('merge needs the folders that hold the shard records (shard-I-of-N.json); usage: pure-gan merge DIR... --out DIR')
  if (out === undefined) throw new UsageError('--out DIR is required: the folder for the merged sweep.json and sweep.html')
  return { help: false, dirs, out, quiet, json }
}

/** `pure-gan merge --help`. */
export const mergeHelp = (): string =>
  [
    'usage: pure-gan merge DIR... --out DIR',
    '',
    'Combines the shard records shard-I-of-N.json of a sharded pure-gan sweep (found in the',
    'folders DIR..., one or many) into --out\'s sweep.json and sweep.html: byte for byte those',
    'of the same sweep run unsharded. The runs\' folders (DIR/runs/...) are read for',
    'sweep.html\'s samples. Shards of different sweeps, a missing or repeated shard, and cells',
    'missing or given twice are refused, each named.',
    '',
    '  --out DIR     where sweep.json and sweep.html go (created if needed); required',
    '  --quiet, -q   print nothing but errors',
    '  --json        print sweep.json to stdout',
    '  --help, -h    this text',
    '',
    'Exit codes: 0 merged; 2 anything else (one line on stderr, nothing written).',
  ].join('\n')

const SHARD_NAME = /^shard-(\d{1,6})-of-(\d{1,6})\.json$/

const SHARD_FILE = { limit: 256 * 1024 * 1024, noun: 'a shard record', reads: 'merge reads the shard-I-of-N.json files that pure-gan sweep wrote', tooLarge: 'it is not a shard record pure-gan wrote' }

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNumberOrNull = (v: unknown): boolean => v === null || typeof v === 'number'

/** The shard record in `text`, checked field by field; a `Left` names the first problem. */
const checkShard = (text: string): E.Either<string, ShardRecord> => {
  let j: unknown
  try {
    j = JSON.parse(text)
  } catch (e) {
    return E.left(`not JSON (${oneLine(e instanceof Error ? e.message : String(e))})`)
  }
  if (!isObject(j) || j['format'] !== SHARD_FORMAT || j['version'] !== 1) return E.left(`not a shard record (format ${SHARD_FORMAT}, version 1)`)
  const seeds = j['seeds']
  if (!isObject(seeds) || !Number.isSafeInteger(seeds['from']) || !Number.isSafeInteger(seeds['to']) || (seeds['from'] as number) > (seeds['to'] as number) || (seeds['from'] as number) < 0) return E.left('seeds must be { from, to } with 0 <= from <= to')
  if (!Array.isArray(j['grid']) || typeof j['success'] !== 'string' || typeof j['packageVersion'] !== 'string') return E.left('grid, success and packageVersion are missing or of the wrong type')
  const shard = j['shard']
  if (!isObject(shard) || !Number.isSafeInteger(shard['index']) || !Number.isSafeInteger(shard['count']) || (shard['index'] as number) < 0 || (shard['index'] as number) >= (shard['count'] as number)) return E.left('shard must be { index, count } with 0 <= index < count')
  const settings = j['settings']
  if (!Array.isArray(settings) || settings.length === 0) return E.left('settings must be a non-empty array')
  for (const s of settings) {
    if (!isObject(s) || typeof s['id'] !== 'string' || !Array.isArray(s['values'])) return E.left('a setting must be { id, values, config }')
    const valid = validateConfig(s['config'])
    if (E.isLeft(valid)) return E.left(`setting ${s['id']}: its config is not valid (${oneLine(valid.left.join('; '))})`)
  }
  const runs = j['runs']
  if (!Array.isArray(runs)) return E.left('runs must be an array')
  for (const r of runs) {
    const ok =
      isObject(r) &&
      typeof r['config'] === 'string' &&
      Number.isSafeInteger(r['seed']) &&
      (r['status'] === 'finished' || r['status'] === 'non-finite' || r['status'] === 'failed') &&
      SWEEP_METRICS.every((m) => isNumberOrNull(r[m])) &&
      typeof r['success'] === 'boolean' &&
      (r['message'] === null || typeof r['message'] === 'string')
    if (!ok) return E.left('a run must be { config, seed, status, lossD, lossG, frechet, modes, hq, reverseKl, mmdP, energyP, c2st, success, message }, each metric a number or null')
  }
  return E.right(j as unknown as ShardRecord)
}

/** Every shard record in the folders, with its path. Throws a `UsageError` for a folder that cannot be read, a bad record, or none at all. */
const readShards = (dirs: ReadonlyArray<string>): ReadonlyArray<{ readonly path: string; readonly record: ShardRecord }> => {
  const found: { path: string; record: ShardRecord }[] = []
  for (const dir of dirs) {
    let names: string[]
    try {
      names = readdirSync(dir).filter((n) => SHARD_NAME.test(n)).sort()
    } catch (e) {
      throw new UsageError(`${shown(dir)} cannot be read (${oneLine(e instanceof Error ? e.message : String(e))})`)
    }
    for (const name of names) {
      const path = join(dir, name)
      const checked = checkShard(readBoundedFile(path, SHARD_FILE))
      if (E.isLeft(checked)) throw new UsageError(`${shown(path)}: ${checked.left}`)
      const [, i, n] = SHARD_NAME.exec(name)!
      if (Number(i) !== checked.right.shard.index || Number(n) !== checked.right.shard.count) throw new UsageError(`${shown(path)}: its name says shard ${Number(i)} of ${Number(n)}, its record shard ${checked.right.shard.index} of ${checked.right.shard.count}`)
      found.push({ path, record: checked.right })
    }
  }
  if (found.length === 0) throw new UsageError(`no shard records (shard-I-of-N.json) in ${dirs.map(shown).join(', ')}`)
  return found
}

/** The definition two shards of one sweep share, as canonical text. */
const definitionOf = (r: ShardRecord): string => canonicalJson({ seeds: r.seeds, grid: r.grid, success: r.success, settings: r.settings, count: r.shard.count })

/** At most five items and how many more. */
const some = (items: ReadonlyArray<string>): string => (items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`)

/** Runs `pure-gan merge`; returns the exit code (a `UsageError` means exit 2). */
export const mergeCommand = (options: MergeOptions, io: CliIo): number => {
  if (options.help) {
    io.stdout(`${mergeHelp()}\n`)
    return 0
  }
  const shards = readShards(options.dirs)
  const first = shards[0]!
  const definition = definitionOf(first.record)
  for (const s of shards) {
    if (definitionOf(s.record) !== definition) throw new UsageError(`${shown(s.path)} is a shard of another sweep than ${shown(first.path)} (their settings, seeds, grid, success criterion or shard count differ)`)
  }
  const count = first.record.shard.count
  const byIndex = new Map<number, string>()
  for (const s of shards) {
    const other = byIndex.get(s.record.shard.index)
    if (other !== undefined) throw new UsageError(`shard ${s.record.shard.index} of ${count} is given twice: ${shown(other)} and ${shown(s.path)}`)
    byIndex.set(s.record.shard.index, s.path)
  }
  const missingShards = [...Array(count).keys()].filter((i) => !byIndex.has(i))
  if (missingShards.length > 0) throw new UsageError(`shards ${some(missingShards.map(String))} of ${count} are missing (found ${shards.length}); run them, then merge again`)
  const cells = sweepCells({ settings: first.record.settings, seeds: first.record.seeds })
  const key = (setting: string, seed: number): string => `${setting} seed ${seed}`
  const runs = new Map<string, SweepRun>()
  const twice: string[] = []
  for (const s of shards) {
    for (const r of s.record.runs) {
      const k = key(r.config, r.seed)
      if (runs.has(k)) twice.push(k)
      runs.set(k, r)
    }
  }
  const expected = new Set(cells.map((c) => key(c.setting.id, c.seed)))
  const missing = cells.map((c) => key(c.setting.id, c.seed)).filter((k) => !runs.has(k))
  const unknown = [...runs.keys()].filter((k) => !expected.has(k))
  if (twice.length > 0) throw new UsageError(`cells appear in more than one shard: ${some(twice)}`)
  if (unknown.length > 0) throw new UsageError(`cells not of this sweep: ${some(unknown)}`)
  if (missing.length > 0) throw new UsageError(`cells are missing: ${some(missing)}`)
  const ordered = cells.map((c) => runs.get(key(c.setting.id, c.seed))!)
  try {
    mkdirSync(options.out, { recursive: true })
  } catch (e) {
    throw new UsageError(`--out ${shown(options.out)} is not a writable folder (${oneLine(e instanceof Error ? e.message : String(e))})`)
  }
  const text = writeSweep(first.record, ordered, options.out, options.dirs)
  if (options.json) io.stdout(text)
  else if (!options.quiet) io.stderr(`merged ${count} shards (${ordered.length} runs) into ${shown(join(options.out, 'sweep.json'))} and sweep.html\n`)
  return 0
}
