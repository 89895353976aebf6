/**
 * fast-check arbitraries for src/nn: activations, inputs kept away from the relu kink, and
 * whole random networks. They live in src/testing/network-arbitraries.ts (the
 * `pure-gan/testing` entry point); this file re-exports them for the suite.
 */
export * from '../../src/testing/network-arbitraries.js'
