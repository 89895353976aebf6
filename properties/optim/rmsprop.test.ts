/**
 * Properties of `rmsprop` (src/optim/rmsprop.ts).
 *
 * - The optimiser laws (src/testing/optimizer-laws.ts), as for Adam and SGD.
 * - Equal bit for bit to an independent scalar transcription (plain numbers and loops, the
 *   evaluation order docs/optimizers.md fixes) over 1..10 steps, in `w` and the mean square.
 * - An oracle independent of evaluation order: from a zero mean square under a constant
 *   rescaled gradient ĝ, exactly s_t = (1 - ρ^t)·ĝ², so each step moves by
 *   lr·ĝ / (√(1 - ρ^t)·|ĝ| + ε) up to rounding: this pins the initial mean square (0, not
 *   TensorFlow 1's 1) and ε outside the root (inside, the step differs by about ε/(2√(1-ρ^t)|ĝ|)
 *   relative, far above the rounding slack). An entry whose ĝ is zero does not move, bit for bit
 *   (except a -0 parameter under a -0 gradient, which becomes +0: w - (-0)).
 * - Option validation: every invalid option throws a RangeError naming it, its value and its
 *   range; `validateRmsPropOptions` fills the defaults and refuses unknown keys.
 * - State mismatch and a corrupt count are refused, naming the optimiser.
 *
 * Replaying a failure: see docs/testing.md (fast-check prints `{ seed, path }`).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { fromArrays, fromFlat, shapeOf, toArrays, toFlat } from '../../src/matrix/index.js'
import { type ParamTree, leaves } from '../../src/tree/param-tree.js'
import { type RmsPropOptions, type RmsPropState, rmsprop, rmspropDefaults, validateRmsPropOptions } from '../../src/optim/index.js'
import { optimizerLaws, runOptimizer as run } from '../../src/testing/optimizer-laws.js'
import { paramsAndGradients as trajectory } from '../../src/testing/param-tree-arbitraries.js'

const rmspropOptions: fc.Arbitrary<Required<RmsPropOptions>> = fc.record({
  learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  rho: fc.double({ min: 0, max: 0.9999, noNaN: true }),
  epsilon: fc.double({ min: 1e-10, max: 1e-3, noNaN: true }),
  rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }),
})

const flat = (t: ParamTree): number[] => leaves(t).flatMap(toFlat)
const last = <A>(xs: ReadonlyArray<A>): A => xs[xs.length - 1]!

/** Unit roundoff of float64, 2^-53. */
const U = 2 ** -53

// -------------------------------------------------------------------------------------
// laws
// -------------------------------------------------------------------------------------

describe('rmsprop: optimiser laws', () => {
  const laws = optimizerLaws<Required<RmsPropOptions>, RmsPropState>({
    name: 'rmsprop',
    options: rmspropOptions,
    make: rmsprop,
    stateTrees: (s) => [s.meanSquare],
  })
  for (const law of laws) it(law.name, () => fc.assert(law.property))
})

// -------------------------------------------------------------------------------------
// the scalar transcription and the oracle
// -------------------------------------------------------------------------------------

/**
 * RMSProp written out independently for plain number arrays, in the evaluation order that
 * docs/optimizers.md fixes: g = grad·r; s = ρ·s + ((1-ρ)·g)·g; w = w - (lr·g)/(√s + ε),
 * from s = 0.
 */
const rmspropReference = (
  o: Required<RmsPropOptions>,
  w0: ReadonlyArray<number>,
  gradSteps: ReadonlyArray<ReadonlyArray<number>>,
): { w: number[]; s: number[] } => {
  const w = [...w0]
  const s = w0.map(() => 0)
  for (const grad of gradSteps) {
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! * o.rescaleGrad
      s[i] = o.rho * s[i]! + (1 - o.rho) * g * g
      w[i] = w[i]! - (o.learningRate * g) / (Math.sqrt(s[i]!) + o.epsilon)
    }
  }
  return { w, s }
}

/**
 * The step of RMSProp at step t under a constant rescaled gradient ĝ from s_0 = 0, in exact
 * arithmetic: s_t = (1-ρ^t)·ĝ², so Δw = -lr·ĝ/(a + ε) with a = √(1-ρ^t)·|ĝ|. Computed here
 * with ρ^t a product of t factors, and the bound of its distance to the optimiser's step:
 * - the optimiser's s_t is a sum of nonnegative terms, each step rounding ρ·s, c·g, (c·g)·g
 *   and the sum (c = fl(1-ρ) itself off by at most u): relative error <= (4t + 1)·u;
 * - ρ^t here is off by at most (t-1)·u relative, which 1 - ρ^t magnifies by κ = ρ^t/(1-ρ^t);
 * - the root halves relative errors; + ε, lr·ĝ, the division and this side's a each add u;
 * - w - Δ and the test's w' - w each round once relative to |w| + |Δw|.
 * The slack below is that sum with a factor of 4 to spare.
 */
const constantGradientStep = (o: Required<RmsPropOptions>, t: number, gHat: number, w: number): { step: number; bound: number } => {
  let rhoT = 1
  for (let k = 0; k < t; k++) rhoT *= o.rho
  const a = Math.sqrt(1 - rhoT) * Math.abs(gHat)
  const step = (o.learningRate * gHat) / (a + o.epsilon)
  const kappa = rhoT / (1 - rhoT)
  const rel = U * (4 * t + 1 + t * kappa + 8)
  return { step, bound: 4 * rel * Math.abs(step) + 4 * U * (Math.abs(w) + Math.abs(step)) }
}

describe('rmsprop', () => {
  it('equals an independent scalar transcription bit for bit over 1..10 steps (w and the mean square)', () => {
    fc.assert(
      fc.property(rmspropOptions, trajectory(10), (o, { params, grads }) => {
        const [next, state] = last(run(rmsprop(o), params, grads))
        const ref = rmspropReference(o, flat(params), grads.map(flat))
        expect(flat(next)).toEqualBits(ref.w)
        expect(flat(state.meanSquare)).toEqualBits(ref.s)
      }),
    )
  })

  it('with the defaults filled in, equals the transcription with PyTorch\'s alpha = 0.99 and eps = 1e-8', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 1, noNaN: true }), trajectory(5), (lr, { params, grads }) => {
        const [next] = last(run(rmsprop({ learningRate: lr }), params, grads))
        const ref = rmspropReference({ learningRate: lr, rho: 0.99, epsilon: 1e-8, rescaleGrad: 1 }, flat(params), grads.map(flat))
        expect(flat(next)).toEqualBits(ref.w)
      }),
    )
  })

  it('init gives a zero mean square (PyTorch\'s initial square average, not TensorFlow 1\'s 1)', () => {
    fc.assert(
      fc.property(trajectory(1), ({ params }) => {
        const s = rmsprop({ learningRate: 0.1 }).init(params)
        for (const x of flat(s.meanSquare)) expect(Object.is(x, 0)).toBe(true)
      }),
    )
  })

  it('under a constant gradient every step moves by lr·ĝ/(√(1-ρ^t)·|ĝ| + ε) up to rounding, and not at all where ĝ = 0 (bit for bit, but for -0 - (-0) = +0)', () => {
    fc.assert(
      fc.property(rmspropOptions, trajectory(1), fc.integer({ min: 1, max: 10 }), (o, { params, grads }, steps) => {
        const g = grads[0]!
        const history = run(rmsprop(o), params, Array.from({ length: steps }, () => g))
        const gs = flat(g)
        let before = flat(params)
        history.forEach(([p], s) => {
          const after = flat(p)
          after.forEach((w1, i) => {
            const gHat = gs[i]! * o.rescaleGrad
            if (gHat === 0) {
              // w - (lr·ĝ)/(√s + ε) with a zero numerator: w itself, except that -0 - (-0) is +0.
              expect(Object.is(w1, Object.is(before[i], -0) && Object.is(gHat, -0) ? 0 : before[i])).toBe(true)
            } else {
              const { step, bound } = constantGradientStep(o, s + 1, gHat, before[i]!)
              expect(Math.abs(w1 - before[i]! + step)).toBeLessThanOrEqual(bound)
            }
          })
          before = after
        })
      }),
    )
  })

  it('epsilon is outside the root: the first step of a small gradient is far from lr·ĝ/√((1-ρ)·ĝ² + ε)', () => {
    // ĝ = 1e-4, ρ = 0, ε = 1e-8: outside, Δw = lr·1e-4/(1e-4 + 1e-8) = lr·(1 - ~1e-4);
    // inside, lr·1e-4/√(1e-8 + 1e-8) = lr/√2.
    const opt = rmsprop({ learningRate: 1, rho: 0, epsilon: 1e-8 })
    const w = fromArrays([[0]])
    const [next] = opt.step(opt.init(w), w, fromArrays([[1e-4]]))
    expect(toFlat(next)[0]).toBe(-(1e-4 / (1e-4 + 1e-8)))
  })

  it('the docs/optimizers.md usage example gives the values it shows', () => {
    const opt = rmsprop({ learningRate: 0.01, rho: 0.75 })
    const params = { W: fromArrays([[1, 2]]), b: fromArrays([[0]]) }
    const grads = { W: fromArrays([[4, -4]]), b: fromArrays([[0]]) }
    const [params1, state1] = opt.step(opt.init(params), params, grads)
    expect(toArrays(params1.W)).toEqual([[0.9800000001, 2.0199999999]])
    expect(toArrays(params1.b)).toEqual([[0]])
    expect(leaves(state1.meanSquare).map(toArrays)).toEqual([[[4, 4]], [[0]]])
    expect(state1.count).toBe(1)
    const [params2, state2] = opt.step(state1, params1, grads)
    expect(toArrays(params2.W)).toEqual([[0.9648814212367738, 2.0351185787632264]])
    expect(state2.count).toBe(2)
  })

  it('a mismatched state (the mean square of other params) throws a ShapeError naming the path', () => {
    const params = { W: fromFlat(2, 3, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const other = { W: fromFlat(3, 2, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const opt = rmsprop({ learningRate: 0.1 })
    expect(() => opt.step(opt.init(other), params, params)).toThrow(
      `rmsprop.step: params vs state (meanSquare): at W: a ${shapeOf(params.W)} matrix and a ${shapeOf(other.W)} matrix`,
    )
  })

  it('a state with a corrupt count throws a RangeError naming rmsprop.step', () => {
    const params = [fromFlat(1, 1, [1])]
    const opt = rmsprop({ learningRate: 0.1 })
    expect(() => opt.step({ ...opt.init(params), count: -1 }, params, params)).toThrow(
      new RangeError('rmsprop.step: state.count must be a non-negative integer, got -1'),
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
  rho: 'a number in [0, 1)',
  epsilon: 'a finite number > 0',
  rescaleGrad: 'a finite number > 0',
}

describe('rmsprop option validation', () => {
  it('every invalid option throws a RangeError naming the option, the value and the range', () => {
    const bad = fc.oneof(
      fc.tuple(fc.constantFrom('learningRate', 'epsilon', 'rescaleGrad'), positiveFiniteBad),
      fc.tuple(fc.constant('rho'), unitIntervalBad),
    )
    fc.assert(
      fc.property(rmspropOptions, bad, (o, [name, value]) => {
        const options = { ...o, [name]: value }
        const message = `rmsprop: ${name} must be ${ranges[name]!}, got ${show(value)}`
        expect(() => rmsprop(options)).toThrow(RangeError)
        expect(() => rmsprop(options)).toThrow(message)
        expect(validateRmsPropOptions(options)).toEqual(E.left(message))
      }),
    )
  })

  it('valid options pass, with PyTorch\'s defaults filled in', () => {
    fc.assert(
      fc.property(rmspropOptions, (o) => {
        expect(validateRmsPropOptions(o)).toEqual(E.right(o))
        expect(validateRmsPropOptions({ learningRate: o.learningRate })).toEqual(
          E.right({ learningRate: o.learningRate, rho: 0.99, epsilon: 1e-8, rescaleGrad: 1 }),
        )
      }),
    )
    expect(rmspropDefaults).toEqual({ rho: 0.99, epsilon: 1e-8, rescaleGrad: 1 })
    expect(Object.isFrozen(rmspropDefaults)).toBe(true)
  })

  it('a missing learning rate, a wrong type, an unknown key (PyTorch\'s alpha) and a non-record are reported, all at once', () => {
    expect(validateRmsPropOptions({})).toEqual(E.left('rmsprop: learningRate is required: a finite number > 0'))
    expect(() => rmsprop({ learningRate: '0.1' } as unknown as RmsPropOptions)).toThrow(
      'rmsprop: learningRate must be a finite number > 0, got "0.1" (a string)',
    )
    expect(validateRmsPropOptions({ learningRate: 0.1, alpha: 0.99 })).toEqual(
      E.left('rmsprop: unknown option "alpha" (known options: learningRate, rho, epsilon, rescaleGrad)'),
    )
    expect(validateRmsPropOptions(null)).toEqual(E.left('rmsprop: options must be a record, got null'))
    expect(validateRmsPropOptions({ learningRate: 0, rho: 1 })).toEqual(
      E.left('rmsprop: learningRate must be a finite number > 0, got 0; rmsprop: rho must be a number in [0, 1), got 1'),
    )
  })
})
