/**
 * The step of a {@link FlatOptimizer} on one leaf of a parameter tree, and the one-slot tree
 * optimisers built on it (RMSProp, SGD with momentum): how the tree forms in this folder call
 * the same kernel the GAN's steps call on whole networks, so that each computation has one
 * implementation.
 *
 * @module
 * @internal
 */
import { type Matrix, dataOf, unsafeFromFloat64Array, zeros } from '../matrix/matrix.js'
import { type ParamTree, assertSameTree, mapTree, zipTrees } from '../tree/param-tree.js'
import type { FlatOptimizer } from '../kernels/adam.js'
import { viewOf } from '../kernels/view.js'
import { type Optimizer, checkCount } from './optimizer.js'

/**
 * One step of `flat` on a leaf: `w` and its `slots` (`flat.slotsPerParameter` matrices of
 * `w`'s shape) copied into one fresh `[w | slot_1 | ... | slot_k]` block, `flat.stepInto`
 * into a second fresh block, whose parts become the new matrices (views of that block, which
 * nothing else holds). Returns `[w', [slot_1', ..., slot_k']]`.
 *
 * @internal
 */
export const flatLeafStep = <H>(
  flat: FlatOptimizer<H>,
  hyper: H,
  count: number,
  w: Matrix,
  grad: Matrix,
  slots: ReadonlyArray<Matrix>,
): readonly [Matrix, ReadonlyArray<Matrix>] => {
  const n = dataOf(w).length
  const k = slots.length
  const from = new Float64Array((k + 1) * n)
  from.set(dataOf(w))
  slots.forEach((m, j) => from.set(dataOf(m), (j + 1) * n))
  const to = new Float64Array((k + 1) * n)
  flat.stepInto(hyper, { count, size: n }, viewOf(dataOf(grad)), viewOf(from), viewOf(to))
  // Stryker disable next-line ArithmeticOperator: E-NOOP one slot (j = 0): −n counts from the end
  const next = slots.map((m, j) => unsafeFromFloat64Array(m.rows, m.cols, to.subarray((j + 1) * n, (j + 2) * n)))
  return [unsafeFromFloat64Array(w.rows, w.cols, to.subarray(0, n)), next]
}

/**
 * The tree optimiser of a flat optimiser with one state slot per parameter (`{ count, [key]:
 * tree }`, the tree zero after `init`, shaped like the parameters): `step` checks the count
 * and that params and grads share one structure (`<name>.step: params vs grads`), then steps
 * every leaf with {@link flatLeafStep} (`<name>.step: params vs state (<key>)` when the state's
 * tree differs), and returns the new parameters and `{ count: count + 1, [key]: tree' }`, both
 * frozen.
 *
 * @internal
 */
export const oneSlotOptimizer = <H, K extends string>(
  flat: FlatOptimizer<H>,
  hyper: H,
  key: K,
): Optimizer<{ readonly count: number } & { readonly [k in K]: ParamTree }> => {
  type S = { readonly count: number } & { readonly [k in K]: ParamTree }
  const name = flat.name
  const init = (params: ParamTree): S => Object.freeze({ count: 0, [key]: mapTree(params, (p) => zeros(p.rows, p.cols)) }) as S
  const step = <P extends ParamTree>(state: S, params: P, grads: P): readonly [P, S] => {
    checkCount(`${name}.step`, state.count)
    assertSameTree(`${name}.step: params vs grads`, params, grads)
    const slots: Matrix[] = []
    // zipTrees visits leaves in `leaves` order (arrays by index, records by sorted key), and
    // mapTree below puts `slots` back in that same order.
    const next = zipTrees(`${name}.step: params vs state (${key})`, [params, grads, state[key]], (ls) => {
      const [w, [slot]] = flatLeafStep(flat, hyper, state.count, ls[0]!, ls[1]!, [ls[2]!])
      slots.push(slot!)
      return w
    })
    let i = 0
    const tree = mapTree(state[key], () => slots[i++]!)
    const newState = Object.freeze({ count: state.count + 1, [key]: tree }) as S
    return Object.freeze([next, newState] as const)
  }
  return Object.freeze({ init, step })
}
