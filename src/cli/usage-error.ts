/**
 * The error of a bad command line.
 *
 * @module
 */

/** A bad command line: the message is printed as is, and the command exits with code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
