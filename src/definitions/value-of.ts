import type { ArrayType, ScalarType, ScalarTypeName } from './value-type.js';

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
}

/**
 * The JavaScript type of a value of value type `T` (without null): `ValueOf<typeof Float32>`
 * is `number`, `ValueOf<ArrayType<typeof String>>` is `string[]`. A type whose kind is not
 * known at compile time (plain `ValueType`) gives `unknown`.
 * @example const rate: ValueOf<typeof Float32> = 0.5;
 */
export type ValueOf<T> =
  T extends ArrayType<infer E> ? (ScalarTypeName extends E['kind'] ? unknown[] : ScalarValues[E['kind']][])
    : T extends ScalarType<infer K> ? (ScalarTypeName extends K ? unknown : ScalarValues[K])
      : unknown;
