/**
 * docs/architecture.md, held true: every run-time import between the folders of src/ goes
 * from a higher level to a lower one (the table of levels below is the doc's), and the worked
 * example's code block in the doc is the file the example's test runs.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The levels of docs/architecture.md; `testing` may import anything below `gan`. */
const LEVEL: Readonly<Record<string, number>> = {
  elementary: 0,
  fp: 0,
  validate: 0.5,
  wasm: 0.5,
  matrix: 1,
  kernels: 2,
  tree: 2,
  random: 2,
  metrics: 2.5,
  loss: 2,
  objectives: 3,
  nn: 3,
  optim: 3,
  testing: 3.5,
  gan: 4,
  classifier: 4.5,
  report: 5,
  cli: 6,
  'index.ts': 7,
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))

const folderOf = (file: string): string => relative(join(root, 'src'), file).split('/')[0]!

describe('docs/architecture.md', () => {
  it('every folder imports at run time only from lower levels (import type aside), and nothing imports src/testing', () => {
    const bad: string[] = []
    for (const file of sources(join(root, 'src'))) {
      const from = folderOf(file)
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/^import (?!type )[^;]*?from '(\.[^']+)'/gm)) {
        const target = folderOf(normalize(join(dirname(file), m[1]!)))
        if (target === from) continue
        const ok = target !== 'testing' && LEVEL[target]! < LEVEL[from]!
        if (!ok) bad.push(`${relative(root, file)} imports ${m[1]} (${from} level ${LEVEL[from]} -> ${target} level ${LEVEL[target]})`)
      }
    }
    expect(bad).toEqual([])
    // every folder has its level (a new folder must be placed in the table and the doc)
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
    expect(folders.filter((f) => !(f in LEVEL))).toEqual([])
  })

  it('the worked example in the doc is the code its test runs', () => {
    const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8')
    const m = /```ts file=(\S+)\n([\s\S]*?)```/.exec(doc)
    expect(m).not.toBeNull()
    expect(m![2]).toBe(readFileSync(join(root, m![1]!), 'utf8'))
  })
})
