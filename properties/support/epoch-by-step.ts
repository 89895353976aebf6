/**
 * One epoch through the public `trainStep`, minibatch by minibatch, with no lent buffers: the
 * documented meaning of `trainEpoch`, against which its fast loop is compared.
 */
import type { GanState } from '../../src/gan/index.js'
import { trainStep } from '../../src/gan/train.js'
import { type Matrix, gatherRows } from '../../src/matrix/index.js'
import { permutation } from '../../src/random/permutation.js'

export const epochByStep = (state: GanState, data: Matrix): { state: GanState; lossD: number; lossG: number } => {
  const batch = state.config.batchSize
  const [order, rng] = permutation(state.rng, data.rows)
  let s: GanState = { ...state, rng }
  let sumD = 0
  let sumG = 0
  for (let start = 0; start < data.rows; start += batch) {
    const [losses, next] = trainStep(s, gatherRows(data, order.slice(start, Math.min(start + batch, data.rows))))
    sumD += losses.lossD
    sumG += losses.lossG
    s = next
  }
  return { state: { ...s, epoch: state.epoch + 1 }, lossD: sumD / data.rows, lossG: sumG / data.rows }
}
