// Heap over a long seed run: train({ ...seedConfig, epochs }) and, every `every` epochs,
// process.memoryUsage() after a full GC (run with --expose-gc). Prints one JSON line with the
// samples and the least-squares slope of heapUsed per 1000 epochs.
// A second run drives `trainEpoch` directly and keeps only the state (no history), to
// separate the history's own growth (one report per epoch, the result) from any leak.
// usage: node --expose-gc bench/heap.mjs [--epochs 2000] [--every 100]
import { parseArgs } from 'node:util'
import { initialState, runData, seedConfig, train, trainEpoch } from '../dist/index.js'

const { values } = parseArgs({ options: { epochs: { type: 'string', default: '2000' }, every: { type: 'string', default: '100' } } })
const epochs = Number(values.epochs)
const every = Number(values.every)
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
const sampler = () => {
  const samples = []
  const sample = (epoch) => {
    globalThis.gc()
    const m = process.memoryUsage()
    samples.push({ epoch, heapUsedMB: m.heapUsed / 2 ** 20, externalMB: m.external / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20, rssMB: m.rss / 2 ** 20 })
  }
  return { samples, sample }
}
/** Least-squares slope of heapUsed (MB) per 1000 epochs, from the first sample after epoch 0. */
const slopePer1000 = (samples) => {
  const xs = samples.slice(1).map((s) => s.epoch)
  const ys = samples.slice(1).map((s) => s.heapUsedMB)
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  return (1000 * xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0)) / xs.reduce((a, x) => a + (x - mx) ** 2, 0)
}
const summary = (samples, seconds) => ({
  seconds,
  heapUsedSlopeMBPer1000Epochs: slopePer1000(samples),
  firstHeapUsedMB: samples[1].heapUsedMB,
  lastHeapUsedMB: samples.at(-1).heapUsedMB,
  samples,
})

// 1. train(): the history (one report per epoch) is part of the result and grows with it.
const a = sampler()
a.sample(0)
let t0 = performance.now()
const { history } = train({ ...seedConfig, epochs }, (r) => {
  if (r.epoch % every === 0) a.sample(r.epoch)
})
const trainRun = { ...summary(a.samples, (performance.now() - t0) / 1000), historyLength: history.length }

// 2. trainEpoch in a loop, keeping only the latest state.
const b = sampler()
let state = initialState({ ...seedConfig, epochs })
const data = runData(seedConfig)
b.sample(0)
t0 = performance.now()
for (let e = 1; e <= epochs; e++) {
  state = trainEpoch(state, data)[1]
  if (e % every === 0) b.sample(e)
}
const stateOnlyRun = summary(b.samples, (performance.now() - t0) / 1000)

console.log(
  JSON.stringify({
    workload: 'seed_gan_heap',
    epochs,
    every,
    train: trainRun,
    stateOnly: stateOnlyRun,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    versions: { node: process.version },
  }),
)
