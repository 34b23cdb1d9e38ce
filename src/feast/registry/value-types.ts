import { create } from '@bufbuild/protobuf';
import {
  ArrayOf,
  Bool,
  Bytes,
  Float32,
  Float64,
  Int32,
  Int64,
  Json,
  Map,
  String,
  StructOf,
  UnixTimestamp,
  field,
  type Field,
  type ScalarTypeName,
  type StructType,
  type ValueType,
} from '../../definitions/index.js';
import { FeatureSpecV2Schema, type FeatureSpecV2 } from '../proto/feast/core/Feature_pb.js';
import { ValueType_Enum } from '../proto/feast/types/Value_pb.js';
import { UnmodeledFeastObject } from './errors.js';

/** Feast keeps a Struct's member types in this tag of the field (feast/field.py), as JSON. */
export const STRUCT_SCHEMA_TAG = 'feast:struct_schema';

const SCALARS: Readonly<Record<number, ValueType>> = {
  [ValueType_Enum.BYTES]: Bytes,
  [ValueType_Enum.STRING]: String,
  [ValueType_Enum.INT32]: Int32,
  [ValueType_Enum.INT64]: Int64,
  [ValueType_Enum.DOUBLE]: Float64,
  [ValueType_Enum.FLOAT]: Float32,
  [ValueType_Enum.BOOL]: Bool,
  [ValueType_Enum.UNIX_TIMESTAMP]: UnixTimestamp,
  [ValueType_Enum.MAP]: Map,
  [ValueType_Enum.JSON]: Json,
};
const LISTS: Readonly<Record<number, number>> = {
  [ValueType_Enum.BYTES_LIST]: ValueType_Enum.BYTES,
  [ValueType_Enum.STRING_LIST]: ValueType_Enum.STRING,
  [ValueType_Enum.INT32_LIST]: ValueType_Enum.INT32,
  [ValueType_Enum.INT64_LIST]: ValueType_Enum.INT64,
  [ValueType_Enum.DOUBLE_LIST]: ValueType_Enum.DOUBLE,
  [ValueType_Enum.FLOAT_LIST]: ValueType_Enum.FLOAT,
  [ValueType_Enum.BOOL_LIST]: ValueType_Enum.BOOL,
  [ValueType_Enum.UNIX_TIMESTAMP_LIST]: ValueType_Enum.UNIX_TIMESTAMP,
  [ValueType_Enum.MAP_LIST]: ValueType_Enum.MAP,
  [ValueType_Enum.JSON_LIST]: ValueType_Enum.JSON,
};
/** Feast's PrimitiveFeastType names, which its struct schema JSON uses. */
const PRIMITIVE_NAMES: Readonly<Record<ScalarTypeName, string>> = {
  Int32: 'INT32',
  Int64: 'INT64',
  Float32: 'FLOAT32',
  Float64: 'FLOAT64',
  String: 'STRING',
  Bool: 'BOOL',
  Bytes: 'BYTES',
  UnixTimestamp: 'UNIX_TIMESTAMP',
  Map: 'MAP',
  Json: 'JSON',
};
const BY_PRIMITIVE_NAME = new globalThis.Map(Object.entries(PRIMITIVE_NAMES).map(([kind, name]) => [name, kind as ScalarTypeName]));

function enumName(n: number): string {
  return ValueType_Enum[n] ?? globalThis.String(n);
}

/** A type in Feast's struct-schema notation: `INT64`, `Array(STRING)`, or nested `{"__struct__": {...}}`. */
function typeFromSchemaText(text: string, where: string): ValueType {
  if (text.startsWith('Array(') && text.endsWith(')')) {
    const of = typeFromSchemaText(text.slice(6, -1), where);
    if (of.kind === 'Array') throw new UnmodeledFeastObject(`${where}: nested arrays (${text}) are not supported`);
    return ArrayOf(of);
  }
  if (text.startsWith('{')) {
    const parsed = JSON.parse(text) as { __struct__?: Record<string, string> };
    if (parsed.__struct__) return structFromSchema(parsed.__struct__, where);
  }
  const kind = BY_PRIMITIVE_NAME.get(text);
  if (!kind) throw new UnmodeledFeastObject(`${where}: Struct member type ${text} is not supported`);
  return { kind };
}

function structFromSchema(schema: Record<string, string>, where: string): StructType {
  return StructOf(Object.fromEntries(Object.entries(schema).map(([name, text]) => [name, typeFromSchemaText(text, `${where}.${name}`)])));
}

type JsonTree = string | { readonly [key: string]: JsonTree };

/** Python's json.dumps text: ', ' and ': ' separators, non-ASCII escaped, so the tag reads as Feast wrote it. */
function pythonJson(value: JsonTree): string {
  const str = (s: string) => JSON.stringify(s).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof value === 'string') return str(value);
  return `{${Object.entries(value)
    .map(([k, v]) => `${str(k)}: ${pythonJson(v)}`)
    .join(', ')}}`;
}

function schemaTextOf(type: ValueType): string {
  if (type.kind === 'Array') return `Array(${schemaTextOf(type.of)})`;
  // A nested Struct is itself JSON text inside the member's string, as Feast writes it.
  if (type.kind === 'Struct') return pythonJson({ __struct__: structSchemaOf(type) });
  return PRIMITIVE_NAMES[type.kind];
}

function structSchemaOf(type: StructType): Record<string, string> {
  return Object.fromEntries(type.fields.map((m) => [m.name, schemaTextOf(m.dtype)]));
}

/**
 * A Feast value type (and the field's tags, which hold a Struct's members) as a feast-edge
 * type. Throws UnmodeledFeastObject naming `where` for types feast-edge lacks (sets,
 * UUID, decimal, ...), so the reader keeps that object whole.
 */
export function valueTypeFromFeast(n: number, tags: Readonly<Record<string, string>>, where: string): ValueType {
  if (SCALARS[n]) return SCALARS[n];
  if (LISTS[n] !== undefined) return ArrayOf(SCALARS[LISTS[n]] as never);
  if (n === ValueType_Enum.STRUCT || n === ValueType_Enum.STRUCT_LIST) {
    const schema = tags[STRUCT_SCHEMA_TAG];
    if (schema === undefined) throw new UnmodeledFeastObject(`${where}: ${enumName(n)} without its '${STRUCT_SCHEMA_TAG}' tag`);
    const struct = structFromSchema(JSON.parse(schema) as Record<string, string>, where);
    return n === ValueType_Enum.STRUCT ? struct : ArrayOf(struct);
  }
  throw new UnmodeledFeastObject(`${where}: value type ${enumName(n)} is not supported by feast-edge`);
}

/** Feast's enum number for a feast-edge type, and the tags Feast adds for it. */
export function valueTypeToFeast(type: ValueType): { valueType: number; tags: Record<string, string> } {
  const struct = type.kind === 'Struct' ? type : type.kind === 'Array' && type.of.kind === 'Struct' ? type.of : undefined;
  const tags: Record<string, string> = struct ? { [STRUCT_SCHEMA_TAG]: pythonJson(structSchemaOf(struct)) } : {};
  if (type.kind === 'Struct') return { valueType: ValueType_Enum.STRUCT, tags };
  if (type.kind === 'Array') {
    if (type.of.kind === 'Struct') return { valueType: ValueType_Enum.STRUCT_LIST, tags };
    const element = valueTypeToFeast(type.of).valueType;
    const list = Object.entries(LISTS).find(([, of]) => of === element);
    return { valueType: Number(list?.[0]), tags };
  }
  const scalar = Object.entries(SCALARS).find(([, t]) => t.kind === type.kind);
  return { valueType: Number(scalar?.[0]), tags };
}

/** A Feast schema field as a feast-edge Field; Feast's internal tags are dropped, as Feast drops them. */
export function fieldFromFeast(spec: FeatureSpecV2, where: string): Field {
  const at = `${where} field '${spec.name}'`;
  const dtype = valueTypeFromFeast(spec.valueType, spec.tags, at);
  const tags = Object.fromEntries(Object.entries(spec.tags).filter(([k]) => k !== STRUCT_SCHEMA_TAG));
  return field(spec.name, dtype, {
    ...(spec.description !== '' ? { description: spec.description } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  });
}

export function fieldToFeast(f: Field): FeatureSpecV2 {
  const { valueType, tags } = valueTypeToFeast(f.dtype);
  return create(FeatureSpecV2Schema, { name: f.name, valueType, tags: { ...(f.tags ?? {}), ...tags }, description: f.description ?? '' });
}
