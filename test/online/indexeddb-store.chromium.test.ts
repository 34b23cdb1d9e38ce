import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { reportForeignContract } from './store-contract.js';
import { fromWire, readResultToWire, type WireBatch, type WireRead } from './browser/wire.js';
import type { ConcurrentOp } from './browser/indexeddb-contract.entry.js';

const found = findChromium() !== undefined;
let harness: Promise<ChromiumHarness> | undefined;
// One bundle and one browser for the whole file, started by whichever test needs it first.
const chromium = () => (harness ??= startChromium({ entries: { idb: 'test/online/browser/indexeddb-contract.entry.ts' } }).then((h) => h!));
afterAll(async () => {
  if (harness) await (await harness).close();
});

const T = (hours: number) => String(1_618_221_600_000_000n + BigInt(hours) * 3_600_000_000n);

describe.skipIf(!found)('IndexedDB online store in Chromium', () => {
  reportForeignContract('IndexedDB (Chromium)', async () => {
    const page = await (await chromium()).openPage('idb');
    return callInPage(page, 'runContract', 'contract');
  });

  // Two buckets, a mirror of three rows and merging after two segments: every key shares a
  // bucket, merges and evictions happen within the contract's few writes.
  reportForeignContract('IndexedDB (Chromium), tiny buckets and mirror', async () => {
    const page = await (await chromium()).openPage('idb');
    return callInPage(page, 'runContract', 'contract-tiny', { bucketCount: 2, maxCachedRows: 3, compactAfter: 2 });
  });

  it('keeps rows across closing and reopening the store, and across a page reload', async () => {
    const h = await chromium();
    const page = await h.openPage('idb');
    await callInPage(page, 'resetStore', 'persist');
    await callInPage(page, 'openStore', 'persist');
    const batch: WireBatch = { view: 'stats', ids: [1, 2], events: [T(1), T(2)], features: { conv: [0.25, null], name: ['a', 'b'] } };
    expect(await callInPage(page, 'write', 'persist', 'p', batch)).toEqual({ written: 2, skipped: 0 });
    await callInPage(page, 'closeStore', 'persist');
    const expected: WireRead = { events: [T(2), null, T(1)], values: { conv: [null, null, 0.25], name: ['b', null, 'a'] } };

    await callInPage(page, 'openStore', 'persist');
    expect(await callInPage(page, 'read', 'persist', 'p', 'stats', [2, 3, 1], ['conv', 'name'])).toEqual(expected);
    await h.reload(page);
    await callInPage(page, 'openStore', 'persist');
    expect(await callInPage(page, 'read', 'persist', 'p', 'stats', [2, 3, 1], ['conv', 'name'])).toEqual(expected);
    // After the reload the stored times still guard against an older write.
    const older: WireBatch = { view: 'stats', ids: [1], events: [T(0)], features: { conv: [0.99], name: ['old'] } };
    expect(await callInPage(page, 'write', 'persist', 'p', older)).toEqual({ written: 0, skipped: 1 });
    await callInPage(page, 'closeStore', 'persist');
  });

  it('shares rows between two tabs of one origin, and keeps the newer row whichever tab wrote it', async () => {
    const h = await chromium();
    const first = await h.openPage('idb');
    const second = await h.openPage('idb', first.context());
    await callInPage(first, 'resetStore', 'tabs');
    await callInPage(first, 'openStore', 'tabs');
    await callInPage(second, 'openStore', 'tabs');
    expect(await callInPage(first, 'write', 'tabs', 'p', { view: 'v', ids: [1], events: [T(5)], features: { x: ['first tab, newer'] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    expect(
      await callInPage(second, 'write', 'tabs', 'p', { view: 'v', ids: [1, 2], events: [T(4), T(4)], features: { x: ['second tab, older', 'second tab'] } }),
    ).toEqual({ written: 1, skipped: 1 });
    const expected: WireRead = { events: [T(5), T(4)], values: { x: ['first tab, newer', 'second tab'] } };
    expect(await callInPage(first, 'read', 'tabs', 'p', 'v', [1, 2], ['x'])).toEqual(expected);
    expect(await callInPage(second, 'read', 'tabs', 'p', 'v', [1, 2], ['x'])).toEqual(expected);
    await callInPage(first, 'closeStore', 'tabs');
    await callInPage(second, 'closeStore', 'tabs');
  });

  it('leaves nothing of a batch holding a value structured clone cannot copy', async () => {
    const page = await (await chromium()).openPage('idb');
    await callInPage(page, 'resetStore', 'clone');
    await callInPage(page, 'openStore', 'clone');
    expect(await callInPage(page, 'writeUncloneable', 'clone', 'p', 'v', [1, 2])).toBe('DataCloneError');
    expect(await callInPage(page, 'read', 'clone', 'p', 'v', [1, 2], ['x'])).toEqual({ events: [null, null], values: { x: [null, null] } });
    // Over stored rows the mirror holds, too: the aborted batch (event 1) would have won over event 0.
    expect(await callInPage(page, 'write', 'clone', 'p', { view: 'w', ids: [1, 2], events: ['0', '0'], features: { x: ['kept 1', 'kept 2'] } })).toEqual({
      written: 2,
      skipped: 0,
    });
    const kept: WireRead = { events: ['0', '0'], values: { x: ['kept 1', 'kept 2'] } };
    expect(await callInPage(page, 'read', 'clone', 'p', 'w', [1, 2], ['x'])).toEqual(kept);
    expect(await callInPage(page, 'writeUncloneable', 'clone', 'p', 'w', [1, 2])).toBe('DataCloneError');
    expect(await callInPage(page, 'read', 'clone', 'p', 'w', [1, 2], ['x'])).toEqual(kept);
    await callInPage(page, 'clearCache', 'clone');
    expect(await callInPage(page, 'read', 'clone', 'p', 'w', [1, 2], ['x'])).toEqual(kept);
    await callInPage(page, 'closeStore', 'clone');
  });

  it('a tab reading from its mirror sees what another tab wrote or deleted since, even when the generation repeats', async () => {
    const h = await chromium();
    const first = await h.openPage('idb');
    const second = await h.openPage('idb', first.context());
    await callInPage(first, 'resetStore', 'mirror');
    // One bucket: every key of the view lives in the bucket the first tab has cached.
    await callInPage(first, 'openStore', 'mirror', { bucketCount: 1 });
    await callInPage(second, 'openStore', 'mirror', { bucketCount: 1 });
    const read = (page: typeof first) => callInPage<WireRead>(page, 'read', 'mirror', 'p', 'v', [1, 2, 3], ['x', 'y']);
    expect(await callInPage(first, 'write', 'mirror', 'p', { view: 'v', ids: [1, 2], events: [T(1), T(1)], features: { x: ['a1', 'a2'], y: [1, 2] } })).toEqual(
      { written: 2, skipped: 0 },
    );
    const before: WireRead = { events: [T(1), T(1), null], values: { x: ['a1', 'a2', null], y: [1, 2, null] } };
    expect(await read(first)).toEqual(before);
    expect(await read(first)).toEqual(before);

    // The second tab replaces a row and adds one; the first tab then writes to the same
    // bucket without reading it (its batch is newer than anything stored), and its next
    // read still has the second tab's rows.
    expect(
      await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [1, 3], events: [T(2), T(2)], features: { x: ['b1', 'b3'], y: [10, 30] } }),
    ).toEqual({ written: 2, skipped: 0 });
    expect(await callInPage(first, 'write', 'mirror', 'p', { view: 'v', ids: [2], events: [T(3)], features: { x: ['a2 again'], y: [20] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    expect(await read(first)).toEqual({ events: [T(2), T(3), T(2)], values: { x: ['b1', 'a2 again', 'b3'], y: [10, 20, 30] } });
    expect(await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [1], events: [T(2)], features: { x: ['b1'], y: [10] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    expect(await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [2], events: [T(3)], features: { x: ['a2 again'], y: [20] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    expect(await read(first)).toEqual({ events: [T(2), T(3), T(2)], values: { x: ['b1', 'a2 again', 'b3'], y: [10, 20, 30] } });

    // The second tab deletes the view and writes it twice again: the view's generation is
    // back where the first tab's mirror stands (2), with other rows.
    await callInPage(second, 'deleteView', 'mirror', 'p', 'v');
    await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [1], events: [T(0)], features: { x: ['c1'] } });
    await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [3], events: [T(0)], features: { y: [3] } });
    expect(await read(first)).toEqual({ events: [T(0), null, T(0)], values: { x: ['c1', null, null], y: [null, null, 3] } });

    // A deletion seen by a read, then a write by the tab that saw it.
    await callInPage(second, 'deleteView', 'mirror', 'p', 'v');
    expect(await read(first)).toEqual({ events: [null, null, null], values: { x: [null, null, null], y: [null, null, null] } });
    await callInPage(first, 'write', 'mirror', 'p', { view: 'v', ids: [2, 3], events: [T(0), T(0)], features: { y: [200, 3] } });
    await callInPage(second, 'write', 'mirror', 'p', { view: 'v', ids: [1], events: [T(0)], features: { x: ['c1'] } });
    expect(await read(first)).toEqual({ events: [T(0), T(0), T(0)], values: { x: ['c1', null, null], y: [null, 200, 3] } });

    // The event-time rule holds against rows the writer never read: the first tab's older row loses.
    expect(await callInPage(first, 'write', 'mirror', 'p', { view: 'v', ids: [3, 2], events: ['0', T(5)], features: { y: [-1, 22] } })).toEqual({
      written: 1,
      skipped: 1,
    });
    expect(await read(second)).toEqual({ events: [T(0), T(5), T(0)], values: { x: ['c1', null, null], y: [null, 22, 3] } });
    expect(await read(first)).toEqual({ events: [T(0), T(5), T(0)], values: { x: ['c1', null, null], y: [null, 22, 3] } });
    await callInPage(first, 'closeStore', 'mirror');
    await callInPage(second, 'closeStore', 'mirror');
  });

  it('keeps the mirror within maxCachedRows, dropping least recently used buckets, and reads right past it', async () => {
    const page = await (await chromium()).openPage('idb');
    await callInPage(page, 'resetStore', 'bound');
    await callInPage(page, 'openStore', 'bound', { bucketCount: 16, maxCachedRows: 400, compactAfter: 2 });
    const { cached, right } = await callInPage<{ cached: number[]; right: boolean }>(page, 'fillAndRead', 'bound', 0, 2000, 300, 50);
    expect(right).toBe(true);
    expect(cached.length).toBe(40);
    for (const rows of cached) expect(rows).toBeLessThanOrEqual(400);
    expect(Math.max(...cached)).toBeGreaterThan(0);
    await callInPage(page, 'closeStore', 'bound');
  });

  it('hands out copies of lists and bytes: changing a read result leaves the mirror as stored', async () => {
    const page = await (await chromium()).openPage('idb');
    await callInPage(page, 'resetStore', 'copies');
    await callInPage(page, 'openStore', 'copies');
    expect(await callInPage(page, 'mutateReturned', 'copies')).toEqual([[1, 2], [7]]);
    await callInPage(page, 'closeStore', 'copies');
  });

  it('clears a database of the one-record-per-row layout on upgrade', async () => {
    const page = await (await chromium()).openPage('idb');
    await callInPage(page, 'makeVersion1', 'upgrade');
    await callInPage(page, 'openStore', 'upgrade');
    expect(await callInPage(page, 'read', 'upgrade', 'p', 'v', [0], ['x'])).toEqual({ events: [null], values: { x: [null] } });
    expect(await callInPage(page, 'write', 'upgrade', 'p', { view: 'v', ids: [0], events: [T(0)], features: { x: [0.25] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    expect(await callInPage(page, 'read', 'upgrade', 'p', 'v', [0], ['x'])).toEqual({ events: [T(0)], values: { x: [0.25] } });
    await callInPage(page, 'closeStore', 'upgrade');
  });

  it('answers like the memory store over random writes, deletes and reads by two connections (views named as prefixes of each other)', async () => {
    const page = await (await chromium()).openPage('idb');
    const ids = [1, 2, 3, 4, 5];
    const features = ['x', 'y', 'z'];
    const batch = fc
      .record({
        view: fc.constantFrom('a', 'ab'),
        rows: fc.array(fc.record({ id: fc.constantFrom(...ids), event: fc.integer({ min: 0, max: 3 }), created: fc.option(fc.integer({ min: 0, max: 2 })) }), {
          minLength: 1,
          maxLength: 6,
        }),
        names: fc.subarray(features, { minLength: 1 }),
      })
      .map(
        ({ view, rows, names }): WireBatch => ({
          view,
          ids: rows.map((r) => r.id),
          events: rows.map((r) => T(r.event)),
          created: rows.map((r) => (r.created === null ? null : T(r.created))),
          // Numbers, text and nulls, since the store packs numbers apart from other values.
          features: Object.fromEntries(names.map((n) => [n, rows.map((r, i) => [r.id + r.event / 4, `${n}:${r.id}:${r.event}:${r.created}`, null][i % 3])])),
        }),
      );
    // Each op goes through one of two connections, each with its own mirror: what one
    // writes or deletes, the other's next read must see.
    const by = fc.constantFrom(0, 1);
    const op = fc.oneof(
      { arbitrary: fc.record({ by, write: batch }), weight: 5 },
      { arbitrary: fc.record({ by, deleteView: fc.constantFrom('a', 'ab') }), weight: 1 },
      { arbitrary: fc.record({ by, clearCache: fc.constant(true) }), weight: 1 },
    );
    const layout = fc.constantFrom(
      { bucketCount: 2, maxCachedRows: 4, compactAfter: 2 },
      { bucketCount: 1, maxCachedRows: 0, compactAfter: 3 },
      { bucketCount: 3, maxCachedRows: 100, compactAfter: 2 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(layout, fc.array(op, { minLength: 1, maxLength: 10 }), async (options, ops) => {
        const db = `random-${run++}`;
        const handles = [db, `${db}#2`];
        await callInPage(page, 'resetStore', db);
        for (const handle of handles) await callInPage(page, 'openStore', handle, options);
        const memory = new MemoryOnlineStore();
        try {
          for (const o of ops) {
            const handle = handles[o.by];
            if ('write' in o) {
              // Within one batch the written/skipped counts follow one put per row in order, as the memory store does.
              expect(await callInPage(page, 'write', handle, 'p', o.write)).toEqual(await memory.write('p', fromWire(o.write)));
            } else if ('deleteView' in o) {
              await callInPage(page, 'deleteView', handle, 'p', o.deleteView);
              await memory.deleteView('p', o.deleteView);
            } else {
              await callInPage(page, 'clearCache', handle);
            }
            for (const reader of handles) {
              for (const view of ['a', 'ab']) {
                const keys = ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]));
                expect(await callInPage(page, 'read', reader, 'p', view, ids, features)).toEqual(
                  readResultToWire(await memory.read('p', view, keys, features)),
                );
              }
            }
          }
        } finally {
          for (const handle of handles) await callInPage(page, 'closeStore', handle);
        }
      }),
      { numRuns: 40, seed: 20260423 },
    );
  });
  it('answers like the memory store when writes, deletes and reads of two connections are all in flight at once', async () => {
    const page = await (await chromium()).openPage('idb');
    const ids = [1, 2, 3, 4, 5, 6];
    const features = ['x', 'y'];
    const handle = fc.constantFrom('c', 'c#2');
    const write = fc
      .record({
        rows: fc.array(fc.record({ id: fc.constantFrom(...ids), event: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 5 }),
        names: fc.subarray(features, { minLength: 1 }),
      })
      .map(
        ({ rows, names }): WireBatch => ({
          view: 'v',
          ids: rows.map((r) => r.id),
          events: rows.map((r) => T(r.event)),
          features: Object.fromEntries(names.map((n) => [n, rows.map((r, i) => (i % 2 ? `${n}:${r.id}:${r.event}` : r.id * 10 + r.event))])),
        }),
      );
    const op: fc.Arbitrary<ConcurrentOp> = fc.oneof(
      { arbitrary: fc.record({ handle, write }), weight: 4 },
      { arbitrary: fc.record({ handle, read: fc.constant({ view: 'v', ids, features }) }), weight: 4 },
      { arbitrary: fc.record({ handle, deleteView: fc.constant('v') }), weight: 1 },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 16 }), async (ops) => {
        await callInPage(page, 'resetStore', 'c');
        // Two buckets and merging after two records: in-flight writes merge and invalidate each other's buckets.
        for (const h of ['c', 'c#2']) await callInPage(page, 'openStore', h, { bucketCount: 2, compactAfter: 2, maxCachedRows: run++ % 2 ? 4 : 1000 });
        try {
          const outcomes = await callInPage<unknown[]>(page, 'runConcurrently', 'p', ops);
          // Transactions run in the order they were started: replay the ops one by one.
          const memory = new MemoryOnlineStore();
          const keys = ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]));
          const expected: unknown[] = [];
          for (const o of ops) {
            if ('write' in o) expected.push(await memory.write('p', fromWire(o.write)));
            else if ('deleteView' in o) {
              await memory.deleteView('p', 'v');
              expected.push(null);
            } else expected.push(readResultToWire(await memory.read('p', 'v', keys, features)));
          }
          expect(outcomes).toEqual(expected);
        } finally {
          for (const h of ['c', 'c#2']) await callInPage(page, 'closeStore', h);
        }
      }),
      { numRuns: 30, seed: 20261123 },
    );
  });
});
