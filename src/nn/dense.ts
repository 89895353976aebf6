/**
 * The dense (fully connected) layer `y = x·W + b`, its backward pass, and the fused
 * kernel `f(x·W + b)` that the network's forward pass runs layer by layer. Derivations:
 * docs/gradients.md, section "Dense layer".
 *
 * Shapes: `x` is `(n x in)` (one example per row), `W` is `(in x out)`, `b` is `(1 x out)`.
 *
 * @module
 */
import { dense, denseForwardInto } from '../kernels/dense.js'
import type { PassLayer } from '../kernels/layer.js'
import { viewOf } from '../kernels/view.js'
import { columnSums } from '../matrix/elementwise.js'
import { matmulTransposeA, matmulTransposeB } from '../matrix/matmul.js'
import { type Matrix, type Shape, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, identity } from './activation.js'
import { flatBlock } from './blocks.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * The parameters of one dense layer: weights `W` `(in x out)` and bias `b` `(1 x out)`.
 * A type alias (not an interface) so that it is a `ParamTree` record.
 *
 * @example
 * import { type DenseParams, zeros } from 'pure-gan'
 * const layer: DenseParams = { W: zeros(2, 5), b: zeros(1, 5) }
 *
 * @category model
 * @since 0.1.0
 */
export type DenseParams = {
  readonly W: Matrix
  readonly b: Matrix
}

/**
 * The gradients of a dense layer: `dx` `(n x in)`, `dW` `(in x out)`, `db` `(1 x out)`.
 *
 * @category model
 * @since 0.1.0
 */
export type DenseGradients = {
  readonly dx: Matrix
  readonly dW: Matrix
  readonly db: Matrix
}

/**
 * The pre-activation `z = x·W + b` and the output `y = f(z)` of a fused dense layer.
 *
 * @category model
 * @since 0.1.0
 */
export type AffineActivation = {
  readonly z: Matrix
  readonly y: Matrix
}

// -------------------------------------------------------------------------------------
// shape checks
// -------------------------------------------------------------------------------------

/**
 * Throws the `ShapeError` of `op` (naming both shapes) unless `x` `(n x in)`, `W` `(in x out)`
 * and `b` `(1 x out)` fit `x·W + b`.
 *
 * @internal
 */
export const checkAffine = (op: string, x: Shape, W: Shape, b: Shape): void => {
  if (x.cols !== W.rows) {
    throw new ShapeError(`${op}: input ${shapeOf(x)} and weights ${shapeOf(W)} do not fit (input columns must equal weight rows)`)
  }
  if (b.rows !== 1 || b.cols !== W.cols) {
    throw new ShapeError(`${op}: bias ${shapeOf(b)} does not fit weights ${shapeOf(W)} (the bias must be (1x${W.cols}))`)
  }
}

// -------------------------------------------------------------------------------------
// the kernel, on one layer's block
// -------------------------------------------------------------------------------------

/**
 * `{ z, y }` with `z = x·W + b` and `y = f(z)` from the dense kernel ({@link denseForwardInto}),
 * `W` and `b` read as one `[W | b]` block (the matrices' own storage when they lie that way,
 * else a copy), `z` and `y` written into `out` at `zOff` and `yOff` (the same for the identity).
 */
const affineInto = (x: Matrix, W: Matrix, b: Matrix, a: Activation, out: { readonly data: Float64Array; readonly zOff: number; readonly yOff: number }): void => {
  const params = flatBlock([[{ W, b }]], W.rows * W.cols + W.cols)
  const pre = viewOf(out.data, out.zOff)
  const layer: PassLayer = {
    kind: dense,
    rows: x.rows,
    inputs: x.cols,
    units: W.cols,
    pieces: 1,
    activation: a,
    paramOff: 0,
    affine: pre,
    winners: null,
    norm: null,
    pre,
    out: out.yOff === out.zOff ? pre : viewOf(out.data, out.yOff),
    keep: 1,
    mask: null,
    masked: null,
  }
  denseForwardInto(layer, params, viewOf(dataOf(x)))
}

// -------------------------------------------------------------------------------------
// forward
// -------------------------------------------------------------------------------------

/**
 * `f(x·W + b)` in one allocation: the matrix product, then the bias and the activation
 * applied to each block of output rows as soon as it is finished (while it is in cache). Bit for bit equal to
 * `activate(f, addRowVector(matmul(x, W), b))`.
 *
 * @example
 * import { Activation, affineActivate, fromArrays, toArrays } from 'pure-gan'
 * toArrays(affineActivate(fromArrays([[1, 2]]), fromArrays([[1], [-1]]), fromArrays([[0.5]]), Activation.relu)) // [[0]]
 *
 * @category operations
 * @since 0.1.0
 */
export const affineActivate = (x: Matrix, W: Matrix, b: Matrix, a: Activation): Matrix => {
  checkAffine('affineActivate', x, W, b)
  const out = new Float64Array(x.rows * W.cols)
  affineInto(x, W, b, a, { data: out, zOff: 0, yOff: 0 })
  return unsafeFromFloat64Array(x.rows, W.cols, out)
}

/**
 * As `affineActivate`, but keeps the pre-activation too (the backward pass of the
 * activation needs it): `{ z: x·W + b, y: f(z) }`, each bit for bit equal to the unfused
 * composition. For the identity, `y` is `z`.
 *
 * @category operations
 * @since 0.1.0
 */
export const affineActivateWithPre = (x: Matrix, W: Matrix, b: Matrix, a: Activation): AffineActivation => {
  checkAffine('affineActivateWithPre', x, W, b)
  const size = x.rows * W.cols
  if (a.kind === 'identity') {
    const zd = new Float64Array(size)
    affineInto(x, W, b, a, { data: zd, zOff: 0, yOff: 0 })
    const z = unsafeFromFloat64Array(x.rows, W.cols, zd)
    return Object.freeze({ z, y: z })
  }
  // One allocation for both results: z and y are views of its two halves.
  const both = new Float64Array(2 * size)
  affineInto(x, W, b, a, { data: both, zOff: 0, yOff: size })
  return Object.freeze({
    z: unsafeFromFloat64Array(x.rows, W.cols, both.subarray(0, size)),
    y: unsafeFromFloat64Array(x.rows, W.cols, both.subarray(size)),
  })
}

/**
 * The dense layer `y = x·W + b`: `x` `(n x in)`, `W` `(in x out)`, `b` `(1 x out)`,
 * `y` `(n x out)`.
 *
 * @example
 * import { denseForward, fromArrays, toArrays } from 'pure-gan'
 * const params = { W: fromArrays([[1, 0], [0, 2]]), b: fromArrays([[10, 20]]) }
 * toArrays(denseForward(params, fromArrays([[1, 1]]))) // [[11, 22]]
 *
 * @category operations
 * @since 0.1.0
 */
export const denseForward = (params: DenseParams, x: Matrix): Matrix => {
  const { W, b } = params
  checkAffine('denseForward', x, W, b)
  const out = new Float64Array(x.rows * W.cols)
  affineInto(x, W, b, identity, { data: out, zOff: 0, yOff: 0 })
  return unsafeFromFloat64Array(x.rows, W.cols, out)
}

// -------------------------------------------------------------------------------------
// backward
// -------------------------------------------------------------------------------------

/**
 * Throws `denseBackward`'s `ShapeError` when the input `x`, the parameters' `W`, `b` and `dy`
 * do not fit: `x` `(n x in)`, `W` `(in x out)`, `b` `(1 x out)`, `dy` `(n x out)`.
 *
 * @internal
 */
export const checkDenseBackwardShapes = (params: { readonly W: Shape; readonly b: Shape }, x: Shape, dy: Shape): void => {
  const { W, b } = params
  checkAffine('denseBackward', x, W, b)
  if (dy.rows !== x.rows || dy.cols !== W.cols) {
    throw new ShapeError(
      `denseBackward: dy ${shapeOf(dy)} does not fit input ${shapeOf(x)} and weights ${shapeOf(W)} (dy must be (${x.rows}x${W.cols}))`,
    )
  }
}

/**
 * The gradients of a scalar loss `L` through `y = x·W + b`, given `dy = dL/dy` `(n x out)`:
 *
 * - `dx = dy·Wᵀ` `(n x in)` (`matmulTransposeB`)
 * - `dW = xᵀ·dy` `(in x out)` (`matmulTransposeA`)
 * - `db = Σ_i dy_i`, the column sums of `dy`, `(1 x out)`
 *
 * @example
 * import { denseBackward, fromArrays, toArrays } from 'pure-gan'
 * const params = { W: fromArrays([[1], [2]]), b: fromArrays([[0]]) }
 * const g = denseBackward(params, fromArrays([[3, 4]]), fromArrays([[1]]))
 * toArrays(g.dx) // [[1, 2]]
 * toArrays(g.dW) // [[3], [4]]
 *
 * @category operations
 * @since 0.1.0
 */
export const denseBackward = (params: DenseParams, x: Matrix, dy: Matrix): DenseGradients => {
  const { W } = params
  checkDenseBackwardShapes(params, x, dy)
  return Object.freeze({ dx: matmulTransposeB(dy, W), dW: matmulTransposeA(x, dy), db: columnSums(dy) })
}
