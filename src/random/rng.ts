/**
 * A seeded pseudo-random number generator kept as plain data.
 *
 * The generator is xoroshiro128+ (Blackman and Vigna, 2018 parameters a=24, b=16, c=37) as
 * implemented by pure-rand. An {@link Rng} is nothing but the generator's name and its
 * 128-bit state as four int32 numbers (pure-rand's `getState()`): it can be compared,
 * printed, stored in JSON and restored with {@link rngFromState}. A seed is expanded into
 * the state by SplitMix64 (see {@link rngFromSeed}).
 *
 * pure-rand's generator objects mutate themselves on `next()` and `jump()`. They never
 * leave this module's functions: each function rebuilds a fresh generator from the state,
 * draws what it needs, reads the new state back with `getState()` and returns it as a new
 * frozen `Rng`. The `Rng` passed in is never changed, so drawing twice from the same value
 * gives the same numbers twice (use the returned `Rng` for the next draw).
 *
 * Every function returns `readonly [value, nextRng]` (the shape of a `State<Rng, A>` step),
 * except the splitters, which return `[continuation, child(ren)]`.
 *
 * @module
 */
import { type Either, left, right } from '../fp/either.js'
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'
import type { ReadonlyFloat64Array } from '../matrix/matrix.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The state of a xoroshiro128+ generator as plain, frozen, JSON-able data.
 *
 * `state` is pure-rand's `getState()`: four int32 values `[s0hi, s0lo, s1hi, s1lo]`, the
 * high and low 32-bit halves of the reference implementation's two 64-bit words `s[0]` and
 * `s[1]`. It is never all zero (the generator's only fixed point).
 *
 * @example
 * import { rngFromSeed } from 'pure-gan'
 * JSON.stringify(rngFromSeed(0))
 * // '{"algorithm":"xoroshiro128plus","state":[-501176263,2065550767,1853398634,-1581685260]}'
 *
 * @category model
 * @since 0.1.0
 */
export interface Rng {
  readonly algorithm: 'xoroshiro128plus'
  readonly state: readonly [number, number, number, number]
}

/** The largest seed, `2^32 - 1`. */
const MAX_SEED = 4294967295

const TWO_POW_26 = 67108864
const TWO_POW_32 = 4294967296
const TWO_POW_53 = 9007199254740992

// -------------------------------------------------------------------------------------
// internal: live generators (mutable, never stored in a value)
// -------------------------------------------------------------------------------------

/**
 * A pure-rand xoroshiro128+ generator. It mutates on `next()` and `jump()`: keep it local
 * to one function call.
 *
 * @internal
 */
export type LiveGenerator = ReturnType<typeof xoroshiro128plusFromState>

const makeRng = (state: ReadonlyArray<number>): Rng =>
  Object.freeze({
    algorithm: 'xoroshiro128plus' as const,
    state: Object.freeze([state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, state[3] ?? 0] as const),
  })

/**
 * A fresh generator positioned at `rng`. The caller owns it and may advance it.
 *
 * @internal
 */
export const generatorOf = (rng: Rng): LiveGenerator => xoroshiro128plusFromState(rng.state)

/**
 * The current position of a live generator as a new frozen `Rng`.
 *
 * @internal
 */
export const rngOf = (g: LiveGenerator): Rng => makeRng(g.getState())

/**
 * One 32-bit output as an unsigned integer in `[0, 2^32)`: the low 32 bits of the reference
 * algorithm's 64-bit output `s[0] + s[1]`, which is all pure-rand returns per step.
 * Advances `g` by one step.
 *
 * @internal
 */
export const drawUint32 = (g: LiveGenerator): number => g.next() >>> 0

/**
 * A uniform integer `k` in `[0, 2^53)` from two consecutive outputs: the first output
 * `hi` gives the top 27 bits, the second `lo` the bottom 26 bits,
 * `k = (hi >>> 5) · 2^26 + (lo >>> 6)`. The lowest bits of each output (the weakest bits
 * of xoroshiro128+) are dropped. Advances `g` by two steps.
 *
 * @internal
 */
export const drawUint53 = (g: LiveGenerator): number => {
  const hi = g.next() >>> 5
  const lo = g.next() >>> 6
  return hi * TWO_POW_26 + lo
}

/**
 * A uniform integer in `[0, n)` for an integer `1 <= n <= 2^32` (not checked here), by
 * rejection: with bucket width `w = floor(2^32 / n)`, draw `u = drawUint32(g)` until
 * `u < n · w`, then return `floor(u / w)`. Every accepted bucket holds exactly `w` values,
 * so there is no modulo bias, and the result comes from the high bits of `u`. A draw is
 * rejected with probability `(2^32 mod n) / 2^32 < n / 2^32`, so the expected number of
 * steps is below `1 / (1 - n / 2^32)` (1 for powers of two, at most 2 in the worst case).
 *
 * @internal
 */
export const drawBelow = (g: LiveGenerator, n: number): number => {
  const width = Math.floor(TWO_POW_32 / n)
  const limit = n * width
  let u = g.next() >>> 0
  while (u >= limit) u = g.next() >>> 0
  // floor(u / width) is exact in doubles: u / width is at least 1 / width below the next
  // integer, far more than its rounding error (n · width <= 2^32 < 2^53).
  return Math.floor(u / width)
}

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const show = (u: unknown): string => {
  if (typeof u === 'string') return JSON.stringify(u)
  if (typeof u === 'number' || typeof u === 'bigint' || typeof u === 'boolean' || u === undefined || u === null) {
    return String(u)
  }
  if (Array.isArray(u)) return `an array of length ${u.length}`
  return `a value of type ${typeof u}`
}

// Number.isInteger as a type guard (it is false for every non-number).
const isInteger = (x: unknown): x is number => Number.isInteger(x)

const isInt32 = (x: unknown): x is number => isInteger(x) && x >= -2147483648 && x <= 2147483647

/**
 * Checks that `seed` is an integer in `0..4294967295` (a uint32), for validating
 * configuration. The `Left` message is `seed must be an integer in 0..4294967295, got X`
 * (without a function name, so a caller can prefix its own context).
 *
 * @example
 * import { validateSeed } from 'pure-gan'
 * validateSeed(7) // { _tag: 'Right', right: 7 }
 * validateSeed(-1) // { _tag: 'Left', left: 'seed must be an integer in 0..4294967295, got -1' }
 *
 * @category validation
 * @since 0.1.0
 */
export const validateSeed = (seed: unknown): Either<string, number> =>
  isInteger(seed) && seed >= 0 && seed <= MAX_SEED
    ? right(seed)
    : left(`seed must be an integer in 0..${MAX_SEED}, got ${show(seed)}`)

/**
 * Checks that `state` is a valid xoroshiro128+ state as stored in {@link Rng}: an array of
 * exactly four integers in `-2147483648..2147483647` (int32), not all zero.
 *
 * @example
 * import { validateState } from 'pure-gan'
 * validateState([-1, -43, 42, 0]) // { _tag: 'Right', right: [-1, -43, 42, 0] }
 * validateState([0, 0, 0, 0])._tag // 'Left'
 *
 * @category validation
 * @since 0.1.0
 */
export const validateState = (state: unknown): Either<string, readonly [number, number, number, number]> => {
  if (!Array.isArray(state) || state.length !== 4) {
    return left(`state must be an array of 4 int32 values, got ${show(state)}`)
  }
  const values: ReadonlyArray<unknown> = state
  for (let i = 0; i < 4; i++) {
    if (!isInt32(values[i])) {
      return left(`state[${i}] must be an integer in -2147483648..2147483647 (int32), got ${show(values[i])}`)
    }
  }
  const s = values as ReadonlyArray<number>
  if (s.every((x) => x === 0)) {
    return left('state must not be all zero (the all-zero state is a fixed point of xoroshiro128+)')
  }
  // `| 0` turns a -0 into 0, so equal states are equal as JSON and under Object.is.
  return right([(s[0] as number) | 0, (s[1] as number) | 0, (s[2] as number) | 0, (s[3] as number) | 0] as const)
}

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n

/**
 * One step of SplitMix64 (Steele, Lea and Flood 2014; Vigna's `splitmix64.c`): advances the
 * 64-bit counter by the golden gamma and returns `[output, counter]`.
 */
const splitmix64 = (counter: bigint): readonly [bigint, bigint] => {
  const next = BigInt.asUintN(64, counter + GOLDEN_GAMMA)
  let z = next
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n)
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn)
  return [z ^ (z >> 31n), next]
}

const hi32 = (w: bigint): number => Number(BigInt.asIntN(32, w >> 32n))
const lo32 = (w: bigint): number => Number(BigInt.asIntN(32, w))

/**
 * The generator for `seed`, an integer in `0..4294967295`. The 128-bit state is the first
 * two outputs of SplitMix64 started at `seed`, `s[0] = splitmix64_1(seed)` and
 * `s[1] = splitmix64_2(seed)`, as the authors of xoroshiro128+ recommend: never all zero,
 * distinct for distinct seeds, and scrambled so that nearby seeds share no visible structure. (pure-rand's own
 * `xoroshiro128plus(seed)` sets `s[0] = 0xFFFFFFFF_(~seed)`, `s[1] = seed_00000000`, whose
 * first output is always `~seed`: every seed below 1000 would start with a uniform above
 * 0.9999997 and a normal between +5.0 and +7.4. See docs/random.md.) Throws a `RangeError`
 * (`rngFromSeed: seed must be an integer in 0..4294967295, got X`) for anything else,
 * including negative numbers, `2^32`, fractions, `NaN` and infinities.
 *
 * @example
 * import { rngFromSeed } from 'pure-gan'
 * rngFromSeed(0).state // [-501176263, 2065550767, 1853398634, -1581685260]
 *
 * @category constructors
 * @since 0.1.0
 */
export const rngFromSeed = (seed: number): Rng => {
  const checked = validateSeed(seed)
  if (checked._tag === 'Left') throw new RangeError(`rngFromSeed: ${checked.left}`)
  const [s0, c1] = splitmix64(BigInt(checked.right))
  const [s1] = splitmix64(c1)
  return makeRng([hi32(s0), lo32(s0), hi32(s1), lo32(s1)])
}

/**
 * The generator at a stored state (the `state` of an {@link Rng}, e.g. read back from
 * JSON). `rngFromState(rng.state)` equals `rng`. Throws a `RangeError` naming the problem
 * when {@link validateState} rejects the state.
 *
 * @example
 * import { rngFromSeed, rngFromState } from 'pure-gan'
 * const rng = rngFromSeed(1)
 * rng.state // [-1861603860, -1996333887, -1091859039, 1703865447]
 * rngFromState(JSON.parse(JSON.stringify(rng.state))).state // [-1861603860, -1996333887, -1091859039, 1703865447]
 *
 * @category constructors
 * @since 0.1.0
 */
export const rngFromState = (state: ReadonlyArray<number>): Rng => {
  const checked = validateState(state)
  if (checked._tag === 'Left') throw new RangeError(`rngFromState: ${checked.left}`)
  return makeRng(checked.right)
}

// -------------------------------------------------------------------------------------
// draws
// -------------------------------------------------------------------------------------

/**
 * The next 32-bit output as an unsigned integer in `[0, 2^32)`, and the advanced generator.
 * This is pure-rand's `next()` (the low 32 bits of xoroshiro128+'s 64-bit output) read as
 * unsigned (`>>> 0`). One step.
 *
 * @example
 * import { nextUint32, rngFromSeed } from 'pure-gan'
 * const [a, rng1] = nextUint32(rngFromSeed(42))
 * const [b] = nextUint32(rng1)
 * a // 3797049240
 * b // 1052797783
 *
 * // the same generator gives the same output again
 * nextUint32(rngFromSeed(42))[0] // 3797049240
 *
 * @category draws
 * @since 0.1.0
 */
export const nextUint32 = (rng: Rng): readonly [number, Rng] => {
  const g = generatorOf(rng)
  const u = drawUint32(g)
  return [u, rngOf(g)]
}

/**
 * A uniform double in `[0, 1)` with 53 random bits, and the advanced generator. Two steps:
 * with `hi` the first and `lo` the second 32-bit output (as unsigned),
 * `uniform = ((hi >>> 5) · 2^26 + (lo >>> 6)) / 2^53`, so the value is a multiple of
 * `2^-53`: `0` is possible, `1` is not.
 *
 * @example
 * import { rngFromSeed, uniform } from 'pure-gan'
 * const [u, next] = uniform(rngFromSeed(42))
 * u // 0.884069414773014
 *
 * @category draws
 * @since 0.1.0
 */
export const uniform = (rng: Rng): readonly [number, Rng] => {
  const g = generatorOf(rng)
  const k = drawUint53(g)
  return [k / TWO_POW_53, rngOf(g)]
}

const checkCount = (op: string, name: string, n: number): void => {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`${op}: ${name} must be a non-negative integer, got ${String(n)}`)
  }
}

/**
 * `n` uniform doubles in `[0, 1)`, equal bit for bit to `n` successive {@link uniform}
 * draws (`2n` steps), and the advanced generator. `n` is a non-negative integer.
 *
 * @example
 * import { rngFromSeed, uniforms } from 'pure-gan'
 * const [us, next] = uniforms(rngFromSeed(3), 4)
 * us // Float64Array [0.33793982274535284, 0.8213896177303641, 0.903982940180644, 0.060245856134061415]
 *
 * @category draws
 * @since 0.1.0
 */
export const uniforms = (rng: Rng, n: number): readonly [ReadonlyFloat64Array, Rng] => {
  checkCount('uniforms', 'n', n)
  const g = generatorOf(rng)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = drawUint53(g) / TWO_POW_53
  return [out as ReadonlyFloat64Array, rngOf(g)]
}

/**
 * A uniform integer in `[0, n)` without modulo bias, and the advanced generator; `n` is an
 * integer in `1..4294967296`. Rejection sampling on 32-bit outputs: with
 * `w = floor(2^32 / n)`, outputs `u >= n · w` are skipped and the result is
 * `floor(u / w)` (the high bits of `u`). It takes one step, or more after rejections
 * (each with probability `(2^32 mod n) / 2^32`; never for powers of two).
 *
 * @example
 * import { randomInt, rngFromSeed } from 'pure-gan'
 * const [die, next] = randomInt(rngFromSeed(5), 6)
 * die // 1
 *
 * @category draws
 * @since 0.1.0
 */
export const randomInt = (rng: Rng, n: number): readonly [number, Rng] => {
  if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
    throw new RangeError(`randomInt: n must be an integer in 1..${TWO_POW_32}, got ${String(n)}`)
  }
  const g = generatorOf(rng)
  const j = drawBelow(g, n)
  return [j, rngOf(g)]
}

// -------------------------------------------------------------------------------------
// splitting
// -------------------------------------------------------------------------------------

/**
 * Splits one generator into two non-overlapping streams using xoroshiro128+'s jump
 * (pure-rand's `jump()`, equivalent to `2^64` steps): returns `[continuation, child]` where
 *
 * - `child` is `rng` itself (same state: its draws are the draws `rng` would have made), and
 * - `continuation` is `rng` advanced by exactly `2^64` steps.
 *
 * Splitting the continuation again and again hands out consecutive blocks of `2^64`
 * outputs: the children `rng, J(rng), J²(rng), ...` never overlap as long as each draws
 * fewer than `2^64` values (i.e. always, in practice). So: **split only continuations; a
 * child (or anything drawn from it) is a leaf stream**. Splitting a child after `k` draws
 * gives a continuation `k` steps past the parent's continuation, so its streams overlap the
 * parent's later children. Use {@link splitN} when a function needs several streams.
 *
 * @example
 * import { rngFromSeed, split } from 'pure-gan'
 * const [rest, forInit] = split(rngFromSeed(0))
 * const [rest2, forData] = split(rest)
 *
 * // disjoint streams: forInit is the seed's generator itself, forData the one 2^64 steps on
 * forInit.state // [-501176263, 2065550767, 1853398634, -1581685260]
 * forData.state // [2144961093, -583627865, -1383292257, 502076817]
 *
 * @category splitting
 * @since 0.1.0
 */
export const split = (rng: Rng): readonly [Rng, Rng] => {
  const g = generatorOf(rng)
  g.jump()
  return [rngOf(g), rng]
}

/**
 * `n` disjoint child streams and the continuation, the same as `n` successive
 * {@link split}s of the continuation: `children[i]` is `rng` advanced by `i · 2^64` steps
 * and the continuation by `n · 2^64`. `n` is a non-negative integer. The children are
 * leaves, as for `split`.
 *
 * @example
 * import { rngFromSeed, splitN } from 'pure-gan'
 * const [rest, [a, b, c]] = splitN(rngFromSeed(0), 3)
 *
 * @category splitting
 * @since 0.1.0
 */
export const splitN = (rng: Rng, n: number): readonly [Rng, ReadonlyArray<Rng>] => {
  checkCount('splitN', 'n', n)
  const g = generatorOf(rng)
  const children: Rng[] = []
  for (let i = 0; i < n; i++) {
    // Stryker disable next-line ConditionalExpression: E-PATH same Rng state
    children.push(i === 0 ? rng : rngOf(g))
    g.jump()
  }
  return [rngOf(g), Object.freeze(children)]
}
