/**
 * An upper bound, from the config alone, on the bytes a run writes to its folder: checked
 * against the disk's free space before training, so that a run that cannot fit is refused
 * at once instead of after all its work.
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'
import { parameterCount } from '../gan/limits.js'
import { dataFieldNumbers, dataSize, dataWidth } from '../gan/data.js'

// Bytes per item, each an upper bound on what the writers print (float64s in shortest form
// take at most 24 characters; JSON indentation and SVG markup around them are counted).
const PER_EPOCH = {
  /** run.json's history entry (indented JSON, 4 numbers). */
  history: 200,
  /** timing.json's per-epoch seconds. */
  timing: 40,
  /** the loss plot: two circles with data attributes and two polyline points (in losses.svg, and again in report.html). */
  plot: 500,
}
/** One float64 in a JSON array or an SVG attribute, with its separators. */
const PER_NUMBER = 32
/** One heat-map cell: a `<rect>` with four coordinates and a colour. */
const PER_CELL = 120
/** Fixed text around each file (headers, axes, styles, the config's rows). */
const FIXED_PER_FILE = 64 * 1024

/**
 * An upper bound on the bytes `pure-gan train` writes for `config`: run.json, timing.json,
 * losses.svg, samples.svg and report.html together (last-finite-state.json, written instead
 * of them on a non-finite stop, is part of run.json and so smaller).
 */
export const estimateRunBytes = (config: GanConfig): number => {
  const width = dataWidth(config.data)
  // both networks' parameters (a maxout layer's W is units·pieces wide; D's input pack·width)
  const params = parameterCount(config).total
  const layers = config.generator.layers.length + config.discriminator.layers.length
  const configBytes = dataFieldNumbers(config.data) * PER_NUMBER + layers * 200 + 2048
  // The state: each parameter three times (weight, Adam's m and v) as 16 hex digits.
  const state = params * 3 * 16 + layers * 6 * 200 + configBytes
  const realRows = Math.min(1000, dataSize(config.data))
  const point = width * PER_NUMBER + 16
  const snapshots = 6 * 100 * point
  // The heat map's grid (2-column data, no packing): 32 x 32 values of D per snapshot in run.json,
  // and as many SVG cells (plus a 48-step colour bar) in each frame drawn.
  const heatMap = width === 2 && (config.pack ?? 1) === 1
  const gridJson = heatMap ? 6 * (1024 * PER_NUMBER + 256) : 0
  const gridSvg = heatMap ? (1024 + 48) * PER_CELL : 0
  const summary = (width * width * 2 + width * 4) * PER_NUMBER
  const runJson = config.epochs * PER_EPOCH.history + realRows * point + snapshots + gridJson + summary + configBytes + state + FIXED_PER_FILE
  const timing = config.epochs * PER_EPOCH.timing + FIXED_PER_FILE
  const losses = config.epochs * PER_EPOCH.plot + FIXED_PER_FILE
  // A scatter frame: every real point and 100 generated ones, as SVG circles, over the heat map.
  const frame = (realRows + 100) * 160 + gridSvg + FIXED_PER_FILE
  const report = losses + 7 * frame + configBytes + summary + FIXED_PER_FILE
  return runJson + timing + losses + frame + report
}
