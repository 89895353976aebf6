/**
 * Reading a file the user names without trusting it: only a regular file (after following
 * symbolic links), opened without blocking, read through a bounded loop up to a size limit.
 * A link to /dev/zero, a FIFO with no writer or a folder is refused before anything is read.
 *
 * @module
 */
import { type Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { UsageError } from './flags.js'
import { describeFsError, errorCode } from './fs-errors.js'
import { shown } from './io.js'

/** The largest run.json `verify` reads: 256 MiB, far above any real run (validateConfig keeps run.json below it). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024

const kindOf = (s: Stats): string =>
  s.isDirectory() ? 'a folder' : s.isFIFO() ? 'a FIFO' : s.isSocket() ? 'a socket' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : 'not a regular file'

/** What a bounded read expects, for its messages: verify's or train --resume's run.json, or train's --config file. */
export interface ExpectedFile {
  /** The most bytes it may have. */
  readonly limit: number
  /** What it is, e.g. "a run record". */
  readonly noun: string
  /** What the command reads, e.g. "verify reads a run.json that pure-gan train wrote". */
  readonly reads: string
  /** What a file over the limit is not, e.g. "it is not a run.json pure-gan wrote". */
  readonly tooLarge: string
}

/** `pure-gan verify`'s run.json. */
export const RUN_RECORD_FILE: ExpectedFile = {
  limit: MAX_RECORD_BYTES,
  noun: 'a run record',
  reads: 'verify reads a run.json that pure-gan train wrote',
  tooLarge: 'it is not a run.json pure-gan wrote',
}

/** `pure-gan train --resume`'s run.json. */
export const RESUMED_RECORD_FILE: ExpectedFile = {
  limit: MAX_RECORD_BYTES,
  noun: 'a run record',
  reads: 'train --resume reads a run.json that pure-gan train wrote',
  tooLarge: 'it is not a run.json pure-gan wrote',
}

/** `pure-gan train --config`'s file: 64 MiB, far above any config validateConfig accepts (2^21 values). */
export const CONFIG_FILE: ExpectedFile = {
  limit: 64 * 1024 * 1024,
  noun: 'a config file',
  reads: 'train --config reads a JSON config',
  tooLarge: 'it is not a config pure-gan can run',
}

/** `--data csv:PATH`'s file: 64 MiB, beyond the 1 000 000 numbers a table may hold in any spelling that has a use. */
export const CSV_FILE: ExpectedFile = {
  limit: 64 * 1024 * 1024,
  noun: 'a CSV data file',
  reads: '--data csv:PATH reads a CSV file of numbers',
  tooLarge: 'a table holds at most 1000000 numbers',
}

const tooLarge = (path: string, expected: ExpectedFile): UsageError =>
  new UsageError(`${shown(path)} is larger than ${expected.limit / (1024 * 1024)} MiB, the most ${expected.noun} may take; ${expected.tooLarge}`)

/**
 * The text of the regular file at `path`, at most `expected.limit` bytes. Throws a
 * `UsageError` for a missing or unreadable path, anything that is not a regular file, or a
 * file over the limit (also one that grows past it while being read).
 */
export const readBoundedFile = (path: string, expected: ExpectedFile = RUN_RECORD_FILE): string => readBoundedBytes(path, expected).toString('utf8')

/**
 * The bytes of the regular file at `path`, at most `expected.limit`, with the refusals of
 * {@link readBoundedFile}.
 */
export const readBoundedBytes = (path: string, expected: ExpectedFile): Buffer => {
  const limit = expected.limit
  let s: Stats
  try {
    s = statSync(path)
  } catch (e) {
    throw new UsageError(`cannot read ${shown(path)} (${errorCode(e) ?? describeFsError(e)})`)
  }
  if (!s.isFile()) throw new UsageError(`${shown(path)} is ${kindOf(s)}, not a regular file; ${expected.reads}`)
  if (s.size > limit) throw tooLarge(path, expected)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (e) {
    throw new UsageError(`cannot read ${shown(path)} (${errorCode(e) ?? describeFsError(e)})`)
  }
  try {
    // Swapped for something else between the stat and the open: check again on the descriptor.
    const f = fstatSync(fd)
    if (!f.isFile()) throw new UsageError(`${shown(path)} is ${kindOf(f)}, not a regular file; ${expected.reads}`)
    const chunks: Buffer[] = []
    let total = 0
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total))
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      total += n
      if (total > limit) throw tooLarge(path, expected)
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n))
    }
    return Buffer.concat(chunks, total)
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`cannot read ${shown(path)} (${describeFsError(e)})`)
  } finally {
    closeSync(fd)
  }
}
