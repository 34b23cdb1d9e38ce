import * as v from 'valibot';
import { batchSourceOf, type FileSource, type PushSource } from './data-source.js';
import { parseDuration } from './duration.js';
import { DUMMY_ENTITY_NAME, DUMMY_JOIN_KEY, entityDefinition, type Entity } from './entity.js';
import { InvalidDefinitionError } from '../errors.js';
import { field, fieldDefinition, type Field } from './field.js';
import type { FeatureFields, JoinKeyFields } from './typed-refs.js';
import { expected, object, whole } from './schema-issue.js';
import { formatValueType } from './value-type.js';
import { assertUnique, checkSpec, deepFreeze, kindOrValue, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/**
 * A batch feature view: features of one or more entities, read from one source. `N`, `F`
 * and `K` keep its name, its feature fields and its join-key fields (unions of `Field`s),
 * so a typed store checks `'view:feature'` references against them.
 */
export interface FeatureView<N extends string = string, F extends Field = Field, K extends Field = Field> extends Metadata {
  readonly kind: 'featureView';
  readonly name: N;
  /** Entity names; empty for an entity-less view. */
  readonly entities: readonly string[];
  /** Join-key columns, one per entity, in entity order. */
  readonly entityColumns: readonly K[];
  readonly features: readonly F[];
  /** Seconds; 0 means no lower bound on lookback. */
  readonly ttlSeconds: number;
  readonly batchSource: FileSource;
  readonly streamSource?: PushSource;
  readonly online: boolean;
  readonly offline: boolean;
}

export interface FeatureViewSpec<N extends string = string, F extends Field = Field, E extends Entity = Entity> extends Metadata {
  name: N;
  entities?: readonly E[];
  schema: readonly F[];
  source: FileSource | PushSource;
  /** Seconds, or a duration string such as '2h' or '1d'. 0 or absent: no lower bound. */
  ttl?: number | string;
  online?: boolean;
  offline?: boolean;
}

const featureViewSpec = object(
  {
    name: safeName,
    source: whole(v.object({ kind: v.picklist(['fileSource', 'pushSource']) }), expected('a fileSource or pushSource', kindOrValue)),
    entities: v.nullish(whole(v.array(entityDefinition), 'expected an array of entity definitions')),
    schema: v.array(fieldDefinition, 'expected an array of fields'),
    online: v.nullish(v.boolean('expected a boolean')),
    offline: v.nullish(v.boolean('expected a boolean')),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares a feature view. Schema fields named like a join key become entity columns.
 * Its type keeps the view name, feature fields and join-key fields.
 * @example featureView({ name: 'driver_hourly_stats', entities: [driver], ttl: '1d',
 *   schema: [field('conv_rate', Float32)], source: driverStatsSource })
 */
export function featureView<const N extends string, F extends Field, E extends Entity = never>(
  spec: FeatureViewSpec<N, F, E>,
): FeatureView<N, FeatureFields<F, E>, JoinKeyFields<E>>;
export function featureView(spec: FeatureViewSpec): FeatureView {
  checkSpec(featureViewSpec, spec, 'featureView');
  const where = `featureView '${spec.name}'`;
  const entities = spec.entities ?? [];
  assertUnique(
    entities.map((e) => e.name),
    `${where}.entities`,
  );
  assertUnique(
    spec.schema.map((f) => f.name),
    `${where}.schema`,
  );

  const batchSource = batchSourceOf(spec.source);
  const joinKeyTypes = new Map(entities.map((e) => [e.joinKeys[0], e]));
  const entityColumns: Field[] = [];
  const features: Field[] = [];
  for (const f of spec.schema) {
    const owner = joinKeyTypes.get(f.name);
    if (owner) {
      if (formatValueType(f.dtype) !== formatValueType(owner.valueType)) {
        throw new InvalidDefinitionError(
          `${where}.schema: field '${f.name}' is the join key of entity '${owner.name}' (${formatValueType(owner.valueType)}) but is declared ${formatValueType(f.dtype)}`,
        );
      }
      entityColumns.push(f);
      continue;
    }
    if (f.name === batchSource.timestampField || f.name === batchSource.createdTimestampColumn) {
      throw new InvalidDefinitionError(`${where}.schema: field '${f.name}' is the source's timestamp column, not a feature`);
    }
    const renamed = batchSource.fieldMapping[f.name];
    if (renamed !== undefined) {
      throw new InvalidDefinitionError(
        `${where}.schema: field '${f.name}' is renamed to '${renamed}' by fieldMapping of source '${batchSource.name}'; declare '${renamed}' instead`,
      );
    }
    features.push(f);
  }
  // Join keys not declared in the schema take the entity's value type.
  const orderedEntityColumns = entities.map((e) => entityColumns.find((c) => c.name === e.joinKeys[0]) ?? field(e.joinKeys[0], e.valueType));
  if (features.length === 0) throw new InvalidDefinitionError(`${where}.schema: declares no features`);

  const view: FeatureView = {
    kind: 'featureView',
    name: spec.name,
    entities: entities.map((e) => e.name),
    entityColumns: orderedEntityColumns,
    features,
    ttlSeconds: parseDuration(spec.ttl, `${where}.ttl`),
    batchSource,
    ...(spec.source.kind === 'pushSource' ? { streamSource: spec.source } : {}),
    online: spec.online ?? true,
    offline: spec.offline ?? false,
    ...metadata(spec),
  };
  return deepFreeze(view);
}

/** Join keys of a view; entity-less views use Feast's dummy key. */
export function joinKeysOf(view: Pick<FeatureView, 'entityColumns'>): string[] {
  return view.entityColumns.map((c) => c.name);
}

export function isEntityless(view: Pick<FeatureView, 'entities'>): boolean {
  return view.entities.length === 0;
}

export { DUMMY_ENTITY_NAME, DUMMY_JOIN_KEY };
