// One fresh-process run of a step of PacGAN's 2-D setup (--preset pacgan-ring: batch 100,
// G 2-4x(400, batch normalisation, relu)-2, D 3 maxout layers of 200 units x 5 pieces then a
// logit, Adam) through the public pure functions: per step, Z ~ N(0, 1) (100x2),
// updateD(state, X, Z), updateG(state, Z), on 8 fixed batches of the ring's points, as one
// trainBatches call (`--api steps`: updateD and updateG step by step; workloads.mjs's ganLoop).
// Prints one JSON line: steps/sec after 3 warm-up steps and the time 400 epochs of 100 000
// points (the paper's 400 000 steps) would take at that speed.
// usage: node bench/pacgan-once.mjs [--steps 20] [--pack 1] [--api batches|steps]
import { parseArgs } from 'node:util'
import * as api from '../dist/index.js'
import { ganLoop } from './workloads.mjs'

const { values } = parseArgs({ options: { steps: { type: 'string', default: '20' }, pack: { type: 'string', default: '1' }, api: { type: 'string', default: 'batches' } } })
const steps = Number(values.steps)
const WARMUP = 3
const POOL = 8
const base = api.PRESETS['pacgan-ring']
const config = { ...base, pack: Number(values.pack), data: { ...base.data, size: POOL * base.batchSize } }
const data = api.runData(config)
const batches = Array.from({ length: POOL }, (_, i) => api.sliceRows(data, i * base.batchSize, (i + 1) * base.batchSize))
const run = ganLoop(config, batches, values.api)
run(0, WARMUP)
const t0 = performance.now()
run(WARMUP, steps)
const seconds = (performance.now() - t0) / 1000
const stepsPerSec = steps / seconds
console.log(
  JSON.stringify({
    workload: 'pacgan_step',
    impl: 'pure-gan',
    kernels: api.kernelBackend(),
    pack: config.pack,
    api: values.api,
    steps,
    seconds,
    stepsPerSec,
    paperRunHours: 400_000 / stepsPerSec / 3600,
    versions: { node: process.version },
  }),
)
