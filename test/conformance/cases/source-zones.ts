import { it } from 'vitest';
import { featureView, field, fileSource, Float64, Int64, String as Str } from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { BASE, D, H, micros, rows, table, type Columns } from '../fixtures.js';
import { customer, driver, expectAsOracle, expectColumns, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

// Source timestamps in several zones and units; every one names an instant, naive = UTC.
const orderCsvRows: [number, number, string, number][] = [
  [1, 100, '2021-04-12 08:00:00', 1],
  [1, 100, '2021-04-12T10:30:00+01:00', 0],
  [1, 200, '2021-04-12T02:45:00-07:00', 1],
  [2, 100, '2021-04-12T09:59:59.999999Z', 0],
  [2, 200, '2021-04-12T11:00:00+01:00', 1],
  [3, 100, '2021-04-12T03:00:00.000001-07:00', 1],
];
const orderCsv = ['driver_id,customer_id,event_timestamp,order_is_success', ...orderCsvRows.map((r) => r.join(','))].join('\n') + '\n';
const orderSrc = fileSource({ name: 'order_csv_src', path: 'orders.csv' });
const orders = featureView({ name: 'order', entities: [driver, customer], ttl: '2d', source: orderSrc, schema: [field('order_is_success', Int64)] });

const customerSrc = fileSource({ name: 'customer_la_src', path: 'customers.parquet' });
const customers = featureView({ name: 'customer_profile', entities: [customer], ttl: '2d', source: customerSrc, schema: [field('current_balance', Float64)] });
const customerData: Columns = {
  customer_id: { kind: 'int64', values: [100n, 100n, 200n, 300n] },
  event_timestamp: { kind: 'ts', values: [BASE - 47n * H, BASE - 49n * H, BASE - 48n * H, BASE + 1n], tz: 'America/Los_Angeles' },
  current_balance: { kind: 'float64', values: [1.5, 2.5, 3.5, 4.5] },
};

const berlinSrc = fileSource({ name: 'driver_berlin_src', path: 'berlin.parquet', createdTimestampColumn: 'created' });
const berlin = featureView({ name: 'driver_berlin', entities: [driver], ttl: '1h', source: berlinSrc, schema: [field('city', Str)] });
const berlinData: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 2n, 3n] },
  event_timestamp: { kind: 'ts', values: [t('09:00:00.123'), t('09:00:00.123'), t('10:00:00.001'), t('08:59:59.999')], unit: 'ms', tz: 'Europe/Berlin' },
  created: { kind: 'ts', values: [t('09:00:00.000001'), t('09:00:00.000002'), t('10:00:00'), t('09:00:00')], unit: 'ns' },
  city: { kind: 'string', values: ['first', 'second', 'future', 'too-old'] },
};

const globalSrc = fileSource({ name: 'global_ns_src', path: 'global.parquet' });
const global = featureView({ name: 'global_stats', ttl: '1d', source: globalSrc, schema: [field('num_rides', Int64)] });
const globalData: Columns = {
  event_timestamp: { kind: 'ts', values: [t('09:00:00.000001'), t('10:00:00.000001')], unit: 'ns' },
  num_rides: { kind: 'int64', values: [5n, 6n] },
};

const entity: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 2n, 2n, 3n] },
  customer_id: { kind: 'int64', values: [100n, 200n, 100n, 200n, 300n] },
  event_timestamp: { kind: 'ts', values: [BASE, BASE, BASE, BASE, BASE], tz: 'Asia/Tokyo' },
};

function orderOracleRows() {
  const toIso = (s: string) => (s.includes('T') ? s : s.replace(' ', 'T'));
  return orderCsvRows.map(([d, c, ts, ok]) => ({
    driver_id: BigInt(d),
    customer_id: BigInt(c),
    event_timestamp: micros(toIso(ts)),
    order_is_success: BigInt(ok),
  }));
}

export function sourceZoneCases(h: Harness): void {
  it('reads source timestamps in mixed zones and units (naive, Z, +01:00, US-Pacific, ms, ns) as instants', async () => {
    const store = await h.store([driver, customer, orders, customers, berlin, global], {
      order_csv_src: new TextEncoder().encode(orderCsv),
      customer_la_src: table(customerData),
      driver_berlin_src: table(berlinData),
      global_ns_src: table(globalData),
    });
    const features = ['order:order_is_success', 'customer_profile:current_balance', 'driver_berlin:city', 'global_stats:num_rides'];
    const result = await store.getHistoricalFeatures({ entityDf: table(entity), features }).toArrow();
    expectColumns(result, {
      order_is_success: [0n, 1n, 0n, 1n, null],
      current_balance: [1.5, 3.5, 1.5, 3.5, null],
      city: ['second', 'second', null, null, null],
      num_rides: [5n, 5n, 5n, 5n, 5n],
    });
    const projections: OracleProjection[] = [
      {
        view: 'order',
        joinKeys: ['driver_id', 'customer_id'],
        features: ['order_is_success'],
        ttl: 2n * D,
        source: { rows: orderOracleRows(), timestampField: 'event_timestamp' },
      },
      {
        view: 'customer_profile',
        joinKeys: ['customer_id'],
        features: ['current_balance'],
        ttl: 2n * D,
        source: { rows: rows(customerData), timestampField: 'event_timestamp' },
      },
      {
        view: 'driver_berlin',
        joinKeys: ['driver_id'],
        features: ['city'],
        ttl: H,
        source: { rows: rows(berlinData), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
      },
      { view: 'global_stats', joinKeys: [], features: ['num_rides'], ttl: D, source: { rows: rows(globalData), timestampField: 'event_timestamp' } },
    ];
    expectAsOracle(result, { entityRows: rows(entity), projections, fullFeatureNames: false });
  });
}
