/**
 * A worker thread of `pure-gan sweep`: takes one run at a time from the main thread (its cell
 * number, folder and config), trains it and writes its folder (sweep-run.ts), and posts back
 * the outcome with the cell number. It holds no state between runs, so the order in which
 * runs reach it changes no bits.
 *
 * @module
 */
import { parentPort } from 'node:worker_threads'
import type { GanConfig } from '../gan/config.js'
import { type RunOutcome, trainRunInto } from './sweep-run.js'

/** A run the main thread sends. */
export interface RunRequest {
  readonly cell: number
  readonly dir: string
  readonly config: GanConfig
  readonly runReports: boolean
}

/** What the worker posts back: the cell and its outcome. */
export interface RunReply {
  readonly cell: number
  readonly outcome: RunOutcome
}

parentPort?.on('message', (request: RunRequest) => {
  const reply: RunReply = { cell: request.cell, outcome: trainRunInto(request.dir, request.config, request.runReports) }
  parentPort!.postMessage(reply)
})
