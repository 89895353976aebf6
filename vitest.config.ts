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
    // Both cores (vitest leaves one to its main process by default, idle here). The default
    // project's files share their workers' module graphs (no test file depends on fresh module
    // state), which halves the suite's time on two cores; the js-kernels project keeps
    // isolation, so that its files never see a backend chosen under another environment.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'default', include: ['properties/**/*.test.ts'], isolate: false } },
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
            'properties/gan/train-batches.test.ts',
            'properties/kernels/gan-epoch.test.ts',
            'properties/kernels/gan-step-wasm.test.ts',
          ],
          env: { PURE_GAN_KERNELS: 'js' },
          isolate: true,
        },
      },
    ],
  },
})
