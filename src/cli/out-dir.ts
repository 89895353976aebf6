/**
 * The output folder of a run: chosen and checked before training starts (every output name,
 * the free space), and written all or nothing (every file to a temporary name first, renamed
 * into place only when all were written).
 *
 * @module
 */
import { type Stats, closeSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, rmdirSync, statSync, statfsSync, unlinkSync, writeFileSync, constants } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { UsageError } from './flags.js'
import { describeFsError, errorCode } from './fs-errors.js'
import { shown } from './io.js'

/** The five files of a finished run, in the order they are written. */
export const RUN_FILES: ReadonlyArray<string> = ['run.json', 'timing.json', 'losses.svg', 'samples.svg', 'report.html']

/** The file written instead of them when training stops at a non-finite value. */
export const STATE_FILE = 'last-finite-state.json'

/** The prefix of every temporary file pure-gan writes: `.pure-gan-tmp-<pid>-<name>`. */
export const TEMP_PREFIX = '.pure-gan-tmp-'

// Temporary names of earlier versions (`.run.json.tmp-<pid>`, the writability probe), still
// recognised so that one left by an interrupted run never makes a folder count as not empty.
const LEGACY_TEMP = /^\.(?:pure-gan-probe-\d+|(?:run\.json|timing\.json|losses\.svg|samples\.svg|report\.html|last-finite-state\.json)\.tmp-\d+)$/

/** True for the name of a temporary file of pure-gan's (this version's or an earlier one's). */
export const isOurTemporary = (name: string): boolean => name.startsWith(TEMP_PREFIX) || LEGACY_TEMP.test(name)

const temporaryName = (name: string): string => `${TEMP_PREFIX}${process.pid}-${name}`

const pad = (n: number): string => String(n).padStart(2, '0')

/** `runs/YYYYMMDD-HHMMSS-seedN`, with `-2`, `-3`, ... appended if that exists. */
export const freshRunDir = (seed: number, now: Date): string => {
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`
  const base = join('runs', `${stamp}-seed${seed}`)
  let dir = base
  for (let i = 2; lexists(dir); i++) dir = `${base}-${i}`
  return dir
}

const lexists = (path: string): boolean => {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** A prepared output folder: its path, and the first folder this run created (to remove on failure), if any. */
export interface OutDir {
  readonly dir: string
  readonly created: string | undefined
}

/** What `prepareOutDir` checks the folder against. */
export interface OutDirRequest {
  /** The folder (`--out`). */
  readonly dir: string
  /** `--force`: replace this run's files in a folder that is not empty. */
  readonly force: boolean
  /** An upper bound on the bytes the run writes (checked against the free space). */
  readonly bytes: number
}

const kindOf = (s: Stats): string =>
  s.isDirectory() ? 'a folder' : s.isFIFO() ? 'a FIFO' : s.isSocket() ? 'a socket' : s.isCharacterDevice() || s.isBlockDevice() ? 'a device' : 'not a regular file'

/** The first `max` bytes of a regular file, read without blocking. */
const readPrefix = (path: string, max: number): string => {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    if (!fstatSync(fd).isFile()) return ''
    const buf = Buffer.alloc(max)
    const n = readSync(fd, buf, 0, max, 0)
    return buf.subarray(0, n).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

// What each replaceable name must begin with to count as pure-gan's own (run.json is written
// indented, the state on one line). Other names are replaced whatever they hold.
const OWN_PREFIX: Readonly<Record<string, RegExp>> = {
  'run.json': /^\s*\{\s*"format"\s*:\s*"pure-gan\/run"/,
  [STATE_FILE]: /^\s*\{\s*"format"\s*:\s*"pure-gan\/gan-state"/,
}

/** Checks, with --force, that each output name present in `dir` is a regular file pure-gan may replace. */
const checkReplaceable = (dir: string, names: ReadonlyArray<string>): void => {
  for (const name of [...RUN_FILES, STATE_FILE]) {
    if (!names.includes(name)) continue
    const path = join(dir, name)
    let s: Stats
    try {
      s = statSync(path)
    } catch (e) {
      throw new UsageError(`--out ${shown(dir)}: cannot replace ${name} (${describeFsError(e)}); --force replaces only regular files`)
    }
    if (!s.isFile()) throw new UsageError(`--out ${shown(dir)}: ${name} is ${kindOf(s)}; --force replaces only regular files, so move it away or choose another folder`)
    const own = OWN_PREFIX[name]
    if (own === undefined) continue
    let head: string
    try {
      head = readPrefix(path, 256)
    } catch (e) {
      throw new UsageError(`--out ${shown(dir)}: cannot read ${name} to check it is pure-gan's (${describeFsError(e)})`)
    }
    if (!own.test(head)) {
      throw new UsageError(`--out ${shown(dir)}: ${name} was not written by pure-gan (it is not a ${name === 'run.json' ? 'run record' : 'saved state'}), so --force will not replace it; move it away or choose another folder`)
    }
  }
}

const nearestExisting = (dir: string): string => {
  let p = resolve(dir)
  while (!lexists(p) && dirname(p) !== p) p = dirname(p)
  return p
}

const mib = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`

/**
 * Throws a `UsageError` when the disk of `dir` (or of its nearest existing parent) has less
 * than `bytes` free; `what` names the writer in the message. Does nothing where the free space
 * cannot be read (the writes themselves still fail cleanly).
 */
export const checkFreeSpace = (dir: string, bytes: number, what = 'this run'): void => {
  let free: number
  try {
    const s = statfsSync(nearestExisting(dir))
    free = Number(s.bavail) * Number(s.bsize)
  } catch {
    return // no statfs here: the writes themselves still fail cleanly
  }
  if (free < bytes) {
    throw new UsageError(`--out ${shown(dir)}: not enough free space (no space left on device): ${what} writes up to about ${mib(bytes)} and the disk has ${mib(free)} free`)
  }
}

/** Removes the folders this run created (deepest first), as long as they are empty. */
export const removeCreated = (out: OutDir): void => {
  if (out.created === undefined) return
  const stop = resolve(out.created)
  let p = resolve(out.dir)
  for (;;) {
    try {
      rmdirSync(p)
    } catch {
      return
    }
    if (p === stop || dirname(p) === p) return
    p = dirname(p)
  }
}

/**
 * Makes sure `request.dir` can take a run, before anything runs: it must not exist, or be a
 * folder that is empty but for pure-gan's temporary files, or any folder with `force`, in
 * which each output name that exists must be a regular file (and run.json and
 * last-finite-state.json pure-gan's own). The disk must have room for `request.bytes`. The
 * folder is then created if needed, proved writable, and cleared of pure-gan's stale
 * temporary files. Throws a `UsageError` naming the folder and the problem, leaving the disk
 * as it was.
 */
export const prepareOutDir = (request: OutDirRequest): OutDir => {
  const { dir, force } = request
  let present = false
  try {
    const s = statSync(dir)
    if (!s.isDirectory()) throw new UsageError(`--out ${shown(dir)} exists and is not a folder`)
    present = true
  } catch (e) {
    if (e instanceof UsageError) throw e
    if (errorCode(e) !== 'ENOENT') throw new UsageError(`--out ${shown(dir)} is not a writable folder (${describeFsError(e)})`)
  }
  let temporaries: string[] = []
  if (present) {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch (e) {
      throw new UsageError(`--out ${shown(dir)} cannot be read (${describeFsError(e)})`)
    }
    temporaries = names.filter(isOurTemporary)
    const others = names.filter((n) => !isOurTemporary(n))
    if (others.length > 0 && !force) {
      throw new UsageError(`--out ${shown(dir)} exists and is not empty; choose another folder or pass --force to replace its run files`)
    }
    checkReplaceable(dir, others)
  }
  checkFreeSpace(dir, request.bytes)
  let created: string | undefined
  try {
    created = mkdirSync(dir, { recursive: true })
  } catch (e) {
    throw new UsageError(`--out ${shown(dir)} is not a writable folder (${describeFsError(e)})`)
  }
  const out: OutDir = { dir, created }
  const probe = join(dir, temporaryName('probe'))
  try {
    writeFileSync(probe, '')
    unlinkSync(probe)
  } catch (e) {
    removeQuietly(probe)
    removeCreated(out)
    throw new UsageError(`--out ${shown(dir)} is not a writable folder (${describeFsError(e)})`)
  }
  for (const t of temporaries) {
    const path = join(dir, t)
    try {
      const s = lstatSync(path)
      if (s.isFile() || s.isSymbolicLink()) unlinkSync(path)
    } catch {
      // gone already, or not removable: it is ignored either way
    }
  }
  return out
}

const removeQuietly = (path: string): void => {
  try {
    unlinkSync(path)
  } catch {
    // already absent
  }
}

/** One file of a run's output: its name in the folder and its whole text. */
export interface OutputFile {
  readonly name: string
  /** The contents: text (written as UTF-8) or bytes (a PNG). */
  readonly text: string | Uint8Array
}

/** A write into the output folder failed; nothing of this write is left on disk. */
export class OutputWriteError extends Error {
  override readonly name = 'OutputWriteError'
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`could not write ${file}: ${reason}`)
  }
}

/**
 * Writes every file into `dir`, all or nothing: each to `.pure-gan-tmp-<pid>-<name>`; only
 * when all are written are they renamed to their names. On a failure the temporary files are
 * removed and an `OutputWriteError` names the file and the reason (`no space left on device
 * (ENOSPC)`); the folder's other files are as they were.
 */
export const writeFilesAtomic = (dir: string, files: ReadonlyArray<OutputFile>): void => {
  const written: string[] = []
  let current = ''
  try {
    for (const f of files) {
      current = f.name
      const tmp = join(dir, temporaryName(f.name))
      written.push(tmp)
      writeFileSync(tmp, f.text)
    }
    for (const f of files) {
      current = f.name
      renameSync(join(dir, temporaryName(f.name)), join(dir, f.name))
    }
  } catch (e) {
    for (const tmp of written) removeQuietly(tmp)
    throw new OutputWriteError(current, describeFsError(e))
  }
}

/** Removes the named files from `dir` where they exist (files this run replaces or supersedes). */
export const removeFiles = (dir: string, names: ReadonlyArray<string>): void => {
  for (const n of names) removeQuietly(join(dir, n))
}
