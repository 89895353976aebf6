/**
 * The GAN objectives written out per logit from their papers' formulas, for the oracle
 * (oracle.ts) and the objectives' properties. Shares no code with src/: the softplus and the
 * sigmoid are `Math.log1p`/`Math.exp` here, the library's own `exp`/`log1p` there.
 *
 * Each objective gives, per logit, the loss term, its derivative, and the magnitude that
 * bounds the derivative's rounding (the sum of the absolute values of the terms a formula
 * subtracts, as oracle.ts's backward pass expects).
 */

/** One logit's loss term, derivative and the derivative's rounding scale. */
export interface OracleTerm {
  readonly loss: number
  readonly grad: number
  readonly mag: number
}

/** D's term is per pair (real logit, fake logit); G's per fake logit. */
export interface OracleObjective {
  readonly name: string
  readonly d: (zr: number, zf: number) => { readonly real: OracleTerm; readonly fake: OracleTerm }
  readonly g: (zf: number) => OracleTerm
}

const logistic = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

/** softplus(z) = log(1 + e^z), the sigmoid cross-entropy with label 0. */
const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))

/** l(z, y) = max(z, 0) − z·y + log(1 + e^(−|z|)), as SEED.md writes it (max(z, 0) − z·y first: exact for y = 1). */
const bce = (z: number, y: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)))

/** The seed's D: (l(zr, 1) + l(zf, 0)) / 2, derivatives (sigmoid(z) − y) / 2. */
const seedD = (zr: number, zf: number) => ({
  real: { loss: bce(zr, 1) / 2, grad: (logistic(zr) - 1) / 2, mag: (logistic(zr) + 1) / 2 },
  fake: { loss: bce(zf, 0) / 2, grad: logistic(zf) / 2, mag: logistic(zf) / 2 },
})

export const oracleNonsaturating: OracleObjective = {
  name: 'nonsaturating',
  d: seedD,
  g: (z) => ({ loss: bce(z, 1), grad: logistic(z) - 1, mag: logistic(z) + 1 }),
}

/** Goodfellow 2014's game: G minimises log(1 − sigmoid(z)) = −softplus(z). */
export const oracleMinimax: OracleObjective = {
  name: 'minimax',
  d: seedD,
  // log(1 − sigmoid(z)) written as −softplus(z): the same value without 1 − sigmoid(z)'s cancellation
  g: (z) => ({ loss: -softplus(z), grad: -logistic(z), mag: logistic(z) }),
}

/** LSGAN: D ½(zr − b)² + ½(zf − a)², G ½(zf − c)². */
export const oracleLeastSquares = (a: number, b: number, c: number): OracleObjective => ({
  name: 'least-squares',
  d: (zr, zf) => ({
    real: { loss: ((zr - b) * (zr - b)) / 2, grad: zr - b, mag: Math.abs(zr) + Math.abs(b) },
    fake: { loss: ((zf - a) * (zf - a)) / 2, grad: zf - a, mag: Math.abs(zf) + Math.abs(a) },
  }),
  g: (z) => ({ loss: ((z - c) * (z - c)) / 2, grad: z - c, mag: Math.abs(z) + Math.abs(c) }),
})

/** Hinge: D max(0, 1 − zr) + max(0, 1 + zf), G −zf. */
export const oracleHinge: OracleObjective = {
  name: 'hinge',
  d: (zr, zf) => ({
    real: { loss: Math.max(0, 1 - zr), grad: zr < 1 ? -1 : 0, mag: 1 },
    fake: { loss: Math.max(0, 1 + zf), grad: zf > -1 ? 1 : 0, mag: 1 },
  }),
  g: (z) => ({ loss: -z, grad: -1, mag: 1 }),
}

/** Wasserstein: D zf − zr, G −zf. */
export const oracleWasserstein: OracleObjective = {
  name: 'wasserstein',
  d: (zr, zf) => ({ real: { loss: -zr, grad: -1, mag: 1 }, fake: { loss: zf, grad: 1, mag: 1 } }),
  g: (z) => ({ loss: -z, grad: -1, mag: 1 }),
}
