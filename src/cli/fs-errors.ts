/**
 * File-system errors in words: what the command line says about an `ENOSPC` and its siblings.
 *
 * @module
 */
import { oneLine } from './io.js'

const WORDS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: 'file too large',
  EAGAIN: 'resource temporarily unavailable',
  ENXIO: 'no such device or address',
}

/** The errno code of a Node file-system error, if it has one. */
export const errorCode = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/**
 * A file-system error as one line: `no space left on device (ENOSPC)` for a known code, the
 * code and the error's own message otherwise.
 */
export const describeFsError = (e: unknown): string => {
  const code = errorCode(e)
  if (code !== undefined && WORDS[code] !== undefined) return `${WORDS[code]} (${code})`
  const message = e instanceof Error ? e.message : String(e)
  return oneLine(code !== undefined && !message.includes(code) ? `${code}: ${message}` : message)
}
