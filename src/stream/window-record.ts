import type { Aggregation } from '../definitions/index.js';
import type { EntityState } from './tiles.js';
import { windowTables } from './window-tables.js';

/*
 * An entity's window tables (window-tables.ts) as the small bytes value a read fetches
 * instead of the entity's tiles: an online read touches one record per entity, and
 * fetching the tiles (kilobytes; LMDB copies each value out) cost more than the plain
 * view's whole read. It is stored in the same view and the same write as the tiles
 * record, under the entity key followed by one byte (windowRowKey), so a store that
 * writes a batch whole keeps the two in step. Little-endian, read in place:
 *
 *   0  u8  0xC1 (a byte MessagePack never writes: never taken for a tile record), u8
 *      0x57 ('W', window record version 1)
 *   2  u16 tables
 *   4  u32 reserved
 *   8  i64 watermark (microseconds)
 *  16  per table, 32 bytes: u32 slide seconds, u32 window seconds, u8 function, u8
 *      values' layout ('f' float64, 'i' int64), u16 column name length, u32 column name
 *      offset, u32 entries, u32 data offset, f64 newest tile
 *      then the column names (UTF-8); then per table its starts (u32 each, counted from
 *      the oldest tile a window ending at the newest tile holds) and its values (8 bytes each).
 */
const MARKER = 0xc1;
const KIND = 0x57;
const HEADER = 16;
const ENTRY = 32;
const FLOAT = 0x66;
const utf8 = new TextEncoder();

/** Where an entity's window record is stored: its key and one byte. A v3 entity key ends where its own lengths say, so no entity's key equals this one. */
export function windowRowKey(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length + 1);
  out.set(key);
  out[key.length] = KIND;
  return out;
}

/** The window record of `state` (its tiles as they will be stored) for the view's aggregations. */
export function encodeWindowRecord(
  state: EntityState,
  aggregations: readonly Pick<Aggregation, 'column' | 'fn' | 'windowSeconds' | 'slideSeconds'>[],
): Uint8Array {
  const tables = windowTables(state.groups.values(), aggregations);
  const names = tables.map((t) => utf8.encode(t.column));
  let offset = HEADER + ENTRY * tables.length;
  const nameOffsets = names.map((name) => {
    const at = offset;
    offset += name.length;
    return at;
  });
  const dataOffsets = tables.map((t) => {
    const at = offset;
    offset += t.starts.length * 12;
    return at;
  });
  const out = new Uint8Array(offset);
  const view = new DataView(out.buffer);
  out[0] = MARKER;
  out[1] = KIND;
  view.setUint16(2, tables.length, true);
  view.setBigInt64(8, state.watermark, true);
  tables.forEach((t, i) => {
    const entry = HEADER + ENTRY * i;
    view.setUint32(entry, t.slideSeconds, true);
    view.setUint32(entry + 4, t.windowSeconds, true);
    out[entry + 8] = t.fn;
    out[entry + 9] = t.float ? FLOAT : 0x69;
    view.setUint16(entry + 10, names[i].length, true);
    view.setUint32(entry + 12, nameOffsets[i], true);
    view.setUint32(entry + 16, t.starts.length, true);
    view.setUint32(entry + 20, dataOffsets[i], true);
    view.setFloat64(entry + 24, t.newest, true);
    out.set(names[i], nameOffsets[i]);
    const oldest = t.newest - t.windowSeconds / t.slideSeconds + 1;
    const m = t.starts.length;
    t.starts.forEach((start, j) => {
      view.setUint32(dataOffsets[i] + 4 * j, start - oldest, true);
      if (t.float) view.setFloat64(dataOffsets[i] + 4 * m + 8 * j, t.values[j] as number, true);
      else view.setBigInt64(dataOffsets[i] + 4 * m + 8 * j, t.values[j] as bigint, true);
    });
  });
  return out;
}

export interface WindowRecord {
  readonly bytes: Uint8Array;
  readonly data: DataView;
  readonly tables: number;
}

/** The entity's watermark (microseconds). */
export const recordWatermark = (record: WindowRecord): bigint => record.data.getBigInt64(8, true);

/** The record, or undefined for bytes that are not a window record. */
export function openWindowRecord(bytes: Uint8Array): WindowRecord | undefined {
  if (bytes.length < HEADER || bytes[0] !== MARKER || bytes[1] !== KIND) return undefined;
  const data = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { bytes, data, tables: data.getUint16(2, true) };
}

/** What a read looks a table up by: the aggregation's group (column as UTF-8, slide), function code and window. */
export interface TableKey {
  readonly column: Uint8Array;
  readonly slideSeconds: number;
  readonly fn: number;
  readonly windowSeconds: number;
}

/** The index of the table for `key`, trying `hint` first (records of one view share their order); -1 if the record has none. */
export function findTable(record: WindowRecord, key: TableKey, hint = 0): number {
  if (hint < record.tables && tableIs(record, hint, key)) return hint;
  for (let t = 0; t < record.tables; t++) if (t !== hint && tableIs(record, t, key)) return t;
  return -1;
}

function tableIs(record: WindowRecord, t: number, key: TableKey): boolean {
  const entry = HEADER + ENTRY * t;
  const { data, bytes } = record;
  if (
    data.getUint32(entry, true) !== key.slideSeconds ||
    data.getUint32(entry + 4, true) !== key.windowSeconds ||
    bytes[entry + 8] !== key.fn ||
    data.getUint16(entry + 10, true) !== key.column.length
  ) {
    return false;
  }
  const at = data.getUint32(entry + 12, true);
  for (let i = 0; i < key.column.length; i++) if (bytes[at + i] !== key.column[i]) return false;
  return true;
}

/**
 * The value table `t` gives for a window of tiles `first` to `last`: undefined when `last`
 * is older than the table's newest tile (the read must merge the tiles), null when the
 * window holds no tile.
 */
export function tableValue(record: WindowRecord, t: number, first: number, last: number): number | bigint | null | undefined {
  const entry = HEADER + ENTRY * t;
  const { data } = record;
  const newest = data.getFloat64(entry + 24, true);
  if (last < newest) return undefined;
  const m = data.getUint32(entry + 16, true);
  const at = data.getUint32(entry + 20, true);
  // Starts are stored from the oldest tile a window ending at the newest one holds; `first` is never older than that.
  const from = first - (newest - data.getUint32(entry + 4, true) / data.getUint32(entry, true) + 1);
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (data.getUint32(at + 4 * mid, true) < from) lo = mid + 1;
    else hi = mid;
  }
  if (lo === m) return null;
  return record.bytes[entry + 9] === FLOAT ? data.getFloat64(at + 4 * m + 8 * lo, true) : data.getBigInt64(at + 4 * m + 8 * lo, true);
}
