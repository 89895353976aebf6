/**
 * `pure-gan sweep` and `pure-gan merge` (issue 15), as the built binary in child processes
 * (the sweep's workers are threads of the built module):
 *
 * - the same sweep with 1 and with 2 workers writes byte-identical sweep.json and sweep.html;
 * - every run carries its run metrics (from its run.json; the mode metrics null on data without
 *   modes), on ring8 data too, under a conjunction criterion; a run.json without metrics (an
 *   older pure-gan's) or without its mode coverage is run again on resume;
 * - its 3 shards, each in its own process and chosen through `--shard`, Slurm's array variables
 *   and Kubernetes' `JOB_COMPLETION_INDEX`, merge into the unsharded sweep's bytes; the merge
 *   names missing and repeated shards and shards of another sweep, and refuses a shard whose
 *   runs lack the run metrics;
 * - a second sweep in the same folder resumes: it runs only what is missing and writes the
 *   same bytes; a folder of another sweep is refused;
 * - SIGINT stops the workers, keeps the finished runs, leaves no temporary file and no
 *   sweep.json, exits 130; the same command then completes to the same bytes;
 * - a worker that dies (its heap capped below what a run needs) fails its run, the sweep goes
 *   on, exits 1 and lists the failure; the same command without the cap runs it again;
 * - bad command lines: one line, exit 2.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_MAIN, hasStackTrace, isOneLine, runBuilt } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-sweep-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))
let n = 0
const fresh = (): string => join(work, `s${n++}`)

/** A small sweep: 2 settings x 4 seeds of 2 epochs over 100 points. */
const SMALL = ['--seeds', '0..3', '--grid', 'lr-d=0.05,0.02', '--epochs', '2', '--data-size', '100']

/** The built binary in a child process, with two minutes to finish. */
const run = (argv: ReadonlyArray<string>) => runBuilt(argv, { timeoutMs: 120_000 })

/** The built binary with extra environment variables. */
const runWithEnv = (argv: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BUILT_MAIN, ...argv], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })

const bytes = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8')

/** Every file under `dir`, relative, sorted. */
const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .sort()

/** The keys of a run in sweep.json, in order. */
const RUN_KEYS = ['config', 'seed', 'status', 'lossD', 'lossG', 'frechet', 'modes', 'hq', 'reverseKl', 'mmdP', 'energyP', 'c2st', 'success', 'message']
/** The metrics of a setting in sweep.json, in order. */
const METRIC_KEYS = ['frechet', 'lossD', 'lossG', 'modes', 'hq', 'reverseKl', 'mmdP', 'energyP', 'c2st']

let reference: string | undefined
/** The unsharded sweep of SMALL with 2 workers (computed once). */
const referenceDir = (): string => {
  if (reference !== undefined) return reference
  reference = fresh()
  const r = run(['sweep', ...SMALL, '--workers', '2', '--out', reference, '--quiet'])
  expect([r.code, r.stderr]).toEqual([0, ''])
  return reference
}

describe('pure-gan sweep', () => {
  it('1 and 2 workers write byte-identical sweep.json and sweep.html; every run has its folder', () => {
    const two = referenceDir()
    const one = fresh()
    const r = run(['sweep', ...SMALL, '--workers', '1', '--out', one])
    expect(r.code).toBe(0)
    expect(bytes(one, 'sweep.json')).toBe(bytes(two, 'sweep.json'))
    expect(bytes(one, 'sweep.html')).toBe(bytes(two, 'sweep.html'))
    const record = JSON.parse(bytes(one, 'sweep.json'))
    expect(record.runs).toHaveLength(8)
    expect(record.settings).toHaveLength(2)
    for (const s of record.settings) {
      for (let seed = 0; seed <= 3; seed++) {
        expect(existsSync(join(one, 'runs', s.id, `seed-${seed}`, 'run.json'))).toBe(true)
        // no report.html per run unless asked
        expect(existsSync(join(one, 'runs', s.id, `seed-${seed}`, 'report.html'))).toBe(false)
      }
    }
    // one line per finished run on stderr (not a terminal), then the file written
    expect(r.stderr.split('\n').filter((l) => / seed \d: frechet /.test(l))).toHaveLength(8)
  })

  it('records the run metrics of every run (null mode metrics on data without modes) and their quartiles per setting', () => {
    const record = JSON.parse(bytes(referenceDir(), 'sweep.json'))
    for (const r of record.runs) {
      expect(Object.keys(r)).toEqual(RUN_KEYS)
      expect([r.modes, r.hq, r.reverseKl]).toEqual([null, null, null])
      const metrics = JSON.parse(bytes(join(referenceDir(), 'runs', r.config, `seed-${r.seed}`), 'run.json')).metrics
      expect([r.mmdP, r.energyP, r.c2st]).toEqual([metrics.mmd.pValue, metrics.energy.pValue, metrics.classifier.accuracy])
    }
    for (const s of record.settings) {
      expect(Object.keys(s.metrics)).toEqual(METRIC_KEYS)
      expect([s.metrics.modes, s.metrics.hq, s.metrics.reverseKl]).toEqual([null, null, null])
      expect(s.metrics.c2st.count).toBe(4)
    }
  })

  it('on ring8 data: the mode metrics from each run.json, 1 and 2 workers byte-identical, a conjunction criterion; a run.json without metrics is run again', () => {
    const args = ['sweep', '--seeds', '0..2', '--data', 'ring8', '--epochs', '1', '--data-size', '200', '--success', 'modes>=0&c2st<=1&hq>=0', '--quiet']
    const two = fresh()
    const one = fresh()
    expect(run([...args, '--workers', '2', '--out', two]).code).toBe(0)
    expect(run([...args, '--workers', '1', '--out', one]).code).toBe(0)
    expect(bytes(one, 'sweep.json')).toBe(bytes(two, 'sweep.json'))
    expect(bytes(one, 'sweep.html')).toBe(bytes(two, 'sweep.html'))
    const record = JSON.parse(bytes(two, 'sweep.json'))
    expect(record.success).toBe('modes>=0&c2st<=1&hq>=0')
    expect(record.runs).toHaveLength(3)
    for (const r of record.runs) {
      expect(Object.keys(r)).toEqual(RUN_KEYS)
      const m = JSON.parse(bytes(join(two, 'runs', r.config, `seed-${r.seed}`), 'run.json')).metrics
      expect([r.modes, r.hq, r.reverseKl, r.mmdP, r.energyP, r.c2st]).toEqual([m.modes.modesCovered, m.modes.highQualityFraction, m.modes.reverseKl, m.mmd.pValue, m.energy.pValue, m.classifier.accuracy])
      expect(r.status).toBe('finished')
      expect(typeof r.modes).toBe('number')
      // every clause holds for every finished run with numbers
      expect(r.success).toBe(true)
    }
    const [setting] = record.settings
    expect(setting.successes).toBe(3)
    expect(Object.keys(setting.metrics)).toEqual(METRIC_KEYS)
    expect(setting.metrics.modes.count).toBe(3)
    const page = bytes(two, 'sweep.html')
    expect(page).toContain('<th>modes covered</th><th>HQ</th><th>MMD p</th><th>C2ST accuracy</th>')
    expect(page).toContain(' / 8</td>')
    // resuming: a run.json of an older pure-gan (no metrics) and one without its mode coverage are run again
    const id = setting.id
    const strip = (seed: number, edit: (j: Record<string, unknown>) => void): void => {
      const path = join(two, 'runs', id, `seed-${seed}`, 'run.json')
      const j = JSON.parse(readFileSync(path, 'utf8'))
      edit(j)
      writeFileSync(path, JSON.stringify(j))
    }
    strip(0, (j) => delete j['metrics'])
    strip(2, (j) => delete (j['metrics'] as Record<string, unknown>)['modes'])
    rmSync(join(two, 'sweep.json'))
    const again = run([...args.filter((a) => a !== '--quiet'), '--workers', '2', '--out', two])
    expect(again.code).toBe(0)
    expect(again.stderr).toMatch(/^sweep: 3 runs, 1 already done in .*, 2 to run on 2 workers\n/)
    expect(bytes(two, 'sweep.json')).toBe(bytes(one, 'sweep.json'))
    expect(JSON.parse(bytes(join(two, 'runs', id, 'seed-0'), 'run.json')).metrics).toBeDefined()
  })

  it('3 shards in separate processes (--shard, Slurm\'s and Kubernetes\' variables) merge into the unsharded bytes', async () => {
    const base = fresh()
    const dirs = [join(base, 'a'), join(base, 'b'), join(base, 'c')]
    const results = await Promise.all([
      runWithEnv(['sweep', ...SMALL, '--workers', '1', '--out', dirs[0]!, '--shard', '0/3', '--quiet'], {}),
      runWithEnv(['sweep', ...SMALL, '--workers', '1', '--out', dirs[1]!, '--quiet'], { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' }),
      runWithEnv(['sweep', ...SMALL, '--workers', '1', '--out', dirs[2]!, '--shards', '3', '--quiet'], { JOB_COMPLETION_INDEX: '2' }),
    ])
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ])
    expect(existsSync(join(dirs[1]!, 'shard-1-of-3.json'))).toBe(true)
    const merged = join(base, 'merged')
    const m = run(['merge', ...dirs, '--out', merged])
    expect(m.code).toBe(0)
    expect(bytes(merged, 'sweep.json')).toBe(bytes(referenceDir(), 'sweep.json'))
    expect(bytes(merged, 'sweep.html')).toBe(bytes(referenceDir(), 'sweep.html'))
    // refusals: a missing shard, a repeated one
    const missing = run(['merge', dirs[0]!, dirs[2]!, '--out', join(base, 'x')])
    expect([missing.code, missing.stderr]).toEqual([2, 'pure-gan merge: shards 1 of 3 are missing (found 2); run them, then merge again\n'])
    const again = run(['merge', dirs[0]!, dirs[0]!, dirs[1]!, dirs[2]!, '--out', join(base, 'y')])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/^pure-gan merge: shard 0 of 3 is given twice: /)
    expect(existsSync(join(base, 'x'))).toBe(false)
    // a shard record whose runs lack the run metrics (an older pure-gan's) is refused, naming the fields
    const old = join(base, 'old')
    mkdirSync(old)
    const shard = JSON.parse(readFileSync(join(dirs[1]!, 'shard-1-of-3.json'), 'utf8'))
    delete shard.runs[0].c2st
    writeFileSync(join(old, 'shard-1-of-3.json'), JSON.stringify(shard))
    const refused = run(['merge', dirs[0]!, old, dirs[2]!, '--out', join(base, 'z')])
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `pure-gan merge: ${join(old, 'shard-1-of-3.json')}: a run must be { config, seed, status, lossD, lossG, frechet, modes, hq, reverseKl, mmdP, energyP, c2st, success, message }, each metric a number or null\n`,
    ])
  })

  it('a second sweep in the same folder runs only what is missing and writes the same bytes', () => {
    const dir = fresh()
    expect(run(['sweep', ...SMALL, '--workers', '2', '--out', dir, '--quiet']).code).toBe(0)
    const record = JSON.parse(bytes(dir, 'sweep.json'))
    rmSync(join(dir, 'runs', record.settings[1].id, 'seed-2'), { recursive: true })
    rmSync(join(dir, 'sweep.json'))
    const r = run(['sweep', ...SMALL, '--workers', '2', '--out', dir])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^sweep: 8 runs, 7 already done in .*, 1 to run on 1 workers\n/)
    expect(bytes(dir, 'sweep.json')).toBe(bytes(referenceDir(), 'sweep.json'))
    // another sweep in this folder is refused
    const other = run(['sweep', '--seeds', '0..1', '--epochs', '2', '--data-size', '100', '--out', dir])
    expect([other.code, other.stderr]).toEqual([2, `pure-gan sweep: --out ${dir} holds another sweep (its sweep-plan.json differs: other settings, seeds or grid); choose another folder\n`])
  })

  it('SIGINT stops the workers and keeps the finished runs (exit 130, no temporaries, no sweep.json); the same command completes to the same bytes', async () => {
    const dir = fresh()
    const args = ['sweep', '--seeds', '0..7', '--grid', 'lr-d=0.05,0.02', '--epochs', '4', '--data-size', '4000', '--workers', '2', '--out', dir]
    const child = spawn(process.execPath, [BUILT_MAIN, ...args])
    let stderr = ''
    let sent = false
    child.stderr.on('data', (d) => {
      stderr += d
      if (!sent && / seed \d+: /.test(stderr)) {
        sent = true
        child.kill('SIGINT')
      }
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(130)
    expect(stderr).toMatch(/pure-gan sweep: interrupted: \d+ of 16 runs are done and kept in .*; run the same command to continue\n$/)
    expect(Number(/interrupted: (\d+) of/.exec(stderr)![1])).toBeLessThan(16)
    expect(existsSync(join(dir, 'sweep.json'))).toBe(false)
    expect(files(dir).filter((p) => p.includes('.pure-gan-tmp-'))).toEqual([])
    // every run folder that exists is complete
    const runJsons = files(dir).filter((p) => p.endsWith('run.json'))
    expect(runJsons.length).toBeGreaterThan(0)
    const complete = run(args.concat(['--quiet']))
    expect(complete.code).toBe(0)
    const full = fresh()
    expect(run(args.slice(0, -2).concat(['--out', full, '--quiet'])).code).toBe(0)
    expect(bytes(dir, 'sweep.json')).toBe(bytes(full, 'sweep.json'))
  })

  it('a worker that dies fails its run; the sweep goes on (exit 1) and the same command without the cap runs it again', () => {
    const dir = fresh()
    // the second setting's generator of about a million parameters writes a state of about 50 MB
    // of text into run.json, far beyond a 16 MB heap
    const args = ['sweep', '--seeds', '0..1', '--grid', 'generator=2', '--grid', 'generator=1000:relu,1000:relu,2', '--epochs', '1', '--data-size', '100', '--out', dir]
    const r = run([...args, '--workers', '2', '--worker-heap-mb', '16', '--quiet'])
    expect(r.code).toBe(1)
    const record = JSON.parse(bytes(dir, 'sweep.json'))
    const failed = record.runs.filter((x: { status: string }) => x.status === 'failed')
    expect(failed.length).toBe(2)
    expect(failed[0].message).toMatch(/^its worker died \(/)
    expect(record.runs.filter((x: { status: string }) => x.status === 'finished').length).toBe(2)
    const again = run([...args, '--workers', '1', '--quiet'])
    expect(again.code).toBe(0)
    expect(JSON.parse(bytes(dir, 'sweep.json')).runs.every((x: { status: string }) => x.status === 'finished')).toBe(true)
  })

  it.each([
    [['sweep', '--out', 'x'], 'pure-gan sweep: --seeds is required: the seeds of every setting, A..B (inclusive) or one N, e.g. --seeds 0..99\n'],
    [['sweep', '--seeds', '3..1', '--out', 'x'], 'pure-gan sweep: --seeds must be A..B with 0 <= A <= B <= 4294967295 (or one seed N), got 3..1\n'],
    [['sweep', '--seeds', '0..3', '--seed', '4', '--out', 'x'], 'pure-gan sweep: --seed is not a sweep flag: the seeds come from --seeds A..B (see pure-gan sweep --help)\n'],
    [['sweep', '--seeds', '0..3', '--grid', 'lr-d=0.05', '--lr-d', '0.02', '--out', 'x'], 'pure-gan sweep: --lr-d is given both as a flag and in --grid; give it in one place\n'],
    [['sweep', '--seeds', '0..3', '--grid', 'lr-d=0.05,abc', '--out', 'x'], 'pure-gan sweep: the setting lr-d=abc: --lr-d must be a finite number > 0, got "abc"\n'],
    [['sweep', '--seeds', '0..3', '--grid', 'lr-d=0.05,5e-2', '--out', 'x'], 'pure-gan sweep: the grid gives one config twice: lr-d=0.05 and lr-d=5e-2\n'],
    [['sweep', '--seeds', '0..3', '--shard', '3/3', '--out', 'x'], 'pure-gan sweep: --shard I/N: I must be a shard index in 0..2 (0-based, of 3), got 3\n'],
    [['sweep', '--seeds', '0..3'], 'pure-gan sweep: --out DIR is required: the sweep writes its runs there, and a second sweep with the same arguments resumes there\n'],
    [['sweep', '--seeds', '0..99999', '--grid', 'lr-d=1,2', '--out', 'x'], 'pure-gan sweep: this sweep has 200000 runs (2 settings x 100000 seeds); at most 100000 are allowed\n'],
    [['sweep', '--seeds', '0..3', '--success', 'modes>=8&', '--out', 'x'], 'pure-gan sweep: --success must be METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of frechet, lossD, lossG, modes, hq, reverseKl, mmdP, energyP, c2st; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got "modes>=8&" (clause 2: "")\n'],
    [['sweep', '--seeds', '0..3', '--success', 'modes>=8&HQ>0.9', '--out', 'x'], 'pure-gan sweep: --success must be METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of frechet, lossD, lossG, modes, hq, reverseKl, mmdP, energyP, c2st; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got "modes>=8&HQ>0.9" (clause 2: "HQ>0.9")\n'],
    [['sweep', '--seeds', '0..3', '--success', 'fid<0.1', '--out', 'x'], 'pure-gan sweep: --success must be METRIC OP NUMBER, or several joined by & that must all hold (METRIC one of frechet, lossD, lossG, modes, hq, reverseKl, mmdP, energyP, c2st; OP one of <, <=, >, >=; NUMBER a decimal number such as 0.1, .5, -2 or 1e-3; no spaces), got "fid<0.1"\n'],
    [['merge', '--out', 'x'], 'pure-gan merge: merge needs the folders that hold the shard records (shard-I-of-N.json); usage: pure-gan merge DIR... --out DIR\n'],
  ])('%j is refused with one line and exit 2', (argv, message) => {
    const r = run(argv)
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message])
    expect(existsSync('x')).toBe(false)
  })
})

describe('hostile sweep and merge command lines', () => {
  // tokens a sweep's argv is drawn from: flags, good and bad values, and strays
  const token = fc.constantFrom(
    '--seeds', '0..1', '1..0', '--grid', 'lr-d=0.05,0.02', 'lr-d=', 'seed=1', 'generator=2', 'epochs=1,1', '--workers', '0', '2', '300',
    '--shard', '0/2', '2/2', 'x/y', '--shards', '--success', 'frechet<0.1', 'frechet<<1', 'modes>=8&hq>=0.5', 'c2st<0.6&', '--worker-heap-mb', '8', '--epochs', '1',
    '--data-size', '20', '--json', '--quiet', '--run-reports', '--seed', '--force', '--resume', '-q', '--help=x', '--', 'stray', '--out',
  )
  it('never a stack trace: exit 0 or 1 with a finished sweep, or exit 2 with one line (the binary, with a fresh --out)', () => {
    fc.assert(
      fc.property(fc.constantFrom('sweep', 'merge'), fc.array(token, { maxLength: 8 }), (command, argv) => {
        const dir = fresh()
        const r = run([command, ...argv, '--epochs=1', '--data-size=20', '--out', dir])
        expect(hasStackTrace(r)).toBe(false)
        expect([0, 1, 2]).toContain(r.code)
        if (r.code === 2) expect(isOneLine(r.stderr)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })
})
