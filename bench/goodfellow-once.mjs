// One fresh-process run of a GAN step at Goodfellow et al. (2014)'s MNIST sizes
// (bench/workloads.mjs's goodfellowConfig: batch 100, G 100-1200-1200-784, D 784-240-240-1)
// through the public pure functions, as bench/mnist-once.mjs: per step, Z ~ N(0, 1) (100x100),
// updateD(state, X, Z), updateG(state, Z), on 8 fixed real batches of uniforms in [0, 1); one
// trainBatches call (`--api steps`: updateD and updateG step by step; workloads.mjs's ganLoop).
// Prints one JSON line: examples/sec after 3 warm-up steps, the GFLOP/s of the step's products
// (2 flops per multiply-add, stepMultiplyAdds), and the time an epoch over 60 000 digits takes.
// usage: node bench/goodfellow-once.mjs [--steps 20] [--api batches|steps] [--threads 1|2]
import { parseArgs } from 'node:util'
import * as api from '../dist/index.js'
import { GOODFELLOW_BATCH, GOODFELLOW_LATENT, XD, goodfellowConfig, ganLoop, stepMultiplyAdds } from './workloads.mjs'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '20' }, api: { type: 'string', default: 'batches' }, threads: { type: 'string', default: '1' } } })
// --threads 2: the kernel threads (src/wasm/threads.ts) with a Node worker as the helper, as `pure-gan train --threads 2`
const kernelThreads = values.threads === '2' ? await (await import('../dist/cli/kernel-threads.js')).startNodeKernelThreads() : null
const steps = Number(values.steps)
const WARMUP = 3
const POOL = 8
let data = api.rngFromSeed(3)
const batches = Array.from({ length: POOL }, () => {
  const [u, next] = api.uniforms(data, GOODFELLOW_BATCH * XD)
  data = next
  return api.fromFlat(GOODFELLOW_BATCH, XD, u)
})
const run = ganLoop(goodfellowConfig, batches, values.api)
run(0, WARMUP)
const t0 = performance.now()
const [sD, sG] = run(WARMUP, steps).map((s) => s / GOODFELLOW_BATCH)
const seconds = (performance.now() - t0) / 1000
const widths = (c, first) => [first, ...c.layers.map((l) => l.units)]
const flopsPerStep = 2 * stepMultiplyAdds(widths(goodfellowConfig.generator, GOODFELLOW_LATENT), widths(goodfellowConfig.discriminator, XD), GOODFELLOW_BATCH)
const examplesPerSec = (steps * GOODFELLOW_BATCH) / seconds
console.log(
  JSON.stringify({
    workload: 'goodfellow_step',
    impl: 'pure-gan',
    kernels: api.kernelBackend(),
    steps,
    seconds,
    examplesPerSec,
    gflops: (flopsPerStep * steps) / seconds / 1e9,
    epochSeconds: 60000 / examplesPerSec,
    meanLossD: sD / steps,
    meanLossG: sG / steps,
    api: values.api,
    threads: kernelThreads === null ? 1 : 2,
    versions: { node: process.version },
  }),
)
kernelThreads?.stop()
