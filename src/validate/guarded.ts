/**
 * A boundary's last line of defence: a validator that is not expected to throw, run so that
 * an exception would still come back as a `Left` rather than escape to the caller.
 *
 * @module
 */
import * as E from '../fp/either.js'

/**
 * `validate()`, or `Left(onThrow(message))` when it throws, with `message` the error's
 * message (`'an unknown error'` for a thrown non-Error).
 *
 * @internal
 */
export const guarded = <L, R>(validate: () => E.Either<L, R>, onThrow: (message: string) => L): E.Either<L, R> => {
  try {
    return validate()
  } catch (e) {
    return E.left(onThrow(e instanceof Error ? e.message : 'an unknown error'))
  }
}
