/**
 * The maxout layer (Goodfellow et al. 2013, "Maxout Networks") on its own, as checked,
 * immutable operations over the kernels of src/kernels/maxout.ts: `units` outputs, each the
 * largest of `pieces` affine functions of the input. Derivation: docs/gradients.md, section
 * "Maxout".
 *
 * Shapes: `x` is `(n x in)`, `W` `(in x units·pieces)` and `b` `(1 x units·pieces)` with the
 * pieces of a unit adjacent (unit `j`'s piece `p` is column `j·pieces + p`), `y` `(n x units)`.
 *
 * @module
 */
import type { PassLayer } from '../kernels/layer.js'
import { maxout, maxoutBackwardInto, maxoutForwardInto } from '../kernels/maxout.js'
import { viewOf } from '../kernels/view.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { isPositiveInteger } from '../validate/numbers.js'
import { identity } from './activation.js'
import { flatBlock } from './blocks.js'
import { type DenseGradients, type DenseParams, checkAffine } from './dense.js'

/**
 * Throws, naming `op`, unless `pieces` is a positive integer (`RangeError`), `W`'s columns are
 * a multiple of it, and `x`, `W`, `b` fit `x·W + b` (`ShapeError`s naming the shapes).
 */
const checkMaxout = (op: string, params: DenseParams, x: Matrix, pieces: number): void => {
  if (!isPositiveInteger(pieces)) throw new RangeError(`${op}: pieces must be a positive integer, got ${String(pieces)}`)
  const { W, b } = params
  if (W.cols % pieces !== 0) {
    throw new ShapeError(`${op}: weights ${shapeOf(W)} do not split into units of ${pieces} pieces (W must have units·pieces columns)`)
  }
  checkAffine(op, x, W, b)
}

/** The layer of a pass over `x`'s rows in `ws`: affine values, winners, then the output. */
const layerOf = (x: Matrix, W: Matrix, pieces: number, ws: Float64Array): PassLayer => {
  const n = x.rows
  const units = W.cols / pieces
  const pre = viewOf(ws, n * W.cols + n * units)
  return { kind: maxout, rows: n, inputs: x.cols, units, pieces, activation: identity, paramOff: 0, affine: viewOf(ws, 0), winners: viewOf(ws, n * W.cols), norm: null, pre, out: pre, keep: 1, mask: null, masked: null }
}

/** The forward pass over `x` on a fresh workspace, its layer and parameter block. */
const run = (params: DenseParams, x: Matrix, pieces: number): readonly [PassLayer, ReturnType<typeof flatBlock>, Float64Array] => {
  const { W, b } = params
  const ws = new Float64Array(x.rows * W.cols + (2 * x.rows * W.cols) / pieces)
  const layer = layerOf(x, W, pieces, ws)
  const block = flatBlock([[{ W, b }]], W.rows * W.cols + W.cols)
  maxoutForwardInto(layer, block, viewOf(dataOf(x)))
  return [layer, block, ws]
}

/**
 * The maxout layer `y_ij = max_p z_i,(j·pieces + p)` with `z = x·W + b`: `x` `(n x in)`, `W`
 * `(in x units·pieces)`, `b` `(1 x units·pieces)`, `y` `(n x units)`; the largest piece's value
 * itself (a NaN piece wins over every number). `z` is summed as the dense layer's
 * (`affineActivate`'s bits). Throws a `RangeError` unless `pieces` is a positive integer, a
 * `ShapeError` when the shapes do not fit. (The example: one unit of the two pieces `x` and
 * `-x`, whose max is `|x|`.)
 *
 * @example
 * import { fromArrays, maxoutForward, toArrays } from 'pure-gan'
 * const absolute = { W: fromArrays([[1, -1]]), b: fromArrays([[0, 0]]) }
 * toArrays(maxoutForward(absolute, fromArrays([[3], [-2]]), 2)) // [[3], [2]]
 *
 * @category operations
 * @since 0.3.0
 */
export const maxoutForward = (params: DenseParams, x: Matrix, pieces: number): Matrix => {
  checkMaxout('maxoutForward', params, x, pieces)
  const [layer, , ws] = run(params, x, pieces)
  return unsafeFromFloat64Array(layer.rows, layer.units, ws.subarray(layer.pre.off, layer.pre.off + layer.rows * layer.units))
}

/**
 * The gradients of a scalar loss `L` through `maxoutForward(params, x, pieces)`, given
 * `dy = dL/dy` `(n x units)`; each output's gradient goes to its winning piece only (the
 * lowest index among equal largest pieces), at column `c_ij = j·pieces + w_ij`:
 *
 * - `dx_i = Σ_j dy_ij·W[:, c_ij]` `(n x in)`
 * - `dW[:, c] = Σ_i [c = c_ij]·x_iᵀ·dy_ij` `(in x units·pieces)`; a piece that wins no row gets 0
 * - `db_c = Σ_i [c = c_ij]·dy_ij` `(1 x units·pieces)`
 *
 * The winners come from the forward pass, computed again from `params` and `x`. Throws as
 * `maxoutForward`, and a `ShapeError` when `dy` is not `(n x units)`. (The example: `|x|` as
 * `max(x, -x)`; row 0, `x = 3`, takes piece 0, row 1, `x = -2`, piece 1.)
 *
 * @example
 * import { fromArrays, maxoutBackward, toArrays } from 'pure-gan'
 * const absolute = { W: fromArrays([[1, -1]]), b: fromArrays([[0, 0]]) }
 * const g = maxoutBackward(absolute, fromArrays([[3], [-2]]), 2, fromArrays([[1], [1]]))
 * toArrays(g.dx) // [[1], [-1]]
 * toArrays(g.dW) // [[3, -2]]
 * toArrays(g.db) // [[1, 1]]
 *
 * @category operations
 * @since 0.3.0
 */
export const maxoutBackward = (params: DenseParams, x: Matrix, pieces: number, dy: Matrix): DenseGradients => {
  checkMaxout('maxoutBackward', params, x, pieces)
  const { W } = params
  const units = W.cols / pieces
  if (dy.rows !== x.rows || dy.cols !== units) {
    throw new ShapeError(`maxoutBackward: dy ${shapeOf(dy)} does not fit input ${shapeOf(x)} and weights ${shapeOf(W)} of ${pieces} pieces (dy must be (${x.rows}x${units}))`)
  }
  const [layer, block] = run(params, x, pieces)
  const d = W.rows
  const M = W.cols
  const n = x.rows
  const out = new Float64Array(d * M + M + n * d)
  maxoutBackwardInto(layer, block, viewOf(dataOf(x)), viewOf(dataOf(dy)), viewOf(out), viewOf(out, d * M + M))
  return Object.freeze({
    dx: unsafeFromFloat64Array(n, d, out.subarray(d * M + M)),
    dW: unsafeFromFloat64Array(d, M, out.subarray(0, d * M)),
    db: unsafeFromFloat64Array(1, M, out.subarray(d * M, d * M + M)),
  })
}
