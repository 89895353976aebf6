/**
 * fast-check arbitraries for networks: activations, inputs kept away from the relu kink, and
 * whole random networks (spec, params, batch, labels, projection) drawn from maximal value
 * pools that are sliced in `.map`, so that counterexamples shrink to small networks.
 *
 * @module
 */
import fc from 'fast-check'
import { type Matrix, fromFlat } from '../matrix/index.js'
import { type Activation, identity, leakyRelu, relu, sigmoid, tanh } from '../nn/activation.js'
import type { ForwardCache, LayerSpec, NetworkParams, NetworkSpec } from '../nn/network.js'
import { dim, finiteDouble } from './arbitraries.js'

/**
 * Doubles x with -max <= x <= max whose magnitudes are comparable. `fc.double` draws (nearly)
 * uniformly over bit patterns, so most of its values are tiny (1e-300 is as likely as 3):
 * sums of products of such values are dominated by one term and rarely round, which makes
 * bit-for-bit and gradient properties weaker than they look. Three draws in four here are
 * x = (i / 2^31) · max for an integer -2^31 <= i < 2^31 (shrinking towards 0); one in four is
 * `fc.double`, to keep the mixed magnitudes, zeros and -0 as well.
 *
 * @example
 * import fc from 'fast-check'
 * import { spreadDouble } from 'pure-gan/testing'
 * fc.sample(spreadDouble(3), 50).every((x) => Number.isFinite(x) && Math.abs(x) <= 3) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const spreadDouble = (max: number): fc.Arbitrary<number> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((i) => (i / 0x80000000) * max) },
    { weight: 1, arbitrary: finiteDouble({ min: -max, max }) },
  )

/**
 * An array of exactly `length` values of `spreadDouble(max)`: a pool to slice matrices from.
 *
 * @example
 * import fc from 'fast-check'
 * import { spreadPool } from 'pure-gan/testing'
 * fc.sample(spreadPool(4, 1), 20).every((pool) => pool.length === 4) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const spreadPool = (length: number, max: number): fc.Arbitrary<number[]> =>
  fc.array(spreadDouble(max), { minLength: length, maxLength: length })

/**
 * Every activation kind: identity, tanh, sigmoid, relu, and leaky relu with a random slope
 * 0 <= α <= 0.5.
 *
 * @example
 * import fc from 'fast-check'
 * import { activation } from 'pure-gan/testing'
 * const kinds = ['identity', 'tanh', 'sigmoid', 'relu', 'leakyRelu']
 * fc.sample(activation, 50).every((a) => kinds.includes(a.kind)) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const activation: fc.Arbitrary<Activation> = fc.oneof(
  fc.constant(identity),
  fc.constant(tanh),
  fc.constant(sigmoid),
  fc.constant(relu),
  fc.double({ min: 0, max: 0.5, noNaN: true }).map((alpha) => leakyRelu(alpha)),
)

/**
 * The distance from 0 that inputs of relu and leaky relu keep in gradient checks: 1e-3, a
 * hundred central-difference steps (`FD_STEP` = 1e-5) for |x| <= 1.
 *
 * @example
 * import { KINK_MARGIN } from 'pure-gan/testing'
 * KINK_MARGIN // 0.001
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const KINK_MARGIN = 1e-3

/**
 * Doubles x with KINK_MARGIN < |x| <= max (default 10): a central difference with step
 * 1e-5 · max(1, |x|) never straddles the kink at 0 of relu and leaky relu.
 *
 * @example
 * import fc from 'fast-check'
 * import { KINK_MARGIN, kinkFreeDouble } from 'pure-gan/testing'
 * fc.sample(kinkFreeDouble(2), 50).every((x) => Math.abs(x) > KINK_MARGIN && Math.abs(x) <= 2) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const kinkFreeDouble = (max = 10): fc.Arbitrary<number> =>
  fc
    .tuple(
      fc.boolean(),
      fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 0x7fffffff }).map((i) => 1.5 * KINK_MARGIN + (i / 0x7fffffff) * (max - 1.5 * KINK_MARGIN)) },
        { weight: 1, arbitrary: fc.double({ min: 1.5 * KINK_MARGIN, max, noNaN: true }) },
      ),
    )
    .map(([negative, v]) => (negative ? -v : v))

/**
 * A matrix of random shape `r x c`, 1 <= r, c <= maxDim (default 6), whose entries are all
 * `kinkFreeDouble(max)`: KINK_MARGIN < |x_ij| <= max.
 *
 * @example
 * import fc from 'fast-check'
 * import { toFlat } from 'pure-gan'
 * import { KINK_MARGIN, kinkFreeMatrix } from 'pure-gan/testing'
 * fc.sample(kinkFreeMatrix(3), 20).every((m) => toFlat(m).every((x) => Math.abs(x) > KINK_MARGIN)) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const kinkFreeMatrix = (maxDim = 6, max = 10): fc.Arbitrary<Matrix> =>
  fc
    .tuple(dim(1, maxDim), dim(1, maxDim), fc.array(kinkFreeDouble(max), { minLength: maxDim * maxDim, maxLength: maxDim * maxDim }))
    .map(([r, c, vs]) => fromFlat(r, c, vs.slice(0, r * c)))

/**
 * A random network with a batch for it: everything a forward and a backward pass need. With
 * `out = forward(spec, params, x).output`, the scalar <c, out> has the gradient
 * `backward(spec, params, cache, c)`.
 *
 * @example
 * import fc from 'fast-check'
 * import { type NetworkCase, networkCase } from 'pure-gan/testing'
 * fc.sample(networkCase(), 20).every((n: NetworkCase) => n.x.cols === n.spec.inputSize && n.c.rows === n.x.rows) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export interface NetworkCase {
  readonly spec: NetworkSpec
  readonly params: NetworkParams
  /** The input batch, `(batch x inputSize)`. */
  readonly x: Matrix
  /** Labels in [0, 1] of the output's shape. */
  readonly labels: Matrix
  /** A projection of the output's shape, to turn the output into the scalar `<c, output>`. */
  readonly c: Matrix
}

/**
 * The bounds of `networkCase`: depth <= maxDepth (default 4), input width and units of every
 * layer <= maxWidth (default 6), batch <= maxBatch (default 5), weights and biases in
 * [-paramRange, paramRange] (default 2), inputs in [-inputRange, inputRange] (default 3).
 *
 * @example
 * import fc from 'fast-check'
 * import { type NetworkCaseOptions, networkCase } from 'pure-gan/testing'
 * const small: NetworkCaseOptions = { maxDepth: 1, maxWidth: 2 }
 * fc.sample(networkCase(small), 20).every((n) => n.spec.layers.length === 1 && n.spec.inputSize <= 2) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export interface NetworkCaseOptions {
  readonly maxDepth?: number
  readonly maxWidth?: number
  readonly maxBatch?: number
  /** Range of weights and biases (default [-2, 2]). */
  readonly paramRange?: number
  /** Range of the inputs (default [-3, 3]). */
  readonly inputRange?: number
  /**
   * The most pieces of a maxout layer (default 1: dense layers only). Above 1, each layer is
   * a maxout layer with 2..maxPieces pieces (and the identity) or a dense one, with even odds.
   */
  readonly maxPieces?: number
}

/**
 * A random network: depth 1..maxDepth (default 4), input width and every layer's units in
 * 1..maxWidth (default 6), random activations (with `maxPieces` above 1, some layers maxout
 * of 2..maxPieces pieces), batch 1..maxBatch (default 5), parameters,
 * inputs, labels and projection drawn from fixed-size pools. Below, the gradient of
 * x ↦ <c, net(x)> that `backward` gives is checked against central differences.
 *
 * @example
 * import fc from 'fast-check'
 * import { backward, forward, predict } from 'pure-gan'
 * import { awayFromKinks, expectGradientClose, frobeniusInner, networkCase } from 'pure-gan/testing'
 * const inputGradientIsRight = fc.property(networkCase({ maxDepth: 2, maxWidth: 3 }), ({ spec, params, x, c }) => {
 *   const { cache } = forward(spec, params, x)
 *   fc.pre(awayFromKinks(spec, cache))
 *   const { dInput } = backward(spec, params, cache, c)
 *   expectGradientClose('d<c, net(x)>/dx', (x1) => frobeniusInner(c, predict(spec, params, x1)), x, dInput)
 * })
 * fc.assert(inputGradientIsRight) // undefined
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const networkCase = (options: NetworkCaseOptions = {}): fc.Arbitrary<NetworkCase> => {
  const { maxDepth = 4, maxWidth = 6, maxBatch = 5, paramRange = 2, inputRange = 3, maxPieces = 1 } = options
  const paramPool = maxDepth * (maxWidth * maxWidth + maxWidth) * maxPieces
  const ioPool = maxBatch * maxWidth
  // dense only: the record of every version before maxout (the same draws); else pieces per layer (0: dense)
  const piecesArb = fc.array(maxPieces > 1 ? fc.oneof(fc.constant(0), dim(2, maxPieces)) : fc.constant(0), { minLength: maxDepth, maxLength: maxDepth })
  const kinds = maxPieces > 1 ? { pieces: piecesArb } : {}
  return fc
    .record({
      ...kinds,
      inputSize: dim(1, maxWidth),
      widths: fc.array(dim(1, maxWidth), { minLength: 1, maxLength: maxDepth }),
      activations: fc.array(activation, { minLength: maxDepth, maxLength: maxDepth }),
      batch: dim(1, maxBatch),
      ps: spreadPool(paramPool, paramRange),
      xs: spreadPool(ioPool, inputRange),
      ys: fc.array(fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: ioPool,
        maxLength: ioPool,
      }),
      cs: spreadPool(ioPool, 1),
    })
    .map(({ inputSize, widths, activations, batch, ps, xs, ys, cs, ...rest }) => {
      const pieces = (rest as { readonly pieces?: ReadonlyArray<number> }).pieces ?? []
      const spec: NetworkSpec = {
        inputSize,
        layers: widths.map((units, l): LayerSpec => {
          const k = pieces[l] ?? 0
          return k > 1 ? { kind: 'maxout', units, pieces: k, activation: identity } : { units, activation: activations[l] as Activation }
        }),
      }
      let offset = 0
      const take = (rows: number, cols: number): Matrix => {
        const m = fromFlat(rows, cols, ps.slice(offset, offset + rows * cols))
        offset += rows * cols
        return m
      }
      let inputs = inputSize
      const params = widths.map((units, l) => {
        const cols = units * Math.max(1, pieces[l] ?? 0)
        const W = take(inputs, cols)
        const b = take(1, cols)
        inputs = units
        return { W, b }
      })
      const out = inputs
      return {
        spec,
        params,
        x: fromFlat(batch, inputSize, xs.slice(0, batch * inputSize)),
        labels: fromFlat(batch, out, ys.slice(0, batch * out)),
        c: fromFlat(batch, out, cs.slice(0, batch * out)),
      }
    })
}

/**
 * True when no relu / leaky-relu layer has a pre-activation z with |z| <= KINK_MARGIN, and no
 * maxout layer has a unit whose two largest pieces are within KINK_MARGIN of each other (a
 * tie, where the max has a kink), so that central differences of the network are valid (use
 * with `fc.pre`).
 *
 * @example
 * import { forward, fromArrays, relu } from 'pure-gan'
 * import { awayFromKinks } from 'pure-gan/testing'
 * const spec = { inputSize: 1, layers: [{ units: 1, activation: relu }] }
 * const params = [{ W: fromArrays([[1]]), b: fromArrays([[0]]) }]
 * awayFromKinks(spec, forward(spec, params, fromArrays([[0.5]])).cache) // true
 * awayFromKinks(spec, forward(spec, params, fromArrays([[0.0001]])).cache) // false
 *
 * // |x| as a maxout unit of the pieces x and -x: a tie at x = 0
 * const abs = { inputSize: 1, layers: [{ kind: 'maxout' as const, units: 1, pieces: 2, activation: { kind: 'identity' as const } }] }
 * const pieces = [{ W: fromArrays([[1, -1]]), b: fromArrays([[0, 0]]) }]
 * awayFromKinks(abs, forward(abs, pieces, fromArrays([[0.5]])).cache) // true
 * awayFromKinks(abs, forward(abs, pieces, fromArrays([[0.0001]])).cache) // false
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const awayFromKinks = (spec: NetworkSpec, cache: ForwardCache): boolean =>
  cache.every((layer, l) => {
    const s = spec.layers[l]
    const z = layer.preActivation.data
    if (s?.kind === 'maxout') return smallestGap(z, s.pieces) > KINK_MARGIN
    const kind = s?.activation.kind
    if (kind !== 'relu' && kind !== 'leakyRelu') return true
    for (let i = 0; i < z.length; i++) if (Math.abs(z[i] as number) <= KINK_MARGIN) return false
    return true
  })

/** The smallest difference between the two largest of each run of `k` consecutive values (Infinity for k = 1). */
const smallestGap = (z: ArrayLike<number>, k: number): number => {
  let gap = Infinity
  for (let u = 0; u + k <= z.length; u += k) {
    let first = -Infinity
    let second = -Infinity
    for (let p = 0; p < k; p++) {
      const v = z[u + p] as number
      if (v > first) {
        second = first
        first = v
      } else if (v > second) second = v
    }
    gap = Math.min(gap, first - second)
  }
  return gap
}
