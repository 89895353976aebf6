/**
 * src/kernels/gradient-penalty.ts: the gradient penalties (WGAN-GP's λ·Σ(‖g_i‖ − c)², R1's
 * (γ/2)·Σ‖g_i‖²) and their parameter gradients by double backpropagation
 * (docs/gradients.md, "Gradient penalties (double backpropagation)").
 *
 * - the input gradient g the kernel leaves in its plan equals central differences of
 *   Σ D(x) with respect to x;
 * - ∂P/∂θ (every W_l, b_l) and ∂P/∂x equal central differences of the penalty P itself;
 * - P equals a literal per-row scalar transcription (plain arrays, Math.tanh and Math.exp)
 *   within a tolerance derived from the magnitudes of the summed terms;
 * - the kernel adds: a gradient (and input-gradient) view that is not zero on entry gets
 *   exactly its entry plus ∂P/∂θ, one rounding per entry;
 * - the g = 0 convention (ḡ = 0, so no NaN) and exact values of both penalties on small cases;
 * - the second derivatives of the activations (the injection ι) against central differences
 *   of f';
 * - it writes nothing outside its workspace stretch and its gradient stretches, reads nothing
 *   in its workspace before writing it, and leaves its inputs unchanged;
 * - larger networks (the blocked product paths): P against the transcription, and a random
 *   directional derivative of P against its central difference.
 *
 * Kinks: relu and leaky relu make g piecewise smooth in θ and x (their f' jumps at 0), so a
 * central difference is valid only when no relu or leaky-relu pre-activation changes sign
 * between x − h and x + h. Cases are drawn with every such |z| > KINK_MARGIN (`fc.pre`), and
 * each perturbed point whose sign pattern differs from the base point's is discarded
 * (`fc.pre` inside the difference quotient).
 *
 * The cone: WGAN-GP's φ(‖g‖) = λ‖g‖² − 2λc·‖g‖ + λc² is not differentiable at g = 0, and near
 * it ‖g‖'s third derivative is large, so a central difference is valid only where the step
 * moves each g_i by little compared with ‖g_i‖. Along a step that moves g_i by Δ_i = h·V from
 * ‖g_i‖ = r_i, |d³‖g_i‖/dθ³| ≤ (2/√3)·V³/r_i² (the maximum over the angle between g_i and
 * its change), so the difference quotient's truncation error from the −2λc·‖g‖ part is at
 * most Σ_i (h²/6)·2λc·(2/√3)·V³/r_i² = Σ_i CONE·λc·Δ_i³/(h·r_i²), CONE = 2/(3√3). A perturbed
 * point is discarded when that bound exceeds FD_ATOL/10 or some Δ_i > r_i/10 (where the
 * bound's Taylor estimate holds); a row with g_i = 0 is kept only while g_i stays exactly 0
 * (a dead relu row: its term is the constant λc²). Whether the kernel's convention at g = 0
 * is right is checked apart, on cases where it is exactly what a difference measures.
 *
 * Maxout: hidden layers (and sometimes the last) are drawn as maxout layers of 2..3 pieces
 * half the time. The max is piecewise linear: g is piecewise constant in the winners, so,
 * as at relu's kink, a case is drawn only when every unit's two largest pieces differ by
 * more than KINK_MARGIN, and a perturbed point at which some winner changed is discarded.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, fromFlat, toFlat } from '../../src/matrix/index.js'
import { type Activation, activate, activationBackward, identity, leakyRelu, relu, sigmoid, tanh } from '../../src/nn/activation.js'
import { type NetworkParams, type NetworkSpec, forward, predict } from '../../src/nn/network.js'
import {
  type GradientPenalty,
  type GradientPenaltyPlan,
  gradientPenaltyInto,
  gradientPenaltyPlan,
  gradientPenaltySize,
  injectionInto,
} from '../../src/kernels/gradient-penalty.js'
import { columnsOf, paramCount } from '../../src/kernels/network.js'
import type { LayerSpec } from '../../src/nn/network.js'
import { maxoutPattern, winnersOf } from '../support/maxout-reference.js'
import { dim } from '../support/arbitraries.js'
import { expectGradientClose, FD_ATOL, FD_RTOL } from '../support/gradient-check.js'
import { KINK_MARGIN, spreadDouble, spreadPool } from '../support/network-arbitraries.js'

/** A random critic-like network, its parameters (leaf order, flat), rows and a penalty. */
interface Case {
  readonly spec: NetworkSpec
  readonly rows: number
  readonly params: number[]
  readonly x: number[]
  readonly penalty: GradientPenalty
}

/**
 * Every activation, leaky relu with a random slope of either sign; tanh and sigmoid (the two
 * with a second derivative, hence an injection ι) twice as often as the others.
 */
const anyActivation: fc.Arbitrary<Activation> = fc.oneof(
  fc.constant(identity),
  { weight: 2, arbitrary: fc.constant(tanh) },
  { weight: 2, arbitrary: fc.constant(sigmoid) },
  fc.constant(relu),
  fc.double({ min: -1, max: 1, noNaN: true }).map((a) => leakyRelu(a)),
)

const penaltyArb: fc.Arbitrary<GradientPenalty> = fc.oneof(
  fc.record({
    kind: fc.constant('wasserstein-gp' as const),
    weight: fc.double({ min: 0.1, max: 10, noNaN: true }),
    target: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 2, noNaN: true })),
  }),
  fc.record({ kind: fc.constant('r1' as const), weight: fc.double({ min: 0.1, max: 10, noNaN: true }) }),
)

const MAX_W = 5
const MAX_ROWS = 4
/** The most pieces of a drawn maxout layer. */
const MAX_PIECES = 3

/** A dense layer of `units` with any activation, or (as often) a maxout layer of 2..MAX_PIECES pieces. */
const layerArb = (units: fc.Arbitrary<number>): fc.Arbitrary<LayerSpec> =>
  fc.oneof(
    fc.record({ units, activation: anyActivation }),
    fc.record({ kind: fc.constant('maxout' as const), units, pieces: dim(2, MAX_PIECES), activation: fc.constant(identity) }),
  )

/**
 * 1–3 layers of widths 1–5, dense or maxout; the last is mostly the critic's (1 unit,
 * identity), sometimes any (the derivation does not depend on it); rows 1–4; parameters in
 * [-2, 2], inputs in [-3, 3].
 */
const caseArb = (maxDepth = 3, maxWidth = MAX_W, maxRows = MAX_ROWS): fc.Arbitrary<Case> =>
  fc
    .record({
      inputSize: dim(1, maxWidth),
      hidden: fc.array(layerArb(dim(1, maxWidth)), { minLength: 0, maxLength: maxDepth - 1 }),
      last: fc.oneof(
        { weight: 3, arbitrary: fc.constant<LayerSpec>({ units: 1, activation: identity as Activation }) },
        { weight: 1, arbitrary: layerArb(dim(1, 3)) },
      ),
      rows: dim(1, maxRows),
      ps: spreadPool(maxDepth * (maxWidth * maxWidth + maxWidth) * MAX_PIECES, 2),
      xs: spreadPool(maxRows * maxWidth, 3),
      penalty: penaltyArb,
    })
    .map(({ inputSize, hidden, last, rows, ps, xs, penalty }) => {
      const spec: NetworkSpec = { inputSize, layers: [...hidden, last] }
      return { spec, rows, params: ps.slice(0, paramCount(spec.layers, inputSize)), x: xs.slice(0, rows * inputSize), penalty }
    })

// ------------------------------------------------------------------------------------------
// running the kernel
// ------------------------------------------------------------------------------------------

interface Run {
  readonly P: number
  readonly g: number[]
  readonly grads: number[]
  readonly dInput: number[]
}

/** The kernel on fresh buffers: P, g, and ∂P/∂θ and ∂P/∂x added to zeros. */
const run = (c: Case, params: ReadonlyArray<number> = c.params, x: ReadonlyArray<number> = c.x): Run => {
  const ws = new Float64Array(gradientPenaltySize(c.spec, c.rows))
  const plan = gradientPenaltyPlan(c.spec, c.rows, { data: ws, off: 0 })
  const grads = new Float64Array(params.length)
  const dInput = new Float64Array(x.length)
  const P = gradientPenaltyInto(plan, c.penalty, { data: Float64Array.from(params), off: 0 }, { data: Float64Array.from(x), off: 0 }, { data: grads, off: 0 }, { data: dInput, off: 0 })
  const g = Array.from(ws.subarray(plan.inputGrad.off, plan.inputGrad.off + x.length))
  return { P, g, grads: Array.from(grads), dInput: Array.from(dInput) }
}

/** P and g alone (no gradient asked for). */
const evaluate = (c: Case, params: ReadonlyArray<number>, x: ReadonlyArray<number>): { P: number; g: number[] } => {
  const ws = new Float64Array(gradientPenaltySize(c.spec, c.rows))
  const plan = gradientPenaltyPlan(c.spec, c.rows, { data: ws, off: 0 })
  const P = gradientPenaltyInto(plan, c.penalty, { data: Float64Array.from(params), off: 0 }, { data: Float64Array.from(x), off: 0 }, null, null)
  return { P, g: Array.from(ws.subarray(plan.inputGrad.off, plan.inputGrad.off + x.length)) }
}
const penaltyOf = (c: Case, params: ReadonlyArray<number>, x: ReadonlyArray<number>): number => evaluate(c, params, x).P

/** The flat block as the checked network's parameter records (W (d x c), b (1 x c), c = units·pieces for maxout). */
const networkParams = (spec: NetworkSpec, flat: ReadonlyArray<number>): NetworkParams => {
  let off = 0
  let d = spec.inputSize
  return spec.layers.map((layer) => {
    const c = columnsOf(layer)
    const W = fromFlat(d, c, flat.slice(off, off + d * c))
    const b = fromFlat(1, c, flat.slice(off + d * c, off + d * c + c))
    off += d * c + c
    d = layer.units
    return { W, b }
  })
}

/** Where each leaf lies in the flat block: [offset, rows, cols]. */
const leaves = (spec: NetworkSpec): Array<[number, number, number]> => {
  const out: Array<[number, number, number]> = []
  let off = 0
  let d = spec.inputSize
  for (const layer of spec.layers) {
    const c = columnsOf(layer)
    out.push([off, d, c], [off + d * c, 1, c])
    off += d * c + c
    d = layer.units
  }
  return out
}

const isKinked = (a: Activation): boolean => a.kind === 'relu' || a.kind === 'leakyRelu'

/** The signs (z > 0) of every relu and leaky-relu pre-activation, and every maxout layer's winners, as one string. */
const kinkPattern = (spec: NetworkSpec, params: ReadonlyArray<number>, x: ReadonlyArray<number>, rows: number): string => {
  const { cache } = forward(spec, networkParams(spec, params), fromFlat(rows, spec.inputSize, x))
  const signs = cache
    .map((layer, l) => (spec.layers[l]!.kind !== 'maxout' && isKinked(spec.layers[l]!.activation) ? Array.from(layer.preActivation.data, (z) => (z > 0 ? '+' : '-')).join('') : ''))
    .join('|')
  return `${signs}/${maxoutPattern(spec, cache)}`
}

/** The smallest gap between the two largest of each run of `k` values. */
const smallestGap = (z: ReadonlyArray<number>, k: number): number => {
  let gap = Infinity
  for (let u = 0; u < z.length; u += k) {
    const sorted = z.slice(u, u + k).sort((a, b) => b - a)
    gap = Math.min(gap, sorted[0]! - sorted[1]!)
  }
  return gap
}

/** True when every relu and leaky-relu pre-activation has |z| > KINK_MARGIN, and every maxout unit's two largest pieces differ by more. */
const awayFromKinks = (c: Case): boolean => {
  const { cache } = forward(c.spec, networkParams(c.spec, c.params), fromFlat(c.rows, c.spec.inputSize, c.x))
  return cache.every((layer, l) => {
    const s = c.spec.layers[l]!
    const z = Array.from(layer.preActivation.data)
    if (s.kind === 'maxout') return smallestGap(z, s.pieces) > KINK_MARGIN
    return !isKinked(s.activation) || z.every((v) => Math.abs(v) > KINK_MARGIN)
  })
}

/** The norms ‖g_i‖ of the rows of g. */
const rowNorms = (g: ReadonlyArray<number>, rows: number, width: number): number[] =>
  Array.from({ length: rows }, (_, i) => Math.sqrt(g.slice(i * width, (i + 1) * width).reduce((s, v) => s + v * v, 0)))

/** (h²/6)·2·(2/√3), the truncation-error constant of a central difference near ‖g‖'s cone. */
const CONE = 2 / (3 * Math.sqrt(3))

/**
 * True when a central difference with step `h` that moves the input gradient from `g0` to `g1`
 * stays clear of the cone of WGAN-GP's ‖g_i‖ (module comment): Σ_i CONE·λc·Δ_i³/(h·r_i²) ≤
 * FD_ATOL/10 and every Δ_i ≤ r_i/10, rows with g_i = 0 staying exactly 0. R1, and WGAN-GP with
 * c = 0, are smooth in g: always true.
 */
const clearOfCone = (c: Case, g0: ReadonlyArray<number>, g1: ReadonlyArray<number>, h: number): boolean => {
  if (c.penalty.kind === 'r1' || c.penalty.target === 0) return true
  const width = c.spec.inputSize
  const r0 = rowNorms(g0, c.rows, width)
  const r1 = rowNorms(g1, c.rows, width)
  const moved = rowNorms(g1.map((v, e) => v - g0[e]!), c.rows, width)
  let bound = 0
  for (let i = 0; i < c.rows; i++) {
    if (r0[i] === 0) {
      if (r1[i] !== 0) return false
    } else {
      if (moved[i]! > r0[i]! / 10) return false
      bound += (CONE * c.penalty.weight * c.penalty.target * moved[i]! ** 3) / (h * r0[i]! ** 2)
    }
  }
  return bound <= FD_ATOL / 10
}

/** The largest |a_e − b_e|: the step of a central difference from its base point. */
const stepOf = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): number => a.reduce((m, v, e) => Math.max(m, Math.abs(v - b[e]!)), 0)

// ------------------------------------------------------------------------------------------
// the literal transcription
// ------------------------------------------------------------------------------------------

const f = (a: Activation, z: number): number => {
  switch (a.kind) {
    case 'identity':
      return z
    case 'tanh':
      return Math.tanh(z)
    case 'sigmoid':
      return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))
    case 'relu':
      return z > 0 ? z : 0
    case 'leakyRelu':
      return z > 0 ? z : a.alpha * z
  }
}
const fPrime = (a: Activation, z: number, y: number): number => {
  switch (a.kind) {
    case 'identity':
      return 1
    case 'tanh':
      return 1 - y * y
    case 'sigmoid':
      return y * (1 - y)
    case 'relu':
      return z > 0 ? 1 : 0
    case 'leakyRelu':
      return z > 0 ? 1 : a.alpha
  }
}
/** A bound on |f'| and on the terms it is computed from. */
const fPrimeBound = (a: Activation): number => (a.kind === 'leakyRelu' ? Math.max(1, Math.abs(a.alpha)) : 1)

/**
 * P row by row in plain arrays: W as nested arrays, each row's forward pass, its backward
 * pass from δ = 1, r = ‖g‖, φ(r). Also the scale of the rounding error: the same backward
 * pass with |W| and a bound on |f'| bounds every summed term of g.
 */
const literal = (c: Case): { P: number; scale: number } => {
  const { spec, penalty } = c
  const Ws: number[][][] = []
  const bs: number[][] = []
  let off = 0
  let d = spec.inputSize
  for (const layer of spec.layers) {
    const cols = columnsOf(layer)
    Ws.push(Array.from({ length: d }, (_, k) => Array.from({ length: cols }, (_, j) => c.params[off + k * cols + j]!)))
    bs.push(c.params.slice(off + d * cols, off + d * cols + cols))
    off += d * cols + cols
    d = layer.units
  }
  /** A layer's column per unit in this row: j for a dense layer, its winning piece's for maxout. */
  const columns: number[][] = []
  let P = 0
  let scale = 0
  for (let i = 0; i < c.rows; i++) {
    const zs: number[][] = []
    const ys: number[][] = []
    let a = c.x.slice(i * spec.inputSize, (i + 1) * spec.inputSize)
    spec.layers.forEach((layer, l) => {
      const cols = columnsOf(layer)
      const z = Array.from({ length: cols }, (_, j) => bs[l]![j]! + a.reduce((s, ak, k) => s + ak * Ws[l]![k]![j]!, 0))
      if (layer.kind === 'maxout') {
        const win = winnersOf(z, layer.pieces)
        columns[l] = win.map((p, j) => j * layer.pieces + p)
        const y = columns[l]!.map((col) => z[col]!)
        zs.push(y)
        a = y
      } else {
        columns[l] = z.map((_, j) => j)
        zs.push(z)
        a = z.map((v) => f(layer.activation, v))
      }
      ys.push(a)
    })
    let delta = new Array<number>(spec.layers[spec.layers.length - 1]!.units).fill(1)
    let bound = delta.slice()
    for (let l = spec.layers.length - 1; l >= 0; l--) {
      const act = spec.layers[l]!.activation
      const dz = delta.map((v, j) => v * fPrime(act, zs[l]![j]!, ys[l]![j]!))
      const dzBound = bound.map((v) => v * fPrimeBound(act))
      const col = columns[l]!
      delta = Ws[l]!.map((row) => dz.reduce((s, v, j) => s + v * row[col[j]!]!, 0))
      bound = Ws[l]!.map((row) => dzBound.reduce((s, v, j) => s + v * Math.abs(row[col[j]!]!), 0))
    }
    const r = Math.sqrt(delta.reduce((s, v) => s + v * v, 0))
    const rBound = Math.sqrt(bound.reduce((s, v) => s + v * v, 0))
    if (penalty.kind === 'r1') {
      P += (penalty.weight / 2) * r * r
      scale += (penalty.weight / 2) * rBound * rBound
    } else {
      P += penalty.weight * (r - penalty.target) * (r - penalty.target)
      scale += penalty.weight * (rBound + penalty.target) * (rBound + penalty.target)
    }
  }
  return { P, scale }
}

// ------------------------------------------------------------------------------------------
// properties
// ------------------------------------------------------------------------------------------

describe('the input gradient', () => {
  it('g (plan.inputGrad) equals central differences of Σ D(x) with respect to x', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        fc.pre(awayFromKinks(c))
        const base = kinkPattern(c.spec, c.params, c.x, c.rows)
        const params = networkParams(c.spec, c.params)
        const sumOut = (x: Matrix): number => {
          fc.pre(kinkPattern(c.spec, c.params, toFlat(x), c.rows) === base)
          return toFlat(predict(c.spec, params, x)).reduce((s, v) => s + v, 0)
        }
        expectGradientClose('g', sumOut, fromFlat(c.rows, c.spec.inputSize, c.x), fromFlat(c.rows, c.spec.inputSize, run(c).g))
      }),
    )
  })
})

describe('the penalty and its gradients', () => {
  it('∂P/∂θ equals central differences of P for every W_l and b_l', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        const got = run(c)
        fc.pre(awayFromKinks(c))
        const base = kinkPattern(c.spec, c.params, c.x, c.rows)
        for (const [off, r, k] of leaves(c.spec)) {
          const P = (leaf: Matrix): number => {
            const params = c.params.slice()
            toFlat(leaf).forEach((v, e) => (params[off + e] = v))
            fc.pre(kinkPattern(c.spec, params, c.x, c.rows) === base)
            const at = evaluate(c, params, c.x)
            const h = stepOf(params, c.params)
            fc.pre(h === 0 || clearOfCone(c, got.g, at.g, h))
            return at.P
          }
          expectGradientClose(`∂P/∂θ[${off}..]`, P, fromFlat(r, k, c.params.slice(off, off + r * k)), fromFlat(r, k, got.grads.slice(off, off + r * k)))
        }
      }),
    )
  })

  it('∂P/∂x equals central differences of P with respect to the input rows', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        const got = run(c)
        fc.pre(awayFromKinks(c))
        const base = kinkPattern(c.spec, c.params, c.x, c.rows)
        const P = (x: Matrix): number => {
          fc.pre(kinkPattern(c.spec, c.params, toFlat(x), c.rows) === base)
          const at = evaluate(c, c.params, toFlat(x))
          const h = stepOf(toFlat(x), c.x)
          fc.pre(h === 0 || clearOfCone(c, got.g, at.g, h))
          return at.P
        }
        expectGradientClose('∂P/∂x', P, fromFlat(c.rows, c.spec.inputSize, c.x), fromFlat(c.rows, c.spec.inputSize, got.dInput))
      }),
    )
  })

  it('P equals a literal per-row scalar transcription within 1e-9 of the magnitude of its terms', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        const { P, scale } = literal(c)
        // Both sides round each of the ≤ 3·5 sums of g's terms (ε = 2.2e-16 per operation,
        // at most a few hundred operations per entry of g) and their activations differ by an
        // ulp or so; so |ΔP| stays below ~1e-12·scale, where `scale` is P computed from
        // bounds on |g|'s terms. A wrong formula is off by O(1)·scale.
        expect(Math.abs(run(c).P - P)).toBeLessThanOrEqual(1e-9 * scale)
      }),
    )
  })

  it('adds: gradient and input-gradient views that hold values on entry get those values plus ∂P/∂θ, ∂P/∂x (one rounding)', () => {
    fc.assert(
      fc.property(caseArb(), spreadPool((MAX_W * MAX_W * 3 + 3 * MAX_W) * MAX_PIECES, 4), spreadPool(MAX_ROWS * MAX_W, 4), (c, vs, us) => {
        const zero = run(c)
        const ws = new Float64Array(gradientPenaltySize(c.spec, c.rows))
        const plan = gradientPenaltyPlan(c.spec, c.rows, { data: ws, off: 0 })
        const v = Float64Array.from(vs.slice(0, c.params.length))
        const u = Float64Array.from(us.slice(0, c.x.length))
        const P = gradientPenaltyInto(plan, c.penalty, { data: Float64Array.from(c.params), off: 0 }, { data: Float64Array.from(c.x), off: 0 }, { data: v, off: 0 }, { data: u, off: 0 })
        expect(P).toEqualBits(zero.P)
        expect(v).toEqualBits(Float64Array.from(vs.slice(0, c.params.length), (e, i) => e + zero.grads[i]!))
        expect(u).toEqualBits(Float64Array.from(us.slice(0, c.x.length), (e, i) => e + zero.dInput[i]!))
      }),
    )
  })

  it('without gradient views, the same P and g; with only one, the same values in it', () => {
    fc.assert(
      fc.property(caseArb(), (c) => {
        const both = run(c)
        expect(penaltyOf(c, c.params, c.x)).toEqualBits(both.P)
        const ws = new Float64Array(gradientPenaltySize(c.spec, c.rows))
        const plan = gradientPenaltyPlan(c.spec, c.rows, { data: ws, off: 0 })
        const p = { data: Float64Array.from(c.params), off: 0 }
        const x = { data: Float64Array.from(c.x), off: 0 }
        const grads = new Float64Array(c.params.length)
        gradientPenaltyInto(plan, c.penalty, p, x, { data: grads, off: 0 }, null)
        expect(grads).toEqualBits(Float64Array.from(both.grads))
        const dInput = new Float64Array(c.x.length)
        gradientPenaltyInto(plan, c.penalty, p, x, null, { data: dInput, off: 0 })
        expect(dInput).toEqualBits(Float64Array.from(both.dInput))
        expect(Array.from(ws.subarray(plan.inputGrad.off, plan.inputGrad.off + c.x.length))).toEqual(both.g)
      }),
    )
  })
})

describe('known cases and the g = 0 convention', () => {
  /** o = x·W + b with one unit: g_i = Wᵀ on every row. */
  const linear = (W: number[], rows: number, penalty: GradientPenalty, x?: number[]): Case => ({
    spec: { inputSize: W.length, layers: [{ units: 1, activation: identity }] },
    rows,
    params: [...W, 0.5],
    x: x ?? Array.from({ length: rows * W.length }, (_, i) => 0.25 * i - 1),
    penalty,
  })

  it('WGAN-GP on a linear critic: P = n·λ(‖W‖ − 1)², ∂P/∂W = n·2λ(‖W‖ − 1)·W/‖W‖, ∂P/∂b = 0, ∂P/∂x = 0', () => {
    const got = run(linear([3, 4], 2, { kind: 'wasserstein-gp', weight: 10, target: 1 }))
    expect(got.P).toBe(320)
    expect(got.g).toEqual([3, 4, 3, 4])
    expect(got.grads).toEqual([96, 128, 0])
    expect(got.dInput).toEqual([0, 0, 0, 0])
  })

  it('R1 on a linear critic: P = n·(γ/2)‖W‖², ∂P/∂W = n·γ·W; on a tanh unit at 0: P = γ/2, ∂P/∂w = γ, ∂P/∂b = 0', () => {
    const got = run(linear([3, 4], 3, { kind: 'r1', weight: 2 }))
    expect(got.P).toBe(75)
    expect(got.grads).toEqual([18, 24, 0])
    expect(got.dInput).toEqual([0, 0, 0, 0, 0, 0])
    // o = tanh(w·x + b) at w = 1, b = 0, x = 0: g = w·(1 − y²) = 1, ∂g/∂w = 1 − y² + w·x·f'' = 1,
    // ∂g/∂b = w·f''(0) = 0, ∂g/∂x = w²·f''(0) = 0
    const unit: Case = { spec: { inputSize: 1, layers: [{ units: 1, activation: tanh }] }, rows: 1, params: [1, 0], x: [0], penalty: { kind: 'r1', weight: 3 } }
    const t = run(unit)
    expect(t.P).toBe(1.5)
    expect(t.grads).toEqual([3, 0])
    expect(t.dInput).toEqual([0])
  })

  it('g = 0: WGAN-GP gives P = n·λ·c² and a zero gradient (no NaN), for every activation; R1 gives 0', () => {
    for (const act of [identity, tanh, sigmoid, relu, leakyRelu(0.2)]) {
      // W_0 = 0: every row's g is exactly 0
      const spec: NetworkSpec = { inputSize: 2, layers: [{ units: 3, activation: act }, { units: 1, activation: identity }] }
      const params = [0, 0, 0, 0, 0, 0, 0.1, -0.2, 0.3, 0.7, -1.1, 0.4, 0.05]
      const x = [1, -2, 0.5, 3, -0.25, 0]
      const gp = run({ spec, rows: 3, params, x, penalty: { kind: 'wasserstein-gp', weight: 10, target: 1 } })
      expect(gp.g).toEqual([0, 0, 0, 0, 0, 0])
      expect(gp.P).toBe(30)
      expect(gp.grads.every((v) => v === 0)).toBe(true)
      expect(gp.dInput.every((v) => v === 0)).toBe(true)
      const r1 = run({ spec, rows: 3, params, x, penalty: { kind: 'r1', weight: 10 } })
      expect(r1.P).toBe(0)
      expect(r1.grads.every((v) => v === 0)).toBe(true)
    }
    // a target of 0 at g = 0: λ(‖g‖ − 0)² is smooth there, with gradient 0 as well
    expect(run(linear([0, 0], 2, { kind: 'wasserstein-gp', weight: 4, target: 0 })).grads).toEqual([0, 0, 0])
  })

  it('g = 0 in one row only (a dead relu row): that row adds λ to P and nothing to the gradient', () => {
    // z = x·W + b with W = [1; 1], b = 0, then o = 2·relu(z): rows with z < 0 have g = 0
    const spec: NetworkSpec = { inputSize: 2, layers: [{ units: 1, activation: relu }, { units: 1, activation: identity }] }
    const params = [1, 1, 0, 2, 0]
    const penalty: GradientPenalty = { kind: 'wasserstein-gp', weight: 3, target: 1 }
    const live = run({ spec, rows: 1, params, x: [1, 2], penalty })
    const both = run({ spec, rows: 2, params, x: [1, 2, -1, -2], penalty })
    expect(both.g).toEqual([2, 2, 0, 0])
    expect(both.P).toBe(live.P + 3)
    expect(both.grads).toEqual(live.grads)
    expect(both.dInput).toEqual([...live.dInput, 0, 0])
  })

  it('R1 on a maxout critic o = max(2x + 0.5, -3x): g is the winning piece\'s slope, which alone takes ∂P/∂W; ∂P/∂b = 0, ∂P/∂x = 0', () => {
    // rows x = 1, -1, 0.1: the pieces (2.5, -3), (-1.5, 3), (0.7, -0.3), winners 0, 1, 0, so
    // g = 2, -3, 2, P = (γ/2)·(4 + 9 + 4) and ∂P/∂W = γ·(2 + 2, -3)
    const maxoutCritic: Case = {
      spec: { inputSize: 1, layers: [{ kind: 'maxout', units: 1, pieces: 2, activation: identity }] },
      rows: 3,
      params: [2, -3, 0.5, 0],
      x: [1, -1, 0.1],
      penalty: { kind: 'r1', weight: 2 },
    }
    const got = run(maxoutCritic)
    expect(got.g).toEqual([2, -3, 2])
    expect(got.P).toBe(17)
    expect(got.grads).toEqual([8, -6, 0, 0])
    expect(got.dInput).toEqual([0, 0, 0])
  })

  it('the convention is a subgradient: the central difference at g = 0 of a linear critic is 0', () => {
    const c = linear([0, 0], 2, { kind: 'wasserstein-gp', weight: 10, target: 1 })
    expectGradientClose('∂P/∂W at W = 0', (W) => penaltyOf(c, [...toFlat(W), 0.5], c.x), fromFlat(2, 1, [0, 0]), fromFlat(2, 1, run(c).grads.slice(0, 2)))
  })
})

describe('the activations\' second derivatives (the injection ι = d̄z ⊙ δ ⊙ f\'\'(z))', () => {
  const iota = (a: Activation, zs: number[], u: number[], v: number[]): number[] => {
    const y = toFlat(activate(a, fromFlat(1, zs.length, zs)))
    const out = new Float64Array(zs.length)
    injectionInto(a, { data: Float64Array.from(y), off: 0 }, { data: Float64Array.from(u), off: 0 }, { data: Float64Array.from(v), off: 0 }, { data: out, off: 0 }, zs.length)
    return Array.from(out)
  }

  it('tanh and sigmoid: f\'\' equals central differences of f\' (activationBackward with dy = 1), scaled by d̄z·δ', () => {
    fc.assert(
      fc.property(fc.constantFrom(tanh, sigmoid), fc.array(spreadDouble(6), { minLength: 1, maxLength: 6 }), spreadPool(6, 2), spreadPool(6, 2), (a, zs, us, vs) => {
        const n = zs.length
        const u = us.slice(0, n)
        const v = vs.slice(0, n)
        const ones = fromFlat(1, n, new Array<number>(n).fill(1))
        const weighted = (z: Matrix): number =>
          toFlat(activationBackward(a, z, activate(a, z), ones)).reduce((s, fp, i) => s + u[i]! * v[i]! * fp, 0)
        expectGradientClose(`${a.kind}''`, weighted, fromFlat(1, n, zs), fromFlat(1, n, iota(a, zs, u, v)))
      }),
    )
  })

  it('identity, relu and leaky relu: exactly 0, at the kink too', () => {
    const zs = [-2, -0, 0, 1e-300, 3]
    for (const a of [identity, relu, leakyRelu(0.2), leakyRelu(-0.5)]) expect(iota(a, zs, [1, 2, 3, 4, 5], [5, 4, 3, 2, 1])).toEqual([0, 0, 0, 0, 0])
    expect(iota(tanh, [0], [1], [1])).toEqual([-0])
    expect(iota(sigmoid, [0], [1], [1])).toEqual([0])
  })
})

describe('purity: at offsets inside padding, with a garbage workspace', () => {
  const SENT = -0.7123
  it('writes exactly its workspace stretch and its two gradient stretches, reads no workspace entry before writing it, leaves its inputs unchanged', () => {
    fc.assert(
      fc.property(caseArb(), fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5), fc.nat(5)), fc.double({ noNaN: false }), (c, [wOff, pOff, xOff, gOff, iOff], garbage) => {
        const want = run(c)
        const size = gradientPenaltySize(c.spec, c.rows)
        const ws = new Float64Array(wOff + size + 3).fill(SENT)
        ws.fill(garbage, wOff, wOff + size)
        const plan: GradientPenaltyPlan = gradientPenaltyPlan(c.spec, c.rows, { data: ws, off: wOff })
        expect(plan.end).toBe(wOff + size)
        const pad = (vs: ReadonlyArray<number>, off: number): Float64Array => {
          const a = new Float64Array(off + vs.length + 3).fill(SENT)
          a.set(vs, off)
          return a
        }
        const p = pad(c.params, pOff)
        const x = pad(c.x, xOff)
        const grads = pad(new Array<number>(c.params.length).fill(0), gOff)
        const dInput = pad(new Array<number>(c.x.length).fill(0), iOff)
        const P = gradientPenaltyInto(plan, c.penalty, { data: p, off: pOff }, { data: x, off: xOff }, { data: grads, off: gOff }, { data: dInput, off: iOff })
        expect(P).toEqualBits(want.P)
        expect(grads.subarray(gOff, gOff + c.params.length)).toEqualBits(Float64Array.from(want.grads))
        expect(dInput.subarray(iOff, iOff + c.x.length)).toEqualBits(Float64Array.from(want.dInput))
        expect(Array.from(ws.subarray(plan.inputGrad.off, plan.inputGrad.off + c.x.length))).toEqual(want.g)
        const outside = (a: Float64Array, off: number, len: number): number[] => [...a.subarray(0, off), ...a.subarray(off + len)]
        expect(outside(ws, wOff, size).every((v) => v === SENT)).toBe(true)
        expect(outside(grads, gOff, c.params.length).every((v) => v === SENT)).toBe(true)
        expect(outside(dInput, iOff, c.x.length).every((v) => v === SENT)).toBe(true)
        expect(p).toEqualBits(pad(c.params, pOff))
        expect(x).toEqualBits(pad(c.x, xOff))
        // a second call on the same plan (no gradients asked for): the same P
        const again = gradientPenaltyInto(plan, c.penalty, { data: p, off: pOff }, { data: x, off: xOff }, null, null)
        expect(again).toEqualBits(want.P)
      }),
    )
  })
})

describe('larger networks (the blocked product paths)', () => {
  // Widths 8..20 and 8..12 rows: every product of the double backward pass (δ̄·W, [δ̄; a]ᵀ·[dz; z̄]
  // over 2·rows, z̄·Wᵀ) reaches the 4 x 4 blocks for some layers, with remainders mod 4.
  const big = fc
    .record({
      inputSize: dim(8, 20),
      hidden: fc.array(layerArb(dim(8, 20)), { minLength: 1, maxLength: 2 }),
      rows: dim(8, 12),
      pool: spreadPool(257, 1),
      stride: fc.integer({ min: 1, max: 256 }),
      direction: spreadPool(127, 1),
      penalty: penaltyArb,
    })
    .map(({ inputSize, hidden, rows, pool, stride, direction, penalty }) => {
      const spec: NetworkSpec = { inputSize, layers: [...hidden, { units: 1, activation: identity }] }
      const count = paramCount(spec.layers, inputSize)
      const params = Array.from({ length: count }, (_, i) => (0.6 * pool[(i * stride) % pool.length]!) / Math.sqrt(inputSize))
      const x = Array.from({ length: rows * inputSize }, (_, i) => 2 * pool[(i * stride + 101) % pool.length]!)
      const v = Array.from({ length: count }, (_, i) => direction[i % direction.length]!)
      return { c: { spec, rows, params, x, penalty } as Case, v }
    })

  it('P equals the transcription, and ⟨∂P/∂θ, v⟩ the central difference of P along a random direction v', () => {
    fc.assert(
      fc.property(big, ({ c, v }) => {
        const got = run(c)
        const { P, scale } = literal(c)
        expect(Math.abs(got.P - P)).toBeLessThanOrEqual(1e-9 * scale)
        fc.pre(awayFromKinks(c))
        const base = kinkPattern(c.spec, c.params, c.x, c.rows)
        const h = 1e-5
        const along = (s: number): number => {
          const params = c.params.map((p, i) => p + s * v[i]!)
          fc.pre(kinkPattern(c.spec, params, c.x, c.rows) === base)
          const at = evaluate(c, params, c.x)
          fc.pre(clearOfCone(c, got.g, at.g, h))
          return at.P
        }
        const num = (along(h) - along(-h)) / (2 * h)
        const ana = got.grads.reduce((s, g, i) => s + g * v[i]!, 0)
        expect(Math.abs(num - ana)).toBeLessThanOrEqual(FD_RTOL * (Math.abs(num) + Math.abs(ana)) + FD_ATOL * Math.max(1, Math.abs(got.P)))
      }),
    )
  })
})
