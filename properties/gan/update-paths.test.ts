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
 * - Networks so large that an update's results do not share its workspace (they get their
 *   own allocation): still the checked composition's bits.
 * - The steps a loop runs, `discriminatorStepInto` / `generatorStepInto`, on networks stored
 *   as flat `[w | m | v]` blocks at offsets inside padding, with lent plans, a workspace of
 *   exactly the plan's size whose contents on entry are garbage, and a results block: the
 *   same bits as `updateD` / `updateG`; the results land in `out[outOff .. outOff + 3P)` as
 *   w', m', v' in leaf order, nothing else in `out` is written and no input is.
 * - `networkBlock` gives a state's own array when its networks lie flat in one (every state
 *   an update made), a copy otherwise; `networkOfBlock` rebuilds the networks from a block.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { discriminatorSpec, generatorSpec, initialState } from '../../src/gan/state.js'
import {
  discriminatorLossAndGradient,
  generatorLossAndGradient,
  networkBlock,
  networkOfBlock,
  updateD,
  updateG,
  updatePlans,
} from '../../src/gan/update.js'
import { type Matrix, ShapeError, vconcat, zeros } from '../../src/matrix/index.js'
import { initNetwork } from '../../src/nn/init.js'
import { type NetworkParams, backward, forward, predict } from '../../src/nn/network.js'
import { paramCount } from '../../src/kernels/network.js'
import { discriminatorStepInto, generatorStepInto } from '../../src/kernels/gan-step.js'
import { type AdamState, adam } from '../../src/optim/adam.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { leaves } from '../../src/tree/param-tree.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { stateWithBatch } from '../support/gan-arbitraries.js'
import { thrown } from '../support/thrown.js'
import { dataWidth } from '../../src/gan/data.js'

const expectSameError = (got: () => unknown, want: () => unknown): void => {
  const w = thrown(want)
  const g = thrown(got)
  expect(g.constructor).toBe(w.constructor)
  expect(g.message).toBe(w.message)
}

const bits = (x: number): string => Buffer.from(new Float64Array([x]).buffer).toString('hex')
/** Every entry of every leaf, in leaf order (compared with toEqualBits: Object.is per entry). */
const flatValues = (t: unknown): Float64Array => Float64Array.from(leaves(t as never).flatMap((m: Matrix) => Array.from(m.data as unknown as Float64Array)))

const sameState = (a: GanState, b: GanState): void => {
  expect(flatValues([a.generator, a.discriminator])).toEqualBits(flatValues([b.generator, b.discriminator]))
  expect(flatValues([(a.optimizerG as AdamState).m, (a.optimizerG as AdamState).v, (a.optimizerD as AdamState).m, (a.optimizerD as AdamState).v])).toEqualBits(
    flatValues([(b.optimizerG as AdamState).m, (b.optimizerG as AdamState).v, (b.optimizerD as AdamState).m, (b.optimizerD as AdamState).v]),
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
        const width = dataWidth(state.config.data)
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
        const w = dataWidth(state.config.data)
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

/** updateD as documented: the gradient, then the checked Adam step. */
const checkedD = (s: GanState, real: Matrix, noise: Matrix): readonly [number, NetworkParams, AdamState] => {
  const { loss, gradient } = discriminatorLossAndGradient(s, real, noise)
  const [d, opt] = adam({ learningRate: s.config.learningRateD, ...s.config.adam, rescaleGrad: 1 / noise.rows }).step(s.optimizerD as AdamState, s.discriminator, gradient)
  return [loss, d, opt]
}
const checkedG = (s: GanState, noise: Matrix): readonly [number, NetworkParams, AdamState] => {
  const { loss, gradient } = generatorLossAndGradient(s, noise)
  const [g, opt] = adam({ learningRate: s.config.learningRateG, ...s.config.adam, rescaleGrad: 1 / noise.rows }).step(s.optimizerG as AdamState, s.generator, gradient)
  return [loss, g, opt]
}

describe('states whose Adam step cannot take the fast path give the checked composition', () => {
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
          expect(flatValues(next.discriminator)).toEqualBits(flatValues(d))
          expect(flatValues([(next.optimizerD as AdamState).m, (next.optimizerD as AdamState).v])).toEqualBits(flatValues([opt.m, opt.v]))
          expect(next.optimizerD.count).toBe(opt.count)
          expect([next.generator, next.optimizerG, next.rng, next.config]).toEqual([s.generator, s.optimizerG, s.rng, s.config])
          const [lossG, nextG] = updateG(s, noise)
          const [lg, g, optG] = checkedG(s, noise)
          expect(bits(lossG)).toBe(bits(lg))
          expect(flatValues(nextG.generator)).toEqualBits(flatValues(g))
          expect(flatValues([(nextG.optimizerG as AdamState).m, (nextG.optimizerG as AdamState).v])).toEqualBits(flatValues([optG.m, optG.v]))
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
            expect(flatValues(next.discriminator)).toEqualBits(flatValues(d))
          }
          if (which !== 'D') {
            expectSameError(() => updateG(s, noise), () => checkedG(s, noise))
            expect(thrown(() => updateG(s, noise))).toBeInstanceOf(RangeError)
          } else {
            const [lossG, next] = updateG(s, noise)
            const [l, g] = checkedG(s, noise)
            expect(bits(lossG)).toBe(bits(l))
            expect(flatValues(next.generator)).toEqualBits(flatValues(g))
          }
        }
      }),
    )
  })
})

describe('updates of networks too large for a shared workspace', () => {
  it('a G or a D with two hidden layers of 64: updateD then updateG, twice, give the checked composition\'s bits (their results are allocated on their own)', () => {
    // G 2-64-64-2 has 4 482 parameters, D 2-64-64-1 4 417, so the results (3P) and the
    // workspace together exceed the 16 384 entries of a shared workspace for any batch. The
    // second pair of updates starts from counts and moments that are not zero.
    const big = { layers: [{ units: 64, activation: { kind: 'tanh' } }, { units: 64, activation: { kind: 'tanh' } }] } as const
    const arb = fc
      .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('generator', 'discriminator'))
      .chain(([seed, n, net]) => {
        const config: GanConfig =
          net === 'generator'
            ? { ...seedConfig, seed, generator: { layers: [...big.layers, { units: 2, activation: { kind: 'identity' } }] } }
            : { ...seedConfig, seed, discriminator: { layers: [...big.layers, { units: 1, activation: { kind: 'identity' } }] } }
        return fc.record({
          state: fc.constant(initialState(config)),
          real: matrixOfShape(n, 2, { min: -3, max: 3 }),
          noise: matrixOfShape(n, 2, { min: -3, max: 3 }),
        })
      })
    fc.assert(
      fc.property(arb, ({ state, real, noise }) => {
        let s = state
        for (let k = 0; k < 2; k++) {
          const [lossD, nextD] = updateD(s, real, noise)
          const [l, d, opt] = checkedD(s, real, noise)
          expect(bits(lossD)).toBe(bits(l))
          expect(flatValues(nextD.discriminator)).toEqualBits(flatValues(d))
          expect(flatValues([(nextD.optimizerD as AdamState).m, (nextD.optimizerD as AdamState).v])).toEqualBits(flatValues([opt.m, opt.v]))
          expect(nextD.optimizerD.count).toBe(opt.count)
          const [lossG, nextG] = updateG(nextD, noise)
          const [lg, g, optG] = checkedG(nextD, noise)
          expect(bits(lossG)).toBe(bits(lg))
          expect(flatValues(nextG.generator)).toEqualBits(flatValues(g))
          expect(flatValues([(nextG.optimizerG as AdamState).m, (nextG.optimizerG as AdamState).v])).toEqualBits(flatValues([optG.m, optG.v]))
          expect(nextG.optimizerG.count).toBe(optG.count)
          // each network's parameter count, so that no update can drop entries unseen
          expect(flatValues([nextG.generator, nextG.discriminator])).toHaveLength(
            paramCount(s.config.generator.layers, 2) + paramCount(s.config.discriminator.layers, 2),
          )
          s = nextG
        }
      }),
    )
  })
})

describe('the steps a loop runs (discriminatorStepInto, generatorStepInto) and the flat network blocks', () => {
  const smooth = stateWithBatch
  /** `values` at `off` inside NaN padding (`off` before, 3 after). */
  const padded = (values: ReadonlyArray<number>, off: number): Float64Array => {
    const a = new Float64Array(off + values.length + 3).fill(Number.NaN)
    a.set(values, off)
    return a
  }
  const values = (t: unknown): number[] => leaves(t as never).flatMap((m: Matrix) => Array.from(m.data as unknown as Float64Array))
  const wmv = (params: NetworkParams, opt: AdamState): number[] => [...values(params), ...values(opt.m), ...values(opt.v)]

  it('the same bits as updateD then updateG, on [w | m | v] blocks at offsets, with lent plans, a garbage workspace of exactly the plan size and a results block at an offset; nothing else is written', () => {
    fc.assert(
      fc.property(smooth, fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(7)), ({ state, real, noise }, [xOff, zOff, gOff, dOff, outOff]) => {
        const n = noise.rows
        const config = state.config
        const plans = updatePlans(config, n).bound()
        expect(plans.workspace.length).toBe(updatePlans(config, n).size)
        const width = dataWidth(config.data)
        const PD = paramCount(config.discriminator.layers, width)
        const PG = paramCount(config.generator.layers, config.latentDim)
        const [refLossD, refD] = updateD(state, real, noise)
        const [refLossG, refG] = updateG(refD, noise)

        const x = padded(values(real), xOff)
        const z = padded(values(noise), zOff)
        const g = padded(wmv(state.generator, state.optimizerG as AdamState), gOff)
        const d = padded(wmv(state.discriminator, state.optimizerD as AdamState), dOff)
        const inputs = [x, z, g, d].map((a) => Array.from(a, bits))
        const out = new Float64Array(outOff + 3 * (PD + PG) + 3).fill(Number.NaN)
        const v = (data: Float64Array, off: number) => ({ data, off })
        plans.workspace.fill(Number.NaN)
        const lossD = discriminatorStepInto(plans.d, { real: v(x, xOff), noise: v(z, zOff), generator: v(g, gOff), discriminator: v(d, dOff) }, state.optimizerD.count, v(out, outOff))
        plans.workspace.fill(Number.NaN)
        const lossG = generatorStepInto(plans.g, { real: null, noise: v(z, zOff), generator: v(g, gOff), discriminator: v(out, outOff) }, state.optimizerG.count, v(out, outOff + 3 * PD))
        expect(bits(lossD)).toBe(bits(refLossD))
        expect(bits(lossG)).toBe(bits(refLossG))
        // The results: D's w', m', v' from outOff, then G's; nothing else written.
        const want = [...wmv(refD.discriminator, refD.optimizerD as AdamState), ...wmv(refG.generator, refG.optimizerG as AdamState)].map(bits)
        expect(Array.from(out.subarray(outOff, outOff + 3 * (PD + PG)), bits)).toEqual(want)
        expect([...out.subarray(0, outOff), ...out.subarray(outOff + 3 * (PD + PG))].every(Number.isNaN)).toBe(true)
        expect([x, z, g, d].map((a) => Array.from(a, bits))).toEqual(inputs)
        // The networks rebuilt from the results are the updates' own.
        const [dNet, dOpt] = networkOfBlock(discriminatorSpec(config), { data: out, off: outOff }, 'adam', refD.optimizerD.count) as readonly [NetworkParams, AdamState]
        const [gNet, gOpt] = networkOfBlock(generatorSpec(config), { data: out, off: outOff + 3 * PD }, 'adam', refG.optimizerG.count) as readonly [NetworkParams, AdamState]
        sameState(
          Object.freeze({ ...refG, discriminator: dNet, optimizerD: dOpt, generator: gNet, optimizerG: gOpt }),
          refG,
        )
        for (const t of [dNet, dOpt, gNet, gOpt, dOpt.m, gOpt.v]) expect(Object.isFrozen(t)).toBe(true)
        for (const m of leaves([dNet, dOpt.m, dOpt.v, gNet, gOpt.m, gOpt.v] as never)) {
          expect(Object.isFrozen(m)).toBe(true)
          expect((m as Matrix).data.buffer).toBe(out.buffer)
        }
      }),
    )
  })

  it('networkBlock: an updated network is read where it lies (no copy); any other is copied, with the same values in [w | m | v] order', () => {
    fc.assert(
      fc.property(smooth, ({ state, real, noise }) => {
        const config = state.config
        const width = dataWidth(config.data)
        const PD = paramCount(config.discriminator.layers, width)
        const PG = paramCount(config.generator.layers, config.latentDim)
        const [, s1] = updateD(state, real, noise)
        const [, s2] = updateG(s1, noise)
        for (const [params, opt, P] of [
          [s1.discriminator, s1.optimizerD as AdamState, PD],
          [s2.generator, s2.optimizerG as AdamState, PG],
          [state.discriminator, state.optimizerD as AdamState, PD],
          [state.generator, state.optimizerG as AdamState, PG],
        ] as const) {
          const block = networkBlock(params, opt, 'adam', P)
          expect(Array.from(block.data.subarray(block.off, block.off + 3 * P), bits)).toEqual(wmv(params, opt).map(bits))
          const own = leaves([params, opt.m, opt.v] as never).every((m: Matrix) => (m.data as unknown as Float64Array).buffer === block.data.buffer)
          if (params === state.discriminator || params === state.generator) {
            // the initial state's leaves are separate arrays: a fresh copy
            expect(own).toBe(false)
            expect(block.off).toBe(0)
            expect(block.data.length).toBe(3 * P)
          } else {
            expect(own).toBe(true)
          }
        }
      }),
    )
  })
})
