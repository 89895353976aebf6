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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { arg, flag, headCommit, picture, pm, root, runSweeps, writeBetweenMarkers } from './pacgan-report.mjs'

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

const wallSeconds = runSweeps(out, sweeps.map((s) => ({ name: s.name, args: sweepArgs(s) })))

/** The row of a setting: its name in the table. */
const rowName = (values) => {
  const v = Object.fromEntries(values)
  if (v.objective !== undefined) return v.objective
  if (v.pack === undefined || v.pack === '1') return 'GAN (non-saturating)'
  return `PacGAN${v.pack}`
}

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

const commit = headCommit()
const sections = []
mkdirSync(join(root, 'docs/benchmarks'), { recursive: true })
for (const d of datasets) {
  const rows = sweeps.filter((s) => s.dataset === d && existsSync(join(out, s.name, 'sweep.json'))).flatMap(rowsOf)
  sections.push(table(d, rows))
  writeFileSync(join(root, `docs/benchmarks/${d}.svg`), picture(d, rows.map((r) => ({ title: `${r.name}${r.budget ? ` (${r.steps} steps)` : ''}`, state: r.firstState }))))
  sections.push(`![${d}: the samples of each row's first seed](benchmarks/${d}.svg)`)
}
const generated = [
  `Generated by \`node bench/benchmarks.mjs --seeds ${seeds} --epochs ${epochs} --data-size ${dataSize} --budget-epochs ${budgetEpochs}\` at commit ${commit}, Node ${process.version}; ${flag('collect') ? 'collected from finished sweeps' : `wall time ${(wallSeconds / 60).toFixed(1)} min with ${workers} workers`}.`,
  '',
  ...sections.flatMap((s) => [s, '']),
].join('\n')
console.log(generated)
if (!flag('no-write')) writeBetweenMarkers(join(root, 'docs/benchmarks.md'), 'table', generated)
