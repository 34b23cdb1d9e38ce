/**
 * The window rule, shared by the online tiles and the historical SQL. Times are UTC
 * microseconds. Tile k of a slide S holds event times [k*S, (k+1)*S). The value of an
 * aggregation at instant T covers `floor(T/S)*S - window + S <= t <= T`: the window/S
 * tiles ending with T's tile, cut at T (start inclusive, end inclusive).
 */

export const MICROS_PER_SECOND = 1_000_000n;

/** floor(a / b) for b > 0, also for negative a (BigInt division truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Below this, times and their products with small integers are exact as doubles. */
const EXACT = 2 ** 52;

/** The index of the tile holding event time `t`. */
export function tileIndex(t: bigint, slideSeconds: number): number {
  const micros = Number(t);
  const width = slideSeconds * 1e6;
  if (micros > -EXACT && micros < EXACT && width < 2 ** 50) {
    // Reads and ingest call this per aggregation and event: doubles, corrected where the
    // rounded quotient lands one off, rather than several BigInt allocations.
    let k = Math.floor(micros / width);
    if (k * width > micros) k--;
    else if ((k + 1) * width <= micros) k++;
    return k;
  }
  return Number(floorDiv(t, BigInt(slideSeconds) * MICROS_PER_SECOND));
}

/** The first and last tile a read at `at` merges (the last one cut at `at`). */
export function tileRange(at: bigint, windowSeconds: number, slideSeconds: number): { first: number; last: number } {
  const last = tileIndex(at, slideSeconds);
  return { first: last - windowSeconds / slideSeconds + 1, last };
}

/** The earliest event time a read at `at` includes. */
export function windowStart(at: bigint, windowSeconds: number, slideSeconds: number): bigint {
  return BigInt(tileRange(at, windowSeconds, slideSeconds).first) * BigInt(slideSeconds) * MICROS_PER_SECOND;
}
