import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, Float64, Int64, String as Str, streamFeatureView } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import type { FeatureStore } from '../../src/store/feature-store.js';
import { at, driver, iso, streamStore, tripsPush } from './fixtures.js';

// Every expected value below is computed by hand from the rule in the README:
// the value at T covers floor(T/slide)*slide - window + slide <= t <= T.
const fns = ['sum', 'count', 'mean', 'min', 'max', 'last'] as const;
const trips = streamFeatureView({
  name: 'trips',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64)],
  aggregations: [
    ...fns.map((fn) => ({ column: 'fare', fn, window: '1h' })),
    ...fns.map((fn) => ({ column: 'trips', fn, window: '1h' })),
    { column: 'fare', fn: 'count', window: '10m', slide: '5m' },
    { column: 'trips', fn: 'sum', window: '10m', slide: '5m', name: 'recent_trips' },
  ],
});
const features = trips.features.map((f) => `trips:${f.name}`);

// T = 11:00:30. 1h window (slide 60 s): 10:01:00 <= t <= T. 10m window (slide 5m): 10:55:00 <= t <= T.
const T = at(3630);
const E = (seconds: number, fare: number | null, tripsValue: number | null, micros = 0n) => ({
  driver_id: 1,
  event_timestamp: at(seconds, micros),
  fare,
  trips: tripsValue,
});
const driver1 = [
  E(60, 100, 50, -1n), // 1 µs before the 1h window's start: excluded
  E(60, 1, 2), // exactly the 1h window's start: included
  E(1800, null, 3),
  E(1800, 4, 3), // equal times: last trips ties to the greater value (3 = 3)
  E(3300, 8, 4, -1n), // 1 µs before the 10m window's start
  E(3300, 7, null), // exactly the 10m window's start
  E(3630, 10, null),
  E(3630, 5, 1), // at T; last fare ties on time: the greater value, 10
  E(3900, 1000, 7), // 11:05, the tile after T's for both slides: excluded
];
const others = [
  { driver_id: 2, event_timestamp: at(100), fare: null, trips: null }, // only nulls: count 0, the rest null
  { driver_id: 4, event_timestamp: at(-4000), fare: 3, trips: 1 }, // only events before every window
];

const atT = {
  sum_fare_1h: 35,
  count_fare_1h: 6,
  mean_fare_1h: 35 / 6,
  min_fare_1h: 1,
  max_fare_1h: 10,
  last_fare_1h: 10,
  sum_trips_1h: 13,
  count_trips_1h: 5,
  mean_trips_1h: 13 / 5,
  min_trips_1h: 1,
  max_trips_1h: 4,
  last_trips_1h: 1,
  count_fare_10m: 3,
  recent_trips: 1,
};
// 1 µs before T (same tile, same window start): the two events at T drop out.
const justBeforeT = {
  sum_fare_1h: 20,
  count_fare_1h: 4,
  mean_fare_1h: 5,
  min_fare_1h: 1,
  max_fare_1h: 8,
  last_fare_1h: 7,
  sum_trips_1h: 12,
  count_trips_1h: 4,
  mean_trips_1h: 3,
  min_trips_1h: 2,
  max_trips_1h: 4,
  last_trips_1h: 4,
  count_fare_10m: 1,
  recent_trips: null,
};
const empty = {
  sum_fare_1h: null,
  count_fare_1h: 0,
  mean_fare_1h: null,
  min_fare_1h: null,
  max_fare_1h: null,
  last_fare_1h: null,
  sum_trips_1h: null,
  count_trips_1h: 0,
  mean_trips_1h: null,
  min_trips_1h: null,
  max_trips_1h: null,
  last_trips_1h: null,
  count_fare_10m: 0,
  recent_trips: null,
};

describe('stream feature view windows, computed by hand', () => {
  let engine: SqlEngine;
  let store: FeatureStore;
  beforeAll(async () => {
    engine = await createNodeEngine();
    store = await streamStore(engine, [driver, tripsPush, trips]);
    const result = await store.ingest(
      'trips',
      [...driver1, ...others].map((e) => ({ ...e, event_timestamp: iso(e.event_timestamp) })),
    );
    expect(result).toEqual({ events: 11, applied: 11, late: 0, lateByView: { trips: 0 }, batches: 1 });
  });
  afterAll(async () => {
    await engine.close();
  });

  const historical = async (time: bigint, ids = [1, 2, 3, 4]) =>
    store
      .getHistoricalFeatures({
        entityDf: ids.map((driver_id) => ({ driver_id, event_timestamp: iso(time) })),
        features,
      })
      .toRows();

  it('names outputs <fn>_<column>_<window> unless named, and types them', () => {
    expect(trips.features.map((f) => `${f.name}:${f.dtype.kind}`)).toEqual([
      'sum_fare_1h:Float64',
      'count_fare_1h:Int64',
      'mean_fare_1h:Float64',
      'min_fare_1h:Float64',
      'max_fare_1h:Float64',
      'last_fare_1h:Float64',
      'sum_trips_1h:Int64',
      'count_trips_1h:Int64',
      'mean_trips_1h:Float64',
      'min_trips_1h:Int64',
      'max_trips_1h:Int64',
      'last_trips_1h:Int64',
      'count_fare_10m:Int64',
      'recent_trips:Int64',
    ]);
    expect(trips.aggregations.map((a) => a.slideSeconds)).toEqual([...new Array(12).fill(60), 300, 300]);
  });

  it('serves online the windowed values at T: start inclusive, T inclusive, later tiles excluded', async () => {
    const response = await store.getOnlineFeatures({ features, entityRows: { driver_id: [1, 2, 3, 4] }, now: T });
    const dict = response.toDict();
    for (const [name, value] of Object.entries(atT)) expect([name, dict[name][0]]).toEqual([name, value]);
    for (const [name, value] of Object.entries(empty)) {
      expect([name, dict[name][1], dict[name][3]]).toEqual([name, value, value]);
      expect(dict[name][2]).toBeNull();
    }
    const wire = response.toWire();
    const column = (name: string) => wire.results[wire.metadata.feature_names.indexOf(name)];
    // Entity 1 has values; 2 and 4 have state but empty windows (count 0 is PRESENT); 3 never had an event.
    expect(column('count_fare_1h').statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND', 'PRESENT']);
    expect(column('sum_fare_1h').statuses).toEqual(['PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'NULL_VALUE']);
    // The event time is the entity's newest event.
    expect(column('sum_fare_1h').event_timestamps[0]).toBe('2021-04-12T11:05:00Z');
  });

  it('computes the same values historically at T, and 1 µs before T without the events at T', async () => {
    const rows = await historical(T);
    for (const [name, value] of Object.entries(atT)) expect([name, rows[0][name]]).toEqual([name, value]);
    for (const i of [1, 2, 3]) for (const [name, value] of Object.entries(empty)) expect([i, name, rows[i][name]]).toEqual([i, name, value]);
    const before = await historical(T - 1n, [1]);
    for (const [name, value] of Object.entries(justBeforeT)) expect([name, before[0][name]]).toEqual([name, value]);
  });

  it('types historical columns as the view declares them', async () => {
    const table = await store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(T) }], features }).toArrow();
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
    for (const f of trips.features) expect([f.name, types[f.name]]).toEqual([f.name, f.dtype.kind === 'Int64' ? 'Int64' : 'Float64']);
  });

  it('mixes stream views with other references and full feature names in one request', async () => {
    const response = await store.getOnlineFeatures({
      features: ['trips:sum_fare_1h', 'trips:recent_trips'],
      entityRows: [{ driver_id: 1 }],
      now: T,
      fullFeatureNames: true,
    });
    expect(response.toDict()).toEqual({ driver_id: [1], trips__sum_fare_1h: [35], trips__recent_trips: [1] });
    const rows = await store
      .getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(T) }], features: ['trips:sum_fare_1h'], fullFeatureNames: true })
      .toRows();
    expect(rows[0].trips__sum_fare_1h).toBe(35);
  });
});

describe('a stream view with a transform', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('transforms each event before aggregation, online and historically, and records the transform hash', async () => {
    const view = streamFeatureView({
      name: 'fares',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64), field('fare_band', Str), field('doubled', Float64)],
      transform: (row) => ({ doubled: row.fare === null ? null : (row.fare as number) * 2, fare_band: (row.fare as number) > 5 ? 'high' : 'low' }),
      aggregations: [
        { column: 'doubled', fn: 'sum', window: '1h' },
        { column: 'fare_band', fn: 'max', window: '1h' },
        { column: 'fare_band', fn: 'count', window: '1h' },
      ],
    });
    const store = await streamStore(engine, [driver, tripsPush, view]);
    await store.ingest('fares', [
      { driver_id: 1, event_timestamp: iso(at(100)), fare: 2 },
      { driver_id: 1, event_timestamp: iso(at(200)), fare: 6 },
      { driver_id: 1, event_timestamp: iso(at(300)), fare: null },
    ]);
    // doubled: 4 + 12; fare_band: 'low', 'high', and 'low' for the null fare (null > 5 is false).
    const expected = { sum_doubled_1h: 16, max_fare_band_1h: 'low', count_fare_band_1h: 3 };
    const online = (
      await store.getOnlineFeatures({ features: Object.keys(expected).map((f) => `fares:${f}`), entityRows: [{ driver_id: 1 }], now: at(400) })
    ).toDict();
    const rows = await store
      .getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(at(400)) }], features: Object.keys(expected).map((f) => `fares:${f}`) })
      .toRows();
    for (const [name, value] of Object.entries(expected)) {
      expect([name, online[name][0]]).toEqual([name, value]);
      expect([name, rows[0][name]]).toEqual([name, value]);
    }
    const stored = await store.getStreamFeatureView('fares');
    expect(stored.transformHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.transformSource).toContain('doubled');
    expect('transform' in stored).toBe(false);
  });
});
