/**
 * The flat-optimiser records of src/kernels besides Adam's (properties/kernels/adam.test.ts):
 * `sgdFlat` (block `[w]`), `rmspropFlat` (`[w | s]`) and `momentumFlat` (`[w | v]`).
 *
 * - Each names itself and keeps its number of state slots per parameter.
 * - `init` writes zeros into exactly the `slotsPerParameter · size` entries of the state and
 *   nothing else (SGD's writes nothing).
 * - `stepInto` is the step kernel with the record's hyperparameters (momentum's: the rates of
 *   its schedules at the count, `momentumStepRates`), bit for bit, at any count.
 * - The step kernel, at any offsets, writes exactly its `(slots + 1) · size` entries, reads
 *   `from` and `grad` without writing them, and equals a scalar transcription of the equations
 *   written here (the steps over several calls and trees: properties/optim).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FlatOptimizer } from '../../src/kernels/adam.js'
import { type MomentumHyperparameters, momentumFlat, momentumStepInto, momentumStepRates } from '../../src/kernels/momentum.js'
import { rmspropFlat, rmspropStepInto } from '../../src/kernels/rmsprop.js'
import { sgdFlat, sgdStepInto } from '../../src/kernels/sgd.js'
import type { View } from '../../src/kernels/view.js'

const values = (n: number, min = -3, max = 3) => fc.array(fc.double({ min, max, noNaN: true }), { minLength: n, maxLength: n })
const positive = (min: number, max: number) => fc.double({ min, max, noNaN: true })
const unit = fc.double({ min: 0, max: 0.9999, noNaN: true })

const sgdHyper = fc.record({ learningRate: positive(1e-4, 1), rescaleGrad: positive(1e-3, 10) })
const rmspropHyper = fc.record({ learningRate: positive(1e-4, 1), rho: unit, epsilon: positive(1e-10, 1e-3), rescaleGrad: positive(1e-3, 10) })
const momentumRates = fc.record({ learningRate: positive(1e-4, 1), momentum: unit, rescaleGrad: positive(1e-3, 10) })
const momentumHyper: fc.Arbitrary<MomentumHyperparameters> = fc
  .record({
    rates: momentumRates,
    decay: positive(1, 2),
    minLearningRate: positive(0, 1e-3),
    finalMomentum: unit,
    rampEvery: fc.integer({ min: 1, max: 10 }),
    rampStart: fc.nat(20),
    width: fc.nat(20),
  })
  .map(({ rates, rampStart, width, ...rest }) => ({ ...rates, ...rest, rampStart, rampSaturate: rampStart + width }))

/**
 * The equations of each step for one entry, written from docs/optimizers.md: the entry's
 * gradient, parameter and state slots in, its new parameter and slots out.
 */
const sgdEntry = (h: { learningRate: number; rescaleGrad: number }, g: number, [w]: number[]): number[] => [w! - h.learningRate * (g * h.rescaleGrad)]
const rmspropEntry = (h: { learningRate: number; rho: number; epsilon: number; rescaleGrad: number }, grad: number, [w, s]: number[]): number[] => {
  const g = grad * h.rescaleGrad
  const s1 = h.rho * s! + (1 - h.rho) * g * g
  return [w! - (h.learningRate * g) / (Math.sqrt(s1) + h.epsilon), s1]
}
const momentumEntry = (h: { learningRate: number; momentum: number; rescaleGrad: number }, grad: number, [w, v]: number[]): number[] => {
  const g = grad * h.rescaleGrad
  const v1 = h.momentum * v! + g
  return [w! - h.learningRate * v1, v1]
}

interface Case<H, K> {
  readonly flat: FlatOptimizer<H>
  readonly name: string
  readonly slots: number
  readonly hyper: fc.Arbitrary<H>
  /** The step kernel's constants of the step after `count` steps (the hyperparameters themselves but momentum's). */
  readonly at: (h: H, count: number) => K
  /** Valid constants of one step. */
  readonly constants: fc.Arbitrary<K>
  readonly kernel: (k: K, size: number, grad: View, from: View, to: View) => void
  readonly entry: (k: K, grad: number, slots: number[]) => number[]
  /** Valid state values (a mean square is never negative). */
  readonly state: (size: number) => fc.Arbitrary<number[]>
}

const PAD = -7.25

/** The four properties of one record. */
const flatOptimizerTests = <H, K>(c: Case<H, K>): void => {
  describe(`${c.name}Flat`, () => {
    it(`names itself '${c.name}' and keeps ${c.slots} state slot(s) per parameter`, () => {
      expect(c.flat.name).toBe(c.name)
      expect(c.flat.slotsPerParameter).toBe(c.slots)
    })

    it(`init writes zeros into the ${c.slots}·size entries of the state and nothing else`, () =>
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 9 }), fc.nat(4), (size, off) => {
          const a = new Float64Array(off + c.slots * size + 3).fill(7)
          c.flat.init(size, { data: a, off })
          expect(Array.from(a)).toEqual([...Array(off).fill(7), ...Array(c.slots * size).fill(0), 7, 7, 7])
        }),
      ))

    it("stepInto is the step kernel with the count's constants, bit for bit, at any count", () =>
      fc.assert(
        fc.property(
          c.hyper,
          fc.integer({ min: 1, max: 6 }).chain((size) => fc.tuple(fc.constant(size), values(size), values(size), c.state(size))),
          fc.oneof(fc.nat(100), fc.nat(Number.MAX_SAFE_INTEGER)),
          (h, [size, grad, w, state], count) => {
            const block = [...w, ...state]
            const want = new Float64Array((c.slots + 1) * size)
            c.kernel(c.at(h, count), size, { data: Float64Array.from(grad), off: 0 }, { data: Float64Array.from(block), off: 0 }, { data: want, off: 0 })
            const got = new Float64Array((c.slots + 1) * size)
            c.flat.stepInto(h, { count, size }, { data: Float64Array.from(grad), off: 0 }, { data: Float64Array.from(block), off: 0 }, { data: got, off: 0 })
            expect(got).toEqualBits(want)
          },
        ),
      ))

    it(`the step kernel, at any offsets, writes exactly its ${c.slots + 1}·size entries, the equations' values, and reads its inputs only`, () =>
      fc.assert(
        fc.property(
          c.constants,
          fc.integer({ min: 0, max: 6 }).chain((size) => fc.tuple(fc.constant(size), values(size), values(size), c.state(size))),
          fc.nat(5),
          fc.nat(5),
          fc.nat(5),
          (h, [size, grad, w, state], gOff, srcOff, outOff) => {
            const block = [...w, ...state]
            const g = new Float64Array(gOff + size + 2).fill(PAD)
            g.set(grad, gOff)
            const src = new Float64Array(srcOff + block.length + 2).fill(PAD)
            src.set(block, srcOff)
            const gBefore = Array.from(g)
            const srcBefore = Array.from(src)
            const out = new Float64Array(outOff + (c.slots + 1) * size + 2).fill(PAD)
            c.kernel(h, size, { data: g, off: gOff }, { data: src, off: srcOff }, { data: out, off: outOff })
            // The equations entry by entry: parameter i and its slots (at i, size + i, ...).
            const want: number[] = new Array<number>((c.slots + 1) * size)
            for (let i = 0; i < size; i++) {
              const slots = Array.from({ length: c.slots + 1 }, (_, j) => block[j * size + i]!)
              c.entry(h, grad[i]!, slots).forEach((x, j) => {
                want[j * size + i] = x
              })
            }
            expect(out.subarray(outOff, outOff + want.length)).toEqualBits(want)
            expect([...out.subarray(0, outOff), ...out.subarray(outOff + want.length)].every((x) => x === PAD)).toBe(true)
            expect(Array.from(g)).toEqualBits(gBefore)
            expect(Array.from(src)).toEqualBits(srcBefore)
          },
        ),
      ))
  })
}

const same = <H>(h: H): H => h
flatOptimizerTests({ flat: sgdFlat, name: 'sgd', slots: 0, hyper: sgdHyper, at: same, constants: sgdHyper, kernel: sgdStepInto, entry: sgdEntry, state: () => fc.constant([]) })
flatOptimizerTests({ flat: rmspropFlat, name: 'rmsprop', slots: 1, hyper: rmspropHyper, at: same, constants: rmspropHyper, kernel: rmspropStepInto, entry: rmspropEntry, state: (n) => values(n, 0, 9) })
flatOptimizerTests({ flat: momentumFlat, name: 'momentum', slots: 1, hyper: momentumHyper, at: momentumStepRates, constants: momentumRates, kernel: momentumStepInto, entry: momentumEntry, state: (n) => values(n) })
