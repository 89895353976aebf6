/**
 * A second transcription of Wichura's PPND16 (Algorithm AS 241, Applied Statistics 37(3),
 * 1988), written from the paper's Fortran for the tests: it shares no code with
 * src/random/normal.ts. The coefficients are kept as the paper's decimal strings, so that
 * `mantissaHash` can check them against the paper's published hash sums (AB
 * 55.8831928806149014439, CD 49.33206503301610289036, EF 47.52583317549289671629)
 * independently of the source file.
 *
 * It follows the Fortran operation by operation (Horner's rule in the paper's order, the
 * region tests `ABS(Q) .LE. SPLIT1` and `R .LE. SPLIT2`, the sign flip `IF (Q .LT. ZERO)`),
 * so in IEEE double arithmetic its results are the bits any faithful transcription gives.
 * That makes it a bit-for-bit oracle for which region a boundary input falls in: at the
 * region boundaries the neighbouring approximations differ in the last bits.
 */
import * as elementary from '../../src/elementary/index.js'

/** The paper's coefficients as written (decimal strings). */
export const AS241_COEFFICIENTS = {
  A: ['3.387132872796366608', '1.3314166789178437745e2', '1.9715909503065514427e3', '1.3731693765509461125e4',
    '4.5921953931549871457e4', '6.7265770927008700853e4', '3.3430575583588128105e4', '2.5090809287301226727e3'],
  B: ['1', '4.2313330701600911252e1', '6.871870074920579083e2', '5.3941960214247511077e3', '2.1213794301586595867e4',
    '3.930789580009271061e4', '2.8729085735721942674e4', '5.226495278852854561e3'],
  C: ['1.42343711074968357734', '4.6303378461565452959', '5.7694972214606914055', '3.64784832476320460504',
    '1.27045825245236838258', '2.4178072517745061177e-1', '2.27238449892691845833e-2', '7.7454501427834140764e-4'],
  D: ['1', '2.05319162663775882187', '1.6763848301838038494', '6.8976733498510000455e-1', '1.4810397642748007459e-1',
    '1.51986665636164571966e-2', '5.475938084995344946e-4', '1.05075007164441684324e-9'],
  E: ['6.6579046435011037772', '5.4637849111641143699', '1.7848265399172913358', '2.9656057182850489123e-1',
    '2.6532189526576123093e-2', '1.2426609473880784386e-3', '2.71155556874348757815e-5', '2.01033439929228813265e-7'],
  F: ['1', '5.9983220655588793769e-1', '1.3692988092273580531e-1', '1.48753612908506148525e-2', '7.868691311456132591e-4',
    '1.8463183175100546818e-5', '1.4215117583164458887e-7', '2.04426310338993978564e-15'],
} as const

type Letter = keyof typeof AS241_COEFFICIENTS

/**
 * The paper's hash: the sum of the coefficients' mantissas (the digits `d.ddd` without the
 * exponent), over the two given letters, as an exact decimal scaled by 10^22. The leading
 * `1` of B, D and F (B0 = D0 = F0 = ONE, not coefficients of the paper) is left out.
 */
export const mantissaHash = (a: Letter, b: Letter): bigint => {
  let s = 0n
  for (const letter of [a, b]) {
    AS241_COEFFICIENTS[letter].forEach((text, i) => {
      if (i === 0 && (letter === 'B' || letter === 'D' || letter === 'F')) return
      const [int, frac] = (text.split('e')[0] as string).split('.') as [string, string]
      s += BigInt(int + frac.padEnd(22, '0'))
    })
  }
  return s
}

/** The decimal scaled by 10^22, for comparing with `mantissaHash`. */
export const decimal22 = (x: string): bigint => {
  const [int, frac] = x.split('.') as [string, string]
  return BigInt(int + frac.padEnd(22, '0'))
}

const coef = (letter: Letter): number[] => AS241_COEFFICIENTS[letter].map(Number)
const [A, B, C, D, E, F] = (['A', 'B', 'C', 'D', 'E', 'F'] as const).map(coef) as [number[], number[], number[], number[], number[], number[]]

/** `((((((c7·r + c6)·r + c5)·r + c4)·r + c3)·r + c2)·r + c1)·r + c0`, the paper's nesting. */
const horner = (c: ReadonlyArray<number>, r: number): number => {
  let acc = c[7] as number
  for (let i = 6; i >= 0; i--) acc = acc * r + (c[i] as number)
  return acc
}

const SPLIT1 = 0.425
const SPLIT2 = 5
const CONST1 = 0.180625
const CONST2 = 1.6

/** The central approximation, for `|q| <= 0.425`: `q · A(r) / B(r)`, `r = 0.180625 - q²`. */
export const as241Central = (q: number): number => {
  const r = CONST1 - q * q
  return (q * horner(A, r)) / horner(B, r)
}

/** The intermediate tail approximation (`sqrt(-log(tail)) <= 5`), for the positive quantile. */
export const as241Intermediate = (tail: number): number => {
  const r = Math.sqrt(-elementary.log(tail)) - CONST2
  return horner(C, r) / horner(D, r)
}

/** The far tail approximation (`sqrt(-log(tail)) > 5`), for the positive quantile. */
export const as241Far = (tail: number): number => {
  const r = Math.sqrt(-elementary.log(tail)) - SPLIT2
  return horner(E, r) / horner(F, r)
}

/**
 * PPND16 for `q = p - 1/2` and the smaller tail area `tail` (both exact, `tail > 0`), as in
 * the Fortran: `IF (ABS(Q) .LE. SPLIT1)` central; else `R = SQRT(-LOG(tail))`,
 * `IF (R .LE. SPLIT2)` intermediate, else far; `IF (Q .LT. ZERO)` negate.
 */
export const as241 = (q: number, tail: number): number => {
  if (Math.abs(q) <= SPLIT1) return as241Central(q)
  const z = Math.sqrt(-elementary.log(tail)) <= SPLIT2 ? as241Intermediate(tail) : as241Far(tail)
  return q < 0 ? -z : z
}

/** PPND16(p) for `0 < p < 1`: `Q = P - HALF`, the tail `P` if `Q < 0`, else `ONE - P`. */
export const as241OfP = (p: number): number => {
  const q = p - 0.5
  return as241(q, q < 0 ? p : 1 - p)
}
