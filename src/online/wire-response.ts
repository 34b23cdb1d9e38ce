import type { ValueType } from '../definitions/value-type.js';
import { JsonByteWriter } from './json-byte-writer.js';
import { isFloatType, wireTimestamp } from './wire-json.js';
import { writeWireValue } from './wire-values.js';

/** What the wire needs of an output column (OnlineColumn has it). */
export interface WireColumn {
  readonly name: string;
  readonly values: readonly unknown[];
  readonly statuses: readonly string[];
  readonly eventTimestamps: readonly bigint[];
  readonly dtype?: ValueType;
}

const ENCODER = new TextEncoder();
/** `"PRESENT"` and the other status names, quoted, as bytes. */
const STATUS_BYTES = new Map<string, Uint8Array>(['PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE'].map((name) => [name, ENCODER.encode(`"${name}"`)]));

/** Event times seen lately, as their quoted RFC 3339 bytes; an online store's rows share few instants. */
const instants = new Map<bigint, Uint8Array>();

function instantBytes(micros: bigint): Uint8Array {
  let bytes = instants.get(micros);
  if (bytes === undefined) {
    // Bounded: cleared whole when full, which costs one conversion per instant afterwards.
    if (instants.size >= 4096) instants.clear();
    bytes = ENCODER.encode(`"${wireTimestamp(micros)}"`);
    instants.set(micros, bytes);
  }
  return bytes;
}

/**
 * An array of statuses or instants as JSON. A view's columns share theirs: the first
 * column writes it, the others copy those bytes within the buffer.
 */
function writeShared<T>(w: JsonByteWriter, written: Map<readonly T[], readonly [number, number]>, items: readonly T[], bytesOf: (item: T) => Uint8Array): void {
  const range = written.get(items);
  if (range !== undefined) {
    w.again(range[0], range[1]);
    return;
  }
  const start = w.length;
  w.byte(0x5b);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) w.byte(0x2c);
    w.bytes(bytesOf(items[i]));
  }
  w.byte(0x5d);
  written.set(items, [start, w.length]);
}

function statusBytes(status: string): Uint8Array {
  const bytes = STATUS_BYTES.get(status);
  if (bytes) return bytes;
  return ENCODER.encode(JSON.stringify(status));
}

/**
 * Feast's column-major body of POST /get-online-features as UTF-8 bytes:
 * `{"results":[{"values":[...],"statuses":[...],"event_timestamps":[...]},...],"metadata":{"feature_names":[...]}}`.
 */
export function writeWireResponse(columns: readonly WireColumn[]): Uint8Array<ArrayBuffer> {
  // About a value, a status and an instant per row and column: most bodies fit at once.
  const rows = columns[0]?.values.length ?? 0;
  const w = new JsonByteWriter(64 + columns.length * (80 + rows * 48));
  const statuses = new Map<readonly string[], readonly [number, number]>();
  const times = new Map<readonly bigint[], readonly [number, number]>();
  // A column's text after its values, kept for the next column with the same arrays (a view's columns).
  let tail: { statuses: readonly string[]; times: readonly bigint[]; start: number; end: number } | undefined;
  w.ascii('{"results":[');
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c];
    w.ascii(c > 0 ? ',{"values":[' : '{"values":[');
    const float = isFloatType(column.dtype);
    const values = column.values;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) w.byte(0x2c);
      writeWireValue(w, values[i], float);
    }
    if (tail !== undefined && tail.statuses === column.statuses && tail.times === column.eventTimestamps) {
      w.again(tail.start, tail.end);
      continue;
    }
    const start = w.length;
    w.ascii('],"statuses":');
    writeShared(w, statuses, column.statuses, statusBytes);
    w.ascii(',"event_timestamps":');
    writeShared(w, times, column.eventTimestamps, instantBytes);
    w.byte(0x7d);
    tail = { statuses: column.statuses, times: column.eventTimestamps, start, end: w.length };
  }
  w.ascii('],"metadata":{"feature_names":[');
  for (let c = 0; c < columns.length; c++) {
    if (c > 0) w.byte(0x2c);
    w.string(columns[c].name);
  }
  w.ascii(']}}');
  return w.finish();
}
