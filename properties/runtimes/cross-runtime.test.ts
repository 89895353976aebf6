/**
 * The same bits on every runtime (issue 12; docs/portability.md): the golden runs
 * (golden-runs.mjs: the PRNG's golden sequences, the seed GAN's golden checkpoints, the
 * whole seed run and a run with every activation kind) under the current Node, Node 24,
 * Deno, Bun and Chromium, each compared with the golden values committed in
 * properties/golden/ and the whole runs with the current Node's.
 *
 * Not part of `npm test`: `npm run test:runtimes` (properties/runtimes/vitest.config.ts, which
 * builds first and sets PURE_GAN_RUNTIMES_SUITE=1). The expected values are read from
 * properties/golden/*.json at run time, so regenerating those needs no change here.
 * A runtime that cannot be obtained is skipped with its reason printed (a failure instead
 * with PURE_GAN_RUNTIMES_REQUIRED=1, as CI sets it).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CHROMIUM_FLAGS,
  type RuntimeBinary,
  chromiumRuntime,
  npmRuntime,
  repoRoot,
  runtimeCacheDir,
} from '../support/runtime-cache.js'

const ENABLED = process.env['PURE_GAN_RUNTIMES_SUITE'] === '1'
if (!ENABLED) {
  console.info('properties/runtimes/cross-runtime.test.ts: skipped, it runs only in `npm run test:runtimes`')
}

const script = join(repoRoot, 'properties', 'runtimes', 'golden-runs.mjs')
const goldenDir = join(repoRoot, 'properties', 'golden')

interface GoldenRuns {
  readonly runtime: { readonly name: string; readonly version: string; readonly engine: string }
  readonly golden: Readonly<Record<string, unknown>>
  readonly runs: Readonly<Record<string, { readonly hash: string }>>
  readonly hashes: Readonly<Record<string, string>>
  readonly backend: string
}

/** Every committed golden file, by name: the expected values. */
const committedGolden = (): Record<string, unknown> =>
  Object.fromEntries(
    readdirSync(goldenDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => [f, JSON.parse(readFileSync(join(goldenDir, f), 'utf8')) as unknown]),
  )

/** The first place where two JSON values differ, as `path: expected ≠ actual`, or undefined. */
const firstDifference = (expected: unknown, actual: unknown, path = ''): string | undefined => {
  if (Object.is(expected, actual)) return undefined
  // A matrix's bit patterns are one string of 16-digit groups: name the first group that differs.
  if (typeof expected === 'string' && typeof actual === 'string' && expected.length === actual.length && expected.length % 16 === 0 && expected.length > 16) {
    for (let i = 0; i < expected.length; i += 16) {
      if (expected.slice(i, i + 16) !== actual.slice(i, i + 16)) return `${path}[entry ${i / 16}]: ${expected.slice(i, i + 16)} ≠ ${actual.slice(i, i + 16)}`
    }
  }
  const show = (v: unknown) => (typeof v === 'object' && v !== null ? (Array.isArray(v) ? 'an array' : 'an object') : JSON.stringify(v))
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null || Array.isArray(expected) !== Array.isArray(actual)) {
    return `${path || '(top)'}: ${show(expected)} ≠ ${show(actual)}`
  }
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])]
  for (const key of keys) {
    const e = (expected as Record<string, unknown>)[key]
    const a = (actual as Record<string, unknown>)[key]
    const at = Array.isArray(expected) ? `${path}[${key}]` : `${path}.${key}`
    if (!(key in expected) || !(key in actual)) return `${at}: ${key in expected ? 'missing' : 'unexpected'}`
    const d = firstDifference(e, a, at)
    if (d !== undefined) return d
  }
  return undefined
}

/** What differs between a runtime's output and the expected values; empty when nothing does. */
const differences = (out: GoldenRuns, golden: Record<string, unknown>, reference: GoldenRuns | undefined): string[] => {
  const found: string[] = []
  for (const [name, expected] of Object.entries(golden)) {
    if (!(name in out.golden)) {
      found.push(`${name}: golden-runs-core.mjs does not compute it (add it there)`)
      continue
    }
    const d = firstDifference(expected, out.golden[name])
    if (d !== undefined) found.push(`${name} differs first at ${d}`)
  }
  if (reference !== undefined) {
    for (const [name, run] of Object.entries(reference.runs)) {
      const mine = out.runs[name]
      if (mine?.hash !== run.hash) found.push(`run ${name}: hash ${mine?.hash.slice(0, 16)} ≠ ${run.hash.slice(0, 16)} (${reference.runtime.name} ${reference.runtime.version})`)
    }
  }
  return found
}

const parse = (label: string, text: string): GoldenRuns => {
  try {
    return JSON.parse(text) as GoldenRuns
  } catch {
    throw new Error(`${label}: the golden runs printed no JSON:\n${text.slice(0, 2000)}`)
  }
}

/** Runs golden-runs.mjs as a program; `command` is the binary and its arguments before the script. */
const runProgram = (label: string, command: readonly string[]): GoldenRuns => {
  const [bin, ...args] = command
  const result = spawnSync(bin ?? '', [...args, script], { cwd: repoRoot, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 << 20 })
  if (result.status !== 0) throw new Error(`${label}: exit ${result.status}${result.error ? ` (${result.error.message})` : ''}\n${result.stderr}`)
  return parse(label, result.stdout)
}

/** Bundles golden-runs.mjs for the browser and runs it in a Chromium page; reads its console line. */
const runInChromium = async (executablePath: string): Promise<GoldenRuns> => {
  const bundle = await build({
    entryPoints: [script],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    write: false,
    logLevel: 'silent',
  })
  const code = bundle.outputFiles[0]?.text ?? ''
  const userDataDir = mkdtempSync(join(tmpdir(), 'pure-gan-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    timeout: 120_000,
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    const printed = new Promise<string>((resolve, reject) => {
      page.on('console', (message) => {
        if (message.type() === 'log') resolve(message.text())
      })
      page.on('pageerror', (error) => reject(error))
    })
    await page.setContent('<!doctype html><title>pure-gan golden runs</title>')
    await page.addScriptTag({ content: code })
    return parse('chromium', await printed)
  } finally {
    await context.close()
    rmSync(userDataDir, { recursive: true, force: true })
  }
}

describe.skipIf(!ENABLED)('the golden runs give the golden bits on every runtime', () => {
  const golden = committedGolden()
  const results: { label: string; out?: GoldenRuns; differs?: string[]; skipped?: string }[] = []
  let reference: GoldenRuns | undefined

  beforeAll(() => {
    reference = runProgram(`node ${process.version}`, [process.execPath])
  })

  const check = (label: string, out: GoldenRuns) => {
    const differs = differences(out, golden, reference)
    // Every runtime here runs the WebAssembly kernels (src/wasm): their bits are what is compared.
    if (out.backend !== 'wasm') differs.push(`ran the ${out.backend} kernels, not WebAssembly`)
    results.push({ label, out, differs })
    console.info(`${label} (${out.runtime.name} ${out.runtime.version}, ${out.runtime.engine}): ${differs.length === 0 ? 'the golden bits' : `DIFFERS\n  ${differs.join('\n  ')}`}`)
    expect(differs).toEqual([])
  }

  const skip = (label: string, binary: RuntimeBinary & { available: false }, ctx: { skip: () => void }) => {
    // CI sets PURE_GAN_RUNTIMES_REQUIRED=1: there a runtime that cannot be had is a failure, not a skip.
    if (process.env['PURE_GAN_RUNTIMES_REQUIRED'] === '1') throw new Error(`${label} is required here (PURE_GAN_RUNTIMES_REQUIRED=1) but unavailable: ${binary.reason}`)
    console.warn(`${label}: SKIPPED, ${binary.reason}`)
    results.push({ label, skipped: binary.reason })
    ctx.skip()
  }

  it(`the current node (${process.version}) computes the golden values (the reference for the whole runs)`, () => {
    if (reference === undefined) throw new Error('no reference run')
    check(`node ${process.version}`, reference)
  })

  for (const name of ['node24', 'deno', 'bun'] as const) {
    it(`${name}: the golden runs equal the golden values and the current node's runs`, (ctx) => {
      const binary = npmRuntime(name)
      if (!binary.available) return skip(name, binary, ctx)
      const command = name === 'deno' ? [binary.path, 'run', '--allow-read', '--no-lock'] : [binary.path]
      check(name, runProgram(name, command))
    })
  }

  it('chromium: the bundled golden runs in a page equal the golden values and the current node runs', async (ctx) => {
    const binary = chromiumRuntime()
    if (!binary.available) return skip('chromium', binary, ctx)
    const out = await runInChromium(binary.path)
    // The page knows only its user agent; name the browser by its binary's version.
    check('chromium', { ...out, runtime: { name: 'chromium', version: binary.version.replace(/^Chromium /, '').split(' ')[0] ?? binary.version, engine: 'V8 of Chromium' } })
  })

  afterAll(() => {
    // One table of every runtime's hashes, for docs/portability.md.
    const names = [...Object.keys(golden), ...Object.keys(reference?.runs ?? {})]
    const rows = results.map(({ label, out, differs, skipped }) => {
      if (out === undefined) return `| ${label} | skipped: ${skipped} |`
      const cells = names.map((n) => {
        const h = out.hashes[n]?.slice(0, 16) ?? '-'
        const same = n in golden ? firstDifference(golden[n], out.golden[n]) === undefined : out.runs[n]?.hash === reference?.runs[n]?.hash
        return `${h}${same ? '' : ' ✗'}`
      })
      return `| ${out.runtime.name} ${out.runtime.version} | ${out.runtime.engine} | ${cells.join(' | ')} | ${differs?.length === 0 ? 'yes' : 'no'} |`
    })
    const table = [`| runtime | engine | ${names.join(' | ')} | golden |`, `| --- | --- | ${names.map(() => '---').join(' | ')} | --- |`, ...rows].join('\n')
    console.info(`\n${table}\n(✗: differs from the golden value, or from the current node's run)`)
    try {
      writeFileSync(join(runtimeCacheDir, 'last-results.md'), `${table}\n`)
    } catch {
      // the cache folder may not exist when every runtime was skipped
    }
  })
})
