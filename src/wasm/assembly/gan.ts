// AssemblyScript twin of a whole training epoch of the seed's GAN over small dense networks:
// src/gan/train.ts's epoch loop with src/kernels/gan-step.ts's two steps, network.ts's passes,
// dense.ts's and activation.ts's kernels, the non-saturating objective
// (src/objectives/nonsaturating.ts with src/loss/sigmoid-bce.ts's terms) and adam.ts's step,
// each with the same operations in the same order as its JavaScript form, so the same bits.
// Every product is product.ts's (the twin of src/matrix/kernels.ts's gemm: dot products when
// small, packed f64x2 blocks when large, k ascending from 0 either way). Besides the epoch,
// `ganStep` runs one step, D's or G's (src/gan/update.ts's updates of large networks).
import { exp } from './exp'
import { log1p } from './log'
import { LEFT, RIGHT, TASK_ADAM, awaitHelper, helped, helperTask, operand, panelBytes, postTask, product } from './product'

/** Adam steps of at least this many entries are split when a helper is attached. */
const SPLIT_ADAM_MIN: i32 = 1 << 16
import { tanh } from './tanh'

/** Most layers per network here (more: the JavaScript epoch runs). */
export const MAX_LAYERS = 16

// Activation kinds, as src/kernels/gan-epoch.ts numbers them.
const IDENTITY = 0
const TANH = 1
const SIGMOID = 2
const RELU = 3
const LEAKY_RELU = 4

// Per network (0: G, 1: D) and layer: units, kind, the offset of its W in the parameter
// block (entries), its input width, and the byte addresses of its buffers.
const UNITS = memory.data(2 * MAX_LAYERS * 4)
const KIND = memory.data(2 * MAX_LAYERS * 4)
const PARAM_OFF = memory.data(2 * MAX_LAYERS * 4)
const IN_SIZE = memory.data(2 * MAX_LAYERS * 4)
const PRE = memory.data(2 * MAX_LAYERS * 4)
const OUT = memory.data(2 * MAX_LAYERS * 4)
const DZ = memory.data(2 * MAX_LAYERS * 4)
const DA = memory.data(2 * MAX_LAYERS * 4)
const ALPHA = memory.data(2 * MAX_LAYERS * 8)
const LAYERS = memory.data(2 * 4)
const PARAMS = memory.data(2 * 4)

// @ts-ignore: decorator
@inline function slot(table: usize, net: i32, l: i32): usize {
  return table + ((<usize>(net * MAX_LAYERS + l)) << 2)
}
// @ts-ignore: decorator
@inline function geti(table: usize, net: i32, l: i32): i32 {
  return load<i32>(slot(table, net, l))
}
// @ts-ignore: decorator
@inline function seti(table: usize, net: i32, l: i32, v: i32): void {
  store<i32>(slot(table, net, l), v)
}
// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3)
}
// @ts-ignore: decorator
@inline function ld(p: usize, i: i32): f64 {
  return load<f64>(at(p, i))
}
// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: f64): void {
  store<f64>(at(p, i), v)
}

/**
 * Lays out network `net`'s forward and backward buffers for `rows` rows from byte address
 * `top` (the plan's layers are in the tables already); returns the next free address. Sets
 * the parameter offsets and the network's parameter count.
 */
function layOut(net: i32, inputSize: i32, rows: i32, top: usize): usize {
  const L = load<i32>(LAYERS + (<usize>net << 2))
  let d = inputSize
  let paramOff = 0
  for (let l = 0; l < L; l++) {
    const units = geti(UNITS, net, l)
    const size = <usize>(rows * units) << 3
    seti(IN_SIZE, net, l, d)
    seti(PARAM_OFF, net, l, paramOff)
    seti(PRE, net, l, <i32>top)
    top += size
    if (geti(KIND, net, l) == IDENTITY) {
      seti(OUT, net, l, geti(PRE, net, l))
      seti(DZ, net, l, 0)
    } else {
      seti(OUT, net, l, <i32>top)
      top += size
      seti(DZ, net, l, <i32>top)
      top += size
    }
    seti(DA, net, l, <i32>top)
    top += <usize>(rows * d) << 3
    paramOff += d * units + units
    d = units
  }
  store<i32>(PARAMS + (<usize>net << 2), paramOff)
  return top
}

/** `f(pre)` into `out` for `len` entries (activation.ts's activateInto). */
function activate(kind: i32, alpha: f64, pre: usize, out: usize, len: i32): void {
  if (kind == IDENTITY) return
  for (let i = 0; i < len; i++) {
    const v = ld(pre, i)
    let y: f64
    if (kind == TANH) {
      y = tanh(v)
    } else if (kind == SIGMOID) {
      if (v >= 0) {
        y = 1 / (1 + exp(-v))
      } else {
        const e = exp(v)
        y = e / (1 + e)
      }
    } else if (kind == RELU) {
      y = v < 0 ? 0 : v
    } else {
      y = v < 0 ? alpha * v : v
    }
    st(out, i, y)
  }
}

/** `dz = dy ⊙ f'(z)` (activation.ts's activationBackwardInto; identity is not called). */
function activateBackward(kind: i32, alpha: f64, pre: usize, out: usize, dy: usize, dz: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const g = ld(dy, i)
    let r: f64
    if (kind == TANH) {
      const v = ld(out, i)
      r = g * (1 - v * v)
    } else if (kind == SIGMOID) {
      const v = ld(out, i)
      r = g * (v * (1 - v))
    } else if (kind == RELU) {
      r = ld(pre, i) > 0 ? g : 0
    } else {
      r = ld(pre, i) > 0 ? g : alpha * g
    }
    st(dz, i, r)
  }
}

/** Network `net`'s forward pass on `rows` rows of `input` with parameters at `w` (network.ts, dense.ts). */
function forward(net: i32, w: usize, input: usize, rows: i32): void {
  const L = load<i32>(LAYERS + (<usize>net << 2))
  let x = input
  for (let l = 0; l < L; l++) {
    const K = geti(IN_SIZE, net, l)
    const m = geti(UNITS, net, l)
    const W = at(w, geti(PARAM_OFF, net, l))
    const b = at(W, K * m)
    const z = <usize>geti(PRE, net, l)
    // z = x·W: A(i, k) = x[i·K + k], B(k, j) = W[k·m + j]; then z_ij = c + b_j (dense.ts)
    product(operand(LEFT, x, K, 1), operand(RIGHT, W, 1, m), rows, m, K, z, PANELS)
    for (let i = 0; i < rows; i++) {
      const zi = at(z, i * m)
      for (let j = 0; j < m; j++) st(zi, j, ld(zi, j) + ld(b, j))
    }
    const out = <usize>geti(OUT, net, l)
    activate(geti(KIND, net, l), load<f64>(ALPHA + ((<usize>(net * MAX_LAYERS + l)) << 3)), z, out, rows * m)
    x = out
  }
}

/** The output of network `net`'s last layer. */
// @ts-ignore: decorator
@inline function outputOf(net: i32): usize {
  return <usize>geti(OUT, net, load<i32>(LAYERS + (<usize>net << 2)) - 1)
}

/**
 * Network `net`'s backward pass (network.ts's networkBackwardInto with dense.ts's
 * denseBackwardInto): from `dOut`, the parameters' gradient into `grads` (0: none) and the
 * input's into `dInput` (0: none).
 */
function backward(net: i32, w: usize, input: usize, dOut: usize, rows: i32, grads: usize, dInput: usize): void {
  const L = load<i32>(LAYERS + (<usize>net << 2))
  let dA = dOut
  for (let l = L - 1; l >= 0; l--) {
    const kind = geti(KIND, net, l)
    const d = geti(IN_SIZE, net, l)
    const m = geti(UNITS, net, l)
    let dz = dA
    if (kind != IDENTITY) {
      dz = <usize>geti(DZ, net, l)
      activateBackward(kind, load<f64>(ALPHA + ((<usize>(net * MAX_LAYERS + l)) << 3)), <usize>geti(PRE, net, l), <usize>geti(OUT, net, l), dA, dz, rows * m)
    }
    const a = l > 0 ? <usize>geti(OUT, net, l - 1) : input
    if (grads != 0) {
      const gW = at(grads, geti(PARAM_OFF, net, l))
      // dW = aᵀ·dz, summed over the rows from row 0: A(i, k) = a[k·d + i], B(k, j) = dz[k·m + j]
      product(operand(LEFT, a, 1, d), operand(RIGHT, dz, 1, m), d, m, rows, gW, PANELS)
      // db = column sums of dz, from 0 and from row 0 down
      const gb = at(gW, d * m)
      for (let j = 0; j < m; j++) st(gb, j, 0)
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < m; j++) st(gb, j, ld(gb, j) + ld(dz, i * m + j))
      }
    }
    const dst = l > 0 ? <usize>geti(DA, net, l) : dInput
    if (dst != 0) {
      // dx = dz·Wᵀ, summed over the units: A(i, k) = dz[i·m + k], B(k, j) = W[j·m + k]
      const W = at(w, geti(PARAM_OFF, net, l))
      product(operand(LEFT, dz, m, 1), operand(RIGHT, W, m, 1), rows, d, m, dst, PANELS)
      dA = dst
    }
  }
}

/** `exps[i] = exp(-|z_i|)`, `softplus[i] = log1p(exps[i])` (sigmoid-bce.ts's softplusTermsInto). */
function softplusTerms(logits: usize, exps: usize, softplus: usize, len: i32): void {
  for (let i = 0; i < len; i++) {
    const v = ld(logits, i)
    const e = exp(v >= 0 ? -v : v)
    st(exps, i, e)
    st(softplus, i, log1p(e))
  }
}

// sigmoid-bce.ts's sigmoidBceWithSoftplus and sigmoidBceGradWithExp
// @ts-ignore: decorator
@inline function bce(z: f64, y: f64, s: f64): f64 {
  return z >= 0 ? z * (1 - y) + s : s + -z * y
}
// @ts-ignore: decorator
@inline function bceGrad(z: f64, y: f64, e: f64): f64 {
  return z >= 0 ? 1 - y - e / (1 + e) : e / (1 + e) - y
}

/**
 * One Adam step's operands (`adam`'s): its constants, `size` parameters, the gradient, the
 * `[w | m | v]` blocks read (`src`) and written (`dst`), the step's rate and gradient scale,
 * and `from`, where a helper thread's part begins. In static memory (`ADAM_TASK`), or in the
 * helper's task area when the step is split (product.ts).
 */
@unmanaged export class AdamTask {
  consts: usize
  size: i32
  grad: usize
  src: usize
  dst: usize
  from: i32
  lrT: f64
  rescale: f64
}

/** The operands of an Adam step this thread runs alone. */
const ADAM_TASK = changetype<AdamTask>(memory.data(40, 8))

/** Adam's step on `size` parameters (adam.ts's adamStepInto), `[w | m | v]` from `src` to `dst`. */
function adam(consts: usize, lrT: f64, rescale: f64, size: i32, grad: usize, src: usize, dst: usize): void {
  // with a helper thread (product.ts), its entries from the middle on go to the helper
  const split = ASC_FEATURE_THREADS && helped() && size >= SPLIT_ADAM_MIN
  const task = split ? changetype<AdamTask>(helperTask(TASK_ADAM)) : ADAM_TASK
  task.consts = consts
  task.size = size
  task.grad = grad
  task.src = src
  task.dst = dst
  task.from = split ? (size >> 1) & ~1 : size
  task.lrT = lrT
  task.rescale = rescale
  if (ASC_FEATURE_THREADS) {
    if (split) {
      const g = postTask()
      adamRange(task, 0, task.from)
      awaitHelper(g)
      return
    }
  }
  adamRange(task, 0, size)
}

/**
 * `adam` on the entries `from <= i < to` of `task`'s arrays (`from` even): each entry's
 * operations are the same whichever range computes it.
 */
export function adamRange(task: AdamTask, from: i32, to: i32): void {
  const consts = task.consts
  const size = task.size
  const grad = task.grad
  const src = task.src
  const dst = task.dst
  const lrT = task.lrT
  const rescale = task.rescale
  const beta1 = ld(consts, 0)
  const beta2 = ld(consts, 1)
  const c1 = ld(consts, 2)
  const c2 = ld(consts, 3)
  const epsilon = ld(consts, 4)
  const m = at(src, size)
  const v = at(m, size)
  const mOut = at(dst, size)
  const vOut = at(mOut, size)
  // Two entries per f64x2 instruction, each lane the scalar loop's operations in its order
  // (sqrt and division are correctly rounded per lane); every lane's loads come before its
  // stores, so `src` may be `dst` (a step on a resident block).
  const b1 = f64x2.splat(beta1)
  const b2 = f64x2.splat(beta2)
  const k1 = f64x2.splat(c1)
  const k2 = f64x2.splat(c2)
  const eps = f64x2.splat(epsilon)
  const rate = f64x2.splat(lrT)
  const scale = f64x2.splat(rescale)
  let i = from
  for (; i + 1 < to; i += 2) {
    const gi = f64x2.mul(v128.load(at(grad, i)), scale)
    const mi = f64x2.add(f64x2.mul(b1, v128.load(at(m, i))), f64x2.mul(k1, gi))
    const vi = f64x2.add(f64x2.mul(b2, v128.load(at(v, i))), f64x2.mul(f64x2.mul(k2, gi), gi))
    v128.store(at(mOut, i), mi)
    v128.store(at(vOut, i), vi)
    v128.store(at(dst, i), f64x2.sub(v128.load(at(src, i)), f64x2.div(f64x2.mul(rate, mi), f64x2.add(f64x2.sqrt(vi), eps))))
  }
  for (; i < to; i++) {
    const gi = ld(grad, i) * rescale
    const mi = beta1 * ld(m, i) + c1 * gi
    const vi = beta2 * ld(v, i) + c2 * gi * gi
    st(mOut, i, mi)
    st(vOut, i, vi)
    st(dst, i, ld(src, i) - (lrT * mi) / (Math.sqrt(vi) + epsilon))
  }
}

// The epoch's buffers beyond the networks' own (layOutEpoch sets them).
let STACKED: usize = 0
let D_LOGITS: usize = 0
let SOFTPLUS: usize = 0
let D_FAKE: usize = 0
let GRAD_D: usize = 0
let GRAD_G: usize = 0
let SPARE_D: usize = 0
let SPARE_G: usize = 0
let PANELS: usize = 0

/** The most panel bytes any product of network `net`'s passes on `rows` rows needs. */
function panelsFor(net: i32, inputSize: i32, rows: i32): usize {
  const L = load<i32>(LAYERS + (<usize>net << 2))
  let d = inputSize
  let most: usize = 0
  for (let l = 0; l < L; l++) {
    const m = geti(UNITS, net, l)
    most = max(most, max(panelBytes(rows, m, d), max(panelBytes(d, m, rows), panelBytes(rows, d, m))))
    d = m
  }
  return most
}

/**
 * Reads `plan`'s layers into the tables and lays out every buffer of the epoch from `work`:
 * G's passes for `batch` rows, D's for `2·batch` (D's step stacks real and fake), the stacked
 * batch, the logits' gradient, the softplus terms, `dL/dG(Z)`, both gradients and the second
 * copy of each block. Returns the first address past them (the plan layout: see `ganEpoch`).
 */
function layOutEpoch(plan: usize, work: usize): usize {
  const gL = load<i32>(plan)
  const dL = load<i32>(plan, 4)
  store<i32>(LAYERS, gL)
  store<i32>(LAYERS, dL, 4)
  for (let l = 0; l < gL; l++) {
    seti(UNITS, 0, l, load<i32>(plan + 24 + (<usize>l << 3)))
    seti(KIND, 0, l, load<i32>(plan + 28 + (<usize>l << 3)))
  }
  const dPlan = plan + 24 + (<usize>gL << 3)
  for (let l = 0; l < dL; l++) {
    seti(UNITS, 1, l, load<i32>(dPlan + (<usize>l << 3)))
    seti(KIND, 1, l, load<i32>(dPlan + 4 + (<usize>l << 3)))
  }
  const latent = load<i32>(plan, 8)
  const width = load<i32>(plan, 12)
  const batch = load<i32>(plan, 20)
  let top = layOut(0, latent, batch, (work + 15) & ~(<usize>15))
  top = layOut(1, width, 2 * batch, top)
  const PG = load<i32>(PARAMS)
  const PD = load<i32>(PARAMS, 4)
  STACKED = top
  D_LOGITS = at(STACKED, 2 * batch * width)
  SOFTPLUS = at(D_LOGITS, 2 * batch)
  D_FAKE = at(SOFTPLUS, 2 * batch)
  // one gradient buffer for both steps: D's step reads D's gradient only before G's step runs
  GRAD_D = at(D_FAKE, batch * width)
  GRAD_G = GRAD_D
  SPARE_D = at(GRAD_D, max(PD, PG))
  SPARE_G = at(SPARE_D, 3 * PD)
  PANELS = (at(SPARE_G, 3 * PG) + 15) & ~(<usize>15)
  return PANELS + max(panelsFor(0, latent, batch), panelsFor(1, width, 2 * batch))
}

/** True when `plan`'s networks fit the layer tables (at least 1 and at most MAX_LAYERS layers each). */
function fitsTables(plan: usize): bool {
  const gL = load<i32>(plan)
  const dL = load<i32>(plan, 4)
  return gL >= 1 && dL >= 1 && gL <= MAX_LAYERS && dL <= MAX_LAYERS
}

/** Reads `floats`' leaky-relu slopes (G's layers, then D's) into the slope table. */
function readSlopes(plan: usize, floats: usize): void {
  const gL = load<i32>(plan)
  const dL = load<i32>(plan, 4)
  for (let l = 0; l < gL + dL; l++) {
    const net = l < gL ? 0 : 1
    store<f64>(ALPHA + ((<usize>(net * MAX_LAYERS + (l < gL ? l : l - gL))) << 3), ld(floats, l))
  }
}

/**
 * D's step on `n` rows (gan-step.ts's discriminatorStepInto): U = [X; G(Z)], D on U, D's
 * loss, D's gradient, Adam (constants at `adamD`, rate `lr`) from D's block `curD` into
 * `nextD`; G's parameters are read from `curG`. Returns the summed loss.
 */
function discriminatorStep(n: i32, X: usize, Z: usize, curG: usize, curD: usize, nextD: usize, adamD: usize, lr: f64): f64 {
  const width = geti(IN_SIZE, 1, 0)
  const stacked = STACKED
  const dLogits = D_LOGITS
  const softplus = SOFTPLUS
  for (let i = 0; i < n * width; i++) st(stacked, i, ld(X, i))
  forward(0, curG, Z, n)
  const fake = outputOf(0)
  for (let i = 0; i < n * width; i++) st(stacked, n * width + i, ld(fake, i))
  forward(1, curD, stacked, 2 * n)
  const logits = outputOf(1)
  softplusTerms(logits, dLogits, softplus, 2 * n)
  let lossD: f64 = 0
  for (let i = 0; i < n; i++) {
    const zr = ld(logits, i)
    const zf = ld(logits, n + i)
    lossD += (bce(zr, 1, ld(softplus, i)) + bce(zf, 0, ld(softplus, n + i))) / 2
    st(dLogits, i, bceGrad(zr, 1, ld(dLogits, i)) * 0.5)
    st(dLogits, n + i, bceGrad(zf, 0, ld(dLogits, n + i)) * 0.5)
  }
  backward(1, curD, stacked, dLogits, 2 * n, GRAD_D, 0)
  adam(adamD, lr, 1 / <f64>n, load<i32>(PARAMS, 4), GRAD_D, curD, nextD)
  return lossD
}

/**
 * G's step on `n` rows (gan-step.ts's generatorStepInto): G(Z), D (parameters at `curD`) on
 * G(Z), G's loss, the gradient through D to G(Z), G's gradient, Adam (constants at `adamG`,
 * rate `lr`) from G's block `curG` into `nextG`. Returns the summed loss. `forwardDone`: G's
 * buffers hold G's forward pass of these parameters on this Z already (D's step just ran it,
 * and nothing has written them since), the very values it would compute again.
 */
function generatorStep(n: i32, Z: usize, curG: usize, curD: usize, nextG: usize, adamG: usize, lr: f64, forwardDone: bool): f64 {
  const dLogits = D_LOGITS
  const softplus = SOFTPLUS
  if (!forwardDone) forward(0, curG, Z, n)
  const fake = outputOf(0)
  forward(1, curD, fake, n)
  const logits = outputOf(1)
  softplusTerms(logits, dLogits, softplus, n)
  let lossG: f64 = 0
  for (let i = 0; i < n; i++) {
    const zi = ld(logits, i)
    lossG += bce(zi, 1, ld(softplus, i))
    st(dLogits, i, bceGrad(zi, 1, ld(dLogits, i)))
  }
  backward(1, curD, fake, dLogits, n, 0, D_FAKE)
  backward(0, curG, Z, D_FAKE, n, GRAD_G, 0)
  adam(adamG, lr, 1 / <f64>n, load<i32>(PARAMS), GRAD_G, curG, nextG)
  return lossG
}

/**
 * One epoch of minibatch steps (train.ts's epoch loop): for each minibatch of `batch` rows of
 * the data (the last one ragged), D's step then G's step on the matching rows of the noise.
 *
 * `epoch` holds ten i32 byte addresses, in order:
 * - `plan` (i32): G's layer count, D's layer count, the noise width, the data width, the data's
 *   rows, the batch size, then `units, kind` for each of G's layers and each of D's;
 * - `floats` (f64): each layer's leaky-relu slope (G's, then D's), then Adam's `beta1, beta2,
 *   1 − beta1, 1 − beta2, epsilon` for D, the same for G;
 * - `data`, `noise`: the epoch's shuffled rows and its noise rows;
 * - `lrD`, `lrG`: each step's bias-corrected learning rate;
 * - `blockD`, `blockG`: the networks' `[w | m | v]` blocks, read at the start and overwritten
 *   with the epoch's last blocks;
 * - `work`: free memory from here on (`ganEpochWorkBytes` of it);
 * - `sums`: receives the summed losses of D and G.
 *
 * Returns the number of steps when every loss was finite; `-1 − s` when step `s`'s loss was
 * not (the blocks are then left as they were); `-1000000` when the plan has too many layers.
 */
export function ganEpoch(epoch: usize): i32 {
  const plan = <usize>load<i32>(epoch)
  if (!fitsTables(plan)) return -1000000
  const floats = <usize>load<i32>(epoch, 4)
  const data = <usize>load<i32>(epoch, 8)
  const noise = <usize>load<i32>(epoch, 12)
  const lrD = <usize>load<i32>(epoch, 16)
  const lrG = <usize>load<i32>(epoch, 20)
  const blockD = <usize>load<i32>(epoch, 24)
  const blockG = <usize>load<i32>(epoch, 28)
  const work = <usize>load<i32>(epoch, 32)
  const sums = <usize>load<i32>(epoch, 36)
  layOutEpoch(plan, work)
  readSlopes(plan, floats)
  const gL = load<i32>(plan)
  const dL = load<i32>(plan, 4)
  const latent = load<i32>(plan, 8)
  const width = load<i32>(plan, 12)
  const rows = load<i32>(plan, 16)
  const batch = load<i32>(plan, 20)
  const adamD = at(floats, gL + dL)
  const adamG = at(adamD, 5)
  const PG = load<i32>(PARAMS)
  const PD = load<i32>(PARAMS, 4)
  // The blocks of each step, alternating between the caller's and a second copy.
  let curD = blockD
  let nextD = SPARE_D
  let curG = blockG
  let nextG = SPARE_G
  let sumD: f64 = 0
  let sumG: f64 = 0
  let step = 0
  for (let start = 0; start < rows; start += batch) {
    const n = min(batch, rows - start)
    const Z = at(noise, start * latent)
    const lossD = discriminatorStep(n, at(data, start * width), Z, curG, curD, nextD, adamD, ld(lrD, step))
    if (!isFinite(lossD)) return -1 - step
    // D's step ran G's forward pass on Z with curG, and wrote none of G's buffers after it
    const lossG = generatorStep(n, Z, curG, nextD, nextG, adamG, ld(lrG, step), true)
    if (!isFinite(lossG)) return -1 - step
    sumD += lossD
    sumG += lossG
    const tD = curD
    curD = nextD
    nextD = tD
    const tG = curG
    curG = nextG
    nextG = tG
    step++
  }
  if (curD != blockD) memory.copy(blockD, curD, <usize>(3 * PD) << 3)
  if (curG != blockG) memory.copy(blockG, curG, <usize>(3 * PG) << 3)
  st(sums, 0, sumD)
  st(sums, 1, sumG)
  return step
}

/**
 * One step, D's or G's, on `batch` rows (the plan's batch size; its data rows are not read).
 * `step` holds eight i32 byte addresses, in order: `plan` and `floats` (as `ganEpoch`'s),
 * `real` (the real rows: D's step; 0: G's step), `noise`, `blockG` and `blockD` (G's and D's
 * blocks: the updated network's whole `[w | m | v]`, the other's parameters at least), `work`
 * (`ganEpochWorkBytes` of free memory) and `scalars` (f64: the step's bias-corrected learning
 * rate, the summed loss written back, then 1 when G's buffers in the work memory hold G's
 * forward pass of `blockG` on `noise` already: see `generatorStep`). Returns the byte address
 * of the updated network's new block (in the work memory), or 0 when the plan has too many
 * layers. Either step leaves G's forward pass of `blockG` on `noise` in G's buffers.
 */
export function ganStep(step: usize): usize {
  const plan = <usize>load<i32>(step)
  if (!fitsTables(plan)) return 0
  const floats = <usize>load<i32>(step, 4)
  const real = <usize>load<i32>(step, 8)
  const noise = <usize>load<i32>(step, 12)
  const blockG = <usize>load<i32>(step, 16)
  const blockD = <usize>load<i32>(step, 20)
  const work = <usize>load<i32>(step, 24)
  const scalars = <usize>load<i32>(step, 28)
  layOutEpoch(plan, work)
  readSlopes(plan, floats)
  const adamD = at(floats, load<i32>(plan) + load<i32>(plan, 4))
  const batch = load<i32>(plan, 20)
  const lr = ld(scalars, 0)
  if (real != 0) {
    st(scalars, 1, discriminatorStep(batch, real, noise, blockG, blockD, SPARE_D, adamD, lr))
    return SPARE_D
  }
  st(scalars, 1, generatorStep(batch, noise, blockG, blockD, SPARE_G, at(adamD, 5), lr, ld(scalars, 2) == 1))
  return SPARE_G
}

/**
 * Where `ganStep` writes network `net`'s new block (0: G, 1: D) for `plan` with work memory from
 * `work`: the caller may copy a block there before the step (the step then updates it in place).
 */
export function ganStepBlockAt(plan: usize, work: usize, net: i32): usize {
  if (!fitsTables(plan)) return 0
  layOutEpoch(plan, work)
  return net == 0 ? SPARE_G : SPARE_D
}

/** Bytes of work memory `ganEpoch` needs beyond its `work` address for `plan` (its layout, from 0). */
export function ganEpochWorkBytes(plan: usize): usize {
  return fitsTables(plan) ? layOutEpoch(plan, 0) : 0
}
