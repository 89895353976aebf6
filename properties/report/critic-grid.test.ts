/**
 * The heat map of D under the scatter plots (issue 14, "Show it"): each snapshot of a run on
 * 2-column data without packing records D's output on a fixed grid (`critic`), computed with
 * `predict` at the cell centres; the scatter draws one cell per value under the points on a
 * diverging scale centred at 0; run.json's check refuses a malformed grid; the loss plot's
 * references and captions say only what holds for the run's objective.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/fp/either.js'
import { checkRunRecord } from '../../src/cli/record-check.js'
import {
  type GanConfig,
  type GanState,
  NonFiniteSamplesError,
  discriminatorSpec,
  initialState,
  runData,
  seedConfig,
  train,
} from '../../src/gan/index.js'
import { fromFlat } from '../../src/matrix/index.js'
import { predict } from '../../src/nn/network.js'
import { objectiveOf } from '../../src/objectives/index.js'
import { type ObjectiveSpec } from '../../src/objectives/index.js'
import { criticGrid, criticGridCentres, criticGridSpec, makeRunRecord, snapshotEpochs, snapshotOf } from '../../src/report/make-record.js'
import {
  CRITIC_COLOURS,
  type CriticGrid,
  type RunRecord,
  lossPlotSvg,
  lossReferences,
  niceTicks,
  reportHtml,
  samplesPlotSvg,
  snapshotPlotsSvg,
} from '../../src/report/index.js'
import { affineData, anyActivation, ganConfigWith } from '../support/gan-arbitraries.js'
import { NUM_RUNS } from '../support/runs.js'
import { type XmlElement, findAll, textContent, wellFormedHtml, wellFormedXml } from '../support/xml.js'
import { dataWidth } from '../../src/gan/data.js'

// -------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------

/** A run as `pure-gan train` makes it: a snapshot at each of `snapshotEpochs`, with the run's grid. */
const runOf = (config: GanConfig): { readonly record: RunRecord; readonly states: ReadonlyArray<GanState> } => {
  const wanted = new Set(snapshotEpochs(config.epochs))
  const data = runData(config)
  const grid = criticGridSpec(config, data)
  const snapshots: ReturnType<typeof snapshotOf>[] = []
  const states: GanState[] = []
  const { state, history } = train(config, (r, s) => {
    if (!wanted.has(r.epoch)) return
    snapshots.push(snapshotOf(s, grid))
    states.push(s)
  })
  return { record: makeRunRecord('0.0.0-test', data, history, snapshots, state), states }
}

const small = (c: GanConfig, epochs = 3): GanConfig => ({ ...c, epochs, data: { ...affineData(c), size: 48 }, batchSize: 8 })

/** The centre of cell i of an axis, as run-record.ts documents it (written out here, independently). */
const centre = (lo: number, hi: number, size: number, i: number): number => lo + ((2 * i + 1) * (hi - lo)) / (2 * size)

/** A random 2-column config (the architecture, data and seed of ganConfigWith, the data made 2 wide). */
const twoColumnConfig: fc.Arbitrary<GanConfig> = ganConfigWith(anyActivation).map((c) => {
  const widen = (row: ReadonlyArray<number>): number[] => [row[0] ?? 0.5, row[1] ?? -0.7]
  const g = c.generator.layers
  return {
    ...c,
    generator: { layers: [...g.slice(0, -1), { ...g[g.length - 1]!, units: 2 }] },
    data: { ...affineData(c), A: affineData(c).A.map(widen), b: widen(affineData(c).b) },
  }
})

// -------------------------------------------------------------------------------------
// the grid in the record
// -------------------------------------------------------------------------------------

describe('the critic grid of a snapshot', () => {
  it('equals predict at each cell centre (one row at a time), bit for bit, at every snapshot of random runs; the bounds are the same at every snapshot', () => {
    fc.assert(
      fc.property(twoColumnConfig, fc.integer({ min: 1, max: 3 }), (base, epochs) => {
        const config = small(base, epochs)
        const { record, states } = runOf(config)
        const grid = criticGridSpec(config, runData(config))
        expect(grid).toBeDefined()
        expect(record.snapshots.map((s) => s.epoch)).toEqual(snapshotEpochs(epochs))
        record.snapshots.forEach((s, k) => {
          const c = s.critic as CriticGrid
          expect(c).toBeDefined()
          expect(Object.keys(s)).toEqual(['epoch', 'points', 'critic'])
          expect(Object.keys(c)).toEqual(['x', 'y', 'size', 'values'])
          expect({ x: c.x, y: c.y, size: c.size }).toEqual(grid)
          expect(c.values).toHaveLength(c.size * c.size)
          const state = states[k]!
          const spec = discriminatorSpec(state.config)
          for (let r = 0; r < c.size; r += 7) {
            for (let col = 0; col < c.size; col++) {
              const point = fromFlat(1, 2, [centre(c.x[0], c.x[1], c.size, col), centre(c.y[0], c.y[1], c.size, r)])
              const expected = predict(spec, state.discriminator, point).data[0] as number
              expect(Object.is(c.values[r * c.size + col], expected), `cell (column ${col}, row ${r})`).toBe(true)
            }
          }
        })
      }),
      { numRuns: Math.ceil(NUM_RUNS / 4) }, // each case trains a run
    )
  })

  it('on the seed run: every one of the 1024 values is predict at its centre, and the grid is the data\'s range padded by 3% and widened to niceTicks\' domain', () => {
    const config = { ...seedConfig, epochs: 2 }
    const { record, states } = runOf(config)
    const data = runData(config)
    const column = (j: number): number[] => Array.from({ length: data.rows }, (_, i) => data.data[2 * i + j] as number)
    for (const [axis, j] of [['x', 0], ['y', 1]] as const) {
      const v = column(j)
      const lo = Math.min(...v)
      const hi = Math.max(...v)
      const pad = (hi - lo) * 0.03
      const bounds = record.snapshots[0]!.critic![axis]
      expect(bounds).toEqual(niceTicks(lo - pad, hi + pad).domain)
      expect(bounds[0] <= lo - pad * 0.999 && bounds[1] >= hi + pad * 0.999).toBe(true)
    }
    expect(record.snapshots[0]!.critic).toMatchObject({ x: [-4, 6], y: [-5, 10], size: 32 })
    const last = record.snapshots[record.snapshots.length - 1]!.critic!
    const state = states[states.length - 1]!
    const centres: number[] = []
    for (let r = 0; r < 32; r++) for (let c = 0; c < 32; c++) centres.push(centre(-4, 6, 32, c), centre(-5, 10, 32, r))
    const expected = predict(discriminatorSpec(config), state.discriminator, fromFlat(1024, 2, centres)).data
    expect(last.values.every((v, i) => Object.is(v, expected[i]))).toBe(true)
    expect(criticGridCentres(last).data).toEqual(Float64Array.from(centres))
  })

  it('is absent for 1- and 3-column data and for packing, and criticGrid refuses such a state', () => {
    fc.assert(
      fc.property(ganConfigWith(anyActivation), fc.constantFrom(1, 2), (c, pack) => {
        const config = { ...small(c, 2), ...(pack === 1 ? {} : { pack }) }
        fc.pre(dataWidth(config.data) !== 2 || pack !== 1)
        expect(criticGridSpec(config, runData(config))).toBeUndefined()
        const { record } = runOf(config)
        for (const s of record.snapshots) expect(Object.keys(s)).toEqual(['epoch', 'points'])
        expect(() => criticGrid(initialState(config), { x: [0, 1], y: [0, 1], size: 4 })).toThrow(/criticGrid: D's input must be one 2-D point/)
      }),
      { numRuns: Math.ceil(NUM_RUNS / 3) }, // each case trains a run
    )
  })

  it('snapshotOf(state) without a grid is as before: no critic', () => {
    const s = snapshotOf(initialState(seedConfig))
    expect(Object.keys(s)).toEqual(['epoch', 'points'])
  })

  it('criticGridCentres refuses bad bounds and sizes', () => {
    for (const bad of [
      { x: [1, 1], y: [0, 1], size: 2 },
      { x: [0, NaN], y: [0, 1], size: 2 },
      { x: [0, 1], y: [2, 1], size: 2 },
      { x: [-Number.MAX_VALUE, Number.MAX_VALUE], y: [0, 1], size: 2 },
    ] as const) {
      expect(() => criticGridCentres(bad)).toThrow(/x and y must be \[lo, hi\] of finite numbers with lo < hi/)
    }
    for (const size of [0, 1.5, 257, NaN]) expect(() => criticGridCentres({ x: [0, 1], y: [0, 1], size })).toThrow(/size must be an integer in 1\.\.256/)
  })

  it('a D whose output overflows on the grid stops the snapshot with a NonFiniteSamplesError naming the discriminator and the cell', () => {
    const s0 = initialState(seedConfig)
    const layers = s0.discriminator
    const huge = layers.map((l, i) =>
      i < layers.length - 1
        ? { W: fromFlat(l.W.rows, l.W.cols, new Array(l.W.rows * l.W.cols).fill(0)), b: fromFlat(1, l.b.cols, new Array(l.b.cols).fill(1)) }
        : { W: fromFlat(l.W.rows, l.W.cols, new Array(l.W.rows * l.W.cols).fill(Number.MAX_VALUE)), b: fromFlat(1, 1, [Number.MAX_VALUE]) },
    )
    const state = { ...s0, discriminator: huge }
    const grid = criticGridSpec(seedConfig, runData(seedConfig))!
    let error: unknown
    try {
      snapshotOf(state, grid)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(NonFiniteSamplesError)
    const e = error as NonFiniteSamplesError
    expect(e.network).toBe('discriminator')
    expect(e.lastFiniteState).toBe(state)
    expect(e.message).toBe(`evaluating the discriminator after epoch 0 met a non-finite value: D's output at the heat map's cell (column 0, row 0), the point (${centre(-4, 6, 32, 0)}, ${centre(-5, 10, 32, 0)}), is Infinity`)
  })
})

// -------------------------------------------------------------------------------------
// the heat map in the SVG
// -------------------------------------------------------------------------------------

const channelsOf = (hex: string): [number, number, number] => {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/)
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
}

/** The documented scale, written out: white mixed towards the end colour by |v| / max |v|. */
const expectedColour = (v: number, scale: number): string => {
  const end = channelsOf(v < 0 ? CRITIC_COLOURS.negative : CRITIC_COLOURS.positive)
  const t = scale === 0 ? 0 : Math.abs(v) / scale
  return `#${end.map((e) => Math.round(255 + (e - 255) * t).toString(16).padStart(2, '0')).join('')}`
}

const num = (e: XmlElement, a: string): number => {
  const v = e.attributes[a]
  expect(v, `${e.name} ${a}`).toMatch(/^-?\d+(\.\d+)?$/)
  return Number(v)
}

const gridArb: fc.Arbitrary<CriticGrid> = fc
  .record({
    x0: fc.double({ min: -50, max: 50, noNaN: true }),
    w: fc.double({ min: 0.5, max: 100, noNaN: true }),
    y0: fc.double({ min: -50, max: 50, noNaN: true }),
    h: fc.double({ min: 0.5, max: 100, noNaN: true }),
    size: fc.integer({ min: 1, max: 7 }),
    kind: fc.constantFrom('everyday', 'any', 'zeros', 'one-sign'),
  })
  .chain((r) =>
    fc
      .array(
        r.kind === 'zeros'
          ? fc.constantFrom(0, -0)
          : r.kind === 'any'
            ? fc.double({ noNaN: true, noDefaultInfinity: true })
            : r.kind === 'one-sign'
              ? fc.double({ min: 0.001, max: 5, noNaN: true })
              : fc.double({ min: -5, max: 5, noNaN: true }),
        { minLength: r.size * r.size, maxLength: r.size * r.size },
      )
      .map((values) => ({ x: [r.x0, r.x0 + r.w] as const, y: [r.y0, r.y0 + r.h] as const, size: r.size, values })),
  )

/** Points near a grid (or anywhere within ±100). */
const pointsNear = (n: number): fc.Arbitrary<number[][]> =>
  fc.array(fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true })).map(([a, b]) => [a, b]), { maxLength: n })

/** Reads the heat map back and checks it against the grid: count, order, placement, colours. */
const expectHeatMapOf = (svgText: string, grid: CriticGrid): void => {
  const svg = wellFormedXml(svgText)
  const all = findAll(svg, () => true)
  const groups = all.filter((e) => e.attributes['class'] === 'critic')
  expect(groups).toHaveLength(1)
  const group = groups[0]!
  const cells = group.children.filter((c): c is XmlElement => typeof c !== 'string')
  expect(cells).toHaveLength(grid.size * grid.size)
  expect(cells.every((c) => c.name === 'rect')).toBe(true)
  // Under the points: after the plot area's background, before both series of points (document order).
  const at = (test: (e: XmlElement) => boolean): number => all.findIndex(test)
  const areaAt = at((e) => e.attributes['class'] === 'plot-area')
  const groupAt = all.indexOf(group)
  expect(areaAt).toBeGreaterThanOrEqual(0)
  expect(areaAt).toBeLessThan(groupAt)
  for (const series of ['real', 'generated']) expect(groupAt).toBeLessThan(at((e) => e.attributes['data-series'] === series))
  // The axes cover the grid.
  const [area] = all.filter((e) => e.attributes['class'] === 'plot-area')
  const domain = (a: string): [number, number] => (area!.attributes[a] ?? '').split(' ').map(Number) as [number, number]
  const xd = domain('data-x-domain')
  const yd = domain('data-y-domain')
  expect(xd[0] <= grid.x[0] && grid.x[1] <= xd[1]).toBe(true)
  expect(yd[0] <= grid.y[0] && grid.y[1] <= yd[1]).toBe(true)
  // Each cell sits over its value's cell (pixel coordinates read back, 2 decimals).
  const left = num(area!, 'x')
  const top = num(area!, 'y')
  const width = num(area!, 'width')
  const height = num(area!, 'height')
  const unitX = (v: number): number => (v - xd[0]) / (xd[1] - xd[0])
  const unitY = (v: number): number => (v - yd[0]) / (yd[1] - yd[0])
  const tol = (px: number): number => 0.011 / px + 1e-9
  const scale = Math.max(...grid.values.map(Math.abs))
  cells.forEach((cell, i) => {
    const r = Math.floor(i / grid.size)
    const c = i % grid.size
    const cx = num(cell, 'x') + num(cell, 'width') / 2
    const cy = num(cell, 'y') + num(cell, 'height') / 2
    expect(Math.abs((cx - left) / width - unitX(centre(grid.x[0], grid.x[1], grid.size, c)))).toBeLessThanOrEqual(tol(width))
    expect(Math.abs((top + height - cy) / height - unitY(centre(grid.y[0], grid.y[1], grid.size, r)))).toBeLessThanOrEqual(tol(height))
    // Neighbours meet exactly: no gaps, no overlaps.
    if (c > 0) expect(num(cell, 'x')).toBeCloseTo(num(cells[i - 1]!, 'x') + num(cells[i - 1]!, 'width'), 9)
    expect(cell.attributes['fill']).toBe(expectedColour(grid.values[i]!, scale))
  })
  // What the colours say: white at 0, blue below, red above; the most negative value is the darkest blue.
  const sum = (hex: string): number => channelsOf(hex).reduce((a, b) => a + b, 0)
  const fills = cells.map((c) => c.attributes['fill'] as string)
  grid.values.forEach((v, i) => {
    const [red, , blue] = channelsOf(fills[i]!)
    if (v === 0 || scale === 0) expect(fills[i]).toBe(CRITIC_COLOURS.zero)
    else if (v < 0) expect(blue).toBeGreaterThanOrEqual(red)
    else expect(red).toBeGreaterThanOrEqual(blue)
    if (scale > 0 && Math.abs(v) === scale) expect(fills[i]).toBe(v < 0 ? CRITIC_COLOURS.negative : CRITIC_COLOURS.positive)
  })
  const negatives = grid.values.map((v, i) => [v, i] as const).filter(([v]) => v < 0)
  if (negatives.length > 0) {
    const [, darkest] = negatives.reduce((a, b) => (b[0] < a[0] ? b : a))
    for (const [, i] of negatives) expect(sum(fills[darkest]!)).toBeLessThanOrEqual(sum(fills[i]!))
  }
  // The colour bar states the frame's range exactly.
  const [legend] = all.filter((e) => e.attributes['class'] === 'critic-legend')
  expect(legend).toBeDefined()
  // === : String(-0) is '0'
  expect(Number(legend!.attributes['data-min']) === Math.min(...grid.values)).toBe(true)
  expect(Number(legend!.attributes['data-max']) === Math.max(...grid.values)).toBe(true)
  expect(Number(legend!.attributes['data-scale']) === scale).toBe(true)
  expect(textContent(legend!)).toContain('D(x)')
  // Every coordinate inside the viewBox.
  const w = num(svg, 'width')
  const h = num(svg, 'height')
  for (const e of all) {
    if (e.name !== 'rect') continue
    expect(num(e, 'x') >= 0 && num(e, 'x') + num(e, 'width') <= w + 1e-9).toBe(true)
    expect(num(e, 'y') >= 0 && num(e, 'y') + num(e, 'height') <= h + 1e-9).toBe(true)
  }
}

describe('the heat map under the scatter', () => {
  it('one cell per grid value in its order, under the points, placed on its cell, coloured on the stated scale; well-formed and deterministic', () => {
    fc.assert(
      fc.property(gridArb, pointsNear(30), pointsNear(10), (grid, real, generated) => {
        const svg = samplesPlotSvg(real, generated, { title: 'epoch 3', critic: grid })
        expectHeatMapOf(svg, grid)
        expect(samplesPlotSvg(real, generated, { title: 'epoch 3', critic: JSON.parse(JSON.stringify(grid)) as CriticGrid })).toBe(svg)
      }),
    )
  })

  it('on a real run: every frame draws its own grid, all frames on the same axes', () => {
    const { record } = runOf({ ...seedConfig, epochs: 3, data: { ...affineData(seedConfig), size: 200 } })
    const frames = snapshotPlotsSvg(record)
    const domains = frames.map((f, i) => {
      expectHeatMapOf(f.svg, record.snapshots[i]!.critic!)
      const [area] = findAll(wellFormedXml(f.svg), (e) => e.attributes['class'] === 'plot-area')
      return `${area!.attributes['data-x-domain']}|${area!.attributes['data-y-domain']}`
    })
    expect(new Set(domains).size).toBe(1)
  })

  it('no heat map without a grid; a malformed grid is a RangeError', () => {
    const svg = wellFormedXml(samplesPlotSvg([[0, 1]], [[1, 0]]))
    expect(findAll(svg, (e) => e.attributes['class'] === 'critic' || e.attributes['class'] === 'critic-legend')).toHaveLength(0)
    const good: CriticGrid = { x: [0, 1], y: [0, 1], size: 2, values: [0, 1, 2, 3] }
    for (const bad of [
      { ...good, values: [0, 1, 2] },
      { ...good, values: [0, 1, 2, NaN] },
      { ...good, x: [1, 0] as const },
      { ...good, size: 1.5 },
    ]) {
      expect(() => samplesPlotSvg([[0, 1]], [], { critic: bad })).toThrow(RangeError)
    }
  })
})

// -------------------------------------------------------------------------------------
// the record check
// -------------------------------------------------------------------------------------

describe("run.json's check of the grid", () => {
  const { record } = runOf({ ...seedConfig, epochs: 2, data: { ...affineData(seedConfig), size: 24 } })
  const text = JSON.stringify(record)
  const refusal = (edit: (r: { snapshots: Array<Record<string, unknown> & { critic?: Record<string, unknown> }> }) => void): string => {
    const r = JSON.parse(text)
    edit(r)
    const checked = checkRunRecord(r)
    return E.isLeft(checked) ? checked.left : '(accepted)'
  }

  it('accepts the record pure-gan writes', () => {
    expect(E.isRight(checkRunRecord(JSON.parse(text)))).toBe(true)
  })

  it.each<[string, (r: { snapshots: Array<Record<string, unknown> & { critic?: Record<string, unknown> }> }) => void, string]>([
    ['a missing grid', (r) => void delete r.snapshots[1]!.critic, 'snapshots[1].critic is missing'],
    ['a grid that is not an object', (r) => void (r.snapshots[0]!.critic = [] as never), 'snapshots[0].critic must be an object { x, y, size, values }, found an array'],
    ['an extra field', (r) => void (r.snapshots[0]!.critic!['scale'] = 1), 'snapshots[0].critic has an unknown field scale; a run record\'s snapshots[0].critic fields are x, y, size, values'],
    ['a missing field', (r) => void delete r.snapshots[0]!.critic!['size'], 'snapshots[0].critic.size is missing'],
    ['bounds of one number', (r) => void (r.snapshots[0]!.critic!['x'] = [1]), 'snapshots[0].critic.x must be [lo, hi], two finite numbers, found an array'],
    ['a null bound', (r) => void (r.snapshots[0]!.critic!['y'] = [0, null]), 'snapshots[0].critic.y[1] must be a finite number, found null'],
    ['lo = hi', (r) => void (r.snapshots[0]!.critic!['x'] = [2, 2]), 'snapshots[0].critic.x must be [lo, hi] with lo < hi, found [2, 2]'],
    ['a fractional size', (r) => void (r.snapshots[0]!.critic!['size'] = 31.5), 'snapshots[0].critic.size must be an integer in 1..256, found number 31.5'],
    ['a size of 0', (r) => void (r.snapshots[0]!.critic!['size'] = 0), 'snapshots[0].critic.size must be an integer in 1..256, found number 0'],
    ['too few values', (r) => void (r.snapshots[0]!.critic!['values'] as number[]).pop(), 'snapshots[0].critic.values must have size² = 1024 entries, found 1023'],
    ['values that do not match the size', (r) => void (r.snapshots[1]!.critic!['size'] = 31), 'snapshots[1].critic.values must have size² = 961 entries, found 1024'],
    ['a null value (an infinity as JSON writes it)', (r) => void ((r.snapshots[0]!.critic!['values'] as unknown[])[5] = null), 'snapshots[0].critic.values[5] must be a finite number, found null'],
    ['values that are not an array', (r) => void (r.snapshots[0]!.critic!['values'] = {}), 'snapshots[0].critic.values must be an array of finite numbers, found an object'],
  ])('refuses %s with its message', (_, edit, message) => {
    expect(refusal(edit)).toBe(`is not a run record: ${message}`)
  })

  it('refuses a grid in the record of 3-column data or of packing, saying why', () => {
    const three = runOf({ ...seedConfig, epochs: 1, data: { kind: 'affine-gaussian', size: 16, A: [[1, 0, 2]], b: [0, 1, 2] }, generator: { layers: [{ units: 3, activation: { kind: 'identity' } }] } }).record
    const withGrid = (r: RunRecord) => ({ ...r, snapshots: r.snapshots.map((s) => ({ ...s, critic: record.snapshots[0]!.critic })) })
    const a = checkRunRecord(JSON.parse(JSON.stringify(withGrid(three))))
    expect(E.isLeft(a) && a.left).toBe('is not a run record: snapshots[0].critic must be absent: the heat map of D is recorded only for 2-column data without packing, and the data has 3 columns')
    const packed = runOf({ ...seedConfig, epochs: 1, pack: 2, data: { ...affineData(seedConfig), size: 16 } }).record
    expect(packed.snapshots[0]!.critic).toBeUndefined()
    const b = checkRunRecord(JSON.parse(JSON.stringify(withGrid(packed))))
    expect(E.isLeft(b) && b.left).toBe('is not a run record: snapshots[0].critic must be absent: the heat map of D is recorded only for 2-column data without packing, and D reads packs of 2 points')
    expect(E.isRight(checkRunRecord(JSON.parse(JSON.stringify(three))))).toBe(true)
    expect(E.isRight(checkRunRecord(JSON.parse(JSON.stringify(packed))))).toBe(true)
  })
})

// -------------------------------------------------------------------------------------
// what the report says, objective by objective
// -------------------------------------------------------------------------------------

/** The per-pair D loss and per-row G loss of an objective when every logit equals `o` (D cannot tell). */
const lossesAt = (spec: ObjectiveSpec, o: number, n = 3): { readonly d: number; readonly g: number } => {
  const objective = objectiveOf(spec)
  const view = (length: number, fill = 0) => ({ data: new Float64Array(length).fill(fill), off: 0 })
  const d = objective.discriminatorLossInto(view(2 * n, o), n, view(2 * n), view(2 * n * objective.scratchPerLogit + 8)) / n
  const g = objective.generatorLossInto(view(n, o), n, view(n), view(n * objective.scratchPerLogit + 8)) / n
  return { d, g }
}

describe('the loss plot and captions say only what holds for the objective', () => {
  it('each reference level is the loss the objective\'s own kernels give when D cannot tell real from generated data', () => {
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b))
    const ns = lossesAt({ kind: 'nonsaturating' }, 0)
    expect(lossReferences(seedConfig).map((r) => r.value)).toEqual([Math.LN2])
    expect(close(ns.d, Math.LN2) && close(ns.g, Math.LN2)).toBe(true)
    const mm = lossesAt({ kind: 'minimax' }, 0)
    expect(lossReferences({ ...seedConfig, objective: { kind: 'minimax' } }).map((r) => r.value)).toEqual([Math.LN2, -Math.LN2])
    expect(close(mm.d, Math.LN2) && close(mm.g, -Math.LN2)).toBe(true)
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (a, b, c) => {
        const spec = { kind: 'least-squares' as const, a, b, c }
        const refs = lossReferences({ ...seedConfig, objective: spec }).map((r) => r.value)
        const at = lossesAt(spec, (a + b) / 2)
        expect(close(refs[0]!, at.d)).toBe(true)
        expect(close(refs[refs.length - 1]!, at.g)).toBe(true)
        // (a + b)/2 is D's best constant output: moving away raises its loss
        expect(lossesAt(spec, (a + b) / 2 + 0.1).d).toBeGreaterThan(at.d)
      }),
    )
    for (const o of [-1, -0.3, 0, 0.7, 1]) expect(lossesAt({ kind: 'hinge' }, o).d).toBe(2)
    expect(lossReferences({ ...seedConfig, objective: { kind: 'hinge' } }).map((r) => r.value)).toEqual([2])
    for (const kind of ['wasserstein', 'wasserstein-gp'] as const) {
      const spec = kind === 'wasserstein' ? { kind, clip: 0.01 } : { kind, lambda: 10 }
      expect(lossesAt(spec, 0.37).d).toBe(0)
      expect(lossReferences({ ...seedConfig, objective: spec }).map((r) => r.value)).toEqual([0])
    }
  })

  it('the report claims ln 2 only for the non-saturating and minimax objectives, and draws the references in the loss plot', () => {
    const objectives: ReadonlyArray<ObjectiveSpec | undefined> = [
      undefined,
      { kind: 'minimax' },
      { kind: 'least-squares', a: 0, b: 1, c: 1 },
      { kind: 'hinge' },
      { kind: 'wasserstein', clip: 0.01 },
      { kind: 'wasserstein-gp', lambda: 10 },
    ]
    const base = runOf({ ...seedConfig, epochs: 1, data: { ...affineData(seedConfig), size: 24 } }).record
    for (const objective of objectives) {
      const config = objective === undefined ? seedConfig : { ...seedConfig, objective }
      const root = wellFormedHtml(reportHtml({ ...base, config }))
      const [lossFigure] = findAll(root, (e) => e.name === 'figure')
      const caption = textContent(findAll(lossFigure!, (e) => e.name === 'figcaption')[0]!)
      const claimsLn2 = caption.includes('ln 2')
      expect(claimsLn2, `${objective?.kind}: ${caption}`).toBe(objective === undefined || objective.kind === 'minimax')
      const labels = findAll(lossFigure!, (e) => e.attributes['data-reference'] !== undefined).map((e) => e.attributes['data-reference'])
      expect(labels).toEqual(lossReferences(config).map((r) => r.label))
      if (objective?.kind === 'minimax') expect(caption).toContain('−ln 2')
      if (objective?.kind === 'least-squares') expect(caption).toContain('(b − a)²/4 = 0.25')
      if (objective?.kind === 'wasserstein-gp') expect(caption).toContain('gradient penalty')
      const notes = findAll(root, (e) => e.attributes['class'] === 'note').map(textContent).join(' ')
      expect(notes).toContain('32 x 32 grid')
    }
    // the default loss plot keeps its ln 2; [] draws none
    expect(findAll(wellFormedXml(lossPlotSvg(base.history)), (e) => e.attributes['data-reference'] === 'ln 2')).toHaveLength(1)
    expect(findAll(wellFormedXml(lossPlotSvg(base.history, { references: [] })), (e) => e.attributes['data-reference'] !== undefined)).toHaveLength(0)
  })

  it('a record without grids says why there is no heat map', () => {
    const three = runOf({ ...seedConfig, epochs: 1, data: { kind: 'affine-gaussian', size: 16, A: [[1, 0, 2]], b: [0, 1, 2] }, generator: { layers: [{ units: 3, activation: { kind: 'identity' } }] } }).record
    const packed = runOf({ ...seedConfig, epochs: 1, pack: 2, data: { ...affineData(seedConfig), size: 16 } }).record
    const noteOf = (r: RunRecord): string => findAll(wellFormedHtml(reportHtml(r)), (e) => e.attributes['class'] === 'note').map(textContent).join(' ')
    expect(noteOf(three)).toContain("No heat map of D under the points: it is drawn for 2-column data only, and this run's data has 3 columns.")
    expect(noteOf(packed)).toContain('No heat map of D under the points: D reads packs of 2 points in this run (PacGAN), so it has no output for a single point.')
    for (const r of [three, packed]) expect(reportHtml(r)).not.toContain('class="critic"')
  })
})
