// 'msgpackr/pack' is the pure-JS build everywhere, as in row-codec.ts.
import { Packr } from 'msgpackr/pack';
import { StreamStateError } from '../errors.js';
import type { StreamFeatureView, ValueType } from '../definitions/index.js';
import { groupKey, type AggValue, type EntityState, type Tile, type TileColumns, type TileGroup } from './tiles.js';

/*
 * One entity's tiles as one bytes value, so every OnlineStore (memory, LMDB, IndexedDB,
 * KV, Redis) keeps it as it keeps any Bytes feature. Columnar, because every online read
 * decodes one state per entity: parsing a small MessagePack array per tile cost about ten
 * times the merge, and so did one buffer copy per column. Layout (MessagePack):
 * [FORMAT, watermark, [[column, slide, tiles, layout, numbers, bigints, others], ...]]:
 * the seven columns k, count, sum, min, max, lastTime, last over the group's tiles, each
 * stored where `layout` (one letter per column) says: 'f' in `numbers` (little-endian
 * Float64 bytes), 'i' in `bigints` (BigInt64 bytes), 'a' as a plain array in `others`
 * (strings, booleans, nulls, sums outside int64).
 */
const FORMAT = 3;
const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });

type PackedGroup = [string, number, number, string, Uint8Array, Uint8Array, (AggValue | null)[][]];

const EMPTY_NUMBERS = new Float64Array(0);
const EMPTY_BIGINTS = new BigInt64Array(0);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function packGroup(column: string, slideSeconds: number, columns: readonly (readonly (AggValue | null)[])[]): PackedGroup {
  const numbers: number[] = [];
  const bigints: bigint[] = [];
  const others: (AggValue | null)[][] = [];
  let layout = '';
  for (const values of columns) {
    if (values.every((v) => typeof v === 'number')) {
      layout += 'f';
      numbers.push(...(values as number[]));
    } else if (values.length > 0 && values.every((v) => typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX)) {
      layout += 'i';
      bigints.push(...(values as bigint[]));
    } else {
      layout += 'a';
      others.push([...values]);
    }
  }
  const tiles = columns[0].length;
  return [column, slideSeconds, tiles, layout, new Uint8Array(Float64Array.from(numbers).buffer), new Uint8Array(BigInt64Array.from(bigints).buffer), others];
}

export function encodeState(state: EntityState): Uint8Array {
  const groups: PackedGroup[] = [...state.groups.values()].map((g) => {
    const tiles = [...g.tiles.values()];
    return packGroup(g.column, g.slideSeconds, [
      [...g.tiles.keys()],
      tiles.map((t) => t.count),
      tiles.map((t) => t.sum),
      tiles.map((t) => t.min),
      tiles.map((t) => t.max),
      // Microseconds fit a double exactly until the year 2255.
      tiles.map((t) => (t.lastTime === null ? null : Number(t.lastTime))),
      tiles.map((t) => t.last),
    ]);
  });
  return packr.pack([FORMAT, state.watermark, groups]);
}

/** Int64 and timestamps as bigint, as tiles keep them. */
function reviverFor(type: ValueType | undefined): (value: AggValue | null) => AggValue | null {
  const big = type?.kind === 'Int64' || type?.kind === 'UnixTimestamp';
  return (value) => (value === null || !big ? value : BigInt(value as number | bigint));
}

/** A stored state as columns per (column, slide) group, what a read merges; groups the view no longer has are dropped. */
export function decodeColumns(
  bytes: Uint8Array,
  view: Pick<StreamFeatureView, 'name' | 'inputs' | 'aggregations'>,
): { watermark: bigint; groups: Map<string, TileColumns> } {
  const decoded = packr.unpack(bytes) as [number, number | bigint, PackedGroup[]];
  if (!Array.isArray(decoded) || decoded[0] !== FORMAT) {
    throw new StreamStateError(
      `stream view '${view.name}': stored tile state has an unknown format ${JSON.stringify(Array.isArray(decoded) ? decoded[0] : typeof decoded)}; ingest the view's events again`,
    );
  }
  const wanted = new Set(view.aggregations.map(groupKey));
  const groups = new Map<string, TileColumns>();
  for (const [column, slideSeconds, n, layout, numberBytes, bigintBytes, others] of decoded[2]) {
    const key = groupKey({ column, slideSeconds });
    if (!wanted.has(key)) continue;
    const type = view.inputs.find((f) => f.name === column)?.dtype;
    const revive = reviverFor(type);
    const integerSum = type?.kind === 'Int32' || type?.kind === 'Int64';
    // One copy per kind: typed arrays need their own aligned buffer, and MessagePack hands
    // out views into the record (in Node a Buffer, whose slice() is a view too).
    const numbers = numberBytes.length === 0 ? EMPTY_NUMBERS : new Float64Array(new Uint8Array(numberBytes).buffer);
    const bigints = bigintBytes.length === 0 ? EMPTY_BIGINTS : new BigInt64Array(new Uint8Array(bigintBytes).buffer);
    let nextNumber = 0;
    let nextBigint = 0;
    let nextOther = 0;
    const columns = [...layout].map((kind, index): ArrayLike<AggValue | null> => {
      if (kind === 'f') return numbers.subarray(nextNumber, (nextNumber += n));
      if (kind === 'i') return bigints.subarray(nextBigint, (nextBigint += n));
      // MessagePack gives small int64s back as numbers: sums of integer columns and int64 values become bigints again.
      const values = others[nextOther++];
      return index === 2
        ? values.map((v) => (v === null ? null : integerSum ? BigInt(v as number | bigint) : Number(v)))
        : index === 3 || index === 4 || index === 6
          ? values.map(revive)
          : values;
    });
    const [ks, counts, sums, mins, maxs, lastTimes, lasts] = columns;
    groups.set(key, {
      column,
      slideSeconds,
      ks: ks as ArrayLike<number>,
      counts: counts as ArrayLike<number>,
      sums: sums as ArrayLike<number | bigint | null>,
      mins,
      maxs,
      lastTimes: lastTimes as ArrayLike<number>,
      lasts,
    });
  }
  return { watermark: BigInt(decoded[1]), groups };
}

/** A stored state as ingest updates it: tiles by index. */
export function decodeState(bytes: Uint8Array, view: Pick<StreamFeatureView, 'name' | 'inputs' | 'aggregations'>): EntityState {
  const { watermark, groups: columns } = decodeColumns(bytes, view);
  const groups = new Map<string, TileGroup>();
  for (const [key, c] of columns) {
    const tiles = new Map<number, Tile>();
    for (let i = 0; i < c.ks.length; i++) {
      tiles.set(c.ks[i], { count: c.counts[i], sum: c.sums[i], min: c.mins[i], max: c.maxs[i], lastTime: BigInt(c.lastTimes[i]), last: c.lasts[i] });
    }
    groups.set(key, { column: c.column, slideSeconds: c.slideSeconds, tiles });
  }
  return { watermark, groups };
}
