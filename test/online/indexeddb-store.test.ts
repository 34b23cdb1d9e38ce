import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { reportForeignContract } from './store-contract.js';
import { fromWire, readResultToWire, type WireBatch, type WireRead } from './browser/wire.js';

const found = findChromium() !== undefined;
let harness: Promise<ChromiumHarness> | undefined;
// One bundle and one browser for the whole file, started by whichever test needs it first.
const chromium = () => (harness ??= startChromium({ entries: { idb: 'test/online/browser/indexeddb-contract.entry.ts' } }).then((h) => h!));
afterAll(async () => { if (harness) await (await harness).close(); });

const T = (hours: number) => String(1_618_221_600_000_000n + BigInt(hours) * 3_600_000_000n);

describe.skipIf(!found)('IndexedDB online store in Chromium', () => {
  reportForeignContract('IndexedDB (Chromium)', async () => {
    const page = await (await chromium()).openPage('idb');
    return callInPage(page, 'runContract', 'contract');
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
    expect(await callInPage(first, 'write', 'tabs', 'p', { view: 'v', ids: [1], events: [T(5)], features: { x: ['first tab, newer'] } })).toEqual({ written: 1, skipped: 0 });
    expect(await callInPage(second, 'write', 'tabs', 'p', { view: 'v', ids: [1, 2], events: [T(4), T(4)], features: { x: ['second tab, older', 'second tab'] } }))
      .toEqual({ written: 1, skipped: 1 });
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
    await callInPage(page, 'closeStore', 'clone');
  });

  it('answers like the memory store over random writes, deletes and reads (views named as prefixes of each other)', async () => {
    const page = await (await chromium()).openPage('idb');
    const ids = [1, 2, 3, 4, 5];
    const features = ['x', 'y', 'z'];
    const batch = fc.record({
      view: fc.constantFrom('a', 'ab'),
      rows: fc.array(fc.record({ id: fc.constantFrom(...ids), event: fc.integer({ min: 0, max: 3 }), created: fc.option(fc.integer({ min: 0, max: 2 })) }), { minLength: 1, maxLength: 6 }),
      names: fc.subarray(features, { minLength: 1 }),
    }).map(({ view, rows, names }): WireBatch => ({
      view,
      ids: rows.map((r) => r.id),
      events: rows.map((r) => T(r.event)),
      created: rows.map((r) => (r.created === null ? null : T(r.created))),
      // Numbers, text and nulls, since the store packs numbers apart from other values.
      features: Object.fromEntries(names.map((n) => [n, rows.map((r, i) => [r.id + r.event / 4, `${n}:${r.id}:${r.event}:${r.created}`, null][i % 3])])),
    }));
    const op = fc.oneof({ arbitrary: batch.map((b) => ({ write: b })), weight: 4 }, { arbitrary: fc.constantFrom('a', 'ab').map((v) => ({ deleteView: v })), weight: 1 });
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
      const db = `random-${run++}`;
      await callInPage(page, 'resetStore', db);
      await callInPage(page, 'openStore', db);
      const memory = new MemoryOnlineStore();
      try {
        for (const o of ops) {
          if ('write' in o) {
            // Within one batch the written/skipped counts follow one put per row in order, as the memory store does.
            expect(await callInPage(page, 'write', db, 'p', o.write)).toEqual(await memory.write('p', fromWire(o.write)));
          } else {
            await callInPage(page, 'deleteView', db, 'p', o.deleteView);
            await memory.deleteView('p', o.deleteView);
          }
          for (const view of ['a', 'ab']) {
            const keys = ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]));
            expect(await callInPage(page, 'read', db, 'p', view, ids, features)).toEqual(readResultToWire(await memory.read('p', view, keys, features)));
          }
        }
      } finally {
        await callInPage(page, 'closeStore', db);
      }
    }), { numRuns: 25, seed: 20260423 });
  });
});
