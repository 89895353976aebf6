/**
 * The WebAssembly kernels and the choice between them and their JavaScript forms.
 *
 * Some loops of the core exist twice: once in TypeScript (src/elementary, the algorithm of
 * record, documented and measured there) and once in AssemblyScript (src/wasm/assembly),
 * compiled to WebAssembly by `npm run build` (src/cli/build-wasm.mjs) into src/wasm/bytes.ts. Both
 * forms perform the same IEEE 754 operations in the same order (WebAssembly's `f64`
 * arithmetic is IEEE 754 with round-to-nearest, and neither form fuses a multiply-add), so
 * they give the same bits: properties/wasm/kernels.test.ts checks them against each other on
 * random and special arguments, and the golden runs pass under both.
 *
 * Which runs is decided once, at the first call: the WebAssembly form when the host has
 * WebAssembly and can compile the module (every current engine; a browser's main thread may
 * refuse to compile synchronously, then JavaScript runs), unless the environment variable
 * `PURE_GAN_KERNELS` says `js` (always JavaScript) or `wasm` (WebAssembly, or an error when it
 * cannot be had). Results never depend on the choice; only speed does.
 *
 * A kernel copies its argument stretch into the module's scratch memory in chunks, runs there
 * in place, and copies the results out; the scratch memory is written and read within one call
 * and never observed.
 *
 * @module
 * @internal
 */
import { log1pInto as log1pIntoJs } from '../elementary/log.js'
import { tanhInto as tanhIntoJs } from '../elementary/tanh.js'
import { expInto as expIntoJs } from '../elementary/exp.js'
import { KERNELS_BASE64 } from './bytes.js'

/** `dst[dOff + i] = f(src[sOff + i])` for `0 <= i < len`; the stretches may coincide. @internal */
export type ElementwiseKernel = (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number) => void

/** Which kernels run: WebAssembly (`'wasm'`, src/wasm) or JavaScript (`'js'`); see {@link kernelBackend}. */
export type KernelBackend = 'wasm' | 'js'

/** The kernels, in the backend chosen at the first call. @internal */
export interface Kernels {
  readonly backend: KernelBackend
  /** `tanh`, entry by entry (src/elementary/tanh.ts). */
  readonly tanhInto: ElementwiseKernel
  /** `exp`, entry by entry (src/elementary/exp.ts). */
  readonly expInto: ElementwiseKernel
  /** `log1p`, entry by entry (src/elementary/log.ts). */
  readonly log1pInto: ElementwiseKernel
  /** The 4 x 4 blocks of a matrix product in WebAssembly, or `null` (JavaScript's run). */
  readonly gemm: WasmGemm | null
  /** A whole epoch of the GAN's steps in WebAssembly, or `null` (JavaScript's run). */
  readonly ganEpoch: WasmGanEpoch | null
  /** One of the GAN's steps in WebAssembly, or `null` (JavaScript's run). */
  readonly ganStep: WasmGanStep | null
  /**
   * `out[i] = mean + std·normalFromUint53(ks[i])` for `i < len` (src/random/normal.ts) in
   * WebAssembly, or `null` (JavaScript's run); `ks` and `out` may be the same array.
   */
  readonly normalsFromUint53: ((ks: Float64Array, out: Float64Array, len: number, mean: number, std: number) => void) | null
}

/**
 * What src/wasm/assembly/gan.ts's `ganEpoch` takes (see there): the plan, the floats, the
 * epoch's shuffled data and noise, each step's bias-corrected learning rates and both
 * networks' `[w | m | v]` blocks.
 *
 * @internal
 */
export interface GanEpochInputs {
  readonly plan: Int32Array
  readonly floats: Float64Array
  readonly data: Float64Array
  readonly noise: Float64Array
  readonly lrD: Float64Array
  readonly lrG: Float64Array
  readonly blockD: Float64Array
  readonly blockG: Float64Array
}

/**
 * An epoch's outcome in WebAssembly: the summed losses and both networks' last blocks (fresh
 * arrays), or the step whose loss was not finite.
 *
 * @internal
 */
export type GanEpochOutcome =
  | { readonly kind: 'done'; readonly sumD: number; readonly sumG: number; readonly blockD: Float64Array; readonly blockG: Float64Array }
  | { readonly kind: 'non-finite'; readonly step: number }

/**
 * The WebAssembly form of a whole epoch (src/wasm/assembly/gan.ts).
 *
 * @internal
 */
export interface WasmGanEpoch {
  /** Runs the epoch; `null` when the module's memory cannot hold it or the plan has too many layers. */
  readonly run: (inputs: GanEpochInputs) => GanEpochOutcome | null
}

/**
 * What src/wasm/assembly/gan.ts's `ganStep` takes (see there): the plan and floats (as the
 * epoch's, the plan's batch size the step's rows), the real rows (D's step; `null`: G's step),
 * the noise rows, both networks' blocks (the updated network's whole `[w | m | v]`, the other's
 * parameters at least) and the step's bias-corrected learning rate.
 *
 * @internal
 */
export interface GanStepInputs {
  readonly plan: Int32Array
  readonly floats: Float64Array
  readonly real: Float64Array | null
  readonly noise: Float64Array
  readonly generator: Stretch
  readonly discriminator: Stretch
  readonly learningRate: number
}

/**
 * `size` entries of `data` from `off`: a network's block as a step reads it. Blocks are never
 * written after a step returns them, so the module may keep its own copy of one, known by
 * the array and the offset (see `runGanStep`).
 *
 * @internal
 */
export interface Stretch {
  readonly data: Float64Array
  readonly off: number
  readonly size: number
}

/**
 * The WebAssembly form of one step (src/wasm/assembly/gan.ts's `ganStep`).
 *
 * @internal
 */
export interface WasmGanStep {
  /**
   * Runs the step and writes the updated network's new `[w | m | v]` (`size` entries) into
   * `out` at `out.off`; returns the summed loss, or `null` when the module's memory cannot hold
   * the step or the plan has too many layers (nothing written). With `deferred`, the new block
   * is written into `out` only when `flush` runs or the module's copy is about to be written
   * over (a loop whose next step reads it from the module: train.ts); until then `out` holds
   * what it held.
   */
  readonly run: (inputs: GanStepInputs, out: { readonly data: Float64Array; readonly off: number }, size: number, deferred?: boolean) => number | null
  /** Writes every deferred block into its `out`. */
  readonly flush: () => void
}

/**
 * The WebAssembly form of the 4 x 4 blocks of src/matrix/kernels.ts's `gemm`, over panels the
 * caller packs into the module's memory.
 *
 * @internal
 */
export interface WasmGemm {
  /**
   * A view of `entries` doubles of the module's memory (grown when needed), lent to the caller
   * until its next call of any kernel here; `null` when the memory cannot grow that far.
   */
  readonly scratch: (entries: number) => Float64Array | null
  /**
   * `C(i, j)` for `i < rows`, `j < cols` (multiples of 4) into the scratch's row-major C at
   * entry `cAt` with `stride` entries a row, over the packed panels at entry `panelsAt` (A's
   * `rows·depth` entries, then B's `cols·depth`): src/wasm/assembly/gemm.ts.
   */
  readonly blocks: (panelsAt: number, shape: { readonly rows: number; readonly cols: number; readonly depth: number }, cAt: number, stride: number) => void
}

/** The JavaScript forms. @internal */
export const jsKernels: Kernels = Object.freeze({ backend: 'js', tanhInto: tanhIntoJs, expInto: expIntoJs, log1pInto: log1pIntoJs, gemm: null, ganEpoch: null, ganStep: null, normalsFromUint53: null })

/** What `PURE_GAN_KERNELS` may say. */
const REQUESTS = ['js', 'wasm', 'auto'] as const
type Request = (typeof REQUESTS)[number]

/**
 * The backend `PURE_GAN_KERNELS` asks for (`auto` when unset or empty, or when the host has no
 * readable environment), or a `RangeError` naming the allowed values.
 *
 * @internal
 */
export const requestedBackend = (value: string | undefined): Request => {
  if (value === undefined || value === '') return 'auto'
  if ((REQUESTS as ReadonlyArray<string>).includes(value)) return value as Request
  throw new RangeError(`PURE_GAN_KERNELS must be js, wasm or auto (or unset), got ${JSON.stringify(value)}`)
}

/** `PURE_GAN_KERNELS` from the host's environment, if it has one that may be read. */
const environmentValue = (): string | undefined => {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    return env?.['PURE_GAN_KERNELS']
  } catch {
    // Deno without --allow-env throws on reading the environment
    return undefined
  }
}

/** The part of the WebAssembly JavaScript API used here (not in the ES2022 library types). @internal */
export interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> }
  readonly Memory: new (limits: { readonly initial: number; readonly maximum?: number; readonly shared?: boolean }) => WasmMemory
}

/** A WebAssembly memory (`WebAssembly.Memory`), shared or not. @internal */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike
  grow(pages: number): number
}

/** The module's exports. @internal */
export interface KernelExports {
  readonly memory: WasmMemory
  /** Attaches a waiting helper thread to this instance's products (the threaded build); false when none waits. */
  readonly attachHelper: () => number
  /** The helper thread's loop (the threaded build; returns at once in the plain one). */
  readonly helperLoop: () => void
  /** Ends the helper's loop. */
  readonly stopHelper: () => void
  readonly scratchBase: () => number
  readonly tanhInto: (src: number, dst: number, len: number) => void
  readonly expInto: (src: number, dst: number, len: number) => void
  readonly log1pInto: (src: number, dst: number, len: number) => void
  readonly gemmBlocks: (panels: number, n4: number, m4: number, depth: number, c: number, stride: number) => void
  /** `epoch`: the address of ten i32 addresses (src/wasm/assembly/gan.ts's `ganEpoch`). */
  readonly ganEpoch: (epoch: number) => number
  readonly ganEpochWorkBytes: (plan: number) => number
  /** `step`: the address of eight i32 addresses (src/wasm/assembly/gan.ts's `ganStep`). */
  readonly ganStep: (step: number) => number
  readonly ganStepBlockAt: (plan: number, work: number, net: number) => number
  readonly normalsFromUint53: (src: number, dst: number, len: number, mean: number, std: number) => void
}

/** Entries of the scratch area: one chunk, run in place. */
const CHUNK = 4096
/**
 * The shortest stretch an elementwise kernel runs in WebAssembly (callers of
 * `normalsFromUint53` apply it too). Measured (docs/performance.md,
 * "WebAssembly kernels"): a million tanh in fresh processes took 38 ms in JavaScript, 41–49 ms
 * in WebAssembly in stretches of 8 or 40 (two copies and a call each), 32–34 ms in stretches of
 * 256.
 */
export const ELEMENTWISE_MIN = 128
const PAGE = 65536

/** The bytes that `text` encodes in base64 (RFC 4648, with padding). @internal */
export const decodeBase64 = (text: string): Uint8Array => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const value = new Int8Array(128).fill(-1)
  for (let i = 0; i < 64; i++) value[alphabet.charCodeAt(i)] = i
  const body = text.replace(/=+$/, '')
  const out = new Uint8Array(Math.floor((body.length * 3) / 4))
  let bits = 0
  let count = 0
  let at = 0
  for (let i = 0; i < body.length; i++) {
    bits = (bits << 6) | value[body.charCodeAt(i)]!
    count += 6
    if (count >= 8) {
      count -= 8
      out[at++] = (bits >> count) & 0xff
    }
  }
  return out
}

/**
 * Lays the epoch's inputs out in the scratch memory (plan, floats, data, noise, rates, blocks,
 * the two sums, then the epoch's work memory), runs `ganEpoch` and copies the blocks out.
 */
const runGanEpoch = (
  exports: KernelExports,
  scratch: (entries: number) => Float64Array | null,
  base: number,
  inputs: GanEpochInputs,
): GanEpochOutcome | null => {
  const { plan, floats, data, noise, lrD, lrG, blockD, blockG } = inputs
  const planEntries = Math.ceil(plan.length / 2)
  const parts = [floats, data, noise, lrD, lrG, blockD, blockG]
  const offsets: number[] = []
  let top = planEntries
  for (const part of parts) {
    offsets.push(top)
    top += part.length
  }
  const sumsAt = top
  // ten addresses for ganEpoch, then its work memory (2 entries of slack for its alignment)
  const descriptorAt = sumsAt + 2
  const workAt = descriptorAt + 5
  const head = scratch(workAt)
  if (head === null) return null
  new Int32Array(head.buffer, head.byteOffset, plan.length).set(plan)
  const work = scratch(workAt + Math.ceil(exports.ganEpochWorkBytes(base) / 8) + 2)
  if (work === null) return null
  for (let p = 0; p < parts.length; p++) work.set(parts[p]!, offsets[p]!)
  const address = (entry: number): number => base + 8 * entry
  new Int32Array(work.buffer, address(descriptorAt), 10).set([base, ...offsets.map(address), address(workAt), address(sumsAt)])
  const steps = exports.ganEpoch(address(descriptorAt))
  if (steps === -1000000) return null
  if (steps < 0) return { kind: 'non-finite', step: -1 - steps }
  const view = scratch(0)!
  return {
    kind: 'done',
    sumD: view[sumsAt]!,
    sumG: view[sumsAt + 1]!,
    blockD: view.slice(offsets[5]!, offsets[5]! + blockD.length),
    blockG: view.slice(offsets[6]!, offsets[6]! + blockG.length),
  }
}

/**
 * Network blocks the module's memory still holds from earlier steps: a step's new block is
 * copied out to the caller's array, and the module's copy stays where the step wrote it until
 * something writes over it. A later step that reads the same block (the same storage from the
 * same byte, which the caller writes again only as a later step's new block of the same
 * network, when the record is replaced: so the same entries) reads it there instead of having it copied in: in a loop of D and G steps both networks then stay in the module, and
 * only the new blocks, the real rows and the noise cross over. Which blocks are resident
 * changes the copies made, never a result.
 */
interface Residency {
  /** The plan the residents were laid out for (another plan lays the memory out differently). */
  plan: Int32Array | null
  /**
   * Each resident block: its first entry in the scratch area and the caller's copy of it;
   * `deferred` when the caller's copy is still to be written (see `WasmGanStep.run`).
   */
  blocks: Array<{ readonly at: number; readonly block: Stretch; deferred: boolean }>
  /** Writes a resident block's module copy into the caller's copy. */
  readonly writeBack: (at: number, block: Stretch) => void
  /**
   * What G's buffers (from entry `at`, the step's work memory) hold after D's step: G's forward
   * pass of the `generator` block on `noise` (a copy of its entries).
   */
  forward: { readonly at: number; readonly generator: Stretch; readonly noise: Float64Array } | null
}

/** Forgets the residents that a write of the scratch area's entries `0..end` reaches. */
const overwritten = (residency: Residency, end: number): void => {
  forget(residency, (r) => r.at < end)
  if (residency.forward !== null && residency.forward.at < end) residency.forward = null
}

/** Forgets the residents `gone` picks, writing each deferred one into the caller's copy first. */
const forget = (residency: Residency, gone: (r: Residency['blocks'][number]) => boolean): void => {
  for (const r of residency.blocks) if (gone(r) && r.deferred) residency.writeBack(r.at, r.block)
  residency.blocks = residency.blocks.filter((r) => !gone(r))
}

/** Writes every deferred resident into the caller's copy (they stay resident). */
const flushDeferred = (residency: Residency): void => {
  for (const r of residency.blocks) {
    if (r.deferred) {
      residency.writeBack(r.at, r.block)
      r.deferred = false
    }
  }
}

/** True when `a` and `b` hold the same bits (NaN payloads and the sign of zero included). */
const sameBits = (a: Float64Array, b: Float64Array): boolean => {
  if (a.length !== b.length) return false
  const x = new Int32Array(a.buffer, a.byteOffset, 2 * a.length)
  const y = new Int32Array(b.buffer, b.byteOffset, 2 * b.length)
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
  return true
}

/** Where a stretch starts: its storage and the byte position in it (two arrays may view one storage). */
const sameStart = (a: Stretch, b: Stretch): boolean =>
  a.data.buffer === b.data.buffer && a.data.byteOffset + 8 * a.off === b.data.byteOffset + 8 * b.off

/** The resident copy of `block`'s entries, or undefined. */
const residentAt = (residency: Residency, block: Stretch): number | undefined =>
  residency.blocks.find((r) => sameStart(r.block, block) && r.block.size >= block.size)?.at

/**
 * Forgets every record and returns null: a step that did not run (too many layers) may have
 * copied blocks already, and its caller then writes the new block by other means.
 */
const forgetAll = (residency: Residency): null => {
  forget(residency, () => true)
  residency.forward = null
  return null
}

/** True when the two plans are the same numbers. */
const samePlan = (a: Int32Array | null, b: Int32Array): boolean => a !== null && a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Lays a step's inputs out in the scratch memory and runs `ganStep`: the plan, the floats, room
 * for the real rows and the noise (the same room for D's and G's steps, so that both lay their
 * work memory out at the same place), the three scalars, the descriptor, then the step's work
 * memory, which also holds both networks' blocks (resident, or copied to the places where the
 * step writes their new blocks). Copies the new block out and records it as resident.
 */
const runGanStep = (
  exports: KernelExports,
  scratch: (entries: number) => Float64Array | null,
  base: number,
  residency: Residency,
  step: { readonly inputs: GanStepInputs; readonly out: { readonly data: Float64Array; readonly off: number }; readonly size: number; readonly deferred: boolean },
): number | null => {
  const { plan, floats, real, noise, generator, discriminator, learningRate } = step.inputs
  // the plan's fields (src/wasm/assembly/gan.ts): [2] noise width, [3] data width, [5] rows
  const rows = plan[5]!
  const floatsAt = Math.ceil(plan.length / 2)
  const realAt = floatsAt + floats.length
  const noiseAt = realAt + rows * plan[3]!
  const scalarsAt = noiseAt + rows * plan[2]!
  // eight addresses for ganStep, then its work memory (2 entries of slack for its alignment)
  const descriptorAt = scalarsAt + 3
  const workAt = descriptorAt + 4
  const head = scratch(workAt)
  if (head === null) return null
  new Int32Array(head.buffer, head.byteOffset, plan.length).set(plan)
  if (!samePlan(residency.plan, plan)) {
    forget(residency, () => true)
    residency.forward = null
  }
  residency.plan = plan.slice()
  const known = residency.forward
  const forwardDone = real === null && known !== null && sameStart(known.generator, generator) && sameBits(known.noise, noise)
  const work = scratch(workAt + Math.ceil(exports.ganEpochWorkBytes(base) / 8) + 2)
  if (work === null) return null
  const address = (entry: number): number => base + 8 * entry
  // Each block that is not resident is copied to where the step writes that network's new
  // block (the step then updates it in place), and whatever was resident there is forgotten.
  const resident = [generator, discriminator].map((block) => residentAt(residency, block))
  const places: number[] = []
  for (const [net, block] of [generator, discriminator].entries()) {
    const known = resident[net]
    if (known !== undefined) {
      places.push(known)
      continue
    }
    const blockAt = exports.ganStepBlockAt(base, address(workAt), net)
    if (blockAt === 0) return forgetAll(residency)
    const at = (blockAt - base) / 8
    forget(residency, (r) => r.at === at)
    work.set(block.data.subarray(block.off, block.off + block.size), at)
    places.push(at)
  }
  work.set(floats, floatsAt)
  if (real !== null) work.set(real, realAt)
  work.set(noise, noiseAt)
  work[scalarsAt] = learningRate
  work[scalarsAt + 2] = forwardDone ? 1 : 0
  new Int32Array(work.buffer, address(descriptorAt), 8).set([
    base,
    address(floatsAt),
    real === null ? 0 : address(realAt),
    address(noiseAt),
    address(places[0]!),
    address(places[1]!),
    address(workAt),
    address(scalarsAt),
  ])
  const blockAt = exports.ganStep(address(descriptorAt))
  if (blockAt === 0) return forgetAll(residency)
  const from = (blockAt - base) / 8
  // a record of this place is replaced: its block was this step's input (written over in the
  // caller's storage, or read from the module), so nothing of it is to be written back
  residency.blocks = residency.blocks.filter((r) => r.at !== from)
  if (!step.deferred) step.out.data.set(work.subarray(from, from + step.size), step.out.off)
  // The step wrote its new block over whatever was resident there (D's step writes D's place
  // in its work memory, G's step G's, and neither writes the other's). A caller writes a
  // stretch again only as the same network's new block (train.ts's epoch alternates two
  // blocks), so the record of that stretch, at this same place, is the one replaced here.
  residency.blocks = [...residency.blocks, { at: from, block: { data: step.out.data, off: step.out.off, size: step.size }, deferred: step.deferred }]
  // Kept after D's step only, for the G step that follows it: kept after G's step, the record
  // would hold the replaced G block alive (measured: 45 MB more peak memory at MNIST size).
  residency.forward = real === null ? null : { at: workAt, generator, noise: noise.slice() }
  return work[scalarsAt + 1]!
}

/** The host's WebAssembly API, or undefined. @internal */
export const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly

/** The WebAssembly kernels, or the reason they cannot be had. */
const instantiate = (): Kernels | string => {
  const api = wasmApi()
  if (api === undefined) return 'this host has no WebAssembly'
  let exports: KernelExports
  try {
    exports = new api.Instance(new api.Module(decodeBase64(KERNELS_BASE64)), {}).exports as unknown as KernelExports
  } catch (e) {
    return `the host refused the WebAssembly module (${e instanceof Error ? e.message : String(e)})`
  }
  return kernelsOfExports(exports)
}

/**
 * The kernels of an instance of the module (the plain build's, or the threaded build's on a
 * shared memory: src/wasm/threads.ts), each with its own record of resident blocks.
 *
 * @internal
 */
export const kernelsOfExports = (exports: KernelExports): Kernels => {
  const base = exports.scratchBase()
  const memory = exports.memory
  let view: Float64Array = new Float64Array(0)
  /** The scratch area with room for `entries` doubles (the memory grown if needed), or null. */
  const scratch = (entries: number): Float64Array | null => {
    if (entries > view.length) {
      const pages = Math.ceil((base + 8 * entries) / PAGE) - memory.buffer.byteLength / PAGE
      try {
        if (pages > 0) memory.grow(pages)
      } catch {
        return null
      }
      // Growing detached the old buffer: every view is made afresh from here.
      view = new Float64Array(memory.buffer, base)
    }
    return view
  }
  scratch(CHUNK)
  const residency: Residency = {
    plan: null,
    blocks: [],
    forward: null,
    writeBack: (at, block) => block.data.set(view.subarray(at, at + block.size), block.off),
  }
  /**
   * Runs `kernel(address, n)` in place on `src`'s stretch in chunks of the scratch area, the
   * results copied to `dst`'s.
   */
  const inChunks = (src: Float64Array, sOff: number, dst: Float64Array, dOff: number, len: number, kernel: (at: number, n: number) => void): void => {
    const room = view
    overwritten(residency, CHUNK)
    for (let start = 0; start < len; start += CHUNK) {
      const n = Math.min(CHUNK, len - start)
      room.set(src.subarray(sOff + start, sOff + start + n))
      kernel(base, n)
      dst.set(room.subarray(0, n), dOff + start)
    }
  }
  const elementwise =
    (kernel: (src: number, dst: number, len: number) => void): ElementwiseKernel =>
    (src, sOff, dst, dOff, len) =>
      inChunks(src, sOff, dst, dOff, len, (at, n) => kernel(at, at, n))
  return Object.freeze({
    backend: 'wasm',
    tanhInto: elementwise(exports.tanhInto),
    expInto: elementwise(exports.expInto),
    log1pInto: elementwise(exports.log1pInto),
    normalsFromUint53: (ks: Float64Array, out: Float64Array, len: number, mean: number, std: number) =>
      inChunks(ks, 0, out, 0, len, (at, n) => exports.normalsFromUint53(at, at, n, mean, std)),
    ganEpoch: Object.freeze<WasmGanEpoch>({
      run: (inputs) => {
        overwritten(residency, Infinity)
        return runGanEpoch(exports, scratch, base, inputs)
      },
    }),
    ganStep: Object.freeze<WasmGanStep>({
      run: (inputs, out, size, deferred = false) => runGanStep(exports, scratch, base, residency, { inputs, out, size, deferred }),
      flush: () => flushDeferred(residency),
    }),
    gemm: Object.freeze<WasmGemm>({
      scratch: (entries) => {
        overwritten(residency, entries)
        return scratch(entries)
      },
      blocks: (panelsAt, shape, cAt, stride) =>
        exports.gemmBlocks(base + 8 * panelsAt, shape.rows, shape.cols, shape.depth, base + 8 * cAt, stride),
    }),
  })
}

/**
 * The WebAssembly kernels or why not, made when this module loads (compiling the module costs
 * about 1.5 ms, best paid before any work is timed), whatever `PURE_GAN_KERNELS` says: the
 * choice itself waits for the first call of `kernels`.
 */
const wasmOutcome: Kernels | string = instantiate()
/** The kernels chosen at the first call of `kernels`. */
let chosen: Kernels | undefined

/**
 * The WebAssembly kernels when the host can run them, else the reason why not (made once, at
 * load; tests use it to check the two forms against each other).
 *
 * @internal
 */
export const wasmKernels = (): Kernels | string => wasmOutcome

/**
 * The kernels the core runs: chosen once, at the first call, by `PURE_GAN_KERNELS` and the
 * host (see the module's comment). Throws a `RangeError` for a `PURE_GAN_KERNELS` that is not
 * `js`, `wasm` or `auto`, and an `Error` when it says `wasm` and the host cannot run it.
 *
 * @internal
 */
export const kernels = (): Kernels => (chosen ??= choose(requestedBackend(environmentValue())))

/**
 * Which kernels this host runs, `'wasm'` (WebAssembly, src/wasm) or `'js'` (JavaScript):
 * chosen once, at the first call, by the host and the environment variable `PURE_GAN_KERNELS`
 * (`js`, `wasm` or `auto`). Results never depend on it, only speed: both give the same bits.
 * Throws a `RangeError` for any other `PURE_GAN_KERNELS`, and an `Error` for `wasm` on a host
 * that cannot run WebAssembly.
 *
 * @example
 * import { kernelBackend } from 'pure-gan'
 * ;['wasm', 'js'].includes(kernelBackend()) // true
 *
 * @category runtime
 * @since 0.1.0
 */
export const kernelBackend = (): KernelBackend => kernels().backend

/** `wasm` for stretches of at least ELEMENTWISE_MIN entries, `js` for shorter ones. */
const bySize =
  (wasm: ElementwiseKernel, js: ElementwiseKernel): ElementwiseKernel =>
  (src, sOff, dst, dOff, len) =>
    len < ELEMENTWISE_MIN ? js(src, sOff, dst, dOff, len) : wasm(src, sOff, dst, dOff, len)

const choose = (request: Request): Kernels => {
  if (request === 'js') return jsKernels
  const wasm = wasmKernels()
  if (typeof wasm !== 'string') return withShortStretchesInJs(wasm)
  if (request === 'wasm') throw new Error(`PURE_GAN_KERNELS=wasm, but ${wasm}`)
  return jsKernels
}

/** WebAssembly kernels whose short elementwise stretches run in JavaScript: copying in and out costs more than it saves. */
const withShortStretchesInJs = (wasm: Kernels): Kernels =>
  Object.freeze({
    ...wasm,
    tanhInto: bySize(wasm.tanhInto, tanhIntoJs),
    expInto: bySize(wasm.expInto, expIntoJs),
    log1pInto: bySize(wasm.log1pInto, log1pIntoJs),
  })

/**
 * Makes `next` (an instance's WebAssembly kernels: src/wasm/threads.ts) the kernels the core
 * runs from now on, with short elementwise stretches in JavaScript as `kernels` chooses them;
 * returns the kernels it replaced. The caller gives a fresh instance each time: an instance's
 * record of resident blocks is valid only while it runs every step.
 *
 * @internal
 */
export const replaceKernels = (next: Kernels): Kernels => {
  const before = kernels()
  chosen = next.backend === 'js' ? next : withShortStretchesInJs(next)
  return before
}

/**
 * A fresh instance of the plain build's kernels (its own memory and record of resident
 * blocks), or the reason it cannot be had.
 *
 * @internal
 */
export const freshWasmKernels = (): Kernels | string => instantiate()
