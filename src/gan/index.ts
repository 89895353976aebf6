/**
 * The GAN of SEED.md: config, state, the pure update functions, the training loop, the codec.
 *
 * @module
 */
export * from './codec.js'
export * from './config.js'
export * from './data.js'
export * from './evaluate.js'
export * from './state.js'
export * from './train.js'
export * from './update.js'
