import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { type GanConfig, type GanState, type EpochReport, decodeStateJson, runData, runMetrics, runStreams, sampleGenerator, seedConfig, stateToJson, summarizeGenerator, train } from '../../src/gan/index.js'
import * as E from '../../src/fp/either.js'
import { stat } from '../../src/report/html.js'
import { sliceRows, toArrays } from '../../src/matrix/index.js'
import {
  type RunRecord,
  configRows,
  escapeXml,
  fitTicks,
  formatNumber,
  linearScale,
  lossPlotSvg,
  niceTicks,
  reportHtml,
  samplesPlotSvg,
  snapshotPlotsSvg,
  textWidth,
  truncateText,
  widest,
} from '../../src/report/index.js'
import { type XmlElement, XmlError, findAll, isXmlChar, parseXml, textContent, wellFormedHtml, wellFormedXml } from '../support/xml.js'

// -------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------

/** A real run record, built as `pure-gan train` builds one: `epochs` epochs, a snapshot after each. */
const recordOf = (config: GanConfig): RunRecord => {
  const snapshots: { epoch: number; points: number[][] }[] = []
  const noise = runStreams(config.seed).evaluation
  const { state, history } = train(config, (report: EpochReport, s: GanState) => {
    snapshots.push({ epoch: report.epoch, points: toArrays(sampleGenerator(s, noise, 100)[0]) })
  })
  const data = runData(config)
  return {
    format: 'pure-gan/run',
    version: 1,
    packageVersion: '0.1.0',
    config,
    history,
    realSample: toArrays(sliceRows(data, 0, Math.min(1000, data.rows))),
    snapshots,
    summary: summarizeGenerator(state),
    finalState: stateToJson(state),
  }
}

/** The state a record holds. */
const decodeStateOrThrow = (json: unknown): GanState => {
  const r = decodeStateJson(json)
  if (E.isLeft(r)) throw new Error(r.left)
  return r.right
}

let record: RunRecord
beforeAll(() => {
  record = recordOf({ ...seedConfig, epochs: 2 })
})

const finiteDouble = fc.double({ noNaN: true, noDefaultInfinity: true })

/** Histories of 1..50 epochs: everyday losses, all-equal losses (including ln 2 itself), or any finite doubles. */
const historyArb: fc.Arbitrary<ReadonlyArray<EpochReport>> = fc
  .oneof(
    fc.array(fc.tuple(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true })), { minLength: 1, maxLength: 50 }),
    fc
      .tuple(fc.oneof(finiteDouble, fc.constant(Math.LN2), fc.constant(0)), fc.integer({ min: 1, max: 50 }))
      .map(([v, n]) => Array.from({ length: n }, () => [v, v] as [number, number])),
    fc.array(fc.tuple(finiteDouble, finiteDouble), { minLength: 1, maxLength: 50 }),
  )
  .map((pairs) => pairs.map(([lossD, lossG], i) => ({ epoch: i + 1, lossD, lossG, examples: 1000 })))

/** Points of 1..3 columns, everyday or any finite values. */
const pointsArb = (width: number, maxLength: number): fc.Arbitrary<ReadonlyArray<ReadonlyArray<number>>> =>
  fc.array(fc.array(fc.oneof(fc.double({ min: -10, max: 10, noNaN: true }), finiteDouble), { minLength: width, maxLength: width }), { maxLength })

// -------------------------------------------------------------------------------------
// reading SVG back
// -------------------------------------------------------------------------------------

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/

const numberAttr = (e: XmlElement, name: string): number => {
  const v = e.attributes[name]
  if (v === undefined || !PLAIN_NUMBER.test(v)) throw new Error(`<${e.name}> ${name}="${String(v)}" is not a plain decimal number`)
  return Number(v)
}

const svgSize = (svg: XmlElement): { width: number; height: number } => {
  expect(svg.name).toBe('svg')
  const width = numberAttr(svg, 'width')
  const height = numberAttr(svg, 'height')
  expect(svg.attributes['viewBox']).toBe(`0 0 ${width} ${height}`)
  return { width, height }
}

/** Every coordinate of every element is a plain decimal inside the viewBox. */
const expectInsideViewBox = (svg: XmlElement): void => {
  const { width, height } = svgSize(svg)
  const inX = (v: number): void => expect(v >= 0 && v <= width, `x ${v} outside 0..${width}`).toBe(true)
  const inY = (v: number): void => expect(v >= 0 && v <= height, `y ${v} outside 0..${height}`).toBe(true)
  for (const e of findAll(svg, (x) => x !== svg)) {
    for (const a of ['x', 'x1', 'x2', 'cx']) if (a in e.attributes) inX(numberAttr(e, a))
    for (const a of ['y', 'y1', 'y2', 'cy']) if (a in e.attributes) inY(numberAttr(e, a))
    if ('width' in e.attributes) inX(numberAttr(e, 'x') + numberAttr(e, 'width'))
    if ('height' in e.attributes) inY(numberAttr(e, 'y') + numberAttr(e, 'height'))
    const points = e.attributes['points']
    if (points !== undefined && points !== '') {
      for (const pair of points.split(' ')) {
        const [x = '', y = '', ...rest] = pair.split(',')
        expect(rest).toEqual([])
        expect(PLAIN_NUMBER.test(x) && PLAIN_NUMBER.test(y), `point "${pair}"`).toBe(true)
        inX(Number(x))
        inY(Number(y))
      }
    }
    const rotate = e.attributes['transform']
    if (rotate !== undefined) {
      const m = /^rotate\(-90 (\S+) (\S+)\)$/.exec(rotate)
      expect(m).not.toBeNull()
      inX(Number(m?.[1]))
      inY(Number(m?.[2]))
    }
  }
}

/** The data area and its exact domains; `toUnit` maps a pixel back to [0, 1] along each axis. */
const plotArea = (svg: XmlElement) => {
  const [rect] = findAll(svg, (e) => e.attributes['class'] === 'plot-area')
  if (rect === undefined) throw new Error('no plot area')
  const domain = (a: string): [number, number] => {
    const [lo, hi] = (rect.attributes[a] ?? '').split(' ').map(Number)
    return [lo as number, hi as number]
  }
  const left = numberAttr(rect, 'x')
  const top = numberAttr(rect, 'y')
  const width = numberAttr(rect, 'width')
  const height = numberAttr(rect, 'height')
  const x = domain('data-x-domain')
  const y = domain('data-y-domain')
  /** Where a value sits in a domain, in [0, 1] (computed on halves, as wide domains overflow otherwise). */
  const unit = ([lo, hi]: [number, number], v: number): number => (hi === lo ? 0.5 : (v / 2 - lo / 2) / (hi / 2 - lo / 2))
  return {
    x,
    y,
    width,
    height,
    pixelToUnitX: (px: number): number => (px - left) / width,
    pixelToUnitY: (py: number): number => (top + height - py) / height,
    valueToUnitX: (v: number): number => unit(x, v),
    valueToUnitY: (v: number): number => unit(y, v),
  }
}

/** Read-back tolerance in unit coordinates: coordinates have 2 decimals (0.005 px), plus rounding. */
const tolerance = (pixels: number): number => 0.0051 / pixels + 1e-9

const series = (svg: XmlElement, name: string): XmlElement[] => [...findAll(svg, (e) => e.name === 'g' && e.attributes['data-series'] === name)]

const legendLabels = (svg: XmlElement): string[] => findAll(svg, (e) => e.attributes['data-legend'] !== undefined).map((e) => textContent(e))

/** The loss plot's curves read back from the SVG and checked against `history`. */
const expectLossPlotOf = (svgText: string, history: ReadonlyArray<EpochReport>): void => {
  const svg = wellFormedXml(svgText)
  expect(svg.attributes['xmlns']).toBe('http://www.w3.org/2000/svg')
  const polylines = findAll(svg, (e) => e.name === 'polyline')
  expect(polylines.map((p) => p.attributes['data-series'])).toEqual(['discriminator', 'generator'])
  const area = plotArea(svg)
  for (const [name, loss] of [
    ['generator', (r: EpochReport) => r.lossG],
    ['discriminator', (r: EpochReport) => r.lossD],
  ] as const) {
    const groups = series(svg, name)
    expect(groups).toHaveLength(1)
    const group = groups[0] as XmlElement
    const [line] = findAll(group, (e) => e.name === 'polyline')
    const points = (line?.attributes['points'] ?? '').split(' ').filter((p) => p !== '')
    expect(points).toHaveLength(history.length)
    const markers = findAll(group, (e) => e.name === 'circle')
    expect(markers).toHaveLength(history.length)
    history.forEach((r, i) => {
      const [px, py] = (points[i] as string).split(',').map(Number) as [number, number]
      expect(Math.abs(area.pixelToUnitX(px) - area.valueToUnitX(r.epoch))).toBeLessThanOrEqual(tolerance(area.width))
      expect(Math.abs(area.pixelToUnitY(py) - area.valueToUnitY(loss(r)))).toBeLessThanOrEqual(tolerance(area.height))
      const m = markers[i] as XmlElement
      expect(Number(m.attributes['data-epoch']) === r.epoch).toBe(true) // === : a -0 loss reads back as 0
      expect(Number(m.attributes['data-loss']) === loss(r)).toBe(true)
      expect([numberAttr(m, 'cx'), numberAttr(m, 'cy')]).toEqual([px, py])
    })
  }
  expect(legendLabels(svg)).toEqual(['generator', 'discriminator'])
  const [reference] = findAll(svg, (e) => e.attributes['data-reference'] === 'ln 2')
  expect(reference).toBeDefined()
  expect(textContent(reference as XmlElement).trim()).toBe('ln 2')
  const [ln2] = findAll(reference as XmlElement, (e) => e.name === 'line')
  expect(Math.abs(area.pixelToUnitY(numberAttr(ln2 as XmlElement, 'y1')) - area.valueToUnitY(Math.LN2))).toBeLessThanOrEqual(tolerance(area.height))
  expectInsideViewBox(svg)
}

/** The scatter's markers read back from the SVG and checked against the points given. */
const expectScatterOf = (svgText: string, real: ReadonlyArray<ReadonlyArray<number>>, generated: ReadonlyArray<ReadonlyArray<number>>): XmlElement => {
  const svg = wellFormedXml(svgText)
  const area = plotArea(svg)
  for (const [name, points] of [
    ['real', real],
    ['generated', generated],
  ] as const) {
    const groups = series(svg, name)
    expect(groups).toHaveLength(1)
    const circles = findAll(groups[0] as XmlElement, (e) => e.name === 'circle')
    expect(circles).toHaveLength(points.length)
    points.forEach((p, i) => {
      const c = circles[i] as XmlElement
      expect(Math.abs(area.pixelToUnitX(numberAttr(c, 'cx')) - area.valueToUnitX(p[0] as number))).toBeLessThanOrEqual(tolerance(area.width))
      expect(Math.abs(area.pixelToUnitY(numberAttr(c, 'cy')) - area.valueToUnitY(p[1] ?? 0))).toBeLessThanOrEqual(tolerance(area.height))
    })
  }
  expect(legendLabels(svg)).toEqual(['real', 'generated'])
  expectInsideViewBox(svg)
  return svg
}

// -------------------------------------------------------------------------------------
// the checker itself
// -------------------------------------------------------------------------------------

describe('the well-formedness checker is strict', () => {
  it('accepts well-formed documents and reads them back', () => {
    const root = parseXml(`<?xml version="1.0"?>\n<!-- c --><a x="1" y='&lt;&#38;&#x3E;'>t&amp;u<b/><c>v</c></a>\n`)
    expect(root.attributes).toEqual({ x: '1', y: '<&>' })
    expect(textContent(root)).toBe('t&uv')
    expect(wellFormedHtml('<!DOCTYPE html>\n<html><head><meta charset="utf-8"/></head><body><p>a<br/>b</p><svg><circle r="1"/></svg></body></html>').name).toBe('html')
  })

  it.each([
    ['unbalanced tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['an unquoted attribute', '<a x=1/>'],
    ['an attribute without value', '<a x/>'],
    ['attributes without space between', '<a x="1"y="2"/>'],
    ['a duplicate attribute', '<a x="1" x="2"/>'],
    ['"<" in an attribute', '<a x="<"/>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['an unterminated reference', '<a>&amp</a>'],
    ['a reference to no character', '<a>&#0;</a>'],
    ['two roots', '<a/><b/>'],
    ['text after the root', '<a/>x'],
    ['no root', '  '],
    ['"--" in a comment', '<a><!-- a -- b --></a>'],
    ['a control character', '<a>\u0001</a>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['CDATA', '<a><![CDATA[x]]></a>'],
  ])('rejects %s', (_, text) => {
    expect(() => wellFormedXml(text)).toThrow(XmlError)
  })

  it.each([
    ['a missing doctype', '<html></html>'],
    ['an open void element', '<!DOCTYPE html><html><head><meta charset="utf-8"></head></html>'],
    ['a self-closed non-void element', '<!DOCTYPE html><html><body><div/></body></html>'],
    ['"&" in a style element', '<!DOCTYPE html><html><head><style>a::after { content: "&amp;" }</style></head></html>'],
  ])('in HTML mode, rejects %s', (_, text) => {
    expect(() => wellFormedHtml(text)).toThrow(XmlError)
  })
})

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

describe('svg helpers', () => {
  it('escapeXml makes any string safe as text and as an attribute value', () => {
    const awkward = fc.constantFrom('<', '>', '&', '"', "'", '\u0000', '\u0007', '\uFFFE', '\uD800', '\uDC00', '\uD83D\uDE00', ']]>', '&amp;')
    fc.assert(
      fc.property(fc.array(fc.oneof(awkward, fc.string({ unit: 'binary' }))).map((parts) => parts.join('')), (s) => {
        const root = wellFormedXml(`<t a="${escapeXml(s)}" b='${escapeXml(s)}'>${escapeXml(s)}</t>`)
        const expected = Array.from(s, (ch) => (isXmlChar(ch.codePointAt(0) as number) ? ch : '\uFFFD')).join('')
        expect(root.attributes).toEqual({ a: expected, b: expected })
        expect(textContent(root)).toBe(expected)
      }),
    )
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;')
  })

  it('formatNumber writes plain decimals: no exponent, no -0, within half a unit of the last decimal', () => {
    fc.assert(
      fc.property(fc.oneof(finiteDouble, fc.double({ min: -1e3, max: 1e3, noNaN: true })), fc.integer({ min: 0, max: 6 }), (x, d) => {
        const s = formatNumber(x, d)
        expect(s).toMatch(PLAIN_NUMBER)
        expect(s).not.toMatch(/^-0(\.0*)?$/)
        expect(s).not.toMatch(/\.\d*0$/)
        const y = Number(s)
        if (Math.abs(x) >= 2 ** 53) expect(y).toBe(x) // every such double is an integer
        else expect(Math.abs(y - x)).toBeLessThanOrEqual(0.5 * 10 ** -d + Math.abs(x) * 1e-15)
        expect(formatNumber(x, d)).toBe(s)
      }),
    )
    expect(formatNumber(-0)).toBe('0')
    expect(formatNumber(-0.001)).toBe('0')
    expect(formatNumber(1e21)).toBe('1000000000000000000000')
    expect(formatNumber(2.5, 0)).toBe('3')
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => formatNumber(bad)).toThrow(/finite/)
  })

  it('linearScale maps the domain onto the range, also for the widest domains', () => {
    fc.assert(
      fc.property(finiteDouble, finiteDouble, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const s = linearScale([lo, hi], [300, 20])
        if (lo === hi) expect(s(lo)).toBe(160)
        else {
          expect(s(lo)).toBe(300)
          expect(Math.abs(s(hi) - 20)).toBeLessThan(1e-9)
          expect(Number.isFinite(s(lo / 2 + hi / 2))).toBe(true)
        }
      }),
    )
    expect(() => linearScale([0, NaN], [0, 1])).toThrow(/finite/)
  })

  it('niceTicks: 1/2/5 x 10^k steps, increasing ticks inside a finite domain that covers the data', () => {
    fc.assert(
      fc.property(
        fc.oneof(finiteDouble, fc.double({ min: -5, max: 5, noNaN: true })),
        fc.oneof(finiteDouble, fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(undefined)),
        fc.integer({ min: 2, max: 10 }),
        fc.boolean(),
        (a, b0, count, integer) => {
          const b = b0 ?? a // all-equal values
          const [min, max] = a <= b ? [a, b] : [b, a]
          const t = niceTicks(min, max, { count, integer })
          const [lo, hi] = t.domain
          expect(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi).toBe(true)
          expect(lo <= min && max <= hi).toBe(true)
          expect(t.step.toExponential()).toMatch(/^[125]e[-+]\d+$/)
          if (integer) expect(t.step).toBeGreaterThanOrEqual(1)
          expect(t.ticks.length).toBeGreaterThanOrEqual(2)
          expect(t.ticks.length).toBeLessThanOrEqual(count + 3)
          expect(t.labels).toHaveLength(t.ticks.length)
          expect(new Set(t.labels).size).toBe(t.labels.length)
          t.ticks.forEach((v, i) => {
            expect(v >= lo && v <= hi).toBe(true)
            if (i > 0) expect(v).toBeGreaterThan(t.ticks[i - 1] as number)
            expect(Object.is(v, -0)).toBe(false)
            if (integer) expect(Number.isInteger(v)).toBe(true)
            const n = v / t.step
            expect(Math.abs(n - Math.round(n))).toBeLessThan(1e-6 * Math.max(1, Math.abs(n)))
          })
          if (t.step >= 1e-6 && Math.max(...t.ticks.map(Math.abs)) < 1e15) {
            const decimals = t.labels.map((l) => l.split('.')[1]?.length ?? 0)
            t.labels.forEach((l, i) => {
              expect(l).toMatch(PLAIN_NUMBER)
              expect(Number(l)).toBeCloseTo(t.ticks[i] as number, 6)
            })
            expect(new Set(decimals).size).toBe(1)
          }
        },
      ),
    )
  })

  it('niceTicks on everyday ranges', () => {
    expect(niceTicks(0.31, 1.42)).toEqual({ domain: [0, 1.5], step: 0.5, ticks: [0, 0.5, 1, 1.5], labels: ['0.0', '0.5', '1.0', '1.5'] })
    expect(niceTicks(1, 20, { integer: true }).labels).toEqual(['0', '5', '10', '15', '20'])
    expect(niceTicks(1, 1, { integer: true }).ticks).toEqual([0, 1, 2])
    expect(niceTicks(Math.LN2, Math.LN2).labels).toEqual(['0.64', '0.66', '0.68', '0.70', '0.72', '0.74'])
    expect(niceTicks(0, 0).ticks).toEqual([-1, -0.5, 0, 0.5, 1])
    expect(() => niceTicks(0, Infinity)).toThrow(/finite/)
    expect(() => niceTicks(NaN, 1)).toThrow(/finite/)
    expect(() => niceTicks(2, 1)).toThrow(/min must be <= max/)
  })
})

describe('fitting text', () => {
  it('fitTicks keeps x labels apart', () => {
    fc.assert(
      fc.property(finiteDouble, finiteDouble, fc.integer({ min: 100, max: 800 }), fc.boolean(), (a, b, pixels, integer) => {
        const [min, max] = a <= b ? [a, b] : [b, a]
        const t = fitTicks(min, max, pixels, { integer })
        const [lo, hi] = t.domain
        expect(lo <= min && max <= hi).toBe(true)
        const spacing = (pixels * (t.step / 2)) / (hi / 2 - lo / 2)
        // Either the labels fit, or no count does and this is the sparsest choice.
        if (widest(t.labels) + 8 > spacing) expect(t).toEqual(niceTicks(min, max, { integer, count: 1 }))
      }),
    )
    expect(fitTicks(0, 1_600_000, 360).labels).toEqual(['0', '500000', '1000000', '1500000', '2000000'])
  })

  it('truncateText fits the width, ends in "…" when it cuts, and never splits a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 0, max: 300 }), (text, pixels) => {
        const t = truncateText(text, pixels)
        if (textWidth(text) <= pixels) expect(t).toBe(text)
        else {
          expect(t.endsWith('…')).toBe(true)
          expect(textWidth(t)).toBeLessThanOrEqual(Math.max(pixels, textWidth('…')))
          expect(text.startsWith(t.slice(0, -1))).toBe(true)
        }
        expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t)).toBe(false)
      }),
    )
  })
})

// -------------------------------------------------------------------------------------
// the loss plot
// -------------------------------------------------------------------------------------

describe('lossPlotSvg', () => {
  it("draws a run's two curves with its values in order, the seed's legend and ln 2", () => {
    const svg = lossPlotSvg(record.history)
    expectLossPlotOf(svg, record.history)
    const root = wellFormedXml(svg)
    expect(svgSize(root)).toEqual({ width: 640, height: 360 })
    const axisTitles = findAll(root, (e) => e.attributes['class'] === 'axis-title').map(textContent)
    expect(axisTitles).toEqual(['epoch', 'loss'])
    const [xAxis] = findAll(root, (e) => e.attributes['data-axis'] === 'x')
    const xLabels = findAll(xAxis as XmlElement, (e) => e.name === 'text' && e.attributes['data-value'] !== undefined)
    expect(xLabels.length).toBeGreaterThanOrEqual(2)
    for (const l of xLabels) expect(Number.isInteger(Number(textContent(l)))).toBe(true)
    // The colours of the two curves differ.
    expect(series(root, 'generator')[0]?.attributes['stroke']).not.toBe(series(root, 'discriminator')[0]?.attributes['stroke'])
  })

  it('never throws on 1..50 epochs of finite losses (all equal too) and keeps every coordinate in the viewBox', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expectLossPlotOf(lossPlotSvg(history), history)
      }),
    )
  })

  it('is deterministic', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        expect(lossPlotSvg(JSON.parse(JSON.stringify(history)) as EpochReport[])).toBe(lossPlotSvg(history))
      }),
    )
  })

  it('draws empty axes for an empty history and rejects non-finite values', () => {
    const svg = wellFormedXml(lossPlotSvg([]))
    expect(findAll(svg, (e) => e.name === 'circle' && e.attributes['data-loss'] !== undefined)).toHaveLength(0)
    expectInsideViewBox(svg)
    for (const bad of [NaN, Infinity, -Infinity]) {
      expect(() => lossPlotSvg([{ epoch: 1, lossD: bad, lossG: 0.7, examples: 8 }])).toThrow(/discriminator losses: every value must be a finite number/)
      expect(() => lossPlotSvg([{ epoch: 1, lossD: 0.7, lossG: bad, examples: 8 }])).toThrow(/generator losses/)
      expect(() => lossPlotSvg([{ epoch: bad, lossD: 0.7, lossG: 0.7, examples: 8 }])).toThrow(/epochs/)
    }
  })
})

// -------------------------------------------------------------------------------------
// the scatter plots
// -------------------------------------------------------------------------------------

describe('samplesPlotSvg and snapshotPlotsSvg', () => {
  it("draws one marker per real and per generated point, the seed's legend, and the title", () => {
    const last = record.snapshots[record.snapshots.length - 1]
    if (last === undefined) throw new Error('no snapshot')
    const svg = expectScatterOf(samplesPlotSvg(record.realSample, last.points, { title: 'epoch 2' }), record.realSample, last.points)
    expect(findAll(svg, (e) => e.attributes['class'] === 'title').map(textContent)).toEqual(['epoch 2'])
    expect(series(svg, 'real')[0]?.attributes['fill']).not.toBe(series(svg, 'generated')[0]?.attributes['fill'])
  })

  it('never throws on finite points of 1..3 columns and keeps every coordinate in the viewBox', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }).chain((w) => fc.tuple(pointsArb(w, 40), pointsArb(w, 40))),
        fc.option(fc.string(), { nil: undefined }),
        ([real, generated], title) => {
          const svg = samplesPlotSvg(real, generated, title === undefined ? {} : { title })
          expectScatterOf(svg, real, generated)
          expect(samplesPlotSvg(real, generated, title === undefined ? {} : { title })).toBe(svg)
        },
      ),
    )
  })

  it('gives one frame per snapshot, titled "epoch N", all on the same axes', () => {
    const frames = snapshotPlotsSvg(record)
    expect(frames.map((f) => f.epoch)).toEqual(record.snapshots.map((s) => s.epoch))
    const domains = frames.map((f, i) => {
      const svg = expectScatterOf(f.svg, record.realSample, record.snapshots[i]?.points ?? [])
      expect(findAll(svg, (e) => e.attributes['class'] === 'title').map(textContent)).toEqual([`epoch ${f.epoch}`])
      const [rect] = findAll(svg, (e) => e.attributes['class'] === 'plot-area')
      return [rect?.attributes['data-x-domain'], rect?.attributes['data-y-domain']]
    })
    expect(new Set(domains.map((d) => d.join('|'))).size).toBe(1)
  })

  it('shares the axes over random snapshots too', () => {
    fc.assert(
      fc.property(pointsArb(2, 30), fc.array(pointsArb(2, 20), { minLength: 1, maxLength: 4 }), (real, points) => {
        const r: RunRecord = { ...record, realSample: real, snapshots: points.map((p, i) => ({ epoch: i + 1, points: p })) }
        const frames = snapshotPlotsSvg(r)
        const domains = frames.map((f, i) => {
          const svg = expectScatterOf(f.svg, real, points[i] ?? [])
          const [rect] = findAll(svg, (e) => e.attributes['class'] === 'plot-area')
          return `${rect?.attributes['data-x-domain']}|${rect?.attributes['data-y-domain']}`
        })
        expect(new Set(domains).size).toBe(1)
      }),
    )
  })

  it('rejects rows with no columns or non-finite values', () => {
    expect(() => samplesPlotSvg([[]], [])).toThrow(/real: row 0 must have at least one column/)
    expect(() => samplesPlotSvg([[0, 1]], [[0, NaN]])).toThrow(/generated: row 0 must hold finite numbers/)
    expect(() => samplesPlotSvg([[Infinity, 1]], [])).toThrow(/finite/)
  })
})

// -------------------------------------------------------------------------------------
// the HTML report
// -------------------------------------------------------------------------------------

const byName = (root: XmlElement, name: string): ReadonlyArray<XmlElement> => findAll(root, (e) => e.name === name)

const tableRows = (table: XmlElement): string[][] =>
  byName(table, 'tr').map((tr) => tr.children.filter((c): c is XmlElement => typeof c !== 'string').map((c) => textContent(c)))

describe('reportHtml', () => {
  it('is one well-formed page with the title, the final line, the plots and the tables', () => {
    const html = reportHtml(record)
    const root = wellFormedHtml(html)
    expect(root.name).toBe('html')
    expect(root.children.filter((c): c is XmlElement => typeof c !== 'string').map((c) => c.name)).toEqual(['head', 'body'])
    expect(byName(root, 'meta').some((m) => m.attributes['charset'] === 'utf-8')).toBe(true)
    expect(byName(byName(root, 'head')[0] as XmlElement, 'title').map(textContent)).toEqual(['pure-gan run (seed 0)'])
    expect(byName(root, 'h1').map(textContent)).toEqual(['pure-gan run (seed 0)'])
    const last = record.history[record.history.length - 1] as EpochReport
    const final = findAll(root, (e) => e.attributes['class'] === 'final').map(textContent)
    expect(final).toEqual([`loss_D ${last.lossD.toFixed(3)}, loss_G ${last.lossG.toFixed(3)}`])
    expect(html).not.toMatch(/examples\/sec [0-9]/)

    const svgs = byName(root, 'svg')
    expect(svgs).toHaveLength(2 + record.snapshots.length)
    // The plots are inline as the plot functions draw them (less the namespace declaration).
    const inline = (svg: string): string => svg.replace(' xmlns="http://www.w3.org/2000/svg"', '')
    expect(html).toContain(inline(lossPlotSvg(record.history)))
    for (const f of snapshotPlotsSvg(record)) expect(html).toContain(inline(f.svg))
    expect(series(svgs[0] as XmlElement, 'generator')).toHaveLength(1)
    const scatters = svgs.slice(1)
    for (const s of scatters) expect(legendLabels(s)).toEqual(['real', 'generated'])
    expect(scatters.map((s) => findAll(s, (e) => e.attributes['class'] === 'title').map(textContent)[0])).toEqual([
      `epoch ${record.snapshots[record.snapshots.length - 1]?.epoch}`,
      ...record.snapshots.map((s) => `epoch ${s.epoch}`),
    ])

    const [statistics, config] = byName(root, 'table')
    const stats = tableRows(statistics as XmlElement)
    expect(stats[0]).toEqual(['statistic', 'generated', 'true'])
    expect(stats.map((r) => r[0])).toEqual(['statistic', 'mean', 'covariance', 'Fréchet distance', 'samples'])
    expect(stats[3]?.[1]).toBe(record.summary!.frechetDistance.toFixed(4))
    expect(stats[4]?.[1]).toBe(String(record.summary!.samples))
    expect(stats[1]?.[2]).toBe('[1.0000, 2.0000]')
    expect(stats[2]?.[2]).toBe('[1.0100, 1.9500][1.9500, 4.2500]')

    const rows = tableRows(config as XmlElement).slice(1)
    expect(rows).toEqual(configRows(record.config).map(([k, v]) => [k, v]))
    const get = (k: string): string | undefined => rows.find((r) => r[0] === k)?.[1]
    expect(get('discriminator.layers')).toBe('Dense(5, tanh) -> Dense(3, tanh) -> Dense(1)')
    expect(get('generator.layers')).toBe('Dense(2)')
    expect(get('adam.beta1')).toBe('0.9')
    expect(get('adam.epsilon')).toBe('1e-8')
    expect(get('data.A')).toBe('[[1, 2], [-0.1, 0.5]]')
    expect(rows.map((r) => r[0])).toEqual([
      'seed',
      'epochs',
      'batchSize',
      'latentDim',
      'learningRateD',
      'learningRateG',
      'adam.beta1',
      'adam.beta2',
      'adam.epsilon',
      'generator.layers',
      'discriminator.layers',
      'init.weightStd',
      'init.biasInit',
      'data.kind',
      'data.size',
      'data.A',
      'data.b',
    ])
  })

  it('is self-contained: no URLs, scripts, links or external resources', () => {
    const html = reportHtml(record)
    for (const banned of ['http://', 'https://', '<script', '<link', ' src=', 'href=', 'url(', '@import', '<img', '<iframe']) {
      expect(html.toLowerCase()).not.toContain(banned)
    }
  })

  it('is a pure function of the record: byte-identical for the same record and for its JSON round trip', () => {
    const again = JSON.parse(JSON.stringify(record)) as RunRecord
    expect(reportHtml(again)).toBe(reportHtml(record))
    expect(lossPlotSvg(again.history)).toBe(lossPlotSvg(record.history))
    expect(snapshotPlotsSvg(again)).toEqual(snapshotPlotsSvg(record))
  })

  it('escapes every string taken from the record', () => {
    const nasty = `<&"'>`
    const script = '<script>alert("x&y")</script>'
    const weird = {
      ...record,
      packageVersion: script,
      config: {
        ...record.config,
        seed: nasty as unknown as number,
        init: { ...record.config.init, biasInit: nasty as 'zeros' },
        data: { ...record.config.data, kind: script as 'affine-gaussian' },
        discriminator: { layers: [{ units: 1, activation: { kind: nasty } }] },
        [nasty]: nasty,
      } as unknown as GanConfig,
    }
    const html = reportHtml(weird)
    const root = wellFormedHtml(html)
    expect(html).not.toContain('<script')
    expect(html).not.toContain(nasty)
    expect(byName(root, 'h1').map(textContent)).toEqual([`pure-gan run (seed ${nasty})`])
    const rows = tableRows(byName(root, 'table')[1] as XmlElement)
    expect(rows).toContainEqual(['init.biasInit', nasty])
    expect(rows).toContainEqual(['data.kind', script])
    expect(rows).toContainEqual([nasty, nasty])
    expect(rows).toContainEqual(['discriminator.layers', `Dense(1, ${nasty})`])
    expect(textContent(byName(root, 'footer')[0] as XmlElement)).toContain(script)
  })

  it('random histories and snapshots give a well-formed, deterministic page', () => {
    fc.assert(
      fc.property(historyArb, pointsArb(2, 20), fc.array(pointsArb(2, 10), { maxLength: 3 }), (history, real, points) => {
        const r: RunRecord = { ...record, history, realSample: real, snapshots: points.map((p, i) => ({ epoch: i + 1, points: p })) }
        const html = reportHtml(r)
        const root = wellFormedHtml(html)
        expect(byName(root, 'svg')).toHaveLength(1 + (points.length === 0 ? 0 : 1 + points.length))
        for (const s of byName(root, 'svg')) expectInsideViewBox(s)
        expect(reportHtml(r)).toBe(html)
      }),
    )
  })
})

describe('reportHtml: a generator with batch normalisation', () => {
  /** The sentence the report must show for such a generator, written out here, independently. */
  const EVALUATION_MODE =
    'The generator has batch normalisation: every generated point in this report (the scatter above, the frames below and the statistics) comes from its evaluation mode, normalised with the running mean and variance kept during training, not with the statistics of the points generated with it, so each point depends on its own noise only.'

  const batchNormConfig: GanConfig = {
    ...seedConfig,
    epochs: 1,
    data: { ...seedConfig.data, size: 64 },
    generator: {
      layers: [
        { units: 4, activation: { kind: 'identity' } },
        { kind: 'batchnorm', units: 4, activation: { kind: 'relu' }, momentum: 0.1, epsilon: 1e-5 },
        { units: 2, activation: { kind: 'identity' } },
      ],
    },
  }

  const notesOf = (r: RunRecord): ReadonlyArray<string> => findAll(wellFormedHtml(reportHtml(r)), (e) => e.attributes['class'] === 'note').map(textContent)

  it('says once that the generated points come from evaluation mode, and shows the layer in the configuration', () => {
    const bn = recordOf(batchNormConfig)
    expect(notesOf(bn).filter((n) => n === EVALUATION_MODE)).toHaveLength(1)
    expect(notesOf(JSON.parse(JSON.stringify(bn)) as RunRecord).filter((n) => n === EVALUATION_MODE)).toHaveLength(1)
    const rows = tableRows(byName(wellFormedHtml(reportHtml(bn)), 'table')[1] as XmlElement)
    expect(rows).toContainEqual(['generator.layers', 'Dense(4) -> BatchNorm(4, relu, momentum 0.1, epsilon 0.00001) -> Dense(2)'])
  })

  it('says nothing of the kind for the seed config, or a config whose layers are not a list of layers', () => {
    expect(notesOf(record).join(' ')).not.toContain('batch normalisation')
    const odd = (layers: unknown): RunRecord => ({ ...record, config: { ...record.config, generator: { layers } } as unknown as GanConfig })
    for (const layers of [null, 'batchnorm', [null, 3, { kind: 'dense' }]]) expect(notesOf(odd(layers)).join(' ')).not.toContain('batch normalisation')
    expect(notesOf(odd([null, { kind: 'batchnorm' }]))).toContain(EVALUATION_MODE)
  })
})

describe('reportHtml: the datasets and the run metrics (issue 16)', () => {
  it('shows the metrics of the record in a table, mode coverage only for data with modes, and no section for a record without them', () => {
    const ring = recordOf({ ...seedConfig, epochs: 1, data: { kind: 'ring8', size: 64, std: 0.01 } })
    const metrics = runMetrics(decodeStateOrThrow(ring.finalState))
    const metricsRows = (html: string): string[][] => {
      const section = findAll(wellFormedHtml(html), (e) => e.name === 'section').find((s) => findAll(s, (e) => e.name === 'h2' && textContent(e) === 'Metrics').length === 1)
      expect(section).toBeDefined()
      return tableRows(byName(section!, 'table')[0]!)
    }
    const rows = metricsRows(reportHtml({ ...ring, metrics }))
    expect(rows.map((r) => r[0])).toEqual(['modes covered', 'high-quality samples (within 3 std)', 'reverse KL of the modes', 'MMD² (p-value)', 'energy distance (p-value)', 'classifier accuracy ± standard error'])
    expect(rows[0]![1]).toBe(`${metrics.modes!.modesCovered} of 8`)
    expect(rows[3]![1]).toBe(`${stat(metrics.mmd.statistic)} (p = ${stat(metrics.mmd.pValue)})`)
    const plain = recordOf({ ...seedConfig, epochs: 1, data: { ...seedConfig.data, size: 64 } })
    const plainRows = metricsRows(reportHtml({ ...plain, metrics: runMetrics(decodeStateOrThrow(plain.finalState)) }))
    expect(plainRows.map((r) => r[0])).toEqual(['MMD² (p-value)', 'energy distance (p-value)', 'classifier accuracy ± standard error'])
    expect(reportHtml(plain)).not.toContain('<h2>Metrics</h2>')
  })

  it("a table's rows appear as their shape, not their numbers, and the summary says it compares with the real data's moments", () => {
    const rows = Array.from({ length: 64 }, (_, i) => [i / 64, ((i * 5) % 64) / 64])
    const html = reportHtml(recordOf({ ...seedConfig, epochs: 1, data: { kind: 'table', rows } }))
    expect(html).toContain('<tr><th><code>data.rows</code></th><td><code>64 rows of 2 numbers (in run.json)</code></td></tr>')
    expect(html).toContain("against the mean and covariance of the run&#39;s real data.")
    expect(reportHtml(record)).toContain('against the exact mean and covariance of the data distribution.')
  })

  it('a packed run on the ring has no heat map because of the packing, not because of its width', () => {
    const html = reportHtml(recordOf({ ...seedConfig, epochs: 1, batchSize: 8, pack: 2, data: { kind: 'ring8', size: 64, std: 0.01 } }))
    expect(html).toContain('D reads packs of 2 points in this run (PacGAN)')
  })
})
