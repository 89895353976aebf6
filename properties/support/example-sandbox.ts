/**
 * The modules a doc example may import when properties/jsdoc-examples-run.test.ts runs it:
 *
 * - 'pure-gan': the library's source (src/index.ts), as the type-check maps it;
 * - 'pure-gan/testing': the testing entry point's source (src/testing/index.ts), likewise;
 * - 'fast-check': the real fast-check, the instance src/testing uses;
 * - 'fp-ts/…': the real fp-ts;
 * - 'node:fs': an in-memory file system with `readFileSync` and `writeFileSync` only, holding
 *   `run.json`, the record of the seed run (20 epochs, seed 0) as `pure-gan train` writes it,
 *   so that the examples that read a run record and write a report run without touching disk.
 *
 * Any other import fails the example.
 */
import { createRequire } from 'node:module'
import * as fastCheck from 'fast-check'
import * as pureGan from '../../src/index.js'
import * as pureGanTesting from '../../src/testing/index.js'

const requireReal = createRequire(import.meta.url)

/** The record `pure-gan train` writes for `config`: a snapshot at each of `snapshotEpochs`, with D's grid when 2-D. */
const runRecordOf = (config: pureGan.GanConfig): pureGan.RunRecord => {
  const wanted = new Set(pureGan.snapshotEpochs(config.epochs))
  const snapshots: pureGan.SampleSnapshot[] = []
  const data = pureGan.runData(config)
  const grid = pureGan.criticGridSpec(config, data)
  const { state, history } = pureGan.trainEpochs(pureGan.initialState(config), data, config.epochs, (report, s) => {
    if (wanted.has(report.epoch)) snapshots.push(pureGan.snapshotOf(s, grid))
  })
  return pureGan.makeRunRecord('0.0.0-example', data, history, snapshots, state)
}

let seedRunJson: string | undefined
/** `run.json` of the seed run, built on first use. */
const seedRunJsonText = (): string => (seedRunJson ??= JSON.stringify(runRecordOf(pureGan.seedConfig)))

/** A fresh in-memory `node:fs` for one example. */
const memoryFs = () => {
  const files = new Map<string, string>()
  const read = (path: unknown): string => {
    if (path === 'run.json' && !files.has(path)) files.set(path, seedRunJsonText())
    const text = typeof path === 'string' ? files.get(path) : undefined
    if (text === undefined) throw new Error(`ENOENT (the examples' in-memory file system): ${String(path)}`)
    return text
  }
  return {
    readFileSync: (path: unknown, encoding?: unknown): string => {
      if (encoding !== 'utf8') throw new Error("the examples' in-memory file system reads text only: pass 'utf8'")
      return read(path)
    },
    writeFileSync: (path: unknown, data: unknown): void => {
      if (typeof path !== 'string' || typeof data !== 'string') throw new Error("the examples' in-memory file system writes strings to named files only")
      files.set(path, data)
    },
  }
}

/** A `require` for one example run: the modules above, each example with its own file system. */
export const exampleRequire = (): ((specifier: string) => unknown) => {
  const fs = memoryFs()
  return (specifier) => {
    if (specifier === 'pure-gan') return pureGan
    if (specifier === 'pure-gan/testing') return pureGanTesting
    if (specifier === 'fast-check') return fastCheck
    if (specifier === 'node:fs') return fs
    if (specifier.startsWith('fp-ts/')) return requireReal(specifier)
    throw new Error(`the example imports '${specifier}', which examples cannot import (properties/support/example-sandbox.ts)`)
  }
}
