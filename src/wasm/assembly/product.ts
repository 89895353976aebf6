// AssemblyScript twin of src/matrix/kernels.ts's gemm, whole: operands by strides, small
// products as one dot product per entry, larger ones packed into panels here and run as the
// f64x2 4 x 4 blocks of gemm.ts, the rows and columns past the blocks as dot products. Every
// entry is `s = 0; for k ascending: s = s + A(i, k)·B(k, j)`, whichever path computes it, so
// the bits are those of the JavaScript product.
import { gemmBlocks } from './gemm'

/** Products with fewer multiply-adds than this run as dot products (src/matrix/kernels.ts's SMALL). */
const SMALL: i64 = 4096

/**
 * Bytes of panel memory `product` needs for a product of `rows x cols` over `depth` terms
 * (0 when it runs as dot products).
 */
export function panelBytes(rows: i32, cols: i32, depth: i32): usize {
  if (!blocked(rows, cols, depth)) return 0
  return <usize>(((rows & ~3) + (cols & ~3)) * depth) << 3
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
