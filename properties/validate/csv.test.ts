/**
 * `parseNumericCsv` (src/validate/csv.ts): a table written out in any of the allowed ways
 * reads back as exactly its numbers (-0 as +0); every kind of refusal names the line and
 * column of the fault, wherever it is put; and any string at all gives a Left or a
 * well-formed table, never a throw.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as E from '../../src/fp/either.js'
import { DEFAULT_MAX_CSV_CELLS, type NumericTable, parseNumericCsv } from '../../src/validate/csv.js'

// -------------------------------------------------------------------------------------
// writing tables
// -------------------------------------------------------------------------------------

/** One cell: the number it stands for and its text as written (spacing and quotes included). */
interface Cell {
  readonly value: number
  readonly text: string
}

/** A table as a file: header cells (or none), rows of cells, the line end, what follows the last line. */
interface Written {
  readonly header: ReadonlyArray<{ readonly name: string; readonly text: string }> | undefined
  readonly rows: ReadonlyArray<ReadonlyArray<Cell>>
  readonly eol: '\n' | '\r\n'
  /** '' (no newline at the end), a newline, or a newline followed by blank lines. */
  readonly end: 'none' | 'newline' | 'blank-lines'
  readonly bom: boolean
}

const STYLES = ['string', 'exponent', 'upper-exponent', 'plus', 'short', 'quoted'] as const

/** `x` written in one of the allowed ways; -0 as `-0` (String(-0) is "0"). */
const write = (x: number, style: (typeof STYLES)[number]): string => {
  const s = Object.is(x, -0) ? '-0' : String(x)
  switch (style) {
    case 'string':
      return s
    case 'exponent':
      return x.toExponential()
    case 'upper-exponent':
      return x.toExponential().toUpperCase()
    case 'plus':
      return s.startsWith('-') ? s : `+${s}`
    case 'short':
      // 0.25 as .25, -0.5 as -.5, 12 as 12.
      return /^-?\d+$/.test(s) ? `${s}.` : s.replace(/^(-?)0\./, '$1.')
    case 'quoted':
      return `"${s}"`
  }
}

const pad = fc.stringMatching(/^[ \t]{0,2}$/)
/** Every finite double: -0, subnormals, the largest, negatives. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true })
const cell: fc.Arbitrary<Cell> = fc
  .tuple(finite, fc.constantFrom(...STYLES), pad, pad)
  .map(([value, style, left, right]) => ({ value, text: `${left}${write(value, style)}${right}` }))

/** A header name: starts with a letter or `_`, never a word that reads as a number (NaN, inf). */
const name = fc
  .stringMatching(/^[A-Za-z_][A-Za-z0-9_ ]{0,8}$/)
  .filter((n) => n === n.trim() && !/^(nan|inf|infinity)$/i.test(n))
const headerCell = fc
  .tuple(name, fc.boolean(), pad, pad)
  .map(([n, quote, left, right]) => ({ name: n, text: `${left}${quote ? `"${n}"` : n}${right}` }))

const written = (shape: { rows?: { min: number; max: number }; columns?: { min: number; max: number } } = {}): fc.Arbitrary<Written> =>
  fc
    .tuple(fc.integer({ min: shape.rows?.min ?? 1, max: shape.rows?.max ?? 50 }), fc.integer({ min: shape.columns?.min ?? 1, max: shape.columns?.max ?? 8 }))
    .chain(([rows, columns]) =>
      fc.record({
        header: fc.option(fc.array(headerCell, { minLength: columns, maxLength: columns }), { nil: undefined }),
        rows: fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: rows, maxLength: rows }),
        eol: fc.constantFrom('\n' as const, '\r\n' as const),
        end: fc.constantFrom('none' as const, 'newline' as const, 'blank-lines' as const),
        bom: fc.boolean(),
      }),
    )

/** The file's text. */
const render = (w: Written): string => {
  const lines = [...(w.header === undefined ? [] : [w.header.map((h) => h.text)]), ...w.rows.map((r) => r.map((c) => c.text))].map((cells) =>
    cells.join(','),
  )
  const end = w.end === 'none' ? '' : w.end === 'newline' ? w.eol : `${w.eol}${w.eol} \t${w.eol}`
  return `${w.bom ? '\uFEFF' : ''}${lines.join(w.eol)}${end}`
}

/** The 1-based line of data row `r`. */
const lineOf = (w: Written, r: number): number => r + 1 + (w.header === undefined ? 0 : 1)
const columnsOf = (w: Written): number => w.rows[0]!.length

/** `w` with the cell at (`r`, `c`) written as `text`. */
const withCell = (w: Written, r: number, c: number, text: string): Written => ({
  ...w,
  rows: w.rows.map((row, i) => (i !== r ? row : row.map((x, j) => (j !== c ? x : { value: Number.NaN, text })))),
})

/** A position in `w`'s rows, picked by two naturals. */
const at = (w: Written, i: number, j: number): { r: number; c: number; line: number; column: number } => {
  const r = i % w.rows.length
  const c = j % columnsOf(w)
  return { r, c, line: lineOf(w, r), column: c + 1 }
}

const leftOf = (text: string, limits?: { maxCells?: number }): string => {
  const out = parseNumericCsv(text, limits)
  if (E.isRight(out)) throw new Error(`expected a Left, got ${JSON.stringify(out.right)}`)
  return out.left
}

/** The checks every Right must pass, whatever the input. */
const expectWellFormed = (t: NumericTable): void => {
  expect(Number.isSafeInteger(t.rows) && t.rows >= 1).toBe(true)
  expect(Number.isSafeInteger(t.columns) && t.columns >= 1).toBe(true)
  expect(t.values.length).toBe(t.rows)
  for (const row of t.values) {
    expect(row.length).toBe(t.columns)
    for (const x of row) expect(Number.isFinite(x) && !Object.is(x, -0)).toBe(true)
    expect(Object.isFrozen(row)).toBe(true)
  }
  expect(Object.isFrozen(t) && Object.isFrozen(t.values)).toBe(true)
  if (t.header !== undefined) {
    expect(t.header.length).toBe(t.columns)
    expect(t.header.every((h) => typeof h === 'string')).toBe(true)
  }
}

// -------------------------------------------------------------------------------------
// round trip
// -------------------------------------------------------------------------------------

describe('parseNumericCsv reads back what was written', () => {
  it('every finite double in every allowed spelling, spacing, line end and header, -0 as +0', () => {
    fc.assert(
      fc.property(written(), (w) => {
        const out = parseNumericCsv(render(w))
        if (E.isLeft(out)) throw new Error(out.left)
        const t = out.right
        expectWellFormed(t)
        expect(t.rows).toBe(w.rows.length)
        expect(t.columns).toBe(columnsOf(w))
        w.rows.forEach((row, r) =>
          row.forEach((c, j) => {
            expect(Object.is(t.values[r]![j], c.value === 0 ? 0 : c.value)).toBe(true)
          }),
        )
        if (w.header === undefined) expect('header' in t).toBe(false)
        else expect(t.header).toEqual(w.header.map((h) => h.name))
      }),
      { numRuns: 300 },
    )
  })

  it('the examples of the rules', () => {
    expect(parseNumericCsv('x, y\n1,2\n-3.5e2 ,\t.5\n')).toEqual(E.right({ rows: 2, columns: 2, values: [[1, 2], [-350, 0.5]], header: ['x', 'y'] }))
    expect(parseNumericCsv('\uFEFF"1.5","x"'.replace(',"x"', ',"2"'))).toEqual(E.right({ rows: 1, columns: 2, values: [[1.5, 2]] }))
    expect(parseNumericCsv('5.,+.5,1E3\r\n\r\n  \n\t\n')).toEqual(E.right({ rows: 1, columns: 3, values: [[5, 0.5, 1000]] }))
    // A spreadsheet's index column: an empty header name.
    expect(parseNumericCsv(',a\n0,1\n')).toEqual(E.right({ rows: 1, columns: 2, values: [[0, 1]], header: ['', 'a'] }))
    // A name inside quotes keeps its spaces; `e1` is a name.
    expect(parseNumericCsv('" a ",e1\n1,2')).toEqual(E.right({ rows: 1, columns: 2, values: [[1, 2]], header: [' a ', 'e1'] }))
    // Underflow reads as 0; every zero is +0.
    const zeros = parseNumericCsv('-0,-0.0,-1e-400,0e5')
    expect(E.isRight(zeros) && zeros.right.values[0]!.every((x) => Object.is(x, 0))).toBe(true)
    expect(parseNumericCsv('5e-324,-1.7976931348623157e308')).toEqual(E.right({ rows: 1, columns: 2, values: [[5e-324, -1.7976931348623157e308]] }))
  })
})

// -------------------------------------------------------------------------------------
// refusals
// -------------------------------------------------------------------------------------

describe('parseNumericCsv names the line and column of each fault', () => {
  const ALLOWED = '(each cell must be a finite decimal number, such as 3, -0.5 or 1.5e-3)'
  const position = fc.tuple(written(), fc.nat(), fc.nat())

  it('a ragged row', () => {
    fc.assert(
      fc.property(position, fc.integer({ min: 1, max: 9 }), ([w, i], k) => {
        fc.pre(w.header !== undefined || w.rows.length >= 2)
        const columns = columnsOf(w)
        fc.pre(k !== columns)
        const r = w.header === undefined ? 1 + (i % (w.rows.length - 1)) : i % w.rows.length
        const row = Array.from({ length: k }, (_, j) => w.rows[r]![j % columns]!)
        const bad = { ...w, rows: w.rows.map((x, n) => (n === r ? row : x)) }
        expect(leftOf(render(bad))).toBe(
          `line ${lineOf(w, r)} has ${k} column${k === 1 ? '' : 's'}, but line 1 has ${columns} (every row must have the same number of columns)`,
        )
      }),
    )
  })

  it('a cell that is not a number (under a header, or below line 1)', () => {
    const word = fc.stringMatching(/^[a-z][a-z ]{0,6}[a-z]$/).filter((s) => !/^(nan|inf|infinity)$/.test(s))
    fc.assert(
      fc.property(position, word, pad, ([w, i, j], bad, space) => {
        const p = at(w, i, j)
        fc.pre(w.header !== undefined || p.r >= 1)
        expect(leftOf(render(withCell(w, p.r, p.c, `${space}${bad}${space}`)))).toBe(
          `line ${p.line}, column ${p.column}: ${JSON.stringify(bad)} is not a number ${ALLOWED}`,
        )
      }),
    )
  })

  it('a number written wrongly, anywhere (line 1 included): 1_000, spaces inside, a lone sign or exponent', () => {
    const bad = fc.constantFrom('1_000', '1 000', '1\t5', '--3', '+-1', '1e', '1e+', '1.2.3', '1e5e5', '-.e1', '1..5')
    fc.assert(
      fc.property(position, bad, ([w, i, j], b) => {
        const p = at(w, i, j)
        expect(leftOf(render(withCell(w, p.r, p.c, b)))).toBe(`line ${p.line}, column ${p.column}: ${JSON.stringify(b)} is not a number ${ALLOWED}`)
      }),
    )
  })

  it('NaN and the infinities, in any case and sign, anywhere', () => {
    const word = fc
      .tuple(fc.constantFrom('', '+', '-'), fc.constantFrom('NaN', 'nan', 'NAN', 'Infinity', 'infinity', 'inf', 'INF'), fc.boolean())
      .map(([sign, w, quote]) => ({ shown: `${sign}${w}`, text: quote ? `"${sign}${w}"` : `${sign}${w}` }))
    fc.assert(
      fc.property(position, word, ([w, i, j], b) => {
        const p = at(w, i, j)
        expect(leftOf(render(withCell(w, p.r, p.c, b.text)))).toBe(`line ${p.line}, column ${p.column}: ${b.shown} is not allowed (cells must be finite numbers)`)
      }),
    )
    expect(leftOf('1\nNaN\n')).toBe('line 2, column 1: NaN is not allowed (cells must be finite numbers)')
  })

  it('a number that overflows to ±Infinity', () => {
    const big = fc.oneof(
      fc
        .tuple(fc.constantFrom('', '+', '-'), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 309, max: 100_000 }))
        .map(([s, d, e]) => `${s}${d}e${e}`),
      fc.tuple(fc.constantFrom('', '-'), fc.integer({ min: 310, max: 2000 })).map(([s, n]) => `${s}${'9'.repeat(n)}`),
      fc.constant('1.7976931348623159e308'),
    )
    fc.assert(
      fc.property(position, big, ([w, i, j], b) => {
        const p = at(w, i, j)
        const shown = b.length > 40 ? `${b.slice(0, 40)}...` : b
        expect(leftOf(render(withCell(w, p.r, p.c, b)))).toBe(
          `line ${p.line}, column ${p.column}: ${shown} overflows to ${b.startsWith('-') ? '-' : ''}Infinity (cells must be finite numbers, at most about 1.8e308 in magnitude)`,
        )
      }),
    )
  })

  it('hexadecimal, octal and binary', () => {
    const word = fc.tuple(fc.constantFrom('', '-'), fc.constantFrom('0x', '0X', '0o', '0b'), fc.stringMatching(/^[0-1]{1,8}$/)).map((p) => p.join(''))
    fc.assert(
      fc.property(position, word, ([w, i, j], b) => {
        const p = at(w, i, j)
        expect(leftOf(render(withCell(w, p.r, p.c, b)))).toBe(
          `line ${p.line}, column ${p.column}: ${b} is not a decimal number (hexadecimal, octal and binary are not allowed; each cell must be a finite decimal number, such as 3, -0.5 or 1.5e-3)`,
        )
      }),
    )
  })

  it('an empty cell (in a row of two or more columns)', () => {
    fc.assert(
      fc.property(written({ columns: { min: 2, max: 8 } }), fc.nat(), fc.nat(), fc.constantFrom('', ' ', '\t ', '""', ' "" '), (w, i, j, empty) => {
        const p = at(w, i, j)
        expect(leftOf(render(withCell(w, p.r, p.c, empty)))).toBe(`line ${p.line}, column ${p.column}: the cell is empty ${ALLOWED}`)
      }),
    )
  })

  it('a stray double quote, anywhere (a header included)', () => {
    const bad = fc.constantFrom('"1.5', '1.5"', '1"5', '"', '"1""', '""1"', '"x')
    fc.assert(
      fc.property(position, bad, ([w, i, j], b) => {
        const p = at(w, i, j)
        expect(leftOf(render(withCell(w, p.r, p.c, b)))).toBe(
          `line ${p.line}, column ${p.column}: ${JSON.stringify(b)} has a stray double quote (a cell may be wrapped in one pair of double quotes, with no double quote or comma inside)`,
        )
      }),
    )
    expect(leftOf('"x,y"\n1,2')).toBe(
      'line 1, column 1: "\\"x" has a stray double quote (a cell may be wrapped in one pair of double quotes, with no double quote or comma inside)',
    )
  })

  it('a line 1 that mixes numbers and names', () => {
    fc.assert(
      fc.property(written({ columns: { min: 2, max: 8 } }), fc.nat(), name, (w0, j, n) => {
        const w = { ...w0, header: undefined }
        const c = j % columnsOf(w)
        const number = c === 0 ? 1 : 0
        const first = Math.min(c, number)
        const shown = (k: number): string => (k === c ? JSON.stringify(n) : w.rows[0]![k]!.text.trim().replace(/^"(.*)"$/, '$1'))
        expect(leftOf(render(withCell(w, 0, c, n)))).toBe(
          `line 1 mixes numbers and names: column ${first + 1} is ${shown(first)}, column ${Math.max(c, number) + 1} is ${shown(Math.max(c, number))} ` +
            '(line 1 must be either a header, with no cell a number, or a row of numbers)',
        )
      }),
    )
    expect(leftOf('x,NaN\n1,2')).toBe('line 1 mixes numbers and names: column 1 is "x", column 2 is NaN (line 1 must be either a header, with no cell a number, or a row of numbers)')
  })

  it('a blank line before a row (at the start or in the middle)', () => {
    fc.assert(
      fc.property(written(), fc.nat(), fc.constantFrom('', ' ', '\t', ' \t '), (w, i, blank) => {
        const lines = render({ ...w, bom: false, end: 'none' }).split(w.eol)
        const at = i % lines.length
        lines.splice(at, 0, blank)
        expect(leftOf(lines.join(w.eol))).toBe(`line ${at + 1} is blank (blank lines are allowed only at the end of the file)`)
      }),
    )
  })

  it('a carriage return that does not end a line', () => {
    fc.assert(
      fc.property(position, ([w, i, j]) => {
        const p = at(w, i, j)
        const bad = withCell(w, p.r, p.c, `\r${w.rows[p.r]![p.c]!.text}`)
        expect(leftOf(render(bad))).toBe(`line ${p.line} holds a carriage return (\\r) that does not end a line (lines end in \\n or \\r\\n)`)
      }),
    )
    expect(leftOf('1,2\r3,4\r')).toBe('line 1 holds a carriage return (\\r) that does not end a line (lines end in \\n or \\r\\n)')
  })

  it('an empty file, a file of blank lines, a file of only a header', () => {
    expect(leftOf('')).toBe('the file is empty (it needs at least one row of numbers)')
    expect(leftOf('\uFEFF')).toBe('the file is empty (it needs at least one row of numbers)')
    for (const blank of ['\n', '\r\n', ' ', '\t\n \n', '\uFEFF\n\n']) expect(leftOf(blank)).toBe('the file holds only blank lines (it needs at least one row of numbers)')
    fc.assert(
      fc.property(written(), (w) => {
        fc.pre(w.header !== undefined)
        expect(leftOf(render({ ...w, rows: [] }))).toBe('the file holds only a header (it needs at least one row of numbers)')
      }),
    )
  })

  it('more cells than maxCells, at the row that passes it; exactly maxCells is read', () => {
    fc.assert(
      fc.property(written(), fc.nat(), (w, i) => {
        const columns = columnsOf(w)
        const total = w.rows.length * columns
        fc.pre(total >= 2)
        const maxCells = 1 + (i % (total - 1))
        // A header wider than the limit is refused at once: no row under it could fit.
        const line = w.header !== undefined && columns > maxCells ? 1 : lineOf(w, Math.floor(maxCells / columns))
        expect(leftOf(render(w), { maxCells })).toBe(`too many cells: more than ${maxCells} (line ${line} passes the limit on the numbers a file may hold)`)
        expect(E.isRight(parseNumericCsv(render(w), { maxCells: total }))).toBe(true)
      }),
    )
  })

  it('a maxCells that is not a positive integer', () => {
    for (const maxCells of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(leftOf('1', { maxCells })).toMatch(/^maxCells must be a positive integer, got /)
    }
  })

  it('the messages of the task, word for word', () => {
    expect(leftOf('a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,abc')).toBe(`line 7, column 2: "abc" is not a number ${ALLOWED}`)
    expect(leftOf('1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2\n1,2,3')).toBe('line 9 has 3 columns, but line 1 has 2 (every row must have the same number of columns)')
    expect(leftOf('1\n2\n3\nNaN')).toBe('line 4, column 1: NaN is not allowed (cells must be finite numbers)')
    expect(leftOf('1,2\n3,4\n5,1e400')).toBe('line 3, column 2: 1e400 overflows to Infinity (cells must be finite numbers, at most about 1.8e308 in magnitude)')
  })
})

// -------------------------------------------------------------------------------------
// any input
// -------------------------------------------------------------------------------------

describe('parseNumericCsv on any string', () => {
  const check = (text: string): void => {
    // A throw fails the property.
    const out = parseNumericCsv(text)
    if (E.isLeft(out)) {
      expect(typeof out.left).toBe('string')
      expect(out.left).not.toContain('\n')
      expect(out.left.length).toBeLessThan(400)
    } else expectWellFormed(out.right)
  }

  it('gives a one-line Left or a well-formed table, never a throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), check), { numRuns: 200 })
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), check), { numRuns: 200 })
    const csvish = fc.constantFrom('1', '0', '9', '.', 'e', 'E', '-', '+', ',', '\n', '\r', ' ', '\t', '"', 'x', 'N', 'a', 'I', 'n', 'f', '_', '\uFEFF', '\u00a0')
    fc.assert(fc.property(fc.string({ unit: csvish, maxLength: 3000 }), check), { numRuns: 500 })
  })

  it('is linear on long cells that almost match (no catastrophic backtracking)', () => {
    const n = 1_000_000
    for (const text of ['1'.repeat(n) + 'x', `1.${'1'.repeat(n)}x`, `1e${'1'.repeat(n)}x`, '+'.repeat(n), `0x${'1'.repeat(n)}g`, `${'1 '.repeat(n)}`, `${'1e'.repeat(n)}`]) {
      check(text)
      check(`1\n${text}`)
    }
    expect(leftOf(`${'1'.repeat(n)}.5`)).toBe(`line 1, column 1: ${'1'.repeat(40)}... overflows to Infinity (cells must be finite numbers, at most about 1.8e308 in magnitude)`)
  })
})

// -------------------------------------------------------------------------------------
// size
// -------------------------------------------------------------------------------------

describe('parseNumericCsv on large files', () => {
  it('reads 200 000 rows of 2 columns', () => {
    const lines: string[] = []
    for (let i = 0; i < 200_000; i++) lines.push(`${i},${i / 7}`)
    const out = parseNumericCsv(`x,y\n${lines.join('\n')}\n`)
    if (E.isLeft(out)) throw new Error(out.left)
    expect(out.right.rows).toBe(200_000)
    expect(out.right.columns).toBe(2)
    expect(out.right.values[199_999]).toEqual([199_999, 199_999 / 7])
  })

  it('refuses a file of 1 000 001 cells by the default limit, in rows or in one line', () => {
    expect(DEFAULT_MAX_CSV_CELLS).toBe(1_000_000)
    expect(leftOf('1\n'.repeat(1_000_001))).toBe('too many cells: more than 1000000 (line 1000001 passes the limit on the numbers a file may hold)')
    expect(leftOf(`${'1,'.repeat(1_000_000)}1`)).toBe('too many cells: more than 1000000 (line 1 passes the limit on the numbers a file may hold)')
  })
})
