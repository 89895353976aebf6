/**
 * fast-check arbitraries of matrices shared by every property file. They live in
 * src/testing/arbitraries.ts (the `pure-gan/testing` entry point); this file re-exports them
 * for the suite.
 */
export * from '../../src/testing/arbitraries.js'
