/**
 * pure-gan: generative adversarial networks as pure, deterministic, property-tested
 * numerical code. Everything public is exported from here.
 *
 * @module
 */
export * from './matrix/index.js'
export * from './tree/param-tree.js'
