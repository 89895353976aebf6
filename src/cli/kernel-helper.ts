/**
 * The helper thread of `--threads 2` (kernel-threads.ts starts it as a Node worker thread with
 * the pair's shared memory as its `workerData.memory`): says it has started, then runs the
 * products' halves it is given (src/wasm/threads.ts's `runKernelHelper`) until the pair stops.
 *
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type KernelThreadsMemory, runKernelHelper } from '../wasm/threads.js'

parentPort?.postMessage('started')
runKernelHelper((workerData as { readonly memory: KernelThreadsMemory }).memory)
