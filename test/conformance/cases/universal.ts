import { it } from 'vitest';
import { featureService, featureView, field, fileSource, Float64, Int64, projection } from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { BASE, D, H, MIN, rng, rows, SEC, table, type Columns } from '../fixtures.js';
import { customer, driver, expectAsOracle, location, type Harness } from '../harness.js';

/**
 * Feast's universal historical-retrieval fixture, re-created on seeded random data:
 * drivers (ttl 2h, created timestamps), customers (2d), a composite order view (2d), an
 * entity-less global view (2d), a field-mapped view, and a location view joined twice;
 * source zones mixed, exact duplicate source rows, entity rows placed exactly on bounds.
 */
const random = rng(20210412);
const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const drivers = Array.from({ length: 10 }, (_, i) => BigInt(5001 + i));
const customers = Array.from({ length: 10 }, (_, i) => BigInt(1001 + i));
const locations = [1n, 2n, 3n, 4n];
/** A time in [BASE - 3d, BASE + 1d] on a 10-minute grid, so times coincide across rows. */
const when = () => BASE - 3n * D + BigInt(int(0, 4 * 24 * 6)) * 10n * MIN;
const maybe = <T>(value: T, nullRate = 0.08) => (random() < nullRate ? null : value);

function columns<K extends string>(n: number, make: () => Record<K, unknown>, duplicates: number): Record<K, unknown[]> {
  const list = Array.from({ length: n }, make);
  for (let i = 0; i < duplicates; i++) list.push({ ...pick(list) });
  const out = {} as Record<K, unknown[]>;
  for (const key of Object.keys(list[0]) as K[]) out[key] = list.map((r) => r[key]);
  return out;
}

const driverRaw = columns(
  160,
  () => {
    const ts = when();
    return {
      driver_id: pick(drivers),
      event_timestamp: ts,
      created: random() < 0.5 ? ts : ts + BigInt(int(0, 3)) * 30n * MIN,
      conv_rate: maybe(Math.round(random() * 1000) / 1000),
      acc_rate: maybe(random()),
      avg_daily_trips: maybe(BigInt(int(0, 50))),
    };
  },
  12,
);
const driverData: Columns = {
  driver_id: { kind: 'int64', values: driverRaw.driver_id as bigint[] },
  event_timestamp: { kind: 'ts', values: driverRaw.event_timestamp as bigint[], tz: 'UTC' },
  created: { kind: 'ts', values: driverRaw.created as bigint[] },
  conv_rate: { kind: 'float64', values: driverRaw.conv_rate as (number | null)[] },
  acc_rate: { kind: 'float64', values: driverRaw.acc_rate as (number | null)[] },
  avg_daily_trips: { kind: 'int64', values: driverRaw.avg_daily_trips as (bigint | null)[] },
};
const customerRaw = columns(
  120,
  () => ({
    customer_id: pick(customers),
    event_timestamp: when(),
    current_balance: maybe(random() * 100),
    avg_passenger_count: maybe(random() * 4),
    lifetime_trip_count: maybe(BigInt(int(0, 500))),
  }),
  8,
);
const customerData: Columns = {
  customer_id: { kind: 'int64', values: customerRaw.customer_id as bigint[] },
  event_timestamp: { kind: 'ts', values: customerRaw.event_timestamp as bigint[], tz: 'America/Los_Angeles' },
  current_balance: { kind: 'float64', values: customerRaw.current_balance as (number | null)[] },
  avg_passenger_count: { kind: 'float64', values: customerRaw.avg_passenger_count as (number | null)[] },
  lifetime_trip_count: { kind: 'int64', values: customerRaw.lifetime_trip_count as (bigint | null)[] },
};
const orderRaw = columns(
  200,
  () => ({
    driver_id: pick(drivers.slice(0, 4)),
    customer_id: pick(customers.slice(0, 4)),
    event_timestamp: when(),
    order_is_success: maybe(BigInt(int(0, 1))),
  }),
  10,
);
const orderData: Columns = {
  driver_id: { kind: 'int64', values: orderRaw.driver_id as bigint[] },
  customer_id: { kind: 'int64', values: orderRaw.customer_id as bigint[] },
  event_timestamp: { kind: 'ts', values: orderRaw.event_timestamp as bigint[], tz: '+01:00' },
  order_is_success: { kind: 'int64', values: orderRaw.order_is_success as (bigint | null)[] },
};
const globalRaw = columns(25, () => ({ event_timestamp: when(), num_rides: maybe(BigInt(int(0, 1000))), avg_ride_length: maybe(random() * 30) }), 3);
const globalData: Columns = {
  event_timestamp: { kind: 'ts', values: globalRaw.event_timestamp as bigint[] },
  num_rides: { kind: 'int64', values: globalRaw.num_rides as (bigint | null)[] },
  avg_ride_length: { kind: 'float64', values: globalRaw.avg_ride_length as (number | null)[] },
};
const mappedRaw = columns(80, () => ({ id: pick(drivers), ts: when(), column_name: maybe(BigInt(int(0, 9))) }), 5);
const mappedData: Columns = {
  id: { kind: 'int64', values: mappedRaw.id as bigint[] },
  ts: { kind: 'ts', values: mappedRaw.ts as bigint[], unit: 'ms' },
  column_name: { kind: 'int64', values: mappedRaw.column_name as (bigint | null)[] },
};
const locationRaw = columns(40, () => ({ location_id: pick(locations), event_timestamp: when(), temperature: maybe(Math.round(random() * 400) / 10) }), 3);
const locationData: Columns = {
  location_id: { kind: 'int64', values: locationRaw.location_id as bigint[] },
  event_timestamp: { kind: 'ts', values: locationRaw.event_timestamp as bigint[] },
  temperature: { kind: 'float64', values: locationRaw.temperature as (number | null)[] },
};

const sources = {
  driver_src: fileSource({ name: 'u_driver_src', path: 'driver.parquet', createdTimestampColumn: 'created' }),
  customer_src: fileSource({ name: 'u_customer_src', path: 'customer.parquet' }),
  order_src: fileSource({ name: 'u_order_src', path: 'order.parquet' }),
  global_src: fileSource({ name: 'u_global_src', path: 'global.parquet' }),
  mapped_src: fileSource({
    name: 'u_mapped_src',
    path: 'mapped.parquet',
    timestampField: 'ts',
    fieldMapping: { id: 'driver_id', column_name: 'feature_name' },
  }),
  location_src: fileSource({ name: 'u_location_src', path: 'location.parquet' }),
};
const views = [
  featureView({
    name: 'driver_stats',
    entities: [driver],
    ttl: '2h',
    source: sources.driver_src,
    schema: [field('conv_rate', Float64), field('acc_rate', Float64), field('avg_daily_trips', Int64)],
  }),
  featureView({
    name: 'customer_profile',
    entities: [customer],
    ttl: '2d',
    source: sources.customer_src,
    schema: [field('current_balance', Float64), field('avg_passenger_count', Float64), field('lifetime_trip_count', Int64)],
  }),
  featureView({ name: 'order', entities: [driver, customer], ttl: '2d', source: sources.order_src, schema: [field('order_is_success', Int64)] }),
  featureView({ name: 'global_stats', ttl: '2d', source: sources.global_src, schema: [field('num_rides', Int64), field('avg_ride_length', Float64)] }),
  featureView({ name: 'field_mapping', entities: [driver], ttl: '2d', source: sources.mapped_src, schema: [field('feature_name', Int64)] }),
  featureView({ name: 'location_stats', entities: [location], ttl: 0, source: sources.location_src, schema: [field('temperature', Float64)] }),
];
const locationService = featureService({
  name: 'trips',
  features: [
    projection(views[0], { features: ['conv_rate'] }),
    projection(views[5], { alias: 'origin', joinKeyMap: { location_id: 'origin_id' } }),
    projection(views[5], { alias: 'destination', joinKeyMap: { location_id: 'destination_id' } }),
  ],
});

const oracleSource = (data: Columns, extra: { timestampField?: string; createdTimestampColumn?: string; fieldMapping?: Record<string, string> } = {}) => ({
  rows: rows(data),
  timestampField: extra.timestampField ?? 'event_timestamp',
  ...extra,
});
const projections: Record<string, OracleProjection> = {
  driver_stats: {
    view: 'driver_stats',
    joinKeys: ['driver_id'],
    features: ['conv_rate', 'acc_rate', 'avg_daily_trips'],
    ttl: 2n * H,
    source: oracleSource(driverData, { createdTimestampColumn: 'created' }),
  },
  customer_profile: {
    view: 'customer_profile',
    joinKeys: ['customer_id'],
    features: ['current_balance', 'avg_passenger_count', 'lifetime_trip_count'],
    ttl: 2n * D,
    source: oracleSource(customerData),
  },
  order: { view: 'order', joinKeys: ['driver_id', 'customer_id'], features: ['order_is_success'], ttl: 2n * D, source: oracleSource(orderData) },
  global_stats: { view: 'global_stats', joinKeys: [], features: ['num_rides', 'avg_ride_length'], ttl: 2n * D, source: oracleSource(globalData) },
  field_mapping: {
    view: 'field_mapping',
    joinKeys: ['driver_id'],
    features: ['feature_name'],
    ttl: 2n * D,
    source: oracleSource(mappedData, { timestampField: 'ts', fieldMapping: { id: 'driver_id', column_name: 'feature_name' } }),
  },
};

/** Entity rows: random, plus rows exactly at a source row's time and exactly ttl after it. */
function entityColumns(): Columns {
  const list: { driver_id: bigint; customer_id: bigint; origin_id: bigint; destination_id: bigint; event_timestamp: bigint }[] = [];
  const extra = [...drivers, 5099n];
  for (let i = 0; i < 90; i++) {
    list.push({
      driver_id: pick(extra),
      customer_id: pick([...customers, 1099n]),
      origin_id: pick(locations),
      destination_id: pick(locations),
      event_timestamp: BASE - 2n * D + BigInt(int(0, 3 * 24 * 3600)) * SEC,
    });
  }
  for (let i = 0; i < 30; i++) {
    const r = int(0, driverData.driver_id.values.length - 1);
    const ts = driverData.event_timestamp.values[r] as bigint;
    list.push({
      driver_id: driverData.driver_id.values[r] as bigint,
      customer_id: pick(customers),
      origin_id: pick(locations),
      destination_id: pick(locations),
      event_timestamp: i % 3 === 0 ? ts : i % 3 === 1 ? ts + 2n * H : ts + 2n * H + 1n,
    });
  }
  for (let i = 0; i < 10; i++) {
    const r = int(0, orderData.driver_id.values.length - 1);
    list.push({
      driver_id: orderData.driver_id.values[r] as bigint,
      customer_id: orderData.customer_id.values[r] as bigint,
      origin_id: 1n,
      destination_id: 2n,
      event_timestamp: (orderData.event_timestamp.values[r] as bigint) + (i % 2 === 0 ? 2n * D : 0n),
    });
  }
  list.push(list[0], list[1], list[0]);
  return {
    driver_id: { kind: 'int64', values: list.map((r) => r.driver_id) },
    customer_id: { kind: 'int64', values: list.map((r) => r.customer_id) },
    origin_id: { kind: 'int64', values: list.map((r) => r.origin_id) },
    destination_id: { kind: 'int64', values: list.map((r) => r.destination_id) },
    event_timestamp: { kind: 'ts', values: list.map((r) => r.event_timestamp) },
  };
}
const entity = entityColumns();

export function universalCases(h: Harness): void {
  const store = () =>
    h.store([driver, customer, location, ...views, locationService], {
      u_driver_src: table(driverData),
      u_customer_src: table(customerData),
      u_order_src: table(orderData),
      u_global_src: table(globalData),
      u_mapped_src: table(mappedData),
      u_location_src: table(locationData),
    });

  for (const fullFeatureNames of [false, true]) {
    it(`equals the oracle on Feast's universal fixture, every view in one request (fullFeatureNames ${fullFeatureNames})`, async () => {
      const s = await store();
      const features = Object.values(projections).flatMap((p) => p.features.map((f) => `${p.view}:${f}`));
      const result = await s.getHistoricalFeatures({ entityDf: table(entity), features, fullFeatureNames }).toArrow();
      expectAsOracle(result, { entityRows: rows(entity), projections: Object.values(projections), fullFeatureNames });
    });
  }

  it('equals the oracle on the universal fixture through a feature service joining location twice', async () => {
    const s = await store();
    const result = await s.getHistoricalFeatures({ entityDf: table(entity), featureService: 'trips', fullFeatureNames: true }).toArrow();
    const location: OracleProjection = {
      view: 'location_stats',
      joinKeys: ['location_id'],
      features: ['temperature'],
      ttl: 0n,
      source: oracleSource(locationData),
    };
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: true,
      projections: [
        { ...projections.driver_stats, features: ['conv_rate'] },
        { ...location, alias: 'origin', joinKeyMap: { location_id: 'origin_id' } },
        { ...location, alias: 'destination', joinKeyMap: { location_id: 'destination_id' } },
      ],
    });
  });
}
