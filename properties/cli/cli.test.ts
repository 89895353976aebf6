/**
 * The command line. Most cases call `runCli` in this process with a recording `io` (the
 * same function the binary runs); the cases that depend on the process itself (the exit
 * code, the working folder, the environment) run the built `dist/cli/main.js` in a child
 * process, as a user runs it (npm test builds first). Short runs (2 epochs of 200 points)
 * keep this file fast.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, describe, expect, it } from 'vitest'
import { type GanConfig, seedConfig, validateConfig } from '../../src/gan/config.js'
import { PRESETS } from '../../src/gan/presets.js'
import { BUILT_MAIN, runInProcess } from '../support/cli-harness.js'
import { wellFormedXml } from '../support/xml.js'

const work = mkdtempSync(join(tmpdir(), 'pure-gan-cli-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** `pure-gan args` in this process. */
const cli = runInProcess

/** `pure-gan args` as the built binary in a child process, in `cwd` with `env` added. */
const spawned = (args: ReadonlyArray<string>, cwd = work, env: Readonly<Record<string, string>> = {}) => {
  const r = spawnSync(process.execPath, [BUILT_MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

const SHORT = ['--epochs', '2', '--data-size', '200']
let counter = 0
const freshDir = (): string => join(work, `out-${++counter}`)

describe('pure-gan train', () => {
  it('trains, prints one line per epoch and the seed’s final line, and writes the run folder', () => {
    const out = freshDir()
    const r = spawned(['train', ...SHORT, '--out', out])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^epoch 1\/2 {2}loss_D \d\.\d{4} {2}loss_G \d\.\d{4} {2}\d+ examples\/sec {2}about \d+ s left$/m)
    expect(r.stderr).toMatch(/^epoch 2\/2 {2}loss_D \d\.\d{4} {2}loss_G \d\.\d{4} {2}\d+ examples\/sec$/m)
    expect(r.stderr).toMatch(/^epoch 2\/2 /m)
    expect(r.stdout).toMatch(/^loss_D \d\.\d{3}, loss_G \d\.\d{3}, \d+ examples\/sec\n$/)
    expect(readdirSync(out).sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.format).toBe('pure-gan/run')
    expect(record.config.epochs).toBe(2)
    expect(record.history).toHaveLength(2)
    expect(record.summary.samples).toBe(10000)
    expect(JSON.stringify(record)).not.toMatch(/seconds|examplesPerSecond/i)
    const timing = JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8'))
    expect(timing.examplesPerSecond).toBeGreaterThan(0)
  })

  it('two runs with the same seed and flags write byte-identical run.json', () => {
    const a = freshDir()
    const b = freshDir()
    expect(cli(['train', ...SHORT, '--seed', '7', '--out', a, '--quiet']).code).toBe(0)
    expect(cli(['train', ...SHORT, '--seed', '7', '--out', b, '--quiet']).code).toBe(0)
    expect(readFileSync(join(a, 'run.json'), 'utf8')).toBe(readFileSync(join(b, 'run.json'), 'utf8'))
  })

  it('--json prints the run record, identical to run.json; --quiet prints nothing', () => {
    const out = freshDir()
    const r = cli(['train', ...SHORT, '--json', '--quiet', '--out', out])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(r.stderr).toBe('')
    const q = cli(['train', ...SHORT, '--quiet', '--out', freshDir()])
    expect([q.code, q.stdout, q.stderr]).toEqual([0, '', ''])
  })

  it('writes SVGs that parse as XML with the expected series and legends', () => {
    const out = freshDir()
    cli(['train', ...SHORT, '--quiet', '--out', out])
    const losses = readFileSync(join(out, 'losses.svg'), 'utf8')
    const samples = readFileSync(join(out, 'samples.svg'), 'utf8')
    expect(() => wellFormedXml(losses)).not.toThrow()
    expect(() => wellFormedXml(samples)).not.toThrow()
    for (const s of ['generator', 'discriminator']) {
      expect(losses).toContain(`data-series="${s}"`)
      expect(losses).toContain(`>${s}<`)
    }
    for (const s of ['real', 'generated']) {
      expect(samples).toContain(`data-series="${s}"`)
      expect(samples).toContain(`>${s}<`)
    }
    const html = readFileSync(join(out, 'report.html'), 'utf8')
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/)
    expect(html).not.toMatch(/<script[^>]*src=|<link /)
  })

  it('the default out folder is a fresh folder under runs/', () => {
    const cwd = freshDir()
    mkdirSync(cwd)
    expect(spawned(['train', ...SHORT, '--quiet'], cwd).code).toBe(0)
    expect(spawned(['train', ...SHORT, '--quiet'], cwd).code).toBe(0)
    const runs = readdirSync(join(cwd, 'runs'))
    expect(runs).toHaveLength(2)
    runs.forEach((r) => expect(r).toMatch(/^\d{8}-\d{6}-seed0(-\d+)?$/))
  })

  it('--help lists every flag with its default and range', () => {
    const r = cli(['train', '--help'])
    expect(r.code).toBe(0)
    for (const line of ['--seed N', '--epochs N', '--batch-size N', '--lr-d X', '--lr-g X', '--latent-dim N', '--out DIR', '--json', '--quiet', '--force']) {
      expect(r.stdout).toContain(line)
    }
    expect(r.stdout).toContain('an integer in 0..4294967295; default 0')
    expect(r.stdout).toContain('a finite number > 0; default 0.05')
    expect(cli(['--help']).stdout).toContain('verify RUN.json')
  })

  it('a NaN loss stops training naming the step and network, keeps the last finite state, exits 1', () => {
    const out = freshDir()
    const r = spawned(['train', ...SHORT, '--lr-d', '1e308', '--lr-g', '1e308', '--out', out])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/training stopped at step \d+ \(epoch \d+\): the (generator|discriminator)'s loss is (NaN|-?Infinity); the last finite state is in .*last-finite-state\.json/)
    expect(readdirSync(out)).toEqual(['last-finite-state.json'])
    expect(JSON.parse(readFileSync(join(out, 'last-finite-state.json'), 'utf8')).format).toBe('pure-gan/gan-state')
  })
})

describe('bad input: one clear line, exit code 2, nothing written', () => {
  const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>, string]> = [
    ['an unknown flag', ['--bogus'], 'pure-gan train: unknown flag --bogus'],
    ['a missing value', ['--seed'], 'pure-gan train: --seed needs a value'],
    ['a non-numeric value', ['--epochs', 'ten'], 'pure-gan train: --epochs must be an integer in 1..1000000, got "ten"'],
    ['a non-integer', ['--epochs', '2.5'], 'pure-gan train: --epochs must be an integer in 1..1000000, got "2.5"'],
    ['zero epochs', ['--epochs', '0'], 'pure-gan train: --epochs must be an integer in 1..1000000, got "0"'],
    ['negative epochs', ['--epochs', '-3'], 'pure-gan train: --epochs must be an integer in 1..1000000, got "-3"'],
    ['batch size 0', ['--batch-size', '0'], 'pure-gan train: --batch-size must be an integer in 1..10000000, got "0"'],
    ['batch size above the data size', ['--batch-size', '1001'], 'pure-gan train: --batch-size must be an integer in 1..1000 (the data size), got "1001"'],
    ['a negative learning rate', ['--lr-d', '-0.1'], 'pure-gan train: --lr-d must be a finite number > 0, got "-0.1"'],
    ['an infinite learning rate', ['--lr-g', 'Infinity'], 'pure-gan train: --lr-g must be a finite number > 0, got "Infinity"'],
    ['a zero learning rate', ['--lr-g', '0'], 'pure-gan train: --lr-g must be a finite number > 0, got "0"'],
    ['a seed out of range', ['--seed', '4294967296'], 'pure-gan train: --seed must be an integer in 0..4294967295, got "4294967296"'],
    ['a negative seed', ['--seed', '-1'], 'pure-gan train: --seed must be an integer in 0..4294967295, got "-1"'],
    ['a bad choice', ['--bias-init', 'ones'], 'pure-gan train: --bias-init must be one of zeros, normal, got "ones"'],
    ['a positional argument', ['extra'], 'pure-gan train: unexpected argument extra'],
  ]

  it.each(cases)('%s', (_, args, message) => {
    const out = freshDir()
    const r = cli(['train', ...args, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr.startsWith(message)).toBe(true)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stdout).toBe('')
    expect(existsSync(out)).toBe(false)
  })

  it('an out folder that exists and is not empty, unless --force', () => {
    const out = freshDir()
    mkdirSync(out)
    writeFileSync(join(out, 'keep.txt'), 'mine')
    const r = cli(['train', ...SHORT, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`pure-gan train: --out ${out} exists and is not empty; choose another folder or pass --force to replace its run files\n`)
    expect(readdirSync(out)).toEqual(['keep.txt'])
    expect(cli(['train', ...SHORT, '--out', out, '--force', '--quiet']).code).toBe(0)
    expect(readdirSync(out)).toContain('run.json')
  })

  it('an unwritable out folder', () => {
    const file = join(work, `a-file-${++counter}`)
    writeFileSync(file, '')
    const r = cli(['train', ...SHORT, '--out', join(file, 'sub')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^pure-gan train: --out .* is not a writable folder \(.*ENOTDIR/)
    const ro = freshDir()
    mkdirSync(ro)
    chmodSync(ro, 0o500)
    const asRoot = process.getuid?.() === 0
    const r2 = cli(['train', ...SHORT, '--out', join(ro, 'x')])
    chmodSync(ro, 0o700)
    // root ignores permission bits; elsewhere a read-only parent must be refused.
    if (!asRoot) expect(r2.code).toBe(2)
  })

  it('a switch given a value is refused as taking no value', () => {
    for (const [arg, flag] of [['--force=false', '--force'], ['--quiet=1', '--quiet'], ['--json=yes', '--json'], ['-q=1', '-q'], ['--force=', '--force']] as const) {
      const out = freshDir()
      const r = cli(['train', arg, '--out', out])
      expect([r.code, r.stdout]).toEqual([2, ''])
      expect(r.stderr).toBe(`pure-gan train: ${flag} takes no value, got ${arg}; give ${flag} alone (see pure-gan train --help)\n`)
      expect(existsSync(out)).toBe(false)
    }
  })

  it('a flag given twice is refused, naming it', () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
      [['--epochs', '3', '--epochs=4'], '--epochs'],
      [['-q', '--quiet'], '--quiet (-q)'],
      [['--force', '--force'], '--force'],
      [['--seed', '1', '--seed', '1'], '--seed'],
    ]
    for (const [args, label] of cases) {
      const out = freshDir()
      const r = cli(['train', ...args, '--out', out])
      expect([r.code, r.stdout]).toEqual([2, ''])
      expect(r.stderr).toBe(`pure-gan train: ${label} is given twice; give each flag at most once (see pure-gan train --help)\n`)
    }
    const r = cli(['train', '--out', freshDir(), '--out', freshDir()])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^pure-gan train: --out is given twice/)
  })

  it('--help anywhere wins over every other flag and error', () => {
    const help = cli(['train', '--help']).stdout
    for (const args of [['train', '--bogus', '--help'], ['train', '--epochs', '0', '-h'], ['train', 'extra', '--force=1', '--help'], ['train', '--out', '--help']]) {
      const r = cli(args)
      expect([r.code, r.stdout, r.stderr]).toEqual([0, help, ''])
    }
    const verifyHelp = cli(['verify', '--help'])
    expect(verifyHelp.stdout).toMatch(/^usage: pure-gan verify RUN\.json/)
    expect(cli(['verify', 'a.json', 'b.json', '-h'])).toEqual({ code: 0, stdout: verifyHelp.stdout, stderr: '' })
    const top = cli(['fly', '--help'])
    expect([top.code, top.stderr]).toEqual([0, ''])
    expect(top.stdout).toContain('verify RUN.json')
  })

  it('--force checks every output name before training: a folder named report.html, a foreign run.json', () => {
    const out = freshDir()
    mkdirSync(join(out, 'report.html'), { recursive: true })
    const r = cli(['train', ...SHORT, '--force', '--out', out])
    expect([r.code, r.stdout]).toEqual([2, ''])
    expect(r.stderr).toBe(`pure-gan train: --out ${out}: report.html is a folder; --force replaces only regular files, so move it away or choose another folder\n`)
    expect(readdirSync(out)).toEqual(['report.html'])
    const foreign = freshDir()
    mkdirSync(foreign)
    writeFileSync(join(foreign, 'run.json'), '{"my": "data"}')
    const f = cli(['train', ...SHORT, '--force', '--out', foreign])
    expect(f.code).toBe(2)
    expect(f.stderr).toMatch(/^pure-gan train: --out .*: run\.json was not written by pure-gan .* so --force will not replace it/)
    expect(readFileSync(join(foreign, 'run.json'), 'utf8')).toBe('{"my": "data"}')
  })

  it('a stale temporary file of ours does not make the folder count as not empty, and is removed', () => {
    const out = freshDir()
    mkdirSync(out)
    writeFileSync(join(out, '.pure-gan-tmp-99999-run.json'), '{"half')
    writeFileSync(join(out, '.run.json.tmp-4242'), '{"half')
    const r = cli(['train', ...SHORT, '--quiet', '--out', out])
    expect([r.code, r.stderr]).toEqual([0, ''])
    expect(readdirSync(out).sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
  })

  it('one run’s outputs: a finished --force run removes an earlier last-finite-state.json, a non-finite stop an earlier run’s five files', () => {
    const out = freshDir()
    expect(cli(['train', ...SHORT, '--lr-d', '1e308', '--lr-g', '1e308', '--quiet', '--out', out]).code).toBe(1)
    expect(readdirSync(out)).toEqual(['last-finite-state.json'])
    expect(cli(['train', ...SHORT, '--quiet', '--force', '--out', out]).code).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['losses.svg', 'report.html', 'run.json', 'samples.svg', 'timing.json'])
    expect(cli(['train', ...SHORT, '--lr-d', '1e308', '--lr-g', '1e308', '--quiet', '--force', '--out', out]).code).toBe(1)
    expect(readdirSync(out)).toEqual(['last-finite-state.json'])
  })

  it('PURE_GAN_KERNELS other than js, wasm or auto; with js, the same run.json as with WebAssembly', () => {
    const bad = freshDir()
    const r = spawned(['train', ...SHORT, '--out', bad], work, { PURE_GAN_KERNELS: 'simd' })
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('pure-gan train: PURE_GAN_KERNELS must be js, wasm or auto (or unset), got "simd"\n')
    expect(existsSync(bad)).toBe(false)
    const [viaJs, viaWasm] = [freshDir(), freshDir()]
    expect(spawned(['train', ...SHORT, '--quiet', '--out', viaJs], work, { PURE_GAN_KERNELS: 'js' }).code).toBe(0)
    expect(spawned(['train', ...SHORT, '--quiet', '--out', viaWasm], work, { PURE_GAN_KERNELS: 'wasm' }).code).toBe(0)
    expect(readFileSync(join(viaJs, 'run.json'), 'utf8')).toBe(readFileSync(join(viaWasm, 'run.json'), 'utf8'))
  })

  it('an unknown command (exit code 2 from the binary)', () => {
    const r = spawned(['fly'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('pure-gan: unknown command "fly"; commands are train, verify, sweep, merge and classifier (see pure-gan --help)\n')
  })
})

describe('pure-gan train: objectives and critic steps (issue 14)', () => {
  it.each([
    [['--objective', 'minimax'], { objective: { kind: 'minimax' } }],
    [['--objective', 'least-squares', '--ls-a', '-1', '--ls-c', '0'], { objective: { kind: 'least-squares', a: -1, b: 1, c: 0 } }],
    [['--objective', 'hinge', '--critic-steps', '3'], { objective: { kind: 'hinge' }, criticSteps: 3 }],
    [['--weight-clip', '0.5', '--objective', 'wasserstein'], { objective: { kind: 'wasserstein', clip: 0.5 } }],
    [['--objective', 'wasserstein-gp', '--gp-lambda', '5', '--critic-steps', '2'], { objective: { kind: 'wasserstein-gp', lambda: 5 }, criticSteps: 2 }],
    [['--r1-gamma', '3'], { penalty: { kind: 'r1', gamma: 3 } }],
    [['--pack', '4', '--objective', 'hinge'], { objective: { kind: 'hinge' }, pack: 4 }],
    [['--optimizer-d', 'rmsprop', '--rho', '0.9', '--optimizer-g', 'momentum'], { optimizerD: { kind: 'rmsprop', rho: 0.9, epsilon: 1e-8 }, optimizerG: { kind: 'momentum', momentum: 0.9 } }],
    [['--optimizer-g', 'sgd', '--beta1', '0.5'], { optimizerG: { kind: 'sgd' } }],
  ])('%j trains and records the effective config (defaults filled in), and verify confirms it', (flags, want) => {
    const out = freshDir()
    expect(cli(['train', ...SHORT, ...flags, '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    const { objective, criticSteps, penalty, optimizerD, optimizerG, pack } = record.config
    expect({ objective, criticSteps, penalty, optimizerD, optimizerG, pack }).toEqual({ objective: undefined, criticSteps: undefined, penalty: undefined, optimizerD: undefined, optimizerG: undefined, pack: undefined, ...want })
    expect(cli(['verify', join(out, 'run.json')]).code).toBe(0)
  })

  it.each([
    [['--weight-clip', '0.1'], '--weight-clip applies to --objective wasserstein only, got --objective nonsaturating'],
    [['--objective', 'hinge', '--ls-b', '2'], '--ls-b applies to --objective least-squares only, got --objective hinge'],
    [['--objective', 'wasserstein', '--weight-clip', '0'], '--weight-clip must be a finite number > 0, got "0"'],
    [['--objective', 'wgan'], '--objective must be one of nonsaturating, minimax, least-squares, hinge, wasserstein, wasserstein-gp, got "wgan"'],
    [['--critic-steps', '0'], '--critic-steps must be an integer in 1..1000, got "0"'],
    [['--rho', '0.9'], "--rho applies to a player whose optimiser is rmsprop, but neither player's is"],
    [['--optimizer-d', 'sgd', '--optimizer-g', 'momentum', '--epsilon', '1e-7'], "--epsilon applies to a player whose optimiser is adam or rmsprop, but neither player's is"],
    [['--optimizer-d', 'adagrad'], '--optimizer-d must be one of adam, rmsprop, momentum, sgd, got "adagrad"'],
    [['--r1-gamma', '0'], '--r1-gamma must be a finite number > 0, got "0"'],
    [['--pack', '3'], "these settings cannot run: pack must divide batchSize (8): each of D's input rows is a whole pack, got 3"],
    [['--pack', '16', '--batch-size', '16'], "these settings cannot run: pack must divide the last minibatch's rows too (data.size 200 mod batchSize 16 = 8), got 16"],
    [['--dropout-keep', '0.5,x,1'], '--dropout-keep: entry 2 must be a number in (0, 1], got "x"'],
    [['--dropout-keep', '0.5,1,0'], '--dropout-keep: entry 3 must be a number in (0, 1], got "0"'],
    [['--dropout-keep', '0.5,1'], '--dropout-keep must give one keep probability per layer of D (3), got 2'],
    [['--discriminator', '4:tanh,1', '--dropout-keep', '0.5,1,1'], '--dropout-keep must give one keep probability per layer of D (2), got 3'],
    [['--dropout-keep', '0.5,1,1', '--r1-gamma', '1'], '--dropout-keep cannot be combined with a gradient penalty (--objective wasserstein-gp or --r1-gamma), got --r1-gamma'],
    [['--dropout-keep', '1,0.8,1', '--objective', 'wasserstein-gp'], '--dropout-keep cannot be combined with a gradient penalty (--objective wasserstein-gp or --r1-gamma), got --objective wasserstein-gp'],
  ])('%j is refused with one line and exit 2, writing nothing', (flags, message) => {
    const out = freshDir()
    const r = cli(['train', ...SHORT, ...flags, '--out', out])
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `pure-gan train: ${message}\n`])
    expect(existsSync(out)).toBe(false)
  })
})

describe('pure-gan train: --dropout-keep (issue 14)', () => {
  it("sets the keep of D's layers in order (1: none), trains, and verify confirms the run", () => {
    const out = freshDir()
    expect(cli(['train', ...SHORT, '--discriminator', 'maxout4x2,3:tanh,1', '--dropout-keep', '0.8,1,0.5', '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config.discriminator.layers.map((l: { keep?: number }) => l.keep)).toEqual([0.8, undefined, 0.5])
    expect(cli(['verify', join(out, 'run.json')]).code).toBe(0)
    expect(cli(['train', '--help']).stdout).toContain('--dropout-keep K1,K2,...')
  })
})

describe('pure-gan train: --config and --preset (issue 14)', () => {
  const configFile = (name: string, value: unknown): string => {
    const path = join(work, name)
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value))
    return path
  }

  it('--config FILE trains that config, the flags override its fields, and run.json records the effective config', () => {
    const file = configFile('hinge.json', { ...seedConfig, epochs: 3, data: { ...seedConfig.data, size: 200 }, objective: { kind: 'hinge' }, criticSteps: 2 })
    const out = freshDir()
    expect(cli(['train', '--config', file, '--epochs', '2', '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config).toEqual({ ...seedConfig, epochs: 2, data: { ...seedConfig.data, size: 200 }, objective: { kind: 'hinge' }, criticSteps: 2 })
    expect(record.history).toHaveLength(2)
  })

  it.each(['wgan', 'wgan-gp', 'd2l-stable'])('--preset %s trains its setup on the seed\'s data, and verify confirms it', (preset) => {
    const out = freshDir()
    expect(cli(['train', ...SHORT, '--preset', preset, '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config).toEqual({ ...PRESETS[preset], epochs: 2, data: { ...seedConfig.data, size: 200 } })
    expect(cli(['verify', join(out, 'run.json')]).code).toBe(0)
  })

  it.each(Object.keys(PRESETS))('the preset %s is a valid config', (preset) => {
    expect(E.isRight(validateConfig(PRESETS[preset]))).toBe(true)
  })

  it.each([
    ['pacgan-ring', { kind: 'ring8', size: 100_000, std: 0.01 }],
    ['pacgan-grid', { kind: 'grid25', size: 100_000, std: 0.05 }],
  ] as const)("%s is PacGAN's 2-D setup (its config.py and pacgan_task.py, docs/benchmarks.md) on its mixture", (preset, data) => {
    const bn = { kind: 'batchnorm', units: 400, activation: { kind: 'relu' }, momentum: 0.05, epsilon: 1e-5 }
    const linear400 = { units: 400, activation: { kind: 'identity' } }
    const maxout = { kind: 'maxout', units: 200, pieces: 5, activation: { kind: 'identity' } }
    expect(PRESETS[preset]).toStrictEqual({
      ...seedConfig,
      epochs: 400,
      batchSize: 100,
      latentDim: 2,
      learningRateD: 1e-4,
      learningRateG: 1e-4,
      adam: { beta1: 0.8, beta2: 0.999, epsilon: 1e-8 },
      generator: { layers: [linear400, bn, linear400, bn, linear400, bn, linear400, bn, { units: 2, activation: { kind: 'identity' } }] },
      discriminator: { layers: [maxout, maxout, maxout, { units: 1, activation: { kind: 'identity' } }] },
      init: { weightStd: 0.02, biasInit: 'zeros' },
      data,
    })
    const validated = validateConfig(PRESETS[preset])
    expect(E.isRight(validated) && validated.right).toStrictEqual(PRESETS[preset])
  })

  it.each([
    ['pacgan2-ttur-ring', 'pacgan-ring'],
    ['pacgan2-ttur-grid', 'pacgan-grid'],
  ] as const)('%s is %s with packs of 2, Adam β1 0.5 and learning rates 1e-3 (D), 2e-4 (G) (docs/benchmarks.md, "Beyond the table")', (preset, paper) => {
    expect(PRESETS[preset]).toStrictEqual({
      ...PRESETS[paper],
      learningRateD: 1e-3,
      learningRateG: 2e-4,
      adam: { beta1: 0.5, beta2: 0.999, epsilon: 1e-8 },
      pack: 2,
    })
    const validated = validateConfig(PRESETS[preset])
    expect(E.isRight(validated) && validated.right).toStrictEqual(PRESETS[preset])
  })

  it('--preset pacgan-ring trains at a small budget with --pack 2 (its summary and metrics run G on 13 750 points: seconds)', () => {
    const out = freshDir()
    expect(cli(['train', '--preset', 'pacgan-ring', '--epochs', '1', '--data-size', '200', '--pack', '2', '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config).toEqual({ ...PRESETS['pacgan-ring'], epochs: 1, pack: 2, data: { kind: 'ring8', size: 200, std: 0.01 } })
    expect(record.metrics.modes.samples).toBe(2500)
  })

  it('d2l-stable is the seed\'s config but for epochs, batchSize, Adam\'s beta1 and the objective (docs/reproduction.md)', () => {
    const stable = PRESETS['d2l-stable']!
    const validated = validateConfig(stable)
    expect(E.isRight(validated) && validated.right).toStrictEqual(stable)
    // exactly these fields differ from d2l's, to exactly these values
    const keys = [...new Set([...Object.keys(seedConfig), ...Object.keys(stable)])] as ReadonlyArray<keyof GanConfig>
    expect(keys.filter((k) => !isDeepStrictEqual(stable[k], seedConfig[k]))).toEqual(['epochs', 'batchSize', 'adam', 'objective'])
    expect(stable).toStrictEqual({
      ...seedConfig,
      epochs: 40,
      batchSize: 16,
      adam: { ...seedConfig.adam, beta1: 0.5 },
      objective: { kind: 'least-squares', a: 0, b: 1, c: 1 },
    })
    // the seed's architecture and data: the networks, the noise, the initialisation, the data
    const architectureAndData = (c: GanConfig) => [c.latentDim, c.generator, c.discriminator, c.init, c.data, c.pack, c.penalty, c.criticSteps]
    expect(architectureAndData(stable)).toStrictEqual(architectureAndData(seedConfig))
    // and the seed's learning rates and optimisers (Adam for both players, β2 and ε the seed's)
    expect([stable.learningRateD, stable.learningRateG, stable.optimizerD, stable.optimizerG, stable.adam.beta2, stable.adam.epsilon])
      .toStrictEqual([seedConfig.learningRateD, seedConfig.learningRateG, seedConfig.optimizerD, seedConfig.optimizerG, seedConfig.adam.beta2, seedConfig.adam.epsilon])
  })

  it('--preset d2l-stable\'s full run of seed 0 ends under the success criterion (Fréchet 0.0088, docs/reproduction.md)', () => {
    const out = freshDir()
    expect(cli(['train', '--preset', 'd2l-stable', '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config).toEqual(PRESETS['d2l-stable'])
    expect(record.summary.frechetDistance).toBeLessThan(0.1)
  })

  it('--preset d2l is the default run, bit for bit', () => {
    const [a, b] = [freshDir(), freshDir()]
    expect(cli(['train', ...SHORT, '--preset', 'd2l', '--out', a, '--quiet']).code).toBe(0)
    expect(cli(['train', ...SHORT, '--out', b, '--quiet']).code).toBe(0)
    expect(readFileSync(join(a, 'run.json'), 'utf8')).toBe(readFileSync(join(b, 'run.json'), 'utf8'))
  })

  it.each([
    ['not JSON', () => ['--config', configFile('bad.json', '{"seed": 1,')], /^--config .*bad\.json is not JSON \(.+\)$/],
    ['an invalid config', () => ['--config', configFile('invalid.json', { ...seedConfig, batchSize: 0, objective: { kind: 'wasserstein', clip: 0 } })], /^--config .*invalid\.json is not a valid config: batchSize must be an integer in 1\.\.1000, got 0; objective\.clip must be a finite number > 0 for the wasserstein objective, got 0$/],
    ['a missing file', () => ['--config', join(work, 'absent.json')], /^cannot read .*absent\.json \(ENOENT\)$/],
    ['a folder', () => ['--config', work], /is a folder, not a regular file; train --config reads a JSON config$/],
    ['both', () => ['--config', configFile('both.json', seedConfig), '--preset', 'd2l'], /^--config and --preset both choose the starting config; give one of them$/],
    ['an unknown preset', () => ['--preset', 'biggan'], /^--preset must be one of d2l, wgan, wgan-gp, d2l-stable, pacgan-ring, pacgan-grid, pacgan2-ttur-ring, pacgan2-ttur-grid, goodfellow2014-mnist, got "biggan"$/],
    ['an empty file name', () => ['--config='], /^--config needs a file name$/],
  ])('%s is refused with one line and exit 2, writing nothing', (_, flags, message) => {
    const out = freshDir()
    const r = cli(['train', ...flags(), '--out', out])
    expect([r.code, r.stdout]).toEqual([2, ''])
    expect(r.stderr.startsWith('pure-gan train: ') && r.stderr.endsWith('\n') && r.stderr.split('\n').length === 2).toBe(true)
    expect(r.stderr.slice('pure-gan train: '.length, -1)).toMatch(message)
    expect(existsSync(out)).toBe(false)
  })
})

describe('pure-gan train --noise (issue 18)', () => {
  it('records uniform noise with its bound, leaves normal out of the config, and refuses other names', () => {
    const uniform = freshDir()
    expect(cli(['train', ...SHORT, '--out', uniform, '--quiet', '--noise', 'uniform']).code).toBe(0)
    expect(JSON.parse(readFileSync(join(uniform, 'run.json'), 'utf8')).config.noise).toEqual({ kind: 'uniform', bound: Math.sqrt(3) })
    const normal = freshDir()
    const plain = freshDir()
    expect(cli(['train', ...SHORT, '--out', normal, '--quiet', '--noise', 'normal']).code).toBe(0)
    expect(cli(['train', ...SHORT, '--out', plain, '--quiet']).code).toBe(0)
    expect(readFileSync(join(normal, 'run.json'), 'utf8')).toBe(readFileSync(join(plain, 'run.json'), 'utf8'))
    const bad = freshDir()
    const r = cli(['train', ...SHORT, '--out', bad, '--noise', 'cauchy'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('pure-gan train: --noise must be one of normal, uniform, got "cauchy"\n')
    expect(existsSync(bad)).toBe(false)
  })
})

describe('pure-gan train --threads (issue 17)', () => {
  // G 2-256-256-2 on minibatches of 64: its middle products (4.2 M multiply-adds) and its Adam
  // steps (66 000 entries) are split between the two threads
  const WIDE = ['--epochs', '2', '--data-size', '320', '--batch-size', '64', '--generator', '256:relu,256:relu,2', '--discriminator', '256:relu,1']

  it('--threads 2 writes the same run.json, byte for byte, as one thread', () => {
    const one = freshDir()
    const two = freshDir()
    expect(spawned(['train', ...WIDE, '--out', one, '--quiet']).code).toBe(0)
    const r = spawned(['train', ...WIDE, '--out', two, '--quiet', '--threads', '2'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(readFileSync(join(two, 'run.json'), 'utf8')).toBe(readFileSync(join(one, 'run.json'), 'utf8'))
  })

  it('refuses any other count, the JavaScript kernels and a sweep, with one line and nothing written', () => {
    for (const bad of ['0', '3', '1.5', 'two', '']) {
      const out = freshDir()
      const r = spawned(['train', ...SHORT, '--out', out, `--threads=${bad}`])
      expect(r.code).toBe(2)
      expect(r.stderr).toBe(`pure-gan train: --threads must be 1 or 2 (2 splits the large matrix products of the WebAssembly steps over a second thread, with the same bits), got ${JSON.stringify(bad)}\n`)
      expect(existsSync(out)).toBe(false)
    }
    const out = freshDir()
    const js = spawned(['train', ...SHORT, '--out', out, '--threads', '2'], work, { PURE_GAN_KERNELS: 'js' })
    expect(js.code).toBe(2)
    expect(js.stderr).toBe('pure-gan train: --threads 2: kernel threads need the WebAssembly kernels, but this run uses the JavaScript ones (PURE_GAN_KERNELS=js, or a host without WebAssembly)\n')
    expect(existsSync(out)).toBe(false)
    const sweep = spawned(['sweep', '--seeds', '0..1', '--out', out, '--threads', '2'])
    expect(sweep.code).toBe(2)
    expect(sweep.stderr).toBe('pure-gan sweep: --threads is not a sweep flag: a sweep runs its runs in parallel on --workers instead (see pure-gan sweep --help)\n')
    expect(existsSync(out)).toBe(false)
    // in process (runCli is synchronous): one line, pointing at runCliAsync
    const inProcess = cli(['train', ...SHORT, '--out', out, '--threads', '2'])
    expect(inProcess.code).toBe(2)
    expect(inProcess.stderr).toContain('--threads 2 starts a second thread, asynchronously')
    expect(existsSync(out)).toBe(false)
  })
})

describe('pure-gan verify', () => {
  const out = join(work, 'verify-run')
  const runJson = join(out, 'run.json')

  it('confirms a good record bit for bit (exit 0)', () => {
    expect(cli(['train', ...SHORT, '--seed', '3', '--out', out, '--quiet']).code).toBe(0)
    const r = spawned(['verify', runJson])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`verified: ${runJson} is bit-identical to a fresh run (seed 3, 2 epochs)\n`)
  })

  it('names the first difference of a tampered record (exit 1)', () => {
    const record = JSON.parse(readFileSync(runJson, 'utf8'))
    record.history[1].lossG = record.history[1].lossG + 1e-12
    const tampered = join(work, 'tampered.json')
    writeFileSync(tampered, JSON.stringify(record))
    const r = cli(['verify', tampered])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^different: .* first differ at history\[1\]\.lossG: /)
    const record2 = JSON.parse(readFileSync(runJson, 'utf8'))
    const f64: string = record2.finalState.generator[0].W.f64
    record2.finalState.generator[0].W.f64 = f64.slice(0, 20) + (f64[20] === '0' ? '1' : '0') + f64.slice(21)
    writeFileSync(tampered, JSON.stringify(record2))
    const r2 = cli(['verify', tampered])
    expect(r2.code).toBe(1)
    expect(r2.stdout).toContain('first differ at finalState.generator[0].W.f64: entry 1 (row-major) differs')
  })

  it('rejects a missing, truncated, non-JSON or other-version record with exit 2', () => {
    const text = readFileSync(runJson, 'utf8')
    const write = (name: string, body: string) => {
      const p = join(work, name)
      writeFileSync(p, body)
      return p
    }
    const cases: ReadonlyArray<readonly [string, RegExp]> = [
      [join(work, 'missing.json'), /^pure-gan verify: cannot read .*missing\.json \(ENOENT\)\n$/],
      [write('truncated.json', text.slice(0, text.length / 2)), /^pure-gan verify: .*truncated\.json is not valid JSON, perhaps truncated/],
      [write('notjson.json', 'hello'), /is not valid JSON/],
      [write('v2.json', JSON.stringify({ ...JSON.parse(text), version: 2 })), /has run-record version 2; this pure-gan reads version 1\n$/],
      [write('other.json', JSON.stringify({ format: 'something' })), /format must be "pure-gan\/run", found "something"/],
    ]
    for (const [path, message] of cases) {
      const r = cli(['verify', path])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
    }
    expect(cli(['verify']).code).toBe(2)
  })

  it('a re-run that stops at a non-finite value is exit 1 with that message, not a crash', () => {
    const record = JSON.parse(readFileSync(runJson, 'utf8'))
    record.config.learningRateD = 1e308
    record.config.learningRateG = 1e308
    const p = join(work, 'diverges.json')
    writeFileSync(p, JSON.stringify(record))
    const r = cli(['verify', p])
    expect([r.code, r.stdout]).toEqual([1, ''])
    expect(r.stderr).toMatch(/^pure-gan verify: the re-run stopped: training stopped .*\n$/)
    expect(r.stderr).not.toContain('\n    at ')
  })

  it('a record nested 50 000 deep inside history, a folder, or a wrong field type: exit 2, one line', () => {
    const record = JSON.parse(readFileSync(runJson, 'utf8'))
    const deep = join(work, 'deep.json')
    writeFileSync(deep, JSON.stringify({ ...record, history: 'X' }).replace('"X"', '['.repeat(50_000) + ']'.repeat(50_000)))
    const wrong = join(work, 'wrong.json')
    writeFileSync(wrong, JSON.stringify({ ...record, history: [{ ...record.history[0], lossD: 'high' }] }))
    const cases: ReadonlyArray<readonly [string, string]> = [
      [deep, `pure-gan verify: ${deep} is not a run record: history[0] must be an object { epoch, lossD, lossG, examples }, found an array\n`],
      [work, `pure-gan verify: ${work} is a folder, not a regular file; verify reads a run.json that pure-gan train wrote\n`],
      [wrong, `pure-gan verify: ${wrong} is not a run record: history[0].lossD must be a finite number, found string\n`],
    ]
    for (const [path, message] of cases) {
      const r = cli(['verify', path])
      expect([r.code, r.stdout, r.stderr]).toEqual([2, '', message])
    }
  })
})

describe('pure-gan train: layer lists (--generator, --discriminator; issue 14)', () => {
  const maxout = (units: number, pieces: number) => ({ kind: 'maxout', units, pieces, activation: { kind: 'identity' } })
  const dense = (units: number, kind = 'identity', alpha?: number) => ({ units, activation: alpha === undefined ? { kind } : { kind, alpha } })

  it.each([
    [['--discriminator', 'maxout6x5,maxout6x5,1'], { discriminator: [maxout(6, 5), maxout(6, 5), dense(1)] }],
    [['--generator', '8:relu,8:relu,2', '--discriminator', 'maxout4x2,1'], { generator: [dense(8, 'relu'), dense(8, 'relu'), dense(2)], discriminator: [maxout(4, 2), dense(1)] }],
    [['--generator', '3:leakyRelu@0.2,2:identity', '--discriminator', '5:sigmoid,1', '--objective', 'wasserstein-gp'], { generator: [dense(3, 'leakyRelu', 0.2), dense(2)], discriminator: [dense(5, 'sigmoid'), dense(1)] }],
    [['--generator', 'maxout3x3,maxout2x2', '--discriminator', 'maxout3x2,1', '--r1-gamma', '1'], { generator: [maxout(3, 3), maxout(2, 2)], discriminator: [maxout(3, 2), dense(1)] }],
    // batch normalisation: its momentum and epsilon recorded as filled in
    [['--generator', '8,bn:relu,2', '--objective', 'hinge'], { generator: [dense(8), { kind: 'batchnorm', units: 8, activation: { kind: 'relu' }, momentum: 0.1, epsilon: 1e-5 }, dense(2)], discriminator: seedConfig.discriminator.layers }],
  ])('%j trains with those layers, records them in run.json (maxout with its identity), and verify confirms the run', (flags, want) => {
    const out = freshDir()
    expect(cli(['train', ...SHORT, ...flags, '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config.generator.layers).toEqual('generator' in want ? want.generator : seedConfig.generator.layers)
    expect(record.config.discriminator.layers).toEqual(want.discriminator)
    expect(cli(['verify', join(out, 'run.json')]).code).toBe(0)
  })

  it('the lists override --config FILE\'s and --preset\'s layers; the rest of that config stays', () => {
    const file = join(work, 'layers.json')
    writeFileSync(file, JSON.stringify({ ...seedConfig, epochs: 2, data: { ...seedConfig.data, size: 200 }, discriminator: { layers: [dense(7, 'tanh'), dense(1)] } }))
    const out = freshDir()
    expect(cli(['train', '--config', file, '--discriminator', 'maxout3x4,1', '--out', out, '--quiet']).code).toBe(0)
    const record = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'))
    expect(record.config.discriminator.layers).toEqual([maxout(3, 4), dense(1)])
    expect(record.config.epochs).toBe(2)
    const preset = freshDir()
    expect(cli(['train', '--preset', 'wgan-gp', ...SHORT, '--generator', '4:relu,2', '--out', preset, '--quiet']).code).toBe(0)
    const fromPreset = JSON.parse(readFileSync(join(preset, 'run.json'), 'utf8'))
    expect(fromPreset.config.generator.layers).toEqual([dense(4, 'relu'), dense(2)])
    expect(fromPreset.config.objective).toEqual(PRESETS['wgan-gp']!.objective)
  })

  const form = 'UNITS[:ACTIVATION] (ACTIVATION one of identity, tanh, sigmoid, relu, leakyRelu@SLOPE; identity when left out), maxoutUNITSxPIECES or bn[UNITS][:ACTIVATION]'
  it.each([
    [['--discriminator', 'maxout240x5,maxout24x,1'], `--discriminator: layer 2 must be ${form}, got "maxout24x"`],
    [['--generator', '256:relu,,2'], `--generator: layer 2 must be ${form}, got ""`],
    [['--generator', ''], `--generator: layer 1 must be ${form}, got ""`],
    [['--generator', '4:swish,2'], `--generator: layer 1 must be ${form}, got "4:swish"`],
    [['--generator', '4:leakyRelu,2'], `--generator: layer 1 must be ${form}, got "4:leakyRelu"`],
    [['--discriminator', 'maxout4x2:relu,1'], `--discriminator: layer 1 must be ${form}, got "maxout4x2:relu"`],
    [['--discriminator', '5:tanh, 1'], `--discriminator: layer 2 must be ${form}, got " 1"`],
    [['--discriminator', '5:TANH,1'], `--discriminator: layer 1 must be ${form}, got "5:TANH"`],
    [['--discriminator', `${'9'.repeat(120)},1`], `--discriminator: layer 1 must have units in 1..100000, got "${'9'.repeat(100)}..."`],
    [['--generator', '0:relu,2'], '--generator: layer 1 must have units in 1..100000, got "0:relu"'],
    [['--generator', '4,100001'], '--generator: layer 2 must have units in 1..100000, got "100001"'],
    [['--discriminator', 'maxout4x1,1'], '--discriminator: layer 1 must have pieces in 2..64, got "maxout4x1"'],
    [['--discriminator', 'maxout4x65,1'], '--discriminator: layer 1 must have pieces in 2..64, got "maxout4x65"'],
    [['--generator', '3:leakyRelu@1,2'], '--generator: layer 1 must have a leakyRelu slope in [0, 1), got "3:leakyRelu@1"'],
    [['--generator', '3:leakyRelu@-0.5,2'], '--generator: layer 1 must have a leakyRelu slope in [0, 1), got "3:leakyRelu@-0.5"'],
    [['--generator', '3'], "these settings cannot run: generator.layers: the last layer must have 2 units (the data's width), got 3"],
    [['--discriminator', '5:tanh,maxout1x3'], 'these settings cannot run: discriminator.layers: the last layer must be a dense { units: 1, activation: identity } (a logit), got a maxout layer (units 1, pieces 3)'],
    [['--discriminator', '5:tanh,1:tanh'], 'these settings cannot run: discriminator.layers: the last layer must be { units: 1, activation: identity } (a logit), got units 1, activation tanh'],
    [['--generator', 'bn:relu,2'], '--generator: layer 1 is a batch normalisation layer, which must give its width as the first layer: bnUNITS (the noise\'s width), got "bn:relu"'],
    [['--generator', 'bn3:relu,2'], "these settings cannot run: generator.layers[0].units must equal its input's width 2 (a batch normalisation layer keeps the width), got 3"],
    [['--discriminator', '4,bn:relu,1'], "these settings cannot run: discriminator.layers[1]: batch normalisation is for the generator's layers only, not the discriminator's (D's batch mixes real and generated rows, and the gradient penalties are per-row)"],
    [['--generator', '4,bn:relu,2', '--batch-size', '1'], 'these settings cannot run: batchSize must be at least 2 with batch normalisation in the generator (one row has no variance), got 1'],
    [['--generator', '4,bn:relu,2', '--batch-size', '199'], 'these settings cannot run: batchSize 199 leaves a last minibatch of 1 row of data.size 200; batch normalisation in the generator needs at least 2 rows (choose a batchSize that does not leave 1)'],
  ])('%j is refused with one line and exit 2, writing nothing', (flags, message) => {
    const out = freshDir()
    const r = cli(['train', ...SHORT, ...flags, '--out', out])
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', `pure-gan train: ${message}\n`])
    expect(existsSync(out)).toBe(false)
  })
})
