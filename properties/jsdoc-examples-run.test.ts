/**
 * Every `@example` in a doc comment under src/ runs, and shows what it gives: each result
 * comment that is a value is asserted.
 *
 * The rules (properties/support/result-comments.ts and value-comment.ts say them in full):
 * - An example runs in-process against src/ (support/example-sandbox.ts: 'pure-gan' is
 *   src/index.ts, 'node:fs' an in-memory file system holding the seed run's run.json).
 * - A result comment is a comment at the end of a statement's line, or `//` lines directly
 *   under it. On an expression statement, a comment that reads as a value (`// [[11, 22]]`,
 *   `// -0`, `// 'Left'`, `// Float64Array [0.5, -0]`, `// Right(7)`) is asserted: the
 *   expression's value must equal it deeply, numbers exactly (`Object.is`, so exactly the
 *   number printed, `-0` and `NaN` included).
 * - Every other result comment is prose (`// 0 <= u < 1`) or sits on a declaration
 *   (`const s0 = initialState(c) // s0.step === 0`), so it asserts nothing: it fails the test
 *   unless listed in NOT_YET_CONVERTED. Write the result as a value on an expression instead
 *   (`initialState(c).step // 0`); put explanations in the doc text or after a blank line.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { exampleRequire } from './support/example-sandbox.js'
import { type JsdocExample, srcExamples } from './support/jsdoc-examples.js'
import { type ResultComment, resultComments } from './support/result-comments.js'
import { runExample } from './support/run-example.js'
import { parseValueComment } from './support/value-comment.js'
import { firstValueDifference } from './support/value-difference.js'

const root = fileURLToPath(new URL('..', import.meta.url))

/**
 * Result comments that are not yet values, in files this change could not edit (their owners
 * were rewriting them). Each entry is a file and the comment's exact text (without `//`; lines
 * joined with `\n`). Convert the example, then delete its entry: an entry whose comment is gone
 * fails the test, so the list only shrinks.
 */
const NOT_YET_CONVERTED: ReadonlyArray<{ readonly file: string; readonly comment: string }> = []

/** A result comment of an example, where it is, and whether it is asserted. */
interface Finding {
  readonly example: JsdocExample
  readonly result: ResultComment
  /** `file:line` of the statement in its source file. */
  readonly where: string
  readonly asserted: { readonly value: unknown } | undefined
}

const findingsOf = (example: JsdocExample): Finding[] =>
  resultComments(example.code).map((result) => {
    const parsed = parseValueComment(result.comment)
    const asserted = result.expression !== undefined && parsed.kind === 'value' ? { value: parsed.value } : undefined
    return { example, result, where: `${example.file}:${example.line + result.line}`, asserted }
  })

const examples = srcExamples(root)
const findings = examples.flatMap(findingsOf)
const unasserted = findings.filter((f) => f.asserted === undefined)
const isListed = (f: Finding): boolean => NOT_YET_CONVERTED.some((n) => n.file === f.example.file && n.comment === f.result.comment)
const describeUnasserted = (f: Finding): string =>
  `${f.where}: ${f.result.expression === undefined ? 'a comment on a declaration' : 'a prose comment'}: ${f.result.statement} // ${f.result.comment}`

describe('doc-comment examples run', () => {
  it('there are examples, and most results are asserted', () => {
    expect(examples.length).toBeGreaterThan(50)
    expect(findings.filter((f) => f.asserted !== undefined).length).toBeGreaterThan(80)
  })

  it.each(examples)('$name runs and gives the values its comments state', (example) => {
    const asserted = findingsOf(example).filter((f) => f.asserted !== undefined)
    const values = runExample(
      example.code,
      asserted.map((f) => f.result.expression!),
      exampleRequire(),
    )
    const wrong = asserted.flatMap((f, i) => {
      const difference = firstValueDifference(values[i], f.asserted!.value)
      return difference === undefined ? [] : [`${f.where}: ${f.result.statement} // ${f.result.comment}\n  ${difference}`]
    })
    expect(wrong).toEqual([])
  })

  it('every result comment is an asserted value, except the listed ones not yet converted', () => {
    expect(unasserted.filter((f) => !isListed(f)).map(describeUnasserted)).toEqual([])
  })

  it('every listed comment is still there (delete the entry of a converted example)', () => {
    const stale = NOT_YET_CONVERTED.filter((n) => !unasserted.some((f) => f.example.file === n.file && f.result.comment === n.comment))
    expect(stale).toEqual([])
  })
})
