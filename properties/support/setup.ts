import fc from 'fast-check'
import { NUM_RUNS } from './runs.js'

// Applied once per test file (vitest setupFiles): every fc.assert uses NUM_RUNS.
fc.configureGlobal({ numRuns: NUM_RUNS })
