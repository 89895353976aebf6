/**
 * The sweep's page (src/report/sweep-html.ts): well-formed and self-contained, a pure function
 * of its arguments (no clock, no randomness), every string escaped, each setting's rate and
 * interval as `successRateText` prints them, histograms whose bins hold every finished run
 * once, the representative runs' samples drawn with their seeds and distances; on a real
 * sweep of tiny trainings and on made-up ones.
 */
import fc from 'fast-check'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type GanConfig, type GanState, runData, runStreams, sampleGenerator, seedConfig, summarizeGenerator, train } from '../../src/gan/index.js'
import { sliceRows, toArrays } from '../../src/matrix/index.js'
import { wilsonInterval } from '../../src/metrics/interval.js'
import { configRows, stat } from '../../src/report/html.js'
import { type RepresentativeSamples, type SweepSample, frechetBins, successRateText, sweepHtml } from '../../src/report/sweep-html.js'
import type { MetricQuartiles, SweepRecord, SweepRun } from '../../src/report/sweep-record.js'
import { representativeRuns, summarizeSweep } from '../../src/report/sweep-summary.js'
import { textWidth } from '../../src/report/svg.js'
import { sweepInputArb } from '../support/sweep-arbitraries.js'
import { type XmlElement, findAll, textContent, wellFormedHtml } from '../support/xml.js'

// -------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------

const NO_METRICS = { modes: null, hq: null, reverseKl: null, mmdP: null, energyP: null, c2st: null } as const

const byName = (root: XmlElement, name: string): ReadonlyArray<XmlElement> => findAll(root, (e) => e.name === name)
const byClass = (root: XmlElement, name: string): ReadonlyArray<XmlElement> => findAll(root, (e) => (e.attributes['class'] ?? '').split(' ').includes(name))

/** A real sweep: 2 settings (lr-g) x 4 seeds of the seed config with 2 epochs on 200 points, every run's final samples kept. */
const realSweep = (): { record: SweepRecord; samples: Map<string, SweepSample> } => {
  const settings = ['0.005', '0.02'].map((v, i) => ({
    id: `c-${i}`,
    values: [['lr-g', v]] as const,
    config: { ...seedConfig, seed: 0, epochs: 2, learningRateG: Number(v), data: { ...seedConfig.data, size: 200 } } as GanConfig,
  }))
  const runs: SweepRun[] = []
  const samples = new Map<string, SweepSample>()
  for (const s of settings) {
    for (let seed = 0; seed < 4; seed++) {
      const config = { ...s.config, seed }
      const noise = runStreams(seed).evaluation
      let points: number[][] = []
      const { state, history } = train(config, (_report, st: GanState) => {
        points = toArrays(sampleGenerator(st, noise, 100)[0])
      })
      const data = runData(config)
      samples.set(`${s.id} ${seed}`, { seed, realSample: toArrays(sliceRows(data, 0, data.rows)), points })
      const last = history[history.length - 1]!
      // the two-sample metrics made up from the seed (runMetrics is the CLI tests' and run-metrics tests' business)
      const metrics = { modes: null, hq: null, reverseKl: null, mmdP: (seed + 1) / 201, energyP: (seed + 2) / 201, c2st: 0.5 + seed / 16 }
      runs.push({ config: s.id, seed, status: 'finished', lossD: last.lossD, lossG: last.lossG, frechet: summarizeGenerator(state).frechetDistance, ...metrics, success: false, message: null })
    }
  }
  runs[2] = { ...runs[2]!, status: 'non-finite', lossD: null, lossG: null, frechet: null, mmdP: null, energyP: null, c2st: null, message: 'loss_D is NaN at epoch 2, step 3' }
  const record = summarizeSweep({ packageVersion: '0.5.0', seeds: { from: 0, to: 3 }, grid: [['lr-g', ['0.005', '0.02']]], success: [{ metric: 'frechet', op: '<', threshold: 9 }], settings, runs })
  return { record, samples }
}

/** The samples of each setting's representative runs, from a map by `id seed`. */
const representativeSamples = (record: SweepRecord, samples: ReadonlyMap<string, SweepSample>): Record<string, RepresentativeSamples> =>
  Object.fromEntries(
    record.settings.map((s) => {
      const chosen = representativeRuns(record, s.id)
      const get = (seed: number): SweepSample | null => samples.get(`${s.id} ${seed}`) ?? null
      return [s.id, chosen === null ? { best: null, median: null, worst: null } : { best: get(chosen.best), median: get(chosen.median), worst: get(chosen.worst) }]
    }),
  )

/** Made-up samples for every run of a record: a few points derived from the seed. */
const madeUpSamples = (record: SweepRecord): Map<string, SweepSample> =>
  new Map(
    record.runs.map((r) => [
      `${r.config} ${r.seed}`,
      { seed: r.seed, realSample: [[r.seed, 1], [0, -1], [2, 3]], points: [[r.seed / 2, 0.5], [1, 1]] },
    ]),
  )

let real: { record: SweepRecord; samples: Map<string, SweepSample> }
beforeAll(() => {
  real = realSweep()
})

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** A made-up sweep's record, with the samples of its representative runs. */
const pageArb = sweepInputArb.map((input) => {
  const record = summarizeSweep(input)
  return { record, samples: representativeSamples(record, madeUpSamples(record)) }
})

// -------------------------------------------------------------------------------------
// the page
// -------------------------------------------------------------------------------------

describe('sweepHtml', () => {
  it('is well-formed and self-contained: no scripts, no URLs, links only to its own sections', () => {
    const html = sweepHtml(real.record, representativeSamples(real.record, real.samples))
    const root = wellFormedHtml(html)
    for (const banned of ['http://', 'https://', '<script', '<link', ' src=', 'url(', '@import', '<img', '<iframe']) expect(html.toLowerCase()).not.toContain(banned)
    const ids = findAll(root, (e) => e.attributes['id'] !== undefined).map((e) => e.attributes['id'])
    for (const a of findAll(root, (e) => e.attributes['href'] !== undefined)) {
      expect(a.attributes['href']).toMatch(/^#setting-\d+$/)
      expect(ids).toContain(a.attributes['href']!.slice(1))
    }
    expect(byName(root, 'meta').find((m) => m.attributes['http-equiv'] === 'Content-Security-Policy')?.attributes['content']).toBe("default-src 'none'; style-src 'unsafe-inline'")
  })

  it('is a pure function of its arguments: the same bytes at any time, and no call to Math.random', () => {
    const samples = representativeSamples(real.record, real.samples)
    const random = vi.spyOn(Math, 'random')
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2001-02-03T04:05:06Z'))
    const a = sweepHtml(real.record, samples)
    vi.setSystemTime(new Date('2099-12-31T23:59:59Z'))
    const b = sweepHtml(JSON.parse(JSON.stringify(real.record)) as SweepRecord, JSON.parse(JSON.stringify(samples)) as Record<string, RepresentativeSamples>)
    expect(b).toBe(a)
    expect(random).not.toHaveBeenCalled()
    expect(a).not.toMatch(/20(01|99)/)
  })

  it('titles the page with its size and states the definition: seeds, grid, criterion, runs by status', () => {
    const root = wellFormedHtml(sweepHtml(real.record, {}))
    expect(byName(root, 'h1').map(textContent)).toEqual(['pure-gan sweep: 2 settings x 4 seeds'])
    const rows = byName(byClass(root, 'definition')[0]!, 'tr').map((tr) => byName(tr, 'th').concat(byName(tr, 'td')).map(textContent))
    expect(rows).toEqual([
      ['seeds', '0..3 (4 seeds)'],
      ['grid --lr-g', '0.005, 0.02'],
      ['success', 'frechet<9'],
      ['settings', '2'],
      ['runs', '8: 7 finished, 1 non-finite, 0 failed'],
    ])
  })

  it('lists the configuration every setting shares, without the fields the grid varies', () => {
    const root = wellFormedHtml(sweepHtml(real.record, {}))
    const rows = byName(byName(byClass(root, 'config')[0]!, 'tbody')[0]!, 'tr').map((tr) => byName(tr, 'th').concat(byName(tr, 'td')).map(textContent))
    expect(rows.map(([field]) => field)).toEqual(configRows(real.record.settings[0]!.config).map(([field]) => field).filter((f) => f !== 'learningRateG'))
    expect(rows).toContainEqual(['data.size', '200'])
    expect(rows).toContainEqual(['seed', '0'])
  })

  it("lists a setting's runs that did not finish with their messages, the first ten and how many more", () => {
    const record = summarizeSweep({
      ...real.record,
      success: [{ metric: 'frechet', op: '<', threshold: 1 }],
      seeds: { from: 0, to: 11 },
      settings: [real.record.settings[0]!],
      runs: Array.from({ length: 12 }, (_, seed): SweepRun => ({ config: 'c-0', seed, status: seed % 2 === 0 ? 'failed' : 'non-finite', lossD: null, lossG: null, frechet: null, ...NO_METRICS, success: false, message: seed === 3 ? null : `why ${seed}` })),
    })
    const items = byName(byClass(wellFormedHtml(sweepHtml(record, {})), 'problems')[0]!, 'li').map(textContent)
    expect(items).toEqual([...Array.from({ length: 10 }, (_, seed) => (seed === 3 ? 'seed 3: non-finite' : `seed ${seed}: ${seed % 2 === 0 ? 'failed' : 'non-finite'} (why ${seed})`)), 'and 2 more'])
    expect(byClass(wellFormedHtml(sweepHtml(real.record, {})), 'problems').map((ul) => byName(ul, 'li').map(textContent))).toEqual([['seed 2: non-finite (loss_D is NaN at epoch 2, step 3)']])
  })

  it('has one table row per setting with its counts, its rate and interval as successRateText prints them, the Fréchet quartiles and the medians of the run metrics', () => {
    fc.assert(
      fc.property(pageArb, ({ record, samples }) => {
        const root = wellFormedHtml(sweepHtml(record, samples))
        const table = byClass(root, 'settings')[0]!
        const rows = byName(byName(table, 'tbody')[0]!, 'tr')
        expect(rows).toHaveLength(record.settings.length)
        // the made-up settings' data has no modes: the mode columns are there when some run has mode metrics
        const modeColumns = record.settings.some((s) => s.metrics.modes !== null || s.metrics.hq !== null || s.metrics.reverseKl !== null)
        const heads = byName(byName(table, 'thead')[0]!, 'tr').map((tr) => byName(tr, 'th').map(textContent))
        expect(heads).toEqual([
          ['setting', 'grid values', 'runs', 'finished', 'non-finite', 'failed', 'successes', 'success rate [95 % interval]', 'Fréchet median [q1, q3]', 'medians'],
          [...(modeColumns ? ['modes covered', 'HQ'] : []), 'MMD p', 'C2ST accuracy'],
        ])
        const median = (q: MetricQuartiles | null, show: (x: number) => string): string => (q === null ? '—' : show(q.median))
        record.settings.forEach((s, i) => {
          const cells = byName(rows[i]!, 'th').concat(byName(rows[i]!, 'td')).map(textContent)
          const q = s.metrics.frechet
          expect(cells).toEqual([
            s.id,
            s.values.map(([f, v]) => `--${f} ${v}`).join(''),
            String(s.runs),
            String(s.finished),
            String(s.nonFinite),
            String(s.failed),
            `${s.successes} / ${s.finished + s.nonFinite}`,
            successRateText(s.successRate, s.interval),
            q === null ? '—' : `${stat(q.median)} [${stat(q.q1)}, ${stat(q.q3)}]`,
            ...(modeColumns ? [median(s.metrics.modes, String), median(s.metrics.hq, (x) => `${(100 * x).toFixed(1)} %`)] : []),
            median(s.metrics.mmdP, stat),
            median(s.metrics.c2st, stat),
          ])
          // and in the setting's own section
          const section = findAll(root, (e) => e.attributes['id'] === `setting-${i + 1}`)[0]!
          expect(byClass(section, 'rate').map(textContent)).toEqual([successRateText(s.successRate, s.interval)])
        })
      }),
    )
  })

  it('draws, per setting with a finished run, a histogram whose bins count every finished run once', () => {
    fc.assert(
      fc.property(pageArb, ({ record, samples }) => {
        const root = wellFormedHtml(sweepHtml(record, samples))
        record.settings.forEach((s, i) => {
          const section = findAll(root, (e) => e.attributes['id'] === `setting-${i + 1}`)[0]!
          const bins = byClass(section, 'bin')
          if (s.finished === 0) {
            expect(bins).toEqual([])
            expect(textContent(section)).toContain('No run finished: no distances to show.')
            return
          }
          expect(bins.reduce((n, b) => n + Number(b.attributes['data-count']), 0)).toBe(s.finished)
          // contiguous, and each finished run's distance inside the range of the bins
          bins.slice(1).forEach((b, j) => expect(b.attributes['data-lo']).toBe(bins[j]!.attributes['data-hi']))
          const lo = Number(bins[0]!.attributes['data-lo'])
          const hi = Number(bins[bins.length - 1]!.attributes['data-hi'])
          for (const r of record.runs.filter((r) => r.config === s.id && r.status === 'finished')) expect(Math.max(r.frechet!, 1e-6) >= lo && r.frechet! <= hi).toBe(true)
          // the x labels (as textWidth estimates them) keep at least 8 px apart
          const labels = findAll(byClass(section, 'histogram')[0]!, (e) => e.attributes['data-axis'] === 'x').flatMap((g) => byName(g, 'text')).filter((t) => t.attributes['class'] !== 'axis-title')
          expect(labels.length).toBeGreaterThan(0)
          labels.slice(1).forEach((t, j) => {
            const gap = Number(t.attributes['x']) - Number(labels[j]!.attributes['x'])
            expect(gap).toBeGreaterThanOrEqual((textWidth(textContent(t)) + textWidth(textContent(labels[j]!))) / 2 + 8 - 0.01)
          })
        })
      }),
    )
  })

  it("marks a frechet criterion's threshold on a histogram whose bins reach it, and says where it lies otherwise", () => {
    const page = (threshold: number): XmlElement => wellFormedHtml(sweepHtml({ ...real.record, success: `frechet<${threshold}` }, {}))
    const distances = real.record.runs.filter((r) => r.config === 'c-0' && r.status === 'finished').map((r) => r.frechet!)
    const bins = frechetBins(distances)
    const inside = (bins.edges[0]! + bins.edges[1]!) / 2
    const first = byClass(page(inside), 'histogram')[0]!
    expect(byClass(first, 'threshold').map((g) => g.attributes['data-value'])).toEqual([String(inside)])
    expect(textContent(first)).toContain(`Dashed: the criterion's threshold (frechet<${inside}).`)
    const below = byClass(page(bins.edges[0]! / 2), 'histogram')[0]!
    expect(byClass(below, 'threshold')).toEqual([])
    expect(textContent(below)).toContain(`lies below every bin.`)
    const lossCriterion = wellFormedHtml(sweepHtml({ ...real.record, success: `lossD<${inside}` }, {}))
    expect(byClass(lossCriterion, 'threshold')).toEqual([])
  })

  it('draws a line per threshold of a criterion on frechet alone, and none for a criterion on another metric too', () => {
    const page = (success: string): XmlElement => byClass(wellFormedHtml(sweepHtml({ ...real.record, success }, {})), 'histogram')[0]!
    const distances = real.record.runs.filter((r) => r.config === 'c-0' && r.status === 'finished').map((r) => r.frechet!)
    const bins = frechetBins(distances)
    const a = (bins.edges[0]! + bins.edges[1]!) / 2
    const b = (bins.edges[1]! + bins.edges[2]!) / 2
    const band = page(`frechet>${a}&frechet<${b}`)
    expect(byClass(band, 'threshold').map((g) => g.attributes['data-value'])).toEqual([String(a), String(b)])
    expect(byClass(band, 'threshold').map((g) => textContent(byName(g, 'text')[0]!))).toEqual([`frechet>${a}`, `frechet<${b}`])
    // the second label a line lower
    const ys = byClass(band, 'threshold').map((g) => Number(byName(g, 'text')[0]!.attributes['y']))
    expect(ys[1]! - ys[0]!).toBe(13)
    expect(textContent(band)).toContain(`Dashed: the criterion's thresholds (frechet>${a}, frechet<${b}).`)
    // one inside, one beyond the bins
    const beyond = page(`frechet>${a}&frechet<${bins.edges[bins.edges.length - 1]! * 2}`)
    expect(byClass(beyond, 'threshold').map((g) => g.attributes['data-value'])).toEqual([String(a)])
    expect(textContent(beyond)).toContain(`Dashed: the criterion's threshold (frechet>${a}). The criterion's threshold (frechet<${bins.edges[bins.edges.length - 1]! * 2}) lies above every bin.`)
    // a criterion on another metric as well: no line, no sentence
    const mixed = page(`frechet<${a}&c2st<0.6`)
    expect(byClass(mixed, 'threshold')).toEqual([])
    expect(textContent(mixed)).not.toContain('threshold')
  })

  it('shows the mode metrics of a setting whose data has modes (of its modes count, HQ as a percentage), a dash for the others, and per setting a table of every metric', () => {
    const ring = { ...seedConfig, data: { kind: 'ring8', size: 200, std: 0.01 } } as GanConfig
    const run = (config: string, seed: number, m: Partial<SweepRun>): SweepRun => ({
      config,
      seed,
      status: 'finished',
      lossD: 0.69,
      lossG: 0.7,
      frechet: 0.05 * (seed + 1),
      ...NO_METRICS,
      mmdP: 1 / 201,
      energyP: 0.5,
      c2st: 0.75,
      ...m,
      success: false,
      message: null,
    })
    const record = summarizeSweep({
      packageVersion: '0.5.0',
      seeds: { from: 0, to: 1 },
      grid: [['data', ['ring8', 'seed-gaussian']]],
      success: [
        { metric: 'modes', op: '>=', threshold: 8 },
        { metric: 'hq', op: '>=', threshold: 0.98 },
      ],
      settings: [
        { id: 'c-ring', values: [['data', 'ring8']], config: ring },
        { id: 'c-plain', values: [['data', 'seed-gaussian']], config: seedConfig },
      ],
      runs: [run('c-ring', 0, { modes: 8, hq: 0.99, reverseKl: 0.01 }), run('c-ring', 1, { modes: 5, hq: 0.5, reverseKl: null }), run('c-plain', 0, {}), run('c-plain', 1, { mmdP: 0.5 })],
    })
    const root = wellFormedHtml(sweepHtml(record, {}))
    const rows = byName(byName(byClass(root, 'settings')[0]!, 'tbody')[0]!, 'tr').map((tr) => byName(tr, 'td').map(textContent).slice(-4))
    expect(rows).toEqual([
      ['6.5 / 8', '74.5 %', stat(1 / 201), '0.7500'],
      ['—', '—', stat((1 / 201 + 0.5) / 2), '0.7500'],
    ])
    const metricRows = (i: number) =>
      byName(byName(byClass(findAll(root, (e) => e.attributes['id'] === `setting-${i}`)[0]!, 'metrics')[0]!, 'tbody')[0]!, 'tr').map((tr) => byName(tr, 'th').concat(byName(tr, 'td')).map(textContent))
    expect(metricRows(1)).toEqual([
      ['final Fréchet distance', 'frechet', '2', `${stat(0.075)} [${stat(0.0625)}, ${stat(0.0875)}]`],
      ['loss_D (last epoch)', 'lossD', '2', '0.6900 [0.6900, 0.6900]'],
      ['loss_G (last epoch)', 'lossG', '2', '0.7000 [0.7000, 0.7000]'],
      ['modes covered (of 8)', 'modes', '2', '6.5 [5.75, 7.25]'],
      ['high-quality samples', 'hq', '2', '74.5 % [62.3 %, 86.8 %]'],
      ['reverse KL of the modes', 'reverseKl', '1', `${stat(0.01)} [${stat(0.01)}, ${stat(0.01)}]`],
      ['MMD² p-value', 'mmdP', '2', `${stat(1 / 201)} [${stat(1 / 201)}, ${stat(1 / 201)}]`],
      ['energy distance p-value', 'energyP', '2', '0.5000 [0.5000, 0.5000]'],
      ['C2ST accuracy', 'c2st', '2', '0.7500 [0.7500, 0.7500]'],
    ])
    // no mode rows for data without modes
    expect(metricRows(2).map(([name]) => name)).toEqual(['final Fréchet distance', 'loss_D (last epoch)', 'loss_G (last epoch)', 'MMD² p-value', 'energy distance p-value', 'C2ST accuracy'])
    expect(textContent(root)).toContain('modes>=8&hq>=0.98')
    // without data with modes, no mode columns
    const plainOnly = summarizeSweep({ ...record, success: [{ metric: 'frechet', op: '<', threshold: 0.1 }], grid: [], settings: [record.settings[1]!], runs: record.runs.filter((r) => r.config === 'c-plain') })
    const heads = byName(byName(byClass(wellFormedHtml(sweepHtml(plainOnly, {})), 'settings')[0]!, 'thead')[0]!, 'tr').map((tr) => byName(tr, 'th').map(textContent))
    expect(heads[1]).toEqual(['MMD p', 'C2ST accuracy'])
  })

  it("shows the final samples of each setting's best, median and worst runs, titled with role, seed and distance", () => {
    const html = sweepHtml(real.record, representativeSamples(real.record, real.samples))
    const root = wellFormedHtml(html)
    real.record.settings.forEach((s, i) => {
      const section = findAll(root, (e) => e.attributes['id'] === `setting-${i + 1}`)[0]!
      const chosen = representativeRuns(real.record, s.id)!
      const titles = byClass(section, 'samples').flatMap((d) => byName(d, 'svg')).map((svg) => textContent(byName(svg, 'title')[0]!))
      const frechet = (seed: number): number => real.record.runs.find((r) => r.config === s.id && r.seed === seed)!.frechet!
      expect(titles).toEqual((['best', 'median', 'worst'] as const).map((role) => `Real data and generated points, ${role}: seed ${chosen[role]}, Fréchet ${stat(frechet(chosen[role]))}`))
      // the drawn points are the run's: as many generated circles as the sample has points
      const generated = byClass(section, 'samples').flatMap((d) => findAll(d, (e) => e.attributes['data-series'] === 'generated'))
      expect(generated.map((g) => byName(g, 'circle').length)).toEqual([100, 100, 100])
    })
  })

  it('says so when a representative run has no samples, or samples of another seed; an id such as __proto__ finds none', () => {
    const { record } = real
    const chosen = representativeRuns(record, 'c-0')!
    const wrongSeed = { seed: chosen.best + 1, realSample: [[0, 0]], points: [[1, 1]] }
    const root = wellFormedHtml(sweepHtml(record, { 'c-0': { best: wrongSeed, median: null, worst: null } }))
    const notes = byClass(findAll(root, (e) => e.attributes['id'] === 'setting-1')[0]!, 'samples').flatMap((d) => byClass(d, 'note')).map(textContent)
    expect(notes).toHaveLength(3)
    expect(notes[0]).toMatch(new RegExp(`^best: seed ${chosen.best}, Fréchet .*: its samples could not be read`))
    const proto = summarizeSweep({ ...record, success: [{ metric: 'frechet', op: '<', threshold: 1 }], settings: [{ ...record.settings[0]!, id: '__proto__' }], runs: [{ ...record.runs[0]!, config: '__proto__' }] })
    expect(() => wellFormedHtml(sweepHtml(proto, {}))).not.toThrow()
  })

  it('escapes every string from the record: hostile grid flags and values, ids, messages, versions and criterion', () => {
    const script = '<script>alert("x&y")</script>'
    const nasty = `<&"'>`
    const record: SweepRecord = {
      ...real.record,
      packageVersion: script,
      grid: [[script, [nasty, script]]],
      success: `frechet<${script}`,
      settings: real.record.settings.map((s, i) => ({ ...s, id: `${nasty}${i}`, values: [[script, nasty]] })),
      runs: real.record.runs.map((r) => ({ ...r, config: `${nasty}${r.config.slice(2)}`, message: r.message === null ? null : script })),
    }
    const html = sweepHtml(record, {})
    const root = wellFormedHtml(html)
    expect(html).not.toContain('<script')
    expect(html).not.toContain(nasty)
    const text = textContent(root)
    expect(text).toContain(`--${script} ${nasty}`)
    expect(text).toContain(`${nasty}0`)
    expect(text).toContain(`seed 2: non-finite (${script})`)
    expect(text).toContain(`written by pure-gan ${script}.`)
    expect(text).toContain(`frechet<${script}`)
  })
})

// -------------------------------------------------------------------------------------
// formatting and bins
// -------------------------------------------------------------------------------------

describe('successRateText', () => {
  it('prints the rate and the interval as percentages with one decimal, and a dash without a rate', () => {
    expect(successRateText(11 / 20, wilsonInterval(11, 20))).toBe('55.0 % [34.2 %, 74.2 %]')
    expect(successRateText(0, wilsonInterval(0, 19))).toBe('0.0 % [0.0 %, 16.8 %]')
    expect(successRateText(1, wilsonInterval(3, 3))).toBe('100.0 % [43.9 %, 100.0 %]')
    expect(successRateText(null, null)).toBe('—')
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.nat(), (n, k0) => {
        const k = k0 % (n + 1)
        const interval = wilsonInterval(k, n)
        const m = /^(\d+\.\d) % \[(\d+\.\d) %, (\d+\.\d) %\]$/.exec(successRateText(k / n, interval))
        expect(m).not.toBeNull()
        ;[k / n, ...interval].forEach((x, i) => expect(Math.abs(Number(m![i + 1]) - 100 * x)).toBeLessThanOrEqual(0.05 + 1e-9))
      }),
    )
  })
})

describe('frechetBins', () => {
  const distances = fc.oneof(
    fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 1, maxLength: 40 }),
    fc.array(fc.double({ min: 1e-9, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 40 }),
    fc.array(fc.constantFrom(0, 1e-7, 0.05, 0.1, 0.0999, 0.5, 2, 9.02, 9.43), { minLength: 1, maxLength: 40 }),
    fc.tuple(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.array(fc.double({ min: 1, max: 1.3, noNaN: true }), { minLength: 1, maxLength: 30 })).map(([c, xs]) => xs.map((x) => c * x)),
    fc.constant([Number.MAX_VALUE, 0]),
  )

  it('puts every value in exactly one bin, in at most 24 ascending bins, log-spaced with at least 5 or else linear', () => {
    fc.assert(
      fc.property(distances, (values) => {
        const bins = frechetBins(values)
        const n = bins.counts.length
        expect(bins.edges).toHaveLength(n + 1)
        expect(n >= 1 && n <= 24).toBe(true)
        bins.edges.slice(1).forEach((e, i) => expect(e).toBeGreaterThan(bins.edges[i]!))
        expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(values.length)
        // brute force: the bin of each value by its edges ([lo, hi), the last linear bin closed)
        const expected = new Array<number>(n).fill(0)
        for (const v of values) {
          const x = bins.scale === 'log' ? Math.max(v, 1e-6) : v
          const b = bins.edges.findIndex((e, i) => i < n && e <= x && (x < bins.edges[i + 1]! || (bins.scale === 'linear' && i === n - 1 && x === bins.edges[n])))
          expect(b, `${v} in ${bins.edges.join(' ')}`).toBeGreaterThanOrEqual(0)
          expected[b]! += 1
        }
        expect(bins.counts).toEqual(expected)
        if (bins.scale === 'log') {
          expect(n).toBeGreaterThanOrEqual(5)
          // the first and the last bin are not empty: log bins run from the least value's to the greatest's
          expect(bins.counts[0]).toBeGreaterThan(0)
          expect(bins.counts[n - 1]).toBeGreaterThan(0)
        }
      }),
    )
  })

  it('takes the finest of R20, R10, 1-2-5 and powers of ten that fits, with the edges as the doubles of their decimals', () => {
    const r20 = frechetBins([0.5, 0.99])
    expect(r20.scale).toBe('log')
    expect(r20.edges).toEqual([0.5, 0.56, 0.63, 0.71, 0.8, 0.9, 1])
    expect(r20.counts).toEqual([1, 0, 0, 0, 0, 1])
    expect(frechetBins([0.0152, 1.2408]).edges).toEqual([0.0125, 0.016, 0.02, 0.025, 0.0315, 0.04, 0.05, 0.063, 0.08, 0.1, 0.125, 0.16, 0.2, 0.25, 0.315, 0.4, 0.5, 0.63, 0.8, 1, 1.25])
    expect(frechetBins([0.01, 20]).edges).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50])
    expect(frechetBins([1e-3, 1e9]).edges).toEqual([1e-3, 1e-2, 1e-1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10])
    // 1e-6 to 1e300: every 14th power of ten is the least stride with at most 24 bins, aligned to 10^0
    expect(frechetBins([0, 1e300]).edges).toEqual(Array.from({ length: 24 }, (_, i) => Number(`1e${14 * (i - 1)}`)))
    expect(frechetBins([0, 1e300]).labels.slice(0, 3)).toEqual(['1e-14', '1', '1e14'])
    // an edge value is in the bin it starts; 0 counts at 1e-6
    const edges125 = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20]
    expect(frechetBins(edges125).counts).toEqual(edges125.map(() => 1))
    expect(frechetBins([0, 1e-6, 1]).counts[0]).toBe(2)
  })

  it('takes linear bins at niceTicks steps when the values span too little for 5 log-spaced bins', () => {
    const narrow = frechetBins([9.0221, 9.1958, 9.4272])
    expect(narrow.scale).toBe('linear')
    expect(narrow.edges).toEqual([9, 9.05, 9.1, 9.15, 9.2, 9.25, 9.3, 9.35, 9.4, 9.45])
    expect(narrow.counts).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 1])
    const one = frechetBins([0.25])
    expect(one.scale).toBe('linear')
    expect(one.counts.reduce((a, b) => a + b, 0)).toBe(1)
    // the last linear bin is closed: its upper edge is counted in it
    expect(frechetBins([9, 9.45]).counts.slice(-1)).toEqual([1])
    // where niceTicks's last tick stops 1 ulp short of the greatest value, the last edge is that value
    const short = frechetBins([0.0012250000000000002, 0.0011749999999500003])
    expect(short.edges.slice(-2)).toEqual([0.00122, 0.0012250000000000002])
    expect(short.labels.slice(-1)).toEqual(['0.001225'])
  })
})
