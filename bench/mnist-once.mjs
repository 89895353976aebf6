// One fresh-process run of the MNIST-scale GAN step (the shapes, activations, loss and Adam
// settings of ../shared/bench/reference-mlp-gan-step.mjs), through the public pure functions:
// per step, Z ~ N(0, 1) (64x64) from pure-gan's PRNG, updateD(state, X, Z), updateG(state, Z).
// By default the steps are one call of trainBatches (the same updates, Z drawn from the state's
// PRNG, the intermediate states never built: docs/performance.md, "Peak memory at MNIST size");
// `--api steps` calls updateD and updateG step by step, a state built and dropped each step.
// examplesPerSec = 64 x steps / wall time after 10 warm-up steps. Prints one JSON line.
// usage: node bench/mnist-once.mjs [--steps 60] [--api batches|steps]
import { parseArgs } from 'node:util'
import * as api from '../dist/index.js'
import { BATCH, mnistBatches, mnistConfig, mnistStep, noiseStream } from './workloads.mjs'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '60' }, api: { type: 'string', default: 'batches' } } })
if (values.api !== 'batches' && values.api !== 'steps') throw new Error(`--api must be batches or steps, got ${values.api}`)
const steps = Number(values.steps)
const WARMUP = 10
const POOL = 16
const batches = mnistBatches(POOL)
let state = api.initialState(mnistConfig)
let rng = noiseStream()
/** `count` steps from step `from`, on the pool's batches in turn: the sums of D's and G's batch losses. */
const run = (from, count) => {
  let sD = 0
  let sG = 0
  if (values.api === 'batches') {
    const [losses, next] = api.trainBatches(state, Array.from({ length: count }, (_, k) => batches[(from + k) % POOL]))
    state = next
    for (const l of losses) {
      sD += l.lossD
      sG += l.lossG
    }
    return [sD, sG]
  }
  for (let i = from; i < from + count; i++) {
    const [lossD, lossG, s, r] = mnistStep(api, state, rng, batches[i % POOL])
    state = s
    rng = r
    sD += lossD
    sG += lossG
  }
  return [sD, sG]
}
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
    versions: { node: process.version },
  }),
)
