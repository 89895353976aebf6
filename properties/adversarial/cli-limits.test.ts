/**
 * The config-level refusals through the command line: a run.json whose config carries a key
 * the optimiser would have taken (adam.learningRate, which once overrode both learning rates
 * on the re-run and made verify answer "different"), or layers too wide to run, and flag
 * combinations past the resource limits. Each is exit 2 with one line that names the field,
 * before any training, within a memory cap.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasStackTrace, isOneLine, runBuilt, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-cli-limits-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Json = { [key: string]: unknown }
let record: Json
beforeAll(() => {
  const out = join(work, 'run')
  expect(runInProcess(['train', '--epochs', '1', '--data-size', '16', '--batch-size', '4', '--quiet', '--out', out]).code).toBe(0)
  record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as Json
})

/** A copy of the record with `edit` applied to its config and to its final state's config. */
const withConfig = (edit: (c: Json) => Json): Json => {
  const r = JSON.parse(JSON.stringify(record)) as Json
  r['config'] = edit(r['config'] as Json)
  const state = r['finalState'] as Json
  state['config'] = edit(state['config'] as Json)
  return r
}

const verifyRecord = (name: string, r: Json) => {
  const path = join(work, name)
  writeFileSync(path, JSON.stringify(r))
  return runBuilt(['verify', path], { timeoutMs: 20_000, maxOldSpaceMb: 256 })
}

describe('verify refuses configs the library refuses (exit 2, one line)', () => {
  it('adam.learningRate in the recorded config: exit 2 naming the field, not "different"', () => {
    const r = verifyRecord('lr.json', withConfig((c) => ({ ...c, adam: { ...(c['adam'] as Json), learningRate: 0.5 } })))
    expect(r.code).toBe(2)
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr).toContain('adam.learningRate')
    expect(r.stdout).toBe('')
    expect(hasStackTrace(r)).toBe(false)
  })

  it('hidden layers of 100 000 units (10^10 weights): exit 2 naming the parameter limit, at once, within 256 MB of heap', () => {
    const wide = (c: Json): Json => ({
      ...c,
      discriminator: { layers: [{ units: 100000, activation: { kind: 'tanh' } }, { units: 100000, activation: { kind: 'tanh' } }, { units: 1, activation: { kind: 'identity' } }] },
    })
    const r = verifyRecord('wide.json', withConfig(wide))
    expect([r.code, r.signal]).toEqual([2, null])
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr).toMatch(/parameters/)
    expect(hasStackTrace(r)).toBe(false)
  })
})

describe('train refuses flag combinations past the resource limits', () => {
  it('--data-size 10000000 --latent-dim 100000 (10^12 noise entries per epoch): exit 2, one line, nothing written', () => {
    const out = join(work, 'too-big')
    const r = runInProcess(['train', '--data-size', '10000000', '--latent-dim', '100000', '--out', out])
    expect(r.code).toBe(2)
    expect(isOneLine(r.stderr)).toBe(true)
    expect(r.stderr).toMatch(/^pure-gan train: these settings cannot run: /)
    expect(r.stderr).toMatch(/latentDim/)
    expect(hasStackTrace(r)).toBe(false)
  })
})
