/**
 * The immutable matrix and its operations.
 *
 * @module
 */
export {
  type Matrix,
  type ReadonlyFloat64Array,
  ShapeError,
  bitEqual,
  filled,
  fromArrays,
  fromFlat,
  get,
  identity,
  rowVector,
  sameShape,
  shapeOf,
  toArrays,
  toFlat,
  zeros,
} from './matrix.js'
export { add, addRowVector, columnSums, map, mul, scale, sub, sum, zipWith } from './elementwise.js'
export { matmul, matmulTransposeA, matmulTransposeB } from './matmul.js'
export { gatherRows, hconcat, sliceRows, transpose, vconcat } from './structure.js'
export { firstNonFinite } from './finite.js'
