/**
 * The cyclic Jacobi loop as it was before it stopped at stagnation: the same rotations in the
 * same order, stopping only at `off <= 1e-32 · total`, `off === 0` or after 100 sweeps. A
 * reference for properties/adversarial/eigen-sweeps.test.ts: wherever it stopped by its own
 * tests, src/metrics's symmetricEigen must give the same bits.
 */
export const jacobi100 = (s: ArrayLike<number>, n: number): { a: Float64Array; v: Float64Array; sweeps: number } => {
  const a = Float64Array.from(s)
  const v = new Float64Array(n * n)
  for (let i = 0; i < n; i++) v[i * n + i] = 1
  let sweeps = 0
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    let total = 0
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const x = a[i * n + j]!
        total += x * x
        if (i !== j) off += x * x
      }
    }
    if (off <= 1e-32 * total || off === 0) break
    sweeps++
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!
        if (apq === 0) continue
        const app = a[p * n + p]!
        const aqq = a[q * n + q]!
        const theta = (aqq - app) / (2 * apq)
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
        const c = 1 / Math.sqrt(t * t + 1)
        const sn = t * c
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!
          const akq = a[k * n + q]!
          a[k * n + p] = c * akp - sn * akq
          a[k * n + q] = sn * akp + c * akq
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!
          const aqk = a[q * n + k]!
          a[p * n + k] = c * apk - sn * aqk
          a[q * n + k] = sn * apk + c * aqk
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!
          const vkq = v[k * n + q]!
          v[k * n + p] = c * vkp - sn * vkq
          v[k * n + q] = sn * vkp + c * vkq
        }
      }
    }
  }
  return { a, v, sweeps }
}
