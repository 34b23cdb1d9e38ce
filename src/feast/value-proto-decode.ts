import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { InvalidFeastValueError } from '../errors.js';
import { NULL_TIMESTAMP_SECONDS, VALUE_FIELD as F } from './value-fields.js';

export interface DecodeValueOptions {
  /**
   * How a Json value (`json_val`, `json_list_val`) comes back: `'text'` (default) is the
   * JSON text Feast stored, exactly what Feast's feature server answers; `'parsed'` is
   * `JSON.parse` of it, what Feast's Python `to_dict()` answers.
   */
  readonly json?: 'text' | 'parsed';
}

type Read = (r: BinaryReader) => unknown;

/** Int64 as feast-edge's stores give it: a number while exact, a bigint beyond 2^53. */
function int64Value(n: bigint): number | bigint {
  return n >= -9_007_199_254_740_991n && n <= 9_007_199_254_740_991n ? Number(n) : n;
}

/** Feast's UnixTimestamp is whole seconds; feast-edge's is a Date. NaT (int64 min) is null. */
function timestampValue(seconds: bigint): Date | null {
  return seconds === NULL_TIMESTAMP_SECONDS ? null : new Date(Number(seconds) * 1000);
}

const readInt64: Read = (r) => int64Value(r.int64() as bigint);
const readInt32: Read = (r) => r.int32();
const readDouble: Read = (r) => r.double();
const readFloat: Read = (r) => r.float();
const readBool: Read = (r) => r.bool();
const readString: Read = (r) => r.string();
// A copy, not a view: the bytes would otherwise pin the whole reply buffer they came in.
const readBytes: Read = (r) => new Uint8Array(r.bytes());
const readTimestamp: Read = (r) => timestampValue(r.int64() as bigint);
const readJson: Read = (r) => JSON.parse(r.string());

/** Reads field 1 of a list message ending at `end`: packed runs or single items, as protobuf allows both. */
function readList(r: BinaryReader, end: number, item: Read, wire: WireType): unknown[] {
  const out: unknown[] = [];
  while (r.pos < end) {
    const [field, type] = r.tag();
    if (field !== 1) {
      r.skip(type, field);
      continue;
    }
    if (type === WireType.LengthDelimited && wire !== WireType.LengthDelimited) {
      const packedEnd = r.uint32() + r.pos;
      while (r.pos < packedEnd) out.push(item(r));
    } else {
      out.push(item(r));
    }
  }
  return out;
}

/** `feast.types.Map` (and Struct): `map<string, Value> val = 1`, as a plain object in stored order. */
function readMap(r: BinaryReader, end: number, options: DecodeValueOptions): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  while (r.pos < end) {
    const [field, type] = r.tag();
    if (field !== 1) {
      r.skip(type, field);
      continue;
    }
    const entryEnd = r.uint32() + r.pos;
    let key = '';
    let value: unknown = null;
    while (r.pos < entryEnd) {
      const [entryField, entryType] = r.tag();
      if (entryField === 1) key = r.string();
      else if (entryField === 2) value = decodeValue(r.bytes(), options);
      else r.skip(entryType, entryField);
    }
    entries.push([key, value]);
  }
  // fromEntries defines own properties, so a key such as '__proto__' stays a plain key.
  return Object.fromEntries(entries);
}

function readMessages(r: BinaryReader, end: number, read: (r: BinaryReader, end: number) => unknown): unknown[] {
  const out: unknown[] = [];
  while (r.pos < end) {
    const [field, type] = r.tag();
    if (field !== 1) {
      r.skip(type, field);
      continue;
    }
    const itemEnd = r.uint32() + r.pos;
    out.push(read(r, itemEnd));
  }
  return out;
}

/** ScalarMap's MapKey: one of int32/int64/float/double/bool/timestamp/bytes/uuid/time_uuid/decimal. */
function readMapKey(r: BinaryReader, end: number): unknown {
  let key: unknown = null;
  while (r.pos < end) {
    const [field, type] = r.tag();
    switch (field) {
      case 1:
        key = r.int32();
        break;
      case 2:
        key = readInt64(r);
        break;
      case 3:
        key = r.float();
        break;
      case 4:
        key = r.double();
        break;
      case 5:
        key = r.bool();
        break;
      case 6:
        key = readTimestamp(r);
        break;
      case 7:
        key = readBytes(r);
        break;
      case 8:
      case 9:
      case 10:
        key = r.string();
        break;
      default:
        r.skip(type, field);
    }
  }
  return key;
}

function readScalarMap(r: BinaryReader, end: number, options: DecodeValueOptions): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  readMessages(r, end, (entry, entryEnd) => {
    let key: unknown = null;
    let value: unknown = null;
    while (entry.pos < entryEnd) {
      const [field, type] = entry.tag();
      if (field === 1) key = readMapKey(entry, entry.uint32() + entry.pos);
      else if (field === 2) value = decodeValue(entry.bytes(), options);
      else entry.skip(type, field);
    }
    out.set(key, value);
  });
  return out;
}

/** The zoned timestamp's instant (its zone is dropped: feast-edge's timestamps are UTC instants). */
function readZoned(r: BinaryReader, end: number): Date | null {
  let seconds = 0n;
  while (r.pos < end) {
    const [field, type] = r.tag();
    if (field === 1) seconds = r.int64() as bigint;
    else r.skip(type, field);
  }
  return timestampValue(seconds);
}

/** List members: field number -> item reader and the item's wire type. */
const LISTS = new Map<number, [Read, WireType]>([
  [F.bytesList, [readBytes, WireType.LengthDelimited]],
  [F.bytesSet, [readBytes, WireType.LengthDelimited]],
  [F.stringList, [readString, WireType.LengthDelimited]],
  [F.stringSet, [readString, WireType.LengthDelimited]],
  [F.int32List, [readInt32, WireType.Varint]],
  [F.int32Set, [readInt32, WireType.Varint]],
  [F.int64List, [readInt64, WireType.Varint]],
  [F.int64Set, [readInt64, WireType.Varint]],
  [F.doubleList, [readDouble, WireType.Bit64]],
  [F.doubleSet, [readDouble, WireType.Bit64]],
  [F.floatList, [readFloat, WireType.Bit32]],
  [F.floatSet, [readFloat, WireType.Bit32]],
  [F.boolList, [readBool, WireType.Varint]],
  [F.boolSet, [readBool, WireType.Varint]],
  [F.unixTimestampList, [readTimestamp, WireType.Varint]],
  [F.unixTimestampSet, [readTimestamp, WireType.Varint]],
  [F.uuidList, [readString, WireType.LengthDelimited]],
  [F.uuidSet, [readString, WireType.LengthDelimited]],
  [F.timeUuidList, [readString, WireType.LengthDelimited]],
  [F.timeUuidSet, [readString, WireType.LengthDelimited]],
  [F.decimalList, [readString, WireType.LengthDelimited]],
  [F.decimalSet, [readString, WireType.LengthDelimited]],
]);

/**
 * Decodes a serialized `feast.types.Value` to the JS value feast-edge's stores give:
 * Int64 a number (a bigint past 2^53), Float32 and Float64 numbers, UnixTimestamp a
 * Date, Bytes a Uint8Array, lists and sets arrays, Map and Struct plain objects, a
 * ScalarMap a Map, Uuid and Decimal strings, Json its text (see options). The empty
 * Value (nothing set) and `null_val` are null.
 * @example decodeValue(Uint8Array.of(0x20, 0x80, 0x02)) // 256
 */
export function decodeValue(bytes: Uint8Array, options: DecodeValueOptions = {}): unknown {
  if (bytes.length === 0) return null;
  const r = new BinaryReader(bytes);
  let value: unknown = null;
  // Protobuf lets a later member of a oneof replace an earlier one: the last one wins.
  while (r.pos < r.len) {
    const [field, type] = r.tag();
    value = readMember(r, field, type, options);
  }
  return value;
}

function readMember(r: BinaryReader, field: number, type: WireType, options: DecodeValueOptions): unknown {
  switch (field) {
    case F.float:
      return r.float();
    case F.double:
      return r.double();
    case F.int64:
      return readInt64(r);
    case F.string:
      return r.string();
    case F.int32:
      return r.int32();
    case F.bool:
      return r.bool();
    case F.bytes:
      return readBytes(r);
    case F.unixTimestamp:
      return readTimestamp(r);
    case F.null:
      r.skip(type, field);
      return null;
    case F.json:
      return options.json === 'parsed' ? readJson(r) : r.string();
    case F.uuid:
    case F.timeUuid:
    case F.decimal:
      return r.string();
  }
  if (type !== WireType.LengthDelimited) {
    throw new InvalidFeastValueError(`feast.types.Value field ${field}: unexpected wire type ${type}`);
  }
  const end = r.uint32() + r.pos;
  const list = LISTS.get(field);
  if (list) return readList(r, end, list[0], list[1]);
  switch (field) {
    case F.jsonList:
      return readList(r, end, options.json === 'parsed' ? readJson : readString, WireType.LengthDelimited);
    case F.map:
    case F.struct:
      return readMap(r, end, options);
    case F.mapList:
    case F.structList:
      return readMessages(r, end, (r2, itemEnd) => readMap(r2, itemEnd, options));
    case F.list:
    case F.set:
      return readList(r, end, (item) => decodeValue(item.bytes(), options), WireType.LengthDelimited);
    case F.scalarMap:
      return readScalarMap(r, end, options);
    case F.zonedTimestamp:
      return readZoned(r, end);
  }
  throw new InvalidFeastValueError(`feast.types.Value field ${field} is not a value type feast-edge knows (Feast 0.66 defines 1-48)`);
}
