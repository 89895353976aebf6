/**
 * Hostile command lines for `pure-gan train` (and the top level), run in-process through
 * `runCli` in a fresh temporary folder: known flags with valid and hostile values, `=`
 * forms, switches given values, duplicates, stray positionals, `--`, unknown flags, `--help`
 * anywhere. Valid numbers are drawn from small ranges so that a case that trains stays cheap.
 *
 * The property: the exit code is 0, 1 or 2; exit 2 means exactly one line on stderr, nothing
 * on stdout, and the --out folder absent or unchanged; no output ever holds a stack trace;
 * `--help` anywhere means exit 0 and the help text; exit 0 means the five files, exit 1 the
 * non-finite message and last-finite-state.json.
 */
import fc from 'fast-check'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainHelp } from '../../src/cli/flags.js'
import { runCli } from '../../src/cli/run-cli.js'
import { folderSnapshot, hasStackTrace, isOneLine, runInProcess } from '../support/cli-harness.js'

const home = process.cwd()
const work = mkdtempSync(join(tmpdir(), 'pure-gan-argv-'))
// A default --out is runs/<stamp> under the working folder: keep it inside the temporary one.
beforeAll(() => process.chdir(work))
afterAll(() => {
  process.chdir(home)
  rmSync(work, { recursive: true, force: true })
})

const HOSTILE_VALUES = [
  '', ' ', '\t', '1e309', '-1e309', '-0', 'NaN', 'Infinity', '-Infinity', '0x10', '0b1', '1_000', '１', '٣', '2.', '.5e', '1e', '--', '-', '=', 'x'.repeat(10_000),
  '99999999999999999999', '1\n2', 'a\u0000b', '\u202e2', '1 ', ' 1', '+', '+1', '1e-400', '4294967296', '10000001', '1000001', '🙂',
]
const hostile = fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }))

// Valid values that keep a run to a few milliseconds (the default run, 20 epochs of 1000
// points, stays well under a second).
const VALID: ReadonlyArray<readonly [string, fc.Arbitrary<string>]> = [
  ['seed', fc.constantFrom('0', '1', '7', '-0', '4294967295', '+3')],
  ['epochs', fc.constantFrom('1', '2', '+1', '02')],
  ['data-size', fc.integer({ min: 1, max: 40 }).map(String)],
  ['batch-size', fc.integer({ min: 1, max: 40 }).map(String)],
  ['latent-dim', fc.integer({ min: 1, max: 3 }).map(String)],
  // layer lists (small: a default run trains 20 epochs of 1000 points); '3' is refused by the
  // config (G's last layer must be as wide as the data), 'maxout3x2,maxout1x2' too (D's logit)
  ['generator', fc.constantFrom('2', '4:relu,2', 'maxout3x2,2', '3:leakyRelu@0.2,2:tanh', 'maxout2x3', '3')],
  ['discriminator', fc.constantFrom('1', '5:tanh,3:tanh,1', 'maxout4x3,1', 'maxout2x2,maxout3x5,1', '2:leakyRelu@.1,1', 'maxout3x2,maxout1x2')],
  ['lr-d', fc.constantFrom('0.05', '1e-3', '.5', '1e306', '1e308', '5e-324', '1.7976931348623157e308')],
  ['lr-g', fc.constantFrom('0.005', '2', '1e306', '1E-2')],
  ['beta1', fc.constantFrom('0', '0.5', '0.999999', '-0')],
  ['beta2', fc.constantFrom('0', '0.9', '0.999')],
  ['epsilon', fc.constantFrom('1e-8', '1', '1e300')],
  ['weight-std', fc.constantFrom('0', '-0', '0.02', '1', '1e10')],
  ['bias-init', fc.constantFrom('zeros', 'normal')],
  ['objective', fc.constantFrom('nonsaturating', 'minimax', 'least-squares', 'hinge', 'wasserstein', 'wasserstein-gp')],
  ['ls-a', fc.constantFrom('0', '-1', '1e300', '-0')],
  ['ls-b', fc.constantFrom('1', '2', '-1e308')],
  ['ls-c', fc.constantFrom('1', '0', '1e306')],
  ['weight-clip', fc.constantFrom('0.01', '1e-300', '1e308', '5e-324')],
  ['gp-lambda', fc.constantFrom('10', '1e-3', '1e300')],
  ['critic-steps', fc.constantFrom('1', '5', '1000', '+2')],
  ['preset', fc.constantFrom('d2l', 'wgan', 'wgan-gp')],
  ['r1-gamma', fc.constantFrom('10', '1e-300', '1e300')],
  ['pack', fc.constantFrom('1', '2', '3', '64')],
  // D's keeps: one per layer of the default D (3 layers); '0.5,1' and '0' are refused
  ['dropout-keep', fc.constantFrom('0.8,0.5,1', '1,1,1', '0.5,1', '0', '1e-300,1,.5')],
  ['optimizer-d', fc.constantFrom('adam', 'rmsprop', 'momentum', 'sgd')],
  ['optimizer-g', fc.constantFrom('adam', 'rmsprop', 'momentum', 'sgd')],
  ['rho', fc.constantFrom('0.99', '0', '0.5')],
  ['momentum', fc.constantFrom('0.9', '0')],
  ['config', fc.constantFrom('absent.json', '.', '/dev/null', '/dev/zero')],
  // a resume refuses every config flag; these paths are not run records
  ['resume', fc.constantFrom('absent.json', '.', '/dev/null', '/dev/zero')],
]
const SWITCHES = ['--force', '--quiet', '-q', '--json']

/** One piece of a command line: a few tokens. */
const piece: fc.Arbitrary<ReadonlyArray<string>> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...VALID).chain(([name, value]) => value.map((v) => [`--${name}`, v])) },
  { weight: 2, arbitrary: fc.constantFrom(...VALID).chain(([name, value]) => value.map((v) => [`--${name}=${v}`])) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...VALID.map(([n]) => n)), hostile, fc.boolean()).map(([n, v, eq]) => (eq ? [`--${n}=${v}`] : [`--${n}`, v])) },
  { weight: 3, arbitrary: fc.constantFrom(...SWITCHES).map((s) => [s]) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...SWITCHES, '--help'), hostile).map(([s, v]) => [`${s}=${v}`]) },
  { weight: 1, arbitrary: hostile.map((v) => [v]) },
  { weight: 1, arbitrary: fc.constantFrom(['--'], ['-'], ['--out'], ['--epochs'], ['--no-force'], ['-x'], ['-qh'], ['---'], ['--=1'], ['--Epochs', '2'], ['--seed', '--seed']) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }).map((s) => [`--${s}`]) },
)

/** The --out folder of a case: absent, empty, or holding a file of the user's (or an earlier run's name). */
type OutSetup = 'none' | 'absent' | 'empty' | 'foreign-file' | 'foreign-run-json' | 'folder-named-report'

interface Case {
  readonly pieces: ReadonlyArray<ReadonlyArray<string>>
  readonly out: OutSetup
  readonly outAt: number
  readonly helpAt: number | null
  readonly help: string
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  pieces: fc.array(piece, { maxLength: 6 }),
  out: fc.constantFrom<OutSetup>('none', 'absent', 'absent', 'empty', 'foreign-file', 'foreign-run-json', 'folder-named-report'),
  outAt: fc.nat(),
  helpAt: fc.option(fc.nat(), { freq: 5 }),
  help: fc.constantFrom('--help', '-h'),
})

let counter = 0

const setUp = (c: Case): { argv: string[]; out: string | undefined } => {
  const dir = join(work, `case-${++counter}`)
  mkdirSync(dir)
  const out = c.out === 'none' ? undefined : join(dir, 'out')
  if (out !== undefined && c.out !== 'absent') mkdirSync(out)
  if (c.out === 'foreign-file') writeFileSync(join(out!, 'notes.txt'), 'mine')
  if (c.out === 'foreign-run-json') writeFileSync(join(out!, 'run.json'), '{"mine": true}')
  if (c.out === 'folder-named-report') mkdirSync(join(out!, 'report.html'))
  const pieces = [...c.pieces]
  if (out !== undefined) pieces.splice(c.outAt % (pieces.length + 1), 0, ['--out', out])
  const argv = pieces.flat()
  if (c.helpAt !== null) argv.splice(c.helpAt % (argv.length + 1), 0, c.help)
  return { argv: ['train', ...argv], out }
}

describe('pure-gan train on hostile command lines', () => {
  it('exit 0, 1 or 2 with its documented outcome; exit 2 is one line with nothing written; never a trace; --help wins', () => {
    const help = `${trainHelp()}\n`
    fc.assert(
      fc.property(caseArb, (c) => {
        const { argv, out } = setUp(c)
        const before = out === undefined ? null : folderSnapshot(out)
        const runsBefore = folderSnapshot(join(work, 'runs'))
        const r = runInProcess(argv)
        expect(hasStackTrace(r)).toBe(false)
        expect([0, 1, 2]).toContain(r.code)
        if (argv.some((a) => a === '--help' || a === '-h' || a.startsWith('--help='))) {
          expect([r.code, r.stdout, r.stderr]).toEqual([0, help, ''])
          expect(out === undefined ? null : folderSnapshot(out)).toEqual(before)
          return
        }
        if (r.code === 2) {
          expect(isOneLine(r.stderr)).toBe(true)
          expect(r.stderr.startsWith('pure-gan train: ')).toBe(true)
          expect(r.stdout).toBe('')
          if (out !== undefined) expect(folderSnapshot(out)).toEqual(before)
          expect(folderSnapshot(join(work, 'runs'))?.length ?? 0).toBe(runsBefore?.length ?? 0)
        } else if (r.code === 1) {
          expect(r.stderr).toMatch(/pure-gan train: (training stopped|evaluating the (generator|discriminator) after epoch \d+ met a non-finite value).*; the last finite state is in .*last-finite-state\.json\n$/)
          if (out !== undefined) expect(readdirSync(out).filter((n) => n !== 'notes.txt')).toEqual(['last-finite-state.json'])
        } else if (out !== undefined) {
          expect(readdirSync(out).filter((n) => n !== 'notes.txt').sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
        }
      }),
    )
  })

  it('the top level: --help anywhere wins; anything else is exit 0 or one line and exit 2', () => {
    const token = fc.oneof(hostile, fc.constantFrom('--version', 'help', 'fly', 'train ', 'Train', 'verify', '-h', '--help'))
    fc.assert(
      fc.property(fc.array(token, { maxLength: 4 }), (argv) => {
        if (argv[0] === 'train' || argv[0] === 'verify') return
        const r = runInProcess(argv)
        expect(hasStackTrace(r)).toBe(false)
        if (argv.length === 0 || argv[0] === 'help' || argv.some((a) => a === '--help' || a === '-h' || a.startsWith('--help='))) {
          expect([r.code, r.stderr]).toEqual([0, ''])
          expect(r.stdout).toMatch(/^usage: pure-gan <command>/)
        } else if (r.code === 0) {
          expect(argv).toEqual(['--version'])
        } else {
          expect([r.code, r.stdout, isOneLine(r.stderr)]).toEqual([2, '', true])
        }
      }),
    )
  })

  it('an unexpected exception is one line "internal error" and exit 2, never a trace', () => {
    let stderr = ''
    const code = runCli(['train', '--help'], {
      stdout: () => {
        throw new TypeError('stdout is broken\n    at somewhere (file.js:1:1)')
      },
      stderr: (t) => void (stderr += t),
      isTTY: false,
    })
    expect(code).toBe(2)
    expect(stderr).toBe('pure-gan train: internal error: TypeError: stdout is broken at somewhere (file.js:1:1)\n')
    const silent = runCli(['--version'], {
      stdout: () => {
        throw new Error('EPIPE')
      },
      stderr: () => {
        throw new Error('EPIPE too')
      },
      isTTY: false,
    })
    expect(silent).toBe(2)
  })
})
