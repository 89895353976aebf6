/**
 * The seed's loss curves: mean loss per example of the generator and of the discriminator
 * over the epochs, as a standalone SVG, with the equilibrium value ln 2 as a reference.
 *
 * @module
 */
import type { EpochReport } from '../gan/train.js'
import { type LegendEntry, assertFinite, attributes, axesSvg, escapeXml, fitTicks, formatNumber, legendSvg, linearScale, niceTicks, svgDocument, widest } from './svg.js'

// -------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------

/**
 * The colours of the two curves: orange for the generator (as its points in the scatter),
 * blue for the discriminator.
 *
 * @category constants
 * @since 0.1.0
 */
export const LOSS_COLOURS = { generator: '#e8710a', discriminator: '#1f5fa8' } as const

/**
 * A level drawn across the loss plot as a dashed line, labelled at its right end (ln 2 for
 * the seed's objective: where both losses sit when D can no longer tell real from fake).
 *
 * @category model
 * @since 0.3.0
 */
export interface LossReference {
  readonly label: string
  readonly value: number
}

/**
 * Options of `lossPlotSvg`: `references`, the levels to draw (default: one at ln 2, the
 * seed's equilibrium; `lossReferences(config)` gives each objective's, `[]` none).
 *
 * @category model
 * @since 0.3.0
 */
export interface LossPlotOptions {
  readonly references?: ReadonlyArray<LossReference>
}

/** Width and height of the loss plot, in pixels. */
const WIDTH = 640
const HEIGHT = 360

/**
 * The most epochs drawn point by point, each with a marker. A longer history is drawn as
 * one polyline through the lowest and highest loss of each pixel column (and no markers),
 * so the plot's size stays bounded however many epochs a run has.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_MARKED_EPOCHS = 500

// -------------------------------------------------------------------------------------
// plots
// -------------------------------------------------------------------------------------

/**
 * The loss curves of a run as a standalone SVG (640 x 360): x axis "epoch" with integer
 * ticks, y axis "loss", one polyline with point markers per network, a legend with the
 * seed's labels "generator" and "discriminator", and a dashed reference line at ln 2 (where
 * both losses sit when D can no longer tell real from fake under the seed's objective) or at
 * each of `options.references` (the y range always includes them).
 *
 * For readers of the SVG: each curve is a `<g data-series="generator">` (or
 * `"discriminator"`) holding a `<polyline data-series=...>` and one `<circle>` per epoch with
 * the exact values as `data-epoch` / `data-loss` and a `<title>`; the data area is a
 * `<rect class="plot-area">` with exact `data-x-domain` / `data-y-domain`.
 *
 * A history of more than {@link MAX_MARKED_EPOCHS} epochs is drawn without markers, as a
 * polyline through the first, lowest, highest and last points (in epoch order) of each run
 * of consecutive epochs that fall in one pixel column, marked `data-decimated="min-max"`:
 * the curves' envelope, at most a few thousand points for any number of epochs.
 *
 * Each reference is a `<g class="reference" data-reference="label">` with its line and label.
 *
 * Throws a `RangeError` when an epoch, a loss or a reference value is not a finite number.
 * An empty history gives empty axes.
 *
 * @example
 * import { lossPlotSvg, seedConfig, train } from 'pure-gan'
 * const svg = lossPlotSvg(train({ ...seedConfig, epochs: 3 }).history)
 *
 * @category plots
 * @since 0.1.0
 */
export const lossPlotSvg = (history: ReadonlyArray<EpochReport>, options: LossPlotOptions = {}): string => {
  assertFinite('lossPlotSvg: epochs', history.map((r) => r.epoch))
  assertFinite('lossPlotSvg: generator losses', history.map((r) => r.lossG))
  assertFinite('lossPlotSvg: discriminator losses', history.map((r) => r.lossD))
  const references = options.references ?? [{ label: 'ln 2', value: Math.LN2 }]
  assertFinite('lossPlotSvg: reference values', references.map((r) => r.value))
  const epochs = history.map((r) => r.epoch)
  const levels = references.map((r) => r.value)
  // An empty history without references still needs a y range: ln 2's, as before.
  const [lowLoss, highLoss] = extent(history.length === 0 && levels.length === 0 ? [Math.LN2] : levels, history.map((r) => r.lossG), history.map((r) => r.lossD))
  const yTicks = niceTicks(lowLoss, highLoss)
  const left = Math.round(Math.max(58, widest(yTicks.labels) + 38))
  const [firstEpoch, lastEpoch] = epochs.length === 0 ? [0, 1] : extent(epochs)
  const xTicks = fitTicks(firstEpoch, lastEpoch, WIDTH - left - 44, { integer: true })
  // Room on the right for "ln 2" and for half of the last epoch label.
  const right = Math.round(Math.max(44, widest(xTicks.labels) / 2 + 6))
  const area = { left, top: 40, width: WIDTH - left - right, height: HEIGHT - 40 - 52 }
  const sx = linearScale(xTicks.domain, [area.left, area.left + area.width])
  const sy = linearScale(yTicks.domain, [area.top + area.height, area.top])

  const series = (name: 'generator' | 'discriminator', loss: (r: EpochReport) => number, short: string): string => {
    const colour = LOSS_COLOURS[name]
    if (history.length > MAX_MARKED_EPOCHS) {
      const points = envelope(history, loss, (r) => Math.round(sx(r.epoch)))
        .map((r) => `${formatNumber(sx(r.epoch))},${formatNumber(sy(loss(r)))}`)
        .join(' ')
      return [
        `<g class="series"${attributes({ 'data-series': name, stroke: colour, fill: colour })}>`,
        `<polyline${attributes({ 'data-series': name, 'data-decimated': 'min-max', 'data-epochs': history.length, points })} fill="none" stroke-width="2" stroke-linejoin="round"/>`,
        '</g>',
      ].join('\n')
    }
    const points = history.map((r) => `${formatNumber(sx(r.epoch))},${formatNumber(sy(loss(r)))}`).join(' ')
    const markers = history.map(
      (r) =>
        `<circle${attributes({ cx: sx(r.epoch), cy: sy(loss(r)), r: 3 })} data-epoch="${String(r.epoch)}" data-loss="${String(loss(r))}"><title>${escapeXml(`epoch ${r.epoch}: ${short} ${loss(r).toFixed(4)}`)}</title></circle>`,
    )
    return [
      `<g class="series"${attributes({ 'data-series': name, stroke: colour, fill: colour })}>`,
      `<polyline${attributes({ 'data-series': name, points })} fill="none" stroke-width="2" stroke-linejoin="round"/>`,
      ...markers,
      '</g>',
    ].join('\n')
  }

  const referenceSvg = (r: LossReference): string => {
    const y = sy(r.value)
    return [
      `<g class="reference"${attributes({ 'data-reference': r.label })} stroke="#777777" fill="#555555">`,
      `<line${attributes({ x1: area.left, y1: y, x2: area.left + area.width, y2: y })} stroke-dasharray="6 4" stroke-width="1.2"/>`,
      `<text${attributes({ x: area.left + area.width + 6, y: y + 4 })} stroke="none">${escapeXml(r.label)}</text>`,
      '</g>',
    ].join('\n')
  }
  const legend: LegendEntry[] = [
    { label: 'generator', colour: LOSS_COLOURS.generator, kind: 'line' },
    { label: 'discriminator', colour: LOSS_COLOURS.discriminator, kind: 'line' },
  ]
  return svgDocument(WIDTH, HEIGHT, 'Mean loss per example over epochs: generator and discriminator', [
    axesSvg(area, xTicks, yTicks, { x: 'epoch', y: 'loss' }),
    ...references.map(referenceSvg),
    series('discriminator', (r) => r.lossD, 'loss_D'),
    series('generator', (r) => r.lossG, 'loss_G'),
    legendSvg(legend, area.left + area.width, area.top - 14),
  ])
}

/** The least and greatest value of all the lists (at least one value in all), without spreading them as arguments. */
const extent = (...lists: ReadonlyArray<ReadonlyArray<number>>): readonly [number, number] => {
  let low = Infinity
  let high = -Infinity
  for (const list of lists) {
    for (const v of list) {
      if (v < low) low = v
      if (v > high) high = v
    }
  }
  return [low, high]
}

/**
 * The reports to draw of a long history: for each run of consecutive reports in one pixel
 * column (`column`), its first, lowest, highest and last report by `loss`, in history order
 * and without repeats.
 */
const envelope = (history: ReadonlyArray<EpochReport>, loss: (r: EpochReport) => number, column: (r: EpochReport) => number): EpochReport[] => {
  const out: EpochReport[] = []
  let i = 0
  while (i < history.length) {
    const c = column(history[i]!)
    let j = i
    let lo = i
    let hi = i
    while (j + 1 < history.length && column(history[j + 1]!) === c) {
      j++
      if (loss(history[j]!) < loss(history[lo]!)) lo = j
      if (loss(history[j]!) > loss(history[hi]!)) hi = j
    }
    for (const k of [...new Set([i, lo, hi, j])].sort((a, b) => a - b)) out.push(history[k]!)
    i = j + 1
  }
  return out
}
