/**
 * Running the command line in-process (`runCli` with a recording `io`) and as the built
 * binary in a child process, and the invariants every outcome must keep.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from '../../src/cli/run-cli.js'

/** What one command printed and returned. */
export interface CliOutcome {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `runCli(argv)` in this process, with stdout and stderr recorded (stderr not a terminal). */
export const runInProcess = (argv: ReadonlyArray<string>): CliOutcome => {
  let stdout = ''
  let stderr = ''
  const code = runCli(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false })
  return { code, stdout, stderr }
}

/** The built command (npm test builds first). */
export const BUILT_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

/** Options of a child-process run: a time limit and a heap cap for Node. */
export interface ChildLimits {
  readonly timeoutMs: number
  readonly maxOldSpaceMb?: number
  readonly cwd?: string
}

/** The built `pure-gan` in a child process under `limits`; `code` is null when it was killed at the time limit. */
export const runBuilt = (argv: ReadonlyArray<string>, limits: ChildLimits): CliOutcome & { readonly ms: number; readonly signal: string | null } => {
  const node = limits.maxOldSpaceMb === undefined ? [] : [`--max-old-space-size=${limits.maxOldSpaceMb}`]
  const t0 = Date.now()
  const r = spawnSync(process.execPath, [...node, BUILT_MAIN, ...argv], {
    encoding: 'utf8',
    timeout: limits.timeoutMs,
    killSignal: 'SIGKILL',
    ...(limits.cwd === undefined ? {} : { cwd: limits.cwd }),
  })
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0, signal: r.signal }
}

/** True when any output holds a stack trace's frame line. */
export const hasStackTrace = (o: CliOutcome): boolean => /\n\s+at /.test(o.stdout) || /\n\s+at /.test(o.stderr) || /^\s+at .*:\d+:\d+\)?$/m.test(o.stderr)

/** True when `text` is exactly one non-empty line ending in a newline. */
export const isOneLine = (text: string): boolean => /^[^\n]+\n$/.test(text)

/** A folder's entries with each file's bytes (folders as `<dir>`), to compare before and after; null when absent. */
export const folderSnapshot = (dir: string): ReadonlyArray<readonly [string, string]> | null => {
  if (!existsSync(dir)) return null
  return readdirSync(dir)
    .sort()
    .map((n): readonly [string, string] => {
      const p = join(dir, n)
      const s = lstatSync(p)
      return [n, s.isFile() ? readFileSync(p, 'latin1') : s.isDirectory() ? '<dir>' : '<other>']
    })
}
