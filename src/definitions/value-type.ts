import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import { asJson, note } from './schema-issue.js';
import { check } from './validate.js';

/** Scalar value types, named as in Feast's `feast.types`. */
export type ScalarTypeName =
  | 'Int32' | 'Int64' | 'Float32' | 'Float64' | 'String' | 'Bool' | 'Bytes' | 'UnixTimestamp';

export interface ScalarType { readonly kind: ScalarTypeName }
export interface ArrayType { readonly kind: 'Array'; readonly of: ScalarType }
/** A feature's value type: plain data, so definitions stay structured-cloneable. */
export type ValueType = ScalarType | ArrayType;

const scalar = (kind: ScalarTypeName): ScalarType => Object.freeze({ kind });
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
export function ArrayOf(of: ScalarType): ArrayType {
  assertValueType(of, 'Array element type');
  if (of.kind === ('Array' as string)) throw new InvalidDefinitionError('Array element type: nested arrays are not supported');
  return Object.freeze({ kind: 'Array', of });
}
export { ArrayOf as Array };

const scalarType = v.object({ kind: v.picklist(SCALAR_NAMES) });
const unknownType = (issue: v.BaseIssue<unknown>) =>
  `unknown value type ${asJson(issue.input)}; expected one of ${SCALAR_NAMES.join(', ')} or Array(T)`;

/** One of the value types above; an Array's unknown element type is reported on the element. */
export const valueType = v.pipe(
  v.custom<ValueType>((type) => v.is(scalarType, type) || (type as { kind?: unknown } | null)?.kind === 'Array', unknownType),
  v.rawCheck<ValueType>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const type = dataset.value;
    if (type.kind === 'Array' && !v.is(scalarType, type.of)) {
      addIssue({ input: type.of, message: unknownType, path: [note('Array element', type, type.of)] });
    }
  }),
);

/** Throws naming `where` unless `value` is one of the value types above. */
export function assertValueType(value: unknown, where: string): asserts value is ValueType {
  check(valueType, value, where);
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
