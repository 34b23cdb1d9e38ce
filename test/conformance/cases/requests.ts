import { expect, it } from 'vitest';
import {
  featureService,
  featureView,
  field,
  fileSource,
  Float64,
  Int64,
  onDemandFeatureView,
  projection,
  requestSource,
} from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { BASE, H, micros, rows, table, type Columns } from '../fixtures.js';
import { driver, expectAsOracle, expectColumns, location, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

const locationSrc = fileSource({ name: 'location_src', path: 'location.parquet' });
const locationStats = featureView({ name: 'location_stats', entities: [location], ttl: '1d', source: locationSrc, schema: [field('temperature', Float64)] });
const tripLocations = featureService({
  name: 'trip_locations',
  features: [
    projection(locationStats, { alias: 'origin', joinKeyMap: { location_id: 'origin_id' } }),
    projection(locationStats, { alias: 'destination', joinKeyMap: { location_id: 'destination_id' } }),
  ],
});
const locationColumns: Columns = {
  location_id: { kind: 'int64', values: [7n, 8n, 8n, 9n] },
  event_timestamp: { kind: 'ts', values: [t('09:00:00'), t('08:00:00'), t('09:30:00'), t('11:00:00')] },
  temperature: { kind: 'float64', values: [20.5, 30.5, 31.5, 40.5] },
};

const driverSrc = fileSource({ name: 'driver_src', path: 'driver.parquet', createdTimestampColumn: 'created' });
const driverStats = featureView({
  name: 'driver_stats',
  entities: [driver],
  ttl: '2h',
  source: driverSrc,
  schema: [field('conv_rate', Float64), field('trips', Int64)],
});
const driverTrips = featureView({ name: 'driver_trips', entities: [driver], ttl: 0, source: driverSrc, schema: [field('trips', Int64)] });
const driverColumns: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 2n] },
  event_timestamp: { kind: 'ts', values: [t('08:00:00'), t('09:00:00'), t('09:30:00')] },
  created: { kind: 'ts', values: [t('08:00:00'), t('09:00:00'), t('09:30:00')] },
  conv_rate: { kind: 'float64', values: [0.25, 0.5, null] },
  trips: { kind: 'int64', values: [10n, 20n, 30n] },
};
const valsToAdd = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Float64)] });
const convPlus = onDemandFeatureView({
  name: 'conv_plus',
  sources: [driverStats, valsToAdd],
  schema: [field('conv_rate_plus_val', Float64), field('conv_rate_plus_100', Float64)],
  transform: (r) => ({
    conv_rate_plus_val: r.conv_rate === null ? null : Number(r.conv_rate) + Number(r.val_to_add),
    conv_rate_plus_100: r.conv_rate === null ? null : Number(r.conv_rate) + 100,
  }),
});
// A subset of a view and a subset of an on-demand view's outputs (Feast #6099).
const driverService = featureService({
  name: 'driver_service',
  features: [projection(driverStats, { features: ['conv_rate'] }), projection(convPlus, { features: ['conv_rate_plus_val'] })],
});
const driverOracle: OracleProjection = {
  view: 'driver_stats',
  joinKeys: ['driver_id'],
  features: ['conv_rate'],
  ttl: 2n * H,
  source: { rows: rows(driverColumns), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
};

export function requestCases(h: Harness): void {
  const driverStore = () => h.store([driver, driverStats, driverTrips, valsToAdd, convPlus, driverService], { driver_src: table(driverColumns) });

  it('joins one view twice through aliases and join-key maps, with full feature names', async () => {
    const store = await h.store([location, locationStats, tripLocations], { location_src: table(locationColumns) });
    const entity: Columns = {
      origin_id: { kind: 'int64', values: [7n, 8n, 8n, 9n] },
      destination_id: { kind: 'int64', values: [8n, 7n, 9n, 7n] },
      event_timestamp: { kind: 'ts', values: [BASE, t('09:00:00'), BASE, BASE] },
    };
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), featureService: 'trip_locations', fullFeatureNames: true }).toArrow();
    expect(result.schema.fields.map((f) => f.name)).toEqual([
      'origin_id',
      'destination_id',
      'event_timestamp',
      'origin__temperature',
      'destination__temperature',
    ]);
    expectColumns(result, { origin__temperature: [20.5, 30.5, 31.5, null], destination__temperature: [31.5, 20.5, null, 20.5] });
    const source = { rows: rows(locationColumns), timestampField: 'event_timestamp' };
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: true,
      projections: [
        {
          view: 'location_stats',
          alias: 'origin',
          joinKeys: ['location_id'],
          joinKeyMap: { location_id: 'origin_id' },
          features: ['temperature'],
          ttl: 24n * H,
          source,
        },
        {
          view: 'location_stats',
          alias: 'destination',
          joinKeys: ['location_id'],
          joinKeyMap: { location_id: 'destination_id' },
          features: ['temperature'],
          ttl: 24n * H,
          source,
        },
      ],
    });
  });

  it('refuses two features with one name without full feature names (FeatureNameCollisionError)', async () => {
    const store = await driverStore();
    const entityDf = [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }];
    await expect(store.getHistoricalFeatures({ entityDf, features: ['driver_stats:trips', 'driver_trips:trips'] }).toArrow()).rejects.toMatchObject({
      name: 'FeatureNameCollisionError',
      message: expect.stringContaining('trips'),
    });
    const locations = await h.store([location, locationStats, tripLocations], { location_src: table(locationColumns) });
    await expect(
      locations
        .getHistoricalFeatures({ entityDf: [{ origin_id: 7, destination_id: 8, event_timestamp: '2021-04-12T10:00:00Z' }], featureService: 'trip_locations' })
        .toArrow(),
    ).rejects.toMatchObject({ name: 'FeatureNameCollisionError' });
    const both = await store.getHistoricalFeatures({ entityDf, features: ['driver_stats:trips', 'driver_trips:trips'], fullFeatureNames: true }).toArrow();
    expectColumns(both, { driver_stats__trips: [20n], driver_trips__trips: [20n] });
  });

  for (const fullFeatureNames of [false, true]) {
    // Feast's _validate_feature_refs: a reference given twice collides, by name or by full name.
    it(`refuses the same feature reference twice (fullFeatureNames ${fullFeatureNames})`, async () => {
      const store = await driverStore();
      await expect(
        store
          .getHistoricalFeatures({
            entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }],
            features: ['driver_stats:conv_rate', 'driver_stats:conv_rate'],
            fullFeatureNames,
          })
          .toArrow(),
      ).rejects.toMatchObject({ name: 'FeatureNameCollisionError', message: expect.stringContaining('driver_stats:conv_rate') });
    });
  }

  for (const fullFeatureNames of [false, true]) {
    it(`serves a feature service with a subset projection and an on-demand view fed by request data (fullFeatureNames ${fullFeatureNames})`, async () => {
      const store = await driverStore();
      const entity: Columns = {
        driver_id: { kind: 'int64', values: [1n, 1n, 2n, 3n] },
        val_to_add: { kind: 'float64', values: [1, 2, 3, 4] },
        event_timestamp: { kind: 'ts', values: [BASE, t('08:30:00'), BASE, BASE] },
      };
      const result = await store.getHistoricalFeatures({ entityDf: table(entity), featureService: 'driver_service', fullFeatureNames }).toArrow();
      const [conv, plus] = fullFeatureNames ? ['driver_stats__conv_rate', 'conv_plus__conv_rate_plus_val'] : ['conv_rate', 'conv_rate_plus_val'];
      expect(result.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'val_to_add', 'event_timestamp', conv, plus]);
      expectColumns(result, { [conv]: [0.5, 0.25, null, null], [plus]: [1.5, 2.25, null, null] });
      // The view part equals the oracle; the on-demand part is the transform of the oracle's values.
      const expected = expectAsOracle(result.select(['driver_id', 'val_to_add', 'event_timestamp', conv]), {
        entityRows: rows(entity),
        projections: [driverOracle],
        fullFeatureNames,
      });
      expectColumns(result, { [plus]: expected.rows.map((r) => (r[conv][0] === null ? null : Number(r[conv][0]) + Number(r.val_to_add[0]))) });
      // The service given as an object answers the same.
      const byObject = await store.getHistoricalFeatures({ entityDf: table(entity), featureService: driverService, fullFeatureNames }).toArrow();
      expectColumns(byObject, { [conv]: [0.5, 0.25, null, null], [plus]: [1.5, 2.25, null, null] });
    });
  }

  it('requests an on-demand output alone, without its inputs in the result', async () => {
    const store = await driverStore();
    const result = await store
      .getHistoricalFeatures({
        entityDf: [{ driver_id: 1, val_to_add: 0.5, event_timestamp: '2021-04-12T10:00:00Z' }],
        features: ['conv_plus:conv_rate_plus_100'],
      })
      .toArrow();
    expect(result.schema.fields.map((f) => f.name)).toEqual(['driver_id', 'val_to_add', 'event_timestamp', 'conv_rate_plus_100']);
    expectColumns(result, { conv_rate_plus_100: [100.5] });
  });

  it('names the missing request column (RequestDataNotFoundInEntityDfException)', async () => {
    const store = await driverStore();
    await expect(
      store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }], featureService: 'driver_service' }).toArrow(),
    ).rejects.toMatchObject({ name: 'RequestDataNotFoundInEntityDfException', message: expect.stringContaining('val_to_add') });
  });

  it('names unknown views, features and services with the valid choices', async () => {
    const store = await driverStore();
    const entityDf = [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }];
    const run = (request: { features?: string[]; featureService?: string }) => store.getHistoricalFeatures({ entityDf, ...request }).toArrow();
    await expect(run({ features: ['driver_statz:conv_rate'] })).rejects.toMatchObject({
      name: 'FeatureViewNotFoundException',
      message: expect.stringMatching(/driver_statz[\s\S]*driver_stats|driver_stats[\s\S]*driver_statz/),
    });
    await expect(run({ features: ['driver_stats:conv_rat'] })).rejects.toMatchObject({
      name: 'FeatureNotFoundException',
      message: expect.stringMatching(/conv_rat\b[\s\S]*conv_rate|conv_rate[\s\S]*conv_rat\b/),
    });
    await expect(run({ featureService: 'no_such_service' })).rejects.toMatchObject({
      name: 'FeatureServiceNotFoundException',
      message: expect.stringContaining('driver_service'),
    });
  });

  it('names a join key column the entity dataframe lacks', async () => {
    const store = await h.store([location, locationStats, tripLocations], { location_src: table(locationColumns) });
    await expect(
      store
        .getHistoricalFeatures({
          entityDf: [{ origin_id: 7, event_timestamp: '2021-04-12T10:00:00Z' }],
          featureService: 'trip_locations',
          fullFeatureNames: true,
        })
        .toArrow(),
    ).rejects.toMatchObject({ name: 'FeastEntityDFMissingColumnsError', message: expect.stringContaining('destination_id') });
  });
}
