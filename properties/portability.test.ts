/**
 * The same bits on every engine (docs/elementary.md): numeric code may use only what IEEE 754
 * and ECMAScript define exactly (+ - * /, Math.sqrt, Math.abs, Math.min/max, Math.floor,
 * Math.ceil, Math.trunc, Math.round, Math.sign, Math.fround, integer `2 ** n` constants) and
 * the library's own elementary functions (src/elementary). This scans every source file for
 * the engine-defined functions, outside comments and strings.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../src', import.meta.url))

const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : []
  })

/** The code of a TypeScript file with comments, strings and template literals blanked out. */
const codeOnly = (text: string): string =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''")

const ENGINE_DEFINED = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|tanh|sinh|cosh|asinh|acosh|atanh|sin|cos|tan|asin|acos|atan|atan2|hypot|cbrt|random)\b/g
/** `**` is allowed only as an integer power of two written as a literal (`2 ** 53`), which every engine computes exactly. */
const POWER = /\*\*/g
const EXACT_POWER = /\b2 \*\* \d+\b/g

describe('numeric code uses no engine-defined function', () => {
  const files = sources(root).filter((f) => !relative(root, f).startsWith('cli'))

  it('no Math.exp, log, pow, tanh, sin, ... (or Math.random) in src/ outside the command line', () => {
    const found = files.flatMap((f) => [...codeOnly(readFileSync(f, 'utf8')).matchAll(ENGINE_DEFINED)].map((m) => `${relative(root, f)}: ${m[0]}`))
    expect(found).toEqual([])
  })

  it('no ** other than a literal power of two', () => {
    const found = files.flatMap((f) => {
      const code = codeOnly(readFileSync(f, 'utf8'))
      const all = [...code.matchAll(POWER)].length
      const exact = [...code.matchAll(EXACT_POWER)].length
      return all === exact ? [] : [`${relative(root, f)}: ${all - exact} non-literal **`]
    })
    expect(found).toEqual([])
  })

  it('the scan sees what it looks for (a check of the check)', () => {
    expect([...codeOnly("const y = Math.tanh(x) // Math.exp\nconst s = 'Math.log'").matchAll(ENGINE_DEFINED)].map((m) => m[0])).toEqual(['Math.tanh'])
    expect([...codeOnly('const a = 2 ** 53 + 10 ** k').matchAll(POWER)].length).toBe(2)
    expect([...codeOnly('const a = 2 ** 53 + 10 ** k').matchAll(EXACT_POWER)].length).toBe(1)
  })
})
