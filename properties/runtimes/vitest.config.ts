import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The cross-runtime suite (`npm run test:runtimes`, docs/portability.md): the golden runs under
// Node 24, Deno, Bun and Chromium as well as the current Node. Kept out of `npm test` because it
// installs runtimes on demand (the npm registry the first time) and needs Chromium; CI runs it
// after `npm test` (.ci/run).
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['properties/runtimes/cross-runtime.test.ts'],
    env: { PURE_GAN_RUNTIMES_SUITE: '1' },
    testTimeout: 900_000,
    hookTimeout: 900_000,
    // One runtime at a time: the machine has two cores, and timings stay readable.
    fileParallelism: false,
  },
})
