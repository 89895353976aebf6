/**
 * src/kernels/batchnorm.ts: the training forward pass against a literal transcription of its
 * equations (bit for bit, in the stated evaluation order), its backward pass against central
 * differences of `⟨c, y⟩` with respect to every entry of `z`, `γ` and `β` (the gradient goes
 * through the mean and the variance), the running statistics and the evaluation pass against
 * their transcriptions, and the edge of a column of equal values (x̂ = 0, a gradient bounded by
 * 1/√ε).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BatchNormPlan, batchNorm, batchNormBackwardInto, batchNormEvalInto, batchNormForwardInto, runningStatsInto } from '../../src/kernels/batchnorm.js'
import { type Matrix, fromFlat, toFlat } from '../../src/matrix/index.js'
import { expectGradientClose } from '../support/gradient-check.js'

const values = (n: number, min = -3, max = 3) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n })

const shapes = fc.record({ rows: fc.integer({ min: 2, max: 6 }), units: fc.integer({ min: 1, max: 4 }), epsilon: fc.constantFrom(1e-5, 1e-3, 0.1) }).chain((s) =>
  fc.record({
    shape: fc.constant(s),
    z: values(s.rows * s.units),
    gamma: values(s.units, -2, 2),
    beta: values(s.units),
    c: values(s.rows * s.units),
    off: fc.nat(3),
  }),
)

const planOf = (rows: number, units: number, epsilon: number): BatchNormPlan => ({
  rows,
  units,
  epsilon,
  xhat: { data: new Float64Array(rows * units).fill(Number.NaN), off: 0 },
  stats: { data: new Float64Array(2 * units).fill(Number.NaN), off: 0 },
})

const at = (xs: ReadonlyArray<number>, off = 0) => {
  const data = new Float64Array(off + xs.length + 2).fill(Number.NaN)
  data.set(xs, off)
  return { data, off }
}

/** The forward pass's output, fresh. */
const forward = (rows: number, units: number, epsilon: number, z: ReadonlyArray<number>, gamma: ReadonlyArray<number>, beta: ReadonlyArray<number>) => {
  const plan = planOf(rows, units, epsilon)
  const y = new Float64Array(rows * units)
  const mean = new Float64Array(units)
  batchNormForwardInto(plan, at(z), at(gamma), at(beta), { data: y, off: 0 }, { data: mean, off: 0 })
  return { plan, y, mean }
}

describe('batch normalisation (training)', () => {
  it('the forward pass is its transcription, bit for bit, at any offsets, writing nothing else', () =>
    fc.assert(
      fc.property(shapes, ({ shape: { rows, units, epsilon }, z, gamma, beta, off }) => {
        const plan = planOf(rows, units, epsilon)
        const y = at(new Array(rows * units).fill(0), off)
        const mean = at(new Array(units).fill(0), off)
        batchNormForwardInto(plan, at(z, off), at(gamma, off), at(beta, off), y, mean)
        for (let j = 0; j < units; j++) {
          let sum = 0
          for (let i = 0; i < rows; i++) sum += z[i * units + j]!
          const mu = sum / rows
          let sq = 0
          for (let i = 0; i < rows; i++) sq += (z[i * units + j]! - mu) * (z[i * units + j]! - mu)
          const s = 1 / Math.sqrt(sq / rows + epsilon)
          expect(mean.data[off + j]).toBe(mu)
          for (let i = 0; i < rows; i++) {
            const xh = (z[i * units + j]! - mu) * s
            expect(Object.is(y.data[off + i * units + j], gamma[j]! * xh + beta[j]!)).toBe(true)
          }
        }
        expect([y.data[off + rows * units], mean.data[off + units]].every(Number.isNaN)).toBe(true)
      }),
    ))

  it('the backward pass is central differences of ⟨c, y⟩ for every entry of z, γ and β', () =>
    fc.assert(
      fc.property(shapes, ({ shape: { rows, units, epsilon }, z, gamma, beta, c }) => {
        const inner = (y: Float64Array) => y.reduce((t, v, k) => t + v * c[k]!, 0)
        const { plan } = forward(rows, units, epsilon, z, gamma, beta)
        const dz = new Float64Array(rows * units)
        const dGamma = new Float64Array(units)
        const dBeta = new Float64Array(units)
        batchNormBackwardInto(plan, at(c), at(gamma), { data: dGamma, off: 0 }, { data: dBeta, off: 0 }, { data: dz, off: 0 })
        const fz = (m: Matrix) => inner(forward(rows, units, epsilon, toFlat(m), gamma, beta).y)
        expectGradientClose('dz', fz, fromFlat(rows, units, z), fromFlat(rows, units, dz))
        const fg = (m: Matrix) => inner(forward(rows, units, epsilon, z, toFlat(m), beta).y)
        expectGradientClose('dγ', fg, fromFlat(1, units, gamma), fromFlat(1, units, dGamma))
        const fb = (m: Matrix) => inner(forward(rows, units, epsilon, z, gamma, toFlat(m)).y)
        expectGradientClose('dβ', fb, fromFlat(1, units, beta), fromFlat(1, units, dBeta))
      }),
    ))

  it('a column of equal values normalises to 0 (output β); its gradient is s·(g − mean g), with s = 1/√ε', () => {
    const { plan, y } = forward(3, 1, 1e-4, [2, 2, 2], [1.5], [0.25])
    expect(Array.from(y)).toEqual([0.25, 0.25, 0.25])
    const dz = new Float64Array(3)
    batchNormBackwardInto(plan, at([1, -2, 4]), at([1.5]), null, null, { data: dz, off: 0 })
    // g = 1.5·dy = [1.5, −3, 6], mean 1.5, x̂ = 0
    expect(Array.from(dz)).toEqual([0, -4.5, 4.5].map((v) => (1 / Math.sqrt(1e-4)) * v))
  })

  it('every column of dz sums to 0 (Σ_i x̂_i = 0 and Σ_i (g_i − mean g) = 0), up to rounding', () =>
    fc.assert(
      fc.property(shapes, ({ shape: { rows, units, epsilon }, z, gamma, beta, c }) => {
        const { plan } = forward(rows, units, epsilon, z, gamma, beta)
        const dz = new Float64Array(rows * units)
        batchNormBackwardInto(plan, at(c), at(gamma), null, null, { data: dz, off: 0 })
        for (let j = 0; j < units; j++) {
          let sum = 0
          let scale = 0
          for (let i = 0; i < rows; i++) {
            sum += dz[i * units + j]!
            scale += Math.abs(dz[i * units + j]!)
          }
          expect(Math.abs(sum)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale))
        }
      }),
    ))
})

describe('batch normalisation: nothing written outside its blocks', () => {
  /** `xs` at offset 2 in an array padded with the finite `pad` on both sides. */
  const padded = (xs: ReadonlyArray<number>, pad: number) => {
    const data = new Float64Array(xs.length + 4).fill(pad)
    data.set(xs, 2)
    return { data, off: 2 }
  }
  const untouched = (v: { data: Float64Array; off: number }, len: number, pad: number) =>
    [v.data[0], v.data[1], v.data[v.off + len], v.data[v.off + len + 1]].every((x) => x === pad)

  it('forward, backward and evaluation write their outputs and kept blocks only (inputs padded with finite values)', () =>
    fc.assert(
      fc.property(shapes, ({ shape: { rows, units, epsilon }, z, gamma, beta, c }) => {
        const n = rows * units
        const plan: BatchNormPlan = { rows, units, epsilon, xhat: padded(new Array(n).fill(0), -7), stats: padded(new Array(2 * units).fill(0), -7) }
        const y = padded(new Array(n).fill(0), -9)
        const mean = padded(new Array(units).fill(0), -9)
        batchNormForwardInto(plan, padded(z, 5), padded(gamma, 5), padded(beta, 5), y, mean)
        expect([untouched(y, n, -9), untouched(mean, units, -9), untouched(plan.xhat as never, n, -7), untouched(plan.stats as never, 2 * units, -7)]).toEqual([true, true, true, true])
        const dz = padded(new Array(n).fill(0), -9)
        const dGamma = padded(new Array(units).fill(0), -9)
        const dBeta = padded(new Array(units).fill(0), -9)
        batchNormBackwardInto(plan, padded(c, 5), padded(gamma, 5), dGamma, dBeta, dz)
        expect([untouched(dz, n, -9), untouched(dGamma, units, -9), untouched(dBeta, units, -9)]).toEqual([true, true, true])
        const out = padded(new Array(n).fill(0), -9)
        batchNormEvalInto({ rows, units, epsilon }, padded(z, 5), padded(gamma, 5), padded(beta, 5), padded([...gamma.map(() => 0.5), ...gamma.map(() => 2)], 5), out)
        expect(untouched(out, n, -9)).toBe(true)
      }),
    ))

  it('the layer\'s backward pass without a gradient block computes the same dL/d(input)', () =>
    fc.assert(
      fc.property(shapes, ({ shape: { rows, units, epsilon }, z, gamma, beta, c }) => {
        const n = rows * units
        const ws = new Float64Array(n + 3 * units + 2 * n)
        const params = new Float64Array([...gamma, ...beta])
        const norm = { rows, units, epsilon, momentum: 0.1, running: 0, xhat: { data: ws, off: 0 }, stats: { data: ws, off: n } }
        const layer = { kind: batchNorm, rows, inputs: units, units, pieces: 1, activation: { kind: 'identity' as const }, paramOff: 0, affine: { data: ws, off: n + 3 * units }, winners: null, norm, pre: { data: ws, off: n + 3 * units }, out: { data: ws, off: n + 3 * units }, keep: 1, mask: null, masked: null }
        batchNorm.forwardInto(layer, { data: params, off: 0 }, { data: Float64Array.from(z), off: 0 })
        const withGrads = new Float64Array(n)
        const without = new Float64Array(n)
        batchNorm.backwardInto(layer, { data: params, off: 0 }, { data: Float64Array.from(z), off: 0 }, { data: Float64Array.from(c), off: 0 }, { data: new Float64Array(2 * units), off: 0 }, { data: withGrads, off: 0 })
        batchNorm.backwardInto(layer, { data: params, off: 0 }, { data: Float64Array.from(z), off: 0 }, { data: Float64Array.from(c), off: 0 }, null, { data: without, off: 0 })
        expect(Array.from(without)).toEqual(Array.from(withGrads))
        expect(batchNorm.name).toBe('batchnorm')
      }),
    ))
})

describe('batch normalisation: running statistics and evaluation', () => {
  it('the running statistics move towards the batch\'s mean and unbiased variance, as PyTorch: (1 − m)·old + m·new', () =>
    fc.assert(
      fc.property(shapes, values(8, 0, 3), fc.double({ min: 0, max: 1, noNaN: true }), ({ shape: { rows, units, epsilon }, z, gamma, beta }, old, momentum) => {
        const { plan, mean } = forward(rows, units, epsilon, z, gamma, beta)
        const running = old.slice(0, 2 * units).concat(new Array(Math.max(0, 2 * units - old.length)).fill(1))
        const next = new Float64Array(2 * units)
        runningStatsInto(plan, momentum, { data: mean, off: 0 }, at(running), { data: next, off: 0 })
        for (let j = 0; j < units; j++) {
          let sq = 0
          for (let i = 0; i < rows; i++) sq += (z[i * units + j]! - mean[j]!) * (z[i * units + j]! - mean[j]!)
          expect(next[j]).toBe((1 - momentum) * running[j]! + momentum * mean[j]!)
          expect(next[units + j]).toBe((1 - momentum) * running[units + j]! + momentum * ((sq / rows) * (rows / (rows - 1))))
        }
      }),
    ))

  it('evaluation normalises with the running statistics: γ·((z − μ_run)·(1/sqrt(σ²_run + ε))) + β, bit for bit', () =>
    fc.assert(
      fc.property(shapes, values(8, 0, 3), ({ shape: { rows, units, epsilon }, z, gamma, beta }, stats) => {
        const running = [...stats.slice(0, units), ...stats.slice(4, 4 + units)]
        const y = new Float64Array(rows * units)
        batchNormEvalInto({ rows, units, epsilon }, at(z), at(gamma), at(beta), at(running), { data: y, off: 0 })
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < units; j++) {
            expect(Object.is(y[i * units + j], gamma[j]! * ((z[i * units + j]! - running[j]!) * (1 / Math.sqrt(running[units + j]! + epsilon))) + beta[j]!)).toBe(true)
          }
      }),
    ))
})
