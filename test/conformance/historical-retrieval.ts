import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entity, featureService, featureView, field, fileSource, Float64, Int64, onDemandFeatureView, projection,
  requestSource, String as Str, type FeastObject,
} from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/offline/sql-engine.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { BASE, cell, H, rows, table, type ColumnSpec } from './fixtures.js';
import { pointInTimeOracle, type OracleView } from '../oracle/point-in-time-oracle.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const customer = entity({ name: 'customer', joinKeys: ['customer_id'], valueType: Int64 });
const location = entity({ name: 'location', joinKeys: ['location_id'], valueType: Int64 });

const driverSource = fileSource({ name: 'driver_src', path: 'driver.parquet', createdTimestampColumn: 'created' });
const driverStats = featureView({ name: 'driver_stats', entities: [driver], ttl: '2h', source: driverSource,
  schema: [field('conv_rate', Float64), field('trips', Int64)] });
// A second view over the same source.
const driverTrips = featureView({ name: 'driver_trips', entities: [driver], ttl: 0, source: driverSource, schema: [field('trips', Int64)] });
const customerSource = fileSource({ name: 'customer_src', path: 'customer.parquet' });
const customerProfile = featureView({ name: 'customer_profile', entities: [customer], ttl: '2d', source: customerSource,
  schema: [field('balance', Float64)] });
const orderSource = fileSource({ name: 'order_src', path: 'order.parquet' });
const orderStats = featureView({ name: 'order_stats', entities: [driver, customer], ttl: '2d', source: orderSource,
  schema: [field('order_is_success', Int64)] });
const globalSource = fileSource({ name: 'global_src', path: 'global.parquet' });
const globalStats = featureView({ name: 'global_stats', ttl: '2d', source: globalSource, schema: [field('num_rides', Int64)] });
const mappedSource = fileSource({ name: 'mapped_src', path: 'mapped.parquet', fieldMapping: { id: 'driver_id', raw_rate: 'rate' } });
const mappedView = featureView({ name: 'mapped', entities: [driver], source: mappedSource, schema: [field('rate', Float64)] });
const locationSource = fileSource({ name: 'location_src', path: 'location.parquet' });
const locationStats = featureView({ name: 'location_stats', entities: [location], source: locationSource, schema: [field('temperature', Float64)] });
const valsToAdd = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Float64)] });
const convPlus = onDemandFeatureView({ name: 'conv_plus', sources: [driverStats, valsToAdd], schema: [field('conv_rate_plus_val', Float64)],
  transform: (r) => ({ conv_rate_plus_val: r.conv_rate === null ? null : Number(r.conv_rate) + Number(r.val_to_add) }) });
const tripsService = featureService({ name: 'trips_service', features: [projection(driverStats, { features: ['conv_rate'] }), customerProfile, convPlus] });
const originDestination = featureService({ name: 'trip_locations', features: [
  projection(locationStats, { alias: 'origin', joinKeyMap: { location_id: 'origin_id' } }),
  projection(locationStats, { alias: 'destination', joinKeyMap: { location_id: 'destination_id' } }),
] });
const textSource = fileSource({ name: 'text_src', path: 'text.parquet' });
const textView = featureView({ name: 'driver_text', entities: [driver], source: textSource, schema: [field('label', Str)] });

const OBJECTS: FeastObject[] = [driver, customer, location, driverStats, driverTrips, customerProfile, orderStats, globalStats,
  mappedView, locationStats, convPlus, tripsService, originDestination, textView];

/** Source rows, chosen by hand around the boundaries (10:00 UTC on 2021-04-12 is BASE). */
const SOURCES: Record<string, Record<string, ColumnSpec>> = {
  driver_src: {
    driver_id: { kind: 'int64', values: [1n, 1n, 1n, 1n, 2n, 2n, 3n, 3n] },
    event_timestamp: { kind: 'ts', values: [BASE - 2n * H, BASE - H, BASE - H, BASE + H, BASE - 3n * H, BASE, BASE - 30n * H, BASE - 30n * H] },
    created: { kind: 'ts', values: [BASE, BASE - H, BASE, BASE, null, BASE + 5n * H, BASE - 29n * H, BASE - 28n * H] },
    conv_rate: { kind: 'float', values: [0.1, 0.2, 0.3, 0.4, 0.5, null, 0.7, 0.8] },
    trips: { kind: 'int64', values: [10n, 20n, 30n, 40n, 50n, 60n, 70n, 80n] },
  },
  customer_src: {
    customer_id: { kind: 'int64', values: [100n, 100n, 200n] },
    event_timestamp: { kind: 'ts', values: [BASE - 47n * H, BASE - 49n * H, BASE - 48n * H] },
    balance: { kind: 'float', values: [1.5, 2.5, 3.5] },
  },
  order_src: {
    driver_id: { kind: 'int64', values: [1n, 1n, 2n] },
    customer_id: { kind: 'int64', values: [100n, 200n, 100n] },
    event_timestamp: { kind: 'ts', values: [BASE - H, BASE - H, BASE - H] },
    order_is_success: { kind: 'int64', values: [1n, 0n, 1n] },
  },
  global_src: {
    event_timestamp: { kind: 'ts', values: [BASE - 3n * H, BASE - H, BASE + H] },
    num_rides: { kind: 'int64', values: [5n, 7n, 9n] },
  },
  mapped_src: {
    id: { kind: 'int64', values: [1n, 2n] },
    event_timestamp: { kind: 'ts', values: [BASE - H, BASE - H] },
    raw_rate: { kind: 'float', values: [0.11, 0.22] },
  },
  location_src: {
    location_id: { kind: 'int64', values: [7n, 8n] },
    event_timestamp: { kind: 'ts', values: [BASE - H, BASE - H] },
    temperature: { kind: 'float', values: [20.5, 30.5] },
  },
  text_src: {
    driver_id: { kind: 'int64', values: [1n] },
    event_timestamp: { kind: 'ts', values: [BASE - H] },
    label: { kind: 'string', values: ['ünïcode, "quoted"'] },
  },
};

const ENTITY: Record<string, ColumnSpec> = {
  driver_id: { kind: 'int64', values: [1n, 1n, 1n, 2n, 2n, 3n, 4n, 1n] },
  customer_id: { kind: 'int64', values: [100n, 200n, 100n, 100n, 200n, 100n, 100n, 100n] },
  event_timestamp: { kind: 'ts', values: [BASE, BASE - H + 1n, BASE + 3n * H, BASE, BASE - H, BASE, BASE, BASE] },
};

function oracleView(view: typeof driverStats, sourceName: string, name = view.name, keyMap: Record<string, string> = {}): OracleView {
  const mapping = view.batchSource.fieldMapping;
  const renamed = rows(SOURCES[sourceName]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [mapping[k] ?? k, v])));
  return {
    name, keys: view.entityColumns.map((c) => ({ viewKey: c.name, entityColumn: keyMap[c.name] ?? c.name })),
    features: view.features.map((f) => f.name), ttlMicros: BigInt(Math.round(view.ttlSeconds * 1e6)), rows: renamed,
    timestampColumn: view.batchSource.timestampField, ...(view.batchSource.createdTimestampColumn ? { createdColumn: view.batchSource.createdTimestampColumn } : {}),
  };
}

/** Every requested column of every row equals one acceptable oracle value (floats to 1e-9). */
function expectOracle(result: Awaited<ReturnType<ReturnType<FeatureStore['getHistoricalFeatures']>['toArrow']>>, expected: ReturnType<typeof pointInTimeOracle>, columns: string[]) {
  expect(result.numRows).toBe(expected.length);
  expected.forEach((row, i) => {
    for (const column of columns) {
      const actual = cell(result, column, i);
      const ok = row[column].some((want) => (typeof want === 'number' && typeof actual === 'number' ? Math.abs(want - actual) < 1e-9 : want === actual));
      if (!ok) throw new Error(`row ${i} column ${column}: got ${String(actual)}, expected one of ${row[column].map(String).join(' | ')}`);
    }
  });
}

export function runHistoricalConformance(label: string, createEngine: () => Promise<SqlEngine>): void {
  describe(`historical retrieval conformance on ${label}`, () => {
    let engine: SqlEngine;
    let store: FeatureStore;
    let dir: string;
    beforeAll(async () => {
      engine = await createEngine();
      dir = await mkdtemp(join(tmpdir(), 'feast-edge-conformance-'));
      store = createFeatureStore({ project: 'conformance', registry: new MemoryRegistryStore(), engine: async () => engine, definitions: OBJECTS });
      await store.apply(OBJECTS);
      for (const [name, columns] of Object.entries(SOURCES)) store.registerSourceData(name, table(columns));
    });
    afterAll(async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    });

    const entityRows = rows(ENTITY);
    const get = (features: string[], fullFeatureNames = false, entityDf: Parameters<FeatureStore['getHistoricalFeatures']>[0]['entityDf'] = table(ENTITY)) =>
      store.getHistoricalFeatures({ entityDf, features, fullFeatureNames }).toArrow();

    for (const full of [false, true]) {
      it(`picks the latest row within the ttl, ties by created, nulls when none (fullFeatureNames ${full})`, async () => {
        const result = await get(['driver_stats:conv_rate', 'driver_stats:trips'], full);
        const expected = pointInTimeOracle(entityRows, [oracleView(driverStats, 'driver_src')], { fullFeatureNames: full });
        const cols = full ? ['driver_stats__conv_rate', 'driver_stats__trips'] : ['conv_rate', 'trips'];
        expectOracle(result, expected, ['driver_id', 'event_timestamp', ...cols]);
        // Hand-checked: row 0 (driver 1 at 10:00) -> the 09:00 pair ties; created 10:00 beats 09:00 -> 0.3.
        expect(cell(result, cols[0], 0)).toBe(0.3);
        // Row 1 (09:00:00.000001) -> only rows at or before it: 08:00 (0.1) and the 09:00 pair? 09:00 < 09:00:00.000001 -> 0.3.
        expect(cell(result, cols[0], 1)).toBe(0.3);
        // Row 2 (13:00): latest is 11:00 (0.4), within 2h -> 0.4. Row 5 (driver 3): 30h old, ttl 2h -> null.
        expect(cell(result, cols[0], 2)).toBe(0.4);
        expect(cell(result, cols[0], 5)).toBe(null);
        // Row 6: unknown driver 4 is kept with nulls.
        expect(cell(result, 'driver_id', 6)).toBe(4n);
        expect(cell(result, cols[1], 6)).toBe(null);
      });
    }

    it('includes rows exactly at entity_ts - ttl and exactly at entity_ts', async () => {
      // Driver 2 has rows at 07:00 (0.5) and 10:00 (null). At 09:00, 07:00 is exactly 2h back.
      const result = await get(['driver_stats:conv_rate'], false, [{ driver_id: 2, event_timestamp: '2021-04-12T09:00:00Z' }, { driver_id: 2, event_timestamp: '2021-04-12T09:00:00.000001Z' }, { driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z' }]);
      expect(cell(result, 'conv_rate', 0)).toBe(0.5);
      expect(cell(result, 'conv_rate', 1)).toBe(null);
      // At 10:00 the 10:00 row wins; its value is a stored null.
      expect(cell(result, 'conv_rate', 2)).toBe(null);
    });

    it('treats ttl 0 as unbounded lookback', async () => {
      const result = await get(['driver_trips:trips'], false, [{ driver_id: 3, event_timestamp: '2021-04-20T00:00:00Z' }]);
      // Driver 3's two rows tie on event time; created 28h-before beats 29h-before -> 80.
      expect(cell(result, 'trips', 0)).toBe(80n);
    });

    it('joins composite keys on every join key, and entity-less views on time alone', async () => {
      const result = await get(['order_stats:order_is_success', 'global_stats:num_rides']);
      const expected = pointInTimeOracle(entityRows, [oracleView(orderStats, 'order_src'), oracleView(globalStats, 'global_src')], { fullFeatureNames: false });
      expectOracle(result, expected, ['order_is_success', 'num_rides']);
      expect(cell(result, 'order_is_success', 1)).toBe(0n);
      expect(cell(result, 'num_rides', 0)).toBe(7n);
    });

    it('renames source columns by field mapping, for features and join keys', async () => {
      const result = await get(['mapped:rate']);
      expectOracle(result, pointInTimeOracle(entityRows, [oracleView(mappedView, 'mapped_src')], { fullFeatureNames: false }), ['rate']);
      expect(cell(result, 'rate', 3)).toBe(0.22);
    });

    it('joins one view twice through aliases and join-key maps', async () => {
      const result = await store.getHistoricalFeatures({
        entityDf: [{ origin_id: 7, destination_id: 8, event_timestamp: '2021-04-12T10:00:00Z' }, { origin_id: 8, destination_id: 9, event_timestamp: '2021-04-12T10:00:00Z' }],
        featureService: 'trip_locations', fullFeatureNames: true,
      }).toArrow();
      expect([cell(result, 'origin__temperature', 0), cell(result, 'destination__temperature', 0)]).toEqual([20.5, 30.5]);
      expect([cell(result, 'origin__temperature', 1), cell(result, 'destination__temperature', 1)]).toEqual([30.5, null]);
    });

    it('refuses colliding feature names without full names, naming both', async () => {
      await expect(get(['driver_stats:trips', 'driver_trips:trips'])).rejects.toMatchObject({ name: 'FeatureNameCollisionError', message: expect.stringContaining('driver_trips:trips') });
      const both = await get(['driver_stats:trips', 'driver_trips:trips'], true);
      expect(both.schema.fields.map((f) => f.name)).toContain('driver_trips__trips');
    });

    it('serves a feature service with a subset projection and an on-demand view with request data', async () => {
      const result = await store.getHistoricalFeatures({
        entityDf: [{ driver_id: 1, customer_id: 100, val_to_add: 1, event_timestamp: '2021-04-12T10:00:00Z' }, { driver_id: 4, customer_id: 200, val_to_add: 2, event_timestamp: '2021-04-12T10:00:00Z' }],
        featureService: 'trips_service',
      }).toArrow();
      expect(result.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'customer_id', 'val_to_add', 'event_timestamp', 'conv_rate', 'balance', 'conv_rate_plus_val']);
      expect(cell(result, 'conv_rate_plus_val', 0)).toBeCloseTo(1.3, 12);
      expect(cell(result, 'conv_rate_plus_val', 1)).toBe(null);
      // Customer 100's row at 47h back is inside the 2d ttl; 200's is 48h back: exactly at the bound.
      expect(cell(result, 'balance', 0)).toBe(1.5);
      expect(cell(result, 'balance', 1)).toBe(3.5);
    });

    it('names a missing request column', async () => {
      await expect(store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }], features: ['conv_plus:conv_rate_plus_val'] }).toArrow())
        .rejects.toMatchObject({ name: 'RequestDataNotFoundInEntityDfException', message: expect.stringContaining('val_to_add') });
    });

    it('names unknown views and features with the valid choices', async () => {
      await expect(get(['nope:conv_rate'])).rejects.toMatchObject({ name: 'FeatureViewNotFoundException', message: expect.stringContaining('driver_stats') });
      await expect(get(['driver_stats:nope'])).rejects.toMatchObject({ name: 'FeatureNotFoundException', message: expect.stringContaining('conv_rate') });
      await expect(get(['customer_profile:balance'], false, [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }]))
        .rejects.toMatchObject({ name: 'FeastEntityDFMissingColumnsError', message: expect.stringContaining('customer_id') });
    });

    it('keeps duplicate entity rows, reads zoned and naive timestamps as UTC, and keeps microseconds', async () => {
      const result = await get(['driver_stats:conv_rate'], false, [
        { driver_id: 1, event_timestamp: '2021-04-12T11:00:00.123456+01:00' },
        { driver_id: 1, event_timestamp: '2021-04-12 10:00:00.123456' },
        { driver_id: 1, event_timestamp: '2021-04-12T10:00:00.123456Z' },
      ]);
      expect(result.numRows).toBe(3);
      for (let i = 0; i < 3; i++) expect(cell(result, 'event_timestamp', i)).toBe(BASE + 123456n);
      expect([0, 1, 2].map((i) => cell(result, 'conv_rate', i))).toEqual([0.3, 0.3, 0.3]);
    });

    it('accepts the entity dataframe as rows, Arrow, CSV, Parquet and SQL with the same answer', async () => {
      const expected = await get(['driver_stats:conv_rate']);
      // Written with an explicit +00:00 offset at second precision: row 1 (09:00:00.000001) reads as
      // 09:00:00, still at or after the 09:00 rows, so the answers match.
      const iso = (micros: bigint) => `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}+00:00`;
      const csv = ['driver_id,customer_id,event_timestamp', ...rows(ENTITY).map((r) => `${r.driver_id},${r.customer_id},${iso(r.event_timestamp as bigint)}`)].join('\n');
      await writeFile(join(dir, 'entity.csv'), csv);
      const parquet = await engine.export(`SELECT * FROM (VALUES ${rows(ENTITY).map((r) => `(${r.driver_id}::BIGINT, ${r.customer_id}::BIGINT, make_timestamp(${r.event_timestamp}::BIGINT))`).join(', ')}) t(driver_id, customer_id, event_timestamp)`, 'parquet');
      await writeFile(join(dir, 'entity.parquet'), parquet);
      const rowsInput = rows(ENTITY).map((r) => ({ ...r, event_timestamp: new Date(Number((r.event_timestamp as bigint) / 1000n)) }));
      const sql = `SELECT * FROM (VALUES ${rows(ENTITY).map((r) => `(${r.driver_id}::BIGINT, make_timestamp(${r.event_timestamp}::BIGINT))`).join(', ')}) t(driver_id, event_timestamp)`;
      const variants = {
        csv: await get(['driver_stats:conv_rate'], false, { path: join(dir, 'entity.csv') }),
        parquet: await get(['driver_stats:conv_rate'], false, { path: join(dir, 'entity.parquet') }),
        bytes: await get(['driver_stats:conv_rate'], false, { bytes: parquet, format: 'parquet' }),
        sql: await get(['driver_stats:conv_rate'], false, { sql }),
      };
      const want = Array.from({ length: expected.numRows }, (_, i) => cell(expected, 'conv_rate', i));
      // Date rows drop row 1's microsecond the same way.
      const withDates = { ...variants, dates: await get(['driver_stats:conv_rate'], false, rowsInput) };
      for (const [name, result] of Object.entries(withDates)) {
        expect(Array.from({ length: result.numRows }, (_, i) => cell(result, 'conv_rate', i)), name).toEqual(want);
      }
    });

    it('filterByCreatedTimestamp excludes rows created after the entity time, and null created', async () => {
      const result = await store.getHistoricalFeatures({
        entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T09:30:00Z' }, { driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z' }, { driver_id: 3, event_timestamp: '2021-04-11T05:00:00Z' }],
        features: ['driver_stats:conv_rate'], filterByCreatedTimestamp: true,
      }).toArrow();
      // Driver 1 at 09:30: 09:00 rows created 09:00 (0.2) and 10:00 (future); 08:00 row created 10:00 (future) -> 0.2.
      expect(cell(result, 'conv_rate', 0)).toBe(0.2);
      // Driver 2 at 10:00: 10:00 row created 15:00 (future); 07:00 row has null created -> excluded -> null, row kept.
      expect(cell(result, 'conv_rate', 1)).toBe(null);
      expect(cell(result, 'driver_id', 1)).toBe(2n);
      // Driver 3 at 04-11 05:00 = BASE - 29h: only the row created at BASE - 29h qualifies -> 0.7.
      expect(cell(result, 'conv_rate', 2)).toBe(0.7);
      const oracle = pointInTimeOracle([
        { driver_id: 1n, event_timestamp: BASE - H / 2n }, { driver_id: 2n, event_timestamp: BASE }, { driver_id: 3n, event_timestamp: BASE - 29n * H },
      ], [oracleView(driverStats, 'driver_src')], { fullFeatureNames: false, filterByCreatedTimestamp: true });
      expectOracle(result, oracle, ['conv_rate']);
    });

    it('keeps strings exactly and writes CSV and Parquet that read back equal', async () => {
      const job = store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00.000001Z' }], features: ['driver_text:label', 'driver_stats:trips'] });
      const result = await job.toArrow();
      expect(cell(result, 'label', 0)).toBe('ünïcode, "quoted"');
      const text = new TextDecoder().decode(await job.toCSV());
      expect(text.split('\n')[0]).toBe('driver_id,event_timestamp,label,trips');
      expect(text.split('\n')[1]).toBe('1,2021-04-12 10:00:00.000001,"ünïcode, ""quoted""",30');
      await engine.registerBytes('readback', await job.toParquet(), 'parquet');
      const back = await engine.query('SELECT * FROM readback');
      expect(cell(back, 'event_timestamp', 0)).toBe(BASE + 1n);
      expect(cell(back, 'label', 0)).toBe('ünïcode, "quoted"');
      await engine.unregister('readback');
    });

    it('persists a saved dataset whose rows read back equal to the job result', async () => {
      const job = store.getHistoricalFeatures({ entityDf: table(ENTITY), features: ['driver_stats:conv_rate', 'order_stats:order_is_success'] });
      const result = await job.toArrow();
      const saved = await job.persist(`ds_${label.replace(/\W/g, '_')}`);
      expect(saved).toMatchObject({ rowCount: 8, features: ['driver_stats:conv_rate', 'order_stats:order_is_success'], joinKeys: ['driver_id', 'customer_id'] });
      expect((await store.listSavedDatasets()).map((d) => d.name)).toContain(saved.name);
      const back = await store.readSavedDataset(saved.name);
      for (const column of ['driver_id', 'event_timestamp', 'conv_rate', 'order_is_success']) {
        for (let i = 0; i < result.numRows; i++) expect(cell(back, column, i)).toEqual(cell(result, column, i));
      }
      await expect(job.persist(saved.name)).rejects.toMatchObject({ name: 'SavedDatasetExistsError' });
    });
  });
}
