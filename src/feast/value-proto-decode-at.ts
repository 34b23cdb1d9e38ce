import { decodeValue, type DecodeValueOptions } from './value-proto-decode.js';

/*
 * The serving path decodes thousands of Values per request, most of them one scalar
 * member: a tag byte and its payload. Those are read here straight from the reply
 * buffer, with no subarray and no BinaryReader per value; anything else (lists, maps,
 * negative or huge integers, non-ASCII text, bytes that do not end where the member
 * does) goes to decodeValue, so both paths give the same answer for the same bytes.
 */

/** Tags (field << 3 | wire type) of the members read here; numbers from value-fields.ts. */
const TAG_BYTES = 0x0a; // 1, length-delimited
const TAG_STRING = 0x12; // 2, length-delimited
const TAG_INT32 = 0x18; // 3, varint
const TAG_INT64 = 0x20; // 4, varint
const TAG_DOUBLE = 0x29; // 5, fixed64
const TAG_FLOAT = 0x35; // 6, fixed32
const TAG_BOOL = 0x38; // 7, varint
const TAG_UNIX_TIMESTAMP = 0x40; // 8, varint

/** Eight bytes to read floats through: a DataView per reply would cost more than the copy. */
const scratch = new Uint8Array(8);
const scratchView = new DataView(scratch.buffer);
/** Strings up to this length are read as ASCII by hand; longer ones go to TextDecoder (as @bufbuild/protobuf does). */
const ASCII_MAX = 32;
/** Protobuf strings are decoded leniently and a leading U+FEFF is text: @bufbuild/protobuf's decoder settings. */
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A varint of at most 7 bytes (below 2^49, so exact as a number) ending exactly at
 * `end`, or -1: a longer varint (a negative int64 is 10 bytes) takes the general path.
 */
function smallVarint(bytes: Uint8Array, p: number, end: number): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 7 && p < end; i++) {
    const b = bytes[p++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return p === end ? value : -1;
    scale *= 128;
  }
  return -1;
}

function float(bytes: Uint8Array, p: number, size: 4 | 8): number {
  for (let i = 0; i < size; i++) scratch[i] = bytes[p + i];
  return size === 4 ? scratchView.getFloat32(0, true) : scratchView.getFloat64(0, true);
}

/** The text of bytes[p, end) when it is short ASCII, else undefined. */
function ascii(bytes: Uint8Array, p: number, end: number): string | undefined {
  const length = end - p;
  if (length > ASCII_MAX) return undefined;
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const b = bytes[p + i];
    if (b > 0x7f) return undefined;
    codes[i] = b;
  }
  return String.fromCharCode.apply(null, codes);
}

/**
 * decodeValue of `bytes[start, end)`, without copying those bytes out first: the same
 * JS value for the same bytes (see decodeValue), faster for one-member scalars.
 * @example decodeValueAt(Uint8Array.of(9, 9, 0x20, 0x80, 0x02), 2, 5) // 256
 */
export function decodeValueAt(bytes: Uint8Array, start: number, end: number, options: DecodeValueOptions = {}): unknown {
  if (start === end) return null;
  const p = start + 1;
  switch (bytes[start]) {
    case TAG_DOUBLE:
      if (p + 8 === end) return float(bytes, p, 8);
      break;
    case TAG_FLOAT:
      if (p + 4 === end) return float(bytes, p, 4);
      break;
    case TAG_INT64: {
      const n = smallVarint(bytes, p, end);
      if (n >= 0) return n;
      break;
    }
    case TAG_INT32: {
      // int32 reads the low 32 bits: below 2^31 a varint is its value.
      const n = smallVarint(bytes, p, end);
      if (n >= 0 && n < 2_147_483_648) return n;
      break;
    }
    case TAG_BOOL:
      if (p + 1 === end && bytes[p] < 0x80) return bytes[p] !== 0;
      break;
    case TAG_UNIX_TIMESTAMP: {
      const seconds = smallVarint(bytes, p, end);
      if (seconds >= 0) return new Date(seconds * 1000);
      break;
    }
    case TAG_STRING:
    case TAG_BYTES: {
      // A length below 2^14 (one or two varint bytes) that ends the Value exactly.
      let q = p;
      let length = bytes[q++];
      if (length >= 0x80) {
        if (bytes[q] >= 0x80) break;
        length = (length & 0x7f) + bytes[q++] * 128;
      }
      if (q + length !== end) break;
      // A copy for bytes, not a view: a view would pin the whole reply buffer.
      if (bytes[start] === TAG_BYTES) return new Uint8Array(bytes.subarray(q, end));
      return ascii(bytes, q, end) ?? utf8.decode(bytes.subarray(q, end));
    }
  }
  return decodeValue(bytes.subarray(start, end), options);
}
