/**
 * Building a run record from a finished run, and comparing two records.
 *
 * @module
 */
import { stateToJson } from '../gan/codec.js'
import { assertFiniteSamples, sampleGenerator, summarizeGenerator } from '../gan/evaluate.js'
import type { GanState } from '../gan/state.js'
import { runStreams } from '../gan/state.js'
import type { EpochReport } from '../gan/train.js'
import { type Matrix, sliceRows, toArrays } from '../matrix/index.js'
import type { RunRecord, SampleSnapshot } from './run-record.js'

/** Points per scatter snapshot, as the seed's plot (100 generated points). */
export const SNAPSHOT_POINTS = 100

/** Real points shown in the scatter plot (the seed shows all 1000). */
export const REAL_POINTS = 1000

/**
 * The epochs at which the scatter is snapshotted for a run of `epochs` epochs: 1, the last,
 * and `round(k·epochs/5)` for k = 1..4, without repeats, ascending (at most 6 frames;
 * 1, 4, 8, 12, 16, 20 for the seed's 20 epochs).
 *
 * @example
 * import { snapshotEpochs } from 'pure-gan'
 * snapshotEpochs(20) // [1, 4, 8, 12, 16, 20]
 *
 * @category report
 * @since 0.1.0
 */
export const snapshotEpochs = (epochs: number): ReadonlyArray<number> => {
  const set = new Set<number>([1, epochs])
  for (let k = 1; k <= 4; k++) set.add(Math.max(1, Math.round((k * epochs) / 5)))
  return [...set].filter((e) => e >= 1 && e <= epochs).sort((a, b) => a - b)
}

/**
 * The generated points of a snapshot: `SNAPSHOT_POINTS` points from the first noise draws of
 * the run's evaluation stream, so every snapshot of a run uses the same noise. Throws a
 * `NonFiniteSamplesError` when a point is NaN or infinite.
 *
 * @category report
 * @since 0.1.0
 */
export const snapshotOf = (state: GanState): SampleSnapshot => {
  const [points] = sampleGenerator(state, runStreams(state.config.seed).evaluation, SNAPSHOT_POINTS)
  assertFiniteSamples(points, state)
  return { epoch: state.epoch, points: toArrays(points) }
}

/**
 * The run record of a finished run (a pure function of its arguments).
 *
 * @category report
 * @since 0.1.0
 */
export const makeRunRecord = (
  packageVersion: string,
  data: Matrix,
  history: ReadonlyArray<EpochReport>,
  snapshots: ReadonlyArray<SampleSnapshot>,
  finalState: GanState,
): RunRecord => ({
  format: 'pure-gan/run',
  version: 1,
  packageVersion,
  config: finalState.config,
  history,
  realSample: toArrays(sliceRows(data, 0, Math.min(REAL_POINTS, data.rows))),
  snapshots,
  summary: summarizeGenerator(finalState),
  finalState: stateToJson(finalState),
})

const describeValue = (v: unknown): string => {
  if (typeof v === 'number') {
    const hex = Array.from(new Uint8Array(new Float64Array([v]).buffer)).reverse().map((b) => b.toString(16).padStart(2, '0')).join('')
    return `${v} (bits ${hex})`
  }
  let s: string | undefined
  try {
    s = JSON.stringify(v)
  } catch {
    // nested too deeply for JSON.stringify (it recurses): name the kind of value instead
    s = Array.isArray(v) ? '[...]' : '{...}'
  }
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s
}

/**
 * The path and both values of the first difference between two JSON values (depth first,
 * arrays by index, objects by sorted key), or `null` when they are identical. Numbers are
 * compared bit for bit (`Object.is`). Iterative (an explicit stack), so no depth of nesting
 * can overflow the call stack.
 *
 * @example
 * import { firstDifference } from 'pure-gan'
 * firstDifference({ a: [1, 2] }, { a: [1, 3] }) // 'a[1]: 2 (bits 4000000000000000) vs 3 (bits 4008000000000000)'
 *
 * @category report
 * @since 0.1.0
 */
export const firstDifference = (a: unknown, b: unknown, path = ''): string | null => {
  // Each task compares two values at a path, or (`lengths`) the lengths of two arrays whose
  // common entries were all equal. Tasks are pushed in reverse so they run in document order.
  type Task = { readonly a: unknown; readonly b: unknown; readonly path: string; readonly lengths: boolean }
  const stack: Task[] = [{ a, b, path, lengths: false }]
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    const d = compareOne(task, stack)
    if (d !== null) return d
  }
  return null
}

/** One step of `firstDifference`: a difference found at this task, or null after pushing its children. */
const compareOne = (
  task: { readonly a: unknown; readonly b: unknown; readonly path: string; readonly lengths: boolean },
  stack: Array<{ readonly a: unknown; readonly b: unknown; readonly path: string; readonly lengths: boolean }>,
): string | null => {
  const { a, b, path } = task
  const here = path === '' ? '(root)' : path
  if (task.lengths) {
    const la = (a as unknown[]).length
    const lb = (b as unknown[]).length
    return la === lb ? null : `${here}: ${la} entries vs ${lb} entries`
  }
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b) ? null : `${here}: ${describeValue(a)} vs ${describeValue(b)}`
  if (Array.isArray(a) && Array.isArray(b)) {
    stack.push({ a, b, path, lengths: true })
    for (let i = Math.min(a.length, b.length) - 1; i >= 0; i--) stack.push({ a: a[i], b: b[i], path: `${path}[${i}]`, lengths: false })
    return null
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ka = Object.keys(a).sort()
    const kb = Object.keys(b).sort()
    for (const k of ka) {
      if (!(k in b)) return `${path === '' ? k : `${path}.${k}`}: present vs missing`
    }
    for (const k of kb) {
      if (!(k in a)) return `${path === '' ? k : `${path}.${k}`}: missing vs present`
    }
    for (let i = ka.length - 1; i >= 0; i--) {
      const k = ka[i]!
      stack.push({ a: (a as Record<string, unknown>)[k], b: (b as Record<string, unknown>)[k], path: path === '' ? k : `${path}.${k}`, lengths: false })
    }
    return null
  }
  if (typeof a === 'string' && typeof b === 'string' && a !== b && (a.length > 80 || path.endsWith('.f64'))) {
    let i = 0
    while (i < a.length && a[i] === b[i]) i++
    if (path.endsWith('.f64')) return `${here}: entry ${Math.floor(i / 16)} (row-major) differs`
    return `${here}: strings differ at character ${i} (${describeValue(a.slice(i, i + 16))} vs ${describeValue(b.slice(i, i + 16))})`
  }
  return a === b ? null : `${here}: ${describeValue(a)} vs ${describeValue(b)}`
}
