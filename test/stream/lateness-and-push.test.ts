import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featureView, field, Float64, Int64, streamFeatureView } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { decodeState, encodeState } from '../../src/stream/tile-codec.js';
import { at, driver, iso, streamStore, tripsPush } from './fixtures.js';

const view = streamFeatureView({
  name: 'trips',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64)],
  allowedLateness: '10m',
  aggregations: [
    { column: 'fare', fn: 'sum', window: '1h' },
    { column: 'trips', fn: 'last', window: '1h' },
  ],
});
const event = (seconds: number, fare: number, id = 1) => ({ driver_id: id, event_timestamp: iso(at(seconds)), fare, trips: seconds });

describe('late events', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('applies an event within the allowed lateness, counts a later one, and keeps both offline', async () => {
    const store = await streamStore(engine, [driver, tripsPush, view]);
    // The watermark reaches +1600 s; +1000 s is exactly 10 minutes behind it (allowed), +999 s is not.
    const first = await store.ingest('trips', [event(1000, 1), event(1600, 2)]);
    expect(first).toMatchObject({ applied: 2, late: 0 });
    const second = await store.ingest('trips', [event(1000, 4), event(999, 8), event(500, 16, 2)]);
    // Driver 2 has no watermark yet: its first event is never late.
    expect(second).toEqual({ events: 3, applied: 2, late: 1, lateByView: { trips: 1 }, batches: 1 });
    const T = at(1700);
    const online = (await store.getOnlineFeatures({ features: ['trips:sum_fare_1h'], entityRows: { driver_id: [1, 2] }, now: T })).toDict();
    expect(online.sum_fare_1h).toEqual([1 + 2 + 4, 16]);
    // Historical retrieval reads the offline store, which has the late event too.
    const rows = await store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(T) }], features: ['trips:sum_fare_1h'] }).toRows();
    expect(rows[0].sum_fare_1h).toBe(1 + 2 + 4 + 8);
  });

  it('refuses a batch with a bad event whole, naming column, row and batch; earlier batches of an iterable stay, of an array none', async () => {
    const store = await streamStore(engine, [driver, tripsPush, view]);
    const events = [event(10, 1), event(20, 2), { driver_id: 1, event_timestamp: 'soon', fare: 3, trips: 1 }];
    const sums = async () =>
      (await store.getOnlineFeatures({ features: ['trips:sum_fare_1h'], entityRows: [{ driver_id: 1 }], now: at(30) })).toDict().sum_fare_1h;
    // An array is checked whole before its first batch is written.
    await expect(store.ingest('trips', events, { batchSize: 2 })).rejects.toThrow(
      /event_timestamp\[0\].*batch 2: events 2 to 2 of the stream; nothing was written/,
    );
    expect(await sums()).toEqual([null]);
    // An iterable is read as it comes: the first batch was written before the second was read.
    await expect(store.ingest('trips', events.values(), { batchSize: 2 })).rejects.toThrow(/event_timestamp\[0\].*batch 2: events 2 to 2/);
    expect(await sums()).toEqual([3]);
    await expect(store.ingest('trips', [{ event_timestamp: iso(at(25)), fare: 1, trips: 1 }])).rejects.toThrow(/missing columns 'driver_id'/);
    await expect(store.ingest('trips', [{ driver_id: null, event_timestamp: iso(at(25)), fare: 1, trips: 1 }])).rejects.toThrow(/driver_id\[0\] is empty/);
    await expect(store.ingest('trips', [{ driver_id: 1, event_timestamp: iso(at(25)), fare: 'x', trips: 1 }])).rejects.toThrow(/fare\[0\]: expected a number/);
    expect(await sums()).toEqual([3]);
    const rows = await store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(at(30)) }], features: ['trips:sum_fare_1h'] }).toRows();
    expect(rows[0].sum_fare_1h).toBe(3);
  });

  it('reads events from a ReadableStream and an async iterable, reporting progress per batch', async () => {
    const store = await streamStore(engine, [driver, tripsPush, view]);
    const progress: number[] = [];
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(event(i, 1));
        c.close();
      },
    });
    expect(await store.ingest('trips', stream, { batchSize: 2, onProgress: (p) => progress.push(p.events) })).toMatchObject({ events: 5, batches: 3 });
    expect(progress).toEqual([2, 4, 5]);
    async function* more() {
      yield event(10, 10);
    }
    await store.ingest('trips', more());
    expect((await store.getOnlineFeatures({ features: ['trips:sum_fare_1h'], entityRows: [{ driver_id: 1 }], now: at(20) })).toDict().sum_fare_1h).toEqual([
      15,
    ]);
  });
});

describe('push and HTTP /push to a source read by stream views', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('keeps the history by default, skips it only when asked, and feeds batch views of the same source', async () => {
    const latest = featureView({ name: 'latest', entities: [driver], source: tripsPush, schema: [field('fare', Float64)] });
    const store = await streamStore(engine, [driver, tripsPush, view, latest]);
    const result = await store.push('trips_push', [event(100, 5), event(110, 7)]);
    expect(result).toEqual({ events: 2, applied: 2, late: 0, lateByView: { trips: 0 } });
    await store.push('trips_push', [event(120, 100)], { to: 'online' });
    const T = at(200);
    const online = (await store.getOnlineFeatures({ features: ['trips:sum_fare_1h', 'latest:fare'], entityRows: [{ driver_id: 1 }], now: T })).toDict();
    expect(online).toEqual({ driver_id: [1], sum_fare_1h: [112], fare: [100] });
    const rows = await store
      .getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: iso(T) }], features: ['trips:sum_fare_1h', 'latest:fare'] })
      .toRows();
    expect([rows[0].sum_fare_1h, rows[0].fare]).toEqual([12, 7]);

    const app = createFeatureServer(store);
    const response = await app.request('/push', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        push_source_name: 'trips_push',
        df: { driver_id: [1, 1], event_timestamp: ['2021-04-12T10:02:30Z', '2021-04-12T09:00:00Z'], fare: [1, 1], trips: [1, 1] },
      }),
    });
    // Feast's answer (200, no body); what the stream views made of the push is in a header.
    expect([response.status, await response.text()]).toEqual([200, '']);
    // 09:00 is an hour behind the newest event (10:02:30): late, written offline only.
    expect(JSON.parse(response.headers.get('x-feast-edge-push')!)).toEqual({ events: 2, applied: 1, late: 1, late_by_view: { trips: 1 } });
  });
});

describe('tile state in the LMDB store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-stream-lmdb-'));
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips the tile records and serves the same windows after reopening', async () => {
    const path = join(dir, 'online.lmdb');
    const first = await streamStore(engine, [driver, tripsPush, view], new LmdbOnlineStore(path));
    await first.ingest('trips', [event(100, 1.5), event(200, 2.5), event(150, 4, 2)]);
    const read = async (store: typeof first) =>
      (await store.getOnlineFeatures({ features: ['trips:sum_fare_1h', 'trips:last_trips_1h'], entityRows: { driver_id: [1, 2, 3] }, now: at(300) })).toWire();
    const before = await read(first);
    await first.onlineStore.close();
    const reopened = new LmdbOnlineStore(path);
    const { createFeatureStore } = await import('../../src/store/feature-store.js');
    const again = createFeatureStore({ project: first.project, registry: first.registry.store, onlineStore: reopened });
    const after = await read(again);
    expect(after).toEqual(before);
    expect(after.results[1].values).toEqual([4, 4, null]);
    expect(after.results[2].values).toEqual([200, 150, null]);
    await reopened.close();
  });

  it('encodes int64, float, string and timestamp tiles losslessly', () => {
    const state = {
      watermark: at(100),
      groups: new Map([
        [
          'trips\u000060',
          {
            column: 'trips',
            slideSeconds: 60,
            tiles: new Map([[26970362, { count: 2, sum: 2n ** 40n, min: 1n, max: 2n ** 40n - 1n, lastTime: at(100), last: 5n }]]),
          },
        ],
      ]),
    };
    const decoded = decodeState(encodeState(state), view);
    expect(decoded.watermark).toBe(at(100));
    expect(decoded.groups.get('trips\u000060')?.tiles.get(26970362)).toEqual({
      count: 2,
      sum: 2n ** 40n,
      min: 1n,
      max: 2n ** 40n - 1n,
      lastTime: at(100),
      last: 5n,
    });
  });
});
