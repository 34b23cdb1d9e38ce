import { writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/engine.js';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { ok, type DecodedResult } from './worker-fixture.js';

const found = findChromium() !== undefined;
const WORKER = '/workers/stream/feature-store.js';
const at = (hhmm: string) => `2024-05-01T${hhmm}:00.000Z`;
const FEATURES = ['fares:sum_fare_1h', 'fares:count_fare_1h', 'fares:last_fare_1h'];

let dir: string;
let harness: ChromiumHarness;

describe.skipIf(!found)('stream feature views in the Web Worker (Chromium)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feast-edge-worker-stream-'));
    // The push source's batch source: one old row, so offline parts know the column types.
    const engine = await createNodeEngine({ engine: 'duckdb-native' });
    try {
      await writeFile(join(dir, 'trips.parquet'), await engine.export("SELECT 99::BIGINT AS driver_id, TIMESTAMP '2020-01-01' AS event_timestamp, 0.0::DOUBLE AS fare", 'parquet'));
    } finally {
      await engine.close();
    }
    harness = (await startChromium({
      entries: { page: 'test/worker/browser/worker-page.entry.ts' },
      files: { '/stream/trips.parquet': join(dir, 'trips.parquet') },
      webWorkers: { [WORKER]: { entry: 'worker/feature-store.worker.ts', alias: { 'feast-edge-definitions': 'test/worker/browser/stream-definitions.ts' } } },
    }))!;
  });
  afterAll(async () => {
    await harness?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ingests events into IndexedDB tiles and serves the windowed values the historical retrieval computes, counting late events', async () => {
    const page = await harness.openPage('page');
    await callInPage(page, 'connect', 'stream', WORKER);
    await ok(page, 'call', 'stream', 'open', { registryDatabase: 'stream-registry', onlineDatabase: 'stream-online', offlineDatabase: 'stream-offline', sourceBaseUrl: `${harness.origin}/stream/` });
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
    const online = await ok<{ response: { metadata: { feature_names: string[] }; results: { values: unknown[]; statuses: string[] }[] } }>(page, 'call', 'stream', 'getOnlineFeatures', {
      features: FEATURES, entityRows: [{ driver_id: 1 }, { driver_id: 2 }], now: at('11:10'),
    });
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
});
