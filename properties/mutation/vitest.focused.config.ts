import { defineConfig } from 'vitest/config'

// Focused runs for modules that nearly every property reaches (a run with the whole suite
// would take hours on two cores), under both backends. PURE_GAN_FOCUS picks the set:
// - unset: src/random/normal.ts and src/matrix/kernels.ts: the random streams, the matrices
//   and products, the WebAssembly twins, the reference loops, the golden values and the oracle;
// - `wasm`: src/wasm/kernels.ts: the WebAssembly twins and steps, the kernels, the epoch's
//   buffers, the updates, the matrices, the random streams and the golden values;
// - `family`: issue 14's objectives, optimisers, clipping and gradient penalties: their own
//   properties, the oracle, and the GAN-level properties of critic steps, optimisers,
//   penalties, packing and the config.
// - `batchnorm`: batch normalisation's kernels, layer, running statistics and their state field.
const SETS: Readonly<Record<string, ReadonlyArray<string>>> = {
  default: [
    'properties/random/*.test.ts',
    'properties/matrix/*.test.ts',
    'properties/wasm/kernels.test.ts',
    'properties/kernels/reference-loops.test.ts',
    'properties/kernels/layers.test.ts',
    'properties/golden.test.ts',
    'properties/oracle.test.ts',
  ],
  wasm: [
    'properties/wasm/kernels.test.ts',
    'properties/kernels/*.test.ts',
    'properties/gan/epoch-buffers.test.ts',
    'properties/gan/update.test.ts',
    'properties/matrix/*.test.ts',
    'properties/random/*.test.ts',
    'properties/golden.test.ts',
  ],
  family: [
    'properties/objectives/*.test.ts',
    'properties/examples/*.test.ts',
    'properties/optim/*.test.ts',
    'properties/kernels/flat-optimizers.test.ts',
    'properties/kernels/adam.test.ts',
    'properties/kernels/gradient-penalty.test.ts',
    'properties/oracle.test.ts',
    'properties/gan/critic-steps.test.ts',
    'properties/gan/optimizers.test.ts',
    'properties/gan/penalties.test.ts',
    'properties/gan/pack.test.ts',
    'properties/gan/optimizer-paths.test.ts',
    'properties/gan/config.test.ts',
  ],
  batchnorm: [
    'properties/kernels/batchnorm.test.ts',
    'properties/kernels/layers.test.ts',
    'properties/nn/batchnorm-network.test.ts',
    'properties/nn/network-edges.test.ts',
    'properties/gan/batchnorm.test.ts',
    'properties/gan/codec.test.ts',
    'properties/gan/config.test.ts',
  ],
}
const INCLUDE = [...(SETS[process.env['PURE_GAN_FOCUS'] ?? 'default'] ?? SETS['default']!)]

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
