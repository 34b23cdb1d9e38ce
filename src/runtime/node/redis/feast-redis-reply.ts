import { OnlineStoreConnectionError } from '../../../errors.js';
import { decodeTimestamp } from '../../../feast/timestamp-proto.js';
import { decodeValueAt } from '../../../feast/value-proto-decode-at.js';
import type { DecodeValueOptions } from '../../../feast/value-proto.js';

/** Where a read's answers go: the request's event times and columns, one row per requested key. */
export interface FeastRowsTarget {
  readonly eventTimestamps: (bigint | null)[];
  /** One column per feature, in the order of the script's fields after `_ts`. */
  readonly columns: unknown[][];
}

const malformed = (what: string, at: number) =>
  new OnlineStoreConnectionError(
    `Feast Redis read: the script's reply is not what it packs (${what} at byte ${at}); is the server's cmsgpack a different one?`,
  );

/**
 * Walks the MessagePack that READ_FEAST_ROWS answers (Redis' cmsgpack: arrays, str
 * items, false) and decodes each stored Value where it lies in the reply, so a read of
 * N keys x F features costs one bulk string, not N x (F + 1) RESP items and Buffers.
 * The script's k-th key is the request's row `rows[k]`. Rows whose hash lacks
 * `_ts:<view>` keep a null event time and null values (NOT_FOUND).
 */
export function decodeFeastRows(reply: Uint8Array, rows: readonly number[], fields: number, target: FeastRowsTarget, options: DecodeValueOptions): void {
  let p = 0;
  /** The length of the array whose header starts at p; moves p past it. */
  const arrayLength = (): number => {
    const b = reply[p];
    if (b >= 0x90 && b <= 0x9f) {
      p += 1;
      return b & 0x0f;
    }
    if (b === 0xdc) {
      p += 3;
      return (reply[p - 2] << 8) | reply[p - 1];
    }
    if (b === 0xdd) {
      p += 5;
      return ((reply[p - 4] << 24) | (reply[p - 3] << 16) | (reply[p - 2] << 8) | reply[p - 1]) >>> 0;
    }
    throw malformed(`byte 0x${b?.toString(16)} where an array starts`, p);
  };
  /** The end of the string whose header starts at p, moving p to its first byte; -1 (past the false) for false. */
  const item = (): number => {
    const b = reply[p];
    let length: number;
    if (b >= 0xa0 && b <= 0xbf) {
      length = b & 0x1f;
      p += 1;
    } else if (b === 0xc2) {
      p += 1;
      return -1;
    } else if (b === 0xd9 || b === 0xc4) {
      length = reply[p + 1];
      p += 2;
    } else if (b === 0xda || b === 0xc5) {
      length = (reply[p + 1] << 8) | reply[p + 2];
      p += 3;
    } else if (b === 0xdb || b === 0xc6) {
      length = ((reply[p + 1] << 24) | (reply[p + 2] << 16) | (reply[p + 3] << 8) | reply[p + 4]) >>> 0;
      p += 5;
    } else {
      throw malformed(`byte 0x${b?.toString(16)} where a field's bytes start`, p);
    }
    const end = p + length;
    if (end > reply.length) throw malformed('a string past the end', p);
    return end;
  };

  if (arrayLength() !== rows.length) throw malformed(`not ${rows.length} rows`, 0);
  const { eventTimestamps, columns } = target;
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    if (reply[p] === 0xc2) {
      p += 1;
      continue;
    }
    if (arrayLength() !== fields) throw malformed(`a row without ${fields} fields`, p);
    const tsEnd = item();
    // The script answers false for a row without `_ts:<view>`; an array lacking it is read the same way.
    const found = tsEnd >= 0;
    if (found) {
      eventTimestamps[row] = timestampAt(reply, p, tsEnd);
      p = tsEnd;
    }
    for (let f = 1; f < fields; f++) {
      const end = item();
      if (end < 0) continue;
      if (found) columns[f - 1][row] = decodeValueAt(reply, p, end, options);
      p = end;
    }
  }
  if (p !== reply.length) throw malformed('bytes after the last row', p);
}

/**
 * decodeTimestamp of bytes[start, end), read in place for the form protobuf writes
 * (seconds = 1, then nanos = 2, small varints), else by decodeTimestamp.
 */
export function timestampAt(bytes: Uint8Array, start: number, end: number): bigint {
  let p = start;
  let seconds = 0;
  let nanos = 0;
  if (p < end && bytes[p] === 0x08) {
    [seconds, p] = varint(bytes, p + 1, end);
  }
  if (p >= 0 && p < end && bytes[p] === 0x10) {
    [nanos, p] = varint(bytes, p + 1, end);
  }
  if (p === end) {
    const micros = seconds * 1_000_000 + Math.floor(nanos / 1000);
    if (Number.isSafeInteger(micros) && nanos < 1_000_000_000) return BigInt(micros);
  }
  return decodeTimestamp(bytes.subarray(start, end));
}

/** A varint of up to 6 bytes (below 2^42) and the position after it; position -1 for anything else. */
function varint(bytes: Uint8Array, p: number, end: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 6 && p < end; i++) {
    const b = bytes[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, p];
    scale *= 128;
  }
  return [0, -1];
}
