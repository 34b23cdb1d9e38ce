import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import { asJson, note } from './schema-issue.js';
import { check } from './validate.js';

/**
 * Primitive value types, named as in Feast's `feast.types`. `Map` (string keys to values of
 * any type) and `Json` (JSON text) are primitive in Feast's sense: one value, no type parameter.
 */
export type ScalarTypeName = 'Int32' | 'Int64' | 'Float32' | 'Float64' | 'String' | 'Bool' | 'Bytes' | 'UnixTimestamp' | 'Map' | 'Json';

/** A scalar value type; `K` is its name, so `Float32` has type `ScalarType<'Float32'>`. */
export interface ScalarType<K extends ScalarTypeName = ScalarTypeName> {
  readonly kind: K;
}
/** One named, typed member of a Struct; members keep their declared order. */
export interface StructMember {
  readonly name: string;
  readonly dtype: ValueType;
}
/** Feast's `Struct({name: T})`: a record with typed members. */
export interface StructType {
  readonly kind: 'Struct';
  readonly fields: readonly StructMember[];
}
/** A list value type; `E` is its element type. */
export interface ArrayType<E extends ScalarType | StructType = ScalarType | StructType> {
  readonly kind: 'Array';
  readonly of: E;
}
/** A feature's value type: plain data, so definitions stay structured-cloneable. */
export type ValueType = ScalarType | StructType | ArrayType;

const scalar = <K extends ScalarTypeName>(kind: K): ScalarType<K> => Object.freeze({ kind });
export const Int32 = scalar('Int32');
export const Int64 = scalar('Int64');
export const Float32 = scalar('Float32');
export const Float64 = scalar('Float64');
export const String = scalar('String');
export const Bool = scalar('Bool');
export const Bytes = scalar('Bytes');
export const UnixTimestamp = scalar('UnixTimestamp');
// Exported under Feast's names below; a local `Map` would hide the global Map in this module.
const MapType = scalar('Map');
const JsonType = scalar('Json');
export { MapType as Map, JsonType as Json };

const SCALAR_NAMES: readonly ScalarTypeName[] = ['Int32', 'Int64', 'Float32', 'Float64', 'String', 'Bool', 'Bytes', 'UnixTimestamp', 'Map', 'Json'];

/** `Array(Float32)`: a list-valued feature (Feast's `Array(T)`, value type `T_LIST`). */
export function ArrayOf<E extends ScalarType | StructType>(of: E): ArrayType<E>;
export function ArrayOf(of: ScalarType | StructType): ArrayType {
  assertValueType(of, 'Array element type');
  if (of.kind === ('Array' as string)) throw new InvalidDefinitionError('Array element type: nested arrays are not supported');
  return Object.freeze({ kind: 'Array', of });
}
export { ArrayOf as Array };

/**
 * `Struct({ name: String, age: Int32 })`: a record-valued feature (Feast's `Struct`).
 * Members keep the order of the object's keys (integer-like keys would come first, as JS orders them).
 */
export function StructOf(fields: Readonly<Record<string, ValueType>>): StructType {
  if (!fields || typeof fields !== 'object' || Array.isArray(fields) || Object.keys(fields).length === 0) {
    throw new InvalidDefinitionError(`Struct: expected an object of member types such as { name: String }, got ${JSON.stringify(fields)}`);
  }
  const members = Object.entries(fields).map(([name, dtype]) => {
    assertValueType(dtype, `Struct member '${name}'`);
    return Object.freeze({ name, dtype });
  });
  return Object.freeze({ kind: 'Struct', fields: Object.freeze(members) });
}
export { StructOf as Struct };

const scalarType = v.object({ kind: v.picklist(SCALAR_NAMES) });
const unknownType = (issue: v.BaseIssue<unknown>) =>
  `unknown value type ${asJson(issue.input)}; expected one of ${SCALAR_NAMES.join(', ')}, Struct({...}) or Array(T)`;
const kindOf = (type: unknown) => (type as { kind?: unknown } | null)?.kind;

/** The first problem inside a Struct (its members, recursively), with the path to it. */
function structIssue(type: StructType, path: v.IssuePathItem[]): { message: string | typeof unknownType; input: unknown; path: v.IssuePathItem[] } | undefined {
  const fields = type.fields as unknown;
  if (!Array.isArray(fields) || fields.length === 0) return { message: 'a Struct needs a non-empty array of members', input: type, path };
  for (const member of fields as StructMember[]) {
    if (typeof member?.name !== 'string' || member.name === '') return { message: `a Struct member needs a name, got ${asJson(member)}`, input: member, path };
    const memberPath = [...path, note(`Struct member '${member.name}'`, type, member.dtype)];
    const found = typeIssue(member.dtype, memberPath);
    if (found) return found;
  }
  return undefined;
}

function typeIssue(type: unknown, path: v.IssuePathItem[]): ReturnType<typeof structIssue> {
  const kind = kindOf(type);
  if (kind === 'Struct') return structIssue(type as StructType, path);
  if (kind === 'Array') {
    const of = (type as ArrayType).of;
    return kindOf(of) === 'Struct'
      ? structIssue(of as StructType, [...path, note('Array element', type, of)])
      : v.is(scalarType, of)
        ? undefined
        : { message: unknownType, input: of, path: [...path, note('Array element', type, of)] };
  }
  return v.is(scalarType, type) ? undefined : { message: unknownType, input: type, path };
}

/** One of the value types above; a problem inside an Array's element or a Struct's members is reported there. */
export const valueType = v.pipe(
  v.custom<ValueType>((type) => v.is(scalarType, type) || kindOf(type) === 'Array' || kindOf(type) === 'Struct', unknownType),
  v.rawCheck<ValueType>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const found = typeIssue(dataset.value, []);
    if (found) addIssue({ input: found.input, message: found.message as never, path: found.path as [v.IssuePathItem, ...v.IssuePathItem[]] });
  }),
);

/** Throws naming `where` unless `value` is one of the value types above. */
export function assertValueType(value: unknown, where: string): asserts value is ValueType {
  check(valueType, value, where);
}

/**
 * The DuckDB column type that holds a value of this type. Map and Json are JSON text
 * (VARCHAR): a Feast Map's values may have any type, which no `MAP(VARCHAR, T)` can say,
 * and DuckDB's JSON type is an extension the WASM build does not have. A Struct has
 * typed members, which DuckDB's built-in STRUCT says exactly.
 */
export function duckdbType(type: ValueType): string {
  if (type.kind === 'Array') return `${duckdbType(type.of)}[]`;
  switch (type.kind) {
    case 'Int32':
      return 'INTEGER';
    case 'Int64':
      return 'BIGINT';
    case 'Float32':
      return 'FLOAT';
    case 'Float64':
      return 'DOUBLE';
    case 'String':
      return 'VARCHAR';
    case 'Bool':
      return 'BOOLEAN';
    case 'Bytes':
      return 'BLOB';
    case 'UnixTimestamp':
      return 'TIMESTAMP';
    case 'Map':
    case 'Json':
      return 'VARCHAR';
    case 'Struct':
      return `STRUCT(${type.fields.map((m) => `"${m.name.replace(/"/g, '""')}" ${duckdbType(m.dtype)}`).join(', ')})`;
  }
}

const SCALAR_NUMBERS: Record<ScalarTypeName, number> = {
  Bytes: 1,
  String: 2,
  Int32: 3,
  Int64: 4,
  Float64: 5,
  Float32: 6,
  Bool: 7,
  UnixTimestamp: 8,
  Map: 20,
  Json: 32,
};
/** The list type of each element type, where Feast's numbering does not follow `+ 10`. */
const LIST_NUMBERS: Partial<Record<ScalarTypeName | 'Struct', number>> = { Map: 21, Json: 33, Struct: 35 };

/** Feast's ValueType enum number (value_type.py), used by the entity-key encoding and the registry. */
export function feastValueTypeNumber(type: ValueType): number {
  if (type.kind === 'Struct') return 34;
  if (type.kind === 'Array') return LIST_NUMBERS[type.of.kind] ?? SCALAR_NUMBERS[type.of.kind as ScalarTypeName] + 10;
  return SCALAR_NUMBERS[type.kind];
}

export function formatValueType(type: ValueType): string {
  if (type.kind === 'Array') return `Array(${formatValueType(type.of)})`;
  if (type.kind === 'Struct') return `Struct({${type.fields.map((m) => `${m.name}: ${formatValueType(m.dtype)}`).join(', ')}})`;
  return type.kind;
}
