/**
 * The resource limits of a run: what `validateConfig` refuses so that every config it
 * accepts trains, evaluates and writes its run record end to end on a 24 GiB machine,
 * within V8's maximum string length (2^29 − 24 characters on Node 20). Every limit, its
 * number and its reason are in docs/limits.md.
 *
 * @module
 */
import { columnsOf, paramCount, weightRowsOf } from '../kernels/network.js'
import type { LayerSpec } from '../nn/network.js'
import { batchNormLayers } from '../nn/batchnorm.js'
import type { DataSpec, GanConfig } from './config.js'
import { dataMagnitudeBound, dataModes, dataSize, dataWidth } from './data.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The limits `validateConfig` applies on top of each field's own range (docs/limits.md):
 *
 * - `maxDataWidth` (1024): the data's width `d` (data.b's length). The evaluation computes a
 *   `d x d` covariance and eigen-decompositions in O(d³).
 * - `maxDataRank` (1024): rows of data.A (the data's latent width `k`).
 * - `maxLayers` (1000): layers per network.
 * - `maxParameters` (2^23): weights and biases of both networks together.
 * - `maxDataEntries` (2^27): `data.size · max(d, k)`, the data matrix and the normal draws
 *   that make it (1 GiB of float64 each).
 * - `maxEpochNoise` (2^27): `data.size · latentDim`, the noise one epoch draws at once.
 * - `maxStepActivations` (2^25): `batchSize · (latentDim + d + Σ widths of G + Σ widths of D)`,
 *   a layer's width its units (a maxout layer's `units·(pieces + 1)`: its pieces and its max);
 *   one step's workspace holds at most 8 times this plus the parameters, and with a gradient
 *   penalty or dropout at most 24 times this plus twice the parameters (docs/limits.md).
 * - `maxEvaluationActivations` (2^27): `10 000 · (latentDim + Σ widths of G)`, the noise and
 *   G's activations of the 10 000-sample summary.
 * - `maxDataMagnitude` (1e100): every column's bound `8.3 · Σ_k |A_kj| + |b_j|` on `|x·A + b|`.
 * - `maxInitialWeight` (1e100): `8.3 · init.weightStd`, the bound on every initial weight
 *   (and bias, with `biasInit: 'normal'`), so that the initial state is finite.
 * - `maxRunRecordBytes` (2^28, 256 MiB): `runRecordSizeBound(config)`.
 *
 * @example
 * import { RUN_LIMITS } from 'pure-gan'
 * RUN_LIMITS.maxRunRecordBytes // 268435456
 *
 * @category validation
 * @since 0.2.0
 */
export const RUN_LIMITS = Object.freeze({
  maxDataWidth: 1024,
  maxDataRank: 1024,
  maxLayers: 1000,
  maxParameters: 2 ** 23,
  maxDataEntries: 2 ** 27,
  maxEpochNoise: 2 ** 27,
  maxStepActivations: 2 ** 25,
  maxEvaluationActivations: 2 ** 27,
  maxDataMagnitude: 1e100,
  maxInitialWeight: 1e100,
  maxRunRecordBytes: 2 ** 28,
})

/**
 * The largest |z| of a standard normal draw of the library's sampler, rounded up:
 * `normalFromUint53`'s draws lie in [-8.2924, 8.2924] (src/random/normal.ts).
 *
 * @category validation
 * @since 0.2.0
 */
export const NORMAL_DRAW_BOUND = 8.3

/** Samples of the generator summary (`summarizeGenerator`'s default) and of a run record. */
const SUMMARY_SAMPLES = 10_000
const REAL_POINTS = 1000
const SNAPSHOT_POINTS = 100
const MAX_SNAPSHOTS = 6
/** Cells per side of a snapshot's heat-map grid (`CRITIC_GRID_SIZE`, src/report/make-record.ts). */
const CRITIC_GRID_SIZE = 32

// -------------------------------------------------------------------------------------
// sizes
// -------------------------------------------------------------------------------------

const sum = (xs: ReadonlyArray<number>): number => xs.reduce((a, b) => a + b, 0)

/**
 * A layer's activations per row of a step: its units; a maxout layer's pieces and max,
 * `units·(pieces + 1)`; a batch normalisation layer's normalised values and output, `2·units`.
 */
const widthOf = (l: LayerSpec): number => (l.kind === 'maxout' ? l.units * (l.pieces + 1) : l.kind === 'batchnorm' ? 2 * l.units : l.units)

const widthsOf = (layers: ReadonlyArray<LayerSpec>): ReadonlyArray<number> => layers.map(widthOf)

/**
 * Parameters (weights and biases) of a network of input width `input`: Σ (in·c + c), `c` a
 * layer's columns (`out`, or `out·pieces` for maxout); `2·out` (γ and β) for batch
 * normalisation. The kernels' own count.
 */
const networkParameters = (input: number, layers: ReadonlyArray<LayerSpec>): number => paramCount(layers, input)

/**
 * The parameters of both networks: `Σ_layers (in·c + c)` for G (input `latentDim`) and
 * D (input the data's width, times the pack size), where `c` is a layer's units, or
 * `units·pieces` for a maxout layer; a batch normalisation layer has `2·units` (γ and β).
 *
 * @example
 * import { parameterCount, seedConfig } from 'pure-gan'
 * parameterCount(seedConfig) // { generator: 6, discriminator: 37, total: 43 }
 *
 * @category validation
 * @since 0.2.0
 */
export const parameterCount = (config: GanConfig): { readonly generator: number; readonly discriminator: number; readonly total: number } => {
  const generator = networkParameters(config.latentDim, config.generator.layers)
  const discriminator = networkParameters((config.pack ?? 1) * dataWidth(config.data), config.discriminator.layers)
  return { generator, discriminator, total: generator + discriminator }
}

/**
 * The activations of one training step, the quantity `maxStepActivations` bounds:
 * `batchSize · (latentDim + d + Σ widths of G + Σ widths of D)`, where a layer's width is its
 * units, a maxout layer's `units·(pieces + 1)` (its pieces and their max) and a batch
 * normalisation layer's `2·units` (its normalised values and its output). One update's
 * workspace (`updatePlans`) holds at most `8 ·` this `+` the parameters of the network it
 * updates; with a gradient penalty (its double backward pass over the batch, and a block of
 * D's largest layer) or dropout (each dropping layer's mask and masked input over the stacked
 * batch), at most `24 ·` this `+ 2 ·` the parameters.
 *
 * @example
 * import { seedConfig, stepActivations } from 'pure-gan'
 *
 * // 8 · (2 + 2 + 2 + 9)
 * stepActivations(seedConfig) // 120
 *
 * @category validation
 * @since 0.2.0
 */
export const stepActivations = (config: GanConfig): number =>
  config.batchSize * (config.latentDim + dataWidth(config.data) + sum(widthsOf(config.generator.layers)) + sum(widthsOf(config.discriminator.layers)))

// -------------------------------------------------------------------------------------
// the run record's size
// -------------------------------------------------------------------------------------

/** The most characters `JSON.stringify` writes for one number (e.g. `-1.2345678901234567e-308`). */
const NUMBER_CHARS = 24
/** The most characters assumed for the package version string, quotes included. */
const PACKAGE_VERSION_CHARS = 258

/*
 * The cost model of `JSON.stringify(x, null, 1)`: a value at depth t (the record is at 0)
 * takes one line of t spaces, `"key": ` inside a record, the value's text, a comma and a
 * newline (counted on every line: an upper bound). A non-empty container writes its opening
 * bracket on that line, its entries one depth deeper, and a closing line of t spaces, a
 * bracket, a comma and a newline.
 */
const line = (depth: number, key: string | undefined, width: number): number => depth + (key === undefined ? 0 : key.length + 4) + width + 2
const closing = (depth: number): number => depth + 3
const container = (depth: number, key: string | undefined, inner: number): number => line(depth, key, 1) + inner + closing(depth)
const numbers = (depth: number, key: string | undefined, n: number): number =>
  n === 0 ? line(depth, key, 2) : container(depth, key, n * line(depth + 1, undefined, NUMBER_CHARS))
const rowsOfNumbers = (depth: number, key: string | undefined, rows: number, cols: number): number =>
  rows === 0 ? line(depth, key, 2) : container(depth, key, rows * numbers(depth + 1, undefined, cols))

/** The bound of any plain JSON value (a validated config): numbers at NUMBER_CHARS each. */
const valueBound = (v: unknown, depth: number, key: string | undefined): number => {
  if (typeof v === 'number') return line(depth, key, NUMBER_CHARS)
  if (typeof v === 'string') return line(depth, key, JSON.stringify(v).length)
  if (typeof v === 'boolean' || v === null) return line(depth, key, 5)
  if (Array.isArray(v)) {
    if (v.length === 0) return line(depth, key, 2)
    // Rows of numbers (data.A) in one step rather than entry by entry.
    let inner = 0
    for (const x of v) inner += Array.isArray(x) && x.every((y) => typeof y === 'number') ? numbers(depth + 1, undefined, x.length) : valueBound(x, depth + 1, undefined)
    return container(depth, key, inner)
  }
  if (v !== null && typeof v === 'object') {
    const ks = Object.keys(v)
    if (ks.length === 0) return line(depth, key, 2)
    let inner = 0
    for (const k of ks) {
      const x = (v as Record<string, unknown>)[k]
      inner += typeof x === 'number' ? line(depth + 1, k, NUMBER_CHARS) : valueBound(x, depth + 1, k)
    }
    return container(depth, key, inner)
  }
  return 0
}

/** A stored matrix `{ rows, cols, f64 }` at `depth` under `key`. */
const matrixBound = (depth: number, key: string | undefined, rows: number, cols: number): number =>
  container(depth, key, line(depth + 1, 'rows', NUMBER_CHARS) + line(depth + 1, 'cols', NUMBER_CHARS) + line(depth + 1, 'f64', 16 * rows * cols + 2))

/** A stored network (an array of `{ W, b }`, `W` `(in x c)` with `c` the layer's columns) of input width `input`. */
const networkBound = (depth: number, key: string, input: number, layers: ReadonlyArray<LayerSpec>): number => {
  let inner = 0
  let inWidth = input
  for (const l of layers) {
    const c = columnsOf(l)
    inner += container(depth + 1, undefined, matrixBound(depth + 2, 'W', weightRowsOf(l, inWidth), c) + matrixBound(depth + 2, 'b', 1, c))
    inWidth = l.units
  }
  return layers.length === 0 ? line(depth, key, 2) : container(depth, key, inner)
}

/** G's stored running statistics (`generatorStats`, version 2): a `{ mean, variance }` of `(1 x units)` per batch normalisation layer; nothing without one. */
const statsBound = (depth: number, layers: ReadonlyArray<LayerSpec>): number => {
  const norms = batchNormLayers(layers)
  if (norms.length === 0) return 0
  const inner = norms.reduce((n, l) => n + container(depth + 1, undefined, matrixBound(depth + 2, 'mean', 1, l.units) + matrixBound(depth + 2, 'variance', 1, l.units)), 0)
  return container(depth, 'generatorStats', inner)
}

/**
 * run.json's `metrics` (`runMetrics`): at most 4 records of at most 8 numbers (or `null`)
 * under keys of at most 24 characters, and the mode coverage's count per mode.
 */
const metricsBound = (config: GanConfig): number => {
  const key = 'k'.repeat(24)
  const record = container(2, key, 8 * line(3, key, NUMBER_CHARS))
  return container(1, 'metrics', 4 * record + numbers(2, 'counts', dataModes(config.data)?.modes.rows ?? 0))
}

/** A stored GanState (`stateToJson`) at `depth` under `key`. */
const stateBound = (config: GanConfig, depth: number, key: string): number => {
  const t = depth + 1
  const g = (k: string, d: number): number => networkBound(d, k, config.latentDim, config.generator.layers)
  const dn = (k: string, d: number): number => networkBound(d, k, (config.pack ?? 1) * dataWidth(config.data), config.discriminator.layers)
  const adam = (k: string, net: (k: string, d: number) => number): number =>
    container(t, k, line(t + 1, 'count', NUMBER_CHARS) + net('m', t + 1) + net('v', t + 1))
  return container(
    depth,
    key,
    line(t, 'format', JSON.stringify('pure-gan/gan-state').length) +
      line(t, 'version', NUMBER_CHARS) +
      valueBound(config, t, 'config') +
      line(t, 'step', NUMBER_CHARS) +
      line(t, 'epoch', NUMBER_CHARS) +
      container(t, 'rng', line(t + 1, 'algorithm', JSON.stringify('xoroshiro128plus').length) + numbers(t + 1, 'state', 4)) +
      g('generator', t) +
      dn('discriminator', t) +
      adam('optimizerG', g) +
      adam('optimizerD', dn) +
      statsBound(t, config.generator.layers),
  )
}

/**
 * An upper bound, in bytes, of the run record of a valid config as `pure-gan train` writes
 * it to run.json: `JSON.stringify(record, null, 1)` and a newline (src/report/make-record.ts,
 * src/report/run-record.ts). It adds, each at its depth with its indentation, keys and
 * punctuation, and every number counted at 24 characters (the longest a float64 prints as):
 *
 * - the config (each of its values) and the final state's copy of it;
 * - `history`: `epochs` entries `{ epoch, lossD, lossG, examples }`;
 * - `realSample`: `min(1000, data.size)` rows of `d` numbers; `snapshots`: at most
 *   `min(6, epochs)` (one per distinct epoch of `snapshotEpochs`) of 100 rows of `d` numbers,
 *   and, for 2-column data without packing, each with its heat-map grid (`critic`: two
 *   bounds of 2 numbers, the size, and 32 x 32 = 1024 values);
 * - `summary`: two means of `d` and two `d x d` covariances;
 * - `finalState`: every parameter and both Adam moments as 16 hex digits each
 *   (`48 ·` the parameter count, docs/state-format.md), with each matrix's rows and cols, and
 *   G's running statistics (`2·units` per batch normalisation layer);
 * - 256 characters for the package version.
 *
 * Every text it bounds is ASCII, so characters and bytes agree. `validateConfig` refuses a
 * config whose bound exceeds `RUN_LIMITS.maxRunRecordBytes` (256 MiB); the command line uses
 * it to check free space before a run and caps what `verify` reads at that limit. The config
 * must be valid (`validateConfig`'s `Right`).
 *
 * @example
 * import { runRecordSizeBound, seedConfig } from 'pure-gan'
 *
 * // bytes, for 20 epochs and 1000 real points
 * runRecordSizeBound(seedConfig) // 320650
 *
 * @category validation
 * @since 0.2.0
 */
export const runRecordSizeBound = (config: GanConfig): number => {
  const d = dataWidth(config.data)
  const historyEntry = container(
    2,
    undefined,
    line(3, 'epoch', NUMBER_CHARS) + line(3, 'lossD', NUMBER_CHARS) + line(3, 'lossG', NUMBER_CHARS) + line(3, 'examples', NUMBER_CHARS),
  )
  // D's output on the heat map's grid, for 2-column data without packing: bounds, size, size² values.
  const critic =
    d === 2 && (config.pack ?? 1) === 1
      ? container(3, 'critic', numbers(4, 'x', 2) + numbers(4, 'y', 2) + line(4, 'size', NUMBER_CHARS) + numbers(4, 'values', CRITIC_GRID_SIZE * CRITIC_GRID_SIZE))
      : 0
  const snapshot = container(2, undefined, line(3, 'epoch', NUMBER_CHARS) + rowsOfNumbers(3, 'points', SNAPSHOT_POINTS, d) + critic)
  const summary = container(
    1,
    'summary',
    line(2, 'samples', NUMBER_CHARS) +
      numbers(2, 'mean', d) +
      rowsOfNumbers(2, 'covariance', d, d) +
      numbers(2, 'trueMean', d) +
      rowsOfNumbers(2, 'trueCovariance', d, d) +
      line(2, 'frechetDistance', NUMBER_CHARS),
  )
  const inner =
    line(1, 'format', JSON.stringify('pure-gan/run').length) +
    line(1, 'version', NUMBER_CHARS) +
    line(1, 'packageVersion', PACKAGE_VERSION_CHARS) +
    valueBound(config, 1, 'config') +
    (config.epochs === 0 ? line(1, 'history', 2) : container(1, 'history', config.epochs * historyEntry)) +
    rowsOfNumbers(1, 'realSample', Math.min(REAL_POINTS, dataSize(config.data)), d) +
    container(1, 'snapshots', Math.min(MAX_SNAPSHOTS, config.epochs) * snapshot) +
    summary +
    metricsBound(config) +
    stateBound(config, 1, 'finalState')
  // the record's braces and the newline after it
  return container(0, undefined, inner) + 1
}

// -------------------------------------------------------------------------------------
// checks
// -------------------------------------------------------------------------------------

const MiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`

/**
 * Every resource limit a config breaks (`RUN_LIMITS`), one message each naming what is too
 * large, its numbers and the limit. For a config whose every field is already valid.
 *
 * @internal
 */
export const resourceProblems = (config: GanConfig): ReadonlyArray<string> => {
  const L = RUN_LIMITS
  const out: string[] = []
  const d = dataWidth(config.data)
  const k = config.data.kind === 'affine-gaussian' ? config.data.A.length : d
  const n = dataSize(config.data)
  const gLayers = config.generator.layers
  const dLayers = config.discriminator.layers
  if (d > L.maxDataWidth) {
    out.push(`data: the data's width (data.b has ${d} entries) is more than the limit of ${L.maxDataWidth}: the summary computes a ${d}x${d} covariance and its eigen-decomposition, O(width³)`)
  }
  if (config.data.kind === 'affine-gaussian' && k > L.maxDataRank) out.push(`data.A has ${k} rows, more than the limit of ${L.maxDataRank}`)
  for (const [name, layers] of [['generator', gLayers], ['discriminator', dLayers]] as const) {
    if (layers.length > L.maxLayers) out.push(`${name}.layers has ${layers.length} layers, more than the limit of ${L.maxLayers}`)
  }
  const p = parameterCount(config)
  if (p.total > L.maxParameters) {
    out.push(`the networks have ${p.total} parameters (generator ${p.generator}, discriminator ${p.discriminator}), more than the limit of ${L.maxParameters}`)
  }
  const dataEntries = n * Math.max(d, k)
  if (dataEntries > L.maxDataEntries) {
    out.push(`data: data.size × max(width, rows of data.A) = ${n} × ${Math.max(d, k)} = ${dataEntries} entries, more than the limit of ${L.maxDataEntries}`)
  }
  const noise = n * config.latentDim
  if (noise > L.maxEpochNoise) {
    out.push(`the noise of one epoch, data.size × latentDim = ${n} × ${config.latentDim} = ${noise} normal draws, is more than the limit of ${L.maxEpochNoise}`)
  }
  const step = stepActivations(config)
  if (step > L.maxStepActivations) {
    out.push(
      `one step's activations, batchSize × (latentDim + data width + all layer widths) = ${config.batchSize} × ${step / config.batchSize} = ${step}, are more than the limit of ${L.maxStepActivations}`,
    )
  }
  const evaluation = SUMMARY_SAMPLES * (config.latentDim + sum(widthsOf(gLayers)))
  if (evaluation > L.maxEvaluationActivations) {
    out.push(
      `the summary's activations, ${SUMMARY_SAMPLES} samples × (latentDim + generator layer widths) = ${SUMMARY_SAMPLES} × ${evaluation / SUMMARY_SAMPLES} = ${evaluation}, are more than the limit of ${L.maxEvaluationActivations}`,
    )
  }
  out.push(...dataMagnitudeProblems(config.data, L.maxDataMagnitude))
  for (const key of ['weightStd', 'discriminatorWeightStd'] as const) {
    const std = config.init[key]
    const initial = std === undefined ? 0 : NORMAL_DRAW_BOUND * std
    if (!(initial <= L.maxInitialWeight)) {
      out.push(`init.${key}: the initial weights, ${key} · z for normal draws z within ±${NORMAL_DRAW_BOUND}, can reach ${initial}, more than the limit of ${L.maxInitialWeight}`)
    }
  }
  // The record's bound walks the config: only for configs within the size limits above.
  if (out.length === 0) {
    const bytes = runRecordSizeBound(config)
    if (bytes > L.maxRunRecordBytes) {
      out.push(`the run record (run.json) could reach ${bytes} bytes (${MiB(bytes)}), more than the limit of ${L.maxRunRecordBytes} (${MiB(L.maxRunRecordBytes)})`)
    }
  }
  return out
}

/** The data's bound on its entries against the limit: one message, or none. */
const dataMagnitudeProblems = (data: DataSpec, limit: number): ReadonlyArray<string> => {
  if (data.kind !== 'affine-gaussian') {
    const bound = dataMagnitudeBound(data, NORMAL_DRAW_BOUND)
    return bound <= limit ? [] : [`data: its entries can reach ${bound} (for normal draws within ±${NORMAL_DRAW_BOUND}), more than the limit of ${limit}`]
  }
  for (let j = 0; j < data.b.length; j++) {
    let s = 0
    for (const row of data.A) s += Math.abs(row[j] as number)
    const bound = NORMAL_DRAW_BOUND * s + Math.abs(data.b[j] as number)
    if (!(bound <= limit)) {
      return [
        `data.A and data.b: column ${j} of the data x·A + b can reach ${bound} (${NORMAL_DRAW_BOUND} · Σ_k |data.A[k][${j}]| + |data.b[${j}]|, for normal draws within ±${NORMAL_DRAW_BOUND}), more than the limit of ${limit}`,
      ]
    }
  }
  return []
}
