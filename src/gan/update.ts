/**
 * The two pure transitions of GAN training, SEED.md's `update_D` and `update_G`, and the
 * gradients they apply (exported, so that properties and users can inspect them).
 *
 * Notation (docs/gan.md): X real minibatch (n x d), Z noise (n x latentDim),
 * G(Z) generator output, D(·) discriminator logits (n x 1), l(z, y) the sigmoid
 * cross-entropy on a logit. Losses are summed over the minibatch; Adam rescales the summed
 * gradient by 1/n, so it steps on the gradient of the batch mean, as Gluon's
 * `trainer.step(batch_size)`.
 *
 * @module
 */
import { type Matrix, ShapeError, shapeOf, vconcat } from '../matrix/index.js'
import { unsafeFromFloat64Array } from '../matrix/matrix.js'
import { sigmoidBce, sigmoidBceGrad } from '../loss/sigmoid-bce.js'
import { backward, forward, predict } from '../nn/network.js'
import type { NetworkParams } from '../nn/network.js'
import { adam } from '../optim/adam.js'
import type { GanConfig } from './config.js'
import { type GanState, discriminatorSpec, generatorSpec } from './state.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/**
 * A summed minibatch loss and its gradient with respect to one network's parameters.
 *
 * @category model
 * @since 0.1.0
 */
export interface LossAndGradient {
  readonly loss: number
  readonly gradient: NetworkParams
}

const checkBatch = (op: string, config: GanConfig, realBatch: Matrix | null, noise: Matrix): void => {
  if (noise.rows === 0 || noise.cols !== config.latentDim) {
    throw new ShapeError(`${op}: noise must be (n x ${config.latentDim}) with n >= 1 (latentDim ${config.latentDim}), got ${shapeOf(noise)}`)
  }
  if (realBatch !== null) {
    const width = config.data.b.length
    if (realBatch.cols !== width || realBatch.rows !== noise.rows) {
      throw new ShapeError(
        `${op}: the real batch must be (${noise.rows}x${width}) (as many rows as the noise, data width ${width}), got ${shapeOf(realBatch)} with noise ${shapeOf(noise)}`,
      )
    }
  }
}

// -------------------------------------------------------------------------------------
// gradients
// -------------------------------------------------------------------------------------

/**
 * The discriminator's summed loss `Σ_i (l(D(x_i), 1) + l(D(G(z_i)), 0)) / 2` and its
 * gradient with respect to D's parameters (G is held fixed: no gradient reaches it).
 * D runs once on the stacked batch `[X; G(Z)]` (2n rows), so the gradient is one
 * backward pass with `dL/dlogit_i = (sigmoid(logit_i) - y_i) / 2`.
 *
 * @category gradients
 * @since 0.1.0
 */
export const discriminatorLossAndGradient = (state: GanState, realBatch: Matrix, noise: Matrix): LossAndGradient => {
  checkBatch('updateD', state.config, realBatch, noise)
  const n = noise.rows
  const fake = predict(generatorSpec(state.config), state.generator, noise)
  const dSpec = discriminatorSpec(state.config)
  const { output: logits, cache } = forward(dSpec, state.discriminator, vconcat(realBatch, fake))
  const z = logits.data
  const dLogits = new Float64Array(2 * n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zr = z[i] as number
    const zf = z[n + i] as number
    loss += (sigmoidBce(zr, 1) + sigmoidBce(zf, 0)) / 2
    dLogits[i] = sigmoidBceGrad(zr, 1) * 0.5
    dLogits[n + i] = sigmoidBceGrad(zf, 0) * 0.5
  }
  const { grads } = backward(dSpec, state.discriminator, cache, unsafeFromFloat64Array(2 * n, 1, dLogits))
  return { loss, gradient: grads }
}

/**
 * The generator's summed non-saturating loss `Σ_i l(D(G(z_i)), 1)` and its gradient with
 * respect to G's parameters, through the current D: D's backward pass yields
 * `dL/dG(Z)`, which G's backward pass carries to G's parameters. D is not changed.
 *
 * @category gradients
 * @since 0.1.0
 */
export const generatorLossAndGradient = (state: GanState, noise: Matrix): LossAndGradient => {
  checkBatch('updateG', state.config, null, noise)
  const n = noise.rows
  const gSpec = generatorSpec(state.config)
  const dSpec = discriminatorSpec(state.config)
  const g = forward(gSpec, state.generator, noise)
  const d = forward(dSpec, state.discriminator, g.output)
  const z = d.output.data
  const dLogits = new Float64Array(n)
  let loss = 0
  for (let i = 0; i < n; i++) {
    const zi = z[i] as number
    loss += sigmoidBce(zi, 1)
    dLogits[i] = sigmoidBceGrad(zi, 1)
  }
  const { dInput } = backward(dSpec, state.discriminator, d.cache, unsafeFromFloat64Array(n, 1, dLogits))
  const { grads } = backward(gSpec, state.generator, g.cache, dInput)
  return { loss, gradient: grads }
}

// -------------------------------------------------------------------------------------
// transitions
// -------------------------------------------------------------------------------------

const adamFor = (config: GanConfig, learningRate: number, batchRows: number) =>
  adam({ learningRate, ...config.adam, rescaleGrad: 1 / batchRows })

/**
 * SEED.md's `update_D`: one Adam step (lr `learningRateD`, gradients rescaled by 1/n) on
 * the discriminator's loss for the real minibatch `realBatch` (n x d) and the noise `noise`
 * (n x latentDim). Returns the summed batch loss and the next state, in which only
 * `discriminator` and `optimizerD` differ.
 *
 * @example
 * import { initialState, normalMatrix, runData, seedConfig, sliceRows, updateD } from 'pure-gan'
 * const s0 = initialState(seedConfig)
 * const [noise] = normalMatrix(s0.rng, 8, 2)
 * const [lossD, s1] = updateD(s0, sliceRows(runData(seedConfig), 0, 8), noise)
 *
 * @category transitions
 * @since 0.1.0
 */
export const updateD = (state: GanState, realBatch: Matrix, noise: Matrix): readonly [number, GanState] => {
  const { loss, gradient } = discriminatorLossAndGradient(state, realBatch, noise)
  const [discriminator, optimizerD] = adamFor(state.config, state.config.learningRateD, noise.rows).step(
    state.optimizerD,
    state.discriminator,
    gradient,
  )
  return [loss, Object.freeze({ ...state, discriminator, optimizerD })]
}

/**
 * SEED.md's `update_G`: one Adam step (lr `learningRateG`, gradients rescaled by 1/n) on
 * the generator's loss `Σ l(D(G(z)), 1)` for the noise `noise` (n x latentDim), through the
 * state's current discriminator. Returns the summed batch loss and the next state, in which
 * only `generator` and `optimizerG` differ.
 *
 * @category transitions
 * @since 0.1.0
 */
export const updateG = (state: GanState, noise: Matrix): readonly [number, GanState] => {
  const { loss, gradient } = generatorLossAndGradient(state, noise)
  const [generator, optimizerG] = adamFor(state.config, state.config.learningRateG, noise.rows).step(
    state.optimizerG,
    state.generator,
    gradient,
  )
  return [loss, Object.freeze({ ...state, generator, optimizerG })]
}
