import { defineConfig } from 'vitest/config'

// Focused run for src/random/normal.ts and src/matrix/kernels.ts: the properties of the random
// streams, the matrices and products, the WebAssembly twins, the reference loops, the golden
// values and the oracle, under both backends.
const INCLUDE = [
  'properties/random/*.test.ts',
  'properties/matrix/*.test.ts',
  'properties/wasm/kernels.test.ts',
  'properties/kernels/reference-loops.test.ts',
  'properties/kernels/layers.test.ts',
  'properties/golden.test.ts',
  'properties/oracle.test.ts',
]
export default defineConfig({
  test: {
    setupFiles: ['properties/support/setup.ts'],
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'default', include: INCLUDE, env: { PURE_GAN_MUTATION: '1' } } },
      { extends: true, test: { name: 'js-kernels', include: INCLUDE, env: { PURE_GAN_MUTATION: '1', PURE_GAN_KERNELS: 'js' } } },
    ],
  },
})
