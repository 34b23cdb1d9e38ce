import { expect, it } from 'vitest';
import { featureView, field, fileSource, Float64, Int64, String as Str } from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { BASE, D, H, micros, rows, table, type Columns } from '../fixtures.js';
import { customer, driver, expectAsOracle, expectColumns, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

// driver_stats (ttl 2h) and driver_lifetime (ttl 0) read one source.
const driverSrc = fileSource({ name: 'driver_src', path: 'driver.parquet', createdTimestampColumn: 'created' });
const driverStats = featureView({
  name: 'driver_stats',
  entities: [driver],
  ttl: '2h',
  source: driverSrc,
  schema: [field('conv_rate', Float64), field('trips', Int64)],
});
const driverLifetime = featureView({ name: 'driver_lifetime', entities: [driver], ttl: 0, source: driverSrc, schema: [field('trips', Int64)] });
const driverColumns: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 1n, 1n, 2n, 3n] },
  event_timestamp: { kind: 'ts', values: [t('07:00:00'), t('08:30:00'), t('09:45:00'), t('10:30:00'), t('05:00:00'), t('09:00:00')] },
  created: { kind: 'ts', values: [t('07:00:00'), t('08:30:00'), t('09:45:00'), t('10:30:00'), t('05:00:00'), t('09:00:00')] },
  conv_rate: { kind: 'float64', values: [0.1, 0.2, 0.3, 0.4, 0.5, null] },
  trips: { kind: 'int64', values: [1n, 2n, 3n, 4n, 5n, 6n] },
};
const driverEntities: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 1n, 2n, 2n, 3n, 4n, 1n] },
  label: { kind: 'string', values: ['now', 'earlier', 'later', 'expired', 'fresh', 'stored-null', 'unknown', 'too-early'] },
  event_timestamp: {
    kind: 'ts',
    values: [t('10:00:00'), t('09:00:00'), t('11:00:00'), t('10:00:00'), t('06:00:00'), t('10:00:00'), t('10:00:00'), t('06:00:00')],
  },
};
const driverOracleSource = { rows: rows(driverColumns), timestampField: 'event_timestamp', createdTimestampColumn: 'created' };
const statsProjection: OracleProjection = {
  view: 'driver_stats',
  joinKeys: ['driver_id'],
  features: ['conv_rate', 'trips'],
  ttl: 2n * H,
  source: driverOracleSource,
};
const lifetimeProjection: OracleProjection = { view: 'driver_lifetime', joinKeys: ['driver_id'], features: ['trips'], ttl: 0n, source: driverOracleSource };

export function joinSemanticsCases(h: Harness): void {
  const driverStore = () => h.store([driver, driverStats, driverLifetime], { driver_src: table(driverColumns) });

  for (const fullFeatureNames of [false, true]) {
    it(`picks the latest row at or before the entity time within the ttl (fullFeatureNames ${fullFeatureNames})`, async () => {
      const store = await driverStore();
      const result = await store
        .getHistoricalFeatures({ entityDf: table(driverEntities), features: ['driver_stats:conv_rate', 'driver_stats:trips'], fullFeatureNames })
        .toArrow();
      expectAsOracle(result, { entityRows: rows(driverEntities), projections: [statsProjection], fullFeatureNames });
      const [conv, trips] = fullFeatureNames ? ['driver_stats__conv_rate', 'driver_stats__trips'] : ['conv_rate', 'trips'];
      expect(result.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'label', 'event_timestamp', conv, trips]);
      expectColumns(result, {
        [conv]: [0.3, 0.2, 0.4, null, 0.5, null, null, null],
        [trips]: [3n, 2n, 4n, null, 5n, 6n, null, null],
      });
    });
  }

  it('keeps the entity row with nulls when every candidate is older than the ttl, or there is none', async () => {
    const store = await driverStore();
    const result = await store.getHistoricalFeatures({ entityDf: table(driverEntities), features: ['driver_stats:trips'] }).toArrow();
    expect(result.numRows).toBe(8);
    // Driver 2's only row before 10:00 is 5h old (ttl 2h); driver 4 has no rows; 06:00 precedes driver 1's rows.
    expectColumns(result, { driver_id: [1n, 1n, 1n, 2n, 2n, 3n, 4n, 1n], trips: [3n, 2n, 4n, null, 5n, 6n, null, null] });
  });

  it('treats ttl 0 as unbounded lookback, and serves two views of one source side by side', async () => {
    const store = await driverStore();
    const entity: Columns = {
      driver_id: { kind: 'int64', values: [2n, 1n, 3n] },
      event_timestamp: { kind: 'ts', values: [t('10:00:00') + 400n * D, t('10:00:00') + 3650n * D, t('10:00:00')] },
    };
    const result = await store
      .getHistoricalFeatures({ entityDf: table(entity), features: ['driver_stats:trips', 'driver_lifetime:trips'], fullFeatureNames: true })
      .toArrow();
    expectAsOracle(result, {
      entityRows: rows(entity),
      projections: [{ ...statsProjection, features: ['trips'] }, lifetimeProjection],
      fullFeatureNames: true,
    });
    expectColumns(result, { driver_stats__trips: [null, null, 6n], driver_lifetime__trips: [5n, 4n, 6n] });
  });

  it('includes rows exactly at entity_ts and exactly at entity_ts - ttl, and none a microsecond outside', async () => {
    const src = fileSource({ name: 'bounds_src', path: 'bounds.parquet' });
    const view = featureView({ name: 'bounds', entities: [driver], ttl: '2h', source: src, schema: [field('value', Float64)] });
    const data: Columns = {
      driver_id: { kind: 'int64', values: [1n, 2n] },
      event_timestamp: { kind: 'ts', values: [t('08:00:00.000001'), t('08:00:00.000001')] },
      value: { kind: 'float64', values: [1.5, 2.5] },
    };
    const store = await h.store([driver, view], { bounds_src: table(data) });
    const entityDf = [
      { driver_id: 1, event_timestamp: '2021-04-12T10:00:00.000001Z' }, // exactly ttl after the row
      { driver_id: 1, event_timestamp: '2021-04-12T10:00:00.000002Z' }, // one microsecond more
      { driver_id: 1, event_timestamp: '2021-04-12T08:00:00.000001Z' }, // exactly at the row
      { driver_id: 1, event_timestamp: '2021-04-12T08:00:00Z' }, // one microsecond before the row
      { driver_id: 2, event_timestamp: '2021-04-12T09:00:00+01:00' }, // 08:00:00Z, before the row
    ];
    const result = await store.getHistoricalFeatures({ entityDf, features: ['bounds:value'] }).toArrow();
    expectColumns(result, { value: [1.5, null, 1.5, null, null] });
    expectAsOracle(result, {
      entityRows: entityDf.map((r) => ({ driver_id: BigInt(r.driver_id), event_timestamp: micros(r.event_timestamp) })),
      projections: [
        { view: 'bounds', joinKeys: ['driver_id'], features: ['value'], ttl: 2n * H, source: { rows: rows(data), timestampField: 'event_timestamp' } },
      ],
      fullFeatureNames: false,
    });
  });

  it('breaks event-time ties by the larger created timestamp; a later event beats a larger created', async () => {
    const src = fileSource({ name: 'tie_src', path: 'tie.parquet', createdTimestampColumn: 'created' });
    const view = featureView({ name: 'ties', entities: [driver], ttl: '1d', source: src, schema: [field('version', Str)] });
    const data: Columns = {
      driver_id: { kind: 'int64', values: [1n, 1n, 1n, 2n, 2n, 3n, 3n] },
      event_timestamp: { kind: 'ts', values: [t('09:00:00'), t('09:00:00'), t('09:00:00'), t('08:00:00'), t('09:00:00'), t('09:00:00'), t('09:00:00')] },
      created: { kind: 'ts', values: [t('09:05:00'), t('09:30:00'), t('09:10:00'), t('12:00:00'), t('09:00:00'), null, t('08:00:00')] },
      version: { kind: 'string', values: ['first', 'correction', 'second', 'old-event-late-created', 'new-event', 'null-created', 'has-created'] },
    };
    const store = await h.store([driver, view], { tie_src: table(data) });
    const entity: Columns = {
      driver_id: { kind: 'int64', values: [1n, 2n, 3n, 2n] },
      event_timestamp: { kind: 'ts', values: [BASE, BASE, BASE, t('08:30:00')] },
    };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features: ['ties:version'] }).toArrow();
    expectColumns(result, { version: ['correction', 'new-event', 'has-created', 'old-event-late-created'] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: false,
      projections: [
        {
          view: 'ties',
          joinKeys: ['driver_id'],
          features: ['version'],
          ttl: D,
          source: { rows: rows(data), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
        },
      ],
    });
  });

  it('joins a composite key on every join key of the view', async () => {
    const src = fileSource({ name: 'order_src', path: 'orders.parquet' });
    const orders = featureView({ name: 'order', entities: [driver, customer], ttl: '2d', source: src, schema: [field('order_is_success', Int64)] });
    const data: Columns = {
      driver_id: { kind: 'int64', values: [1n, 1n, 2n] },
      customer_id: { kind: 'int64', values: [100n, 200n, 100n] },
      event_timestamp: { kind: 'ts', values: [t('09:00:00'), t('09:00:00'), t('08:00:00')] },
      order_is_success: { kind: 'int64', values: [1n, 0n, 1n] },
    };
    const store = await h.store([driver, customer, orders], { order_src: table(data) });
    const entity: Columns = {
      customer_id: { kind: 'int64', values: [100n, 200n, 200n, 100n, 100n] },
      driver_id: { kind: 'int64', values: [1n, 1n, 2n, 2n, 3n] },
      event_timestamp: { kind: 'ts', values: [BASE, BASE, BASE, BASE, BASE] },
    };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features: ['order:order_is_success'] }).toArrow();
    expectColumns(result, { order_is_success: [1n, 0n, null, 1n, null] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: false,
      projections: [
        {
          view: 'order',
          joinKeys: ['driver_id', 'customer_id'],
          features: ['order_is_success'],
          ttl: 2n * D,
          source: { rows: rows(data), timestampField: 'event_timestamp' },
        },
      ],
    });
  });

  it('joins an entity-less view on time alone', async () => {
    const src = fileSource({ name: 'global_src', path: 'global.parquet' });
    const global = featureView({ name: 'global_stats', ttl: '2d', source: src, schema: [field('num_rides', Int64), field('avg_ride_length', Float64)] });
    const data: Columns = {
      event_timestamp: { kind: 'ts', values: [BASE - 3n * D, BASE - H, BASE + H] },
      num_rides: { kind: 'int64', values: [1n, 7n, 9n] },
      avg_ride_length: { kind: 'float64', values: [0.5, 0.7, 0.9] },
    };
    const store = await h.store([global], { global_src: table(data) });
    const entity: Columns = { event_timestamp: { kind: 'ts', values: [BASE, BASE + 2n * H, BASE - 2n * D, BASE - 3n * D - 1n, BASE - D + H] } };
    const result = await store
      .getHistoricalFeatures({ entityDf: table(entity), features: ['global_stats:num_rides', 'global_stats:avg_ride_length'] })
      .toArrow();
    expectColumns(result, { num_rides: [7n, 9n, 1n, null, null], avg_ride_length: [0.7, 0.9, 0.5, null, null] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: false,
      projections: [
        {
          view: 'global_stats',
          joinKeys: [],
          features: ['num_rides', 'avg_ride_length'],
          ttl: 2n * D,
          source: { rows: rows(data), timestampField: 'event_timestamp' },
        },
      ],
    });
    // Beside a keyed view, with entity columns the entity-less view ignores.
    const keyed = await store
      .getHistoricalFeatures({ entityDf: [{ driver_id: 5, event_timestamp: '2021-04-12T10:00:00Z' }], features: ['global_stats:num_rides'] })
      .toArrow();
    expectColumns(keyed, { driver_id: [5n], num_rides: [7n] });
  });

  it('renames source columns by the field mapping, for a feature and for a join key', async () => {
    const src = fileSource({
      name: 'mapped_src',
      path: 'mapped.parquet',
      timestampField: 'ts',
      createdTimestampColumn: 'created_at',
      fieldMapping: { id: 'driver_id', raw_rate: 'rate' },
    });
    const view = featureView({ name: 'field_mapping', entities: [driver], ttl: '1d', source: src, schema: [field('rate', Float64)] });
    const data: Columns = {
      id: { kind: 'int64', values: [1n, 1n, 2n] },
      ts: { kind: 'ts', values: [t('09:00:00'), t('09:00:00'), t('08:00:00')] },
      created_at: { kind: 'ts', values: [t('09:00:00'), t('09:01:00'), t('08:00:00')] },
      raw_rate: { kind: 'float64', values: [0.11, 0.12, 0.22] },
    };
    const store = await h.store([driver, view], { mapped_src: table(data) });
    const entity: Columns = { driver_id: { kind: 'int64', values: [1n, 2n, 3n] }, event_timestamp: { kind: 'ts', values: [BASE, BASE, BASE] } };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features: ['field_mapping:rate'], fullFeatureNames: true }).toArrow();
    expectColumns(result, { field_mapping__rate: [0.12, 0.22, null] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: true,
      projections: [
        {
          view: 'field_mapping',
          joinKeys: ['driver_id'],
          features: ['rate'],
          ttl: D,
          source: { rows: rows(data), timestampField: 'ts', createdTimestampColumn: 'created_at', fieldMapping: { id: 'driver_id', raw_rate: 'rate' } },
        },
      ],
    });
  });

  it('never matches a null join key, on either side', async () => {
    const src = fileSource({ name: 'nullkey_src', path: 'nullkey.parquet' });
    const view = featureView({ name: 'nullkey', entities: [driver], source: src, schema: [field('value', Int64)] });
    const data: Columns = {
      driver_id: { kind: 'int64', values: [null, 1n] },
      event_timestamp: { kind: 'ts', values: [t('09:00:00'), t('08:00:00')] },
      value: { kind: 'int64', values: [99n, 1n] },
    };
    const store = await h.store([driver, view], { nullkey_src: table(data) });
    const entity: Columns = { driver_id: { kind: 'int64', values: [null, 1n, null] }, event_timestamp: { kind: 'ts', values: [BASE, BASE, BASE - 3n * H] } };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features: ['nullkey:value'] }).toArrow();
    expectColumns(result, { driver_id: [null, 1n, null], value: [null, 1n, null] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: false,
      projections: [
        { view: 'nullkey', joinKeys: ['driver_id'], features: ['value'], ttl: 0n, source: { rows: rows(data), timestampField: 'event_timestamp' } },
      ],
    });
  });

  it('never takes a source row with a null event timestamp, and an empty source gives nulls', async () => {
    const src = fileSource({ name: 'nullts_src', path: 'nullts.parquet', createdTimestampColumn: 'created' });
    const unbounded = featureView({ name: 'nullts', entities: [driver], ttl: 0, source: src, schema: [field('value', Int64)] });
    const emptySrc = fileSource({ name: 'empty_src', path: 'empty.parquet' });
    const empty = featureView({ name: 'empty', entities: [driver], ttl: '1h', source: emptySrc, schema: [field('value', Int64)] });
    const data: Columns = {
      driver_id: { kind: 'int64', values: [1n, 1n, 2n] },
      event_timestamp: { kind: 'ts', values: [t('08:00:00'), null, null] },
      created: { kind: 'ts', values: [t('08:00:00'), t('09:00:00'), null] },
      value: { kind: 'int64', values: [1n, 2n, 3n] },
    };
    const emptyData: Columns = { driver_id: { kind: 'int64', values: [] }, event_timestamp: { kind: 'ts', values: [] }, value: { kind: 'int64', values: [] } };
    const store = await h.store([driver, unbounded, empty], { nullts_src: table(data), empty_src: table(emptyData) });
    const entity: Columns = { driver_id: { kind: 'int64', values: [1n, 2n] }, event_timestamp: { kind: 'ts', values: [BASE, BASE] } };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features: ['nullts:value', 'empty:value'], fullFeatureNames: true }).toArrow();
    expectColumns(result, { nullts__value: [1n, null], empty__value: [null, null] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: true,
      projections: [
        {
          view: 'nullts',
          joinKeys: ['driver_id'],
          features: ['value'],
          ttl: 0n,
          source: { rows: rows(data), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
        },
        { view: 'empty', joinKeys: ['driver_id'], features: ['value'], ttl: H, source: { rows: [], timestampField: 'event_timestamp' } },
      ],
    });
  });

  it('keeps an entity row whose timestamp is null, with null features (no candidate is at or before it)', async () => {
    const store = await driverStore();
    const entity: Columns = { driver_id: { kind: 'int64', values: [1n, 1n] }, event_timestamp: { kind: 'ts', values: [null, t('10:00:00')] } };
    const result = await store
      .getHistoricalFeatures({ entityDf: table(entity), features: ['driver_stats:trips', 'driver_lifetime:trips'], fullFeatureNames: true })
      .toArrow();
    expectColumns(result, { driver_stats__trips: [null, 3n], driver_lifetime__trips: [null, 3n] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      projections: [{ ...statsProjection, features: ['trips'] }, lifetimeProjection],
      fullFeatureNames: true,
    });
  });
}
