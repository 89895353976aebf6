/**
 * Finding NaN and infinite entries: the guards that stop a run at a non-finite value.
 *
 * @module
 */
import type { Matrix } from './matrix.js'

/**
 * The index of the first entry of `data[start..end)` that is NaN or ±Infinity, or -1 when
 * every entry is finite. `start` and `end` are trusted (0 <= start <= end <= data.length).
 *
 * @internal
 */
export const firstNonFiniteIn = (data: ArrayLike<number>, start: number, end: number): number => {
  for (let i = start; i < end; i++) if (!Number.isFinite(data[i] as number)) return i
  return -1
}

/**
 * The row-major index of `m`'s first NaN or infinite entry, or -1 when every entry is finite.
 *
 * @example
 * import { firstNonFinite, fromArrays } from 'pure-gan'
 * firstNonFinite(fromArrays([[1, 2], [Infinity, 4]])) // 2
 *
 * @category inspection
 * @since 0.1.0
 */
export const firstNonFinite = (m: Matrix): number => firstNonFiniteIn(m.data, 0, m.rows * m.cols)
