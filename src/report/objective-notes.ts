/**
 * What the report may say about a run's losses and D's output, objective by objective
 * (docs/objectives.md): the reference levels of the loss plot and the captions. Only claims
 * that hold for the run's objective: ln 2 is the equilibrium of the non-saturating game
 * alone.
 *
 * @module
 */
import type { GanConfig } from '../gan/config.js'
import type { LossReference } from './loss-plot.js'

/** The objective's kind and options as the record holds them (`nonsaturating` when absent). */
const recordedObjective = (config: GanConfig): { readonly kind: unknown; readonly [option: string]: unknown } => {
  const o = (config as { readonly objective?: unknown }).objective
  return o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as { kind: unknown }) : { kind: o === undefined ? 'nonsaturating' : o }
}

/** A number for a caption: 3 significant digits, a true minus sign. */
const short = (v: number): string => String(Number(v.toPrecision(3))).replace(/^-/, '\u2212')

/** The least-squares labels of the config, the paper's 0-1 coding where one is not a number. */
const labelsOf = (o: { readonly [option: string]: unknown }): { readonly a: number; readonly b: number; readonly c: number } => {
  const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d)
  return { a: num(o['a'], 0), b: num(o['b'], 1), c: num(o['c'], 1) }
}

/**
 * The loss plot's reference levels for `config`'s objective: where the losses sit when D can
 * no longer tell real from generated data.
 *
 * - `nonsaturating` (and a config without `objective`): ln 2 for both.
 * - `minimax`: ln 2 for D; G's loss `log(1 − σ(o))` is −ln 2 there.
 * - `least-squares` (labels a, b, c): D's best constant output is (a + b)/2, where D's loss
 *   is (b − a)²/4 and G's is ½((a + b)/2 − c)² (one line when they coincide).
 * - `hinge`: 2, D's loss for any equal outputs in [−1, 1] (G's loss has no fixed level).
 * - `wasserstein`, `wasserstein-gp`: 0, which D's loss (minus the estimated Wasserstein
 *   distance) approaches from below as the distributions meet.
 * - anything else: none.
 *
 * @example
 * import { lossReferences, seedConfig } from 'pure-gan'
 * lossReferences(seedConfig).map((r) => r.label) // ['ln 2']
 * lossReferences({ ...seedConfig, objective: { kind: 'least-squares', a: 0, b: 1, c: 1 } }) // [{ label: '0.25', value: 0.25 }, { label: '0.125', value: 0.125 }]
 *
 * @category plots
 * @since 0.3.0
 */
export const lossReferences = (config: GanConfig): ReadonlyArray<LossReference> => {
  const o = recordedObjective(config)
  switch (o.kind) {
    case 'nonsaturating':
      return [{ label: 'ln 2', value: Math.LN2 }]
    case 'minimax':
      return [
        { label: 'ln 2', value: Math.LN2 },
        { label: '\u2212ln 2', value: -Math.LN2 },
      ]
    case 'least-squares': {
      const { a, b, c } = labelsOf(o)
      const d = ((b - a) * (b - a)) / 4
      const g = (((a + b) / 2 - c) * ((a + b) / 2 - c)) / 2
      const levels = [d, ...(g === d ? [] : [g])].filter((v) => Number.isFinite(v))
      return levels.map((value) => ({ label: short(value), value }))
    }
    case 'hinge':
      return [{ label: '2', value: 2 }]
    case 'wasserstein':
    case 'wasserstein-gp':
      return [{ label: '0', value: 0 }]
    default:
      return []
  }
}

/**
 * The loss plot's caption for `config`'s objective: what the curves approach, if anything.
 *
 * @internal
 */
export const lossCaption = (config: GanConfig): string => {
  const o = recordedObjective(config)
  const head = 'Mean loss per example in each epoch.'
  const cannotTell = 'when the discriminator can no longer tell real from generated data'
  const penalty = (config as { readonly penalty?: unknown }).penalty === undefined ? '' : " The discriminator's loss includes the R1 penalty."
  switch (o.kind) {
    case 'nonsaturating':
      return `${head} Both approach ln 2 ${cannotTell} (D(x) = 0 everywhere).${penalty}`
    case 'minimax':
      return `${head} ${cannotTell[0]!.toUpperCase()}${cannotTell.slice(1)} (D(x) = 0 everywhere), its loss is ln 2 and the generator's minimax loss log(1 \u2212 \u03c3(D(G(z)))) is \u2212ln 2.${penalty}`
    case 'least-squares': {
      const { a, b, c } = labelsOf(o)
      const mid = (a + b) / 2
      return (
        `${head} ${cannotTell[0]!.toUpperCase()}${cannotTell.slice(1)}, its best output is the constant (a + b)/2 = ${short(mid)}, ` +
        `where its loss is (b \u2212 a)\u00b2/4 = ${short(((b - a) * (b - a)) / 4)} and the generator's \u00bd((a + b)/2 \u2212 c)\u00b2 = ${short(((mid - c) * (mid - c)) / 2)} ` +
        `(labels a = ${short(a)}, b = ${short(b)}, c = ${short(c)}).${penalty}`
      )
    }
    case 'hinge':
      return `${head} The discriminator's hinge loss is 2 ${cannotTell} and gives both the same output in [\u22121, 1]; the generator's loss \u2212D(G(z)) has no fixed level.${penalty}`
    case 'wasserstein':
    case 'wasserstein-gp': {
      const generator = `The generator's loss \u2212D(G(z)) has no fixed level: adding a constant to the critic changes nothing.${penalty}`
      if (o.kind === 'wasserstein') {
        return `${head} The critic's loss, mean D(generated) \u2212 mean D(real), is the negative of its estimate of the Wasserstein distance: it rises towards 0 as the two distributions meet. ${generator}`
      }
      const lambda = typeof o['lambda'] === 'number' ? short(o['lambda']) : '\u03bb'
      return (
        `${head} The critic's loss has two parts: mean D(generated) \u2212 mean D(real), the negative of its estimate of the Wasserstein distance, which rises towards 0 as the two distributions meet; ` +
        `and the gradient penalty, which is \u03bb = ${lambda} per example while the critic is flat (as at the start). ${generator}`
      )
    }
    default:
      return `${head}${penalty}`
  }
}

/**
 * What the heat map's colours mean for `config`'s objective, one sentence.
 *
 * @internal
 */
export const criticMeaning = (config: GanConfig): string => {
  const o = recordedObjective(config)
  switch (o.kind) {
    case 'nonsaturating':
    case 'minimax':
      return 'D(x) is the logit of D\u2019s belief that x is real: red where D takes x for real, blue where it takes x for generated.'
    case 'least-squares': {
      const { a, b } = labelsOf(o)
      return `D is regressed towards b = ${short(b)} on real points and a = ${short(a)} on generated ones; the colours stay centred at 0, not at (a + b)/2 = ${short((a + b) / 2)}.`
    }
    case 'hinge':
      return 'D is pushed above 1 on real points and below \u22121 on generated ones.'
    case 'wasserstein':
    case 'wasserstein-gp':
      return 'The critic is higher on real points than on generated ones; only its differences matter, so where white falls (its level) is arbitrary.'
    default:
      return ''
  }
}
