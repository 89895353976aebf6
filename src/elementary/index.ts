/**
 * pure-gan's own elementary functions: `exp`, `expm1`, `log`, `log1p`, `tanh`, `powInt`, `sin`
 * and `cos`, computed with `+ − × ÷`, `Math.sqrt`/`abs`/`floor`/`trunc`/`round` and bit access
 * only, so that they give the same bits on every JavaScript engine (IEEE 754 makes those
 * operations correctly rounded; the engines' `Math.exp`, `Math.log`, ... differ between engines
 * and versions). Accuracy, algorithms and special values: docs/elementary.md.
 *
 * @module
 */
export { exp, expInto, expm1 } from './exp.js'
export { log, log1p, log1pInto } from './log.js'
export { tanh, tanhInto } from './tanh.js'
export { powInt } from './pow.js'
export { cos, sin, sinCos } from './trig.js'
