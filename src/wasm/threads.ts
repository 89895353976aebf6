/**
 * Two threads for the WebAssembly steps' matrix products (issue 17). The threaded build of the
 * kernels' module (src/cli/build-wasm.mjs: atomics, one imported shared memory) runs in two
 * instances on one memory: the core's, and a helper thread's, which waits for work. Each
 * product of a step with at least 2^20 multiply-adds and 8 rows hands its last rows to the
 * helper, computes its first rows itself, and waits for the helper's (src/wasm/assembly/
 * product.ts). Every entry is still `s = 0; for k ascending: s = s + A(i, k)·B(k, j)`, by one
 * thread or the other, so the bits are those of one thread (properties/wasm/threads.test.ts).
 *
 * The core starts no thread itself (it imports nothing of a platform): the host does, through
 * the `start` it gives `startKernelThreads` (the command line: a Node worker thread,
 * src/cli/kernel-helper.ts; a page: a Web Worker, which needs a cross-origin isolated page for
 * shared memory). Only the WebAssembly steps split their products (`trainBatches`,
 * `trainEpoch`, `updateD`, `updateG` at sizes where a step runs in WebAssembly); everything
 * else runs as before.
 *
 * @module
 */
import { THREADED_KERNELS_BASE64 } from './bytes.js'
import { type KernelExports, type WasmMemory, decodeBase64, freshWasmKernels, kernels, kernelsOfExports, replaceKernels, wasmApi } from './kernels.js'

/**
 * The shared memory of a pair of kernel threads, as the host hands it to its helper thread
 * (a `WebAssembly.Memory` with `shared: true`; structured-cloneable, so a worker's message or
 * `workerData` carries it).
 *
 * @category runtime
 * @since 0.5.0
 */
export type KernelThreadsMemory = WasmMemory

/**
 * Two running kernel threads: `stop()` ends the helper's loop (its thread's
 * `runKernelHelper` returns) and puts the core back on one thread, with fresh plain kernels.
 *
 * @category runtime
 * @since 0.5.0
 */
export interface KernelThreads {
  readonly stop: () => void
}

/** The most memory the threaded module may grow to (its declared maximum, 65 536 pages: 4 GiB). */
const MAXIMUM_PAGES = 65536

/** How long `startKernelThreads` waits for the helper to wait for work: polls of ATTACH_POLL_MS. */
const ATTACH_POLLS = 500
const ATTACH_POLL_MS = 10

/** An instance of the threaded module on `memory`. */
const threadedInstance = (memory: WasmMemory): KernelExports => {
  const api = wasmApi()
  if (api === undefined) throw new Error('kernel threads: this host has no WebAssembly')
  return new api.Instance(new api.Module(decodeBase64(THREADED_KERNELS_BASE64)), { env: { memory } }).exports as unknown as KernelExports
}

/** Resolves after about `ms` milliseconds (the host's timer; no result depends on it). */
const pause = (ms: number): Promise<void> =>
  new Promise((resolve) => (globalThis as unknown as { setTimeout: (f: () => void, ms: number) => void }).setTimeout(resolve, ms))

/**
 * Starts splitting the WebAssembly steps' large matrix products over two threads, the same
 * bits as one. Makes a shared memory, instantiates the threaded kernels on it for the core,
 * calls the host's `start(memory)`, which must start a thread that calls
 * {@link runKernelHelper}`(memory)` (and may resolve as soon as it has started it), then waits
 * (up to about 5 s) for the helper to wait for work, and from then on runs the core's
 * WebAssembly kernels there. Resolves to the running pair; `stop()` ends it.
 *
 * Rejects with an `Error` saying why when the host cannot: the core runs the JavaScript
 * kernels (`PURE_GAN_KERNELS=js`), the host has no WebAssembly or no shared WebAssembly memory
 * (a page that is not cross-origin isolated), `start` failed, or the helper did not start.
 * Nothing has changed then.
 *
 * @category runtime
 * @since 0.5.0
 */
export const startKernelThreads = async (start: (memory: KernelThreadsMemory) => Promise<void> | void): Promise<KernelThreads> => {
  if (kernels().backend !== 'wasm') throw new Error('kernel threads need the WebAssembly kernels, but this run uses the JavaScript ones (PURE_GAN_KERNELS=js, or a host without WebAssembly)')
  const api = wasmApi()
  if (api === undefined) throw new Error('kernel threads: this host has no WebAssembly')
  let memory: WasmMemory
  let exports: KernelExports
  try {
    memory = new api.Memory({ initial: 1, maximum: MAXIMUM_PAGES, shared: true })
    exports = threadedInstance(memory)
  } catch (e) {
    throw new Error(`kernel threads: this host has no shared WebAssembly memory (${e instanceof Error ? e.message : String(e)})`)
  }
  await start(memory)
  for (let poll = 0; exports.attachHelper() === 0; poll++) {
    if (poll === ATTACH_POLLS) {
      exports.stopHelper()
      throw new Error(`kernel threads: the helper thread did not start within ${(ATTACH_POLLS * ATTACH_POLL_MS) / 1000} s`)
    }
    await pause(ATTACH_POLL_MS)
  }
  replaceKernels(kernelsOfExports(exports))
  let running = true
  return Object.freeze({
    stop: () => {
      if (!running) return
      running = false
      // one thread again, on a fresh instance (its own record of resident blocks), before the
      // helper goes: no product of the threaded instance runs after this
      const plain = freshWasmKernels()
      if (typeof plain === 'string') throw new Error(`kernel threads: cannot go back to one thread: ${plain}`)
      replaceKernels(plain)
      exports.stopHelper()
    },
  })
}

/**
 * The helper thread's part of {@link startKernelThreads}: instantiates the threaded kernels on
 * `memory` and runs the products' halves it is given until the pair is stopped, then returns.
 * Call it in the thread the host started (it blocks that thread; a page's main thread cannot
 * block, so call it in a worker).
 *
 * @category runtime
 * @since 0.5.0
 */
export const runKernelHelper = (memory: KernelThreadsMemory): void => {
  threadedInstance(memory).helperLoop()
}
