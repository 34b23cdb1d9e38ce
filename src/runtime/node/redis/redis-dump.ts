import { lzfDecompress } from './lzf.js';

/*
 * Reads a hash out of Redis' DUMP reply: `<RDB type><object><RDB version: 2 bytes><CRC64: 8 bytes>`.
 * Two types are read, the two Redis 7 and later write for a hash without field
 * expiry: 16, a listpack (the hash as Redis holds it when small), and 4, field and value
 * strings one after the other (a big hash). Anything else (a ziplist from Redis 6, a hash
 * with field expiry, bytes that do not parse) answers undefined and the caller asks Redis
 * for the fields another way. The CRC is not checked: the reply came over TCP, and every
 * length is checked against the bytes instead.
 */

const RDB_TYPE_HASH = 4;
const RDB_TYPE_HASH_LISTPACK = 16;
/** The RDB version and CRC64 after the object. */
const FOOTER = 10;

/** One field and its value, each as bytes [start, end) of a buffer (the payload, or bytes decompressed or formatted from it). */
export type HashEntryVisitor = (field: Uint8Array, fieldStart: number, fieldEnd: number, value: Uint8Array, valueStart: number, valueEnd: number) => void;

const ascii = new TextEncoder();
/** How Redis answers an integer it stored compactly: its decimal digits. */
const digits = (n: number | bigint) => ascii.encode(String(n));

/** A string as [bytes, start, end], read from `p` of the payload; `next` is where the payload continues. */
interface Slice {
  bytes: Uint8Array;
  start: number;
  end: number;
  next: number;
}

/** An RDB length at p: [length, next], or undefined for an encoded-object marker (top bits 11) or a truncated one. */
function rdbLength(b: Uint8Array, p: number, end: number): [number, number] | undefined {
  if (p >= end) return undefined;
  const first = b[p];
  switch (first >> 6) {
    case 0:
      return [first & 0x3f, p + 1];
    case 1:
      return p + 2 <= end ? [((first & 0x3f) << 8) | b[p + 1], p + 2] : undefined;
    case 2:
      if (first === 0x80 && p + 5 <= end) return [((b[p + 1] << 24) | (b[p + 2] << 16) | (b[p + 3] << 8) | b[p + 4]) >>> 0, p + 5];
      // 0x81 is a 64-bit length: no hash field of a served row is that long.
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A listpack is decompressed into this, reused: its values are decoded before the next
 * hash is read, and it is small (Redis keeps a hash a listpack only while its fields are
 * few and short: hash-max-listpack-entries, hash-max-listpack-value). A bigger one gets its own array.
 */
const scratch = new Uint8Array(32 * 1024);

/** An RDB string at p: plain, an integer (INT8/16/32, little-endian) or LZF-compressed (into `into` when given and long enough). */
function rdbString(b: Uint8Array, p: number, end: number, into?: Uint8Array): Slice | undefined {
  if (p >= end) return undefined;
  const first = b[p];
  if (first >> 6 !== 3) {
    const length = rdbLength(b, p, end);
    if (!length || length[1] + length[0] > end) return undefined;
    return { bytes: b, start: length[1], end: length[1] + length[0], next: length[1] + length[0] };
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (first & 0x3f) {
    case 0:
      return p + 2 <= end ? whole(digits(view.getInt8(p + 1)), p + 2) : undefined;
    case 1:
      return p + 3 <= end ? whole(digits(view.getInt16(p + 1, true)), p + 3) : undefined;
    case 2:
      return p + 5 <= end ? whole(digits(view.getInt32(p + 1, true)), p + 5) : undefined;
    case 3: {
      const compressed = rdbLength(b, p + 1, end);
      const length = compressed && rdbLength(b, compressed[1], end);
      if (!compressed || !length || length[1] + compressed[0] > end) return undefined;
      const bytes = lzfDecompress(b, length[0], length[1], length[1] + compressed[0], into);
      return bytes && { bytes, start: 0, end: length[0], next: length[1] + compressed[0] };
    }
    default:
      return undefined;
  }
}

const whole = (bytes: Uint8Array, next: number): Slice => ({ bytes, start: 0, end: bytes.length, next });

/** The integer of a listpack integer entry at p (encoding byte `e`), and the entry's encoded size. */
function listpackInteger(lp: Uint8Array, p: number, e: number): [number | bigint, number] | undefined {
  if (e < 0x80) return [e, 1];
  if ((e & 0xe0) === 0xc0) {
    const n = ((e & 0x1f) << 8) | lp[p + 1];
    return [n >= 4096 ? n - 8192 : n, 2];
  }
  const view = new DataView(lp.buffer, lp.byteOffset, lp.byteLength);
  switch (e) {
    case 0xf1:
      return [view.getInt16(p + 1, true), 3];
    case 0xf2: {
      const n = lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16);
      return [n >= 0x800000 ? n - 0x1000000 : n, 4];
    }
    case 0xf3:
      return [view.getInt32(p + 1, true), 5];
    case 0xf4: {
      const n = view.getBigInt64(p + 1, true);
      return [Number.isSafeInteger(Number(n)) ? Number(n) : n, 9];
    }
    default:
      return undefined;
  }
}

/** Bytes of the backlen that follows an entry of `size` encoded bytes. */
const backlenSize = (size: number) => (size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5);

/** Whether the `count` backlen bytes at q spell `size` (most significant 7 bits first, all but the first with bit 8 set). */
function backlenIs(lp: Uint8Array, q: number, count: number, size: number): boolean {
  let value = lp[q];
  for (let i = 1; i < count; i++) value = value * 128 + (lp[q + i] & 0x7f);
  return value === size;
}

/**
 * The listpack's entries, pairwise (field, value), or undefined when it is not a whole
 * listpack: total bytes (u32) and count (u16) header, entries (an encoding byte, the
 * length or the integer, the bytes, then the entry's size written backwards), 0xff.
 */
function readListpack(lp: Uint8Array, start: number, end: number, visit: HashEntryVisitor): number | undefined {
  if (end - start < 7) return undefined;
  const total = (lp[start] | (lp[start + 1] << 8) | (lp[start + 2] << 16) | (lp[start + 3] << 24)) >>> 0;
  const count = lp[start + 4] | (lp[start + 5] << 8);
  if (total !== end - start || lp[end - 1] !== 0xff) return undefined;
  let p = start + 6;
  let pairs = 0;
  // The pending field, kept in locals: an object per entry would cost more than the parsing.
  let fieldBytes: Uint8Array | undefined;
  let fieldStart = 0;
  let fieldEnd = 0;
  while (p < end - 1) {
    const e = lp[p];
    let bytes = lp;
    let from: number;
    let size: number;
    if ((e & 0xc0) === 0x80) {
      from = p + 1;
      size = 1 + (e & 0x3f);
    } else if ((e & 0xf0) === 0xe0) {
      from = p + 2;
      size = 2 + (((e & 0x0f) << 8) | lp[p + 1]);
    } else if (e === 0xf0) {
      from = p + 5;
      size = 5 + ((lp[p + 1] | (lp[p + 2] << 8) | (lp[p + 3] << 16) | (lp[p + 4] << 24)) >>> 0);
    } else {
      const integer = listpackInteger(lp, p, e);
      if (!integer) return undefined;
      size = integer[1];
      bytes = digits(integer[0]);
      from = 0;
    }
    const to = bytes === lp ? p + size : bytes.length;
    const backlen = backlenSize(size);
    if (p + size + backlen > end - 1 || !backlenIs(lp, p + size, backlen, size)) return undefined;
    p += size + backlen;
    if (fieldBytes) {
      visit(fieldBytes, fieldStart, fieldEnd, bytes, from, to);
      fieldBytes = undefined;
      pairs++;
    } else {
      fieldBytes = bytes;
      fieldStart = from;
      fieldEnd = to;
    }
  }
  // 65535 in the header means "count them": Redis stops counting there.
  return fieldBytes || (count !== 0xffff && count !== 2 * pairs) ? undefined : pairs;
}

/**
 * Visits every field and value of a hash in a DUMP reply and answers how many pairs
 * there were, or undefined when the reply is not a hash in a form read here (see above).
 * Nothing is visited twice; a reply that turns out malformed midway may have visited
 * some pairs before answering undefined.
 */
export function readDumpedHash(payload: Uint8Array, visit: HashEntryVisitor): number | undefined {
  const end = payload.length - FOOTER;
  if (end < 2) return undefined;
  if (payload[0] === RDB_TYPE_HASH_LISTPACK) {
    const blob = rdbString(payload, 1, end, scratch);
    if (!blob || blob.next !== end) return undefined;
    return readListpack(blob.bytes, blob.start, blob.end, visit);
  }
  if (payload[0] === RDB_TYPE_HASH) {
    const count = rdbLength(payload, 1, end);
    if (!count) return undefined;
    let p = count[1];
    for (let i = 0; i < count[0]; i++) {
      const field = rdbString(payload, p, end);
      const value = field && rdbString(payload, field.next, end);
      if (!field || !value) return undefined;
      visit(field.bytes, field.start, field.end, value.bytes, value.start, value.end);
      p = value.next;
    }
    return p === end ? count[0] : undefined;
  }
  return undefined;
}
