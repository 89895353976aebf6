import { defineConfig } from 'vitest/config'

/**
 * Two projects: the whole suite with the kernels the host runs (WebAssembly on every current
 * engine: src/wasm), and the suites that compute bits again with the JavaScript kernels forced
 * (PURE_GAN_KERNELS=js), so that both backends are held to the golden values, the oracle and
 * the reference loops.
 */
export default defineConfig({
  test: {
    setupFiles: ['properties/support/setup.ts'],
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['properties/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'js-kernels',
          include: [
            'properties/golden.test.ts',
            'properties/oracle.test.ts',
            'properties/kernels/reference-loops.test.ts',
            'properties/matrix/*.test.ts',
            'properties/loss/*.test.ts',
            'properties/random/*.test.ts',
            'properties/wasm/kernels.test.ts',
            'properties/gan/epoch-buffers.test.ts',
            'properties/kernels/gan-epoch.test.ts',
          ],
          env: { PURE_GAN_KERNELS: 'js' },
        },
      },
    ],
  },
})
