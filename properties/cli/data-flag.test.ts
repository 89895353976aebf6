/**
 * `--data` on the command line: every named dataset trains and records its filled-in
 * config; `csv:PATH` reads the user's numbers; every bad file is one line naming the file,
 * the line and the column, exit code 2, and nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hasStackTrace, isOneLine, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-data-flag-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
let counter = 0
const freshDir = (): string => join(work, `out-${++counter}`)
const file = (name: string, text: string): string => {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

const SHORT = ['--epochs', '1', '--data-size', '200', '--quiet']

describe('pure-gan train --data', () => {
  it.each([
    ['ring8', { kind: 'ring8', size: 200, std: 0.01 }],
    ['grid25', { kind: 'grid25', size: 200, std: 0.05 }],
    ['swissroll', { kind: 'swissroll', size: 200, noise: 0.25, scale: 7.5 }],
    ['moons', { kind: 'moons', size: 200, noise: 0.1 }],
  ])('--data %s trains and records the dataset with its defaults, and mode coverage where the data has modes', (name, data) => {
    const out = freshDir()
    const r = runInProcess(['train', '--data', name, ...SHORT, '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config.data).toEqual(data)
    expect(record.metrics.modes !== undefined).toBe(name === 'ring8' || name === 'grid25')
    expect(record.metrics.mmd.permutations).toBe(200)
  })

  it('--data seed-gaussian is the default data, and --data-size may come before or after --data', () => {
    const a = freshDir()
    const b = freshDir()
    expect(runInProcess(['train', ...SHORT, '--out', a]).code).toBe(0)
    expect(runInProcess(['train', '--data-size', '200', '--data', 'seed-gaussian', '--epochs', '1', '--quiet', '--out', b]).code).toBe(0)
    expect(readFileSync(join(a, 'run.json'), 'utf8')).toBe(readFileSync(join(b, 'run.json'), 'utf8'))
  })

  it('--data csv:PATH trains on the rows of the file (header optional) and records them', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i / 40, Math.sqrt(i) / 7, -1 - i])
    const csv = file('three.csv', `x,y,z\n${rows.map((r) => r.join(',')).join('\n')}\n`)
    const out = freshDir()
    const r = runInProcess(['train', '--data', `csv:${csv}`, '--generator', '3', '--epochs', '1', '--quiet', '--out', out])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config.data).toEqual({ kind: 'table', rows })
    expect(record.realSample).toEqual(rows)
  })

  it.each([
    ['ragged.csv', '1,2\n3,4\n5\n', 'line 3 has 1 column'],
    ['word.csv', '1,2\n3,abc\n', 'line 2, column 2: "abc" is not a number'],
    ['nan.csv', '1,2\nNaN,4\n', 'line 2, column 1'],
    ['inf.csv', '1,2\n3,1e400\n', 'line 2, column 2: 1e400 overflows to Infinity'],
    ['empty.csv', '', 'empty'],
    ['header.csv', 'a,b\n', 'only a header'],
    ['one-row.csv', '1,2\n', 'the file has 1 row of numbers; a table needs at least 4'],
    ['three-rows.csv', '1,2\n3,4\n5,6\n', 'the file has 3 rows of numbers; a table needs at least 4'],
  ])('refuses %s with one line naming it, exit 2, nothing written', (name, text, says) => {
    const path = file(name, text)
    const out = freshDir()
    const r = runInProcess(['train', '--data', `csv:${path}`, '--epochs', '1', '--out', out])
    expect(r.code).toBe(2)
    expect(isOneLine(r.stderr)).toBe(true)
    expect(hasStackTrace(r)).toBe(false)
    expect(r.stderr).toContain(`--data csv:${path}`)
    expect(r.stderr).toContain(says)
    expect(existsSync(out)).toBe(false)
  })

  it('refuses a missing file, a folder, an empty path, an unknown name and --data-size with a table', () => {
    const out = freshDir()
    const csv = file('ok.csv', '1,2\n3,4\n5,6\n7,8\n')
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [['--data', `csv:${join(work, 'missing.csv')}`], `--data csv:${join(work, 'missing.csv')}: cannot read`],
      [['--data', `csv:${work}`], `--data csv:${work}: ${work} is a folder, not a regular file; --data csv:PATH reads a CSV file of numbers`],
      [['--data', 'csv:'], '--data csv:PATH needs a file name after csv:'],
      [['--data', 'ring'], '--data must be one of seed-gaussian, ring8, grid25, swissroll, moons, csv:PATH, mnist, mnist:DIR, got "ring"'],
      [['--data', `csv:${csv}`, '--data-size', '10'], '--data-size applies to generated data, not to a table of rows'],
    ]
    for (const [args, says] of cases) {
      const r = runInProcess(['train', ...args, '--epochs', '1', '--batch-size', '2', '--out', out])
      expect(r.code).toBe(2)
      expect(isOneLine(r.stderr)).toBe(true)
      expect(r.stderr).toContain(says)
      expect(existsSync(out)).toBe(false)
    }
  })

  it('help names every dataset', () => {
    const r = runInProcess(['train', '--help'])
    expect(r.stdout).toContain('--data DATA')
    expect(r.stdout).toContain('one of seed-gaussian, ring8, grid25, swissroll, moons, csv:PATH')
  })
})
