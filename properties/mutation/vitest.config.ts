import { defineConfig } from 'vitest/config'

// The test run Stryker uses for each mutant: every property that exercises src/ directly.
// Left out: the files that only run the built dist/ in child processes (the command line,
// the docs examples, properties/adversarial/resources.test.ts), which cannot see a mutant of
// src/, the report tests, whose module is outside the mutation target, and the command-line
// properties (properties/adversarial/cli-*, verify-*), which exercise src/cli, also outside it.
const EXCLUDE = [
  'properties/cli/cli.test.ts',
  'properties/docs-examples.test.ts',
  'properties/report/report.test.ts',
  'properties/adversarial/resources.test.ts',
  'properties/adversarial/cli-*.test.ts',
  'properties/adversarial/verify-*.test.ts',
  'properties/adversarial/report-*.test.ts',
]

// Both kernel backends, as in the suite (vitest.config.ts): a mutant of a JavaScript kernel
// that only the JavaScript backend runs (the blocked product, the epoch loop of small
// networks) is killed by the js-kernels project, one of a WebAssembly path by the default one.
export default defineConfig({
  test: {
    setupFiles: ['properties/support/setup.ts'],
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['properties/**/*.test.ts'], exclude: EXCLUDE, env: { PURE_GAN_MUTATION: '1' } } },
      { extends: true, test: { name: 'js-kernels', include: ['properties/**/*.test.ts'], exclude: EXCLUDE, env: { PURE_GAN_MUTATION: '1', PURE_GAN_KERNELS: 'js' } } },
    ],
  },
})
