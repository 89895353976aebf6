/** The error `f` throws; fails the test (by throwing itself) when `f` returns. */
export const thrown = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a throw')
}
