/**
 * The seeded PRNG as plain data, uniform and normal draws, permutations and stream
 * splitting. docs/random.md describes the algorithms and how to replay a run.
 *
 * @module
 */
export {
  type Rng,
  nextUint32,
  randomInt,
  rngFromSeed,
  rngFromState,
  split,
  splitN,
  uniform,
  uniforms,
  validateSeed,
  validateState,
} from './rng.js'
export { inverseNormalCdf, normal, normalMatrix } from './normal.js'
export { permutation } from './permutation.js'
