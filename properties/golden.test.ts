/**
 * Golden values: the exact bits of the PRNG's first draws for fixed seeds and of the seed
 * GAN (seed 0) after 1, 10 and 125 steps, committed in properties/golden/*.json as
 * hexadecimal float64 bit patterns. Any change to the numbers a run produces fails here, and
 * must be accepted consciously by regenerating the files (docs/testing.md says when that is
 * legitimate):
 *
 *   PURE_GAN_UPDATE_GOLDEN=1 npx vitest run properties/golden.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type GanState, initialState, runData, seedConfig, stateToJson, trainStep } from '../src/gan/index.js'
import { gatherRows } from '../src/matrix/index.js'
import { type Rng, nextUint32, normal, permutation, rngFromSeed, uniform } from '../src/random/index.js'

const UPDATE = process.env['PURE_GAN_UPDATE_GOLDEN'] === '1'
const file = (name: string) => fileURLToPath(new URL(`./golden/${name}`, import.meta.url))

const hex = (x: number): string => {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x, false)
  return view.getBigUint64(0, false).toString(16).padStart(16, '0')
}

const draws = <T>(rng: Rng, n: number, draw: (r: Rng) => readonly [T, Rng]): T[] => {
  const out: T[] = []
  let r = rng
  for (let i = 0; i < n; i++) {
    const [v, next] = draw(r)
    out.push(v)
    r = next
  }
  return out
}

const prngGolden = () =>
  [0, 1, 42, 4294967295].map((seed) => {
    const rng = rngFromSeed(seed)
    return {
      seed,
      state: [...rng.state],
      uint32: draws(rng, 8, nextUint32),
      uniform: draws(rng, 4, uniform).map(hex),
      normal: draws(rng, 4, normal).map(hex),
      permutation10: [...permutation(rng, 10)[0]],
    }
  })

/** The seed GAN, seed 0: the state and the step's losses after steps 1, 10 and 125 (the first epoch). */
const ganGolden = () => {
  const data = runData(seedConfig)
  let state: GanState = initialState(seedConfig)
  const [order, rng] = permutation(state.rng, data.rows)
  state = { ...state, rng }
  const checkpoints: unknown[] = []
  for (let step = 1; step <= 125; step++) {
    const start = (step - 1) * seedConfig.batchSize
    const [losses, next] = trainStep(state, gatherRows(data, order.slice(start, start + seedConfig.batchSize)))
    state = next
    if (step === 1 || step === 10 || step === 125) {
      const { config: _config, ...rest } = stateToJson(state) as Record<string, unknown>
      checkpoints.push({ step, lossD: hex(losses.lossD), lossG: hex(losses.lossG), state: rest })
    }
  }
  return { seed: seedConfig.seed, checkpoints }
}

const golden = (name: string, compute: () => unknown) => {
  const actual = JSON.parse(JSON.stringify(compute())) as unknown
  if (UPDATE) writeFileSync(file(name), `${JSON.stringify(actual, null, 1)}\n`)
  if (!existsSync(file(name))) throw new Error(`golden file properties/golden/${name} is missing; see the header of this file`)
  return { actual, expected: JSON.parse(readFileSync(file(name), 'utf8')) as unknown }
}

describe('golden values (bit for bit)', () => {
  it('the PRNG: states, first uint32s, uniforms, normals and a permutation for seeds 0, 1, 42, 2^32-1', () => {
    const { actual, expected } = golden('prng.json', prngGolden)
    expect(actual).toEqual(expected)
  })

  it('the seed GAN, seed 0: losses and every parameter, Adam moment and PRNG word after steps 1, 10, 125', () => {
    const { actual, expected } = golden('seed-gan.json', ganGolden)
    expect(actual).toEqual(expected)
  })
})
