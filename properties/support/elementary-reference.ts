/**
 * The oracle for src/elementary: exp, expm1, log, log1p, tanh, sin, cos and integer powers of
 * doubles to about 250 bits, in BigInt arithmetic, sharing nothing with src/ (no fdlibm
 * polynomial, no double-double, no table of 2/π): Taylor series for exp, sin and cos, the atanh
 * series for log, π from Machin's formula, exact rationals for the arguments. A value is a
 * `Big`, `m·2^e` with a BigInt `m`; `roundToDouble` rounds one to the nearest double (ties to
 * even, subnormals, overflow to Infinity) and `ulpError` measures a double against one in units
 * of the last place of the exact value.
 *
 * Precision: every function's relative error is below 2^-240 (the series are summed to
 * 2^-F with F = 256 fraction bits, and every division keeps at least 250 significant bits),
 * far below the 2^-53 the results are compared at; `roundToDouble` of a reference value is
 * therefore the correctly rounded result except within 2^-240 of a midpoint (the hardest
 * cases of exp and log need about 2^-120).
 */

/** `m·2^e`. */
export interface Big {
  readonly m: bigint
  readonly e: number
}

const F = 256
const FB = BigInt(F)
const ONE = 1n << FB

const bitLength = (n: bigint): number => (n < 0n ? -n : n).toString(2).length

/** The double `x` (finite) as `m·2^e` exactly. */
export const fromDouble = (x: number): Big => {
  if (x === 0) return { m: 0n, e: 0 }
  const buf = new DataView(new ArrayBuffer(8))
  buf.setFloat64(0, x)
  const bits = buf.getBigUint64(0)
  const sign = bits >> 63n === 1n ? -1n : 1n
  const be = Number((bits >> 52n) & 0x7ffn)
  const frac = bits & ((1n << 52n) - 1n)
  return be === 0 ? { m: sign * frac, e: -1074 } : { m: sign * (frac | (1n << 52n)), e: be - 1075 }
}

/** floor(a / 2^s) for s ≥ 0, a·2^-s for s < 0. */
const shift = (a: bigint, s: number): bigint => (s >= 0 ? a >> BigInt(s) : a << BigInt(-s))

/** ln 2 to F bits: Σ 1/(k·2^k). */
const LN2: bigint = (() => {
  let sum = 0n
  for (let k = 1; k < F + 20; k++) sum += (ONE << 16n) / (BigInt(k) << BigInt(k))
  return sum >> 16n
})()

/** e^r for a fixed-point r (F fraction bits), |r| ≤ 1: Taylor series of r/2^8, squared 8 times. */
const expFixed = (r: bigint): bigint => {
  const g = 24n // guard bits
  const one = ONE << g
  const x = (r << g) >> 8n
  let term = one
  let sum = one
  for (let n = 1n; term !== 0n; n++) {
    term = (term * x) / (one * n)
    sum += term
  }
  for (let i = 0; i < 8; i++) sum = (sum * sum) >> (FB + g)
  return sum >> g
}

/** Fixed-point (F bits) value of the double x, rounded toward -∞ (exact when ulp(x) ≥ 2^-F). */
const toFixed = (x: number): bigint => {
  const b = fromDouble(x)
  return shift(b.m, -(b.e + F))
}

/** e^x. Beyond [-1000, 1000] a stand-in far outside the double range (rounds to 0 or Infinity). */
export const expRef = (x: number): Big => {
  if (x > 1000) return { m: 1n, e: 2000 }
  if (x < -1000) return { m: 1n, e: -2000 }
  const k = Math.round(x / Math.LN2)
  const r = toFixed(x) - BigInt(k) * LN2
  return { m: expFixed(r), e: k - F }
}

/** e^x − 1, to full relative precision for tiny x (series x·Σ x^n/(n+1)!). */
export const expm1Ref = (x: number): Big => {
  if (x === 0) return { m: 0n, e: 0 }
  if (Math.abs(x) >= 0.5) return sub(expRef(x), { m: 1n, e: 0 })
  const g = 24n
  const one = ONE << g
  const xf = toFixed(x) << g
  // Σ_{n≥0} x^n/(n+1)!
  let term = one
  let sum = one
  for (let n = 2n; term !== 0n; n++) {
    term = (term * xf) / (one * n)
    sum += term
  }
  const b = fromDouble(x)
  return { m: b.m * sum, e: b.e - F - 24 }
}

/** a − b. */
export const sub = (a: Big, b: Big): Big => {
  const e = Math.min(a.e, b.e)
  return { m: shift(a.m, e - a.e) - shift(b.m, e - b.e), e }
}

/** a + b. */
export const add = (a: Big, b: Big): Big => sub(a, { m: -b.m, e: b.e })

/** a / b, to at least 250 significant bits. */
export const div = (a: Big, b: Big): Big => {
  const g = bitLength(b.m) - bitLength(a.m) + F
  return { m: (a.m << BigInt(Math.max(g, 0))) / b.m, e: a.e - b.e - Math.max(g, 0) }
}

/** ln(A/B) for positive BigInts A, B: k·ln2 + 2·atanh(s), s = (A' − B')/(A' + B'), A'/B' ∈ [√2/2, √2). */
const logRational = (A0: bigint, B0: bigint): Big => {
  let A = A0
  let B = B0
  let k = bitLength(A) - bitLength(B)
  if (k > 0) B <<= BigInt(k)
  else A <<= BigInt(-k)
  // now A/B ∈ (1/2, 2); move into [√2/2, √2): compare A² with 2B²
  if (A * A >= 2n * B * B) {
    B <<= 1n
    k += 1
  } else if (2n * A * A < B * B) {
    A <<= 1n
    k -= 1
  }
  const num = A - B
  if (num === 0n && k === 0) return { m: 0n, e: 0 }
  const den = A + B
  // Σ s^(2n)/(2n+1) in fixed point
  const g = 24n
  const one = ONE << g
  const s2 = (num * num * one) / (den * den)
  let pow = one
  let sum = one
  for (let n = 1n; pow !== 0n; n++) {
    pow = (pow * s2) / one
    sum += pow / (2n * n + 1n)
  }
  // 2·s·Σ as m·2^e with ≥ 250 significant bits
  const G = bitLength(den) + F
  const atanh2: Big = { m: (2n * num * sum << BigInt(G)) / den, e: -G - F - 24 }
  if (k === 0) return atanh2
  return add(atanh2, { m: BigInt(k) * LN2, e: -F })
}

/** ln x for finite x > 0. */
export const logRef = (x: number): Big => {
  if (!(x > 0 && x < Infinity)) throw new RangeError(`logRef: ${x} is outside (0, Infinity)`)
  const b = fromDouble(x)
  return b.e >= 0 ? logRational(b.m << BigInt(b.e), 1n) : logRational(b.m, 1n << BigInt(-b.e))
}

/** ln(1 + x) for finite x > -1. */
export const log1pRef = (x: number): Big => {
  if (!(x > -1 && x < Infinity)) throw new RangeError(`log1pRef: ${x} is outside (-1, Infinity)`)
  const b = fromDouble(x)
  if (b.m === 0n) return { m: 0n, e: 0 }
  if (b.e >= 0) return logRational((b.m << BigInt(b.e)) + 1n, 1n)
  const B = 1n << BigInt(-b.e)
  return logRational(B + b.m, B)
}

/** tanh x = M/(M + 2), M = e^(2x) − 1; for |x| ≥ 40, ±(1 − 2^-200) (within 2^-100 of the exact value, which rounds to ±1). */
export const tanhRef = (x: number): Big => {
  if (x === 0) return { m: 0n, e: 0 }
  const sign = x < 0 ? -1n : 1n
  if (Math.abs(x) >= 40) return { m: sign * ((1n << 200n) - 1n), e: -200 }
  const M = expm1Ref(2 * Math.abs(x))
  const q = div(M, add(M, { m: 2n, e: 0 }))
  return { m: sign * q.m, e: q.e }
}

/**
 * Fraction bits of π kept by {@link PI_FIXED}: enough to reduce every double (see
 * {@link reducePio2Ref}) and to check fdlibm's 1584 bits of 2/π.
 */
export const PI_BITS = 1700

/** arctan(1/n)·2^b for an integer n ≥ 2 (truncated partial sums; error below a few units). */
const arctanInv = (n: bigint, b: bigint): bigint => {
  const n2 = n * n
  let power = (1n << b) / n // 2^b / n^(2k+1)
  let sum = 0n
  for (let k = 0n; power !== 0n; k++) {
    const term = power / (2n * k + 1n)
    sum += k % 2n === 0n ? term : -term
    power /= n2
  }
  return sum
}

/** floor(π·2^PI_BITS), by Machin's formula π = 16·arctan(1/5) − 4·arctan(1/239), summed with 32 guard bits. */
export const PI_FIXED: bigint = (() => {
  const b = BigInt(PI_BITS + 32)
  return (16n * arctanInv(5n, b) - 4n * arctanInv(239n, b)) >> 32n
})()

/** π/2 to PI_BITS fraction bits (floor). */
const PIO2_FIXED = PI_FIXED >> 1n

/**
 * `|x| = k·π/2 + r` for a finite double x, `k = round(|x|/(π/2))`, `|r| ≤ π/4`: returns `k mod 4`
 * and r as `m·2^-PI_BITS`. |x|·2^PI_BITS is an integer for every double (PI_BITS > 1074), so the
 * only error is k times that of π/2's last bit: below 2^(1025 − PI_BITS) absolute, against
 * |r| ≥ 2^-62 for every double with k ≠ 0 (the closest, 6381956970095103·2^797, is 2^-60.9 from a
 * multiple of π/2); the function checks that r keeps at least 300 exact bits and throws otherwise.
 */
export const reducePio2Ref = (x: number): { readonly quadrant: number; readonly r: Big } => {
  const b = fromDouble(Math.abs(x))
  const X = shift(b.m, -(b.e + PI_BITS))
  const k = (2n * X + PIO2_FIXED) / (2n * PIO2_FIXED)
  const r = X - k * PIO2_FIXED
  if (k !== 0n && bitLength(r) - bitLength(k) < 300) throw new Error(`reducePio2Ref(${x}): r keeps fewer than 300 exact bits`)
  return { quadrant: Number(k % 4n), r: { m: r, e: -PI_BITS } }
}

/**
 * The Taylor series in r² for |r| ≤ 1 (r given as `m·2^e`), in fixed point with F + 32 fraction
 * bits: `sin r / r = Σ (−1)^n r^(2n)/(2n + 1)!` when `odd`, `cos r = Σ (−1)^n r^(2n)/(2n)!`
 * otherwise. Each term's truncation is below one unit; at most about 80 terms.
 */
const evenSeries = (r: Big, odd: boolean): bigint => {
  const g = BigInt(F + 32)
  const one = 1n << g
  const r2 = shift(r.m * r.m, -(2 * r.e + F + 32))
  let term = one
  let sum = one
  for (let n = 1n; term !== 0n; n++) {
    const d = odd ? 2n * n * (2n * n + 1n) : (2n * n - 1n) * (2n * n)
    term = -(term * r2) / (one * d)
    sum += term
  }
  return sum
}

/** sin r (|r| ≤ π/4) to about 2^-280 relative: r·Σ (−1)^n r^(2n)/(2n + 1)!. */
const sinReduced = (r: Big): Big => trim({ m: r.m * evenSeries(r, true), e: r.e - F - 32 }, 320)

/** cos r (|r| ≤ π/4) to about 2^-280: Σ (−1)^n r^(2n)/(2n)! (at least cos(π/4) > 0.7). */
const cosReduced = (r: Big): Big => ({ m: evenSeries(r, false), e: -F - 32 })

const neg = (b: Big): Big => ({ m: -b.m, e: b.e })

/** sin x for a finite double x: sin r, cos r, −sin r, −cos r by quadrant (odd: computed on |x|). */
export const sinRef = (x: number): Big => {
  const { quadrant, r } = reducePio2Ref(x)
  const v = quadrant % 2 === 0 ? sinReduced(r) : cosReduced(r)
  const s = quadrant >= 2 ? neg(v) : v
  return x < 0 ? neg(s) : s
}

/** cos x for a finite double x: cos r, −sin r, −cos r, sin r by quadrant. */
export const cosRef = (x: number): Big => {
  const { quadrant, r } = reducePio2Ref(x)
  const v = quadrant % 2 === 0 ? cosReduced(r) : sinReduced(r)
  return quadrant === 1 || quadrant === 2 ? neg(v) : v
}

/** Keeps the top `bits` bits of m (truncating). */
const trim = (b: Big, bits: number): Big => {
  const extra = bitLength(b.m) - bits
  return extra > 0 ? { m: b.m >> BigInt(extra), e: b.e + extra } : b
}

/** x^n for a finite double x and an integer n ≥ 0, binary powering at 300 bits (relative error < n·2^-290). */
export const powIntRef = (x: number, n: number): Big => {
  if (n === 0) return { m: 1n, e: 0 }
  let base = fromDouble(x)
  if (base.m === 0n) return base
  let acc: Big = { m: 1n, e: 0 }
  let k = n
  const magnitude = (b: Big): number => b.e + bitLength(b.m)
  for (;;) {
    if (k % 2 === 1) acc = trim({ m: acc.m * base.m, e: acc.e + base.e }, 300)
    k = Math.floor(k / 2)
    if (k === 0) break
    base = trim({ m: base.m * base.m, e: 2 * base.e }, 300)
    // far outside the double range: every later factor only moves further out
    const mb = magnitude(base)
    if (mb < -3000 || mb > 3000) {
      const negative = x < 0 && n % 2 === 1
      return { m: negative ? -1n : 1n, e: mb < 0 ? -5000 : 5000 }
    }
  }
  return acc
}

/** 2^k as a double, exactly, for -1074 ≤ k ≤ 1023 (repeated doubling/halving; no Math.pow). */
const pow2 = (k: number): number => {
  let v = 1
  if (k >= 0) for (let i = 0; i < k; i++) v *= 2
  else for (let i = 0; i > k; i--) v /= 2
  return v
}
const POW2 = new Map<number, number>()
const pow2Cached = (k: number): number => {
  let v = POW2.get(k)
  if (v === undefined) {
    v = pow2(k)
    POW2.set(k, v)
  }
  return v
}

/** The double nearest b (ties to even; ±Infinity beyond the range; ±0 below half the least subnormal). */
export const roundToDouble = (b: Big): number => {
  if (b.m === 0n) return 0
  const negative = b.m < 0n
  const m = negative ? -b.m : b.m
  const L = bitLength(m)
  const E = L - 1 + b.e // 2^E ≤ |b| < 2^(E+1)
  if (E > 1023) return negative ? -Infinity : Infinity
  const drop = E >= -1022 ? L - 53 : -1074 - b.e
  let q: bigint
  let exp: number
  if (drop <= 0) {
    q = m
    exp = b.e
  } else {
    const d = BigInt(drop)
    q = m >> d
    const rem = m - (q << d)
    const half = 1n << (d - 1n)
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n
    exp = b.e + drop
  }
  if (q === 0n) return negative ? -0 : 0
  // q ≤ 2^53 (exact as a number) and -1074 ≤ exp ≤ 971: one exact product, or Infinity past the top
  const v = Number(q) * pow2Cached(exp)
  return negative ? -v : v
}

/**
 * |y − b| in units of the last place of b (`ulp(b) = 2^(max(E, -1022) − 52)` for
 * `2^E ≤ |b| < 2^(E+1)`). An infinite `y` scores 0 when b rounds to that infinity and
 * Infinity otherwise; a reference of exactly 0 scores 0 for y = ±0 and Infinity otherwise.
 */
export const ulpError = (y: number, b: Big): number => {
  if (Number.isNaN(y)) return Infinity
  if (!Number.isFinite(y)) return roundToDouble(b) === y ? 0 : Infinity
  if (b.m === 0n) return y === 0 ? 0 : Infinity
  const E = bitLength(b.m) - 1 + b.e
  if (E > 1100 || E < -1200) {
    // the stand-ins of expRef/powIntRef: y must be what they round to
    return Object.is(roundToDouble(b), y) || (y === 0 && roundToDouble(b) === 0) ? 0 : Infinity
  }
  const ulpExp = Math.max(E, -1022) - 52
  const d = sub(fromDouble(y), b)
  if (d.m === 0n) return 0
  // |d|·2^(d.e − ulpExp) as a double: keep the top 64 bits
  const dm = d.m < 0n ? -d.m : d.m
  const extra = Math.max(bitLength(dm) - 64, 0)
  const top = Number(dm >> BigInt(extra))
  const e = d.e + extra - ulpExp
  return e >= -1074 ? top * pow2Cached(Math.max(Math.min(e, 1023), -1074)) : 0
}
