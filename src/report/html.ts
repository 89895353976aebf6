/**
 * The run report: one self-contained HTML page (inline style, inline SVG, no scripts, no
 * network) as a pure function of a run record.
 *
 * @module
 */
import { lossPlotSvg } from './loss-plot.js'
import { criticMeaning, lossCaption, lossReferences } from './objective-notes.js'
import type { DigitMetricsRecord, RunRecord } from './run-record.js'
import type { RunMetrics } from '../gan/run-metrics.js'
import { samplesPlotSvg, snapshotPlotsSvg } from './scatter-plot.js'
import { escapeXml } from './svg.js'
import { base64, digitRowsGrid, encodePng } from './png.js'
import type { PixelScale } from '../validate/idx.js'

// -------------------------------------------------------------------------------------
// formatting
// -------------------------------------------------------------------------------------

/** A value for a table cell: numbers in JavaScript's shortest round-trip form, arrays in brackets. */
const plain = (v: unknown): string => {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === null || v === undefined) return String(v)
  if (Array.isArray(v)) return `[${v.map(plain).join(', ')}]`
  try {
    return JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}

/**
 * `Dense(5, tanh)`; the identity activation is left out (`Dense(1)`), leaky ReLU shows its slope;
 * maxout is `Maxout(240x5)` (units x pieces); batch normalisation is
 * `BatchNorm(8, relu, momentum 0.1, epsilon 0.00001)` (its options as recorded).
 */
const layerText = (layer: unknown): string => {
  const l = layer as { kind?: unknown; units?: unknown; pieces?: unknown; momentum?: unknown; epsilon?: unknown; activation?: { kind?: unknown; alpha?: unknown } } | null
  if (l === null || typeof l !== 'object' || l.activation === null || typeof l.activation !== 'object') return plain(layer)
  if (l.kind === 'maxout') return `Maxout(${plain(l.units)}x${plain(l.pieces)})`
  const kind = l.activation.kind
  const activation = kind === 'identity' ? '' : kind === 'leakyRelu' ? `, leakyRelu(${plain(l.activation.alpha)})` : `, ${plain(kind)}`
  if (l.kind === 'batchnorm') return `BatchNorm(${plain(l.units)}${activation}${optionsText({ momentum: l.momentum, epsilon: l.epsilon })})`
  return `Dense(${plain(l.units)}${activation})`
}

/** `, momentum 0.1, epsilon 0.00001`: each option that is present, in this order. */
const optionsText = (options: { readonly [name: string]: unknown }): string =>
  Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `, ${name} ${plain(value)}`)
    .join('')

/**
 * The configuration as `[field, value]` rows, in the config's own key order: nested fields
 * flattened with dots (`adam.beta1`), a `layers` array written as
 * `Dense(5, tanh) -> Dense(3, tanh) -> Dense(1)`, other arrays in brackets. Every field of
 * the config appears, including any this version does not know.
 *
 * @example
 * import { configRows, seedConfig } from 'pure-gan'
 * configRows(seedConfig).find(([k]) => k === 'adam.beta1') // ['adam.beta1', '0.9']
 *
 * @category formatting
 * @since 0.1.0
 */
export const configRows = (config: unknown, prefix = ''): ReadonlyArray<readonly [string, string]> => {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [[prefix === '' ? 'config' : prefix, plain(config)]]
  return Object.entries(config).flatMap(([key, value]): ReadonlyArray<readonly [string, string]> => {
    const name = prefix === '' ? key : `${prefix}.${key}`
    if (key === 'layers' && Array.isArray(value)) return [[name, value.length === 0 ? '(none)' : value.map(layerText).join(' -> ')]]
    // a table's rows (--data csv:PATH) can be a million numbers: run.json holds them, the page their shape
    if (key === 'rows' && Array.isArray(value)) return [[name, `${value.length} rows of ${Array.isArray(value[0]) ? value[0].length : '?'} numbers (in run.json)`]]
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return configRows(value, name)
    return [[name, plain(value)]]
  })
}

/**
 * A statistic for a table: 4 decimals, or 4 significant digits in exponent form when tiny
 * (below 1e-3, not 0); a value that is not a finite number as JavaScript prints it.
 *
 * @internal
 */
export const stat = (v: unknown): string => {
  if (typeof v !== 'number' || !Number.isFinite(v)) return plain(v)
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(3) : v.toFixed(4)
}

const vectorCell = (v: unknown): string => (Array.isArray(v) ? `[${v.map((x) => escapeXml(stat(x))).join(', ')}]` : escapeXml(plain(v)))

const matrixCell = (m: unknown): string =>
  Array.isArray(m) && m.length > 0 ? m.map(vectorCell).join('<br/>') : escapeXml(plain(m))

/**
 * The seed's final line, `loss_D 0.693, loss_G 0.693`: the mean losses of the last epoch
 * with 3 decimals (the seed's examples/sec is a timing, not part of the record).
 * `undefined` for an empty history.
 *
 * @example
 * import { finalLossLine } from 'pure-gan'
 * finalLossLine([{ epoch: 1, lossD: 0.69314, lossG: 0.69315, examples: 1000 }]) // 'loss_D 0.693, loss_G 0.693'
 *
 * @category formatting
 * @since 0.1.0
 */
export const finalLossLine = (history: RunRecord['history']): string | undefined => {
  const last = history[history.length - 1]
  return last === undefined ? undefined : `loss_D ${last.lossD.toFixed(3)}, loss_G ${last.lossG.toFixed(3)}`
}

// -------------------------------------------------------------------------------------
// page
// -------------------------------------------------------------------------------------

/**
 * The pages' style sheet (the run report's and the sweep's). No '<' or '&' in here: the page
 * stays well-formed XML as well as HTML.
 *
 * @internal
 */
export const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1d1f23; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 8px; }
h2 { font-size: 18px; margin: 32px 0 10px; }
p { margin: 6px 0; }
code, .num { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.final code { display: inline-block; font-size: 18px; background: #ffffff; padding: 4px 12px; border: 1px solid #d5d8de; border-radius: 4px; }
.note { color: #555a63; font-size: 13px; }
.plots { display: grid; grid-template-columns: 64fr 44fr; gap: 16px; align-items: start; }
.frames { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
@media (max-width: 900px) { .plots { grid-template-columns: 1fr; } }
figure { margin: 0; background: #ffffff; border: 1px solid #d5d8de; border-radius: 6px; padding: 8px; }
figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: 13px; color: #555a63; padding: 4px 4px 0; }
table { border-collapse: collapse; background: #ffffff; }
th, td { border: 1px solid #d5d8de; padding: 4px 12px; text-align: left; vertical-align: top; }
thead th { background: #e9ebef; }
td.num { text-align: right; white-space: nowrap; }
footer { margin-top: 32px; color: #555a63; font-size: 13px; }
`

/**
 * A standalone SVG made inline: HTML puts `<svg>` in the SVG namespace by itself, so the
 * `xmlns` declaration goes (the page then names no URL at all).
 */
const inline = (svg: string): string => svg.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '<svg')

/**
 * An SVG inline in a `<figure>`, with its caption (escaped) when given.
 *
 * @internal
 */
export const figure = (svg: string, caption?: string): string =>
  caption === undefined ? `<figure>\n${inline(svg)}</figure>` : `<figure>\n${inline(svg)}<figcaption>${escapeXml(caption)}</figcaption>\n</figure>`

const statisticsTable = (summary: NonNullable<RunRecord['summary']>): string =>
  [
    '<table class="statistics">',
    '<thead><tr><th>statistic</th><th>generated</th><th>true</th></tr></thead>',
    '<tbody>',
    `<tr><th>mean</th><td class="num">${vectorCell(summary.mean)}</td><td class="num">${vectorCell(summary.trueMean)}</td></tr>`,
    `<tr><th>covariance</th><td class="num">${matrixCell(summary.covariance)}</td><td class="num">${matrixCell(summary.trueCovariance)}</td></tr>`,
    `<tr><th>Fréchet distance</th><td class="num" colspan="2">${escapeXml(stat(summary.frechetDistance))}</td></tr>`,
    `<tr><th>samples</th><td class="num" colspan="2">${escapeXml(plain(summary.samples))}</td></tr>`,
    '</tbody>',
    '</table>',
  ].join('\n')

/** What the summary's "true" column is (docs/datasets.md): the exact moments, or those of the real data. */
const referenceText = (config: unknown): string => {
  const kind = (config as { readonly data?: { readonly kind?: unknown } } | undefined)?.data?.kind
  return kind === 'affine-gaussian' || kind === 'ring8' || kind === 'grid25' ? 'the exact mean and covariance of the data distribution' : 'the mean and covariance of the run\'s real data'
}

/** The run's metrics (docs/metrics.md) as a table, when the record has them. */
const metricsSection = (metrics: RunRecord['metrics']): ReadonlyArray<string> => {
  if (metrics === undefined) return []
  const m = metrics as RunMetrics
  const row = (name: string, value: string): string => `<tr><th>${escapeXml(name)}</th><td class="num">${escapeXml(value)}</td></tr>`
  const modes = m.modes
  const rows = [
    ...(modes === undefined
      ? []
      : [
          row('modes covered', `${plain(modes.modesCovered)} of ${plain(modes.counts.length)}`),
          row('high-quality samples (within 3 std)', `${(100 * modes.highQualityFraction).toFixed(1)} % of ${plain(modes.samples)}`),
          row('reverse KL of the modes', modes.reverseKl === null ? 'none (no high-quality sample)' : stat(modes.reverseKl)),
        ]),
    row('MMD² (p-value)', `${stat(m.mmd.statistic)} (p = ${stat(m.mmd.pValue)})`),
    row('energy distance (p-value)', `${stat(m.energy.statistic)} (p = ${stat(m.energy.pValue)})`),
    row('classifier accuracy ± standard error', `${stat(m.classifier.accuracy)} ± ${stat(m.classifier.standardError)} (p = ${stat(m.classifier.pValue)})`),
  ]
  return [
    '<section>',
    '<h2>Metrics</h2>',
    `<p class="note">${escapeXml(`Of the final generator (docs/metrics.md): ${modes === undefined ? '' : `mode coverage of ${modes.samples} samples; `}two-sample tests of ${m.mmd.samples} real against ${m.mmd.samples} generated points with ${m.mmd.permutations} permutations each; a fresh classifier's held-out accuracy on ${m.classifier.testRows} points (0.5: it cannot tell them apart).`)}</p>`,
    '<table class="statistics">',
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
    '</section>',
  ]
}

const configTable = (config: unknown): string =>
  [
    '<table class="config">',
    '<thead><tr><th>field</th><th>value</th></tr></thead>',
    '<tbody>',
    ...configRows(config).map(([k, v]) => `<tr><th><code>${escapeXml(k)}</code></th><td><code>${escapeXml(v)}</code></td></tr>`),
    '</tbody>',
    '</table>',
  ].join('\n')

/** The width of a recorded config's data, undefined when it cannot be told. */
const recordedWidth = (data: { readonly kind?: unknown; readonly b?: unknown; readonly rows?: unknown; readonly width?: unknown } | undefined): number | undefined => {
  if (data === undefined) return undefined
  if (data.kind === 'mnist') return typeof data.width === 'number' ? data.width : undefined
  if (data.kind === 'affine-gaussian') return Array.isArray(data.b) ? data.b.length : undefined
  if (data.kind === 'table') return Array.isArray(data.rows) && Array.isArray(data.rows[0]) ? data.rows[0].length : undefined
  return typeof data.kind === 'string' ? 2 : undefined
}

/** Why a record has no heat map of D (from its config), as the end of a sentence. */
const noHeatMapReason = (config: unknown): string => {
  const c = (config ?? {}) as { readonly data?: { readonly kind?: unknown; readonly b?: unknown; readonly rows?: unknown }; readonly pack?: unknown }
  const width = recordedWidth(c.data)
  if (width !== 2) return `it is drawn for 2-column data only, and this run's data has ${width === undefined ? 'no known number of' : plain(width)} columns`
  if (c.pack !== undefined && c.pack !== 1) return `D reads packs of ${plain(c.pack)} points in this run (PacGAN), so it has no output for a single point`
  return 'this record holds no grid of its output'
}

/** The note on the heat maps under the scatters: what they show, their grid and colour scale, or why there are none. */
const heatMapNote = (record: RunRecord): string => {
  const grid = record.snapshots.find((s) => s.critic !== undefined)?.critic
  if (grid === undefined) return `No heat map of D under the points: ${noHeatMapReason(record.config)}.`
  const meaning = criticMeaning(record.config)
  return (
    `Under the points, D(x): the discriminator's raw output (its logit, or the critic's value) at the centres of a ${plain(grid.size)} x ${plain(grid.size)} grid ` +
    "over the real data's range (widened by 3% on each side, then to whole tick steps), the same grid in every frame. " +
    'White at 0, blue below, red above; each frame has its own scale, full colour at its largest |D(x)|, and its colour bar gives its least and greatest value.' +
    (meaning === '' ? '' : ` ${meaning}`)
  )
}

/** True when the record's config has a batch normalisation layer in G (read as any JSON: a record comes from a file). */
const generatorHasBatchNorm = (config: unknown): boolean => {
  const layers = (config as { readonly generator?: { readonly layers?: unknown } } | null | undefined)?.generator?.layers
  return Array.isArray(layers) && layers.some((layer: unknown) => (layer as { readonly kind?: unknown } | null)?.kind === 'batchnorm')
}

/**
 * The note on how the generated points were made, for a generator with batch normalisation
 * (docs/gan.md, "Batch normalisation in the generator"): in evaluation mode, with the running
 * statistics. Empty for any other generator, whose points have no mode to tell.
 */
const samplesModeNote = (config: unknown): string =>
  generatorHasBatchNorm(config)
    ? 'The generator has batch normalisation: every generated point in this report (the scatter above, the frames below and the statistics) comes from its evaluation mode, normalised with the running mean and variance kept during training, not with the statistics of the points generated with it, so each point depends on its own noise only.'
    : ''

/**
 * A self-contained page (report.html, sweep.html): the doctype, a head with a
 * Content-Security-Policy that allows nothing but inline styles, `title` and `style`; then in
 * `<main>` the title as its heading, the `body` lines (empty ones dropped) and `footer` (text,
 * escaped). Lines joined by newlines, with a final newline.
 *
 * @internal
 */
export const htmlPage = (title: string, style: string, body: ReadonlyArray<string>, footer: string, allow = ''): string =>
  [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8"/>',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${allow === '' ? '' : `; ${allow}`}"/>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
    `<title>${escapeXml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeXml(title)}</h1>`,
    ...body,
    `<footer>${escapeXml(footer)}</footer>`,
    '</main>',
    '</body>',
    '</html>',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n')

/**
 * The report of a run as one self-contained HTML5 page: no scripts, no external styles,
 * fonts or images, nothing fetched (a Content-Security-Policy of `default-src 'none'` says
 * so to the browser). It holds the title "pure-gan run (seed N)", the seed's final line
 * `loss_D …, loss_G …`, the loss plot (with the reference levels and a caption that hold for
 * the run's objective, `lossReferences`), the final scatter (the real sample against the last
 * snapshot), every snapshot as a frame on common axes (for 2-column data without packing,
 * each over a heat map of D's output on a fixed grid, with a note on its colours; otherwise
 * a note saying why there is none; for a generator with batch normalisation, a note that
 * the points come from its evaluation mode), the generator's statistics against
 * the true distribution (mean, covariance, Fréchet distance, number of samples) and the
 * configuration, every field of it. Every string from the record is escaped. The markup is
 * also well-formed XML.
 *
 * A run on MNIST gets its own page: the real and generated digits as PNG grids, and with
 * `digitMetrics` (digit-metrics.json) the classifier's numbers beside the paper's.
 *
 * Throws a `RangeError` (from the plots) when the record holds non-finite losses or points.
 *
 * @example
 * import { readFileSync, writeFileSync } from 'node:fs'
 * import { reportHtml } from 'pure-gan'
 * writeFileSync('report.html', reportHtml(JSON.parse(readFileSync('run.json', 'utf8'))))
 *
 * @category page
 * @since 0.1.0
 */
export const reportHtml = (record: RunRecord, digitMetrics?: DigitMetricsRecord): string => {
  if ((record.config.data as { readonly kind?: unknown }).kind === 'mnist') return imageReportHtml(record, digitMetrics)
  const title = `pure-gan run (seed ${plain(record.config.seed)})`
  const history = record.history
  const finalLine = finalLossLine(history)
  const last = history[history.length - 1]
  const lastSnapshot = record.snapshots[record.snapshots.length - 1]
  const frames = snapshotPlotsSvg(record)
  const examples = last === undefined ? '' : ` over ${plain(last.examples)} examples`
  const body = [
    finalLine === undefined
      ? '<p class="final">No epochs recorded.</p>'
      : `<p class="final"><code>${escapeXml(finalLine)}</code></p>`,
    last === undefined
      ? ''
      : `<p class="note">Mean losses per example in epoch ${escapeXml(plain(last.epoch))}${escapeXml(examples)}. The seed also prints examples/sec; that is a timing, so it is kept in timing.json, not in the run record.</p>`,
    '<section class="plots">',
    figure(lossPlotSvg(history, { references: lossReferences(record.config) }), lossCaption(record.config)),
    lastSnapshot === undefined
      ? '<p class="note">No generated samples in this record.</p>'
      : figure(
          samplesPlotSvg(record.realSample, lastSnapshot.points, {
            title: `epoch ${plain(lastSnapshot.epoch)}`,
            ...(lastSnapshot.critic === undefined ? {} : { critic: lastSnapshot.critic }),
          }),
          `The real sample (${record.realSample.length} points) and ${lastSnapshot.points.length} generated points after epoch ${plain(lastSnapshot.epoch)}` +
            (lastSnapshot.critic === undefined ? '.' : ", over the discriminator's output D(x) at that epoch (white at 0, blue below, red above; see below)."),
        ),
    '</section>',
    '<section>',
    '<h2>Generated points during training</h2>',
    samplesModeNote(record.config) === '' ? '' : `<p class="note">${escapeXml(samplesModeNote(record.config))}</p>`,
    frames.length === 0
      ? '<p class="note">No snapshots in this record.</p>'
      : `<p class="note">The same noise at every snapshot, all frames on the same axes.</p>\n<p class="note">${escapeXml(heatMapNote(record))}</p>\n<div class="frames">\n${frames.map((f) => figure(f.svg)).join('\n')}\n</div>`,
    '</section>',
    '<section>',
    '<h2>Generator statistics</h2>',
    ...(record.summary === undefined
      ? ['<p class="note">This record has no statistics of the generated points.</p>']
      : [`<p class="note">${escapeXml(plain(record.summary.samples))} generated samples against ${escapeXml(referenceText(record.config))}.</p>`, statisticsTable(record.summary)]),
    '</section>',
    ...metricsSection(record.metrics),
    '<section>',
    '<h2>Configuration</h2>',
    configTable(record.config),
    '</section>',
  ]
  return htmlPage(title, STYLE, body, `Record format ${plain(record.format)} version ${plain(record.version)}, written by pure-gan ${plain(record.packageVersion)}.`)
}

/** Rows of square images as a 10-column grid PNG, embedded as a data URI in an `<img>` with `alt` text. */
const digitGridImg = (rows: ReadonlyArray<ReadonlyArray<number>>, range: PixelScale, alt: string): string => {
  const image = digitRowsGrid(rows, range)
  return `<img class="digits" src="data:image/png;base64,${base64(encodePng(image))}" alt="${escapeXml(alt)}" width="${plain(image.width)}" height="${plain(image.height)}"/>`
}

/**
 * The report of a run on MNIST: the final line, the loss plot, the real digits beside the
 * generated ones after each snapshot epoch (one 10 x 10 grid each, from the same noise, as
 * PNG data URIs), the metrics against held-out digits, and the configuration.
 */
const imageReportHtml = (record: RunRecord, digitMetrics: DigitMetricsRecord | undefined): string => {
  const title = `pure-gan run on MNIST (seed ${plain(record.config.seed)})`
  const history = record.history
  const finalLine = finalLossLine(history)
  const range = ((record.config.data as { readonly scale?: unknown }).scale === '-1..1' ? '-1..1' : '0..1') as PixelScale
  const frames = record.snapshots.map((s) =>
    figure(digitGridImg(s.points, range, `${s.points.length} generated digits after epoch ${plain(s.epoch)}`), `After epoch ${plain(s.epoch)}`),
  )
  const body = [
    finalLine === undefined ? '<p class="final">No epochs recorded.</p>' : `<p class="final"><code>${escapeXml(finalLine)}</code></p>`,
    '<section class="plots">',
    figure(lossPlotSvg(history, { references: lossReferences(record.config) }), lossCaption(record.config)),
    figure(digitGridImg(record.realSample, range, `${record.realSample.length} real training digits`), `${plain(record.realSample.length)} real digits of the training rows`),
    '</section>',
    '<section>',
    '<h2>Generated digits during training</h2>',
    frames.length === 0 ? '<p class="note">No snapshots in this record.</p>' : `<p class="note">The same noise at every snapshot.</p>\n<div class="frames">\n${frames.join('\n')}\n</div>`,
    '</section>',
    ...digitMetricsSection(digitMetrics),
    ...metricsSection(record.metrics),
    '<section>',
    '<h2>Configuration</h2>',
    configTable(record.config),
    '</section>',
  ]
  return htmlPage(
    title,
    `${STYLE} img.digits{image-rendering:pixelated;width:100%;max-width:580px;height:auto}`,
    body,
    `Record format ${plain(record.format)} version ${plain(record.version)}, written by pure-gan ${plain(record.packageVersion)}.`,
    "img-src data:",
  )
}

/** A number of a digit metric: 4 significant digits, or a dash for one JSON could not carry. */
const metricCell = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? escapeXml(x.toPrecision(4)) : '–')

/**
 * The classifier's numbers of a run on MNIST (digit-metrics.json): per snapshot epoch the
 * classifier score and the feature Fréchet distance, the real digits' values beside them,
 * and the Parzen estimate beside the paper's Table 1; nothing without them.
 */
const digitMetricsSection = (m: DigitMetricsRecord | undefined): ReadonlyArray<string> => {
  if (m === undefined) return []
  const rows = m.epochs.map((e) => `<tr><td>${escapeXml(plain(e.epoch))}</td><td>${metricCell(e.classifierScore)}</td><td>${metricCell(e.fid)}</td></tr>`)
  const parzen =
    m.parzen === undefined
      ? '<p class="note">No Parzen estimate: the run holds out no validation digits to choose σ on.</p>'
      : `<p class="note">Parzen-window log-likelihood of the test digits under ${escapeXml(plain(m.parzen.samples))} generated ones, σ = ${metricCell(m.parzen.sigma)} chosen on the validation digits: <strong>${metricCell(m.parzen.mean)} ± ${metricCell(m.parzen.standardError)}</strong> (Goodfellow et al. 2014, Table 1: adversarial nets 225 ± 2, deep GSN 214 ± 1.1, DBN 138 ± 2, stacked CAE 121 ± 1.6; an estimator Theis et al. 2016 show unreliable in high dimension).</p>`
  return [
    '<section>',
    "<h2>The classifier's numbers</h2>",
    `<p class="note">Scored with the classifier file of SHA-256 ${escapeXml(m.classifier.slice(0, 12))}…: comparable only between runs scored with the same file, and only within pure-gan (docs/mnist.md). Real test digits: classifier score ${metricCell(m.reference.classifierScore)}, feature Fréchet distance to the validation digits ${metricCell(m.reference.fid)}.</p>`,
    '<table>',
    '<thead><tr><th>epoch</th><th>classifier score</th><th>feature Fréchet distance</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody>`,
    '</table>',
    parzen,
    '</section>',
  ]
}
