// The golden runs as plain JavaScript, runtime-neutral: no import of its own, no Node, Deno,
// Bun or DOM API; only ECMAScript (DataView, BigInt, TextEncoder, JSON). `goldenRuns(lib)`
// takes the library's module (dist/index.js, or the bundle of it) and returns a plain object:
//
//   golden: what properties/golden.test.ts pins, keyed by the file name under
//           properties/golden/ and in the same JSON shape ("prng.json", "seed-gan.json"),
//   runs:   whole runs, as hashes (SHA-256 of the canonical JSON of every float's bit pattern)
//           with their final losses:
//           seedRun      train(seedConfig): history, final state, summarizeGenerator (10 000 samples)
//           activations  a small config using identity, tanh, sigmoid, relu and leakyRelu,
//                        normal bias initialisation; history, final state and summary
//           wide         a config whose steps run as WebAssembly steps (blocked products)
//           products     a·b, aᵀ·a and b·bᵀ of seeded normal matrices (the blocked product kernel)
//   backend: the kernels the runtime ran, lib.kernelBackend() ('wasm' or 'js')
//   hashes: one SHA-256 per golden file's JSON text and per run, for a table.
//
// Used by golden-runs.mjs (node, deno, bun) and, bundled, by the Chromium page.

/** A float64's IEEE 754 bit pattern, 16 hexadecimal digits. */
export const hex = (x) => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x, false)
  return view.getBigUint64(0, false).toString(16).padStart(16, '0')
}

/** Every number in a JSON-like value replaced by its bit pattern. */
const hexAll = (value) => {
  if (typeof value === 'number') return hex(value)
  if (Array.isArray(value)) return value.map(hexAll)
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const key of Object.keys(value).sort()) out[key] = hexAll(value[key])
    return out
  }
  return value
}

// SHA-256 (FIPS 180-4) in plain JavaScript, so that no runtime's own crypto is needed.
const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
])

/** SHA-256 of a string's UTF-8 bytes, as 64 hexadecimal digits. */
export const sha256 = (text) => {
  const data = new TextEncoder().encode(text)
  const blocks = Math.ceil((data.length + 9) / 64)
  const bytes = new Uint8Array(blocks * 64)
  bytes.set(data)
  bytes[data.length] = 0x80
  const bits = BigInt(data.length) * 8n
  const view = new DataView(bytes.buffer)
  view.setBigUint64(bytes.length - 8, bits, false)
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ])
  const w = new Uint32Array(64)
  const rotr = (x, n) => (x >>> n) | (x << (32 - n))
  for (let block = 0; block < blocks; block++) {
    for (let t = 0; t < 16; t++) w[t] = view.getUint32(block * 64 + t * 4, false)
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3)
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10)
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0
    }
    let [a, b, c, d, e, f, g, hh] = h
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0
      hh = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    const add = [a, b, c, d, e, f, g, hh]
    for (let i = 0; i < 8; i++) h[i] = (h[i] + add[i]) | 0
  }
  return [...h].map((x) => x.toString(16).padStart(8, '0')).join('')
}

const draws = (rng, n, draw) => {
  const out = []
  let r = rng
  for (let i = 0; i < n; i++) {
    const [v, next] = draw(r)
    out.push(v)
    r = next
  }
  return out
}

/** properties/golden/prng.json, computed as properties/golden.test.ts computes it. */
const prngGolden = (lib) =>
  [0, 1, 42, 4294967295].map((seed) => {
    const rng = lib.rngFromSeed(seed)
    return {
      seed,
      state: [...rng.state],
      uint32: draws(rng, 8, lib.nextUint32),
      uniform: draws(rng, 4, lib.uniform).map(hex),
      normal: draws(rng, 4, lib.normal).map(hex),
      permutation10: [...lib.permutation(rng, 10)[0]],
    }
  })

/** properties/golden/seed-gan.json: the seed GAN after steps 1, 10 and 125, as golden.test.ts. */
const seedGanGolden = (lib) => {
  const config = lib.seedConfig
  const data = lib.runData(config)
  let state = lib.initialState(config)
  const [order, rng] = lib.permutation(state.rng, data.rows)
  state = { ...state, rng }
  const checkpoints = []
  for (let step = 1; step <= 125; step++) {
    const start = (step - 1) * config.batchSize
    const [losses, next] = lib.trainStep(state, lib.gatherRows(data, order.slice(start, start + config.batchSize)))
    state = next
    if (step === 1 || step === 10 || step === 125) {
      const { config: _config, ...rest } = lib.stateToJson(state)
      checkpoints.push({ step, lossD: hex(losses.lossD), lossG: hex(losses.lossG), state: rest })
    }
  }
  return { seed: config.seed, checkpoints }
}

/** A small config with every activation kind, and normal bias initialisation. */
export const activationsConfig = (lib) => ({
  ...lib.seedConfig,
  seed: 12,
  epochs: 3,
  batchSize: 16,
  latentDim: 3,
  generator: {
    layers: [
      { units: 4, activation: { kind: 'tanh' } },
      { units: 4, activation: { kind: 'leakyRelu', alpha: 0.1 } },
      { units: 2, activation: { kind: 'identity' } },
    ],
  },
  discriminator: {
    layers: [
      { units: 5, activation: { kind: 'sigmoid' } },
      { units: 4, activation: { kind: 'relu' } },
      { units: 3, activation: { kind: 'leakyRelu', alpha: 0.2 } },
      { units: 1, activation: { kind: 'identity' } },
    ],
  },
  init: { weightStd: 0.3, biasInit: 'normal' },
  data: { ...lib.seedConfig.data, size: 200 },
})

/**
 * A config whose steps have products large enough for the blocked kernel (D's 8 -> 64 layer on
 * the 32 stacked rows), so that they run as WebAssembly steps (src/kernels/gan-epoch.ts's
 * `wasmStep`, its blocks resident between steps) where the runtime runs the kernels.
 */
export const wideConfig = (lib) => ({
  ...lib.seedConfig,
  seed: 21,
  epochs: 2,
  batchSize: 16,
  latentDim: 4,
  generator: { layers: [{ units: 24, activation: { kind: 'relu' } }, { units: 8, activation: { kind: 'tanh' } }] },
  discriminator: { layers: [{ units: 64, activation: { kind: 'leakyRelu', alpha: 0.2 } }, { units: 1, activation: { kind: 'identity' } }] },
  init: { weightStd: 0.2, biasInit: 'zeros' },
  data: { kind: 'affine-gaussian', size: 96, A: [[1, 0.5, 0, 0, 0, 0, 0, 0.25]], b: [1, 2, 0, -1, 0.5, 0, 0, 3] },
})

/** A whole run: history, final state and generator summary, all as bit patterns. */
const wholeRun = (lib, config) => {
  const { state, history } = lib.train(config)
  const summary = lib.summarizeGenerator(state)
  const { config: _config, ...finalState } = lib.stateToJson(state)
  const record = {
    history: history.map((h) => ({ epoch: h.epoch, lossD: hex(h.lossD), lossG: hex(h.lossG), examples: h.examples })),
    state: finalState,
    summary: hexAll(summary),
  }
  const last = history.at(-1)
  return {
    hash: sha256(JSON.stringify(record)),
    epochs: history.length,
    lossD: hex(last.lossD),
    lossG: hex(last.lossG),
    frechetDistance: hex(summary.frechetDistance),
  }
}

/**
 * Matrix products large enough for the register-blocked kernel (in WebAssembly where the
 * runtime runs it), with every remainder: `a·b`, `aᵀ·b` and `a·bᵀ` of seeded normal matrices.
 */
const products = (lib) => {
  const [a, r1] = lib.normalMatrix(lib.rngFromSeed(11), 37, 53)
  const [b] = lib.normalMatrix(r1, 53, 29)
  const out = [lib.matmul(a, b), lib.matmulTransposeA(a, a), lib.matmulTransposeB(b, b)].map((m) => Array.from(m.data))
  return { hash: sha256(JSON.stringify(hexAll(out))) }
}

/** Every golden value and run of this runtime (see the top of this file). */
export const goldenRuns = (lib) => {
  const golden = {
    'prng.json': JSON.parse(JSON.stringify(prngGolden(lib))),
    'seed-gan.json': JSON.parse(JSON.stringify(seedGanGolden(lib))),
  }
  const runs = { seedRun: wholeRun(lib, lib.seedConfig), activations: wholeRun(lib, activationsConfig(lib)), wide: wholeRun(lib, wideConfig(lib)), products: products(lib) }
  const hashes = {}
  for (const [name, value] of Object.entries(golden)) hashes[name] = sha256(JSON.stringify(value))
  for (const [name, run] of Object.entries(runs)) hashes[name] = run.hash
  return { golden, runs, hashes, backend: lib.kernelBackend() }
}
