/**
 * Running a doc example in-process and recording the values of chosen expression statements.
 *
 * The example (TypeScript) is instrumented (each chosen expression `e` becomes
 * `__record(k, (e))`), transpiled to CommonJS with TypeScript's `transpileModule` (types are
 * erased, nothing is type-checked: jsdoc-examples.test.ts does that) and run as a function whose
 * `require` serves only the modules it is given. So `import { add } from 'pure-gan'` reads the
 * module object the caller passes for 'pure-gan' (src/index.ts), and an import of anything not
 * provided fails the example.
 */
import ts from 'typescript'

/** An expression of the example whose value is wanted, by its offsets in the code. */
export interface RecordedExpression {
  readonly start: number
  readonly end: number
}

/**
 * Runs `code` with `modules` as the only importable modules and returns the value of each
 * expression in `record`, in the same order. Throws what the example throws.
 */
export const runExample = (
  code: string,
  record: ReadonlyArray<RecordedExpression>,
  modules: (specifier: string) => unknown,
): unknown[] => {
  const order = record.map((r, k) => ({ ...r, k })).sort((a, b) => b.start - a.start)
  let instrumented = code
  for (const { start, end, k } of order) {
    instrumented = `${instrumented.slice(0, start)}__record(${k}, (${instrumented.slice(start, end)}))${instrumented.slice(end)}`
  }
  const { outputText } = ts.transpileModule(instrumented, {
    fileName: 'example.ts',
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  })
  const values: unknown[] = new Array(record.length)
  const seen = new Set<number>()
  const recordValue = (k: number, value: unknown): unknown => {
    values[k] = value
    seen.add(k)
    return value
  }
  const exports = {}
  const run = new Function('require', 'exports', 'module', '__record', outputText) as (...args: unknown[]) => void
  run(modules, exports, { exports }, recordValue)
  const missed = record.map((_, k) => k).filter((k) => !seen.has(k))
  if (missed.length > 0) throw new Error(`the example ran, but ${missed.length} recorded expression(s) were never evaluated`)
  return values
}
