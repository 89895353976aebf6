// What bench/benchmarks.mjs and bench/beyond.mjs share: mean ± standard error over seeds, a
// picture of each row's samples on the ring or the grid, and writing a generated section
// between two markers of docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs'
import * as api from '../dist/index.js'

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
