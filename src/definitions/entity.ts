import { InvalidDefinitionError } from '../errors.js';
import { assertValueType, formatValueType, Int64, type ScalarType } from './value-type.js';
import { assertName, deepFreeze, metadata, type Metadata } from './validate.js';

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

/**
 * Declares an entity. Its type keeps the name, join key and key type (default: the
 * entity name, and Int64, as at run time); two join keys do not compile.
 * @example entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 })
 */
export function entity<const N extends string, const K extends string = N, T extends ScalarType = ScalarType<'Int64'>>(spec: EntitySpec<N, K, T>): Entity<N, K, T>;
export function entity(spec: EntitySpec): Entity {
  assertName(spec?.name, 'entity.name');
  const where = `entity '${spec.name}'`;
  const joinKeys = spec.joinKeys ?? [spec.name];
  if (!Array.isArray(joinKeys) || joinKeys.length !== 1) {
    throw new InvalidDefinitionError(
      `${where}.joinKeys: expected exactly one join key (compose keys by giving a view several entities), got ${JSON.stringify(joinKeys)}`,
    );
  }
  assertName(joinKeys[0], `${where}.joinKeys[0]`);
  const valueType = spec.valueType ?? Int64;
  assertValueType(valueType, `${where}.valueType`);
  if (NOT_JOIN_KEY_TYPES.includes(valueType.kind)) {
    throw new InvalidDefinitionError(`${where}.valueType: a join key must be a scalar type such as Int64 or String, got ${formatValueType(valueType)}`);
  }
  return deepFreeze({
    kind: 'entity', name: spec.name, joinKeys: [joinKeys[0]] as [string], valueType,
    ...metadata(spec, where),
  });
}

/** The join key every entity-less feature view uses, as in Feast (`__dummy_id`). */
export const DUMMY_ENTITY_NAME = '__dummy';
export const DUMMY_JOIN_KEY = '__dummy_id';
