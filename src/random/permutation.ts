/**
 * Uniform random permutations, for shuffling a dataset into minibatches each epoch.
 *
 * @module
 */
import { type Rng, drawBelow, generatorOf, rngOf } from './rng.js'

// -------------------------------------------------------------------------------------
// draws
// -------------------------------------------------------------------------------------

/**
 * A uniformly random permutation of `0, 1, ..., n-1` (a frozen array), and the advanced
 * generator. `n` is a non-negative integer up to `2^32 - 1`, the longest JavaScript array.
 *
 * Fisher–Yates (Durstenfeld's in-place form), exactly: start from `[0, 1, ..., n-1]`; for
 * `i = n-1` down to `1`, draw `j = randomInt(i + 1)` (uniform in `[0, i]`, by rejection, no
 * modulo bias) and swap entries `i` and `j`. Each of the `n!` permutations has probability
 * `1/n!` given uniform integers. It takes `n - 1` draws plus rejections; `n = 0` and
 * `n = 1` take none and return the generator unchanged.
 *
 * @example
 * import { permutation, rngFromSeed } from 'pure-gan'
 * const [order, next] = permutation(rngFromSeed(7), 5)
 * order // [3, 4, 2, 0, 1]
 *
 * @category draws
 * @since 0.1.0
 */
export const permutation = (rng: Rng, n: number): readonly [ReadonlyArray<number>, Rng] => {
  if (!Number.isSafeInteger(n) || n < 0 || n >= 4294967296) {
    throw new RangeError(`permutation: n must be an integer in 0..4294967295, got ${String(n)}`)
  }
  // Stryker disable next-line ArrayDeclaration: E-NOOP length hint
  const out: number[] = new Array<number>(n)
  for (let i = 0; i < n; i++) out[i] = i
  // Stryker disable next-line ConditionalExpression: E-PATH same Rng state
  if (n < 2) return [Object.freeze(out), rng]
  const g = generatorOf(rng)
  for (let i = n - 1; i >= 1; i--) {
    const j = drawBelow(g, i + 1)
    const t = out[i] as number
    out[i] = out[j] as number
    out[j] = t
  }
  return [Object.freeze(out), rngOf(g)]
}
