import { expected, object } from './schema-issue.js';
import { valueType, type ValueType } from './value-type.js';
import { checkSpec, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/** A named, typed column of a feature view, request source or on-demand view. */
export interface Field extends Metadata {
  readonly name: string;
  readonly dtype: ValueType;
}

/** A field as a schema lists it: what `field()` makes, or the same plain data. */
export const fieldDefinition = object({ name: safeName, dtype: valueType, ...metadataEntries }, expected('a field (field(name, type))'));

/**
 * Declares a field.
 * @example field('conv_rate', Float32, { description: 'conversion rate' })
 */
export function field(name: string, dtype: ValueType, meta: Metadata = {}): Field {
  checkSpec(fieldDefinition, { ...meta, name, dtype }, 'field');
  return Object.freeze({ name, dtype, ...metadata(meta) });
}
