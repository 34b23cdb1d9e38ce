/**
 * An independent oracle for stream windows: plain JS over the event list, written from
 * the README's rule and nothing else. At T, an aggregation of window W and slide S sees
 * events with floor(T/S)*S - W + S <= t <= T; nulls are ignored (count counts non-nulls);
 * an empty window is count 0 and null otherwise; last is the value of the greatest
 * (time, value) pair.
 */
export interface OracleEvent {
  readonly key: number;
  readonly t: bigint;
  readonly values: Readonly<Record<string, number | null>>;
}
export interface OracleAggregation {
  readonly name: string;
  readonly column: string;
  readonly fn: string;
  readonly windowSeconds: number;
  readonly slideSeconds: number;
}

export function oracleValue(events: readonly OracleEvent[], key: number, at: bigint, a: OracleAggregation): number | null {
  const slide = BigInt(a.slideSeconds) * 1_000_000n;
  const tileStart = at >= 0n ? (at / slide) * slide : -((-at + slide - 1n) / slide) * slide;
  const start = tileStart - BigInt(a.windowSeconds) * 1_000_000n + slide;
  const seen = events.filter((e) => e.key === key && e.t >= start && e.t <= at && e.values[a.column] !== null);
  const values = seen.map((e) => e.values[a.column] as number);
  if (a.fn === 'count') return values.length;
  if (values.length === 0) return null;
  switch (a.fn) {
    case 'sum':
      return values.reduce((x, y) => x + y, 0);
    case 'mean':
      return values.reduce((x, y) => x + y, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'last': {
      const best = seen.reduce((x, y) => (y.t > x.t || (y.t === x.t && (y.values[a.column] as number) > (x.values[a.column] as number)) ? y : x));
      return best.values[a.column];
    }
    default:
      throw new Error(`oracle: unknown fn ${a.fn}`);
  }
}
