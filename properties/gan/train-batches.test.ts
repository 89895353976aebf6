/**
 * `trainBatches`: `trainIteration` on consecutive groups of `criticSteps` minibatches, drawing
 * from the state's PRNG, without building the intermediate states. These properties pin it to
 * that definition bit for bit (every objective, penalty, pack, dropout, critic steps, minibatch
 * sizes that vary from one to the next, large networks whose updates alternate between two
 * blocks), and check that it writes into nothing it returns or was given.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import type { GanConfig, GanState, StepLosses } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { dataWidth } from '../../src/gan/data.js'
import { initialState, runData } from '../../src/gan/state.js'
import { NonFiniteLossError, trainBatches, trainIteration } from '../../src/gan/train.js'
import { type Matrix, ShapeError, fromFlat, sliceRows, toArrays } from '../../src/matrix/index.js'
import { familyConfig, wideDiscriminatorConfig } from '../support/gan-arbitraries.js'

/** The definition: `trainIteration` on each group of `criticSteps` minibatches in turn. */
const byDefinition = (state: GanState, batches: ReadonlyArray<Matrix>): readonly [StepLosses[], GanState] => {
  const critic = state.config.criticSteps ?? 1
  const losses: StepLosses[] = []
  let s = state
  for (let k = 0; k < batches.length; k += critic) {
    const [l, next] = trainIteration(s, batches.slice(k, k + critic))
    losses.push(l)
    s = next
  }
  return [losses, s]
}

/** Minibatches cut from the config's data in order: `counts[i]` packs of rows each (wrapping round the data). */
const cut = (config: GanConfig, counts: ReadonlyArray<number>): Matrix[] => {
  const data = runData(config)
  const pack = config.pack ?? 1
  const width = dataWidth(config.data)
  let at = 0
  return counts.map((c) => {
    const rows = c * pack
    const values: number[] = []
    for (let r = 0; r < rows; r++) values.push(...toArrays(sliceRows(data, (at + r) % data.rows, (at + r) % data.rows + 1))[0]!)
    at = (at + rows) % data.rows
    return fromFlat(rows, width, values)
  })
}

const expectSame = (state: GanState, batches: ReadonlyArray<Matrix>): GanState => {
  const [losses, next] = trainBatches(state, batches)
  const [refLosses, ref] = byDefinition(state, batches)
  expect(losses.length).toBe(refLosses.length)
  losses.forEach((l, i) => {
    expect(Object.is(l.lossD, refLosses[i]!.lossD)).toBe(true)
    expect(Object.is(l.lossG, refLosses[i]!.lossG)).toBe(true)
  })
  expect(encodeState(next)).toBe(encodeState(ref))
  expect(next.step).toBe(state.step + refLosses.length)
  expect(next.epoch).toBe(state.epoch)
  return next
}

describe('trainBatches', () => {
  it('is trainIteration on each group of criticSteps minibatches, bit for bit, on every objective, penalty, pack and dropout, with minibatches of varying rows', () => {
    fc.assert(
      fc.property(familyConfig, fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 9 }), (config, counts) => {
        const s1 = expectSame(initialState(config), cut(config, counts))
        // and again from the state it returned
        expectSame(s1, cut(config, [...counts].reverse()))
      }),
    )
  })

  it('is the definition when the updates’ results are too large for one block (two alternating blocks per network; WebAssembly steps where the host runs them)', () => {
    const config = wideDiscriminatorConfig(16, 200)
    expectSame(initialState(config), cut(config, [16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 7]))
    expectSame(initialState({ ...config, criticSteps: 5 }), cut(config, [16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 3]))
  })

  it('writes into nothing it was given or returned: the state and minibatches encode the same after later calls ran from them', () => {
    fc.assert(
      fc.property(familyConfig, fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 6 }), (config, counts) => {
        const s0 = initialState(config)
        const batches = cut(config, counts)
        const before = { state: encodeState(s0), batches: batches.map((b) => Array.from(b.data)) }
        const [, s1] = trainBatches(s0, batches)
        const s1Bits = encodeState(s1)
        const [, s2] = trainBatches(s1, batches)
        trainBatches(s2, batches)
        trainBatches(s0, batches)
        expect(encodeState(s0)).toBe(before.state)
        expect(encodeState(s1)).toBe(s1Bits)
        batches.forEach((b, i) => expect(Array.from(b.data)).toEqual(before.batches[i]))
      }),
    )
  })

  it('returns the state itself and no losses for no minibatches', () => {
    const s0 = initialState(seedConfig)
    const [losses, s] = trainBatches(s0, [])
    expect(losses).toEqual([])
    expect(s).toBe(s0)
  })

  it('names the first minibatch of the wrong shape, before any update', () => {
    const s0 = initialState(seedConfig)
    const good = cut(seedConfig, [8])[0]!
    expect(() => trainBatches(s0, [good, fromFlat(8, 3, new Array(24).fill(0))])).toThrow(new ShapeError('trainBatches: minibatch 1 must be (n x 2) with n >= 1, got (8x3)'))
    const packed = { ...seedConfig, pack: 2 }
    expect(() => trainBatches(initialState(packed), [cut(packed, [1])[0]!, fromFlat(3, 2, [0, 0, 0, 0, 0, 0])])).toThrow(
      new ShapeError('trainBatches: minibatch 1 must be (n x 2) with n >= 2 a multiple of the pack 2, got (3x2)'),
    )
  })

  it('throws the definition’s error, with its state, at the first iteration that fails', () => {
    const s0 = initialState(seedConfig)
    const batches = cut(seedConfig, [8, 8, 8])
    const bad = fromFlat(8, 2, [Number.NaN, ...Array.from(batches[2]!.data).slice(1)])
    const caught = (f: () => unknown): NonFiniteLossError => {
      try {
        f()
      } catch (e) {
        if (e instanceof NonFiniteLossError) return e
        throw e
      }
      throw new Error('no error')
    }
    const got = caught(() => trainBatches(s0, [batches[0]!, batches[1]!, bad]))
    const ref = caught(() => byDefinition(s0, [batches[0]!, batches[1]!, bad]))
    expect(got.message).toBe(ref.message)
    expect(encodeState(got.lastFiniteState)).toBe(encodeState(ref.lastFiniteState))
  })
})
