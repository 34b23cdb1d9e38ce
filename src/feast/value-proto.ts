import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { InvalidOnlineWriteError } from '../errors.js';
import type { ScalarType, StructType, ValueType } from '../definitions/index.js';
import { toEpochMicros } from '../definitions/timestamp.js';
import { NULL_TIMESTAMP_SECONDS, VALUE_FIELD as F } from './value-fields.js';

export { decodeValue, type DecodeValueOptions } from './value-proto-decode.js';

/** Turns one JS value into a serialized `feast.types.Value`; `row` only serves error messages. */
export type ValueEncoder = (value: unknown, row?: number) => Uint8Array;

/** A null is the empty Value (no member of the oneof set), as Feast writes it. */
const EMPTY = new Uint8Array(0);
const FLOAT32_MAX = 3.4028234663852886e38;
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/*
 * One writer for every encode: values are encoded one at a time and synchronously, and
 * finish() copies the bytes out and rewinds, so its buffer is reused, not reallocated.
 */
const writer = new BinaryWriter();

function fail(where: string, row: number | undefined, expected: string, value: unknown): never {
  const shown = typeof value === 'bigint' ? `${value}n` : value instanceof Uint8Array ? 'bytes' : JSON.stringify(value);
  throw new InvalidOnlineWriteError(`${where}${row === undefined ? '' : `[${row}]`}: expected ${expected}, got ${shown}`);
}

/** Each scalar type: how to check a value and write it without a tag (the tag depends on scalar vs list). */
interface ScalarCodec {
  readonly field: number;
  readonly listField: number;
  readonly wire: WireType;
  /** Packed in a list (numbers and booleans), or one tagged item each (strings and bytes). */
  readonly packed: boolean;
  readonly expected: string;
  /** The value in the form `write` takes, or undefined if it does not fit the type. */
  check(value: unknown): unknown;
  write(w: BinaryWriter, value: unknown): void;
  /** What Feast puts in place of a null inside a list. */
  readonly listNull: unknown;
}

function integer(value: unknown, min: number, max: number, big: [bigint, bigint]): number | bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
  if (typeof value === 'bigint') return value >= big[0] && value <= big[1] ? value : undefined;
  return undefined;
}

const seconds = (value: unknown): bigint | undefined => {
  try {
    const micros = toEpochMicros(value, '');
    // Floor division: Feast stores whole seconds.
    return micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  } catch {
    return undefined;
  }
};

const CODECS: Record<Exclude<ScalarType['kind'], 'Map' | 'Json'>, ScalarCodec> = {
  Int32: {
    field: F.int32,
    listField: F.int32List,
    wire: WireType.Varint,
    packed: true,
    expected: 'an integer within Int32',
    listNull: 0,
    check: (v) => {
      const n = integer(v, INT32_MIN, INT32_MAX, [BigInt(INT32_MIN), BigInt(INT32_MAX)]);
      return n === undefined ? n : Number(n);
    },
    write: (w, v) => {
      w.int32(v as number);
    },
  },
  Int64: {
    field: F.int64,
    listField: F.int64List,
    wire: WireType.Varint,
    packed: true,
    expected: 'an integer within Int64',
    listNull: 0,
    // Integral doubles past 2^53 are taken as they are (2^63 itself is out of range).
    check: (v) => integer(v, -(2 ** 63), 2 ** 63 - 1024, [INT64_MIN, INT64_MAX]),
    write: (w, v) => {
      w.int64(v as number | bigint);
    },
  },
  Float32: {
    field: F.float,
    listField: F.floatList,
    wire: WireType.Bit32,
    packed: true,
    expected: 'a number within Float32',
    listNull: 0,
    // Out of range is refused rather than written as infinity; NaN and the infinities themselves pass.
    check: (v) => (typeof v === 'number' && !(Math.abs(v) > FLOAT32_MAX && Number.isFinite(v)) ? v : undefined),
    write: (w, v) => {
      w.float(v as number);
    },
  },
  Float64: {
    field: F.double,
    listField: F.doubleList,
    wire: WireType.Bit64,
    packed: true,
    expected: 'a number',
    listNull: 0,
    check: (v) => (typeof v === 'number' ? v : undefined),
    write: (w, v) => {
      w.double(v as number);
    },
  },
  String: {
    field: F.string,
    listField: F.stringList,
    wire: WireType.LengthDelimited,
    packed: false,
    expected: 'a string',
    listNull: '',
    check: (v) => (typeof v === 'string' ? v : undefined),
    write: (w, v) => {
      w.string(v as string);
    },
  },
  Bool: {
    field: F.bool,
    listField: F.boolList,
    wire: WireType.Varint,
    packed: true,
    expected: 'true or false',
    listNull: false,
    check: (v) => (typeof v === 'boolean' ? v : undefined),
    write: (w, v) => {
      w.bool(v as boolean);
    },
  },
  Bytes: {
    field: F.bytes,
    listField: F.bytesList,
    wire: WireType.LengthDelimited,
    packed: false,
    expected: 'bytes (Uint8Array)',
    listNull: EMPTY,
    check: (v) => (v instanceof Uint8Array ? v : undefined),
    write: (w, v) => {
      w.bytes(v as Uint8Array);
    },
  },
  UnixTimestamp: {
    field: F.unixTimestamp,
    listField: F.unixTimestampList,
    wire: WireType.Varint,
    packed: true,
    expected: 'a timestamp (Date, ISO 8601 string or bigint microseconds)',
    listNull: NULL_TIMESTAMP_SECONDS,
    check: (v) => (typeof v === 'bigint' && v === NULL_TIMESTAMP_SECONDS ? v : seconds(v)),
    write: (w, v) => {
      w.int64(v as bigint);
    },
  },
};

/** Runs `write` on the shared writer and returns its bytes; a throw leaves the writer rewound. */
function finish(write: (w: BinaryWriter) => void): Uint8Array {
  try {
    write(writer);
  } catch (error) {
    writer.finish();
    throw error;
  }
  return writer.finish();
}

function scalarEncoder(codec: ScalarCodec, where: string): ValueEncoder {
  return (value, row) => {
    if (value === null || value === undefined) return EMPTY;
    const checked = codec.check(value);
    if (checked === undefined) fail(where, row, codec.expected, value);
    return finish((w) => {
      codec.write(w.tag(codec.field, codec.wire), checked);
    });
  };
}

function listEncoder(codec: ScalarCodec, where: string): ValueEncoder {
  return (value, row) => {
    if (value === null || value === undefined) return EMPTY;
    if (!Array.isArray(value)) fail(where, row, `an array (${codec.expected} each)`, value);
    const items = value.map((item) => {
      if (item === null || item === undefined) return codec.listNull;
      const checked = codec.check(item);
      if (checked === undefined) fail(where, row, `an array of ${codec.expected}`, item);
      return checked;
    });
    return finish((w) => {
      // The list message is written even when empty: an empty list is not a null.
      w.tag(codec.listField, WireType.LengthDelimited).fork();
      if (codec.packed) {
        if (items.length > 0) {
          w.tag(1, WireType.LengthDelimited).fork();
          for (const item of items) codec.write(w, item);
          w.join();
        }
      } else {
        for (const item of items) codec.write(w.tag(1, WireType.LengthDelimited), item);
      }
      w.join();
    });
  };
}

/**
 * An encoder of one column to serialized `feast.types.Value`s, chosen once from the
 * column's type, so encoding a value does no type dispatch beyond its own check.
 * Without a type (a batch that does not carry its view's schema) each value's type is
 * inferred: integers as Int64, other numbers as Float64, Date as UnixTimestamp, arrays
 * by their items. Nulls become the empty Value and nulls inside lists Feast's defaults.
 * @example valueEncoder(Float32, "write to 'driver_stats': conv_rate")(0.5) // bytes 35 00 00 00 3f
 */
export function valueEncoder(type: ValueType | undefined, where = 'value'): ValueEncoder {
  if (!type) return (value, row) => (value === null || value === undefined ? EMPTY : valueEncoder(inferType(value, where, row), where)(value, row));
  if (type.kind === 'Array') {
    const of = type.of;
    if (of.kind === 'Struct' || of.kind === 'Map') return messageListEncoder(of.kind === 'Struct' ? F.structList : F.mapList, recordEncoder(of, where), where);
    if (of.kind === 'Json') return listEncoder(JSON_CODEC, where);
    return listEncoder(CODECS[of.kind], where);
  }
  if (type.kind === 'Struct' || type.kind === 'Map') return recordEncoder(type, where);
  if (type.kind === 'Json') return scalarEncoder(JSON_CODEC, where);
  return scalarEncoder(CODECS[type.kind], where);
}

/** Json is JSON text (`json_val`); a value that is not a string is written as its JSON. */
const JSON_CODEC: ScalarCodec = {
  field: F.json,
  listField: F.jsonList,
  wire: WireType.LengthDelimited,
  packed: false,
  expected: 'JSON text or a JSON-serializable value',
  listNull: '',
  check: (v) => {
    try {
      return typeof v === 'string' ? v : JSON.stringify(v);
    } catch {
      return undefined;
    }
  },
  write: (w, v) => {
    w.string(v as string);
  },
};

/**
 * Map (`map_val`, values of any type, inferred) and Struct (`struct_val`, members of their
 * declared types) share Feast's message `map<string, Value> val = 1`: one entry per key,
 * in the object's order. Member values are encoded before the record is written, as the
 * writer is shared.
 */
function recordEncoder(type: StructType | ScalarType, where: string): ValueEncoder {
  const members = type.kind === 'Struct' ? new Map(type.fields.map((m) => [m.name, valueEncoder(m.dtype, `${where}.${m.name}`)])) : undefined;
  const field = type.kind === 'Struct' ? F.struct : F.map;
  const entriesOf = (value: unknown, row: number | undefined): [string, Uint8Array][] => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) {
      fail(where, row, type.kind === 'Struct' ? "an object of the Struct's members" : 'an object (a Map)', value);
    }
    return Object.entries(value as Record<string, unknown>).map(([key, item]) => {
      const encode = members ? members.get(key) : valueEncoder(undefined, `${where}.${key}`);
      if (!encode) fail(where, row, `only the members ${[...members!.keys()].join(', ')}`, key);
      return [key, encode(item, row)];
    });
  };
  const encoder: ValueEncoder & { entries?: typeof entriesOf } = (value, row) => {
    if (value === null || value === undefined) return EMPTY;
    const entries = entriesOf(value, row);
    return finish((w) => {
      writeRecord(w.tag(field, WireType.LengthDelimited), entries);
    });
  };
  encoder.entries = entriesOf;
  return encoder;
}

function writeRecord(w: BinaryWriter, entries: readonly [string, Uint8Array][]): void {
  w.fork();
  for (const [key, item] of entries) {
    w.tag(1, WireType.LengthDelimited).fork();
    w.tag(1, WireType.LengthDelimited).string(key);
    w.tag(2, WireType.LengthDelimited).bytes(item);
    w.join();
  }
  w.join();
}

/** A list of Maps or Structs (`map_list_val`, `struct_list_val`): `repeated Map val = 1`. */
function messageListEncoder(
  field: number,
  record: ValueEncoder & { entries?: (value: unknown, row: number | undefined) => [string, Uint8Array][] },
  where: string,
): ValueEncoder {
  return (value, row) => {
    if (value === null || value === undefined) return EMPTY;
    if (!Array.isArray(value)) fail(where, row, 'an array of objects', value);
    const items = value.map((item) => (item === null || item === undefined ? [] : record.entries!(item, row)));
    return finish((w) => {
      w.tag(field, WireType.LengthDelimited).fork();
      for (const entries of items) writeRecord(w.tag(1, WireType.LengthDelimited), entries);
      w.join();
    });
  };
}

/** Encodes one value; see valueEncoder, which encodes a column faster. */
export function encodeValue(value: unknown, type?: ValueType): Uint8Array {
  return valueEncoder(type)(value);
}

const SCALAR = (kind: ScalarType['kind']): ScalarType => ({ kind });

function inferScalar(value: unknown): ScalarType | undefined {
  switch (typeof value) {
    case 'boolean':
      return SCALAR('Bool');
    case 'string':
      return SCALAR('String');
    case 'bigint':
      return SCALAR('Int64');
    case 'number':
      return SCALAR(Number.isInteger(value) ? 'Int64' : 'Float64');
    default:
      if (value instanceof Uint8Array) return SCALAR('Bytes');
      if (value instanceof Date) return SCALAR('UnixTimestamp');
      return undefined;
  }
}

function inferType(value: unknown, where: string, row: number | undefined): ValueType {
  if (Array.isArray(value)) {
    const items = value.filter((v) => v !== null && v !== undefined);
    // Any fractional number makes the whole list Float64; an empty list is an empty Int64 list.
    const of = items.some((v) => typeof v === 'number' && !Number.isInteger(v)) ? SCALAR('Float64') : inferScalar(items[0] ?? 0);
    if (!of) fail(where, row, 'a list of numbers, strings, booleans, bytes or Dates', value);
    return { kind: 'Array', of };
  }
  const scalar = inferScalar(value);
  if (!scalar) fail(where, row, 'a number, bigint, string, boolean, bytes, Date or an array of these', value);
  return scalar;
}
