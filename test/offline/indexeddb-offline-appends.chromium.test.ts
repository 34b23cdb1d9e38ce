import { afterAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';

const found = findChromium() !== undefined;
let harness: ChromiumHarness | undefined;
afterAll(async () => {
  await harness?.close();
});

describe.skipIf(!found)('offline appends in IndexedDB (Chromium)', () => {
  it("keeps each source's parts whole and in write order, across a reload", async () => {
    harness = (await startChromium({ entries: { appends: 'test/offline/browser/offline-appends.entry.ts' } }))!;
    const page = await harness.openPage('appends');
    await callInPage(page, 'append', 'a', [1, 2, 3]);
    await callInPage(page, 'append', 'b', [9]);
    await callInPage(page, 'append', 'a', [4, 5]);
    expect(await callInPage(page, 'parts', 'a')).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await harness.reload(page);
    expect(await callInPage(page, 'parts', 'a')).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(await callInPage(page, 'parts', 'b')).toEqual([[9]]);
    await callInPage(page, 'clear', 'a');
    expect(await callInPage(page, 'parts', 'a')).toEqual([]);
    expect(await callInPage(page, 'parts', 'b')).toEqual([[9]]);
  });
});
