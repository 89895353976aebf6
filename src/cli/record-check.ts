/**
 * The structure of a run record read from disk, checked field by field before anything uses
 * it: every check is a plain loop over a known shape, so no input (deeply nested, huge,
 * `__proto__` keys, wrong types) can overflow the stack or reach the re-run.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { decodeStateJson } from '../gan/codec.js'
import { type GanConfig, packOf, validateConfig } from '../gan/config.js'
import { MAX_CRITIC_GRID_SIZE } from '../report/make-record.js'
import type { RunRecord } from '../report/run-record.js'
import { oneLine, shown } from './io.js'
import { dataWidth } from '../gan/data.js'

/** A run record whose structure was checked, with the config `validateConfig` returned. */
export type CheckedRecord = RunRecord & { readonly packageVersion: string; readonly config: GanConfig }

const RECORD_KEYS = ['format', 'version', 'packageVersion', 'config', 'history', 'realSample', 'snapshots', 'summary', 'finalState']
const HISTORY_KEYS = ['epoch', 'lossD', 'lossG', 'examples']
const SNAPSHOT_KEYS = ['epoch', 'points']
const SNAPSHOT_KEYS_WITH_CRITIC = ['epoch', 'points', 'critic']
const CRITIC_KEYS = ['x', 'y', 'size', 'values']
const SUMMARY_KEYS = ['samples', 'mean', 'covariance', 'trueMean', 'trueCovariance', 'frechetDistance']

const isPlainObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x)

const typeName = (x: unknown): string => (x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x === 'object' ? 'an object' : typeof x)

/** A problem with one field: the path and what it must be. */
const problem = (field: string, must: string, found: unknown): string => `${field} must be ${must}, found ${typeName(found)}${typeof found === 'number' ? ` ${found}` : ''}`

/** The keys of `o` must be exactly `keys` (in any order). */
const exactKeys = (o: Record<string, unknown>, keys: ReadonlyArray<string>, field: string, optional: ReadonlyArray<string> = []): string | null => {
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) return `${field} has an unknown field ${shown(k)}; a run record's ${field === '(root)' ? 'fields' : `${field} fields`} are ${keys.join(', ')}`
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(o, k)) return `${field === '(root)' ? k : `${field}.${k}`} is missing`
  return null
}

const finiteNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x)

/** An array of finite numbers. */
const numberRow = (x: unknown, field: string): string | null => {
  if (!Array.isArray(x)) return problem(field, 'an array of finite numbers', x)
  for (let i = 0; i < x.length; i++) if (!finiteNumber(x[i])) return problem(`${field}[${i}]`, 'a finite number', x[i])
  return null
}

/** An array of arrays of finite numbers. */
const numberRows = (x: unknown, field: string): string | null => {
  if (!Array.isArray(x)) return problem(field, 'an array of rows of finite numbers', x)
  for (let i = 0; i < x.length; i++) {
    const d = numberRow(x[i], `${field}[${i}]`)
    if (d !== null) return d
  }
  return null
}

const checkHistory = (h: unknown): string | null => {
  if (!Array.isArray(h)) return problem('history', 'an array of { epoch, lossD, lossG, examples }', h)
  for (let i = 0; i < h.length; i++) {
    const e = h[i]
    const field = `history[${i}]`
    if (!isPlainObject(e)) return problem(field, 'an object { epoch, lossD, lossG, examples }', e)
    const k = exactKeys(e, HISTORY_KEYS, field)
    if (k !== null) return k
    for (const key of HISTORY_KEYS) if (!finiteNumber(e[key])) return problem(`${field}.${key}`, 'a finite number', e[key])
  }
  return null
}

/** `[lo, hi]`: two finite numbers with lo < hi (and a finite width). */
const checkInterval = (v: unknown, field: string): string | null => {
  if (!Array.isArray(v) || v.length !== 2) return problem(field, '[lo, hi], two finite numbers', v)
  const [lo, hi] = v as unknown[]
  if (!finiteNumber(lo)) return problem(`${field}[0]`, 'a finite number', lo)
  if (!finiteNumber(hi)) return problem(`${field}[1]`, 'a finite number', hi)
  if (!((lo as number) < (hi as number)) || !Number.isFinite((hi as number) - (lo as number))) return `${field} must be [lo, hi] with lo < hi, found [${lo}, ${hi}]`
  return null
}

/** D's output on the heat map's grid: `{ x, y, size, values }` with size² finite values. */
const checkCritic = (c: unknown, field: string): string | null => {
  if (!isPlainObject(c)) return problem(field, 'an object { x, y, size, values }', c)
  const k = exactKeys(c, CRITIC_KEYS, field)
  if (k !== null) return k
  for (const axis of ['x', 'y']) {
    const d = checkInterval(c[axis], `${field}.${axis}`)
    if (d !== null) return d
  }
  const size = c['size']
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_CRITIC_GRID_SIZE) {
    return problem(`${field}.size`, `an integer in 1..${MAX_CRITIC_GRID_SIZE}`, size)
  }
  const values = c['values']
  if (!Array.isArray(values)) return problem(`${field}.values`, 'an array of finite numbers', values)
  if (values.length !== size * size) return `${field}.values must have size² = ${size * size} entries, found ${values.length}`
  return numberRow(values, `${field}.values`)
}

/**
 * The snapshots; each has a `critic` exactly when `withCritic` (the config's data has 2
 * columns and no packing, so `pure-gan train` records D's output on the grid).
 */
const checkSnapshots = (s: unknown, config: GanConfig): string | null => {
  const withCritic = dataWidth(config.data) === 2 && packOf(config) === 1
  if (!Array.isArray(s)) return problem('snapshots', withCritic ? 'an array of { epoch, points, critic }' : 'an array of { epoch, points }', s)
  for (let i = 0; i < s.length; i++) {
    const e = s[i]
    const field = `snapshots[${i}]`
    if (!isPlainObject(e)) return problem(field, withCritic ? 'an object { epoch, points, critic }' : 'an object { epoch, points }', e)
    if (!withCritic && Object.prototype.hasOwnProperty.call(e, 'critic')) {
      const why = packOf(config) === 1 ? `the data has ${dataWidth(config.data)} columns` : `D reads packs of ${packOf(config)} points`
      return `${field}.critic must be absent: the heat map of D is recorded only for 2-column data without packing, and ${why}`
    }
    const k = exactKeys(e, withCritic ? SNAPSHOT_KEYS_WITH_CRITIC : SNAPSHOT_KEYS, field)
    if (k !== null) return k
    if (!finiteNumber(e['epoch'])) return problem(`${field}.epoch`, 'a finite number', e['epoch'])
    const p = numberRows(e['points'], `${field}.points`)
    if (p !== null) return p
    if (withCritic) {
      const c = checkCritic(e['critic'], `${field}.critic`)
      if (c !== null) return c
    }
  }
  return null
}

const checkSummary = (s: unknown): string | null => {
  if (!isPlainObject(s)) return problem('summary', 'an object { samples, mean, covariance, trueMean, trueCovariance, frechetDistance }', s)
  const k = exactKeys(s, SUMMARY_KEYS, 'summary')
  if (k !== null) return k
  for (const key of ['samples', 'frechetDistance']) if (!finiteNumber(s[key])) return problem(`summary.${key}`, 'a finite number', s[key])
  for (const key of ['mean', 'trueMean']) {
    const d = numberRow(s[key], `summary.${key}`)
    if (d !== null) return d
  }
  for (const key of ['covariance', 'trueCovariance']) {
    const d = numberRows(s[key], `summary.${key}`)
    if (d !== null) return d
  }
  return null
}

/** The fields of each part of `metrics` (`runMetrics`), and which of them hold arrays or may be null. */
const METRICS_PARTS: ReadonlyArray<readonly [string, ReadonlyArray<string>, boolean]> = [
  ['modes', ['samples', 'highQuality', 'highQualityFraction', 'modesCovered', 'counts', 'reverseKl'], true],
  ['mmd', ['statistic', 'pValue', 'samples', 'permutations', 'bandwidth'], false],
  ['energy', ['statistic', 'pValue', 'samples', 'permutations'], false],
  ['classifier', ['accuracy', 'standardError', 'trainRows', 'testRows', 'pValue'], false],
]

/** `metrics` as `runMetrics` writes it: its parts, each with exactly its fields of finite numbers. */
const checkMetrics = (m: unknown): string | null => {
  if (!isPlainObject(m)) return problem('metrics', 'an object { modes?, mmd, energy, classifier }', m)
  const keys = exactKeys(m, ['mmd', 'energy', 'classifier'], 'metrics', ['modes'])
  if (keys !== null) return keys
  for (const [part, fields, optional] of METRICS_PARTS) {
    const v = m[part]
    if (optional && v === undefined) continue
    if (!isPlainObject(v)) return problem(`metrics.${part}`, `an object { ${fields.join(', ')} }`, v)
    const k = exactKeys(v, fields, `metrics.${part}`)
    if (k !== null) return k
    for (const f of fields) {
      const x = v[f]
      const field = `metrics.${part}.${f}`
      const d = f === 'counts' ? numberRow(x, field) : f === 'reverseKl' && x === null ? null : finiteNumber(x) ? null : problem(field, 'a finite number', x)
      if (d !== null) return d
    }
  }
  return null
}

/**
 * Checks that `parsed` has a run record's structure: `format` "pure-gan/run", `version` 1, a
 * string `packageVersion`, a config `validateConfig` accepts, `history` as an array of
 * `{ epoch, lossD, lossG, examples }` of finite numbers, `realSample` and every snapshot's
 * `points` as arrays of rows of finite numbers, every snapshot's `critic` (present exactly
 * when the config's data has 2 columns and no packing: `x` and `y` as `[lo, hi]` with
 * `lo < hi`, `size` an integer in 1..256, `values` exactly `size²` finite numbers), the
 * summary's fields (no summary for MNIST data), `metrics` absent (a record of pure-gan before 0.5) or `runMetrics`'
 * fields of finite numbers (`modes` optional, its `reverseKl` a number or null), and a `finalState`
 * `decodeStateJson` accepts; no field more or less at any of these levels. Returns the
 * record (with the validated config) or the first problem, naming the field, as a predicate
 * of the file (`is not a run record: history[3].lossD must be a finite number, found null`).
 */
export const checkRunRecord = (parsed: unknown): E.Either<string, CheckedRecord> => {
  if (!isPlainObject(parsed)) return E.left(`is not a run record (expected a JSON object, found ${typeName(parsed)})`)
  if (parsed['format'] !== 'pure-gan/run') {
    const f = parsed['format']
    return E.left(`is not a run record: format must be "pure-gan/run", found ${typeof f === 'string' ? shown(JSON.stringify(f)) : typeName(f)}`)
  }
  if (parsed['version'] !== 1) {
    const v = parsed['version']
    return E.left(`has run-record version ${typeof v === 'number' || typeof v === 'string' ? shown(JSON.stringify(v)) : typeName(v)}; this pure-gan reads version 1`)
  }
  // a run on MNIST has no summary (src/report/make-record.ts)
  const images = isPlainObject(parsed['config']) && isPlainObject(parsed['config']['data']) && parsed['config']['data']['kind'] === 'mnist'
  const keys = exactKeys(parsed, images ? RECORD_KEYS.filter((k) => k !== 'summary') : RECORD_KEYS, '(root)', ['metrics'])
  if (keys !== null) return E.left(`is not a run record: ${keys}`)
  if (typeof parsed['packageVersion'] !== 'string') return E.left(`is not a run record: ${problem('packageVersion', 'a string', parsed['packageVersion'])}`)
  const config = validateConfig(parsed['config'])
  if (E.isLeft(config)) return E.left(`has an invalid config: ${oneLine(config.left.join('; '))}`)
  const checks: ReadonlyArray<() => string | null> = [
    () => checkHistory(parsed['history']),
    () => numberRows(parsed['realSample'], 'realSample'),
    () => checkSnapshots(parsed['snapshots'], config.right),
    () => (images ? null : checkSummary(parsed['summary'])),
    () => (parsed['metrics'] === undefined ? null : checkMetrics(parsed['metrics'])),
  ]
  for (const check of checks) {
    const d = check()
    if (d !== null) return E.left(`is not a run record: ${d}`)
  }
  const state = decodeStateJson(parsed['finalState'])
  if (E.isLeft(state)) return E.left(`has a finalState that is not a valid state: ${oneLine(state.left)}`)
  return E.right({ ...(parsed as unknown as RunRecord), config: config.right } as CheckedRecord)
}
