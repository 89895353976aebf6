/**
 * pure-gan: generative adversarial networks as pure, deterministic, property-tested
 * numerical code. Everything public is exported from here.
 *
 * @module
 */
export * from './matrix/index.js'
export * from './tree/param-tree.js'
export * from './random/index.js'
export * from './nn/index.js'
export * from './loss/index.js'
export * from './optim/index.js'
export * from './metrics/index.js'
export * from './gan/index.js'
export * from './report/index.js'
export { firstDifference, makeRunRecord, snapshotEpochs, snapshotOf } from './report/make-record.js'
export * from './validate/plain-data.js'
export * as elementary from './elementary/index.js'
