/**
 * The WebAssembly kernels (src/wasm) against their JavaScript forms, bit for bit: the
 * elementwise functions on random and special arguments, stretches at offsets and across the
 * scratch area's chunks; the products through `gemm` against the one-accumulator reference
 * (also in kernels/reference-loops.test.ts, which runs under both backends), across a growth
 * of the module's memory; and the choice of backend by PURE_GAN_KERNELS.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { gemm } from '../../src/matrix/kernels.js'
import { normalFromUint53 } from '../../src/random/normal.js'
import { type Kernels, jsKernels, kernels, requestedBackend, wasmKernels } from '../../src/wasm/kernels.js'
import { anyFiniteBits } from '../elementary/cases.js'

const wasm = (): Kernels => {
  const k = wasmKernels()
  if (typeof k === 'string') throw new Error(`the WebAssembly kernels are not available: ${k}`)
  return k
}

/** Arguments where the algorithms branch or saturate, and the special values. */
const SPECIAL = [
  0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, -Number.MAX_VALUE,
  1, -1, 2 ** -28, 2 ** -29, 2 ** -54, 2 ** -55, 22, -22, 19.07, 0.34657359027997264, 1.0397207708399179,
  709.782712893384, 709.79, -745.1332191019411, -745.14, -708.4, 1e-300, -0.2928932188134524, 0.41421356237309503,
  2 ** 53, 2 ** 54, -1 + 2 ** -53,
]

const element = fc.oneof(anyFiniteBits, fc.constantFrom(...SPECIAL), fc.double({ min: -40, max: 40 }), fc.double({ min: -1, max: 1 }))

const NAMES = ['tanhInto', 'expInto', 'log1pInto'] as const

describe('WebAssembly kernels (src/wasm)', () => {
  it('are available on this host, and the core runs them unless PURE_GAN_KERNELS says js', () => {
    expect(typeof wasmKernels()).not.toBe('string')
    expect(kernels().backend).toBe(process.env['PURE_GAN_KERNELS'] === 'js' ? 'js' : 'wasm')
  })

  for (const name of NAMES) {
    it(`${name}: the same bits as the JavaScript form, at any offsets`, () => {
      fc.assert(
        fc.property(fc.array(element, { maxLength: 64 }), fc.nat(5), fc.nat(5), (xs, sOff, dOff) => {
          const src = new Float64Array(sOff + xs.length)
          src.set(xs, sOff)
          const viaWasm = new Float64Array(dOff + xs.length).fill(7)
          const viaJs = viaWasm.slice()
          wasm()[name](src, sOff, viaWasm, dOff, xs.length)
          jsKernels[name](src, sOff, viaJs, dOff, xs.length)
          expect(viaWasm).toEqualBits(viaJs)
        }),
      )
    })
  }

  it('elementwise: 200 003 arguments over every range (many scratch chunks, in place) match entry by entry', () => {
    // Linear steps over [-40, 40] and logarithmic steps over 2^-60..2^10 of both signs: the
    // polynomials' small coefficients move few results, so many arguments are needed.
    const n = 200_003
    const src = Float64Array.from({ length: n }, (_, i) =>
      i % 2 === 0 ? -40 + (80 * i) / n : (i % 4 === 1 ? 1 : -1) * 2 ** (-60 + (70 * i) / n),
    )
    for (const name of NAMES) {
      const inPlace = src.slice()
      wasm()[name](inPlace, 0, inPlace, 0, n)
      const viaJs = new Float64Array(n)
      jsKernels[name](src, 0, viaJs, 0, n)
      expect(inPlace).toEqualBits(viaJs)
    }
  })

  it('normalsFromUint53: mean + std·normalFromUint53(k), bit for bit, over the whole range of k and both tails', () => {
    const TOP = 2 ** 53
    const k = fc.oneof(
      fc.integer({ min: 0, max: 2 ** 30 }).chain((hi) => fc.integer({ min: 0, max: 2 ** 23 - 1 }).map((lo) => hi * 2 ** 23 + lo)).filter((v) => v < TOP),
      fc.constantFrom(0, 1, 2, 2 ** 52 - 1, 2 ** 52, 2 ** 52 + 1, TOP - 2, TOP - 1),
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.integer({ min: 0, max: 2 ** 40 }).map((v) => TOP - 1 - v),
    )
    const kernel = wasm().normalsFromUint53!
    fc.assert(
      fc.property(fc.array(k, { maxLength: 40 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true }), (ks, mean, std) => {
        const out = new Float64Array(ks.length)
        kernel(Float64Array.from(ks), out, ks.length, mean, std)
        expect(out).toEqualBits(Float64Array.from(ks, (v) => mean + std * normalFromUint53(v)))
      }),
    )
    // many chunks of the scratch area, in place
    const n = 3 * 4096 + 5
    const ks = Float64Array.from({ length: n }, (_, i) => Math.floor((i / n) * TOP))
    const ref = Float64Array.from(ks, (v) => normalFromUint53(v))
    kernel(ks, ks, n, 0, 1)
    expect(ks).toEqualBits(ref)
  })

  it('gemm through the WebAssembly blocks: the one-accumulator sum, before and after the memory grows', () => {
    const product = (n: number, m: number, K: number, seed: number): void => {
      const a = Float64Array.from({ length: n * K }, (_, i) => Math.sin(seed + i) * 3)
      const b = Float64Array.from({ length: K * m }, (_, i) => Math.cos(seed * 3 + i) / 7)
      const c = new Float64Array(n * m)
      gemm({ data: a, off: 0, major: K, depth: 1 }, { data: b, off: 0, major: 1, depth: m }, { rows: n, cols: m, depth: K }, { data: c, off: 0 })
      const ref = new Float64Array(n * m)
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < m; j++) {
          let s = 0
          for (let k = 0; k < K; k++) s = s + a[i * K + k]! * b[k * m + j]!
          ref[i * m + j] = s
        }
      }
      expect(c).toEqualBits(ref)
    }
    product(9, 13, 40, 1)
    // (512 + 300)·300 + 512·300 doubles: well past the scratch memory made so far
    product(512, 300, 300, 2)
    product(7, 9, 70, 3)
  })

  it('PURE_GAN_KERNELS: js, wasm, auto or unset; anything else is refused naming the allowed values', () => {
    expect(requestedBackend(undefined)).toBe('auto')
    expect(requestedBackend('')).toBe('auto')
    expect(requestedBackend('js')).toBe('js')
    expect(requestedBackend('wasm')).toBe('wasm')
    expect(requestedBackend('auto')).toBe('auto')
    for (const bad of ['JS', 'simd', ' js']) {
      expect(() => requestedBackend(bad)).toThrow(`PURE_GAN_KERNELS must be js, wasm or auto (or unset), got ${JSON.stringify(bad)}`)
    }
  })
})
