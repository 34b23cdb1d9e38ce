import type { Aggregation, StreamFeatureView, ValueType } from '../definitions/index.js';
import { compareCodePoints } from '../online/entity-key.js';
import { MICROS_PER_SECOND, tileIndex, tileRange } from './window.js';

/** A value as tiles keep it: int64 and timestamps (microseconds) as bigint, other numbers as number. */
export type AggValue = number | bigint | string | boolean;

/** Partial aggregates of one column's non-null values within one tile. */
export interface Tile {
  count: number;
  /** bigint for integer columns (exact), number for floats; null while count is 0. */
  sum: number | bigint | null;
  min: AggValue | null;
  max: AggValue | null;
  /** The last value: greatest event time, ties to the greatest value. */
  lastTime: bigint | null;
  last: AggValue | null;
}

/** Tiles of one (column, slide) pair, shared by every aggregation over them. */
export interface TileGroup {
  readonly column: string;
  readonly slideSeconds: number;
  readonly tiles: Map<number, Tile>;
}

/** One entity's state in a stream view: its watermark and every group's tiles. */
export interface EntityState {
  /** The greatest event time applied for this entity. */
  watermark: bigint;
  readonly groups: Map<string, TileGroup>;
}

export const groupKey = (a: Pick<Aggregation, 'column' | 'slideSeconds'>): string => `${a.column}\u0000${a.slideSeconds}`;

export function emptyState(watermark: bigint): EntityState {
  return { watermark, groups: new Map() };
}

/** Orders two values of one column type (strings by code point, as DuckDB orders UTF-8). */
export function compareAgg(a: AggValue, b: AggValue): number {
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A checked column value (checkValue's output) as tiles keep it; Float32 rounded as the offline store stores it. */
export function toAggValue(value: unknown, type: ValueType): AggValue | null {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'Int64':
      return BigInt(value as number | bigint);
    case 'Int32':
      return Number(value);
    case 'Float32':
      return Math.fround(value as number);
    case 'UnixTimestamp':
      return BigInt((value as Date).getTime()) * 1000n;
    default:
      return value as AggValue;
  }
}

/** Adds one event's value to the tile holding `time`. */
export function addToGroup(group: TileGroup, time: bigint, value: AggValue | null, integerSum: boolean): void {
  if (value === null) return;
  const k = tileIndex(time, group.slideSeconds);
  let tile = group.tiles.get(k);
  if (!tile) group.tiles.set(k, (tile = { count: 0, sum: null, min: null, max: null, lastTime: null, last: null }));
  tile.count++;
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (integerSum) tile.sum = ((tile.sum as bigint | null) ?? 0n) + BigInt(value);
    else tile.sum = ((tile.sum as number | null) ?? 0) + Number(value);
  }
  if (tile.min === null || compareAgg(value, tile.min) < 0) tile.min = value;
  if (tile.max === null || compareAgg(value, tile.max) > 0) tile.max = value;
  if (tile.lastTime === null || time > tile.lastTime || (time === tile.lastTime && compareAgg(value, tile.last!) > 0)) {
    tile.lastTime = time;
    tile.last = value;
  }
}

/** One group's tiles as columns (tile i: ks[i], counts[i], ...): what an online read merges without building a tile per tile. */
export interface TileColumns {
  readonly column: string;
  readonly slideSeconds: number;
  readonly ks: ArrayLike<number>;
  readonly counts: ArrayLike<number>;
  readonly sums: ArrayLike<number | bigint | null>;
  readonly mins: ArrayLike<AggValue | null>;
  readonly maxs: ArrayLike<AggValue | null>;
  /** Microseconds, as doubles (exact until the year 2255). */
  readonly lastTimes: ArrayLike<number>;
  readonly lasts: ArrayLike<AggValue | null>;
}

/** The aggregate at instant `at` (see window.ts for the rule); null for an empty window, except count 0. */
export function aggregateAt(group: TileColumns | undefined, aggregation: Aggregation, at: bigint): AggValue | null {
  const { first, last } = tileRange(at, aggregation.windowSeconds, aggregation.slideSeconds);
  return aggregateTiles(group, aggregation.fn, first, last);
}

/** `fn` over the group's tiles `first` to `last` (inclusive), merged in their stored order; null when none, except count 0. */
export function aggregateTiles(group: TileColumns | undefined, fn: Aggregation['fn'], first: number, last: number): AggValue | null {
  let count = 0;
  let sum: number | bigint | null = null;
  let min: AggValue | null = null;
  let max: AggValue | null = null;
  let lastTime = -Infinity;
  let lastValue: AggValue | null = null;
  const n = group?.ks.length ?? 0;
  for (let i = 0; i < n; i++) {
    const k = group!.ks[i];
    const tileCount = group!.counts[i];
    if (k < first || k > last || tileCount === 0) continue;
    count += tileCount;
    const tileSum = group!.sums[i];
    if (tileSum !== null) sum = sum === null ? tileSum : typeof sum === 'bigint' ? sum + (tileSum as bigint) : sum + (tileSum as number);
    const tileMin = group!.mins[i]!;
    const tileMax = group!.maxs[i]!;
    if (min === null || compareAgg(tileMin, min) < 0) min = tileMin;
    if (max === null || compareAgg(tileMax, max) > 0) max = tileMax;
    const tileTime = group!.lastTimes[i];
    const tileLast = group!.lasts[i]!;
    if (tileTime > lastTime || (tileTime === lastTime && compareAgg(tileLast, lastValue!) > 0)) {
      lastTime = tileTime;
      lastValue = tileLast;
    }
  }
  switch (fn) {
    case 'count':
      return count;
    case 'sum':
      return count === 0 ? null : sum;
    case 'mean':
      return count === 0 ? null : Number(sum) / count;
    case 'min':
      return min;
    case 'max':
      return max;
    case 'last':
      return lastValue;
  }
}

/**
 * Drops tiles no read at or after `watermark - allowedLateness` needs: late events
 * never reach them (they are refused), and reads that far back are documented as
 * served from what remains.
 */
export function evictTiles(view: Pick<StreamFeatureView, 'aggregations' | 'allowedLatenessSeconds'>, state: EntityState): void {
  const oldestRead = state.watermark - BigInt(view.allowedLatenessSeconds) * MICROS_PER_SECOND;
  for (const [key, group] of state.groups) {
    const windows = view.aggregations.filter((a) => groupKey(a) === key).map((a) => a.windowSeconds);
    if (windows.length === 0) {
      state.groups.delete(key);
      continue;
    }
    const keepFrom = tileRange(oldestRead, Math.max(...windows), group.slideSeconds).first;
    for (const k of group.tiles.keys()) if (k < keepFrom) group.tiles.delete(k);
  }
}
