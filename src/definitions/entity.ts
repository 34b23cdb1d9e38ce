import * as v from 'valibot';
import { expected, object } from './schema-issue.js';
import { Int64, valueType, type ScalarType } from './value-type.js';
import { checkSpec, deepFreeze, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/** A Feast entity: the key that feature rows are looked up by. */
export interface Entity extends Metadata {
  readonly kind: 'entity';
  readonly name: string;
  readonly joinKeys: readonly [string];
  readonly valueType: ScalarType;
}

export interface EntitySpec extends Metadata {
  name: string;
  /** Exactly one join key, as in Feast; defaults to the entity name. */
  joinKeys?: readonly string[];
  valueType?: ScalarType;
}

const ONE_JOIN_KEY = expected('exactly one join key (compose keys by giving a view several entities)');
const entitySpec = object({
  name: safeName,
  joinKeys: v.nullish(v.pipe(v.array(v.unknown(), ONE_JOIN_KEY), v.length(1, ONE_JOIN_KEY), v.array(safeName))),
  valueType: v.nullish(v.pipe(valueType, v.check((type) => type.kind !== 'Array', 'a join key must be a scalar type, got Array'))),
  ...metadataEntries,
}, 'expected an object');

/** An entity as a view's `entities` takes it. */
export const entityDefinition = v.object({ kind: v.literal('entity'), name: v.string(), joinKeys: v.tuple([v.string()]), valueType });

/**
 * Declares an entity.
 * @example entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 })
 */
export function entity(spec: EntitySpec): Entity {
  checkSpec(entitySpec, spec, 'entity');
  const joinKeys = spec.joinKeys ?? [spec.name];
  return deepFreeze({
    kind: 'entity', name: spec.name, joinKeys: [joinKeys[0]] as [string], valueType: spec.valueType ?? Int64,
    ...metadata(spec),
  });
}

/** The join key every entity-less feature view uses, as in Feast (`__dummy_id`). */
export const DUMMY_ENTITY_NAME = '__dummy';
export const DUMMY_JOIN_KEY = '__dummy_id';
