import { decodeValueAt } from '../../../feast/value-proto-decode-at.js';
import type { DecodeValueOptions } from '../../../feast/value-proto.js';
import { type FeastRowsTarget, timestampAt } from './feast-redis-reply.js';

/*
 * The fast path of a DUMP read: the common case, a hash Redis keeps as a listpack (type
 * 16) whose entries are all strings, read in one pass with no callback, no object and
 * no Buffer per entry. LZF is inflated into one reused buffer, each requested field is
 * found by its 4 bytes (murmur3), and each Value is decoded where it lies: a double or
 * a small int64 by hand, anything else by decodeValueAt. Whatever this pass does not
 * read (integer entries, another RDB type, lengths that do not add up) answers
 * undefined, touching nothing, and the caller reads the payload the general way
 * (redis-dump.ts), which gives the same answers.
 */

const RDB_TYPE_HASH_LISTPACK = 16;
/** The RDB version and CRC64 after the object. */
const FOOTER = 10;
const TAG_DOUBLE = 0x29;
const TAG_INT64 = 0x20;

/** Where listpacks are inflated, grown when one is bigger: a read is synchronous, so one buffer serves every key. */
let inflated = new Uint8Array(64 * 1024);
let inflatedView = new DataView(inflated.buffer);

/**
 * Inflates LZF input[start, end) into `inflated` as exactly `length` bytes; false when
 * it is not LZF of that length. Control byte below 32: that many plus one literal bytes;
 * else a back reference (length in the top 3 bits, 7 meaning one more length byte, plus
 * 2; offset 13 bits back, less one), copied byte by byte since it may overlap itself.
 */
function inflate(input: Uint8Array, start: number, end: number, length: number): boolean {
  if (inflated.length < length) {
    inflated = new Uint8Array(Math.max(length, inflated.length * 2));
    inflatedView = new DataView(inflated.buffer);
  }
  const out = inflated;
  let ip = start;
  let op = 0;
  while (ip < end) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const stop = ip + ctrl + 1;
      if (stop > end || op + ctrl + 1 > length) return false;
      while (ip < stop) out[op++] = input[ip++];
      continue;
    }
    let run = ctrl >> 5;
    if (run === 7) run += input[ip++];
    if (ip >= end) return false;
    let ref = op - ((ctrl & 0x1f) << 8) - 1 - input[ip++];
    run += 2;
    if (ref < 0 || op + run > length) return false;
    const stop = op + run;
    while (op < stop) out[op++] = out[ref++];
  }
  return op === length;
}

/** An RDB length at p (plain forms only): the length, with the position after it in `rdbNext`. -1 otherwise. */
let rdbNext = 0;
function rdbLength(b: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  const first = b[p];
  const kind = first >> 6;
  if (kind === 0) {
    rdbNext = p + 1;
    return first & 0x3f;
  }
  if (kind === 1 && p + 2 <= end) {
    rdbNext = p + 2;
    return ((first & 0x3f) << 8) | b[p + 1];
  }
  if (first === 0x80 && p + 5 <= end) {
    rdbNext = p + 5;
    return ((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]) >>> 0;
  }
  return -1;
}

/** How a plan finds its fields: see FeastDumpRowReader. */
export interface FieldFinder {
  /** The position (in the read's field list) of the 4-byte field whose bytes read as `word` (little-endian int32), or -1. */
  find4(word: number): number;
  /** The position of the other-length field bytes[start, end), or -1. */
  findOther(bytes: Uint8Array, start: number, end: number): number;
}

/**
 * Reads row `row` of the read from a DUMP payload in one pass; answers the hash's field
 * count, or undefined (touching nothing) when the payload is not a listpack of strings.
 * `found` is scratch of twice the field count: where each requested field's value
 * starts and ends in the listpack, -1 when the hash lacks it. A hash without `_ts:<view>` (field 0)
 * leaves the row as it was: null, NOT_FOUND.
 */
export function readListpackRow(
  payload: Uint8Array,
  finder: FieldFinder,
  found: Int32Array,
  target: FeastRowsTarget,
  row: number,
  options: DecodeValueOptions,
): number | undefined {
  const end = payload.length - FOOTER;
  if (end < 3 || payload[0] !== RDB_TYPE_HASH_LISTPACK) return undefined;
  let lp: Uint8Array;
  let view: DataView;
  let start: number;
  let stop: number;
  if (payload[1] === 0xc3) {
    // LZF: compressed length, inflated length, the compressed bytes.
    const compressed = rdbLength(payload, 2, end);
    const length = compressed < 0 ? -1 : rdbLength(payload, rdbNext, end);
    if (length < 0 || rdbNext + compressed !== end || !inflate(payload, rdbNext, end, length)) return undefined;
    lp = inflated;
    view = inflatedView;
    start = 0;
    stop = length;
  } else {
    const length = rdbLength(payload, 1, end);
    if (length < 0 || rdbNext + length !== end) return undefined;
    lp = payload;
    view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    start = rdbNext;
    stop = end;
  }
  if (stop - start < 7 || lp[stop - 1] !== 0xff) return undefined;
  const total = (lp[start] | (lp[start + 1] << 8) | (lp[start + 2] << 16) | (lp[start + 3] << 24)) >>> 0;
  const count = lp[start + 4] | (lp[start + 5] << 8);
  if (total !== stop - start) return undefined;
  // First pass: where each requested field's value lies (the hash's order is not the read's).
  found.fill(-1);
  let p = start + 6;
  let entries = 0;
  let field = -1;
  const last = stop - 1;
  while (p < last) {
    const e = lp[p];
    let from: number;
    let size: number;
    if (e >= 0x80 && e < 0xc0) {
      from = p + 1;
      size = e - 0x7f;
    } else if ((e & 0xf0) === 0xe0) {
      from = p + 2;
      size = 2 + (((e & 0x0f) << 8) | lp[p + 1]);
    } else if (e === 0xf0) {
      from = p + 5;
      size = 5 + ((lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16) | (lp[p + 4] << 24)) >>> 0);
    } else {
      // An integer entry (a field or value Redis stored as a number): the general path reads those.
      return undefined;
    }
    const to = p + size;
    // The entry's size again, backwards, in 1 to 3 bytes here (an entry under 2 MB).
    let back: number;
    if (size <= 127) {
      if (lp[to] !== size) return undefined;
      back = 1;
    } else if (size < 16383) {
      if (lp[to] !== size >> 7 || lp[to + 1] !== (0x80 | (size & 0x7f))) return undefined;
      back = 2;
    } else {
      return undefined;
    }
    if (to + back > last) return undefined;
    if ((entries & 1) === 0) {
      field = to - from === 4 ? finder.find4(view.getInt32(from, true)) : finder.findOther(lp, from, to);
    } else if (field >= 0) {
      found[2 * field] = from;
      found[2 * field + 1] = to;
    }
    entries++;
    p = to + back;
  }
  if ((entries & 1) !== 0 || (count !== 0xffff && count !== entries) || p !== last) return undefined;
  const pairs = entries >> 1;
  if (found[0] < 0) return pairs;
  target.eventTimestamps[row] = timestampAt(lp, found[0], found[1]);
  const { columns } = target;
  const fields = found.length >> 1;
  for (let f = 1; f < fields; f++) {
    const at = found[2 * f];
    if (at < 0) continue;
    const to = found[2 * f + 1];
    const tag = lp[at];
    let value: unknown;
    if (tag === TAG_DOUBLE && to - at === 9) value = view.getFloat64(at + 1, true);
    else if (tag === TAG_INT64 && to - at === 2 && lp[at + 1] < 0x80) value = lp[at + 1];
    else value = decodeValueAt(lp, at, to, options);
    columns[f - 1][row] = value;
  }
  return pairs;
}
