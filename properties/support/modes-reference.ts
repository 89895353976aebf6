/**
 * modeCoverage (src/metrics/modes.ts) written out as its doc comment states it, from plain
 * arrays: every distance first, then the nearest mode (lowest index on a tie), then the
 * histogram and PacGAN's KLD(p, q) with q uniform. The properties compare the library with
 * this bit for bit.
 */
import { log } from '../../src/elementary/index.js'

export type ModeCoverageReference = {
  samples: number
  highQuality: number
  highQualityFraction: number
  modesCovered: number
  counts: number[]
  reverseKl: number | null
}

export const modeCoverageReference = (samples: number[][], modes: number[][], std: number): ModeCoverageReference => {
  const counts = modes.map(() => 0)
  for (const x of samples) {
    const d2 = modes.map((m) => m.reduce((acc, mc, c) => acc + (x[c]! - mc) * (x[c]! - mc), 0))
    const nearest = d2.indexOf(Math.min(...d2))
    if (Math.sqrt(d2[nearest]!) <= 3 * std) counts[nearest]!++
  }
  const highQuality = counts.reduce((a, b) => a + b, 0)
  const q = 1 / modes.length
  const kl = counts.filter((c) => c > 0).reduce((acc, c) => acc + (c / highQuality) * log(c / highQuality / q), 0)
  return {
    samples: samples.length,
    highQuality,
    highQualityFraction: highQuality / samples.length,
    modesCovered: counts.filter((c) => c > 0).length,
    counts,
    reverseKl: highQuality === 0 ? null : Math.max(0, kl),
  }
}
