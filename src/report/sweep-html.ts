/**
 * The sweep's page (sweep.html): one self-contained HTML page, as a pure function of the
 * sweep's record and the final samples of each setting's representative runs: the sweep's
 * definition, a table of the settings, and per setting a table of its metrics, a histogram of
 * the final Fréchet distances and the samples of its best, median and worst runs
 * (docs/sweeps.md).
 *
 * @module
 */
import { STYLE, configRows, figure, htmlPage, stat } from './html.js'
import { SAMPLE_COLOURS, sampleRanges, samplesPlotSvg } from './scatter-plot.js'
import { dataModes } from '../gan/data.js'
import type { SweepMetric, SweepRecord, SweepRun, SweepSetting } from './sweep-record.js'
import { SWEEP_METRICS, parseSuccessCriterion, representativeRuns, successText } from './sweep-summary.js'
import { type Ticks, attributes, axesSvg, escapeXml, linearScale, niceTicks, svgDocument, textWidth, widest } from './svg.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The final samples of one run, for the page: its seed, its real sample (run.json's
 * `realSample`) and its generated points (the `points` of run.json's last snapshot).
 *
 * @category sweep
 * @since 0.5.0
 */
export interface SweepSample {
  readonly seed: number
  readonly realSample: ReadonlyArray<ReadonlyArray<number>>
  readonly points: ReadonlyArray<ReadonlyArray<number>>
}

/**
 * The samples of a setting's best, median and worst runs (`representativeRuns`); `null` for
 * a run whose samples could not be read.
 *
 * @category sweep
 * @since 0.5.0
 */
export interface RepresentativeSamples {
  readonly best: SweepSample | null
  readonly median: SweepSample | null
  readonly worst: SweepSample | null
}

// -------------------------------------------------------------------------------------
// formatting
// -------------------------------------------------------------------------------------

const percent = (x: number): string => `${(100 * x).toFixed(1)} %`

/**
 * A success rate with its 95 % interval as the page prints it: each a percentage with one
 * decimal (`(100 · x).toFixed(1)`), `55.0 % [34.2 %, 74.2 %]`; `—` when there is no rate
 * (no finished or non-finite run).
 *
 * @example
 * import { successRateText, wilsonInterval } from 'pure-gan'
 * successRateText(11 / 20, wilsonInterval(11, 20)) // '55.0 % [34.2 %, 74.2 %]'
 * successRateText(null, null) // '—'
 *
 * @category sweep
 * @since 0.5.0
 */
export const successRateText = (successRate: number | null, interval: readonly [number, number] | null): string =>
  successRate === null || interval === null ? '—' : `${percent(successRate)} [${percent(interval[0])}, ${percent(interval[1])}]`

/** `--flag value`, the grid values of a setting as on the command line; `(no grid)` for none. */
const valuesText = (values: ReadonlyArray<readonly [string, string]>): string =>
  values.length === 0 ? '(no grid)' : values.map(([flag, value]) => `--${flag} ${value}`).join(', ')

/** The grid values in a table cell: `--flag value` each on a line of its own. */
const valuesCell = (values: ReadonlyArray<readonly [string, string]>): string =>
  values.length === 0 ? '<code>(no grid)</code>' : values.map(([flag, value]) => `<code>${escapeXml(`--${flag} ${value}`)}</code>`).join('<br/>')

/** A metric's median with its quartiles, `0.0914 [0.0629, 0.1776]`, or `—`. */
const quartilesText = (q: SweepSetting['metrics']['frechet']): string => (q === null ? '—' : `${stat(q.median)} [${stat(q.q1)}, ${stat(q.q3)}]`)

// -------------------------------------------------------------------------------------
// the histogram
// -------------------------------------------------------------------------------------

/** Distances below this are counted at it: a log-spaced axis has no place for 0. */
const FLOOR = 1e-6
/** The most bins a histogram gets: the finest sequence of edges that needs no more is used. */
const MAX_BINS = 24

/**
 * The mantissas of the edge sequences, finest first: ISO 3's preferred numbers R20 and R10
 * (geometric, 20 and 10 per decade, rounded), the 1–2–5 sequence, and the powers of ten.
 */
const SEQUENCES: ReadonlyArray<ReadonlyArray<number>> = [
  [1, 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, 2.5, 2.8, 3.15, 3.55, 4, 4.5, 5, 5.6, 6.3, 7.1, 8, 9],
  [1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8],
  [1, 2, 5],
  [1],
]

/** A sequence of edges: `mantissas[j]·10^k` at index i = M·k + j (M mantissas), every `stride`-th index of it. */
interface EdgeSequence {
  readonly mantissas: ReadonlyArray<number>
  readonly stride: number
}

const mod = (a: number, m: number): number => ((a % m) + m) % m

/** The i-th edge of a sequence of mantissas, as the double nearest the decimal `m·10^k`. */
const edgeAt = (mantissas: ReadonlyArray<number>, i: number): number => Number(`${mantissas[mod(i, mantissas.length)]}e${Math.floor(i / mantissas.length)}`)

/** Its label: plain decimal for 1e-4 <= edge < 1e6, `me-k` / `mek` beyond. */
const labelAt = (mantissas: ReadonlyArray<number>, i: number): string => {
  const k = Math.floor(i / mantissas.length)
  return k >= -4 && k <= 5 ? String(edgeAt(mantissas, i)) : `${mantissas[mod(i, mantissas.length)]}e${k}`
}

/** The largest i with edge(i) <= v, for a finite v >= FLOOR: from the decimal exponent, then corrected by exact comparisons. */
const indexAt = (mantissas: ReadonlyArray<number>, v: number): number => {
  let i = mantissas.length * (Number(v.toExponential().split('e')[1]) + 1) - 1
  while (edgeAt(mantissas, i) > v) i--
  while (edgeAt(mantissas, i + 1) <= v) i++
  return i
}

/** The bins a sequence needs from the bin of `lo` to the bin of `hi`. */
const binsNeeded = ({ mantissas, stride }: EdgeSequence, lo: number, hi: number): number =>
  Math.floor(indexAt(mantissas, hi) / stride) - Math.floor(indexAt(mantissas, lo) / stride) + 1

/** How a caption names each sequence of edges. */
const sequenceName = ({ mantissas, stride }: EdgeSequence): string =>
  mantissas.length === 20
    ? "ISO 3's preferred numbers R20: 1, 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, 2.5, … 8, 9 in each decade"
    : mantissas.length === 10
      ? "ISO 3's preferred numbers R10: 1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5, 6.3, 8 in each decade"
      : mantissas.length === 3
        ? '1, 2, 5 in each decade'
        : stride === 1
          ? 'the powers of ten'
          : `every ${stride}th power of ten`

/** Fewer log-spaced bins than this, and the histogram takes linear bins instead. */
const MIN_LOG_BINS = 5

/**
 * The bins of a histogram: `edges` (one more than `counts`), their `labels`, the number of
 * values in each bin, whether the edges are log- or linearly spaced, `positions` (each edge's
 * integer position in its sequence, so that labels can be thinned to round values) and
 * `strides` (the label strides to try, least first), and a phrase for the caption.
 *
 * @internal
 */
export interface Bins {
  readonly scale: 'log' | 'linear'
  readonly edges: ReadonlyArray<number>
  readonly labels: ReadonlyArray<string>
  readonly counts: ReadonlyArray<number>
  readonly positions: ReadonlyArray<number>
  readonly strides: ReadonlyArray<number>
  readonly description: string
}

/** The bin of `v` among `edges` (ascending): the last b with edges[b] <= v, at most `bins - 1` (the last bin is closed). */
const binOf = (edges: ReadonlyArray<number>, v: number): number => {
  let b = 0
  while (b + 2 < edges.length && edges[b + 1]! <= v) b++
  return b
}

/**
 * The histogram of final Fréchet distances (docs/sweeps.md, "The page"). Log-spaced when that
 * gives at least 5 bins: bins `[lo, hi)` between consecutive edges of the finest of R20 (1,
 * 1.12, 1.25, 1.4, 1.6, 1.8, 2, 2.24, … per decade), R10 (1, 1.25, 1.6, 2, 2.5, 3.15, 4, 5,
 * 6.3, 8), 1–2–5 and the powers of ten that needs at most 24 bins (or else every j-th power
 * of ten for the least such j), from the bin of the smallest value to the bin of the largest;
 * a value below 1e-6 (0 included) counts in the bin of 1e-6. Otherwise (the values span so
 * narrow a range that even R20 gives fewer than 5 bins, about a factor of 1.5) linear: the
 * edges are `niceTicks(min, max, { count: 10 })`'s ticks (the first lowered to the least value
 * and the last raised to the greatest where the ticks stop short of them by rounding), each
 * bin `[lo, hi)` but the last, `[lo, hi]`. Each edge is a double (the one nearest
 * its decimal) and a value's bin is found by exact comparisons with the edges. Values must be
 * finite; there must be at least one.
 *
 * @internal
 */
export const frechetBins = (values: ReadonlyArray<number>): Bins => {
  const clamped = values.map((v) => Math.max(v, FLOOR))
  const lo = Math.min(...clamped)
  const hi = Math.max(...clamped)
  let sequence: EdgeSequence | undefined = SEQUENCES.map((mantissas) => ({ mantissas, stride: 1 })).find((q) => binsNeeded(q, lo, hi) <= MAX_BINS)
  for (let stride = 2; sequence === undefined; stride++) if (binsNeeded({ mantissas: [1], stride }, lo, hi) <= MAX_BINS) sequence = { mantissas: [1], stride }
  if (binsNeeded(sequence, lo, hi) >= MIN_LOG_BINS) {
    const { mantissas, stride } = sequence
    const first = Math.floor(indexAt(mantissas, lo) / stride)
    const at = Array.from({ length: binsNeeded(sequence, lo, hi) + 1 }, (_, b) => (first + b) * stride)
    const edges = at.map((i) => edgeAt(mantissas, i))
    const counts = new Array<number>(at.length - 1).fill(0)
    for (const v of clamped) counts[binOf(edges, v)]! += 1
    const perDecade = mantissas.length
    return {
      scale: 'log',
      edges,
      labels: at.map((i) => labelAt(mantissas, i)),
      counts,
      positions: at.map((i) => i / stride),
      strides: [...Array.from({ length: perDecade }, (_, d) => d + 1).filter((d) => perDecade % d === 0), ...Array.from({ length: 400 }, (_, j) => perDecade * (j + 2))],
      description: `log-spaced edges (${sequenceName(sequence)})${values.some((v) => v < FLOOR) ? '; distances below 1e-6 are counted in the bin of 1e-6' : ''}`,
    }
  }
  const min = Math.min(...values)
  const max = Math.max(...values)
  const ticks = niceTicks(min, max, { count: 10 })
  // niceTicks forgives rounding at the ends (a tick 1 ulp inside the range is its end): the
  // outer edges then move out to the values themselves.
  const last = ticks.ticks.length - 1
  const edges = ticks.ticks.map((t, i) => (i === 0 ? Math.min(t, min) : i === last ? Math.max(t, max) : t))
  const counts = new Array<number>(last).fill(0)
  for (const v of values) counts[binOf(edges, v)]! += 1
  return {
    scale: 'linear',
    edges,
    labels: ticks.labels,
    counts,
    positions: ticks.ticks.map((t) => Math.round(t / ticks.step)),
    strides: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
    description: `linearly spaced edges ${String(ticks.step)} apart (the distances span too narrow a range for 5 log-spaced bins)`,
  }
}

const HISTOGRAM_WIDTH = 440
const HISTOGRAM_HEIGHT = 260
const BAR_COLOUR = SAMPLE_COLOURS.real

/**
 * The dashed lines of a criterion whose clauses are all on `frechet` (none for any other):
 * one per clause whose threshold lies inside the bins (placed linearly inside its bin,
 * labelled with the clause, the labels of later clauses one line lower), and the captions'
 * sentences: which thresholds are dashed, and on which side the others lie.
 */
const thresholdLines = (
  success: string,
  bins: Bins,
  sx: (x: number) => number,
  area: { readonly top: number; readonly height: number },
): ReadonlyArray<{ readonly caption: string; readonly svg: ReadonlyArray<string> }> => {
  const parsed = parseSuccessCriterion(success)
  if (!('criterion' in parsed) || !parsed.criterion.every((c) => c.metric === 'frechet')) return []
  const count = bins.counts.length
  const lowest = bins.edges[0]!
  const highest = bins.edges[count]!
  const clauses = parsed.criterion.map((c) => ({ threshold: c.threshold, text: parsed.criterion.length === 1 ? success : successText([c]) }))
  const inside = clauses.filter((c) => c.threshold >= lowest && c.threshold <= highest)
  const lines = inside.map(({ threshold, text }, k) => {
    const b = binOf(bins.edges, threshold)
    const x = sx(b + (threshold - bins.edges[b]!) / (bins.edges[b + 1]! - bins.edges[b]!))
    const anchor = x + 4 + textWidth(text, 11) > HISTOGRAM_WIDTH ? 'end' : 'start'
    return [
      `<g class="threshold" data-value="${String(threshold)}" stroke="#c0392b" fill="#c0392b">`,
      `<line${attributes({ x1: x, y1: area.top - 4, x2: x, y2: area.top + area.height })} stroke-width="1.5" stroke-dasharray="5 3"/>`,
      `<text${attributes({ x: anchor === 'start' ? x + 4 : x - 4, y: area.top + 8 + 13 * k })} text-anchor="${anchor}" stroke="none" font-size="11">${escapeXml(text)}</text>`,
      '</g>',
    ]
  })
  const dashed = inside.length === 0 ? [] : [{ caption: ` Dashed: the criterion's threshold${inside.length === 1 ? '' : 's'} (${inside.map((c) => c.text).join(', ')}).`, svg: lines.flat() }]
  const outside = clauses
    .filter((c) => !(c.threshold >= lowest && c.threshold <= highest))
    .map((c) => ({ caption: ` The criterion's threshold (${c.text}) lies ${c.threshold < lowest ? 'below' : 'above'} every bin.`, svg: [] }))
  return [...dashed, ...outside]
}

/**
 * The histogram as a standalone SVG, with its caption: one bar per bin of `frechetBins`, all
 * of the same width (on log-spaced edges, the x axis is then logarithmic in the steps of the
 * sequence), its height the number of runs; as many edges labelled as fit; a dashed line at
 * each threshold of a criterion on `frechet` alone inside the bins' range (`thresholdLines`).
 */
const histogramSvg = (values: ReadonlyArray<number>, success: string): { readonly svg: string; readonly caption: string } => {
  const bins = frechetBins(values)
  const count = bins.counts.length
  const yTicks = niceTicks(0, Math.max(...bins.counts), { integer: true })
  const left = Math.round(Math.max(48, widest(yTicks.labels) + 34))
  const area = { left, top: 40, width: HISTOGRAM_WIDTH - left - 24, height: HISTOGRAM_HEIGHT - 40 - 52 }
  const binWidth = area.width / count
  // Labels at every t-th edge for the least stride t that keeps them 8 px apart, counted from
  // round positions (a power of ten, a multiple of a round step).
  const room = widest(bins.labels) + 8
  const t = bins.strides.find((d) => d * binWidth >= room) ?? bins.strides[bins.strides.length - 1]!
  const labelled = bins.positions.map((_, b) => b).filter((b) => mod(bins.positions[b]!, t) === 0)
  const xTicks: Ticks = { domain: [0, count], step: 1, ticks: labelled, labels: labelled.map((b) => bins.labels[b]!) }
  const sx = linearScale([0, count], [area.left, area.left + area.width])
  const sy = linearScale(yTicks.domain, [area.top + area.height, area.top])
  const bars = bins.counts.map((c, b) => {
    const x0 = sx(b) + Math.min(1, binWidth / 8)
    const x1 = sx(b + 1) - Math.min(1, binWidth / 8)
    const range = `[${bins.labels[b]}, ${bins.labels[b + 1]}${b === count - 1 && bins.scale === 'linear' ? ']' : ')'}`
    return (
      `<rect class="bin"${attributes({ x: x0, y: sy(c), width: x1 - x0, height: sy(0) - sy(c) })} data-lo="${String(bins.edges[b])}" data-hi="${String(bins.edges[b + 1])}" data-count="${c}">` +
      `<title>${escapeXml(`${c} run${c === 1 ? '' : 's'} in ${range}`)}</title></rect>`
    )
  })
  const out = [
    axesSvg(area, xTicks, yTicks, { x: `final Fréchet distance (${bins.scale === 'log' ? 'log-spaced' : 'linear'} bins)`, y: 'runs' }),
    `<text class="title"${attributes({ x: left, y: 22 })} font-size="14" font-weight="600" fill="#222222">${escapeXml(`Final Fréchet distance of ${values.length} finished run${values.length === 1 ? '' : 's'}`)}</text>`,
    `<g class="bins" data-scale="${bins.scale}"${attributes({ fill: BAR_COLOUR })} fill-opacity="0.8">`,
    ...bars,
    '</g>',
  ]
  let caption = `${values.length} finished run${values.length === 1 ? '' : 's'} by final Fréchet distance, one bar of equal width per bin, between ${bins.description}.`
  for (const line of thresholdLines(success, bins, sx, area)) {
    caption += line.caption
    out.push(...line.svg)
  }
  return { svg: svgDocument(HISTOGRAM_WIDTH, HISTOGRAM_HEIGHT, `Histogram of the final Fréchet distance of ${values.length} finished runs`, out), caption }
}

// -------------------------------------------------------------------------------------
// page
// -------------------------------------------------------------------------------------

const SWEEP_STYLE = `
main { max-width: 1320px; }
.samples { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin-top: 12px; }
.histogram { max-width: 520px; }
@media (max-width: 900px) { .samples { grid-template-columns: 1fr; } }
table.settings td, table.settings th, table.metrics td, table.metrics th { font-size: 14px; }
table.settings td, table.settings th { padding: 4px 6px; font-size: 13px; }
table.settings td.wrap { white-space: normal; }
.nowrap { white-space: nowrap; }
.scroll { overflow-x: auto; }
table.metrics { margin: 10px 0 14px; }
td.values code, table.settings th code { white-space: nowrap; }
section.setting { border-top: 1px solid #d5d8de; margin-top: 28px; }
`

/** The most runs that did not finish a setting's section lists by name. */
const LISTED_PROBLEMS = 10

/** The rows of configuration that every setting shares (field and value); the grid's fields differ. */
const sharedConfigRows = (settings: ReadonlyArray<SweepSetting>): ReadonlyArray<readonly [string, string]> => {
  const [first, ...rest] = settings.map((s) => configRows(s.config))
  if (first === undefined) return []
  return first.filter(([field, value]) => rest.every((rows) => rows.some(([f, v]) => f === field && v === value)))
}

const definitionTable = (record: SweepRecord): string => {
  const seeds = record.seeds.to - record.seeds.from + 1
  const count = (status: SweepRun['status']): number => record.runs.filter((r) => r.status === status).length
  const rows: ReadonlyArray<readonly [string, string]> = [
    ['seeds', `${record.seeds.from}..${record.seeds.to} (${seeds} seed${seeds === 1 ? '' : 's'})`],
    ...(record.grid.length === 0 ? [['grid', '(none: one setting)'] as const] : record.grid.map(([flag, values]) => [`grid --${flag}`, values.join(', ')] as const)),
    ['success', record.success],
    ['settings', String(record.settings.length)],
    ['runs', `${record.runs.length}: ${count('finished')} finished, ${count('non-finite')} non-finite, ${count('failed')} failed`],
  ]
  return [
    '<table class="definition">',
    '<tbody>',
    ...rows.map(([k, v]) => `<tr><th>${escapeXml(k)}</th><td><code>${escapeXml(v)}</code></td></tr>`),
    '</tbody>',
    '</table>',
  ].join('\n')
}

/** The number of modes of a setting's data (`ring8` 8, `grid25` 25), or undefined for data without modes. */
const modeCount = (setting: SweepSetting): number | undefined => {
  const data: unknown = (setting.config as Partial<SweepSetting['config']> | null)?.data
  if (typeof data !== 'object' || data === null) return undefined
  return dataModes(data as SweepSetting['config']['data'])?.modes.rows
}

/** Whether a setting shows the mode metrics: its data has modes, or it has values of them. */
const showsModes = (setting: SweepSetting): boolean =>
  modeCount(setting) !== undefined || setting.metrics.modes !== null || setting.metrics.hq !== null || setting.metrics.reverseKl !== null

/** A value of a metric as the page prints it: modes plainly (quartiles of counts), `hq` as a percentage, the rest by `stat`. */
const metricValueText = (metric: SweepMetric, v: number): string => (metric === 'modes' ? String(v) : metric === 'hq' ? percent(v) : stat(v))

/** A metric's median, or `—`; the modes out of the data's count (`7.5 / 8`). */
const medianText = (setting: SweepSetting, metric: SweepMetric): string => {
  const q = setting.metrics[metric]
  if (q === null) return '—'
  const of = metric === 'modes' ? modeCount(setting) : undefined
  return `${metricValueText(metric, q.median)}${of === undefined ? '' : ` / ${of}`}`
}

/** The metrics of the settings table beyond Fréchet's quartiles: the mode metrics when some setting shows them, then the MMD's p-value and the C2ST's accuracy. */
const tableMetrics = (record: SweepRecord): ReadonlyArray<readonly [SweepMetric, string]> => [
  ...(record.settings.some(showsModes)
    ? ([
        ['modes', 'modes covered'],
        ['hq', 'HQ'],
      ] as const)
    : []),
  ['mmdP', 'MMD p'],
  ['c2st', 'C2ST accuracy'],
]

/** A cell's text, escaped, free to break before its bracket (`0.1118 [0.0323, 0.1151]` on two lines where the table is narrow, in a cell of class `wrap`), nowhere else. */
const breakable = (text: string): string => {
  const at = text.indexOf(' [')
  return at < 0 ? escapeXml(text) : `<span class="nowrap">${escapeXml(text.slice(0, at))}</span> <span class="nowrap">${escapeXml(text.slice(at + 1))}</span>`
}

const settingsTable = (record: SweepRecord): string => {
  const extra = tableMetrics(record)
  return [
    '<div class="scroll">',
    '<table class="settings">',
    '<thead>',
    `<tr>${['setting', 'grid values', 'runs', 'finished', 'non-finite', 'failed', 'successes', 'success rate [95 % interval]', 'Fréchet median [q1, q3]'].map((h) => `<th rowspan="2">${escapeXml(h)}</th>`).join('')}<th colspan="${extra.length}">medians</th></tr>`,
    `<tr>${extra.map(([, head]) => `<th>${escapeXml(head)}</th>`).join('')}</tr>`,
    '</thead>',
    '<tbody>',
    ...record.settings.map((s, i) => {
      const cells = [
        String(s.runs),
        String(s.finished),
        String(s.nonFinite),
        String(s.failed),
        `${s.successes} / ${s.finished + s.nonFinite}`,
        successRateText(s.successRate, s.interval),
        quartilesText(s.metrics.frechet),
        ...extra.map(([metric]) => medianText(s, metric)),
      ]
      return (
        `<tr><th><a href="#setting-${i + 1}"><code>${escapeXml(s.id)}</code></a></th><td class="values">${valuesCell(s.values)}</td>` +
        cells.map((c, j) => `<td class="num${j === 5 ? ' rate' : ''}${c.includes(' [') ? ' wrap' : ''}">${breakable(c)}</td>`).join('') +
        '</tr>'
      )
    }),
    '</tbody>',
    '</table>',
    '</div>',
  ].join('\n')
}

/** How the page names each metric. */
const METRIC_NAMES: { readonly [M in SweepMetric]: string } = {
  frechet: 'final Fréchet distance',
  lossD: 'loss_D (last epoch)',
  lossG: 'loss_G (last epoch)',
  modes: 'modes covered',
  hq: 'high-quality samples',
  reverseKl: 'reverse KL of the modes',
  mmdP: 'MMD² p-value',
  energyP: 'energy distance p-value',
  c2st: 'C2ST accuracy',
}

/**
 * A setting's metrics table: one row per metric of `SWEEP_METRICS` in order (the mode metrics
 * only when the setting shows them), with the finished runs that have a value and its
 * median [q1, q3].
 */
const metricsTable = (setting: SweepSetting): string => {
  const modes = showsModes(setting)
  const of = modeCount(setting)
  const rows = SWEEP_METRICS.filter((m) => modes || !(m === 'modes' || m === 'hq' || m === 'reverseKl')).map((m) => {
    const q = setting.metrics[m]
    const name = m === 'modes' && of !== undefined ? `${METRIC_NAMES[m]} (of ${of})` : METRIC_NAMES[m]
    const text = q === null ? '—' : `${metricValueText(m, q.median)} [${metricValueText(m, q.q1)}, ${metricValueText(m, q.q3)}]`
    return `<tr><th>${escapeXml(name)}</th><td><code>${m}</code></td><td class="num">${q === null ? 0 : q.count}</td><td class="num">${escapeXml(text)}</td></tr>`
  })
  return [
    '<table class="metrics">',
    '<thead><tr><th>metric</th><th>in sweep.json</th><th>runs</th><th>median [q1, q3]</th></tr></thead>',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
  ].join('\n')
}

const ROLES = ['best', 'median', 'worst'] as const

/** The three scatters of a setting (on common axes), or notes saying which could not be drawn. */
const samplesSection = (record: SweepRecord, setting: SweepSetting, samples: RepresentativeSamples | undefined): string => {
  const chosen = representativeRuns(record, setting.id)
  if (chosen === null) return ''
  const frechetOf = (seed: number): number | null => record.runs.find((r) => r.config === setting.id && r.seed === seed)?.frechet ?? null
  const drawn = ROLES.map((role) => {
    const seed = chosen[role]
    const sample = samples?.[role] ?? null
    return { role, seed, sample: sample !== null && sample.seed === seed ? sample : null }
  })
  const present = drawn.flatMap((d) => (d.sample === null ? [] : [d.sample]))
  const ranges = sampleRanges(present.flatMap((s) => [s.realSample, s.points]))
  const options = { ...(ranges.x === undefined ? {} : { xRange: ranges.x }), ...(ranges.y === undefined ? {} : { yRange: ranges.y }) }
  const figures = drawn.map(({ role, seed, sample }) => {
    const title = `${role}: seed ${seed}, Fréchet ${stat(frechetOf(seed))}`
    if (sample === null) return `<figure><p class="note">${escapeXml(`${title}: its samples could not be read (its run.json is missing or not valid).`)}</p></figure>`
    return figure(samplesPlotSvg(sample.realSample, sample.points, { ...options, title }), `${title}: the real sample (${sample.realSample.length} points) and ${sample.points.length} generated points after the last epoch.`)
  })
  return [
    '<p class="note">The final samples of the runs with the lowest, the median and the highest final Fréchet distance (the lower median; ties to the lower seed), on common axes.</p>',
    '<div class="samples">',
    ...figures,
    '</div>',
  ].join('\n')
}

/** The runs of a setting that did not finish, by seed with their messages (the first ten, then how many more). */
const problemsNote = (record: SweepRecord, setting: SweepSetting): string => {
  const unfinished = record.runs.filter((r) => r.config === setting.id && r.status !== 'finished')
  if (unfinished.length === 0) return ''
  const items = unfinished.slice(0, LISTED_PROBLEMS).map((r) => `<li>${escapeXml(`seed ${r.seed}: ${r.status}${r.message === null ? '' : ` (${r.message.length > 300 ? `${r.message.slice(0, 300)}…` : r.message})`}`)}</li>`)
  const more = unfinished.length > LISTED_PROBLEMS ? [`<li>${escapeXml(`and ${unfinished.length - LISTED_PROBLEMS} more`)}</li>`] : []
  return ['<p class="note">Runs that did not finish:</p>', '<ul class="note problems">', ...items, ...more, '</ul>'].join('\n')
}

const histogramFigure = (distances: ReadonlyArray<number>, success: string): string => {
  const { svg, caption } = histogramSvg(distances, success)
  return `<div class="histogram">\n${figure(svg, caption)}</div>`
}

const settingSection = (record: SweepRecord, setting: SweepSetting, index: number, samples: RepresentativeSamples | undefined): string => {
  const distances = record.runs.filter((r) => r.config === setting.id && r.status === 'finished').map((r) => r.frechet as number)
  return [
    `<section class="setting" id="setting-${index + 1}">`,
    `<h2>${escapeXml(`Setting ${setting.id}: ${valuesText(setting.values)}`)}</h2>`,
    `<p>${escapeXml(`${setting.successes} successes in ${setting.finished + setting.nonFinite} counted runs (${setting.finished} finished, ${setting.nonFinite} non-finite; ${setting.failed} failed, not counted): success rate `)}<span class="num rate">${escapeXml(successRateText(setting.successRate, setting.interval))}</span>${escapeXml(`; Fréchet distance ${quartilesText(setting.metrics.frechet)}.`)}</p>`,
    metricsTable(setting),
    distances.length === 0 ? '<p class="note">No run finished: no distances to show.</p>' : histogramFigure(distances, record.success),
    samplesSection(record, setting, samples),
    problemsNote(record, setting),
    '</section>',
  ]
    .filter((line) => line !== '')
    .join('\n')
}

/**
 * The page of a sweep (sweep.html) as one self-contained HTML5 page, like `reportHtml`'s: no
 * scripts, nothing fetched (a Content-Security-Policy of `default-src 'none'`), the same style,
 * well-formed XML too, every string from the record or the samples escaped, and no date or
 * anything else that is not a function of the arguments. It holds:
 *
 * - the title "pure-gan sweep: S settings x N seeds", the sweep's definition (seeds, grid,
 *   success criterion, counts of runs by status) and the configuration all settings share;
 * - a table with one row per setting: its id, its grid values (`--flag value`), its runs,
 *   finished, non-finite and failed runs, successes out of the counted runs, the success rate
 *   with its 95 % Wilson interval as `successRateText` prints them, the median [q1, q3] of
 *   the final Fréchet distance, the medians of the modes covered (`7.5 / 8`) and of the
 *   high-quality fraction (a percentage) when some setting's data has modes (`—` for the
 *   others), and the medians of the MMD² p-value and of the C2ST accuracy;
 * - per setting: the same rate; a table of every metric (`SWEEP_METRICS`, the mode metrics
 *   only for data with modes) with the runs that have a value and its median [q1, q3]; a
 *   histogram of the final Fréchet distance of its finished runs (docs/sweeps.md, "The page":
 *   log-spaced bins, one bar each, with a dashed line at each threshold of a criterion whose
 *   clauses are all on `frechet`); the final samples of its best, median and worst
 *   runs (`representativeRuns`) as three scatter plots on common axes, each titled with its
 *   role, seed and distance (taken from `samples[id]`, when given for that seed; a note
 *   otherwise); and its runs that did not finish, with their messages (the first ten).
 *
 * Throws a `RangeError` (from the plots) for samples with non-finite points.
 *
 * @example
 * import { seedConfig, summarizeSweep, sweepHtml } from 'pure-gan'
 * const record = summarizeSweep({
 *   packageVersion: '0.5.0',
 *   seeds: { from: 0, to: 19 },
 *   grid: [],
 *   success: [{ metric: 'frechet', op: '<', threshold: 0.1 }],
 *   settings: [{ id: 'c-1', values: [], config: { ...seedConfig, seed: 0 } }],
 *   runs: [],
 * })
 * const html = sweepHtml(record, {})
 * html.startsWith('<!DOCTYPE html>') // true
 *
 * @category sweep
 * @since 0.5.0
 */
export const sweepHtml = (record: SweepRecord, samples: Readonly<Record<string, RepresentativeSamples | undefined>>): string => {
  const seeds = record.seeds.to - record.seeds.from + 1
  const title = `pure-gan sweep: ${record.settings.length} setting${record.settings.length === 1 ? '' : 's'} x ${seeds} seed${seeds === 1 ? '' : 's'}`
  const shared = sharedConfigRows(record.settings)
  const body = [
    definitionTable(record),
    '<h2>Settings</h2>',
    settingsTable(record),
    '<p class="note">A run succeeds when it finished and meets every clause of the criterion (a metric it does not have fails its clause). The success rate counts the finished and the non-finite runs (a run that stopped at a NaN or an infinite value failed to succeed); failed runs (no result: a worker died, a folder could not be written) are not counted. Its interval is the 95 % Wilson score interval; the quartiles are over the finished runs that have a value of the metric, by linear interpolation (type 7). Modes covered and HQ (the fraction of samples within 3 standard deviations of a mode) exist for data with modes only; MMD p is the MMD² permutation test\'s p-value (1/201, its least value, when no permutation of the samples comes close), C2ST accuracy the held-out accuracy of a classifier of real against generated points (0.5 when it cannot tell them apart). Definitions: docs/sweeps.md and docs/metrics.md.</p>',
    ...record.settings.map((s, i) => settingSection(record, s, i, samples[s.id])),
    '<section>',
    '<h2>Shared configuration</h2>',
    `<p class="note">${escapeXml(record.settings.length <= 1 ? "The setting's configuration (its seed field is 0: each run has its own seed)." : 'The fields every setting has in common (the seed field is 0: each run has its own seed); the grid values above make the rest.')}</p>`,
    '<table class="config">',
    '<thead><tr><th>field</th><th>value</th></tr></thead>',
    '<tbody>',
    ...shared.map(([k, v]) => `<tr><th><code>${escapeXml(k)}</code></th><td><code>${escapeXml(v)}</code></td></tr>`),
    '</tbody>',
    '</table>',
    '</section>',
  ]
  return htmlPage(title, `${STYLE}${SWEEP_STYLE}`, body, `Record format ${record.format} version ${record.version}, written by pure-gan ${record.packageVersion}.`)
}
