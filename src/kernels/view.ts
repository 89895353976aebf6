/**
 * A view: a stretch of a `Float64Array` that starts at an offset, the one argument type of
 * every kernel in this folder (instead of an array and an offset passed apart). Entry `i` of
 * the view is `data[off + i]`; how many entries it has is the kernel's plan's business.
 *
 * @module
 * @internal
 */

/**
 * `data[off], data[off + 1], ...`: where a kernel reads or writes a block of values.
 *
 * @internal
 */
export interface View {
  readonly data: Float64Array
  readonly off: number
}

/**
 * The view of `data` from `off` (default 0).
 *
 * @internal
 */
export const viewOf = (data: Float64Array, off = 0): View => ({ data, off })
