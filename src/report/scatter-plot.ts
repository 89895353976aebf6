/**
 * The seed's scatter plot: real data against generated points, as a standalone SVG, and
 * one such frame per snapshot of a run, all on the same axes.
 *
 * @module
 */
import type { RunRecord } from './run-record.js'
import {
  type Interval,
  type LegendEntry,
  attributes,
  axesSvg,
  escapeXml,
  fitTicks,
  legendSvg,
  linearScale,
  niceTicks,
  svgDocument,
  textWidth,
  truncateText,
  widest,
} from './svg.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * Options of `samplesPlotSvg`.
 *
 * - `title`: a caption drawn at the top left (e.g. `"epoch 20"`), cut with "…" if too long
 *   (the SVG's `<title>` keeps it whole).
 * - `xRange`, `yRange`: data ranges the axes must cover in any case (the points' own range is
 *   always covered too); give every frame of an animation the same ones to make them
 *   comparable.
 *
 * @category model
 * @since 0.1.0
 */
export interface SamplesPlotOptions {
  readonly title?: string
  readonly xRange?: Interval
  readonly yRange?: Interval
}

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The colours of the two samples: blue for the real data, orange for the generated points
 * (as the generator's curve in the loss plot).
 *
 * @category constants
 * @since 0.1.0
 */
export const SAMPLE_COLOURS = { real: '#1f5fa8', generated: '#e8710a' } as const

/** Width and height of a scatter plot, in pixels. */
const WIDTH = 440
const HEIGHT = 400

// -------------------------------------------------------------------------------------
// plots
// -------------------------------------------------------------------------------------

/** The (x, y) of each row: its first two columns (y = 0 for one-column rows). */
const xyOf = (what: string, rows: ReadonlyArray<ReadonlyArray<number>>): ReadonlyArray<readonly [number, number]> =>
  rows.map((row, i) => {
    if (!Array.isArray(row) || row.length === 0) throw new RangeError(`${what}: row ${i} must have at least one column`)
    const x = row[0]
    const y = row.length >= 2 ? row[1] : 0
    if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) {
      throw new RangeError(`${what}: row ${i} must hold finite numbers, got [${row.slice(0, 2).map(String).join(', ')}]`)
    }
    return [x, y] as const
  })

/** The smallest interval holding `values` and `extra`; `undefined` when both are empty. */
const span = (values: ReadonlyArray<number>, extra: Interval | undefined): Interval | undefined => {
  let lo = extra?.[0] ?? Infinity
  let hi = extra?.[1] ?? -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return lo <= hi ? [lo, hi] : undefined
}

/** `range` widened by 3% on each side (so no point sits on an axis), without overflowing. */
const padded = (range: Interval | undefined): Interval => {
  if (range === undefined) return [-1, 1]
  const [lo, hi] = range
  const pad = (hi / 2 - lo / 2) * 0.06
  return [Math.max(-Number.MAX_VALUE, lo - pad), Math.min(Number.MAX_VALUE, hi + pad)]
}

/**
 * The ranges of the first two columns over several samples: what `snapshotPlotsSvg` gives
 * every frame. `undefined` for a column with no points.
 *
 * @category plots
 * @since 0.1.0
 */
export const sampleRanges = (
  samples: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>,
): { readonly x: Interval | undefined; readonly y: Interval | undefined } => {
  const points = samples.flatMap((s, i) => xyOf(`sampleRanges: sample ${i}`, s))
  return { x: span(points.map((p) => p[0]), undefined), y: span(points.map((p) => p[1]), undefined) }
}

/**
 * Real data against generated points as a standalone SVG (440 x 400), as the seed's scatter:
 * the first two columns of each row (a one-column sample is drawn at y = 0), real points as
 * small translucent blue circles, generated points as orange circles on top, axes with
 * ticks, a legend with the seed's labels "real" and "generated", and an optional title.
 *
 * For readers of the SVG: the points are `<circle>`s inside `<g data-series="real">` and
 * `<g data-series="generated">`, in the order given; the data area is a
 * `<rect class="plot-area">` with exact `data-x-domain` / `data-y-domain`.
 *
 * Throws a `RangeError` for a row with no columns or a non-finite value in its first two
 * columns.
 *
 * @example
 * import { samplesPlotSvg } from 'pure-gan'
 * const svg = samplesPlotSvg([[1, 2], [0, 1]], [[0.5, 1.5]], { title: 'epoch 1' })
 *
 * @category plots
 * @since 0.1.0
 */
export const samplesPlotSvg = (
  real: ReadonlyArray<ReadonlyArray<number>>,
  generated: ReadonlyArray<ReadonlyArray<number>>,
  options: SamplesPlotOptions = {},
): string => {
  const realXy = xyOf('samplesPlotSvg: real', real)
  const generatedXy = xyOf('samplesPlotSvg: generated', generated)
  const all = [...realXy, ...generatedXy]
  const oneDimensional = all.length > 0 && [...real, ...generated].every((row) => row.length === 1)
  const yTicks = niceTicks(...padded(span(all.map((p) => p[1]), options.yRange)))
  const left = Math.round(Math.max(58, widest(yTicks.labels) + 38))
  const xTicks = fitTicks(...padded(span(all.map((p) => p[0]), options.xRange)), WIDTH - left - 16)
  const right = Math.round(Math.max(16, widest(xTicks.labels) / 2 + 6)) // half of the last x label
  const legend: LegendEntry[] = [
    { label: 'real', colour: SAMPLE_COLOURS.real, kind: 'dot' },
    { label: 'generated', colour: SAMPLE_COLOURS.generated, kind: 'dot' },
  ]
  const legendWidth = legend.reduce((s, e) => s + 28 + textWidth(e.label), 0) + 16
  const fullTitle = options.title ?? ''
  // Title and legend share the first row when they fit; otherwise the legend gets a row of its own.
  const twoRows = fullTitle !== '' && left + textWidth(fullTitle, 14) + 24 + legendWidth > WIDTH - right
  const title = truncateText(fullTitle, WIDTH - left - 8, 14)
  const top = twoRows ? 58 : 40
  const area = { left, top, width: WIDTH - left - right, height: HEIGHT - top - 52 }
  const sx = linearScale(xTicks.domain, [area.left, area.left + area.width])
  const sy = linearScale(yTicks.domain, [area.top + area.height, area.top])

  const dots = (name: 'real' | 'generated', points: ReadonlyArray<readonly [number, number]>, r: number, style: string): string =>
    [
      `<g class="series"${attributes({ 'data-series': name, fill: SAMPLE_COLOURS[name] })} ${style}>`,
      ...points.map(([x, y]) => `<circle${attributes({ cx: sx(x), cy: sy(y), r })}/>`),
      '</g>',
    ].join('\n')

  const caption = title === '' ? [] : [`<text class="title"${attributes({ x: left, y: 22 })} font-size="14" font-weight="600" fill="#222222">${escapeXml(title)}</text>`]
  return svgDocument(WIDTH, HEIGHT, fullTitle === '' ? 'Real data and generated points' : `Real data and generated points, ${fullTitle}`, [
    axesSvg(area, xTicks, yTicks, { x: 'dimension 1', y: oneDimensional ? 'none (one-dimensional data)' : 'dimension 2' }),
    ...caption,
    dots('real', realXy, 2.2, 'fill-opacity="0.35"'),
    dots('generated', generatedXy, 3, 'fill-opacity="0.9" stroke="#ffffff" stroke-width="0.6"'),
    legendSvg(legend, area.left + area.width, twoRows ? 44 : 22),
  ])
}

/**
 * One scatter per snapshot of a run, in the record's order, each titled "epoch N" and all on
 * the same axes (covering the real sample and every snapshot), so the frames can be compared
 * or played as an animation.
 *
 * @example
 * import { readFileSync } from 'node:fs'
 * import { type RunRecord, snapshotPlotsSvg } from 'pure-gan'
 * const record = JSON.parse(readFileSync('run.json', 'utf8')) as RunRecord
 *
 * // the snapshot epochs, here of the seed's run (20 epochs)
 * snapshotPlotsSvg(record).map((f) => f.epoch) // [1, 4, 8, 12, 16, 20]
 *
 * @category plots
 * @since 0.1.0
 */
export const snapshotPlotsSvg = (record: RunRecord): ReadonlyArray<{ readonly epoch: number; readonly svg: string }> => {
  const ranges = sampleRanges([record.realSample, ...record.snapshots.map((s) => s.points)])
  const options = { ...(ranges.x === undefined ? {} : { xRange: ranges.x }), ...(ranges.y === undefined ? {} : { yRange: ranges.y }) }
  return record.snapshots.map((s) => ({
    epoch: s.epoch,
    svg: samplesPlotSvg(record.realSample, s.points, { ...options, title: `epoch ${s.epoch}` }),
  }))
}
