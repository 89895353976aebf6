// The sweep's parallel speed-up (issue 15, "Speed"): the seed sweep over 40 seeds with 1 and
// with 2 workers, each into a fresh folder, alternating the order over `pairs` pairs; prints
// runs per minute for each and the ratio of 2 workers to 1 (median over the pairs), and checks
// that both wrote the same sweep.json. Run on a quiet machine (2 cores here).
// usage: npm run build && node bench/sweep.mjs [pairs] [seeds] [--run-reports]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
const pairs = Number(process.argv[2] ?? 3)
const seeds = Number(process.argv[3] ?? 40)
const extra = process.argv.includes('--run-reports') ? ['--run-reports'] : []

/** One sweep of the seed config over `seeds` seeds with `workers` workers: wall seconds and sweep.json. */
const sweep = (workers) => {
  const out = mkdtempSync(join(tmpdir(), 'pure-gan-bench-sweep-'))
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [main, 'sweep', '--seeds', `0..${seeds - 1}`, '--workers', String(workers), ...extra, '--out', out, '--quiet'], { encoding: 'utf8' })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`sweep with ${workers} workers failed: ${r.stderr}`)
  const json = readFileSync(join(out, 'sweep.json'), 'utf8')
  rmSync(out, { recursive: true, force: true })
  return { seconds, json }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ratios = []
const rates = { 1: [], 2: [] }
for (let p = 0; p < pairs; p++) {
  const order = p % 2 === 0 ? [1, 2] : [2, 1]
  const got = {}
  for (const w of order) got[w] = sweep(w)
  if (got[1].json !== got[2].json) throw new Error('1 and 2 workers wrote different sweep.json')
  for (const w of [1, 2]) rates[w].push((seeds / got[w].seconds) * 60)
  ratios.push(got[1].seconds / got[2].seconds)
  console.log(`pair ${p + 1}: 1 worker ${got[1].seconds.toFixed(2)} s, 2 workers ${got[2].seconds.toFixed(2)} s, ratio ${(got[1].seconds / got[2].seconds).toFixed(3)}`)
}
console.log(`seed sweep over ${seeds} seeds${extra.length > 0 ? ' (with --run-reports)' : ''}, ${pairs} pairs, Node ${process.version}: 1 worker ${median(rates[1]).toFixed(1)} runs/min, 2 workers ${median(rates[2]).toFixed(1)} runs/min, ratio ${median(ratios).toFixed(3)} (median; identical sweep.json)`)
