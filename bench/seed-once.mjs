// One fresh-process run of the seed workload: the wall time of a whole train(seedConfig)
// (validation, data, initialisation and 20 epochs of 1000 examples), as the baseline defines
// it: examplesPerSec = 20 000 / that time. Prints one JSON line.
// usage: node bench/seed-once.mjs [--seed 0]
import { parseArgs } from 'node:util'
import { seedConfig, train } from '../dist/index.js'

const { values } = parseArgs({ options: { seed: { type: 'string', default: '0' } } })
const config = { ...seedConfig, seed: Number(values.seed) }
const t0 = performance.now()
const { history } = train(config)
const seconds = (performance.now() - t0) / 1000
const examples = history.reduce((s, h) => s + h.examples, 0)
console.log(
  JSON.stringify({
    workload: 'seed_gan',
    impl: 'pure-gan',
    seed: config.seed,
    trainSeconds: seconds,
    examplesPerSec: examples / seconds,
    lossD: history.at(-1).lossD,
    lossG: history.at(-1).lossG,
    versions: { node: process.version },
  }),
)
