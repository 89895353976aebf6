/** The error `f` throws; fails the test (by throwing itself) when `f` returns. */
export const thrown = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}

/** The message of the `RangeError` `f` throws; fails the test when `f` returns or throws anything else. */
export const rangeErrorMessage = (f: () => unknown): string => {
  const e = thrown(f)
  if (!(e instanceof RangeError)) throw new Error(`expected a RangeError, got ${e}`)
  return e.message
}
