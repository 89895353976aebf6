/**
 * One GAN step in WebAssembly (src/kernels/gan-epoch.ts's `wasmStep`, src/wasm/assembly/gan.ts's
 * `ganStep`) computes the bits of the JavaScript step (gan-step.ts's `discriminatorStepInto` /
 * `generatorStepInto`): the loss and the updated network's whole `[w | m | v]`, on random
 * architectures (every activation), batch sizes, blocks and inputs whose products are large
 * enough for the blocked kernel, sizes around its 4 x 4 blocks included. With the JavaScript
 * kernels it does not run (null); when it runs is `stepRunsInWasm`'s choice (gan/update.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { wasmStep, wasmStepPays } from '../../src/kernels/gan-epoch.js'
import {
  type GanStepSpec,
  bindDiscriminatorStep,
  bindGeneratorStep,
  discriminatorStepInto,
  discriminatorStepLayout,
  generatorStepInto,
  generatorStepLayout,
} from '../../src/kernels/gan-step.js'
import { paramCount } from '../../src/kernels/network.js'
import type { LayerSpec } from '../../src/nn/network.js'
import { nonsaturating } from '../../src/objectives/nonsaturating.js'
import { kernels } from '../../src/wasm/kernels.js'
import { anyActivation } from '../support/gan-arbitraries.js'

const layers = (last: number) =>
  fc
    .tuple(fc.array(fc.record({ units: fc.integer({ min: 1, max: 40 }), activation: anyActivation }), { maxLength: 2 }), anyActivation)
    .map(([hidden, activation]): LayerSpec[] => [...hidden, { units: last, activation }])

const rates = fc.record({
  learningRate: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
  beta1: fc.double({ min: 0, max: 0.99, noNaN: true }),
  beta2: fc.double({ min: 0.5, max: 0.9999, noNaN: true }),
  epsilon: fc.double({ min: 1e-10, max: 1e-3, noNaN: true }),
})

const stepCase = fc
  .record({ latentDim: fc.integer({ min: 1, max: 12 }), width: fc.integer({ min: 1, max: 40 }), rows: fc.integer({ min: 1, max: 24 }) })
  .chain(({ latentDim, width, rows }) =>
    fc.record({
      spec: fc.record({
        generator: layers(width),
        discriminator: layers(1),
        latentDim: fc.constant(latentDim),
        width: fc.constant(width),
        objective: fc.constant(nonsaturating),
        pack: fc.constant(1),
        weightClip: fc.constant(null),
        interpolatedPenalty: fc.constant(null),
        realPenalty: fc.constant(null),
        optimizerD: rates.map((r) => ({ kind: 'adam' as const, rates: r })),
        optimizerG: rates.map((r) => ({ kind: 'adam' as const, rates: r })),
      }) as fc.Arbitrary<GanStepSpec>,
      rows: fc.constant(rows),
      count: fc.integer({ min: 0, max: 1000 }),
      seed: fc.integer(),
    }),
  )

/** A deterministic fill of `n` entries in [-scale, scale] (or [0, scale] when `positive`). */
const filled = (n: number, seed: number, scale: number, positive = false): Float64Array => {
  const out = new Float64Array(n)
  let s = seed >>> 0 || 1
  for (let i = 0; i < n; i++) {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    const u = (s >>> 0) / 4294967296
    out[i] = positive ? u * scale : (2 * u - 1) * scale
  }
  return out
}

/** A network's `[w | m | v]` with weights of `scale` and a non-negative second moment. */
const block = (P: number, seed: number, scale: number): Float64Array => {
  const out = new Float64Array(3 * P)
  out.set(filled(2 * P, seed, scale))
  out.set(filled(P, seed + 1, 0.1, true), 2 * P)
  return out
}

/** One action of a run: a step (on one of two noises, maybe on a ragged minibatch), a branch back to an older state, another kernel's call. */
type Action =
  | { readonly kind: 'D' | 'G'; readonly noise: number; readonly ragged?: boolean }
  | { readonly kind: 'branch'; readonly back: number }
  | { readonly kind: 'other'; readonly entries: number }

/**
 * Runs `actions` from one start through the JavaScript step kernels and through `wasmStep`,
 * expecting the same blocks after every step; false when the steps do not pay in WebAssembly.
 */
const sameAlongRun = ({ spec, rows, seed }: { spec: GanStepSpec; rows: number; seed: number }, actions: ReadonlyArray<Action>, reuse = false): boolean => {
  const dLayout = discriminatorStepLayout(spec, rows)
  const gLayout = generatorStepLayout(spec, rows)
  if (!wasmStepPays(dLayout) || !wasmStepPays(gLayout)) return false
  const PG = paramCount(spec.generator, spec.latentDim)
  const PD = paramCount(spec.discriminator, spec.width)
  const real = { data: filled(rows * spec.width, seed + 2, 2), off: 0 }
  const noises = [filled(rows * spec.latentDim, seed + 3, 2), filled(rows * spec.latentDim, seed + 6, 2)].map((data) => ({ data, off: 0 }))
  type Blocks = { readonly g: { data: Float64Array; off: number }; readonly d: { data: Float64Array; off: number } }
  const start: Blocks = { g: { data: block(PG, seed + 4, 0.6), off: 0 }, d: { data: block(PD, seed + 5, 0.6), off: 0 } }
  // the same history through the JavaScript kernels and through WebAssembly
  const histories: [Blocks[], Blocks[]] = [[start], [start]]
  const pools = [0, 1].map(() => ({ d: [0, 1, 2].map(() => new Float64Array(3 * PD)), g: [0, 1, 2].map(() => new Float64Array(3 * PG)) }))
  let count = 0
  for (const a of actions) {
    if (a.kind === 'other') {
      // another kernel writes the module's scratch memory from its start
      const k = kernels()
      k.tanhInto(filled(a.entries, seed, 3), 0, new Float64Array(a.entries), 0, a.entries)
      k.gemm?.scratch(a.entries)?.fill(Number.NaN, 0, a.entries)
      continue
    }
    for (const [path, history] of histories.entries()) {
      const at = a.kind === 'branch' ? Math.max(0, history.length - 1 - a.back) : history.length - 1
      const now = history[at]!
      if (a.kind === 'branch') {
        history.push(now)
        continue
      }
      const d = a.kind === 'D'
      const ragged = 'ragged' in a && rows > 1
      const layout = ragged ? (d ? discriminatorStepLayout : generatorStepLayout)(spec, rows - 1) : d ? dLayout : gLayout
      // fresh outputs, or (`reuse`) outputs written again: each network's new blocks go to the
      // first of three arrays of its own (per path) that does not hold the step's input
      const fresh = (): Float64Array => new Float64Array(3 * (d ? PD : PG))
      const pool = pools[path]![d ? 'd' : 'g']
      const out = { data: reuse ? pool.find((x) => x !== (d ? now.d.data : now.g.data))! : fresh(), off: 0 }
      const inputs = { real: d ? real : null, noise: noises[a.noise]!, generator: now.g, discriminator: now.d }
      if (path === 0) {
        const ws = new Float64Array(layout.size)
        if (d) discriminatorStepInto(bindDiscriminatorStep(layout, ws), inputs as never, count, out)
        else generatorStepInto(bindGeneratorStep(layout, ws), inputs, count, out)
      } else if (wasmStep(layout, inputs, count, out) === null) {
        throw new Error('the WebAssembly step did not run')
      }
      history.push(d ? { ...now, d: out } : { ...now, g: out })
    }
    count++
    const [js, wasm] = histories.map((h) => h[h.length - 1]!)
    expect(wasm!.d.data).toEqualBits(js!.d.data)
    expect(wasm!.g.data).toEqualBits(js!.g.data)
  }
  return true
}

describe('one GAN step in WebAssembly', () => {
  it.skipIf(kernels().backend === 'js')('gives the JavaScript step’s loss and block, bit for bit, for D’s step and G’s', () => {
    let ran = 0
    fc.assert(
      fc.property(stepCase, ({ spec, rows, count, seed }) => {
        const dLayout = discriminatorStepLayout(spec, rows)
        const gLayout = generatorStepLayout(spec, rows)
        fc.pre(wasmStepPays(dLayout) || wasmStepPays(gLayout))
        const PG = paramCount(spec.generator, spec.latentDim)
        const PD = paramCount(spec.discriminator, spec.width)
        const inputs = {
          real: { data: filled(rows * spec.width + 3, seed + 2, 2), off: 3 },
          noise: { data: filled(rows * spec.latentDim + 1, seed + 3, 2), off: 1 },
          generator: { data: block(PG, seed + 4, 0.6), off: 0 },
          discriminator: { data: block(PD, seed + 5, 0.6), off: 0 },
        }
        const viaJs = (bind: typeof bindDiscriminatorStep, stepInto: typeof discriminatorStepInto, layout: typeof dLayout, P: number, stepInputs: typeof inputs) => {
          const out = new Float64Array(3 * P + 2)
          const loss = stepInto(bind(layout, new Float64Array(layout.size)), stepInputs, count, { data: out, off: 2 })
          return { loss, out }
        }
        const viaWasm = (layout: typeof dLayout, P: number, stepInputs: typeof inputs) => {
          const out = new Float64Array(3 * P + 2)
          const loss = wasmStep(layout, stepInputs, count, { data: out, off: 2 })
          return { loss, out }
        }
        const d = [viaJs(bindDiscriminatorStep, discriminatorStepInto, dLayout, PD, inputs), viaWasm(dLayout, PD, inputs)] as const
        expect(d[1].out).toEqualBits(d[0].out)
        expect(d[1].loss).toEqualBits(d[0].loss)
        const gInputs = { ...inputs, real: null } as unknown as typeof inputs
        const g = [viaJs(bindGeneratorStep as unknown as typeof bindDiscriminatorStep, generatorStepInto as unknown as typeof discriminatorStepInto, gLayout, PG, gInputs), viaWasm(gLayout, PG, gInputs)] as const
        expect(g[1].out).toEqualBits(g[0].out)
        expect(g[1].loss).toEqualBits(g[0].loss)
        ran++
      }),
      { numRuns: 60 },
    )
    expect(ran).toBeGreaterThan(30)
  })

  it.skipIf(kernels().backend === 'js')('keeps the JavaScript bits along runs of steps, branches from older blocks and other kernels’ calls between them (the blocks the module keeps)', () => {
    const action = fc.oneof(
      // on one of two noises: G's step reuses the forward pass D's step left only on the same noise and G
      fc.record({ kind: fc.constantFrom('D' as const, 'G' as const), noise: fc.integer({ min: 0, max: 1 }) }),
      // a ragged minibatch: fewer rows, so another layout of the module's memory
      fc.constantFrom({ kind: 'D' as const, ragged: true, noise: 0 }, { kind: 'G' as const, ragged: true, noise: 0 }),
      fc.record({ kind: fc.constant('branch' as const), back: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('other' as const), entries: fc.integer({ min: 1, max: 200_000 }) }),
    )
    fc.assert(
      fc.property(stepCase, fc.array(action, { minLength: 1, maxLength: 12 }), fc.boolean(), (c, actions, reuse) => {
        fc.pre(sameAlongRun(c, actions, reuse))
      }),
      { numRuns: 40 },
    )
    // G resident from a G step, then D's step on an older G (copied to G's place), then a step
    // on the resident G again: its record must have been forgotten by the copy
    const tanh = (units: number): LayerSpec => ({ units, activation: { kind: 'tanh' } })
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }
    const spec: GanStepSpec = { generator: [tanh(16), tanh(8)], discriminator: [tanh(16), tanh(1)], latentDim: 4, width: 8, objective: nonsaturating, pack: 1, weightClip: null, interpolatedPenalty: null, realPenalty: null, optimizerD: { kind: 'adam', rates: adam }, optimizerG: { kind: 'adam', rates: adam } }
    const G = { kind: 'G', noise: 0 } as const
    const D = { kind: 'D', noise: 0 } as const
    expect(sameAlongRun({ spec, rows: 16, seed: 7 }, [G, { kind: 'branch', back: 1 }, D, { kind: 'branch', back: 2 }, G, D])).toBe(true)
  })

  it('does not run with the JavaScript kernels, and pays only when some product is blocked', () => {
    const tanh = (units: number): LayerSpec => ({ units, activation: { kind: 'tanh' } })
    const spec = (units: number): GanStepSpec => ({
      generator: [tanh(units), tanh(2)],
      discriminator: [tanh(units), tanh(1)],
      latentDim: 2,
      width: 2,
      objective: nonsaturating,
      pack: 1,
      weightClip: null,
      interpolatedPenalty: null,
      realPenalty: null,
      optimizerD: { kind: 'adam', rates: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
      optimizerG: { kind: 'adam', rates: { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } },
    })
    const wasm = kernels().backend === 'wasm'
    // the seed's sizes: every product a dot product
    expect(wasmStepPays(discriminatorStepLayout(spec(4), 8))).toBe(false)
    // a 2 -> 64 layer on 64 rows: x·W is 64 x 64 over 2 (blocked)
    expect(wasmStepPays(discriminatorStepLayout(spec(64), 64))).toBe(wasm)
    expect(wasmStepPays(generatorStepLayout(spec(64), 64))).toBe(wasm)
    if (!wasm) {
      const layout = discriminatorStepLayout(spec(64), 64)
      const zeros = (n: number) => ({ data: new Float64Array(n), off: 0 })
      expect(wasmStep(layout, { real: zeros(128), noise: zeros(128), generator: zeros(3 * 322), discriminator: zeros(3 * 257) }, 0, zeros(3 * 257))).toBe(null)
    }
  })
})
