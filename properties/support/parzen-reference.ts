/**
 * parzenLogLikelihood, parzenSigma and logspaceSigmas (src/metrics/parzen.ts) written out as
 * their doc comments state them, from plain arrays, and classifierScore
 * (src/metrics/classifier-score.ts) likewise. The properties compare the library with these
 * bit for bit.
 */
import { exp, log } from '../../src/elementary/index.js'

/** The double nearest ln(2π) (bc -l, scale 60: 1.8378770664093454835606594728112...). */
const LOG_2PI = 1.8378770664093456

/** log p(x) for each test row: M + log(S / n) − c, as the doc comment orders it. */
export const parzenRowsReference = (test: number[][], samples: number[][], sigma: number): number[] => {
  const d = test[0]!.length
  const t = 2 * sigma * sigma
  const c = d * log(sigma) + (d / 2) * LOG_2PI
  return test.map((x) => {
    const a = samples.map((s) => {
      let d2 = 0
      for (let k = 0; k < d; k++) d2 += (x[k]! - s[k]!) * (x[k]! - s[k]!)
      return -(d2 / t)
    })
    const mx = a.reduce((p, q) => (q > p ? q : p), -Infinity)
    if (mx === -Infinity) return -Infinity
    let s = 0
    for (const aj of a) s += exp(aj - mx)
    return mx + log(s / samples.length) - c
  })
}

export const parzenReference = (test: number[][], samples: number[][], sigma: number): { mean: number; standardError: number; perRow: number[] } => {
  const perRow = parzenRowsReference(test, samples, sigma)
  const m = perRow.length
  let sum = 0
  for (const r of perRow) sum += r
  const mean = sum / m
  if (mean === -Infinity) return { mean, standardError: NaN, perRow }
  let ss = 0
  for (const r of perRow) ss += (r - mean) * (r - mean)
  return { mean, standardError: Math.sqrt(ss / (m - 1)) / Math.sqrt(m), perRow }
}

export const parzenSigmaReference = (validation: number[][], samples: number[][], sigmas: number[]): { sigma: number; index: number; means: number[] } => {
  const means = sigmas.map((s) => {
    let sum = 0
    for (const r of parzenRowsReference(validation, samples, s)) sum += r
    return sum / validation.length
  })
  let index = 0
  for (let k = 1; k < means.length; k++) if (means[k]! > means[index]!) index = k
  return { sigma: sigmas[index]!, index, means }
}

export const logspaceReference = (lo: number, hi: number, count: number): number[] => {
  const LN10 = 2.302585092994046
  const out: number[] = []
  for (let k = 0; k < count; k++) {
    const y = (lo * (count - 1 - k) + hi * k) / (count - 1)
    if (Number.isInteger(y)) {
      let p = 1
      for (let i = 0; i < Math.abs(y); i++) p *= 10
      out.push(y < 0 ? 1 / p : p)
    } else out.push(exp(y * LN10))
  }
  return out
}

/** exp(max(0, (Σ_i Σ_{k: p_ik > 0} p_ik log(n p_ik / S_k)) / n)), S_k = Σ_i p_ik. */
export const classifierScoreReference = (p: number[][]): number => {
  const n = p.length
  const kk = p[0]!.length
  const sums: number[] = new Array<number>(kk).fill(0)
  for (const row of p) row.forEach((v, k) => (sums[k] = sums[k]! + v))
  let total = 0
  for (const row of p) {
    let kl = 0
    row.forEach((v, k) => {
      if (v > 0) kl += v * log((n * v) / sums[k]!)
    })
    total += kl
  }
  return exp(Math.max(0, total / n))
}
