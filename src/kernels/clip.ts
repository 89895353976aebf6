/**
 * Weight clipping (Arjovsky et al. 2017, Algorithm 1, line 7: `w ← clip(w, −c, c)`), the
 * Wasserstein critic's crude Lipschitz constraint, applied to every parameter of the critic
 * (weights and biases, as the paper's code clamps all of `netD.parameters()`) after each of
 * its steps.
 *
 * @module
 * @internal
 */
import type { View } from './view.js'

/**
 * `w ← min(max(w, −bound), bound)` for the `size` entries of `block`, in place: for a block a
 * step has just written and not yet handed out (a lent stretch, written once more before it
 * is returned). A NaN stays NaN, so a diverged step is still caught by the finiteness checks.
 *
 * @internal
 */
export const clampInPlace = (block: View, size: number, bound: number): void => {
  const w = block.data
  const end = block.off + size
  for (let i = block.off; i < end; i++) {
    const x = w[i]!
    // Stryker disable next-line EqualityOperator: E-NOOP at x = bound: writes what it holds
    if (x > bound) w[i] = bound
    // Stryker disable next-line EqualityOperator: E-NOOP at x = −bound: writes what it holds
    else if (x < -bound) w[i] = -bound
  }
}
