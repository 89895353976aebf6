/**
 * A network's parameter tree and its flat block, each the other's view: the leaves
 * `W_0, b_0, W_1, ...` one after another in one `Float64Array` (the layout the kernels read),
 * and `{ W, b }` matrices that are views of such a block.
 *
 * @module
 * @internal
 */
import { columnsOf, weightRowsOf } from '../kernels/network.js'
import type { View } from '../kernels/view.js'
import { dataOf, unsafeFromFloat64Array } from '../matrix/matrix.js'
import type { DenseParams } from './dense.js'
import type { LayerSpec, NetworkParams } from './network.js'

/**
 * Parameter-shaped matrices (one frozen `{ W, b }` per layer: parameters, gradients or Adam
 * moments; `W` `(d_l x c_l)`, `b` `(1 x c_l)` with `c_l` the layer's columns, units·pieces for
 * maxout; batch normalisation's `W = γ` is `(1 x units)`) as views of a flat block in leaf order from `off`.
 *
 * @internal
 */
export const paramViews = (layers: ReadonlyArray<LayerSpec>, inputSize: number, g: Float64Array, off: number): NetworkParams => {
  const out: DenseParams[] = []
  let d = inputSize
  let o = off
  for (const layer of layers) {
    const m = columnsOf(layer)
    const r = weightRowsOf(layer, d)
    const W = unsafeFromFloat64Array(r, m, g.subarray(o, o + r * m))
    o += r * m
    const b = unsafeFromFloat64Array(1, m, g.subarray(o, o + m))
    o += m
    out.push(Object.freeze({ W, b }))
    d = layer.units
  }
  return Object.freeze(out)
}

/**
 * The leaves of `trees` (networks' parameters, or their Adam moments: arrays of `{ W, b }`)
 * as one flat block, tree after tree, each in leaf order (`W_0, b_0, W_1, ...`, row-major):
 * the layout the workspace passes and the flat Adam step read. When the leaves already lie
 * one after another in one array (a state's parameters and moments after an update are
 * views of one block), that array itself, with no copy; otherwise a fresh copy of `size`
 * entries (the leaves' total), in which leaves of +0 only are left as the fresh array's zeros. Reading `.buffer` may move a small array's storage out of
 * V8's heap; its values do not change.
 *
 * @internal
 */
export const flatBlock = (trees: ReadonlyArray<NetworkParams>, size: number): View => {
  // the first leaf: the first layer of the first tree that has one
  let head: DenseParams | undefined
  for (let t = 0; t < trees.length && head === undefined; t++) head = (trees[t] as NetworkParams)[0]
  if (head === undefined) return { data: new Float64Array(size), off: 0 }
  const first = dataOf(head.W)
  const buffer = first.buffer
  let next = first.byteOffset
  let contiguous = buffer.byteLength % 8 === 0
  for (let t = 0; t < trees.length && contiguous; t++) {
    const tree = trees[t] as NetworkParams
    for (let q = 0; q < 2 * tree.length; q++) {
      const p = tree[q >> 1] as DenseParams
      const leaf = dataOf((q & 1) === 0 ? p.W : p.b)
      if (leaf.buffer !== buffer || leaf.byteOffset !== next) {
        contiguous = false
        break
      }
      next += leaf.byteLength
    }
  }
  if (contiguous) return { data: new Float64Array(buffer), off: first.byteOffset / 8 }
  const data = new Float64Array(size)
  let o = 0
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t] as NetworkParams
    for (let q = 0; q < 2 * tree.length; q++) {
      const p = tree[q >> 1] as DenseParams
      const leaf = dataOf((q & 1) === 0 ? p.W : p.b)
      // The fresh block holds +0 already: a leaf of +0 only (a fresh optimiser's moments) is
      // not copied, so that its pages of the block are never written (nor made resident).
      if (!allPositiveZero(leaf)) data.set(leaf, o)
      o += leaf.length
    }
  }
  return { data, off: 0 }
}

/** True when every entry of `a` is +0 (all its bits zero: -0 is not). */
const allPositiveZero = (a: Float64Array): boolean => {
  const words = new Int32Array(a.buffer, a.byteOffset, 2 * a.length)
  for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false
  return true
}
