/**
 * Batch normalisation as a layer of a network (src/kernels/batchnorm.ts's layer kind, src/nn/
 * network.ts, src/nn/batchnorm.ts), docs/gradients.md "Batch normalisation":
 *
 * - training mode (`forward`, `backward`): dW, db of every layer (γ, β of a batch
 *   normalisation layer) and dx equal central differences of <c, forward(...).output> on random
 *   networks with batch normalisation after dense layers, smooth activations, random epsilon;
 *   a case is drawn only when every normalised column's batch variance is at least 1e-3 (the
 *   third derivative grows as σ⁻³, and a column of nearly equal values reaches the order of
 *   ε^(-3/2), where differences of step 1e-6 are no longer accurate to the tolerance);
 * - evaluation mode (`predict` with running statistics) equals a literal transcription, bit for
 *   bit, and its rows are independent of each other; with the batch's own mean and biased
 *   variance as the running statistics it equals training mode bit for bit;
 * - initialisation: γ = 1, β = 0, and the other layers draw exactly what they draw without
 *   batch normalisation;
 * - the messages of every check.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromFlat, toArrays, toFlat } from '../../src/matrix/index.js'
import type { Activation } from '../../src/nn/activation.js'
import { type BatchNormStats, initialRunningStats } from '../../src/nn/batchnorm.js'
import { initNetwork } from '../../src/nn/init.js'
import { type LayerSpec, type NetworkParams, type NetworkSpec, backward, forward, paramShapes, paramsFit, predict, validateSpec } from '../../src/nn/network.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import { spreadDouble } from '../support/network-arbitraries.js'
import { columnStats } from '../support/batchnorm-reference.js'
import { thrown } from '../support/thrown.js'

const smooth = fc.constantFrom<Activation>({ kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'identity' })
const anyKind = fc.constantFrom<Activation>({ kind: 'tanh' }, { kind: 'sigmoid' }, { kind: 'identity' }, { kind: 'relu' }, { kind: 'leakyRelu', alpha: 0.2 })

/**
 * A network: per block a dense layer of 1..4 units and (always in the first block, else when
 * drawn) a batch normalisation layer as wide (with a random epsilon and momentum), then a dense
 * output layer; its
 * parameters (γ, β random too), an input of 2..6 rows and a projection `c` of the output.
 */
const networkWithBatchNorm = (activation: fc.Arbitrary<Activation>) =>
  fc
    .record({
      inputSize: fc.integer({ min: 1, max: 3 }),
      blocks: fc.array(fc.record({ units: fc.integer({ min: 1, max: 4 }), dense: activation, bn: fc.boolean(), after: activation, epsilon: fc.constantFrom(1e-5, 1e-3, 0.1), momentum: fc.constantFrom(0, 0.1, 0.5, 1) }), { minLength: 1, maxLength: 3 }),
      out: fc.integer({ min: 1, max: 3 }),
      last: activation,
      rows: fc.integer({ min: 2, max: 6 }),
      seed: fc.nat(),
    })
    .map((r) => {
      const layers: LayerSpec[] = r.blocks.flatMap((b, i) =>
        b.bn || i === 0
          ? [{ units: b.units, activation: b.dense }, { kind: 'batchnorm' as const, units: b.units, activation: b.after, epsilon: b.epsilon, momentum: b.momentum }]
          : [{ units: b.units, activation: b.dense }],
      )
      layers.push({ units: r.out, activation: r.last })
      return { spec: { inputSize: r.inputSize, layers } as NetworkSpec, rows: r.rows, seed: r.seed }
    })
    .chain(({ spec, rows, seed }) => {
      const sizes = paramShapes(spec).map((s) => s.W[0] * s.W[1] + s.b[1])
      const count = sizes.reduce((a, b) => a + b, 0)
      const value = spreadDouble(2)
      return fc.record({
        spec: fc.constant(spec),
        params: fc.array(value, { minLength: count, maxLength: count }).map((flat) => paramsOf(spec, flat)),
        x: fc.array(value, { minLength: rows * spec.inputSize, maxLength: rows * spec.inputSize }).map((v) => fromFlat(rows, spec.inputSize, v)),
        c: fc.array(value, { minLength: rows * lastUnits(spec), maxLength: rows * lastUnits(spec) }).map((v) => fromFlat(rows, lastUnits(spec), v)),
        seed: fc.constant(seed),
      })
    })

const lastUnits = (spec: NetworkSpec): number => spec.layers[spec.layers.length - 1]!.units

/** Parameters of `spec` from a flat list of values, layer by layer, `W` then `b`. */
const paramsOf = (spec: NetworkSpec, flat: ReadonlyArray<number>): NetworkParams => {
  let at = 0
  return paramShapes(spec).map((s) => {
    const W = fromFlat(s.W[0], s.W[1], flat.slice(at, at + s.W[0] * s.W[1]))
    at += s.W[0] * s.W[1]
    const b = fromFlat(1, s.b[1], flat.slice(at, at + s.b[1]))
    at += s.b[1]
    return { W, b }
  })
}

/** The smallest batch variance over the normalised columns of every batch normalisation layer (Infinity: none). */
const smallestVariance = (spec: NetworkSpec, params: NetworkParams, x: Matrix): number => {
  const { cache } = forward(spec, params, x)
  let least = Infinity
  spec.layers.forEach((layer, l) => {
    if (layer.kind !== 'batchnorm') return
    least = Math.min(least, ...columnStats(cache[l]!.input).variance)
  })
  return least
}

/** `params` with layer `l`'s `W` or `b` replaced by `m`. */
const replace = (params: NetworkParams, l: number, field: 'W' | 'b', m: Matrix): NetworkParams => params.map((p, k) => (k === l ? { ...p, [field]: m } : p))

describe('training mode: gradients against central differences', () => {
  it('every W, b (γ, β) and the input, through the batch mean and variance', () => {
    fc.assert(
      fc.property(networkWithBatchNorm(smooth), ({ spec, params, x, c }) => {
        fc.pre(smallestVariance(spec, params, x) >= 1e-3)
        const f = (ps: NetworkParams, x1: Matrix): number => frobeniusInner(c, forward(spec, ps, x1).output)
        const { cache } = forward(spec, params, x)
        const g = backward(spec, params, cache, c)
        params.forEach((p, l) => {
          expectGradientClose(`W${l}`, (W) => f(replace(params, l, 'W', W), x), p.W, g.grads[l]!.W)
          expectGradientClose(`b${l}`, (b) => f(replace(params, l, 'b', b), x), p.b, g.grads[l]!.b)
        })
        expectGradientClose('x', (x1) => f(params, x1), x, g.dInput)
      }),
      { numRuns: 150 },
    )
  })

  it('a column of equal values: x̂ = 0 and the output is β; the input gradient is s·(g_i − mean g) with s = 1/√ε (epsilon bounds it)', () => {
    const spec: NetworkSpec = { inputSize: 2, layers: [{ kind: 'batchnorm', units: 2, activation: { kind: 'identity' } }] }
    const params = [{ W: fromFlat(1, 2, [3, -2]), b: fromFlat(1, 2, [0.5, 0.25]) }]
    const x = fromFlat(3, 2, [1, 4, 1, -4, 1, 0])
    const { output, cache } = forward(spec, params, x)
    expect(toArrays(output).map((r) => r[0])).toEqual([0.5, 0.5, 0.5])
    const g = backward(spec, params, cache, fromFlat(3, 2, [1, 2, -3, 0.5, 7, 1]))
    const s = 1 / Math.sqrt(0 + 1e-5)
    // g = dy·γ = [3, −9, 21] in column 0, whose mean is 5
    expect(toArrays(g.dInput).map((r) => r[0])).toEqual([s * (3 - 5), s * (-9 - 5), s * (21 - 5)])
    expect(toFlat(g.grads[0]!.b)).toEqual([5, 3.5])
  })
})

describe('evaluation mode (predict with running statistics)', () => {
  /** Random running statistics for `spec`: means in [-2, 2], variances in [0, 3]. */
  const runningFor = (spec: NetworkSpec, seed: number) => {
    let s = seed % 1000
    const next = () => ((s = (s * 7919 + 17) % 1009) / 1009)
    return initialRunningStats(spec).map((st) => ({
      mean: fromFlat(1, st.mean.cols, toFlat(st.mean).map(() => 4 * next() - 2)),
      variance: fromFlat(1, st.variance.cols, toFlat(st.variance).map(() => 3 * next())),
    }))
  }

  it('equals a literal transcription bit for bit: per batch normalisation layer γ·((z − μ)·(1/√(σ² + ε))) + β, then f; the other layers as predict computes them', () => {
    fc.assert(
      fc.property(networkWithBatchNorm(anyKind), ({ spec, params, x, seed }) => {
        const running = runningFor(spec, seed)
        let a = x
        let r = 0
        spec.layers.forEach((layer, l) => {
          const p = params[l]!
          if (layer.kind !== 'batchnorm') {
            a = predict({ inputSize: a.cols, layers: [layer] }, [p], a)
            return
          }
          const st = running[r++]!
          const eps = layer.epsilon!
          const g = toFlat(p.W)
          const b = toFlat(p.b)
          const mu = toFlat(st.mean)
          const v = toFlat(st.variance)
          const z = toArrays(a).map((row) => row.map((zj, j) => g[j]! * ((zj - mu[j]!) * (1 / Math.sqrt(v[j]! + eps))) + b[j]!))
          a = predict({ inputSize: layer.units, layers: [{ units: layer.units, activation: layer.activation }] }, [identityLayer(layer.units)], fromFlat(z.length, layer.units, z.flat()))
        })
        expect(toFlat(predict(spec, params, x, running))).toEqual(toFlat(a))
      }),
    )
  })

  it('its rows do not depend on each other: each row alone gives the same bits', () => {
    fc.assert(
      fc.property(networkWithBatchNorm(anyKind), ({ spec, params, x, seed }) => {
        const running = runningFor(spec, seed)
        const all = toArrays(predict(spec, params, x, running))
        toArrays(x).forEach((row, i) => expect(toArrays(predict(spec, params, fromFlat(1, row.length, row), running))[0]).toEqual(all[i]))
      }),
    )
  })

  it('with the batch\'s own mean and biased variance as running statistics it equals training mode bit for bit (one layer)', () => {
    fc.assert(
      fc.property(networkWithBatchNorm(anyKind), ({ spec, params, x }) => {
        const l = spec.layers.findIndex((layer) => layer.kind === 'batchnorm')
        fc.pre(l >= 0)
        const layer = spec.layers[l]!
        const { cache } = forward(spec, params, x)
        const input = cache[l]!.input
        const own = columnStats(input)
        const one: NetworkSpec = { inputSize: layer.units, layers: [layer] }
        const stats: BatchNormStats = { mean: fromFlat(1, layer.units, own.mean), variance: fromFlat(1, layer.units, own.variance) }
        expect(toFlat(predict(one, [params[l]!], input, [stats]))).toEqual(toFlat(cache[l]!.output))
      }),
    )
  })
})

/** The dense identity layer `x·I + 0` of `m` units (an exact copy of its input). */
const identityLayer = (m: number) => ({ W: fromFlat(m, m, Array.from({ length: m * m }, (_, k) => (k % (m + 1) === 0 ? 1 : 0))), b: fromFlat(1, m, new Array<number>(m).fill(0)) })

describe('initialisation', () => {
  it('γ = 1 and β = 0, with no draws: the other layers get the bits they get without batch normalisation', () => {
    fc.assert(
      fc.property(networkWithBatchNorm(anyKind), fc.constantFrom<'zeros' | 'normal'>('zeros', 'normal'), ({ spec, seed }, biasInit) => {
        const options = { weightStd: 0.5, biasInit }
        const [params, rngAfter] = initNetwork(spec, rngFromSeed(seed), options)
        const plain: NetworkSpec = { inputSize: spec.inputSize, layers: spec.layers.filter((layer) => layer.kind !== 'batchnorm') }
        const [plainParams, plainAfter] = initNetwork(plain, rngFromSeed(seed), options)
        expect(rngAfter).toEqual(plainAfter)
        let k = 0
        spec.layers.forEach((layer, l) => {
          if (layer.kind === 'batchnorm') {
            expect(toFlat(params[l]!.W)).toEqual(new Array<number>(layer.units).fill(1))
            expect(toFlat(params[l]!.b)).toEqual(new Array<number>(layer.units).fill(0))
            return
          }
          expect(toFlat(params[l]!.W)).toEqual(toFlat(plainParams[k]!.W))
          expect(toFlat(params[l]!.b)).toEqual(toFlat(plainParams[k++]!.b))
        })
      }),
    )
  })

  it('initialRunningStats: μ = 0, σ² = 1 per layer, in order; none without batch normalisation', () => {
    const spec: NetworkSpec = { inputSize: 3, layers: [{ kind: 'batchnorm', units: 3, activation: { kind: 'relu' } }, { units: 2, activation: { kind: 'identity' } }, { kind: 'batchnorm', units: 2, activation: { kind: 'identity' } }] }
    expect(initialRunningStats(spec).map((s) => [toArrays(s.mean), toArrays(s.variance)])).toEqual([
      [[[0, 0, 0]], [[1, 1, 1]]],
      [[[0, 0]], [[1, 1]]],
    ])
    expect(initialRunningStats({ inputSize: 2, layers: [{ units: 1, activation: { kind: 'identity' } }] })).toEqual([])
  })
})

describe('paramsFit (the fast paths\' unchecked fit test) with batch normalisation', () => {
  const bn = (extra: object = {}): LayerSpec => ({ kind: 'batchnorm', units: 2, activation: { kind: 'relu' }, ...extra }) as LayerSpec
  const params = [{ W: fromFlat(1, 2, [1, 1]), b: fromFlat(1, 2, [0, 0]) }]
  const accepts = (spec: NetworkSpec): boolean => {
    try {
      validateSpec('fit', spec)
      return true
    } catch {
      return false
    }
  }
  it('is true exactly when validateSpec accepts: width, momentum, epsilon, pieces, activation (strings never pass for numbers)', () => {
    const variants: object[] = [
      {},
      { momentum: 0 },
      { momentum: 1 },
      { momentum: 0.5, epsilon: 1e-300 },
      { momentum: 1.5 },
      { momentum: -0.1 },
      { momentum: Number.NaN },
      { momentum: '0.5' },
      { momentum: null },
      { epsilon: 0 },
      { epsilon: -1 },
      { epsilon: Infinity },
      { epsilon: '1e-5' },
      { pieces: 2 },
      { activation: { kind: 'swish' } },
      { units: 3 },
    ]
    for (const v of variants) {
      const spec: NetworkSpec = { inputSize: 2, layers: [bn(v)] }
      const p = (v as { units?: number }).units === 3 ? [{ W: fromFlat(1, 3, [1, 1, 1]), b: fromFlat(1, 3, [0, 0, 0]) }] : params
      expect([JSON.stringify(v), paramsFit(spec.layers, 2, p)]).toEqual([JSON.stringify(v), accepts(spec)])
    }
    expect(accepts({ inputSize: 2, layers: [bn({ momentum: '0.5' })] })).toBe(false)
    // γ is one row: a W of the input's rows does not fit
    expect(paramsFit([bn()], 2, [{ W: fromFlat(2, 2, [1, 1, 1, 1]), b: fromFlat(1, 2, [0, 0]) }])).toBe(false)
  })
})

describe('messages', () => {
  const bn = (extra: object = {}): LayerSpec => ({ kind: 'batchnorm', units: 2, activation: { kind: 'relu' }, ...extra }) as LayerSpec
  it('validateSpec: the width, momentum, epsilon and pieces of a batch normalisation layer', () => {
    const cases: [LayerSpec[], new (...args: never[]) => Error, string][] = [
      [[{ units: 3, activation: { kind: 'identity' } }, bn()], RangeError, 'op: spec.layers[1] is a batch normalisation layer of 2 units, but its input is 3 wide (they must be equal)'],
      [[bn({ momentum: 1.5 })], RangeError, 'op: spec.layers[0].momentum must be a number in [0, 1], got 1.5'],
      [[bn({ momentum: Number.NaN })], RangeError, 'op: spec.layers[0].momentum must be a number in [0, 1], got NaN'],
      [[bn({ epsilon: 0 })], RangeError, 'op: spec.layers[0].epsilon must be a finite number > 0, got 0'],
      [[bn({ epsilon: Infinity })], RangeError, 'op: spec.layers[0].epsilon must be a finite number > 0, got Infinity'],
      [[bn({ pieces: 2 })], TypeError, 'op: spec.layers[0] has pieces but is a batch normalisation layer'],
      [[bn({ activation: { kind: 'swish' } })], TypeError, thrown(() => validateSpec('op', { inputSize: 2, layers: [{ units: 2, activation: { kind: 'swish' } as unknown as Activation }] })).message],
    ]
    for (const [layers, type, message] of cases) {
      const e = thrown(() => validateSpec('op', { inputSize: 2, layers }))
      expect(e).toBeInstanceOf(type)
      expect(e.message).toBe(message)
    }
    expect(() => validateSpec('op', { inputSize: 2, layers: [bn({ momentum: 0, epsilon: 1e-300 }), bn({ momentum: 1 })] })).not.toThrow()
  })

  it('predict: running statistics missing, of the wrong count or shape, or with a negative variance', () => {
    const spec: NetworkSpec = { inputSize: 2, layers: [bn()] }
    const params = [{ W: fromFlat(1, 2, [1, 1]), b: fromFlat(1, 2, [0, 0]) }]
    const x = fromFlat(1, 2, [1, 2])
    const stats = (mean: number[], variance: number[]): BatchNormStats => ({ mean: fromFlat(1, mean.length, mean), variance: fromFlat(1, variance.length, variance) })
    const cases: [BatchNormStats[] | undefined, new (...args: never[]) => Error, string][] = [
      [undefined, ShapeError, 'predict: the spec has 1 batch normalisation layer but the running statistics have 0'],
      [[stats([0, 0], [1, 1]), stats([0, 0], [1, 1])], ShapeError, 'predict: the spec has 1 batch normalisation layer but the running statistics have 2'],
      [[stats([0, 0, 0], [1, 1])], ShapeError, 'predict: running statistics 0 need a mean of (1x2), got (1x3)'],
      [[stats([0, 0], [1])], ShapeError, 'predict: running statistics 0 need a variance of (1x2), got (1x1)'],
      [[stats([0, 0], [1, -1e-300])], RangeError, 'predict: running statistics 0 have a variance of -1e-300; variances must be >= 0'],
      [[stats([0, 0], [Number.NaN, 1])], RangeError, 'predict: running statistics 0 have a variance of NaN; variances must be >= 0'],
      [[{ mean: undefined, variance: fromFlat(1, 2, [1, 1]) } as unknown as BatchNormStats], ShapeError, 'predict: running statistics 0 need a mean of (1x2), got undefined'],
      [[{ mean: fromFlat(2, 2, [0, 0, 0, 0]), variance: fromFlat(1, 2, [1, 1]) }], ShapeError, 'predict: running statistics 0 need a mean of (1x2), got (2x2)'],
      [{} as unknown as BatchNormStats[], ShapeError, 'predict: the spec has 1 batch normalisation layer but the running statistics have not an array'],
      [[{ mean: fromFlat(1, 2, [0, 0]), variance: null } as unknown as BatchNormStats], ShapeError, 'predict: running statistics 0 need a variance of (1x2), got null'],
    ]
    for (const [running, type, message] of cases) {
      const e = thrown(() => predict(spec, params, x, running))
      expect(e).toBeInstanceOf(type)
      expect(e.message).toBe(message)
    }
    expect(toFlat(predict(spec, params, x, [stats([1, 2], [0, 0])]))).toEqual([0, 0])
    // two layers: the plural
    const two: NetworkSpec = { inputSize: 2, layers: [bn(), bn()] }
    expect(thrown(() => predict(two, [...params, ...params], x, [stats([0, 0], [1, 1])])).message).toBe('predict: the spec has 2 batch normalisation layers but the running statistics have 1')
  })

  it('backward: a cache that does not fit a batch normalisation layer', () => {
    const spec: NetworkSpec = { inputSize: 2, layers: [bn()] }
    const params = [{ W: fromFlat(1, 2, [1, 1]), b: fromFlat(1, 2, [0, 0]) }]
    const { cache } = forward(spec, params, fromFlat(2, 2, [1, 2, 3, 5]))
    const bad = [{ ...cache[0]!, input: fromFlat(2, 3, [1, 2, 3, 4, 5, 6]) }]
    expect(thrown(() => backward(spec, params, bad, fromFlat(2, 2, [1, 1, 1, 1]))).message).toBe(
      'backward: layer 0 (batch normalisation, 2 units) needs a cache of input, pre-activation and output each (2x2), got (2x3), (2x2) and (2x2)',
    )
  })
})
