/**
 * `pure-gan train --config`: momentum's schedule options (docs/optimizers.md), which only a
 * config file sets, reach the validated config whatever optimiser flags the line holds for a
 * player whose kind it keeps; `--optimizer-d` / `--optimizer-g` choose a kind afresh.
 */
import { describe, expect, it } from 'vitest'
import { parseTrainArgs } from '../../src/cli/flags.js'
import { seedConfig } from '../../src/gan/config.js'

const schedule = { kind: 'momentum', momentum: 0.5, decay: 1.000004, minLearningRate: 1e-6, finalMomentum: 0.7, rampEvery: 500, rampStart: 1, rampSaturate: 250 }
const file = JSON.stringify({ ...seedConfig, optimizerD: schedule, optimizerG: { kind: 'momentum', momentum: 0.5, decay: 1.000004 } })
const readText = (): string => file

describe('train --config with momentum schedules', () => {
  it('keeps every schedule option of the file', () => {
    const { config } = parseTrainArgs(['--config', 'c.json'], readText)
    expect(config.optimizerD).toEqual(schedule)
    expect(config.optimizerG).toEqual({ kind: 'momentum', momentum: 0.5, decay: 1.000004, minLearningRate: 0 })
  })

  it('--momentum sets the momentum and keeps the schedules', () => {
    const { config } = parseTrainArgs(['--config', 'c.json', '--momentum', '0.6'], readText)
    expect(config.optimizerD).toEqual({ ...schedule, momentum: 0.6 })
    expect(config.optimizerG).toEqual({ kind: 'momentum', momentum: 0.6, decay: 1.000004, minLearningRate: 0 })
  })

  it('--optimizer-d momentum chooses the kind afresh: its options from the flags or the defaults', () => {
    const { config } = parseTrainArgs(['--config', 'c.json', '--optimizer-d', 'momentum'], readText)
    expect(config.optimizerD).toEqual({ kind: 'momentum', momentum: 0.9 })
    expect(config.optimizerG).toEqual({ kind: 'momentum', momentum: 0.5, decay: 1.000004, minLearningRate: 0 })
  })
})
