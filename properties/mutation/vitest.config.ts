import { defineConfig } from 'vitest/config'

// The test run Stryker uses for each mutant: every property that exercises src/ directly.
// Left out: the files that only run the built dist/ in child processes (the command line,
// the docs examples), which cannot see a mutant of src/, and the report tests, whose module
// is outside the mutation target.
export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    exclude: ['properties/cli.test.ts', 'properties/docs-examples.test.ts', 'properties/report.test.ts'],
    setupFiles: ['properties/support/setup.ts'],
    env: { PURE_GAN_MUTATION: '1' },
    testTimeout: 120_000,
  },
})
