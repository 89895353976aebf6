/**
 * `--threads 2` on Node: the core's `startKernelThreads` with a worker thread
 * (kernel-helper.ts) as the helper. The worker does not keep the process alive.
 *
 * @module
 */
import { Worker } from 'node:worker_threads'
import { type KernelThreads, startKernelThreads } from '../wasm/threads.js'

/** Starts the kernel threads with a Node worker thread as the helper (see src/wasm/threads.ts). */
export const startNodeKernelThreads = (): Promise<KernelThreads> =>
  startKernelThreads(
    (memory) =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(new URL('./kernel-helper.js', import.meta.url), { workerData: { memory } })
        worker.unref()
        worker.once('message', () => resolve())
        worker.once('error', reject)
      }),
  )
