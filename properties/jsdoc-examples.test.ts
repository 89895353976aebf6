/**
 * Every `@example` in a doc comment under src/ is type-checked against the package's public
 * API (as fp-ts's docs do): an example that names a function that no longer exists, or calls
 * it with the wrong arguments, fails here. Examples import from 'pure-gan', which is mapped
 * to src/index.ts, and from 'pure-gan/testing' (src/testing/index.ts) and 'fast-check'.
 */
import { inMemoryProgram } from './support/in-memory-program.js'
import { readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { srcExamples, tsFilesUnder } from './support/jsdoc-examples.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const examples = srcExamples(root)

/** Exported declarations of a source file that carry no doc comment. */
const undocumentedExports = (file: string): string[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true)
  const missing: string[] = []
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
    if (!exported || ts.isExportDeclaration(statement)) continue
    const hasDoc = ts.getJSDocCommentsAndTags(statement).length > 0 || /^\s*\/\*\*/.test(source.text.slice(statement.getFullStart(), statement.getStart()))
    if (!hasDoc) {
      const name = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.map((d) => d.name.getText(source)).join(', ')
        : ((statement as ts.DeclarationStatement).name?.getText(source) ?? '(anonymous)')
      missing.push(`${relative(root, file)}: ${name}`)
    }
  }
  return missing
}

describe('doc comments', () => {
  it('every export of the library (src/ outside the command line) has one', () => {
    const files = tsFilesUnder(join(root, 'src')).filter((f) => !f.includes(`${join('src', 'cli')}`))
    expect(files.flatMap(undocumentedExports)).toEqual([])
  })
})

describe('doc-comment examples', () => {
  it('every src module with exports has examples to check', () => {
    expect(examples.length).toBeGreaterThan(50)
  })

  it('all type-check against the public API', () => {
    const files = new Map(examples.map((e, i) => [join(root, `__example_${i}.ts`), `${e.code}\nexport {}\n`]))
    const program = inMemoryProgram(files, { baseUrl: root, paths: { 'pure-gan': ['src/index.ts'], 'pure-gan/testing': ['src/testing/index.ts'] } })
    const problems = [...files.keys()].flatMap((f, i) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => `${examples[i]!.name}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`),
    )
    expect(problems).toEqual([])
  })
})
