/**
 * The sweep's summary (src/report/sweep-summary.ts): the success criterion's grammar against
 * an independent recogniser, its canonical text and round trip, `isSuccess` per operator, the
 * record built from any runs in any order (the same JSON text for every order), its counts,
 * rates, intervals and quartiles by their definitions, the problems named, and the choice of
 * representative runs against a brute-force oracle.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seedConfig } from '../../src/gan/config.js'
import { quartiles, wilsonInterval } from '../../src/metrics/interval.js'
import type { SuccessCriterion, SweepRecord, SweepRun } from '../../src/report/sweep-record.js'
import {
  DEFAULT_SUCCESS,
  type SweepSummaryInput,
  isSuccess,
  parseSuccessCriterion,
  representativeRuns,
  successText,
  summarizeSweep,
} from '../../src/report/sweep-summary.js'
import { criterionArb, sweepInputArb } from '../support/sweep-arbitraries.js'
import { thrown } from '../support/thrown.js'

// -------------------------------------------------------------------------------------
// the success criterion
// -------------------------------------------------------------------------------------

/** The grammar of docs/sweeps.md read character by character (an independent recogniser of `METRIC OP NUMBER`). */
const grammatical = (text: string): boolean => {
  const metric = ['frechet', 'lossD', 'lossG'].find((m) => text.startsWith(m))
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

/** Texts near the grammar: its pieces and a few strangers, in any order. */
const nearCriterion = fc
  .array(fc.constantFrom('frechet', 'lossD', 'lossG', 'loss', 'Frechet', '<', '>', '=', '<=', '>=', '-', '+', '.', 'e', 'E', '0', '1', '9', '25', ' ', 'x', 'Infinity', 'NaN', '_', '\n'), { maxLength: 8 })
  .map((parts) => parts.join(''))

/** Texts in the grammar: a metric, an operator and a number written in any of its forms. */
const grammaticalText = fc
  .record({
    metric: fc.constantFrom('frechet', 'lossD', 'lossG'),
    op: fc.constantFrom('<', '<=', '>', '>='),
    sign: fc.constantFrom('', '-'),
    whole: fc.stringMatching(/^[0-9]{0,4}$/),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,4}$/)),
    exponent: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 400 }))),
  })
  .filter(({ whole, fraction }) => whole !== '' || fraction !== null)
  .map(({ metric, op, sign, whole, fraction, exponent }) => ({
    text: `${metric}${op}${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`,
    metric,
    op,
    number: `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`,
  }))

const GRAMMAR_PROBLEM = (shown: string): string =>
  `--success must be METRIC OP NUMBER (METRIC one of frechet, lossD, lossG; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got ${shown}`

describe('parseSuccessCriterion', () => {
  it('reads every text of the grammar, its number as JavaScript reads the decimal (-0 as 0), refusing only the infinite', () => {
    fc.assert(
      fc.property(grammaticalText, ({ text, metric, op, number }) => {
        const parsed = parseSuccessCriterion(text)
        const value = Number(number)
        if (!Number.isFinite(value)) {
          expect(parsed).toEqual({ problem: `--success must be METRIC OP NUMBER with a finite NUMBER (${number} is beyond the largest double), got ${JSON.stringify(text)}` })
          return
        }
        expect(parsed).toEqual({ criterion: { metric, op, threshold: value + 0 } })
        if ('criterion' in parsed) expect(Object.is(parsed.criterion.threshold, value + 0)).toBe(true)
      }),
    )
  })

  it('accepts exactly the texts an independent recogniser of the grammar accepts', () => {
    fc.assert(
      fc.property(fc.oneof(nearCriterion, grammaticalText.map((g) => g.text), fc.string({ maxLength: 12 })), (text) => {
        const parsed = parseSuccessCriterion(text)
        const finite = Number.isFinite(Number(text.replace(/^(frechet|lossD|lossG)(<=|>=|<|>)/, '')))
        expect('criterion' in parsed, JSON.stringify(text)).toBe(grammatical(text) && finite)
        if ('problem' in parsed && !grammatical(text)) expect(parsed.problem).toBe(GRAMMAR_PROBLEM(JSON.stringify(text)))
      }),
    )
  })

  it('reads the documented examples and refuses the documented non-examples, with one line naming what is allowed', () => {
    expect(parseSuccessCriterion(DEFAULT_SUCCESS)).toEqual({ criterion: { metric: 'frechet', op: '<', threshold: 0.1 } })
    expect(parseSuccessCriterion('lossD>=.5')).toEqual({ criterion: { metric: 'lossD', op: '>=', threshold: 0.5 } })
    expect(parseSuccessCriterion('lossG<-2')).toEqual({ criterion: { metric: 'lossG', op: '<', threshold: -2 } })
    expect(parseSuccessCriterion('frechet<=1e-3')).toEqual({ criterion: { metric: 'frechet', op: '<=', threshold: 0.001 } })
    expect(parseSuccessCriterion('frechet<2.5E+1')).toEqual({ criterion: { metric: 'frechet', op: '<', threshold: 25 } })
    expect(parseSuccessCriterion('frechet>1e-999')).toEqual({ criterion: { metric: 'frechet', op: '>', threshold: 0 } })
    for (const bad of ['foo', '', 'frechet < 0.1', 'frechet<+1', 'frechet<1.', 'frechet<Infinity', 'frechet<NaN', 'frechet<0x10', 'frechet<1_000', 'frechet=0.1', 'frechet<<0.1', 'frechet=<0.1', 'Frechet<0.1', 'fid<0.1', 'frechet<0.1 ', ' frechet<0.1', 'frechet<', '<0.1', 'frechet<٣']) {
      expect(parseSuccessCriterion(bad), bad).toEqual({ problem: GRAMMAR_PROBLEM(JSON.stringify(bad)) })
    }
    expect(parseSuccessCriterion('foo')).toEqual({
      problem: '--success must be METRIC OP NUMBER (METRIC one of frechet, lossD, lossG; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got "foo"',
    })
    expect(parseSuccessCriterion('lossG>-1e309')).toEqual({ problem: '--success must be METRIC OP NUMBER with a finite NUMBER (-1e309 is beyond the largest double), got "lossG>-1e309"' })
  })

  it('quotes a long or hostile text cut after 80 characters, on one line', () => {
    const long = `frechet<0.1${' '.repeat(1000)}`
    const parsed = parseSuccessCriterion(long)
    expect(parsed).toEqual({ problem: GRAMMAR_PROBLEM(`${JSON.stringify(long).slice(0, 80)}...`) })
    const hostile = parseSuccessCriterion('a\nb\u0000<script>')
    expect('problem' in hostile && hostile.problem).toBe(GRAMMAR_PROBLEM('"a\\nb\\u0000<script>"'))
    expect('problem' in hostile && hostile.problem.includes('\n')).toBe(false)
  })
})

describe('successText', () => {
  it('prints a criterion that parses back to itself (the threshold +0), for any finite threshold', () => {
    fc.assert(
      fc.property(criterionArb, fc.double({ noNaN: true, noDefaultInfinity: true }), (c, threshold) => {
        for (const criterion of [c, { ...c, threshold }]) {
          const parsed = parseSuccessCriterion(successText(criterion))
          expect(parsed).toEqual({ criterion: { ...criterion, threshold: criterion.threshold + 0 } })
          if ('criterion' in parsed) expect(Object.is(parsed.criterion.threshold, criterion.threshold + 0)).toBe(true)
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
    expect(successText({ metric: 'frechet', op: '<', threshold: 0.1 })).toBe(DEFAULT_SUCCESS)
    expect(successText({ metric: 'lossD', op: '>=', threshold: -0 })).toBe('lossD>=0')
    expect(successText({ metric: 'lossG', op: '<=', threshold: 1e21 })).toBe('lossG<=1e+21')
  })

  it('refuses a criterion parseSuccessCriterion could not have given', () => {
    const bad: ReadonlyArray<[unknown, string]> = [
      [{ metric: 'fid', op: '<', threshold: 0.1 }, 'metric "fid", op "<", threshold 0.1'],
      [{ metric: 'frechet', op: '=', threshold: 0.1 }, 'metric "frechet", op "=", threshold 0.1'],
      [{ metric: 'frechet', op: '<', threshold: NaN }, 'metric "frechet", op "<", threshold NaN'],
      [{ metric: 'frechet', op: '<', threshold: Infinity }, 'metric "frechet", op "<", threshold Infinity'],
      [{ metric: 'frechet', op: '<', threshold: '0.1' }, 'metric "frechet", op "<", threshold "0.1"'],
    ]
    for (const [c, what] of bad) expect(thrown(() => successText(c as SuccessCriterion))).toEqual(new RangeError(`successText: not a success criterion: ${what}`))
  })
})

describe('isSuccess', () => {
  const compare = { '<': (a: number, b: number) => a < b, '<=': (a: number, b: number) => a <= b, '>': (a: number, b: number) => a > b, '>=': (a: number, b: number) => a >= b } as const

  it('for a finished run compares the criterion\'s metric (and only it) with the threshold by the operator', () => {
    fc.assert(
      fc.property(criterionArb, fc.double({ min: -1, max: 3, noNaN: true }), fc.double({ min: -1, max: 3, noNaN: true }), (c, value, other) => {
        const run = { status: 'finished' as const, lossD: other, lossG: other, frechet: other, [c.metric]: value }
        expect(isSuccess(c, run)).toBe(compare[c.op](value, c.threshold))
      }),
    )
    // at the threshold itself: the strict operators fail, the others hold
    const at = (op: SuccessCriterion['op']) => isSuccess({ metric: 'lossG', op, threshold: 0.5 }, { status: 'finished', lossD: 9, lossG: 0.5, frechet: 9 })
    expect([at('<'), at('<='), at('>'), at('>=')]).toEqual([false, true, false, true])
  })

  it('is false for a run that did not finish, and for a metric that is not a finite number', () => {
    fc.assert(
      fc.property(criterionArb, fc.constantFrom('non-finite', 'failed') as fc.Arbitrary<SweepRun['status']>, (c, status) => {
        expect(isSuccess({ ...c, op: '>=', threshold: -Infinity } as SuccessCriterion, { status, lossD: 0, lossG: 0, frechet: 0 })).toBe(false)
        for (const v of [null, NaN, Infinity, -Infinity]) {
          expect(isSuccess({ ...c, op: v === -Infinity ? '<' : '>', threshold: 0 }, { status: 'finished', lossD: 1, lossG: 1, frechet: 1, [c.metric]: v })).toBe(false)
        }
      }),
    )
  })
})

// -------------------------------------------------------------------------------------
// the record
// -------------------------------------------------------------------------------------

const runKeys = ['config', 'seed', 'status', 'lossD', 'lossG', 'frechet', 'success', 'message']
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
          for (const m of ['frechet', 'lossD', 'lossG'] as const) {
            expect(s.metrics[m]).toEqual(finished.length === 0 ? null : quartiles(finished.map((r) => r[m] as number)))
          }
          expect(Object.keys(s.metrics)).toEqual(['frechet', 'lossD', 'lossG'])
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
      success: false,
      message: status === 'finished' ? null : 'why',
    })
    const record = summarizeSweep({
      packageVersion: '9.9.9',
      seeds: { from: 3, to: 5 },
      grid: [['lr-g', ['0.005', '0.01']]],
      success: { metric: 'frechet', op: '<=', threshold: 0.1 },
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
    expect(a!.metrics).toEqual({ frechet: null, lossD: null, lossG: null })
    const none = summarizeSweep({ ...record, success: { metric: 'frechet', op: '<', threshold: 1 }, settings: [{ id: 'c-b', values: [], config: seedConfig }], runs: [run('c-b', 4, 'failed', null)] })
    expect(none.settings[0]).toMatchObject({ runs: 1, failed: 1, successRate: null, interval: null })
  })

  it('names the first problem of the input, as merge reports it', () => {
    const base: SweepSummaryInput = {
      packageVersion: '0.5.0',
      seeds: { from: 0, to: 19 },
      grid: [],
      success: { metric: 'frechet', op: '<', threshold: 0.1 },
      settings: [
        { id: 'c-1234', values: [], config: seedConfig },
        { id: 'c-5678', values: [], config: seedConfig },
      ],
      runs: [],
    }
    const ok = (config: string, seed: number): SweepRun => ({ config, seed, status: 'finished', lossD: 0.69, lossG: 0.69, frechet: 0.05, success: true, message: null })
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
    const run = (seed: number, frechet: number, status: SweepRun['status'] = 'finished'): SweepRun => ({ config: 'c-1', seed, status, lossD: 1, lossG: 1, frechet, success: false, message: null })
    const record = (runs: SweepRun[]) =>
      summarizeSweep({ packageVersion: '0', seeds: { from: 0, to: 9 }, grid: [], success: { metric: 'frechet', op: '<', threshold: 0 }, settings: [{ id: 'c-1', values: [], config: seedConfig }], runs })
    expect(representativeRuns(record([run(5, 0.2), run(2, 0.2), run(7, 0.9), run(1, 0.9), run(3, 0.1), run(4, 0.1)]), 'c-1')).toEqual({ best: 3, median: 2, worst: 1 })
    expect(representativeRuns(record([run(4, 0.5)]), 'c-1')).toEqual({ best: 4, median: 4, worst: 4 })
    expect(representativeRuns(record([run(4, 0.5), run(6, 0.1)]), 'c-1')).toEqual({ best: 6, median: 6, worst: 4 })
    expect(representativeRuns(record([{ ...run(4, 0), status: 'non-finite', frechet: null }]), 'c-1')).toBeNull()
    expect(thrown(() => representativeRuns(record([]), 'c-2'))).toEqual(new RangeError('representativeRuns: the record has no setting c-2'))
  })
})
