/**
 * The result comments of a doc example: what each top-level statement is said to give.
 *
 * The rule: a comment that ends a statement's last line (`add(a, b) // [[11, 22]]`), or `//`
 * lines directly under a statement (no blank line between), is that statement's result
 * comment. Such comments state a result; comments after a blank line (or before the first
 * statement) are free narrative and are not looked at. Whether a result comment is a value or
 * prose is value-comment.ts's business, and what is asserted is the test's.
 */
import ts from 'typescript'

/** One statement of an example that carries a result comment. */
export interface ResultComment {
  /** 1-based line in the example's code where the statement starts. */
  readonly line: number
  /** The statement as written (without its comment). */
  readonly statement: string
  /** For an expression statement, the expression's offsets in the code; undefined for others (declarations, imports). */
  readonly expression: { readonly start: number; readonly end: number } | undefined
  /** The comment's text without the `//` markers, its lines joined with `\n`. */
  readonly comment: string
}

const commentText = (raw: string): string =>
  raw.startsWith('//') ? raw.slice(2).trim() : raw.replace(/^\/\*+/, '').replace(/\*+\/$/, '').trim()

/** The `//` lines directly under offset `end` (the end of a statement), as text. */
const commentLinesBelow = (code: string, end: number): string[] => {
  const lineEnd = code.indexOf('\n', end)
  if (lineEnd < 0) return []
  const lines = code.slice(lineEnd + 1).split('\n')
  const below: string[] = []
  for (const l of lines) {
    const t = l.trim()
    if (!t.startsWith('//')) break
    below.push(commentText(t))
  }
  return below
}

/** The statements of `code` (TypeScript) that carry a result comment, in order. */
export const resultComments = (code: string): ResultComment[] => {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)
  return source.statements.flatMap((s): ResultComment[] => {
    const trailing = (ts.getTrailingCommentRanges(code, s.end) ?? []).map((r) => commentText(code.slice(r.pos, r.end)))
    const parts = [...trailing, ...commentLinesBelow(code, s.end)]
    if (parts.length === 0) return []
    const start = s.getStart(source)
    const expression = ts.isExpressionStatement(s) ? { start: s.expression.getStart(source), end: s.expression.end } : undefined
    return [{ line: source.getLineAndCharacterOfPosition(start).line + 1, statement: code.slice(start, s.end), expression, comment: parts.join('\n') }]
  })
}
