import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Matrix, ShapeError, fromArrays, fromFlat, sum, toFlat, zeros } from '../../src/matrix/index.js'
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyGrad } from '../../src/loss/softmax-ce.js'
import { sigmoidBce, sigmoidBceGrad } from '../../src/loss/sigmoid-bce.js'
import { exp, log } from '../../src/elementary/index.js'
import { expectGradientClose, frobeniusInner } from '../support/gradient-check.js'

/** The unit roundoff of a double, `2^-53`: one rounding moves a value by at most `u·|value|`. */
const U = 2 ** -53

// -------------------------------------------------------------------------------------
// A literal scalar transcription of docs/gradients.md, "Softmax cross-entropy", on plain
// arrays, one row at a time, in the documented order:
//   m = the first largest z_k (k ascending, strict >), e_k = exp(z_k - m),
//   S = ((0 + e_0) + e_1) + ... + e_(K-1), p_k = e_k / S,
//   l = (m - z_y) + log(S), g_k = p_k - 1 for k = y and p_k otherwise.
// -------------------------------------------------------------------------------------

interface RowRef {
  readonly loss: number
  readonly p: number[]
  readonly grad: number[]
}

const refRow = (z: ReadonlyArray<number>, y: number): RowRef => {
  const K = z.length
  let m = z[0]!
  for (let k = 1; k < K; k++) if (z[k]! > m) m = z[k]!
  const e: number[] = []
  let s = 0
  for (let k = 0; k < K; k++) {
    e.push(exp(z[k]! - m))
    s = s + e[k]!
  }
  const p: number[] = []
  const grad: number[] = []
  for (let k = 0; k < K; k++) {
    p.push(e[k]! / s)
    grad.push(k === y ? p[k]! - 1 : p[k]!)
  }
  return { loss: m - z[y]! + log(s), p, grad }
}

const rowsOf = (z: Matrix): number[][] => Array.from({ length: z.rows }, (_, i) => toFlat(z).slice(i * z.cols, (i + 1) * z.cols))

// -------------------------------------------------------------------------------------
// Cases: n in 1..6 rows, K in 2..12 classes, labels in 0..K-1, logits from `value`.
// -------------------------------------------------------------------------------------

interface Case {
  readonly z: Matrix
  readonly labels: number[]
}

/** Logits of every scale: ordinary, around ±700 (where exp overflows without the max), ±1e300, ties. */
const anyLogit: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.double({ min: -800, max: 800, noNaN: true }),
  fc.constantFrom(0, -0, 1, -1, 700, -700, 709.8, -745.2, 1e3, -1e3, 1e300, -1e300),
  fc.double({ min: -1e300, max: 1e300, noNaN: true }),
)

const caseOf = (value: fc.Arbitrary<number>, minK = 2, maxK = 12): fc.Arbitrary<Case> =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: minK, max: maxK }))
    .chain(([n, K]) =>
      fc.record({
        z: fc.array(value, { minLength: n * K, maxLength: n * K }).map((v) => fromFlat(n, K, v)),
        labels: fc.array(fc.integer({ min: 0, max: K - 1 }), { minLength: n, maxLength: n }),
      }),
    )

const bitsEqual = (a: number, b: number): boolean => Object.is(a, b)

describe('softmax cross-entropy: the literal transcription, bit for bit', () => {
  it('softmaxCrossEntropy, softmaxCrossEntropyGrad and softmax equal it on every row, at every scale', () => {
    fc.assert(
      fc.property(caseOf(anyLogit), ({ z, labels }) => {
        const loss = softmaxCrossEntropy(z, labels)
        const grad = softmaxCrossEntropyGrad(z, labels)
        const p = softmax(z)
        expect([loss.rows, loss.cols, grad.rows, grad.cols, p.rows, p.cols]).toEqual([z.rows, 1, z.rows, z.cols, z.rows, z.cols])
        rowsOf(z).forEach((row, i) => {
          const ref = refRow(row, labels[i]!)
          expect(bitsEqual(loss.data[i]!, ref.loss), `loss of row ${i}`).toBe(true)
          for (let k = 0; k < z.cols; k++) {
            expect(bitsEqual(grad.data[i * z.cols + k]!, ref.grad[k]!), `gradient (${i}, ${k})`).toBe(true)
            expect(bitsEqual(p.data[i * z.cols + k]!, ref.p[k]!), `softmax (${i}, ${k})`).toBe(true)
          }
        })
      }),
    )
  })

  it('the gradient is softmax minus the one-hot labels, bit for bit; Uint8Array labels give the same bits', () => {
    fc.assert(
      fc.property(caseOf(anyLogit), ({ z, labels }) => {
        const p = toFlat(softmax(z))
        const oneHotted = p.map((v, j) => (j % z.cols === labels[Math.floor(j / z.cols)] ? v - 1 : v))
        expect(softmaxCrossEntropyGrad(z, labels)).toEqualBits(fromFlat(z.rows, z.cols, oneHotted))
        const bytes = Uint8Array.from(labels)
        expect(softmaxCrossEntropy(z, bytes)).toEqualBits(softmaxCrossEntropy(z, labels))
        expect(softmaxCrossEntropyGrad(z, bytes)).toEqualBits(softmaxCrossEntropyGrad(z, labels))
      }),
    )
  })

  it('sums in the documented order: S = ((0 + e_0) + e_1) + e_2 differs from other orders here', () => {
    // e = (1, t, t) with 2^-54 < t <= 2^-53: ascending, 1 + t rounds to 1 twice, S = 1 and l = 0;
    // from the small end, t + t = 2t > 2^-53 and 2t + 1 rounds to 1 + 2^-52, whose log is not 0.
    const z = fromArrays([[0, log(1e-16), log(1e-16)]])
    const t = exp(z.data[1]!)
    expect(t > 2 ** -54 && t <= 2 ** -53).toBe(true)
    expect(softmaxCrossEntropy(z, [0]).data[0]).toBe(0)
    expect(log(t + t + 1)).toBe(log(1 + 2 ** -52))
    expect(log(1 + 2 ** -52)).toBeGreaterThan(0)
  })
})

describe('the gradient against central differences', () => {
  // Logits in [-20, 20]: the checker's step is h = 1e-5·max(1, |z|) <= 2e-4; the third
  // derivative of l_i along one logit is p(1 - p)(1 - 2p), at most 0.1 in magnitude, so the
  // truncation error h²/6·0.1 <= 7e-10 and the rounding error ~ u·|f|/h stay far below the
  // checker's 1e-7·max(1, |f|).
  const moderate = caseOf(fc.double({ min: -20, max: 20, noNaN: true }))

  it('softmaxCrossEntropyGrad is the gradient of Σ_i l_i', () => {
    fc.assert(
      fc.property(moderate, ({ z, labels }) => {
        expectGradientClose('d Σ l / dz', (z1) => sum(softmaxCrossEntropy(z1, labels)), z, softmaxCrossEntropyGrad(z, labels))
      }),
    )
  })

  it('row i is the gradient of l_i alone: <c, l> has the gradient with row i scaled by c_i', () => {
    fc.assert(
      fc.property(moderate.chain((c) => fc.tuple(fc.constant(c), fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: c.z.rows, maxLength: c.z.rows }))), ([{ z, labels }, weights]) => {
        const c = fromFlat(z.rows, 1, weights)
        const g = toFlat(softmaxCrossEntropyGrad(z, labels)).map((v, j) => v * weights[Math.floor(j / z.cols)]!)
        expectGradientClose('d <c, l> / dz', (z1) => frobeniusInner(c, softmaxCrossEntropy(z1, labels)), z, fromFlat(z.rows, z.cols, g))
      }),
    )
  })

  it('at large logits (rows offset by up to ±1e4), differentiated along a step δ at δ = 0', () => {
    // The checker scales its step with |z|: h = 1e-5·|z|, 0.1 at |z| = 1e4. l is invariant under
    // a shift of its row, so its curvature does not shrink as |z| grows: the truncation error
    // h²/6·|p(1 - p)(1 - 2p)| reaches 1.6e-4 there, beyond the checker's tolerance, and the direct
    // check fails (measured: 14 of 200 random cases at offsets up to 1e4, |diff| 1.6e-4, as
    // predicted). So this property differentiates δ ↦ Σ l(z + δ) at δ = 0, where the step is
    // h = 1e-5 for every entry. Rounding z_k ± h moves l by at most |g_k|·u·1e4, so the quotient
    // by at most |g_k|·9e-8, below the checker's relative term 2e-6·|g_k|.
    const offsetCase = fc
      .tuple(moderate, fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 6, maxLength: 6 }))
      .map(([{ z, labels }, offsets]) => ({ z: fromFlat(z.rows, z.cols, toFlat(z).map((v, j) => v + offsets[Math.floor(j / z.cols)]!)), labels }))
    fc.assert(
      fc.property(offsetCase, ({ z, labels }) => {
        const at = (d: Matrix): Matrix => fromFlat(z.rows, z.cols, toFlat(z).map((v, j) => v + d.data[j]!))
        expectGradientClose('d Σ l(z + δ) / dδ', (d) => sum(softmaxCrossEntropy(at(d), labels)), zeros(z.rows, z.cols), softmaxCrossEntropyGrad(z, labels))
      }),
    )
  })
})

describe('laws', () => {
  it('softmax rows are in [0, 1] and sum to 1 within K·2^-52', () => {
    // S carries at most (K - 1) roundings and each p_k one more: |Σ_k p_k - 1| <= K·u exactly
    // summed; the test's own K - 1 additions add (K - 1)·u: (2K - 1)·u < K·2^-52.
    fc.assert(
      fc.property(caseOf(anyLogit), ({ z }) => {
        rowsOf(softmax(z)).forEach((row, i) => {
          for (const v of row) expect(v >= 0 && v <= 1, `row ${i}: ${v}`).toBe(true)
          const s = row.reduce((a, b) => a + b, 0)
          expect(Math.abs(s - 1), `row ${i} sums to ${s}`).toBeLessThanOrEqual(z.cols * 2 * U)
        })
      }),
    )
  })

  it('gradient rows sum to 0 within (K + 1)·2^-52', () => {
    // Σ p_k - 1 as above, plus one rounding in p_y - 1: (2K + 1)·u <= (K + 1)·2^-52.
    fc.assert(
      fc.property(caseOf(anyLogit), ({ z, labels }) => {
        rowsOf(softmaxCrossEntropyGrad(z, labels)).forEach((row, i) => {
          const s = row.reduce((a, b) => a + b, 0)
          expect(Math.abs(s), `row ${i} sums to ${s}`).toBeLessThanOrEqual((z.cols + 1) * 2 * U)
        })
      }),
    )
  })

  it('the loss is >= 0 (both terms are), and every result finite, for logits up to ±1e300', () => {
    fc.assert(
      fc.property(caseOf(anyLogit), ({ z, labels }) => {
        const l = toFlat(softmaxCrossEntropy(z, labels))
        expect(l.every((v) => v >= 0 && Number.isFinite(v))).toBe(true)
        expect(toFlat(softmaxCrossEntropyGrad(z, labels)).every((v) => Number.isFinite(v) && v >= -1 && v <= 1)).toBe(true)
        expect(toFlat(softmax(z)).every(Number.isFinite)).toBe(true)
      }),
    )
  })

  it('adding a constant to a row changes nothing when the additions are exact (bit for bit)', () => {
    // Logits and shifts on the grid 2^-20·Z within ±2^20: every z + c and every difference is
    // exact, so the computation sees the same z_k - m and m - z_y.
    const grid = fc.integer({ min: -(2 ** 40), max: 2 ** 40 }).map((v) => v / 2 ** 20)
    fc.assert(
      fc.property(caseOf(grid), fc.array(grid, { minLength: 6, maxLength: 6 }), ({ z, labels }, shifts) => {
        const shifted = fromFlat(z.rows, z.cols, toFlat(z).map((v, j) => v + shifts[Math.floor(j / z.cols)]!))
        expect(softmaxCrossEntropy(shifted, labels)).toEqualBits(softmaxCrossEntropy(z, labels))
        expect(softmaxCrossEntropyGrad(shifted, labels)).toEqualBits(softmaxCrossEntropyGrad(z, labels))
        expect(softmax(shifted)).toEqualBits(softmax(z))
      }),
    )
  })

  it('adding any constant to a row changes the loss and the gradient only by rounding', () => {
    // Rounding z_k + c moves each logit by at most u·M (M the largest |z_k|, |z_k + c| of the
    // row); |∇l|_1 <= 2 and each gradient row's Hessian row has |.|_1 <= 1/2, so the exact
    // values move by <= 2u·M and u·M/2. Each evaluation adds its own rounding: m - z_y and the
    // final sum (<= 2u·l), S (K - 1 additions of K exps within 1 ulp each) and log (<= (K + 4)·u);
    // p_k = e_k/S and p_y - 1 (<= (K + 4)·u). Twice that, for the two evaluations.
    const offset = fc.oneof(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e300, max: 1e300, noNaN: true }))
    fc.assert(
      fc.property(caseOf(fc.double({ min: -1e3, max: 1e3, noNaN: true })), fc.array(offset, { minLength: 6, maxLength: 6 }), ({ z, labels }, shifts) => {
        const shifted = fromFlat(z.rows, z.cols, toFlat(z).map((v, j) => v + shifts[Math.floor(j / z.cols)]!))
        const K = z.cols
        const [l0, l1] = [softmaxCrossEntropy(z, labels), softmaxCrossEntropy(shifted, labels)]
        const [g0, g1] = [softmaxCrossEntropyGrad(z, labels), softmaxCrossEntropyGrad(shifted, labels)]
        for (let i = 0; i < z.rows; i++) {
          let M = 0
          for (let k = 0; k < K; k++) M = Math.max(M, Math.abs(z.data[i * K + k]!), Math.abs(shifted.data[i * K + k]!))
          const l = Math.max(l0.data[i]!, l1.data[i]!)
          const lossTol = 2 * U * M + 2 * (2 * U * l + (K + 4) * U)
          expect(Math.abs(l1.data[i]! - l0.data[i]!), `loss of row ${i}`).toBeLessThanOrEqual(lossTol)
          for (let k = 0; k < K; k++) {
            const j = i * K + k
            expect(Math.abs(g1.data[j]! - g0.data[j]!), `gradient (${i}, ${k})`).toBeLessThanOrEqual(U * M / 2 + 2 * (K + 4) * U)
          }
        }
      }),
    )
  })

  it('for K = 2 it is sigmoid BCE on d = z_1 - z_0 with the class index as the label (within rounding)', () => {
    // Both compute d (negated exactly where needed) and exp(-|d|) with the same bits; they differ
    // in log(1 + t) against log1p(t) (<= 3u absolute) and the order of one addition (<= 2u·l).
    // The gradients p - y against sigmoid BCE's two forms of σ(d) - y: <= 4u absolute.
    fc.assert(
      fc.property(caseOf(anyLogit, 2, 2), ({ z, labels }) => {
        const l = softmaxCrossEntropy(z, labels)
        const g = softmaxCrossEntropyGrad(z, labels)
        const p = softmax(z)
        for (let i = 0; i < z.rows; i++) {
          const d = z.data[2 * i + 1]! - z.data[2 * i]!
          const y = labels[i]!
          if (!Number.isFinite(d)) continue // z_1 - z_0 beyond Number.MAX_VALUE: no logit difference to compare with
          const bce = sigmoidBce(d, y)
          expect(Math.abs(l.data[i]! - bce), `loss of row ${i}: ${l.data[i]} vs ${bce}`).toBeLessThanOrEqual(4 * U * (1 + bce))
          const dbce = sigmoidBceGrad(d, y)
          expect(Math.abs(g.data[2 * i + 1]! - dbce), `∂l/∂z_1 of row ${i}`).toBeLessThanOrEqual(4 * U)
          expect(Math.abs(g.data[2 * i]! + dbce), `∂l/∂z_0 of row ${i}`).toBeLessThanOrEqual(4 * U)
          expect(Math.abs(p.data[2 * i + 1]! - sigmoidBceGrad(d, 0)), `p_1 = σ(d) of row ${i}`).toBeLessThanOrEqual(4 * U)
        }
      }),
    )
  })
})

describe('extreme logits', () => {
  it('stay finite where the naive form overflows: ±700, ±1e3, ±1e300', () => {
    // exp(710) overflows: the naive log(Σ exp(z_k)) would be log(Infinity) here.
    expect(exp(710)).toBe(Number.POSITIVE_INFINITY)
    const z = fromArrays([
      [700, -700, 0],
      [1e300, -1e300, 0],
      [-1e300, 1e300, 1e300],
      [710, 710, 710],
      [-1e3, -1e3, -1e3],
      [-1e300, -1e300, -1e300],
    ])
    const labels = [1, 1, 0, 2, 0, 2]
    const l = toFlat(softmaxCrossEntropy(z, labels))
    expect(l).toEqual([1400, 2e300, 2e300, log(3), log(3), log(3)])
    expect(toFlat(softmaxCrossEntropyGrad(z, labels)).every(Number.isFinite)).toBe(true)
    expect(toFlat(softmax(z))).toEqual([1, 0, exp(-700), 1, 0, 0, 0, 0.5, 0.5, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3])
    expect(toFlat(softmaxCrossEntropyGrad(fromArrays([[1e300, -1e300]]), [1]))).toEqual([1, -1])
  })

  it('the loss overflows only when m - z_y itself exceeds Number.MAX_VALUE; the gradient and softmax never do', () => {
    const z = fromArrays([[Number.MAX_VALUE, -Number.MAX_VALUE]])
    expect(toFlat(softmaxCrossEntropy(z, [1]))).toEqual([Number.POSITIVE_INFINITY])
    expect(toFlat(softmaxCrossEntropy(z, [0]))).toEqual([0])
    expect(toFlat(softmaxCrossEntropyGrad(z, [1]))).toEqual([1, -1])
    expect(toFlat(softmax(z))).toEqual([1, 0])
  })
})

describe('refusals and purity', () => {
  const ops = [
    ['softmaxCrossEntropy', softmaxCrossEntropy],
    ['softmaxCrossEntropyGrad', softmaxCrossEntropyGrad],
  ] as const
  const z = fromArrays([
    [0, 1, 2],
    [3, 4, 5],
  ])

  it('refuse logits of fewer than 2 columns or no rows, and non-finite logits (all three functions)', () => {
    const allOps = [...ops, ['softmax', (m: Matrix) => softmax(m)] as const]
    for (const [name, f] of allOps) {
      expect(() => f(fromArrays([[1], [2]]), [0, 0])).toThrow(new ShapeError(`${name}: logits need at least 2 columns (classes), got (2x1)`))
      expect(() => f(fromFlat(2, 0, []), [0, 0])).toThrow(new ShapeError(`${name}: logits need at least 2 columns (classes), got (2x0)`))
      expect(() => f(fromFlat(0, 3, []), [])).toThrow(new ShapeError(`${name}: logits need at least 1 row, got (0x3)`))
      expect(() => f(fromFlat(0, 3, []), [])).toThrow(ShapeError)
      expect(() => f(fromArrays([[0, 1, 2], [3, Number.NaN, 5]]), [0, 0])).toThrow(new RangeError(`${name}: logits must be finite; entry (1, 1) is NaN`))
      expect(() => f(fromArrays([[0, 1, Number.POSITIVE_INFINITY], [3, 4, 5]]), [0, 0])).toThrow(new RangeError(`${name}: logits must be finite; entry (0, 2) is Infinity`))
      expect(() => f(fromArrays([[0, 1, 2], [3, 4, Number.NEGATIVE_INFINITY]]), [0, 0])).toThrow(new RangeError(`${name}: logits must be finite; entry (1, 2) is -Infinity`))
      expect(() => f(fromArrays([[0, 1, 2], [3, 4, Number.NaN]]), [0, 0])).toThrow(RangeError)
    }
  })

  it('refuse labels of the wrong count, outside 0..K-1, non-integer or not numbers, naming the first', () => {
    for (const [name, f] of ops) {
      expect(() => f(z, [0])).toThrow(new ShapeError(`${name}: 1 labels for the 2 rows of logits (2x3)`))
      expect(() => f(z, [0, 1, 2])).toThrow(new ShapeError(`${name}: 3 labels for the 2 rows of logits (2x3)`))
      expect(() => f(z, new Uint8Array(3))).toThrow(ShapeError)
      const bad = (labels: unknown, i: number, shown: string): void =>
        expect(() => f(z, labels as number[])).toThrow(new RangeError(`${name}: labels[${i}] must be an integer class index in 0..2, got ${shown}`))
      bad([0, 3], 1, '3')
      bad([-1, 0], 0, '-1')
      bad([1.5, 0], 0, '1.5')
      bad([0, Number.NaN], 1, 'NaN')
      bad([0, Number.POSITIVE_INFINITY], 1, 'Infinity')
      bad([0, '1'], 1, '"1" (a string)')
      bad([null, 0], 0, 'null')
      bad([0, undefined], 1, 'undefined (a undefined)')
      bad([0, 2 ** 53], 1, '9007199254740992')
      bad(Uint8Array.of(2, 3), 1, '3')
      // eslint-disable-next-line no-sparse-arrays
      bad([, 0], 0, 'undefined (a undefined)')
      expect(() => f(z, 'ab' as unknown as number[])).toThrow(new RangeError(`${name}: labels must be an array or a Uint8Array of class indices, got "ab" (a string)`))
      expect(() => f(z, fromArrays([[0], [1]]) as unknown as number[])).toThrow(new RangeError(`${name}: labels must be an array or a Uint8Array of class indices, got an object`))
      expect(() => f(z, Float64Array.of(0, 1) as unknown as number[])).toThrow(RangeError)
      // Logits are checked before labels.
      expect(() => f(fromArrays([[1], [2]]), [5])).toThrow(ShapeError)
      // The bounds are labels, and -0 is the label 0.
      expect(() => f(z, [0, 2])).not.toThrow()
      expect(f(z, [-0, 2])).toEqualBits(f(z, [0, 2]))
    }
  })

  it('never write to their inputs', () => {
    fc.assert(
      fc.property(caseOf(anyLogit), fc.boolean(), ({ z, labels }, bytes) => {
        const given = bytes ? Uint8Array.from(labels) : labels
        const zBefore = Float64Array.from(z.data)
        const labelsBefore = Array.from(given)
        softmaxCrossEntropy(z, given)
        softmaxCrossEntropyGrad(z, given)
        softmax(z)
        expect(z.data).toEqualBits(zBefore)
        expect(Array.from(given)).toEqual(labelsBefore)
      }),
    )
  })
})
