// Prints the bits a run produces, so that an optimisation can be checked to change none:
// sha256 of encodeState(final state) and every history loss as float64 hex, for the seed
// GAN (seeds 0..4), a mixed-architecture config with odd shapes (ragged last batch, every
// activation, normal biases), and 3 MNIST-scale steps through updateD/updateG.
// usage: npm run build && node bench/fingerprint.mjs > /tmp/fp.txt && diff bench/fingerprint.expected.txt /tmp/fp.txt
import { createHash } from 'node:crypto'
import * as api from '../dist/index.js'
import { mnistBatches, mnistConfig, mnistStep, noiseStream, seedConfig } from './workloads.mjs'

const { encodeState, initialState, train } = api
const sha = (s) => createHash('sha256').update(s).digest('hex')
const bits = (x) => {
  const dv = new DataView(new ArrayBuffer(8))
  dv.setFloat64(0, x)
  return dv.getBigUint64(0).toString(16).padStart(16, '0')
}

const lines = []
const runTrain = (name, config) => {
  const { state, history } = train(config)
  lines.push(`${name} state ${sha(encodeState(state))}`)
  lines.push(`${name} lossD ${history.map((h) => bits(h.lossD)).join(' ')}`)
  lines.push(`${name} lossG ${history.map((h) => bits(h.lossG)).join(' ')}`)
}

for (let seed = 0; seed < 5; seed++) runTrain(`seed-gan seed=${seed}`, { ...seedConfig, seed })

const mixed = {
  ...seedConfig,
  seed: 11,
  epochs: 3,
  batchSize: 13,
  latentDim: 3,
  generator: { layers: [{ units: 6, activation: { kind: 'relu' } }, { units: 7, activation: { kind: 'sigmoid' } }, { units: 3, activation: { kind: 'identity' } }] },
  discriminator: {
    layers: [
      { units: 9, activation: { kind: 'leakyRelu', alpha: 0.1 } },
      { units: 5, activation: { kind: 'tanh' } },
      { units: 1, activation: { kind: 'identity' } },
    ],
  },
  init: { weightStd: 0.3, biasInit: 'normal' },
  data: { kind: 'affine-gaussian', size: 100, A: [[1, 0.5, -1], [0.2, 2, 0.3]], b: [1, -2, 0.5] },
}
runTrain('mixed', mixed)

{
  let state = initialState(mnistConfig)
  let rng = noiseStream()
  const batches = mnistBatches(3)
  for (let i = 0; i < 3; i++) {
    const [lossD, lossG, s, r] = mnistStep(api, state, rng, batches[i])
    state = s
    rng = r
    lines.push(`mnist step=${i + 1} lossD ${bits(lossD)} lossG ${bits(lossG)}`)
  }
  lines.push(`mnist state ${sha(encodeState(state))}`)
}

console.log(lines.join('\n'))
