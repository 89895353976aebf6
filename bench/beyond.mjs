// Beyond the table (issue 16, docs/benchmarks.md): the candidate configuration (the presets
// pacgan2-ttur-ring and pacgan2-ttur-grid: PacGAN's networks and data with PacGAN2, Adam β1 0.5,
// learning rates 1e-3 for D and 2e-4 for G) over 20 seeds per dataset through `pure-gan sweep`,
// judged by the issue's criteria: all 8 ring modes with at least 98 % high-quality samples,
// all 25 grid modes. Writes the success rates (95 % Wilson intervals), the metrics per seed,
// and a picture of the best, median and worst seed per dataset between the `beyond` markers
// of docs/benchmarks.md.
//
// usage: npm run build && node bench/beyond.mjs [--seeds 0..19] [--ring-epochs 40] [--grid-epochs 10]
//          [--data-size 10000] [--datasets ring,grid] [--workers 2] [--out runs/beyond]
//          [--collect] [--print-commands] [--no-write]
//
// --no-write prints the section without writing it or its pictures; --collect and
// --print-commands as in bench/benchmarks.mjs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { picture, pm, writeBetweenMarkers } from './pacgan-report.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const main = join(root, 'dist/cli/main.js')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : process.argv[i + 1]
}
const flag = (name) => process.argv.includes(`--${name}`)
const seeds = arg('seeds', '0..19')
const dataSize = Number(arg('data-size', '10000'))
const datasets = arg('datasets', 'ring,grid').split(',')
const workers = arg('workers', '2')
const out = join(root, arg('out', 'runs/beyond'))
const epochs = { ring: Number(arg('ring-epochs', '40')), grid: Number(arg('grid-epochs', '10')) }
const success = { ring: 'modes>=8&hq>=0.98', grid: 'modes>=25' }
const sweepArgs = (d) => ['sweep', '--preset', `pacgan2-ttur-${d}`, '--seeds', seeds, '--epochs', String(epochs[d]), '--data-size', String(dataSize), '--success', success[d], '--workers', workers, '--out', join(out, d), '--quiet']

if (flag('print-commands')) {
  for (const d of datasets) console.log(['pure-gan', ...sweepArgs(d).map((a) => (/[&<>]/.test(a) ? `'${a}'` : a))].join(' '))
  process.exit(0)
}

const started = Date.now()
if (!flag('collect')) {
  mkdirSync(out, { recursive: true })
  for (const d of datasets) {
    const r = spawnSync(process.execPath, [main, ...sweepArgs(d)], { stdio: ['ignore', 'inherit', 'inherit'] })
    if (r.status !== 0) throw new Error(`${d}: pure-gan sweep exited with ${r.status}`)
  }
}
const wallSeconds = (Date.now() - started) / 1000

const percent = (x) => `${(100 * x).toFixed(1)} %`
const section = (d) => {
  const dir = join(out, d)
  const sweep = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'))
  const setting = sweep.settings[0]
  const runs = sweep.runs.filter((r) => r.status === 'finished').sort((a, b) => a.seed - b.seed)
  const steps = setting.config.epochs * Math.ceil(setting.config.data.size / setting.config.batchSize)
  const modes = d === 'ring' ? 8 : 25
  const all = runs.filter((r) => r.modes === modes)
  const byHq = [...runs].sort((a, b) => b.hq - a.hq || a.seed - b.seed)
  const hqs = byHq.map((r) => r.hq)
  const picked = [['best', byHq[0]], ['median', byHq[(byHq.length - 1) >> 1]], ['worst', byHq.at(-1)]]
  const stateOf = (r) => JSON.parse(readFileSync(join(dir, 'runs', setting.id, `seed-${r.seed}`, 'run.json'), 'utf8')).finalState
  if (!flag('no-write')) writeFileSync(join(root, `docs/benchmarks/beyond-${d}.svg`), picture(d, picked.map(([name, r]) => ({ title: `${name} HQ: seed ${r.seed}, ${r.modes} modes, ${percent(r.hq)}`, state: stateOf(r) }))))
  const [lo, hi] = setting.interval
  return [
    `### ${d === 'ring' ? 'Ring' : 'Grid'}: \`--preset pacgan2-ttur-${d}\`, ${steps} steps, success \`${sweep.success}\``,
    '',
    '| runs | successes | rate (95 % Wilson) | seeds with all modes | modes | HQ % | HQ % min / median / max | reverse KL | Fréchet | MMD p |',
    '| ---: | ---: | --- | ---: | --- | --- | --- | --- | --- | --- |',
    `| ${runs.length}/${setting.runs} | ${setting.successes} | ${percent(setting.successRate)} (${percent(lo)} to ${percent(hi)}) | ${all.length} | ${pm(runs.map((r) => r.modes), 1)} | ${pm(hqs, 1, 100)} | ${(100 * hqs.at(-1)).toFixed(1)} / ${(100 * hqs[(hqs.length - 1) >> 1]).toFixed(1)} / ${(100 * hqs[0]).toFixed(1)} | ${pm(runs.map((r) => r.reverseKl).filter((x) => x !== null), 2)} | ${pm(runs.map((r) => r.frechet), 3)} | ${pm(runs.map((r) => r.mmdP), 3)} |`,
    '',
    `Per seed (modes / HQ %): ${runs.map((r) => `${r.seed}: ${r.modes} / ${(100 * r.hq).toFixed(1)}`).join('; ')}.`,
    '',
    `![${d}: the seeds with the best, median and worst HQ](benchmarks/beyond-${d}.svg)`,
  ].join('\n')
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim()
const present = datasets.filter((d) => existsSync(join(out, d, 'sweep.json')))
const generated = [
  `Generated by \`node bench/beyond.mjs --seeds ${seeds} --ring-epochs ${epochs.ring} --grid-epochs ${epochs.grid} --data-size ${dataSize}\` at commit ${commit}, Node ${process.version}; ${flag('collect') ? 'collected from finished sweeps' : `wall time ${(wallSeconds / 60).toFixed(1)} min with ${workers} workers`}.`,
  '',
  ...present.flatMap((d) => [section(d), '']),
].join('\n')
console.log(generated)
if (!flag('no-write')) writeBetweenMarkers(join(root, 'docs/benchmarks.md'), 'beyond', generated)
