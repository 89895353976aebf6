/**
 * The values that a doc example's result comment may state (`add(x, y) // [[11, 22]]`): the
 * syntax, read (`parseValueComment`) and written (`printValue`).
 *
 * A value is one of
 * - a number literal, optionally signed (`0.81`, `-0`, `1e-10`), `NaN`, `Infinity`, `-Infinity`;
 * - a string literal (`'(3x2)'`, `"a"`, or a template without `${}`), `true`, `false`, `null`,
 *   `undefined`;
 * - an array of values (`[[1, 2], [3, 4]]`);
 * - an object of values with identifier, string or number keys (`{ generator: 6, total: 43 }`);
 * - `Float64Array [v, ...]` (optionally `Float64Array(n) [...]`, as Node prints one): a
 *   Float64Array with those entries;
 * - `Right(v)` and `Left(v)`: fp-ts's Either, that is `{ _tag: 'Right', right: v }` and
 *   `{ _tag: 'Left', left: v }`.
 * Anything else (an operator, a call, a name, words) is prose, not a value.
 */
import ts from 'typescript'

/** A value read from a comment, or the reason the comment is not one. */
export type ParsedComment = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'prose' }

const PROSE: ParsedComment = { kind: 'prose' }

/** Thrown inside the reader when a node is not a value. */
class NotAValue extends Error {}

const numberOf = (node: ts.Expression): number => {
  if (ts.isNumericLiteral(node)) return Number(node.text)
  if (ts.isIdentifier(node) && (node.text === 'Infinity' || node.text === 'NaN')) return Number(node.text)
  throw new NotAValue()
}

const keyOf = (name: ts.PropertyName): string => {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text
  throw new NotAValue()
}

const valueOf = (node: ts.Expression): unknown => {
  if (ts.isParenthesizedExpression(node)) return valueOf(node.expression)
  if (ts.isNumericLiteral(node)) return Number(node.text)
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) return -numberOf(node.operand)
  if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.PlusToken) return numberOf(node.operand)
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false
  if (node.kind === ts.SyntaxKind.NullKeyword) return null
  if (ts.isIdentifier(node)) {
    if (node.text === 'undefined') return undefined
    return numberOf(node)
  }
  if (ts.isArrayLiteralExpression(node)) {
    return node.elements.map((e) => {
      if (ts.isOmittedExpression(e) || ts.isSpreadElement(e)) throw new NotAValue()
      return valueOf(e)
    })
  }
  if (ts.isObjectLiteralExpression(node)) {
    const out: Record<string, unknown> = {}
    for (const p of node.properties) {
      if (!ts.isPropertyAssignment(p)) throw new NotAValue()
      const key = keyOf(p.name)
      if (Object.hasOwn(out, key)) throw new NotAValue()
      Object.defineProperty(out, key, { value: valueOf(p.initializer), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.arguments.length === 1 && node.typeArguments === undefined) {
    const inner = valueOf(node.arguments[0] as ts.Expression)
    if (node.expression.text === 'Right') return { _tag: 'Right', right: inner }
    if (node.expression.text === 'Left') return { _tag: 'Left', left: inner }
  }
  throw new NotAValue()
}

/** The value of `text` read as one expression, or undefined when it does not parse as one. */
const parseExpression = (text: string): ts.Expression | undefined => {
  const source = ts.createSourceFile('comment.ts', `(${text}\n)`, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS)
  const diagnostics = (source as unknown as { readonly parseDiagnostics: ReadonlyArray<ts.Diagnostic> }).parseDiagnostics
  const [statement, ...rest] = source.statements
  if (diagnostics.length > 0 || rest.length > 0 || statement === undefined || !ts.isExpressionStatement(statement)) return undefined
  return statement.expression
}

const FLOAT64_ARRAY = /^Float64Array(?:\((\d+)\))?\s*(\[[\s\S]*\])$/

/** Reads a result comment's text (without the `//`) as a value, or says it is prose. */
export const parseValueComment = (text: string): ParsedComment => {
  const trimmed = text.trim()
  if (trimmed === '') return PROSE
  const typed = FLOAT64_ARRAY.exec(trimmed)
  const expression = parseExpression(typed === null ? trimmed : (typed[2] as string))
  if (expression === undefined) return PROSE
  try {
    const value = valueOf(expression)
    if (typed === null) return { kind: 'value', value }
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) return PROSE
    if (typed[1] !== undefined && Number(typed[1]) !== value.length) return PROSE
    return { kind: 'value', value: Float64Array.from(value) }
  } catch (e) {
    if (e instanceof NotAValue) return PROSE
    throw e
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A number as a comment writes it: `String(x)`, except `-0`. */
export const printNumber = (x: number): string => (Object.is(x, -0) ? '-0' : String(x))

/**
 * `value` in the comment syntax, so that `parseValueComment(printValue(v))` gives `v` back for
 * every value the syntax has (fp-ts Eithers print as objects). Other things print as
 * `<description>`, which does not parse: functions, class instances, cycles, typed arrays
 * other than Float64Array.
 */
export const printValue = (value: unknown, seen: ReadonlySet<object> = new Set()): string => {
  if (typeof value === 'number') return printNumber(value)
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`
  if (value === null || value === undefined || typeof value === 'boolean') return String(value)
  if (typeof value !== 'object') return `<${typeof value}>`
  if (seen.has(value)) return '<cycle>'
  const inner = new Set(seen).add(value)
  if (value instanceof Float64Array) return `Float64Array [${Array.from(value, printNumber).join(', ')}]`
  if (Array.isArray(value)) return `[${value.map((v) => printValue(v, inner)).join(', ')}]`
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return `<${Object.prototype.toString.call(value)}>`
  const entries = Object.entries(value).map(([k, v]) => `${IDENTIFIER.test(k) ? k : printValue(k)}: ${printValue(v, inner)}`)
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`
}
