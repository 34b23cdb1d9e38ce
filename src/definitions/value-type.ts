import { InvalidDefinitionError } from '../errors.js';

/** Scalar value types, named as in Feast's `feast.types`. */
export type ScalarTypeName =
  | 'Int32' | 'Int64' | 'Float32' | 'Float64' | 'String' | 'Bool' | 'Bytes' | 'UnixTimestamp';

/** A scalar value type; `K` is its name, so `Float32` has type `ScalarType<'Float32'>`. */
export interface ScalarType<K extends ScalarTypeName = ScalarTypeName> { readonly kind: K }
/** A list value type; `E` is its element type. */
export interface ArrayType<E extends ScalarType = ScalarType> { readonly kind: 'Array'; readonly of: E }
/** A feature's value type: plain data, so definitions stay structured-cloneable. */
export type ValueType = ScalarType | ArrayType;

const scalar = <K extends ScalarTypeName>(kind: K): ScalarType<K> => Object.freeze({ kind });
export const Int32 = scalar('Int32');
export const Int64 = scalar('Int64');
export const Float32 = scalar('Float32');
export const Float64 = scalar('Float64');
export const String = scalar('String');
export const Bool = scalar('Bool');
export const Bytes = scalar('Bytes');
export const UnixTimestamp = scalar('UnixTimestamp');

const SCALAR_NAMES: readonly ScalarTypeName[] = [
  'Int32', 'Int64', 'Float32', 'Float64', 'String', 'Bool', 'Bytes', 'UnixTimestamp',
];

/** `Array(Float32)`: a list-valued feature (Feast's `Array(T)`, value type `T_LIST`). */
export function ArrayOf<E extends ScalarType>(of: E): ArrayType<E>;
export function ArrayOf(of: ScalarType): ArrayType {
  assertValueType(of, 'Array element type');
  if (of.kind === ('Array' as string)) throw new InvalidDefinitionError('Array element type: nested arrays are not supported');
  return Object.freeze({ kind: 'Array', of });
}
export { ArrayOf as Array };

/** Throws naming `where` unless `value` is one of the value types above. */
export function assertValueType(value: unknown, where: string): asserts value is ValueType {
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind === 'Array') {
    assertValueType((value as ArrayType).of, `${where} (Array element)`);
    return;
  }
  if (typeof kind !== 'string' || !SCALAR_NAMES.includes(kind as ScalarTypeName)) {
    throw new InvalidDefinitionError(
      `${where}: unknown value type ${JSON.stringify(value)}; expected one of ${SCALAR_NAMES.join(', ')} or Array(T)`,
    );
  }
}

/** The DuckDB column type that holds a value of this type. */
export function duckdbType(type: ValueType): string {
  if (type.kind === 'Array') return `${duckdbType(type.of)}[]`;
  switch (type.kind) {
    case 'Int32': return 'INTEGER';
    case 'Int64': return 'BIGINT';
    case 'Float32': return 'FLOAT';
    case 'Float64': return 'DOUBLE';
    case 'String': return 'VARCHAR';
    case 'Bool': return 'BOOLEAN';
    case 'Bytes': return 'BLOB';
    case 'UnixTimestamp': return 'TIMESTAMP';
  }
}

/** Feast's ValueType enum number (value_type.py), used by the entity-key encoding. */
export function feastValueTypeNumber(type: ValueType): number {
  const scalarNumbers: Record<ScalarTypeName, number> = {
    Bytes: 1, String: 2, Int32: 3, Int64: 4, Float64: 5, Float32: 6, Bool: 7, UnixTimestamp: 8,
  };
  return type.kind === 'Array' ? scalarNumbers[type.of.kind] + 10 : scalarNumbers[type.kind];
}

export function formatValueType(type: ValueType): string {
  return type.kind === 'Array' ? `Array(${type.of.kind})` : type.kind;
}
