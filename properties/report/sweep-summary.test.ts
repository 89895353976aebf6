/**
 * The sweep's summary (src/report/sweep-summary.ts): the success criterion's grammar against
 * an independent recogniser, its canonical text and round trip, `isSuccess` per operator, the
 * record built from any runs in any order (the same JSON text for every order), its counts,
 * rates, intervals and quartiles by their definitions, the problems named, and the choice of
 * representative runs against a brute-force oracle.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type GanConfig, seedConfig } from '../../src/gan/config.js'
import { quartiles, wilsonInterval } from '../../src/metrics/interval.js'
import type { SuccessClause, SuccessCriterion, SweepRecord, SweepRun } from '../../src/report/sweep-record.js'
import {
  DEFAULT_SUCCESS,
  SWEEP_METRICS,
  type SweepSummaryInput,
  isSuccess,
  parseSuccessCriterion,
  representativeRuns,
  successText,
  summarizeSweep,
} from '../../src/report/sweep-summary.js'
import { preview } from '../../src/validate/preview.js'
import { METRICS, clauseArb, criterionArb, sweepInputArb } from '../support/sweep-arbitraries.js'
import { thrown } from '../support/thrown.js'

// -------------------------------------------------------------------------------------
// the success criterion
// -------------------------------------------------------------------------------------

/** The grammar of one clause of docs/sweeps.md read character by character (an independent recogniser of `METRIC OP NUMBER`). */
const grammaticalClause = (text: string): boolean => {
  // the metric that starts the text (none is a prefix of another)
  const metric = METRICS.find((m) => text.startsWith(m))
  if (metric === undefined) return false
  const afterMetric = text.slice(metric.length)
  const op = ['<=', '>=', '<', '>'].find((o) => afterMetric.startsWith(o))
  if (op === undefined) return false
  const n = afterMetric.slice(op.length)
  let i = 0
  const digits = (): boolean => {
    const start = i
    while (i < n.length && n[i]! >= '0' && n[i]! <= '9') i++
    return i > start
  }
  if (n[i] === '-') i++
  if (n[i] === '.') {
    i++
    if (!digits()) return false
  } else {
    if (!digits()) return false
    if (n[i] === '.') {
      i++
      if (!digits()) return false
    }
  }
  if (n[i] === 'e' || n[i] === 'E') {
    i++
    if (n[i] === '+' || n[i] === '-') i++
    if (!digits()) return false
  }
  return i === n.length
}

/** The whole grammar: clauses separated by single `&`s, each in the clause grammar. */
const grammatical = (text: string): boolean => {
  const clauses: string[] = []
  let current = ''
  for (const ch of text) {
    if (ch === '&') {
      clauses.push(current)
      current = ''
    } else current += ch
  }
  clauses.push(current)
  return clauses.every(grammaticalClause)
}

/** The number of each clause of a grammatical text, as written. */
const numbersOf = (text: string): string[] => text.split('&').map((c) => c.replace(/^[A-Za-z0-9]+?(<=|>=|<|>)/, ''))

/** Texts near the grammar: its pieces and a few strangers, in any order. */
const nearCriterion = fc
  .array(
    fc.constantFrom(...METRICS, 'loss', 'Frechet', 'mode', 'mmd', '<', '>', '=', '<=', '>=', '-', '+', '.', 'e', 'E', '0', '1', '9', '25', ' ', 'x', 'Infinity', 'NaN', '_', '\n', '&', '&&', '|'),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''))

/** A clause in the grammar: a metric, an operator and a number written in any of its forms. */
const grammaticalClauseText = fc
  .record({
    metric: fc.constantFrom(...METRICS),
    op: fc.constantFrom('<', '<=', '>', '>='),
    sign: fc.constantFrom('', '-'),
    whole: fc.stringMatching(/^[0-9]{0,4}$/),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,4}$/)),
    exponent: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))),
  })
  .filter(({ whole, fraction }) => whole !== '' || fraction !== null)
  .map(({ metric, op, sign, whole, fraction, exponent }) => {
    const number = `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`
    return { text: `${metric}${op}${number}`, metric, op, number }
  })

/** Texts in the grammar: one to four clauses joined by `&`. */
const grammaticalText = fc.array(grammaticalClauseText, { minLength: 1, maxLength: 4 }).map((clauses) => ({ text: clauses.map((c) => c.text).join('&'), clauses }))

const ALLOWED =
  'METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of frechet, lossD, lossG, modes, hq, reverseKl, mmdP, energyP, c2st; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces)'
const GRAMMAR_PROBLEM = (shown: string, clause = ''): string => `--success must be ${ALLOWED}, got ${shown}${clause}`

describe('parseSuccessCriterion', () => {
  it('reads every text of the grammar, clause by clause in order, each number as JavaScript reads the decimal (-0 as 0), refusing only the infinite', () => {
    fc.assert(
      fc.property(grammaticalText, ({ text, clauses }) => {
        const parsed = parseSuccessCriterion(text)
        const infinite = clauses.find((c) => !Number.isFinite(Number(c.number)))
        if (infinite !== undefined) {
          expect(parsed).toEqual({ problem: `--success must be METRIC OP NUMBER with a finite NUMBER (${infinite.number} is beyond the largest double), got ${preview(text, 80)}` })
          return
        }
        expect(parsed).toEqual({ criterion: clauses.map(({ metric, op, number }) => ({ metric, op, threshold: Number(number) + 0 })) })
        if ('criterion' in parsed) parsed.criterion.forEach((c, i) => expect(Object.is(c.threshold, Number(clauses[i]!.number) + 0)).toBe(true))
      }),
    )
  })

  it('accepts exactly the texts an independent recogniser of the grammar accepts', () => {
    fc.assert(
      fc.property(fc.oneof(nearCriterion, grammaticalText.map((g) => g.text), fc.string({ maxLength: 12 })), (text) => {
        const parsed = parseSuccessCriterion(text)
        const finite = grammatical(text) && numbersOf(text).every((n) => Number.isFinite(Number(n)))
        expect('criterion' in parsed, JSON.stringify(text)).toBe(grammatical(text) && finite)
        if ('problem' in parsed && !grammatical(text)) {
          const parts = text.split('&')
          const bad = parts.findIndex((p) => !grammaticalClause(p))
          expect(parsed.problem).toBe(GRAMMAR_PROBLEM(preview(text, 80), parts.length > 1 ? ` (clause ${bad + 1}: ${preview(parts[bad], 40)})` : ''))
        }
      }),
    )
  })

  it('reads the documented examples and refuses the documented non-examples, with one line naming what is allowed', () => {
    expect(parseSuccessCriterion(DEFAULT_SUCCESS)).toEqual({ criterion: [{ metric: 'frechet', op: '<', threshold: 0.1 }] })
    expect(parseSuccessCriterion('lossD>=.5')).toEqual({ criterion: [{ metric: 'lossD', op: '>=', threshold: 0.5 }] })
    expect(parseSuccessCriterion('lossG<-2')).toEqual({ criterion: [{ metric: 'lossG', op: '<', threshold: -2 }] })
    expect(parseSuccessCriterion('frechet<=1e-3')).toEqual({ criterion: [{ metric: 'frechet', op: '<=', threshold: 0.001 }] })
    expect(parseSuccessCriterion('frechet<2.5E+1')).toEqual({ criterion: [{ metric: 'frechet', op: '<', threshold: 25 }] })
    expect(parseSuccessCriterion('frechet>1e-999')).toEqual({ criterion: [{ metric: 'frechet', op: '>', threshold: 0 }] })
    expect(parseSuccessCriterion('modes>=8&hq>=0.98')).toEqual({
      criterion: [
        { metric: 'modes', op: '>=', threshold: 8 },
        { metric: 'hq', op: '>=', threshold: 0.98 },
      ],
    })
    expect(parseSuccessCriterion('reverseKl<0.1&mmdP>0.05&energyP>.05&c2st<=0.6')).toEqual({
      criterion: [
        { metric: 'reverseKl', op: '<', threshold: 0.1 },
        { metric: 'mmdP', op: '>', threshold: 0.05 },
        { metric: 'energyP', op: '>', threshold: 0.05 },
        { metric: 'c2st', op: '<=', threshold: 0.6 },
      ],
    })
    // clauses in the order written, a repeated one kept
    expect(parseSuccessCriterion('frechet<0.1&frechet>0.01&frechet<0.1')).toEqual({
      criterion: [
        { metric: 'frechet', op: '<', threshold: 0.1 },
        { metric: 'frechet', op: '>', threshold: 0.01 },
        { metric: 'frechet', op: '<', threshold: 0.1 },
      ],
    })
    for (const bad of ['foo', '', 'frechet < 0.1', 'frechet<+1', 'frechet<1.', 'frechet<Infinity', 'frechet<NaN', 'frechet<0x10', 'frechet<1_000', 'frechet=0.1', 'frechet<<0.1', 'frechet=<0.1', 'Frechet<0.1', 'fid<0.1', 'frechet<0.1 ', ' frechet<0.1', 'frechet<', '<0.1', 'frechet<٣', 'HQ>0.5', 'modesCovered>=8', 'mmd<0.05']) {
      expect(parseSuccessCriterion(bad), bad).toEqual({ problem: GRAMMAR_PROBLEM(JSON.stringify(bad)) })
    }
    // several clauses: the first that is not one is named
    const clauseProblems: ReadonlyArray<readonly [string, string]> = [
      ['frechet<0.1&', ' (clause 2: "")'],
      ['&frechet<0.1', ' (clause 1: "")'],
      ['modes>=8&&hq>=0.98', ' (clause 2: "")'],
      ['modes>=8 & hq>=0.98', ' (clause 1: "modes>=8 ")'],
      ['modes>=8&hq>=0.98&foo&bar', ' (clause 3: "foo")'],
      ['modes>=8&HQ>=0.98', ' (clause 2: "HQ>=0.98")'],
      ['&', ' (clause 1: "")'],
      ['frechet<1e999&foo', ' (clause 2: "foo")'],
    ]
    for (const [bad, clause] of clauseProblems) expect(parseSuccessCriterion(bad), bad).toEqual({ problem: GRAMMAR_PROBLEM(JSON.stringify(bad), clause) })
    expect(parseSuccessCriterion('frechet|lossD<1')).toEqual({ problem: GRAMMAR_PROBLEM('"frechet|lossD<1"') })
    expect(parseSuccessCriterion('foo')).toEqual({
      problem:
        '--success must be METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of frechet, lossD, lossG, modes, hq, reverseKl, mmdP, energyP, c2st; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got "foo"',
    })
    expect(parseSuccessCriterion('lossG>-1e309')).toEqual({ problem: '--success must be METRIC OP NUMBER with a finite NUMBER (-1e309 is beyond the largest double), got "lossG>-1e309"' })
    expect(parseSuccessCriterion('modes>=8&hq>1e400')).toEqual({ problem: '--success must be METRIC OP NUMBER with a finite NUMBER (1e400 is beyond the largest double), got "modes>=8&hq>1e400"' })
  })

  it('quotes a long or hostile text cut after 80 characters (a clause after 40), on one line', () => {
    const long = `frechet<0.1${' '.repeat(1000)}`
    const parsed = parseSuccessCriterion(long)
    expect(parsed).toEqual({ problem: GRAMMAR_PROBLEM(`${JSON.stringify(long).slice(0, 80)}...`) })
    const longClause = `frechet<0.1&${'x'.repeat(1000)}`
    expect(parseSuccessCriterion(longClause)).toEqual({ problem: GRAMMAR_PROBLEM(`${JSON.stringify(longClause).slice(0, 80)}...`, ` (clause 2: ${JSON.stringify('x'.repeat(1000)).slice(0, 40)}...)`) })
    const hostile = parseSuccessCriterion('a\nb\u0000<script>')
    expect('problem' in hostile && hostile.problem).toBe(GRAMMAR_PROBLEM('"a\\nb\\u0000<script>"'))
    expect('problem' in hostile && hostile.problem.includes('\n')).toBe(false)
    const hostileClause = parseSuccessCriterion('modes>=8&\n<script>')
    expect('problem' in hostileClause && hostileClause.problem).toBe(GRAMMAR_PROBLEM('"modes>=8&\\n<script>"', ' (clause 2: "\\n<script>")'))
  })
})

describe('successText', () => {
  it('prints a criterion that parses back to itself (thresholds +0), for any finite thresholds', () => {
    fc.assert(
      fc.property(criterionArb, fc.double({ noNaN: true, noDefaultInfinity: true }), (c, threshold) => {
        for (const criterion of [c, c.map((clause, i) => (i === 0 ? { ...clause, threshold } : clause)) as unknown as SuccessCriterion]) {
          const text = successText(criterion)
          expect(text.split('&')).toHaveLength(criterion.length)
          const parsed = parseSuccessCriterion(text)
          expect(parsed).toEqual({ criterion: criterion.map((clause) => ({ ...clause, threshold: clause.threshold + 0 })) })
          if ('criterion' in parsed) parsed.criterion.forEach((p, i) => expect(Object.is(p.threshold, criterion[i]!.threshold + 0)).toBe(true))
        }
      }),
    )
  })

  it('is canonical: a text read and printed again reads the same, and prints the same a second time', () => {
    fc.assert(
      fc.property(grammaticalText, ({ text }) => {
        const parsed = parseSuccessCriterion(text)
        if (!('criterion' in parsed)) return
        const canonical = successText(parsed.criterion)
        expect(parseSuccessCriterion(canonical)).toEqual(parsed)
        const again = parseSuccessCriterion(canonical)
        expect('criterion' in again && successText(again.criterion)).toBe(canonical)
      }),
    )
    expect(successText([{ metric: 'frechet', op: '<', threshold: 0.1 }])).toBe(DEFAULT_SUCCESS)
    expect(successText([{ metric: 'lossD', op: '>=', threshold: -0 }])).toBe('lossD>=0')
    expect(successText([{ metric: 'lossG', op: '<=', threshold: 1e21 }])).toBe('lossG<=1e+21')
    expect(
      successText([
        { metric: 'modes', op: '>=', threshold: 8 },
        { metric: 'hq', op: '>=', threshold: 0.98 },
      ]),
    ).toBe('modes>=8&hq>=0.98')
    const read = parseSuccessCriterion('modes>=8.0&hq>=.980&c2st<6E-1')
    expect('criterion' in read && successText(read.criterion)).toBe('modes>=8&hq>=0.98&c2st<0.6')
  })

  it('refuses a criterion parseSuccessCriterion could not have given', () => {
    const bad: ReadonlyArray<[unknown, string]> = [
      [[{ metric: 'fid', op: '<', threshold: 0.1 }], 'metric "fid", op "<", threshold 0.1'],
      [[{ metric: 'frechet', op: '=', threshold: 0.1 }], 'metric "frechet", op "=", threshold 0.1'],
      [[{ metric: 'frechet', op: '<', threshold: NaN }], 'metric "frechet", op "<", threshold NaN'],
      [[{ metric: 'frechet', op: '<', threshold: Infinity }], 'metric "frechet", op "<", threshold Infinity'],
      [[{ metric: 'frechet', op: '<', threshold: '0.1' }], 'metric "frechet", op "<", threshold "0.1"'],
      [[{ metric: 'modes', op: '>=', threshold: 8 }, { metric: 'HQ', op: '>=', threshold: 0.98 }], 'metric "HQ", op ">=", threshold 0.98'],
      [[{ metric: 'modes', op: '>=', threshold: 8 }, null], 'metric undefined, op undefined, threshold undefined'],
      [[], 'expected a non-empty list of clauses, got []'],
      [{ metric: 'frechet', op: '<', threshold: 0.1 }, 'expected a non-empty list of clauses, got {"metric":"frechet","op":"<","threshold":0.1}'],
      ['frechet<0.1', 'expected a non-empty list of clauses, got "frechet<0.1"'],
    ]
    for (const [c, what] of bad) expect(thrown(() => successText(c as SuccessCriterion))).toEqual(new RangeError(`successText: not a success criterion: ${what}`))
  })
})

describe('isSuccess', () => {
  const compare = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b } as const
  /** A run value of a metric: a number, or null (a metric the run does not have). */
  const valueArb = fc.option(fc.double({ min: -1, max: 3, noNaN: true }), { freq: 4 })

  it("for a finished run holds exactly when every clause holds: the clause's metric (and only it) a number, compared with the threshold by the operator", () => {
    fc.assert(
      fc.property(criterionArb, fc.tuple(...METRICS.map(() => valueArb)), (c, values) => {
        const values_: Record<string, number | null> = Object.fromEntries(METRICS.map((m, i) => [m, values[i]!]))
        const run = { status: 'finished' as const, ...values_ }
        const clauseHolds = (clause: SuccessClause): boolean => {
          const v = values_[clause.metric]!
          return v !== null && compare[clause.op](v, clause.threshold)
        }
        expect(isSuccess(c, run)).toBe(c.every(clauseHolds))
        // a conjunction: each clause alone, then all of them
        expect(isSuccess(c, run)).toBe(c.every((clause) => isSuccess([clause], run)))
      }),
    )
    // at the threshold itself: the strict operators fail, the others hold
    const at = (op: SuccessClause['op']) => isSuccess([{ metric: 'lossG', op, threshold: 0.5 }], { status: 'finished', lossD: 9, lossG: 0.5, frechet: 9 })
    expect([at('<'), at('<='), at('>'), at('>=')]).toEqual([false, true, false, true])
  })

  it('the truth table of a conjunction of two clauses, with nulls and absent metrics', () => {
    const both: SuccessCriterion = [
      { metric: 'modes', op: '>=', threshold: 8 },
      { metric: 'hq', op: '>=', threshold: 0.98 },
    ]
    const table: ReadonlyArray<readonly [number | null | undefined, number | null | undefined, boolean]> = [
      [8, 0.98, true],
      [8, 0.99, true],
      [7, 0.99, false],
      [8, 0.97, false],
      [7, 0.5, false],
      [null, 0.99, false],
      [8, null, false],
      [null, null, false],
      [undefined, 0.99, false],
      [8, undefined, false],
    ]
    for (const [modes, hq, expected] of table) {
      const run = { status: 'finished' as const, frechet: 0.05, ...(modes === undefined ? {} : { modes }), ...(hq === undefined ? {} : { hq }) }
      expect(isSuccess(both, run), `modes ${modes}, hq ${hq}`).toBe(expected)
      for (const status of ['non-finite', 'failed'] as const) expect(isSuccess(both, { ...run, status })).toBe(false)
    }
    // a metric of data without modes fails its clause, whatever the operator
    for (const op of ['<', '<=', '>', '>='] as const) expect(isSuccess([{ metric: 'reverseKl', op, threshold: 0 }], { status: 'finished', reverseKl: null })).toBe(false)
    // no clause: never a success (parseSuccessCriterion never gives one)
    expect(isSuccess([] as unknown as SuccessCriterion, { status: 'finished', frechet: 0 })).toBe(false)
  })

  it('is false for a run that did not finish, and for a metric that is not a finite number', () => {
    fc.assert(
      fc.property(clauseArb, fc.constantFrom('non-finite', 'failed') as fc.Arbitrary<SweepRun['status']>, (c, status) => {
        const all = Object.fromEntries(METRICS.map((m) => [m, 0]))
        expect(isSuccess([{ ...c, op: '>=', threshold: -Infinity }], { status, ...all })).toBe(false)
        for (const v of [null, NaN, Infinity, -Infinity]) {
          expect(isSuccess([{ ...c, op: v === -Infinity ? '<' : '>', threshold: 0 }], { status: 'finished', ...Object.fromEntries(METRICS.map((m) => [m, 1])), [c.metric]: v })).toBe(false)
        }
      }),
    )
  })
})

// -------------------------------------------------------------------------------------
// the record
// -------------------------------------------------------------------------------------

const runKeys = ['config', 'seed', 'status', 'lossD', 'lossG', 'frechet', 'modes', 'hq', 'reverseKl', 'mmdP', 'energyP', 'c2st', 'success', 'message']
const NO_METRICS = { modes: null, hq: null, reverseKl: null, mmdP: null, energyP: null, c2st: null } as const
const settingKeys = ['id', 'values', 'config', 'runs', 'finished', 'nonFinite', 'failed', 'successes', 'successRate', 'interval', 'metrics']

/** `input` with its runs in another order and each run's keys written backwards. */
const reordered = (input: SweepSummaryInput, order: ReadonlyArray<number>): SweepSummaryInput => ({
  ...input,
  runs: order.map((i) => Object.fromEntries(Object.entries(input.runs[i]!).reverse()) as unknown as SweepRun),
})

describe('summarizeSweep', () => {
  it('gives the same JSON text for any order of the runs, and any key order inside them', () => {
    fc.assert(
      fc.property(
        sweepInputArb.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.runs.keys()], { minLength: input.runs.length }))),
        ([input, order]) => {
          expect(JSON.stringify(summarizeSweep(reordered(input, order)))).toBe(JSON.stringify(summarizeSweep(input)))
        },
      ),
    )
  })

  it('holds every run, sorted by its setting\'s position and then by seed, each with success from the criterion', () => {
    fc.assert(
      fc.property(sweepInputArb, (input) => {
        const record = summarizeSweep(input)
        const position = (id: string): number => input.settings.findIndex((s) => s.id === id)
        expect(record.runs).toHaveLength(input.runs.length)
        record.runs.forEach((r, i) => {
          expect(Object.keys(r)).toEqual(runKeys)
          const given = input.runs.find((g) => g.config === r.config && g.seed === r.seed)!
          expect(r).toEqual({ ...given, success: isSuccess(input.success, given) })
          const next = record.runs[i + 1]
          if (next !== undefined) expect(position(r.config) < position(next.config) || (r.config === next.config && r.seed < next.seed)).toBe(true)
        })
      }),
    )
  })

  it('has the definition as given, the criterion as its canonical text, and the fields in the type\'s order', () => {
    fc.assert(
      fc.property(sweepInputArb, (input) => {
        const record = summarizeSweep(input)
        expect(Object.keys(record)).toEqual(['format', 'version', 'packageVersion', 'seeds', 'grid', 'success', 'settings', 'runs'])
        expect(record).toMatchObject({ format: 'pure-gan/sweep', version: 1, packageVersion: input.packageVersion, seeds: input.seeds, grid: input.grid })
        expect(record.success).toBe(successText(input.success))
        expect(record.settings.map((s) => [s.id, s.values, s.config])).toEqual(input.settings.map((s) => [s.id, s.values, s.config]))
      }),
    )
  })

  it('summarises each setting by the definitions: counts by status, rate and Wilson interval over finished and non-finite runs, quartiles over finished ones', () => {
    fc.assert(
      fc.property(sweepInputArb, (input) => {
        const record = summarizeSweep(input)
        for (const s of record.settings) {
          expect(Object.keys(s)).toEqual(settingKeys)
          const own = input.runs.filter((r) => r.config === s.id)
          const finished = own.filter((r) => r.status === 'finished')
          const count = (status: SweepRun['status']): number => own.filter((r) => r.status === status).length
          const successes = own.filter((r) => isSuccess(input.success, r)).length
          const trials = count('finished') + count('non-finite')
          expect([s.runs, s.finished, s.nonFinite, s.failed, s.successes]).toEqual([own.length, count('finished'), count('non-finite'), count('failed'), successes])
          expect(s.successRate).toBe(trials === 0 ? null : successes / trials)
          expect(s.interval).toEqual(trials === 0 ? null : wilsonInterval(successes, trials))
          for (const m of METRICS) {
            const values = finished.map((r) => r[m]).filter((v): v is number => v !== null)
            expect(s.metrics[m]).toEqual(values.length === 0 ? null : quartiles(values))
            if (s.metrics[m] !== null) expect(s.metrics[m]!.count).toBe(values.length)
          }
          // the Fréchet distance and the losses of every finished run
          for (const m of ['frechet', 'lossD', 'lossG'] as const) expect(s.metrics[m]?.count ?? 0).toBe(finished.length)
          expect(Object.keys(s.metrics)).toEqual([...METRICS])
          expect(Object.keys(s.metrics)).toEqual([...SWEEP_METRICS])
        }
        expect(record.settings.reduce((n, s) => n + s.runs, 0)).toBe(input.runs.length)
      }),
    )
  })

  it('a small sweep, by hand', () => {
    const run = (config: string, seed: number, status: SweepRun['status'], frechet: number | null): SweepRun => ({
      config,
      seed,
      status,
      lossD: frechet === null ? null : 0.69,
      lossG: frechet === null ? null : 0.7,
      frechet,
      ...NO_METRICS,
      mmdP: frechet === null ? null : 0.5,
      energyP: frechet === null ? null : 0.5,
      c2st: frechet === null ? null : 0.5,
      success: false,
      message: status === 'finished' ? null : 'why',
    })
    const record = summarizeSweep({
      packageVersion: '9.9.9',
      seeds: { from: 3, to: 5 },
      grid: [['lr-g', ['0.005', '0.01']]],
      success: [{ metric: 'frechet', op: '<=', threshold: 0.1 }],
      settings: [
        { id: 'c-b', values: [['lr-g', '0.005']], config: seedConfig },
        { id: 'c-a', values: [['lr-g', '0.01']], config: seedConfig },
      ],
      runs: [run('c-a', 4, 'failed', null), run('c-b', 5, 'finished', 0.3), run('c-a', 3, 'non-finite', null), run('c-b', 3, 'finished', 0.1), run('c-b', 4, 'non-finite', null)],
    })
    expect(record.runs.map((r) => `${r.config}/${r.seed}/${r.success}`)).toEqual(['c-b/3/true', 'c-b/4/false', 'c-b/5/false', 'c-a/3/false', 'c-a/4/false'])
    expect(record.success).toBe('frechet<=0.1')
    const [b, a] = record.settings
    expect(b).toMatchObject({ runs: 3, finished: 2, nonFinite: 1, failed: 0, successes: 1, successRate: 1 / 3, interval: wilsonInterval(1, 3) })
    expect(b!.metrics.frechet).toEqual({ count: 2, q1: 0.15, median: 0.2, q3: 0.25 })
    expect(a).toMatchObject({ runs: 2, finished: 0, nonFinite: 1, failed: 1, successes: 0, successRate: 0, interval: [0, wilsonInterval(0, 1)[1]] })
    expect(b!.metrics.mmdP).toEqual({ count: 2, q1: 0.5, median: 0.5, q3: 0.5 })
    expect(b!.metrics.modes).toBeNull()
    expect(a!.metrics).toEqual({ frechet: null, lossD: null, lossG: null, modes: null, hq: null, reverseKl: null, mmdP: null, energyP: null, c2st: null })
    const none = summarizeSweep({ ...record, success: [{ metric: 'frechet', op: '<', threshold: 1 }], settings: [{ id: 'c-b', values: [], config: seedConfig }], runs: [run('c-b', 4, 'failed', null)] })
    expect(none.settings[0]).toMatchObject({ runs: 1, failed: 1, successRate: null, interval: null })
  })

  it('the run metrics of a small sweep, by hand: quartiles of the values there are, null where there are none, a conjunction per run', () => {
    const ring = { ...seedConfig, data: { kind: 'ring8', size: 200, std: 0.01 } } as GanConfig
    const finished = (config: string, seed: number, m: Partial<SweepRun>): SweepRun => ({
      config,
      seed,
      status: 'finished',
      lossD: 0.69,
      lossG: 0.7,
      frechet: 0.05,
      ...NO_METRICS,
      energyP: 1 / 201,
      ...m,
      success: false,
      message: null,
    })
    const record = summarizeSweep({
      packageVersion: '9.9.9',
      seeds: { from: 0, to: 5 },
      grid: [['data', ['ring8', 'seed-gaussian']]],
      success: [
        { metric: 'modes', op: '>=', threshold: 7 },
        { metric: 'hq', op: '>=', threshold: 0.75 },
      ],
      settings: [
        { id: 'c-ring', values: [['data', 'ring8']], config: ring },
        { id: 'c-plain', values: [['data', 'seed-gaussian']], config: seedConfig },
      ],
      runs: [
        finished('c-ring', 0, { modes: 8, hq: 1, reverseKl: 0.25, mmdP: 0.5, c2st: 0.5 }),
        finished('c-ring', 1, { modes: 7, hq: 0.5, reverseKl: null, mmdP: 0.25, c2st: 1 }),
        finished('c-ring', 2, { modes: 3, hq: 0.25, reverseKl: 0.5, mmdP: 0.75, c2st: 0.75 }),
        finished('c-ring', 3, { modes: 6, hq: 0.75, reverseKl: 1.5, mmdP: 1, c2st: 0.625 }),
        // a non-finite run's values are never read, nor a failed run's
        { ...finished('c-ring', 4, { modes: 8, hq: 1, reverseKl: 0, mmdP: 1, c2st: 0 }), status: 'non-finite', message: 'why' },
        { ...finished('c-ring', 5, {}), status: 'failed', lossD: null, lossG: null, frechet: null, energyP: null, message: 'why' },
        finished('c-plain', 0, { mmdP: 0.5, c2st: 0.5 }),
        finished('c-plain', 1, { mmdP: 0.25, c2st: 0.75 }),
      ],
    })
    expect(record.success).toBe('modes>=7&hq>=0.75')
    expect(record.runs.map((r) => r.success)).toEqual([true, false, false, false, false, false, false, false])
    const [ringSetting, plain] = record.settings
    expect(ringSetting).toMatchObject({ finished: 4, nonFinite: 1, failed: 1, successes: 1, successRate: 0.2 })
    // type 7 by hand: h = (n - 1)p, x_⌊h⌋ + (h - ⌊h⌋)(x_⌊h⌋+1 - x_⌊h⌋)
    expect(ringSetting!.metrics).toEqual({
      frechet: { count: 4, q1: 0.05, median: 0.05, q3: 0.05 },
      lossD: { count: 4, q1: 0.69, median: 0.69, q3: 0.69 },
      lossG: { count: 4, q1: 0.7, median: 0.7, q3: 0.7 },
      // 3 6 7 8: h = 0.75, 1.5, 2.25
      modes: { count: 4, q1: 5.25, median: 6.5, q3: 7.25 },
      // 0.25 0.5 0.75 1
      hq: { count: 4, q1: 0.4375, median: 0.625, q3: 0.8125 },
      // 0.25 0.5 1.5 (one null): h = 0.5, 1, 1.5
      reverseKl: { count: 3, q1: 0.375, median: 0.5, q3: 1 },
      mmdP: { count: 4, q1: 0.4375, median: 0.625, q3: 0.8125 },
      energyP: { count: 4, q1: 1 / 201, median: 1 / 201, q3: 1 / 201 },
      // 0.5 0.625 0.75 1
      c2st: { count: 4, q1: 0.59375, median: 0.6875, q3: 0.8125 },
    })
    expect(plain!.metrics).toMatchObject({ modes: null, hq: null, reverseKl: null, mmdP: { count: 2, q1: 0.3125, median: 0.375, q3: 0.4375 }, c2st: { count: 2, q1: 0.5625, median: 0.625, q3: 0.6875 } })
    // the runs carry their metrics through, in the type's order
    expect(record.runs[0]).toEqual({ config: 'c-ring', seed: 0, status: 'finished', lossD: 0.69, lossG: 0.7, frechet: 0.05, modes: 8, hq: 1, reverseKl: 0.25, mmdP: 0.5, energyP: 1 / 201, c2st: 0.5, success: true, message: null })
    expect(Object.keys(record.runs[0]!)).toEqual(runKeys)
    // an absent metric of a run that did not finish is written as null
    const { modes: _, ...noModes } = record.runs[5]!
    const again = summarizeSweep({ ...record, success: [{ metric: 'frechet', op: '<', threshold: 1 }], settings: [record.settings[0]!], runs: [noModes as SweepRun] })
    expect(Object.keys(again.runs[0]!)).toEqual(runKeys)
    expect(again.runs[0]!.modes).toBeNull()
  })

  it('names the first problem of the input, as merge reports it', () => {
    const base: SweepSummaryInput = {
      packageVersion: '0.5.0',
      seeds: { from: 0, to: 19 },
      grid: [],
      success: [{ metric: 'frechet', op: '<', threshold: 0.1 }],
      settings: [
        { id: 'c-1234', values: [], config: seedConfig },
        { id: 'c-5678', values: [], config: seedConfig },
      ],
      runs: [],
    }
    const ok = (config: string, seed: number): SweepRun => ({ config, seed, status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05, ...NO_METRICS, mmdP: 0.5, energyP: 0.5, c2st: 0.5, success: true, message: null })
    const problem = (input: Partial<SweepSummaryInput>): string => thrown(() => summarizeSweep({ ...base, ...input })).message
    expect(thrown(() => summarizeSweep({ ...base, runs: [ok('c-1234', 7), ok('c-1234', 7)] }))).toBeInstanceOf(RangeError)
    expect(problem({ runs: [ok('c-1234', 7), ok('c-5678', 7), ok('c-1234', 7)] })).toBe('setting c-1234 seed 7 appears twice')
    expect(problem({ runs: [ok('c-1234', 7), ok('c-9999', 7)] })).toBe('run of unknown setting c-9999 (seed 7)')
    // the first problem in the runs' order
    expect(problem({ runs: [ok('c-9999', 1), ok('c-1234', 7), ok('c-1234', 7)] })).toBe('run of unknown setting c-9999 (seed 1)')
    expect(problem({ runs: [ok('c-1234', 7), ok('c-1234', 7), ok('c-9999', 1)] })).toBe('setting c-1234 seed 7 appears twice')
    expect(problem({ runs: [ok('c-1234', 20)] })).toBe("setting c-1234 seed 20 is outside the sweep's seeds 0..19")
    expect(problem({ runs: [ok('c-1234', -1)] })).toBe("setting c-1234 seed -1 is outside the sweep's seeds 0..19")
    expect(problem({ runs: [ok('c-1234', 1.5)] })).toBe("setting c-1234 seed 1.5 is outside the sweep's seeds 0..19")
    expect(problem({ runs: [{ ...ok('c-1234', 3), status: 'done' as SweepRun['status'] }] })).toBe('setting c-1234 seed 3 has status "done", not finished, non-finite or failed')
    expect(problem({ runs: [{ ...ok('c-1234', 3), frechet: null }] })).toBe('setting c-1234 seed 3 finished but its frechet is null, not a finite number')
    expect(problem({ runs: [{ ...ok('c-1234', 3), lossD: NaN }] })).toBe('setting c-1234 seed 3 finished but its lossD is NaN, not a finite number')
    expect(problem({ runs: [{ ...ok('c-1234', 3), lossG: Infinity }] })).toBe('setting c-1234 seed 3 finished but its lossG is Infinity, not a finite number')
    // the other metrics may be null, but nothing else
    expect(() => summarizeSweep({ ...base, runs: [{ ...ok('c-1234', 3), mmdP: null, energyP: null, c2st: null }] })).not.toThrow()
    expect(problem({ runs: [{ ...ok('c-1234', 3), modes: NaN }] })).toBe('setting c-1234 seed 3 finished but its modes is NaN, not a finite number or null')
    expect(problem({ runs: [{ ...ok('c-1234', 3), hq: '0.5' as unknown as number }] })).toBe('setting c-1234 seed 3 finished but its hq is "0.5", not a finite number or null')
    expect(problem({ runs: [{ ...ok('c-1234', 3), c2st: -Infinity }] })).toBe('setting c-1234 seed 3 finished but its c2st is -Infinity, not a finite number or null')
    const { reverseKl: _, ...withoutReverseKl } = ok('c-1234', 3)
    expect(problem({ runs: [withoutReverseKl as SweepRun] })).toBe('setting c-1234 seed 3 finished but its reverseKl is undefined, not a finite number or null')
    // the losses and the distance first
    expect(problem({ runs: [{ ...ok('c-1234', 3), modes: NaN, frechet: null }] })).toBe('setting c-1234 seed 3 finished but its frechet is null, not a finite number')
    expect(problem({ settings: [...base.settings, { id: 'c-1234', values: [], config: seedConfig }] })).toBe('setting c-1234 appears twice in the settings')
    expect(problem({ seeds: { from: 5, to: 4 } })).toBe('the seeds must be integers from..to with from <= to, got 5..4')
    expect(problem({ seeds: { from: 0, to: 0.5 } })).toBe('the seeds must be integers from..to with from <= to, got 0..0.5')
    // a non-finite or failed run needs no metrics
    expect(() => summarizeSweep({ ...base, runs: [{ ...ok('c-1234', 3), status: 'non-finite', frechet: null }, { ...ok('c-1234', 4), status: 'failed', lossD: NaN }] })).not.toThrow()
  })
})

// -------------------------------------------------------------------------------------
// representative runs
// -------------------------------------------------------------------------------------

/** Brute force: the finished run of `id` that no other beats on (frechet, seed), by `better`. */
const extreme = (record: SweepRecord, id: string, better: (a: SweepRun, b: SweepRun) => boolean): number => {
  const finished = record.runs.filter((r) => r.config === id && r.status === 'finished')
  return finished.find((r) => finished.every((o) => o === r || better(r, o)))!.seed
}

describe('representativeRuns', () => {
  it('picks the lowest, the lower median and the highest Fréchet distance of the finished runs, ties to the lower seed', () => {
    fc.assert(
      fc.property(sweepInputArb, (input) => {
        const record = summarizeSweep(input)
        for (const s of record.settings) {
          const chosen = representativeRuns(record, s.id)
          const finished = record.runs.filter((r) => r.config === s.id && r.status === 'finished')
          if (finished.length === 0) {
            expect(chosen).toBeNull()
            continue
          }
          const f = (r: SweepRun): number => r.frechet as number
          const best = extreme(record, s.id, (a, b) => f(a) < f(b) || (f(a) === f(b) && a.seed < b.seed))
          const worst = extreme(record, s.id, (a, b) => f(a) > f(b) || (f(a) === f(b) && a.seed < b.seed))
          // the lower median: exactly ⌊(m − 1)/2⌋ runs come before it in (frechet, seed) order
          const before = (a: SweepRun, b: SweepRun): boolean => f(a) < f(b) || (f(a) === f(b) && a.seed < b.seed)
          const median = finished.find((r) => finished.filter((o) => before(o, r)).length === Math.floor((finished.length - 1) / 2))!.seed
          expect(chosen).toEqual({ best, median, worst })
        }
      }),
    )
  })

  it('does not depend on the order of the record\'s runs', () => {
    fc.assert(
      fc.property(
        sweepInputArb.chain((input) => {
          const record = summarizeSweep(input)
          return fc.tuple(fc.constant(record), fc.shuffledSubarray([...record.runs], { minLength: record.runs.length }))
        }),
        ([record, shuffled]) => {
          for (const s of record.settings) expect(representativeRuns({ ...record, runs: shuffled }, s.id)).toEqual(representativeRuns(record, s.id))
        },
      ),
    )
  })

  it('a small case by hand: ties go to the lower seed at both ends and in the middle', () => {
    const run = (seed: number, frechet: number, status: SweepRun['status'] = 'finished'): SweepRun => ({ config: 'c-1', seed, status, lossD: 1, lossG: 1, frechet, ...NO_METRICS, success: false, message: null })
    const record = (runs: SweepRun[]) =>
      summarizeSweep({ packageVersion: '0', seeds: { from: 0, to: 9 }, grid: [], success: [{ metric: 'frechet', op: '<', threshold: 0 }], settings: [{ id: 'c-1', values: [], config: seedConfig }], runs })
    expect(representativeRuns(record([run(5, 0.2), run(2, 0.2), run(7, 0.9), run(1, 0.9), run(3, 0.1), run(4, 0.1)]), 'c-1')).toEqual({ best: 3, median: 2, worst: 1 })
    expect(representativeRuns(record([run(4, 0.5)]), 'c-1')).toEqual({ best: 4, median: 4, worst: 4 })
    expect(representativeRuns(record([run(4, 0.5), run(6, 0.1)]), 'c-1')).toEqual({ best: 6, median: 6, worst: 4 })
    expect(representativeRuns(record([{ ...run(4, 0), status: 'non-finite', frechet: null }]), 'c-1')).toBeNull()
    expect(thrown(() => representativeRuns(record([]), 'c-2'))).toEqual(new RangeError('representativeRuns: the record has no setting c-2'))
  })
})
