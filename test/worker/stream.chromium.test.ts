import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { oracleValue, type OracleEvent } from '../stream/oracle.js';
import { fares } from './browser/stream-definitions.js';
import { ok, type DecodedResult } from './worker-fixture.js';

const found = findChromium() !== undefined;
const WORKER = '/workers/stream/feature-store.js';
const at = (hhmm: string) => `2024-05-01T${hhmm}:00.000Z`;
const FEATURES = ['fares:sum_fare_1h', 'fares:count_fare_1h', 'fares:last_fare_1h'];
const BASE_MICROS = BigInt(Date.parse(at('10:00'))) * 1000n;

/** A small deterministic generator (mulberry32), so a failing scenario can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Events over 3 hours for 3 drivers (some on tile boundaries, some fares null) and an
 * instant T; the events up to T in an arrival order that stays within the view's 30
 * minutes of allowed lateness: sorted by event time plus a delay under 30 minutes.
 */
function scenario(seed: number) {
  const next = random(seed);
  const events: OracleEvent[] = Array.from({ length: 40 }, () => {
    const seconds = next() < 0.3 ? Math.floor(next() * 18) * 600 : Math.floor(next() * 3 * 3600);
    return {
      key: 1 + Math.floor(next() * 3),
      t: BASE_MICROS + BigInt(seconds) * 1_000_000n,
      values: { fare: next() < 0.2 ? null : Math.floor(next() * 41) - 20 },
    };
  });
  const T = BASE_MICROS + BigInt(Math.floor(next() * 3 * 3600)) * 1_000_000n;
  const arrivals = events
    .filter((e) => e.t <= T)
    .map((e) => ({ e, arrives: e.t + BigInt(Math.floor(next() * 1799)) * 1_000_000n }))
    .sort((a, b) => (a.arrives < b.arrives ? -1 : a.arrives > b.arrives ? 1 : 0))
    .map(({ e }) => e);
  return { events, T, arrivals };
}
const iso = (micros: bigint) => new Date(Number(micros / 1000n)).toISOString();

let dir: string;
let harness: ChromiumHarness;

describe.skipIf(!found)('stream feature views in the Web Worker (Chromium)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feast-edge-worker-stream-'));
    // The push source's batch source: one old row, so offline parts know the column types.
    const engine = await createNodeEngine({ engine: 'duckdb-native' });
    try {
      await writeFile(
        join(dir, 'trips.parquet'),
        await engine.export("SELECT 99::BIGINT AS driver_id, TIMESTAMP '2020-01-01' AS event_timestamp, 0.0::DOUBLE AS fare", 'parquet'),
      );
    } finally {
      await engine.close();
    }
    harness = (await startChromium({
      entries: { page: 'test/worker/browser/worker-page.entry.ts' },
      files: { '/stream/trips.parquet': join(dir, 'trips.parquet') },
      webWorkers: { [WORKER]: { entry: 'targets/feature-store.worker.ts', alias: { 'feast-edge-definitions': 'test/worker/browser/stream-definitions.ts' } } },
    }))!;
  });
  afterAll(async () => {
    await harness?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ingests events into IndexedDB tiles and serves the windowed values the historical retrieval computes, counting late events', async () => {
    const page = await harness.openPage('page');
    await callInPage(page, 'connect', 'stream', WORKER);
    await ok(page, 'call', 'stream', 'open', {
      registryDatabase: 'stream-registry',
      onlineDatabase: 'stream-online',
      offlineDatabase: 'stream-offline',
      sourceBaseUrl: `${harness.origin}/stream/`,
    });
    await ok(page, 'call', 'stream', 'apply');
    const events = [
      { driver_id: 1, event_timestamp: at('10:00'), fare: 5 },
      { driver_id: 1, event_timestamp: at('10:20'), fare: 7 },
      { driver_id: 1, event_timestamp: at('11:05'), fare: 3 },
      // Out of order but within the 30 minutes allowed: applied.
      { driver_id: 1, event_timestamp: at('10:55'), fare: 1 },
      // 35 minutes behind driver 1's newest event (11:05): late, kept offline only.
      { driver_id: 1, event_timestamp: at('10:30'), fare: 100 },
    ];
    const result = await ok<{ events: number; applied: number; late: number }>(page, 'call', 'stream', 'ingest', 'fares', events);
    expect(result).toMatchObject({ events: 5, applied: 4, late: 1 });

    // At 11:10 the window is [10:20, 11:10] (six 10-minute tiles ending with 11:10's): 7 + 3 + 1 online.
    const online = await ok<{ response: { metadata: { feature_names: string[] }; results: { values: unknown[]; statuses: string[] }[] } }>(
      page,
      'call',
      'stream',
      'getOnlineFeatures',
      {
        features: FEATURES,
        entityRows: [{ driver_id: 1 }, { driver_id: 2 }],
        now: at('11:10'),
      },
    );
    const column = (name: string) => online.response.results[online.response.metadata.feature_names.indexOf(name)];
    expect(column('sum_fare_1h').values).toEqual([11, null]);
    expect(column('count_fare_1h').values).toEqual([3, null]);
    expect(column('last_fare_1h').values).toEqual([3, null]);
    expect(column('sum_fare_1h').statuses).toEqual(['PRESENT', 'NOT_FOUND']);

    // Historically the late event is there (it landed offline): 7 + 100 + 1 + 3 at 11:10; at 10:19:59 only 10:00's 5.
    const historical = await ok<DecodedResult>(page, 'historical', 'stream', {
      entityDf: [
        { driver_id: 1, event_timestamp: at('11:10') },
        { driver_id: 1, event_timestamp: '2024-05-01T10:19:59.000Z' },
        { driver_id: 2, event_timestamp: at('11:10') },
      ],
      features: FEATURES,
    });
    expect(historical.rows.map((r) => [r.sum_fare_1h, r.count_fare_1h, r.last_fare_1h])).toEqual([
      [111, 4, 3],
      [5, 1, 5],
      [null, 0, null],
    ]);
    await callInPage(page, 'terminate', 'stream');
  });

  it('serves online at T what historical retrieval computes at T and what an independent oracle says, for random streams ingested out of order', async () => {
    const page = await harness.openPage('page');
    let nonEmpty = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const { events, T, arrivals } = scenario(seed);
      const name = `parity-${seed}`;
      await callInPage(page, 'connect', name, WORKER);
      await ok(page, 'call', name, 'open', {
        registryDatabase: `${name}-registry`,
        onlineDatabase: `${name}-online`,
        offlineDatabase: `${name}-offline`,
        sourceBaseUrl: `${harness.origin}/stream/`,
      });
      await ok(page, 'call', name, 'apply');
      const ingested = await ok<{ applied: number; late: number }>(
        page,
        'call',
        name,
        'ingest',
        'fares',
        arrivals.map((e) => ({ driver_id: e.key, event_timestamp: iso(e.t), fare: e.values.fare })),
        { batchSize: 7 },
      );
      expect(ingested, `seed ${seed}`).toMatchObject({ applied: arrivals.length, late: 0 });
      const keys = [1, 2, 3];
      const online = await ok<{ response: { metadata: { feature_names: string[] }; results: { values: unknown[] }[] } }>(
        page,
        'call',
        name,
        'getOnlineFeatures',
        {
          features: FEATURES,
          entityRows: keys.map((driver_id) => ({ driver_id })),
          now: iso(T),
        },
      );
      const historical = await ok<DecodedResult>(page, 'historical', name, {
        entityDf: keys.map((driver_id) => ({ driver_id, event_timestamp: iso(T) })),
        features: FEATURES,
      });
      for (const a of fares.aggregations) {
        const column = online.response.results[online.response.metadata.feature_names.indexOf(a.name)];
        keys.forEach((key, row) => {
          // The oracle sees every event, those after T too: neither path may count them.
          const expected = oracleValue(events, key, T, a);
          if (expected !== null && expected !== 0) nonEmpty++;
          const seen = arrivals.some((e) => e.key === key);
          expect(historical.rows[row][a.name] ?? null, `seed ${seed}, driver ${key}, ${a.name}, historical`).toEqual(expected);
          // Online, a driver with no event yet is NOT_FOUND (null), where a training set has count 0.
          expect(column.values[row], `seed ${seed}, driver ${key}, ${a.name}, online`).toEqual(seen ? expected : null);
        });
      }
      await callInPage(page, 'terminate', name);
    }
    // The scenarios are not vacuous: most windows hold events.
    expect(nonEmpty).toBeGreaterThan(20);
  });
});
