/**
 * src/gan/train.ts beyond the seed-shaped runs: `NonFiniteLossError` (its name, fields and
 * text, for either network, from `trainStep` and from inside an epoch, with exactly the
 * state `trainStep` would carry), `trainEpoch`'s data check (each condition on its own), the
 * epoch of a state whose batch size is not an integer, is below 1, or whose Adam step is not
 * fast-path ready (the step-by-step path, which must equal `trainStep` minibatch by
 * minibatch, errors included), and `trainEpochs`' count check (0 allowed, no callback needed).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { initialState, runData } from '../../src/gan/state.js'
import { NonFiniteError, NonFiniteLossError, NonFiniteMeanLossError, trainEpoch, trainEpochs, trainStep } from '../../src/gan/train.js'
import { ShapeError, fromFlat, zeros } from '../../src/matrix/index.js'
import { affineData, ganConfig } from '../support/gan-arbitraries.js'
import { thrown } from '../support/thrown.js'
import { epochByStep } from '../support/epoch-by-step.js'

/**
 * A state whose discriminator's last bias is the largest double: every logit is about that,
 * so each row adds about MAX/2 to the summed loss_D, which overflows from three rows on.
 */
const withHugeD = (s: GanState): GanState => ({
  ...s,
  discriminator: s.discriminator.map((l, i) => (i === s.discriminator.length - 1 ? { W: l.W, b: fromFlat(1, 1, [Number.MAX_VALUE]) } : l)),
})

/**
 * A state whose discriminator's last bias is -MAX/2: every logit is about that, so each row
 * adds about MAX/4 to loss_D (finite for three rows; D's step, about the learning rate,
 * leaves the bias as it is) and MAX/2 to loss_G, which overflows from two rows on.
 */
const withLowD = (s: GanState): GanState => ({
  ...s,
  discriminator: s.discriminator.map((l, i) => (i === s.discriminator.length - 1 ? { W: l.W, b: fromFlat(1, 1, [-Number.MAX_VALUE / 2]) } : l)),
})

/** What `f` returns, or what it throws. */
const settle = (f: () => unknown): unknown => {
  try {
    return f()
  } catch (e) {
    return e
  }
}

describe('NonFiniteLossError', () => {
  it('names itself, the step, the epoch and the network, and carries the loss and the state', () => {
    const s = { ...initialState(seedConfig), epoch: 4 }
    for (const [network, loss] of [['discriminator', Number.NaN], ['generator', Number.NEGATIVE_INFINITY]] as const) {
      const e = new NonFiniteLossError(17, network, loss, s)
      expect(e).toBeInstanceOf(Error)
      expect(e.name).toBe('NonFiniteLossError')
      expect(e.message).toBe(`training stopped at step 17 (epoch 5): the ${network}'s loss is ${loss}`)
      expect([e.step, e.network, e.loss, e.lastFiniteState]).toEqual([17, network, loss, s])
      expect(e.lastFiniteState).toBe(s)
    }
  })

  it('trainStep: an overflowing D fails in its own update; a finite D made huge by its step fails G\'s update; both carry the state given', () => {
    const s0 = { ...initialState(seedConfig), step: 41, epoch: 2 }
    const batch = fromFlat(8, 2, Array.from({ length: 16 }, (_, i) => Math.sin(i)))
    const dBad = withHugeD(s0)
    const eD = thrown(() => trainStep(dBad, batch)) as NonFiniteLossError
    expect(eD).toBeInstanceOf(NonFiniteLossError)
    expect([eD.step, eD.network, Number.isFinite(eD.loss)]).toEqual([42, 'discriminator', false])
    expect(eD.lastFiniteState).toBe(dBad)
    expect(eD.message).toBe(`training stopped at step 42 (epoch 3): the discriminator's loss is ${eD.loss}`)
    const gBad: GanState = { ...s0, config: { ...s0.config, learningRateD: 1e308 } }
    const eG = thrown(() => trainStep(gBad, batch)) as NonFiniteLossError
    expect(eG).toBeInstanceOf(NonFiniteLossError)
    expect([eG.step, eG.network, Number.isFinite(eG.loss)]).toEqual([42, 'generator', false])
    expect(eG.lastFiniteState).toBe(gBad)
  })

  it('trainEpoch: the error trainStep throws at that step, the same state (frozen or not) included (an overflowing loss_D, an overflowing loss_G, a learning rate that makes D overflow, or not)', () => {
    fc.assert(
      fc.property(ganConfig, fc.constantFrom('discriminator', 'generator', 'learning rate'), (config, variant) => {
        const c: GanConfig = { ...config, batchSize: 3, data: { ...affineData(config), size: 12 } }
        const data = runData(c)
        const s0 = initialState(c)
        const start =
          variant === 'discriminator' ? withHugeD(s0) : variant === 'generator' ? withLowD(s0) : { ...s0, config: { ...s0.config, learningRateD: 1e308 } }
        const want = settle(() => epochByStep(start, data))
        const got = settle(() => trainEpoch(start, data))
        if (variant !== 'learning rate') {
          expect(want).toBeInstanceOf(NonFiniteLossError)
          expect((want as NonFiniteLossError).network).toBe(variant)
        }
        if (want instanceof NonFiniteError) {
          // A step's loss, or its parameters or moments (a learning rate of 1e308 overflows
          // them): the same error, with the same step, network and state.
          expect(got).toBeInstanceOf(want.constructor)
          const e = got as NonFiniteLossError
          const w = want as NonFiniteLossError
          expect([e.step, e.network, e.message]).toEqual([w.step, w.network, w.message])
          expect(Object.is(e.loss, w.loss)).toBe(true)
          expect(encodeState(e.lastFiniteState)).toBe(encodeState(want.lastFiniteState))
          expect(Object.isFrozen(e.lastFiniteState)).toBe(Object.isFrozen(want.lastFiniteState))
        } else {
          expect(want).not.toBeInstanceOf(Error)
          const ref = want as ReturnType<typeof epochByStep>
          if (!Number.isFinite(ref.lossD) || !Number.isFinite(ref.lossG)) {
            // Every step's losses finite but the epoch's mean overflowed: the run stops at the epoch's start.
            expect(got).toBeInstanceOf(NonFiniteMeanLossError)
            expect((got as NonFiniteMeanLossError).lastFiniteState).toBe(start)
            expect((got as NonFiniteMeanLossError).network).toBe(Number.isFinite(ref.lossD) ? 'generator' : 'discriminator')
          } else {
            expect(got).not.toBeInstanceOf(Error)
            const [report, next] = got as ReturnType<typeof trainEpoch>
            expect(Object.is(report.lossD, ref.lossD) && Object.is(report.lossG, ref.lossG)).toBe(true)
            expect(encodeState(next)).toBe(encodeState(ref.state))
          }
        }
      }),
    )
  })
})

describe('trainEpoch and trainEpochs: checks and the step-by-step path', () => {
  it('the data must have the data width and at least one row, each checked on its own', () => {
    const s = initialState(seedConfig)
    for (const d of [zeros(0, 2), zeros(5, 3), zeros(5, 1), zeros(0, 3)]) {
      expect(thrown(() => trainEpoch(s, d)).message).toBe(`trainEpoch: the data must be (n x 2) with n >= 1, got (${d.rows}x${d.cols})`)
    }
  })

  it('a batch size that is not an integer runs the epoch as trainStep does, minibatch by minibatch', () => {
    fc.assert(
      // Sizes 5 and 7: with 2.5 and 1.25 the last start is exactly the number of rows (5), with 1.5 and 3.25 it is not.
      fc.property(ganConfig, fc.constantFrom(2.5, 1.5, 3.25, 1.25), fc.constantFrom(5, 7), fc.nat(3), (config, batchSize, size, epoch) => {
        const c: GanConfig = { ...config, data: { ...affineData(config), size } }
        const s0: GanState = { ...initialState(c), config: { ...c, batchSize }, epoch }
        const data = runData(c)
        const [report, next] = trainEpoch(s0, data)
        const ref = epochByStep(s0, data)
        expect(Object.is(report.lossD, ref.lossD) && Object.is(report.lossG, ref.lossG)).toBe(true)
        expect([report.epoch, report.examples, next.epoch]).toEqual([epoch + 1, size, epoch + 1])
        expect(encodeState(next)).toBe(encodeState(ref.state))
      }),
    )
  })

  it('a batch size below 1 runs the epoch as trainStep does, so it fails with the ShapeError of its first empty minibatch', () => {
    fc.assert(
      // -0 and -k with k <= size: the first minibatch is order.slice(0, -k) (size - k rows,
      // empty when k = size), the next order.slice(-k, -2k), empty; trainStep refuses 0 rows.
      fc.property(ganConfig, fc.integer({ min: 2, max: 7 }), fc.nat(7), (config, size, k) => {
        const batchSize = -Math.min(k, size)
        const c: GanConfig = { ...config, batchSize: 1, data: { ...affineData(config), size } }
        const s0: GanState = { ...initialState(c), config: { ...c, batchSize } }
        const data = runData(c)
        const want = thrown(() => epochByStep(s0, data))
        expect(want).toBeInstanceOf(ShapeError)
        expect(want.message).toBe(`updateD: noise must be (n x ${c.latentDim}) with n >= 1 (latentDim ${c.latentDim}), got (0x${c.latentDim})`)
        const got = thrown(() => trainEpoch(s0, data))
        expect(got.constructor).toBe(want.constructor)
        expect(got.message).toBe(want.message)
      }),
    )
  })

  it('a state whose Adam step is not fast-path ready (an adam config that leaves epsilon to its default, a bad count) runs the epoch as trainStep does', () => {
    fc.assert(
      fc.property(ganConfig, (config) => {
        // 8 rows in batches of 4: the last start is exactly the number of rows.
        const c: GanConfig = { ...config, data: { ...affineData(config), size: 8 } }
        const s0 = initialState(c)
        const data = runData(c)
        const { beta1, beta2 } = c.adam
        const noEpsilon: GanState = { ...s0, config: { ...c, adam: { beta1, beta2 } as GanConfig['adam'] } }
        const [report, next] = trainEpoch(noEpsilon, data)
        const ref = epochByStep(noEpsilon, data)
        expect(Object.is(report.lossD, ref.lossD) && Object.is(report.lossG, ref.lossG)).toBe(true)
        expect([report.epoch, report.examples]).toEqual([1, 8])
        expect(encodeState(next)).toBe(encodeState(ref.state))
        const badCount: GanState = { ...s0, optimizerD: { ...s0.optimizerD, count: -1 } }
        const want = thrown(() => epochByStep(badCount, data))
        expect(want).toBeInstanceOf(RangeError)
        expect(thrown(() => trainEpoch(badCount, data)).message).toBe(want.message)
      }),
    )
  })

  it('trainEpochs: the number of epochs must be an integer >= 0; 0 returns the state as given; no callback is needed', () => {
    const s = initialState({ ...seedConfig, data: { ...affineData(seedConfig), size: 16 } })
    const data = runData({ ...seedConfig, data: { ...affineData(seedConfig), size: 16 } })
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e = thrown(() => trainEpochs(s, data, bad))
      expect(e).toBeInstanceOf(RangeError)
      expect(e.message).toBe(`trainEpochs: epochs must be an integer >= 0, got ${bad}`)
    }
    const none = trainEpochs(s, data, 0)
    expect(none.state).toBe(s)
    expect(none.history).toEqual([])
    const two = trainEpochs(s, data, 2)
    expect(two.history.map((h) => h.epoch)).toEqual([1, 2])
    expect(two.state.epoch).toBe(2)
  })
})
