/**
 * Issue 14's one write check on the IndexedDB online store, in the system Chromium: the
 * SDK's writeToOnlineStore, push and ingest, and the Web Worker's API (the worker host,
 * src/runtime/worker/host), refuse the same bad batches as on the memory store and LMDB
 * (write-entry-points.test.ts), with the same error classes, storing nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../../support/chromium.js';
import { ok, type Outcome as WorkerOutcome } from '../../worker/worker-fixture.js';
import { TYPED_FEATURES, typedEvent, typedParquet, typedRow } from '../typed-repo.js';
import { BAD_BATCHES, badBatch } from './bad-batches.js';
import type { Outcome } from './browser/bad-batches.entry.js';

const found = findChromium() !== undefined;
const WORKER = '/workers/typed/feature-store.js';
let harness: ChromiumHarness | undefined;
let dir: string | undefined;
beforeAll(async () => {
  if (!found) return;
  dir = mkdtempSync(join(tmpdir(), 'feast-edge-bad-batches-'));
  await writeFile(join(dir, 'typed.parquet'), await typedParquet());
  harness = await startChromium({
    entries: { bad: 'test/reliability/fuzz/browser/bad-batches.entry.ts', page: 'test/worker/browser/worker-page.entry.ts' },
    files: { '/typed/typed.parquet': join(dir, 'typed.parquet') },
    webWorkers: {
      [WORKER]: { entry: 'targets/feature-store.worker.ts', alias: { 'feast-edge-definitions': 'test/reliability/fuzz/browser/typed-worker-definitions.ts' } },
    },
  });
});
afterAll(async () => {
  await harness?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!found)('the one write check on the IndexedDB online store (Chromium)', () => {
  it('refuses every bad batch at writeToOnlineStore, push and ingest with the same error class, storing nothing', async () => {
    const page = await harness!.openPage('bad');
    const { outcomes, reopenedUnchanged } = await callInPage<{ outcomes: Outcome[]; reopenedUnchanged: boolean }>(page, 'refuseAll', 'typed-bad-batches');
    expect(outcomes).toHaveLength(BAD_BATCHES.length * 3);
    for (const outcome of outcomes) {
      expect({ error: outcome.error, unchanged: outcome.unchanged }, `${outcome.entry}: ${outcome.bad}`).toEqual({ error: outcome.expected, unchanged: true });
    }
    expect(reopenedUnchanged).toBe(true);
  });

  it('refuses every bad batch at the worker API (writeToOnlineStore, push to online / offline / both, ingest) with the same error class, storing nothing', async () => {
    const page = await harness!.openPage('page');
    await callInPage(page, 'connect', 'typed', WORKER);
    await ok(page, 'call', 'typed', 'open', {
      registryDatabase: 'typed-registry',
      onlineDatabase: 'typed-online',
      offlineDatabase: 'typed-offline',
      sourceBaseUrl: `${harness!.origin}/typed/`,
    });
    await ok(page, 'call', 'typed', 'apply');
    const entityRows = [{ user_id: 'u1' }, { user_id: 'good' }, { user_id: 'bad' }];
    const stored = async () =>
      [
        await ok(page, 'call', 'typed', 'getOnlineFeatures', { features: TYPED_FEATURES.map((f) => `typed:${f}`), entityRows }),
        await ok(page, 'call', 'typed', 'getOnlineFeatures', { features: ['typed_stream:sum_f_int32_1h'], entityRows }),
      ].map((r) => (r as { response: unknown }).response);
    await ok(page, 'call', 'typed', 'writeToOnlineStore', 'typed', [typedRow('u1')]);
    const before = await stored();
    const entries: [string, (bad: (typeof BAD_BATCHES)[number]) => unknown[]][] = [
      ['writeToOnlineStore', (bad) => ['writeToOnlineStore', 'typed', badBatch(typedRow, bad)]],
      ...(['online', 'offline', 'online_and_offline'] as const).map((to): [string, (bad: (typeof BAD_BATCHES)[number]) => unknown[]] => [
        `push to ${to}`,
        (bad) => ['push', 'typed_push', badBatch(typedRow, bad), { to }],
      ]),
      ['ingest', (bad) => ['ingest', 'typed_stream', badBatch(typedEvent, bad), { batchSize: 1 }]],
    ];
    for (const bad of BAD_BATCHES) {
      for (const [entry, args] of entries) {
        const outcome = await callInPage<WorkerOutcome<unknown>>(page, 'call', 'typed', ...args(bad));
        expect(outcome.error?.name, `${entry}: ${bad.what}`).toBe(bad.error);
        expect(await stored(), `${entry}: ${bad.what}`).toEqual(before);
      }
    }
    // Nothing reached the offline store either: the good row of each batch is absent from training data.
    const history = await ok<{ rows: Record<string, unknown>[] }>(page, 'historical', 'typed', {
      entityDf: [{ user_id: 'good', event_timestamp: '2021-01-03T00:00:00Z' }],
      features: ['typed:f_int32', 'typed_stream:sum_f_int32_1h'],
    });
    expect(history.rows.map((r) => [r.f_int32, r.sum_f_int32_1h])).toEqual([[null, null]]);
    await callInPage(page, 'terminate', 'typed');
  });
});
