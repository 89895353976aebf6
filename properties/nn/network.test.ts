import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, addRowVector, fromFlat, matmul, sum, toFlat, vconcat, zeros } from '../../src/matrix/index.js'
import type { ParamTree } from '../../src/tree/param-tree.js'
import { sigmoidBceLoss, sigmoidBceLossGrad } from '../../src/loss/sigmoid-bce.js'
import { activate, activationBackward, identity, tanh } from '../../src/nn/activation.js'
import { type DenseParams, denseBackward } from '../../src/nn/dense.js'
import { maxoutBackward } from '../../src/nn/maxout.js'
import { type NetworkParams, type NetworkSpec, backward, forward, paramShapes, predict } from '../../src/nn/network.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'
import { dim } from '../support/arbitraries.js'
import { activation, awayFromKinks, networkCase, spreadPool } from '../support/network-arbitraries.js'
import { maxoutPattern, maxoutReference } from '../support/maxout-reference.js'

const withLeaf = (params: NetworkParams, l: number, key: 'W' | 'b', m: Matrix): NetworkParams =>
  params.map((p, i) => (i === l ? { ...p, [key]: m } : p))

/**
 * Checks every gradient of `backward` (each W, each b, and the input) against central
 * differences of `objective(output of forward)`, whose gradient wrt the output is `dOut`.
 */
const checkAllGradients = (
  what: string,
  spec: NetworkSpec,
  params: NetworkParams,
  x: Matrix,
  objective: (output: Matrix) => number,
  dObjective: (output: Matrix) => Matrix,
): void => {
  const { output, cache } = forward(spec, params, x)
  fc.pre(awayFromKinks(spec, cache))
  const { grads, dInput } = backward(spec, params, cache, dObjective(output))
  params.forEach((p, l) => {
    const g = grads[l] as DenseParams
    expectGradientClose(`${what} W[${l}]`, (W) => objective(predict(spec, withLeaf(params, l, 'W', W), x)), p.W, g.W)
    expectGradientClose(`${what} b[${l}]`, (b) => objective(predict(spec, withLeaf(params, l, 'b', b), x)), p.b, g.b)
  })
  expectGradientClose(`${what} input`, (x1) => objective(predict(spec, params, x1)), x, dInput)
}

const copy = (m: Matrix): Matrix => fromFlat(m.rows, m.cols, toFlat(m))

describe('network gradients', () => {
  it('backward equals central differences of <c, forward(...)> for every parameter and the input', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x, c }) => {
        checkAllGradients('<c, net>', spec, params, x, (out) => frobeniusInner(c, out), () => c)
      }),
    )
  })

  it('backward composed with the BCE loss equals central differences of the summed loss', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x, labels }) => {
        checkAllGradients(
          'sum BCE(net)',
          spec,
          params,
          x,
          (out) => sum(sigmoidBceLoss(out, labels)),
          (out) => sigmoidBceLossGrad(out, labels),
        )
      }),
    )
  })

  it('gradients have the structure of the params (a ParamTree)', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x, c }) => {
        const { cache } = forward(spec, params, x)
        const { grads, dInput } = backward(spec, params, cache, c)
        const tree: ParamTree = grads
        expect(Array.isArray(tree)).toBe(true)
        expect(paramShapes(spec)).toEqual(grads.map((g) => ({ W: [g.W.rows, g.W.cols], b: [g.b.rows, g.b.cols] })))
        expect([dInput.rows, dInput.cols]).toEqual([x.rows, x.cols])
      }),
    )
  })

  it('sums parameter gradients over the batch (a batch stacked twice doubles them) and keeps dInput per row', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x, c }) => {
        const once = backward(spec, params, forward(spec, params, x).cache, c)
        const twice = backward(spec, params, forward(spec, params, vconcat(x, x)).cache, vconcat(c, c))
        // dx_i depends on row i alone: exactly the same rows, twice.
        expect(twice.dInput).toEqualBits(vconcat(once.dInput, once.dInput))
        twice.grads.forEach((g, l) => {
          const g1 = once.grads[l] as DenseParams
          for (const [two, one] of [[g.W, g1.W], [g.b, g1.b]] as const) {
            // Rounding only (the second copy of the batch is added onto the first): averaging
            // instead of summing would be off by a factor 2, not by 1e-10.
            const scale = Math.max(1, ...toFlat(one).map(Math.abs))
            toFlat(two).forEach((v, i) => expect(Math.abs(v - 2 * (one.data[i] as number))).toBeLessThanOrEqual(1e-10 * scale))
          }
        })
      }),
    )
  })
})

describe('forward, predict and the fused kernel', () => {
  it('forward caches each layer exactly as the unfused composition computes it, and predict agrees bit for bit', () => {
    fc.assert(
      fc.property(networkCase({ paramRange: 10, inputRange: 100 }), ({ spec, params, x }) => {
        const { output, cache } = forward(spec, params, x)
        let a = x
        cache.forEach((layer, l) => {
          const p = params[l] as DenseParams
          const z = addRowVector(matmul(a, p.W), p.b)
          const y = activate((spec.layers[l] as NetworkSpec['layers'][number]).activation, z)
          expect(layer.input).toEqualBits(a)
          expect(layer.preActivation).toEqualBits(z)
          expect(layer.output).toEqualBits(y)
          a = y
        })
        expect(output).toEqualBits(a)
        expect(predict(spec, params, x)).toEqualBits(output)
      }),
    )
  })

  it('a spec survives JSON and gives the same output', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x }) => {
        const again = JSON.parse(JSON.stringify(spec)) as NetworkSpec
        expect(predict(again, params, x)).toEqualBits(predict(spec, params, x))
      }),
    )
  })
})

describe('large layers (the blocked product paths: n, in, out >= 4 and n·in·out >= 4096)', () => {
  /** The layer-by-layer backward pass written with the public pieces (docs/gradients.md, "Network"). */
  const backwardByHand = (spec: NetworkSpec, params: NetworkParams, cache: ReturnType<typeof forward>['cache'], dOut: Matrix) => {
    const grads: DenseParams[] = []
    let dA = dOut
    for (let l = params.length - 1; l >= 0; l--) {
      const layer = cache[l]!
      const dz = activationBackward(spec.layers[l]!.activation, layer.preActivation, layer.output, dA)
      const g = denseBackward(params[l]!, layer.input, dz)
      grads[l] = { W: g.dW, b: g.db }
      dA = g.dx
    }
    return { grads, dInput: dA }
  }

  // Widths mostly 12..24, sometimes 1..5 (the narrow and remainder paths), batch 4..24; values
  // from a prime-length pool read with a random stride, so that no two entries are
  // systematically equal.
  const width = fc.oneof({ weight: 1, arbitrary: dim(1, 5) }, { weight: 2, arbitrary: dim(12, 24) })
  const bigNetwork = fc
    .record({
      inputSize: width,
      widths: fc.array(width, { minLength: 1, maxLength: 3 }),
      activations: fc.array(activation, { minLength: 3, maxLength: 3 }),
      batch: dim(4, 24),
      pool: spreadPool(257, 2),
      stride: fc.integer({ min: 1, max: 256 }),
    })
    .map(({ inputSize, widths, activations, batch, pool, stride }) => {
      let next = 0
      const take = (r: number, c: number): Matrix =>
        fromFlat(r, c, Array.from({ length: r * c }, () => pool[(next++ * stride) % pool.length] as number))
      const spec: NetworkSpec = { inputSize, layers: widths.map((units, l) => ({ units, activation: activations[l]! })) }
      let d = inputSize
      const params = widths.map((units) => {
        const W = take(d, units)
        const b = take(1, units)
        d = units
        return { W, b }
      })
      return { spec, params, x: take(batch, inputSize), c: take(batch, d) }
    })

  it('forward equals the unfused composition, and backward the layer-by-layer composition of activationBackward and denseBackward, bit for bit', () => {
    fc.assert(
      fc.property(bigNetwork, ({ spec, params, x, c }) => {
        const { output, cache } = forward(spec, params, x)
        let a = x
        cache.forEach((layer, l) => {
          const p = params[l] as DenseParams
          const z = addRowVector(matmul(a, p.W), p.b)
          const y = activate(spec.layers[l]!.activation, z)
          expect(layer.input).toEqualBits(a)
          expect(layer.preActivation).toEqualBits(z)
          expect(layer.output).toEqualBits(y)
          a = y
        })
        expect(output).toEqualBits(a)
        expect(predict(spec, params, x)).toEqualBits(output)
        const got = backward(spec, params, cache, c)
        const want = backwardByHand(spec, params, cache, c)
        expect(got.dInput).toEqualBits(want.dInput)
        got.grads.forEach((g, l) => {
          expect(g.W).toEqualBits(want.grads[l]!.W)
          expect(g.b).toEqualBits(want.grads[l]!.b)
        })
      }),
    )
  })
})

describe('maxout networks (dense and maxout layers mixed)', () => {
  const maxoutCase = networkCase({ maxDepth: 3, maxWidth: 4, maxBatch: 4, maxPieces: 4 })

  it('backward equals central differences of <c, forward(...)> for every parameter and the input, away from ties', () => {
    fc.assert(
      fc.property(maxoutCase, ({ spec, params, x, c }) => {
        fc.pre(spec.layers.some((l) => l.kind === 'maxout'))
        const { cache } = forward(spec, params, x)
        fc.pre(awayFromKinks(spec, cache))
        const pattern = maxoutPattern(spec, cache)
        /** <c, net> at a perturbed point, discarded when some maxout winner changed there. */
        const at = (p: NetworkParams, x1: Matrix): number => {
          fc.pre(maxoutPattern(spec, forward(spec, p, x1).cache) === pattern)
          return frobeniusInner(c, predict(spec, p, x1))
        }
        const { grads, dInput } = backward(spec, params, cache, c)
        params.forEach((p, l) => {
          const g = grads[l] as DenseParams
          expectGradientClose(`W[${l}]`, (W) => at(withLeaf(params, l, 'W', W), x), p.W, g.W)
          expectGradientClose(`b[${l}]`, (b) => at(withLeaf(params, l, 'b', b), x), p.b, g.b)
        })
        expectGradientClose('input', (x1) => at(params, x1), x, dInput)
      }),
    )
  })

  it('forward caches each maxout layer\'s pieces and max as the transcription computes them; predict agrees; backward equals the layer-by-layer maxoutBackward / denseBackward, bit for bit', () => {
    fc.assert(
      fc.property(maxoutCase, ({ spec, params, x, c }) => {
        const { output, cache } = forward(spec, params, x)
        let a = x
        cache.forEach((layer, l) => {
          const p = params[l] as DenseParams
          const s = spec.layers[l]!
          expect(layer.input).toEqualBits(a)
          if (s.kind === 'maxout') {
            const ref = maxoutReference(a, p.W, p.b, s.pieces)
            expect(layer.preActivation).toEqualBits(ref.z)
            expect(layer.output).toEqualBits(ref.y)
            a = ref.y
          } else {
            const z = addRowVector(matmul(a, p.W), p.b)
            expect(layer.preActivation).toEqualBits(z)
            a = activate(s.activation, z)
            expect(layer.output).toEqualBits(a)
          }
        })
        expect(output).toEqualBits(a)
        expect(predict(spec, params, x)).toEqualBits(output)
        const got = backward(spec, params, cache, c)
        let dA = c
        for (let l = params.length - 1; l >= 0; l--) {
          const s = spec.layers[l]!
          const layer = cache[l]!
          const g =
            s.kind === 'maxout'
              ? maxoutBackward(params[l]!, layer.input, s.pieces, dA)
              : denseBackward(params[l]!, layer.input, activationBackward(s.activation, layer.preActivation, layer.output, dA))
          expect(got.grads[l]!.W).toEqualBits(g.dW)
          expect(got.grads[l]!.b).toEqualBits(g.db)
          dA = g.dx
        }
        expect(got.dInput).toEqualBits(dA)
        expect(paramShapes(spec)).toEqual(got.grads.map((g) => ({ W: [g.W.rows, g.W.cols], b: [g.b.rows, g.b.cols] })))
      }),
    )
  })
})

describe('purity', () => {
  it('forward, predict and backward never write to params, input or dOutput', () => {
    fc.assert(
      fc.property(networkCase(), ({ spec, params, x, c }) => {
        const leaves = [x, c, ...params.flatMap((p) => [p.W, p.b])]
        const before = leaves.map(copy)
        const specBefore = JSON.stringify(spec)
        const { cache } = forward(spec, params, x)
        predict(spec, params, x)
        const cacheBefore = cache.map((l) => [l.input, l.preActivation, l.output].map(copy))
        backward(spec, params, cache, c)
        leaves.forEach((m, i) => expect(m).toEqualBits(before[i] as Matrix))
        cache.forEach((l, i) =>
          [l.input, l.preActivation, l.output].forEach((m, j) => expect(m).toEqualBits((cacheBefore[i] as Matrix[])[j] as Matrix)),
        )
        expect(JSON.stringify(spec)).toBe(specBefore)
      }),
    )
  })
})

describe('validation', () => {
  const spec: NetworkSpec = {
    inputSize: 2,
    layers: [
      { units: 5, activation: tanh },
      { units: 1, activation: identity },
    ],
  }
  const params: NetworkParams = [
    { W: zeros(2, 5), b: zeros(1, 5) },
    { W: zeros(5, 1), b: zeros(1, 1) },
  ]

  it('accepts params that fit the spec', () => {
    expect(forward(spec, params, zeros(3, 2)).output.rows).toBe(3)
  })

  it('names the op, the layer and both shapes when params do not fit the spec', () => {
    expect(() => forward(spec, [params[0] as DenseParams], zeros(3, 2))).toThrow(/forward: the spec has 2 layers but the params have 1 layers/)
    const badW = [params[0] as DenseParams, { W: zeros(4, 1), b: zeros(1, 1) }]
    expect(() => forward(spec, badW, zeros(3, 2))).toThrow(ShapeError)
    expect(() => predict(spec, badW, zeros(3, 2))).toThrow(/predict: layer 1 W is \(4x1\) but the spec needs \(5x1\)/)
    const badB = [{ W: zeros(2, 5), b: zeros(5, 1) }, params[1] as DenseParams]
    expect(() => forward(spec, badB, zeros(3, 2))).toThrow(/forward: layer 0 b is \(5x1\) but the spec needs \(1x5\)/)
  })

  it('names both shapes when the input or dOutput do not fit', () => {
    expect(() => forward(spec, params, zeros(3, 4))).toThrow(ShapeError)
    expect(() => forward(spec, params, zeros(3, 4))).toThrow(/forward: input \(3x4\) does not fit layer 0's weights \(2x5\)/)
    expect(() => predict(spec, params, zeros(3, 1))).toThrow(/predict: input \(3x1\)/)
    const { cache } = forward(spec, params, zeros(3, 2))
    expect(() => backward(spec, params, cache, zeros(3, 2))).toThrow(/backward: dOutput \(3x2\) and the cached output \(3x1\)/)
    expect(() => backward(spec, params, cache.slice(1), zeros(3, 1))).toThrow(/backward: the spec has 2 layers but the cache has 1/)
  })

  it('rejects invalid specs', () => {
    expect(() => forward({ inputSize: 0, layers: spec.layers }, params, zeros(3, 2))).toThrow(RangeError)
    expect(() => forward({ inputSize: 2, layers: [] }, [], zeros(3, 2))).toThrow(/non-empty/)
    expect(() => forward({ inputSize: 2, layers: [{ units: 1.5, activation: tanh }] }, params, zeros(3, 2))).toThrow(
      /spec.layers\[0\].units must be a positive integer/,
    )
    const unknown = { inputSize: 2, layers: [{ units: 5, activation: { kind: 'swish' } }, spec.layers[1]] } as unknown as NetworkSpec
    expect(() => forward(unknown, params, zeros(3, 2))).toThrow(/spec.layers\[0\].activation is not an activation/)
  })
})
