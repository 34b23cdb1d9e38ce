import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64, pushSource, String as Str } from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

const dir = mkdtempSync(join(tmpdir(), 'feast-edge-offline-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The source holds one row per driver at 10:00; the pushed rows come later (12:00).
const SOURCE_CSV = 'driver_id,event_timestamp,conv,label\n1,2021-04-12T10:00:00Z,0.5,base\n2,2021-04-12T10:00:00Z,0.6,base\n';
const DEFINITIONS = `import { entity, featureView, field, fileSource, pushSource, Float64, Int64, String } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const batch = fileSource({ name: 'stats_source', path: 'data/stats.csv', fieldMapping: { conv: 'conv_rate' } });
export const statsPush = pushSource({ name: 'stats_push', batchSource: batch });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '1d', source: statsPush, schema: [field('conv_rate', Float64), field('label', String)] });
`;

describe('offline writes in a Node repo (Parquet parts beside the source)', () => {
  const repo = join(dir, 'repo');
  let store: FeatureStore;
  const pushed = () => readdirSync(join(repo, 'data', 'stats.csv.pushed')).sort();
  const training = async (ids: number[], at: string) =>
    (
      await store
        .getHistoricalFeatures({
          entityDf: ids.map((driver_id) => ({ driver_id, event_timestamp: at })),
          features: ['stats:conv_rate', 'stats:label'],
        })
        .toRows()
    ).map((r) => [r.driver_id, r.conv_rate, r.label]);

  beforeAll(async () => {
    await mkdir(join(repo, 'data'), { recursive: true });
    await writeFile(join(repo, 'feature_store.yaml'), 'project: offline_writes\n');
    await writeFile(join(repo, 'definitions.ts'), DEFINITIONS);
    await writeFile(join(repo, 'data', 'stats.csv'), SOURCE_CSV);
    const opened = await openFeatureStore({ repoPath: repo });
    store = opened.store;
    await store.apply(opened.definitions);
  });
  afterAll(async () => {
    await store.close();
  });

  it('appends rows that later retrieval sees at their own event time, under the source column names', async () => {
    await store.writeToOfflineStore('stats', [{ driver_id: 1, event_timestamp: '2021-04-12T12:00:00Z', conv_rate: 0.9, label: 'written' }]);
    expect(pushed()).toHaveLength(1);
    expect(pushed()[0]).toMatch(/^part-.*\.parquet$/);
    // Before 12:00 the source's row holds; from 12:00 the written one.
    expect(await training([1, 2], '2021-04-12T11:00:00Z')).toEqual([
      [1, 0.5, 'base'],
      [2, 0.6, 'base'],
    ]);
    expect(await training([1, 2], '2021-04-12T13:00:00Z')).toEqual([
      [1, 0.9, 'written'],
      [2, 0.6, 'base'],
    ]);
  });

  it('refuses rows that do not match the view whole, naming the columns, and writes no part', async () => {
    const before = pushed();
    await expect(store.writeToOfflineStore('stats', [{ driver_id: 2, event_timestamp: '2021-04-12T12:00:00Z', conv_rate: 0.1 }])).rejects.toThrow(
      /missing columns 'label'/,
    );
    await expect(
      store.writeToOfflineStore('stats', [
        { driver_id: 2, event_timestamp: '2021-04-12T12:00:00Z', conv_rate: 0.1, label: 'ok' },
        { driver_id: 3, event_timestamp: '2021-04-12T12:00:00Z', conv_rate: 'high', label: 'bad' },
      ]),
    ).rejects.toThrow(/conv_rate\[1\]: expected a number, got "high"/);
    await expect(
      store.writeToOfflineStore('stats', [{ driver_id: 2, event_timestamp: '2021-04-12T12:00:00Z', conv_rate: 0.1, label: 'x', speed: 3 }]),
    ).rejects.toThrow(/unknown columns 'speed'/);
    expect(pushed()).toEqual(before);
    expect(await training([2], '2021-04-12T13:00:00Z')).toEqual([[2, 0.6, 'base']]);
  });

  it("pushes to 'offline', 'online' or both, as asked", async () => {
    const row = (id: number, conv: number) => [{ driver_id: id, event_timestamp: '2021-04-12T12:30:00Z', conv_rate: conv, label: `push ${id}` }];
    await store.push('stats_push', row(10, 0.1), { to: 'offline' });
    await store.push('stats_push', row(11, 0.2), { to: 'online' });
    await store.push('stats_push', row(12, 0.3), { to: 'online_and_offline' });
    const online = await store.getOnlineFeatures({ features: ['stats:conv_rate'], entityRows: { driver_id: [10, 11, 12] }, now: '2021-04-12T13:00:00Z' });
    expect(online.toDict().conv_rate).toEqual([null, 0.2, 0.3]);
    expect(await training([10, 11, 12], '2021-04-12T13:00:00Z')).toEqual([
      [10, 0.1, 'push 10'],
      [11, null, null],
      [12, 0.3, 'push 12'],
    ]);
    await expect(store.push('stats_push', row(13, 0.4), { to: 'everywhere' as 'online' })).rejects.toThrow(
      /to must be 'online', 'offline' or 'online_and_offline'/,
    );
    // A bad push writes nowhere: not online, not offline.
    await expect(
      store.push('stats_push', [{ driver_id: 14, event_timestamp: 'soon', conv_rate: 1, label: 'x' }], { to: 'online_and_offline' }),
    ).rejects.toThrow(/event_timestamp\[0\]/);
    expect(await training([14], '2021-04-12T13:00:00Z')).toEqual([[14, null, null]]);
  });

  it('feeds materialization: the newest row, source or appended, goes online', async () => {
    await store.materialize({ start: '2021-04-12T00:00:00Z', end: '2021-04-12T23:00:00Z' });
    const online = await store.getOnlineFeatures({
      features: ['stats:conv_rate', 'stats:label'],
      entityRows: { driver_id: [1, 2, 10] },
      now: '2021-04-12T13:00:00Z',
    });
    expect(online.toDict()).toEqual({ driver_id: [1, 2, 10], conv_rate: [0.9, 0.6, 0.1], label: ['written', 'base', 'push 10'] });
  });

  it('keeps appended rows for the next process that opens the repo', async () => {
    const reopened = await openFeatureStore({ repoPath: repo });
    const rows = await reopened.store
      .getHistoricalFeatures({ entityDf: [{ driver_id: 10, event_timestamp: '2021-04-12T13:00:00Z' }], features: ['stats:conv_rate'] })
      .toRows();
    expect(rows[0].conv_rate).toBe(0.1);
    await reopened.store.close();
  });
});

describe('offline writes with no file system (memory parts)', () => {
  const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
  const source = fileSource({ name: 'src', path: 'memory.csv' });
  const view = featureView({
    name: 'v',
    entities: [driver],
    source: pushSource({ name: 'p', batchSource: source }),
    schema: [field('x', Float64), field('tag', Str)],
  });

  it('appends to registered source data and retrieval reads both', async () => {
    const store = createFeatureStore({
      project: 'mem',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
    });
    await store.apply([driver, view]);
    store.registerSourceData('src', new TextEncoder().encode('driver_id,event_timestamp,x,tag\n7,2021-01-01T00:00:00Z,1.5,old\n'));
    await store.writeToOfflineStore('v', { driver_id: [7], event_timestamp: ['2021-01-02T00:00:00Z'], x: [2.5], tag: ['new'] });
    const rows = await store
      .getHistoricalFeatures({
        entityDf: [
          { driver_id: 7, event_timestamp: '2021-01-01T12:00:00Z' },
          { driver_id: 7, event_timestamp: '2021-01-03T00:00:00Z' },
        ],
        features: ['v:x', 'v:tag'],
      })
      .toRows();
    expect(rows.map((r) => [r.x, r.tag])).toEqual([
      [1.5, 'old'],
      [2.5, 'new'],
    ]);
    await store.close();
  });
});
