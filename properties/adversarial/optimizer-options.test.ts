/**
 * The optimiser takes exactly the config's learning rates and Adam's three constants: a key
 * that slipped into `config.adam` (validateConfig refuses one; a state built by hand may
 * carry one) cannot override a learning rate, on the fast path or the checked one.
 */
import { describe, expect, it } from 'vitest'
import { encodeState } from '../../src/gan/codec.js'
import { seedConfig } from '../../src/gan/config.js'
import type { GanConfig, GanState } from '../../src/gan/index.js'
import { initialState, runData } from '../../src/gan/state.js'
import { updateD, updateG } from '../../src/gan/update.js'
import { fromFlat, sliceRows } from '../../src/matrix/index.js'

describe('config.adam reaches the optimiser only through beta1, beta2 and epsilon', () => {
  it('an extra learningRate (or rescaleGrad) in a hand-built state’s config.adam changes no bit of updateD or updateG', () => {
    const s = initialState(seedConfig)
    const real = sliceRows(runData(seedConfig), 0, 8)
    const noise = fromFlat(8, 2, Array.from({ length: 16 }, (_, i) => (i % 5) - 2))
    const sneaky: GanState = { ...s, config: { ...s.config, adam: { ...s.config.adam, learningRate: 1e6, rescaleGrad: 1e6 } } as unknown as GanConfig }
    const [lossD, sD] = updateD(s, real, noise)
    const [lossD2, sD2] = updateD(sneaky, real, noise)
    expect(Object.is(lossD, lossD2)).toBe(true)
    expect(encodeState({ ...sD2, config: s.config })).toBe(encodeState(sD))
    const [lossG, sG] = updateG(s, noise)
    const [lossG2, sG2] = updateG(sneaky, noise)
    expect(Object.is(lossG, lossG2)).toBe(true)
    expect(encodeState({ ...sG2, config: s.config })).toBe(encodeState(sG))
  })
})
