/**
 * The fast path of updateD/updateG runs an optimiser's flat kernel only when its checked tree
 * form would compute exactly the same (`optimizerReady`): every option given and valid, a
 * count with room, every state tree an array of `{ W, b }` matrices shaped like the
 * parameters. These properties corrupt a state (as a hand-built one could be) in each of those
 * ways, for RMSProp, momentum and plain SGD, and require the update's outcome to be the
 * checked composition's: the same thrown message, or the same bits.
 */
import { describe, expect, it } from 'vitest'
import { type GanConfig, seedConfig } from '../../src/gan/config.js'
import type { GanState } from '../../src/gan/index.js'
import { initialState, runData } from '../../src/gan/state.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, updateD, updateG } from '../../src/gan/update.js'
import { type Matrix, gatherRows } from '../../src/matrix/index.js'
import { type OptimizerSpec, type OptimizerState, stateTreeNames, treeOptimizerOf } from '../../src/optim/choice.js'
import { normalMatrix } from '../../src/random/normal.js'
import { leaves } from '../../src/tree/param-tree.js'

type Outcome = { readonly threw: string } | { readonly bits: string }

const bitsOf = (xs: ReadonlyArray<unknown>): string =>
  JSON.stringify(xs, (_, v) => (v instanceof Float64Array ? Array.from(v, (x) => (Object.is(x, -0) ? '-0' : String(x))) : v))

const outcome = (f: () => readonly [unknown, unknown]): Outcome => {
  try {
    return { bits: bitsOf(f() as unknown as unknown[]) }
  } catch (e) {
    return { threw: `${(e as Error).name}: ${(e as Error).message}` }
  }
}

/** The checked composition of D's update: the reported gradient, then the tree optimiser of the config's spec. */
const checkedD = (s: GanState, X: Matrix, Z: Matrix, spec: OptimizerSpec) => () => {
  const { loss, gradient } = discriminatorLossAndGradient(s, X, Z)
  const [d, opt] = treeOptimizerOf(spec, s.config.learningRateD, 1 / Z.rows).step(s.optimizerD, s.discriminator, gradient)
  return [loss, [d, opt]] as const
}

const checkedG = (s: GanState, Z: Matrix, spec: OptimizerSpec) => () => {
  const { loss, gradient } = generatorLossAndGradient(s, Z)
  const [g, opt] = treeOptimizerOf(spec, s.config.learningRateG, 1 / Z.rows).step(s.optimizerG, s.generator, gradient)
  return [loss, [g, opt]] as const
}

const SPECS: ReadonlyArray<OptimizerSpec> = [{ kind: 'rmsprop', rho: 0.9, epsilon: 1e-6 }, { kind: 'momentum', momentum: 0.5 }, { kind: 'sgd' }]

/** A state one update in, so that the optimiser's trees are not all zero. */
const warmState = (spec: OptimizerSpec): GanState => {
  const config: GanConfig = { ...seedConfig, optimizerD: spec, optimizerG: spec }
  const s0 = initialState(config)
  const X = gatherRows(runData(config), [0, 1, 2])
  const [Z] = normalMatrix(s0.rng, 3, 2)
  return updateG(updateD(s0, X, Z)[1], Z)[1]
}

/**
 * Ways a hand-built state can be wrong for the fast path (each with a name), in the optimiser
 * of `player` only (the other player's stays intact, so that its own check cannot hide a
 * missing one).
 */
const corruptions = (s: GanState, spec: OptimizerSpec, player: 'D' | 'G'): ReadonlyArray<readonly [string, GanState]> => {
  const names = stateTreeNames(spec.kind)
  const field = player === 'D' ? 'optimizerD' : 'optimizerG'
  const withState = (patch: (o: Record<string, unknown>) => void): GanState => {
    const o = { ...(s[field] as unknown as Record<string, unknown>) }
    patch(o)
    return { ...s, [field]: o as unknown as OptimizerState }
  }
  const withSpec = (other: unknown): GanState => ({ ...s, config: { ...s.config, [field]: other } as GanConfig })
  const layers = (o: Record<string, unknown>, name: string) => o[name] as Array<{ W: Matrix; b: Matrix }>
  const out: Array<readonly [string, GanState]> = [
    ['a count of -1', withState((o) => (o['count'] = -1))],
    ['a count of 1.5', withState((o) => (o['count'] = 1.5))],
    ['a count with no room for a step', withState((o) => (o['count'] = Number.MAX_SAFE_INTEGER))],
    ['a count with room for exactly one step', withState((o) => (o['count'] = Number.MAX_SAFE_INTEGER - 1))],
    ['a learning rate of 0', { ...s, config: { ...s.config, [player === 'D' ? 'learningRateD' : 'learningRateG']: 0 } }],
    ['an unknown option', withSpec({ ...spec, nesterov: true })],
  ]
  if (spec.kind === 'rmsprop') {
    out.push(['rho left to its default', withSpec({ kind: 'rmsprop', epsilon: spec.epsilon })], ['epsilon left to its default', withSpec({ kind: 'rmsprop', rho: spec.rho })])
    out.push(['rho out of range', withSpec({ ...spec, rho: 1.5 })])
  }
  if (spec.kind === 'momentum') out.push(['momentum left to its default', withSpec({ kind: 'momentum' })], ['momentum out of range', withSpec({ kind: 'momentum', momentum: -1 })])
  for (const name of names) {
    out.push(
      [`${name} missing`, withState((o) => delete o[name])],
      [`${name} with a layer short`, withState((o) => (o[name] = layers(o, name).slice(1)))],
      [`${name} a record, not an array`, withState((o) => (o[name] = { ...layers(o, name) }))],
      [`${name}'s layer with a third key`, withState((o) => (o[name] = layers(o, name).map((l) => ({ ...l, c: l.b }))))],
      [`${name}'s layer an array`, withState((o) => (o[name] = layers(o, name).map((l) => [l.W, l.b])))],
      [`${name}'s layer with W and b swapped`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: l.b, b: l.W }))))],
      [`${name}'s W of plain numbers`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: { rows: l.W.rows, cols: l.W.cols, data: Array.from(l.W.data) }, b: l.b }))))],
      [`${name}'s W null`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: null, b: l.b }))))],
      [`${name}'s W an array`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: [l.W], b: l.b }))))],
      [`${name}'s W a number`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: 5, b: l.b }))))],
      [`${name}'s W without rows`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: { cols: l.W.cols, data: l.W.data }, b: l.b }))))],
      [`${name}'s W a column short`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: { ...l.W, cols: l.W.cols - 1 }, b: l.b }))))],
      [`${name}'s W a row short`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: { ...l.W, rows: l.W.rows - 1 }, b: l.b }))))],
      [`${name}'s b a column short`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: l.W, b: { ...l.b, cols: l.b.cols - 1, data: (l.b.data as unknown as Float64Array).subarray(1) } }))))],
      [`${name}'s b two rows`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: l.W, b: { ...l.b, rows: 2 } }))))],
      [`${name}'s b not a matrix`, withState((o) => (o[name] = layers(o, name).map((l) => ({ W: l.W, b: 'b' }))))],
      [`${name}'s layer null`, withState((o) => (o[name] = layers(o, name).map(() => null)))],
    )
  }
  return out
}

describe('the fast update path takes only states the checked optimiser computes the same way', () => {
  for (const spec of SPECS) {
    it(`${spec.kind}: every corruption gives the checked composition's outcome (the same error, or the same bits), for D and for G`, () => {
      const s = warmState(spec)
      const X = gatherRows(runData(s.config), [3, 4])
      const [Z] = normalMatrix(s.rng, 2, 2)
      for (const [name, bad] of corruptions(s, spec, 'D')) {
        const fast = outcome(() => {
          const [loss, next] = updateD(bad, X, Z)
          return [loss, [next.discriminator, next.optimizerD]] as const
        })
        expect(fast, `${spec.kind}, D: ${name}`).toEqual(outcome(checkedD(bad, X, Z, (bad.config.optimizerD ?? spec) as OptimizerSpec)))
      }
      for (const [name, bad] of corruptions(s, spec, 'G')) {
        const fastG = outcome(() => {
          const [loss, next] = updateG(bad, Z)
          return [loss, [next.generator, next.optimizerG]] as const
        })
        expect(fastG, `${spec.kind}, G: ${name}`).toEqual(outcome(checkedG(bad, Z, (bad.config.optimizerG ?? spec) as OptimizerSpec)))
      }
    })
  }

  it('and an intact state takes the fast path: its results are views of one block (the checked step\'s are separate arrays)', () => {
    for (const spec of SPECS) {
      const s = warmState(spec)
      const trees = stateTreeNames(spec.kind).map((n) => (s.optimizerD as unknown as Record<string, unknown>)[n])
      const buffers = new Set(leaves([s.discriminator, ...trees] as never).map((m) => (m.data as unknown as Float64Array).buffer))
      expect(buffers.size, spec.kind).toBe(1)
    }
  })
})
