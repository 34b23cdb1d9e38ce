import { assertValueType, type ValueType } from './value-type.js';
import { assertName, metadata, type Metadata } from './validate.js';

/** A named, typed column of a feature view, request source or on-demand view. */
export interface Field extends Metadata {
  readonly name: string;
  readonly dtype: ValueType;
}

/**
 * Declares a field.
 * @example field('conv_rate', Float32, { description: 'conversion rate' })
 */
export function field(name: string, dtype: ValueType, meta: Metadata = {}): Field {
  assertName(name, 'field.name');
  assertValueType(dtype, `field '${name}'.dtype`);
  return Object.freeze({ name, dtype, ...metadata(meta, `field '${name}'`) });
}
