/**
 * The fast kernels against plain reference loops, bit for bit.
 *
 * The products run a register-blocked kernel over packed panels once they are large enough
 * (src/matrix/kernels.ts), the dense layer and the network passes run over one workspace,
 * and updateD / updateG run a fused path. None of that may change a single bit: every
 * product entry is `c = 0; for k ascending: c = c + a_ik·b_kj`, the bias comes after the dot
 * product, and the backward pass is the chain of docs/gradients.md in its documented order.
 * The references below are written the obvious way, one entry at a time, and the shapes are
 * drawn so that both kernel paths and every remainder (rows and columns past the last
 * multiple of 4) are exercised.
 */
import type { AdamState } from '../../src/optim/adam.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  discriminatorLossAndGradient,
  encodeState,
  generatorLossAndGradient,
  initialState,
  runData,
  seedConfig,
  trainEpoch,
  trainStep,
  updateD,
  updateG,
} from '../../src/gan/index.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { sigmoidBce, sigmoidBceGrad } from '../../src/loss/sigmoid-bce.js'
import { type Matrix, bitEqual, fromFlat, gatherRows, matmul, matmulTransposeA, matmulTransposeB, toFlat } from '../../src/matrix/index.js'
import { SMALL, gemm } from '../../src/matrix/kernels.js'
import { type Activation, activate } from '../../src/nn/activation.js'
import { affineActivate, affineActivateWithPre, denseBackward } from '../../src/nn/dense.js'
import { type NetworkParams, type NetworkSpec, backward, forward, predict } from '../../src/nn/network.js'
import { normalMatrix, permutation, rngFromSeed } from '../../src/random/index.js'
import { activation } from '../support/network-arbitraries.js'
import { dataWidth } from '../../src/gan/data.js'

// -------------------------------------------------------------------------------------
// references
// -------------------------------------------------------------------------------------

/** `C(i, j) = Σ_k A(i, k)·B(k, j)`, one accumulator per entry, k ascending from 0. */
const refProduct = (n: number, m: number, K: number, A: (i: number, k: number) => number, B: (k: number, j: number) => number): Matrix => {
  const out = new Float64Array(n * m)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let c = 0
      for (let k = 0; k < K; k++) c = c + A(i, k) * B(k, j)
      out[i * m + j] = c
    }
  }
  return fromFlat(n, m, out)
}
const at = (x: Matrix, i: number, j: number): number => x.data[i * x.cols + j] as number
const refMatmul = (a: Matrix, b: Matrix): Matrix => refProduct(a.rows, b.cols, a.cols, (i, k) => at(a, i, k), (k, j) => at(b, k, j))
const refTA = (a: Matrix, b: Matrix): Matrix => refProduct(a.cols, b.cols, a.rows, (i, k) => at(a, k, i), (k, j) => at(b, k, j))
const refTB = (a: Matrix, b: Matrix): Matrix => refProduct(a.rows, b.rows, a.cols, (i, k) => at(a, i, k), (k, j) => at(b, j, k))

/** xᵀ, entry by entry. */
const transposeOf = (x: Matrix): Matrix =>
  fromFlat(x.cols, x.rows, Array.from({ length: x.rows * x.cols }, (_, t) => at(x, t % x.rows, Math.floor(t / x.rows))))

const mapEntries = (x: Matrix, f: (v: number, i: number) => number): Matrix => fromFlat(x.rows, x.cols, toFlat(x).map(f))

/** `f(x·W + b)` with the bias added after the dot product; returns z and y. */
const refAffine = (x: Matrix, W: Matrix, b: Matrix, a: Activation): { z: Matrix; y: Matrix } => {
  const z = mapEntries(refMatmul(x, W), (v, i) => v + (b.data[i % W.cols] as number))
  return { z, y: activate(a, z) }
}

/** dL/dz from dL/dy, the formulas of docs/gradients.md. */
const refActivationBackward = (a: Activation, z: Matrix, y: Matrix, dy: Matrix): Matrix => {
  switch (a.kind) {
    case 'identity':
      return dy
    case 'tanh':
      return mapEntries(dy, (g, i) => g * (1 - (y.data[i] as number) * (y.data[i] as number)))
    case 'sigmoid':
      return mapEntries(dy, (g, i) => g * ((y.data[i] as number) * (1 - (y.data[i] as number))))
    case 'relu':
      return mapEntries(dy, (g, i) => ((z.data[i] as number) > 0 ? g : 0))
    case 'leakyRelu':
      return mapEntries(dy, (g, i) => ((z.data[i] as number) > 0 ? g : a.alpha * g))
  }
}

const refColumnSums = (x: Matrix): Matrix => {
  const out = new Float64Array(x.cols)
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) out[j] = (out[j] as number) + at(x, i, j)
  return fromFlat(1, x.cols, out)
}

interface RefTrace {
  readonly inputs: Matrix[]
  readonly zs: Matrix[]
  readonly ys: Matrix[]
}

const refForward = (spec: NetworkSpec, params: NetworkParams, x: Matrix): RefTrace => {
  const t: RefTrace = { inputs: [], zs: [], ys: [] }
  let a = x
  spec.layers.forEach((layer, l) => {
    const { z, y } = refAffine(a, params[l]!.W, params[l]!.b, layer.activation)
    t.inputs.push(a)
    t.zs.push(z)
    t.ys.push(y)
    a = y
  })
  return t
}

const refBackward = (spec: NetworkSpec, params: NetworkParams, t: RefTrace, dOut: Matrix): { grads: NetworkParams; dInput: Matrix } => {
  const grads: { W: Matrix; b: Matrix }[] = []
  let dA = dOut
  for (let l = spec.layers.length - 1; l >= 0; l--) {
    const dz = refActivationBackward(spec.layers[l]!.activation, t.zs[l]!, t.ys[l]!, dA)
    grads[l] = { W: refTA(t.inputs[l]!, dz), b: refColumnSums(dz) }
    dA = refTB(dz, params[l]!.W)
  }
  return { grads, dInput: dA }
}

const sameParams = (a: NetworkParams, b: NetworkParams): boolean =>
  a.length === b.length && a.every((p, l) => bitEqual(p.W, b[l]!.W) && bitEqual(p.b, b[l]!.b))

// -------------------------------------------------------------------------------------
// arbitraries: normal draws (comparable magnitudes, so a reordered sum shows) from a seed
// -------------------------------------------------------------------------------------

const seed = fc.integer({ min: 0, max: 2 ** 31 })
const randomMatrix = (s: number, rows: number, cols: number, std = 1): Matrix => normalMatrix(rngFromSeed(s), rows, cols, 0, std)[0]

/** Dimensions from 1 to 13 (every residue mod 4) and inner dimensions from 0 to 90. */
const productShape = fc.record({ n: fc.integer({ min: 1, max: 13 }), m: fc.integer({ min: 1, max: 13 }), K: fc.integer({ min: 0, max: 90 }), s: seed })

// -------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------

describe('the product kernel', () => {
  it('the shapes drawn take both paths (the packed, blocked one and the dot-product one)', () => {
    expect(13 * 13 * 90).toBeGreaterThan(SMALL)
    expect(4 * 4 * 90).toBeLessThan(SMALL)
  })

  it('matmul, matmulTransposeA and matmulTransposeB equal the reference loop bit for bit', () => {
    fc.assert(
      fc.property(productShape, ({ n, m, K, s }) => {
        const a = randomMatrix(s, n, K)
        const b = randomMatrix(s + 1, K, m)
        expect(matmul(a, b)).toEqualBits(refMatmul(a, b))
        const at_ = randomMatrix(s + 2, K, n)
        expect(matmulTransposeA(at_, b)).toEqualBits(refTA(at_, b))
        const bt = randomMatrix(s + 3, m, K)
        expect(matmulTransposeB(a, bt)).toEqualBits(refTB(a, bt))
      }),
    )
  })

  it('large products (MNIST-like shapes with remainders) equal the reference loop bit for bit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 17, max: 70 }), fc.integer({ min: 30, max: 130 }), fc.integer({ min: 5, max: 67 }), seed, (n, K, m, s) => {
        const a = randomMatrix(s, n, K)
        const b = randomMatrix(s + 1, K, m)
        expect(matmul(a, b)).toEqualBits(refMatmul(a, b))
        expect(matmulTransposeA(b, randomMatrix(s + 2, K, n))).toEqualBits(refTA(b, randomMatrix(s + 2, K, n)))
      }),
    )
  })

  it('never writes to its operands', () => {
    fc.assert(
      fc.property(productShape, ({ n, m, K, s }) => {
        const a = randomMatrix(s, n, K)
        const b = randomMatrix(s + 1, K, m)
        const before = [toFlat(a), toFlat(b)]
        matmul(a, b)
        matmulTransposeB(a, randomMatrix(s, m, K))
        matmulTransposeA(b, randomMatrix(s, K, n))
        expect([toFlat(a), toFlat(b)]).toEqual(before)
      }),
    )
  })
})

describe('the kernel on its own: offsets, strides, and the region it writes', () => {
  /**
   * `gemm` serves callers that keep A, B and C inside larger workspaces (the network
   * passes), so its contract is also what it leaves alone: it writes the n·m entries of C
   * from cOff, reads none of them, and touches nothing before or after.
   */
  const gemmCase = fc.record({
    n: fc.integer({ min: 1, max: 13 }),
    m: fc.integer({ min: 1, max: 13 }),
    K: fc.integer({ min: 0, max: 90 }),
    aT: fc.boolean(),
    bT: fc.boolean(),
    aOff: fc.integer({ min: 0, max: 5 }),
    bOff: fc.integer({ min: 0, max: 5 }),
    cOff: fc.integer({ min: 0, max: 5 }),
    pad: fc.integer({ min: 0, max: 30 }),
    s: seed,
  })

  /** `values` at `off` inside an array of `off + values.length + pad` entries, the rest `fill`. */
  const embed = (values: ArrayLike<number>, off: number, pad: number, fill: number): Float64Array => {
    const out = new Float64Array(off + values.length + pad).fill(fill)
    out.set(values as number[], off)
    return out
  }

  it('equals the reference product for A and B stored either way at any offset, and writes only C', () => {
    fc.assert(
      fc.property(gemmCase, ({ n, m, K, aT, bT, aOff, bOff, cOff, pad, s }) => {
        const A = randomMatrix(s, n, K) // A(i, k)
        const B = randomMatrix(s + 1, K, m) // B(k, j)
        // A kept as itself (n x K, row-major) or as its transpose (K x n); B likewise.
        const aData = toFlat(aT ? transposeOf(A) : A)
        const bData = toFlat(bT ? transposeOf(B) : B)
        const [ais, aks] = aT ? [1, n] : [K, 1]
        const [bks, bjs] = bT ? [1, K] : [m, 1]
        // Everything around the operands is NaN: a read outside them would show in C.
        const a = embed(aData, aOff, pad, Number.NaN)
        const b = embed(bData, bOff, pad, Number.NaN)
        // C's region starts as NaN (a read of it would show); around it a sentinel that must survive.
        const sentinel = -12345.678
        const c = new Float64Array(cOff + n * m + pad).fill(sentinel)
        c.fill(Number.NaN, cOff, cOff + n * m)
        gemm({ data: a, off: aOff, major: ais, depth: aks }, { data: b, off: bOff, major: bjs, depth: bks }, { rows: n, cols: m, depth: K }, { data: c, off: cOff })
        expect(fromFlat(n, m, c.subarray(cOff, cOff + n * m))).toEqualBits(refMatmul(A, B))
        for (let t = 0; t < c.length; t++) if (t < cOff || t >= cOff + n * m) expect(c[t]).toBe(sentinel)
        // and the operands are left as they were
        expect(Array.from(a.subarray(aOff, aOff + n * K))).toEqual(aData)
        expect(Array.from(b.subarray(bOff, bOff + K * m))).toEqual(bData)
      }),
    )
  })
})

describe('the dense layer over the kernel', () => {
  it('affineActivate and affineActivateWithPre equal f(x·W + b) by reference loops, bit for bit', () => {
    fc.assert(
      fc.property(productShape, activation, ({ n, m, K, s }, a) => {
        const x = randomMatrix(s, n, K)
        const W = randomMatrix(s + 1, K, m)
        const b = randomMatrix(s + 2, 1, m)
        const ref = refAffine(x, W, b, a)
        expect(affineActivate(x, W, b, a)).toEqualBits(ref.y)
        const { z, y } = affineActivateWithPre(x, W, b, a)
        expect(z).toEqualBits(ref.z)
        expect(y).toEqualBits(ref.y)
      }),
    )
  })

  it('denseBackward equals the reference products and column sums bit for bit', () => {
    fc.assert(
      fc.property(productShape, ({ n, m, K, s }) => {
        const x = randomMatrix(s, n, K)
        const W = randomMatrix(s + 1, K, m)
        const dy = randomMatrix(s + 2, n, m)
        const g = denseBackward({ W, b: randomMatrix(s + 3, 1, m) }, x, dy)
        expect(g.dW).toEqualBits(refTA(x, dy))
        expect(g.dx).toEqualBits(refTB(dy, W))
        expect(g.db).toEqualBits(refColumnSums(dy))
      }),
    )
  })
})

/**
 * A network of 1 to 3 layers of width 1 to 24 on a batch of 1 to 21 rows: large enough
 * that some products take the blocked path (above `SMALL` multiply-adds), small enough to
 * stay quick.
 */
const networkOf = fc.record({
  inputSize: fc.integer({ min: 1, max: 24 }),
  widths: fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 3 }),
  activations: fc.array(activation, { minLength: 3, maxLength: 3 }),
  batch: fc.integer({ min: 1, max: 21 }),
  s: seed,
})

describe('the network passes over one workspace', () => {
  it('forward, predict and backward equal the layer-by-layer reference bit for bit', () => {
    fc.assert(
      fc.property(networkOf, ({ inputSize, widths, activations, batch, s }) => {
        const spec: NetworkSpec = { inputSize, layers: widths.map((units, l) => ({ units, activation: activations[l]! })) }
        let d = inputSize
        const params = widths.map((units, l) => {
          const p = { W: randomMatrix(s + 2 * l, d, units, 0.7), b: randomMatrix(s + 2 * l + 1, 1, units, 0.3) }
          d = units
          return p
        })
        const x = randomMatrix(s + 100, batch, inputSize)
        const dOut = randomMatrix(s + 101, batch, d)
        const ref = refForward(spec, params, x)
        const { output, cache } = forward(spec, params, x)
        expect(output).toEqualBits(ref.ys.at(-1)!)
        expect(predict(spec, params, x)).toEqualBits(ref.ys.at(-1)!)
        cache.forEach((c, l) => {
          expect(c.preActivation).toEqualBits(ref.zs[l]!)
          expect(c.output).toEqualBits(ref.ys[l]!)
        })
        const { grads, dInput } = backward(spec, params, cache, dOut)
        const r = refBackward(spec, params, ref, dOut)
        expect(sameParams(grads, r.grads)).toBe(true)
        expect(dInput).toEqualBits(r.dInput)
      }),
    )
  })
})

// -------------------------------------------------------------------------------------
// the GAN's fused update path
// -------------------------------------------------------------------------------------

const specsOf = (config: GanConfig): { g: NetworkSpec; d: NetworkSpec } => ({
  g: { inputSize: config.latentDim, layers: config.generator.layers },
  d: { inputSize: dataWidth(config.data), layers: config.discriminator.layers },
})

const stack = (a: Matrix, b: Matrix): Matrix => fromFlat(a.rows + b.rows, a.cols, [...toFlat(a), ...toFlat(b)])

const refDiscriminator = (state: GanState, X: Matrix, Z: Matrix): { loss: number; gradient: NetworkParams } => {
  const { g, d } = specsOf(state.config)
  const n = Z.rows
  const fake = refForward(g, state.generator, Z).ys.at(-1)!
  const t = refForward(d, state.discriminator, stack(X, fake))
  const z = t.ys.at(-1)!.data
  const dl = new Float64Array(2 * n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    loss += (sigmoidBce(z[i]!, 1) + sigmoidBce(z[n + i]!, 0)) / 2
    dl[i] = sigmoidBceGrad(z[i]!, 1) * 0.5
    dl[n + i] = sigmoidBceGrad(z[n + i]!, 0) * 0.5
  }
  return { loss, gradient: refBackward(d, state.discriminator, t, fromFlat(2 * n, 1, dl)).grads }
}

const refGenerator = (state: GanState, Z: Matrix): { loss: number; gradient: NetworkParams } => {
  const { g, d } = specsOf(state.config)
  const n = Z.rows
  const tg = refForward(g, state.generator, Z)
  const td = refForward(d, state.discriminator, tg.ys.at(-1)!)
  const z = td.ys.at(-1)!.data
  const dl = new Float64Array(n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    loss += sigmoidBce(z[i]!, 1)
    dl[i] = sigmoidBceGrad(z[i]!, 1)
  }
  const { dInput } = refBackward(d, state.discriminator, td, fromFlat(n, 1, dl))
  return { loss, gradient: refBackward(g, state.generator, tg, dInput).grads }
}

/**
 * GAN configs with hidden layers up to 22 wide, data up to 6 wide, batches up to 13 rows
 * (26 stacked rows in D): some of the products take the blocked path.
 */
const ganCase = fc
  .record({
    seed,
    latentDim: fc.integer({ min: 1, max: 9 }),
    width: fc.integer({ min: 1, max: 6 }),
    gHidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 22 }), activation }), { maxLength: 1 }),
    gLast: activation,
    dHidden: fc.array(fc.record({ units: fc.integer({ min: 1, max: 22 }), activation }), { maxLength: 2 }),
    rows: fc.integer({ min: 1, max: 13 }),
    steps: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ seed: s, latentDim, width, gHidden, gLast, dHidden, rows, steps }) => {
    const config: GanConfig = {
      ...seedConfig,
      seed: s,
      latentDim,
      batchSize: 1,
      init: { weightStd: 0.5, biasInit: 'normal' },
      generator: { layers: [...gHidden, { units: width, activation: gLast }] },
      discriminator: { layers: [...dHidden, { units: 1, activation: { kind: 'identity' } }] },
      data: { kind: 'affine-gaussian', size: 1, A: [Array.from({ length: width }, () => 1)], b: Array.from({ length: width }, () => 0) },
    }
    return { state: initialState(config), X: randomMatrix(s + 7, rows, width, 2), Z: randomMatrix(s + 8, rows, latentDim), steps }
  })

describe("the GAN's fused update path", () => {
  it('discriminatorLossAndGradient and generatorLossAndGradient equal the reference chain bit for bit', () => {
    fc.assert(
      fc.property(ganCase, ({ state, X, Z, steps }) => {
        let s = state
        for (let t = 0; t < steps; t++) {
          const dr = refDiscriminator(s, X, Z)
          const df = discriminatorLossAndGradient(s, X, Z)
          expect(Object.is(df.loss, dr.loss)).toBe(true)
          expect(sameParams(df.gradient, dr.gradient)).toBe(true)
          const s1 = updateD(s, X, Z)[1]
          const gr = refGenerator(s1, Z)
          const gf = generatorLossAndGradient(s1, Z)
          expect(Object.is(gf.loss, gr.loss)).toBe(true)
          expect(sameParams(gf.gradient, gr.gradient)).toBe(true)
          s = updateG(s1, Z)[1]
        }
      }),
    )
  })

  it('the returned state is frozen all the way to its matrices, and shares nothing writable with the input', () => {
    fc.assert(
      fc.property(ganCase, ({ state, X, Z }) => {
        const [, s1] = updateD(state, X, Z)
        const [, s2] = updateG(s1, Z)
        for (const s of [s1, s2]) {
          expect(Object.isFrozen(s)).toBe(true)
          for (const net of [s.generator, s.discriminator, (s.optimizerG as AdamState).m, (s.optimizerG as AdamState).v, (s.optimizerD as AdamState).m, (s.optimizerD as AdamState).v] as NetworkParams[]) {
            expect(Object.isFrozen(net)).toBe(true)
            for (const layer of net) {
              expect(Object.isFrozen(layer)).toBe(true)
              expect(Object.isFrozen(layer.W) && Object.isFrozen(layer.b)).toBe(true)
            }
          }
        }
        for (const [a, b] of [
          [state.discriminator, s1.discriminator],
          [state.generator, s2.generator],
        ] as const) {
          a.forEach((layer, l) => {
            expect(layer.W.data.buffer).not.toBe(b[l]!.W.data.buffer)
          })
        }
      }),
    )
  })
})

describe('the epoch loop', () => {
  it('trainEpoch (rows gathered and noise drawn once per epoch) equals trainStep on each minibatch, ragged last one included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 45 }),
        fc.integer({ min: 1, max: 2 }),
        (s, size, batchSize, epochs) => {
          const config = { ...seedConfig, seed: s, batchSize: Math.min(batchSize, size), data: { ...seedConfig.data, size } }
          const data = runData(config)
          let fast = initialState(config)
          let slow = fast
          for (let e = 0; e < epochs; e++) {
            const [report, next] = trainEpoch(fast, data)
            fast = next
            // the same epoch, step by step through the public trainStep
            const [order, rng] = permutation(slow.rng, data.rows)
            let st = { ...slow, rng }
            let sumD = 0
            let sumG = 0
            for (let start = 0; start < data.rows; start += config.batchSize) {
              const [losses, n2] = trainStep(st, gatherRows(data, order.slice(start, start + config.batchSize)))
              sumD += losses.lossD
              sumG += losses.lossG
              st = n2
            }
            slow = { ...st, epoch: slow.epoch + 1 }
            expect(Object.is(report.lossD, sumD / data.rows)).toBe(true)
            expect(Object.is(report.lossG, sumG / data.rows)).toBe(true)
            expect(encodeState(fast)).toBe(encodeState(slow))
          }
        },
      ),
    )
  })
})
