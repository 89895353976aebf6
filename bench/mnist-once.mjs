// One fresh-process run of the MNIST-scale GAN step (the shapes, activations, loss and Adam
// settings of ../shared/bench/reference-mlp-gan-step.mjs), through the public pure functions:
// per step, Z ~ N(0, 1) (64x64) from pure-gan's PRNG, updateD(state, X, Z), updateG(state, Z).
// examplesPerSec = 64 x steps / wall time after 10 warm-up steps. Prints one JSON line.
// usage: node bench/mnist-once.mjs [--steps 60]
import { parseArgs } from 'node:util'
import * as api from '../dist/index.js'
import { BATCH, mnistBatches, mnistConfig, mnistStep, noiseStream } from './workloads.mjs'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '60' } } })
const steps = Number(values.steps)
const WARMUP = 10
const POOL = 16
const batches = mnistBatches(POOL)
let state = api.initialState(mnistConfig)
let rng = noiseStream()
for (let i = 0; i < WARMUP; i++) {
  const [, , s, r] = mnistStep(api, state, rng, batches[i % POOL])
  state = s
  rng = r
}
let sD = 0
let sG = 0
const t0 = performance.now()
for (let i = WARMUP; i < WARMUP + steps; i++) {
  const [lossD, lossG, s, r] = mnistStep(api, state, rng, batches[i % POOL])
  state = s
  rng = r
  sD += lossD / BATCH
  sG += lossG / BATCH
}
const seconds = (performance.now() - t0) / 1000
console.log(
  JSON.stringify({
    workload: 'mnist_step',
    impl: 'pure-gan',
    steps,
    seconds,
    examplesPerSec: (steps * BATCH) / seconds,
    meanLossD: sD / steps,
    meanLossG: sG / steps,
    versions: { node: process.version },
  }),
)
