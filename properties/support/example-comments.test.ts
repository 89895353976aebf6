/**
 * The pieces of jsdoc-examples-run.test.ts on their own: which result comments are found
 * (result-comments.ts), which read as values (value-comment.ts), how values compare
 * (value-difference.ts) and how an example runs (run-example.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { resultComments } from './result-comments.js'
import { runExample } from './run-example.js'
import { parseValueComment, printValue } from './value-comment.js'
import { firstValueDifference } from './value-difference.js'

const valueOf = (text: string): unknown => {
  const parsed = parseValueComment(text)
  if (parsed.kind !== 'value') throw new Error(`not a value: ${text}`)
  return parsed.value
}

describe('parseValueComment', () => {
  it('reads numbers as exactly the double they print, signs, NaN and the infinities included', () => {
    expect(valueOf('0.81')).toBe(0.81)
    expect(Object.is(valueOf('-0'), -0)).toBe(true)
    expect(valueOf('NaN')).toBeNaN()
    expect(valueOf('-Infinity')).toBe(-Infinity)
    expect(valueOf('1e-10')).toBe(1e-10)
    expect(valueOf('1_600_000')).toBe(1600000)
  })

  it('reads strings, booleans, null, undefined, arrays, objects, Float64Array and Either', () => {
    expect(valueOf("'(3x2)'")).toBe('(3x2)')
    expect(valueOf('"a"')).toBe('a')
    expect(valueOf('true')).toBe(true)
    expect(valueOf('null')).toBe(null)
    expect(valueOf('undefined')).toBe(undefined)
    expect(valueOf('[[11, 22], [13, 24]]')).toEqual([[11, 22], [13, 24]])
    expect(valueOf("{ generator: 6, 'a b': [1] }")).toEqual({ generator: 6, 'a b': [1] })
    expect(valueOf('Float64Array [0.5, -0]')).toEqual(Float64Array.of(0.5, -0))
    expect(valueOf('Float64Array(2) [1, 2]')).toEqual(Float64Array.of(1, 2))
    expect(valueOf("Right({ a: [1, 2] })")).toEqual({ _tag: 'Right', right: { a: [1, 2] } })
    expect(valueOf("Left(['x'])")).toEqual({ _tag: 'Left', left: ['x'] })
    expect(valueOf('{\n  a: 1,\n}')).toEqual({ a: 1 })
  })

  it('calls everything else prose', () => {
    for (const prose of [
      '',
      'Math.LN2',
      '1 / sqrt(2)',
      '0 <= u < 1',
      'true: unknown field "adam.learningRate"',
      '[[0.5, -2]]; state.count === 1',
      'e.g. [3, 0, 4, 1, 2]',
      'output is (4x1), every entry 3',
      'Right(state), bit-identical',
      'same as rng.state',
      '126699 (bytes)',
      '[1, , 3]',
      '[...xs]',
      '{ a }',
      '{ a: 1, a: 2 }',
      'Float64Array(3) [1, 2]',
      "Float64Array ['a']",
      'f(1)',
      '`${x}`',
    ]) {
      expect(parseValueComment(prose), prose).toEqual({ kind: 'prose' })
    }
  })

  it('reads back what printValue writes', () => {
    const leaf = fc.oneof(fc.double(), fc.string(), fc.boolean(), fc.constant(null))
    const value = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 })),
    })).value
    fc.assert(
      fc.property(value, (v) => {
        expect(firstValueDifference(valueOf(printValue(v)), v)).toBeUndefined()
      }),
    )
    const typed = Float64Array.of(-0, Number.NaN, 1e-300)
    expect(valueOf(printValue(typed))).toEqual(typed)
  })
})

describe('firstValueDifference', () => {
  it('compares numbers with Object.is', () => {
    expect(firstValueDifference(-0, 0)).toBe('the value is -0, the comment says 0')
    expect(firstValueDifference(Number.NaN, Number.NaN)).toBeUndefined()
    expect(firstValueDifference(1.9599639845400536, 1.959963984540054)).toBe('the value is 1.9599639845400536, the comment says 1.959963984540054')
  })

  it('names the path of the first difference in arrays and objects', () => {
    expect(firstValueDifference([[1, 2]], [[1, 3]])).toBe('[0][1] is 2, the comment says 3')
    expect(firstValueDifference({ a: { b: [1] } }, { a: { b: [2] } })).toBe('a.b[0] is 1, the comment says 2')
    expect(firstValueDifference([1, 2], [1])).toBe('the value has 2 entries, the comment 1: the value is [1, 2], the comment says [1]')
    expect(firstValueDifference({ a: 1, b: 2 }, { a: 1 })).toBe('the value has the keys a, b, the comment a: the value is { a: 1, b: 2 }, the comment says { a: 1 }')
  })

  it('keeps kinds apart: a typed array is not an array, an array is not an object', () => {
    expect(firstValueDifference(Float64Array.of(1), [1])).toBeDefined()
    expect(firstValueDifference([1], Float64Array.of(1))).toBeDefined()
    expect(firstValueDifference([1], { 0: 1 })).toBeDefined()
    expect(firstValueDifference('1', 1)).toBeDefined()
    expect(firstValueDifference(Object.freeze({ a: [1] }), { a: [1] })).toBeUndefined()
    expect(firstValueDifference(new Map(), {})).toBeDefined()
  })
})

describe('resultComments', () => {
  it('takes a comment ending the line, or // lines directly under the statement', () => {
    const code = ["import { f } from 'x'", 'f(1) // 2', 'const a = f(2)', '// [3,', '// 4]', '', '// narrative', 'a', ''].join('\n')
    const found = resultComments(code)
    expect(found.map((r) => [r.line, r.statement, r.comment, r.expression === undefined])).toEqual([
      [2, 'f(1)', '2', false],
      [3, 'const a = f(2)', '[3,\n4]', true],
    ])
    const [first] = found
    expect(code.slice(first!.expression!.start, first!.expression!.end)).toBe('f(1)')
  })
})

describe('runExample', () => {
  it('records the chosen expressions in order, with imports from the given modules only', () => {
    const code = "import { double } from 'lib'\nconst x = double(2)\nx // 4\ndouble(x) + 1 // 9\n"
    const expressions = resultComments(code).map((r) => r.expression!)
    const lib = { double: (n: number) => 2 * n }
    expect(runExample(code, expressions, (s) => (s === 'lib' ? lib : undefined))).toEqual([4, 9])
    expect(() => runExample(code, [], () => {
      throw new Error('no such module')
    })).toThrow('no such module')
  })

  it('throws what the example throws, and fails when a recorded expression is never evaluated', () => {
    const code = "throw new Error('stop')\n1 // 1\n"
    expect(() => runExample(code, resultComments(code).map((r) => r.expression!), () => undefined)).toThrow('stop')
    const uncalled = 'const f = () => 1\n'
    const at = uncalled.indexOf('1')
    expect(() => runExample(uncalled, [{ start: at, end: at + 1 }], () => undefined)).toThrow('1 recorded expression(s) were never evaluated')
  })
})
