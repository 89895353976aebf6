/**
 * Softmax cross-entropy on logits (PyTorch's `cross_entropy` with class indices, TensorFlow's
 * `sparse_softmax_cross_entropy_with_logits`), per example, its gradient, and the softmax
 * itself. Derivation and the order of evaluation: docs/gradients.md, section "Softmax
 * cross-entropy".
 *
 * Row `i` of the `(n x K)` logits holds one example's `K` class scores `z_i0 .. z_i,K-1`; its
 * label `y_i` is a class index in `0..K-1`. Every function computes, per row, with `k`
 * ascending:
 *
 *   m_i    = max_k z_ik                 (the first largest entry)
 *   e_ik   = exp(z_ik - m_i)            (in [0, 1]; the largest is exp(0) = 1)
 *   S_i    = Σ_k e_ik                   (summed from 0, k ascending; in [1, K])
 *   p_ik   = e_ik / S_i
 *   l_i    = (m_i - z_i,y_i) + log(S_i) = logsumexp(z_i) - z_i,y_i
 *   ∂l_i/∂z_ik = p_ik - [k = y_i]
 *
 * `exp` and `log` are the library's own (src/elementary), so the bits are the same on every
 * engine. Subtracting `m_i` changes nothing mathematically and keeps `exp` from overflowing:
 * every result is finite for finite logits, `±1e300` included (the loss only overflows when
 * `m_i - z_i,y_i` itself exceeds `Number.MAX_VALUE`).
 *
 * @module
 */
import { type Matrix, ShapeError, dataOf, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { firstNonFiniteIn } from '../matrix/finite.js'
import { exp, log } from '../elementary/index.js'

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

const showLabel = (v: unknown): string => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : `${String(v)} (a ${typeof v})`
}

/** Throws unless `logits` is `(n x K)` with `n >= 1`, `K >= 2` and every entry finite. */
const checkLogits = (op: string, logits: Matrix): void => {
  if (logits.cols < 2) throw new ShapeError(`${op}: logits need at least 2 columns (classes), got ${shapeOf(logits)}`)
  if (logits.rows < 1) throw new ShapeError(`${op}: logits need at least 1 row, got ${shapeOf(logits)}`)
  const bad = firstNonFiniteIn(logits.data, 0, logits.rows * logits.cols)
  if (bad >= 0) {
    const entry = `(${Math.floor(bad / logits.cols)}, ${bad % logits.cols})`
    throw new RangeError(`${op}: logits must be finite; entry ${entry} is ${String(logits.data[bad])}`)
  }
}

/** Throws unless `labels` holds one integer class index in `0..K-1` per row of `logits`. */
const checkLabels = (op: string, logits: Matrix, labels: ReadonlyArray<number> | Uint8Array): void => {
  if (!Array.isArray(labels) && !(labels instanceof Uint8Array)) {
    throw new RangeError(`${op}: labels must be an array or a Uint8Array of class indices, got ${showLabel(labels)}`)
  }
  if (labels.length !== logits.rows) {
    throw new ShapeError(`${op}: ${labels.length} labels for the ${logits.rows} rows of logits ${shapeOf(logits)}`)
  }
  const top = logits.cols - 1
  for (let i = 0; i < labels.length; i++) {
    const y: unknown = labels[i]
    if (!(Number.isSafeInteger(y) && (y as number) >= 0 && (y as number) <= top)) {
      throw new RangeError(`${op}: labels[${i}] must be an integer class index in 0..${top}, got ${showLabel(y)}`)
    }
  }
}

// -------------------------------------------------------------------------------------
// one row
// -------------------------------------------------------------------------------------

/** `m = max_k z[off + k]`, `k` ascending, the first largest entry (a later equal one is not taken). */
const rowMax = (z: Float64Array, off: number, K: number): number => {
  let m = z[off]!
  for (let k = 1; k < K; k++) {
    const v = z[off + k]!
    if (v > m) m = v
  }
  return m
}

/** `out[off + k] = e_k = exp(z[off + k] - m)` for every `k`, and returns `S = Σ_k e_k`, from 0, `k` ascending. */
const rowExpsInto = (z: Float64Array, off: number, K: number, m: number, out: Float64Array): number => {
  let s = 0
  for (let k = 0; k < K; k++) {
    const e = exp(z[off + k]! - m)
    out[off + k] = e
    s += e
  }
  return s
}

// -------------------------------------------------------------------------------------
// public
// -------------------------------------------------------------------------------------

/**
 * The softmax of every row: `p_ik = exp(z_ik - m_i) / Σ_j exp(z_ij - m_i)` with
 * `m_i = max_k z_ik`, a matrix of the logits' shape whose rows are probability vectors
 * (every entry in `[0, 1]`, each row summing to 1 within rounding). The sum runs from 0 with
 * `k` ascending, as in {@link softmaxCrossEntropy}. Subtracting `m_i` leaves `p` unchanged
 * mathematically and keeps every `exp` argument `<= 0`, so nothing overflows. `logits` must be
 * `(n x K)` with `n >= 1`, `K >= 2` and finite entries (`ShapeError`, `RangeError` otherwise).
 *
 * @example
 * import { fromArrays, softmax, toArrays } from 'pure-gan'
 * toArrays(softmax(fromArrays([[0, 0], [1e300, -1e300]]))) // [[0.5, 0.5], [1, 0]]
 *
 * @category loss
 * @since 0.5.0
 */
export const softmax = (logits: Matrix): Matrix => {
  checkLogits('softmax', logits)
  return unsafeFromFloat64Array(logits.rows, logits.cols, probabilities(logits))
}

/** `softmax`'s entries, row-major, in a fresh array (for logits already checked). */
const probabilities = (logits: Matrix): Float64Array => {
  const { rows: n, cols: K } = logits
  const z = dataOf(logits)
  const out = new Float64Array(n * K)
  for (let i = 0; i < n; i++) {
    const off = i * K
    const s = rowExpsInto(z, off, K, rowMax(z, off, K), out)
    for (let k = 0; k < K; k++) out[off + k] = out[off + k]! / s
  }
  return out
}

/**
 * The softmax cross-entropy of every row, `(n x 1)`:
 * `l_i = logsumexp(z_i) - z_i,y_i = -log p_i,y_i`, computed as
 * `l_i = (m_i - z_i,y_i) + log(Σ_k exp(z_ik - m_i))` with `m_i = max_k z_ik` and the sum
 * from 0 with `k` ascending (the order defines the bits). Both terms are `>= 0`, so nothing
 * cancels and `l_i >= 0`; `exp` only sees arguments `<= 0`, so nothing overflows. Nothing is
 * summed or averaged over the rows.
 *
 * `logits` is `(n x K)` with `n >= 1` examples, `K >= 2` classes and finite entries; `labels`
 * holds `n` integer class indices in `0..K-1` (an array or a `Uint8Array`). A `ShapeError` or
 * `RangeError` names the first problem otherwise. The inputs are not written to.
 *
 * @example
 * import { fromArrays, softmaxCrossEntropy, toArrays } from 'pure-gan'
 * toArrays(softmaxCrossEntropy(fromArrays([[0, 0], [1e300, -1e300]]), [1, 1])) // [[0.6931471805599453], [2e+300]]
 *
 * @category loss
 * @since 0.5.0
 */
export const softmaxCrossEntropy = (logits: Matrix, labels: ReadonlyArray<number> | Uint8Array): Matrix => {
  checkLogits('softmaxCrossEntropy', logits)
  checkLabels('softmaxCrossEntropy', logits, labels)
  const { rows: n, cols: K } = logits
  const z = dataOf(logits)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const off = i * K
    const m = rowMax(z, off, K)
    let s = 0
    for (let k = 0; k < K; k++) s += exp(z[off + k]! - m)
    out[i] = (m - z[off + labels[i]!]!) + log(s)
  }
  return unsafeFromFloat64Array(n, 1, out)
}

/**
 * The gradient of `Σ_i l_i` (the sum of {@link softmaxCrossEntropy}'s rows) with respect to
 * the logits, `(n x K)`: `∂l_i/∂z_ik = p_ik - [k = y_i]`, with `p = softmax(logits)` computed
 * as {@link softmax} does (the same bits), then `p_i,y_i - 1` in the label's column and `p_ik`
 * unchanged elsewhere. Row `i` is the gradient of `l_i` alone; for the gradient of the mean
 * loss the caller divides by `n`. Same argument rules as `softmaxCrossEntropy`.
 *
 * @example
 * import { fromArrays, softmaxCrossEntropyGrad, toArrays } from 'pure-gan'
 * toArrays(softmaxCrossEntropyGrad(fromArrays([[0, 0], [1e300, -1e300]]), [1, 1])) // [[0.5, -0.5], [1, -1]]
 *
 * @category loss
 * @since 0.5.0
 */
export const softmaxCrossEntropyGrad = (logits: Matrix, labels: ReadonlyArray<number> | Uint8Array): Matrix => {
  checkLogits('softmaxCrossEntropyGrad', logits)
  checkLabels('softmaxCrossEntropyGrad', logits, labels)
  const { rows: n, cols: K } = logits
  const out = probabilities(logits)
  for (let i = 0; i < n; i++) out[i * K + labels[i]!] = out[i * K + labels[i]!]! - 1
  return unsafeFromFloat64Array(n, K, out)
}
