/**
 * The dense (fully connected) layer `y = x·W + b`, its backward pass, and the fused
 * kernel `f(x·W + b)` that the network's forward pass runs layer by layer. Derivations:
 * docs/gradients.md, section "Dense layer".
 *
 * Shapes: `x` is `(n x in)` (one example per row), `W` is `(in x out)`, `b` is `(1 x out)`.
 *
 * @module
 */
import { columnSums } from '../matrix/elementwise.js'
import { matmulTransposeA, matmulTransposeB } from '../matrix/matmul.js'
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { type Activation, activateInto, identity } from './activation.js'

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

const checkAffine = (op: string, x: Matrix, W: Matrix, b: Matrix): void => {
  if (x.cols !== W.rows) {
    throw new ShapeError(`${op}: input ${shapeOf(x)} and weights ${shapeOf(W)} do not fit (input columns must equal weight rows)`)
  }
  if (b.rows !== 1 || b.cols !== W.cols) {
    throw new ShapeError(`${op}: bias ${shapeOf(b)} does not fit weights ${shapeOf(W)} (the bias must be (1x${W.cols}))`)
  }
}

// -------------------------------------------------------------------------------------
// kernel
// -------------------------------------------------------------------------------------

/**
 * Fills the zeroed `out` (n x m) with `x·W + b` and, as soon as a block of rows is
 * finished, writes `f` of those rows into `act` (which may be `out` itself).
 *
 * Summation order, the contract with `src/matrix/matmul.ts`: each entry is
 * `c = 0; for k = 0..K-1: c = c + x_ik·W_kj`, then `z_ij = c + b_j`, the bias added after
 * the dot product. So `z` equals `addRowVector(matmul(x, W), b)` bit for bit.
 *
 * Loop order i-k-j as in `matmul` (the inner loop streams row k of W into output rows),
 * but four rows of x at a time: each W_kj loaded serves four outputs, which halves the
 * time at MNIST scale (64x784 times 784x256) because W is read n/4 times instead of n
 * times. The order of the additions into each single output is unchanged.
 */
const affineInto = (
  x: Matrix,
  W: Matrix,
  b: Matrix,
  a: Activation,
  out: Float64Array,
  act: Float64Array,
): void => {
  const n = x.rows
  const K = x.cols
  const m = W.cols
  const xd = dataOf(x)
  const wd = dataOf(W)
  const bd = dataOf(b)
  const n4 = n - (n % 4)
  for (let i = 0; i < n4; i += 4) {
    const o0 = i * m
    const o1 = o0 + m
    const o2 = o1 + m
    const o3 = o2 + m
    const x0 = i * K
    for (let k = 0; k < K; k++) {
      const a0 = xd[x0 + k]!
      const a1 = xd[x0 + K + k]!
      const a2 = xd[x0 + 2 * K + k]!
      const a3 = xd[x0 + 3 * K + k]!
      const wk = k * m
      for (let j = 0; j < m; j++) {
        const w = wd[wk + j]!
        out[o0 + j] = out[o0 + j]! + a0 * w
        out[o1 + j] = out[o1 + j]! + a1 * w
        out[o2 + j] = out[o2 + j]! + a2 * w
        out[o3 + j] = out[o3 + j]! + a3 * w
      }
    }
    biasActivateRows(bd, a, out, act, o0, 4, m)
  }
  for (let i = n4; i < n; i++) {
    const oi = i * m
    const xi = i * K
    for (let k = 0; k < K; k++) {
      const xik = xd[xi + k]!
      const wk = k * m
      for (let j = 0; j < m; j++) out[oi + j] = out[oi + j]! + xik * wd[wk + j]!
    }
    biasActivateRows(bd, a, out, act, oi, 1, m)
  }
}

/** Adds the bias to `rows` finished rows from `start`, then activates them while in cache. */
const biasActivateRows = (
  bd: Float64Array,
  a: Activation,
  out: Float64Array,
  act: Float64Array,
  start: number,
  rows: number,
  m: number,
): void => {
  for (let r = 0; r < rows; r++) {
    const o = start + r * m
    for (let j = 0; j < m; j++) out[o + j] = out[o + j]! + bd[j]!
  }
  activateInto(a, out, act, start, start + rows * m)
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
  affineInto(x, W, b, a, out, out)
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
  const zd = new Float64Array(x.rows * W.cols)
  const yd = a.kind === 'identity' ? zd : new Float64Array(x.rows * W.cols)
  affineInto(x, W, b, a, zd, yd)
  const z = unsafeFromFloat64Array(x.rows, W.cols, zd)
  return Object.freeze({ z, y: yd === zd ? z : unsafeFromFloat64Array(x.rows, W.cols, yd) })
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
  affineInto(x, W, b, identity, out, out)
  return unsafeFromFloat64Array(x.rows, W.cols, out)
}

// -------------------------------------------------------------------------------------
// backward
// -------------------------------------------------------------------------------------

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
  const { W, b } = params
  checkAffine('denseBackward', x, W, b)
  if (dy.rows !== x.rows || dy.cols !== W.cols) {
    throw new ShapeError(
      `denseBackward: dy ${shapeOf(dy)} does not fit input ${shapeOf(x)} and weights ${shapeOf(W)} (dy must be (${x.rows}x${W.cols}))`,
    )
  }
  return Object.freeze({ dx: matmulTransposeB(dy, W), dW: matmulTransposeA(x, dy), db: columnSums(dy) })
}
