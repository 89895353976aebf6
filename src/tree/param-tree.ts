/**
 * Parameter trees: the shape shared by a model's parameters, its gradients and an
 * optimiser's per-parameter state (Optax's pytrees, without the registry).
 *
 * A tree is a matrix, an array of trees, or a record of trees. Records are walked in
 * sorted key order, so that nothing depends on the order in which keys were inserted.
 *
 * @module
 */
import { type Matrix, ShapeError, sameShape, shapeOf } from '../matrix/matrix.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A matrix, an array of trees, or a record of trees.
 *
 * @example
 * import { type ParamTree, zeros } from 'pure-gan'
 * const params: ParamTree = [{ W: zeros(2, 5), b: zeros(1, 5) }, { W: zeros(5, 1), b: zeros(1, 1) }]
 *
 * @category model
 * @since 0.1.0
 */
export type ParamTree = Matrix | ReadonlyArray<ParamTree> | { readonly [key: string]: ParamTree }

// Among ParamTrees only a matrix has a `data` that is a Float64Array (an array has no `data`,
// a record's values are trees), so that test alone decides.
const isMatrix = (t: ParamTree): t is Matrix => (t as Matrix).data instanceof Float64Array

const describe = (t: ParamTree): string =>
  isMatrix(t) ? `a ${shapeOf(t)} matrix` : Array.isArray(t) ? `an array of ${t.length}` : 'a record'

const sortedKeys = (t: { readonly [key: string]: ParamTree }): string[] => Object.keys(t).sort()

// -------------------------------------------------------------------------------------
// combinators
// -------------------------------------------------------------------------------------

/**
 * The leaves of a tree in a fixed order: depth first, arrays by index, records by sorted key.
 *
 * @example
 * import { leaves, zeros } from 'pure-gan'
 * leaves({ b: zeros(1, 1), a: zeros(2, 2) }).map((m) => m.rows) // [2, 1]
 *
 * @category combinators
 * @since 0.1.0
 */
export const leaves = (tree: ParamTree): Matrix[] => {
  const out: Matrix[] = []
  const walk = (t: ParamTree): void => {
    if (isMatrix(t)) out.push(t)
    else if (Array.isArray(t)) for (const c of t as ReadonlyArray<ParamTree>) walk(c)
    else {
      const r = t as { readonly [key: string]: ParamTree }
      for (const k of sortedKeys(r)) walk(r[k] as ParamTree)
    }
  }
  walk(tree)
  return out
}

/**
 * Maps `f` over corresponding leaves of several trees of one structure and builds a tree of
 * the same structure from the results. The trees must agree in structure and in every
 * leaf's shape; otherwise a `ShapeError` names the path of the first difference, e.g.
 * `zipTrees: at [1].W: (5x3) and (3x5)`.
 *
 * @example
 * import { add, fromArrays, zipTrees } from 'pure-gan'
 * const sum = zipTrees('add', [{ w: fromArrays([[1]]) }, { w: fromArrays([[2]]) }], ([a, b]) => add(a!, b!))
 *
 * @category combinators
 * @since 0.1.0
 */
export const zipTrees = <T extends ParamTree>(
  op: string,
  trees: readonly [T, ...ParamTree[]],
  f: (leaves: ReadonlyArray<Matrix>) => Matrix,
): T => {
  const go = (ts: ReadonlyArray<ParamTree>, path: string): ParamTree => {
    const first = ts[0] as ParamTree
    if (isMatrix(first)) {
      for (const t of ts) {
        if (!isMatrix(t) || !sameShape(first, t)) {
          throw new ShapeError(`${op}: at ${path || '(root)'}: ${describe(first)} and ${describe(t)}`)
        }
      }
      return f(ts as ReadonlyArray<Matrix>)
    }
    if (Array.isArray(first)) {
      const n = first.length
      for (const t of ts) {
        if (!Array.isArray(t) || t.length !== n) {
          throw new ShapeError(`${op}: at ${path || '(root)'}: ${describe(first)} and ${describe(t)}`)
        }
      }
      const out: ParamTree[] = []
      for (let i = 0; i < n; i++) {
        out.push(go(ts.map((t) => (t as ReadonlyArray<ParamTree>)[i] as ParamTree), `${path}[${i}]`))
      }
      return Object.freeze(out)
    }
    const keys = sortedKeys(first as { readonly [key: string]: ParamTree })
    for (const t of ts) {
      const tk = isMatrix(t) || Array.isArray(t) ? null : sortedKeys(t as { readonly [key: string]: ParamTree })
      if (tk === null || tk.length !== keys.length || tk.some((k, i) => k !== keys[i])) {
        const got = tk === null ? describe(t) : `a record with keys {${tk.join(', ')}}`
        throw new ShapeError(`${op}: at ${path || '(root)'}: a record with keys {${keys.join(', ')}} and ${got}`)
      }
    }
    const out: { [key: string]: ParamTree } = {}
    for (const k of keys) {
      out[k] = go(
        ts.map((t) => (t as { readonly [key: string]: ParamTree })[k] as ParamTree),
        path === '' ? k : `${path}.${k}`,
      )
    }
    return Object.freeze(out)
  }
  return go(trees, '') as T
}

/**
 * Maps `f` over every leaf of one tree.
 *
 * @example
 * import { mapTree, scale, zeros } from 'pure-gan'
 * const halved = mapTree([zeros(1, 2)], (m) => scale(m, 0.5))
 *
 * @category combinators
 * @since 0.1.0
 */
export const mapTree = <T extends ParamTree>(tree: T, f: (m: Matrix) => Matrix): T =>
  // Stryker disable next-line StringLiteral: E-NOOP name never shown
  zipTrees('mapTree', [tree], (ls) => f(ls[0] as Matrix))

/**
 * Throws a `ShapeError` naming the first path where `a` and `b` differ in structure or
 * in a leaf's shape; returns nothing when they agree.
 *
 * @category combinators
 * @since 0.1.0
 */
export const assertSameTree = (op: string, a: ParamTree, b: ParamTree): void => {
  // Stryker disable next-line ArrowFunction: E-NOOP tree discarded
  zipTrees(op, [a, b], (ls) => ls[0] as Matrix)
}
