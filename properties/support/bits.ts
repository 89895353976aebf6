/**
 * Bit-for-bit comparison of float64 values for the `toEqualBits` matcher (registered in
 * setup.ts): a matrix against a matrix, a sequence (`Float64Array` or `number[]`) against a
 * sequence, a number against a number.
 *
 * Equality per entry is `Object.is`, exactly as `bitEqual` in src/matrix: equal 64-bit
 * patterns are equal, `0` and `-0` differ, and every NaN equals every NaN whatever its payload.
 * NaN payloads are not compared because ECMAScript lets an engine canonicalize a NaN when it is
 * read from or written to a typed array, so a payload is not a property of the computation.
 *
 * Unlike `bitEqual`, which walks `a.data.length` entries only, the shapes are checked in full
 * first: matrices must agree in rows and cols and each must hold exactly rows·cols entries
 * (so a matrix whose data array is short or long cannot pass), and sequences must agree in length.
 */

/** A matrix as the matcher sees it (src/matrix's `Matrix`, or anything of that form). */
export interface MatrixLike {
  readonly rows: number
  readonly cols: number
  readonly data: ArrayLike<number>
}

/** What `toEqualBits` compares: a matrix, a sequence of numbers, or one number. */
export type BitComparable = MatrixLike | Float64Array | ReadonlyArray<number> | number

/** The first differing entry of two same-shaped values. */
export interface FirstDifference {
  /** Index in row-major order (the index into `data` for a matrix). */
  readonly index: number
  /** Row and column of the entry, for matrices. */
  readonly at?: { readonly row: number; readonly col: number }
  readonly received: number
  readonly expected: number
}

/** The outcome of `compareBits`. */
export type BitComparison =
  /** Same shape, every entry equal; `shape` describes what was compared. */
  | { readonly kind: 'equal'; readonly shape: string; readonly entries: number }
  /** The shapes (kinds, rows/cols, lengths, or a matrix's own data length) do not fit. */
  | { readonly kind: 'shape'; readonly reason: string }
  /** Same shape, `count` of `entries` entries differ, the first being `first`. */
  | { readonly kind: 'entries'; readonly shape: string; readonly entries: number; readonly count: number; readonly first: FirstDifference }

type Operand =
  | { readonly kind: 'matrix'; readonly rows: number; readonly cols: number; readonly data: ArrayLike<number> }
  | { readonly kind: 'sequence'; readonly data: ArrayLike<number> }
  | { readonly kind: 'number'; readonly data: ArrayLike<number> }

const isMatrixLike = (x: unknown): x is MatrixLike =>
  typeof x === 'object' && x !== null && 'rows' in x && 'cols' in x && 'data' in x

const operand = (role: string, x: unknown): Operand => {
  if (typeof x === 'number') return { kind: 'number', data: [x] }
  if (x instanceof Float64Array) return { kind: 'sequence', data: x }
  if (Array.isArray(x) && x.every((v) => typeof v === 'number')) return { kind: 'sequence', data: x }
  if (isMatrixLike(x) && Number.isSafeInteger(x.rows) && Number.isSafeInteger(x.cols) && (x.data instanceof Float64Array || Array.isArray(x.data))) {
    return { kind: 'matrix', rows: x.rows, cols: x.cols, data: x.data }
  }
  throw new TypeError(`toEqualBits: the ${role} value must be a Matrix, a Float64Array, a number[] or a number, got ${describeOperand(x)}`)
}

const describeOperand = (x: unknown): string => {
  if (x === null) return 'null'
  if (Array.isArray(x)) return 'an array with a non-number entry'
  if (typeof x === 'object') return `an object (${Object.prototype.toString.call(x)})`
  return typeof x
}

const shapeText = (o: Operand): string =>
  o.kind === 'matrix' ? `a (${o.rows}x${o.cols}) matrix` : o.kind === 'sequence' ? `a sequence of ${o.data.length}` : 'a number'

/** Why `o` cannot be compared entry by entry with `other`, or undefined when it can. */
const shapeProblem = (received: Operand, expected: Operand): string | undefined => {
  for (const [role, o] of [['received', received], ['expected', expected]] as const) {
    if (o.kind === 'matrix' && o.data.length !== o.rows * o.cols) {
      return `the ${role} (${o.rows}x${o.cols}) matrix holds ${o.data.length} data entries, not ${o.rows * o.cols}`
    }
  }
  if (received.kind !== expected.kind) return `expected ${shapeText(expected)}, received ${shapeText(received)}`
  if (received.kind === 'matrix' && expected.kind === 'matrix' && (received.rows !== expected.rows || received.cols !== expected.cols)) {
    return `expected ${shapeText(expected)}, received ${shapeText(received)}`
  }
  if (received.data.length !== expected.data.length) return `expected ${shapeText(expected)}, received ${shapeText(received)}`
  return undefined
}

/**
 * Compares `received` with `expected` entry by entry (`Object.is`, see the module comment)
 * after checking their shapes. Throws a `TypeError` when either is not a Matrix, a
 * `Float64Array`, a `number[]` or a number.
 */
export const compareBits = (received: unknown, expected: unknown): BitComparison => {
  const r = operand('received', received)
  const e = operand('expected', expected)
  const problem = shapeProblem(r, e)
  if (problem !== undefined) return { kind: 'shape', reason: problem }
  const shape = r.kind === 'matrix' ? `(${r.rows}x${r.cols}) matrices` : r.kind === 'sequence' ? `sequences of ${r.data.length}` : 'numbers'
  const entries = r.data.length
  let count = 0
  let first: FirstDifference | undefined
  for (let i = 0; i < entries; i++) {
    const a = r.data[i] as number
    const b = e.data[i] as number
    if (Object.is(a, b)) continue
    count++
    if (first === undefined) {
      const at = r.kind === 'matrix' ? { at: { row: Math.floor(i / r.cols), col: i % r.cols } } : {}
      first = { index: i, ...at, received: a, expected: b }
    }
  }
  return first === undefined ? { kind: 'equal', shape, entries } : { kind: 'entries', shape, entries, count, first }
}

/** The 64-bit pattern of `x` as 16 hexadecimal digits, most significant first (1 → `3ff0000000000000`). */
export const float64Hex = (x: number): string => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  return view.getBigUint64(0).toString(16).padStart(16, '0')
}

/** `x` as `String` prints it, except that -0 shows as `-0`, followed by its bits. */
const showNumber = (x: number): string => `${Object.is(x, -0) ? '-0' : String(x)} (bits ${float64Hex(x)})`

/**
 * The message for a comparison: why the values are not bit-equal (the shapes, or the number of
 * differing entries and the first of them with its index, row and col for matrices, both values
 * and both bit patterns), or, for an equal comparison, what was equal (for `.not`).
 */
export const describeBitComparison = (c: BitComparison): string => {
  switch (c.kind) {
    case 'equal':
      return `expected the ${c.shape} not to be bit-equal, but all ${c.entries} entries are`
    case 'shape':
      return `expected bit-equal values, but the shapes differ: ${c.reason}`
    case 'entries': {
      const f = c.first
      const where = f.at === undefined ? `index ${f.index}` : `index ${f.index} (row ${f.at.row}, col ${f.at.col})`
      return (
        `expected the ${c.shape} to be bit-equal, but ${c.count} of ${c.entries} entries differ; the first at ${where}:\n` +
        `  received ${showNumber(f.received)}\n` +
        `  expected ${showNumber(f.expected)}`
      )
    }
  }
}
