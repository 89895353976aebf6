import { defineConfig } from 'vitest/config'

// The test run Stryker uses for each mutant: every property that exercises src/ directly.
// Left out: the files that only run the built dist/ in child processes (the command line,
// the docs examples, properties/adversarial/resources.test.ts), which cannot see a mutant of
// src/, the report tests, whose module is outside the mutation target, and the command-line
// properties (properties/adversarial/cli-*, verify-*), which exercise src/cli, also outside it.
export default defineConfig({
  test: {
    include: ['properties/**/*.test.ts'],
    exclude: [
      'properties/cli/cli.test.ts',
      'properties/docs-examples.test.ts',
      'properties/report/report.test.ts',
      'properties/adversarial/resources.test.ts',
      'properties/adversarial/cli-*.test.ts',
      'properties/adversarial/verify-*.test.ts',
      'properties/adversarial/report-*.test.ts',
    ],
    setupFiles: ['properties/support/setup.ts'],
    env: { PURE_GAN_MUTATION: '1' },
    testTimeout: 120_000,
  },
})
