/**
 * The parts of fp-ts that pure-gan uses (`Either` and `pipe`), re-exported from one place.
 *
 * A plain ES `import` of fp-ts's CommonJS build (`fp-ts/lib/...`), so that nothing outside the
 * command line imports a `node:` module and the library bundles for any platform (a browser,
 * Deno, Bun: docs/portability.md). Node scans an imported CommonJS file's source for its
 * export names (cjs-module-lexer); that scan costs a cold run of the seed workload a few
 * milliseconds at most, measured in docs/decisions.md ("fp-ts as an ES import").
 * Users of the library import fp-ts themselves; this module is not part of the public API.
 *
 * @module
 * @internal
 */
import type * as EitherModule from 'fp-ts/lib/Either.js'
import {
  isLeft as fpIsLeft,
  isRight as fpIsRight,
  left as fpLeft,
  map as fpMap,
  right as fpRight,
} from 'fp-ts/lib/Either.js'
import type * as FunctionModule from 'fp-ts/lib/function.js'
import { pipe as fpPipe } from 'fp-ts/lib/function.js'

export type { Either, Left, Right } from 'fp-ts/lib/Either.js'

/** fp-ts's `Either.left`. @internal */
export const left: typeof EitherModule.left = fpLeft
/** fp-ts's `Either.right`. @internal */
export const right: typeof EitherModule.right = fpRight
/** fp-ts's `Either.isLeft`. @internal */
export const isLeft: typeof EitherModule.isLeft = fpIsLeft
/** fp-ts's `Either.isRight`. @internal */
export const isRight: typeof EitherModule.isRight = fpIsRight
/** fp-ts's `Either.map`. @internal */
export const map: typeof EitherModule.map = fpMap
/** fp-ts's `pipe`. @internal */
export const pipe: typeof FunctionModule.pipe = fpPipe
