import * as v from 'valibot';
import { expected, object } from './schema-issue.js';
import { Int64, valueType, type ScalarType } from './value-type.js';
import { checkSpec, deepFreeze, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/**
 * A Feast entity: the key that feature rows are looked up by. `N`, `K` and `T` keep its
 * name, join key and key type, so views know their join-key columns.
 */
export interface Entity<N extends string = string, K extends string = string, T extends ScalarType = ScalarType> extends Metadata {
  readonly kind: 'entity';
  readonly name: N;
  readonly joinKeys: readonly [K];
  readonly valueType: T;
}

export interface EntitySpec<N extends string = string, K extends string = string, T extends ScalarType = ScalarType> extends Metadata {
  name: N;
  /** Exactly one join key, as in Feast; defaults to the entity name. */
  joinKeys?: readonly K[] & readonly [K];
  valueType?: T;
}

/** Value types no join key can have: they hold several values, or JSON, not one comparable key. */
const NOT_JOIN_KEY_TYPES: readonly string[] = ['Array', 'Struct', 'Map', 'Json'];
const ONE_JOIN_KEY = expected('exactly one join key (compose keys by giving a view several entities)');
const entitySpec = object(
  {
    name: safeName,
    joinKeys: v.nullish(v.pipe(v.array(v.unknown(), ONE_JOIN_KEY), v.length(1, ONE_JOIN_KEY), v.array(safeName))),
    valueType: v.nullish(
      v.pipe(
        valueType,
        v.check(
          (type) => !NOT_JOIN_KEY_TYPES.includes(type.kind),
          (issue) => `a join key must be a scalar type, got ${(issue.input as { kind: string }).kind}`,
        ),
      ),
    ),
    ...metadataEntries,
  },
  'expected an object',
);

/** An entity as a view's `entities` takes it. */
export const entityDefinition = v.object({ kind: v.literal('entity'), name: v.string(), joinKeys: v.tuple([v.string()]), valueType });

/**
 * Declares an entity. Its type keeps the name, join key and key type (default: the
 * entity name, and Int64, as at run time); two join keys do not compile.
 * @example entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 })
 */
export function entity<const N extends string, const K extends string = N, T extends ScalarType = ScalarType<'Int64'>>(
  spec: EntitySpec<N, K, T>,
): Entity<N, K, T>;
export function entity(spec: EntitySpec): Entity {
  checkSpec(entitySpec, spec, 'entity');
  const joinKeys = spec.joinKeys ?? [spec.name];
  return deepFreeze({
    kind: 'entity',
    name: spec.name,
    joinKeys: [joinKeys[0]] as [string],
    valueType: spec.valueType ?? Int64,
    ...metadata(spec),
  });
}

/** The join key every entity-less feature view uses, as in Feast (`__dummy_id`). */
export const DUMMY_ENTITY_NAME = '__dummy';
export const DUMMY_JOIN_KEY = '__dummy_id';
