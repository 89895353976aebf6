/**
 * The finite-difference oracle every gradient property is checked against (JAX's
 * `check_grads`, for one scalar function of one matrix).
 *
 * Central differences: for each entry x_i, with step h_i = H · max(1, |x_i|),
 *   num_i = (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i)
 * The truncation error is O(h² · f''') and the rounding error O(ε · |f| / h), with
 * ε = 2^-52 ≈ 2.2e-16. With H = 1e-5 both are near 1e-10 relative for the smooth,
 * bounded functions under test, so an analytic gradient passes when
 *   |num_i - ana_i| <= RTOL · (|num_i| + |ana_i|) + ATOL · max(1, |f(x)|)
 * with RTOL = 1e-6 and ATOL = 1e-7: three to four orders of magnitude above the expected
 * error, and still far below any real mistake (a wrong sign, a missing factor 2 or a
 * transposed index change the gradient by O(1) relative). docs/decisions.md explains it.
 *
 * Functions with kinks (relu, leaky relu) are differentiable only away from them: keep every
 * kink input further than h_i from 0 (`kinkFreeDouble`, `awayFromKinks`).
 *
 * @module
 */
import { type Matrix, fromFlat } from '../matrix/index.js'

/**
 * The relative step H of the central differences: entry i moves by h_i = H · max(1, |x_i|).
 *
 * @example
 * import { FD_STEP } from 'pure-gan/testing'
 * FD_STEP // 0.00001
 *
 * @category gradients
 * @since 0.2.0
 */
export const FD_STEP = 1e-5

/**
 * The relative tolerance RTOL of `expectGradientClose`:
 * |num_i - ana_i| <= RTOL · (|num_i| + |ana_i|) + ATOL · max(1, |f(x)|).
 *
 * @example
 * import { FD_RTOL } from 'pure-gan/testing'
 * FD_RTOL // 0.000001
 *
 * @category gradients
 * @since 0.2.0
 */
export const FD_RTOL = 1e-6

/**
 * The absolute tolerance ATOL of `expectGradientClose`, scaled by max(1, |f(x)|):
 * |num_i - ana_i| <= RTOL · (|num_i| + |ana_i|) + ATOL · max(1, |f(x)|).
 *
 * @example
 * import { FD_ATOL } from 'pure-gan/testing'
 * FD_ATOL // 1e-7
 *
 * @category gradients
 * @since 0.2.0
 */
export const FD_ATOL = 1e-7

const withEntry = (x: Matrix, i: number, value: number): Matrix => {
  const copy = Float64Array.from(x.data as unknown as Float64Array)
  copy[i] = value
  return fromFlat(x.rows, x.cols, copy)
}

/**
 * The central-difference gradient of the scalar function `f` at `x`, entry by entry:
 * num_i = (f(x + h_i e_i) - f(x - h_i e_i)) / (2 h_i), with h_i = step · max(1, |x_i|).
 * `f` is called 2·rows·cols times, never with `x` itself, which it must not write to. Below,
 * f(x) = Σ x², whose gradient is 2x.
 *
 * @example
 * import { fromArrays, get } from 'pure-gan'
 * import { frobeniusInner, numericGradient } from 'pure-gan/testing'
 * const g = numericGradient((x) => frobeniusInner(x, x), fromArrays([[1, -3]]))
 * Math.abs(get(g, 0, 0) - 2) < 1e-9 // true
 * Math.abs(get(g, 0, 1) + 6) < 1e-9 // true
 *
 * @category gradients
 * @since 0.2.0
 */
export const numericGradient = (f: (x: Matrix) => number, x: Matrix, step = FD_STEP): Matrix => {
  const out = new Float64Array(x.rows * x.cols)
  for (let i = 0; i < out.length; i++) {
    const xi = x.data[i] as number
    const h = step * Math.max(1, Math.abs(xi))
    out[i] = (f(withEntry(x, i, xi + h)) - f(withEntry(x, i, xi - h))) / (2 * h)
  }
  return fromFlat(x.rows, x.cols, out)
}

/**
 * Why `analytic` is not the gradient of `f` at `x`, or `undefined` when it is: the first
 * entry (row-major) with |num_i - ana_i| > RTOL · (|num_i| + |ana_i|) + ATOL · max(1, |f(x)|),
 * num being `numericGradient(f, x)`, or a shape that differs from `x`'s. `what` names the
 * gradient in the message. For runners that want a boolean or a message rather than a throw.
 *
 * @example
 * import { type Matrix, fromArrays, scale } from 'pure-gan'
 * import { frobeniusInner, gradientMismatch } from 'pure-gan/testing'
 * const sumOfSquares = (x: Matrix) => frobeniusInner(x, x)
 * const x = fromArrays([[0, 1]])
 * gradientMismatch('d/dx Σx²', sumOfSquares, x, scale(x, 2)) // undefined
 * gradientMismatch('d/dx Σx²', sumOfSquares, x, scale(x, 3))
 * // 'd/dx Σx²: entry (0, 1) analytic 3 vs central difference 2.000000000002 (|diff| 0.9999999999979998 > tol 0.000005100000000002)'
 * gradientMismatch('d/dx Σx²', sumOfSquares, x, fromArrays([[0], [2]]))
 * // 'd/dx Σx²: gradient shape (2x1) differs from parameter shape (1x2)'
 *
 * @category gradients
 * @since 0.2.0
 */
export const gradientMismatch = (what: string, f: (x: Matrix) => number, x: Matrix, analytic: Matrix): string | undefined => {
  if (analytic.rows !== x.rows || analytic.cols !== x.cols) {
    return `${what}: gradient shape (${analytic.rows}x${analytic.cols}) differs from parameter shape (${x.rows}x${x.cols})`
  }
  const fx = Math.abs(f(x))
  const numeric = numericGradient(f, x)
  for (let i = 0; i < numeric.data.length; i++) {
    const num = numeric.data[i] as number
    const ana = analytic.data[i] as number
    const tol = FD_RTOL * (Math.abs(num) + Math.abs(ana)) + FD_ATOL * Math.max(1, fx)
    if (!(Math.abs(num - ana) <= tol)) {
      const r = Math.floor(i / x.cols)
      const c = i % x.cols
      return `${what}: entry (${r}, ${c}) analytic ${ana} vs central difference ${num} (|diff| ${Math.abs(num - ana)} > tol ${tol})`
    }
  }
  return undefined
}

/**
 * Throws an Error naming the first entry (row-major) where `analytic` differs from the
 * central-difference gradient of `f` at `x` beyond the tolerance
 * |num_i - ana_i| <= RTOL · (|num_i| + |ana_i|) + ATOL · max(1, |f(x)|)
 * (the message is `gradientMismatch`'s); `what` names the gradient in the message. Works in any
 * test runner, and inside a fast-check property.
 *
 * @example
 * import { type Matrix, fromArrays, scale } from 'pure-gan'
 * import { expectGradientClose, frobeniusInner } from 'pure-gan/testing'
 * const sumOfSquares = (x: Matrix) => frobeniusInner(x, x)
 * const x = fromArrays([[1, -2], [0.5, 3]])
 * expectGradientClose('d/dx Σx²', sumOfSquares, x, scale(x, 2)) // undefined
 *
 * @category gradients
 * @since 0.2.0
 */
export const expectGradientClose = (what: string, f: (x: Matrix) => number, x: Matrix, analytic: Matrix): void => {
  const mismatch = gradientMismatch(what, f, x, analytic)
  if (mismatch !== undefined) throw new Error(mismatch)
}

/**
 * `<a, b> = Σ_ij a_ij · b_ij`, the sum of the entrywise product: turns a matrix output into a
 * scalar to differentiate. The gradient of x ↦ <c, g(x)> is the backward pass of g applied
 * to c, so one random projection `c` checks a whole vector-Jacobian product.
 *
 * @example
 * import { fromArrays } from 'pure-gan'
 * import { frobeniusInner } from 'pure-gan/testing'
 * frobeniusInner(fromArrays([[1, 2], [3, 4]]), fromArrays([[1, 0], [0, -1]])) // -3
 *
 * @category gradients
 * @since 0.2.0
 */
export const frobeniusInner = (a: Matrix, b: Matrix): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] as number) * (b.data[i] as number)
  return s
}
