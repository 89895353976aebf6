/**
 * The finite-difference oracle every gradient property is checked against.
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
 */
import { type Matrix, fromFlat } from '../../src/matrix/index.js'

export const FD_STEP = 1e-5
export const FD_RTOL = 1e-6
export const FD_ATOL = 1e-7

const withEntry = (x: Matrix, i: number, value: number): Matrix => {
  const copy = Float64Array.from(x.data as unknown as Float64Array)
  copy[i] = value
  return fromFlat(x.rows, x.cols, copy)
}

/** The central-difference gradient of the scalar function `f` at `x`, entry by entry. */
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
 * Throws an Error naming the worst entry when `analytic` differs from the central-difference
 * gradient of `f` at `x` beyond the tolerance above; `what` names the gradient in the message.
 */
export const expectGradientClose = (what: string, f: (x: Matrix) => number, x: Matrix, analytic: Matrix): void => {
  if (analytic.rows !== x.rows || analytic.cols !== x.cols) {
    throw new Error(`${what}: gradient shape (${analytic.rows}x${analytic.cols}) differs from parameter shape (${x.rows}x${x.cols})`)
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
      throw new Error(
        `${what}: entry (${r}, ${c}) analytic ${ana} vs central difference ${num} (|diff| ${Math.abs(num - ana)} > tol ${tol})`,
      )
    }
  }
}

/** `<a, b>`, the sum of the entrywise product: turns a matrix output into a scalar to differentiate. */
export const frobeniusInner = (a: Matrix, b: Matrix): number => {
  let s = 0
  for (let i = 0; i < a.data.length; i++) s += (a.data[i] as number) * (b.data[i] as number)
  return s
}
