/**
 * The built command in a child process under a memory cap (`--max-old-space-size=256`) and a
 * time limit, on what a file system can throw at it: a link to /dev/zero, a FIFO with no
 * writer, a sparse file over the size cap, the longest run the flags allow in seconds, and a
 * full disk (tiny tmpfs mounts; skipped with a note where mount is not permitted).
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_MAIN, hasStackTrace, isOneLine, runBuilt } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-resources-'))
const mounts: string[] = []
afterAll(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', [m], { stdio: 'ignore' })
    } catch {
      // already unmounted
    }
  }
  rmSync(work, { recursive: true, force: true })
})

const LIMITS = { timeoutMs: 20_000, maxOldSpaceMb: 256 } as const

/** Mounts a tmpfs with `options` at a fresh folder, or returns null where that is not permitted. */
const tmpfs = (options: string): string | null => {
  const dir = join(work, `mnt-${mounts.length + 1}`)
  mkdirSync(dir)
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    return null
  }
  mounts.push(dir)
  return dir
}

const canMount = ((): boolean => {
  const probe = tmpfs('size=64k')
  if (probe === null) console.warn('resources.test.ts: mount -t tmpfs is not permitted here (not root?); the full-disk tests are skipped')
  return probe !== null
})()

describe('verify on what is not a regular file, or too large', () => {
  it('a symbolic link to /dev/zero: exit 2 at once, bounded memory', () => {
    const link = join(work, 'zero.json')
    symlinkSync('/dev/zero', link)
    const r = runBuilt(['verify', link], LIMITS)
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `pure-gan verify: ${link} is a character device, not a regular file; verify reads a run.json that pure-gan train wrote\n`])
  })

  it('a FIFO with no writer: exit 2 promptly, no hang', () => {
    const fifo = join(work, 'fifo.json')
    execFileSync('mkfifo', [fifo])
    const r = runBuilt(['verify', fifo], LIMITS)
    expect(r.signal).toBeNull()
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `pure-gan verify: ${fifo} is a FIFO, not a regular file; verify reads a run.json that pure-gan train wrote\n`])
    expect(r.ms).toBeLessThan(10_000)
  })

  it('a 300 MiB (sparse) file: exit 2 naming the 256 MiB limit, without reading it', () => {
    const big = join(work, 'big.json')
    execFileSync('truncate', ['-s', '300M', big])
    const r = runBuilt(['verify', big], LIMITS)
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `pure-gan verify: ${big} is larger than 256 MiB, the most a run record may take; it is not a run.json pure-gan wrote\n`])
  })
})

describe('every value a flag accepts works end to end', () => {
  it('train --data-size 1 --batch-size 1 --epochs 70000: exit 0 and all five files, in time', () => {
    const out = join(work, 'long')
    const r = runBuilt(['train', '--data-size', '1', '--batch-size', '1', '--epochs', '70000', '--quiet', '--out', out], { timeoutMs: 90_000, maxOldSpaceMb: 512 })
    expect(hasStackTrace(r)).toBe(false)
    expect([r.code, r.stdout, r.stderr]).toEqual([0, '', ''])
    expect(readdirSync(out).sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
  })
})

describe('a full disk', () => {
  it.skipIf(!canMount)('too little space for the run: refused before training, exit 2, one line, nothing written', () => {
    const mnt = tmpfs('size=200k')!
    const r = runBuilt(['train', '--out', join(mnt, 'run')], LIMITS)
    expect([r.code, r.stdout, isOneLine(r.stderr)]).toEqual([2, '', true])
    expect(r.stderr).toMatch(/^pure-gan train: --out .*: not enough free space \(no space left on device\): this run writes up to about [\d.]+ MiB and the disk has 0\.2 MiB free\n$/)
    expect(readdirSync(mnt)).toEqual([])
  })

  it.skipIf(!canMount)('the disk fills during the writes (no inodes left): exit 2, one line naming ENOSPC, nothing left behind', () => {
    const mnt = tmpfs('size=20m,nr_inodes=3')!
    const r = runBuilt(['train', '--epochs', '2', '--data-size', '200', '--quiet', '--out', join(mnt, 'run')], LIMITS)
    expect(hasStackTrace(r)).toBe(false)
    expect([r.code, r.stdout, isOneLine(r.stderr)]).toEqual([2, '', true])
    expect(r.stderr).toMatch(/^pure-gan train: could not write [a-z.]+ into .*run\/ \(no space left on device \(ENOSPC\)\); nothing of this run was written\n$/)
    expect(readdirSync(mnt)).toEqual([])
  })

  it.skipIf(!canMount)('a non-finite stop on a disk that filled during training: exit 1, the non-finite message and why the state was not saved', async () => {
    const mnt = tmpfs('size=8m')!
    const out = join(mnt, 'run')
    // lr_G 1e304 drives G's weights to overflow late (its samples stop being finite after
    // about 30 epochs here); the disk is filled once the first epoch is reported, after the
    // up-front space check passed.
    const child = spawn(process.execPath, ['--max-old-space-size=256', BUILT_MAIN, 'train', '--epochs', '300', '--data-size', '2000', '--batch-size', '1', '--lr-d', '1', '--lr-g', '1e304', '--out', out])
    let stderr = ''
    let stdout = ''
    let filled = false
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString()
        if (!filled && stderr.includes('epoch 1/300')) {
          filled = true
          try {
            writeFileSync(join(mnt, 'filler'), Buffer.alloc(16 * 1024 * 1024))
          } catch {
            // ENOSPC: the disk is full, as wanted
          }
        }
      })
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    expect(filled).toBe(true)
    expect(stdout).toBe('')
    const last = stderr.trimEnd().split('\n').at(-1)!
    expect(code).toBe(1)
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(last).toMatch(/^pure-gan train: .*(not finite|non-finite|NaN|Infinity).*; the last finite state could not be saved to .*last-finite-state\.json: no space left on device \(ENOSPC\)$/)
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([])
  })
})
