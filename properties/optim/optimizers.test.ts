/**
 * Properties of src/optim.
 *
 * - One law builder (`optimizerLaws`, src/testing/optimizer-laws.ts, which `pure-gan/testing`
 *   offers users for their own optimisers) applied to every optimiser, Optax style: state
 *   structure, shapes, finiteness, no mutation, shape errors, determinism, step counting,
 *   and the rescale law.
 * - SGD: equal to the literal formula bit for bit, one step and 1..10 steps.
 * - Adam: equal bit for bit to an independent scalar transcription (plain numbers and loops,
 *   the same evaluation order) over 1..10 steps; the first step and every step under a
 *   constant gradient move each entry by lr·sign(g) up to a derived epsilon bound (an
 *   oracle independent of evaluation order); Gluon's `rescale_grad = 1/batch_size`
 *   correspondence (bitwise for power-of-two batch sizes, within a derived tolerance
 *   otherwise).
 * - Option validation: every invalid option throws a RangeError naming it.
 *
 * Replaying a failure: see docs/testing.md (fast-check prints `{ seed, path }`).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { type Matrix, fromArrays, fromFlat, shapeOf, toArrays, toFlat } from '../../src/matrix/index.js'
import { type ParamTree, leaves, mapTree } from '../../src/tree/param-tree.js'
import {
  type AdamOptions,
  type AdamState,
  type SgdOptions,
  type SgdState,
  adam,
  adamDefaults,
  sgd,
  validateAdamOptions,
  validateSgdOptions,
} from '../../src/optim/index.js'
import { adamNetworkReady } from '../../src/optim/adam.js'
import { adamStepConstants, adamStepInto } from '../../src/kernels/adam.js'

import { bitSnapshot as snapshot } from '../../src/testing/bit-snapshot.js'
import { type OptimizerUnderTest, optimizerLaws, runOptimizer as run } from '../../src/testing/optimizer-laws.js'
import {
  type TreeSkeleton as Skeleton,
  paramsAndGradients as trajectory,
  treeFromSkeleton as build,
  treeValuePool as pool,
} from '../../src/testing/param-tree-arbitraries.js'
import { powInt } from '../../src/elementary/index.js'

// -------------------------------------------------------------------------------------
// arbitraries (tree skeletons filled from value pools come from src/testing, imported above)
// -------------------------------------------------------------------------------------

const sgdOptions: fc.Arbitrary<SgdOptions> = fc.record({
  learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }),
})

const adamOptions: fc.Arbitrary<Required<AdamOptions>> = fc.record({
  learningRate: fc.double({ min: 1e-4, max: 1, noNaN: true }),
  beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
  beta2: fc.double({ min: 0, max: 0.9999, noNaN: true }),
  epsilon: fc.double({ min: 1e-10, max: 1e-3, noNaN: true }),
  rescaleGrad: fc.double({ min: 1e-3, max: 10, noNaN: true }),
})

// -------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------

const flat = (t: ParamTree): number[] => leaves(t).flatMap(toFlat)

const last = <A>(xs: ReadonlyArray<A>): A => xs[xs.length - 1]!

/** Unit roundoff of float64, 2^-53. */
const U = 2 ** -53

// -------------------------------------------------------------------------------------
// laws for every optimiser
// -------------------------------------------------------------------------------------

/** One test per law of src/testing's law builder, under the optimiser's name. */
const optimizerLawTests = <O extends { readonly rescaleGrad?: number }, S extends { readonly count: number }>(u: OptimizerUnderTest<O, S>): void => {
  describe(`${u.name}: optimiser laws`, () => {
    for (const law of optimizerLaws(u)) it(law.name, () => fc.assert(law.property))
  })
}

optimizerLawTests<SgdOptions, SgdState>({ name: 'sgd', options: sgdOptions, make: sgd, stateTrees: () => [] })
optimizerLawTests<Required<AdamOptions>, AdamState>({
  name: 'adam',
  options: adamOptions,
  make: adam,
  stateTrees: (s) => [s.m, s.v],
})

// -------------------------------------------------------------------------------------
// SGD
// -------------------------------------------------------------------------------------

describe('sgd', () => {
  it('equals w - lr * (rescaleGrad * g) bit for bit', () => {
    fc.assert(
      fc.property(sgdOptions, trajectory(1), (o, { params, grads }) => {
        const lr = o.learningRate
        const r = o.rescaleGrad ?? 1
        const opt = sgd(o)
        const [next] = opt.step(opt.init(params), params, grads[0]!)
        const w = flat(params)
        const g = flat(grads[0]!)
        expect(snapshot(flat(next))).toEqual(snapshot(w.map((wi, i) => wi - lr * (r * g[i]!))))
      }),
    )
  })

  it('equals the same formula applied step after step, bit for bit, over 1..10 steps (its state is only the count)', () => {
    fc.assert(
      fc.property(sgdOptions, trajectory(10), (o, { params, grads }) => {
        const history = run(sgd(o), params, grads)
        const w = flat(params)
        grads.forEach((g, t) => {
          const gs = flat(g)
          for (let i = 0; i < w.length; i++) w[i] = w[i]! - o.learningRate * (gs[i]! * (o.rescaleGrad ?? 1))
          expect(flat(history[t]![0])).toEqualBits(w)
          expect(history[t]![1]).toEqual({ count: t + 1 })
        })
      }),
    )
  })
})

// -------------------------------------------------------------------------------------
// Adam
// -------------------------------------------------------------------------------------

/**
 * Adam written out independently for plain number arrays, in the evaluation order that
 * docs/optimizers.md fixes: g = grad·r; m = β1·m + (1-β1)·g; v = β2·v + ((1-β2)·g)·g;
 * lr_t = lr·(√(1-β2^t) / (1-β1^t)); w = w - (lr_t·m)/(√v + ε), with β^t the library's own
 * correctly rounded powInt (src/elementary), which docs/optimizers.md names.
 */
const adamReference = (
  o: Required<AdamOptions>,
  w0: ReadonlyArray<number>,
  gradSteps: ReadonlyArray<ReadonlyArray<number>>,
): { w: number[]; m: number[]; v: number[] } => {
  const w = [...w0]
  const m = w0.map(() => 0)
  const v = w0.map(() => 0)
  for (let s = 0; s < gradSteps.length; s++) {
    const t = s + 1
    const lrT = o.learningRate * (Math.sqrt(1 - powInt(o.beta2, t)) / (1 - powInt(o.beta1, t)))
    const grad = gradSteps[s]!
    for (let i = 0; i < w.length; i++) {
      const g = grad[i]! * o.rescaleGrad
      m[i] = o.beta1 * m[i]! + (1 - o.beta1) * g
      v[i] = o.beta2 * v[i]! + (1 - o.beta2) * g * g
      w[i] = w[i]! - (lrT * m[i]!) / (Math.sqrt(v[i]!) + o.epsilon)
    }
  }
  return { w, m, v }
}

/**
 * The shortfall bound of one Adam step under a constant gradient (the first step is the
 * case t = 1). With m_0 = v_0 = 0 and the same rescaled gradient ĝ at steps 1..t, exactly
 * m_t = (1-β1^t)·ĝ and v_t = (1-β2^t)·ĝ², so with a = √(1-β2^t)·|ĝ|
 *   Δw = -lr_t·m_t/(√v_t + ε) = -lr·sign(ĝ)·a/(a + ε),   hence   |Δw + lr·sign(ĝ)| = lr·ε/(a + ε).
 * Rounding: m_t and v_t are sums of same-sign terms (relative error <= 2t·u each);
 * 1 - β^t loses about β^t/(1-β^t) ulps to cancellation (κ below, allowing 2 ulps for
 * Math.pow); the remaining operations add a few u; w - U and the test's w' - w each round
 * once relative to |w| + |U|. The slack below is that sum with a factor of 4 to spare.
 */
const constantGradientBound = (o: Required<AdamOptions>, t: number, gHat: number, w: number): number => {
  const a = Math.sqrt(1 - Math.pow(o.beta2, t)) * Math.abs(gHat)
  const kappa1 = Math.pow(o.beta1, t) / (1 - Math.pow(o.beta1, t))
  const kappa2 = Math.pow(o.beta2, t) / (1 - Math.pow(o.beta2, t))
  const rel = U * (4 * t + 4 * kappa1 + 2 * kappa2 + 16)
  return (o.learningRate * o.epsilon) / (a + o.epsilon) + 4 * rel * o.learningRate + 4 * U * (Math.abs(w) + o.learningRate)
}

describe('adam', () => {
  it('equals an independent scalar transcription bit for bit over 1..10 steps (w, m and v)', () => {
    fc.assert(
      fc.property(adamOptions, trajectory(10), (o, { params, grads }) => {
        const [next, state] = last(run(adam(o), params, grads))
        const ref = adamReference(o, flat(params), grads.map(flat))
        expect(snapshot(flat(next))).toEqual(snapshot(ref.w))
        expect(snapshot(flat(state.m))).toEqual(snapshot(ref.m))
        expect(snapshot(flat(state.v))).toEqual(snapshot(ref.v))
      }),
    )
  })

  it('init gives zero moments', () => {
    fc.assert(
      fc.property(trajectory(1), ({ params }) => {
        const s = adam({ learningRate: 0.1 }).init(params)
        for (const x of [...flat(s.m), ...flat(s.v)]) expect(Object.is(x, 0)).toBe(true)
      }),
    )
  })

  it('the first step moves each entry by lr·sign(ĝ) up to lr·ε/(√(1-β2)·|ĝ| + ε), and not at all where ĝ = 0', () => {
    fc.assert(
      fc.property(adamOptions, trajectory(1), (o, { params, grads }) => {
        const opt = adam(o)
        const [next] = opt.step(opt.init(params), params, grads[0]!)
        const w = flat(params)
        const g = flat(grads[0]!)
        flat(next).forEach((w1, i) => {
          const gHat = g[i]! * o.rescaleGrad
          if (gHat === 0) {
            expect(Object.is(w1, w[i])).toBe(true)
          } else {
            const shortfall = Math.abs(w1 - w[i]! + o.learningRate * Math.sign(gHat))
            expect(shortfall).toBeLessThanOrEqual(constantGradientBound(o, 1, gHat, w[i]!))
          }
        })
      }),
    )
  })

  it('under a constant gradient every step moves by lr·sign(ĝ) up to lr·ε/(√(1-β2^t)·|ĝ| + ε)', () => {
    fc.assert(
      fc.property(adamOptions, trajectory(1), fc.integer({ min: 1, max: 10 }), (o, { params, grads }, steps) => {
        const g = grads[0]!
        const history = run(adam(o), params, Array.from({ length: steps }, () => g))
        const gs = flat(g)
        let before = flat(params)
        history.forEach(([p], s) => {
          const after = flat(p)
          after.forEach((w1, i) => {
            const gHat = gs[i]! * o.rescaleGrad
            if (gHat === 0) expect(Object.is(w1, before[i])).toBe(true)
            else {
              const shortfall = Math.abs(w1 - before[i]! + o.learningRate * Math.sign(gHat))
              expect(shortfall).toBeLessThanOrEqual(constantGradientBound(o, s + 1, gHat, before[i]!))
            }
          })
          before = after
        })
      }),
    )
  })

  it("Gluon's trainer.step(B): rescaleGrad 1/B on summed grads is bit-identical to grads/B when B is a power of two", () => {
    fc.assert(
      fc.property(adamOptions, trajectory(5), fc.integer({ min: 0, max: 10 }), (o, { params, grads }, k) => {
        const B = 2 ** k
        const mean = grads.map((g) => mapTree(g, (m: Matrix) => fromFlat(m.rows, m.cols, toFlat(m).map((x) => x / B))))
        const a = run(adam({ ...o, rescaleGrad: 1 / B }), params, grads)
        const b = run(adam({ ...o, rescaleGrad: 1 }), params, mean)
        expect(snapshot(b)).toEqual(snapshot(a))
      }),
    )
  })

  it("Gluon's trainer.step(B) for any B (default betas): grads·(1/B) and grads/B agree within a derived tolerance", () => {
    // g·fl(1/B) and g/B differ by at most 3u relative. With Gluon's betas and t <= 10 the
    // update is at most C·lr with C <= 1.1 (Cauchy-Schwarz on m against v), and it moves by
    // at most 2·3u·C·lr under such a perturbation, plus about 10u·C·lr of its own rounding in
    // each run; each w - U rounds once. Over T steps:
    //   |w_a - w_b| <= T·(32u·lr + 4u·(|w_0| + 1.1·T·lr)), checked with a factor 2 to spare.
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 1000 }),
        trajectory(10),
        (lr, B, { params, grads }) => {
          const o = { learningRate: lr, ...adamDefaults }
          const mean = grads.map((g) => mapTree(g, (m: Matrix) => fromFlat(m.rows, m.cols, toFlat(m).map((x) => x / B))))
          const [a] = last(run(adam({ ...o, rescaleGrad: 1 / B }), params, grads))
          const [b] = last(run(adam(o), params, mean))
          const T = grads.length
          const w0 = flat(params)
          const bs = flat(b)
          flat(a).forEach((x, i) => {
            const tol = 2 * T * (32 * U * lr + 4 * U * (Math.abs(w0[i]!) + 1.1 * T * lr))
            expect(Math.abs(x - bs[i]!)).toBeLessThanOrEqual(tol)
          })
        },
      ),
    )
  })

  it('the docs/optimizers.md usage example gives the values it shows', () => {
    const opt = adam({ learningRate: 0.05, rescaleGrad: 1 / 8 })
    const params = { W: fromArrays([[1, 2]]), b: fromArrays([[0]]) }
    const grads = { W: fromArrays([[4, -4]]), b: fromArrays([[0]]) }
    const [params1, state1] = opt.step(opt.init(params), params, grads)
    expect(toArrays(params1.W)).toEqual([[0.9500000316227566, 2.0499999683772434]])
    expect(toArrays(params1.b)).toEqual([[0]])
    expect(state1.count).toBe(1)
    const [params2, state2] = opt.step(state1, params1, grads)
    expect(toArrays(params2.W)).toEqual([[0.9000000539890189, 2.099999946010981]])
    expect(state2.count).toBe(2)
  })

  it('a mismatched state (m, v of other params) throws a ShapeError naming the path', () => {
    const params = { W: fromFlat(2, 3, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const other = { W: fromFlat(3, 2, [1, 2, 3, 4, 5, 6]), b: fromFlat(1, 3, [0, 0, 0]) }
    const opt = adam({ learningRate: 0.1 })
    expect(() => opt.step(opt.init(other), params, params)).toThrow(
      `adam.step: params vs state (m, v): at W: a ${shapeOf(params.W)} matrix and a ${shapeOf(other.W)} matrix`,
    )
  })

  it('a state with a corrupt count throws a RangeError', () => {
    const params = [fromFlat(1, 1, [1])]
    const opt = adam({ learningRate: 0.1 })
    expect(() => opt.step({ ...opt.init(params), count: -1 }, params, params)).toThrow(RangeError)
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
  beta1: 'a number in [0, 1)',
  beta2: 'a number in [0, 1)',
  epsilon: 'a finite number > 0',
  rescaleGrad: 'a finite number > 0',
}

describe('option validation', () => {
  it('every invalid Adam option throws a RangeError naming the option, the value and the range', () => {
    const bad = fc.oneof(
      fc.tuple(fc.constantFrom('learningRate', 'epsilon', 'rescaleGrad'), positiveFiniteBad),
      fc.tuple(fc.constantFrom('beta1', 'beta2'), unitIntervalBad),
    )
    fc.assert(
      fc.property(adamOptions, bad, (o, [name, value]) => {
        const options = { ...o, [name]: value }
        const message = `adam: ${name} must be ${ranges[name]!}, got ${show(value)}`
        expect(() => adam(options)).toThrow(RangeError)
        expect(() => adam(options)).toThrow(message)
        expect(validateAdamOptions(options)).toEqual(E.left(message))
      }),
    )
  })

  it('every invalid SGD option throws a RangeError naming the option, the value and the range', () => {
    fc.assert(
      fc.property(sgdOptions, fc.constantFrom('learningRate', 'rescaleGrad'), positiveFiniteBad, (o, name, value) => {
        const options = { ...o, [name]: value }
        const message = `sgd: ${name} must be ${ranges[name]!}, got ${show(value)}`
        expect(() => sgd(options)).toThrow(RangeError)
        expect(() => sgd(options)).toThrow(message)
        expect(validateSgdOptions(options)).toEqual(E.left(message))
      }),
    )
  })

  it('valid options pass with the defaults filled in', () => {
    fc.assert(
      fc.property(adamOptions, (o) => {
        expect(validateAdamOptions(o)).toEqual(E.right(o))
        expect(validateAdamOptions({ learningRate: o.learningRate })).toEqual(
          E.right({ learningRate: o.learningRate, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, rescaleGrad: 1 }),
        )
      }),
    )
    expect(validateSgdOptions({ learningRate: 0.1 })).toEqual(E.right({ learningRate: 0.1, rescaleGrad: 1 }))
  })

  it('a missing learning rate, a wrong type, an unknown key and a non-record are reported, all at once', () => {
    expect(validateAdamOptions({})).toEqual(E.left('adam: learningRate is required: a finite number > 0'))
    expect(() => adam({ learningRate: '0.1' } as unknown as AdamOptions)).toThrow(
      'adam: learningRate must be a finite number > 0, got "0.1" (a string)',
    )
    expect(validateAdamOptions({ learningRate: 0.1, beta_1: 0.5 })).toEqual(
      E.left('adam: unknown option "beta_1" (known options: learningRate, beta1, beta2, epsilon, rescaleGrad)'),
    )
    expect(validateSgdOptions(null)).toEqual(E.left('sgd: options must be a record, got null'))
    const both = validateAdamOptions({ learningRate: 0, epsilon: -1 })
    expect(both).toEqual(
      E.left('adam: learningRate must be a finite number > 0, got 0; adam: epsilon must be a finite number > 0, got -1'),
    )
  })
})

// -------------------------------------------------------------------------------------
// the network step the GAN uses (internal): adamNetworkReady and adamStepInto on a flat block
// -------------------------------------------------------------------------------------

/** Sequential-network parameters: 1..3 layers of { W (d x m), b (1 x m) }, widths 1..4. */
const networkParams = fc
  .record({ widths: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 2, maxLength: 4 }), values: pool(), grads: fc.array(pool(), { minLength: 1, maxLength: 4 }) })
  .map(({ widths, values, grads }) => {
    const s: Skeleton = {
      kind: 'array',
      items: widths.slice(1).map((m, l) => ({
        kind: 'record' as const,
        fields: [
          ['W', { kind: 'leaf' as const, rows: widths[l]!, cols: m }],
          ['b', { kind: 'leaf' as const, rows: 1, cols: m }],
        ] as const,
      })),
    }
    return {
      params: build(s, values) as unknown as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>,
      grads: grads.map((g) => build(s, g)),
    }
  })

const adamConfig = adamOptions.map(({ beta1, beta2, epsilon }) => ({ beta1, beta2, epsilon }))

describe('adamStepInto and adamNetworkReady (the GAN step on flat blocks)', () => {
  it('adamStepInto equals adam({ learningRate, ...adamConfig, rescaleGrad: 1/n }).step bit for bit over several steps, each step reading the last one\'s [w | m | v] block, at any offsets, writing only its 3P entries', () => {
    const PAD = -7.25
    fc.assert(
      fc.property(
        fc.double({ min: 1e-4, max: 1, noNaN: true }),
        adamConfig,
        fc.integer({ min: 1, max: 64 }),
        networkParams,
        fc.nat(5),
        fc.nat(5),
        fc.nat(5),
        (lr, cfg, n, { params, grads }, gOff, srcOff, outOff) => {
          const opt = adam({ learningRate: lr, ...cfg, rescaleGrad: 1 / n })
          let refParams: ParamTree = params as unknown as ParamTree
          let refState = opt.init(refParams)
          expect(adamNetworkReady(lr, cfg, refState, params, grads.length)).toBe(true)
          const P = flat(refParams).length
          // the first block: the parameters and the zero moments, at srcOff inside padding
          let src = new Float64Array(srcOff + 3 * P + 2).fill(PAD)
          src.set([...flat(refParams), ...flat(refState.m), ...flat(refState.v)], srcOff)
          let at = srcOff
          for (const g of grads) {
            const count = refState.count
            ;[refParams, refState] = opt.step(refState, refParams, g)
            const flatG = new Float64Array(gOff + P + 2).fill(PAD)
            flatG.set(flat(g), gOff)
            const before = snapshot(Array.from(src))
            const gBefore = snapshot(Array.from(flatG))
            const out = new Float64Array(outOff + 3 * P + 2).fill(PAD)
            const k = adamStepConstants({ learningRate: lr, ...cfg, rescaleGrad: 1 / n }, count)
            adamStepInto(k, P, { data: flatG, off: gOff }, { data: src, off: at }, { data: out, off: outOff })
            expect(snapshot(Array.from(out.subarray(outOff, outOff + 3 * P)))).toEqual(
              snapshot([...flat(refParams), ...flat(refState.m), ...flat(refState.v)]),
            )
            expect([...out.subarray(0, outOff), ...out.subarray(outOff + 3 * P)].every((x) => x === PAD)).toBe(true)
            expect(snapshot(Array.from(src))).toEqual(before)
            expect(snapshot(Array.from(flatG))).toEqual(gBefore)
            src = out
            at = outOff
          }
        },
      ),
    )
  })

  it('adamNetworkReady holds exactly for valid options, a count with room for the steps, and arrays of { W, b } records of one shape each', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 1, noNaN: true }), adamConfig, networkParams, fc.nat(3), (lr, cfg, { params }, steps) => {
        const state = adam({ learningRate: lr, ...cfg }).init(params as unknown as ParamTree)
        const ready = (l: unknown, c: unknown, s: AdamState, p: unknown, k = steps): boolean => adamNetworkReady(l, c, s, p, k)
        expect(ready(lr, cfg, state, params)).toBe(true)
        // Options: not a record, a key missing, an extra key, a wrong key, a bad value.
        for (const c of [null, [cfg.beta1, cfg.beta2, cfg.epsilon], 'cfg', { beta1: cfg.beta1, beta2: cfg.beta2 }, { ...cfg, rescaleGrad: 1 }]) {
          expect(ready(lr, c, state, params)).toBe(false)
        }
        for (const key of ['beta1', 'beta2', 'epsilon'] as const) {
          const { [key]: _, ...rest } = cfg
          expect(ready(lr, { ...rest, beta_x: 0.5 }, state, params)).toBe(false)
          expect(ready(lr, { ...cfg, [key]: key === 'epsilon' ? 0 : 1 }, state, params)).toBe(false)
          expect(ready(lr, { ...cfg, [key]: key === 'epsilon' ? -1 : -0.5 }, state, params)).toBe(false)
          expect(ready(lr, { ...cfg, [key]: String(cfg[key]) }, state, params)).toBe(false)
        }
        for (const l of [0, -lr, Number.NaN, Number.POSITIVE_INFINITY, String(lr)]) expect(ready(l, cfg, state, params)).toBe(false)
        // Count: not an integer, negative, or no room left for `steps` more steps.
        for (const count of [-1, 0.5, Number.NaN, '0', Number.MAX_SAFE_INTEGER - steps + 1]) {
          expect(ready(lr, cfg, { ...state, count } as unknown as AdamState, params)).toBe(false)
        }
        expect(ready(lr, cfg, { ...state, count: Number.MAX_SAFE_INTEGER - steps }, params)).toBe(true)
        // Structure: not arrays, lengths differ, a layer not a { W, b } record of the params' shapes.
        const L = params.length
        const layer0 = params[0]!
        const wrongShape = { W: fromFlat(layer0.W.rows + 1, layer0.W.cols, new Array<number>((layer0.W.rows + 1) * layer0.W.cols).fill(0)), b: layer0.b }
        const wrongBias = { W: layer0.W, b: fromFlat(1, layer0.b.cols + 1, new Array<number>(layer0.b.cols + 1).fill(0)) }
        const tallBias = { W: layer0.W, b: fromFlat(2, layer0.b.cols, new Array<number>(2 * layer0.b.cols).fill(0)) }
        const wideW = { W: fromFlat(layer0.W.rows, layer0.W.cols + 1, new Array<number>(layer0.W.rows * (layer0.W.cols + 1)).fill(0)), b: layer0.b }
        const corrupt: unknown[] = [
          { W: layer0.W },
          { W: layer0.W, b: layer0.b, gamma: layer0.b },
          { W: layer0.W, b: 1 },
          { W: toFlat(layer0.W), b: layer0.b },
          layer0.W,
          [layer0.W, layer0.b],
          null,
          wrongShape,
          wrongBias,
          tallBias,
          wideW,
        ]
        for (const tree of ['params', 'm', 'v'] as const) {
          const base = { params: params as unknown as ParamTree[], m: state.m as ParamTree[], v: state.v as ParamTree[] }
          const check = (replaced: unknown): boolean =>
            ready(lr, cfg, { ...state, m: (tree === 'm' ? replaced : base.m) as ParamTree, v: (tree === 'v' ? replaced : base.v) as ParamTree }, tree === 'params' ? replaced : base.params)
          expect(check({ ...base[tree] })).toBe(false)
          expect(check(base[tree].slice(1))).toBe(false)
          expect(check([...base[tree], base[tree][L - 1]])).toBe(false)
          for (const c of corrupt) {
            // A params layer whose W is wider fits its own m and v only if they are wider too.
            expect(check([c, ...base[tree].slice(1)])).toBe(false)
          }
        }
      }),
    )
  })
})

describe('option and state validation messages, every branch', () => {
  it('describes each kind of bad value: null, array, record, boolean, string; a non-record options value; unknown keys in sorted order', () => {
    const lr = (value: unknown): unknown => validateAdamOptions({ learningRate: value })
    expect(lr(null)).toEqual(E.left('adam: learningRate must be a finite number > 0, got null'))
    expect(lr([1])).toEqual(E.left('adam: learningRate must be a finite number > 0, got an array'))
    expect(lr({ v: 1 })).toEqual(E.left('adam: learningRate must be a finite number > 0, got an object'))
    expect(lr(true)).toEqual(E.left('adam: learningRate must be a finite number > 0, got true (a boolean)'))
    expect(lr(-0)).toEqual(E.left('adam: learningRate must be a finite number > 0, got -0'))
    // A numeric string passes `x >= 0 && x < 1` by coercion; it must still be refused as a string.
    expect(validateAdamOptions({ learningRate: 0.1, beta1: '0.5' })).toEqual(E.left('adam: beta1 must be a number in [0, 1), got "0.5" (a string)'))
    expect(validateSgdOptions(5)).toEqual(E.left('sgd: options must be a record, got 5'))
    expect(validateSgdOptions('x')).toEqual(E.left('sgd: options must be a record, got "x" (a string)'))
    expect(validateSgdOptions([0.1])).toEqual(E.left('sgd: options must be a record, got an array'))
    expect(validateSgdOptions(undefined)).toEqual(E.left('sgd: options must be a record, got undefined (a undefined)'))
    expect(validateSgdOptions({ zeta: 1, learningRate: 0.1, alpha: 2 })).toEqual(
      E.left('sgd: unknown option "alpha" (known options: learningRate, rescaleGrad); sgd: unknown option "zeta" (known options: learningRate, rescaleGrad)'),
    )
  })

  it('a corrupt state count names the optimiser', () => {
    const params = [fromFlat(1, 1, [1])]
    const a = adam({ learningRate: 0.1 })
    const s = sgd({ learningRate: 0.1 })
    expect(() => a.step({ ...a.init(params), count: -1 }, params, params)).toThrow(
      new RangeError('adam.step: state.count must be a non-negative integer, got -1'),
    )
    expect(() => s.step({ count: 2.5 }, params, params)).toThrow(new RangeError('sgd.step: state.count must be a non-negative integer, got 2.5'))
    expect(() => s.step({ count: '1' } as unknown as SgdState, params, params)).toThrow(
      new RangeError('sgd.step: state.count must be a non-negative integer, got "1" (a string)'),
    )
  })
})

describe('adamNetworkReady and adamStepInto: the edges of "arrays of { W, b } records"', () => {
  const lr = 0.01
  const cfg = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
  const layer = (d: number, m: number, seed: number) => ({
    W: fromFlat(d, m, Array.from({ length: d * m }, (_, i) => Math.sin(seed + i))),
    b: fromFlat(1, m, Array.from({ length: m }, (_, i) => Math.cos(seed + i))),
  })
  const params = [layer(2, 3, 1), layer(3, 2, 2)]
  const state = adam({ learningRate: lr, ...cfg }).init(params)
  const m = state.m as unknown as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>
  const v = state.v as unknown as ReadonlyArray<{ readonly W: Matrix; readonly b: Matrix }>
  const withTrees = (p: unknown, mm: unknown, vv: unknown, s: AdamState = state): boolean =>
    adamNetworkReady(lr, cfg, { ...s, m: mm as ParamTree, v: vv as ParamTree }, p, 1)

  it('options: undefined, and a wrong key whose missing option is inherited from a prototype, are refused', () => {
    expect(adamNetworkReady(lr, undefined, state, params, 1)).toBe(false)
    // Three own keys, one of them unknown; `epsilon` is only inherited (the spread that
    // builds the checked optimiser's options would not copy it, and would pass beta_x on).
    const inherited = Object.assign(Object.create({ epsilon: 1e-8 }) as object, { beta1: 0.9, beta2: 0.999, beta_x: 0.5 })
    expect(adamNetworkReady(lr, inherited, state, params, 1)).toBe(false)
    expect(() => adam({ learningRate: lr, ...(inherited as object), rescaleGrad: 1 } as AdamOptions)).toThrow(RangeError)
    for (const keys of [['beta1', 'beta2', 'beta_x'], ['beta1', 'beta_x', 'epsilon'], ['beta_x', 'beta2', 'epsilon']]) {
      const own = Object.fromEntries(keys.map((k) => [k, k === 'beta_x' ? 0.5 : cfg[k as keyof typeof cfg]]))
      const proto = Object.fromEntries(Object.entries(cfg).filter(([k]) => !keys.includes(k)))
      expect(adamNetworkReady(lr, Object.assign(Object.create(proto) as object, own), state, params, 1)).toBe(false)
    }
  })

  it('array-likes with a length, undefined or null layers, null or non-matrix W and b, functions, string rows: refused in any of the three trees', () => {
    const arrayLike = (xs: ReadonlyArray<unknown>): unknown => Object.assign({ length: xs.length }, { ...xs })
    expect(withTrees(arrayLike(params), m, v)).toBe(false)
    expect(withTrees(params, arrayLike(m), v)).toBe(false)
    expect(withTrees(params, m, arrayLike(v))).toBe(false)
    const l0 = params[0]!
    const plain = (x: Matrix): unknown => ({ rows: x.rows, cols: x.cols, data: Array.from(x.data as unknown as Float64Array) })
    const corrupt: unknown[] = [
      undefined,
      { W: null, b: l0.b },
      { W: l0.W, b: null },
      { W: plain(l0.W), b: l0.b },
      { W: l0.W, b: plain(l0.b) },
      Object.assign(() => 0, { W: l0.W, b: l0.b }),
    ]
    for (const c of corrupt) {
      expect(withTrees([c, params[1]], m, v)).toBe(false)
      expect(withTrees(params, [c, m[1]], v)).toBe(false)
      expect(withTrees(params, m, [c, v[1]])).toBe(false)
      expect(withTrees([c, params[1]], [c, m[1]], [c, v[1]])).toBe(false)
    }
    // A W whose rows is the string of the right number, in all three trees.
    const stringRows = (x: Matrix): Matrix => ({ ...x, rows: String(x.rows) }) as unknown as Matrix
    const sr = (t: { readonly W: Matrix; readonly b: Matrix }) => ({ W: stringRows(t.W), b: t.b })
    expect(withTrees([sr(params[0]!), params[1]], [sr(m[0]!), m[1]], [sr(v[0]!), v[1]])).toBe(false)
  })

  it('the empty network and layers with zero rows or zero units are ready, and their step equals the checked step bit for bit', () => {
    for (const p of [[], [layer(0, 3, 3)], [layer(2, 0, 4)], [layer(0, 0, 5), layer(0, 2, 6)], [layer(2, 3, 7), layer(3, 0, 8)]]) {
      const opt = adam({ learningRate: lr, ...cfg, rescaleGrad: 1 / 3 })
      const s = opt.init(p as unknown as ParamTree)
      expect(adamNetworkReady(lr, cfg, s, p, 2)).toBe(true)
      const g = mapTree(p as unknown as ParamTree, (x: Matrix) => fromFlat(x.rows, x.cols, toFlat(x).map((y) => 3 * y + 1)))
      const [refP, refS] = opt.step(s, p as unknown as ParamTree, g)
      const flatG = Float64Array.from(flat(g))
      const P = flatG.length
      const src = Float64Array.from([...flat(p as unknown as ParamTree), ...flat(s.m), ...flat(s.v)])
      const out = new Float64Array(3 * P)
      adamStepInto(adamStepConstants({ learningRate: lr, ...cfg, rescaleGrad: 1 / 3 }, s.count), P, { data: flatG, off: 0 }, { data: src, off: 0 }, { data: out, off: 0 })
      expect(snapshot(Array.from(out))).toEqual(snapshot([...flat(refP), ...flat(refS.m), ...flat(refS.v)]))
    }
  })
})
