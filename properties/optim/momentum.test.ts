/**
 * Properties of `momentum`, SGD with momentum (src/optim/momentum.ts).
 *
 * - The optimiser laws (src/testing/optimizer-laws.ts), as for Adam and SGD.
 * - Equal bit for bit to an independent scalar transcription (plain numbers and loops, the
 *   evaluation order docs/optimizers.md fixes) over 1..10 steps, in `w` and the velocity.
 * - `momentum: 0` is plain `sgd`, bit for bit up to the sign of a zero.
 * - An oracle independent of evaluation order: on dyadic inputs (small integers times powers
 *   of two, momentum a multiple of 1/4) no operation rounds, so a run equals exactly both the
 *   closed form under a constant gradient, v_t = ĝ·(1 - μ^t)/(1 - μ) and
 *   w_t = w_0 - lr·ĝ·(t - μ·(1 - μ^t)/(1 - μ))/(1 - μ), and pylearn2's form of the same update
 *   (inc' = μ·inc - lr·g; w' = w + inc'), which Goodfellow et al. 2014 ran, for any gradients.
 * - Option validation: every invalid option throws a RangeError naming it, its value and its
 *   range; `validateMomentumOptions` fills the defaults and refuses unknown keys.
 * - State mismatch and a corrupt count are refused, naming the optimiser.
 *
 * Replaying a failure: see docs/testing.md (fast-check prints `{ seed, path }`).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { fromArrays, fromFlat, shapeOf, toArrays, toFlat } from '../../src/matrix/index.js'
import { type ParamTree, leaves } from '../../src/tree/param-tree.js'
import { type MomentumOptions, type MomentumState, momentum, momentumDefaults, sgd, validateMomentumOptions } from '../../src/optim/index.js'
import { optimizerLaws, runOptimizer as run } from '../../src/testing/optimizer-laws.js'
import { paramsAndGradients as trajectory } from '../../src/testing/param-tree-arbitraries.js'

/** The schedules' defaults: constant rates (pure-gan before 0.5.0). */
const constantRates = (o: { learningRate: number; momentum: number; rescaleGrad: number }): Required<MomentumOptions> => ({
  ...o,
  decay: 1,
  minLearningRate: 0,
  finalMomentum: o.momentum,
  rampEvery: 1,
  rampStart: 0,
  rampSaturate: 0,
})

const momentumOptions: fc.Arbitrary<Required<MomentumOptions>> = fc
  .record({
    learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
    momentum: fc.double({ min: 0, max: 0.99, noNaN: true }),
    rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }),
  })
  .map(constantRates)

const flat = (t: ParamTree): number[] => leaves(t).flatMap(toFlat)
const last = <A>(xs: ReadonlyArray<A>): A => xs[xs.length - 1]!

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

describe('momentum: optimiser laws', () => {
  const laws = optimizerLaws<Required<MomentumOptions>, MomentumState>({
    name: 'momentum',
    options: momentumOptions,
    make: momentum,
    stateTrees: (s) => [s.velocity],
  })
  for (const law of laws) it(law.name, () => fc.assert(law.property))
})

// -------------------------------------------------------------------------------------
// the scalar transcription and the oracles
// -------------------------------------------------------------------------------------

/**
 * SGD with momentum written out independently for plain number arrays, in the evaluation order
 * that docs/optimizers.md fixes (PyTorch's): g = grad·r; v = μ·v + g; w = w - lr·v, from v = 0.
 */
const momentumReference = (
  o: Required<MomentumOptions>,
  w0: ReadonlyArray<number>,
  gradSteps: ReadonlyArray<ReadonlyArray<number>>,
): { w: number[]; v: number[] } => {
  const w = [...w0]
  const v = w0.map(() => 0)
  for (const grad of gradSteps) {
    for (let i = 0; i < w.length; i++) {
      v[i] = o.momentum * v[i]! + grad[i]! * o.rescaleGrad
      w[i] = w[i]! - o.learningRate * v[i]!
    }
  }
  return { w, v }
}

/** pylearn2's `Momentum` rule (Goodfellow et al. 2014): inc = μ·inc - lr·g; w = w + inc, from inc = 0. */
const pylearn2Reference = (o: Required<MomentumOptions>, w0: ReadonlyArray<number>, gradSteps: ReadonlyArray<ReadonlyArray<number>>): number[] => {
  const w = [...w0]
  const inc = w0.map(() => 0)
  for (const grad of gradSteps) {
    for (let i = 0; i < w.length; i++) {
      inc[i] = o.momentum * inc[i]! - o.learningRate * (grad[i]! * o.rescaleGrad)
      w[i] = w[i]! + inc[i]!
    }
  }
  return w
}

/**
 * Dyadic runs, in which no operation rounds: μ ∈ {0, 1/4, 1/2, 3/4}, lr = 2^-k and
 * rescaleGrad = 2^-j (k, j <= 4), parameters and gradients integers in [-8, 8]. Over t <= 10
 * steps every velocity is an integer times 2^-(j + 2t) of magnitude < 8·2^-j/(1 - μ) <= 32, and
 * every parameter an integer times 2^-(k + j + 2t) of magnitude < 8 + 32·t: fewer than 40
 * significant bits each, so each sum and product is exact.
 */
const dyadicOptions = fc
  .record({
    learningRate: fc.integer({ min: 0, max: 4 }).map((k) => 2 ** -k),
    momentum: fc.constantFrom(0, 0.25, 0.5, 0.75),
    rescaleGrad: fc.integer({ min: 0, max: 4 }).map((j) => 2 ** -j),
  })
  .map(constantRates)
const smallInteger = fc.integer({ min: -8, max: 8 })
const dyadicRun = fc.integer({ min: 1, max: 5 }).chain((n) =>
  fc.record({
    w0: fc.array(smallInteger, { minLength: n, maxLength: n }),
    grads: fc.array(fc.array(smallInteger, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 10 }),
  }),
)

describe('momentum', () => {
  it('equals an independent scalar transcription bit for bit over 1..10 steps (w and the velocity)', () => {
    fc.assert(
      fc.property(momentumOptions, trajectory(10), (o, { params, grads }) => {
        const [next, state] = last(run(momentum(o), params, grads))
        const ref = momentumReference(o, flat(params), grads.map(flat))
        expect(flat(next)).toEqualBits(ref.w)
        expect(flat(state.velocity)).toEqualBits(ref.v)
      }),
    )
  })

  it('with the defaults filled in, equals the transcription with momentum 0.9 and rescaleGrad 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 1, noNaN: true }), trajectory(5), (lr, { params, grads }) => {
        const [next] = last(run(momentum({ learningRate: lr }), params, grads))
        const ref = momentumReference(constantRates({ learningRate: lr, momentum: 0.9, rescaleGrad: 1 }), flat(params), grads.map(flat))
        expect(flat(next)).toEqualBits(ref.w)
      }),
    )
  })

  it('init gives a zero velocity', () => {
    fc.assert(
      fc.property(trajectory(1), ({ params }) => {
        const s = momentum({ learningRate: 0.1 }).init(params)
        for (const x of flat(s.velocity)) expect(Object.is(x, 0)).toBe(true)
      }),
    )
  })

  it('momentum 0 is plain sgd: equal values over 1..10 steps, bit for bit except for the sign of a zero', () => {
    fc.assert(
      fc.property(momentumOptions, trajectory(10), (o, { params, grads }) => {
        const [a] = last(run(momentum({ ...o, momentum: 0, finalMomentum: 0 }), params, grads))
        const [b] = last(run(sgd({ learningRate: o.learningRate, rescaleGrad: o.rescaleGrad }), params, grads))
        const bs = flat(b)
        flat(a).forEach((x, i) => {
          // v' = 0·v + g is g unless g = -0 (then +0), so w' can differ only as -0 vs +0.
          if (x === 0) expect(bs[i]).toBe(0)
          else expect(Object.is(x, bs[i])).toBe(true)
        })
      }),
    )
  })

  it('on dyadic inputs (no rounding) a constant gradient gives exactly the closed form of v_t and w_t', () => {
    fc.assert(
      fc.property(dyadicOptions, dyadicRun, fc.integer({ min: 1, max: 10 }), (o, { w0, grads }, steps) => {
        const g = grads[0]!
        const params = fromFlat(1, w0.length, w0)
        const grad = fromFlat(1, w0.length, g)
        const history = run(momentum(o), params, Array.from({ length: steps }, () => grad))
        const mu = o.momentum
        let muT = 1
        history.forEach(([p, s], k) => {
          const t = k + 1
          muT *= mu // μ^t, exact for these μ
          toFlat(s.velocity as typeof params).forEach((v, i) => {
            const gHat = g[i]! * o.rescaleGrad
            expect(v).toBe((gHat * (1 - muT)) / (1 - mu))
          })
          toFlat(p as typeof params).forEach((w, i) => {
            const gHat = g[i]! * o.rescaleGrad
            expect(w).toBe(w0[i]! - (o.learningRate * gHat * (t - (mu * (1 - muT)) / (1 - mu))) / (1 - mu))
          })
        })
      }),
    )
  })

  it("on dyadic inputs (no rounding) equals pylearn2's Momentum rule (inc' = μ·inc - lr·g; w' = w + inc') for any gradients", () => {
    fc.assert(
      fc.property(dyadicOptions, dyadicRun, (o, { w0, grads }) => {
        const [next] = last(run(momentum(o), fromFlat(1, w0.length, w0), grads.map((g) => fromFlat(1, g.length, g))))
        // Equal as numbers: the two forms may end on zeros of different signs.
        const zerosAlike = (xs: ReadonlyArray<number>): number[] => xs.map((x) => x + 0)
        expect(zerosAlike(toFlat(next as ReturnType<typeof fromFlat>))).toEqual(zerosAlike(pylearn2Reference(o, w0, grads)))
      }),
    )
  })

  it('the docs/optimizers.md usage example gives the values it shows', () => {
    const opt = momentum({ learningRate: 0.5, momentum: 0.5 })
    const params = { w: fromArrays([[1, -1]]) }
    const grads = { w: fromArrays([[1, 2]]) }
    const [p1, s1] = opt.step(opt.init(params), params, grads)
    expect(toArrays(p1.w)).toEqual([[0.5, -2]])
    expect(leaves(s1.velocity).map(toArrays)).toEqual([[[1, 2]]])
    const [p2, s2] = opt.step(s1, p1, grads)
    expect(toArrays(p2.w)).toEqual([[-0.25, -3.5]])
    expect(leaves(s2.velocity).map(toArrays)).toEqual([[[1.5, 3]]])
    expect(s2.count).toBe(2)
  })

  it('a mismatched state (the velocity of other params) throws a ShapeError naming the path', () => {
    const params = { W: fromFlat(2, 3, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const other = { W: fromFlat(3, 2, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const opt = momentum({ learningRate: 0.1 })
    expect(() => opt.step(opt.init(other), params, params)).toThrow(
      `momentum.step: params vs state (velocity): at W: a ${shapeOf(params.W)} matrix and a ${shapeOf(other.W)} matrix`,
    )
  })

  it('a state with a corrupt count throws a RangeError naming momentum.step', () => {
    const params = [fromFlat(1, 1, [1])]
    const opt = momentum({ learningRate: 0.1 })
    expect(() => opt.step({ ...opt.init(params), count: -1 }, params, params)).toThrow(
      new RangeError('momentum.step: state.count must be a non-negative integer, got -1'),
    )
    expect(() => opt.step({ ...opt.init(params), count: 1.5 }, params, params)).toThrow('state.count')
  })
})

// -------------------------------------------------------------------------------------
// option validation
// -------------------------------------------------------------------------------------

const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v))

const positiveFiniteBad = fc.oneof(
  fc.constantFrom(0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -Number.MIN_VALUE),
  fc.double({ max: 0, noNaN: true }),
)
const unitIntervalBad = fc.oneof(
  fc.constantFrom(1, -Number.MIN_VALUE, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.double({ min: 1, noNaN: true }),
  fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
)

const ranges: Record<string, string> = {
  learningRate: 'a finite number > 0',
  momentum: 'a number in [0, 1)',
  rescaleGrad: 'a finite number > 0',
}

describe('momentum option validation', () => {
  it('every invalid option throws a RangeError naming the option, the value and the range', () => {
    const bad = fc.oneof(
      fc.tuple(fc.constantFrom('learningRate', 'rescaleGrad'), positiveFiniteBad),
      fc.tuple(fc.constant('momentum'), unitIntervalBad),
    )
    fc.assert(
      fc.property(momentumOptions, bad, (o, [name, value]) => {
        const options = { ...o, [name]: value }
        const message = `momentum: ${name} must be ${ranges[name]!}, got ${show(value)}`
        expect(() => momentum(options)).toThrow(RangeError)
        expect(() => momentum(options)).toThrow(message)
        expect(validateMomentumOptions(options)).toEqual(E.left(message))
      }),
    )
  })

  it('valid options pass, with the defaults filled in', () => {
    fc.assert(
      fc.property(momentumOptions, (o) => {
        expect(validateMomentumOptions(o)).toEqual(E.right(o))
        expect(validateMomentumOptions({ learningRate: o.learningRate })).toEqual(
          E.right({ learningRate: o.learningRate, momentum: 0.9, rescaleGrad: 1, decay: 1, minLearningRate: 0, finalMomentum: 0.9, rampEvery: 1, rampStart: 0, rampSaturate: 0 }),
        )
        // finalMomentum's default is the options' momentum
        expect(validateMomentumOptions({ learningRate: o.learningRate, momentum: o.momentum, rescaleGrad: o.rescaleGrad })).toEqual(E.right(o))
      }),
    )
    expect(momentumDefaults).toEqual({ momentum: 0.9, rescaleGrad: 1, decay: 1, minLearningRate: 0, rampEvery: 1, rampStart: 0, rampSaturate: 0 })
    expect(Object.isFrozen(momentumDefaults)).toBe(true)
  })

  it("a missing learning rate, a wrong type, unknown keys (PyTorch's dampening, nesterov) and a non-record are reported, all at once", () => {
    expect(validateMomentumOptions({})).toEqual(E.left('momentum: learningRate is required: a finite number > 0'))
    expect(() => momentum({ learningRate: '0.1' } as unknown as MomentumOptions)).toThrow(
      'momentum: learningRate must be a finite number > 0, got "0.1" (a string)',
    )
    expect(validateMomentumOptions({ learningRate: 0.1, nesterov: 1, dampening: 0 })).toEqual(
      E.left(
        'momentum: unknown option "dampening" (known options: learningRate, momentum, rescaleGrad, decay, minLearningRate, finalMomentum, rampEvery, rampStart, rampSaturate); ' +
          'momentum: unknown option "nesterov" (known options: learningRate, momentum, rescaleGrad, decay, minLearningRate, finalMomentum, rampEvery, rampStart, rampSaturate)',
      ),
    )
    expect(validateMomentumOptions([0.1])).toEqual(E.left('momentum: options must be a record, got an array'))
    expect(validateMomentumOptions({ learningRate: -1, momentum: -0.5 })).toEqual(
      E.left('momentum: learningRate must be a finite number > 0, got -1; momentum: momentum must be a number in [0, 1), got -0.5'),
    )
  })
})
