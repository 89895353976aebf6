/**
 * The matrix-product kernel under every product in pure-gan (`matmul`, `matmulTransposeA`,
 * `matmulTransposeB`, the dense layer's fused forward pass and its backward pass): unchecked,
 * operands addressed by offset and strides, the result written into an array the caller has
 * just allocated. Internal: the checked, allocating wrappers live in `matmul.ts`, `dense.ts`
 * and `network.ts` (stdlib-js style: checked wrapper, unchecked kernel).
 *
 * The product is `C(i, j) = Σ_k A(i, k)·B(k, j)` with
 * `A(i, k) = a[aOff + i·ais + k·aks]`, `B(k, j) = b[bOff + k·bks + j·bjs]` and
 * `C(i, j) = c[cOff + i·m + j]`, so one kernel serves `a·b`, `aᵀ·b` and `a·bᵀ` of row-major
 * matrices through the strides alone.
 *
 * Summation order, the contract of `matmul.ts`: every entry is computed as
 * `s = 0; for k = 0, 1, ..., K-1: s = s + A(i, k)·B(k, j)`, in one accumulator, with the
 * product written `A·B` (operand order kept, although IEEE multiplication commutes). Both
 * paths below keep it, so the result does not depend on which path runs, on the shape, or on
 * the strides: that is what makes the three products bit-equal to each other and to the
 * reference loop.
 *
 * - Small products (fewer than 4 rows or columns, or under {@link SMALL} multiply-adds) run
 *   one dot product per entry, which has the least overhead.
 * - Larger ones pack A into panels of 4 rows and B into panels of 4 columns (k-major inside a
 *   panel, so each panel is one sequential stream whatever the strides were), then compute
 *   4 x 4 blocks of C with 16 accumulators held in registers: each loaded A or B value serves
 *   four multiply-adds instead of one, and the accumulators are never stored and reloaded
 *   inside the k loop. The rows and columns past the last multiple of 4 use the dot-product
 *   path. The packed copies cost O((n + m)·K) next to the product's O(n·m·K).
 * - Where the host runs the WebAssembly kernels (src/wasm), the panels are packed into the
 *   module's memory and the blocks run there, two entries per f64x2 instruction with the same
 *   operations per entry (src/wasm/assembly/gemm.ts); C's covered rows are copied out.
 *
 * @internal
 * @module
 */

import { kernels } from '../wasm/kernels.js'

/** Products with fewer multiply-adds than this use the dot-product path. */
export const SMALL = 4096

/**
 * One operand of a product, by strides over an array: entry `(i, k)` of A (or `(k, j)` of B)
 * is `data[off + i·major + k·depth]` (with `j` for `i`): `major` steps along the output's
 * rows (A) or columns (B), `depth` along the summed index `k`. Transposes are strides.
 *
 * @internal
 */
export interface Operand {
  readonly data: Float64Array
  readonly off: number
  readonly major: number
  readonly depth: number
}

/**
 * The shape of a product `C = A·B`: C is `rows x cols`, summed over `depth` terms.
 *
 * @internal
 */
export interface ProductShape {
  readonly rows: number
  readonly cols: number
  readonly depth: number
}

/** Where a product's output lies: C's row-major `rows x cols` block from `off`. */
interface Output {
  readonly data: Float64Array
  readonly off: number
}

/**
 * `C(i, j) = Σ_k A(i, k)·B(k, j)` into `c` (row-major, every entry written, none read), the
 * BLAS-style product every matrix product of the library runs. Summation order as in the
 * module comment.
 *
 * @internal
 */
export const gemm = (a: Operand, b: Operand, shape: ProductShape, c: Output): void => {
  const { rows: n, cols: m, depth: K } = shape
  let covered = NONE
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: E-PATH
  // Stryker disable next-line ArithmeticOperator,BlockStatement: E-PATH
  if (n >= 4 && m >= 4 && n * m * K >= SMALL) {
    // Stryker disable next-line ObjectLiteral: E-NOOP with {} the dots compute every entry
    covered = { rows: n - (n % 4), cols: m - (m % 4) }
    const panelsSize = (covered.rows + covered.cols) * K
    const wasm = kernels().gemm
    // Stryker disable next-line ConditionalExpression: E-PATH the JavaScript blocks, the same bits
    const room = wasm === null ? null : wasm.scratch(panelsSize + covered.rows * m)
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: E-PATH
    if (wasm !== null && room !== null) {
      pack(a, covered.rows, K, { data: room, off: 0 })
      pack(b, covered.cols, K, { data: room, off: covered.rows * K })
      wasm.blocks(0, { rows: covered.rows, cols: covered.cols, depth: K }, panelsSize, m)
      // C's first covered.rows rows; their entries past covered.cols are garbage here, and
      // dots() below overwrites them.
      c.data.set(room.subarray(panelsSize, panelsSize + covered.rows * m), c.off)
    } else {
      const panels = new Float64Array(panelsSize)
      pack(a, covered.rows, K, { data: panels, off: 0 })
      pack(b, covered.cols, K, { data: panels, off: covered.rows * K })
      blocks(panels, shape, covered, c)
    }
  }
  // Everything the blocks did not cover: its columns past them, and all of the rows past them
  dots(a, b, shape, covered, c)
}

/** The part of C the 4 x 4 blocks computed: rows `0..rows`, columns `0..cols`. */
interface Covered {
  readonly rows: number
  readonly cols: number
}

// Stryker disable next-line ObjectLiteral: E-NOOP with {} the dots compute every entry, as here
const NONE: Covered = { rows: 0, cols: 0 }

/**
 * One dot product per entry of C outside the blocks: for rows `i < covered.rows` the
 * columns from `covered.cols`, for the other rows every column (with nothing covered, all
 * of C).
 */
const dots = (a: Operand, b: Operand, shape: ProductShape, covered: Covered, c: Output): void => {
  const { rows: n, cols: m, depth: K } = shape
  const { data: ad, off: aOff, major: ais, depth: aks } = a
  const { data: bd, off: bOff, major: bjs, depth: bks } = b
  const cd = c.data
  for (let i = 0; i < n; i++) {
    const ai = aOff + i * ais
    const ci = c.off + i * m
    // Stryker disable next-line ConditionalExpression: E-PATH dots redo the blocks
    for (let j = i < covered.rows ? covered.cols : 0; j < m; j++) {
      let pa = ai
      let pb = bOff + j * bjs
      let s = 0
      for (let k = 0; k < K; k++) {
        s = s + ad[pa]! * bd[pb]!
        pa += aks
        pb += bks
      }
      cd[ci + j] = s
    }
  }
}

/**
 * Copies `X(i, k)` (the operand `x`) for `i < n4` (a multiple of 4) into `out`: panel p holds
 * rows 4p..4p+3 as `out[p·4K + 4k + r] = X(4p + r, k)`. The k loop is cut into runs of 16 so
 * that both the reads and the writes stay within a few cache lines whatever the strides.
 */
const pack = (operand: Operand, n4: number, K: number, out: Output): void => {
  const { data: x, off, major: is, depth: ks } = operand
  const dst = out.data
  const at = out.off
  const is2 = 2 * is
  const is3 = 3 * is
  const K4 = 4 * K
  // Stryker disable next-line EqualityOperator: E-BOUND the extra run is empty
  for (let k0 = 0; k0 < K; k0 += 16) {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: E-NOOP same values
    const k1 = k0 + 16 < K ? k0 + 16 : K
    // Stryker disable next-line EqualityOperator: E-BOUND pack(b) overwrites
    for (let i = 0; i < n4; i += 4) {
      let p = at + (i >> 2) * K4 + 4 * k0
      let q = off + i * is + k0 * ks
      for (let k = k0; k < k1; k++) {
        dst[p] = x[q]!
        dst[p + 1] = x[q + is]!
        dst[p + 2] = x[q + is2]!
        dst[p + 3] = x[q + is3]!
        p += 4
        q += ks
      }
    }
  }
}

/**
 * The 4 x 4 blocks of C over packed panels: A's panels from `panels[0]`, B's right after
 * them. Sixteen accumulators, each summed over k in ascending order from 0.
 */
const blocks = (panels: Float64Array, shape: ProductShape, covered: Covered, out: Output): void => {
  const { cols: m, depth: K } = shape
  const { rows: n4, cols: m4 } = covered
  const bAt = n4 * K
  const c = out.data
  const cOff = out.off
  const K4 = 4 * K
  for (let i = 0; i < n4; i += 4) {
    const pa0 = i * K
    for (let j = 0; j < m4; j += 4) {
      let pa = pa0
      let pb = bAt + j * K
      const end = pa0 + K4
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0
      let s10 = 0, s11 = 0, s12 = 0, s13 = 0
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0
      let s30 = 0, s31 = 0, s32 = 0, s33 = 0
      while (pa < end) {
        const x0 = panels[pa]!
        const x1 = panels[pa + 1]!
        const x2 = panels[pa + 2]!
        const x3 = panels[pa + 3]!
        const u0 = panels[pb]!
        const u1 = panels[pb + 1]!
        const u2 = panels[pb + 2]!
        const u3 = panels[pb + 3]!
        s00 = s00 + x0 * u0
        s01 = s01 + x0 * u1
        s02 = s02 + x0 * u2
        s03 = s03 + x0 * u3
        s10 = s10 + x1 * u0
        s11 = s11 + x1 * u1
        s12 = s12 + x1 * u2
        s13 = s13 + x1 * u3
        s20 = s20 + x2 * u0
        s21 = s21 + x2 * u1
        s22 = s22 + x2 * u2
        s23 = s23 + x2 * u3
        s30 = s30 + x3 * u0
        s31 = s31 + x3 * u1
        s32 = s32 + x3 * u2
        s33 = s33 + x3 * u3
        pa += 4
        pb += 4
      }
      const r0 = cOff + i * m + j
      const r1 = r0 + m
      const r2 = r1 + m
      const r3 = r2 + m
      c[r0] = s00
      c[r0 + 1] = s01
      c[r0 + 2] = s02
      c[r0 + 3] = s03
      c[r1] = s10
      c[r1 + 1] = s11
      c[r1 + 2] = s12
      c[r1 + 3] = s13
      c[r2] = s20
      c[r2 + 1] = s21
      c[r2 + 2] = s22
      c[r2 + 3] = s23
      c[r3] = s30
      c[r3 + 1] = s31
      c[r3 + 2] = s32
      c[r3 + 3] = s33
    }
  }
}
