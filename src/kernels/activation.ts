/**
 * The activations' kernels, forward and backward side by side: `f` entry by entry over a
 * view, and `dz = dy ⊙ f'(z)` from the saved pre-activation `z` and output `y = f(z)`.
 * Derivations: docs/gradients.md, section "Activations". The checked, immutable operations
 * (`activate`, `activationBackward`) and the activations as data are in src/nn/activation.ts.
 *
 * @module
 * @internal
 */
import { exp } from '../elementary/index.js'
import { kernels } from '../wasm/kernels.js'
import type { Activation } from '../nn/activation.js'
import type { View } from './view.js'

const unknownKind = (op: string, a: never): never => {
  throw new TypeError(`${op}: unknown activation ${JSON.stringify(a)}`)
}

/**
 * `dst[i] = f(src[i])` for `0 <= i < len`. `src` and `dst` may be the same stretch (the dense
 * kernel activates its own fresh buffer in place). One switch per call, then one loop:
 *
 * - identity: a copy (none when `src` and `dst` are the same stretch)
 * - tanh: the library's own `tanh` (src/elementary), in WebAssembly where the host runs it
 *   (src/wasm, the same bits)
 * - sigmoid: `1 / (1 + exp(-x))` for `x >= 0`, `e / (1 + e)` with `e = exp(x)` otherwise,
 *   so `exp` never overflows and small results keep their relative accuracy
 * - relu: `x < 0 ? 0 : x` (a NaN propagates), leakyRelu: `x < 0 ? alpha·x : x`
 *
 * @internal
 */
export const activateInto = (a: Activation, src: View, dst: View, len: number): void => {
  const s = src.data
  const so = src.off
  const d = dst.data
  const dOff = dst.off
  switch (a.kind) {
    case 'identity':
      // Stryker disable next-line ConditionalExpression: E-NOOP copies entries onto themselves
      if (s !== d || so !== dOff) for (let i = 0; i < len; i++) d[dOff + i] = s[so + i]!
      return
    case 'tanh':
      kernels().tanhInto(s, so, d, dOff, len)
      return
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const v = s[so + i]!
        // Stryker disable next-line EqualityOperator: E-ZERO both forms give exactly 1/2
        if (v >= 0) {
          d[dOff + i] = 1 / (1 + exp(-v))
        } else {
          const e = exp(v)
          d[dOff + i] = e / (1 + e)
        }
      }
      return
    case 'relu':
      for (let i = 0; i < len; i++) {
        const v = s[so + i]!
        d[dOff + i] = v < 0 ? 0 : v
      }
      return
    case 'leakyRelu': {
      const alpha = a.alpha
      for (let i = 0; i < len; i++) {
        const v = s[so + i]!
        d[dOff + i] = v < 0 ? alpha * v : v
      }
      return
    }
    default:
      return unknownKind('activate', a)
  }
}

/**
 * `dz[i] = dy[i] · f'(z_i)` for `0 <= i < len`, the derivative taken from whichever of the
 * pre-activation `pre` (`z`) and the output `out` (`y = f(z)`) gives it most cheaply:
 *
 * - identity: `dy` (copied; the network's pass skips the copy and uses `dy` itself)
 * - tanh: `dy · (1 - y²)`, sigmoid: `dy · (y · (1 - y))`
 * - relu: `dy` where `z > 0`, else `0`; leakyRelu: `dy` where `z > 0`, else `alpha · dy`
 *
 * @internal
 */
export const activationBackwardInto = (a: Activation, pre: View, out: View, dy: View, dz: View, len: number): void => {
  const z = pre.data
  const zo = pre.off
  const y = out.data
  const yo = out.off
  const g = dy.data
  const go = dy.off
  const o = dz.data
  const oo = dz.off
  switch (a.kind) {
    case 'identity':
      for (let i = 0; i < len; i++) o[oo + i] = g[go + i]!
      return
    case 'tanh':
      for (let i = 0; i < len; i++) {
        const v = y[yo + i]!
        o[oo + i] = g[go + i]! * (1 - v * v)
      }
      return
    case 'sigmoid':
      for (let i = 0; i < len; i++) {
        const v = y[yo + i]!
        o[oo + i] = g[go + i]! * (v * (1 - v))
      }
      return
    case 'relu':
      for (let i = 0; i < len; i++) o[oo + i] = z[zo + i]! > 0 ? g[go + i]! : 0
      return
    case 'leakyRelu': {
      const alpha = a.alpha
      for (let i = 0; i < len; i++) o[oo + i] = z[zo + i]! > 0 ? g[go + i]! : alpha * g[go + i]!
      return
    }
    default:
      return unknownKind('activationBackward', a)
  }
}
