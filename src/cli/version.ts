/**
 * The package's own version, read from its package.json (two folders above dist/cli/).
 *
 * @module
 */
import { readFileSync } from 'node:fs'

export const packageVersion = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
  return typeof pkg.version === 'string' ? pkg.version : 'unknown'
}
