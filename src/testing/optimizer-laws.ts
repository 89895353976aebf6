/**
 * The laws every pure-gan optimiser obeys, as fast-check properties (Optax's optimiser test
 * suite, for `{ init, step }` records over parameter trees): state structure, shapes,
 * finiteness, no mutation, shape errors, determinism, step counting and the rescale law.
 *
 * The laws use no test runner. `optimizerLaws(spec)` returns them as named properties, to run
 * one test per law (`it(law.name, () => fc.assert(law.property))` in vitest, jest or mocha);
 * `checkOptimizerLaws(spec)` runs them all with `fc.assert` and throws on the first that fails.
 * A failing law throws an `Error` (or the optimiser's own error) inside the property, so
 * fast-check shrinks it and reports the counterexample, the seed and the path to replay it.
 *
 * @module
 */
import fc from 'fast-check'
import { type Matrix, ShapeError, scale, toFlat } from '../matrix/index.js'
import type { Optimizer } from '../optim/index.js'
import { type ParamTree, assertSameTree, leaves, mapTree } from '../tree/param-tree.js'
import { bitSnapshot, sameBits } from './bit-snapshot.js'
import { growSkeletonLeaf, paramsAndGradients, skeletonLeaves, treeFromSkeleton, treeSkeleton, treeValuePool } from './param-tree-arbitraries.js'

/**
 * An optimiser under test: how to draw its options, how to build it, and where its state
 * keeps per-parameter trees.
 *
 * - `options`: an arbitrary of valid options. Options may carry pure-gan's `rescaleGrad` (every
 *   gradient is multiplied by it before anything else); the rescale law reads it, 1 when absent.
 * - `make(options)`: the optimiser. Its `init` must return a frozen state with `count` 0, and
 *   its `step` a frozen state with `count` one higher; `step` must check its arguments with
 *   `assertSameTree('<name>.step: params vs grads', params, grads)` (or throw the same
 *   `ShapeError`).
 * - `stateTrees(state)`: the trees inside a state that have the parameters' structure (Adam's
 *   `[m, v]`; `[]` for a state without any).
 * - `rescaleGradLaw`: `false` leaves the rescale law out, for an optimiser without a
 *   `rescaleGrad` option (default `true`).
 *
 * @example
 * import fc from 'fast-check'
 * import { type SgdOptions, type SgdState, sgd } from 'pure-gan'
 * import { type OptimizerUnderTest } from 'pure-gan/testing'
 * const plainSgd: OptimizerUnderTest<SgdOptions, SgdState> = {
 *   name: 'sgd',
 *   options: fc.record({ learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }) }),
 *   make: sgd,
 *   stateTrees: () => [],
 * }
 * plainSgd.make({ learningRate: 0.1 }).init([]) // { count: 0 }
 *
 * @category laws
 * @since 0.2.0
 */
export interface OptimizerUnderTest<O extends { readonly rescaleGrad?: number }, S extends { readonly count: number }> {
  /** Names the optimiser in failure messages. */
  readonly name: string
  readonly options: fc.Arbitrary<O>
  readonly make: (options: O) => Optimizer<S>
  readonly stateTrees: (state: S) => ReadonlyArray<ParamTree>
  readonly rescaleGradLaw?: boolean
}

/**
 * One law: what it states, and the fast-check property that checks it (run it with
 * `fc.assert(law.property)`).
 *
 * @example
 * import fc from 'fast-check'
 * import { sgd } from 'pure-gan'
 * import { type OptimizerLaw, optimizerLaws } from 'pure-gan/testing'
 * const options = fc.record({ learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }) })
 * const [first]: ReadonlyArray<OptimizerLaw> = optimizerLaws({ name: 'sgd', options, make: sgd, stateTrees: () => [] })
 * first!.name // 'init gives a frozen state, count 0, whose trees match the parameters'
 *
 * @category laws
 * @since 0.2.0
 */
export interface OptimizerLaw {
  readonly name: string
  readonly property: fc.IProperty<unknown>
}

/** Throws `Error(message)` unless `condition` holds: a law's assertion, for any runner. */
const holds = (condition: boolean, message: () => string): void => {
  if (!condition) throw new Error(message())
}

/** Every entry of every leaf of `t`, in `leaves` order. */
const entries = (t: ParamTree): number[] => leaves(t).flatMap(toFlat)

/**
 * Runs `optimizer` from `init(params)` over `grads`, one step per gradient tree, and returns
 * every intermediate `[params_t, state_t]`, t = 1..|grads|:
 * (params_t, state_t) = step(state_{t-1}, params_{t-1}, grads[t-1]), state_0 = init(params_0).
 *
 * @example
 * import { fromArrays, sgd, toArrays } from 'pure-gan'
 * import { runOptimizer } from 'pure-gan/testing'
 * const w = fromArrays([[1]])
 * const steps = runOptimizer(sgd({ learningRate: 0.5 }), w, [fromArrays([[1]]), fromArrays([[1]])])
 * steps.map(([p, s]) => [toArrays(p as typeof w), s.count]) // [[[[0.5]], 1], [[[0]], 2]]
 *
 * @category laws
 * @since 0.2.0
 */
export const runOptimizer = <S>(optimizer: Optimizer<S>, params: ParamTree, grads: ReadonlyArray<ParamTree>): Array<readonly [ParamTree, S]> => {
  const out: Array<readonly [ParamTree, S]> = []
  let current: readonly [ParamTree, S] = [params, optimizer.init(params)]
  for (const g of grads) {
    current = optimizer.step(current[1], current[0], g)
    out.push(current)
  }
  return out
}

/** The error `attempt` throws, or undefined when it returns. */
const thrown = (attempt: () => unknown): unknown => {
  try {
    attempt()
  } catch (e) {
    return e
  }
  return undefined
}

/**
 * The laws of an optimiser, each a named fast-check property over its options and random
 * parameter trees (`paramsAndGradients`), with (p_t, s_t) = step(s_{t-1}, p_{t-1}, g_t):
 *
 * 1. init: s_0 = init(p) is frozen, s_0.count = 0, every `stateTrees(s_0)` has p's structure.
 * 2. structure: every p_t and `stateTrees(s_t)` have p's structure; s_t is frozen; s_t.count = t.
 * 3. finiteness: finite p and g give finite p_t and state trees (up to 6 steps).
 * 4. purity: step writes to none of its arguments (bit for bit).
 * 5. shape errors: params and grads that differ in one leaf's shape throw a `ShapeError`
 *    containing `params vs grads: at <path>: a (r x c) matrix and a (r+1 x c) matrix`.
 * 6. determinism: equal arguments give bit-identical results, from one optimiser and from
 *    two made from the same options.
 * 7. rescale (unless `rescaleGradLaw: false`): options with rescaleGrad r on gradients g_t
 *    give bit-identically the run of rescaleGrad 1 on r·g_t.
 *
 * Their names are the statements above in full; failures are `Error`s naming what differs.
 *
 * @example
 * import fc from 'fast-check'
 * import { sgd } from 'pure-gan'
 * import { optimizerLaws } from 'pure-gan/testing'
 * const options = fc.record({ learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }) })
 * const laws = optimizerLaws({ name: 'sgd', options, make: sgd, stateTrees: () => [] })
 * laws.length // 7
 * laws.forEach((law) => fc.assert(law.property)) // undefined
 *
 * @category laws
 * @since 0.2.0
 */
export const optimizerLaws = <O extends { readonly rescaleGrad?: number }, S extends { readonly count: number }>(
  u: OptimizerUnderTest<O, S>,
): ReadonlyArray<OptimizerLaw> => {
  const laws: OptimizerLaw[] = [
    {
      name: 'init gives a frozen state, count 0, whose trees match the parameters',
      property: fc.property(u.options, paramsAndGradients(1), (o, { params }) => {
        const state = u.make(o).init(params)
        holds(Object.isFrozen(state), () => `${u.name}: init(params) is not frozen`)
        holds(state.count === 0, () => `${u.name}: init(params).count is ${String(state.count)}, not 0`)
        for (const t of u.stateTrees(state)) assertSameTree(`${u.name}: params vs a tree of init(params)`, params, t)
      }),
    },
    {
      name: 'step preserves the tree structure and every shape, and counts steps',
      property: fc.property(u.options, paramsAndGradients(4), (o, { params, grads }) => {
        runOptimizer(u.make(o), params, grads).forEach(([p, s], i) => {
          assertSameTree(`${u.name}: params vs the params of step ${i + 1}`, params, p)
          for (const t of u.stateTrees(s)) assertSameTree(`${u.name}: params vs a state tree of step ${i + 1}`, params, t)
          holds(s.count === i + 1, () => `${u.name}: the state of step ${i + 1} has count ${String(s.count)}`)
          holds(Object.isFrozen(s), () => `${u.name}: the state of step ${i + 1} is not frozen`)
        })
      }),
    },
    {
      name: 'everything stays finite for finite inputs',
      property: fc.property(u.options, paramsAndGradients(6), (o, { params, grads }) => {
        runOptimizer(u.make(o), params, grads).forEach(([p, s], i) => {
          const bad = [p, ...u.stateTrees(s)].flatMap(entries).find((x) => !Number.isFinite(x))
          holds(bad === undefined, () => `${u.name}: step ${i + 1} gives the non-finite value ${String(bad)}`)
        })
      }),
    },
    {
      name: 'step writes to none of params, grads and state',
      property: fc.property(u.options, paramsAndGradients(3), (o, { params, grads }) => {
        const optimizer = u.make(o)
        let state = optimizer.init(params)
        let p = params
        grads.forEach((g, i) => {
          const before = JSON.stringify(bitSnapshot([p, g, state]))
          const [p2, s2] = optimizer.step(state, p, g)
          holds(JSON.stringify(bitSnapshot([p, g, state])) === before, () => `${u.name}: step ${i + 1} wrote to its params, grads or state`)
          p = p2
          state = s2
        })
      }),
    },
    {
      name: 'params and grads of different shapes throw a ShapeError naming the path and both shapes',
      property: fc.property(
        u.options,
        treeSkeleton.filter((s) => skeletonLeaves(s).length > 0),
        fc.nat(),
        treeValuePool(),
        (o, skeleton, k, values) => {
          const paths = skeletonLeaves(skeleton)
          const target = k % paths.length
          const { path, rows, cols } = paths[target]!
          const params = treeFromSkeleton(skeleton, values)
          const grads = treeFromSkeleton(growSkeletonLeaf(skeleton, target), values)
          const optimizer = u.make(o)
          const error = thrown(() => optimizer.step(optimizer.init(params), params, grads))
          const expected = `params vs grads: at ${path}: a (${rows}x${cols}) matrix and a (${rows + 1}x${cols}) matrix`
          holds(error instanceof ShapeError, () => `${u.name}: a grads leaf at ${path} one row taller gave ${error === undefined ? 'no error' : String(error)}, not a ShapeError`)
          holds((error as ShapeError).message.includes(expected), () => `${u.name}: the ShapeError "${(error as ShapeError).message}" does not contain "${expected}"`)
        },
      ),
    },
    {
      name: 'same inputs give bit-identical outputs, from the same and from a fresh optimiser',
      property: fc.property(u.options, paramsAndGradients(4), (o, { params, grads }) => {
        holds(sameBits(runOptimizer(u.make(o), params, grads), runOptimizer(u.make(o), params, grads)), () => `${u.name}: two optimisers made from the same options give different runs`)
        const optimizer = u.make(o)
        const state = optimizer.init(params)
        const g = grads[0]!
        holds(sameBits(optimizer.step(state, params, g), optimizer.step(state, params, g)), () => `${u.name}: one step with the same arguments gives different results`)
      }),
    },
  ]
  if (u.rescaleGradLaw !== false) {
    laws.push({
      name: 'rescaleGrad r on grads g is bit-identical to rescaleGrad 1 on grads r·g (any r)',
      property: fc.property(u.options, paramsAndGradients(5), (o, { params, grads }) => {
        const r = o.rescaleGrad ?? 1
        const scaled = grads.map((g) => mapTree(g, (m: Matrix) => scale(m, r)))
        const rescaled = runOptimizer(u.make(o), params, grads)
        const prescaled = runOptimizer(u.make({ ...o, rescaleGrad: 1 }), params, scaled)
        holds(sameBits(rescaled, prescaled), () => `${u.name}: rescaleGrad ${r} differs from rescaleGrad 1 on gradients scaled by ${r}`)
      }),
    })
  }
  return laws
}

/** What a failed `fc.assert` found (the law's own error, which fast-check keeps as `cause`), then fast-check's report. */
const describeFailure = (e: unknown): string => {
  if (!(e instanceof Error)) return String(e)
  return e.cause instanceof Error ? `${e.cause.message}\n${e.message}` : e.message
}

/**
 * Runs every law of `optimizerLaws(u)` with `fc.assert(law.property, parameters)` and throws
 * on the first that fails: an `Error` whose message is
 * `<name>: optimiser law "<law>" fails: <what the law found>` followed by fast-check's report
 * (counterexample, seed and path to replay it), with fast-check's error as its `cause`.
 * Returns nothing when every law holds.
 *
 * @example
 * import fc from 'fast-check'
 * import { type SgdOptions, type SgdState, sgd } from 'pure-gan'
 * import { checkOptimizerLaws } from 'pure-gan/testing'
 * const options = fc.record({ learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }), rescaleGrad: fc.double({ min: 0.5, max: 2, noNaN: true }) })
 * checkOptimizerLaws<SgdOptions, SgdState>({ name: 'sgd', options, make: sgd, stateTrees: () => [] }, { numRuns: 20 }) // undefined
 *
 * @category laws
 * @since 0.2.0
 */
export const checkOptimizerLaws = <O extends { readonly rescaleGrad?: number }, S extends { readonly count: number }>(
  u: OptimizerUnderTest<O, S>,
  parameters?: fc.Parameters<unknown>,
): void => {
  for (const law of optimizerLaws(u)) {
    try {
      fc.assert(law.property, parameters)
    } catch (e) {
      throw new Error(`${u.name}: optimiser law "${law.name}" fails: ${describeFailure(e)}`, { cause: e })
    }
  }
}
