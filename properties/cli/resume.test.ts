/**
 * `pure-gan train --resume RUN.json --epochs N` (issue 15): the resumed run's run.json (and
 * its plots and report) is byte for byte that of a run of N epochs from the start, for
 * resumes that replay epochs (the longer run snapshots an epoch the record lacks) and for
 * those that do not, chained or not; every refusal is one line, exit 2, nothing written.
 * In-process through `runCli`, except one case as the built binary (npm test builds first).
 * Runs of 200 points keep this file fast.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import { initialState } from '../../src/gan/state.js'
import { seedConfig } from '../../src/gan/config.js'
import { snapshotEpochs } from '../../src/report/make-record.js'
import { folderSnapshot, isOneLine, runBuilt, runInProcess } from '../support/cli-harness.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-resume-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const cli = runInProcess
let counter = 0
const freshDir = (): string => join(work, `out-${++counter}`)

const SEED = ['--data-size', '200']
const BATCH_NORM = ['--data-size', '200', '--generator', '8,bn:relu,2']
const CRITIC = ['--data-size', '200', '--critic-steps', '2']

/** The folder of a run of `flags` for `epochs` epochs from the start (trained once per flags and epochs). */
const fresh = (() => {
  const made = new Map<string, string>()
  return (flags: ReadonlyArray<string>, epochs: number): string => {
    const key = JSON.stringify([flags, epochs])
    const known = made.get(key)
    if (known !== undefined) return known
    const out = freshDir()
    const r = cli(['train', ...flags, '--epochs', String(epochs), '--quiet', '--out', out])
    expect([r.code, r.stderr]).toEqual([0, ''])
    made.set(key, out)
    return out
  }
})()

/** `train --resume <from>/run.json --epochs <epochs> --quiet --out <new folder>`: the new folder. */
const resumed = (from: string, epochs: number, extra: ReadonlyArray<string> = []): string => {
  const out = freshDir()
  const r = cli(['train', '--resume', join(from, 'run.json'), '--epochs', String(epochs), '--quiet', '--out', out, ...extra])
  expect([r.code, r.stdout, r.stderr]).toEqual([0, '', ''])
  return out
}

const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8')

/** The four files of a run that are functions of its record: the same bytes in `a` and `b`. */
const expectSameRun = (a: string, b: string): void => {
  for (const name of ['run.json', 'losses.svg', 'samples.svg', 'report.html']) expect(read(a, name), name).toBe(read(b, name))
}

describe('a resumed run is byte for byte a run from the start', () => {
  // [name, flags, epochs of the record, new total, epochs the resume replays]
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, number, number, number]> = [
    ['the seed, 4 -> 7', SEED, 4, 7, 0],
    ['the seed, 4 -> 8', SEED, 4, 8, 0],
    ['the seed, 6 -> 7 (7 snapshots epoch 3)', SEED, 6, 7, 3],
    ['the seed, 7 -> 9 (9 snapshots epochs 2 and 5)', SEED, 7, 9, 5],
    ['the seed, 20 -> 40 (docs: nothing replayed)', SEED, 20, 40, 0],
    ['the seed, 20 -> 30 (docs: 6 and 18 replayed)', SEED, 20, 30, 18],
    ['batch normalisation in G, 4 -> 7', BATCH_NORM, 4, 7, 0],
    ['batch normalisation in G, 6 -> 7', BATCH_NORM, 6, 7, 3],
    ['two critic steps, 4 -> 8', CRITIC, 4, 8, 0],
    ['two critic steps, 7 -> 9', CRITIC, 7, 9, 5],
  ]

  it.each(cases)('%s', (_, flags, before, after, replayed) => {
    const from = fresh(flags, before)
    const out = resumed(from, after)
    const whole = fresh(flags, after)
    expectSameRun(out, whole)
    const timing = JSON.parse(read(out, 'timing.json'))
    expect(timing.resumedFrom).toMatchObject({ epoch: before, replayedEpochs: replayed })
    expect(timing.epochSeconds).toHaveLength(after - before)
    // the frames the record has and the longer run wants are the record's, bit for bit
    const old = JSON.parse(read(from, 'run.json'))
    const shared = snapshotEpochs(after).filter((e) => snapshotEpochs(before).includes(e))
    expect(shared.length).toBeGreaterThan(0)
    const frames = (record: { snapshots: ReadonlyArray<{ epoch: number }> }, e: number): string => JSON.stringify(record.snapshots.find((s) => s.epoch === e))
    for (const e of shared) expect(frames(JSON.parse(read(whole, 'run.json')), e)).toBe(frames(old, e))
  })

  it('chained resumes, 4 -> 6 -> 9, are the run of 9 epochs', () => {
    expectSameRun(resumed(resumed(fresh(SEED, 4), 6), 9), fresh(SEED, 9))
  })

  it('verify confirms a resumed run.json (it is a fresh run\'s)', () => {
    const out = resumed(fresh(SEED, 6), 7)
    const r = cli(['verify', join(out, 'run.json')])
    expect([r.code, r.stdout]).toEqual([0, `verified: ${join(out, 'run.json')} is bit-identical to a fresh run (seed 0, 7 epochs)\n`])
  })

  it('without --quiet: where it resumes and what it replayed, then the epochs it trains; --json prints the record', () => {
    const from = fresh(SEED, 6)
    const out = freshDir()
    const r = cli(['train', '--resume', join(from, 'run.json'), '--epochs', '8', '--out', out])
    expect(r.code).toBe(0)
    const lines = r.stderr.split('\n')
    expect(lines[0]).toBe(`resuming ${join(from, 'run.json')} at epoch 6 of 8 (epochs 1..3 replayed for the snapshots it lacks, as recorded)`)
    expect(lines[1]).toMatch(/^epoch 7\/8 {2}loss_D /)
    expect(lines[2]).toMatch(/^epoch 8\/8 {2}loss_D /)
    expect(lines[3]).toBe(`wrote ${out}/: run.json, timing.json, losses.svg, samples.svg, report.html`)
    const json = freshDir()
    const j = cli(['train', '--resume', join(from, 'run.json'), '--epochs', '8', '--json', '--quiet', '--out', json])
    expect([j.code, j.stderr, j.stdout]).toEqual([0, '', read(fresh(SEED, 8), 'run.json')])
  })
})

describe('a record of another pure-gan version', () => {
  it('is continued with a note, and the new record is this version\'s', () => {
    const record = JSON.parse(read(fresh(SEED, 4), 'run.json'))
    const version = record.packageVersion
    record.packageVersion = '0.0.1'
    const path = join(work, 'older.json')
    writeFileSync(path, `${JSON.stringify(record, null, 1)}\n`)
    const out = freshDir()
    const r = cli(['train', '--resume', path, '--epochs', '7', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([`note: ${path} was written by pure-gan 0.0.1; this is ${version}`, `resuming ${path} at epoch 4 of 7 (nothing replayed)`])
    expectSameRun(out, fresh(SEED, 7))
  })
})

describe('--help', () => {
  it('documents --resume and when a resume replays', () => {
    const help = cli(['train', '--help']).stdout
    expect(help).toContain('pure-gan train --resume RUN.json --epochs N [--out DIR] [--force] [--quiet] [--json]')
    expect(help).toMatch(/ {2}--resume RUN\.json +continue the finished run RUN\.json/)
    expect(help).toContain('(20 -> 30 epochs: 6 and 18)')
  })
})

describe('--out the resumed run\'s own folder', () => {
  it('needs --force, then replaces its five files with the longer run\'s', () => {
    const dir = freshDir()
    expect(cli(['train', ...SEED, '--epochs', '4', '--quiet', '--out', dir]).code).toBe(0)
    const before = folderSnapshot(dir)
    const refused = cli(['train', '--resume', join(dir, 'run.json'), '--epochs', '7', '--out', dir])
    expect([refused.code, refused.stdout, refused.stderr]).toEqual([2, '', `pure-gan train: --out ${dir} exists and is not empty; choose another folder or pass --force to replace its run files\n`])
    expect(folderSnapshot(dir)).toEqual(before)
    const r = cli(['train', '--resume', join(dir, 'run.json'), '--epochs', '7', '--out', dir, '--force', '--quiet'])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(readdirSync(dir).sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
    expectSameRun(dir, fresh(SEED, 7))
  })

  it('a resume refused after the folder was checked (a record the replay contradicts) leaves it as it was', () => {
    const dir = freshDir()
    expect(cli(['train', ...SEED, '--epochs', '6', '--quiet', '--out', dir]).code).toBe(0)
    const record = JSON.parse(read(dir, 'run.json'))
    record.history[1].lossG = record.history[1].lossG + 1e-12
    writeFileSync(join(dir, 'run.json'), `${JSON.stringify(record, null, 1)}\n`)
    const before = folderSnapshot(dir)
    const r = cli(['train', '--resume', join(dir, 'run.json'), '--epochs', '7', '--out', dir, '--force'])
    expect([r.code, r.stdout, isOneLine(r.stderr)]).toEqual([2, '', true])
    expect(r.stderr).toContain('replaying its epochs 1..3')
    expect(folderSnapshot(dir)).toEqual(before)
  })
})

describe('a non-finite stop while continuing is train\'s: exit 1, last-finite-state.json', () => {
  // least squares with plain SGD at rate 1 on 200 points: finite for 14 epochs, Infinity in the 15th
  const DIVERGING = ['--data-size', '200', '--objective', 'least-squares', '--optimizer-d', 'sgd', '--optimizer-g', 'sgd', '--lr-d', '1', '--lr-g', '1']

  it('the same message and state as the run from the start; into its own folder, the record stays', () => {
    const whole = freshDir()
    const w = cli(['train', ...DIVERGING, '--epochs', '16', '--quiet', '--out', whole])
    expect(w.code).toBe(1)
    expect(w.stderr).toMatch(/^pure-gan train: training stopped at step \d+ \(epoch 15\): /)
    const from = fresh(DIVERGING, 14)
    const out = freshDir()
    const r = cli(['train', '--resume', join(from, 'run.json'), '--epochs', '16', '--quiet', '--out', out])
    expect([r.code, r.stdout]).toEqual([1, ''])
    expect(r.stderr).toBe(w.stderr.replace(whole, out))
    expect(readdirSync(out)).toEqual(['last-finite-state.json'])
    expect(read(out, 'last-finite-state.json')).toBe(read(whole, 'last-finite-state.json'))
    // into the record's own folder: the state beside the run it continued, which stays as it was
    const own = freshDir()
    expect(cli(['train', ...DIVERGING, '--epochs', '14', '--quiet', '--out', own]).code).toBe(0)
    const kept = read(own, 'run.json')
    const o = cli(['train', '--resume', join(own, 'run.json'), '--epochs', '16', '--quiet', '--force', '--out', own])
    expect(o.code).toBe(1)
    expect(o.stderr).toMatch(/; the last finite state is in .*last-finite-state\.json, beside the run it continued\n$/)
    expect(readdirSync(own).sort()).toEqual(['last-finite-state.json', 'losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
    expect(read(own, 'run.json')).toBe(kept)
    expect(read(own, 'last-finite-state.json')).toBe(read(whole, 'last-finite-state.json'))
  })
})

describe('refused: one line, exit 2, nothing written', () => {
  const from = (): string => join(fresh(SEED, 6), 'run.json')
  /** `record` (the 6-epoch run's, changed by `change`) written as run.json text to a new file. */
  const tampered = (change: (record: any) => void): string => {
    const record = JSON.parse(readFileSync(from(), 'utf8'))
    change(record)
    const path = join(work, `tampered-${++counter}.json`)
    writeFileSync(path, `${JSON.stringify(record, null, 1)}\n`)
    return path
  }
  const expectRefused = (args: ReadonlyArray<string>, message: string | RegExp): void => {
    const out = freshDir()
    const r = cli(['train', ...args, '--out', out])
    expect([r.code, r.stdout]).toEqual([2, ''])
    expect(isOneLine(r.stderr)).toBe(true)
    if (typeof message === 'string') expect(r.stderr).toBe(`pure-gan train: ${message}\n`)
    else expect(r.stderr).toMatch(message)
    expect(existsSync(out)).toBe(false)
  }

  it('config flags, --config and --preset, named', () => {
    const rest = "cannot be combined with --resume: a resumed run's settings are its record's; give only --epochs (the new total), --threads, --data mnist:DIR (a run on MNIST's images) and the output flags --out, --force, --quiet, --json"
    for (const [flag, value] of [['--seed', '1'], ['--lr-d', '0.1'], ['--data-size', '200'], ['--generator', '2'], ['--critic-steps', '2'], ['--config', 'c.json'], ['--preset', 'd2l']]) {
      expectRefused(['--resume', from(), '--epochs', '7', flag!, value!], `${flag} ${rest}`)
      expectRefused([flag!, value!, '--resume', 'absent.json'], `${flag} ${rest}`)
    }
  })

  it('--epochs missing, not above the record\'s, or out of range', () => {
    const allowed = `an integer in 7..1000000 (more than the 6 epochs of ${from()})`
    expectRefused(['--resume', from()], `--resume needs --epochs N, the new total: ${allowed}`)
    expectRefused(['--resume', from(), '--epochs', '6'], `--epochs with --resume must be ${allowed}, got "6"`)
    expectRefused(['--resume', from(), '--epochs', '2'], `--epochs with --resume must be ${allowed}, got "2"`)
    expectRefused(['--resume', from(), '--epochs', '1000001'], '--epochs must be an integer in 1..1000000, got "1000001"')
    expectRefused(['--resume', '', '--epochs', '7'], '--resume needs the path of a run.json')
  })

  it('a missing file, a folder, not JSON, not a run record, a final state that does not decode', () => {
    const missing = join(work, 'missing.json')
    expectRefused(['--resume', missing, '--epochs', '7'], `cannot read ${missing} (ENOENT)`)
    expectRefused(['--resume', work, '--epochs', '7'], `${work} is a folder, not a regular file; train --resume reads a run.json that pure-gan train wrote`)
    const text = readFileSync(from(), 'utf8')
    const half = join(work, 'half.json')
    writeFileSync(half, text.slice(0, text.length / 2))
    expectRefused(['--resume', half, '--epochs', '7'], /^pure-gan train: .*half\.json is not valid JSON, perhaps truncated \(/)
    const state = join(work, 'state.json')
    writeFileSync(state, encodeState(initialState(seedConfig)))
    expectRefused(['--resume', state, '--epochs', '7'], `${state} is not a run record: format must be "pure-gan/run", found "pure-gan/gan-state"`)
    const undecodable = tampered((r) => (r.finalState.step = -1))
    expectRefused(['--resume', undecodable, '--epochs', '7'], `${undecodable} has a finalState that is not a valid state: state.step must be an integer >= 0, found -1`)
  })

  it('a record that does not hold together', () => {
    const broken = (path: string, detail: string): string => `${path} does not hold together: ${detail}; train --resume continues only a run.json as pure-gan train wrote it`
    const short = tampered((r) => r.history.pop())
    expectRefused(['--resume', short, '--epochs', '7'], broken(short, 'its history has 5 entries for 6 epochs'))
    const renumbered = tampered((r) => (r.history[2].epoch = 4))
    expectRefused(['--resume', renumbered, '--epochs', '7'], broken(renumbered, 'history[2].epoch is 4, not 3'))
    const examples = tampered((r) => (r.history[0].examples = 199))
    expectRefused(['--resume', examples, '--epochs', '7'], broken(examples, 'history[0].examples is 199, not the data size 200'))
    const epoch = tampered((r) => (r.finalState.epoch = 5))
    expectRefused(['--resume', epoch, '--epochs', '7'], broken(epoch, 'its finalState is at epoch 5, its config has 6 epochs'))
    const frames = tampered((r) => r.snapshots.splice(1, 1))
    expectRefused(['--resume', frames, '--epochs', '7'], broken(frames, 'its snapshots are at epochs 1, 4, 5, 6, a run of 6 epochs takes them at 1, 2, 4, 5, 6'))
    const seed = tampered((r) => (r.config.seed = 1))
    expectRefused(['--resume', seed, '--epochs', '7'], /does not hold together: its config and finalState give another record \(first difference at config\.seed: 1 \(bits [0-9a-f]+\) vs 0 \(bits [0-9a-f]+\)\); /)
    const summary = tampered((r) => (r.summary.frechetDistance *= 2))
    expectRefused(['--resume', summary, '--epochs', '7'], /does not hold together: its config and finalState give another record \(first difference at summary\.frechetDistance: /)
    const weights = tampered((r) => {
      const f64: string = r.finalState.generator[0].W.f64
      r.finalState.generator[0].W.f64 = f64.slice(0, 20) + (f64[20] === '0' ? '1' : '0') + f64.slice(21)
    })
    expectRefused(['--resume', weights, '--epochs', '7'], /does not hold together: its config and finalState give another record \(first difference at metrics\./)
    const last = tampered((r) => (r.snapshots[4].points[0][0] += 1e-9))
    expectRefused(['--resume', last, '--epochs', '7'], /does not hold together: its last snapshot is not its finalState's \(first difference at snapshots\[4\]\.points\[0\]\[0\]: /)
  })

  it('a record the replay contradicts, in its losses or a snapshot it holds', () => {
    const contradicted = (path: string, at: string): RegExp =>
      new RegExp(
        `^pure-gan train: ${path}: replaying its epochs 1\\.\\.3 \\(a run of 7 epochs snapshots epoch 3, which it lacks\\) gives other values than it holds \\(first difference at ${at}: .*, the record's value first\\); ` +
          'it was altered, or written by a pure-gan that computes differently \\(pure-gan verify checks it whole\\), so it is not continued\\n$',
      )
    const loss = tampered((r) => (r.history[1].lossD += 1e-12))
    expectRefused(['--resume', loss, '--epochs', '7'], contradicted(loss, 'history\\[1\\]\\.lossD'))
    const frame = tampered((r) => (r.snapshots[0].points[3][1] += 1e-12))
    expectRefused(['--resume', frame, '--epochs', '7'], contradicted(frame, 'snapshots\\[0\\]\\.points\\[3\\]\\[1\\]'))
  })

  it('what a resume does not replay it takes as recorded: verify then names the altered value', () => {
    const late = tampered((r) => (r.history[4].lossG += 1e-12))
    const out = freshDir()
    expect(cli(['train', '--resume', late, '--epochs', '7', '--quiet', '--out', out]).code).toBe(0)
    const v = cli(['verify', join(out, 'run.json')])
    expect(v.code).toBe(1)
    expect(v.stdout).toMatch(/first differ at history\[4\]\.lossG: /)
  })
})

describe('the built binary', () => {
  it('resumes into a fresh folder under runs/ (as train chooses one), the same bytes as a run from the start', () => {
    const cwd = freshDir()
    mkdirSync(cwd)
    const from = fresh(SEED, 4)
    const r = runBuilt(['train', '--resume', join(from, 'run.json'), '--epochs', '8'], { timeoutMs: 60_000, cwd })
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^resuming .*run\.json at epoch 4 of 8 \(nothing replayed\)\nepoch 5\/8 /)
    const runs = readdirSync(join(cwd, 'runs'))
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatch(/^\d{8}-\d{6}-seed0$/)
    expectSameRun(join(cwd, 'runs', runs[0]!), fresh(SEED, 8))
    const refused = runBuilt(['train', '--resume', join(from, 'run.json'), '--epochs', '4'], { timeoutMs: 60_000, cwd })
    expect([refused.code, refused.stdout]).toEqual([2, ''])
    expect(refused.stderr).toBe(`pure-gan train: --epochs with --resume must be an integer in 5..1000000 (more than the 4 epochs of ${join(from, 'run.json')}), got "4"\n`)
  })
})
