import { expected, object } from './schema-issue.js';
import { valueType, type ValueType } from './value-type.js';
import { checkSpec, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/**
 * A named, typed column of a feature view, request source or on-demand view. `N` and `T`
 * keep the name and value type `field()` was given, so views know their feature names.
 */
export interface Field<N extends string = string, T extends ValueType = ValueType> extends Metadata {
  readonly name: N;
  readonly dtype: T;
}

/** A field as a schema lists it: what `field()` makes, or the same plain data. */
export const fieldDefinition = object({ name: safeName, dtype: valueType, ...metadataEntries }, expected('a field (field(name, type))'));

/**
 * Declares a field. Its type keeps the name and value type: `field('conv_rate', Float32)`
 * is a `Field<'conv_rate', ScalarType<'Float32'>>`.
 * @example field('conv_rate', Float32, { description: 'conversion rate' })
 */
export function field<const N extends string, const T extends ValueType>(name: N, dtype: T, meta?: Metadata): Field<N, T>;
export function field(name: string, dtype: ValueType, meta: Metadata = {}): Field {
  checkSpec(fieldDefinition, { ...meta, name, dtype }, 'field');
  return Object.freeze({ name, dtype, ...metadata(meta) });
}
