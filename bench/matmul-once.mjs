// Matrix-product throughput (GFLOP/s, 2·n·k·m flops per product) at the shapes the two
// workloads use, through the public kernels. Prints one JSON line with one entry per case.
// usage: node bench/matmul-once.mjs [--ms 300]
import { parseArgs } from 'node:util'
import * as api from '../dist/index.js'

const { values } = parseArgs({ options: { ms: { type: 'string', default: '300' } } })
const budget = Number(values.ms)
let rng = api.rngFromSeed(5)
const rand = (r, c) => {
  const [m, next] = api.normalMatrix(rng, r, c)
  rng = next
  return m
}
const relu = { kind: 'relu' }
const tanh = { kind: 'tanh' }
const identity = { kind: 'identity' }

// [name, op, n, k, m, build operands]: flops = 2·n·k·m
const cases = [
  // MNIST scale
  ['affineActivate relu   (64x64)·(64x256)', 64, 64, 256, () => { const x = rand(64, 64), W = rand(64, 256), b = rand(1, 256); return () => api.affineActivate(x, W, b, relu) }],
  ['affineActivate tanh   (64x256)·(256x784)', 64, 256, 784, () => { const x = rand(64, 256), W = rand(256, 784), b = rand(1, 784); return () => api.affineActivate(x, W, b, tanh) }],
  ['affineActivate        (128x784)·(784x256)', 128, 784, 256, () => { const x = rand(128, 784), W = rand(784, 256), b = rand(1, 256); return () => api.affineActivate(x, W, b, identity) }],
  ['matmul                (64x784)·(784x256)', 64, 784, 256, () => { const x = rand(64, 784), W = rand(784, 256); return () => api.matmul(x, W) }],
  ['matmulTransposeA      (128x784)ᵀ·(128x256)', 784, 128, 256, () => { const x = rand(128, 784), d = rand(128, 256); return () => api.matmulTransposeA(x, d) }],
  ['matmulTransposeA      (64x256)ᵀ·(64x784)', 256, 64, 784, () => { const x = rand(64, 256), d = rand(64, 784); return () => api.matmulTransposeA(x, d) }],
  ['matmulTransposeB      (64x256)·(784x256)ᵀ', 64, 256, 784, () => { const d = rand(64, 256), W = rand(784, 256); return () => api.matmulTransposeB(d, W) }],
  ['matmulTransposeB      (64x784)·(256x784)ᵀ', 64, 784, 256, () => { const d = rand(64, 784), W = rand(256, 784); return () => api.matmulTransposeB(d, W) }],
  // Goodfellow et al. (2014)'s MNIST sizes (batch 100; D's forward on the stacked 200 rows)
  ['affineActivate relu   (100x100)·(100x1200)', 100, 100, 1200, () => { const x = rand(100, 100), W = rand(100, 1200), b = rand(1, 1200); return () => api.affineActivate(x, W, b, relu) }],
  ['affineActivate relu   (100x1200)·(1200x1200)', 100, 1200, 1200, () => { const x = rand(100, 1200), W = rand(1200, 1200), b = rand(1, 1200); return () => api.affineActivate(x, W, b, relu) }],
  ['affineActivate        (200x784)·(784x240)', 200, 784, 240, () => { const x = rand(200, 784), W = rand(784, 240), b = rand(1, 240); return () => api.affineActivate(x, W, b, identity) }],
  ['matmulTransposeA      (100x1200)ᵀ·(100x1200)', 1200, 100, 1200, () => { const x = rand(100, 1200), d = rand(100, 1200); return () => api.matmulTransposeA(x, d) }],
  ['matmulTransposeB      (100x784)·(1200x784)ᵀ', 100, 784, 1200, () => { const d = rand(100, 784), W = rand(1200, 784); return () => api.matmulTransposeB(d, W) }],
  // seed GAN scale (per-call overhead dominates)
  ['affineActivate tanh   (16x2)·(2x5)', 16, 2, 5, () => { const x = rand(16, 2), W = rand(2, 5), b = rand(1, 5); return () => api.affineActivate(x, W, b, tanh) }],
  ['matmulTransposeA      (16x5)ᵀ·(16x3)', 5, 16, 3, () => { const x = rand(16, 5), d = rand(16, 3); return () => api.matmulTransposeA(x, d) }],
  ['matmulTransposeB      (8x3)·(5x3)ᵀ', 8, 3, 5, () => { const d = rand(8, 3), W = rand(5, 3); return () => api.matmulTransposeB(d, W) }],
]

const results = []
for (const [name, n, k, m, build] of cases) {
  const f = build()
  // warm up, then time batches of calls until the budget is spent
  let sink = 0
  const w0 = performance.now()
  while (performance.now() - w0 < budget / 3) sink += f().data[0]
  let calls = 0
  const t0 = performance.now()
  let t = t0
  while (t - t0 < budget) {
    for (let i = 0; i < 8; i++) sink += f().data[0]
    calls += 8
    t = performance.now()
  }
  const seconds = (t - t0) / 1000
  results.push({ name, n, k, m, callsPerSec: calls / seconds, gflops: (2 * n * k * m * calls) / seconds / 1e9, sink: Number.isFinite(sink) })
}
console.log(JSON.stringify({ workload: 'matmul', impl: 'pure-gan', kernels: api.kernelBackend(), results, versions: { node: process.version } }))
