/**
 * Critic steps (config `criticSteps`, WGAN's n_critic): an epoch is still one pass over the
 * data; every minibatch is one D update with its own noise, and after every `criticSteps` of
 * them (and after the epoch's last) G is updated once with the last D update's noise. These
 * properties compare trainEpoch, on every objective, with that definition written out with
 * the public updateD, updateG and normalMatrix, bit for bit, and pin the counters and the
 * reported means. With dropout in D (a layer's `keep`), each D update draws its masks' uniforms
 * after its noise and each G update after the last D update's draws (docs/gan.md).
 */
import type { AdamState } from '../../src/optim/adam.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { initialState, runData } from '../../src/gan/state.js'
import { trainEpoch, trainIteration, trainStep } from '../../src/gan/train.js'
import { updateD, updateG } from '../../src/gan/update.js'
import { type Matrix, fromFlat, gatherRows } from '../../src/matrix/index.js'
import { uniforms } from '../../src/random/rng.js'
import { normalMatrix } from '../../src/random/normal.js'
import { permutation } from '../../src/random/permutation.js'
import { familyConfig } from '../support/gan-arbitraries.js'
import { dataSize, dataWidth } from '../../src/gan/data.js'

const configs = familyConfig

/**
 * The uniforms of D's dropout masks over `rows` of D's input rows, written out: for each of
 * D's layers with `keep < 1` in order, `rows · (its input width)` uniforms, as a column;
 * `undefined` (and `rng`) without dropout.
 */
const masks = (config: GanConfig, rng: GanState['rng'], rows: number): readonly [Matrix | undefined, GanState['rng']] => {
  const widths = [dataWidth(config.data) * (config.pack ?? 1), ...config.discriminator.layers.map((l) => l.units)]
  let count = 0
  config.discriminator.layers.forEach((layer, l) => {
    if (layer.keep !== undefined && layer.keep < 1) count += rows * widths[l]!
  })
  if (count === 0) return [undefined, rng]
  const [u, next] = uniforms(rng, count)
  return [fromFlat(count, 1, Array.from(u)), next]
}

/** One epoch by the definition: D on every minibatch with its own noise, G after each group. */
const epochByDefinition = (state: GanState, data: Matrix) => {
  const { batchSize: batch, latentDim } = state.config
  const critic = state.config.criticSteps ?? 1
  const [order, rng0] = permutation(state.rng, data.rows)
  let s: GanState = { ...state, rng: rng0 }
  let sumD = 0
  let sumG = 0
  let rowsG = 0
  let group = 0
  let groupD = 0
  let iterations = 0
  for (let start = 0; start < data.rows; start += batch) {
    const real = gatherRows(data, order.slice(start, Math.min(start + batch, data.rows)))
    const [noise, afterNoise] = normalMatrix(s.rng, real.rows, latentDim)
    // WGAN-GP's interpolation weights: drawn right after the noise
    const gp = state.config.objective?.kind === 'wasserstein-gp'
    const packs = real.rows / (state.config.pack ?? 1)
    const [eps, afterEps] = gp ? uniforms(afterNoise, packs) : [undefined, afterNoise]
    // dropout: the uniforms of D's masks over the stacked 2·packs rows, right after the noise
    const [maskD, rng] = masks(state.config, afterEps, 2 * packs)
    const draws = { ...(eps === undefined ? {} : { interpolation: fromFlat(packs, 1, Array.from(eps)) }), ...(maskD === undefined ? {} : { dropout: maskD }) }
    const [lossD, s1] = updateD({ ...s, rng }, real, noise, draws)
    groupD = group === 0 ? lossD : groupD + lossD
    group++
    s = s1
    if (group < critic && start + batch < data.rows) continue
    // and G's masks over its packs rows of D, after the last D update's draws
    const [maskG, rngG] = masks(state.config, s.rng, packs)
    const [lossG, s2] = updateG({ ...s, rng: rngG }, noise, maskG === undefined ? {} : { dropout: maskG })
    sumD += groupD
    sumG += lossG
    rowsG += real.rows
    s = s2
    group = 0
    iterations++
  }
  // means per input row of D: per pack of `pack` examples
  const pack = state.config.pack ?? 1
  return { state: { ...s, step: state.step + iterations, epoch: state.epoch + 1 }, lossD: sumD / (data.rows / pack), lossG: sumG / (rowsG / pack), iterations }
}

describe('critic steps', () => {
  it('trainEpoch is the definition, bit for bit, on every objective, for any number of critic steps, data size and batch size (ragged last batches included)', () =>
    fc.assert(
      fc.property(configs, (config) => {
        const data = runData(config)
        let fast = initialState(config)
        let slow = fast
        for (let e = 0; e < 2; e++) {
          const [report, next] = trainEpoch(fast, data)
          const ref = epochByDefinition(slow, data)
          expect(Object.is(report.lossD, ref.lossD)).toBe(true)
          expect(Object.is(report.lossG, ref.lossG)).toBe(true)
          expect(encodeState(next)).toBe(encodeState(ref.state))
          fast = next
          slow = ref.state
        }
      }),
      { numRuns: 60 },
    ))

  it('count D updates per minibatch and G updates per group: ceil(batches / criticSteps) iterations an epoch', () =>
    fc.assert(
      fc.property(configs, (config) => {
        const [report, next] = trainEpoch(initialState(config), runData(config))
        const batches = Math.ceil(dataSize(config.data) / config.batchSize)
        const iterations = Math.ceil(batches / config.criticSteps!)
        expect(next.optimizerD.count).toBe(batches)
        expect(next.optimizerG.count).toBe(iterations)
        expect(next.step).toBe(iterations)
        expect(report.examples).toBe(dataSize(config.data))
      }),
      { numRuns: 40 },
    ))

  it('more critic steps than minibatches: one G update an epoch, after the last minibatch', () => {
    const base = fc.sample(configs, { seed: 7, numRuns: 1 })[0]!
    const config = { ...base, data: { ...base.data, size: 10 }, batchSize: 3, criticSteps: 9 }
    const [, next] = trainEpoch(initialState(config), runData(config))
    expect([next.optimizerD.count, next.optimizerG.count, next.step]).toEqual([4, 1, 1])
  })

  it('trainIteration on one minibatch is trainStep; on none it is a RangeError naming the argument', () =>
    fc.assert(
      fc.property(configs, (config) => {
        const s0 = initialState(config)
        // one minibatch of one pack
        const real = gatherRows(runData(config), Array.from({ length: config.pack ?? 1 }, (_, i) => i))
        const [a, sa] = trainIteration(s0, [real])
        const [b, sb] = trainStep(s0, real)
        expect([Object.is(a.lossD, b.lossD), Object.is(a.lossG, b.lossG)]).toEqual([true, true])
        expect(encodeState(sa)).toBe(encodeState(sb))
        expect(() => trainIteration(s0, [])).toThrow(new RangeError('trainIteration: realBatches must hold at least one minibatch, got none'))
      }),
      { numRuns: 10 },
    ))
})

describe('weight clipping (the Wasserstein objective)', () => {
  it('after every critic step each of D\'s parameters lies in [−clip, clip], and the clipped D is the unclipped step clamped', () =>
    fc.assert(
      fc.property(configs, fc.double({ min: 0.001, max: 0.5, noNaN: true }), (config, clip) => {
        const { penalty: _r1, ...unpenalized } = config
        // without dropout: this step takes no draws beyond its noise
        const plainD = { layers: config.discriminator.layers.map(({ keep: _keep, ...layer }) => layer) }
        const wgan = { ...unpenalized, discriminator: plainD, objective: { kind: 'wasserstein', clip } as const }
        const s0 = initialState(wgan)
        const data = runData(wgan)
        const rows = wgan.pack ?? 1
        const real = gatherRows(data, Array.from({ length: rows }, (_, i) => i))
        const [noise] = normalMatrix(s0.rng, rows, wgan.latentDim)
        const [, clipped] = updateD(s0, real, noise)
        // the same step with an enormous clip is the unclipped step
        const [, free] = updateD({ ...s0, config: { ...wgan, objective: { kind: 'wasserstein', clip: 1e300 } } }, real, noise)
        clipped.discriminator.forEach((layer, l) => {
          const want = (m: Matrix) => Array.from(m.data, (w) => Math.min(clip, Math.max(-clip, w)))
          expect(Array.from(layer.W.data)).toEqual(want(free.discriminator[l]!.W))
          expect(Array.from(layer.b.data)).toEqual(want(free.discriminator[l]!.b))
        })
        // the moments are the step's, not clipped
        const moments = (s: GanState) => JSON.stringify([s.optimizerD.count, (s.optimizerD as AdamState).m, (s.optimizerD as AdamState).v], (_, v) => (v instanceof Float64Array ? Array.from(v) : v))
        expect(moments(clipped)).toBe(moments(free))
        const [, after] = trainEpoch(s0, data)
        for (const layer of after.discriminator) for (const w of [...layer.W.data, ...layer.b.data]) expect(Math.abs(w)).toBeLessThanOrEqual(clip)
      }),
      { numRuns: 30 },
    ))
})
