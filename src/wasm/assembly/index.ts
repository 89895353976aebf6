// The WebAssembly kernels' entry (AssemblyScript, compiled by src/cli/build-wasm.mjs): each
// kernel reads and writes doubles in this module's memory at byte addresses; the JavaScript
// side (src/wasm/kernels.ts) copies its views in and out of the scratch area.
export { tanhInto } from './tanh'
export { expInto } from './exp'
export { log1pInto } from './log'
export { gemmBlocks } from './gemm'
export { ganEpoch, ganEpochWorkBytes, ganStep, ganStepBlockAt } from './gan'
export { normalsFromUint53 } from './normal'
export { attachHelper, helperLoop, stopHelper } from './product'

/** The first 16-byte-aligned address above the module's static data: the scratch area's start. */
export function scratchBase(): usize {
  return (__heap_base + 15) & ~(<usize>15)
}
