/**
 * `pure-gan/testing`: the properties pure-gan's own suite checks its layers, objectives and
 * optimisers with, for a user's own (as JAX offers `check_grads`): the finite-difference
 * gradient checker, fast-check arbitraries of matrices, networks and parameter trees, and the
 * optimiser law builder. They run under any test runner: a failure is a thrown `Error`.
 *
 * fast-check is an optional peer dependency of pure-gan: install it to use this entry point.
 * The package root (`pure-gan`) never imports this module or fast-check.
 *
 * @module
 */
export { FD_ATOL, FD_RTOL, FD_STEP, expectGradientClose, frobeniusInner, gradientMismatch, numericGradient } from './gradient-check.js'
export { type ValueRange, dim, finiteDouble, matricesWithShapes, matrix, matrixOfShape } from './arbitraries.js'
export {
  KINK_MARGIN,
  type NetworkCase,
  type NetworkCaseOptions,
  activation,
  awayFromKinks,
  kinkFreeDouble,
  kinkFreeMatrix,
  networkCase,
  spreadDouble,
  spreadPool,
} from './network-arbitraries.js'
export {
  type ParamsAndGradients,
  TREE_POOL_SIZE,
  type TreeSkeleton,
  growSkeletonLeaf,
  paramsAndGradients,
  skeletonLeaves,
  treeFromSkeleton,
  treeSkeleton,
  treeValuePool,
} from './param-tree-arbitraries.js'
export { bitSnapshot, sameBits } from './bit-snapshot.js'
export { type OptimizerLaw, type OptimizerUnderTest, checkOptimizerLaws, optimizerLaws, runOptimizer } from './optimizer-laws.js'
