/**
 * A user's numeric CSV file (`--data csv:PATH`), read into a table of finite numbers, or one
 * line saying what is wrong, where (1-based line and column) and what is allowed. Pure: the
 * caller reads the file; nothing here touches the file system, so the parser bundles for any
 * platform.
 *
 * The rules:
 *
 * - **Lines.** A line ends in `\n` or `\r\n`; the last line may end in neither. A `\r`
 *   anywhere else is refused (so a file with old Mac `\r` line ends is refused at line 1).
 *   A UTF-8 byte order mark (U+FEFF) at the very start is skipped. Line numbers count every
 *   line of the file, from 1.
 * - **Blank lines** (empty, or only spaces and tabs) are ignored at the end of the file, any
 *   number of them; a blank line before a row (at the start or in the middle) is refused,
 *   naming it, since a missing row is more likely an error than a separator.
 * - **Cells.** The separator is a comma; each cell is trimmed of spaces and tabs (only those:
 *   any other character, a no-break space included, is part of the cell). Every row, the
 *   header included, must have as many cells as line 1.
 * - **Numbers.** A cell is a number when it matches a strict decimal grammar: an optional
 *   sign, then digits with an optional fraction (`12`, `12.5`, `5.`) or a fraction alone
 *   (`.5`), then an optional exponent (`e-3`, `E+12`). Only then is it read, by `Number`
 *   (correctly rounded to the nearest double). Refused: an empty cell, `NaN`, `Infinity` and
 *   `inf` (any case, any sign), hexadecimal, octal and binary (`0x10`), `1_000`, spaces inside
 *   a number, and a number that overflows to ±Infinity (`1e400`); a number too small for a
 *   double underflows to 0 as `Number` reads it. `-0` (and whatever reads as -0, such as
 *   `-1e-400`) becomes `+0`, since the config, as JSON, cannot carry -0.
 * - **Quotes.** A cell may be wrapped in one pair of double quotes (`"1.5"`, `"x"`), which are
 *   removed; what is inside is taken as it is (not trimmed again). A quote anywhere else (an
 *   unpaired one, a quote inside, or a quoted cell holding a comma, which the comma splits)
 *   is refused: there is no escaping and no cell spans a line.
 * - **Header.** Line 1 is a header when none of its cells is number-like: a number, `NaN`,
 *   `Infinity`, a hexadecimal number, or a number written wrongly (a digit, sign or dot, then
 *   only those, `e`, underscores and spaces, with a digit among them: `1_000`, `1 2`, but not
 *   `e1`), so that a first row with a typo is refused rather than silently taken for a
 *   header. A header's cells, unquoted, are kept as `header` (empty names allowed, as a
 *   spreadsheet's index column writes them). When none of line 1's cells is a name, line 1
 *   is the first row. Line 1 mixing number-like cells with names is ambiguous and refused,
 *   naming one of each.
 * - **Size.** At most `maxCells` numbers (default {@link DEFAULT_MAX_CSV_CELLS}), checked row
 *   by row before a row is split, so a huge file is refused without building a huge array
 *   (a header wider than `maxCells` is refused at once: no row under it could fit). The
 *   result is the only memory kept besides the text itself.
 *
 * The parser never throws and runs in time linear in the text: it scans each line once, and
 * its regular expressions cannot backtrack more than linearly.
 *
 * @module
 */
import * as E from '../fp/either.js'
import { isPositiveInteger } from './numbers.js'
import { preview } from './preview.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A CSV file of numbers: `rows` rows of `columns` finite numbers each (`values[r][c]`, never
 * -0), and the header's names when line 1 is a header. Everything in it is frozen.
 *
 * @category model
 * @since 0.5.0
 */
export interface NumericTable {
  readonly rows: number
  readonly columns: number
  readonly values: ReadonlyArray<ReadonlyArray<number>>
  readonly header?: ReadonlyArray<string>
}

/**
 * The most numbers `parseNumericCsv` reads unless told otherwise: 1 000 000 (8 MB of doubles,
 * a file of some 10 to 25 MB).
 *
 * @category constants
 * @since 0.5.0
 */
export const DEFAULT_MAX_CSV_CELLS = 1_000_000

// -------------------------------------------------------------------------------------
// cells
// -------------------------------------------------------------------------------------

/**
 * The decimal grammar. Unambiguous: the digits before a dot, after it and in the exponent are
 * each matched one way only, so a failing match backtracks at most linearly.
 */
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
/** Not-a-number and the infinities as a user may write them. */
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i
/** Hexadecimal, octal and binary, as `Number` would read them. */
const NON_DECIMAL = /^[+-]?0[xob][0-9a-f]*$/i

const ALLOWED = 'each cell must be a finite decimal number, such as 3, -0.5 or 1.5e-3'

/** A cell's text in a message, quoted and cut after 40 characters. */
const quoted = (cell: string): string => preview(cell, 40)
/** A cell's text in a message: bare when it is one of the words above (cut after 40 characters), quoted otherwise. */
const shown = (cell: string): string =>
  DECIMAL.test(cell) || NON_FINITE.test(cell) || NON_DECIMAL.test(cell) ? (cell.length > 40 ? `${cell.slice(0, 40)}...` : cell) : quoted(cell)

/** `s` without the spaces and tabs at either end. */
const trimmed = (s: string): string => {
  let a = 0
  let b = s.length
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--
  return s.slice(a, b)
}

/** A cell read: its text without quotes, or the reason its quotes are refused. */
type Unquoted = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly why: string }

const QUOTES =
  'a cell may be wrapped in one pair of double quotes, with no double quote or comma inside'

/** A trimmed cell without its enclosing double quotes; any other double quote is refused. */
const unquote = (cell: string): Unquoted => {
  const first = cell.indexOf('"')
  if (first < 0) return { ok: true, text: cell }
  const paired = first === 0 && cell.length >= 2 && cell.charCodeAt(cell.length - 1) === 34 && cell.indexOf('"', 1) === cell.length - 1
  if (paired) return { ok: true, text: cell.slice(1, -1) }
  return { ok: false, why: `${quoted(cell)} has a stray double quote (${QUOTES})` }
}

/**
 * A number written wrongly: a digit, sign or dot, then only those, `e`, underscores, spaces
 * and tabs, with a digit among them (`1_000`, `1 2`, `1e`, `--3`; not `e1`, a name). Two
 * tests, each linear.
 */
const NUMBER_CHARACTERS = /^[0-9+\-.][0-9+\-.eE_ \t]*$/
const DIGIT = /[0-9]/
const isMalformedNumber = (text: string): boolean => NUMBER_CHARACTERS.test(text) && DIGIT.test(text)

/** What a cell of line 1 looks like, for telling a header from a row. */
type Kind = 'number' | 'number-like' | 'empty' | 'name'

const kindOf = (text: string): Kind =>
  text === ''
    ? 'empty'
    : DECIMAL.test(text)
      ? 'number'
      : NON_FINITE.test(text) || NON_DECIMAL.test(text) || isMalformedNumber(text)
        ? 'number-like'
        : 'name'

/** A cell's number, or why it is not one (the message's text after `line L, column C: `). */
const numberOf = (text: string): { readonly ok: true; readonly value: number } | { readonly ok: false; readonly why: string } => {
  if (DECIMAL.test(text)) {
    const x = Number(text)
    if (Number.isFinite(x)) return { ok: true, value: x === 0 ? 0 : x }
    return { ok: false, why: `${shown(text)} overflows to ${x > 0 ? '' : '-'}Infinity (cells must be finite numbers, at most about 1.8e308 in magnitude)` }
  }
  if (text === '') return { ok: false, why: `the cell is empty (${ALLOWED})` }
  if (NON_FINITE.test(text)) return { ok: false, why: `${shown(text)} is not allowed (cells must be finite numbers)` }
  if (NON_DECIMAL.test(text)) return { ok: false, why: `${shown(text)} is not a decimal number (hexadecimal, octal and binary are not allowed; ${ALLOWED})` }
  return { ok: false, why: `${quoted(text)} is not a number (${ALLOWED})` }
}

// -------------------------------------------------------------------------------------
// lines
// -------------------------------------------------------------------------------------

/** True when `line` is empty or holds only spaces and tabs. */
const isBlank = (line: string): boolean => {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c !== 32 && c !== 9) return false
  }
  return true
}

/** The number of comma-separated cells of `line`, counted without splitting it. */
const cellCount = (line: string): number => {
  let n = 1
  for (let i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) n++
  return n
}

/** The cells of `line`, trimmed, unquoted; or the message of the first cell whose quotes are refused. */
const cellsOf = (line: string, lineNo: number): E.Either<string, string[]> => {
  const out: string[] = []
  const raw = line.split(',')
  for (let c = 0; c < raw.length; c++) {
    const u = unquote(trimmed(raw[c] as string))
    if (!u.ok) return E.left(`line ${lineNo}, column ${c + 1}: ${u.why}`)
    out.push(u.text)
  }
  return E.right(out)
}

/** The numbers of a row's cells, or the message naming the first cell that is not one. */
const rowOf = (cells: ReadonlyArray<string>, lineNo: number): E.Either<string, ReadonlyArray<number>> => {
  const row: number[] = []
  for (let c = 0; c < cells.length; c++) {
    const n = numberOf(cells[c] as string)
    if (!n.ok) return E.left(`line ${lineNo}, column ${c + 1}: ${n.why}`)
    row.push(n.value)
  }
  return E.right(Object.freeze(row))
}

/**
 * Line 1's cells as a header (every non-empty cell a name), as the first row (none a name),
 * or the message saying that it mixes the two.
 */
const firstLine = (cells: ReadonlyArray<string>): { readonly header: boolean } | { readonly mixed: string } => {
  const kinds = cells.map(kindOf)
  const name = kinds.indexOf('name')
  let numeric = kinds.indexOf('number')
  if (numeric < 0) numeric = kinds.indexOf('number-like')
  if (numeric < 0) return { header: true }
  if (name < 0) return { header: false }
  const one = (c: number): string => `column ${c + 1} is ${shown(cells[c] as string)}`
  return {
    mixed:
      `line 1 mixes numbers and names: ${numeric < name ? `${one(numeric)}, ${one(name)}` : `${one(name)}, ${one(numeric)}`} ` +
      '(line 1 must be either a header, with no cell a number, or a row of numbers)',
  }
}

// -------------------------------------------------------------------------------------
// parse
// -------------------------------------------------------------------------------------

/**
 * The table of numbers a CSV text holds, or one line saying what is wrong, where and what is
 * allowed (the module's doc comment gives the rules), e.g.
 * `line 7, column 2: "abc" is not a number (each cell must be a finite decimal number, such as 3, -0.5 or 1.5e-3)`
 * or `line 9 has 3 columns, but line 1 has 2 (every row must have the same number of columns)`.
 * `limits.maxCells` (a positive integer, default {@link DEFAULT_MAX_CSV_CELLS}) bounds the
 * numbers read: `too many cells: more than N ...` once a row would pass it. Never throws; time
 * is linear in the text's length.
 *
 * @category validation
 * @since 0.5.0
 */
export const parseNumericCsv = (text: string, limits?: { maxCells?: number }): E.Either<string, NumericTable> => {
  try {
    return parse(text, limits?.maxCells ?? DEFAULT_MAX_CSV_CELLS)
  } catch (e) {
    // Not expected (nothing above throws for a string); memory exhaustion still ends as a value.
    return E.left(`the file cannot be read (${e instanceof Error ? e.message.slice(0, 120) : 'an unknown error'})`)
  }
}

const parse = (text: string, maxCells: number): E.Either<string, NumericTable> => {
  if (typeof text !== 'string') return E.left(`the file's text must be a string, got ${typeof text}`)
  if (!isPositiveInteger(maxCells)) return E.left(`maxCells must be a positive integer, got ${preview(maxCells)}`)
  let header: ReadonlyArray<string> | undefined
  const values: Array<ReadonlyArray<number>> = []
  let columns = 0
  let cells = 0
  /** The number of the first blank line since the last row, refused if a row follows it. */
  let blank = 0
  let lineNo = 0
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0
  while (start < text.length) {
    lineNo++
    const nl = text.indexOf('\n', start)
    const end = nl < 0 ? text.length : nl
    const line = text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : end)
    start = end + 1
    if (line.indexOf('\r') >= 0) {
      return E.left(`line ${lineNo} holds a carriage return (\\r) that does not end a line (lines end in \\n or \\r\\n)`)
    }
    if (isBlank(line)) {
      if (blank === 0) blank = lineNo
      continue
    }
    if (blank !== 0) return E.left(`line ${blank} is blank (blank lines are allowed only at the end of the file)`)
    const count = cellCount(line)
    if (lineNo > 1 && count !== columns) {
      return E.left(`line ${lineNo} has ${count} column${count === 1 ? '' : 's'}, but line 1 has ${columns} (every row must have the same number of columns)`)
    }
    if (cells + count > maxCells) {
      return E.left(`too many cells: more than ${maxCells} (line ${lineNo} passes the limit on the numbers a file may hold)`)
    }
    const split = cellsOf(line, lineNo)
    if (E.isLeft(split)) return split
    if (lineNo === 1) {
      columns = count
      const first = firstLine(split.right)
      if ('mixed' in first) return E.left(first.mixed)
      if (first.header) {
        header = Object.freeze(split.right)
        continue
      }
    }
    const row = rowOf(split.right, lineNo)
    if (E.isLeft(row)) return row
    values.push(row.right)
    cells += count
  }
  if (values.length === 0) {
    if (header !== undefined) return E.left('the file holds only a header (it needs at least one row of numbers)')
    if (lineNo === 0) return E.left('the file is empty (it needs at least one row of numbers)')
    return E.left('the file holds only blank lines (it needs at least one row of numbers)')
  }
  const table = { rows: values.length, columns, values: Object.freeze(values) }
  return E.right(Object.freeze(header === undefined ? table : { ...table, header }))
}
