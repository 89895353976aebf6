/**
 * The layer lists of `pure-gan train --generator LAYERS` and `--discriminator LAYERS`: the
 * layers of a network in order, separated by commas, each one of
 *
 * - `UNITS[:ACTIVATION]`: a dense layer of UNITS units; ACTIVATION one of `identity`, `tanh`,
 *   `sigmoid`, `relu`, `leakyRelu@SLOPE` (the slope a number, `leakyRelu@0.2`), the identity
 *   when left out;
 * - `maxoutUNITSxPIECES`: a maxout layer of UNITS units with PIECES pieces each (its
 *   activation is the identity), `maxout240x5`.
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
export const LAYER_LIST_FORM = 'comma-separated layers, each UNITS[:ACTIVATION] or maxoutUNITSxPIECES (see below)'

/** The grammar of a layer list in full, with examples: the paragraph of `--help` (lines of at most 94 characters). */
export const LAYER_LIST_HELP: ReadonlyArray<string> = [
  'Layer lists (--generator, --discriminator) name a network\'s layers in order, separated by',
  'commas: UNITS[:ACTIVATION] is a dense layer of UNITS units (ACTIVATION one of identity, tanh,',
  `sigmoid, relu, leakyRelu@SLOPE with SLOPE in [0, 1); identity when left out), maxoutUNITSxPIECES`,
  `a maxout layer of UNITS units of PIECES pieces each (2..${MAX_MAXOUT_PIECES}). So --generator 256:relu,256:relu,2`,
  'is two relu layers of 256 units and a linear one of 2, and --discriminator',
  'maxout240x5,maxout240x5,1 two maxout layers of 240 units of 5 pieces and a linear logit. A bad',
  'layer is named by its position (1 for the first).',
]

const MAX_UNITS = 100_000
const DENSE = /^(\d+)(?::(identity|tanh|sigmoid|relu|leakyRelu@([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)))?$/
const MAXOUT = /^maxout(\d+)x(\d+)$/

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
    const dense = DENSE.exec(item)
    const max = dense === null ? MAXOUT.exec(item) : null
    if (dense === null && max === null) return { problem: `${at} must be UNITS[:ACTIVATION] (${ACTIVATIONS}) or maxoutUNITSxPIECES, got ${quoted(item)}` }
    const units = integerIn((dense ?? max)![1]!, 1, MAX_UNITS)
    if (units === undefined) return { problem: `${at} must have units in 1..${MAX_UNITS}, got ${quoted(item)}` }
    if (max !== null) {
      const pieces = integerIn(max[2]!, 2, MAX_MAXOUT_PIECES)
      if (pieces === undefined) return { problem: `${at} must have pieces in 2..${MAX_MAXOUT_PIECES}, got ${quoted(item)}` }
      layers.push({ kind: 'maxout', units, pieces, activation: { kind: 'identity' } })
      continue
    }
    const activation = dense![2] ?? 'identity'
    if (dense![3] !== undefined) {
      const alpha = Number(dense![3])
      if (!(Number.isFinite(alpha) && alpha >= 0 && alpha < 1)) return { problem: `${at} must have a leakyRelu slope in [0, 1), got ${quoted(item)}` }
      // -0 is read as 0, as validateConfig reads it
      layers.push({ units, activation: { kind: 'leakyRelu', alpha: alpha === 0 ? 0 : alpha } })
    } else layers.push({ units, activation: { kind: activation } as Activation })
  }
  return { layers }
}

/**
 * A network's layers as a layer list (`--help` shows the seed's this way): `UNITS` for a dense
 * layer with the identity, `UNITS:KIND` with another activation (`UNITS:leakyRelu@SLOPE`, the
 * slope as JavaScript prints it), `maxoutUNITSxPIECES`. Every list {@link parseLayerList}
 * accepts comes back as itself but for spelling (`2:identity` as `2`, `leakyRelu@.50` as
 * `leakyRelu@0.5`).
 */
export const layerListText = (layers: ReadonlyArray<LayerSpec>): string =>
  layers
    .map((l) => {
      if (l.kind === 'maxout') return `maxout${l.units}x${l.pieces}`
      const a = l.activation
      return a.kind === 'identity' ? `${l.units}` : a.kind === 'leakyRelu' ? `${l.units}:leakyRelu@${a.alpha}` : `${l.units}:${a.kind}`
    })
    .join(',')
