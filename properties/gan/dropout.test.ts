/**
 * Dropout of D's layer inputs (a layer's `keep`, Goodfellow et al. 2014's maxout
 * discriminator, pylearn2's `input_include_probs`), inverted: in training the input `x` of a
 * dropping layer is `x ⊙ mask` with `mask = u < keep ? 1/keep : 0` from the step's uniforms;
 * in evaluation it is `x`. The losses D's and G's steps report equal an independent per-row
 * transcription with the same uniforms, and the gradients they apply equal central
 * differences of that transcription for every parameter. Evaluation ignores `keep`; the config
 * and the updates refuse what does not fit. (trainEpoch against the definition with the
 * documented draw order: critic-steps.test.ts; the masks' kernel: kernels/dropout.test.ts.)
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { GanConfig } from '../../src/gan/index.js'
import { validateConfig } from '../../src/gan/config.js'
import { encodeState } from '../../src/gan/codec.js'
import { initialState, runData } from '../../src/gan/state.js'
import { trainEpoch } from '../../src/gan/train.js'
import { discriminatorLossAndGradient, generatorLossAndGradient, stepSpec, updateD, updateG, wasmComputes } from '../../src/gan/update.js'
import { trainIteration } from '../../src/gan/train.js'
import { seedConfig } from '../../src/gan/config.js'
import { permutation } from '../../src/random/permutation.js'
import { type Matrix, fromFlat, gatherRows, toArrays, toFlat } from '../../src/matrix/index.js'
import { type NetworkParams, predict } from '../../src/nn/network.js'
import { paramViews } from '../../src/nn/blocks.js'
import { paramCount } from '../../src/kernels/network.js'
import { normalMatrix } from '../../src/random/normal.js'
import { leaves } from '../../src/tree/param-tree.js'
import { matrixOfShape } from '../support/arbitraries.js'
import { ganConfig } from '../support/gan-arbitraries.js'
import { expectGradientClose } from '../support/gradient-check.js'
import { oracleNonsaturating } from '../support/oracle-objectives.js'
import type { OracleLayer } from '../support/oracle.js'
import { dataWidth } from '../../src/gan/data.js'

const layersOf = (params: NetworkParams, spec: GanConfig['discriminator']): OracleLayer[] =>
  params.map((p, l) => ({ W: toArrays(p.W), b: toArrays(p.b)[0]!, activation: spec.layers[l]!.activation as OracleLayer['activation'] }))

/** The smooth activations of `ganConfig`, written out. */
const act = (a: OracleLayer['activation'], z: number): number => (a.kind === 'tanh' ? Math.tanh(z) : a.kind === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z)

/**
 * D's logit for one row, each layer's input multiplied entrywise by its mask row first (`null`:
 * no dropout), written out per scalar.
 */
const logitMasked = (D: OracleLayer[], x: number[], masks: ReadonlyArray<number[] | null>): number => {
  let a = x
  D.forEach((layer, l) => {
    const m = masks[l]!
    const input = m === null ? a : a.map((v, k) => v * m[k]!)
    a = layer.b.map((bj, j) => act(layer.activation, input.reduce((s, v, k) => s + v * layer.W[k]![j]!, 0) + bj))
  })
  return a[0]!
}

/** G's output row for one noise row. */
const sampleOf = (G: OracleLayer[], z: number[]): number[] => {
  let a = z
  for (const layer of G) a = layer.b.map((bj, j) => act(layer.activation, a.reduce((s, v, k) => s + v * layer.W[k]![j]!, 0) + bj))
  return a
}

/**
 * Row `i`'s mask of every layer of D from the uniforms `u` over `rows` rows: the dropping layers
 * (`keep < 1`) in order, each's `rows x d_l` block row-major, `u < keep ? 1/keep : 0`.
 */
const masksOf = (config: GanConfig, u: number[], rows: number): (number[] | null)[][] => {
  const widths = [dataWidth(config.data), ...config.discriminator.layers.map((l) => l.units)]
  const out: (number[] | null)[][] = Array.from({ length: rows }, () => [])
  let at = 0
  config.discriminator.layers.forEach((layer, l) => {
    const keep = layer.keep ?? 1
    const d = widths[l]!
    for (let i = 0; i < rows; i++) out[i]!.push(keep < 1 ? u.slice(at + i * d, at + (i + 1) * d).map((v) => (v < keep ? 1 / keep : 0)) : null)
    if (keep < 1) at += rows * d
  })
  return out
}

/** The seed's D loss with masks: row i of the stacked batch is x_i (i < n), else G(z_{i−n}). */
const oracleLossD = (config: GanConfig, G: OracleLayer[], D: OracleLayer[], X: number[][], Z: number[][], u: number[]): number => {
  const n = X.length
  const masks = masksOf(config, u, 2 * n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const t = oracleNonsaturating.d(logitMasked(D, X[i]!, masks[i]!), logitMasked(D, sampleOf(G, Z[i]!), masks[n + i]!))
    loss += t.real.loss + t.fake.loss
  }
  return loss
}

/** The seed's G loss with masks over the n rows of G(Z). */
const oracleLossG = (config: GanConfig, G: OracleLayer[], D: OracleLayer[], Z: number[][], u: number[]): number => {
  const masks = masksOf(config, u, Z.length)
  return Z.reduce((s, z, i) => s + oracleNonsaturating.g(logitMasked(D, sampleOf(G, z), masks[i]!)).loss, 0)
}

/** The uniforms D's pass over `rows` rows takes: `rows · d_l` per dropping layer. */
const drawCount = (config: GanConfig, rows: number): number => {
  const widths = [dataWidth(config.data), ...config.discriminator.layers.map((l) => l.units)]
  return config.discriminator.layers.reduce((s, layer, l) => s + ((layer.keep ?? 1) < 1 ? rows * widths[l]! : 0), 0)
}

const uniformsOf = (count: number) => fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: count, maxLength: count })

/** A seed-like config whose D drops the inputs of some layers (the first always), with a batch and both steps' uniforms. */
const cases = fc
  .tuple(ganConfig, fc.integer({ min: 1, max: 4 }), fc.array(fc.constantFrom(0.3, 0.5, 0.8, 1), { minLength: 4, maxLength: 4 }))
  .chain(([base, n, keeps]) => {
    const config: GanConfig = { ...base, discriminator: { layers: base.discriminator.layers.map((layer, l) => ({ ...layer, keep: l === 0 ? 0.5 : keeps[l]! })) } }
    return fc.record({
      config: fc.constant(config),
      X: matrixOfShape(n, dataWidth(config.data), { min: -3, max: 3 }),
      Z: matrixOfShape(n, config.latentDim, { min: -3, max: 3 }),
      uD: uniformsOf(drawCount(config, 2 * n)),
      uG: uniformsOf(drawCount(config, n)),
    })
  })

const column = (u: number[]): Matrix => fromFlat(u.length, 1, u)

/** A network's parameters as one row, leaf order. */
const flat = (params: NetworkParams, P: number): Matrix => fromFlat(1, P, leaves(params as never).flatMap((m) => toFlat(m)))

describe('dropout of D\'s layer inputs', () => {
  it('D\'s loss is the per-row transcription with the same masks, and its gradient is central differences of it for every parameter of D', () =>
    fc.assert(
      fc.property(cases, ({ config, X, Z, uD }) => {
        const state = initialState(config)
        const G = layersOf(state.generator, config.generator)
        const D = layersOf(state.discriminator, config.discriminator)
        const want = oracleLossD(config, G, D, toArrays(X), toArrays(Z), uD)
        const { loss, gradient } = discriminatorLossAndGradient(state, X, Z, { dropout: column(uD) })
        expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)))
        const spec = { inputSize: dataWidth(config.data), layers: config.discriminator.layers }
        const P = paramCount(spec.layers, spec.inputSize)
        const f = (theta: Matrix): number =>
          oracleLossD(config, G, layersOf(paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(theta)), 0), config.discriminator), toArrays(X), toArrays(Z), uD)
        expectGradientClose('d(loss_D with dropout)/dD', f, flat(state.discriminator, P), flat(gradient, P))
      }),
      { numRuns: 60 },
    ))

  it('G\'s loss is the transcription through D\'s masked pass, and its gradient is central differences of it for every parameter of G', () =>
    fc.assert(
      fc.property(cases, ({ config, Z, uG }) => {
        const state = initialState(config)
        const G = layersOf(state.generator, config.generator)
        const D = layersOf(state.discriminator, config.discriminator)
        const want = oracleLossG(config, G, D, toArrays(Z), uG)
        const { loss, gradient } = generatorLossAndGradient(state, Z, { dropout: column(uG) })
        expect(Math.abs(loss - want)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)))
        const spec = { inputSize: config.latentDim, layers: config.generator.layers }
        const P = paramCount(spec.layers, spec.inputSize)
        const f = (theta: Matrix): number =>
          oracleLossG(config, layersOf(paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(theta)), 0), config.generator), D, toArrays(Z), uG)
        expectGradientClose('d(loss_G through D with dropout)/dG', f, flat(state.generator, P), flat(gradient, P))
      }),
      { numRuns: 60 },
    ))

  it('updateD reports the loss of those draws, and updateG with all uniforms 0 keeps every entry (scaled by 1/keep)', () =>
    fc.assert(
      fc.property(cases, ({ config, X, Z, uD }) => {
        const state = initialState(config)
        const [lossD, s1] = updateD(state, X, Z, { dropout: column(uD) })
        expect(Object.is(lossD, discriminatorLossAndGradient(state, X, Z, { dropout: column(uD) }).loss)).toBe(true)
        expect(s1.optimizerD.count).toBe(1)
        const n = X.rows
        const [lossG] = updateG(s1, Z, { dropout: column(new Array<number>(drawCount(config, n)).fill(0)) })
        // every uniform 0 < keep: every mask 1/keep
        const want = oracleLossGOf(s1, Z, new Array<number>(drawCount(config, n)).fill(0))
        expect(Math.abs(lossG - want)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(want)))
      }),
      { numRuns: 20 },
    ))

  it('evaluation ignores keep: predict on D with and without keep gives the same bits', () =>
    fc.assert(
      fc.property(cases, ({ config, X }) => {
        const state = initialState(config)
        const plain = config.discriminator.layers.map(({ keep: _keep, ...layer }) => layer)
        const a = predict({ inputSize: dataWidth(config.data), layers: config.discriminator.layers }, state.discriminator, X)
        const b = predict({ inputSize: dataWidth(config.data), layers: plain }, state.discriminator, X)
        expect(a).toEqualBits(b)
      }),
      { numRuns: 20 },
    ))

  it('the updates refuse absent, ill-shaped or out-of-range uniforms, and uniforms for a config without dropout', () => {
    const { config, X, Z } = fc.sample(cases, { seed: 5, numRuns: 1 })[0]!
    const n = X.rows
    const state = initialState(config)
    const cD = drawCount(config, 2 * n)
    const cG = drawCount(config, n)
    expect(() => updateD(state, X, Z)).toThrow(new RangeError(`updateD: the discriminator's dropout needs its mask uniforms (${cD}x1, each in [0, 1))`))
    expect(() => updateG(state, Z)).toThrow(new RangeError(`updateG: the discriminator's dropout needs its mask uniforms (${cG}x1, each in [0, 1))`))
    expect(() => updateD(state, X, Z, { dropout: column(new Array<number>(cD + 1).fill(0)) })).toThrow(
      `updateD: the dropout uniforms must be (${cD}x1), one per input entry of each dropping layer of D over ${2 * n} rows, got (${cD + 1}x1)`,
    )
    expect(() => updateG(state, Z, { dropout: column([...new Array<number>(cG - 1).fill(0), 1]) })).toThrow(new RangeError(`updateG: every dropout uniform must be in [0, 1), got 1 at row ${cG - 1}`))
    expect(() => updateG(state, Z, { dropout: column(new Array<number>(cG).fill(0)), interpolation: column([0.5]) })).toThrow(new RangeError("updateG: interpolation weights are taken only by D's step, not G's"))
    const plain = initialState({ ...config, discriminator: { layers: config.discriminator.layers.map(({ keep: _keep, ...layer }) => layer) } })
    expect(() => updateD(plain, X, Z, { dropout: column([0.5]) })).toThrow(new RangeError('updateD: dropout uniforms are taken only when a discriminator layer has keep < 1, and none has'))
  })

  it('the config refuses keep outside (0, 1], keep in G\'s layers, and dropout with a gradient penalty', () => {
    const base = fc.sample(cases, { seed: 9, numRuns: 1 })[0]!.config
    const problems = (c: unknown): ReadonlyArray<string> => {
      const r = validateConfig(c)
      return r._tag === 'Left' ? r.left : []
    }
    const withKeep = (keep: unknown) => ({ ...base, discriminator: { layers: [{ ...base.discriminator.layers[0]!, keep }, ...base.discriminator.layers.slice(1)] } })
    expect(problems(withKeep(0))).toEqual(['discriminator.layers[0].keep must be a number in (0, 1] (the probability of keeping an input), got 0'])
    expect(problems(withKeep(1.5))).toEqual(['discriminator.layers[0].keep must be a number in (0, 1] (the probability of keeping an input), got 1.5'])
    expect(problems(withKeep('0.5'))).toEqual(['discriminator.layers[0].keep must be a number in (0, 1] (the probability of keeping an input), got "0.5"'])
    expect(problems(withKeep(1))).toEqual([])
    expect(problems({ ...base, generator: { layers: [{ ...base.generator.layers[0]!, keep: 0.5 }, ...base.generator.layers.slice(1)] } })).toEqual([
      "generator.layers[0].keep: dropout is for the discriminator's layers only, not the generator's",
    ])
    const both = "discriminator.layers: dropout (a layer's keep below 1) cannot be combined with a gradient penalty (the wasserstein-gp objective or penalty)"
    expect(problems({ ...base, objective: { kind: 'wasserstein-gp', lambda: 10 } })).toEqual([both])
    expect(problems({ ...base, penalty: { kind: 'r1', gamma: 1 } })).toEqual([both])
    // a keep of 1 is no dropout, and goes with a penalty
    expect(problems({ ...withKeep(1), discriminator: { layers: withKeep(1).discriminator.layers.map((l) => ({ ...l, keep: 1 })) }, penalty: { kind: 'r1', gamma: 1 } })).toEqual([])
  })

  it('a run with dropout trains through trainEpoch and reproduces bit for bit; the masks matter', () => {
    const { config } = fc.sample(cases, { seed: 3, numRuns: 1 })[0]!
    const [, a] = trainEpoch(initialState(config), runData(config))
    const [, b] = trainEpoch(initialState(config), runData(config))
    expect(encodeState(a)).toBe(encodeState(b))
    const real = gatherRows(runData(config), [0, 1])
    const [z] = normalMatrix(initialState(config).rng, 2, config.latentDim)
    // one step with the masks of the all-kept uniforms differs from one with all dropped
    const kept = updateD(initialState(config), real, z, { dropout: column(new Array<number>(drawCount(config, 4)).fill(0)) })[0]
    const dropped = updateD(initialState(config), real, z, { dropout: column(new Array<number>(drawCount(config, 4)).fill(0.99)) })[0]
    expect(kept).not.toBe(dropped)
  })
})

describe("dropout with the paper's maxout discriminator", () => {
  const maxout = (units: number, pieces: number, keep: number) => ({ kind: 'maxout', units, pieces, activation: { kind: 'identity' }, keep }) as const
  const paperD: GanConfig = {
    ...seedConfig,
    data: { ...seedConfig.data, size: 20 },
    batchSize: 4,
    // normal biases: the pieces of a unit seldom come within a central difference's step
    init: { weightStd: 0.5, biasInit: 'normal' },
    discriminator: { layers: [maxout(4, 3, 0.8), maxout(4, 3, 0.5), { units: 1, activation: { kind: 'identity' }, keep: 0.5 }] },
  }

  // fixed seeds and uniforms (a random case may put two pieces within the difference's step)
  it.each(Array.from({ length: 10 }, (_, seed) => seed))("D's gradient is central differences of D's own loss with the same uniforms, through the winning pieces and the masks (seed %i)", (seed) => {
    const config = { ...paperD, seed }
    const uD = fc.sample(uniformsOf(drawCount(paperD, 4)), { seed, numRuns: 1 })[0]!
    const state = initialState(config)
    const X = gatherRows(runData(config), [0, 1])
    const [Z] = normalMatrix(state.rng, 2, config.latentDim)
    const { gradient } = discriminatorLossAndGradient(state, X, Z, { dropout: column(uD) })
    const spec = { inputSize: dataWidth(config.data), layers: config.discriminator.layers }
    const P = paramCount(spec.layers, spec.inputSize)
    const f = (theta: Matrix): number => {
      const discriminator = paramViews(spec.layers, spec.inputSize, Float64Array.from(toFlat(theta)), 0)
      return discriminatorLossAndGradient({ ...state, discriminator }, X, Z, { dropout: column(uD) }).loss
    }
    expectGradientClose('d(loss_D, maxout D with dropout)/dD', f, flat(state.discriminator, P), flat(gradient, P))
  })

  it('trainEpoch equals trainIteration group by group, bit for bit, packed and with critic steps; the WebAssembly steps never take it', () => {
    for (const config of [paperD, { ...paperD, pack: 2, criticSteps: 2, objective: { kind: 'hinge' } } as GanConfig]) {
      expect(wasmComputes(stepSpec(config))).toBe(false)
      const data = runData(config)
      const s0 = initialState(config)
      const [, fast] = trainEpoch(s0, data)
      const [order, rng] = permutation(s0.rng, data.rows)
      const critic = config.criticSteps ?? 1
      let s = { ...s0, rng }
      let group: Matrix[] = []
      for (let start = 0; start < data.rows; start += config.batchSize) {
        group.push(gatherRows(data, order.slice(start, start + config.batchSize)))
        if (group.length < critic && start + config.batchSize < data.rows) continue
        s = trainIteration(s, group)[1]
        group = []
      }
      expect(encodeState(fast)).toBe(encodeState({ ...s, epoch: 1 }))
    }
    // the same config without dropout is one WebAssembly computes
    expect(wasmComputes(stepSpec({ ...paperD, discriminator: { layers: [{ units: 4, activation: { kind: 'tanh' } }, { units: 1, activation: { kind: 'identity' } }] } }))).toBe(true)
  })
})

/** G's loss by the transcription for `state`'s networks. */
const oracleLossGOf = (state: ReturnType<typeof initialState>, Z: Matrix, u: number[]): number =>
  oracleLossG(state.config, layersOf(state.generator, state.config.generator), layersOf(state.discriminator, state.config.discriminator), toArrays(Z), u)
