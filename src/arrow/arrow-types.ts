import {
  Binary,
  Bool,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Field as ArrowField,
  Struct,
  TimestampMicrosecond,
  Utf8,
  DataType,
  Precision,
  Table,
  vectorFromArray,
  type Data,
  type Vector,
} from 'apache-arrow';
import type { ValueType } from '../definitions/index.js';
import { columnVector } from './arrow-from-rows.js';

/** The Arrow type that holds a feature value type. */
export function arrowType(type: ValueType): DataType {
  if (type.kind === 'Array') return new List(new ArrowField('item', arrowType(type.of), true));
  switch (type.kind) {
    case 'Int32':
      return new Int32();
    case 'Int64':
      return new Int64();
    case 'Float32':
      return new Float32();
    case 'Float64':
      return new Float64();
    case 'String':
      return new Utf8();
    case 'Bool':
      return new Bool();
    case 'Bytes':
      return new Binary();
    case 'UnixTimestamp':
      return new TimestampMicrosecond();
    // JSON text, as in DuckDB (duckdbType): a Map's values may have any type.
    case 'Map':
    case 'Json':
      return new Utf8();
    case 'Struct':
      return new Struct(type.fields.map((m) => new ArrowField(m.name, arrowType(m.dtype), true)));
  }
}

/** JS values (numbers, bigints, strings, Dates...) to a vector of the declared type. */
export function vectorOfType(values: readonly unknown[], type: ValueType, where: string): Vector {
  if (type.kind === 'UnixTimestamp') return columnVector(values, true, where);
  if (type.kind === 'Map' || type.kind === 'Json') {
    // A Map is a plain object and is stored as JSON text; a Json value already is JSON text.
    return vectorFromArray(
      values.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v, jsonSafe))),
      new Utf8(),
    );
  }
  return vectorFromArray(
    values.map((v) => arrowValue(v, type)),
    arrowType(type),
  );
}

/**
 * One checked JS value as Arrow's builders take it for `type`: int64 as bigint (Arrow
 * refuses numbers there), Map and Json as JSON text, and the same inside lists and structs.
 */
function arrowValue(value: unknown, type: ValueType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'Int64':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    case 'UnixTimestamp':
      return value instanceof Date ? value.getTime() : value;
    case 'Map':
    case 'Json':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'Array':
      return (value as unknown[]).map((item) => arrowValue(item, type.of));
    case 'Struct':
      return Object.fromEntries(type.fields.map((m) => [m.name, arrowValue((value as Record<string, unknown>)[m.name], m.dtype)]));
    default:
      return value;
  }
}

/** JSON has no bigint or bytes: a safe bigint is a number, a larger one its decimal text, bytes a list of numbers. */
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  return value instanceof Uint8Array ? [...value] : value;
}

/**
 * Map and Json features are JSON text in feast-edge's Arrow results (arrowType). A
 * source may hold them otherwise: Feast writes a Map feature's dicts to Parquet as a
 * struct. Such columns of `table` are turned into JSON text; others are left as they are.
 */
export function mapColumnsAsJsonText(table: Table, columns: readonly { readonly output: string; readonly dtype: ValueType }[]): Table {
  const changed: Record<string, Vector> = {};
  for (const { output, dtype } of columns) {
    const vector = table.getChild(output);
    if ((dtype.kind !== 'Map' && dtype.kind !== 'Json') || !vector || DataType.isUtf8(vector.type)) continue;
    changed[output] = vectorOfType(plainValues(vector), dtype, output);
  }
  if (Object.keys(changed).length === 0) return table;
  return new Table(Object.fromEntries(table.schema.fields.map((f) => [f.name, changed[f.name] ?? table.getChild(f.name)!])));
}

/** A vector's values as plain JS: safe int64 as number, timestamps as Date, nulls kept. */
export function plainValues(vector: Vector | null): unknown[] {
  if (!vector) return [];
  const out = new Array<unknown>(vector.length);
  const isTimestamp = String(vector.type).startsWith('Timestamp');
  const isStruct = DataType.isStruct(vector.type);
  let offset = 0;
  for (const chunk of vector.data) {
    if (!copyNumbers(chunk, out, offset)) {
      for (let i = 0; i < chunk.length; i++) {
        const value = chunk.getValid(i) ? vector.get(offset + i) : null;
        // A struct row is an object of its members (its toArray() would drop their names).
        out[offset + i] = isStruct && value !== null ? plainStruct(value as { toJSON(): Record<string, unknown> }) : plainValue(value, isTimestamp);
      }
    }
    offset += chunk.length;
  }
  return out;
}

/**
 * Copies a numeric chunk (floats and integers up to 64 bits) straight from its buffer:
 * materialization and row conversion spend their time here, and vector.get per value
 * costs several times more. Returns false for other types.
 */
function copyNumbers(chunk: Data, out: unknown[], offset: number): boolean {
  const { type } = chunk;
  const isFloat = DataType.isFloat(type) && type.precision !== Precision.HALF;
  const isInt = DataType.isInt(type);
  if (!isFloat && !isInt) return false;
  const values = chunk.values as unknown as ArrayLike<number | bigint>;
  const wide = isInt && type.bitWidth === 64;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk.nullCount > 0 && !chunk.getValid(i)) {
      out[offset + i] = null;
      continue;
    }
    const value = values[i];
    if (wide) {
      const n = Number(value);
      out[offset + i] = n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? n : value;
    } else {
      out[offset + i] = value;
    }
  }
  return true;
}

function plainStruct(row: { toJSON(): Record<string, unknown> }): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row.toJSON()).map(([name, member]) => [name, plainValue(member)]));
}

export function plainValue(value: unknown, isTimestamp = false): unknown {
  if (value === null || value === undefined) return null;
  if (isTimestamp) return new Date(Number(value));
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  // A struct's (or map's) row: an object of its members; a Vector (a list) has `data`, a row does not.
  if (typeof value === 'object' && 'toJSON' in value && !('data' in value) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries((value as { toJSON(): Record<string, unknown> }).toJSON()).map(([k, v]) => [k, plainValue(v)]));
  }
  if (typeof value === 'object' && value !== null && 'toArray' in value && !(value instanceof Uint8Array)) {
    return [...(value as unknown as Iterable<unknown>)].map((v) => plainValue(v));
  }
  return value;
}

/** A timestamp column's raw microseconds (null where invalid), exact to the microsecond. */
export function timestampMicros(vector: Vector | null): (bigint | null)[] {
  const out: (bigint | null)[] = [];
  for (const chunk of vector?.data ?? []) {
    const values = chunk.values as unknown as BigInt64Array;
    for (let i = 0; i < chunk.length; i++) out.push(chunk.getValid(i) ? BigInt(values[i]) : null);
  }
  return out;
}
