import { describe, expect, it } from 'vitest';
import {
  Bool,
  Bytes,
  featureService,
  field,
  Float64,
  projection,
  String as Str,
  streamFeatureView,
  type StreamFeatureViewSpec,
} from '../../src/definitions/index.js';
import { defaultSlideSeconds } from '../../src/definitions/stream-feature-view.js';
import { LISTINGS } from '../../src/cli/list-commands.js';
import { parseRegistryDocument } from '../../src/registry/document-shape.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { checkTransforms } from '../../src/registry/transform-check.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { driver, tripsPush, tripsSource } from './fixtures.js';

const base: StreamFeatureViewSpec = {
  name: 'trips',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('city', Str), field('paid', Bool), field('receipt', Bytes)],
  aggregations: [{ column: 'fare', fn: 'sum', window: '1h' }],
};
const withAggregation = (a: object) => ({ ...base, aggregations: [a] }) as StreamFeatureViewSpec;

describe('streamFeatureView definitions', () => {
  it('refuses bad aggregations naming the field', () => {
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'median', window: '1h' }))).toThrow(
      'streamFeatureView \'trips\'.aggregations[0].fn: expected one of sum, count, mean, min, max, last, got "median"',
    );
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'sum', window: 'an hour' }))).toThrow(
      /aggregations\[0\]\.window: cannot parse duration "an hour"/,
    );
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'sum', window: 0 }))).toThrow(
      /aggregations\[0\]\.window: expected a positive whole number of seconds/,
    );
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'sum', window: '1500ms' }))).toThrow(
      /aggregations\[0\]\.window: expected a positive whole number of seconds/,
    );
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'sum' }))).toThrow(/aggregations\[0\]\.window: expected a duration/);
    expect(() => streamFeatureView(withAggregation({ column: 'fare', fn: 'sum', window: '1h', slide: '7m' }))).toThrow(
      "streamFeatureView 'trips'.aggregations[0].slide: 420 s does not divide the window of 3600 s",
    );
    expect(() => streamFeatureView(withAggregation({ column: 'distance', fn: 'sum', window: '1h' }))).toThrow(
      "streamFeatureView 'trips'.aggregations[0].column: 'distance' is not an event column of the schema; valid: 'fare', 'city', 'paid', 'receipt'",
    );
    expect(() => streamFeatureView(withAggregation({ column: 'city', fn: 'sum', window: '1h' }))).toThrow(
      /aggregations\[0\]\.column: sum cannot aggregate 'city' of type String; it takes Int32, Int64, Float32, Float64/,
    );
    expect(() => streamFeatureView(withAggregation({ column: 'paid', fn: 'mean', window: '1h' }))).toThrow(/mean cannot aggregate 'paid' of type Bool/);
    expect(() => streamFeatureView(withAggregation({ column: 'receipt', fn: 'max', window: '1h' }))).toThrow(/max cannot aggregate 'receipt' of type Bytes/);
    expect(() => streamFeatureView({ ...base, aggregations: [] })).toThrow(/trips'\.aggregations: expected a non-empty array/);
    expect(() => streamFeatureView({ ...base, source: tripsSource as never })).toThrow(/trips'\.source: expected a pushSource, got "fileSource"/);
    expect(() =>
      streamFeatureView({
        ...base,
        aggregations: [
          { column: 'fare', fn: 'sum', window: '1h' },
          { column: 'fare', fn: 'sum', window: 3600, name: 'sum_fare_1h' },
        ],
      }),
    ).toThrow(/duplicate name 'sum_fare_1h'/);
    expect(() => streamFeatureView({ ...base, allowedLateness: 'soon' })).toThrow(/trips'\.allowedLateness: cannot parse duration/);
  });

  it('accepts count of any scalar and last of strings and booleans, and picks about 60 tiles per window', () => {
    const view = streamFeatureView({
      ...base,
      aggregations: [
        { column: 'receipt', fn: 'count', window: 90 },
        { column: 'paid', fn: 'last', window: '1d' },
        { column: 'city', fn: 'min', window: '10m' },
      ],
    });
    expect(view.aggregations.map((a) => [a.name, a.windowSeconds, a.slideSeconds, a.dtype.kind])).toEqual([
      ['count_receipt_90s', 90, 1, 'Int64'],
      ['last_paid_1d', 86400, 1440, 'Bool'],
      ['min_city_10m', 600, 10, 'String'],
    ]);
    expect([3600, 86400, 600, 60, 59, 7].map(defaultSlideSeconds)).toEqual([60, 1440, 10, 1, 1, 1]);
    expect(view.allowedLatenessSeconds).toBe(86400);
    expect(Object.isFrozen(view.aggregations[0])).toBe(true);
  });
});

describe('stream feature views in the registry', () => {
  const trips = streamFeatureView(base);
  const objects = [driver, tripsPush, trips];

  it('applies, plans, diffs, lists, gets and deletes them, with errors listing what exists', async () => {
    const registry = new Registry(new MemoryRegistryStore(), 'p');
    expect((await registry.plan(objects)).added).toContainEqual({ kind: 'streamFeatureView', name: 'trips' });
    const diff = await registry.apply(objects);
    expect(diff.added.map((a) => a.kind).sort()).toEqual(['entity', 'fileSource', 'pushSource', 'streamFeatureView']);
    expect((await registry.listStreamFeatureViews()).map((v) => v.name)).toEqual(['trips']);
    expect((await registry.getStreamFeatureView('trips')).aggregations[0].name).toBe('sum_fare_1h');
    await expect(registry.getStreamFeatureView('trip')).rejects.toMatchObject({
      name: 'StreamFeatureViewNotFoundException',
      message: "stream feature view 'trip' is not in project 'p'; valid: 'trips'",
    });
    const changed = streamFeatureView({ ...base, aggregations: [{ column: 'fare', fn: 'max', window: '2h' }] });
    expect((await registry.apply([changed])).changed).toEqual([
      { kind: 'streamFeatureView', name: 'trips', fields: ['aggregations', 'allowedLatenessSeconds', 'features'] },
    ]);
    await expect(registry.apply([], { delete: [tripsPush] })).rejects.toThrow("pushSource 'trips_push' cannot be deleted: streamFeatureView 'trips' uses it");
    await expect(registry.apply([], { delete: [driver] })).rejects.toThrow(/streamFeatureView 'trips' uses it/);
    expect((await registry.apply([], { delete: [{ kind: 'streamFeatureView', name: 'trips' }] })).removed).toEqual([
      { kind: 'streamFeatureView', name: 'trips' },
    ]);
    expect(await registry.listStreamFeatureViews()).toEqual([]);
  });

  it('lets feature services project stream views, and refuses a name shared with another kind of view', async () => {
    const store = createFeatureStore({ project: 'p', registry: new MemoryRegistryStore() });
    const service = featureService({ name: 'svc', features: [projection(trips, { features: ['sum_fare_1h'], alias: 'recent' })] });
    await store.apply([...objects, service]);
    expect((await store.getFeatureService('svc')).projections[0]).toMatchObject({ viewKind: 'streamFeatureView', viewName: 'trips', alias: 'recent' });
    const response = await store.getOnlineFeatures({ featureService: 'svc', entityRows: [{ driver_id: 1 }], fullFeatureNames: true });
    expect(response.toDict()).toEqual({ driver_id: [1], recent__sum_fare_1h: [null] });
    await expect(store.getOnlineFeatures({ features: ['trips:nope'], entityRows: [{ driver_id: 1 }] })).rejects.toThrow(
      /feature 'nope' is not in view 'trips'; valid: 'sum_fare_1h'/,
    );
    await expect(store.getOnlineFeatures({ features: ['tripz:sum_fare_1h'], entityRows: [{ driver_id: 1 }] })).rejects.toThrow(
      /feature view 'tripz' is not in project 'p'; valid: 'trips'/,
    );
    const { featureView } = await import('../../src/definitions/index.js');
    const clash = featureView({ name: 'trips', entities: [driver], source: tripsSource, schema: [field('fare', Float64)] });
    await expect(store.apply([clash])).rejects.toMatchObject({ name: 'ConflictingFeatureViewNames' });
  });

  it('loads a registry document written before stream views existed', async () => {
    const registry = new Registry(new MemoryRegistryStore(), 'p');
    await registry.apply([driver, tripsPush]);
    const { streamFeatureViews: _absent, ...old } = JSON.parse(JSON.stringify(await registry.document()));
    const parsed = parseRegistryDocument(old);
    expect(parsed.streamFeatureViews).toBeUndefined();
    const store = new MemoryRegistryStore();
    await store.write(parsed, 0);
    const again = new Registry(store, 'p');
    expect(await again.listStreamFeatureViews()).toEqual([]);
    await again.apply([trips]);
    expect((await again.listStreamFeatureViews()).map((v) => v.name)).toEqual(['trips']);
  });

  it('checks stream transforms against the recorded hash, and lists stream views in the CLI', async () => {
    const registry = new Registry(new MemoryRegistryStore(), 'p');
    const withTransform = (k: number) => streamFeatureView({ ...base, transform: (r) => ({ fare: (r.fare as number) * k }) });
    await registry.apply([driver, tripsPush, withTransform(2)]);
    const doc = await registry.document();
    expect(await checkTransforms(doc, [withTransform(2)])).toEqual({ matching: ['trips'], differing: [] });
    const other = streamFeatureView({ ...base, transform: (r) => ({ fare: (r.fare as number) * 3 }) });
    expect(await checkTransforms(doc, [other])).toEqual({ matching: [], differing: ['trips'] });
    expect(await checkTransforms(doc, [trips])).toEqual({ matching: [], differing: ['trips'] });

    const listing = LISTINGS['stream-feature-views'];
    const store = createFeatureStore({ project: 'p', registry: registry.store });
    const rows = (await listing.load(store)).map(listing.row);
    expect(listing.headers).toEqual(['NAME', 'ENTITIES', 'FEATURES', 'AGGREGATIONS', 'SOURCE']);
    expect(rows).toEqual([['trips', 'driver', 'sum_fare_1h', 'sum(fare) 3600s/60s', 'trips_push']]);
  });
});
