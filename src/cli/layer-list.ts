/**
 * The layer lists of `pure-gan train --generator LAYERS` and `--discriminator LAYERS`: the
 * layers of a network in order, separated by commas, each one of
 *
 * - `UNITS[:ACTIVATION]`: a dense layer of UNITS units; ACTIVATION one of `identity`, `tanh`,
 *   `sigmoid`, `relu`, `leakyRelu@SLOPE` (the slope a number, `leakyRelu@0.2`), the identity
 *   when left out;
 * - `maxoutUNITSxPIECES`: a maxout layer of UNITS units with PIECES pieces each (its
 *   activation is the identity), `maxout240x5`;
 * - `bn[UNITS][:ACTIVATION]`: a batch normalisation layer (momentum 0.1, epsilon 1e-5; others
 *   through `--config`) followed by ACTIVATION; its width is its input's: UNITS may be left out
 *   after another layer (the previous layer's units), and the first layer must give it
 *   (the noise's width, `latentDim`), `256,bn:relu,2`.
 *
 * UNITS and PIECES are decimal digits; nothing else is allowed (no spaces, no empty layer, no
 * activation on a maxout layer). So `256:relu,256:relu,2` is two relu layers of 256 and a
 * linear layer of 2, and `maxout240x5,maxout240x5,1` two maxout layers of 240 units and 5 pieces
 * and a linear logit (the issue's example). The ranges are the config's: UNITS 1..100000,
 * PIECES 2..64, SLOPE in [0, 1); what the network as a whole must be (the last layer's width,
 * D's logit, the limits) is `validateConfig`'s to say.
 *
 * @module
 */
import type { Activation } from '../nn/activation.js'
import type { LayerSpec } from '../nn/network.js'
import { MAX_MAXOUT_PIECES } from '../gan/config.js'

/** What ACTIVATION may be, in words. */
const ACTIVATIONS = 'ACTIVATION one of identity, tanh, sigmoid, relu, leakyRelu@SLOPE; identity when left out'

/** A layer list's form in a few words, as `--help` shows it for each flag. */
export const LAYER_LIST_FORM = 'comma-separated layers, each UNITS[:ACTIVATION], maxoutUNITSxPIECES or bn[UNITS][:ACTIVATION] (see below)'

/** The grammar of a layer list in full, with examples: the paragraph of `--help` (lines of at most 94 characters). */
export const LAYER_LIST_HELP: ReadonlyArray<string> = [
  'Layer lists (--generator, --discriminator) name a network\'s layers in order, separated by',
  'commas: UNITS[:ACTIVATION] is a dense layer of UNITS units (ACTIVATION one of identity, tanh,',
  `sigmoid, relu, leakyRelu@SLOPE with SLOPE in [0, 1); identity when left out), maxoutUNITSxPIECES`,
  `a maxout layer of UNITS units of PIECES pieces each (2..${MAX_MAXOUT_PIECES}). So --generator 256:relu,256:relu,2`,
  'is two relu layers of 256 units and a linear one of 2, and --discriminator',
  'maxout240x5,maxout240x5,1 two maxout layers of 240 units of 5 pieces and a linear logit.',
  'bn[UNITS][:ACTIVATION] is a batch normalisation layer (the generator\'s only; momentum 0.1,',
  'epsilon 1e-5, others through --config) as wide as its input, then ACTIVATION: --generator',
  '256,bn:relu,2 normalises the 256 units before their relu; a first layer gives its width,',
  'bn2:relu for a noise of 2. A bad layer is named by its position (1 for the first).',
]

const MAX_UNITS = 100_000
const DENSE = /^(\d+)(?::(identity|tanh|sigmoid|relu|leakyRelu@([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)))?$/
const MAXOUT = /^maxout(\d+)x(\d+)$/
const BATCHNORM = /^bn(\d*)(?::(identity|tanh|sigmoid|relu|leakyRelu@([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)))?$/

/** A piece of the list as a message quotes it: JSON, cut after 100 characters. */
const quoted = (text: string): string => JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}...` : text)

/** `text` as an integer in `min..max`, or undefined (digits only: `text` matched `\d+`). */
const integerIn = (text: string, min: number, max: number): number | undefined => {
  const n = Number(text)
  return n >= min && n <= max ? n : undefined
}

/**
 * The layers of a list, or the message of its first bad layer, naming the flag, the layer's
 * 1-based position and what is allowed there:
 *
 * - `--generator: layer 2 must be UNITS[:ACTIVATION] (ACTIVATION one of ...) or
 *   maxoutUNITSxPIECES, got "256:foo"`
 * - `--discriminator: layer 1 must have units in 1..100000, got "0"`
 * - `--discriminator: layer 2 must have pieces in 2..64, got "maxout240x1"`
 * - `--generator: layer 1 must have a leakyRelu slope in [0, 1), got "8:leakyRelu@1.5"`
 */
export const parseLayerList = (flag: string, text: string): { readonly layers: ReadonlyArray<LayerSpec> } | { readonly problem: string } => {
  const layers: LayerSpec[] = []
  const items = text.split(',')
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    const at = `--${flag}: layer ${i + 1}`
    const bn = BATCHNORM.exec(item)
    if (bn !== null) {
      const previous = layers[layers.length - 1]
      if (bn[1] === '' && previous === undefined) return { problem: `${at} is a batch normalisation layer, which must give its width as the first layer: bnUNITS (the noise's width), got ${quoted(item)}` }
      const units = bn[1] === '' ? previous!.units : integerIn(bn[1]!, 1, MAX_UNITS)
      if (units === undefined) return { problem: `${at} must have units in 1..${MAX_UNITS}, got ${quoted(item)}` }
      const activation = activationOf(bn[2], bn[3])
      if (activation === undefined) return { problem: `${at} must have a leakyRelu slope in [0, 1), got ${quoted(item)}` }
      layers.push({ kind: 'batchnorm', units, activation })
      continue
    }
    const dense = DENSE.exec(item)
    const max = dense === null ? MAXOUT.exec(item) : null
    if (dense === null && max === null) return { problem: `${at} must be UNITS[:ACTIVATION] (${ACTIVATIONS}), maxoutUNITSxPIECES or bn[UNITS][:ACTIVATION], got ${quoted(item)}` }
    const units = integerIn((dense ?? max)![1]!, 1, MAX_UNITS)
    if (units === undefined) return { problem: `${at} must have units in 1..${MAX_UNITS}, got ${quoted(item)}` }
    if (max !== null) {
      const pieces = integerIn(max[2]!, 2, MAX_MAXOUT_PIECES)
      if (pieces === undefined) return { problem: `${at} must have pieces in 2..${MAX_MAXOUT_PIECES}, got ${quoted(item)}` }
      layers.push({ kind: 'maxout', units, pieces, activation: { kind: 'identity' } })
      continue
    }
    const activation = activationOf(dense![2], dense![3])
    if (activation === undefined) return { problem: `${at} must have a leakyRelu slope in [0, 1), got ${quoted(item)}` }
    layers.push({ units, activation })
  }
  return { layers }
}

/**
 * The activation a layer's `:ACTIVATION` names (`name`, with `slope` the text after
 * `leakyRelu@`), the identity when there is none; undefined for a slope outside `[0, 1)`.
 * A slope of -0 is read as 0, as validateConfig reads it.
 */
const activationOf = (name: string | undefined, slope: string | undefined): Activation | undefined => {
  if (slope === undefined) return { kind: name ?? 'identity' } as Activation
  const alpha = Number(slope)
  if (!(Number.isFinite(alpha) && alpha >= 0 && alpha < 1)) return undefined
  return { kind: 'leakyRelu', alpha: alpha === 0 ? 0 : alpha }
}

/**
 * A network's layers as a layer list (`--help` shows the seed's this way): `UNITS` for a dense
 * layer with the identity, `UNITS:KIND` with another activation (`UNITS:leakyRelu@SLOPE`, the
 * slope as JavaScript prints it), `maxoutUNITSxPIECES`, `bnUNITS[:KIND]` (its width always
 * written; its momentum and epsilon are not: the list says the layers, `--config` the rest). Every list {@link parseLayerList}
 * accepts comes back as itself but for spelling (`2:identity` as `2`, `leakyRelu@.50` as
 * `leakyRelu@0.5`).
 */
export const layerListText = (layers: ReadonlyArray<LayerSpec>): string =>
  layers
    .map((l) => {
      if (l.kind === 'maxout') return `maxout${l.units}x${l.pieces}`
      const a = l.activation
      const head = l.kind === 'batchnorm' ? `bn${l.units}` : `${l.units}`
      return a.kind === 'identity' ? head : a.kind === 'leakyRelu' ? `${head}:leakyRelu@${a.alpha}` : `${head}:${a.kind}`
    })
    .join(',')
