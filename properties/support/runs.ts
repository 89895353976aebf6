/**
 * The one place that sets how fast-check runs every property.
 *
 * - Default: `BASE_RUNS` cases per property, sized so that the whole suite stays well under a
 *   minute on a 2-core machine.
 * - `PURE_GAN_RUNS=N`: exactly N cases per property.
 * - `PURE_GAN_DEEP=1`: 100x the default (a deep run).
 * - `PURE_GAN_SEED=S` and `PURE_GAN_PATH=P`: replay a failure that fast-check reported as
 *   `{ seed: S, path: "P" }` (together with `-t "<test name>"` so that only that property runs).
 *
 * `properties/support/setup.ts` hands these to `fc.configureGlobal`; properties never pass
 * them themselves. See docs/testing.md.
 */
export const BASE_RUNS = 100

const env = (name: string): string | undefined => {
  const v = process.env[name]
  return v === undefined || v === '' ? undefined : v
}

const positiveInt = (name: string, text: string): number => {
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${text}"`)
  return n
}

/** Cases per property for this test run. */
export const NUM_RUNS = ((): number => {
  const explicit = env('PURE_GAN_RUNS')
  if (explicit !== undefined) return positiveInt('PURE_GAN_RUNS', explicit)
  return env('PURE_GAN_DEEP') === '1' ? BASE_RUNS * 100 : BASE_RUNS
})()

/** The replay settings, when PURE_GAN_SEED is set. */
export const REPLAY = ((): { seed: number; path?: string; endOnFailure: true } | undefined => {
  const seed = env('PURE_GAN_SEED')
  if (seed === undefined) return undefined
  const n = Number(seed)
  if (!Number.isSafeInteger(n)) throw new Error(`PURE_GAN_SEED must be an integer, got "${seed}"`)
  const path = env('PURE_GAN_PATH')
  return path === undefined ? { seed: n, endOnFailure: true } : { seed: n, path, endOnFailure: true }
})()
