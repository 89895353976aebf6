/**
 * The shipped objectives (src/objectives/) against literal scalar transcriptions of their
 * papers' formulas, bit for bit; their logit gradients against central differences; the
 * gradient each one leaves through the GAN's steps against central differences of its loss
 * as a function of the networks' parameters (computed with the checked, immutable network
 * operations); and minimax's vanishing gradient next to the non-saturating one's.
 * (Several training steps against the independent oracle: properties/oracle.test.ts.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { initialState, runData } from '../../src/gan/index.js'
import { type GanConfig, seedConfig } from '../../src/gan/config.js'
import { discriminatorSpec, generatorSpec } from '../../src/gan/state.js'
import { stepSpec } from '../../src/gan/update.js'
import { bindDiscriminatorStep, bindGeneratorStep, discriminatorGradientInto, discriminatorStepLayout, generatorGradientInto, generatorStepLayout } from '../../src/kernels/gan-step.js'
import { paramCount } from '../../src/kernels/network.js'
import { sigmoidBce, sigmoidBceGrad } from '../../src/loss/sigmoid-bce.js'
import { type Matrix, fromFlat, sliceRows, toFlat, vconcat } from '../../src/matrix/index.js'
import { flatBlock, paramViews } from '../../src/nn/blocks.js'
import { type NetworkSpec, forward, predict } from '../../src/nn/network.js'
import { OBJECTIVE_KINDS, type Objective, type ObjectiveSpec, hinge, leastSquares, minimax, nonsaturating, objectiveOf, wasserstein } from '../../src/objectives/index.js'
import { normalMatrix } from '../../src/random/normal.js'
import { expectGradientClose } from '../support/gradient-check.js'

/** A literal transcription: D's term per (real, fake) pair and its two derivatives; G's per fake logit. */
interface Transcription {
  readonly d: (zr: number, zf: number) => readonly [loss: number, dr: number, df: number]
  readonly g: (zf: number) => readonly [loss: number, dz: number]
}

const relu = (x: number): number => (x > 0 ? x : 0)

const transcriptions = (a: number, b: number, c: number): ReadonlyArray<readonly [Objective, Transcription]> => [
  [nonsaturating, {
    d: (zr, zf) => [(sigmoidBce(zr, 1) + sigmoidBce(zf, 0)) / 2, sigmoidBceGrad(zr, 1) * 0.5, sigmoidBceGrad(zf, 0) * 0.5],
    g: (z) => [sigmoidBce(z, 1), sigmoidBceGrad(z, 1)],
  }],
  [minimax, {
    d: (zr, zf) => [(sigmoidBce(zr, 1) + sigmoidBce(zf, 0)) / 2, sigmoidBceGrad(zr, 1) * 0.5, sigmoidBceGrad(zf, 0) * 0.5],
    // log(1 − sigmoid(z)) = −l(z, 0); its derivative −sigmoid(z) = −(sigmoid(z) − 0)
    g: (z) => [-sigmoidBce(z, 0), -sigmoidBceGrad(z, 0)],
  }],
  [leastSquares({ a, b, c }), {
    d: (zr, zf) => [0.5 * (zr - b) * (zr - b) + 0.5 * (zf - a) * (zf - a), zr - b, zf - a],
    g: (z) => [0.5 * (z - c) * (z - c), z - c],
  }],
  [hinge, {
    d: (zr, zf) => [relu(1 - zr) + relu(1 + zf), 1 - zr > 0 ? -1 : 0, 1 + zf > 0 ? 1 : 0],
    g: (z) => [-z, -1],
  }],
  [wasserstein, {
    d: (zr, zf) => [zf - zr, -1, 1],
    g: (z) => [-z, -1],
  }],
]

/** Logits with the hinges' kinks and the signed zeros among them. */
const logit = fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(0, -0, 1, -1, 1 + 2 ** -52, -1 - 2 ** -52))
const label = fc.double({ min: -3, max: 3, noNaN: true })
const stacked = fc
  .integer({ min: 1, max: 10 })
  .chain((n) => fc.tuple(fc.constant(n), fc.array(logit, { minLength: 2 * n, maxLength: 2 * n }), fc.nat(3), fc.tuple(label, label, label)))

/** Runs D's kernel at offset `off` on NaN-filled buffers; returns the loss, the gradient and the untouched logits. */
const runD = (o: Objective, n: number, z: ReadonlyArray<number>, off: number) => {
  const data = new Float64Array(off + 2 * n).fill(Number.NaN)
  data.set(z, off)
  const grad = new Float64Array(off + 2 * n + 1).fill(Number.NaN)
  const scratch = new Float64Array(off + 2 * n * o.scratchPerLogit).fill(Number.NaN)
  const loss = o.discriminatorLossInto({ data, off }, n, { data: grad, off }, { data: scratch, off })
  return { loss, grad, data }
}

describe('each objective is its literal scalar transcription', () => {
  it('D: the loss summed in row order and every logit gradient, bit for bit, at any offsets, writing nothing else', () =>
    fc.assert(
      fc.property(stacked, ([n, z, off, [a, b, c]]) => {
        for (const [o, t] of transcriptions(a, b, c)) {
          let want = 0
          const wantGrad = new Float64Array(2 * n)
          for (let i = 0; i < n; i++) {
            const [loss, dr, df] = t.d(z[i]!, z[n + i]!)
            want += loss
            wantGrad[i] = dr
            wantGrad[n + i] = df
          }
          const { loss, grad, data } = runD(o, n, z, off)
          expect(Object.is(loss, want), `${o.name}: ${loss} vs ${want}`).toBe(true)
          expect(grad.subarray(off, off + 2 * n), o.name).toEqualBits(wantGrad)
          expect(Number.isNaN(grad[off + 2 * n]!), `${o.name} writes past its gradient`).toBe(true)
          expect(data.subarray(off)).toEqualBits(Float64Array.from(z))
        }
      }),
    ))

  it('G: the loss summed in row order and every logit gradient, bit for bit', () =>
    fc.assert(
      fc.property(stacked, ([n, z, off, [a, b, c]]) => {
        for (const [o, t] of transcriptions(a, b, c)) {
          const fake = z.slice(0, n)
          let want = 0
          for (let i = 0; i < n; i++) want += t.g(fake[i]!)[0]
          const data = new Float64Array(off + n).fill(Number.NaN)
          data.set(fake, off)
          const grad = new Float64Array(off + n + 1).fill(Number.NaN)
          const loss = o.generatorLossInto({ data, off }, n, { data: grad, off }, { data: new Float64Array(off + n).fill(Number.NaN), off })
          expect(Object.is(loss, want), `${o.name}: ${loss} vs ${want}`).toBe(true)
          expect(grad.subarray(off, off + n), o.name).toEqualBits(Float64Array.from(fake.map((v) => t.g(v)[1])))
          expect(Number.isNaN(grad[off + n]!), `${o.name} writes past its gradient`).toBe(true)
        }
      }),
    ))

  it('the least-squares labels default to the paper\'s 0-1 coding (a = 0, b = c = 1) only through the config; the record uses the labels it is given', () => {
    const ls = leastSquares({ a: -1, b: 1, c: 0 })
    const grad = new Float64Array(2)
    expect(ls.discriminatorLossInto({ data: Float64Array.of(1, -1), off: 0 }, 1, { data: grad, off: 0 }, { data: grad, off: 0 })).toBe(0)
    expect(ls.generatorLossInto({ data: Float64Array.of(2), off: 0 }, 1, { data: grad, off: 0 }, { data: grad, off: 0 })).toBe(2)
  })
})

describe('each objective\'s logit gradients match central differences', () => {
  /** Logits at least 1e-3 away from the hinges' kinks (±1), where the loss is smooth. */
  const smooth = fc.double({ min: -6, max: 6, noNaN: true }).filter((v) => Math.abs(Math.abs(v) - 1) > 1e-3)
  it('for D (both halves of the stacked logits) and for G', () =>
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }).chain((n) => fc.array(smooth, { minLength: 2 * n, maxLength: 2 * n })), fc.tuple(label, label, label), (z, [a, b, c]) => {
        const n = z.length / 2
        for (const [o] of transcriptions(a, b, c)) {
          const d = (x: Matrix): number => runD(o, n, toFlat(x), 0).loss
          expectGradientClose(`${o.name} D`, d, fromFlat(2 * n, 1, z), fromFlat(2 * n, 1, runD(o, n, z, 0).grad.subarray(0, 2 * n)))
          const g = (x: Matrix): number => o.generatorLossInto({ data: Float64Array.from(toFlat(x)), off: 0 }, n, { data: new Float64Array(n), off: 0 }, { data: new Float64Array(n), off: 0 })
          const gradG = new Float64Array(n)
          o.generatorLossInto({ data: Float64Array.from(z.slice(0, n)), off: 0 }, n, { data: gradG, off: 0 }, { data: new Float64Array(n), off: 0 })
          expectGradientClose(`${o.name} G`, g, fromFlat(n, 1, z.slice(0, n)), fromFlat(n, 1, gradG))
        }
      }),
    ))
})

describe('through the GAN steps, each objective\'s parameter gradients match central differences of its loss', () => {
  const specs: ReadonlyArray<ObjectiveSpec> = [
    { kind: 'nonsaturating' },
    { kind: 'minimax' },
    { kind: 'least-squares', a: 0, b: 1, c: 1 },
    { kind: 'hinge' },
    { kind: 'wasserstein', clip: 0.01 },
    { kind: 'wasserstein-gp', lambda: 10 },
  ]
  it('covers every objective a config names', () => expect(specs.map((s) => s.kind)).toEqual(OBJECTIVE_KINDS))

  it('each record is named as the config names it (both Wasserstein kinds share the wasserstein record)', () => {
    expect(specs.map((s) => objectiveOf(s).name)).toEqual(['nonsaturating', 'minimax', 'least-squares', 'hinge', 'wasserstein', 'wasserstein'])
    expect(specs.map((s) => objectiveOf(s).scratchPerLogit)).toEqual([1, 1, 0, 0, 0, 0])
  })

  // The seed's networks with larger weights and seed 2, so that the logits lie on both sides
  // of both hinges (checked below); a batch of 8.
  const config: GanConfig = { ...seedConfig, seed: 2, init: { weightStd: 1, biasInit: 'normal' } }
  const state = initialState(config)
  const real = sliceRows(runData(config), 0, 8)
  const [noise] = normalMatrix(state.rng, 8, config.latentDim)
  const gSpec = generatorSpec(config)
  const dSpec = discriminatorSpec(config)
  const flat = (spec: NetworkSpec, params: Parameters<typeof flatBlock>[0][number]): Matrix =>
    fromFlat(1, paramCount(spec.layers, spec.inputSize), flatBlock([params], paramCount(spec.layers, spec.inputSize)).data)
  const net = (spec: NetworkSpec, x: Matrix) => paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(x)), 0)
  const inputs = {
    real: { data: Float64Array.from(toFlat(real)), off: 0 },
    noise: { data: Float64Array.from(toFlat(noise)), off: 0 },
    generator: flatBlock([state.generator], paramCount(gSpec.layers, gSpec.inputSize)),
    discriminator: flatBlock([state.discriminator], paramCount(dSpec.layers, dSpec.inputSize)),
  }

  it.each(specs.filter((s) => s.kind !== 'wasserstein-gp').map((s) => [s.kind, s] as const))('%s: D and G', (_, objective) => {
    const spec = stepSpec({ ...config, objective })
    const o = objectiveOf(objective)
    const dLayout = discriminatorStepLayout(spec, 8)
    const dPlan = bindDiscriminatorStep(dLayout, new Float64Array(dLayout.size))
    discriminatorGradientInto(dPlan, inputs)
    const P = dPlan.discriminatorParams
    const dAnalytic = fromFlat(1, P, dPlan.gradient.data.slice(dPlan.gradient.off, dPlan.gradient.off + P))
    const fake = predict(gSpec, state.generator, noise)
    const logits = (d: Matrix): number[] => toFlat(forward(dSpec, net(dSpec, d), vconcat(real, fake)).output)
    // the logits must not sit on a hinge's kink, where the loss has no derivative
    const z0 = logits(flat(dSpec, state.discriminator))
    expect(z0.every((z) => Math.abs(Math.abs(z) - 1) > 1e-4)).toBe(true)
    // both sides of both hinges: real logits above and below 1, fake logits above and below −1
    const [zr, zf] = [z0.slice(0, 8), z0.slice(8)]
    expect([zr.some((z) => z > 1), zr.some((z) => z < 1), zf.some((z) => z < -1), zf.some((z) => z > -1)]).toEqual([true, true, true, true])
    expectGradientClose(`ℓ_D of ${o.name} by D's parameters`, (d) => runD(o, 8, logits(d), 0).loss, flat(dSpec, state.discriminator), dAnalytic)

    const gLayout = generatorStepLayout(spec, 8)
    const gPlan = bindGeneratorStep(gLayout, new Float64Array(gLayout.size))
    generatorGradientInto(gPlan, { ...inputs, real: null })
    const Q = gPlan.generatorParams
    const gAnalytic = fromFlat(1, Q, gPlan.gradient.data.slice(gPlan.gradient.off, gPlan.gradient.off + Q))
    const lossG = (g: Matrix): number => {
      const z = Float64Array.from(toFlat(forward(dSpec, state.discriminator, predict(gSpec, net(gSpec, g), noise)).output))
      return o.generatorLossInto({ data: z, off: 0 }, 8, { data: new Float64Array(8), off: 0 }, { data: new Float64Array(8), off: 0 })
    }
    expectGradientClose(`ℓ_G of ${o.name} by G's parameters`, lossG, flat(gSpec, state.generator), gAnalytic)
  })
})

describe('minimax saturates where the non-saturating objective does not (Goodfellow et al. 2014, section 3)', () => {
  it('when D is confident a fake is fake (logit ≤ −5), minimax\'s G gradient is below 0.7 % of the non-saturating one\'s, and vanishes as D grows surer', () =>
    fc.assert(
      fc.property(fc.double({ min: -30, max: -5, noNaN: true }), (z) => {
        const gradOf = (o: Objective): number => {
          const g = new Float64Array(1)
          o.generatorLossInto({ data: Float64Array.of(z), off: 0 }, 1, { data: g, off: 0 }, { data: new Float64Array(1), off: 0 })
          return g[0]!
        }
        const mm = Math.abs(gradOf(minimax))
        const ns = Math.abs(gradOf(nonsaturating))
        // −sigmoid(z) against sigmoid(z) − 1: e^z / (1 + e^z) against 1 / (1 + e^z)
        expect(ns).toBeGreaterThan(0.99)
        expect(mm).toBeLessThan(0.007 * ns)
        expect(mm).toBeLessThan(Math.exp(z) * 1.0000001)
      }),
    ))

  it('and both push G the same way (towards larger logits), with equal strength where D is undecided (logit 0)', () => {
    const g0 = (o: Objective): number => {
      const g = new Float64Array(1)
      o.generatorLossInto({ data: Float64Array.of(0), off: 0 }, 1, { data: g, off: 0 }, { data: new Float64Array(1), off: 0 })
      return g[0]!
    }
    expect(g0(minimax)).toBe(-0.5)
    expect(g0(nonsaturating)).toBe(-0.5)
  })
})
