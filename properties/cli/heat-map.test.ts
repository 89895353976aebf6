/**
 * The heat map of D through the command line: `pure-gan train` records D's output on the
 * run's grid at every snapshot of 2-column data (none with packing or other widths), draws
 * it in samples.svg and report.html, and `pure-gan verify` confirms such a record bit for bit
 * and names a changed grid value. In-process runs (2 epochs of 200 points).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { seedConfig } from '../../src/gan/config.js'
import { runInProcess } from '../support/cli-harness.js'
import { findAll, textContent, wellFormedHtml, wellFormedXml } from '../support/xml.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-heat-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const SHORT = ['--epochs', '2', '--data-size', '200', '--quiet']
let counter = 0
const train = (flags: ReadonlyArray<string>): string => {
  const out = join(work, `run-${++counter}`)
  const r = runInProcess(['train', ...SHORT, ...flags, '--out', out])
  expect(r, r.stderr).toMatchObject({ code: 0 })
  return out
}
const recordIn = (out: string) => JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
const criticGroups = (svg: string) => findAll(wellFormedXml(svg), (e) => e.attributes['class'] === 'critic')

describe('pure-gan train and verify with the heat map', () => {
  it('records the grid at every snapshot of a 2-column run, draws it in samples.svg and every frame of report.html, and verify confirms it', () => {
    const out = train([])
    const record = recordIn(out)
    expect(record.snapshots.map((s: { epoch: number }) => s.epoch)).toEqual([1, 2])
    for (const s of record.snapshots) {
      expect(Object.keys(s)).toEqual(['epoch', 'points', 'critic'])
      expect(s.critic.size).toBe(32)
      expect(s.critic.values).toHaveLength(1024)
      expect([s.critic.x, s.critic.y]).toEqual([record.snapshots[0].critic.x, record.snapshots[0].critic.y])
    }
    const samples = readFileSync(join(out, 'samples.svg'), 'utf8')
    expect(criticGroups(samples)).toHaveLength(1)
    const html = wellFormedHtml(readFileSync(join(out, 'report.html'), 'utf8'))
    const svgs = findAll(html, (e) => e.name === 'svg')
    expect(svgs.map((s) => findAll(s, (e) => e.attributes['class'] === 'critic').length)).toEqual([0, 1, 1, 1]) // loss plot, final scatter, 2 frames
    expect(runInProcess(['verify', join(out, 'run.json')])).toMatchObject({ code: 0 })
  })

  it('verify names a changed grid value (exit 1) and refuses a removed grid (exit 2)', () => {
    const out = train(['--seed', '5'])
    const record = recordIn(out)
    record.snapshots[1].critic.values[5] += 1e-9
    const tampered = join(work, 'tampered.json')
    writeFileSync(tampered, JSON.stringify(record, null, 1))
    const r = runInProcess(['verify', tampered])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^different: .* first differ at snapshots\[1\]\.critic\.values\[5\]: /)
    delete record.snapshots[0].critic
    writeFileSync(tampered, JSON.stringify(record, null, 1))
    expect(runInProcess(['verify', tampered])).toEqual({ code: 2, stdout: '', stderr: `pure-gan verify: ${tampered} is not a run record: snapshots[0].critic is missing\n` })
  })

  it('packing and 3-column data: no grid in run.json, a note in the report, and verify confirms the run', () => {
    const packed = train(['--pack', '2'])
    const three = join(work, 'three.json')
    writeFileSync(three, JSON.stringify({ ...seedConfig, data: { kind: 'affine-gaussian', size: 200, A: [[1, 0, 2], [0, 1, 0]], b: [0, 1, 2] }, generator: { layers: [{ units: 3, activation: { kind: 'identity' } }] } }))
    const wide = train(['--config', three])
    for (const [out, why] of [
      [packed, 'D reads packs of 2 points in this run'],
      [wide, "this run's data has 3 columns"],
    ] as const) {
      const record = recordIn(out)
      for (const s of record.snapshots) expect(Object.keys(s)).toEqual(['epoch', 'points'])
      expect(criticGroups(readFileSync(join(out, 'samples.svg'), 'utf8'))).toHaveLength(0)
      const html = wellFormedHtml(readFileSync(join(out, 'report.html'), 'utf8'))
      expect(findAll(html, (e) => e.attributes['class'] === 'critic')).toHaveLength(0)
      expect(findAll(html, (e) => e.attributes['class'] === 'note').map(textContent).join(' ')).toContain(why)
      expect(runInProcess(['verify', join(out, 'run.json')])).toMatchObject({ code: 0 })
    }
  })

  it("losses.svg draws the objective's reference levels: ln 2 for the seed's, 0 for WGAN-GP", () => {
    const references = (out: string) =>
      findAll(wellFormedXml(readFileSync(join(out, 'losses.svg'), 'utf8')), (e) => e.attributes['data-reference'] !== undefined).map((e) => e.attributes['data-reference'])
    expect(references(train([]))).toEqual(['ln 2'])
    expect(references(train(['--objective', 'wasserstein-gp', '--critic-steps', '5']))).toEqual(['0'])
  })
})
