import { afterAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { reportForeignContract } from '../online/store-contract.js';
import { fixturePath } from './online-fixtures.js';

const found = findChromium() !== undefined;
let harness: Promise<ChromiumHarness> | undefined;
const chromium = () =>
  (harness ??= startChromium({
    entries: { sqlite: 'test/feast/browser/feast-sqlite.entry.ts' },
    files: { '/sql-wasm.wasm': 'node_modules/sql.js/dist/sql-wasm-browser.wasm', '/online_store.db': fixturePath('quickstart', 'online_store.db') },
  }).then((h) => h!));
afterAll(async () => {
  if (harness) await (await harness).close();
});

describe.skipIf(!found)("Feast's SQLite layout in Chromium (sql.js browser build)", () => {
  reportForeignContract('Feast SQLite layout (Chromium)', async () => callInPage(await (await chromium()).openPage('sqlite'), 'runContract'));

  it("serves Feast's file and hands the changed file to persist", async () => {
    const page = await (await chromium()).openPage('sqlite');
    const result = await callInPage<{ trips: unknown; eventTimestamp: string | null; savedBytes: number }>(page, 'readAndWriteFeastFile');
    // Feast's answer for driver 1001 (online-expected.json): 256 trips at 2026-12-02T14:00:00Z.
    expect(result.trips).toBe(256);
    expect(result.eventTimestamp).toBe('1796220000000000');
    expect(result.savedBytes).toBeGreaterThan(40_000);
  });
});
