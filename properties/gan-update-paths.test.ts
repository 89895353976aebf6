/**
 * src/gan/update.ts beyond the seed-shaped states: which path an update takes and what the
 * internal fast updates do with what a loop lends them.
 *
 * - States that do not fit the fast path (a network's params not fitting its spec, G's
 *   output not as wide as the data, D's output not one logit) throw exactly the error of
 *   the checked operations (`predict`, `forward`, `vconcat`, `backward`), from the gradient
 *   functions and from the updates.
 * - States whose Adam step cannot take the fast path (a count without room, an `adam`
 *   config with a default left out, a bad count or option) give exactly the checked
 *   composition: the gradient, then `adam({ learningRate, ...config.adam, rescaleGrad: 1/n }).step`,
 *   or its error.
 * - `updateDFast` / `updateGFast` with lent plans, scratch and results block: the same bits
 *   as `updateD` / `updateG`; a scratch of `plans.size` entries is used, a smaller one is
 *   not; the results land in `out[outOff .. outOff + 3P)` as w', m', v' in leaf order, the
 *   new state's matrices are views of them, and nothing else in `out` is written.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { GanConfig, GanState } from '../src/gan/index.js'
import { discriminatorSpec, generatorSpec } from '../src/gan/state.js'
import {
  discriminatorLossAndGradient,
  generatorLossAndGradient,
  updateD,
  updateDFast,
  updateG,
  updateGFast,
  updatePlans,
} from '../src/gan/update.js'
import { type Matrix, ShapeError, vconcat, zeros } from '../src/matrix/index.js'
import { initNetwork } from '../src/nn/init.js'
import { type NetworkParams, backward, forward, paramCount, predict } from '../src/nn/network.js'
import { type AdamState, adam } from '../src/optim/adam.js'
import { rngFromSeed } from '../src/random/rng.js'
import { leaves } from '../src/tree/param-tree.js'
import { stateWithBatch } from './support/gan-arbitraries.js'
import { thrown } from './support/thrown.js'

const expectSameError = (got: () => unknown, want: () => unknown): void => {
  const w = thrown(want)
  const g = thrown(got)
  expect(g.constructor).toBe(w.constructor)
  expect(g.message).toBe(w.message)
}

const bits = (x: number): string => Buffer.from(new Float64Array([x]).buffer).toString('hex')
const flatBits = (t: unknown): string[] => leaves(t as never).flatMap((m: Matrix) => Array.from(m.data as unknown as Float64Array, bits))

const sameState = (a: GanState, b: GanState): void => {
  expect(flatBits([a.generator, a.discriminator])).toEqual(flatBits([b.generator, b.discriminator]))
  expect(flatBits([a.optimizerG.m, a.optimizerG.v, a.optimizerD.m, a.optimizerD.v])).toEqual(
    flatBits([b.optimizerG.m, b.optimizerG.v, b.optimizerD.m, b.optimizerD.v]),
  )
  expect([a.optimizerG.count, a.optimizerD.count, a.step, a.epoch]).toEqual([b.optimizerG.count, b.optimizerD.count, b.step, b.epoch])
  expect(a.rng).toBe(b.rng)
  expect(a.config).toBe(b.config)
}

const withLayer = (params: NetworkParams, l: number, layer: NetworkParams[number]): NetworkParams =>
  params.map((p, i) => (i === l ? layer : p))

/** The state with a config whose G (or D) has another last layer width, and params drawn for it. */
const withLastUnits = (state: GanState, net: 'generator' | 'discriminator', units: number): GanState => {
  const layers = state.config[net].layers
  const config: GanConfig = {
    ...state.config,
    [net]: { layers: [...layers.slice(0, -1), { ...layers[layers.length - 1]!, units }] },
  }
  const spec = net === 'generator' ? generatorSpec(config) : discriminatorSpec(config)
  const [params] = initNetwork(spec, rngFromSeed(config.seed), { weightStd: 0.5 })
  const opt = adam({ learningRate: 1 }).init(params)
  return net === 'generator'
    ? { ...state, config, generator: params, optimizerG: opt }
    : { ...state, config, discriminator: params, optimizerD: opt }
}

describe('states that do not fit the fast path throw the checked operations\' errors', () => {
  it('G or D params that do not fit their spec, G wider or narrower than the data, D with two logits', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const n = noise.rows
        const width = state.config.data.b.length
        const g0 = state.generator[0]!
        const d0 = state.discriminator[0]!
        const gBad: GanState = { ...state, generator: withLayer(state.generator, 0, { W: zeros(g0.W.rows + 1, g0.W.cols), b: g0.b }) }
        const dBad: GanState = { ...state, discriminator: withLayer(state.discriminator, 0, { W: d0.W, b: zeros(1, d0.b.cols + 1) }) }
        const gWide = withLastUnits(state, 'generator', width + 1)
        const dTwo = withLastUnits(state, 'discriminator', 2)
        for (const s of [gBad, dBad, gWide, dTwo]) {
          const gSpec = generatorSpec(s.config)
          const dSpec = discriminatorSpec(s.config)
          // The reference chains, one checked operation at a time (docs/gan.md).
          const dChain = (): unknown => {
            const { cache } = forward(dSpec, s.discriminator, vconcat(real, predict(gSpec, s.generator, noise)))
            return backward(dSpec, s.discriminator, cache, zeros(2 * n, 1))
          }
          const gChain = (): unknown => {
            const g = forward(gSpec, s.generator, noise)
            const d = forward(dSpec, s.discriminator, g.output)
            return backward(gSpec, s.generator, g.cache, backward(dSpec, s.discriminator, d.cache, zeros(n, 1)).dInput)
          }
          expect(thrown(dChain)).toBeInstanceOf(ShapeError)
          expect(thrown(gChain)).toBeInstanceOf(ShapeError)
          expectSameError(() => discriminatorLossAndGradient(s, real, noise), dChain)
          expectSameError(() => updateD(s, real, noise), dChain)
          expectSameError(() => generatorLossAndGradient(s, noise), gChain)
          expectSameError(() => updateG(s, noise), gChain)
        }
      }),
    )
  })

  it('the gradient functions check the batch under the names updateD and updateG', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const q = state.config.latentDim
        const w = state.config.data.b.length
        const n = noise.rows
        expect(thrown(() => discriminatorLossAndGradient(state, real, zeros(n, q + 1))).message).toBe(
          `updateD: noise must be (n x ${q}) with n >= 1 (latentDim ${q}), got (${n}x${q + 1})`,
        )
        expect(thrown(() => discriminatorLossAndGradient(state, zeros(n + 1, w), noise)).message).toBe(
          `updateD: the real batch must be (${n}x${w}) (as many rows as the noise, data width ${w}), got (${n + 1}x${w}) with noise (${n}x${q})`,
        )
        expect(thrown(() => generatorLossAndGradient(state, zeros(0, q))).message).toBe(
          `updateG: noise must be (n x ${q}) with n >= 1 (latentDim ${q}), got (0x${q})`,
        )
      }),
    )
  })
})

describe('states whose Adam step cannot take the fast path give the checked composition', () => {
  /** updateD as documented: the gradient, then the checked Adam step. */
  const checkedD = (s: GanState, real: Matrix, noise: Matrix): readonly [number, NetworkParams, AdamState] => {
    const { loss, gradient } = discriminatorLossAndGradient(s, real, noise)
    const [d, opt] = adam({ learningRate: s.config.learningRateD, ...s.config.adam, rescaleGrad: 1 / noise.rows }).step(s.optimizerD, s.discriminator, gradient)
    return [loss, d, opt]
  }
  const checkedG = (s: GanState, noise: Matrix): readonly [number, NetworkParams, AdamState] => {
    const { loss, gradient } = generatorLossAndGradient(s, noise)
    const [g, opt] = adam({ learningRate: s.config.learningRateG, ...s.config.adam, rescaleGrad: 1 / noise.rows }).step(s.optimizerG, s.generator, gradient)
    return [loss, g, opt]
  }

  it('a count with no room for a step, an adam config that leaves epsilon to its default: the same bits as the checked step', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const { beta1, beta2 } = state.config.adam
        const variants: GanState[] = [
          state,
          { ...state, optimizerD: { ...state.optimizerD, count: Number.MAX_SAFE_INTEGER } },
          { ...state, optimizerG: { ...state.optimizerG, count: Number.MAX_SAFE_INTEGER } },
          { ...state, config: { ...state.config, adam: { beta1, beta2 } as GanConfig['adam'] } },
        ]
        for (const s of variants) {
          const [lossD, next] = updateD(s, real, noise)
          const [l, d, opt] = checkedD(s, real, noise)
          expect(bits(lossD)).toBe(bits(l))
          expect(flatBits(next.discriminator)).toEqual(flatBits(d))
          expect(flatBits([next.optimizerD.m, next.optimizerD.v])).toEqual(flatBits([opt.m, opt.v]))
          expect(next.optimizerD.count).toBe(opt.count)
          expect([next.generator, next.optimizerG, next.rng, next.config]).toEqual([s.generator, s.optimizerG, s.rng, s.config])
          const [lossG, nextG] = updateG(s, noise)
          const [lg, g, optG] = checkedG(s, noise)
          expect(bits(lossG)).toBe(bits(lg))
          expect(flatBits(nextG.generator)).toEqual(flatBits(g))
          expect(flatBits([nextG.optimizerG.m, nextG.optimizerG.v])).toEqual(flatBits([optG.m, optG.v]))
          expect(nextG.optimizerG.count).toBe(optG.count)
          expect([nextG.discriminator, nextG.optimizerD, nextG.rng, nextG.config]).toEqual([s.discriminator, s.optimizerD, s.rng, s.config])
        }
      }),
    )
  })

  it('a bad count, an unknown adam option, a bad learning rate: the checked step\'s RangeError, for the network whose step it is', () => {
    fc.assert(
      fc.property(stateWithBatch, ({ state, real, noise }) => {
        const cases: Array<[GanState, 'D' | 'G' | 'both']> = [
          [{ ...state, optimizerD: { ...state.optimizerD, count: -1 } }, 'D'],
          [{ ...state, optimizerG: { ...state.optimizerG, count: 0.5 } }, 'G'],
          [{ ...state, config: { ...state.config, learningRateD: 0 } }, 'D'],
          [{ ...state, config: { ...state.config, learningRateG: Number.NaN } }, 'G'],
          [{ ...state, config: { ...state.config, adam: { ...state.config.adam, beta_x: 0.5 } as GanConfig['adam'] } }, 'both'],
        ]
        for (const [s, which] of cases) {
          if (which !== 'G') {
            expectSameError(() => updateD(s, real, noise), () => checkedD(s, real, noise))
            expect(thrown(() => updateD(s, real, noise))).toBeInstanceOf(RangeError)
          } else {
            const [lossD, next] = updateD(s, real, noise)
            const [l, d] = checkedD(s, real, noise)
            expect(bits(lossD)).toBe(bits(l))
            expect(flatBits(next.discriminator)).toEqual(flatBits(d))
          }
          if (which !== 'D') {
            expectSameError(() => updateG(s, noise), () => checkedG(s, noise))
            expect(thrown(() => updateG(s, noise))).toBeInstanceOf(RangeError)
          } else {
            const [lossG, next] = updateG(s, noise)
            const [l, g] = checkedG(s, noise)
            expect(bits(lossG)).toBe(bits(l))
            expect(flatBits(next.generator)).toEqual(flatBits(g))
          }
        }
      }),
    )
  })
})

describe('updateDFast and updateGFast with what a loop lends them', () => {
  const smooth = stateWithBatch

  it('the same bits as updateD / updateG with lent plans, a scratch of exactly its plan size (which they use) or one entry smaller (which they do not), and a results block at an offset', () => {
    fc.assert(
      fc.property(smooth, fc.nat(7), fc.boolean(), ({ state, real, noise }, outOff, freeze) => {
        const n = noise.rows
        const plans = updatePlans(state.config, n)
        const width = state.config.data.b.length
        const PD = paramCount(state.config.discriminator.layers, width)
        const PG = paramCount(state.config.generator.layers, state.config.latentDim)
        const [refLossD, refD] = updateD(state, real, noise)
        const [refLossG, refG] = updateG(refD, noise)

        // Without anything lent.
        const [l0, s0] = updateDFast(state, real, noise)
        expect(bits(l0)).toBe(bits(refLossD))
        sameState(s0, refD)
        expect(Object.isFrozen(s0)).toBe(true)
        const [lg0, sg0] = updateGFast(refD, noise)
        expect(bits(lg0)).toBe(bits(refLossG))
        sameState(sg0, refG)

        for (const exact of [true, false]) {
          // A scratch of exactly the plan's size is the workspace; one entry less is not touched.
          const dScratch = new Float64Array(plans.d.size - (exact ? 0 : 1)).fill(Number.NaN)
          const gScratch = new Float64Array(plans.g.size - (exact ? 0 : 1)).fill(Number.NaN)
          const out = new Float64Array(outOff + 3 * (PD + PG) + 3).fill(Number.NaN)
          const [lossD, sD] = updateDFast(state, real, noise, freeze, plans, dScratch, out, outOff)
          const [lossG, sG] = updateGFast(sD, noise, freeze, plans, gScratch, out, outOff + 3 * PD)
          expect(bits(lossD)).toBe(bits(refLossD))
          expect(bits(lossG)).toBe(bits(refLossG))
          sameState(sD, refD)
          sameState(sG, refG)
          expect(Object.isFrozen(sD)).toBe(freeze)
          expect(Object.isFrozen(sG)).toBe(freeze)
          expect(dScratch.some((x) => !Number.isNaN(x))).toBe(exact)
          expect(gScratch.some((x) => !Number.isNaN(x))).toBe(exact)
          // The results: D's w', m', v' from outOff, then G's; nothing else written.
          const want = [
            ...flatBits(refD.discriminator),
            ...flatBits(refD.optimizerD.m),
            ...flatBits(refD.optimizerD.v),
            ...flatBits(refG.generator),
            ...flatBits(refG.optimizerG.m),
            ...flatBits(refG.optimizerG.v),
          ]
          expect(Array.from(out.subarray(outOff, outOff + 3 * (PD + PG)), bits)).toEqual(want)
          expect([...out.subarray(0, outOff), ...out.subarray(outOff + 3 * (PD + PG))].every(Number.isNaN)).toBe(true)
          for (const m of leaves([sD.discriminator, sD.optimizerD.m, sD.optimizerD.v, sG.generator, sG.optimizerG.m, sG.optimizerG.v] as never)) {
            expect((m as Matrix).data.buffer).toBe(out.buffer)
          }
        }
      }),
    )
  })

  it('updatePlans(config, n).size serves both updates (a scratch of that size is used by each)', () => {
    fc.assert(
      fc.property(smooth, ({ state, real, noise }) => {
        const plans = updatePlans(state.config, noise.rows)
        expect(plans.size).toBeGreaterThanOrEqual(plans.d.size)
        expect(plans.size).toBeGreaterThanOrEqual(plans.g.size)
        const sd = new Float64Array(plans.size).fill(Number.NaN)
        updateDFast(state, real, noise, true, plans, sd)
        const sg = new Float64Array(plans.size).fill(Number.NaN)
        updateGFast(state, noise, true, plans, sg)
        expect(sd.some((x) => !Number.isNaN(x)) && sg.some((x) => !Number.isNaN(x))).toBe(true)
      }),
    )
  })
})
