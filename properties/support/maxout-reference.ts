/**
 * A literal transcription of the maxout layer (docs/gradients.md, "Maxout"), written apart from
 * src/kernels/maxout.ts in plain arrays, for the properties to compare with: the affine values
 * through the checked matrix product, the winners by a plain scan (the lowest index among the
 * largest, a NaN larger than every number), and the backward pass entry by entry in the
 * documented order. Also the winners of a whole network's maxout layers as one string, so that
 * a central difference can discard a perturbed point at which some winner changed.
 */
import { type Matrix, addRowVector, fromFlat, matmul, toFlat } from '../../src/matrix/index.js'
import type { ForwardCache, NetworkSpec } from '../../src/nn/network.js'

/** Unit j's winning piece in each run of `k` values: the first largest, a NaN winning (the first). */
export const winnersOf = (z: ReadonlyArray<number>, k: number): number[] => {
  const out: number[] = []
  for (let u = 0; u < z.length; u += k) {
    let w = 0
    for (let p = 1; p < k; p++) {
      const v = z[u + p]!
      const best = z[u + w]!
      if (Number.isNaN(best)) break
      if (Number.isNaN(v) || v > best) w = p
    }
    out.push(w)
  }
  return out
}

/** `z = x·W + b` through the checked operations (the dense layer's bits), and the max per unit with its winners. */
export const maxoutReference = (x: Matrix, W: Matrix, b: Matrix, k: number): { z: Matrix; y: Matrix; winners: number[] } => {
  const z = addRowVector(matmul(x, W), b)
  const zs = toFlat(z)
  const winners = winnersOf(zs, k)
  const units = W.cols / k
  return { z, y: fromFlat(x.rows, units, winners.map((p, e) => zs[e * k + p]!)), winners }
}

/**
 * The backward pass entry by entry: `dW[r][c] = Σ_i [c = c_ij]·x_ir·dy_ij` and
 * `db[c] = Σ_i [c = c_ij]·dy_ij` over the rows ascending from 0, `dx[i][r] = Σ_j dy_ij·W[r][c_ij]`
 * over the units ascending from 0, with `c_ij = j·k + winners_ij`.
 */
export const maxoutBackwardReference = (x: Matrix, W: Matrix, k: number, winners: ReadonlyArray<number>, dy: Matrix): { dx: Matrix; dW: Matrix; db: Matrix } => {
  const n = x.rows
  const d = x.cols
  const M = W.cols
  const m = M / k
  const xs = toFlat(x)
  const ws = toFlat(W)
  const g = toFlat(dy)
  const col = (i: number, j: number): number => j * k + winners[i * m + j]!
  const dW: number[] = []
  for (let r = 0; r < d; r++) {
    for (let c = 0; c < M; c++) {
      let s = 0
      for (let i = 0; i < n; i++) if (col(i, Math.floor(c / k)) === c) s = s + xs[i * d + r]! * g[i * m + Math.floor(c / k)]!
      dW.push(s)
    }
  }
  const db: number[] = []
  for (let c = 0; c < M; c++) {
    let s = 0
    for (let i = 0; i < n; i++) if (col(i, Math.floor(c / k)) === c) s = s + g[i * m + Math.floor(c / k)]!
    db.push(s)
  }
  const dx: number[] = []
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < d; r++) {
      let s = 0
      for (let j = 0; j < m; j++) s = s + g[i * m + j]! * ws[r * M + col(i, j)]!
      dx.push(s)
    }
  }
  return { dx: fromFlat(n, d, dx), dW: fromFlat(d, M, dW), db: fromFlat(1, M, db) }
}

/** The winners of every maxout layer of a forward cache, as one string ('' for a network without). */
export const maxoutPattern = (spec: NetworkSpec, cache: ForwardCache): string =>
  cache.map((layer, l) => {
    const s = spec.layers[l]!
    return s.kind === 'maxout' ? winnersOf(toFlat(layer.preActivation), s.pieces).join(',') : ''
  }).join('|')
