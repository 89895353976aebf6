/**
 * The schedules of SGD with momentum (src/kernels/momentum.ts, src/optim/momentum.ts): the
 * learning rate's decay `lr_k = max(minLearningRate, learningRate / decay^k)` and the
 * momentum's ramp (pylearn2's `MomentumAdjustor`), functions of the step count `k`.
 *
 * - The optimiser laws (src/testing/optimizer-laws.ts) hold with schedules.
 * - The flat kernel and the tree optimiser equal, bit for bit, a literal scalar transcription
 *   of docs/optimizers.md (properties/support/momentum-schedule-reference.ts) over random
 *   counts (up to 2^53), rates, decays, floors, ramps and values, counts past the ramp's end
 *   and past the floor included; and over several steps from any count (so a run resumed at
 *   any count steps as an unbroken one).
 * - The rate stays within its bounds and never rises with the count (pylearn2's floor, which
 *   sticks once reached, is then the same as `max`).
 * - With the schedules' defaults the rates are the constants `learningRate` and `momentum`,
 *   bit for bit, at every count, and so is a ramp from `momentum` to itself that jumps
 *   (`rampStart = rampSaturate`).
 * - Goodfellow et al. 2014's MNIST schedule (`mnist.yaml`: 50 000 digits in minibatches of
 *   100, so 500 steps per epoch; momentum .5 to .7 from epoch 1 to 250; rate .1 divided by
 *   1.000004 per update, floored at 1e-6) gives pylearn2's numbers, computed here by hand
 *   from pylearn2's `current_momentum` and `ExponentialDecay`.
 * - Every invalid schedule option is one message naming it, its value and its range.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { toFlat } from '../../src/matrix/index.js'
import { type ParamTree, leaves } from '../../src/tree/param-tree.js'
import { type MomentumOptions, momentum, validateMomentumOptions } from '../../src/optim/index.js'
import { type MomentumHyperparameters, learningRateAt, momentumAt, momentumFlat, momentumPeriod, momentumStepRates } from '../../src/kernels/momentum.js'
import { optimizerLaws } from '../../src/testing/optimizer-laws.js'
import { paramsAndGradients as trajectory } from '../../src/testing/param-tree-arbitraries.js'
import { type ScheduledMomentum, referenceLearningRate, referenceMomentum, referenceScheduledMomentum } from '../support/momentum-schedule-reference.js'

const SAFE = Number.MAX_SAFE_INTEGER
const unit = fc.double({ min: 0, max: 0.99, noNaN: true })

/** A count: small, near a ramp's or a floor's edge, or anywhere up to 2^53 - 1 - 20 (room for 20 more steps). */
const count = fc.oneof(fc.nat(50), fc.nat(5000), fc.nat(SAFE - 20))

/** Valid options with schedules: no decay, a slow one (the paper's order), a fast one (the floor within a few steps). */
const scheduled: fc.Arbitrary<ScheduledMomentum> = fc
  .record({
    learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
    momentum: unit,
    rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }),
    decay: fc.oneof(fc.constant(1), fc.double({ min: 1, max: 1.001, noNaN: true }), fc.double({ min: 1, max: 4, noNaN: true })),
    floorShare: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
    finalMomentum: unit,
    rampEvery: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: SAFE })),
    rampStart: fc.oneof(fc.nat(10), fc.nat(300), fc.nat(SAFE)),
    width: fc.oneof(fc.constant(0), fc.nat(10), fc.nat(300)),
  })
  .filter(({ rampStart, width }) => rampStart + width <= SAFE)
  .map(({ floorShare, rampStart, width, ...o }) => ({ ...o, minLearningRate: floorShare * o.learningRate, rampStart, rampSaturate: rampStart + width }))

const values = (n: number) => fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: n, maxLength: n })
const flat = (t: ParamTree): number[] => leaves(t).flatMap(toFlat)

describe('momentum with schedules: optimiser laws', () => {
  const laws = optimizerLaws({ name: 'momentum', options: scheduled, make: momentum, stateTrees: (s) => [s.velocity] })
  for (const law of laws) it(law.name, () => fc.assert(law.property))
})

describe('the schedules: the kernel and the optimiser against the scalar transcription', () => {
  it('each step’s rates are the transcription’s at any count', () =>
    fc.assert(
      fc.property(scheduled, count, (o, k) => {
        const r = momentumStepRates(o, k)
        expect(r.learningRate).toEqualBits(referenceLearningRate(o, k))
        expect(r.momentum).toEqualBits(referenceMomentum(o, k))
        expect(r.rescaleGrad).toBe(o.rescaleGrad)
        expect(momentumPeriod(k, o.rampEvery)).toBe(Number(BigInt(k) / BigInt(o.rampEvery)) + 1)
      }),
    ))

  it('one flat step at any count equals the transcription bit for bit (w and v)', () =>
    fc.assert(
      fc.property(
        scheduled,
        count,
        fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(values(n), values(n), values(n))),
        (o, k, [grad, w, v]) => {
          const n = grad.length
          const out = new Float64Array(2 * n)
          momentumFlat.stepInto(o, { count: k, size: n }, { data: Float64Array.from(grad), off: 0 }, { data: Float64Array.from([...w, ...v]), off: 0 }, { data: out, off: 0 })
          const ref = referenceScheduledMomentum(o, k, w, v, [grad])
          expect(out).toEqualBits([...ref.w, ...ref.v])
        },
      ),
    ))

  it('the tree optimiser over 1..10 steps from any count equals the transcription bit for bit (w and v)', () =>
    fc.assert(
      fc.property(scheduled, count, trajectory(10), (o, k, { params, grads }) => {
        const opt = momentum(o)
        let state = { ...opt.init(params), count: k }
        let p: ParamTree = params
        for (const g of grads) [p, state] = opt.step(state, p, g)
        const w0 = flat(params)
        const ref = referenceScheduledMomentum(o, k, w0, w0.map(() => 0), grads.map(flat))
        expect(flat(p)).toEqualBits(ref.w)
        expect(flat(state.velocity)).toEqualBits(ref.v)
        expect(state.count).toBe(k + grads.length)
      }),
    ))

  it('a run split at any step and resumed from its state equals the unbroken run bit for bit', () =>
    fc.assert(
      fc.property(scheduled, trajectory(10), fc.nat(10), (o, { params, grads }, cut) => {
        const opt = momentum(o)
        const run = (from: readonly [ParamTree, ReturnType<typeof opt.init>], gs: ReadonlyArray<ParamTree>) =>
          gs.reduce<readonly [ParamTree, ReturnType<typeof opt.init>]>(([p, s], g) => {
            const [p1, s1] = opt.step(s, p, g)
            return [p1, s1]
          }, from)
        const whole = run([params, opt.init(params)], grads)
        const at = Math.min(cut, grads.length)
        const first = run([params, opt.init(params)], grads.slice(0, at))
        // the state rebuilt as plain data, as a codec would: nothing but count and velocity
        const resumed = run([first[0], { count: first[1].count, velocity: first[1].velocity }], grads.slice(at))
        expect(flat(resumed[0])).toEqualBits(flat(whole[0]))
        expect(flat(resumed[1].velocity)).toEqualBits(flat(whole[1].velocity))
      }),
    ))
})

describe('the schedules’ defaults: the constants of before, bit for bit', () => {
  const base = fc.record({ learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }), momentum: unit, rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }) })

  it('with every schedule option left out, step k’s rates are learningRate and momentum at any k', () =>
    fc.assert(
      fc.property(base, count, (o, k) => {
        const filled = validateMomentumOptions(o)
        if (E.isLeft(filled)) throw new Error(filled.left)
        const r = momentumStepRates(filled.right, k)
        expect(r.learningRate).toEqualBits(o.learningRate)
        expect(r.momentum).toEqualBits(o.momentum)
      }),
    ))

  it('a ramp from momentum to itself that jumps (rampStart = rampSaturate) keeps momentum exactly, at any count and period', () =>
    fc.assert(
      fc.property(base, count, fc.integer({ min: 1, max: SAFE }), fc.nat(SAFE), (o, k, rampEvery, start) => {
        const h: MomentumHyperparameters = { ...o, decay: 1, minLearningRate: 0, finalMomentum: o.momentum, rampEvery, rampStart: start, rampSaturate: start }
        expect(momentumAt(h, k)).toEqualBits(o.momentum)
        expect(learningRateAt(h, k)).toEqualBits(o.learningRate)
      }),
    ))

  it('the rate stays in [minLearningRate, learningRate] and never rises from one step to the next (so pylearn2’s sticky floor is max)', () =>
    fc.assert(
      fc.property(scheduled, count, fc.integer({ min: 1, max: 20 }), (o, k, j) => {
        const r = learningRateAt(o, k)
        expect(r >= o.minLearningRate && r <= Math.max(o.learningRate, o.minLearningRate)).toBe(true)
        expect(learningRateAt(o, k + 1) <= r).toBe(true)
        expect(learningRateAt(o, k + j) <= r).toBe(true)
      }),
    ))
})

// -------------------------------------------------------------------------------------
// Goodfellow et al. 2014's MNIST run (goodfeli/adversarial, mnist.yaml)
// -------------------------------------------------------------------------------------

describe("pylearn2's numbers for the paper's MNIST schedule", () => {
  /** mnist.yaml: SGD lr .1, Momentum init .5; MomentumAdjustor start 1, saturate 250, final .7; ExponentialDecay 1.000004, min_lr 1e-6. */
  const paper: MomentumOptions = { learningRate: 0.1, momentum: 0.5, decay: 1.000004, minLearningRate: 0.000001, finalMomentum: 0.7, rampEvery: 500, rampStart: 1, rampSaturate: 250 }
  const h = (() => {
    const v = validateMomentumOptions(paper)
    if (E.isLeft(v)) throw new Error(v.left)
    return v.right
  })()

  /**
   * pylearn2's `MomentumAdjustor.current_momentum()` written out for `_count = c`: w = 250 - 1,
   * alpha = (c - 1) / w clamped to [0, 1], init·(1 - alpha) + alpha·final. `Train.main_loop`
   * calls `on_monitor` once before the first epoch (c = 1) and once after each epoch, so
   * epoch e (from 1) trains with c = e.
   */
  const currentMomentum = (c: number): number => {
    let alpha = (c - 1) / (250 - 1)
    if (alpha < 0) alpha = 0
    if (alpha > 1) alpha = 1
    return 0.5 * (1 - alpha) + alpha * 0.7
  }

  it('the momentum: .5 through epoch 1, .5 + .2/249 in epoch 2, .7 from epoch 250 on', () => {
    // step k (from 0) is in epoch floor(k / 500) + 1
    const cases: ReadonlyArray<readonly [step: number, epoch: number]> = [
      [0, 1],
      [499, 1],
      [500, 2],
      [999, 2],
      [1000, 3],
      [124 * 500, 125],
      [249 * 500 - 1, 249],
      [249 * 500, 250],
      [250 * 500 - 1, 250],
      [250 * 500, 251],
      [10 ** 6, 2001],
    ]
    for (const [step, epoch] of cases) expect(momentumAt(h, step)).toBe(currentMomentum(epoch))
    // and the numbers themselves
    expect(momentumAt(h, 0)).toBe(0.5)
    expect(momentumAt(h, 499)).toBe(0.5)
    expect(momentumAt(h, 500)).toBeCloseTo(0.5 + 0.2 / 249, 15)
    expect(momentumAt(h, 500)).toBeCloseTo(0.500803212851406, 14)
    expect(momentumAt(h, 124 * 500)).toBeCloseTo(0.5995983935742972, 14)
    expect(momentumAt(h, 249 * 500 - 1)).toBeLessThan(0.7)
    expect(momentumAt(h, 249 * 500)).toBe(0.7)
    expect(momentumAt(h, 10 ** 6)).toBe(0.7)
  })

  it('the rate: .1 at the first update, .1/1.000004^k at update k, 1e-6 once that falls below it', () => {
    // ExponentialDecay runs after each update: update 0 has the base rate, update k has base / 1.000004 ** k
    expect(learningRateAt(h, 0)).toBe(0.1)
    expect(learningRateAt(h, 1)).toBe(0.1 / 1.000004)
    expect(learningRateAt(h, 2)).toBe(0.1 / (1.000004 * 1.000004))
    for (const k of [500, 124500, 10 ** 6, 2 * 10 ** 6]) {
      // Python's float ** (C's pow) against pure-gan's powInt: equal to within an ulp or two
      expect(Math.abs(learningRateAt(h, k) / (0.1 / 1.000004 ** k) - 1)).toBeLessThan(1e-14)
    }
    // 0.1 / 1.000004^k <= 1e-6 from k = ceil(ln(1e5) / ln(1.000004)), about 2 878 237 updates (5757 epochs)
    const kFloor = Math.ceil(Math.log(1e5) / Math.log(1.000004))
    expect(kFloor).toBeGreaterThan(2_878_000)
    expect(kFloor).toBeLessThan(2_879_000)
    expect(learningRateAt(h, kFloor - 10)).toBeGreaterThan(0.000001)
    expect(learningRateAt(h, kFloor + 10)).toBe(0.000001)
    expect(learningRateAt(h, SAFE)).toBe(0.000001)
  })
})

// -------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------

describe('schedule option validation', () => {
  const cases: ReadonlyArray<readonly [options: Partial<MomentumOptions>, message: string]> = [
    [{ decay: 0.5 }, 'momentum: decay must be a finite number >= 1, got 0.5'],
    [{ decay: 0 }, 'momentum: decay must be a finite number >= 1, got 0'],
    [{ decay: Number.NaN }, 'momentum: decay must be a finite number >= 1, got NaN'],
    [{ decay: Number.POSITIVE_INFINITY }, 'momentum: decay must be a finite number >= 1, got Infinity'],
    [{ minLearningRate: -1e-6 }, 'momentum: minLearningRate must be a finite number >= 0, got -0.000001'],
    [{ minLearningRate: Number.POSITIVE_INFINITY }, 'momentum: minLearningRate must be a finite number >= 0, got Infinity'],
    [{ finalMomentum: 1 }, 'momentum: finalMomentum must be a number in [0, 1), got 1'],
    [{ finalMomentum: Number.NaN }, 'momentum: finalMomentum must be a number in [0, 1), got NaN'],
    [{ rampEvery: 0 }, 'momentum: rampEvery must be a safe integer >= 1, got 0'],
    [{ rampEvery: 1.5 }, 'momentum: rampEvery must be a safe integer >= 1, got 1.5'],
    [{ rampEvery: 2 ** 53 }, 'momentum: rampEvery must be a safe integer >= 1, got 9007199254740992'],
    [{ rampStart: -1 }, 'momentum: rampStart must be a safe integer >= 0, got -1'],
    [{ rampSaturate: 2.5 }, 'momentum: rampSaturate must be a safe integer >= 0, got 2.5'],
    [{ rampStart: 5, rampSaturate: 3 }, 'momentum: rampSaturate must be a safe integer >= 0 and >= rampStart (5), got 3'],
    [{ rampStart: 1 }, 'momentum: rampSaturate must be a safe integer >= 0 and >= rampStart (1), got 0'],
  ]
  for (const [options, message] of cases) {
    it(`${JSON.stringify(options)}: ${message}`, () => {
      const o = { learningRate: 0.1, ...options }
      expect(validateMomentumOptions(o)).toEqual(E.left(message))
      expect(() => momentum(o)).toThrow(new RangeError(message))
    })
  }

  it('one message per bad option, all at once (the ramp order checked once each option is in range)', () => {
    expect(validateMomentumOptions({ learningRate: 0.1, decay: 0.9, minLearningRate: -1, rampStart: 9, rampSaturate: 1 })).toEqual(
      E.left('momentum: decay must be a finite number >= 1, got 0.9; momentum: minLearningRate must be a finite number >= 0, got -1'),
    )
  })

  it('valid schedules pass as given, finalMomentum defaulting to momentum', () => {
    expect(validateMomentumOptions({ learningRate: 0.1, momentum: 0.5, decay: 1.000004, rampEvery: 500, rampStart: 1, rampSaturate: 250 })).toEqual(
      E.right({ learningRate: 0.1, momentum: 0.5, rescaleGrad: 1, decay: 1.000004, minLearningRate: 0, finalMomentum: 0.5, rampEvery: 500, rampStart: 1, rampSaturate: 250 }),
    )
  })
})
