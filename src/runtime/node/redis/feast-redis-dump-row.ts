import { decodeValueAt } from '../../../feast/value-proto-decode-at.js';
import type { DecodeValueOptions } from '../../../feast/value-proto.js';
import { readListpackRow } from './feast-listpack-row.js';
import { type FeastRowsTarget, timestampAt } from './feast-redis-reply.js';
import { type HashEntryVisitor, readDumpedHash } from './redis-dump.js';

const word = (b: Uint8Array, p: number) => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

/**
 * Reads one view's row out of a DUMP of an entity's hash: finds the requested fields
 * (`_ts:<view>` first, then the features) among all the hash's fields and decodes them
 * in place, as HMGET of those fields would have answered. One per read plan, reused
 * from key to key (reading a key is synchronous, so reads cannot interleave in it).
 */
export class FeastDumpRowReader {
  readonly #size: number;
  /** Scratch of the one-pass reader (feast-listpack-row.ts): each field's value start and end. */
  readonly #found: Int32Array;
  /** Positions asked for again [position, first position]: they get the first one's value. */
  readonly #repeats: [number, number][] = [];
  readonly find4: (word: number) => number;
  readonly findOther: (bytes: Uint8Array, start: number, end: number) => number;
  /*
   * Every feature's field is 4 bytes (a murmur3 hash): those are found in an
   * open-addressing table keyed by the 4 bytes as an int32, the few others by comparison.
   */
  readonly #keys: Int32Array;
  /** Position in the field list plus one; 0 is an empty slot. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  readonly #others: { readonly name: Uint8Array; readonly at: number }[] = [];
  /** Where the current hash holds each requested field. */
  readonly #bytes: (Uint8Array | undefined)[];
  readonly #starts: Int32Array;
  readonly #ends: Int32Array;
  readonly #visit: HashEntryVisitor;

  constructor(fields: readonly Uint8Array[]) {
    this.#size = fields.length;
    let capacity = 8;
    while (capacity < fields.length * 4) capacity *= 2;
    this.#keys = new Int32Array(capacity);
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    fields.forEach((name, at) => {
      if (name.length !== 4) {
        this.#others.push({ name, at });
        return;
      }
      const key = word(name, 0);
      let slot = this.#hash(key);
      while (this.#slots[slot] !== 0 && this.#keys[slot] !== key) slot = (slot + 1) & this.#mask;
      // The same feature asked for twice: the first position answers, and read() copies it to the others.
      if (this.#slots[slot] === 0) {
        this.#keys[slot] = key;
        this.#slots[slot] = at + 1;
      } else if (at > 0) {
        this.#repeats.push([at, this.#slots[slot] - 1]);
      }
    });
    this.#found = new Int32Array(2 * fields.length);
    this.find4 = (key) => this.#find4(key);
    this.findOther = (bytes, start, end) => this.#findOther(bytes, start, end);
    this.#bytes = new Array(fields.length).fill(undefined);
    this.#starts = new Int32Array(fields.length);
    this.#ends = new Int32Array(fields.length);
    this.#visit = (field, fieldStart, fieldEnd, value, valueStart, valueEnd) => {
      const at = this.#find(field, fieldStart, fieldEnd);
      if (at < 0) return;
      this.#bytes[at] = value;
      this.#starts[at] = valueStart;
      this.#ends[at] = valueEnd;
    };
  }

  #hash(key: number): number {
    return (Math.imul(key, 0x9e3779b1) >>> 16) & this.#mask;
  }

  /** The field's position in the read's list, or -1 when it was not asked for. */
  #find(bytes: Uint8Array, start: number, end: number): number {
    return end - start === 4 ? this.#find4(word(bytes, start)) : this.#findOther(bytes, start, end);
  }

  #find4(key: number): number {
    for (let slot = this.#hash(key); this.#slots[slot] !== 0; slot = (slot + 1) & this.#mask) {
      if (this.#keys[slot] === key) return this.#slots[slot] - 1;
    }
    return -1;
  }

  #findOther(bytes: Uint8Array, start: number, end: number): number {
    for (const { name, at } of this.#others) {
      if (name.length !== end - start) continue;
      let i = 0;
      while (i < name.length && name[i] === bytes[start + i]) i++;
      if (i === name.length) return at;
    }
    return -1;
  }

  /**
   * Decodes row `row` from the DUMP `payload`; answers the hash's field count, or
   * undefined when the payload is in a form readDumpedHash does not read (then the row
   * is left as it was). A hash without `_ts:<view>` leaves the row NOT_FOUND.
   */
  read(payload: Uint8Array, target: FeastRowsTarget, row: number, options: DecodeValueOptions): number | undefined {
    const pairs = readListpackRow(payload, this, this.#found, target, row, options) ?? this.#readAnyForm(payload, target, row, options);
    for (const [at, first] of this.#repeats) target.columns[at - 1][row] = target.columns[first - 1][row];
    return pairs;
  }

  /** read() by readDumpedHash: every form redis-dump.ts reads. */
  #readAnyForm(payload: Uint8Array, target: FeastRowsTarget, row: number, options: DecodeValueOptions): number | undefined {
    const bytes = this.#bytes;
    bytes.fill(undefined);
    const pairs = readDumpedHash(payload, this.#visit);
    const ts = bytes[0];
    if (pairs === undefined || !ts) return pairs;
    target.eventTimestamps[row] = timestampAt(ts, this.#starts[0], this.#ends[0]);
    for (let f = 1; f < this.#size; f++) {
      const value = bytes[f];
      if (value) target.columns[f - 1][row] = decodeValueAt(value, this.#starts[f], this.#ends[f], options);
    }
    return pairs;
  }
}
