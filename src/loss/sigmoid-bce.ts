/**
 * Sigmoid binary cross-entropy on logits (Gluon's `SigmoidBCELoss`, TensorFlow's
 * `sigmoid_cross_entropy_with_logits`), per example, and its derivative. Derivation of the
 * stable forms: docs/gradients.md, section "Sigmoid binary cross-entropy".
 *
 * With `p = sigmoid(z)` and a label `y` in `[0, 1]`:
 *
 *   l(z, y) = -y·log p - (1 - y)·log(1 - p)
 *           = max(z, 0) - z·y + log(1 + exp(-|z|))
 *   dl/dz   = p - y
 *
 * Both are computed so that they stay finite and accurate for every finite `z`
 * (`±Number.MAX_VALUE` included): `exp` is only ever taken of `-|z| <= 0`, so it cannot
 * overflow, and the small terms are never added to or subtracted from 1 before they are
 * used (`log1p`, and `(1 - y) - sigmoid(-z)` rather than `sigmoid(z) - y` for `z >= 0`).
 *
 * @module
 */
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { exp, log1p } from '../elementary/index.js'
import { kernels } from '../wasm/kernels.js'
import type { View } from '../kernels/view.js'

// -------------------------------------------------------------------------------------
// scalar
// -------------------------------------------------------------------------------------

/**
 * `l(z, y) = max(z, 0) - z·y + log1p(exp(-|z|))` for one logit `z` and label `y` in
 * `[0, 1]`. Evaluated per sign of `z` as a sum of two non-negative terms (no cancellation):
 *
 * - `z >= 0`: `z·(1 - y) + log1p(exp(-z))`
 * - `z < 0`:  `log1p(exp(z)) + (-z)·y`
 *
 * so `l(40, 1) = log1p(exp(-40)) ≈ 4.248e-18`, not 0, and `l(±1e300, y)` is finite.
 * A NaN or infinite `z` is outside the domain (the result may be NaN).
 *
 * @example
 * import { sigmoidBce } from 'pure-gan'
 * sigmoidBce(0, 1) // 0.6931471805599453
 * sigmoidBce(40, 1) // 4.248354255291589e-18
 *
 * @category loss
 * @since 0.1.0
 */
export const sigmoidBce = (z: number, y: number): number =>
  // Stryker disable next-line EqualityOperator: E-ZERO
  z >= 0 ? z * (1 - y) + log1p(exp(-z)) : log1p(exp(z)) + -z * y

/**
 * `dl/dz = sigmoid(z) - y`, computed without cancellation in the tails:
 *
 * - `z >= 0`: `(1 - y) - sigmoid(-z)`, with `sigmoid(-z) = e / (1 + e)`, `e = exp(-z)`.
 *   Written as `sigmoid(z) - y`, `sigmoid(z)` would round to 1 for `z > ~37` and the
 *   gradient for `y = 1` would be 0; this form gives `-e/(1 + e) ≈ -exp(-z)` to full
 *   relative accuracy (down to the underflow of `exp(-z)` near `z = 745`).
 * - `z < 0`: `sigmoid(z) - y = e / (1 + e) - y` with `e = exp(z)`, accurate for `y = 0`.
 *
 * @example
 * import { sigmoidBceGrad } from 'pure-gan'
 * sigmoidBceGrad(0, 1) // -0.5
 * sigmoidBceGrad(40, 1) // -4.248354255291589e-18
 *
 * @category loss
 * @since 0.1.0
 */
export const sigmoidBceGrad = (z: number, y: number): number => {
  if (z >= 0) {
    const e = exp(-z)
    return 1 - y - e / (1 + e)
  }
  const e = exp(z)
  return e / (1 + e) - y
}

// -------------------------------------------------------------------------------------
// matrix
// -------------------------------------------------------------------------------------

/**
 * Labels for the matrix forms: a matrix of the logits' shape, or one number applied to
 * every entry (the GAN's all-real `1` and all-fake `0`).
 *
 * @category loss
 * @since 0.1.0
 */
export type Labels = Matrix | number

const labelOutOfRange = (op: string, y: number, where: string): never => {
  throw new RangeError(`${op}: labels must be in [0, 1], got ${String(y)}${where}`)
}

/**
 * Checks the labels against the logits (shape, range) and returns them as one number or
 * as the backing array of a matrix of the logits' shape.
 */
const checkedLabels = (op: string, logits: Matrix, labels: Labels): number | Float64Array => {
  if (typeof labels === 'number') {
    if (!(labels >= 0 && labels <= 1)) labelOutOfRange(op, labels, '')
    return labels
  }
  if (labels.rows !== logits.rows || labels.cols !== logits.cols) {
    throw new ShapeError(`${op}: logits ${shapeOf(logits)} and labels ${shapeOf(labels)} differ in shape`)
  }
  const yd = dataOf(labels)
  for (let i = 0; i < yd.length; i++) {
    const y = yd[i]!
    if (!(y >= 0 && y <= 1)) labelOutOfRange(op, y, ` at entry ${i}`)
  }
  return yd
}

/**
 * The loss of every entry: `l(z_ij, y_ij)`, a matrix of the logits' shape. For the
 * discriminator's `(n x 1)` logits that is one loss per example; nothing is summed or
 * averaged. `labels` is a matrix of the same shape or one number for every entry; labels
 * must lie in `[0, 1]` (`RangeError` otherwise).
 *
 * @example
 * import { fromArrays, sigmoidBceLoss, toArrays } from 'pure-gan'
 * toArrays(sigmoidBceLoss(fromArrays([[0], [0]]), 1)) // [[0.6931471805599453], [0.6931471805599453]]
 *
 * @category loss
 * @since 0.1.0
 */
export const sigmoidBceLoss = (logits: Matrix, labels: Labels): Matrix => {
  const y = checkedLabels('sigmoidBceLoss', logits, labels)
  const zd = dataOf(logits)
  const out = new Float64Array(zd.length)
  // Stryker disable next-line EqualityOperator: E-BOUND writes past a fresh array's end, dropped
  for (let i = 0; i < zd.length; i++) out[i] = sigmoidBce(zd[i]!, typeof y === 'number' ? y : y[i]!)
  return unsafeFromFloat64Array(logits.rows, logits.cols, out)
}

/**
 * `dl/dz` of every entry: `sigmoid(z_ij) - y_ij`, a matrix of the logits' shape. It is
 * the gradient of the SUM of `sigmoidBceLoss` over all entries; for the gradient of the
 * mean, scale it by `1 / n` (or let the optimiser do so). Same label rules as
 * `sigmoidBceLoss`.
 *
 * @example
 * import { fromArrays, sigmoidBceLossGrad, toArrays } from 'pure-gan'
 * toArrays(sigmoidBceLossGrad(fromArrays([[0], [0]]), 1)) // [[-0.5], [-0.5]]
 *
 * @category loss
 * @since 0.1.0
 */
export const sigmoidBceLossGrad = (logits: Matrix, labels: Labels): Matrix => {
  const y = checkedLabels('sigmoidBceLossGrad', logits, labels)
  const zd = dataOf(logits)
  const out = new Float64Array(zd.length)
  // Stryker disable next-line EqualityOperator: E-BOUND writes past a fresh array's end, dropped
  for (let i = 0; i < zd.length; i++) out[i] = sigmoidBceGrad(zd[i]!, typeof y === 'number' ? y : y[i]!)
  return unsafeFromFloat64Array(logits.rows, logits.cols, out)
}

// -------------------------------------------------------------------------------------
// internal: the loss and its derivative sharing one exponential
// -------------------------------------------------------------------------------------

/**
 * `exp(-|z|)`, the one exponential `sigmoidBce` and `sigmoidBceGrad` both take (`exp(-z)`
 * for `z >= 0`, `exp(z)` otherwise, the same operations in the same order).
 *
 * @internal
 */
// Stryker disable next-line EqualityOperator: E-ZERO
export const expNegAbs = (z: number): number => exp(z >= 0 ? -z : z)

/**
 * `sigmoidBce(z, y)` given its softplus term `s = log1p(expNegAbs(z))`: the same expression,
 * bit for bit.
 *
 * @internal
 */
export const sigmoidBceWithSoftplus = (z: number, y: number, s: number): number =>
  // Stryker disable next-line EqualityOperator: E-ZERO
  z >= 0 ? z * (1 - y) + s : s + -z * y

/**
 * For the logits `z_i = logits[i]`, `0 <= i < len`: `exps[i] = expNegAbs(z_i)` and
 * `softplus[i] = log1p(exps[i])`, the exponentials and softplus terms that
 * {@link sigmoidBceWithSoftplus} and {@link sigmoidBceGradWithExp} take. `-|z_i|` is formed
 * first, then `exp` and `log1p` each run as one loop over the batch (`kernels()`, in
 * WebAssembly where the host runs it, the same bits), so no double crosses a call boundary per
 * logit. The three stretches must not overlap.
 *
 * @internal
 */
export const softplusTermsInto = (logits: View, exps: View, softplus: View, len: number): void => {
  const z = logits.data
  const zo = logits.off
  const e = exps.data
  const eo = exps.off
  for (let i = 0; i < len; i++) {
    const v = z[zo + i]!
    // Stryker disable next-line EqualityOperator: E-ZERO
    e[eo + i] = v >= 0 ? -v : v
  }
  const k = kernels()
  k.expInto(e, eo, e, eo, len)
  k.log1pInto(e, eo, softplus.data, softplus.off, len)
}

/**
 * `sigmoidBceGrad(z, y)` given `e = expNegAbs(z)`: the same expression, bit for bit.
 *
 * @internal
 */
export const sigmoidBceGradWithExp = (z: number, y: number, e: number): number => (z >= 0 ? 1 - y - e / (1 + e) : e / (1 + e) - y)
