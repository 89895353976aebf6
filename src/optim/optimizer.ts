/**
 * The optimiser abstraction: a record of two pure functions, `init` and `step`, over
 * parameter trees (JAX's `(init, update, get_params)` and Optax's `{ init, update }`,
 * cut down to what pure-gan needs).
 *
 * **Sign convention, stated once for every optimiser in `src/optim`:** `step` returns the
 * NEW parameters, not an update to be added. Gradients are gradients of a loss to be
 * minimised, and every optimiser moves against them (`w' = w - ...`). Nothing flips a sign
 * anywhere else: there is no `applyUpdates`, no negative learning rate, no `-lr` hidden in
 * a scaling step.
 *
 * @module
 */
import { isFiniteNumber, isSafeInteger } from '../validate/numbers.js'
import * as E from '../fp/either.js'
import type { ParamTree } from '../tree/param-tree.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A pure optimiser with state `S`.
 *
 * - `init(params)` builds the state for a parameter tree (per-parameter trees inside the
 *   state, such as Adam's moments, have exactly the structure and shapes of `params`).
 * - `step(state, params, grads)` returns `[newParams, newState]`. `params` and `grads`
 *   must have one tree structure and equal leaf shapes; otherwise it throws a `ShapeError`
 *   naming the path of the first difference and both shapes, e.g.
 *   `adam.step: params vs grads: at [1].W: a (5x3) matrix and a (3x5) matrix`.
 *
 * Both are pure: they never write to their arguments, and the same arguments give
 * bit-identical results. States are plain frozen records (numbers and matrices, nothing
 * live), so they can be stored, compared and rebuilt; every state has a `count` of the
 * steps taken so far.
 *
 * Sign convention: `step` returns the new parameters (`w' = w - ...`); see the module
 * comment.
 *
 * @example
 * import { type Optimizer, type SgdState, fromArrays, sgd, toArrays } from 'pure-gan'
 * const opt: Optimizer<SgdState> = sgd({ learningRate: 0.1 })
 * const params = { w: fromArrays([[1, 2]]) }
 * const [next, state] = opt.step(opt.init(params), params, { w: fromArrays([[10, -10]]) })
 * toArrays(next.w) // [[0, 3]]
 * state.count // 1
 *
 * @category model
 * @since 0.1.0
 */
export interface Optimizer<S> {
  readonly init: (params: ParamTree) => S
  readonly step: <P extends ParamTree>(state: S, params: P, grads: P) => readonly [P, S]
}

// -------------------------------------------------------------------------------------
// internal: option validation shared by the optimisers
// -------------------------------------------------------------------------------------

/**
 * One numeric option: its name, its default (absent: required, unless `optional`, when an
 * absent option stays absent for the caller to fill in), the allowed range in words, and the
 * test for it.
 *
 * @internal
 */
export interface OptionSpec {
  readonly name: string
  readonly default?: number
  readonly optional?: true
  readonly range: string
  readonly ok: (x: number) => boolean
}

/** @internal */
export const positiveFinite = (x: unknown): x is number => isFiniteNumber(x) && x > 0

/** @internal */
export const unitInterval = (x: number): boolean => x >= 0 && x < 1

const show = (v: unknown): string => {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v)
  if (typeof v === 'string') return `${JSON.stringify(v)} (a string)`
  if (v === null) return 'null'
  if (typeof v === 'object') return Array.isArray(v) ? 'an array' : 'an object'
  return `${String(v)} (a ${typeof v})`
}

/**
 * Checks an options record against `specs`: every option a number in its range, absent
 * options replaced by their defaults, required options present, no unknown keys (a typo
 * such as `beta_1` would otherwise be silently ignored). All problems are reported, joined
 * by `; `, each naming the option, the value and the allowed range, e.g.
 * `adam: beta1 must be a number in [0, 1), got 1`.
 *
 * @internal
 */
export const validateOptions = <A>(
  op: string,
  input: unknown,
  specs: ReadonlyArray<OptionSpec>,
): E.Either<string, A> => {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return E.left(`${op}: options must be a record, got ${show(input)}`)
  }
  const record = input as { readonly [key: string]: unknown }
  const errors: string[] = []
  const known = new Set(specs.map((s) => s.name))
  for (const key of Object.keys(record).sort()) {
    if (!known.has(key)) {
      errors.push(`${op}: unknown option "${key}" (known options: ${specs.map((s) => s.name).join(', ')})`)
    }
  }
  const out: { [key: string]: number } = {}
  for (const spec of specs) {
    const value = record[spec.name]
    if (value === undefined) {
      if (spec.default !== undefined) out[spec.name] = spec.default
      else if (spec.optional !== true) errors.push(`${op}: ${spec.name} is required: ${spec.range}`)
    } else if (typeof value !== 'number' || !spec.ok(value)) {
      errors.push(`${op}: ${spec.name} must be ${spec.range}, got ${show(value)}`)
    } else {
      out[spec.name] = value
    }
  }
  return errors.length > 0 ? E.left(errors.join('; ')) : E.right(Object.freeze(out) as A)
}

/**
 * The value of a validation, or a `RangeError` carrying its message: how the optimiser
 * constructors turn `validate*Options` into a throw.
 *
 * @internal
 */
export const orThrowRangeError = <A>(result: E.Either<string, A>): A => {
  if (E.isLeft(result)) throw new RangeError(result.left)
  return result.right
}

/**
 * Throws a `RangeError` unless `count` is a non-negative safe integer (a state rebuilt from
 * stored data could carry anything).
 *
 * @internal
 */
export const checkCount = (op: string, count: unknown): void => {
  if (!isSafeInteger(count) || count < 0) {
    throw new RangeError(`${op}: state.count must be a non-negative integer, got ${show(count)}`)
  }
}
