/**
 * Issue 14's one write check on the IndexedDB online store, in the system Chromium: the
 * SDK's writeToOnlineStore, push and ingest refuse the same bad batches as on the memory
 * store and LMDB (write-entry-points.test.ts), with the same error classes, storing nothing
 * (read back by the same store and by a new connection).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../../support/chromium.js';
import { BAD_BATCHES } from './bad-batches.js';
import type { Outcome } from './browser/bad-batches.entry.js';

const found = findChromium() !== undefined;
let harness: ChromiumHarness | undefined;
afterAll(async () => {
  await harness?.close();
});

describe.skipIf(!found)('the one write check on the IndexedDB online store (Chromium)', () => {
  it('refuses every bad batch at writeToOnlineStore, push and ingest with the same error class, storing nothing', async () => {
    harness = await startChromium({ entries: { bad: 'test/reliability/fuzz/browser/bad-batches.entry.ts' } });
    const page = await harness!.openPage('bad');
    const { outcomes, reopenedUnchanged } = await callInPage<{ outcomes: Outcome[]; reopenedUnchanged: boolean }>(page, 'refuseAll', 'typed-bad-batches');
    expect(outcomes).toHaveLength(BAD_BATCHES.length * 3);
    for (const outcome of outcomes) {
      expect({ error: outcome.error, unchanged: outcome.unchanged }, `${outcome.entry}: ${outcome.bad}`).toEqual({ error: outcome.expected, unchanged: true });
    }
    expect(reopenedUnchanged).toBe(true);
  });
});
