// pure-gan's benchmark. Run it with `npm run bench` (which builds first).
//
//   node bench/run.mjs [--runs 5] [--steps 60] [--only seed,mnist,goodfellow,pacgan,matmul,heap]
//     the seed workload (examples/sec of a whole train(seedConfig), fresh process per run),
//     the MNIST-scale step (examples/sec after 10 warm-up steps, fresh process per run),
//     the step at Goodfellow et al. (2014)'s MNIST sizes (bench/goodfellow-once.mjs: examples/sec,
//     GFLOP/s of its products, the time of a 60 000-digit epoch; no baseline has these sizes),
//     the step of PacGAN's 2-D setup (bench/pacgan-once.mjs: steps/sec with packs of 1 and 2),
//     matmul throughput at the workloads' shapes, and the heap after GC over a 2000-epoch seed
//     run (bench/heap.mjs): medians with min and max, peak RSS, the Node version. Writes
//     bench/results/latest.json and bench/results/latest.md.
//
//   node bench/run.mjs --against ../shared/bench [--pairs 7] [--steps 60]
//     runs each workload alternately with its baseline (DIR/reference-seed-gan.mjs,
//     DIR/reference-mlp-gan-step.mjs), A B A B ..., and prints the ratio pure-gan / baseline
//     per pair and the median (and the peak-RSS ratio of the seed runs). Writes
//     bench/results/against.json and bench/results/against.md.
//
// Every measurement is a fresh `node` process; peak RSS comes from bench/rss-hook.mjs,
// preloaded into both pure-gan's workloads and the baselines.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = path.dirname(fileURLToPath(import.meta.url))
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    pairs: { type: 'string', default: '7' },
    steps: { type: 'string', default: '60' },
    against: { type: 'string' },
    only: { type: 'string' },
  },
})
const runs = Number(values.runs)
const pairs = Math.max(7, Number(values.pairs))
const steps = values.steps
const only = values.only === undefined ? null : new Set(values.only.split(','))
const wants = (w) => only === null || only.has(w)

const run = (script, args = [], nodeFlags = []) => {
  const r = spawnSync(process.execPath, [...nodeFlags, '--import', path.join(here, 'rss-hook.mjs'), script, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}):\n${r.stderr}`)
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1)
  const rss = /PEAK_RSS_KB (\d+)/.exec(r.stderr)
  return { ...JSON.parse(line), peakRssMB: rss ? Number(rss[1]) / 1024 : null }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2
}
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length })
const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const cpus = os.cpus()
const machine = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  cores: os.availableParallelism(),
  cpu: cpus[0]?.model ?? 'unknown',
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  totalMemGB: Math.round(os.totalmem() / 2 ** 30),
}
const header = `${machine.date.slice(0, 10)}, Node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.platform}`
mkdirSync(path.join(here, 'results'), { recursive: true })
const seedScript = path.join(here, 'seed-once.mjs')
const mnistScript = path.join(here, 'mnist-once.mjs')
const matmulScript = path.join(here, 'matmul-once.mjs')
const goodfellowScript = path.join(here, 'goodfellow-once.mjs')

/** Markdown rows for the Goodfellow-size step (fresh processes, 20 timed steps each). */
const goodfellow = (count) => {
  const rs = Array.from({ length: count }, () => run(goodfellowScript))
  const out = { examplesPerSec: stats(rs.map((r) => r.examplesPerSec)), gflops: stats(rs.map((r) => r.gflops)), epochSeconds: stats(rs.map((r) => r.epochSeconds)), peakRssMB: stats(rs.map((r) => r.peakRssMB)), raw: rs }
  const md = [
    '',
    "### Goodfellow et al. (2014)'s MNIST sizes (batch 100, G 100-1200-1200-784, D 784-240-240-1; 20 timed steps after 3 warm-up)",
    '',
    '| runs | examples/s (median, min–max) | GFLOP/s of the products | one epoch of 60 000 digits | peak RSS |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${count} | ${fmt(out.examplesPerSec.median)} (${fmt(out.examplesPerSec.min)}–${fmt(out.examplesPerSec.max)}) | ${fmt(out.gflops.median, 2)} | ${fmt(out.epochSeconds.median)} s | ${fmt(out.peakRssMB.median, 1)} MB |`,
  ]
  return { out, md }
}

/** Markdown rows for PacGAN's 2-D step (fresh processes, 20 timed steps each, packs 1 and 2). */
const pacgan = (count) => {
  const out = {}
  const md = ['', "### PacGAN's 2-D step (`--preset pacgan-ring`: batch 100, G 2-4x(400 bn relu)-2, D 3x maxout 200x5-1; 20 timed steps after 3 warm-up)", '', "| pack | runs | steps/s (median, min–max) | the paper's 400 000 steps | peak RSS |", '| ---: | ---: | ---: | ---: | ---: |']
  for (const pack of [1, 2]) {
    const rs = Array.from({ length: count }, () => run(path.join(here, 'pacgan-once.mjs'), ['--pack', String(pack)]))
    const r = { stepsPerSec: stats(rs.map((x) => x.stepsPerSec)), peakRssMB: stats(rs.map((x) => x.peakRssMB)), raw: rs }
    out[`pack${pack}`] = r
    md.push(`| ${pack} | ${count} | ${fmt(r.stepsPerSec.median, 2)} (${fmt(r.stepsPerSec.min, 2)}–${fmt(r.stepsPerSec.max, 2)}) | ${fmt(400_000 / r.stepsPerSec.median / 3600, 1)} h | ${fmt(r.peakRssMB.median, 1)} MB |`)
  }
  return { out, md }
}

if (values.against === undefined) {
  const out = { machine, runs, steps: Number(steps) }
  const md = [`pure-gan benchmark, ${header}`, '']
  if (wants('seed') || wants('mnist')) {
    md.push('| workload | median | min | max | runs | peak RSS (median) |', '| --- | ---: | ---: | ---: | ---: | ---: |')
  }
  if (wants('seed')) {
    const rs = Array.from({ length: runs }, () => run(seedScript))
    out.seed = { examplesPerSec: stats(rs.map((r) => r.examplesPerSec)), peakRssMB: stats(rs.map((r) => r.peakRssMB)), raw: rs }
    const s = out.seed.examplesPerSec
    md.push(`| seed GAN, train(seedConfig), examples/s | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${s.n} | ${fmt(out.seed.peakRssMB.median, 1)} MB |`)
  }
  if (wants('mnist')) {
    const rs = Array.from({ length: runs }, () => run(mnistScript, ['--steps', steps]))
    out.mnist = { examplesPerSec: stats(rs.map((r) => r.examplesPerSec)), peakRssMB: stats(rs.map((r) => r.peakRssMB)), raw: rs }
    const s = out.mnist.examplesPerSec
    md.push(`| MNIST-scale step (${steps} steps), examples/s | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} | ${s.n} | ${fmt(out.mnist.peakRssMB.median, 1)} MB |`)
  }
  if (wants('goodfellow')) {
    const g = goodfellow(Math.min(runs, 3))
    out.goodfellow = g.out
    md.push(...g.md)
  }
  if (wants('pacgan')) {
    const p = pacgan(Math.min(runs, 3))
    out.pacgan = p.out
    md.push(...p.md)
  }
  if (wants('matmul')) {
    const rs = Array.from({ length: 3 }, () => run(matmulScript))
    out.matmul = rs[0].results.map((c, i) => ({ name: c.name, n: c.n, k: c.k, m: c.m, gflops: stats(rs.map((r) => r.results[i].gflops)) }))
    md.push('', '| product (n·k·m) | GFLOP/s median | min | max |', '| --- | ---: | ---: | ---: |')
    for (const c of out.matmul) {
      md.push(`| \`${c.name.replace(/ +/g, ' ')}\` | ${fmt(c.gflops.median, 2)} | ${fmt(c.gflops.min, 2)} | ${fmt(c.gflops.max, 2)} |`)
    }
  }
  if (wants('heap')) {
    const h = run(path.join(here, 'heap.mjs'), ['--epochs', '2000', '--every', '100'], ['--expose-gc'])
    out.heap = { epochs: h.epochs, train: h.train, stateOnly: h.stateOnly, peakRssMB: h.peakRssMB }
    const row = (name, r) =>
      `| ${name} | ${r.firstHeapUsedMB.toFixed(3)} MB | ${r.lastHeapUsedMB.toFixed(3)} MB | ${r.heapUsedSlopeMBPer1000Epochs.toFixed(4)} MB |`
    md.push('', `Heap used after a full GC, sampled every 100 epochs of a ${h.epochs}-epoch seed run (bench/heap.mjs):`, '')
    md.push('| run | at epoch 100 | at the end | slope per 1000 epochs |', '| --- | ---: | ---: | ---: |')
    md.push(row('`train(...)` (keeps the history: one report per epoch)', h.train))
    md.push(row('`trainEpoch` loop keeping only the state', h.stateOnly))
  }
  writeFileSync(path.join(here, 'results', 'latest.json'), JSON.stringify(out, null, 2) + '\n')
  writeFileSync(path.join(here, 'results', 'latest.md'), md.join('\n') + '\n')
  console.log(md.join('\n'))
} else {
  const dir = path.resolve(values.against)
  const out = { machine, pairs, steps: Number(steps), against: dir }
  const md = [`pure-gan against the baselines in ${values.against}, ${header}`, '']
  const alternate = (name, ours, theirs) => {
    const rows = []
    for (let p = 0; p < pairs; p++) {
      const a = ours()
      const b = theirs()
      rows.push({ pair: p + 1, pureGan: a.examplesPerSec, baseline: b.examplesPerSec, ratio: a.examplesPerSec / b.examplesPerSec, pureGanRssMB: a.peakRssMB, baselineRssMB: b.peakRssMB, rssRatio: a.peakRssMB / b.peakRssMB })
      process.stderr.write(`${name} pair ${p + 1}: ${fmt(a.examplesPerSec)} / ${fmt(b.examplesPerSec)} = ${a.examplesPerSec / b.examplesPerSec}\n`)
    }
    const ratio = stats(rows.map((r) => r.ratio))
    const rssRatio = stats(rows.map((r) => r.rssRatio))
    md.push(`### ${name}`, '', '| pair | pure-gan ex/s | baseline ex/s | ratio | pure-gan peak RSS | baseline peak RSS | RSS ratio |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const r of rows) {
      md.push(`| ${r.pair} | ${fmt(r.pureGan)} | ${fmt(r.baseline)} | ${r.ratio.toFixed(3)} | ${fmt(r.pureGanRssMB, 1)} MB | ${fmt(r.baselineRssMB, 1)} MB | ${r.rssRatio.toFixed(3)} |`)
    }
    md.push(`| **median** | ${fmt(median(rows.map((r) => r.pureGan)))} | ${fmt(median(rows.map((r) => r.baseline)))} | **${ratio.median.toFixed(3)}** (min ${ratio.min.toFixed(3)}, max ${ratio.max.toFixed(3)}) | | | **${rssRatio.median.toFixed(3)}** |`, '')
    return { rows, ratio, rssRatio }
  }
  if (wants('seed')) {
    out.seed = alternate('seed GAN (examples/s of the whole training run)', () => run(seedScript), () => run(path.join(dir, 'reference-seed-gan.mjs'), ['--seed', '0']))
  }
  if (wants('mnist')) {
    out.mnist = alternate(`MNIST-scale step (${steps} timed steps after 10 warm-up)`, () => run(mnistScript, ['--steps', steps]), () => run(path.join(dir, 'reference-mlp-gan-step.mjs'), ['--steps', steps]))
  }
  if (wants('goodfellow')) {
    const g = goodfellow(3)
    out.goodfellow = g.out
    md.push(...g.md.slice(1), '')
  }
  writeFileSync(path.join(here, 'results', 'against.json'), JSON.stringify(out, null, 2) + '\n')
  writeFileSync(path.join(here, 'results', 'against.md'), md.join('\n') + '\n')
  console.log(md.join('\n'))
}
