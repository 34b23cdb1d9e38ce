import { InvalidEntityKeyError } from '../errors.js';
import { shownValue } from '../definitions/shown-value.js';
import { DUMMY_JOIN_KEY, String as Str, type FeatureView, type ScalarType } from '../definitions/index.js';

/** One join key and its value, typed by the entity's value type. */
export interface EntityKeyPart {
  readonly joinKey: string;
  readonly type: ScalarType;
  readonly value: unknown;
}

/** Feast's ValueType numbers for the key types it serializes. */
const TYPE_NUMBER = { Bytes: 1, String: 2, Int32: 3, Int64: 4, UnixTimestamp: 8 } as const;
const encoder = new TextEncoder();

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No lone UTF-16 surrogate (what UTF-8 cannot encode). */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Python sorts strings by code point; JS's default sort uses UTF-16 units, which differs above U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function valueBytes(part: EntityKeyPart): Uint8Array {
  const where = `entity key '${part.joinKey}'`;
  const { value } = part;
  switch (part.type.kind) {
    case 'String':
      if (typeof value !== 'string') throw new InvalidEntityKeyError(`${where}: expected a string, got ${shownValue(value)}`);
      // UTF-8 turns a lone surrogate into U+FFFD: two different keys would then share one entity.
      if (!isWellFormedText(value))
        throw new InvalidEntityKeyError(`${where}: ${shownValue(value)} holds a lone UTF-16 surrogate, which UTF-8 (Feast's key encoding) cannot represent`);
      return encoder.encode(value);
    case 'Bytes':
      if (!(value instanceof Uint8Array)) throw new InvalidEntityKeyError(`${where}: expected bytes`);
      return value;
    case 'Int32': {
      const n = toInteger(value, where, -(2n ** 31n), 2n ** 31n - 1n);
      const out = new Uint8Array(4);
      new DataView(out.buffer).setInt32(0, Number(n), true);
      return out;
    }
    case 'Int64':
    case 'UnixTimestamp': {
      const n = toInteger(value, where, -(2n ** 63n), 2n ** 63n - 1n);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, n, true);
      return out;
    }
    default:
      throw new InvalidEntityKeyError(`${where}: ${part.type.kind} cannot be a join key; use String, Int32, Int64, Bytes or UnixTimestamp`);
  }
}

function toInteger(value: unknown, where: string, min: bigint, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) n = BigInt(value.trim());
  if (n === undefined || n < min || n > max) {
    throw new InvalidEntityKeyError(`${where}: expected an integer in [${min}, ${max}], got ${shownValue(value)}`);
  }
  return n;
}

/**
 * Feast's entity key serialization, version 3: a u32 key count; per join key (sorted
 * by code point) u32 ValueType.STRING, u32 length, UTF-8 name; then per value u32 value
 * type, u32 byte length, bytes (little-endian integers). Typed: Int64 1001 and String
 * "1001" encode differently. The name length is Python's `len(name)` (code points), as
 * Feast writes it, so keys stay byte-identical to Feast's even for non-ASCII names.
 */
export function encodeEntityKey(parts: readonly EntityKeyPart[]): Uint8Array {
  if (parts.length === 0) throw new InvalidEntityKeyError('an entity key needs at least one join key');
  return entityKeyEncoder(parts)(parts.map((p) => p.value));
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The encoded key as text, for stores keyed by strings (KV, IndexedDB, Redis). */
export function entityKeyToString(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i++) s += HEX[key[i]];
  return s;
}

/** The key as a compact string (one char per byte): a Map key for in-process lookups and de-duplication. */
export function entityKeyId(key: Uint8Array): string {
  return String.fromCharCode.apply(null, key as unknown as number[]);
}

const FIXED_WIDTH: Partial<Record<ScalarType['kind'], number>> = { Int32: 4, Int64: 8, UnixTimestamp: 8 };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** Writes `value` as a little-endian integer of `width` bytes at `offset`, checked like valueBytes. */
function writeInteger(out: Uint8Array, offset: number, width: number, value: unknown, where: string): void {
  // Safe-integer numbers (the common case) are written byte by byte, skipping BigInt.
  if (typeof value === 'number' && Number.isSafeInteger(value) && (width === 8 || (value >= -2_147_483_648 && value <= 2_147_483_647))) {
    const high = Math.floor(value / 4_294_967_296);
    const low = value - high * 4_294_967_296;
    out[offset] = low & 0xff;
    out[offset + 1] = (low >>> 8) & 0xff;
    out[offset + 2] = (low >>> 16) & 0xff;
    out[offset + 3] = low >>> 24;
    if (width === 8) {
      out[offset + 4] = high & 0xff;
      out[offset + 5] = (high >> 8) & 0xff;
      out[offset + 6] = (high >> 16) & 0xff;
      out[offset + 7] = (high >> 24) & 0xff;
    }
    return;
  }
  const n = width === 8 ? toInteger(value, where, INT64_MIN, INT64_MAX) : toInteger(value, where, INT32_MIN, INT32_MAX);
  const view = new DataView(out.buffer, out.byteOffset + offset, width);
  if (width === 8) view.setBigInt64(0, n, true);
  else view.setInt32(0, Number(n), true);
}

/**
 * An encoder for one set of join keys: the count and the sorted names are the same for
 * every row, so they are encoded once and each row only adds its values. Produces the
 * same bytes as encodeEntityKey. Keys made only of integers have a fixed length and are
 * written straight into one buffer: this runs once per entity row on every read.
 */
export function entityKeyEncoder(keys: readonly { joinKey: string; type: ScalarType }[]): (values: readonly unknown[]) => Uint8Array {
  const order = keys.map((k, i) => ({ ...k, index: i })).sort((a, b) => compareCodePoints(a.joinKey, b.joinKey));
  const chunks: Uint8Array[] = [u32(order.length)];
  for (const k of order) chunks.push(u32(TYPE_NUMBER.String), u32([...k.joinKey].length), encoder.encode(k.joinKey));
  const prefix = concat(chunks);
  if (order.every((k) => FIXED_WIDTH[k.type.kind] !== undefined)) {
    // Everything but the values is the same for every row: copy it, then fill the values in.
    const slots: { index: number; offset: number; width: number; where: string }[] = [];
    const headers: Uint8Array[] = [prefix];
    let length = prefix.length;
    for (const k of order) {
      const width = FIXED_WIDTH[k.type.kind]!;
      headers.push(u32(TYPE_NUMBER[k.type.kind as keyof typeof TYPE_NUMBER]), u32(width), new Uint8Array(width));
      slots.push({ index: k.index, offset: length + 8, width, where: `entity key '${k.joinKey}'` });
      length += 8 + width;
    }
    const template = concat(headers);
    return (values) => {
      const out = template.slice();
      for (const slot of slots) writeInteger(out, slot.offset, slot.width, values[slot.index], slot.where);
      return out;
    };
  }
  return (values) => {
    const parts = order.map((k) => valueBytes({ joinKey: k.joinKey, type: k.type, value: values[k.index] }));
    const out = new Uint8Array(prefix.length + parts.reduce((n, p) => n + 8 + p.length, 0));
    out.set(prefix, 0);
    const view = new DataView(out.buffer);
    let offset = prefix.length;
    order.forEach((k, i) => {
      view.setUint32(offset, TYPE_NUMBER[k.type.kind as keyof typeof TYPE_NUMBER], true);
      view.setUint32(offset + 4, parts[i].length, true);
      out.set(parts[i], offset + 8);
      offset += 8 + parts[i].length;
    });
    return out;
  };
}

/**
 * The key encoder of a view: its join keys' values in entity order in, the key out.
 * Entity-less views all share Feast's dummy key (`__dummy_id` = '').
 */
export function viewKeyEncoder(view: Pick<FeatureView, 'entityColumns'>): (values: readonly unknown[]) => Uint8Array {
  // Views are frozen registry objects reused across requests: build each one's encoder once.
  let encoder = encoders.get(view);
  if (!encoder) encoders.set(view, (encoder = buildViewKeyEncoder(view)));
  return encoder;
}

const encoders = new WeakMap<object, (values: readonly unknown[]) => Uint8Array>();

function buildViewKeyEncoder(view: Pick<FeatureView, 'entityColumns'>): (values: readonly unknown[]) => Uint8Array {
  if (view.entityColumns.length === 0) {
    const dummy = encodeEntityKey([{ joinKey: DUMMY_JOIN_KEY, type: Str, value: '' }]);
    return () => dummy;
  }
  return entityKeyEncoder(view.entityColumns.map((c) => ({ joinKey: c.name, type: c.dtype as ScalarType })));
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const INTEGER_KEYS = new Set(['Int32', 'Int64', 'UnixTimestamp']);

/**
 * Join key values as their entity's type: an integer key given as a string ("1001") is
 * the integer (a number, or a bigint beyond 2^53), as Feast converts it before looking it
 * up and echoing it. Anything else is left as given (the key encoder refuses what does not fit).
 */
export function typedJoinKeyValues(values: unknown[], type: { readonly kind: string }): unknown[] {
  if (!INTEGER_KEYS.has(type.kind) || values.every((v) => typeof v !== 'string')) return values;
  return values.map((value) => {
    if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return value;
    const n = BigInt(value.trim());
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  });
}
