import type { SqlJsStatic } from 'sql.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float32, Int32, Int64 } from '../../src/definitions/index.js';
import { FeastSqliteOnlineStore } from '../../src/feast/sqlite-online-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { loadSqlJs } from '../../src/runtime/node/sqlite/feast-sqlite-file.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { readFixture, readJsonFixture, toHex, type OnlineRequest } from './online-fixtures.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

// The quickstart repo's driver_hourly_stats as feast-edge definitions (its Map, Json and Struct features left out).
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({
  name: 'driver_hourly_stats_source',
  path: 'data/driver_stats.parquet',
  timestampField: 'event_timestamp',
  createdTimestampColumn: 'created',
});
const stats = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  ttl: '1d',
  source,
  schema: [field('conv_rate', Float32), field('acc_rate', Float32), field('avg_daily_trips', Int64)],
});

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

const open = (data?: Uint8Array) => {
  const onlineStore = new FeastSqliteOnlineStore({ sqlJs: SQL, data });
  const store = createFeatureStore({
    project: 'quickstart',
    registry: new MemoryRegistryStore(),
    offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
    onlineStore,
  });
  return { store, onlineStore };
};

describe("the FeatureStore over Feast's SQLite file", () => {
  it("answers get-online-features with Feast's wire values, statuses and times", async () => {
    const { store } = open(readFixture('quickstart', 'online_store.db'));
    await store.apply([driver, stats]);
    const request = readJsonFixture<{ requests: OnlineRequest[] }>('quickstart', 'online-expected.json').requests.find(
      (r) => r.name === 'features_found_and_unknown',
    )!;
    const response = await store.getOnlineFeatures({
      features: request.features!,
      entityRows: request.entity_rows as Record<string, unknown>[],
      now: '2026-12-02T14:00:00Z',
    });
    const wire = response.toWire();
    const byName = (body: { metadata: { feature_names: string[] }; results: unknown[] }) =>
      Object.fromEntries(body.metadata.feature_names.map((name, i) => [name, body.results[i]]));
    expect(byName(wire)).toEqual(byName(request.server_json!));
    await store.close();
  });

  it("writes a view's rows with its declared types: Float32 as Feast's float_val, Int32 as int32_val", async () => {
    const typed = featureView({ name: 'typed', entities: [driver], source, schema: [field('rate', Float32), field('count', Int32)] });
    const { store, onlineStore } = open();
    await store.apply([driver, typed]);
    await store.writeToOnlineStore('typed', [{ driver_id: 1001, event_timestamp: '2026-12-02T14:00:00Z', rate: 0.5, count: -3 }]);
    const db = new SQL.Database(onlineStore.export());
    const rows = db.exec('SELECT feature_name, value, value_text, event_ts FROM quickstart_typed ORDER BY feature_name')[0].values;
    db.close();
    // Tags 0x18 (int32_val, a negative one is ten varint bytes) and 0x35 (float_val, fixed32).
    expect(rows.map(([name, value, text, ts]) => [name, toHex(value as Uint8Array), text, ts])).toEqual([
      ['count', '18fdffffffffffffffff01', '-3', 1_796_220_000],
      ['rate', '350000003f', '0.5', 1_796_220_000],
    ]);
    await store.close();
  });
});
