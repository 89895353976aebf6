/**
 * Hostile numbers in training and evaluation: a non-finite value anywhere in what a run
 * reports (the per-epoch means, the summary, the snapshots) or stores (parameters, Adam's
 * moments) stops the run with a `NonFiniteError` that keeps the last finite state, whatever
 * the learning rates, initial weights or data. Each example below returned a non-finite
 * value silently before the guards (src/gan/non-finite.ts) existed.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { seedConfig } from '../../src/gan/config.js'
import { summarizeGenerator } from '../../src/gan/evaluate.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import {
  NonFiniteError,
  NonFiniteLossError,
  NonFiniteMeanLossError,
  NonFiniteParametersError,
  NonFiniteSamplesError,
  trainEpoch,
  trainEpochs,
  trainStep,
} from '../../src/gan/train.js'
import { initialState, runData } from '../../src/gan/state.js'
import { firstNonFinite, fromFlat } from '../../src/index.js'
import { symmetricEigen } from '../../src/metrics/gaussian.js'
import { snapshotOf } from '../../src/report/make-record.js'
import { ganConfigWith, anyActivation } from '../support/gan-arbitraries.js'
import { allFinite } from '../support/finite-state.js'
import { thrown } from '../support/thrown.js'


/** `s` with the discriminator's last bias set to `value` (its logit is then about `value`). */
const withLastDBias = (s: GanState, value: number): GanState => ({
  ...s,
  discriminator: s.discriminator.map((l, i) => (i === s.discriminator.length - 1 ? { W: l.W, b: fromFlat(1, 1, [value]) } : l)),
})

/** `s` (of the seed's linear G) with every generator weight set to `w`. */
const withGWeights = (s: GanState, w: number): GanState => ({
  ...s,
  generator: s.generator.map((l) => ({ W: fromFlat(l.W.rows, l.W.cols, Array.from(l.W.data, () => w)), b: l.b })),
})

const tiny = (size: number, batchSize: number): GanConfig => ({ ...seedConfig, data: { ...seedConfig.data, size }, batchSize })

describe('the epoch mean', () => {
  /** The epoch from a state whose D's last bias is `bias`, on `size` one-row steps: the error it throws. */
  const overflowingEpoch = (size: number, bias: number): NonFiniteMeanLossError => {
    const config = tiny(size, 1)
    const start = withLastDBias(initialState(config), bias)
    const e = thrown(() => trainEpoch(start, runData(config)))
    expect(e).toBeInstanceOf(NonFiniteMeanLossError)
    expect((e as NonFiniteMeanLossError).lastFiniteState).toBe(start)
    return e as NonFiniteMeanLossError
  }

  it('a sum of finite step losses that overflows stops the run (NonFiniteMeanLossError) with the epoch’s starting state', () => {
    // G's loss per step is about MAX/2 (D's logit is -MAX/2, label 1): finite for each of
    // the three one-row steps, but their sum overflows. D's per-step loss is MAX/4 (sum 0.75 MAX).
    const m = overflowingEpoch(3, -Number.MAX_VALUE / 2)
    expect([m.network, m.epoch, m.loss]).toEqual(['generator', 1, Infinity])
    expect(m.message).toBe("training stopped in epoch 1: the generator's mean loss over the epoch is Infinity (each step's loss was finite; their sum overflowed)")
  })

  it('and the discriminator’s, when its sum alone overflows (D checked first), by either kernel backend', () => {
    // D's last bias +MAX/2: each fake row's D loss is about MAX/4, five one-row steps sum past
    // MAX; G's loss (label 1 on a huge positive logit) is about 0.
    const m = overflowingEpoch(5, Number.MAX_VALUE / 2)
    expect([m.network, m.epoch, m.loss]).toEqual(['discriminator', 1, Infinity])
    expect(m.message).toBe("training stopped in epoch 1: the discriminator's mean loss over the epoch is Infinity (each step's loss was finite; their sum overflowed)")
  })
})

describe('parameters and moments', () => {
  it('an infinite entry in the real batch (finite loss, NaN weights) stops the step (NonFiniteParametersError, parameters)', () => {
    const state = initialState(seedConfig)
    const batch = fromFlat(2, 2, [1, 2, Infinity, 0])
    const e = thrown(() => trainStep(state, batch))
    expect(e).toBeInstanceOf(NonFiniteParametersError)
    const p = e as NonFiniteParametersError
    expect([p.step, p.network, p.what]).toEqual([1, 'discriminator', 'parameters'])
    expect(p.lastFiniteState).toBe(state)
    expect(p.message).toBe("training stopped at step 1 (epoch 1): the discriminator's update made its parameters non-finite")
  })

  it('G’s gradient whose square overflows (through a D of weights 1e160) stops the step naming the generator (moments)', () => {
    // D is one affine logit with weights 1e160: its losses (about 1e160 a row) and its own
    // gradient (rows of U times at most 1/2) stay finite, but dL/dG(Z) is about 1e160, so G's
    // gradient squared overflows Adam's v while G's weights stay finite.
    const config: GanConfig = { ...seedConfig, discriminator: { layers: [{ units: 1, activation: { kind: 'identity' } }] } }
    const s = initialState(config)
    const state: GanState = { ...s, discriminator: s.discriminator.map((l) => ({ W: fromFlat(l.W.rows, l.W.cols, Array.from(l.W.data, () => 1e160)), b: l.b })) }
    const e = thrown(() => trainStep(state, fromFlat(2, 2, [1, 2, 3, 4])))
    expect(e).toBeInstanceOf(NonFiniteParametersError)
    const p = e as NonFiniteParametersError
    expect([p.step, p.network, p.what]).toEqual([1, 'generator', 'moments'])
    expect(p.message).toBe("training stopped at step 1 (epoch 1): the generator's update made its Adam moments (m, v) non-finite")
  })

  it('a gradient whose square overflows (v = Infinity, weights finite) stops the step (moments)', () => {
    // D is one affine logit: a row of ±1e200 gives a logit of about ±1e198; the one that D
    // calls fake gives a gradient of about 5e199 with respect to W, whose square overflows
    // Adam's v, while the step u = m / (sqrt(v) + eps) = 0 leaves W finite.
    const config: GanConfig = { ...seedConfig, discriminator: { layers: [{ units: 1, activation: { kind: 'identity' } }] } }
    const state = initialState(config)
    const e = thrown(() => trainStep(state, fromFlat(2, 2, [1e200, 1e200, -1e200, -1e200])))
    expect(e).toBeInstanceOf(NonFiniteParametersError)
    expect([(e as NonFiniteParametersError).network, (e as NonFiniteParametersError).what]).toEqual(['discriminator', 'moments'])
  })

  it('trainStep and trainEpoch refuse a state whose parameters or moments are not all finite (it could not be a last finite state)', () => {
    const s = initialState(seedConfig)
    const infD = withLastDBias(s, Infinity)
    const nanV: GanState = { ...s, optimizerG: { ...s.optimizerG, v: s.generator.map((l) => ({ W: l.W, b: fromFlat(1, 2, [0, NaN]) })) } }
    const data = runData(seedConfig)
    for (const [state, text] of [
      [infD, "the state's discriminator parameters must be finite, but one is NaN or infinite"],
      [nanV, "the state's generator Adam moments (m, v) must be finite, but one is NaN or infinite"],
    ] as const) {
      const e = thrown(() => trainEpoch(state, data))
      expect([e.constructor, e.message]).toEqual([RangeError, `trainEpoch: ${text}`])
      const f = thrown(() => trainStep(state, fromFlat(1, 2, [0, 0])))
      expect([f.constructor, f.message]).toEqual([RangeError, `trainStep: ${text}`])
    }
  })

  it('trainEpoch refuses data with a NaN or infinite entry, naming where it is (the first entry too)', () => {
    const state = initialState(tiny(4, 2))
    const data = fromFlat(4, 2, [0, 1, 2, 3, 4, 5, NaN, 7])
    const e = thrown(() => trainEpoch(state, data))
    expect(e).toBeInstanceOf(RangeError)
    expect(e.message).toBe('trainEpoch: the data must be finite, but row 3, column 0 is NaN')
    const first = thrown(() => trainEpoch(state, fromFlat(4, 2, [-Infinity, 1, 2, 3, 4, 5, 6, 7])))
    expect([first.constructor, first.message]).toEqual([RangeError, 'trainEpoch: the data must be finite, but row 0, column 0 is -Infinity'])
  })
})

describe('any learning rates, weights and data scale', () => {
  const hostile = fc.record({
    config: ganConfigWith(anyActivation),
    lrD: fc.oneof(fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.double({ min: 1e250, max: Number.MAX_VALUE, noNaN: true })),
    lrG: fc.oneof(fc.double({ min: 1e-3, max: 1, noNaN: true }), fc.double({ min: 1e250, max: Number.MAX_VALUE, noNaN: true })),
    dBias: fc.oneof(fc.constant(0), fc.double({ min: -Number.MAX_VALUE, max: Number.MAX_VALUE, noNaN: true })),
    dataScale: fc.oneof(fc.constant(1), fc.double({ min: 1e100, max: 1e300, noNaN: true })),
    batchSize: fc.integer({ min: 1, max: 12 }),
    epochs: fc.integer({ min: 1, max: 3 }),
  })

  it('every reported mean and every stored float is finite, or the run stops with a NonFiniteError whose state is all finite', () => {
    fc.assert(
      fc.property(hostile, (h) => {
        const config: GanConfig = { ...h.config, learningRateD: h.lrD, learningRateG: h.lrG, batchSize: h.batchSize }
        const start = withLastDBias(initialState(config), h.dBias)
        const real = runData(config)
        const data = fromFlat(real.rows, real.cols, Array.from(real.data, (x) => x * h.dataScale))
        fc.pre(firstNonFinite(data) < 0)
        const seen: GanState[] = []
        try {
          const { state, history } = trainEpochs(start, data, h.epochs, (_, s) => seen.push(s))
          for (const r of history) expect(Number.isFinite(r.lossD) && Number.isFinite(r.lossG)).toBe(true)
          expect(allFinite(state)).toBe(true)
        } catch (e) {
          expect(e).toBeInstanceOf(NonFiniteError)
          const last = (e as NonFiniteError).lastFiniteState
          expect(allFinite(last)).toBe(true)
          // The state kept is the start of the failing step or epoch: never behind the last epoch reached.
          expect(last.epoch).toBe(seen.length)
          if (e instanceof NonFiniteLossError || e instanceof NonFiniteParametersError) expect(e.step).toBe(last.step + 1)
        }
        for (const s of seen) expect(allFinite(s)).toBe(true)
      }),
    )
  })
})

describe('samples and their statistics', () => {
  it('a generator with finite but huge weights gives a NonFiniteSamplesError from summarizeGenerator and snapshotOf, naming the point', () => {
    const state = withGWeights(initialState(seedConfig), 1e308)
    expect(allFinite(state)).toBe(true)
    const e = thrown(() => summarizeGenerator(state))
    expect(e).toBeInstanceOf(NonFiniteSamplesError)
    expect(e.message).toMatch(/^evaluating the generator after epoch 0 met a non-finite value: point \d+, coordinate [01] is -?Infinity$/)
    expect((e as NonFiniteSamplesError).lastFiniteState).toBe(state)
    expect(thrown(() => snapshotOf(state))).toBeInstanceOf(NonFiniteSamplesError)
  })

  it('finite samples whose covariance overflows give a NonFiniteSamplesError, not a symmetry complaint', () => {
    const state = withGWeights(initialState(seedConfig), 1e200)
    const e = thrown(() => summarizeGenerator(state))
    expect(e).toBeInstanceOf(NonFiniteSamplesError)
    expect(e.message).toBe('evaluating the generator after epoch 0 met a non-finite value: the mean or covariance of its points overflows')
  })

  it('symmetricEigen names a non-finite entry instead of calling two equal infinities asymmetric', () => {
    const e = thrown(() => symmetricEigen(fromFlat(2, 2, [1, Infinity, Infinity, 1])))
    expect(e).toBeInstanceOf(RangeError)
    expect(e.message).toBe('symmetricEigen: the matrix must be finite; entry (0, 1) is Infinity')
  })
})
