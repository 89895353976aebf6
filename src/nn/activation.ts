/**
 * Activation functions as plain JSON data, with their forward and backward passes side by
 * side. The derivations are in docs/gradients.md, section "Activations".
 *
 * An activation is applied entry by entry: `y = f(x)` where `x` is the pre-activation.
 * Each pass switches once on `kind` and then runs a dedicated loop over a freshly allocated
 * result; nothing writes to its inputs.
 *
 * @module
 */
import { isFiniteNumber } from '../validate/numbers.js'
import { type Matrix, type Shape, ShapeError, dataOf, sameShape, shapeOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import { activateInto, activationBackwardInto } from '../kernels/activation.js'
import { viewOf } from '../kernels/view.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * An activation function as plain data: a network spec holding it survives
 * `JSON.parse(JSON.stringify(spec))` unchanged.
 *
 * - `identity`: `f(x) = x`
 * - `tanh`: `f(x) = tanh(x)`
 * - `sigmoid`: `f(x) = 1 / (1 + exp(-x))`, computed without overflow for any finite `x`
 * - `relu`: `f(x) = max(x, 0)`; its derivative at exactly `x = 0` is taken to be `0`
 * - `leakyRelu`: `f(x) = x` for `x >= 0`, `alpha·x` for `x < 0`; derivative `1` for
 *   `x > 0` and `alpha` for `x <= 0` (so `relu` is `leakyRelu` with `alpha = 0`, also at 0)
 *
 * @example
 * import { type Activation } from 'pure-gan'
 * const a: Activation = { kind: 'leakyRelu', alpha: 0.2 }
 *
 * @category model
 * @since 0.1.0
 */
export type Activation =
  | { readonly kind: 'identity' }
  | { readonly kind: 'tanh' }
  | { readonly kind: 'sigmoid' }
  | { readonly kind: 'relu' }
  | { readonly kind: 'leakyRelu'; readonly alpha: number }

/**
 * The tag of an activation: `'identity' | 'tanh' | 'sigmoid' | 'relu' | 'leakyRelu'`.
 *
 * @category model
 * @since 0.1.0
 */
export type ActivationKind = Activation['kind']

// -------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------

/**
 * `f(x) = x`. Named `identity` in this module; the package root exports it only as
 * `Activation.identity`, because `identity` there is the identity matrix.
 *
 * @category constructors
 * @since 0.1.0
 */
export const identity: { readonly kind: 'identity' } = Object.freeze({ kind: 'identity' })

/**
 * `f(x) = tanh(x)`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const tanh: { readonly kind: 'tanh' } = Object.freeze({ kind: 'tanh' })

/**
 * `f(x) = 1 / (1 + exp(-x))`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const sigmoid: { readonly kind: 'sigmoid' } = Object.freeze({ kind: 'sigmoid' })

/**
 * `f(x) = max(x, 0)`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const relu: { readonly kind: 'relu' } = Object.freeze({ kind: 'relu' })

/**
 * `f(x) = x` for `x >= 0` and `alpha·x` for `x < 0`. `alpha` must be finite.
 *
 * @example
 * import { leakyRelu } from 'pure-gan'
 * leakyRelu(0.2) // { kind: 'leakyRelu', alpha: 0.2 }
 *
 * @category constructors
 * @since 0.1.0
 */
export const leakyRelu = (alpha = 0.01): { readonly kind: 'leakyRelu'; readonly alpha: number } => {
  if (!isFiniteNumber(alpha)) {
    throw new RangeError(`leakyRelu: alpha must be a finite number, got ${String(alpha)}`)
  }
  return Object.freeze({ kind: 'leakyRelu', alpha })
}

/**
 * All constructors in one record, the way to name activations from the package root:
 * `Activation.tanh`, `Activation.leakyRelu(0.2)`, ...
 *
 * @example
 * import { Activation } from 'pure-gan'
 * const layers = [{ units: 5, activation: Activation.tanh }, { units: 1, activation: Activation.identity }]
 *
 * @category constructors
 * @since 0.1.0
 */
export const Activation = Object.freeze({ identity, tanh, sigmoid, relu, leakyRelu })

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

/**
 * Every activation kind, in the order error messages list them: the one list the spec
 * checks and the config validation read.
 *
 * @internal
 */
export const ACTIVATION_KINDS = ['identity', 'tanh', 'sigmoid', 'relu', 'leakyRelu'] as const satisfies ReadonlyArray<ActivationKind>

/**
 * True when `kind` names an activation (one of {@link ACTIVATION_KINDS}).
 *
 * @internal
 */
export const isActivationKind = (kind: unknown): kind is ActivationKind => (ACTIVATION_KINDS as ReadonlyArray<unknown>).includes(kind)

/**
 * Throws a `TypeError` (unknown kind) or `RangeError` (non-finite `alpha`) naming `op` and
 * `where` when `a` is not a valid activation: a spec may come from untyped JSON.
 *
 * @category utils
 * @since 0.1.0
 */
export const assertActivation = (op: string, where: string, a: unknown): void => {
  const kind = typeof a === 'object' && a !== null ? (a as { kind?: unknown }).kind : undefined
  if (!isActivationKind(kind)) {
    throw new TypeError(`${op}: ${where} is not an activation (kind must be one of ${ACTIVATION_KINDS.join(', ')}), got ${JSON.stringify(a)}`)
  }
  if (kind === 'leakyRelu') {
    const alpha = (a as { alpha?: unknown }).alpha
    if (!isFiniteNumber(alpha)) {
      throw new RangeError(`${op}: ${where} is a leakyRelu whose alpha must be a finite number, got ${String(alpha)}`)
    }
  }
}


// -------------------------------------------------------------------------------------
// forward and backward
// -------------------------------------------------------------------------------------

/**
 * `f(x)` entry by entry. The identity returns `x` itself (matrices are values, so sharing
 * is safe); every other activation allocates its result.
 *
 * @example
 * import { Activation, activate, fromArrays, toArrays } from 'pure-gan'
 * toArrays(activate(Activation.relu, fromArrays([[-1, 2]]))) // [[0, 2]]
 *
 * @category operations
 * @since 0.1.0
 */
export const activate = (a: Activation, x: Matrix): Matrix => {
  if (a.kind === 'identity') return x
  const xd = dataOf(x)
  const out = new Float64Array(xd.length)
  activateInto(a, viewOf(xd), viewOf(out), xd.length)
  return unsafeFromFloat64Array(x.rows, x.cols, out)
}

/**
 * Throws `activationBackward`'s `ShapeError` unless `x`, `y` and `dy` have one shape.
 *
 * @internal
 */
export const checkActivationBackwardShapes = (x: Shape, y: Shape, dy: Shape): void => {
  if (!sameShape(x, y) || !sameShape(x, dy)) {
    throw new ShapeError(`activationBackward: x ${shapeOf(x)}, y ${shapeOf(y)} and dy ${shapeOf(dy)} must have one shape`)
  }
}

/**
 * `dL/dx = dL/dy ⊙ f'(x)` entry by entry, given the pre-activation `x`, the saved output
 * `y = f(x)` and `dy = dL/dy`, all of one shape. The derivative is taken from whichever of
 * `x` and `y` gives it most cheaply:
 *
 * - identity: `dy` (returned as is)
 * - tanh: `dy · (1 - y²)`
 * - sigmoid: `dy · (y · (1 - y))`
 * - relu: `dy` where `x > 0`, else `0` (so `0` at exactly `x = 0`)
 * - leakyRelu: `dy` where `x > 0`, else `alpha · dy` (so `alpha` at exactly `x = 0`)
 *
 * @example
 * import { Activation, activate, activationBackward, fromArrays, toArrays } from 'pure-gan'
 * const x = fromArrays([[0]])
 * const y = activate(Activation.sigmoid, x)
 * toArrays(activationBackward(Activation.sigmoid, x, y, fromArrays([[1]]))) // [[0.25]]
 *
 * @category operations
 * @since 0.1.0
 */
export const activationBackward = (a: Activation, x: Matrix, y: Matrix, dy: Matrix): Matrix => {
  checkActivationBackwardShapes(x, y, dy)
  if (a.kind === 'identity') return dy
  const out = new Float64Array(dy.rows * dy.cols)
  activationBackwardInto(a, viewOf(dataOf(x)), viewOf(dataOf(y)), viewOf(dataOf(dy)), viewOf(out), out.length)
  return unsafeFromFloat64Array(dy.rows, dy.cols, out)
}
