/**
 * The kernel threads (src/wasm/threads.ts): with a helper thread attached, the WebAssembly
 * steps split their large products (by rows, each half packing its own panels) and their
 * Adam steps (by entries) between two threads. Every entry keeps its one sum in its order, so
 * the bits must be those of one thread: these properties train the same states with and without
 * the helper, on random shapes around every split (rows that are not a multiple of 4, odd
 * widths, products just above and below 2^20 multiply-adds, Adam steps above 2^16 entries),
 * through `trainBatches` (the deferred blocks of the loop), `trainEpoch` and `updateD`/`updateG`
 * (a fresh block per step). The helper is a Node worker running the built
 * dist/cli/kernel-helper.js (`npm test` builds first).
 */
import { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { seedConfig } from '../../src/gan/config.js'
import { initialState, runData } from '../../src/gan/state.js'
import { trainBatches, trainEpoch } from '../../src/gan/train.js'
import { updateD, updateG } from '../../src/gan/update.js'
import { type Matrix, sliceRows } from '../../src/matrix/index.js'
import { normalMatrix } from '../../src/random/normal.js'
import { rngFromSeed } from '../../src/random/rng.js'
import { kernelBackend } from '../../src/wasm/kernels.js'
import { type KernelThreads, startKernelThreads } from '../../src/wasm/threads.js'

const HELPER = new URL('../../dist/cli/kernel-helper.js', import.meta.url)

/** The kernel threads with a worker running the built helper. */
const start = (): Promise<KernelThreads> =>
  startKernelThreads(
    (memory) =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(HELPER, { workerData: { memory } })
        worker.unref()
        worker.once('message', () => resolve())
        worker.once('error', reject)
      }),
  )

/**
 * A config whose steps run in WebAssembly with products around the split: batch 12..40 rows,
 * G latent 2..24 -> hidden 224..330 -> hidden 224..330 -> data width 2..40, D width -> hidden
 * 64..320 -> 1 (relu, leaky relu, tanh or sigmoid): G's middle products, `(batch x h1)·(h1 x h2)`
 * and `(h1 x batch)·(batch x h2)`, from about 0.6 to 4.4 M multiply-adds (split from 2^20 on),
 * and its Adam steps of 50 000 to 110 000 entries (split from 2^16 on).
 */
const configs: fc.Arbitrary<GanConfig> = fc
  .record({
    batch: fc.integer({ min: 12, max: 40 }),
    latent: fc.integer({ min: 2, max: 24 }),
    width: fc.integer({ min: 2, max: 40 }),
    h1: fc.integer({ min: 224, max: 330 }),
    h2: fc.integer({ min: 224, max: 330 }),
    h3: fc.integer({ min: 64, max: 320 }),
    activation: fc.constantFrom<GanConfig['generator']['layers'][number]['activation']>({ kind: 'relu' }, { kind: 'leakyRelu', alpha: 0.2 }, { kind: 'tanh' }, { kind: 'sigmoid' }),
    seed: fc.nat(1000),
  })
  .map(({ batch, latent, width, h1, h2, h3, activation, seed }) => ({
    ...seedConfig,
    seed,
    batchSize: batch,
    latentDim: latent,
    generator: { layers: [{ units: h1, activation }, { units: h2, activation }, { units: width, activation: { kind: 'identity' } }] },
    discriminator: { layers: [{ units: h3, activation }, { units: 1, activation: { kind: 'identity' } }] },
    data: { kind: 'affine-gaussian', size: 3 * batch + 5, A: Array.from({ length: 2 }, (_, r) => Array.from({ length: width }, (_, c) => ((r + 1) * (c + 2)) % 7 / 7)), b: Array.from({ length: width }, (_, c) => c / width) },
  }))

/** What each path gives on `config`: the encoded states after `trainBatches`, `trainEpoch` and two `updateD`/`updateG` steps. */
const outcomes = (config: GanConfig): ReadonlyArray<string> => {
  const s0 = initialState(config)
  const data = runData(config)
  const n = config.batchSize
  const batches: Matrix[] = [sliceRows(data, 0, n), sliceRows(data, n, 2 * n), sliceRows(data, 2 * n, 3 * n), sliceRows(data, 3 * n, 3 * n + 5)]
  const [, viaBatches] = trainBatches(s0, batches)
  const [, viaEpoch] = trainEpoch(s0, data)
  let s: GanState = s0
  let rng = rngFromSeed(config.seed + 1)
  for (let k = 0; k < 2; k++) {
    const [z, next] = normalMatrix(rng, n, config.latentDim)
    rng = next
    s = updateG(updateD(s, batches[k]!, z)[1], z)[1]
  }
  return [encodeState(viaBatches), encodeState(viaEpoch), encodeState(s)]
}

describe.runIf(kernelBackend() === 'wasm')('the kernel threads', () => {
  it('give the bits of one thread: trainBatches, trainEpoch and updateD/updateG on random shapes around the splits', async () => {
    const cases = fc.sample(configs, { numRuns: 6, seed: 20261203 })
    const alone = cases.map(outcomes)
    const threads = await start()
    let paired: ReadonlyArray<ReadonlyArray<string>>
    try {
      paired = cases.map(outcomes)
    } finally {
      threads.stop()
    }
    cases.forEach((_, i) => expect(paired[i]).toEqual(alone[i]))
    // and one thread again after stop()
    expect(outcomes(cases[0]!)).toEqual(alone[0])
  }, 600_000)

  it('refuse a host that does not start the helper, with one line and nothing changed', async () => {
    await expect(startKernelThreads(() => Promise.reject(new Error('no threads here')))).rejects.toThrow('no threads here')
    const before = outcomes(fc.sample(configs, { numRuns: 1, seed: 7 })[0]!)
    expect(outcomes(fc.sample(configs, { numRuns: 1, seed: 7 })[0]!)).toEqual(before)
  }, 120_000)
})
