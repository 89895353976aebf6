// AssemblyScript twin of the 4 x 4 blocks of src/matrix/kernels.ts's gemm, with f64x2 SIMD:
// each lane of an accumulator is one entry of C, summed over k in ascending order from 0 as
// `s = s + A(i, k)·B(k, j)` (a multiplication, then an addition: WebAssembly has no implicit
// fused multiply-add, and relaxed SIMD is not used), so every entry has the JavaScript form's
// bits. The panels are packed by the JavaScript side (src/matrix/kernels.ts's pack) into
// this module's memory: A's panel p holds rows 4p..4p+3 as `[4k + r]`, B's panel q columns
// 4q..4q+3 the same way, B's panels right after A's.

/**
 * `C(i, j)` for `i < n4`, `j < m4` (multiples of 4) into the row-major `C` at byte address
 * `c` with `m` entries a row, from the panels at byte address `panels` (A's `n4·K` entries,
 * then B's `m4·K`). Other entries of C are not written.
 */
export function gemmBlocks(panels: usize, n4: i32, m4: i32, K: i32, c: usize, m: i32): void {
  const bAt = panels + ((<usize>n4 * <usize>K) << 3)
  const panelBytes = <usize>K << 5 // 4K doubles
  const rowBytes = <usize>m << 3
  // B's panels outside, A's inside: one B panel (4K entries) stays in the nearest cache while
  // every A panel streams past it, and A (n4·K entries, at most a few hundred KB at the
  // workloads' sizes) stays in the second-level cache, so B, the larger operand of a wide
  // layer, is read from memory once. Each block's sums are the same whatever the order.
  for (let j = 0; j < m4; j += 4) {
    const pb0 = bAt + ((<usize>j * <usize>K) << 3)
    for (let i = 0; i < n4; i += 4) {
      const pa0 = panels + ((<usize>i * <usize>K) << 3)
      const end = pa0 + panelBytes
      let pa = pa0
      let pb = pb0
      let s0a = f64x2.splat(0)
      let s0b = f64x2.splat(0)
      let s1a = f64x2.splat(0)
      let s1b = f64x2.splat(0)
      let s2a = f64x2.splat(0)
      let s2b = f64x2.splat(0)
      let s3a = f64x2.splat(0)
      let s3b = f64x2.splat(0)
      while (pa < end) {
        const ua = v128.load(pb)
        const ub = v128.load(pb, 16)
        const x0 = v128.load64_splat(pa)
        const x1 = v128.load64_splat(pa, 8)
        const x2 = v128.load64_splat(pa, 16)
        const x3 = v128.load64_splat(pa, 24)
        s0a = f64x2.add(s0a, f64x2.mul(x0, ua))
        s0b = f64x2.add(s0b, f64x2.mul(x0, ub))
        s1a = f64x2.add(s1a, f64x2.mul(x1, ua))
        s1b = f64x2.add(s1b, f64x2.mul(x1, ub))
        s2a = f64x2.add(s2a, f64x2.mul(x2, ua))
        s2b = f64x2.add(s2b, f64x2.mul(x2, ub))
        s3a = f64x2.add(s3a, f64x2.mul(x3, ua))
        s3b = f64x2.add(s3b, f64x2.mul(x3, ub))
        pa += 32
        pb += 32
      }
      const r0 = c + ((<usize>i * <usize>m + <usize>j) << 3)
      v128.store(r0, s0a)
      v128.store(r0, s0b, 16)
      const r1 = r0 + rowBytes
      v128.store(r1, s1a)
      v128.store(r1, s1b, 16)
      const r2 = r1 + rowBytes
      v128.store(r2, s2a)
      v128.store(r2, s2b, 16)
      const r3 = r2 + rowBytes
      v128.store(r3, s3a)
      v128.store(r3, s3b, 16)
    }
  }
}
