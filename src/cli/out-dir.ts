/**
 * The output folder of a run: chosen and checked before training starts, and written one
 * whole file at a time (each file goes to a temporary name in the same folder, then is
 * renamed into place, so no reader ever sees half a file).
 *
 * @module
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from './flags.js'

const pad = (n: number): string => String(n).padStart(2, '0')

/** `runs/YYYYMMDD-HHMMSS-seedN`, with `-2`, `-3`, ... appended if that exists. */
export const freshRunDir = (seed: number, now: Date): string => {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  const base = join('runs', `${stamp}-seed${seed}`)
  let dir = base
  for (let i = 2; exists(dir); i++) dir = `${base}-${i}`
  return dir
}

const exists = (path: string): boolean => {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}

const reason = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException
  return err.code ? `${err.code}: ${err.message}` : String(e)
}

/**
 * Makes sure `dir` can take a run: it must not exist, or be a folder that is empty (or any
 * folder with `force`); it is created if needed, and a probe file is written and removed to
 * prove it is writable. Throws a `UsageError` naming the folder and the problem.
 */
export const prepareOutDir = (dir: string, force: boolean): void => {
  let isDir = false
  let present = false
  try {
    isDir = statSync(dir).isDirectory()
    present = true
  } catch {
    present = false
  }
  if (present && !isDir) throw new UsageError(`--out ${dir} exists and is not a folder`)
  if (present && !force && readdirSync(dir).length > 0) {
    throw new UsageError(`--out ${dir} exists and is not empty; choose another folder or pass --force to replace its run files`)
  }
  try {
    mkdirSync(dir, { recursive: true })
    const probe = join(dir, `.pure-gan-probe-${process.pid}`)
    writeFileSync(probe, '')
    rmSync(probe)
  } catch (e) {
    throw new UsageError(`--out ${dir} is not a writable folder (${reason(e)})`)
  }
}

/** Writes `text` to `dir/name` atomically: a temporary file in `dir`, then a rename. */
export const writeFileAtomic = (dir: string, name: string, text: string): void => {
  const tmp = join(dir, `.${name}.tmp-${process.pid}`)
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, join(dir, name))
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}
