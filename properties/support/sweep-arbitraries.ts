/**
 * Sweeps for the properties of src/report/sweep-summary.ts and sweep-html.ts: a definition
 * (seeds, a grid, settings with made-up ids) and runs of every status in shuffled order, some
 * cells missing, metrics drawn from a few values so that ties are common, the mode metrics
 * `null` in some finished runs (and a non-finite run sometimes with the values it had before
 * it stopped, which no summary may read); criteria of one to three clauses.
 */
import fc from 'fast-check'
import { seedConfig } from '../../src/gan/config.js'
import type { SuccessClause, SuccessCriterion, SweepRun } from '../../src/report/sweep-record.js'
import type { SweepSummaryInput } from '../../src/report/sweep-summary.js'

/** Every metric, in the record's order. */
export const METRICS = ['frechet', 'lossD', 'lossG', 'modes', 'hq', 'reverseKl', 'mmdP', 'energyP', 'c2st'] as const

/** One clause over any metric and operator, its threshold among the drawn metric values and around them. */
export const clauseArb: fc.Arbitrary<SuccessClause> = fc.record({
  metric: fc.constantFrom(...METRICS),
  op: fc.constantFrom('<', '<=', '>', '>='),
  threshold: fc.oneof(fc.constantFrom(0.05, 0.1, 0.5, 0.6931, 2), fc.double({ min: -1, max: 3, noNaN: true })),
})

/** A criterion of 1..3 clauses (mostly one). */
export const criterionArb: fc.Arbitrary<SuccessCriterion> = fc
  .tuple(clauseArb, fc.array(clauseArb, { maxLength: 2 }), fc.boolean())
  .map(([first, rest, single]) => (single ? [first] : [first, ...rest]) as SuccessCriterion)

/** A metric value: a few repeated values (ties), or any in an everyday range. */
const metricValue = fc.oneof(fc.constantFrom(0.05, 0.1, 0.5, 0.6931, 2), fc.double({ min: 0, max: 3, noNaN: true }))

/** The metrics beyond Fréchet's and the losses of a finished run: the mode metrics null for data without modes (and the reverse KL sometimes null), the tests' always numbers. */
const runMetricsArb = fc.record({
  coverage: fc.option(fc.record({ modes: fc.constantFrom(0, 3, 7, 8), hq: fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })), reverseKl: fc.option(metricValue) }), { freq: 2 }),
  mmdP: fc.oneof(fc.constantFrom(1 / 201, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  energyP: fc.oneof(fc.constantFrom(1 / 201, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true })),
  c2st: fc.oneof(fc.constantFrom(0.5, 0.75, 1), fc.double({ min: 0, max: 1, noNaN: true })),
}).map(({ coverage, mmdP, energyP, c2st }) => ({ modes: coverage?.modes ?? null, hq: coverage?.hq ?? null, reverseKl: coverage === null ? null : coverage.reverseKl, mmdP, energyP, c2st }))

const NO_METRICS = { modes: null, hq: null, reverseKl: null, mmdP: null, energyP: null, c2st: null } as const

/** One cell's run of `config` and `seed`, of any status. */
const runArb = (config: string, seed: number): fc.Arbitrary<SweepRun> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.tuple(metricValue, metricValue, metricValue, runMetricsArb).map(([lossD, lossG, frechet, metrics]) => ({ status: 'finished' as const, lossD, lossG, frechet, ...metrics, message: null })),
    },
    {
      weight: 1,
      arbitrary: fc
        .option(metricValue)
        .map((partial) => ({ status: 'non-finite' as const, lossD: partial, lossG: null, frechet: partial, ...NO_METRICS, mmdP: partial, message: 'loss_D is NaN at epoch 3, step 12' })),
    },
    { weight: 1, arbitrary: fc.constant({ status: 'failed' as const, lossD: null, lossG: null, frechet: null, ...NO_METRICS, message: 'the worker exited with code 1' }) },
  ).chain((outcome) => fc.boolean().map((success) => ({ config, seed, ...outcome, success })))

/**
 * A sweep's input: 1..4 settings (ids made up, in an order that is not sorted), seeds
 * `from..to` with 1..12 seeds, one run per cell for about 80 % of the cells (in shuffled
 * order), any criterion.
 */
export const sweepInputArb: fc.Arbitrary<SweepSummaryInput> = fc
  .record({
    from: fc.integer({ min: 0, max: 5 }),
    count: fc.integer({ min: 1, max: 12 }),
    settings: fc.uniqueArray(fc.stringMatching(/^c-[0-9a-f]{4}$/), { minLength: 1, maxLength: 4 }),
    success: criterionArb,
  })
  .chain(({ from, count, settings, success }) => {
    const cells = settings.flatMap((id) => Array.from({ length: count }, (_, i) => [id, from + i] as const))
    return fc
      .tuple(...cells.map(([id, seed]) => fc.option(runArb(id, seed), { freq: 5 })))
      .map((runs) => runs.filter((r): r is SweepRun => r !== null))
      .chain((runs) => fc.shuffledSubarray(runs, { minLength: runs.length }))
      .map((shuffled) => ({
        packageVersion: '0.5.0',
        seeds: { from, to: from + count - 1 },
        grid: [
          ['lr-d', settings.map((_, i) => `0.0${i + 1}`)],
          ['epochs', ['2']],
        ] as const,
        success,
        settings: settings.map((id, i) => ({
          id,
          values: [
            ['lr-d', `0.0${i + 1}`],
            ['epochs', '2'],
          ] as const,
          config: { ...seedConfig, seed: 0, epochs: 2, learningRateD: (i + 1) / 100 },
        })),
        runs: shuffled,
      }))
  })
