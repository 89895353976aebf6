import fc from 'fast-check'
import { NUM_RUNS, REPLAY } from './runs.js'

// Applied once per test file (vitest setupFiles): every fc.assert uses these settings.
fc.configureGlobal({ numRuns: NUM_RUNS, ...(REPLAY ?? {}) })
