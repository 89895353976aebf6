// AssemblyScript: bit access to doubles, the twins of src/elementary/bits.ts (highWord and
// lowWord read a double's upper and lower 32 bits as a signed int, as the JavaScript forms do).

/** The upper 32 bits of `x`, as a signed int. */
// @ts-ignore: decorator
@inline export function highWord(x: f64): i32 {
  return <i32>(reinterpret<i64>(x) >> 32)
}

/** The lower 32 bits of `x`, as a signed int. */
// @ts-ignore: decorator
@inline export function lowWord(x: f64): i32 {
  return <i32>reinterpret<i64>(x)
}

/** `x` with its upper 32 bits replaced by `hi`. */
// @ts-ignore: decorator
@inline export function withHighWord(x: f64, hi: i32): f64 {
  return reinterpret<f64>((<i64>hi << 32) | (reinterpret<i64>(x) & 0xffffffff))
}

/** `2^k` for `-1022 <= k <= 1023` (exact). */
// @ts-ignore: decorator
@inline export function pow2(k: i32): f64 {
  return reinterpret<f64>(<i64>(k + 1023) << 52)
}
