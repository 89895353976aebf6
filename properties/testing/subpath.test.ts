/**
 * `pure-gan/testing` (src/testing), the suite's gradient checker, arbitraries and optimiser
 * laws offered to users, and the wall between it and the library:
 *
 * - Nothing outside src/testing imports src/testing or fast-check (import and export
 *   declarations, `import type`, dynamic `import()`, read from the TypeScript syntax tree), so
 *   the library needs no fast-check at run time; and neither the browser bundle of src/index.ts
 *   nor the built dist/index.js and dist/cli/main.js, bundled with all their dependencies,
 *   contain a file of fast-check or of src/testing.
 * - A user's view, against the BUILT package (`npm test` builds first): a Node process whose
 *   code lives in the package folder imports 'pure-gan/testing' by name, which Node resolves
 *   through the package's own `exports` (self-reference) to dist/testing; there the gradient
 *   checker accepts the gradient 2x of f(x) = Σx² and rejects 3x, and the law builder passes
 *   for sgd and fails, naming the law, for optimisers broken on purpose. TypeScript resolves
 *   the subpath's types the same way.
 */
import { inMemoryProgram } from '../support/in-memory-program.js'
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const srcDir = join(root, 'src')
const testingDir = join(srcDir, 'testing')

/** Every .ts file under `dir`, recursively. */
const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return tsFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })

/** Every module specifier in `source`: import/export declarations (types too), `import x = require()`, `import()`. */
const moduleSpecifiers = (fileName: string, source: string): string[] => {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const arg = node.arguments[0]
      found.push(arg !== undefined && ts.isStringLiteralLike(arg) ? arg.text : '(a computed specifier)')
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(file)
  return found
}

/** The specifiers of the file at `path` that reach fast-check or src/testing (or that cannot be read). */
const testOnlyImports = (path: string, source: string): string[] =>
  moduleSpecifiers(path, source).filter((specifier) => {
    if (specifier === 'fast-check' || specifier.startsWith('fast-check/')) return true
    if (specifier === '(a computed specifier)') return true
    if (!specifier.startsWith('.')) return false
    const target = resolve(dirname(path), specifier)
    return target === testingDir || target.startsWith(testingDir + sep)
  })

/** The input files of a bundle of `entry` (platform `platform`), relative to the repository. */
const bundleInputs = async (entry: string, platform: 'browser' | 'node'): Promise<string[]> => {
  const result = await build({ entryPoints: [entry], bundle: true, platform, format: 'esm', write: false, metafile: true, logLevel: 'silent' })
  expect(result.errors).toEqual([])
  return Object.keys(result.metafile.inputs)
}

const isTestOnlyInput = (input: string): boolean => /(^|\/)node_modules\/fast-check\//.test(input) || /(^|\/)(src|dist)\/testing\//.test(input)

describe('the library does not reach fast-check or src/testing', () => {
  it('the scan finds every form of import of fast-check or src/testing, and nothing else', () => {
    const at = join(srcDir, 'nn', 'case.ts')
    const reached = [
      "import fc from 'fast-check'",
      "import type { Arbitrary } from 'fast-check'",
      "export { expectGradientClose } from '../testing/index.js'",
      "import { dim } from '../testing/arbitraries.js'",
      "export * from '../testing'",
      "const t = await import('../testing/index.js')",
      "const f = await import('fast-check/lib/fast-check.js')",
      "type A = import('fast-check').Arbitrary<number>",
      "const spec = 'x'; await import(spec)",
    ]
    for (const line of reached) expect(testOnlyImports(at, line), line).not.toEqual([])
    const clean = [
      "/** import fc from 'fast-check' */\nexport const a = 1",
      "import { fromFlat } from '../matrix/index.js'",
      "import { x } from './testing.js'",
      "import { y } from '../testing-helpers/index.js'",
      "export const s = 'fast-check'",
    ]
    for (const source of clean) expect(testOnlyImports(at, source), source).toEqual([])
  })

  // Under Stryker (PURE_GAN_MUTATION=1) src/ holds instrumented text: the scan is not about mutants.
  const mutation = process.env['PURE_GAN_MUTATION'] === '1'
  it.skipIf(mutation)('no file of src/ outside src/testing imports fast-check or src/testing', () => {
    const files = tsFiles(srcDir).filter((f) => !f.startsWith(testingDir + sep))
    expect(files.length).toBeGreaterThan(30)
    const offences = files.flatMap((path) => testOnlyImports(path, readFileSync(path, 'utf8')).map((s) => `${relative(root, path)}: imports '${s}'`))
    expect(offences).toEqual([])
  })

  it('the browser bundle of src/index.ts holds no file of fast-check or src/testing', async () => {
    const inputs = await bundleInputs(join(srcDir, 'index.ts'), 'browser')
    expect(inputs.some((i) => i.startsWith('src/matrix/'))).toBe(true)
    expect(inputs.filter(isTestOnlyInput)).toEqual([])
  })

  it('dist/index.js and dist/cli/main.js, bundled with their dependencies, hold no file of fast-check or dist/testing', async () => {
    for (const entry of ['index.js', join('cli', 'main.js')]) {
      const inputs = await bundleInputs(join(root, 'dist', entry), 'node')
      expect(inputs.some((i) => i.startsWith('dist/matrix/')), entry).toBe(true)
      expect(inputs.filter(isTestOnlyInput), entry).toEqual([])
    }
    // A check of the check: the testing entry point does hold both.
    const testing = await bundleInputs(join(root, 'dist', 'testing', 'index.js'), 'node')
    expect(testing.some((i) => /node_modules\/fast-check\//.test(i))).toBe(true)
    expect(testing.some((i) => i.startsWith('dist/testing/'))).toBe(true)
  })
})

/**
 * A user's program: imports 'pure-gan' and 'pure-gan/testing' by name and asserts with
 * node:assert. Run with the repository as its working directory, so that the names resolve
 * through the package's own `exports` to dist/.
 */
const USER_PROGRAM = `
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { fromArrays, leaves, scale, sgd } from 'pure-gan'
import { checkOptimizerLaws, expectGradientClose, frobeniusInner, gradientMismatch, optimizerLaws } from 'pure-gan/testing'

assert.match(import.meta.resolve('pure-gan/testing'), /\\/dist\\/testing\\/index\\.js$/)

// The gradient checker: f(x) = Σ x² has the gradient 2x, not 3x.
const sumOfSquares = (x) => frobeniusInner(x, x)
const x = fromArrays([[1, -2, 0.5], [3, 0, -1]])
expectGradientClose('d/dx Σx²', sumOfSquares, x, scale(x, 2))
assert.equal(gradientMismatch('d/dx Σx²', sumOfSquares, x, scale(x, 2)), undefined)
assert.throws(() => expectGradientClose('d/dx Σx²', sumOfSquares, x, scale(x, 3)), {
  name: 'Error',
  message: /^d\\/dx Σx²: entry \\(0, 0\\) analytic 3 vs central difference 2\\.000000\\d* \\(\\|diff\\| 0\\.999999\\d* > tol 0\\.00000\\d+\\)$/,
})
assert.throws(() => expectGradientClose('d/dx Σx²', sumOfSquares, x, fromArrays([[2, -4, 1]])), {
  message: 'd/dx Σx²: gradient shape (1x3) differs from parameter shape (2x3)',
})

// The law builder: sgd obeys every law; optimisers broken on purpose fail the law they break.
const options = fc.record({
  learningRate: fc.double({ min: 1e-3, max: 1, noNaN: true }),
  rescaleGrad: fc.double({ min: 0.5, max: 2, noNaN: true }),
})
const spec = (name, make) => ({ name, options, make, stateTrees: () => [] })
checkOptimizerLaws(spec('sgd', sgd))
assert.equal(optimizerLaws(spec('sgd', sgd)).length, 7)
assert.equal(optimizerLaws({ ...spec('sgd', sgd), rescaleGradLaw: false }).length, 6)
for (const law of optimizerLaws(spec('sgd', sgd))) fc.assert(law.property)

const failsLaw = (name, make, law, detail) =>
  assert.throws(() => checkOptimizerLaws(spec(name, make)), (e) => {
    assert.ok(e instanceof Error)
    assert.ok(e.message.startsWith(name + ': optimiser law "' + law + '" fails: ' + detail), e.message)
    assert.ok(e.message.includes('Counterexample: '), e.message)
    assert.ok(e.cause instanceof Error)
    return true
  })
// Forgets to count its steps.
failsLaw('forgetful', (o) => {
  const inner = sgd(o)
  return { init: inner.init, step: (s, p, g) => [inner.step(s, p, g)[0], s] }
}, 'step preserves the tree structure and every shape, and counts steps', 'forgetful: the state of step 1 has count 0')
// Writes its step into the parameters it was given.
failsLaw('in-place', (o) => {
  const inner = sgd(o)
  return {
    init: inner.init,
    step: (s, p, g) => {
      const result = inner.step(s, p, g)
      leaves(p).forEach((m, i) => m.data.set(leaves(result[0])[i].data))
      return result
    },
  }
}, 'step writes to none of params, grads and state', 'in-place: step 1 wrote to its params, grads or state')
// Ignores rescaleGrad.
failsLaw('unscaled', (o) => sgd({ learningRate: o.learningRate }),
  'rescaleGrad r on grads g is bit-identical to rescaleGrad 1 on grads r·g (any r)', 'unscaled: rescaleGrad')
console.log('ok')
`

describe('pure-gan/testing as a user imports it (the built package)', () => {
  it('resolves to dist/testing; the checker accepts 2x and rejects 3x for Σx²; the laws pass for sgd and fail for broken optimisers', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '--eval', USER_PROGRAM], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(out.trim()).toBe('ok')
  })

  it("TypeScript resolves 'pure-gan/testing' to the built declarations and type-checks a user's use of it", () => {
    const probe = join(root, '__testing_subpath_probe.ts')
    const text = [
      "import fc from 'fast-check'",
      "import { type Matrix, type SgdOptions, type SgdState, fromArrays, scale, sgd } from 'pure-gan'",
      "import { type OptimizerUnderTest, expectGradientClose, frobeniusInner, networkCase } from 'pure-gan/testing'",
      'const f = (x: Matrix): number => frobeniusInner(x, x)',
      "expectGradientClose('d/dx Σx²', f, fromArrays([[1]]), scale(fromArrays([[1]]), 2))",
      "const u: OptimizerUnderTest<SgdOptions, SgdState> = { name: 'sgd', options: fc.record({ learningRate: fc.constant(0.1) }), make: sgd, stateTrees: () => [] }",
      'const n: fc.Arbitrary<{ readonly x: Matrix }> = networkCase()',
      '// @ts-expect-error: the checker wants a Matrix, not a number',
      "expectGradientClose('wrong', f, 1, 2)",
      'export { u, n }',
    ].join('\n')
    const program = inMemoryProgram(new Map([[probe, text]]))
    const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(problems).toEqual([])
    const resolved = program.getSourceFiles().map((s) => relative(root, s.fileName))
    expect(resolved).toContain(join('dist', 'testing', 'index.d.ts'))
    expect(resolved.filter((f) => f.startsWith(`src${sep}`))).toEqual([])
  })
})
