import { afterAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { reportForeignRegistryContract } from './store-contract.js';

const found = findChromium() !== undefined;
let harness: Promise<ChromiumHarness> | undefined;
// One bundle and one browser for the whole file, started by whichever test needs it first.
const chromium = () => (harness ??= startChromium({ entries: { registry: 'test/registry/browser/indexeddb-registry.entry.ts' } }).then((h) => h!));
afterAll(async () => {
  if (harness) await (await harness).close();
});

describe.skipIf(!found)('IndexedDB registry store in Chromium', () => {
  reportForeignRegistryContract('IndexedDB (Chromium)', async () => {
    const page = await (await chromium()).openPage('registry');
    return callInPage(page, 'runContract', 'contract');
  });

  it('lets exactly one of two tabs writing at the same expected version win; the other gets RegistryVersionConflictError', async () => {
    const h = await chromium();
    const first = await h.openPage('registry');
    // The same browser context: separate contexts have separate storage, like separate profiles.
    const second = await h.openPage('registry', first.context());
    await callInPage(first, 'resetStore', 'tabs');
    await callInPage(first, 'openStore', 'tabs');
    await callInPage(second, 'openStore', 'tabs');
    // Round 0 races two creations (expected version 0), later rounds two updates.
    const wins = { first: 0, second: 0 };
    for (let version = 0; version < 20; version++) {
      const [a, b] = await Promise.all([
        callInPage<string>(first, 'write', 'tabs', 'p', version + 1, `first ${version + 1}`, version),
        callInPage<string>(second, 'write', 'tabs', 'p', version + 1, `second ${version + 1}`, version),
      ]);
      expect([a, b].sort()).toEqual(['RegistryVersionConflictError', 'ok']);
      const winner = a === 'ok' ? 'first' : 'second';
      wins[winner]++;
      const expected = { version: version + 1, description: `${winner} ${version + 1}` };
      expect(await callInPage(first, 'read', 'tabs', 'p')).toEqual(expected);
      expect(await callInPage(second, 'read', 'tabs', 'p')).toEqual(expected);
    }
    expect(wins.first + wins.second).toBe(20);
    await callInPage(first, 'closeStore', 'tabs');
    await callInPage(second, 'closeStore', 'tabs');
  });

  it('keeps documents, versions and the version check across closing the store and reloading the page', async () => {
    const h = await chromium();
    const page = await h.openPage('registry');
    await callInPage(page, 'resetStore', 'persist');
    await callInPage(page, 'openStore', 'persist');
    expect(await callInPage(page, 'write', 'persist', 'alpha', 1, 'a1', 0)).toBe('ok');
    expect(await callInPage(page, 'write', 'persist', 'alpha', 2, 'a2', 1)).toBe('ok');
    expect(await callInPage(page, 'write', 'persist', 'beta', 1, 'b1', 0)).toBe('ok');
    await callInPage(page, 'closeStore', 'persist');
    await callInPage(page, 'openStore', 'persist');
    expect(await callInPage(page, 'read', 'persist', 'alpha')).toEqual({ version: 2, description: 'a2' });

    await h.reload(page);
    await callInPage(page, 'openStore', 'persist');
    expect(await callInPage(page, 'listProjects', 'persist')).toEqual(['alpha', 'beta']);
    expect(await callInPage(page, 'read', 'persist', 'alpha')).toEqual({ version: 2, description: 'a2' });
    expect(await callInPage(page, 'read', 'persist', 'beta')).toEqual({ version: 1, description: 'b1' });
    // The stored version still guards writes after the reload.
    expect(await callInPage(page, 'write', 'persist', 'alpha', 2, 'lost update', 1)).toBe('RegistryVersionConflictError');
    expect(await callInPage(page, 'write', 'persist', 'alpha', 3, 'a3', 2)).toBe('ok');
    expect(await callInPage(page, 'read', 'persist', 'alpha')).toEqual({ version: 3, description: 'a3' });
    await callInPage(page, 'closeStore', 'persist');
  });
});
