// The permutation tests' cost: permutationTest with mmd2Unbiased / energyDistance against
// mmdPermutationTest / energyPermutationTest, which give the same bits (checked here too).
//
//   npm run build && node bench/two-sample.mjs [--runs 3] [--b 200] [--d 2]
//
// For n = m = 250 and n = m = 500, d columns (x ~ N(0, I), y ~ N(0.5·1, I)), B permutations:
// the median wall time over the runs of each path (alternated, in one process, after one
// warm-up call of each at n = m = 50) and the ratio. Not a test: the numbers go to
// docs/metrics.md by hand.
import { parseArgs } from 'node:util'
import {
  energyDistance,
  energyPermutationTest,
  medianHeuristicBandwidth,
  mmd2Unbiased,
  mmdPermutationTest,
  normalMatrix,
  permutationTest,
  rngFromSeed,
} from '../dist/index.js'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, b: { type: 'string', default: '200' }, d: { type: 'string', default: '2' } },
})
const runs = Number(values.runs)
const B = Number(values.b)
const D = Number(values.d)

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const timed = (f) => {
  const t0 = performance.now()
  const r = f()
  return [r, performance.now() - t0]
}
const same = (a, b) => Object.is(a.statistic, b.statistic) && Object.is(a.pValue, b.pValue) && a.rng.state.join() === b.rng.state.join()

const samples = (n) => {
  const [x, r1] = normalMatrix(rngFromSeed(1), n, D)
  const [y, r2] = normalMatrix(r1, n, D, 0.5)
  return { x, y, rng: r2, h: medianHeuristicBandwidth(x, y) }
}

const cases = (s, b) => [
  ['MMD²', () => permutationTest(s.x, s.y, (p, q) => mmd2Unbiased(p, q, s.h), s.rng, b), () => mmdPermutationTest(s.x, s.y, s.h, s.rng, b)],
  ['energy', () => permutationTest(s.x, s.y, energyDistance, s.rng, b), () => energyPermutationTest(s.x, s.y, s.rng, b)],
]

for (const [, generic, fast] of cases(samples(50), 20)) {
  generic()
  fast()
}

console.log(`node ${process.version}, d = ${D}, B = ${B}, median of ${runs} runs`)
console.log('| n = m | statistic | permutationTest (ms) | specialised (ms) | speed-up | p-value | same bits |')
console.log('| ---: | --- | ---: | ---: | ---: | ---: | --- |')
for (const n of [250, 500]) {
  const s = samples(n)
  for (const [name, generic, fast] of cases(s, B)) {
    const tg = []
    const tf = []
    let ok = true
    let p = NaN
    for (let r = 0; r < runs; r++) {
      const [a, ta] = timed(generic)
      const [b, tb] = timed(fast)
      tg.push(ta)
      tf.push(tb)
      ok &&= same(a, b)
      p = b.pValue
    }
    const g = median(tg)
    const f = median(tf)
    console.log(`| ${n} | ${name} | ${g.toFixed(0)} | ${f.toFixed(1)} | ${(g / f).toFixed(1)}x | ${p.toFixed(4)} | ${ok ? 'yes' : 'NO'} |`)
  }
}
