/**
 * Dropout (Srivastava et al. 2014) in its inverted form, as PyTorch's `nn.Dropout`: in
 * training each entry is kept with probability `keep` and scaled by `1/keep`, so that its
 * expectation is unchanged and evaluation is the identity. The mask comes from uniform draws
 * of the run's PRNG (the caller draws them), so a run still reproduces bit for bit:
 *
 *   mask_i = u_i < keep ? 1/keep : 0,    y_i = x_i · mask_i,    dx_i = dy_i · mask_i
 *
 * `1/keep` is computed once (`scale = 1 / keep`), then each kept entry is multiplied by it.
 *
 * @module
 * @internal
 */
import type { View } from './view.js'

/**
 * The mask of `len` entries from `len` uniforms in `[0, 1)`: `u < keep ? 1 / keep : 0`
 * (`keep` in `(0, 1]`; with `keep = 1` every entry is kept with mask 1).
 *
 * @internal
 */
export const dropoutMaskInto = (keep: number, uniforms: View, mask: View, len: number): void => {
  const scale = 1 / keep
  const u = uniforms.data
  const m = mask.data
  for (let i = 0; i < len; i++) m[mask.off + i] = u[uniforms.off + i]! < keep ? scale : 0
}

/**
 * `dst_i = src_i · mask_i` for `len` entries: the forward pass (`src = x`, `dst = y`) and the
 * backward pass (`src = dy`, `dst = dx`) alike. `dst` may be `src`'s own stretch.
 *
 * @internal
 */
export const maskedInto = (mask: View, src: View, dst: View, len: number): void => {
  const m = mask.data
  const s = src.data
  const d = dst.data
  for (let i = 0; i < len; i++) d[dst.off + i] = s[src.off + i]! * m[mask.off + i]!
}
