/**
 * The seed's scatter plot: real data against generated points, as a standalone SVG, and
 * one such frame per snapshot of a run, all on the same axes.
 *
 * @module
 */
import type { CriticGrid, RunRecord } from './run-record.js'
import {
  type Interval,
  type LegendEntry,
  assertFinite,
  attributes,
  axesSvg,
  escapeXml,
  fitTicks,
  formatNumber,
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
 * - `critic`: D's output on a grid (a snapshot's `critic`), drawn as a heat map under the
 *   points, with a colour bar; the axes then cover the grid's bounds too.
 *
 * @category model
 * @since 0.1.0
 */
export interface SamplesPlotOptions {
  readonly title?: string
  readonly xRange?: Interval
  readonly yRange?: Interval
  readonly critic?: CriticGrid
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

/**
 * The heat map's diverging colour scale: `negative` at the most negative end, white at 0,
 * `positive` at the most positive end (the end colours of ColorBrewer's RdYlBu scale, of about
 * the same luminance; mixed with white they give light blues and pinks, apart from the orange
 * of the generated points).
 *
 * @category constants
 * @since 0.3.0
 */
export const CRITIC_COLOURS = { negative: '#2c7bb6', zero: '#ffffff', positive: '#d7191c' } as const

/** Width and height of a scatter plot, in pixels; a heat map adds a row for its colour bar. */
const WIDTH = 440
const HEIGHT = 400
const COLOUR_BAR_ROW = 30

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

/** The smallest interval holding both (either may be absent). */
const hull = (a: Interval | undefined, b: Interval | undefined): Interval | undefined =>
  a === undefined ? b : b === undefined ? a : [Math.min(a[0], b[0]), Math.max(a[1], b[1])]

/** The channels of a `#rrggbb` colour. */
const channels = (hex: string): readonly [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as readonly [number, number, number]

const NEGATIVE = channels(CRITIC_COLOURS.negative)
const POSITIVE = channels(CRITIC_COLOURS.positive)

/**
 * The heat map's colour of `value` on a scale of ±`scale`: white mixed linearly towards
 * `CRITIC_COLOURS.negative` (value < 0) or `.positive` (value > 0) by `|value| / scale`, each
 * channel rounded; white when `scale` is 0.
 */
const criticColour = (value: number, scale: number): string => {
  const t = scale === 0 ? 0 : Math.min(1, Math.abs(value) / scale)
  const end = value < 0 ? NEGATIVE : POSITIVE
  return `#${end.map((e) => Math.round(255 + (e - 255) * t).toString(16).padStart(2, '0')).join('')}`
}

/** A value of the colour bar: 3 significant digits, exponent form outside [1e-3, 1e5), a true minus sign. */
const barLabel = (v: number): string => {
  const a = Math.abs(v)
  const text = v === 0 ? '0' : a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(3))) : v.toExponential(2).replace('e+', 'e')
  return text.replace(/^-/, '\u2212')
}

/** A grid that can be drawn: finite bounds with lo < hi, an integer size, size² finite values. */
const checkedCritic = (grid: CriticGrid): CriticGrid => {
  const { x, y, size, values } = grid
  const interval = (v: unknown): boolean =>
    Array.isArray(v) && v.length === 2 && Number.isFinite(v[0]) && Number.isFinite(v[1]) && v[0] < v[1] && Number.isFinite(v[1] - v[0])
  if (!interval(x) || !interval(y)) throw new RangeError('samplesPlotSvg: critic.x and critic.y must be [lo, hi] of finite numbers with lo < hi')
  if (!Number.isInteger(size) || size < 1 || !Array.isArray(values) || values.length !== size * size) {
    throw new RangeError(`samplesPlotSvg: critic.values must hold size² values for an integer size >= 1, got size ${String(size)} and ${Array.isArray(values) ? values.length : 'no'} values`)
  }
  assertFinite('samplesPlotSvg: critic.values', values)
  return grid
}

/** The least and greatest of the grid's values. */
const valueRange = (values: ReadonlyArray<number>): readonly [number, number] => {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  return [lo, hi]
}

/**
 * The heat map: one `<rect>` per grid value, in the order of `values` (row-major, the lowest
 * y first), each covering its cell on the plot, coloured by `criticColour` on the frame's
 * scale, the largest |value|.
 */
const heatMapSvg = (grid: CriticGrid, sx: (x: number) => number, sy: (y: number) => number): string => {
  const { size, values } = grid
  const [min, max] = valueRange(values)
  const scale = Math.max(Math.abs(min), Math.abs(max))
  // Cell edges rounded as the attributes are written, so neighbouring cells meet exactly.
  const edges = ([lo, hi]: Interval, s: (v: number) => number): ReadonlyArray<number> =>
    Array.from({ length: size + 1 }, (_, i) => Number(formatNumber(s(i === size ? hi : lo + (i * (hi - lo)) / size))))
  const xs = edges(grid.x, sx)
  const ys = edges(grid.y, sy)
  const cells: string[] = []
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const attrs = { x: xs[c]!, y: ys[r + 1]!, width: xs[c + 1]! - xs[c]!, height: ys[r]! - ys[r + 1]!, fill: criticColour(values[r * size + c]!, scale) }
      cells.push(`<rect${attributes(attrs)}/>`)
    }
  }
  return [
    `<g class="critic"${attributes({ 'data-size': size, 'data-min': String(min), 'data-max': String(max), 'data-scale': String(scale) })} shape-rendering="crispEdges">`,
    ...cells,
    '</g>',
  ].join('\n')
}

/** The axes with the heat map (if any) right after the plot area's background: under the grid lines, the axes and the points. */
const axesWithHeatMap = (axes: string, grid: CriticGrid | undefined, sx: (x: number) => number, sy: (y: number) => number): ReadonlyArray<string> => {
  if (grid === undefined) return [axes]
  // axesSvg writes the plot area's background as its first line
  const cut = axes.indexOf('\n')
  return [axes.slice(0, cut), heatMapSvg(grid, sx, sy), axes.slice(cut + 1)]
}

/** The colour bar under the plot: "D(x)", the frame's least value, the colours from it to its greatest, that value, and a tick at 0. */
const colourBarSvg = (grid: CriticGrid, left: number, baseline: number): string => {
  const [min, max] = valueRange(grid.values)
  const scale = Math.max(Math.abs(min), Math.abs(max))
  const steps = 48
  const barWidth = 144
  const font = 11
  const minText = barLabel(min)
  const maxText = barLabel(max)
  const barLeft = left + textWidth('D(x)', font) + 10 + textWidth(minText, font) + 6
  const top = baseline - 9
  const at = (v: number): number => (max === min ? barLeft + barWidth / 2 : barLeft + ((v - min) / (max - min)) * barWidth)
  const out = [
    `<g class="critic-legend"${attributes({ 'data-min': String(min), 'data-max': String(max), 'data-scale': String(scale) })} font-size="${font}" fill="#333333">`,
    `<title>${escapeXml(`D(x), the discriminator's raw output, from ${barLabel(min)} to ${barLabel(max)}: white at 0, blue below, red above, full colour at ±${barLabel(scale)} (this frame's largest |D(x)|)`)}</title>`,
    `<text${attributes({ x: left, y: baseline })} font-style="italic">D(x)</text>`,
    `<text${attributes({ x: barLeft - 6, y: baseline })} text-anchor="end">${escapeXml(minText)}</text>`,
    `<g class="colour-bar" shape-rendering="crispEdges">`,
  ]
  for (let i = 0; i < steps; i++) {
    const x0 = Number(formatNumber(barLeft + (i * barWidth) / steps))
    const x1 = Number(formatNumber(barLeft + ((i + 1) * barWidth) / steps))
    out.push(`<rect${attributes({ x: x0, y: top, width: x1 - x0, height: 10, fill: criticColour(min + ((i + 0.5) * (max - min)) / steps, scale) })}/>`)
  }
  out.push('</g>', `<rect${attributes({ x: barLeft, y: top, width: barWidth, height: 10 })} fill="none" stroke="#888888" stroke-width="0.6"/>`)
  if (min < 0 && max > 0) out.push(`<line class="zero"${attributes({ x1: at(0), y1: top - 2, x2: at(0), y2: top + 12 })} stroke="#333333" stroke-width="1"/>`)
  out.push(`<text${attributes({ x: barLeft + barWidth + 6, y: baseline })}>${escapeXml(maxText)}</text>`, '</g>')
  return out.join('\n')
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
 * With `options.critic` (D's output on a grid, a snapshot's `critic`), the plot area first
 * gets a heat map: one cell per grid value, coloured on a diverging scale centred at 0 (white
 * at 0, mixed linearly towards `CRITIC_COLOURS.negative`, blue, below and `.positive`, red,
 * above, each channel `round(255 + (end − 255) · |v| / m)`), where `m` is the largest |value|
 * of this grid: each frame has its own scale, and its most extreme cell has the full colour.
 * Over a heat map the generated points are outlined in near-black instead of white.
 * Under the axes a colour bar labelled "D(x)" (in a row that makes the SVG 30 px taller)
 * runs from the grid's least to its greatest value, with a tick at 0.
 *
 * For readers of the SVG: the points are `<circle>`s inside `<g data-series="real">` and
 * `<g data-series="generated">`, in the order given; the data area is a
 * `<rect class="plot-area">` with exact `data-x-domain` / `data-y-domain`; the heat map is a
 * `<g class="critic">` (with exact `data-min`, `data-max`, `data-scale`) of one `<rect>` per
 * value in the order of `critic.values`, before the points in document order (so under
 * them); the colour bar is a `<g class="critic-legend">`.
 *
 * Throws a `RangeError` for a row with no columns or a non-finite value in its first two
 * columns, or a malformed `critic` (bounds not `[lo, hi]` with `lo < hi`, not `size²`
 * values, a non-finite value).
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
): string => scatterSvg(real, generated, options, {})

/** `samplesPlotSvg` whose axes also cover `cover` (grids' bounds, unpadded), for frames on common axes. */
const scatterSvg = (
  real: ReadonlyArray<ReadonlyArray<number>>,
  generated: ReadonlyArray<ReadonlyArray<number>>,
  options: SamplesPlotOptions,
  cover: { readonly x?: Interval | undefined; readonly y?: Interval | undefined },
): string => {
  const realXy = xyOf('samplesPlotSvg: real', real)
  const generatedXy = xyOf('samplesPlotSvg: generated', generated)
  const critic = options.critic === undefined ? undefined : checkedCritic(options.critic)
  const all = [...realXy, ...generatedXy]
  const oneDimensional = all.length > 0 && [...real, ...generated].every((row) => row.length === 1)
  // The points (and the ranges given) padded, then the grids' bounds as they are.
  const domain = (values: ReadonlyArray<number>, range: Interval | undefined, grid: Interval | undefined): Interval => {
    const s = span(values, range)
    return s === undefined ? (grid ?? padded(undefined)) : (hull(padded(s), grid) as Interval)
  }
  const yTicks = niceTicks(...domain(all.map((p) => p[1]), options.yRange, hull(cover.y, critic?.y)))
  const left = Math.round(Math.max(58, widest(yTicks.labels) + 38))
  const xTicks = fitTicks(...domain(all.map((p) => p[0]), options.xRange, hull(cover.x, critic?.x)), WIDTH - left - 16)
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
  const height = HEIGHT + (critic === undefined ? 0 : COLOUR_BAR_ROW)
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
  const what = critic === undefined ? 'Real data and generated points' : "Real data and generated points over the discriminator's output"
  const bottom = area.top + area.height
  return svgDocument(WIDTH, height, fullTitle === '' ? what : `${what}, ${fullTitle}`, [
    ...axesWithHeatMap(axesSvg(area, xTicks, yTicks, { x: 'dimension 1', y: oneDimensional ? 'none (one-dimensional data)' : 'dimension 2' }), critic, sx, sy),
    ...(critic === undefined ? [] : [colourBarSvg(critic, area.left, bottom + 64)]),
    ...caption,
    dots('real', realXy, 2.2, 'fill-opacity="0.35"'),
    // Over a heat map the generated points get a dark outline, which any cell colour leaves visible.
    dots('generated', generatedXy, 3, critic === undefined ? 'fill-opacity="0.9" stroke="#ffffff" stroke-width="0.6"' : 'fill-opacity="0.95" stroke="#1d1f23" stroke-width="0.8"'),
    legendSvg(legend, area.left + area.width, twoRows ? 44 : 22),
  ])
}

/**
 * One scatter per snapshot of a run, in the record's order, each titled "epoch N" and all on
 * the same axes (covering the real sample, every snapshot and every snapshot's grid), so the
 * frames can be compared or played as an animation. A snapshot with a `critic` is drawn
 * over its heat map (see `samplesPlotSvg`; each frame on its own colour scale).
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
  // Every frame's axes also cover every grid (one grid per run, in a record pure-gan wrote).
  let x: Interval | undefined
  let y: Interval | undefined
  for (const s of record.snapshots) {
    if (s.critic === undefined) continue
    x = hull(x, checkedCritic(s.critic).x)
    y = hull(y, s.critic.y)
  }
  return record.snapshots.map((s) => ({
    epoch: s.epoch,
    svg: scatterSvg(record.realSample, s.points, { ...options, title: `epoch ${s.epoch}`, ...(s.critic === undefined ? {} : { critic: s.critic }) }, { x, y }),
  }))
}
