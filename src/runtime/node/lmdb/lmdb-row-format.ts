import { Packr } from 'msgpackr/pack';
import type { NumberColumn } from '../../../online/online-store.js';

/**
 * LMDB's row layout: a fixed header (event and created microseconds, flags, schema id)
 * and the values in the order of the view's schema (its feature names, kept once per
 * view rather than per row). A writer compares timestamps from the header without
 * decoding the values; rows of numbers store float64s as they are, which is several
 * times faster to write and read than MessagePack, and MessagePack takes everything else.
 */
const HEADER = 21;
const HAS_CREATED = 1;
const NUMBERS = 2;
// copyBuffers: bytes values must not be views into the buffer getBinaryFast lends and the next get reuses.
const packr = new Packr({ useRecords: false, int64AsType: 'bigint', mapsAsObjects: true, copyBuffers: true });

export interface RowHeader {
  readonly event: bigint;
  readonly created: bigint | null;
}

export function readHeader(bytes: Uint8Array): RowHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER);
  return { event: view.getBigInt64(0, true), created: view.getUint8(16) & HAS_CREATED ? view.getBigInt64(8, true) : null };
}

export function schemaIdOf(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, HEADER).getUint32(17, true);
}

export function encodeRow(event: bigint, created: bigint | null, schemaId: number, values: readonly unknown[]): Uint8Array {
  const numbers = values.every((v) => v === null || typeof v === 'number');
  const body = numbers ? undefined : packr.pack(values);
  const out = new Uint8Array(body ? HEADER + body.length : numbersStart(values.length) + values.length * 8);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, event, true);
  view.setBigInt64(8, created ?? 0n, true);
  view.setUint8(16, (created === null ? 0 : HAS_CREATED) | (numbers ? NUMBERS : 0));
  view.setUint32(17, schemaId, true);
  if (body) {
    out.set(body, HEADER);
    return out;
  }
  // The float64s start at a multiple of 8 so they can be written through a Float64Array.
  const start = numbersStart(values.length);
  const numbersOut = new Float64Array(out.buffer, start, values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) out[HEADER + (i >> 3)] |= 1 << (i & 7);
    else numbersOut[i] = value as number;
  }
  return out;
}

/**
 * The same bytes as encodeRow for a row of numbers, read straight from typed columns at
 * `row` (null where a column's validity bit is clear): no array of values per row.
 */
export function encodeNumberRow(event: bigint, created: bigint | null, schemaId: number, columns: readonly NumberColumn[], row: number): Uint8Array {
  const count = columns.length;
  const start = numbersStart(count);
  const out = new Uint8Array(start + count * 8);
  const view = new DataView(out.buffer);
  view.setBigInt64(0, event, true);
  view.setBigInt64(8, created ?? 0n, true);
  view.setUint8(16, (created === null ? 0 : HAS_CREATED) | NUMBERS);
  view.setUint32(17, schemaId, true);
  const numbersOut = new Float64Array(out.buffer, start, count);
  for (let i = 0; i < count; i++) {
    const { numbers, valid } = columns[i];
    if (valid !== undefined && (valid[row >> 3] & (1 << (row & 7))) === 0) out[HEADER + (i >> 3)] |= 1 << (i & 7);
    else numbersOut[i] = numbers[row];
  }
  return out;
}

function numbersStart(count: number): number {
  return Math.ceil((HEADER + Math.ceil(count / 8)) / 8) * 8;
}

/**
 * Reads one stored row into `columns` at `row`: the value of schema index `positions[p]`
 * (-1 for a feature the row's schema lacks) goes to `columns[p][row]`, null where absent.
 * Writes straight into the caller's columns: reads decode thousands of values per call.
 */
export function decodeInto(bytes: Uint8Array, count: number, positions: readonly number[], columns: unknown[][], row: number): void {
  if (bytes[16] & NUMBERS) {
    const start = numbersStart(count);
    // A Float64Array needs 8-aligned memory; stored bytes usually are (Node's buffer pool
    // aligns them), and otherwise one copy makes them so.
    const numbers =
      (bytes.byteOffset + start) % 8 === 0
        ? new Float64Array(bytes.buffer, bytes.byteOffset + start, count)
        : new Float64Array(bytes.slice(start, start + count * 8).buffer);
    for (let p = 0; p < positions.length; p++) {
      const i = positions[p];
      columns[p][row] = i < 0 || bytes[HEADER + (i >> 3)] & (1 << (i & 7)) ? null : numbers[i];
    }
    return;
  }
  const values = packr.unpack(bytes.subarray(HEADER)) as unknown[];
  for (let p = 0; p < positions.length; p++) columns[p][row] = positions[p] < 0 ? null : (values[positions[p]] ?? null);
}
