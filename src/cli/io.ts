/**
 * Where the command line's text goes: the process's streams in `main.ts`, a recorder in the
 * tests (which run the command in-process through `runCli`).
 *
 * @module
 */

/** The outputs of one command: standard output, standard error, and whether stderr is a terminal. */
export interface CliIo {
  /** Writes text to standard output (as is: the caller adds newlines). */
  readonly stdout: (text: string) => void
  /** Writes text to standard error (as is). */
  readonly stderr: (text: string) => void
  /** Whether standard error is a terminal (then progress is a live bar). */
  readonly isTTY: boolean
}

const PLAIN = /^[\x21-\x7e\u00a0-\u2027\u202a-\uffff]{1,120}$/u

/**
 * A piece of user input (a flag, a value, a path) as a message shows it, always on one line:
 * itself when it is short printable text without spaces, else JSON-quoted (control characters
 * and line breaks escaped) and cut to 120 characters with its full length named.
 */
export const shown = (text: string): string => {
  if (PLAIN.test(text)) return text
  const cut = text.length > 120 ? `${JSON.stringify(text.slice(0, 100))}... (${text.length} characters)` : JSON.stringify(text)
  return cut
}

/** A message forced onto one line: line breaks and other control characters (with the spaces around them) become one space. */
export const oneLine = (text: string): string => text.replace(/\s*[\u0000-\u001f\u007f\u2028\u2029]+\s*/g, ' ').trim()
