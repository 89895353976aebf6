/**
 * Every ```js run block in docs/*.md and README.md is a complete program: this file runs each
 * one in a fresh Node process against the built package and requires exit code 0. The
 * programs are written inside the package folder, so `import ... from 'pure-gan'` resolves
 * through the package's own `exports` map (Node's self-reference), exactly as for a user.
 * Examples assert what they show with node:assert, so a doc that drifts from the code fails.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

const blocks = files.flatMap((file) => {
  const text = readFileSync(join(root, file), 'utf8')
  const found: { name: string; code: string }[] = []
  const re = /```js run\n([\s\S]*?)```/g
  let m: RegExpExecArray | null
  let i = 0
  while ((m = re.exec(text)) !== null) found.push({ name: `${file} example ${++i}`, code: m[1] as string })
  return found
})

mkdirSync(join(root, '.docs-examples'), { recursive: true })
const dir = mkdtempSync(join(root, '.docs-examples', 'run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('documentation examples run as written', () => {
  it('there are examples to run', () => {
    expect(blocks.length).toBeGreaterThan(0)
  })

  it.each(blocks)('$name', ({ name, code }) => {
    const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.mjs`)
    writeFileSync(file, code)
    execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir })
  })
})
