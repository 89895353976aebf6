/**
 * The parts of fp-ts that pure-gan uses (`Either` and `pipe`), re-exported from one place.
 *
 * fp-ts 2 ships CommonJS to Node (its ES build is not marked as ES modules). An ES module
 * that `import`s a CommonJS file makes Node scan that file's source for its export names
 * (cjs-module-lexer); for fp-ts's `Either.js` the scan is hot enough that V8 optimises the
 * scanner, and those compilations (about 80 ms of CPU) then run on the background threads
 * while the first epochs of a run execute, competing with them on a small machine. Loading
 * the same files with `require` skips the scan: same modules, same functions, none of that
 * work (docs/decisions.md, "fp-ts through require"; docs/performance.md).
 * Users of the library import fp-ts themselves; this module is not part of the public API.
 *
 * @module
 * @internal
 */
import { createRequire } from 'node:module'
import type * as EitherModule from 'fp-ts/lib/Either.js'
import type * as FunctionModule from 'fp-ts/lib/function.js'

const require = createRequire(import.meta.url)
const either = require('fp-ts/lib/Either.js') as typeof EitherModule
const fn = require('fp-ts/lib/function.js') as typeof FunctionModule

export type { Either, Left, Right } from 'fp-ts/lib/Either.js'

/** fp-ts's `Either.left`. @internal */
export const left: typeof EitherModule.left = either.left
/** fp-ts's `Either.right`. @internal */
export const right: typeof EitherModule.right = either.right
/** fp-ts's `Either.isLeft`. @internal */
export const isLeft: typeof EitherModule.isLeft = either.isLeft
/** fp-ts's `Either.isRight`. @internal */
export const isRight: typeof EitherModule.isRight = either.isRight
/** fp-ts's `Either.map`. @internal */
export const map: typeof EitherModule.map = either.map
/** fp-ts's `pipe`. @internal */
export const pipe: typeof FunctionModule.pipe = fn.pipe
