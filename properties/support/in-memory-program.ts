/**
 * A TypeScript program over the repository in which some files exist only in memory (probes
 * and examples written by a test): the compiler options the suite type-checks with (strict,
 * Node's ESM resolution), plus `extra` options, and the in-memory `files` as roots.
 */
import ts from 'typescript'

/** The options every in-memory program of the suite starts from. */
const BASE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
}

/**
 * `ts.createProgram` over `roots` (default: the in-memory files) with the in-memory `files`
 * (path to text) read before the disk.
 */
export const inMemoryProgram = (
  files: ReadonlyMap<string, string>,
  extra: ts.CompilerOptions = {},
  roots: ReadonlyArray<string> = [...files.keys()],
): ts.Program => {
  const options = { ...BASE_OPTIONS, ...extra }
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  const getSourceFile = host.getSourceFile.bind(host)
  host.readFile = (f) => files.get(f) ?? readFile(f)
  host.fileExists = (f) => files.has(f) || fileExists(f)
  host.getSourceFile = (f, v, onError, create) => {
    const text = files.get(f)
    return text !== undefined ? ts.createSourceFile(f, text, v, true) : getSourceFile(f, v, onError, create)
  }
  return ts.createProgram([...roots], options, host)
}
