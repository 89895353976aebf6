// AssemblyScript twin of src/matrix/kernels.ts's gemm, whole: operands by strides, small
// products as one dot product per entry, larger ones packed into panels here and run as the
// f64x2 4 x 4 blocks of gemm.ts, the rows and columns past the blocks as dot products. Every
// entry is `s = 0; for k ascending: s = s + A(i, k)·B(k, j)`, whichever path computes it, so
// the bits are those of the JavaScript product.
import { gemmBlocks } from './gemm'
import { AdamTask, adamRange } from './gan'

/** Products with fewer multiply-adds than this run as dot products (src/matrix/kernels.ts's SMALL). */
const SMALL: i64 = 4096

/**
 * Bytes of panel memory `product` needs for a product of `rows x cols` over `depth` terms
 * (0 when it runs as dot products). With a helper thread attached, room for B's panels twice:
 * each thread packs its own.
 */
export function panelBytes(rows: i32, cols: i32, depth: i32): usize {
  if (!blocked(rows, cols, depth)) return 0
  return <usize>(((rows & ~3) + (HELPED ? 2 : 1) * (cols & ~3)) * depth) << 3
}

// @ts-ignore: decorator
@inline function blocked(rows: i32, cols: i32, depth: i32): bool {
  return rows >= 4 && cols >= 4 && <i64>rows * <i64>cols * <i64>depth >= SMALL
}

/**
 * Copies `X(i, k) = x[i·major + k·depth]` (entries from byte address `x`) for `i < n4` into
 * panels at `out`: panel p holds rows 4p..4p+3 as `[4k + r]` (src/matrix/kernels.ts's pack).
 */
function pack(x: usize, major: i32, depth: i32, n4: i32, K: i32, out: usize): void {
  const is = <usize>major << 3
  const ks = <usize>depth << 3
  let p = out
  for (let i = 0; i < n4; i += 4) {
    let q = x + <usize>i * is
    for (let k = 0; k < K; k++) {
      store<f64>(p, load<f64>(q))
      store<f64>(p, load<f64>(q + is), 8)
      store<f64>(p, load<f64>(q + 2 * is), 16)
      store<f64>(p, load<f64>(q + 3 * is), 24)
      p += 32
      q += ks
    }
  }
}

/**
 * One operand of a product by strides (src/matrix/kernels.ts's `Operand`): entry `(i, k)` (or
 * `(j, k)` of B) at byte address `at + 8·(i·major + k·depth)`. Two live in static memory,
 * `LEFT` and `RIGHT`, which a caller fills with `operand` before each product.
 */
@unmanaged export class Operand {
  at: usize
  major: i32
  depth: i32
}

/** The static slot of a product's left operand A (16 bytes). */
export const LEFT = changetype<Operand>(memory.data(16))
/** The static slot of a product's right operand B (16 bytes). */
export const RIGHT = changetype<Operand>(memory.data(16))

/** `slot` set to the operand at byte address `at` with strides `major` and `depth`. */
export function operand(slot: Operand, at: usize, major: i32, depth: i32): Operand {
  slot.at = at
  slot.major = major
  slot.depth = depth
  return slot
}

/**
 * `C(i, j) = Σ_k A(i, k)·B(k, j)` into the row-major `rows x cols` C at byte address `c`, with
 * `A(i, k)` and `B(k, j)` read through the operands `A` and `B`, packing into `panels`
 * (`panelBytes` of them) when blocked.
 */
export function product(A: Operand, B: Operand, rows: i32, cols: i32, depth: i32, c: usize, panels: usize): void {
  if (ASC_FEATURE_THREADS) {
    if (HELPED && rows >= 8 && cols >= 4 && <i64>rows * <i64>cols * <i64>depth >= SPLIT_MIN) {
      splitProduct(A, B, rows, cols, depth, c, panels)
      return
    }
  }
  productRows(A, B, rows, cols, depth, c, panels)
}

/** `product` with its rows from `top` on handed to the helper thread (the threaded build). */
function splitProduct(A: Operand, B: Operand, rows: i32, cols: i32, depth: i32, c: usize, panels: usize): void {
  // rows 0..top here, top..rows in the helper, each packing into its own panels
  const top = (rows >> 1) & ~3
  const t = helperTask(TASK_PRODUCT)
  store<usize>(t, A.at + ((<usize>top * <usize>A.major) << 3))
  store<i32>(t, A.major, 4)
  store<i32>(t, A.depth, 8)
  store<usize>(t, B.at, 12)
  store<i32>(t, B.major, 16)
  store<i32>(t, B.depth, 20)
  store<i32>(t, rows - top, 24)
  store<i32>(t, cols, 28)
  store<i32>(t, depth, 32)
  store<usize>(t, c + ((<usize>top * <usize>cols) << 3), 36)
  store<usize>(t, panels + (<usize>((top + (cols & ~3)) * depth) << 3), 40)
  const g = postTask()
  productRows(A, B, top, cols, depth, c, panels)
  awaitHelper(g)
}

/** `product` on one thread (see there). */
function productRows(A: Operand, B: Operand, rows: i32, cols: i32, depth: i32, c: usize, panels: usize): void {
  const a = A.at
  const b = B.at
  let n4 = 0
  let m4 = 0
  if (blocked(rows, cols, depth)) {
    n4 = rows & ~3
    m4 = cols & ~3
    pack(a, A.major, A.depth, n4, depth, panels)
    pack(b, B.major, B.depth, m4, depth, panels + ((<usize>n4 * <usize>depth) << 3))
    gemmBlocks(panels, n4, m4, depth, c, cols)
  }
  const ais = <usize>A.major << 3
  const aks = <usize>A.depth << 3
  const bjs = <usize>B.major << 3
  const bks = <usize>B.depth << 3
  for (let i = 0; i < rows; i++) {
    const ai = a + <usize>i * ais
    const ci = c + ((<usize>i * <usize>cols) << 3)
    for (let j = i < n4 ? m4 : 0; j < cols; j++) {
      let pa = ai
      let pb = b + <usize>j * bjs
      let s: f64 = 0
      for (let k = 0; k < depth; k++) {
        s = s + load<f64>(pa) * load<f64>(pb)
        pa += aks
        pb += bks
      }
      store<f64>(ci + (<usize>j << 3), s)
    }
  }
}

// ------------------------------------------------------------------------------------------
// A helper thread (the threaded build only: --enable threads, one imported shared memory).
// A product of at least SPLIT_MIN multiply-adds hands its last rows to the helper and computes
// the first ones itself; each entry is still one sum over k ascending, by whichever thread, so
// the bits do not change. The protocol, in CONTROL (static, so the same bytes for both
// instances of the module): [0] the task's generation, written last; [4] the generation of the
// last task done; [8] 1 once the helper waits; from [16] the task (B, A's rows, C and panels).
// ------------------------------------------------------------------------------------------

/** Products with at least this many multiply-adds are split when a helper is attached. */
const SPLIT_MIN: i64 = 1 << 20
/** Polls of the generation before the helper sleeps (about a hundred microseconds). */
const HELPER_SPIN = 1 << 16

/** True in the instance whose products the helper shares (set by `attachHelper`). */
let HELPED = false

/** The control block: generation, done, ready, the task's kind, then the task (48 bytes). */
const CONTROL: usize = memory.data(64, 16)
/** The task kind of half a product (`productRows`). */
const TASK_PRODUCT = 0
/** The task kind of half an Adam step (gan.ts's `adamRange` on an `AdamTask`). */
export const TASK_ADAM = 1

/** True when this instance's work may be shared with the helper. */
export function helped(): bool {
  return HELPED
}

/** The helper's task area, its kind set to `kind`: the caller fills it in, then posts it (`postTask`). */
export function helperTask(kind: i32): usize {
  store<i32>(CONTROL, kind, 12)
  return CONTROL + 16
}

/** Hands the task written in CONTROL to the helper: returns its generation. */
export function postTask(): i32 {
  const g = (atomic.load<i32>(CONTROL) + 1) & 0x3fffffff
  atomic.store<i32>(CONTROL, g)
  atomic.notify(CONTROL, 1)
  return g
}

/** Waits until the helper has done the task of generation `g` (a spin: it takes as long as this thread's half). */
export function awaitHelper(g: i32): void {
  while (atomic.load<i32>(CONTROL, 4) != g) {}
}

/** The helper's own operand slots (LEFT and RIGHT are the caller's). */
const HELPER_LEFT = changetype<Operand>(memory.data(16))
const HELPER_RIGHT = changetype<Operand>(memory.data(16))

/**
 * Attaches the helper thread to this instance's products when it is waiting (returns true),
 * else leaves them whole (false). Layouts computed after the call reserve the helper's panels.
 */
export function attachHelper(): bool {
  if (ASC_FEATURE_THREADS) HELPED = atomic.load<i32>(CONTROL, 8) == 1
  return HELPED
}

/**
 * The helper thread's loop: marks itself ready, then runs each task it is given until the
 * generation -1 (stop). Called in the helper thread's own instance of the module.
 */
export function helperLoop(): void {
  if (ASC_FEATURE_THREADS) helperTasks()
}

/** The loop of `helperLoop` (the threaded build). */
function helperTasks(): void {
  let seen = atomic.load<i32>(CONTROL)
  atomic.store<i32>(CONTROL, 1, 8)
  while (true) {
    // a short spin first (a step's tasks come microseconds apart; waking from a wait takes
    // longer), then sleep until the next task
    let g = atomic.load<i32>(CONTROL)
    for (let spin = 0; g == seen && spin < HELPER_SPIN; spin++) g = atomic.load<i32>(CONTROL)
    if (g == seen) {
      atomic.wait<i32>(CONTROL, seen, -1)
      g = atomic.load<i32>(CONTROL)
    }
    if (g == seen) continue
    if (g < 0) return
    seen = g
    const t = CONTROL + 16
    if (load<i32>(CONTROL, 12) == TASK_ADAM) {
      const task = changetype<AdamTask>(t)
      adamRange(task, task.from, task.size)
    } else {
      const A = operand(HELPER_LEFT, load<usize>(t), load<i32>(t, 4), load<i32>(t, 8))
      const B = operand(HELPER_RIGHT, load<usize>(t, 12), load<i32>(t, 16), load<i32>(t, 20))
      productRows(A, B, load<i32>(t, 24), load<i32>(t, 28), load<i32>(t, 32), load<usize>(t, 36), load<usize>(t, 40))
    }
    atomic.store<i32>(CONTROL, g, 4)
  }
}

/** Stops the helper's loop (it returns from `helperLoop`). */
export function stopHelper(): void {
  if (ASC_FEATURE_THREADS) {
    atomic.store<i32>(CONTROL, -1)
    atomic.notify(CONTROL, 1)
  }
}
