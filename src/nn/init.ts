/**
 * Initial parameters for a network spec, drawn from an explicit, typed PRNG state
 * (stax's `init(rng, inputShape)`): the same spec and `Rng` always give the same
 * parameters, and the advanced `Rng` is returned for the next draw.
 *
 * @module
 */
import { isFiniteNumber } from '../validate/numbers.js'
import { fromFlat, zeros } from '../matrix/matrix.js'
import { normalMatrix } from '../random/normal.js'
import type { Rng } from '../random/rng.js'
import type { DenseParams } from './dense.js'
import { type LayerSpec, type NetworkParams, type NetworkSpec, paramShapes } from './network.js'

/** A batch normalisation layer's initial parameters: `γ = 1` (`W`) and `β = 0` (`b`), PyTorch's. */
const batchNormInit = (units: number): DenseParams => Object.freeze({ W: fromFlat(1, units, new Array<number>(units).fill(1)), b: zeros(1, units) })

/**
 * Options of `initNetwork`:
 *
 * - `weightStd` (default `0.02`): every weight is drawn from `N(0, weightStd²)`, Gluon's
 *   `init.Normal(0.02)`. A finite number `>= 0`.
 * - `biasInit` (default `'zeros'`): `'zeros'` keeps every bias exactly `0` (Gluon's Dense
 *   default, the seed's behaviour); `'normal'` draws the biases from `N(0, weightStd²)` as
 *   well (the book's PyTorch port).
 *
 * @category model
 * @since 0.1.0
 */
export type InitOptions = {
  readonly weightStd?: number
  readonly biasInit?: 'zeros' | 'normal'
}

/**
 * Parameters for `spec`, drawn layer by layer, within a layer `W` before `b`, each matrix
 * in row-major order (`normalMatrix(rng, rows, cols, 0, weightStd)`, the shapes of
 * `paramShapes`); with `biasInit: 'zeros'` no numbers are drawn for the biases. A maxout
 * layer's `W` `(d x units·pieces)` is one such matrix: entry `(r, j·pieces + p)`, unit `j`'s
 * piece `p`, is its draw number `r·units·pieces + j·pieces + p`; its `b` follows likewise. A batch
 * normalisation layer draws nothing: `γ = 1`, `β = 0`. Returns the parameters and the
 * advanced `Rng`. Throws a `RangeError` for an invalid spec or options.
 *
 * @example
 * import { Activation, initNetwork, rngFromSeed, shapeOf, toArrays } from 'pure-gan'
 * const spec = { inputSize: 2, layers: [{ units: 5, activation: Activation.tanh }, { units: 1, activation: Activation.identity }] }
 * const [params, rng] = initNetwork(spec, rngFromSeed(0))
 * shapeOf(params[0].W) // '(2x5)'
 * toArrays(params[0].b) // [[0, 0, 0, 0, 0]]
 *
 * // W from N(0, 0.02²); `rng` continues the stream
 *
 * @category constructors
 * @since 0.1.0
 */
export const initNetwork = (
  spec: NetworkSpec,
  rng: Rng,
  options: InitOptions = {},
): readonly [NetworkParams, Rng] => {
  const { weightStd = 0.02, biasInit = 'zeros' } = options
  if (!isFiniteNumber(weightStd) || weightStd < 0) {
    throw new RangeError(`initNetwork: weightStd must be a finite number >= 0, got ${String(weightStd)}`)
  }
  if (biasInit !== 'zeros' && biasInit !== 'normal') {
    throw new RangeError(`initNetwork: biasInit must be 'zeros' or 'normal', got ${String(biasInit)}`)
  }
  const params: DenseParams[] = []
  let r = rng
  const shapes = paramShapes(spec)
  for (let l = 0; l < shapes.length; l++) {
    if ((spec.layers[l] as LayerSpec).kind === 'batchnorm') {
      params.push(batchNormInit((spec.layers[l] as LayerSpec).units))
      continue
    }
    const { W: wShape, b: bShape } = shapes[l]!
    const [W, r1] = normalMatrix(r, wShape[0], wShape[1], 0, weightStd)
    r = r1
    if (biasInit === 'normal') {
      const [b, r2] = normalMatrix(r, 1, bShape[1], 0, weightStd)
      r = r2
      params.push(Object.freeze({ W, b }))
    } else {
      params.push(Object.freeze({ W, b: zeros(1, bShape[1]) }))
    }
  }
  return [Object.freeze(params), r] as const
}
