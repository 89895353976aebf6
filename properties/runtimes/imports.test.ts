/**
 * The library outside Node: no file of src/ outside src/cli imports a Node built-in module
 * (`node:fs`, or a bare `fs`), calls `require`, `createRequire` or `process.getBuiltinModule`,
 * so the library runs unchanged in a browser, Deno and Bun (docs/portability.md); and the
 * library bundles for the browser with esbuild (`platform: 'browser'`), which refuses a
 * `node:` import.
 *
 * The scan reads the TypeScript syntax tree, not the text, so the `import ... from 'node:fs'`
 * lines inside doc-comment examples do not count, and every form counts wherever it stands:
 * import and export declarations, `import x = require(...)`, dynamic `import(...)`.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))
const srcDir = join(root, 'src')
const cliDir = join(srcDir, 'cli')

const builtins = new Set(builtinModules)
const isNodeBuiltin = (specifier: string): boolean =>
  specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0] ?? '')

/** Every .ts file under `dir`, recursively, except those under `skip`. */
const tsFiles = (dir: string, skip: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return path === skip ? [] : tsFiles(path, skip)
    return entry.name.endsWith('.ts') ? [path] : []
  })

/** What in `source` ties it to Node: each finding as `line: what`. */
export const nodeTies = (fileName: string, source: string): string[] => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const at = (node: ts.Node, what: string) =>
    found.push(`${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}: ${what}`)
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier) && isNodeBuiltin(node.moduleSpecifier.text))
        at(node, `imports '${node.moduleSpecifier.text}'`)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      at(node, 'import = require(...)')
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression
      const arg = node.arguments[0]
      if (callee.kind === ts.SyntaxKind.ImportKeyword) {
        if (arg === undefined || !ts.isStringLiteralLike(arg)) at(node, 'import() of a computed specifier')
        else if (isNodeBuiltin(arg.text)) at(node, `import('${arg.text}')`)
      }
      if (ts.isIdentifier(callee) && (callee.text === 'require' || callee.text === 'createRequire'))
        at(node, `calls ${callee.text}(...)`)
    } else if (ts.isIdentifier(node) && (node.text === 'createRequire' || node.text === 'getBuiltinModule')) {
      at(node, `refers to ${node.text}`)
    } else if (ts.isPropertyAccessExpression(node) && node.name.text === 'getBuiltinModule') {
      at(node, 'refers to getBuiltinModule')
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

describe('the library outside Node', () => {
  it('the scanner finds every form of a Node tie and nothing in comments', () => {
    const tied = [
      "import { readFileSync } from 'node:fs'",
      "import fs from 'fs'",
      "import { join } from 'path/posix'",
      "export { createRequire as cr } from 'node:module'",
      "import type { Stats } from 'node:fs'",
      "const m = await import('node:module')",
      "const x = require('fp-ts/lib/Either.js')",
      "import e = require('fp-ts/lib/Either.js')",
      'const m = process.getBuiltinModule("module")',
      'const r = createRequire(import.meta.url)',
      'const spec = "x"; await import(spec)',
    ]
    for (const line of tied) expect(nodeTies('case.ts', line), line).not.toEqual([])
    const clean = [
      "/**\n * import { readFileSync } from 'node:fs'\n * require('x')\n */\nexport const a = 1",
      "// import fs from 'node:fs'\nexport const b = 'node:fs'",
      "import { left } from 'fp-ts/lib/Either.js'\nimport { x } from './fs.js'",
      "import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus'",
    ]
    for (const source of clean) expect(nodeTies('case.ts', source), source).toEqual([])
  })

  // Under Stryker (PURE_GAN_MUTATION=1) src/ holds instrumented text: the scan is not about mutants.
  const mutation = process.env['PURE_GAN_MUTATION'] === '1'
  if (mutation) console.info('imports.test.ts: the source scan is skipped under mutation testing (src/ is instrumented)')
  it.skipIf(mutation)('no file of src/ outside src/cli imports a node: module or calls require', () => {
    const files = tsFiles(srcDir, cliDir)
    expect(files.length).toBeGreaterThan(30)
    expect(files.some((f) => f.startsWith(cliDir + sep))).toBe(false)
    const offences = files.flatMap((path) =>
      nodeTies(path, readFileSync(path, 'utf8')).map((what) => `${relative(root, path)}:${what}`),
    )
    expect(offences).toEqual([])
  })

  it('the library (src/index.ts) bundles for the browser with esbuild', async () => {
    const result = await build({
      entryPoints: [join(srcDir, 'index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    })
    expect(result.errors).toEqual([])
    const [out] = result.outputFiles
    expect(out?.text).toContain('seedConfig')
    expect(out?.text).not.toMatch(/["']node:/)
  })
})
