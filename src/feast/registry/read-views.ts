import {
  AGGREGATION_FUNCTIONS,
  DUMMY_ENTITY_NAME,
  DUMMY_JOIN_KEY,
  featureView,
  streamFeatureView,
  type AggregationFunction,
  type DataSource,
  type Entity,
  type FeatureView,
  type FileSource,
  type PushSource,
  type StreamFeatureView,
} from '../../definitions/index.js';
import type { DataSource as DataSourceProto } from '../proto/feast/core/DataSource_pb.js';
import type { FeatureView as FeatureViewProto } from '../proto/feast/core/FeatureView_pb.js';
import type { StreamFeatureView as StreamFeatureViewProto } from '../proto/feast/core/StreamFeatureView_pb.js';
import { UnmodeledFeastObject } from './errors.js';
import { metadataFromFeast, sourceFromFeast } from './read-sources.js';
import { hasUnknownField } from './unknown-fields.js';
import { secondsFromDuration } from './wire-values.js';
import { fieldFromFeast } from './value-types.js';

/** What a view may reference while the registry is read: the objects already mapped. */
export interface ReadContext {
  readonly entities: ReadonlyMap<string, Entity>;
  readonly sources: ReadonlyMap<string, DataSource>;
  /** Names of sources kept whole (not mapped); a view over one is kept whole too. */
  readonly carriedSources: ReadonlySet<string>;
}

/**
 * A view's embedded copy of a source as feast-edge's source: the registered one of that
 * name when there is one (feast-edge requires a view's copy to equal the registered
 * source), else the copy itself.
 */
function resolveSource(embedded: DataSourceProto, ctx: ReadContext, where: string): DataSource {
  if (ctx.carriedSources.has(embedded.name)) {
    throw new UnmodeledFeastObject(`${where}: its source '${embedded.name}' is not modeled by feast-edge`);
  }
  const mapped = sourceFromFeast(embedded, where);
  const registered = ctx.sources.get(embedded.name);
  return registered && registered.kind === mapped.kind ? registered : mapped;
}

/** Feast writes the `__dummy` entity for a view without entities; feast-edge lists none. */
function entitiesOf(names: readonly string[], ctx: ReadContext, where: string): Entity[] {
  if (names.length === 1 && names[0] === DUMMY_ENTITY_NAME) return [];
  return names.map((name) => {
    const entity = ctx.entities.get(name);
    if (!entity) throw new UnmodeledFeastObject(`${where}: entity '${name}' is not modeled by feast-edge`);
    return entity;
  });
}

export function featureViewFromFeast(view: FeatureViewProto, ctx: ReadContext): FeatureView {
  const spec = view.spec;
  if (!spec) throw new UnmodeledFeastObject('feature view without spec');
  const where = `feature view '${spec.name}'`;
  // 14: source views, 15: a transformation: computed views feast-edge cannot compute.
  if (hasUnknownField(spec, [14, 15])) throw new UnmodeledFeastObject(`${where}: it is computed (source views or a Python transformation)`);
  if (!spec.batchSource) throw new UnmodeledFeastObject(`${where}: it has no batch source`);
  const batch = resolveSource(spec.batchSource, ctx, where);
  const stream = spec.streamSource ? resolveSource(spec.streamSource, ctx, where) : undefined;
  if (batch.kind !== 'fileSource') throw new UnmodeledFeastObject(`${where}: batch source '${batch.name}' is not a file source`);
  if (stream && stream.kind !== 'pushSource') throw new UnmodeledFeastObject(`${where}: stream source '${stream.name}' is not a push source`);
  const columns = spec.entityColumns.filter((c) => c.name !== DUMMY_JOIN_KEY);
  return featureView({
    name: spec.name,
    entities: entitiesOf(spec.entities, ctx, where),
    schema: [...columns, ...spec.features].map((f) => fieldFromFeast(f, where)),
    source: (stream as PushSource | undefined) ?? (batch as FileSource),
    ttl: spec.ttl ? secondsFromDuration(spec.ttl) : 0,
    online: spec.online,
    offline: spec.offline,
    ...metadataFromFeast(spec),
  });
}

/** Feast's output name for an aggregation given none (Aggregation.resolved_name). */
export function feastAggregationName(fn: string, column: string, windowSeconds: number): string {
  return `${fn}_${column}_${windowSeconds}s`;
}

export function streamFeatureViewFromFeast(view: StreamFeatureViewProto, ctx: ReadContext): StreamFeatureView {
  const spec = view.spec;
  if (!spec) throw new UnmodeledFeastObject('stream feature view without spec');
  const where = `stream feature view '${spec.name}'`;
  // 13, 17: a Python UDF run on each event, which feast-edge cannot run.
  if (hasUnknownField(spec, [13, 17])) throw new UnmodeledFeastObject(`${where}: its transformation is a Python function`);
  if (!spec.streamSource) throw new UnmodeledFeastObject(`${where}: it has no stream source`);
  const source = resolveSource(spec.streamSource, ctx, where);
  if (source.kind !== 'pushSource') throw new UnmodeledFeastObject(`${where}: stream source '${source.name}' is not a push source`);
  const entities = entitiesOf(spec.entities, ctx, where);
  const keys = new Set(spec.entityColumns.map((c) => c.name));
  // Feast lists the join keys among the features too; feast-edge's event columns exclude them.
  const inputs = spec.features.filter((f) => !keys.has(f.name));
  return streamFeatureView({
    name: spec.name,
    source: source as PushSource,
    entities,
    schema: [...spec.entityColumns.filter((c) => c.name !== DUMMY_JOIN_KEY), ...inputs].map((f) => fieldFromFeast(f, where)),
    ...(spec.timestampField !== '' ? { timestampField: spec.timestampField } : {}),
    aggregations: spec.aggregations.map((a, i) => {
      if (!(AGGREGATION_FUNCTIONS as readonly string[]).includes(a.function)) {
        throw new UnmodeledFeastObject(`${where}.aggregations[${i}].function: '${a.function}' is not one of ${AGGREGATION_FUNCTIONS.join(', ')}`);
      }
      const window = a.timeWindow ? secondsFromDuration(a.timeWindow) : 0;
      const slide = a.slideInterval ? secondsFromDuration(a.slideInterval) : 0;
      return {
        column: a.column,
        fn: a.function as AggregationFunction,
        window,
        slide: slide > 0 ? slide : window,
        name: a.name !== '' ? a.name : feastAggregationName(a.function, a.column, window),
      };
    }),
    ...metadataFromFeast(spec),
  });
}
