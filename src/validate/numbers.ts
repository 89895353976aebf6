/**
 * Tests on numbers that come from untyped input (a config, a spec read from JSON).
 *
 * @module
 */

/**
 * A positive integer: a safe integer (`Number.isSafeInteger`: an integer number whose
 * magnitude is at most 2^53 - 1) that is at least 1. False for every non-number (including
 * numeric strings and boxed numbers), for NaN, ±Infinity, non-integers, 0, -0, negatives and
 * integers from 2^53 on.
 *
 * @internal
 */
export const isPositiveInteger = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 1

/**
 * `x` is a finite number: `Number.isFinite(x)`, which is false for every non-number, as a
 * type guard (no `typeof` test needed before it).
 *
 * @internal
 */
export const isFiniteNumber = (x: unknown): x is number => Number.isFinite(x)

/**
 * `x` is a safe integer: `Number.isSafeInteger(x)` as a type guard.
 *
 * @internal
 */
export const isSafeInteger = (x: unknown): x is number => Number.isSafeInteger(x)
