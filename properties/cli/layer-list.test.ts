/**
 * src/cli/layer-list.ts, the grammar of `--generator LAYERS` and `--discriminator LAYERS`:
 *
 * - every list of valid layers, written as `layerListText` writes it, parses back to the same
 *   layers (dense with each activation and slope, maxout with every count of pieces), and what
 *   it parses to passes validateConfig's check of a network's layers;
 * - other spellings of the same layers (an explicit `:identity`, leading zeros, other forms of
 *   the same slope) parse to the same layers;
 * - a list with one bad layer among good ones is refused naming that layer's 1-based position
 *   and quoting it, whatever is wrong with it (no such form, units, pieces or slope out of
 *   range), and only the first bad layer is named.
 *
 * The command line's own cases (exit 2, one line, nothing written; the lists overriding a
 * config file or a preset) are in cli.test.ts.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { layerListText, parseLayerList } from '../../src/cli/layer-list.js'
import { seedConfig, validateConfig } from '../../src/gan/config.js'
import type { LayerSpec } from '../../src/nn/network.js'

/** A valid layer of each kind and activation; leaky relu's slope from a grid and from doubles in [0, 1). */
const layer: fc.Arbitrary<LayerSpec> = fc.oneof(
  fc.record({ units: fc.integer({ min: 1, max: 100_000 }), activation: fc.constantFrom({ kind: 'identity' as const }, { kind: 'tanh' as const }, { kind: 'sigmoid' as const }, { kind: 'relu' as const }) }),
  fc.record({
    units: fc.integer({ min: 1, max: 100_000 }),
    activation: fc.record({ kind: fc.constant('leakyRelu' as const), alpha: fc.oneof(fc.constantFrom(0, 0.01, 0.2, 0.5), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).map((a) => (a === 0 ? 0 : a))) }),
  }),
  fc.record({ kind: fc.constant('maxout' as const), units: fc.integer({ min: 1, max: 100_000 }), pieces: fc.integer({ min: 2, max: 64 }), activation: fc.constant({ kind: 'identity' as const }) }),
)
const layers = fc.array(layer, { minLength: 1, maxLength: 8 })

const parsed = (text: string): ReadonlyArray<LayerSpec> => {
  const r = parseLayerList('generator', text)
  if ('problem' in r) throw new Error(r.problem)
  return r.layers
}

describe('valid lists', () => {
  it('parse back to the layers layerListText wrote, which validateConfig accepts', () => {
    fc.assert(
      fc.property(layers, (ls) => {
        const text = layerListText(ls)
        expect(parsed(text)).toEqual(ls)
        // as D's hidden layers, before a logit, they pass the config's check of layers (the
        // resource limits aside: a list of 8 layers of 100 000 units is far beyond them)
        const config = { ...seedConfig, discriminator: { layers: [...parsed(text), { units: 1, activation: { kind: 'identity' } }] } }
        const r = validateConfig(config)
        if (E.isLeft(r)) expect(r.left.every((p) => !p.startsWith('discriminator.layers'))).toBe(true)
      }),
    )
  })

  it('other spellings of the same layers: :identity spelled out, leading zeros, other forms of a slope', () => {
    expect(parsed('2:identity')).toEqual(parsed('2'))
    expect(parsed('007:tanh,0002')).toEqual([{ units: 7, activation: { kind: 'tanh' } }, { units: 2, activation: { kind: 'identity' } }])
    expect(parsed('maxout0240x05')).toEqual([{ kind: 'maxout', units: 240, pieces: 5, activation: { kind: 'identity' } }])
    for (const slope of ['0.2', '.2', '+0.2', '2e-1', '2E-1', '0.20']) expect(parsed(`3:leakyRelu@${slope}`)).toEqual([{ units: 3, activation: { kind: 'leakyRelu', alpha: 0.2 } }])
    // -0 is read as 0, as validateConfig reads it
    expect(Object.is((parsed('3:leakyRelu@-0')[0]!.activation as { alpha: number }).alpha, 0)).toBe(true)
    expect(parsed('256:relu,256:relu,2')).toEqual([{ units: 256, activation: { kind: 'relu' } }, { units: 256, activation: { kind: 'relu' } }, { units: 2, activation: { kind: 'identity' } }])
    expect(layerListText(seedConfig.discriminator.layers)).toBe('5:tanh,3:tanh,1')
  })
})

describe('batch normalisation layers: bn[UNITS][:ACTIVATION]', () => {
  const activations = fc.constantFrom({ kind: 'identity' as const }, { kind: 'relu' as const }, { kind: 'tanh' as const }, { kind: 'leakyRelu' as const, alpha: 0.2 })
  it('a list with them parses back to the layers layerListText wrote, and as G validateConfig accepts it when each keeps its width', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 64 }), activations, fc.boolean()), { minLength: 1, maxLength: 5 }), (spec) => {
        // a dense layer, then (when asked) a batch normalisation layer as wide, per entry; then 2 units
        const ls: LayerSpec[] = spec.flatMap(([units, activation, bn]): LayerSpec[] =>
          bn ? [{ units, activation: { kind: 'identity' as const } }, { kind: 'batchnorm' as const, units, activation }] : [{ units, activation }],
        )
        ls.push({ units: 2, activation: { kind: 'identity' } })
        const text = layerListText(ls)
        expect(parsed(text)).toEqual(ls)
        const r = validateConfig({ ...seedConfig, generator: { layers: parsed(text) } })
        expect(r._tag).toBe('Right')
      }),
    )
  })

  it('bn without UNITS takes the previous layer\'s units; the first layer must give them', () => {
    expect(parsed('256,bn:relu,2')).toEqual([
      { units: 256, activation: { kind: 'identity' } },
      { kind: 'batchnorm', units: 256, activation: { kind: 'relu' } },
      { units: 2, activation: { kind: 'identity' } },
    ])
    expect(parsed('maxout8x3,bn')).toEqual([{ kind: 'maxout', units: 8, pieces: 3, activation: { kind: 'identity' } }, { kind: 'batchnorm', units: 8, activation: { kind: 'identity' } }])
    expect(parsed('bn2:leakyRelu@.2,4')).toEqual([{ kind: 'batchnorm', units: 2, activation: { kind: 'leakyRelu', alpha: 0.2 } }, { units: 4, activation: { kind: 'identity' } }])
    const problem = (text: string) => {
      const r = parseLayerList('generator', text)
      return 'problem' in r ? r.problem : 'accepted'
    }
    expect(problem('bn:relu,2')).toBe('--generator: layer 1 is a batch normalisation layer, which must give its width as the first layer: bnUNITS (the noise\'s width), got "bn:relu"')
    expect(problem('4,bn0')).toBe('--generator: layer 2 must have units in 1..100000, got "bn0"')
    expect(problem('4,bn:leakyRelu@1')).toBe('--generator: layer 2 must have a leakyRelu slope in [0, 1), got "bn:leakyRelu@1"')
    expect(problem('4,bn:swish')).toMatch(/^--generator: layer 2 must be UNITS\[:ACTIVATION\]/)
    expect(problem('4,bnx')).toMatch(/^--generator: layer 2 must be UNITS\[:ACTIVATION\]/)
  })
})

describe('malformed lists: the first bad layer, by its 1-based position', () => {
  const form = 'UNITS[:ACTIVATION] (ACTIVATION one of identity, tanh, sigmoid, relu, leakyRelu@SLOPE; identity when left out), maxoutUNITSxPIECES or bn[UNITS][:ACTIVATION]'
  /** A bad layer and the end of the message that names it (after `layer N`). */
  const bad: fc.Arbitrary<readonly [string, string]> = fc.oneof(
    fc.constantFrom('', ' ', 'x', 'maxout', 'maxout3', 'maxout3x', 'maxoutx3', 'maxout3x2:identity', '3:', ':tanh', '3:Tanh', '3:leakyRelu', '3:leakyRelu@', '3:leakyRelu@x', '-3', '+3', '3.0', '1e3', '3:relu:relu', 'Maxout3x2', '3 ', '٣').map((s) => [s, `must be ${form}, got ${JSON.stringify(s)}`] as const),
    fc.constantFrom('0', '100001', '0:relu', 'maxout0x2', '99999999999999999999').map((s) => [s, `must have units in 1..100000, got "${s}"`] as const),
    fc.constantFrom('maxout3x0', 'maxout3x1', 'maxout3x65', 'maxout3x1000').map((s) => [s, `must have pieces in 2..64, got "${s}"`] as const),
    fc.constantFrom('3:leakyRelu@1', '3:leakyRelu@-0.1', '3:leakyRelu@1e400', '3:leakyRelu@2').map((s) => [s, `must have a leakyRelu slope in [0, 1), got "${s}"`] as const),
    // anything without a comma that no regular expression of the grammar would take
    fc.string({ maxLength: 12 }).filter((s) => !s.includes(',') && !/^(\d+(:(identity|tanh|sigmoid|relu|leakyRelu@[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?))?|maxout\d+x\d+)$/.test(s)).map((s) => [s, `must be ${form}, got ${JSON.stringify(s)}`] as const),
  )

  it('names the flag, the position and what is allowed there, quoting the layer; later bad layers are not named', () => {
    fc.assert(
      fc.property(layers, fc.nat(), bad, fc.array(bad.map(([s]) => s), { maxLength: 2 }), fc.constantFrom('generator', 'discriminator'), (good, at, [item, message], later, name) => {
        const p = at % (good.length + 1)
        const items = [...good.map((l) => layerListText([l])).slice(0, p), item, ...later, ...good.map((l) => layerListText([l])).slice(p)]
        expect(parseLayerList(name, items.join(','))).toEqual({ problem: `--${name}: layer ${p + 1} ${message}` })
      }),
    )
  })

  it('a long layer is quoted by its first 100 characters', () => {
    const long = 'q'.repeat(150)
    expect(parseLayerList('generator', `2,${long}`)).toEqual({ problem: `--generator: layer 2 must be ${form}, got "${'q'.repeat(100)}..."` })
  })
})
