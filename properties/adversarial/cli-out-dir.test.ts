/**
 * `pure-gan train --force` into folders whose output names are taken by hostile things: a
 * folder, a FIFO, a symbolic link to a folder or to a file, a run.json or saved state pure-gan
 * did not write, pure-gan's own earlier files, stale temporary files. Run in-process.
 *
 * The property: exit 2 (one line, nothing on stdout, the folder exactly as it was) whenever an
 * output name is taken by something that is not a regular file or by a foreign run.json or
 * state; otherwise exit 0 and the folder holds this run's five files, the user's other files
 * untouched, no temporary file and no earlier last-finite-state.json.
 */
import fc from 'fast-check'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { RUN_FILES, STATE_FILE } from '../../src/cli/out-dir.js'
import { folderSnapshot, hasStackTrace, isOneLine, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-outdir-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

type Occupant = 'absent' | 'ours' | 'foreign' | 'folder' | 'fifo' | 'link-to-folder' | 'link-to-file'
const NAMES = [...RUN_FILES, STATE_FILE]
const OURS: Readonly<Record<string, string>> = {
  'run.json': '{\n "format": "pure-gan/run",\n "version": 1\n}\n',
  [STATE_FILE]: '{"format":"pure-gan/gan-state","version":1}',
}

const place = (dir: string, name: string, o: Occupant): void => {
  const p = join(dir, name)
  if (o === 'ours') writeFileSync(p, OURS[name] ?? `old ${name}`)
  if (o === 'foreign') writeFileSync(p, `{"user data": "${name}"}`)
  if (o === 'folder') mkdirSync(p)
  if (o === 'fifo') execFileSync('mkfifo', [p])
  if (o === 'link-to-folder') symlinkSync(work, p)
  if (o === 'link-to-file') {
    writeFileSync(`${p}.target`, OURS[name] ?? 'target')
    symlinkSync(`${p}.target`, p)
  }
}

const refused = (name: string, o: Occupant): boolean =>
  o === 'folder' || o === 'fifo' || o === 'link-to-folder' || ((name === 'run.json' || name === STATE_FILE) && o === 'foreign')

let counter = 0

describe('train --force into a folder with hostile occupants', () => {
  it('refuses before training (folder unchanged) or leaves exactly this run’s five files', () => {
    const occupant = fc.constantFrom<Occupant>('ours', 'foreign', 'folder', 'fifo', 'link-to-folder', 'link-to-file')
    // Most names free, a few taken: the empty and the nearly empty folder are frequent cases.
    const occupied = fc.uniqueArray(fc.tuple(fc.nat(NAMES.length - 1), occupant), { maxLength: 3, selector: ([i]) => i })
    const arb = fc.record({
      occupants: occupied.map((taken) => NAMES.map((_, i) => taken.find(([j]) => j === i)?.[1] ?? ('absent' as Occupant))),
      userFile: fc.boolean(),
      temporaries: fc.subarray(['.pure-gan-tmp-123-run.json', '.report.html.tmp-77', '.pure-gan-probe-5']),
      force: fc.boolean(),
    })
    fc.assert(
      fc.property(arb, ({ occupants, userFile, temporaries, force }) => {
        const out = join(work, `o-${++counter}`)
        mkdirSync(out)
        NAMES.forEach((n, i) => place(out, n, occupants[i]!))
        if (userFile) writeFileSync(join(out, 'notes.txt'), 'mine')
        for (const t of temporaries) writeFileSync(join(out, t), 'half')
        const before = folderSnapshot(out)
        const r = runInProcess(['train', '--epochs', '1', '--data-size', '8', '--quiet', '--out', out, ...(force ? ['--force'] : [])])
        expect(hasStackTrace(r)).toBe(false)
        const occupied = NAMES.some((_, i) => occupants[i] !== 'absent') || userFile
        const shouldRefuse = (!force && occupied) || (force && NAMES.some((n, i) => refused(n, occupants[i]!)))
        if (shouldRefuse) {
          expect([r.code, r.stdout, isOneLine(r.stderr)]).toEqual([2, '', true])
          expect(folderSnapshot(out)).toEqual(before)
          return
        }
        expect([r.code, r.stdout, r.stderr]).toEqual([0, '', ''])
        const names = readdirSync(out).filter((n) => !n.endsWith('.target'))
        expect(names.sort()).toEqual([...RUN_FILES, ...(userFile ? ['notes.txt'] : [])].sort())
        expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).format).toBe('pure-gan/run')
        if (userFile) expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine')
      }),
    )
  })
})
