/**
 * The one place that sets how many cases every fast-check property runs.
 *
 * - Default: `BASE_RUNS` per property, sized so that the whole suite stays well under a
 *   minute on a 2-core machine.
 * - `PURE_GAN_RUNS=N`: exactly N runs per property (e.g. `PURE_GAN_RUNS=10000` for a deep run).
 * - `PURE_GAN_DEEP=1`: 100x the default.
 *
 * `properties/support/setup.ts` hands the number to `fc.configureGlobal`, so properties never
 * pass `numRuns` themselves. Replaying a failure: see docs/testing.md.
 */
export const BASE_RUNS = 100

const parseRuns = (): number => {
  const explicit = process.env['PURE_GAN_RUNS']
  if (explicit !== undefined && explicit !== '') {
    const n = Number(explicit)
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new Error(`PURE_GAN_RUNS must be a positive integer, got "${explicit}"`)
    }
    return n
  }
  return process.env['PURE_GAN_DEEP'] === '1' ? BASE_RUNS * 100 : BASE_RUNS
}

/** Runs per property for this test run. */
export const NUM_RUNS = parseRuns()
