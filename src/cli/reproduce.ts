#!/usr/bin/env node
/**
 * `npm run reproduce`: trains the seed configuration for seeds 0..19 (or `--seeds A..B`) and
 * prints docs/reproduction.md's table: final losses, the generated mean and covariance
 * (10 000 samples from the evaluation stream), and the Fréchet distances to the true
 * Gaussian and to the Gaussian fitted to the run's 1000 real points.
 *
 * @module
 */
import { parseArgs } from 'node:util'
import { frechetDistance, relativeFrobeniusError, sampleCovariance, sampleMean } from '../metrics/gaussian.js'
import { fromArrays, rowVector } from '../matrix/index.js'
import { seedConfig } from '../gan/config.js'
import { summarizeGenerator } from '../gan/evaluate.js'
import { runData } from '../gan/state.js'
import { train } from '../gan/train.js'

const usage = 'usage: reproduce [--seeds FIRST..LAST]   (seeds are integers in 0..4294967295, FIRST <= LAST)'

const parseSeeds = (text: string): readonly [number, number] => {
  const m = /^(\d+)\.\.(\d+)$/.exec(text)
  const a = m ? Number(m[1]) : NaN
  const b = m ? Number(m[2]) : NaN
  if (!m || !(a <= b) || b > 4294967295) {
    process.stderr.write(`reproduce: --seeds must look like FIRST..LAST, got "${text}"\n${usage}\n`)
    process.exit(2)
  }
  return [a, b]
}

const main = (): void => {
  let values: { seeds?: string | undefined }
  try {
    values = parseArgs({ options: { seeds: { type: 'string', default: '0..19' } } }).values
  } catch (e) {
    process.stderr.write(`reproduce: ${(e as Error).message}\n${usage}\n`)
    process.exit(2)
  }
  const [first, last] = parseSeeds(values.seeds ?? '0..19')
  const f = (x: number, d = 3): string => x.toFixed(d)
  const lines: string[] = [
    '| seed | loss_D | loss_G | mean | covariance | max \\|mean - b\\| | cov. rel. error | FD to truth | FD to data |',
    '| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |',
  ]
  let under = 0
  let worstMean = 0
  let worstCov = 0
  const fds: number[] = []
  for (let seed = first; seed <= last; seed++) {
    const config = { ...seedConfig, seed }
    const { state, history } = train(config)
    const final = history[history.length - 1]!
    const s = summarizeGenerator(state)
    const data = runData(config)
    const fdData = frechetDistance(rowVector(s.mean), fromArrays(s.covariance), sampleMean(data), sampleCovariance(data))
    if (s.frechetDistance < 0.1) under++
    fds.push(s.frechetDistance)
    const c = s.covariance
    const meanDev = Math.max(...s.mean.map((m, j) => Math.abs(m - s.trueMean[j]!)))
    const covErr = relativeFrobeniusError(fromArrays(s.covariance), fromArrays(s.trueCovariance))
    worstMean = Math.max(worstMean, meanDev)
    worstCov = Math.max(worstCov, covErr)
    lines.push(
      `| ${seed} | ${f(final.lossD, 4)} | ${f(final.lossG, 4)} | [${s.mean.map((x) => f(x)).join(', ')}] | ` +
        `[[${f(c[0]![0]!)}, ${f(c[0]![1]!)}], [${f(c[1]![0]!)}, ${f(c[1]![1]!)}]] | ${f(meanDev)} | ${f(covErr)} | ${f(s.frechetDistance, 4)} | ${f(fdData, 4)} |`,
    )
  }
  const sorted = [...fds].sort((a, b) => a - b)
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!
  lines.push('')
  lines.push(
    `Seeds ${first}..${last}: Fréchet distance to the true Gaussian under 0.1 for ${under} of ${fds.length}; ` +
      `median ${f(median, 4)}, max ${f(sorted[sorted.length - 1]!, 4)}. ` +
      `Largest mean deviation ${f(worstMean)}, largest relative covariance error ${f(worstCov)}.`,
  )
  process.stdout.write(lines.join('\n') + '\n')
}

main()
