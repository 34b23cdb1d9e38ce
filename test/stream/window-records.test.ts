import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, Float64, Int64, streamFeatureView } from '../../src/definitions/index.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import type { OnlineReadResult, OnlineStore } from '../../src/online/online-store.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { at, driver, emptyTrips, iso, streamStore, tripsPush } from './fixtures.js';

// Every expected value is computed by hand from the README's window rule. Window 1m,
// slide 20s: tile j holds [20j, 20j + 20) s after BASE, and a read at T covers T's tile
// and the two before it (a read at a T earlier than the newest event also counts the
// events after T in T's own tile, as the README says).
const view = streamFeatureView({
  name: 'w',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64)],
  allowedLateness: 30,
  aggregations: [
    ...(['sum', 'count', 'mean', 'min', 'max', 'last'] as const).map((fn) => ({ column: 'fare', fn, window: '1m', slide: '20s' })),
    { column: 'trips', fn: 'sum', window: '1m', slide: '20s' },
    { column: 'trips', fn: 'max', window: '1m', slide: '20s' },
  ],
});
const features = view.features.map((f) => `w:${f.name}`);
const E = (seconds: number, fare: number, trips: number) => ({ driver_id: 1, event_timestamp: iso(at(seconds)), fare, trips });
const firstBatch = [E(5, 1.5, 1), E(25, 4, 10), E(30, 0.25, 2), E(45, 2, 3)];

type Expected = [
  sum: number | null,
  count: number,
  mean: number | null,
  min: number | null,
  max: number | null,
  last: number | null,
  trips: number | null,
  maxTrips: number | null,
];
const EMPTY: Expected = [null, 0, null, null, null, null, null, null];
/** After the first batch (newest event at +45 s). */
const afterFirst: [number, Expected][] = [
  [45, [7.75, 4, 7.75 / 4, 0.25, 4, 2, 16, 10]], // tiles 0-2: every event
  [59, [7.75, 4, 7.75 / 4, 0.25, 4, 2, 16, 10]], // still tile 2
  [60, [6.25, 3, 6.25 / 3, 0.25, 4, 2, 15, 10]], // tiles 1-3: +5 s left the window
  [80, [2, 1, 2, 2, 2, 2, 3, 3]], // tiles 2-4: only +45 s
  [100, EMPTY], // tiles 3-5: nothing
  [24, [5.75, 3, 5.75 / 3, 0.25, 4, 0.25, 13, 10]], // before the newest tile: tiles -1 to 1, +25 and +30 s counted
];

async function values(store: FeatureStore, seconds: number): Promise<unknown[]> {
  const dict = (await store.getOnlineFeatures({ features, entityRows: [{ driver_id: 1 }], now: at(seconds) })).toDict();
  return view.features.map((f) => dict[f.name][0]);
}

async function expectWindows(store: FeatureStore, cases: readonly [number, Expected][]): Promise<void> {
  for (const [seconds, expected] of cases) expect([seconds, await values(store, seconds)]).toEqual([seconds, expected]);
}

/** A store that loses the window records: every read merges the tiles. */
class WithoutWindowRecords extends MemoryOnlineStore {
  override async read(project: string, name: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const read = await super.read(project, name, keys, features);
    for (const column of Object.values(read.values)) {
      column.forEach((v, i) => {
        if (v instanceof Uint8Array && v[0] === 0xc1 && v[1] === 0x57) {
          column[i] = null;
          read.eventTimestamps[i] = null;
        }
      });
    }
    return read;
  }
}

/** A store that hands out bytes at an odd offset of a larger buffer, as stores decoding MessagePack may. */
class UnalignedBytes extends MemoryOnlineStore {
  override async read(project: string, name: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const read = await super.read(project, name, keys, features);
    for (const column of Object.values(read.values)) {
      column.forEach((v, i) => {
        if (!(v instanceof Uint8Array)) return;
        const moved = new Uint8Array(v.length + 3).subarray(3);
        moved.set(v);
        column[i] = moved;
      });
    }
    return read;
  }
}

describe('window records beside the tiles', () => {
  let engine: SqlEngine;
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-window-records-'));
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const stores: [string, () => OnlineStore][] = [
    ['memory', () => new MemoryOnlineStore()],
    ['a store without window records (tiles merged)', () => new WithoutWindowRecords()],
    ['a store handing out unaligned bytes', () => new UnalignedBytes()],
  ];
  for (const [label, open] of stores) {
    it(`serves each window as tiles leave it, in one batch and in single-event batches (${label})`, async () => {
      for (const batchSize of [100, 1]) {
        const store = await streamStore(engine, [driver, tripsPush, view], open());
        await store.ingest('w', firstBatch, { batchSize });
        await expectWindows(store, afterFirst);
      }
    });

    it(`rebuilds the windows after an event within the lateness, ignores a late one, and after eviction (${label})`, async () => {
      const store = await streamStore(engine, [driver, tripsPush, view], open());
      await store.ingest('w', firstBatch);
      // The watermark is +45 s: +20 s (tile 1) is within 30 s, +10 s is late.
      expect(await store.ingest('w', [E(20, 8, 5), E(10, 100, 100)])).toMatchObject({ applied: 1, late: 1 });
      await expectWindows(store, [
        [45, [15.75, 5, 15.75 / 5, 0.25, 8, 2, 21, 10]],
        [60, [14.25, 4, 14.25 / 4, 0.25, 8, 2, 20, 10]],
        [80, [2, 1, 2, 2, 2, 2, 3, 3]],
      ]);
      // +200 s moves the watermark on: tiles before tile 6 are evicted (200 - 30 s lateness, then the 1m window).
      await store.ingest('w', [E(200, 1, 1)]);
      await expectWindows(store, [
        [200, [1, 1, 1, 1, 1, 1, 1, 1]],
        [240, [1, 1, 1, 1, 1, 1, 1, 1]],
        [260, EMPTY],
        // Before the newest tile the tiles are merged, and the evicted ones are gone.
        [45, EMPTY],
      ]);
    });
  }

  it('answers NOT_FOUND for an entity that never had an event, beside one that has', async () => {
    const store = await streamStore(engine, [driver, tripsPush, view]);
    await store.ingest('w', firstBatch);
    const wire = (
      await store.getOnlineFeatures({ features: ['w:sum_fare_1m', 'w:count_fare_1m'], entityRows: { driver_id: [1, 2, 1] }, now: at(100) })
    ).toWire();
    expect(wire.results[1]).toMatchObject({ values: [null, null, null], statuses: ['NULL_VALUE', 'NOT_FOUND', 'NULL_VALUE'] });
    expect(wire.results[2]).toMatchObject({ values: [0, null, 0], statuses: ['PRESENT', 'NOT_FOUND', 'PRESENT'] });
    expect(wire.results[1].event_timestamps).toEqual(['2021-04-12T10:00:45Z', '1970-01-01T00:00:00Z', '2021-04-12T10:00:45Z']);
  });

  it('serves the same windows from LMDB after a restart, and keeps ingesting from the stored records', async () => {
    const path = join(dir, 'online.lmdb');
    const first = await streamStore(engine, [driver, tripsPush, view], new LmdbOnlineStore(path));
    await first.ingest('w', firstBatch.slice(0, 2));
    await first.onlineStore.close();
    const reopen = () => {
      const store = createFeatureStore({
        project: first.project,
        registry: first.registry.store,
        onlineStore: new LmdbOnlineStore(path),
        offlineStore: createDuckDbOfflineStore({ engine: async () => engine }),
      });
      store.registerSourceData('trips_source', emptyTrips());
      return store;
    };
    const second = reopen();
    await expectWindows(second, [[45, [5.5, 2, 2.75, 1.5, 4, 4, 11, 10]]]);
    await second.ingest('w', firstBatch.slice(2));
    await second.onlineStore.close();
    const third = reopen();
    await expectWindows(third, afterFirst);
    await third.onlineStore.close();
  });

  it('merges the tiles of a sum too long to tabulate (600 tiles of 1 s, 300 of them holding events)', async () => {
    const fine = streamFeatureView({
      name: 'fine',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64), field('trips', Int64)],
      aggregations: [{ column: 'fare', fn: 'sum', window: '10m', slide: '1s' }],
    });
    const store = await streamStore(engine, [driver, tripsPush, fine]);
    // One event a second from +1 s to +300 s.
    await store.ingest(
      'fine',
      Array.from({ length: 300 }, (_, i) => E(i + 1, 1, 1)),
    );
    // Fares of 1: the sum counts events. At +700 s the window starts at +101 s: 200 events.
    for (const [seconds, sum] of [
      [300, 300],
      [400, 300],
      [700, 200],
      [900, null],
    ] as const) {
      const dict = (await store.getOnlineFeatures({ features: ['fine:sum_fare_10m'], entityRows: [{ driver_id: 1 }], now: at(seconds) })).toDict();
      expect([seconds, dict.sum_fare_10m[0]]).toEqual([seconds, sum]);
    }
  });

  it('merges the tiles for an aggregation added after the records were written', async () => {
    const store = await streamStore(engine, [driver, tripsPush, view]);
    await store.ingest('w', firstBatch);
    const redefined = streamFeatureView({
      name: 'w',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64), field('trips', Int64)],
      allowedLateness: 30,
      aggregations: [
        { column: 'fare', fn: 'sum', window: '1m', slide: '20s' },
        { column: 'fare', fn: 'min', window: '40s', slide: '20s' },
      ],
    });
    await store.apply([driver, tripsPush, redefined]);
    // 40 s window at +60 s: tiles 2-3, only +45 s (fare 2); at +45 s: tiles 1-2, min 0.25.
    for (const [seconds, min] of [
      [60, 2],
      [45, 0.25],
    ] as const) {
      const dict = (
        await store.getOnlineFeatures({ features: ['w:sum_fare_1m', 'w:min_fare_40s'], entityRows: [{ driver_id: 1 }], now: at(seconds) })
      ).toDict();
      expect([seconds, dict.min_fare_40s[0]]).toEqual([seconds, min]);
    }
  });
});
