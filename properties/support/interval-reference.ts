/**
 * The sweep statistics of src/metrics/interval.ts written out as their doc comments state
 * them, in the same order of evaluation (so that the bits agree): the Wilson score interval
 * and the type 7 quartiles. The properties compare the library with these bit for bit, and
 * check these against independent values (a 60-digit table, NumPy, published intervals).
 */

/**
 * The Wilson score interval for k successes in n trials at z: p = k/n, z2 = z², d = 1 + z2/n,
 * centre = (p + z2/(2n))/d, half = z·sqrt(p(1 − p)/n + z2/((4n)n))/d, upper = centre + half;
 * lo = p²/(d·upper), hi = min(1, upper) (1 when k = n).
 */
export const wilsonReference = (k: number, n: number, z: number): [number, number] => {
  const p = k / n
  const z2 = z * z
  const d = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / d
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d
  const upper = centre + half
  const lo = (p * p) / (d * upper)
  const hi = k === n ? 1 : upper > 1 ? 1 : upper
  return [lo, hi]
}

/**
 * Type 7 at p of `sorted` (ascending, −0 before +0): h = (n − 1)p, i = ⌊h⌋, f = h − i;
 * x_i when f = 0, else x_i + f·(x_{i+1} − x_i), or (1 − f)·x_i + f·x_{i+1} when the
 * difference overflows.
 */
export const type7Reference = (sorted: ReadonlyArray<number>, p: number): number => {
  const h = (sorted.length - 1) * p
  const i = Math.floor(h)
  const f = h - i
  if (f === 0) return sorted[i]!
  const difference = sorted[i + 1]! - sorted[i]!
  if (difference === Infinity) return (1 - f) * sorted[i]! + f * sorted[i + 1]!
  return sorted[i]! + f * difference
}

/** `values` sorted ascending, −0 before +0. */
export const sortedReference = (values: ReadonlyArray<number>): number[] =>
  [...values].sort((a, b) => {
    if (a !== b) return a < b ? -1 : 1
    return (Object.is(a, -0) ? 0 : 1) - (Object.is(b, -0) ? 0 : 1)
  })

/** The count and quartiles of `values` by type 7. */
export const quartilesReference = (values: ReadonlyArray<number>): { count: number; q1: number; median: number; q3: number } => {
  const x = sortedReference(values)
  return { count: x.length, q1: type7Reference(x, 0.25), median: type7Reference(x, 0.5), q3: type7Reference(x, 0.75) }
}
