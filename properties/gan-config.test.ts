import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { ConfigError, assertValidConfig, seedConfig, validateConfig } from '../src/gan/index.js'

const problems = (c: unknown): ReadonlyArray<string> => {
  const r = validateConfig(c)
  return E.isLeft(r) ? r.left : []
}

describe('config validation', () => {
  it('accepts the seed config and returns an equal, frozen copy', () => {
    const r = validateConfig(seedConfig)
    expect(E.isRight(r)).toBe(true)
    if (E.isRight(r)) {
      expect(r.right).toEqual(seedConfig)
      expect(Object.isFrozen(r.right.data.A)).toBe(true)
    }
  })

  // Each case: a field, a bad value, and the message that must name the field and its range.
  const cases: ReadonlyArray<readonly [string, (c: typeof seedConfig) => unknown, string]> = [
    ['seed', (c) => ({ ...c, seed: -1 }), 'seed must be an integer in 0..4294967295, got -1'],
    ['seed', (c) => ({ ...c, seed: 2 ** 32 }), 'seed must be an integer in 0..4294967295, got 4294967296'],
    ['seed', (c) => ({ ...c, seed: 1.5 }), 'seed must be an integer in 0..4294967295, got 1.5'],
    ['epochs', (c) => ({ ...c, epochs: 0 }), 'epochs must be an integer in 1..1000000, got 0'],
    ['batchSize', (c) => ({ ...c, batchSize: 1001 }), 'batchSize must be an integer in 1..1000, got 1001'],
    ['latentDim', (c) => ({ ...c, latentDim: 0 }), 'latentDim must be an integer in 1..100000, got 0'],
    ['learningRateD', (c) => ({ ...c, learningRateD: Infinity }), 'learningRateD must be a finite number > 0, got null'],
    ['learningRateG', (c) => ({ ...c, learningRateG: 0 }), 'learningRateG must be a finite number > 0, got 0'],
    ['adam.beta1', (c) => ({ ...c, adam: { ...c.adam, beta1: 1 } }), 'adam.beta1 must be a number in [0, 1), got 1'],
    ['adam.beta2', (c) => ({ ...c, adam: { ...c.adam, beta2: -0.1 } }), 'adam.beta2 must be a number in [0, 1), got -0.1'],
    ['adam.epsilon', (c) => ({ ...c, adam: { ...c.adam, epsilon: 0 } }), 'adam.epsilon must be a finite number > 0, got 0'],
    ['init.weightStd', (c) => ({ ...c, init: { ...c.init, weightStd: -1 } }), 'init.weightStd must be a finite number >= 0, got -1'],
    ['init.biasInit', (c) => ({ ...c, init: { ...c.init, biasInit: 'ones' } }), 'init.biasInit must be "zeros" or "normal", got "ones"'],
    ['data.kind', (c) => ({ ...c, data: { ...c.data, kind: 'mnist' } }), 'data.kind must be "affine-gaussian", got "mnist"'],
    ['data.size', (c) => ({ ...c, data: { ...c.data, size: 0 } }), 'data.size must be an integer in 1..10000000, got 0'],
    ['data.b', (c) => ({ ...c, data: { ...c.data, b: [] } }), 'data.b must be a non-empty array of finite numbers, got []'],
    ['data.A', (c) => ({ ...c, data: { ...c.data, A: [[1, 2, 3]] } }), 'data.A must be a non-empty array of rows of 2 finite numbers (as many as data.b)'],
    ['generator.layers', (c) => ({ ...c, generator: { layers: [] } }), 'generator.layers must be a non-empty array of layers, got []'],
    ['generator.layers', (c) => ({ ...c, generator: { layers: [{ units: 3, activation: { kind: 'identity' } }] } }), "generator.layers: the last layer must have 2 units (the data's width), got 3"],
    ['discriminator.layers', (c) => ({ ...c, discriminator: { layers: [{ units: 1, activation: { kind: 'tanh' } }] } }), 'discriminator.layers: the last layer must be { units: 1, activation: identity } (a logit), got units 1, activation tanh'],
    ['activation', (c) => ({ ...c, discriminator: { layers: [{ units: 2, activation: { kind: 'swish' } }, ...c.discriminator.layers] } }), 'discriminator.layers[0].activation.kind must be one of identity, tanh, sigmoid, relu, leakyRelu, got "swish"'],
    ['alpha', (c) => ({ ...c, generator: { layers: [{ units: 2, activation: { kind: 'leakyRelu', alpha: 2 } }] } }), 'generator.layers[0].activation.alpha must be a number in [0, 1), got 2'],
    ['units', (c) => ({ ...c, generator: { layers: [{ units: 0, activation: { kind: 'tanh' } }, { units: 2, activation: { kind: 'identity' } }] } }), 'generator.layers[0].units must be an integer in 1..100000, got 0'],
    ['unknown', (c) => ({ ...c, lr: 0.1 }), 'unknown config field "lr"'],
  ]

  it.each(cases)('rejects a bad %s with a message naming it and its range', (_, make, message) => {
    const found = problems(make(seedConfig))
    expect(found.some((p) => p.includes(message)), `got: ${found.join(' | ')}`).toBe(true)
  })

  it('reports every invalid field at once, and assertValidConfig throws a ConfigError listing them', () => {
    const bad = { ...seedConfig, seed: -1, epochs: 0, batchSize: 0 }
    expect(problems(bad)).toHaveLength(3)
    expect(() => assertValidConfig(bad)).toThrow(ConfigError)
    try {
      assertValidConfig(bad)
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(3)
      expect((e as Error).message).toContain('epochs must be an integer in 1..1000000, got 0')
    }
  })

  it('reads -0 as +0 so that a config survives JSON', () => {
    const r = validateConfig({ ...seedConfig, data: { ...seedConfig.data, b: [-0, 2] } })
    expect(E.isRight(r) && Object.is(r.right.data.b[0], 0)).toBe(true)
  })

  it('non-objects are rejected', () => {
    expect(problems(null)).toEqual(['config must be an object, got null'])
    expect(problems(3)).toEqual(['config must be an object, got 3'])
  })
})
