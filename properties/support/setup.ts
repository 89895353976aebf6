import fc from 'fast-check'
import { expect } from 'vitest'
import { type BitComparable, compareBits, describeBitComparison } from './bits.js'
import { NUM_RUNS, REPLAY } from './runs.js'

// Applied once per test file (vitest setupFiles): every fc.assert uses these settings.
fc.configureGlobal({ numRuns: NUM_RUNS, ...(REPLAY ?? {}) })

// `expect(received).toEqualBits(expected)`: same shape and every entry equal as bitEqual
// compares them (Object.is), with a message that names the first differing entry. See bits.ts.
expect.extend({
  toEqualBits(received: unknown, expected: BitComparable) {
    const comparison = compareBits(received, expected)
    return { pass: comparison.kind === 'equal', message: () => describeBitComparison(comparison) }
  },
})

declare module 'vitest' {
  interface Matchers<T = any> {
    /**
     * Passes when `received` and `expected` (each a Matrix, a Float64Array, a number[] or a
     * number) have the same shape and every entry is the same float64 (`Object.is`: 0 and -0
     * differ, NaN equals NaN); a failure names the first differing entry and its bits.
     */
    toEqualBits: (expected: BitComparable) => T
  }
}
