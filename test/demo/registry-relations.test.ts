import { describe, expect, it } from 'vitest';
import {
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float32,
  Float64,
  Int64,
  onDemandFeatureView,
  projection,
  pushSource,
  requestSource,
  streamFeatureView,
} from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { lineageEdges, lineageThrough, registryObjects, searchObjects, type Edge } from '../../demo/app/registry-relations.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64, description: 'A driver', owner: 'ops@example.com' });
const stats = fileSource({ name: 'stats_source', path: 'data/stats.parquet', tags: { tier: 'gold' } });
const push = pushSource({ name: 'stats_push', batchSource: stats });
const hourly = featureView({
  name: 'hourly',
  entities: [driver],
  ttl: '1d',
  source: push,
  schema: [field('conv_rate', Float32), field('trips', Int64)],
  tags: { team: 'driver_performance' },
  description: 'Hourly driver statistics',
});
const bonus = requestSource({ name: 'bonus', schema: [field('bonus', Float64)] });
const plus = onDemandFeatureView({
  name: 'plus',
  sources: [hourly, bonus],
  schema: [field('conv_plus_bonus', Float64)],
  transform: (r) => ({ conv_plus_bonus: Number(r.conv_rate) + Number(r.bonus) }),
});
const trips = streamFeatureView({
  name: 'trip_windows',
  source: push,
  entities: [driver],
  schema: [field('trips', Int64)],
  aggregations: [{ column: 'trips', fn: 'sum', window: '1h' }],
});
const service = featureService({ name: 'model_v1', features: [projection(hourly, { features: ['conv_rate'] }), plus, trips], tags: { team: 'ranking' } });

async function document() {
  const store = createFeatureStore({ project: 'relations', registry: new MemoryRegistryStore(), definitions: [plus, trips] });
  await store.apply([driver, stats, push, hourly, bonus, plus, trips, service]);
  const doc = await store.registryDocument();
  await store.close();
  return doc;
}

const edgeText = (edges: readonly Edge[]) => edges.map((e) => `${e.from.kind}:${e.from.name} -> ${e.to.kind}:${e.to.name}`).sort();

describe("the demo's registry relations", () => {
  it('draws the lineage sources -> views -> on-demand views -> services, with entities and a push source over its batch source', async () => {
    expect(edgeText(lineageEdges(await document()))).toEqual(
      [
        'dataSource:stats_source -> dataSource:stats_push',
        'entity:driver -> featureView:hourly',
        'dataSource:stats_source -> featureView:hourly',
        'dataSource:stats_push -> featureView:hourly',
        'entity:driver -> streamFeatureView:trip_windows',
        'dataSource:stats_push -> streamFeatureView:trip_windows',
        'featureView:hourly -> onDemandFeatureView:plus',
        'dataSource:bonus -> onDemandFeatureView:plus',
        'featureView:hourly -> featureService:model_v1',
        'onDemandFeatureView:plus -> featureService:model_v1',
        'streamFeatureView:trip_windows -> featureService:model_v1',
      ].sort(),
    );
  });

  it('keeps, through one object, what it depends on and what depends on it, and nothing beside', async () => {
    const edges = lineageEdges(await document());
    expect(edgeText(lineageThrough(edges, { kind: 'onDemandFeatureView', name: 'plus' }))).toEqual(
      [
        'dataSource:stats_source -> dataSource:stats_push',
        'entity:driver -> featureView:hourly',
        'dataSource:stats_source -> featureView:hourly',
        'dataSource:stats_push -> featureView:hourly',
        'featureView:hourly -> onDemandFeatureView:plus',
        'dataSource:bonus -> onDemandFeatureView:plus',
        'onDemandFeatureView:plus -> featureService:model_v1',
      ].sort(),
    );
  });

  it('finds objects by name, description, owner, feature name and tag (key:value or a bare word), every word required', async () => {
    const objects = registryObjects(await document());
    const found = (query: string) => searchObjects(objects, query).map((o) => `${o.kind}:${o.name}`);
    expect(found('team:driver_performance')).toEqual(['featureView:hourly']);
    expect(found('team=ranking')).toEqual(['featureService:model_v1']);
    expect(found('gold')).toEqual(['dataSource:stats_source']);
    expect(found('HOURLY statistics')).toEqual(['featureView:hourly']);
    expect(found('ops@example')).toEqual(['entity:driver']);
    // A feature name finds the views that hold it and the services that serve it.
    expect(found('conv_plus_bonus')).toEqual(['onDemandFeatureView:plus', 'featureService:model_v1']);
    expect(found('bonus')).toEqual(['dataSource:bonus', 'onDemandFeatureView:plus', 'featureService:model_v1']);
    expect(found('team:nobody')).toEqual([]);
    expect(found('  ')).toHaveLength(objects.length);
  });

  it('lists every object with its description, owner and tags', async () => {
    const objects = registryObjects(await document());
    expect(objects.map((o) => `${o.kind}:${o.name}`).sort()).toEqual(
      [
        'entity:driver',
        'dataSource:stats_source',
        'dataSource:stats_push',
        'dataSource:bonus',
        'featureView:hourly',
        'onDemandFeatureView:plus',
        'streamFeatureView:trip_windows',
        'featureService:model_v1',
      ].sort(),
    );
    expect(objects.find((o) => o.name === 'driver')).toMatchObject({ description: 'A driver', owner: 'ops@example.com', tags: {} });
    expect(objects.find((o) => o.name === 'hourly')).toMatchObject({ description: 'Hourly driver statistics', tags: { team: 'driver_performance' } });
  });
});
