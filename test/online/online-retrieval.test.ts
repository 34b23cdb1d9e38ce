import { Float64, Int64, Table, TimestampMicrosecond, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64 as F64, Int64 as I64, onDemandFeatureView, requestSource } from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

const H = 3_600_000_000n;
const T = 1_618_221_600_000_000n; // 2021-04-12T10:00:00Z

function ts(values: (bigint | null)[]): Vector {
  const data = new BigInt64Array(values.map((v) => v ?? 0n));
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v !== null) valid[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(
    makeData({
      type: new TimestampMicrosecond(),
      length: values.length,
      nullCount: values.filter((v) => v === null).length,
      data: new Int32Array(data.buffer),
      nullBitmap: valid,
    }),
  );
}

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: I64 });
const source = fileSource({ name: 'src', path: 'x.parquet', createdTimestampColumn: 'created' });
const stats = featureView({ name: 'stats', entities: [driver], ttl: '2h', source, schema: [field('conv_rate', F64), field('trips', I64)] });
const req = requestSource({ name: 'req', schema: [field('bonus', F64)] });
const plus = onDemandFeatureView({
  name: 'plus',
  sources: [stats, req],
  schema: [field('conv_plus_bonus', F64)],
  transform: (r) => ({ conv_plus_bonus: r.conv_rate === null ? null : Number(r.conv_rate) + Number(r.bonus) }),
});

describe('online retrieval after materialization', () => {
  let store: FeatureStore;
  beforeAll(async () => {
    store = createFeatureStore({
      project: 'online',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
      definitions: [plus],
    });
    await store.apply([driver, stats, plus]);
    // driver 1: 08:00 (0.1), 09:00 twice (created 09:00 -> 0.2, created 09:30 -> 0.3), 11:00 (0.9, after the window)
    // driver 2: 07:00 (0.7): older than the 2h ttl at 10:00. driver 3: 09:50 with a stored null.
    store.registerSourceData(
      'src',
      new Table({
        driver_id: vectorFromArray([1n, 1n, 1n, 1n, 2n, 3n], new Int64()),
        event_timestamp: ts([T - 2n * H, T - H, T - H, T + H, T - 3n * H, T - H / 6n]),
        created: ts([T - 2n * H, T - H, T - H / 2n, T + H, null, T]),
        conv_rate: vectorFromArray([0.1, 0.2, 0.3, 0.9, 0.7, null], new Float64()),
        trips: vectorFromArray([1n, 2n, 3n, 9n, 7n, 6n], new Int64()),
      }),
    );
    const summary = await store.materialize({ start: '2021-04-12T00:00:00Z', end: '2021-04-12T10:00:00Z' });
    expect(summary).toEqual([{ view: 'stats', rows: 3 }]);
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers values with PRESENT, OUTSIDE_MAX_AGE, NULL_VALUE and NOT_FOUND, reading duplicates once', async () => {
    const response = await store.getOnlineFeatures({
      features: ['stats:conv_rate', 'stats:trips'],
      entityRows: [{ driver_id: 1 }, { driver_id: 2 }, { driver_id: 3 }, { driver_id: 4 }, { driver_id: 1 }],
      now: '2021-04-12T10:00:00Z',
    });
    expect(response.toDict()).toEqual({ driver_id: [1, 2, 3, 4, 1], conv_rate: [0.3, 0.7, null, null, 0.3], trips: [3, 7, 6, null, 3] });
    const wire = response.toWire();
    expect(wire.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'trips']);
    expect(wire.results[0]).toEqual({ values: [1, 2, 3, 4, 1], statuses: Array(5).fill('PRESENT'), event_timestamps: Array(5).fill('1970-01-01T00:00:00Z') });
    expect(wire.results[1].statuses).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'NULL_VALUE', 'NOT_FOUND', 'PRESENT']);
    expect(wire.results[1].event_timestamps).toEqual([
      '2021-04-12T09:00:00Z',
      '2021-04-12T07:00:00Z',
      '2021-04-12T09:50:00Z',
      '1970-01-01T00:00:00Z',
      '2021-04-12T09:00:00Z',
    ]);
    // trips of driver 3 is present though its conv_rate is null.
    expect(wire.results[2].statuses).toEqual(['PRESENT', 'OUTSIDE_MAX_AGE', 'PRESENT', 'NOT_FOUND', 'PRESENT']);
  });

  it('reads as of an instant before a stored event as NOT_FOUND, on-demand outputs included, and as PRESENT from the event on', async () => {
    // Stored: driver 1 at 09:00 (0.3), driver 3 at 09:50 (null). As of 09:30 driver 3's row was not written yet.
    const asOf = (now: string) =>
      store.getOnlineFeatures({ features: ['stats:conv_rate', 'stats:trips', 'plus:conv_plus_bonus'], entityRows: { driver_id: [1, 3], bonus: [1, 1] }, now });
    const before = (await asOf('2021-04-12T09:30:00Z')).toWire();
    // Request data (bonus) is not echoed on Feast's wire.
    expect(before.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'trips', 'conv_plus_bonus']);
    expect(before.results[1]).toEqual({
      values: [0.3, null],
      statuses: ['PRESENT', 'NOT_FOUND'],
      event_timestamps: ['2021-04-12T09:00:00Z', '1970-01-01T00:00:00Z'],
    });
    expect(before.results[2]).toEqual({
      values: [3, null],
      statuses: ['PRESENT', 'NOT_FOUND'],
      event_timestamps: ['2021-04-12T09:00:00Z', '1970-01-01T00:00:00Z'],
    });
    // As of 08:30 driver 1's 09:00 row did not exist either: its on-demand output has no input.
    const earlier = (await asOf('2021-04-12T08:30:00Z')).toWire();
    expect(earlier.results[1].statuses).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(earlier.results[3].values).toEqual([null, null]);
    // At the event time itself the row exists.
    const at = (await asOf('2021-04-12T09:50:00Z')).toWire();
    expect(at.results[2]).toEqual({ values: [3, 6], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T09:00:00Z', '2021-04-12T09:50:00Z'] });
  });

  it('accepts entity rows as columns, runs on-demand views with request data, and names full features', async () => {
    const response = await store.getOnlineFeatures({
      features: ['plus:conv_plus_bonus', 'stats:trips'],
      entityRows: { driver_id: [1, 3], bonus: [1, 2] },
      fullFeatureNames: true,
      now: T,
    });
    expect(response.toRows()).toEqual([
      { driver_id: 1, bonus: 1, plus__conv_plus_bonus: 1.3, stats__trips: 3 },
      { driver_id: 3, bonus: 2, plus__conv_plus_bonus: null, stats__trips: 6 },
    ]);
  });

  it('names a missing join key, a missing request field and an unknown feature', async () => {
    await expect(store.getOnlineFeatures({ features: ['stats:trips'], entityRows: [{ driverid: 1 }] })).rejects.toThrow(/missing join key 'driver_id'/);
    await expect(store.getOnlineFeatures({ features: ['plus:conv_plus_bonus'], entityRows: [{ driver_id: 1 }] })).rejects.toThrow(
      /needs request field 'bonus'/,
    );
    await expect(store.getOnlineFeatures({ features: ['stats:nope'], entityRows: [{ driver_id: 1 }] })).rejects.toThrow(
      /feature 'nope' is not in view 'stats'; valid: 'conv_rate', 'trips'/,
    );
    await expect(store.getOnlineFeatures({ features: ['stats:trips'], entityRows: { driver_id: [1, 2], x: [1] } })).rejects.toThrow(
      /entityRows.x: has 1 values, but 'driver_id' has 2/,
    );
  });

  it('records intervals, and materializes incrementally from the last interval end', async () => {
    let doc = await store.registryDocument();
    expect(doc.featureViews.stats.materializationIntervals).toEqual([{ start: '2021-04-12T00:00:00Z', end: '2021-04-12T10:00:00Z' }]);
    const progress: number[] = [];
    await store.materializeIncremental({ end: '2021-04-12T12:00:00Z', onProgress: (p) => progress.push(p.rowsDone) });
    doc = await store.registryDocument();
    expect(doc.featureViews.stats.materializationIntervals).toEqual([
      { start: '2021-04-12T00:00:00Z', end: '2021-04-12T10:00:00Z' },
      { start: '2021-04-12T10:00:00Z', end: '2021-04-12T12:00:00Z' },
    ]);
    // Only driver 1's 11:00 row lies in (10:00, 12:00]; the 10:00 bound itself holds nothing new.
    expect(progress).toEqual([1]);
    const response = await store.getOnlineFeatures({ features: ['stats:conv_rate'], entityRows: [{ driver_id: 1 }], now: '2021-04-12T12:00:00Z' });
    expect(response.toDict().conv_rate).toEqual([0.9]);
  });

  it('starts a first incremental run at end - ttl, and refuses views that are not online', async () => {
    const offlineOnly = featureView({ name: 'offline_only', entities: [driver], ttl: '1h', source, schema: [field('trips', I64)], online: false });
    const fresh = createFeatureStore({
      project: 'incremental',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
    });
    await fresh.apply([driver, stats, offlineOnly]);
    fresh.registerSourceData(
      'src',
      new Table({
        driver_id: vectorFromArray([1n, 2n], new Int64()),
        event_timestamp: ts([T - 3n * H, T - H]),
        created: ts([null, null]),
        conv_rate: vectorFromArray([0.1, 0.2], new Float64()),
        trips: vectorFromArray([1n, 2n], new Int64()),
      }),
    );
    expect(await fresh.materializeIncremental({ end: '2021-04-12T10:00:00Z' })).toEqual([{ view: 'stats', rows: 1 }]);
    expect((await fresh.registryDocument()).featureViews.stats.materializationIntervals).toEqual([
      { start: '2021-04-12T08:00:00Z', end: '2021-04-12T10:00:00Z' },
    ]);
    await expect(fresh.materialize({ start: T - H, end: T, featureViews: ['offline_only'] } as never)).rejects.toThrow(/'offline_only' has online: false/);
    await fresh.close();
  });
});

describe('read plans', () => {
  it('follow an apply at once: a cached plan never outlives its registry version', async () => {
    const store = createFeatureStore({
      project: 'plans',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
    });
    await store.apply([driver, stats]);
    await store.writeToOnlineStore('stats', [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z', conv_rate: 0.5, trips: 1 }]);
    // Asked an hour after the write: inside the 2h ttl, outside a 1s one.
    const ask = () => store.getOnlineFeatures({ features: ['stats:conv_rate'], entityRows: [{ driver_id: 1 }], now: T + H });
    expect((await ask()).toWire().results[1].statuses).toEqual(['PRESENT']);
    expect((await ask()).toDict().conv_rate).toEqual([0.5]);
    // A redefined view (new ttl and a new feature) takes effect on the next request: the old plan is dropped.
    const wider = featureView({
      name: 'stats',
      entities: [driver],
      ttl: '1s',
      source,
      schema: [field('conv_rate', F64), field('trips', I64), field('extra', F64)],
    });
    await store.apply([wider]);
    expect((await ask()).toWire().results[1].statuses).toEqual(['OUTSIDE_MAX_AGE']);
    expect((await store.getOnlineFeatures({ features: ['stats:extra'], entityRows: [{ driver_id: 1 }], now: T })).toDict().extra).toEqual([null]);
    await store.close();
  });
});
