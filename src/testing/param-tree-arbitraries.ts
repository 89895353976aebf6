/**
 * fast-check arbitraries for parameter trees (a matrix, an array of trees or a record of
 * trees): a tree's structure and leaf shapes are drawn first, as a skeleton without values,
 * and then filled from a pool of values, so that one skeleton gives parameters and any number
 * of gradient trees of exactly their structure, and counterexamples shrink to small trees.
 *
 * @module
 */
import fc from 'fast-check'
import { fromFlat } from '../matrix/index.js'
import type { ParamTree } from '../tree/param-tree.js'
import { type ValueRange, finiteDouble } from './arbitraries.js'

/**
 * The structure and leaf shapes of a parameter tree, without values: a leaf (`rows x cols`),
 * an array of skeletons, or a record of named skeletons.
 *
 * @example
 * import { type TreeSkeleton, treeFromSkeleton } from 'pure-gan/testing'
 * const layer: TreeSkeleton = { kind: 'record', fields: [['W', { kind: 'leaf', rows: 2, cols: 3 }], ['b', { kind: 'leaf', rows: 1, cols: 3 }]] }
 * Object.keys(treeFromSkeleton(layer, [0])) // ['W', 'b']
 *
 * @category arbitraries
 * @since 0.2.0
 */
export type TreeSkeleton =
  | { readonly kind: 'leaf'; readonly rows: number; readonly cols: number }
  | { readonly kind: 'array'; readonly items: ReadonlyArray<TreeSkeleton> }
  | { readonly kind: 'record'; readonly fields: ReadonlyArray<readonly [string, TreeSkeleton]> }

/**
 * Random skeletons: nesting depth <= 3, arrays of at most 3 items, records of at most 3 of
 * the keys W, b, gamma, z, layers, leaves of 1..4 x 1..4. Empty arrays and records occur (a
 * tree with no leaves at all is a valid tree).
 *
 * @example
 * import fc from 'fast-check'
 * import { treeSkeleton } from 'pure-gan/testing'
 * fc.sample(treeSkeleton, 50).every((s) => ['leaf', 'array', 'record'].includes(s.kind)) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const treeSkeleton: fc.Arbitrary<TreeSkeleton> = fc.letrec<{ node: TreeSkeleton; leaf: TreeSkeleton; array: TreeSkeleton; record: TreeSkeleton }>(
  (tie) => ({
    node: fc.oneof({ maxDepth: 3, depthIdentifier: 'tree' }, tie('leaf'), tie('array'), tie('record')),
    leaf: fc.record({ kind: fc.constant('leaf' as const), rows: fc.integer({ min: 1, max: 4 }), cols: fc.integer({ min: 1, max: 4 }) }),
    array: fc.record({
      kind: fc.constant('array' as const),
      items: fc.array(tie('node'), { maxLength: 3, depthIdentifier: 'tree' }),
    }),
    record: fc.record({
      kind: fc.constant('record' as const),
      fields: fc.uniqueArray(fc.tuple(fc.constantFrom('W', 'b', 'gamma', 'z', 'layers'), tie('node')), {
        maxLength: 3,
        selector: ([k]) => k,
        depthIdentifier: 'tree',
      }),
    }),
  }),
).node

/**
 * The tree of `skeleton`'s structure whose entries are read from `pool` in order, cyclically:
 * the k-th entry of the tree (leaves in skeleton order, each row-major) is pool[k mod |pool|].
 * `pool` must not be empty when the skeleton has an entry.
 *
 * @example
 * import { type Matrix, toArrays } from 'pure-gan'
 * import { treeFromSkeleton } from 'pure-gan/testing'
 * const tree = treeFromSkeleton({ kind: 'array', items: [{ kind: 'leaf', rows: 2, cols: 2 }] }, [1, 2, 3])
 * toArrays((tree as ReadonlyArray<Matrix>)[0]!) // [[1, 2], [3, 1]]
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const treeFromSkeleton = (skeleton: TreeSkeleton, pool: ReadonlyArray<number>): ParamTree => {
  let next = 0
  const go = (n: TreeSkeleton): ParamTree => {
    if (n.kind === 'leaf') {
      const values: number[] = []
      for (let i = 0; i < n.rows * n.cols; i++) values.push(pool[next++ % pool.length]!)
      return fromFlat(n.rows, n.cols, values)
    }
    if (n.kind === 'array') return n.items.map(go)
    const out: { [key: string]: ParamTree } = {}
    for (const [k, c] of n.fields) out[k] = go(c)
    return out
  }
  return go(skeleton)
}

/** Records' fields in sorted key order: the order in which param-tree functions walk them. */
const sortedFields = (fields: ReadonlyArray<readonly [string, TreeSkeleton]>): Array<readonly [string, TreeSkeleton]> =>
  [...fields].sort(([a], [b]) => (a < b ? -1 : 1))

/**
 * The leaves of `skeleton` in the order param-tree functions walk them (arrays by index,
 * records by sorted key), each with the path that their `ShapeError` messages name
 * (`[1].W`, `(root)` for a lone leaf) and its shape.
 *
 * @example
 * import { skeletonLeaves } from 'pure-gan/testing'
 * const net = { kind: 'array', items: [{ kind: 'record', fields: [['W', { kind: 'leaf', rows: 2, cols: 3 }], ['b', { kind: 'leaf', rows: 1, cols: 3 }]] }] } as const
 * skeletonLeaves(net).map((leaf) => leaf.path) // ['[0].W', '[0].b']
 * skeletonLeaves({ kind: 'leaf', rows: 1, cols: 2 }) // [{ path: '(root)', rows: 1, cols: 2 }]
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const skeletonLeaves = (skeleton: TreeSkeleton): Array<{ path: string; rows: number; cols: number }> => {
  const out: Array<{ path: string; rows: number; cols: number }> = []
  const go = (n: TreeSkeleton, path: string): void => {
    if (n.kind === 'leaf') out.push({ path: path === '' ? '(root)' : path, rows: n.rows, cols: n.cols })
    else if (n.kind === 'array') n.items.forEach((c, i) => go(c, `${path}[${i}]`))
    else for (const [k, c] of sortedFields(n.fields)) go(c, path === '' ? k : `${path}.${k}`)
  }
  go(skeleton, '')
  return out
}

/**
 * `skeleton` with its `target`-th leaf (in `skeletonLeaves` order) one row taller: a tree of
 * the same structure whose leaf at that path has shape `(rows + 1) x cols`, for shape-error
 * properties.
 *
 * @example
 * import { growSkeletonLeaf, skeletonLeaves } from 'pure-gan/testing'
 * const pair = { kind: 'array', items: [{ kind: 'leaf', rows: 1, cols: 1 }, { kind: 'leaf', rows: 2, cols: 2 }] } as const
 * skeletonLeaves(growSkeletonLeaf(pair, 1)).map((leaf) => leaf.rows) // [1, 3]
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const growSkeletonLeaf = (skeleton: TreeSkeleton, target: number): TreeSkeleton => {
  const order = new Map<TreeSkeleton, number>()
  const number = (n: TreeSkeleton): void => {
    if (n.kind === 'leaf') order.set(n, order.size)
    else if (n.kind === 'array') n.items.forEach(number)
    else for (const [, c] of sortedFields(n.fields)) number(c)
  }
  number(skeleton)
  const go = (n: TreeSkeleton): TreeSkeleton => {
    if (n.kind === 'leaf') return order.get(n) === target ? { ...n, rows: n.rows + 1 } : n
    if (n.kind === 'array') return { kind: 'array', items: n.items.map(go) }
    return { kind: 'record', fields: n.fields.map(([k, c]) => [k, go(c)] as const) }
  }
  return go(skeleton)
}

/**
 * The number of values in a `treeValuePool`: 48, enough for most trees that `treeSkeleton`
 * draws to take every entry from a different value (larger trees reuse them cyclically).
 *
 * @example
 * import { TREE_POOL_SIZE } from 'pure-gan/testing'
 * TREE_POOL_SIZE // 48
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const TREE_POOL_SIZE = 48

/**
 * `TREE_POOL_SIZE` values of `finiteDouble(range)` (default [-10, 10]), to fill a skeleton with
 * (`treeFromSkeleton`).
 *
 * @example
 * import fc from 'fast-check'
 * import { TREE_POOL_SIZE, treeValuePool } from 'pure-gan/testing'
 * fc.sample(treeValuePool({ min: 0, max: 1 }), 20).every((pool) => pool.length === TREE_POOL_SIZE && pool.every((x) => x >= 0 && x <= 1)) // true
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const treeValuePool = (range: ValueRange = { min: -10, max: 10 }): fc.Arbitrary<number[]> =>
  fc.array(finiteDouble(range), { minLength: TREE_POOL_SIZE, maxLength: TREE_POOL_SIZE })

/**
 * Parameters and a sequence of gradients for them: `params` and every `grads[t]` are trees of
 * one `skeleton`'s structure and shapes, filled from independent value pools.
 *
 * @example
 * import { assertSameTree, fromArrays } from 'pure-gan'
 * import { type ParamsAndGradients, treeFromSkeleton } from 'pure-gan/testing'
 * const skeleton = { kind: 'leaf', rows: 1, cols: 2 } as const
 * const run: ParamsAndGradients = { skeleton, params: fromArrays([[1, 2]]), grads: [treeFromSkeleton(skeleton, [0.5])] }
 * assertSameTree('params vs grads', run.params, run.grads[0]!) // undefined
 *
 * @category arbitraries
 * @since 0.2.0
 */
export interface ParamsAndGradients {
  readonly skeleton: TreeSkeleton
  readonly params: ParamTree
  /** One gradient tree per optimiser step, each of `params`' structure and shapes. */
  readonly grads: ReadonlyArray<ParamTree>
}

/**
 * A random skeleton (`treeSkeleton`), parameters of its structure and 1..maxSteps gradient
 * trees of the same structure, entries in [-10, 10]: the input of an optimiser run of up to
 * `maxSteps` steps.
 *
 * @example
 * import fc from 'fast-check'
 * import { assertSameTree } from 'pure-gan'
 * import { paramsAndGradients } from 'pure-gan/testing'
 * const sameStructure = fc.property(paramsAndGradients(3), ({ params, grads }) => {
 *   grads.forEach((g) => assertSameTree('params vs grads', params, g))
 *   return grads.length >= 1 && grads.length <= 3
 * })
 * fc.assert(sameStructure) // undefined
 *
 * @category arbitraries
 * @since 0.2.0
 */
export const paramsAndGradients = (maxSteps: number): fc.Arbitrary<ParamsAndGradients> =>
  fc
    .record({ skeleton: treeSkeleton, params: treeValuePool(), grads: fc.array(treeValuePool(), { minLength: 1, maxLength: maxSteps }) })
    .map(({ skeleton, params, grads }) => ({ skeleton, params: treeFromSkeleton(skeleton, params), grads: grads.map((g) => treeFromSkeleton(skeleton, g)) }))
