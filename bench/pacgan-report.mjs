// What bench/benchmarks.mjs and bench/beyond.mjs share: their flags, running their sweeps
// (or printing them for a cluster), mean ± standard error over seeds, a picture of each row's
// samples on the ring or the grid, and writing a generated section between two markers of
// docs/benchmarks.md.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as api from '../dist/index.js'

/** The repository's root folder. */
export const root = fileURLToPath(new URL('..', import.meta.url))
/** The value after `--name` on the command line, or `fallback`. */
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i < 0 ? fallback : process.argv[i + 1]
}
/** Whether `--name` is on the command line. */
export const flag = (name) => process.argv.includes(`--${name}`)
/** The short hash of the checked-out commit. */
export const headCommit = () => spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim()

/**
 * The sweeps `[{ name, args }]` (each `pure-gan sweep` with `args`): with --print-commands,
 * prints their command lines (arguments holding `&`, `<` or `>` quoted for a shell) and exits;
 * with --collect, runs nothing; otherwise runs them one after the other into `out`, each
 * resuming what it finds there, and says each one's wall time. Returns the wall time in seconds.
 */
export const runSweeps = (out, sweeps) => {
  if (flag('print-commands')) {
    for (const s of sweeps) console.log(['pure-gan', ...s.args.map((a) => (/[&<>]/.test(a) ? `'${a}'` : a))].join(' '))
    process.exit(0)
  }
  const started = Date.now()
  if (!flag('collect')) {
    mkdirSync(out, { recursive: true })
    for (const s of sweeps) {
      const t0 = Date.now()
      const r = spawnSync(process.execPath, [join(root, 'dist/cli/main.js'), ...s.args], { stdio: ['ignore', 'inherit', 'inherit'] })
      if (r.status !== 0) throw new Error(`${s.name}: pure-gan sweep exited with ${r.status}`)
      console.error(`${s.name}: ${((Date.now() - t0) / 1000).toFixed(0)} s`)
    }
  }
  return (Date.now() - started) / 1000
}

export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length
export const se = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length))
/** `mean ± se` of xs (times scale) with `digits` decimals; `—` for no values. */
export const pm = (xs, digits, scale = 1) => (xs.length === 0 ? '—' : `${(mean(xs) * scale).toFixed(digits)} ± ${(se(xs) * scale).toFixed(digits)}`)

/**
 * One SVG of panels, one per row ({ title, state: an encoded final state or undefined }): the
 * dataset's modes (circles of radius 3 std) and 1000 samples of the state's generator from its
 * evaluation stream.
 */
export const picture = (dataset, rows) => {
  const size = 220
  const pad = 24
  const span = dataset === 'ring' ? 1.5 : 5.5
  const px = (x) => pad + ((x + span) / (2 * span)) * size
  const py = (y) => pad + ((span - y) / (2 * span)) * size
  const cells = rows.map((r, i) => {
    const x0 = i * (size + 2 * pad)
    if (r.state === undefined) return ''
    const state = api.decodeStateJson(r.state).right
    const [points] = api.sampleGenerator(state, api.runStreams(state.config.seed).evaluation, 1000)
    const spec = api.dataModes(state.config.data)
    const modes = api.toArrays(spec.modes).map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="${Math.max(2, (3 * spec.std * size) / (2 * span)).toFixed(1)}" fill="none" stroke="#0072b2" stroke-width="1"/>`)
    const dots = api.toArrays(points).filter(([x, y]) => Math.abs(x) <= span && Math.abs(y) <= span).map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="1" fill="#d55e00" fill-opacity="0.5"/>`)
    return `<g transform="translate(${x0},0)"><rect x="${pad}" y="${pad}" width="${size}" height="${size}" fill="#fff" stroke="#999"/>${modes.join('')}${dots.join('')}<text x="${pad + size / 2}" y="${pad - 8}" text-anchor="middle" font-size="13" font-family="sans-serif">${r.title}</text></g>`
  })
  const width = rows.length * (size + 2 * pad)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${size + 2 * pad}" viewBox="0 0 ${width} ${size + 2 * pad}"><rect width="100%" height="100%" fill="#fff"/>${cells.join('')}</svg>\n`
}

/** Replaces what lies between `<!-- NAME:begin -->` and `<!-- NAME:end -->` in the file at path. */
export const writeBetweenMarkers = (path, name, text) => {
  const doc = readFileSync(path, 'utf8')
  const begin = `<!-- ${name}:begin -->`
  const end = `<!-- ${name}:end -->`
  const i = doc.indexOf(begin)
  const j = doc.indexOf(end)
  if (i < 0 || j < i) throw new Error(`${path} has no ${name} markers`)
  writeFileSync(path, `${doc.slice(0, i + begin.length)}\n${text}\n${doc.slice(j)}`)
}
