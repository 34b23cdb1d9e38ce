import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64, pushSource, String as Str } from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const batch = fileSource({ name: 'batch', path: 'x.parquet' });
const push = pushSource({ name: 'stats_push', batchSource: batch });
const stats = featureView({ name: 'stats', entities: [driver], ttl: '1d', source: push, schema: [field('conv_rate', Float64), field('label', Str)] });
const narrow = featureView({ name: 'narrow', entities: [driver], source: push, schema: [field('conv_rate', Float64)] });

describe('online writes and pushes', () => {
  let store: FeatureStore;
  beforeAll(async () => {
    store = createFeatureStore({
      project: 'writes',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
    });
    await store.apply([driver, stats, narrow]);
  });
  afterAll(async () => {
    await store.close();
  });

  const read = async (view: string, ids: number[], feature = 'conv_rate') =>
    (await store.getOnlineFeatures({ features: [`${view}:${feature}`], entityRows: { driver_id: ids }, now: '2021-04-12T12:00:00Z' })).toDict()[feature];

  it('writes rows to one view and keeps the newest event per key', async () => {
    expect(
      await store.writeToOnlineStore('stats', [
        { driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z', conv_rate: 0.5, label: 'a' },
        { driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z', conv_rate: 0.6, label: 'b' },
      ]),
    ).toEqual({ written: 2, skipped: 0 });
    expect(await store.writeToOnlineStore('stats', { driver_id: [1], event_timestamp: ['2021-04-12T09:00:00Z'], conv_rate: [0.1], label: ['older'] })).toEqual({
      written: 0,
      skipped: 1,
    });
    expect(await read('stats', [1, 2])).toEqual([0.5, 0.6]);
  });

  it('refuses a bad write whole, naming the column and row, and stores nothing from it', async () => {
    const bad = [
      { driver_id: 3, event_timestamp: '2021-04-12T11:00:00Z', conv_rate: 0.9, label: 'ok' },
      { driver_id: 4, event_timestamp: '2021-04-12T11:00:00Z', conv_rate: 'high', label: 'x' },
    ];
    await expect(store.writeToOnlineStore('stats', bad)).rejects.toThrow(/write to 'stats': conv_rate\[1\]: expected a number, got "high"/);
    await expect(
      store.writeToOnlineStore('stats', [{ driver_id: 3, event_timestamp: '2021-04-12T11:00:00Z', conv_rate: 1, label: 'x', extra: 1 }]),
    ).rejects.toThrow(/unknown columns 'extra'/);
    await expect(store.writeToOnlineStore('stats', [{ driver_id: 3, conv_rate: 1, label: 'x' }])).rejects.toThrow(/missing columns 'event_timestamp'/);
    await expect(
      store.writeToOnlineStore('stats', [{ driver_id: 'three', event_timestamp: '2021-04-12T11:00:00Z', conv_rate: 1, label: 'x' }]),
    ).rejects.toThrow(/entity key 'driver_id': expected an integer/);
    expect(await read('stats', [3, 4])).toEqual([null, null]);
  });

  it('pushes to every view that reads the push source, each taking its own columns', async () => {
    await store.push('stats_push', [{ driver_id: 5, event_timestamp: '2021-04-12T11:30:00Z', conv_rate: 0.75, label: 'pushed' }]);
    expect(await read('stats', [5])).toEqual([0.75]);
    expect(await read('narrow', [5])).toEqual([0.75]);
    expect(await read('stats', [5], 'label')).toEqual(['pushed']);
    await expect(store.push('nope', [{ driver_id: 5 }])).rejects.toThrow(/^push source 'nope' is not in project 'writes'; push sources: stats_push$/);
    await expect(store.push('stats_push', [{ driver_id: 6, event_timestamp: 'yesterday', conv_rate: 1, label: 'x' }])).rejects.toThrow(/event_timestamp\[0\]/);
    expect(await read('narrow', [6])).toEqual([null]);
  });

  it('says a push source that exists but feeds no view exists, naming what to define (not "no view reads x; push sources: x")', async () => {
    const idle = pushSource({ name: 'idle_push', batchSource: batch });
    await store.apply([idle]);
    const refused = store.push('idle_push', [{ driver_id: 7, event_timestamp: '2021-04-12T11:30:00Z', conv_rate: 0.5 }]);
    await expect(refused).rejects.toThrow(
      "push source 'idle_push' exists but no feature view reads it; define a featureView or streamFeatureView with source: idle_push for its pushes to be served",
    );
    await expect(refused).rejects.toMatchObject({ name: 'PushSourceNotFoundException' });
  });
});
