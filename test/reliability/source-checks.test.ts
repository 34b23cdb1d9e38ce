/**
 * Issue 13, finding 6: a source that does not match its view surfaced as DuckDB's SQL
 * ("Binder Error: Referenced column ... CREATE VIEW __src_1_..."), apply accepted it,
 * materialize wrote one view and failed on the next, and Int64 over float data served
 * floats. apply (with checkSources, as the CLI applies) and materialize now check each
 * view against its data first, and answer one line naming the source and the column.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64, String as Str, type FeatureView } from '../../src/definitions/index.js';
import { DataSourceColumnError, FeastEdgeError, InvalidEntityDfError, InvalidTimestampError } from '../../src/errors.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createFeatureStore } from '../../src/store/feature-store.js';

let dir: string;
let engine: SqlEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-source-checks-'));
  engine = await createNodeEngine();
  await writeFile(
    join(dir, 'stats.parquet'),
    await engine.export(
      `SELECT 1001::BIGINT AS driver_id, TIMESTAMP '2021-04-12 10:00:00' AS event_timestamp, 0.5::DOUBLE AS conv_rate, 2.5::DOUBLE AS trips`,
      'parquet',
    ),
  );
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = (timestampField = 'event_timestamp') => fileSource({ name: 'stats_source', path: 'stats.parquet', timestampField });
const view = (name: string, schema: ReturnType<typeof field>[], src = source(), entities = [driver]) =>
  featureView({ name, entities, ttl: '1d', source: src, schema });
const newStore = () =>
  createFeatureStore({
    project: 'checks',
    registry: new MemoryRegistryStore(),
    offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir) }),
  });

async function refusal(objects: unknown[]): Promise<Error> {
  const error = await newStore()
    .apply(objects as never, { checkSources: true })
    .then(
      () => undefined,
      (e: Error) => e,
    );
  expect(error, 'apply should refuse').toBeInstanceOf(DataSourceColumnError);
  expect((error as DataSourceColumnError).httpStatus).toBe(422);
  return error as Error;
}

describe('sources checked against their data (issue 13, finding 6)', () => {
  it('refuses a timestamp field the file lacks, naming the source, the column and what the file holds', async () => {
    const src = source('event_ts');
    const error = await refusal([driver, src, view('v', [field('conv_rate', Float64)], src)]);
    expect(error.message).toBe(
      "source 'stats_source' (stats.parquet): has no column 'event_ts' (the timestamp field); it holds driver_id BIGINT, event_timestamp TIMESTAMP, conv_rate DOUBLE, trips DOUBLE",
    );
  });

  it('refuses a schema field missing from the file', async () => {
    const error = await refusal([driver, source(), view('v', [field('acc_rate', Float64)])]);
    expect(error.message).toMatch(/has no column 'acc_rate' \(feature 'acc_rate' of view 'v'\)/);
  });

  it('refuses a String join key over integer data', async () => {
    const byName = entity({ name: 'driver_name', joinKeys: ['driver_id'], valueType: Str });
    const error = await refusal([byName, source(), view('v', [field('conv_rate', Float64)], source(), [byName] as never)]);
    expect(error.message).toBe(
      "source 'stats_source' (stats.parquet): column 'driver_id' (join key 'driver_id' of view 'v') is BIGINT in the data, but the entity declares String",
    );
  });

  it('refuses an Int64 feature over float data instead of serving floats', async () => {
    const error = await refusal([driver, source(), view('v', [field('trips', Int64)])]);
    expect(error.message).toMatch(/column 'trips' \(feature 'trips' of view 'v'\) is DOUBLE in the data, but the view declares Int64/);
  });

  it('materializes no view when a later one does not match its data', async () => {
    const store = newStore();
    const good = view('good', [field('conv_rate', Float64)]);
    const bad = view('bad', [field('trips', Int64)]);
    await store.apply([driver, source(), good, bad]);
    await expect(store.materialize({ start: '2021-04-01T00:00:00Z', end: '2021-04-13T00:00:00Z', featureViews: ['good', 'bad'] })).rejects.toBeInstanceOf(
      DataSourceColumnError,
    );
    const dict = (await store.getOnlineFeatures({ features: ['good:conv_rate'], entityRows: [{ driver_id: 1001 }] })).toDict();
    expect(dict.conv_rate).toEqual([null]);
    expect((await store.getFeatureView('good')).name).toBe('good');
    expect((await store.registry.document()).featureViews.good.materializationIntervals).toEqual([]);
  });

  it('answers a bad entity timestamp with an error naming the column, not DuckDB SQL', async () => {
    const store = newStore();
    await store.apply([driver, source(), view('v', [field('conv_rate', Float64)]) as FeatureView]);
    const csv = new TextEncoder().encode('driver_id,event_timestamp\n1001,2021-04-12T10:00:00Z\n1001,yesterday-ish\n');
    for (const entityDf of [[{ driver_id: 1001, event_timestamp: 'yesterday-ish' }], { bytes: csv, format: 'csv' as const }]) {
      const error = await store
        .getHistoricalFeatures({ entityDf, features: ['v:conv_rate'] })
        .toRows()
        .then(
          () => undefined,
          (e: Error) => e,
        );
      expect(error, JSON.stringify(entityDf)).toBeInstanceOf(FeastEdgeError);
      expect([InvalidEntityDfError, InvalidTimestampError].some((c) => error instanceof c)).toBe(true);
      expect(error!.message).toMatch(/event_timestamp/);
      expect(error!.message).toMatch(/yesterday-ish/);
    }
  });
});
