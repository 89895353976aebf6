/**
 * Building a run record from a finished run, and comparing two records.
 *
 * @module
 */
import { stateToJson } from '../gan/codec.js'
import { type GanConfig, type MnistSource, packOf } from '../gan/config.js'
import { assertFiniteSamples, sampleGenerator, summarizeGenerator } from '../gan/evaluate.js'
import { NonFiniteSamplesError } from '../gan/non-finite.js'
import { runMetrics } from '../gan/run-metrics.js'
import type { GanState } from '../gan/state.js'
import { discriminatorSpec, runStreams } from '../gan/state.js'
import type { EpochReport } from '../gan/train.js'
import { type Matrix, fromFlat, sliceRows, toArrays } from '../matrix/index.js'
import { predict } from '../nn/network.js'
import type { CriticGrid, CriticGridSpec, RunRecord, SampleSnapshot } from './run-record.js'
import { niceTicks } from './svg.js'
import { dataWidth } from '../gan/data.js'

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
 * Cells per side of the heat map's grid (`CriticGridSpec.size`): 32 x 32 = 1024 values of D
 * per snapshot.
 *
 * @category report
 * @since 0.3.0
 */
export const CRITIC_GRID_SIZE = 32

/**
 * The margin of the heat map's grid around the real data, as a fraction of the data's range
 * on each axis, on each side, before `criticGridSpec` widens it outwards to whole tick steps:
 * 0.03, the margin the scatter plot gives its points.
 *
 * @category report
 * @since 0.3.0
 */
export const CRITIC_GRID_MARGIN = 0.03

/**
 * The largest grid `criticGridCentres` and the record check accept: 256 x 256 cells.
 *
 * @internal
 */
export const MAX_CRITIC_GRID_SIZE = 256

/** `[lo, hi]` widened by the margin on each side, then outwards to `niceTicks`' domain; throws when that overflows. */
const widen = (what: string, lo: number, hi: number): readonly [number, number] => {
  const pad = (hi / 2 - lo / 2) * (2 * CRITIC_GRID_MARGIN)
  const [a, b] = niceTicks(lo - pad, hi + pad).domain
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(b - a)) {
    throw new RangeError(`criticGridSpec: the data's ${what} range [${lo}, ${hi}] is too wide for a grid (its widened width overflows)`)
  }
  return [a, b]
}

/**
 * The heat map's grid of a run: `undefined` unless the data has exactly 2 columns and D
 * takes one point per row (`config.pack` absent or 1). Otherwise each axis spans the real
 * data's range on that column (every row of `data`, which must be `runData(config)`) widened
 * by `CRITIC_GRID_MARGIN` (3% of the range) on each side and then outwards to whole steps
 * of `niceTicks` (the domain `niceTicks(lo − m, hi + m)` gives: a step of 1, 2 or 5 times a
 * power of ten, about a fifth of the range; a column whose values are all equal gets ±5% of
 * its value, or ±1 around 0), as the scatter plot widens its axes, so that the heat map fills
 * the plot area unless generated points stray outside the data; `size` is
 * `CRITIC_GRID_SIZE`. The grid is a function of the data alone, so it is the same at every
 * snapshot of a run.
 *
 * Throws a `RangeError` when `data` is empty, has a non-finite entry, or its widened range
 * overflows (never for a valid config's data).
 *
 * @example
 * import { criticGridSpec, runData, seedConfig } from 'pure-gan'
 * const grid = criticGridSpec(seedConfig, runData(seedConfig))
 * grid // { x: [-4, 6], y: [-5, 10], size: 32 }
 * criticGridSpec({ ...seedConfig, pack: 2 }, runData(seedConfig)) // undefined
 *
 * @category report
 * @since 0.3.0
 */
export const criticGridSpec = (config: GanConfig, data: Matrix): CriticGridSpec | undefined => {
  if (data.cols !== 2 || dataWidth(config.data) !== 2 || packOf(config) !== 1) return undefined
  if (data.rows === 0) throw new RangeError('criticGridSpec: the data has no rows')
  const lo = [Infinity, Infinity]
  const hi = [-Infinity, -Infinity]
  for (let i = 0; i < data.rows * 2; i++) {
    const v = data.data[i] as number
    const j = i % 2
    if (!Number.isFinite(v)) throw new RangeError(`criticGridSpec: the data's row ${(i - j) / 2}, column ${j} is ${v}`)
    if (v < lo[j]!) lo[j] = v
    if (v > hi[j]!) hi[j] = v
  }
  return { x: widen('first column', lo[0]!, hi[0]!), y: widen('second column', lo[1]!, hi[1]!), size: CRITIC_GRID_SIZE }
}

const isInterval = (v: unknown): v is readonly [number, number] =>
  Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && Number.isFinite(v[1]) && v[0] < v[1] && Number.isFinite(v[1] - v[0])

/**
 * The cell centres of a grid, as a `size² x 2` matrix in the order of `CriticGrid.values`:
 * row-major, the lowest y first, and within a row the lowest x first; the centre of column
 * `c` is `x[0] + ((2c + 1) · (x[1] − x[0])) / (2 · size)`, and likewise for rows and y.
 * Throws a `RangeError` for a grid whose bounds are not finite with `lo < hi` (and a finite
 * width) or whose size is not an integer in 1..`MAX_CRITIC_GRID_SIZE`.
 *
 * @example
 * import { criticGridCentres, toArrays } from 'pure-gan'
 * toArrays(criticGridCentres({ x: [0, 2], y: [0, 4], size: 2 })) // [[0.5, 1], [1.5, 1], [0.5, 3], [1.5, 3]]
 *
 * @category report
 * @since 0.3.0
 */
export const criticGridCentres = (grid: CriticGridSpec): Matrix => {
  const { x, y, size } = grid
  if (!isInterval(x) || !isInterval(y)) throw new RangeError(`criticGridCentres: x and y must be [lo, hi] of finite numbers with lo < hi, got ${JSON.stringify([x, y])}`)
  if (!Number.isInteger(size) || size < 1 || size > MAX_CRITIC_GRID_SIZE) {
    throw new RangeError(`criticGridCentres: size must be an integer in 1..${MAX_CRITIC_GRID_SIZE}, got ${String(size)}`)
  }
  const xs = Array.from({ length: size }, (_, c) => x[0] + ((2 * c + 1) * (x[1] - x[0])) / (2 * size))
  const ys = Array.from({ length: size }, (_, r) => y[0] + ((2 * r + 1) * (y[1] - y[0])) / (2 * size))
  const flat = new Array<number>(2 * size * size)
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      flat[2 * (r * size + c)] = xs[c]!
      flat[2 * (r * size + c) + 1] = ys[r]!
    }
  }
  return fromFlat(size * size, 2, flat)
}

/**
 * D's raw output (the logit, or the critic's value) at the cell centres of `grid`
 * (`criticGridCentres`), computed with `predict` on `state`'s discriminator: a pure function
 * of the state and the grid. Throws a `RangeError` unless the state's data has 2 columns
 * and no packing (D's input row is then one point), or for a malformed grid; a
 * `NonFiniteSamplesError` (network `'discriminator'`) naming the first cell whose value is
 * NaN or infinite.
 *
 * @example
 * import { criticGrid, criticGridSpec, initialState, runData, seedConfig } from 'pure-gan'
 * const grid = criticGridSpec(seedConfig, runData(seedConfig))!
 * criticGrid(initialState(seedConfig), grid).values.length // 1024
 *
 * @category report
 * @since 0.3.0
 */
export const criticGrid = (state: GanState, grid: CriticGridSpec): CriticGrid => {
  const config = state.config
  if (dataWidth(config.data) !== 2 || packOf(config) !== 1) {
    throw new RangeError(
      `criticGrid: D's input must be one 2-D point, but the data has ${dataWidth(config.data)} columns and the pack size is ${packOf(config)}`,
    )
  }
  const centres = criticGridCentres(grid)
  const values = Array.from(predict(discriminatorSpec(config), state.discriminator, centres).data)
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      const r = Math.floor(i / grid.size)
      const c = i - r * grid.size
      const where = `D's output at the heat map's cell (column ${c}, row ${r}), the point (${centres.data[2 * i]}, ${centres.data[2 * i + 1]}), is ${v}`
      throw new NonFiniteSamplesError(where, state, 'discriminator')
    }
  })
  return { x: [grid.x[0], grid.x[1]], y: [grid.y[0], grid.y[1]], size: grid.size, values }
}

/**
 * The snapshot of `state`: `SNAPSHOT_POINTS` generated points from the first noise draws of
 * the run's evaluation stream, so every snapshot of a run uses the same noise, and, when
 * `grid` is given (`criticGridSpec` of the run, as `pure-gan train` passes it), D's output
 * on that grid as `critic` (`criticGrid`). Without `grid` the snapshot has no `critic`, as
 * before version 0.3. Throws a `NonFiniteSamplesError` when a point or a grid value is NaN
 * or infinite.
 *
 * @example
 * import { criticGridSpec, initialState, runData, seedConfig, snapshotOf } from 'pure-gan'
 * const s0 = initialState(seedConfig)
 * snapshotOf(s0).critic // undefined
 * snapshotOf(s0, criticGridSpec(seedConfig, runData(seedConfig))).critic?.size // 32
 *
 * @category report
 * @since 0.1.0
 */
export const snapshotOf = (state: GanState, grid?: CriticGridSpec): SampleSnapshot => {
  const [points] = sampleGenerator(state, runStreams(state.config.seed).evaluation, SNAPSHOT_POINTS)
  assertFiniteSamples(points, state)
  const snapshot = { epoch: state.epoch, points: toArrays(points) }
  return grid === undefined ? snapshot : { ...snapshot, critic: criticGrid(state, grid) }
}

/**
 * The run record of a finished run (a pure function of its arguments). A run on MNIST
 * (`source`: its images) keeps 100 real digits and has no `summary`: the Gaussian of 784
 * pixels costs minutes (a 784 x 784 covariance and its eigen-decomposition) and says little
 * about digits; its `metrics` compare with held-out digits.
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
  source?: MnistSource,
): RunRecord => {
  const images = finalState.config.data.kind === 'mnist'
  return {
    format: 'pure-gan/run',
    version: 1,
    packageVersion,
    config: finalState.config,
    history,
    realSample: toArrays(sliceRows(data, 0, Math.min(images ? REAL_IMAGES : REAL_POINTS, data.rows))),
    snapshots,
    ...(images ? {} : { summary: summarizeGenerator(finalState) }),
    metrics: runMetrics(finalState, source),
    finalState: stateToJson(finalState),
  }
}

/**
 * The real rows a record of image data keeps (`realSample`): 100 digits, a 10 x 10 grid, as
 * many as a snapshot's generated ones; 1000 rows of 784 pixels would make run.json 15 MB
 * larger for a picture.
 */
export const REAL_IMAGES = 100

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
