// The PacGAN table (issue 16, docs/benchmarks.md): PacGAN's 2-D setup (the presets
// pacgan-ring and pacgan-grid) with the non-saturating GAN, PacGAN2, PacGAN4, hinge,
// least-squares and WGAN-GP, over 10 seeds each at a step budget, through `pure-gan sweep`;
// then mean ± standard error of the run metrics of every row, one picture of each row's
// samples per dataset, and the table written between the markers of docs/benchmarks.md.
//
// usage: npm run build && node bench/benchmarks.mjs [--seeds 0..9] [--epochs 3] [--data-size 10000]
//          [--datasets ring,grid] [--workers 2] [--out runs/pacgan-table] [--budget-epochs 9]
//          [--collect] [--print-commands] [--no-write]
//
// --print-commands prints the sweep commands (to run them as a cluster's job arrays with
// --shard or SLURM_ARRAY_TASK_ID, then `pure-gan merge` each into the folder named here) and
// exits; --collect only reads the finished sweeps in --out and writes the table. A resumed
// command skips every finished run (the sweeps resume).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as api from '../dist/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = join(root, 'dist/cli/main.js')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : process.argv[i + 1]
}
const flag = (name) => process.argv.includes(`--${name}`)
const seeds = arg('seeds', '0..9')
const epochs = Number(arg('epochs', '3'))
const dataSize = Number(arg('data-size', '10000'))
const budgetEpochs = Number(arg('budget-epochs', String(3 * epochs)))
const datasets = arg('datasets', 'ring,grid').split(',')
const workers = arg('workers', '2')
const out = join(root, arg('out', 'runs/pacgan-table'))

/** The sweeps of the table: per dataset, packing (1, 2, 4) and the other objectives; the ring's GAN at a second budget. */
const sweeps = datasets.flatMap((d) => [
  { name: `${d}-pack`, dataset: d, args: ['--grid', 'pack=1,2,4'], epochs },
  { name: `${d}-objectives`, dataset: d, args: ['--grid', 'objective=hinge,least-squares,wasserstein-gp'], epochs },
  ...(d === datasets[0] ? [{ name: `${d}-budget`, dataset: d, args: [], epochs: budgetEpochs }] : []),
])
const sweepArgs = (s) => ['sweep', '--preset', `pacgan-${s.dataset}`, '--seeds', seeds, '--epochs', String(s.epochs), '--data-size', String(dataSize), ...s.args, '--workers', workers, '--out', join(out, s.name), '--quiet']

if (flag('print-commands')) {
  for (const s of sweeps) console.log(['pure-gan', ...sweepArgs(s)].join(' '))
  process.exit(0)
}

const started = Date.now()
if (!flag('collect')) {
  mkdirSync(out, { recursive: true })
  for (const s of sweeps) {
    const t0 = Date.now()
    const r = spawnSync(process.execPath, [main, ...sweepArgs(s)], { stdio: ['ignore', 'inherit', 'inherit'] })
    if (r.status !== 0) throw new Error(`${s.name}: pure-gan sweep exited with ${r.status}`)
    console.error(`${s.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`)
  }
}
const wallSeconds = (Date.now() - started) / 1000

/** The row of a setting: its name in the table. */
const rowName = (values) => {
  const v = Object.fromEntries(values)
  if (v.objective !== undefined) return v.objective
  if (v.pack === undefined || v.pack === '1') return 'GAN (non-saturating)'
  return `PacGAN${v.pack}`
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
const se = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length))
const pm = (xs, digits, scale = 1) => (xs.length === 0 ? '—' : `${(mean(xs) * scale).toFixed(digits)} ± ${(se(xs) * scale).toFixed(digits)}`)

/** Every row of one sweep folder: its name, steps, and per-seed metrics. */
const rowsOf = (s) => {
  const dir = join(out, s.name)
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'))
  return sweep.settings.map((setting) => {
    const runs = sweep.runs.filter((r) => r.config === setting.id)
    // a record holds its final state (tens of MB at this size): keep the metrics of each, the state of the first only
    let firstState
    const records = runs
      .filter((r) => r.status === 'finished')
      .map((r, i) => {
        const record = JSON.parse(readFileSync(join(dir, 'runs', setting.id, `seed-${r.seed}`, 'run.json'), 'utf8'))
        if (i === 0) firstState = record.finalState
        return { metrics: record.metrics, summary: { frechetDistance: record.summary.frechetDistance } }
      })
    const config = setting.config
    const steps = config.epochs * Math.ceil(config.data.size / config.batchSize)
    return { name: rowName(setting.values), budget: s.name.endsWith('-budget'), steps, runs: runs.length, finished: records.length, records, firstState }
  })
}

const table = (dataset, rows) => {
  const head = '| model | steps | runs | modes | HQ % | reverse KL | Fréchet | MMD p | C2ST accuracy |\n| --- | ---: | ---: | --- | --- | --- | --- | --- | --- |'
  const lines = rows.map((r) => {
    const m = r.records.map((x) => x.metrics)
    const kl = m.map((x) => x.modes.reverseKl).filter((x) => x !== null)
    const klText = `${pm(kl, 2)}${kl.length < m.length ? ` (${m.length - kl.length} without HQ points)` : ''}`
    return `| ${r.name} | ${r.steps} | ${r.finished}/${r.runs} | ${pm(m.map((x) => x.modes.modesCovered), 1)} | ${pm(m.map((x) => x.modes.highQualityFraction), 1, 100)} | ${klText} | ${pm(r.records.map((x) => x.summary.frechetDistance), 3)} | ${pm(m.map((x) => x.mmd.pValue), 3)} | ${pm(m.map((x) => x.classifier.accuracy), 3)} |`
  })
  return `### ${dataset === 'ring' ? 'Ring: 8 modes, std 0.01' : 'Grid: 25 modes, std 0.05'}\n\n${head}\n${lines.join('\n')}`
}

/** One SVG per dataset: per row, the modes (rings of radius 3 std) and 1000 samples of the first seed's final generator. */
const picture = (dataset, rows) => {
  const size = 220
  const pad = 24
  const span = dataset === 'ring' ? 1.5 : 5.5
  const px = (x) => pad + ((x + span) / (2 * span)) * size
  const py = (y) => pad + ((span - y) / (2 * span)) * size
  const cells = rows.map((r, i) => {
    const x0 = i * (size + 2 * pad)
    if (r.firstState === undefined) return ''
    const decoded = api.decodeStateJson(r.firstState)
    const state = decoded.right
    const [points] = api.sampleGenerator(state, api.runStreams(state.config.seed).evaluation, 1000)
    const spec = api.dataModes(state.config.data)
    const modes = api.toArrays(spec.modes).map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="${Math.max(2, (3 * spec.std * size) / (2 * span)).toFixed(1)}" fill="none" stroke="#0072b2" stroke-width="1"/>`)
    const dots = api.toArrays(points).filter(([x, y]) => Math.abs(x) <= span && Math.abs(y) <= span).map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="1" fill="#d55e00" fill-opacity="0.5"/>`)
    const title = `${r.name}${r.budget ? ` (${r.steps} steps)` : ''}`
    return `<g transform="translate(${x0},0)"><rect x="${pad}" y="${pad}" width="${size}" height="${size}" fill="#fff" stroke="#999"/>${modes.join('')}${dots.join('')}<text x="${pad + size / 2}" y="${pad - 8}" text-anchor="middle" font-size="13" font-family="sans-serif">${title}</text></g>`
  })
  const width = rows.length * (size + 2 * pad)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size + 2 * pad}" viewBox="0 0 ${width} ${size + 2 * pad}"><rect width="100%" height="100%" fill="#fff"/>${cells.join('')}</svg>\n`
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim()
const sections = []
mkdirSync(join(root, 'docs/benchmarks'), { recursive: true })
for (const d of datasets) {
  const rows = sweeps.filter((s) => s.dataset === d && existsSync(join(out, s.name, 'sweep.json'))).flatMap(rowsOf)
  sections.push(table(d, rows))
  writeFileSync(join(root, `docs/benchmarks/${d}.svg`), picture(d, rows))
  sections.push(`![${d}: the samples of each row's first seed](benchmarks/${d}.svg)`)
}
const generated = [
  `Generated by \`node bench/benchmarks.mjs --seeds ${seeds} --epochs ${epochs} --data-size ${dataSize} --budget-epochs ${budgetEpochs}\` at commit ${commit}, Node ${process.version}; ${flag('collect') ? 'collected from finished sweeps' : `wall time ${(wallSeconds / 60).toFixed(1)} min with ${workers} workers`}.`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n')
console.log(generated)
if (!flag('no-write')) {
  const path = join(root, 'docs/benchmarks.md')
  const doc = readFileSync(path, 'utf8')
  const begin = '<!-- table:begin -->'
  const end = '<!-- table:end -->'
  const i = doc.indexOf(begin)
  const j = doc.indexOf(end)
  if (i < 0 || j < i) throw new Error('docs/benchmarks.md has no table markers')
  writeFileSync(path, `${doc.slice(0, i + begin.length)}\n${generated}\n${doc.slice(j)}`)
}
