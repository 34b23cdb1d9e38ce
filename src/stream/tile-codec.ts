// 'msgpackr/pack' is the pure-JS build everywhere, as in row-codec.ts.
import { Packr } from 'msgpackr/pack';
import { FeastEdgeError } from '../definitions/errors.js';
import type { StreamFeatureView, ValueType } from '../definitions/index.js';
import { groupKey, type AggValue, type EntityState, type Tile, type TileGroup } from './tiles.js';

/*
 * One entity's tiles as one bytes value, so every OnlineStore (memory, LMDB, IndexedDB,
 * KV, Redis) keeps it as it keeps any Bytes feature. Layout (MessagePack):
 * [FORMAT, watermark, [[column, slide, [[k, count, sum, min, max, lastTime, last], ...]], ...]].
 */
const FORMAT = 1;
const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });

type PackedTile = [number, number, number | bigint | null, AggValue | null, AggValue | null, number | bigint | null, AggValue | null];
type PackedGroup = [string, number, PackedTile[]];

export function encodeState(state: EntityState): Uint8Array {
  const groups: PackedGroup[] = [...state.groups.values()].map((g) => [
    g.column, g.slideSeconds,
    [...g.tiles].map(([k, t]): PackedTile => [k, t.count, t.sum, t.min, t.max, t.lastTime, t.last]),
  ]);
  return packr.pack([FORMAT, state.watermark, groups]);
}

/** MessagePack reads small int64s back as numbers: int64 and timestamp columns get bigints back. */
function revive(value: AggValue | null, type: ValueType | undefined): AggValue | null {
  if (value === null || type === undefined) return value;
  return type.kind === 'Int64' || type.kind === 'UnixTimestamp' ? BigInt(value as number | bigint) : value;
}

/** Decodes a state; groups the view no longer has are dropped (a redefined view starts them empty). */
export function decodeState(bytes: Uint8Array, view: Pick<StreamFeatureView, 'name' | 'inputs' | 'aggregations'>): EntityState {
  const decoded = packr.unpack(bytes) as [number, number | bigint, PackedGroup[]];
  if (!Array.isArray(decoded) || decoded[0] !== FORMAT) {
    throw new FeastEdgeError('StreamStateError', `stream view '${view.name}': stored tile state has an unknown format ${JSON.stringify(Array.isArray(decoded) ? decoded[0] : typeof decoded)}`);
  }
  const wanted = new Set(view.aggregations.map(groupKey));
  const groups = new Map<string, TileGroup>();
  for (const [column, slideSeconds, packed] of decoded[2]) {
    const key = groupKey({ column, slideSeconds });
    if (!wanted.has(key)) continue;
    const type = view.inputs.find((f) => f.name === column)?.dtype;
    const integerSum = type?.kind === 'Int32' || type?.kind === 'Int64';
    const tiles = new Map<number, Tile>();
    for (const [k, count, sum, min, max, lastTime, last] of packed) {
      tiles.set(k, {
        count, sum: sum === null ? null : integerSum ? BigInt(sum) : Number(sum),
        min: revive(min, type), max: revive(max, type),
        lastTime: lastTime === null ? null : BigInt(lastTime), last: revive(last, type),
      });
    }
    groups.set(key, { column, slideSeconds, tiles });
  }
  return { watermark: BigInt(decoded[1]), groups };
}
