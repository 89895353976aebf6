/**
 * Small pure helpers for writing SVG and HTML by hand: escaping, deterministic number
 * formatting, a linear scale and "nice" axis ticks. Nothing here depends on a locale, the
 * clock or the environment, so the same input always gives the same bytes.
 *
 * @module
 */

// -------------------------------------------------------------------------------------
// escaping
// -------------------------------------------------------------------------------------

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, U+FFFE, U+FFFF) and lone surrogates. */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

const ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * `text` made safe for XML/HTML text and for quoted attribute values: `& < > " '` become
 * character references, and the few characters XML cannot represent at all (C0 controls
 * other than tab/LF/CR, U+FFFE, U+FFFF, lone surrogates) become U+FFFD.
 *
 * @example
 * import { escapeXml } from 'pure-gan'
 * escapeXml(`a < b & "c"`) // 'a &lt; b &amp; &quot;c&quot;'
 *
 * @category escaping
 * @since 0.1.0
 */
export const escapeXml = (text: string): string =>
  text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITY[c] ?? c)

// -------------------------------------------------------------------------------------
// numbers
// -------------------------------------------------------------------------------------

/**
 * Throws a `RangeError` naming `what` unless every value is a finite number.
 *
 * @category numbers
 * @since 0.1.0
 */
export const assertFinite = (what: string, values: Iterable<number>): void => {
  let i = 0
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${what}: every value must be a finite number, got ${String(v)} at position ${i}`)
    }
    i++
  }
}

/**
 * `x` in plain decimal notation with at most `decimals` digits after the point (rounded as
 * `Number.prototype.toFixed` does), trailing zeros and a trailing point removed, never
 * `-0` and never exponent notation, even for `|x| >= 1e21`. For SVG coordinates and
 * attribute values. Throws a `RangeError` for a non-finite `x`.
 *
 * @example
 * import { formatNumber } from 'pure-gan'
 * formatNumber(12.3456) // '12.35'
 * formatNumber(-0.001) // '0'
 * formatNumber(40, 2) // '40'
 *
 * @category numbers
 * @since 0.1.0
 */
export const formatNumber = (x: number, decimals = 2): string => {
  if (!Number.isFinite(x)) throw new RangeError(`formatNumber: expected a finite number, got ${String(x)}`)
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`formatNumber: decimals must be an integer in 0..20, got ${decimals}`)
  }
  // toFixed switches to exponent notation at 1e21; such doubles are integers, so BigInt is exact.
  let s = Math.abs(x) >= 1e21 ? BigInt(x).toString() : x.toFixed(decimals)
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '')
  return s === '-0' ? '0' : s
}

// -------------------------------------------------------------------------------------
// scales
// -------------------------------------------------------------------------------------

/**
 * A closed interval `[lo, hi]` with `lo <= hi`.
 *
 * @category scales
 * @since 0.1.0
 */
export type Interval = readonly [lo: number, hi: number]

/**
 * The affine map taking `domain[0]` to `range[0]` and `domain[1]` to `range[1]` (a range
 * may run backwards, as the y axis of an SVG does). Domains too wide for `d1 - d0` (up to
 * `[-MAX_VALUE, MAX_VALUE]`) are handled on halves, without overflow. A zero-width domain maps everything to the
 * middle of the range. Throws a `RangeError` for non-finite bounds.
 *
 * @example
 * import { linearScale } from 'pure-gan'
 * const y = linearScale([0, 1], [300, 20])
 * y(0.5) // 160
 *
 * @category scales
 * @since 0.1.0
 */
export const linearScale = (domain: Interval, range: Interval): ((x: number) => number) => {
  assertFinite('linearScale: domain and range', [...domain, ...range])
  const [d0, d1] = domain
  const [r0, r1] = range
  const rSpan = r1 - r0
  const width = d1 - d0
  if (width === 0) return () => r0 + rSpan / 2
  if (Number.isFinite(width)) return (x) => r0 + ((x - d0) / width) * rSpan
  const half = d1 / 2 - d0 / 2 // the width overflowed: work on halves
  return (x) => r0 + ((x / 2 - d0 / 2) / half) * rSpan
}

// -------------------------------------------------------------------------------------
// ticks
// -------------------------------------------------------------------------------------

/**
 * Axis ticks for a data range: `domain` is the range widened to whole steps (where that
 * stays finite), `ticks` are the multiples of `step` inside it, in increasing order, and
 * `labels` their texts. `step` is `1`, `2` or `5` times a power of ten.
 *
 * @category model
 * @since 0.1.0
 */
export interface Ticks {
  readonly domain: Interval
  readonly step: number
  readonly ticks: ReadonlyArray<number>
  readonly labels: ReadonlyArray<string>
}

/**
 * Options of `niceTicks`: about how many intervals to aim for (default 5), and whether the
 * ticks must be integers (epochs).
 *
 * @category model
 * @since 0.1.0
 */
export interface TickOptions {
  readonly count?: number
  readonly integer?: boolean
}

/** Below this width (absolute, or relative to the values) a range is treated as a single value. */
const TINY_ABSOLUTE = 1e-280
const TINY_RELATIVE = 1e-9

/** `m·10^k` for a safe integer `m`: the double nearest the decimal value (JavaScript parses correctly rounded). */
const decimal = (m: number, k: number): number => Number(`${m}e${k}`)

/**
 * The decimal exponent of a finite `x > 0`: `e` with `x ≈ d.ddd·10^e` in the shortest
 * round-trip digits (`toExponential()`, which ECMAScript specifies exactly, so every engine
 * agrees). It is `floor(log10 x)`, except that a double just below a power of ten whose
 * shortest digits round up to it (the double nearest 1e23) counts as that power.
 */
const decimalExponent = (x: number): number => Number(x.toExponential().split('e')[1])

const tickLabel = (value: number, k: number): string => {
  if (k >= -12 && Math.abs(value) < 1e15) return (value + 0).toFixed(Math.max(0, -k))
  if (value === 0) return '0'
  // Far outside everyday ranges: a short exponent form beats 300 zeros.
  const digits = Math.max(0, Math.min(20, decimalExponent(Math.abs(value)) - k))
  const [mantissa = '', exponent = ''] = value.toExponential(digits).split('e')
  const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa
  return `${m}e${exponent.startsWith('+') ? exponent.slice(1) : exponent}`
}

/**
 * "Nice" ticks for the values in `[min, max]`: a step of 1, 2 or 5 times a power of ten
 * giving about `count` intervals, the domain widened outwards to whole steps, and labels
 * with as many decimals as the step needs, the same for every label (exponent notation
 * only for steps below 1e-12 or values from 1e15 on). A degenerate range (`min === max`,
 * e.g. all losses equal, or a width below `1e-9` of the values or below `1e-280`) is
 * widened to 5% of the value on each side (to `±1` around 0); for integer ticks a range
 * narrower than 1 is widened to at least `±1`. Throws a `RangeError` for non-finite bounds or
 * `min > max`.
 *
 * @example
 * import { niceTicks } from 'pure-gan'
 * niceTicks(0.31, 1.42).labels // ['0.0', '0.5', '1.0', '1.5']
 * niceTicks(1, 20, { integer: true }).labels // ['0', '5', '10', '15', '20']
 *
 * @category ticks
 * @since 0.1.0
 */
export const niceTicks = (min: number, max: number, options: TickOptions = {}): Ticks => {
  assertFinite('niceTicks: range', [min, max])
  if (min > max) throw new RangeError(`niceTicks: min must be <= max, got [${min}, ${max}]`)
  const count = options.count ?? 5
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new RangeError(`niceTicks: count must be an integer in 1..100, got ${count}`)
  const integer = options.integer === true

  let lo = min
  let hi = max
  const magnitude = Math.max(Math.abs(lo), Math.abs(hi))
  const half = hi / 2 - lo / 2
  if (half < TINY_ABSOLUTE || half < magnitude * TINY_RELATIVE || (integer && half < 0.5)) {
    const centre = lo / 2 + hi / 2
    const pad = Math.max(Math.abs(centre) * 0.05 < 1e-270 ? 1 : Math.abs(centre) * 0.05, integer ? 1 : 0)
    lo = Math.max(-Number.MAX_VALUE, centre - pad)
    hi = Math.min(Number.MAX_VALUE, centre + pad)
  }

  // step ≈ (hi - lo) / count = 10^k · normalised with normalised in [1, 10): k from the
  // decimal exponents of the two factors (their sum is floor(log10) of the product or one
  // below it), then corrected by one step either way; nothing overflows.
  const halfSpan = hi / 2 - lo / 2
  let k = decimalExponent(halfSpan) + decimalExponent(2 / count)
  const normalised = (): number => (halfSpan / decimal(1, k)) * (2 / count)
  while (normalised() < 1) k -= 1
  while (normalised() >= 10) k += 1
  const norm = normalised()
  const fuzz = 1 + 1e-9 // a raw step of 2.0000000000000018 is a step of 2
  let m = norm <= fuzz ? 1 : norm <= 2 * fuzz ? 2 : norm <= 5 * fuzz ? 5 : 10
  if (m === 10) {
    m = 1
    k += 1
  }
  if (integer && k < 0) {
    m = 1
    k = 0
  }
  if (!Number.isFinite(decimal(m, k))) {
    m = 1
    k = 308
  }
  const step = decimal(m, k)

  // Whole steps just outside [lo, hi], forgiving the rounding of lo / step (1.05 / 0.05 = 21.000000000000004).
  const tolerance = (r: number): number => Math.max(1e-9, Math.abs(r) * 1e-14)
  const first = Math.floor(lo / step + tolerance(lo / step))
  const last = Math.ceil(hi / step - tolerance(hi / step))
  const lowTick = decimal(first * m, k)
  const highTick = decimal(last * m, k)
  const domainLo = Number.isFinite(lowTick) && lowTick <= lo ? lowTick : lo
  const domainHi = Number.isFinite(highTick) && highTick >= hi ? highTick : hi

  const ticks: number[] = []
  for (let n = first; n <= last; n++) {
    const v = decimal(n * m, k) + 0 // + 0 turns -0 into 0
    if (Number.isFinite(v) && v >= domainLo && v <= domainHi) ticks.push(v)
  }
  return { domain: [domainLo, domainHi], step, ticks, labels: ticks.map((t) => tickLabel(t, k)) }
}

/**
 * `niceTicks` for an axis `pixels` long whose labels sit side by side (an x axis): the most
 * ticks, up to `options.count` intervals (default 5), whose labels (estimated by
 * `textWidth`) keep at least 8 pixels apart; the sparsest ticks (one interval) when none do.
 *
 * @example
 * import { fitTicks } from 'pure-gan'
 * fitTicks(0, 1_600_000, 360).labels // ['0', '500000', '1000000', '1500000', '2000000']
 *
 * @category ticks
 * @since 0.1.0
 */
export const fitTicks = (min: number, max: number, pixels: number, options: TickOptions = {}): Ticks => {
  let ticks = niceTicks(min, max, options)
  for (let count = options.count ?? 5; count >= 1; count--) {
    ticks = niceTicks(min, max, { ...options, count })
    const [lo, hi] = ticks.domain
    const spacing = (pixels * (ticks.step / 2)) / (hi / 2 - lo / 2)
    if (widest(ticks.labels) + 8 <= spacing) return ticks
  }
  return ticks
}

// -------------------------------------------------------------------------------------
// drawing
// -------------------------------------------------------------------------------------

/**
 * The rectangle of a plot's data area inside its SVG, in pixels.
 *
 * @category drawing
 * @since 0.1.0
 */
export interface PlotArea {
  readonly left: number
  readonly top: number
  readonly width: number
  readonly height: number
}

/** The font every plot uses: generic, so nothing is fetched. */
export const FONT_FAMILY = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif'

/**
 * An attribute list ` name="value" ...` from pairs, values escaped; numbers go through
 * `formatNumber`. Keys keep their order, so the output is deterministic.
 *
 * @example
 * import { attributes } from 'pure-gan'
 * attributes({ cx: 1.005, fill: 'a"b' }) // ' cx="1" fill="a&quot;b"'
 *
 * @category drawing
 * @since 0.1.0
 */
export const attributes = (attrs: Readonly<Record<string, string | number>>): string =>
  Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? formatNumber(v) : escapeXml(v)}"`)
    .join('')

/**
 * A standalone SVG document: the `xmlns`, `width`/`height`/`viewBox`, a `<title>` for
 * screen readers and tooltips, the shared font, then `body`.
 *
 * @category drawing
 * @since 0.1.0
 */
export const svgDocument = (width: number, height: number, title: string, body: ReadonlyArray<string>): string =>
  [
    `<svg xmlns="http://www.w3.org/2000/svg"${attributes({ width, height, viewBox: `0 0 ${formatNumber(width)} ${formatNumber(height)}` })} role="img"${attributes({ 'font-family': FONT_FAMILY })} font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect class="background" x="0" y="0"${attributes({ width, height })} fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n')

/**
 * The frame of a plot: a light background for the data area (carrying the data domains as
 * `data-x-domain` / `data-y-domain`, exactly, for readers of the SVG), grid lines and tick
 * marks at the ticks, tick labels (each with its exact value as `data-value`), the two axis
 * lines and the axis titles.
 *
 * @category drawing
 * @since 0.1.0
 */
export const axesSvg = (area: PlotArea, x: Ticks, y: Ticks, titles: { readonly x: string; readonly y: string }): string => {
  const { left, top, width, height } = area
  const right = left + width
  const bottom = top + height
  const sx = linearScale(x.domain, [left, right])
  const sy = linearScale(y.domain, [bottom, top])
  const out: string[] = [
    `<rect class="plot-area"${attributes({ x: left, y: top, width, height })} fill="#fafafa" data-x-domain="${x.domain.map(String).join(' ')}" data-y-domain="${y.domain.map(String).join(' ')}"/>`,
    '<g class="grid" stroke="#e3e3e3" stroke-width="1">',
  ]
  for (const t of x.ticks) out.push(`<line${attributes({ x1: sx(t), y1: top, x2: sx(t), y2: bottom })}/>`)
  for (const t of y.ticks) out.push(`<line${attributes({ x1: left, y1: sy(t), x2: right, y2: sy(t) })}/>`)
  out.push('</g>', '<g class="axis" data-axis="x" stroke="#444444" fill="#333333">')
  out.push(`<line${attributes({ x1: left, y1: bottom, x2: right, y2: bottom })}/>`)
  x.ticks.forEach((t, i) => {
    out.push(`<line${attributes({ x1: sx(t), y1: bottom, x2: sx(t), y2: bottom + 5 })}/>`)
    out.push(
      `<text${attributes({ x: sx(t), y: bottom + 18 })} text-anchor="middle" stroke="none" data-value="${String(t)}">${escapeXml(x.labels[i] ?? '')}</text>`,
    )
  })
  out.push(
    `<text class="axis-title"${attributes({ x: left + width / 2, y: bottom + 38 })} text-anchor="middle" stroke="none" font-size="13">${escapeXml(titles.x)}</text>`,
    '</g>',
    '<g class="axis" data-axis="y" stroke="#444444" fill="#333333">',
    `<line${attributes({ x1: left, y1: top, x2: left, y2: bottom })}/>`,
  )
  y.ticks.forEach((t, i) => {
    out.push(`<line${attributes({ x1: left - 5, y1: sy(t), x2: left, y2: sy(t) })}/>`)
    out.push(
      `<text${attributes({ x: left - 8, y: sy(t) + 4 })} text-anchor="end" stroke="none" data-value="${String(t)}">${escapeXml(y.labels[i] ?? '')}</text>`,
    )
  })
  const ty = top + height / 2
  const tx = Math.max(14, left - 8 - widest(y.labels) - 12)
  out.push(
    `<text class="axis-title"${attributes({ x: tx, y: ty, transform: `rotate(-90 ${formatNumber(tx)} ${formatNumber(ty)})` })} text-anchor="middle" stroke="none" font-size="13">${escapeXml(titles.y)}</text>`,
    '</g>',
  )
  return out.join('\n')
}

/**
 * One entry of a legend: its label, colour, and whether the series is drawn as a line with
 * markers or as dots.
 *
 * @category drawing
 * @since 0.1.0
 */
export interface LegendEntry {
  readonly label: string
  readonly colour: string
  readonly kind: 'line' | 'dot'
}

/**
 * A generous estimate of the width of `text` in pixels at `fontSize` (default 12) in a
 * sans-serif font: 0.6 em per character.
 *
 * @category drawing
 * @since 0.1.0
 */
export const textWidth = (text: string, fontSize = 12): number => Array.from(text).length * fontSize * 0.6

/**
 * The estimated width of the widest of `labels` (0 for none).
 *
 * @category drawing
 * @since 0.1.0
 */
export const widest = (labels: ReadonlyArray<string>, fontSize = 12): number => labels.reduce((w, l) => Math.max(w, textWidth(l, fontSize)), 0)

/**
 * `text` cut to at most `pixels` wide (as `textWidth` estimates it), ending in "…" when cut;
 * never splits a surrogate pair.
 *
 * @example
 * import { truncateText } from 'pure-gan'
 * truncateText('a long caption', 60) // 'a long …'
 *
 * @category drawing
 * @since 0.1.0
 */
export const truncateText = (text: string, pixels: number, fontSize = 12): string => {
  const chars = Array.from(text)
  const fits = Math.max(0, Math.floor(pixels / (fontSize * 0.6)))
  return chars.length <= fits ? text : `${chars.slice(0, Math.max(0, fits - 1)).join('')}…`
}

/**
 * A one-row legend whose right edge is at `right` and whose baseline is at `y`; each entry
 * is a `<g data-legend="label">` with a swatch and the label.
 *
 * @category drawing
 * @since 0.1.0
 */
export const legendSvg = (entries: ReadonlyArray<LegendEntry>, right: number, y: number): string => {
  const swatch = 22
  const gap = 16
  const widths = entries.map((e) => swatch + 6 + textWidth(e.label))
  let x = right - widths.reduce((s, w) => s + w, 0) - gap * Math.max(0, entries.length - 1)
  const out: string[] = ['<g class="legend">']
  entries.forEach((e, i) => {
    const mid = y - 4
    const mark =
      e.kind === 'line'
        ? `<line${attributes({ x1: x, y1: mid, x2: x + swatch, y2: mid, stroke: e.colour })} stroke-width="2"/><circle${attributes({ cx: x + swatch / 2, cy: mid, r: 3, fill: e.colour })}/>`
        : `<circle${attributes({ cx: x + swatch / 2, cy: mid, r: 4, fill: e.colour })} fill-opacity="0.8"/>`
    out.push(
      `<g${attributes({ 'data-legend': e.label })}>${mark}<text${attributes({ x: x + swatch + 6, y })} fill="#222222">${escapeXml(e.label)}</text></g>`,
    )
    x += (widths[i] ?? 0) + gap
  })
  out.push('</g>')
  return out.join('\n')
}
