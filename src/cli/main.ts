#!/usr/bin/env node
/**
 * The `pure-gan` command: wires `runCli` (run-cli.ts) to the process. Exit codes: 0 success,
 * 1 a non-finite stop (train) or a difference (verify), 2 everything else, with one line on
 * stderr. See `pure-gan --help`.
 *
 * @module
 */
import { writeSync } from 'node:fs'
import { runCliAsync } from './run-cli.js'

// Writes go straight to the file descriptors: synchronous, so that the exit code is set
// after the text is out, and a closed pipe (EPIPE) is an error runCli catches, not an
// asynchronous 'error' event that would crash the process with a stack trace.
/** A cell to sleep on (Atomics.wait with a timeout), so a full pipe is not polled in a busy loop. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4))

const writeAll = (fd: number, text: string): void => {
  const buf = Buffer.from(text, 'utf8')
  let off = 0
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off, buf.length - off)
    } catch (e) {
      // a non-blocking terminal or pipe that is full: wait a millisecond for its reader, then again
      if ((e as { code?: string }).code === 'EAGAIN') {
        Atomics.wait(PAUSE, 0, 0, 1)
        continue
      }
      throw e
    }
  }
}

/** SIGINT reaches a sweep's handler while one is installed (the sweep then stops its workers and exits 130). */
const interrupts = {
  onInterrupt: (handler: () => void) => {
    process.on('SIGINT', handler)
    return () => void process.off('SIGINT', handler)
  },
}

process.exitCode = await runCliAsync(
  process.argv.slice(2),
  {
    stdout: (text) => writeAll(1, text),
    stderr: (text) => writeAll(2, text),
    isTTY: process.stderr.isTTY === true,
  },
  interrupts,
  process.env,
)
