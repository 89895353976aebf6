// One fresh-process run of the MNIST-scale GAN step (the shapes, activations, loss and Adam
// settings of ../shared/bench/reference-mlp-gan-step.mjs), through the public pure functions:
// per step, Z ~ N(0, 1) (64x64) from pure-gan's PRNG, updateD(state, X, Z), updateG(state, Z).
// By default the steps are one call of trainBatches (the same updates, Z drawn from the state's
// PRNG, the intermediate states never built: docs/performance.md, "Peak memory at MNIST size");
// `--api steps` calls updateD and updateG step by step, a state built and dropped each step.
// examplesPerSec = 64 x steps / wall time after 10 warm-up steps. Prints one JSON line.
// usage: node bench/mnist-once.mjs [--steps 60] [--api batches|steps] [--threads 1|2]
import { parseArgs } from 'node:util'
import { BATCH, ganLoop, mnistBatches, mnistConfig } from './workloads.mjs'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '60' }, api: { type: 'string', default: 'batches' }, threads: { type: 'string', default: '1' } } })
// --threads 2: the kernel threads (src/wasm/threads.ts) with a Node worker as the helper, as `pure-gan train --threads 2`
const kernelThreads = values.threads === '2' ? await (await import('../dist/cli/kernel-threads.js')).startNodeKernelThreads() : null
const steps = Number(values.steps)
const WARMUP = 10
const POOL = 16
const batches = mnistBatches(POOL)
const run = ganLoop(mnistConfig, batches, values.api)
run(0, WARMUP)
const t0 = performance.now()
const [sD, sG] = run(WARMUP, steps)
const seconds = (performance.now() - t0) / 1000
console.log(
  JSON.stringify({
    workload: 'mnist_step',
    impl: 'pure-gan',
    steps,
    seconds,
    examplesPerSec: (steps * BATCH) / seconds,
    meanLossD: sD / BATCH / steps,
    meanLossG: sG / BATCH / steps,
    api: values.api,
    threads: kernelThreads === null ? 1 : 2,
    versions: { node: process.version },
  }),
)
kernelThreads?.stop()
