/**
 * Issue 18's evaluation of a generator of digits (src/classifier/generator-evaluation.ts):
 * each function against its definition built from the public parts (`sampleGenerator`,
 * `classifierProbabilities`, `classifierScore`, `featureFrechetDistance`, `parzenSigma`,
 * `parzenLogLikelihood`) bit for bit on small random generators and classifiers; determinism
 * and plain JSON; the refusals with their exact one-line messages, made before any sample is
 * drawn; and a non-finite generator refused as `assertFiniteSamples` refuses it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type DigitClassifier,
  classifierProbabilities,
  evaluateGeneratedDigits,
  featureFrechetDistance,
  parzenEvaluation,
  realDigitReference,
  trainDigitClassifier,
} from '../../src/classifier/index.js'
import { digitClassifierParamCount } from '../../src/classifier/digit-classifier.js'
import { type GanConfig, type GanState, NonFiniteSamplesError, assertFiniteSamples, dataWidth, initialState, sampleGenerator, seedConfig } from '../../src/gan/index.js'
import { stateWith } from '../../src/gan/state.js'
import { type Matrix, ShapeError, fromArrays, fromFlat, toArrays } from '../../src/matrix/index.js'
import { classifierScore, logspaceSigmas, parzenLogLikelihood, parzenSigma } from '../../src/metrics/index.js'
import { type Rng, rngFromSeed } from '../../src/random/index.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { thrown } from '../support/thrown.js'

// -------------------------------------------------------------------------------------
// inputs
// -------------------------------------------------------------------------------------

const TRAINING = { rows: 0, epochs: 1, batchSize: 1, learningRate: 0.001 }

/** A classifier of `width` inputs with 1..2 hidden layers of 1..4 units and parameters in [-1, 1]. */
const classifierOf = (width: number): fc.Arbitrary<DigitClassifier> =>
  fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }).chain((hidden) => {
    const count = digitClassifierParamCount(width, hidden)
    return fc
      .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: count, maxLength: count })
      .map((p) => ({ inputSize: width, hidden, parameters: Float64Array.from(p), training: TRAINING }))
  })

/** `rows` (in `lo..hi`) rows of `width` entries in [-3, 3]. */
const rowsOf = (width: number, lo: number, hi: number): fc.Arbitrary<Matrix> =>
  fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: width, maxLength: width }), { minLength: lo, maxLength: hi }).map(fromArrays)

/** A random small generator (ganConfig: width 1..3, 0..1 hidden layers), a classifier of its width, and test digits. */
const generatorCase = ganConfig.chain((config: GanConfig) => {
  const width = dataWidth(config.data)
  return fc.record({
    state: fc.constant(initialState(config)),
    classifier: classifierOf(width),
    test: rowsOf(width, 2, 7),
    samples: fc.integer({ min: 2, max: 30 }),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  })
})

/** What a call returns, or the class and message of what it throws. */
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() }
  } catch (e) {
    return { threw: (e as Error).constructor.name, message: (e as Error).message }
  }
}

// -------------------------------------------------------------------------------------
// the definitions, from the public parts
// -------------------------------------------------------------------------------------

const evaluateDefinition = (state: GanState, c: DigitClassifier, test: Matrix, samples: number, rng: Rng) => {
  const [g] = sampleGenerator(state, rng, samples)
  assertFiniteSamples(g, state)
  return { samples, classifierScore: classifierScore(classifierProbabilities(c, g)), fid: featureFrechetDistance(c, g, test) }
}

const parzenDefinition = (state: GanState, validation: Matrix, test: Matrix, samples: number, sigmas: number[], rng: Rng) => {
  const [s] = sampleGenerator(state, rng, samples)
  assertFiniteSamples(s, state)
  const choice = parzenSigma(validation, s, sigmas)
  const r = parzenLogLikelihood(test, s, choice.sigma)
  return { samples, sigma: choice.sigma, sigmas: sigmas.map((sigma, k) => ({ sigma, validationMean: choice.means[k] })), mean: r.mean, standardError: r.standardError }
}

/** Deep equality with numbers compared by `Object.is` (vitest's `toEqual` does so for primitives). */
const sameBits = (got: unknown, want: unknown): void => expect(got).toEqual(want)

// -------------------------------------------------------------------------------------
// against the definitions
// -------------------------------------------------------------------------------------

describe('evaluateGeneratedDigits', () => {
  it('is classifierScore(classifierProbabilities(c, G)) and featureFrechetDistance(c, G, test) of G = sampleGenerator(state, rng, n), bit for bit', () => {
    fc.assert(
      fc.property(generatorCase, ({ state, classifier, test, samples, seed }) => {
        const got = outcome(() => evaluateGeneratedDigits(state, classifier, test, { samples }, rngFromSeed(seed)))
        sameBits(got, outcome(() => evaluateDefinition(state, classifier, test, samples, rngFromSeed(seed))))
      }),
      { numRuns: 150 },
    )
  })

  it('with a trained classifier: the definition, deterministic, plain JSON, arguments unchanged', () => {
    const x = fromArrays([[-1, 0], [-1, 1], [-2, 0], [1, 0], [1, 1], [2, 0], [0, 2], [0, 3], [1, 3]])
    const c = trainDigitClassifier(x, [0, 0, 0, 1, 1, 1, 2, 2, 2], { hidden: [6, 4], epochs: 20, batchSize: 3, learningRate: 0.05 }, rngFromSeed(3))
    const state = initialState({ ...seedConfig, init: { weightStd: 1, biasInit: 'zeros' } })
    const before = toArrays(x)
    const params = Float64Array.from(c.parameters)
    const a = evaluateGeneratedDigits(state, c, x, { samples: 200 }, rngFromSeed(9))
    const b = evaluateGeneratedDigits(state, c, x, { samples: 200 }, rngFromSeed(9))
    sameBits(a, b)
    sameBits(a, evaluateDefinition(state, c, x, 200, rngFromSeed(9)))
    expect(Object.keys(a)).toEqual(['samples', 'classifierScore', 'fid'])
    expect(JSON.parse(JSON.stringify(a))).toEqual(a)
    expect(a.classifierScore).toBeGreaterThanOrEqual(1)
    expect(a.classifierScore).toBeLessThanOrEqual(10)
    expect(toArrays(x)).toEqual(before)
    expect(c.parameters).toEqual(params)
    // another stream, other samples
    expect(evaluateGeneratedDigits(state, c, x, { samples: 200 }, rngFromSeed(10)).fid).not.toBe(a.fid)
  })
})

describe('realDigitReference', () => {
  it("is classifierScore(classifierProbabilities(c, test)) and featureFrechetDistance(c, reference, test), bit for bit", () => {
    const input = fc.integer({ min: 1, max: 4 }).chain((w) => fc.record({ c: classifierOf(w), test: rowsOf(w, 2, 8), reference: rowsOf(w, 2, 8) }))
    fc.assert(
      fc.property(input, ({ c, test, reference }) => {
        const got = outcome(() => realDigitReference(c, test, reference))
        sameBits(got, outcome(() => ({ classifierScore: classifierScore(classifierProbabilities(c, test)), fid: featureFrechetDistance(c, reference, test) })))
      }),
      { numRuns: 150 },
    )
  })

  it('a set against itself: FID 0 up to the square roots, deterministic, plain JSON', () => {
    const c: DigitClassifier = { inputSize: 1, hidden: [1], parameters: Float64Array.from([1, 0, ...new Array(20).fill(0)]), training: TRAINING }
    const t = fromArrays([[0], [1], [3], [7]])
    const r = realDigitReference(c, t, t)
    expect(r).toEqual(realDigitReference(c, t, t))
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
    expect(r.classifierScore).toBe(1)
    expect(Math.abs(r.fid)).toBeLessThan(1e-12)
  })
})

describe('parzenEvaluation', () => {
  const parzenCase = ganConfig.chain((config: GanConfig) => {
    const width = dataWidth(config.data)
    return fc.record({
      state: fc.constant(initialState(config)),
      validation: rowsOf(width, 1, 6),
      test: rowsOf(width, 2, 6),
      samples: fc.integer({ min: 2, max: 25 }),
      sigmas: fc.array(fc.double({ min: 0.05, max: 5, noNaN: true }), { minLength: 1, maxLength: 5 }),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    })
  })

  it('is parzenSigma(V, S, sigmas) then parzenLogLikelihood(T, S, σ) with one S = sampleGenerator(state, rng, n), bit for bit', () => {
    fc.assert(
      fc.property(parzenCase, ({ state, validation, test, samples, sigmas, seed }) => {
        const got = outcome(() => parzenEvaluation(state, validation, test, { samples, sigmas }, rngFromSeed(seed)))
        sameBits(got, outcome(() => parzenDefinition(state, validation, test, samples, sigmas, rngFromSeed(seed))))
      }),
      { numRuns: 150 },
    )
  })

  it("issue 18's grid: the definition, deterministic, every candidate in order, plain JSON", () => {
    const state = initialState({ ...seedConfig, init: { weightStd: 1, biasInit: 'zeros' } })
    const v = fromArrays([[0, 0], [0.5, -0.2], [1, 1]])
    const t = fromArrays([[0.2, 0.1], [-0.1, 0], [2, 2]])
    const sigmas = logspaceSigmas(-1, 0, 10)
    const r = parzenEvaluation(state, v, t, { samples: 300, sigmas }, rngFromSeed(18))
    sameBits(r, parzenDefinition(state, v, t, 300, sigmas, rngFromSeed(18)))
    sameBits(r, parzenEvaluation(state, v, t, { samples: 300, sigmas }, rngFromSeed(18)))
    expect(r.sigmas.map((c) => c.sigma)).toEqual(sigmas)
    expect(Object.keys(r)).toEqual(['samples', 'sigma', 'sigmas', 'mean', 'standardError'])
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })
})

// -------------------------------------------------------------------------------------
// refusals
// -------------------------------------------------------------------------------------

describe('refusals, with their exact one-line messages', () => {
  const state = initialState(seedConfig)
  const c2: DigitClassifier = { inputSize: 2, hidden: [1], parameters: new Float64Array(23), training: TRAINING }
  const c3: DigitClassifier = { inputSize: 3, hidden: [1], parameters: new Float64Array(24), training: TRAINING }
  const t2 = fromArrays([[1, 2], [3, 4]])
  const rng = rngFromSeed(1)

  const expectError = (f: () => unknown, kind: typeof RangeError | typeof ShapeError, message: string): void => {
    const e = thrown(f)
    expect(e).toBeInstanceOf(kind)
    expect(e.message).toBe(message)
    expect(e.message).not.toContain('\n')
  }

  it('evaluateGeneratedDigits', () => {
    const op = 'evaluateGeneratedDigits'
    for (const n of [1, 0, -3, 2.5, 100001, NaN, Infinity]) {
      expectError(() => evaluateGeneratedDigits(state, c2, t2, { samples: n }, rng), RangeError, `${op}: options.samples must be an integer in 2..100000, got ${n}`)
    }
    expectError(() => evaluateGeneratedDigits(state, c3, fromArrays([[1, 2, 3], [4, 5, 6]]), { samples: 10 }, rng), ShapeError, `${op}: the classifier reads 3 columns but the generator makes 2`)
    expectError(() => evaluateGeneratedDigits(state, c2, fromArrays([[1, 2, 3], [4, 5, 6]]), { samples: 10 }, rng), ShapeError, `${op}: test must have the classifier's 2 columns, got (2x3)`)
    expectError(() => evaluateGeneratedDigits(state, c2, fromArrays([[1, 2]]), { samples: 10 }, rng), ShapeError, `${op}: test needs at least 2 rows, got (1x2)`)
    expectError(() => evaluateGeneratedDigits(state, c2, fromArrays([[1, 2], [NaN, 4]]), { samples: 10 }, rng), RangeError, `${op}: test must be finite; entry (1, 0) is NaN`)
    const bad = { ...c2, parameters: new Float64Array(22) }
    expectError(() => evaluateGeneratedDigits(state, bad, t2, { samples: 10 }, rng), ShapeError, `${op}: the classifier's 22 parameters do not fit its architecture 2 → 1 → 10, which has 23`)
  })

  it('realDigitReference', () => {
    const op = 'realDigitReference'
    expectError(() => realDigitReference(c2, fromArrays([[1, 2, 3], [4, 5, 6]]), t2), ShapeError, `${op}: test must have the classifier's 2 columns, got (2x3)`)
    expectError(() => realDigitReference(c2, t2, fromArrays([[1], [2]])), ShapeError, `${op}: reference must have the classifier's 2 columns, got (2x1)`)
    expectError(() => realDigitReference(c2, fromArrays([[1, 2]]), t2), ShapeError, `${op}: test needs at least 2 rows, got (1x2)`)
    expectError(() => realDigitReference(c2, t2, fromArrays([[1, 2]])), ShapeError, `${op}: reference needs at least 2 rows, got (1x2)`)
    expectError(() => realDigitReference(c2, t2, fromArrays([[1, 2], [3, Infinity]])), RangeError, `${op}: reference must be finite; entry (1, 1) is Infinity`)
  })

  it('parzenEvaluation', () => {
    const op = 'parzenEvaluation'
    const v = fromArrays([[0, 0]])
    for (const n of [1, 100001, 0.5]) {
      expectError(() => parzenEvaluation(state, v, t2, { samples: n, sigmas: [1] }, rng), RangeError, `${op}: options.samples must be an integer in 2..100000, got ${n}`)
    }
    expectError(() => parzenEvaluation(state, v, t2, { samples: 10, sigmas: [] }, rng), RangeError, `${op}: sigmas needs at least one candidate, got none`)
    expectError(() => parzenEvaluation(state, v, t2, { samples: 10, sigmas: [1, 0] }, rng), RangeError, `${op}: sigmas[1] must be a finite number in [1e-150, 1e150] (2σ² a normal double), got 0`)
    expectError(() => parzenEvaluation(state, fromArrays([[0, 0, 0]]), t2, { samples: 10, sigmas: [1] }, rng), ShapeError, `${op}: validation must have the generator's 2 columns, got (1x3)`)
    expectError(() => parzenEvaluation(state, v, fromArrays([[0], [1]]), { samples: 10, sigmas: [1] }, rng), ShapeError, `${op}: test must have the generator's 2 columns, got (2x1)`)
    expectError(() => parzenEvaluation(state, fromFlat(0, 2, []), t2, { samples: 10, sigmas: [1] }, rng), ShapeError, `${op}: validation needs at least 1 row, got (0x2)`)
    expectError(() => parzenEvaluation(state, v, fromArrays([[0, 0]]), { samples: 10, sigmas: [1] }, rng), ShapeError, `${op}: test needs at least 2 rows, got (1x2)`)
    expectError(() => parzenEvaluation(state, v, fromArrays([[0, 0], [-Infinity, 0]]), { samples: 10, sigmas: [1] }, rng), RangeError, `${op}: test must be finite; entry (1, 0) is -Infinity`)
  })

  it('a generator whose samples overflow: the NonFiniteSamplesError of assertFiniteSamples on the same samples', () => {
    // every weight and bias 1e308: each output is (z_1 + z_2 + 1)·1e308, infinite once |z_1 + z_2 + 1| > 1.8
    const huge = stateWith(state, { generator: state.generator.map((l) => ({ W: fromFlat(l.W.rows, l.W.cols, new Array(l.W.rows * l.W.cols).fill(1e308)), b: fromFlat(1, l.b.cols, new Array(l.b.cols).fill(1e308)) })) })
    const [s] = sampleGenerator(huge, rngFromSeed(5), 40)
    const want = thrown(() => assertFiniteSamples(s, huge))
    expect(want).toBeInstanceOf(NonFiniteSamplesError)
    for (const f of [
      () => evaluateGeneratedDigits(huge, c2, t2, { samples: 40 }, rngFromSeed(5)),
      () => parzenEvaluation(huge, fromArrays([[0, 0]]), t2, { samples: 40, sigmas: [1] }, rngFromSeed(5)),
    ]) {
      const e = thrown(f)
      expect(e).toBeInstanceOf(NonFiniteSamplesError)
      expect(e.message).toBe(want.message)
      expect(e.message).not.toContain('\n')
      expect((e as NonFiniteSamplesError).lastFiniteState).toBe(huge)
    }
  })
})
