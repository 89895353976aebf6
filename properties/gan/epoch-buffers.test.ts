/**
 * trainEpoch lends its steps two buffers: one workspace that every update overwrites, and
 * one block holding every step's new parameters and moments (when large, two blocks that the
 * steps alternate between). These properties
 * pin down that the lending changes no bit and that nothing a state holds is written after
 * the state is returned.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { initialState, runData } from '../../src/gan/state.js'
import { NonFiniteLossError, trainEpoch, trainStep } from '../../src/gan/train.js'
import { gatherRows } from '../../src/matrix/index.js'
import { permutation } from '../../src/random/permutation.js'
import { affineData, anyActivation, ganConfigWith, wideDiscriminatorConfig } from '../support/gan-arbitraries.js'
import { epochByStep } from '../support/epoch-by-step.js'

/** A random architecture (every activation kind) with `size` rows of data and batches of `batch`. */
const configs: fc.Arbitrary<GanConfig> = fc
  .tuple(ganConfigWith(anyActivation), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 30 }))
  .map(([config, size, batch]) => ({
    ...config,
    batchSize: Math.min(batch, size),
    data: { ...affineData(config), size },
  }))

const expectSameEpochs = (config: GanConfig, epochs: number): void => {
  const data = runData(config)
  let fast = initialState(config)
  let slow = fast
  for (let e = 0; e < epochs; e++) {
    const [report, next] = trainEpoch(fast, data)
    const ref = epochByStep(slow, data)
    expect(Object.is(report.lossD, ref.lossD)).toBe(true)
    expect(Object.is(report.lossG, ref.lossG)).toBe(true)
    expect(encodeState(next)).toBe(encodeState(ref.state))
    fast = next
    slow = ref.state
  }
}

describe('the buffers trainEpoch lends its steps', () => {
  it('change no bit: on random architectures, data sizes and batch sizes (ragged last batches included), trainEpoch equals trainStep minibatch by minibatch', () => {
    fc.assert(
      fc.property(configs, (config) => {
        expectSameEpochs(config, 2)
      }),
    )
  })

  it('change no bit when the steps’ results are too large for one block (two alternating blocks; WebAssembly steps where the host runs them)', () => {
    // D 2-64-64-1: 4 417 parameters, 13 251 results per step; 12 steps exceed the 131 072
    // entries of one epoch block, so the steps alternate between two blocks, each step writing
    // over the blocks of the step before last. D's 64 -> 64 product on 16 rows is blocked, so
    // with the WebAssembly kernels every step runs as a WebAssembly step, its blocks resident.
    const config = wideDiscriminatorConfig(8, 96)
    expectSameEpochs(config, 2)
    // and with a ragged last minibatch (100 rows: 12 of 8, then 4), another layout
    expectSameEpochs({ ...config, data: { ...affineData(config), size: 100 } }, 2)
  })

  it('never write into a returned state: a state encodes the same after later epochs ran from it and from its successors', () => {
    fc.assert(
      fc.property(configs, (config) => {
        const data = runData(config)
        const s0 = initialState(config)
        const [, s1] = trainEpoch(s0, data)
        const text1 = encodeState(s1)
        const [, s2] = trainEpoch(s1, data)
        const text2 = encodeState(s2)
        trainEpoch(s2, data)
        trainEpoch(s1, data)
        expect(encodeState(s1)).toBe(text1)
        expect(encodeState(s2)).toBe(text2)
      }),
    )
  })

  it('leave the last finite state intact: a loss that overflows mid-epoch throws with exactly the state trainStep reaches before that step', () => {
    // With learning rates near 1e307, Adam's steps (about the learning rate each) push the
    // weights past the largest double after some dozens of steps, so the failing step falls
    // inside the epoch, where the states' matrices are views of the epoch's results block.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(5e306, 1e307, 1.5e307), (seed, lr) => {
        const config: GanConfig = { ...seedConfig, seed, epochs: 1, learningRateD: lr, learningRateG: lr }
        const data = runData(config)
        const s0 = initialState(config)
        let error: unknown
        try {
          trainEpoch(s0, data)
        } catch (e) {
          error = e
        }
        fc.pre(error instanceof NonFiniteLossError)
        const e = error as NonFiniteLossError
        // the reference: the same epoch through trainStep, up to the failing step
        const [order, rng] = permutation(s0.rng, data.rows)
        let s: GanState = { ...s0, rng }
        for (let k = 1; k < e.step; k++) {
          s = trainStep(s, gatherRows(data, order.slice((k - 1) * 8, k * 8)))[1]
        }
        expect(e.lastFiniteState.step).toBe(e.step - 1)
        expect(encodeState(e.lastFiniteState)).toBe(encodeState(s))
        expect(() => trainStep(e.lastFiniteState, gatherRows(data, order.slice((e.step - 1) * 8, e.step * 8)))).toThrow(e.message)
      }),
    )
  })
})
