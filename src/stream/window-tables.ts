import type { Aggregation } from '../definitions/index.js';
import { aggregateTiles, type AggValue, type Tile, type TileColumns, type TileGroup } from './tiles.js';

/*
 * Window totals kept beside the tiles, so that a read at the present answers each
 * aggregate with one lookup instead of merging the window's tiles. A read at instant T
 * covers the tiles first..last with last = T's tile; when no tile is newer than T's tile
 * (every read at or after the entity's newest event, and any read whose tile is not older
 * than the newest tile), what it merges is every tile from `first` on, so its value
 * depends on `first` alone, and changes only where a non-empty tile leaves the window.
 * The table holds that value for each such tile: computed by the same merge over the same
 * tiles in the same stored order as a read would do, so a lookup equals the merge, float
 * sums to the bit. Rewritten with the tiles on every ingest, in the same write (nothing
 * to invalidate: a table always describes the tiles beside it; window-record.ts); a read
 * older than the newest tile, or of an aggregation without a table, merges the tiles.
 */

export const FN_CODES: Readonly<Record<Aggregation['fn'], number>> = { count: 0, sum: 1, mean: 2, min: 3, max: 4, last: 5 };

/** Tables of sum, mean, min and max cost (starts x tiles) merge steps per ingest of the entity; past this, the aggregation merges at read. */
export const MAX_TABLE_WORK = 1 << 16;

export interface WindowTable {
  /** The tile group (column, slide) the aggregation reads. */
  readonly column: string;
  readonly slideSeconds: number;
  readonly fn: number;
  readonly windowSeconds: number;
  /** The newest tile: the table answers reads whose tile is this one or later. */
  readonly newest: number;
  /**
   * Ascending tile indices: the window's value when its first tile is in (starts[j-1],
   * starts[j]] is values[j]; after the last, the window is empty. Where consecutive values
   * are equal (same bits) only the later start is kept.
   */
  readonly starts: readonly number[];
  readonly values: readonly (number | bigint)[];
  /** Values as float64 (true) or int64 (false). */
  readonly float: boolean;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The tiles of `group` from tile `first` on, in their stored order, as the stored record
 * gives them back to a read (lastTime as a double, exact until the year 2255): what every
 * window ending at the newest tile merges.
 */
function tilesFrom(group: TileGroup, first: number): TileColumns & { readonly ks: number[] } {
  const ks: number[] = [];
  const tiles: Tile[] = [];
  for (const [k, tile] of group.tiles) {
    if (k < first) continue;
    ks.push(k);
    tiles.push(tile);
  }
  return {
    column: group.column,
    slideSeconds: group.slideSeconds,
    ks,
    counts: tiles.map((t) => t.count),
    sums: tiles.map((t) => t.sum),
    mins: tiles.map((t) => t.min),
    maxs: tiles.map((t) => t.max),
    // A tile exists once it holds a value, so it has a time.
    lastTimes: tiles.map((t) => Number(t.lastTime)),
    lasts: tiles.map((t) => t.last),
  };
}

/**
 * The tables of the aggregations over an entity's tile groups. None for an aggregation
 * whose values are not all float64 or all int64 (strings, booleans, sums beyond int64:
 * those merge at read), or whose table would cost more than MAX_TABLE_WORK to compute.
 */
export function windowTables(
  groups: Iterable<TileGroup>,
  aggregations: readonly Pick<Aggregation, 'column' | 'fn' | 'windowSeconds' | 'slideSeconds'>[],
): WindowTable[] {
  const tables: WindowTable[] = [];
  const done = new Set<string>();
  const all = [...groups];
  for (const a of aggregations) {
    const id = `${a.column}\u0000${a.slideSeconds}\u0000${a.fn}\u0000${a.windowSeconds}`;
    if (done.has(id)) continue;
    done.add(id);
    const group = all.find((g) => g.column === a.column && g.slideSeconds === a.slideSeconds);
    if (!group || group.tiles.size === 0) continue;
    let newest = -Infinity;
    for (const k of group.tiles.keys()) if (k > newest) newest = k;
    const columns = tilesFrom(group, newest - a.windowSeconds / a.slideSeconds + 1);
    // Tiles holding values, oldest first: a window's first tile moving past one changes the value.
    const order = columns.ks.map((_, i) => i).filter((i) => columns.counts[i] > 0);
    order.sort((x, y) => columns.ks[x] - columns.ks[y]);
    const starts = order.map((i) => columns.ks[i]);
    let values: (AggValue | null)[];
    if (a.fn === 'count') {
      // Counts are integers: summed newest first they are exact, so equal to the merge.
      let total = 0;
      values = order
        .map((i) => columns.counts[i])
        .reverse()
        .map((c) => (total += c))
        .reverse();
    } else if (a.fn === 'last') {
      // Tiles hold disjoint time ranges, so the last value of every window is its newest tile's.
      values = starts.map(() => columns.lasts[order[order.length - 1]]);
    } else {
      if (starts.length * columns.ks.length > MAX_TABLE_WORK) continue;
      values = starts.map((start) => aggregateTiles(columns, a.fn, start, newest));
    }
    const float = values.every((v) => typeof v === 'number');
    if (!float && !values.every((v) => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX)) continue;
    const kept = starts.map((_, j) => j).filter((j) => j === starts.length - 1 || !Object.is(values[j], values[j + 1]));
    tables.push({
      column: a.column,
      slideSeconds: a.slideSeconds,
      fn: FN_CODES[a.fn],
      windowSeconds: a.windowSeconds,
      newest,
      starts: kept.map((j) => starts[j]),
      values: kept.map((j) => values[j] as number | bigint),
      float,
    });
  }
  return tables;
}
