// 'msgpackr/pack' is the pure-JS build (see src/online/row-codec.ts).
import { Packr } from 'msgpackr/pack';

/*
 * The own Redis layout's row, one string per entity key and view:
 *   0-7    event microseconds + 2^63, big-endian
 *   8      1 when a created time follows, 0 when there is none
 *   9-16   created microseconds + 2^63, big-endian (zeros when none)
 *   17     flags: NUMBERS when every value is a number or null
 *   18-21  schema id (big-endian): which list of feature names the values follow
 *   22-    NUMBERS: a null bitmap, then one float64 (little-endian) per feature;
 *          otherwise a MessagePack array of the values, in the schema's order
 * Offsetting by 2^63 makes the bytes of 0-16 sort as Feast's (event, created) order does
 * (a missing created time below every real one), so the write script compares two rows
 * byte by byte without reading 64-bit numbers, which Lua's doubles cannot hold. The
 * feature names live once per view and schema (redis-schemas.ts), not in every row.
 */
export const ORDER_BYTES = 17;
const FLAGS = 17;
const SCHEMA = 18;
const BODY = 22;
const NUMBERS = 1;
const SIGN = 0x80;

const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true });

export function encodeRedisRow(event: bigint, created: bigint | null, schemaId: number, values: readonly unknown[]): Buffer {
  let numbers = true;
  for (const value of values) {
    if (value !== null && typeof value !== 'number') {
      numbers = false;
      break;
    }
  }
  const body = numbers ? undefined : packr.pack(values);
  const bitmap = Math.ceil(values.length / 8);
  const out = Buffer.alloc(body ? BODY + body.length : BODY + bitmap + values.length * 8);
  out.writeBigInt64BE(event, 0);
  out[0] ^= SIGN;
  if (created !== null) {
    out[8] = 1;
    out.writeBigInt64BE(created, 9);
    out[9] ^= SIGN;
  }
  out[FLAGS] = numbers ? NUMBERS : 0;
  out.writeUInt32BE(schemaId, SCHEMA);
  if (body) {
    out.set(body, BODY);
    return out;
  }
  const start = BODY + bitmap;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) out[BODY + (i >> 3)] |= 1 << (i & 7);
    else out.writeDoubleLE(value as number, start + 8 * i);
  }
  return out;
}

/** Whether bytes are long enough to be a row of this layout (anything shorter is refused, not misread). */
export const isRedisRow = (bytes: Uint8Array) => bytes.length >= BODY;

export function schemaIdOf(bytes: Uint8Array): number {
  return ((bytes[SCHEMA] << 24) | (bytes[SCHEMA + 1] << 16) | (bytes[SCHEMA + 2] << 8) | bytes[SCHEMA + 3]) >>> 0;
}

export function eventOf(bytes: Uint8Array): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  // Flipping the sign bit back: the stored bits are event + 2^63.
  return BigInt.asIntN(64, view.getBigUint64(0) ^ 0x8000_0000_0000_0000n);
}

/**
 * Reads one row's values into `columns` at `row`: the value at schema index
 * `positions[p]` (-1 for a feature the row's schema lacks, read as null) goes to
 * `columns[p][row]`. `count` is the number of names in the row's schema; false (nothing
 * read) when the row does not hold that many values.
 */
export function decodeRedisRowInto(bytes: Uint8Array, count: number, positions: readonly number[], columns: unknown[][], row: number): boolean {
  if (bytes[FLAGS] & NUMBERS) {
    const start = BODY + Math.ceil(count / 8);
    // A row whose length does not fit its schema is refused rather than misread.
    if (bytes.length !== start + 8 * count) return false;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let p = 0; p < positions.length; p++) {
      const i = positions[p];
      columns[p][row] = i < 0 || bytes[BODY + (i >> 3)] & (1 << (i & 7)) ? null : view.getFloat64(start + 8 * i, true);
    }
    return true;
  }
  const values = packr.unpack(bytes.subarray(BODY)) as unknown[];
  if (!Array.isArray(values) || values.length !== count) return false;
  for (let p = 0; p < positions.length; p++) columns[p][row] = positions[p] < 0 ? null : (values[positions[p]] ?? null);
  return true;
}
