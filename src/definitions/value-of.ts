import type { ArrayType, ScalarType, ScalarTypeName, StructType } from './value-type.js';

/**
 * The JavaScript value online reads give for each scalar type: int64 as a number, or a
 * bigint where a stored value needs one; timestamps as Date.
 */
export interface ScalarValues {
  Int32: number;
  Int64: number | bigint;
  Float32: number;
  Float64: number;
  String: string;
  Bool: boolean;
  Bytes: Uint8Array;
  UnixTimestamp: Date;
  /** A Feast Map: string keys to values of any type. */
  Map: Record<string, unknown>;
  /** JSON text, as Feast's feature server answers it. */
  Json: string;
}

/** A Struct's value: its members by name (their types are not tracked at compile time). */
type StructValue = Record<string, unknown>;
type ElementValue<E> = E extends StructType ? StructValue : E extends ScalarType<infer K> ? (ScalarTypeName extends K ? unknown : ScalarValues[K]) : unknown;

/**
 * The JavaScript type of a value of value type `T` (without null): `ValueOf<typeof Float32>`
 * is `number`, `ValueOf<ArrayType<typeof String>>` is `string[]`. A type whose kind is not
 * known at compile time (plain `ValueType`) gives `unknown`.
 * @example const rate: ValueOf<typeof Float32> = 0.5;
 */
export type ValueOf<T> =
  T extends ArrayType<infer E>
    ? ElementValue<E>[]
    : T extends StructType
      ? StructValue
      : T extends ScalarType<infer K>
        ? ScalarTypeName extends K
          ? unknown
          : ScalarValues[K]
        : unknown;
