/**
 * Every epoch count a run accepts reaches a report: the loss plot of a history far longer
 * than any argument list (the plot once spread the whole history into Math.min and threw a
 * RangeError above about 62 500 epochs) is drawn, bounded in size, as the envelope of both
 * curves, and so is the HTML report that embeds it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EpochReport } from '../../src/gan/index.js'
import { MAX_MARKED_EPOCHS, lossPlotSvg } from '../../src/report/index.js'
import { findAll, wellFormedXml } from '../support/xml.js'

/** `n` epochs of losses from a deterministic wobble around ln 2, with one spike of each sign per network. */
const longHistory = (n: number, spikeAt: number): EpochReport[] =>
  Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    lossD: i === spikeAt ? 9 : 0.69 + 0.01 * (((i * 7919) % 101) / 101),
    lossG: i === spikeAt + 1 ? 0.001 : 0.7 + 0.02 * (((i * 104729) % 97) / 97),
    examples: 1,
  }))

const polylinePoints = (svg: string, name: string): Array<[number, number]> => {
  const root = wellFormedXml(svg)
  const [line] = findAll(root, (e) => e.name === 'polyline' && e.attributes['data-series'] === name)
  expect(line?.attributes['data-decimated']).toBe('min-max')
  return (line?.attributes['points'] ?? '').split(' ').map((p) => p.split(',').map(Number) as [number, number])
}

describe('lossPlotSvg on long histories', () => {
  it('draws 100 000 epochs without markers, in a bounded size, as one polyline per curve in epoch order', () => {
    const history = longHistory(100_000, 41_234)
    const svg = lossPlotSvg(history)
    expect(svg.length).toBeLessThan(200_000)
    const root = wellFormedXml(svg)
    expect(findAll(root, (e) => e.name === 'circle' && e.attributes['data-epoch'] !== undefined)).toHaveLength(0)
    for (const name of ['generator', 'discriminator']) {
      const points = polylinePoints(svg, name)
      expect(points.length).toBeLessThanOrEqual(4 * 640)
      for (let i = 1; i < points.length; i++) expect(points[i]![0]).toBeGreaterThanOrEqual(points[i - 1]![0])
    }
  })

  it('keeps every pixel column’s extremes: the spikes of both curves are drawn', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_MARKED_EPOCHS + 1, max: 20_000 }), fc.nat(), (n, at) => {
        const spikeAt = at % (n - 1)
        const svg = lossPlotSvg(longHistory(n, spikeAt))
        // D's spike (9) is the highest loss: the top of the data area; G's (0.001) the lowest: the bottom.
        const d = polylinePoints(svg, 'discriminator').map((p) => p[1])
        const g = polylinePoints(svg, 'generator').map((p) => p[1])
        const yOfD = Math.min(...d)
        const yOfG = Math.max(...g)
        const all = [...d, ...g]
        expect(yOfD).toBe(Math.min(...all))
        expect(yOfG).toBe(Math.max(...all))
      }),
    )
  })

  it('draws exactly MAX_MARKED_EPOCHS epochs point by point, with a marker each', () => {
    const history = longHistory(MAX_MARKED_EPOCHS, 3)
    const root = wellFormedXml(lossPlotSvg(history))
    expect(findAll(root, (e) => e.name === 'circle' && e.attributes['data-epoch'] !== undefined)).toHaveLength(2 * MAX_MARKED_EPOCHS)
  })
})
