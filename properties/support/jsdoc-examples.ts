/**
 * The `@example` blocks of the doc comments under src/, as code: what
 * properties/jsdoc-examples.test.ts type-checks and properties/jsdoc-examples-run.test.ts runs.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** One `@example` block: its code with the comment's ` * ` margins removed. */
export interface JsdocExample {
  /** The source file, relative to the repository root (`src/matrix/matrix.ts`). */
  readonly file: string
  /** The 1-based line of the `@example` tag in `file`; the code starts on the next line. */
  readonly line: number
  /** `file:line`, as tests name the example. */
  readonly name: string
  readonly code: string
}

/** Every `.ts` file under `dir`, recursively. */
export const tsFilesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? tsFilesUnder(p) : p.endsWith('.ts') ? [p] : []
  })

/**
 * The examples of one file's doc comments: each runs from the line after `@example` to the next
 * tag or the end of the comment.
 */
export const examplesIn = (file: string, text: string): JsdocExample[] => {
  const found: JsdocExample[] = []
  const re = /@example\n([\s\S]*?)(?=\n\s*\*\s*@|\n\s*\*\/)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    const line = text.slice(0, m.index).split('\n').length
    const code = (m[1] as string)
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n')
    found.push({ file, line, name: `${file}:${line}`, code })
  }
  return found
}

/** Every example under `root`/src, in file order. */
export const srcExamples = (root: string): JsdocExample[] =>
  tsFilesUnder(join(root, 'src')).flatMap((path) => examplesIn(relative(root, path), readFileSync(path, 'utf8')))
