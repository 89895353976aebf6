/**
 * docs/cluster.md's Slurm job array on a real Slurm: a one-node cluster on this machine
 * (properties/support/slurm.ts), the array script taken from the document as it is, a small
 * sweep through `SWEEP_ARGS`, then `pure-gan merge`: the merged sweep.json and sweep.html are
 * the bytes of the same sweep run unsharded. Where Slurm cannot be started (not installed, not
 * root) the test is skipped with the reason printed, never silently.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_MAIN, runBuilt } from '../support/cli-harness.js'
import { type Slurm, startSlurm, waitForJob } from '../support/slurm.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The code block of docs/cluster.md marked `bash slurm-array`. */
const arrayScript = (): string => {
  const doc = readFileSync(join(root, 'docs/cluster.md'), 'utf8')
  const m = /```bash slurm-array\n([\s\S]*?)```/.exec(doc)
  if (m === null) throw new Error('docs/cluster.md has no ```bash slurm-array block')
  return m[1]!
}

const started = startSlurm()
const slurm: Slurm | null = 'unavailable' in started ? null : started
if (slurm === null) console.warn(`properties/cli/slurm.test.ts: skipped: ${(started as { unavailable: string }).unavailable}`)
afterAll(() => slurm?.stop())

const SWEEP = ['--seeds', '0..5', '--grid', 'lr-d=0.05,0.02', '--epochs', '2', '--data-size', '100']

describe('docs/cluster.md on a one-node Slurm cluster', () => {
  it.skipIf(slurm === null)('the array script\'s 4 shards, merged, are the unsharded sweep\'s bytes', () => {
    const work = mkdtempSync(join(tmpdir(), 'pure-gan-slurm-run-'))
    try {
      const script = join(work, 'sweep-array.sh')
      writeFileSync(script, arrayScript())
      const env = { ...process.env, ...slurm!.env, PURE_GAN: `${process.execPath} ${BUILT_MAIN}`, SWEEP_ARGS: SWEEP.join(' '), OUT: join(work, 'sweep') }
      const submitted = spawnSync('sbatch', ['--parsable', '--chdir', work, script], { encoding: 'utf8', env })
      expect([submitted.status, submitted.stderr]).toEqual([0, ''])
      const jobId = submitted.stdout.trim().split(';')[0]!
      expect(waitForJob(slurm!, jobId, 300_000)).toBe(true)
      const merged = runBuilt(['merge', join(work, 'sweep'), '--out', join(work, 'sweep')], { timeoutMs: 60_000 })
      expect([merged.code, merged.stderr]).toEqual([0, expect.stringMatching(/^merged 4 shards \(12 runs\)/)])
      const alone = join(work, 'alone')
      const r = runBuilt(['sweep', ...SWEEP, '--out', alone, '--quiet'], { timeoutMs: 300_000 })
      expect(r.code).toBe(0)
      expect(readFileSync(join(work, 'sweep', 'sweep.json'), 'utf8')).toBe(readFileSync(join(alone, 'sweep.json'), 'utf8'))
      expect(readFileSync(join(work, 'sweep', 'sweep.html'), 'utf8')).toBe(readFileSync(join(alone, 'sweep.html'), 'utf8'))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
