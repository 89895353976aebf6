/**
 * The finite-difference oracle every gradient property is checked against. It lives in
 * src/testing/gradient-check.ts (the `pure-gan/testing` entry point, so that users check their
 * own layers and objectives with the same oracle); this file re-exports it for the suite.
 */
export * from '../../src/testing/gradient-check.js'
