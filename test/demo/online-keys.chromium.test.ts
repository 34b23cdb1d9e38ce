import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.js';
import { startDemo, type StartedDemo } from '../support/demo-app.js';
import { demoPageHelpers, newDemoPage } from './demo-page.js';

// The Online page's entity-key inputs while the feature pick changes: a pick that needs the
// same keys leaves the inputs where they are, so someone typing in one keeps the focus and
// the text. (Redrawn each time, a pick made while the test typed lost the text under load:
// the lookup then read the inputs' example keys.)
const chromiumPath = findChromium();

let demo: StartedDemo;
let page: Page;
const { open } = demoPageHelpers(
  () => page,
  () => demo.served.url,
);

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await startDemo('feast-edge-demo-keys-', chromiumPath);
  page = await newDemoPage(demo);
}, 300_000);

afterAll(async () => {
  await demo?.close();
});

describe.skipIf(!chromiumPath)('the Online page keys (Chromium)', () => {
  it('keeps the key input being typed in, focused and with its text, when a pick needs the same keys', async () => {
    await open('online');
    await page.locator('[data-testid="online-by-features"]').check();
    await page.locator('main [data-ref="driver_hourly_stats:conv_rate"]').check();
    // One view's features need its key alone: the service's customer key goes.
    await expect.poll(() => page.locator('.keys input').evaluateAll((inputs) => inputs.map((i) => i.getAttribute('data-testid')))).toEqual(['key-driver_id']);

    const key = page.locator('[data-testid="key-driver_id"]');
    await key.fill('');
    await key.pressSequentially('1001, 10');
    // Each pick redraws the freshness box when its refresh ends: that is the signal to wait for.
    await page.evaluate(() => {
      const seen = { keys: 0, freshness: 0 };
      (globalThis as Record<string, unknown>).__seen = seen;
      new MutationObserver((records) => (seen.keys += records.length)).observe(document.querySelector('.keys')!, { childList: true, subtree: true });
      new MutationObserver(() => seen.freshness++).observe(document.querySelector('[data-testid="online-freshness"]')!, { childList: true });
    });
    // Picked with a click from script, so the key input keeps the keyboard focus as it would
    // while the refresh of an earlier pick lands.
    await page.locator('main [data-ref="driver_hourly_stats:acc_rate"]').evaluate((box: HTMLInputElement) => box.click());
    await expect.poll(() => page.evaluate(() => ((globalThis as Record<string, unknown>).__seen as { freshness: number }).freshness)).toBeGreaterThan(0);

    expect(await page.evaluate(() => ((globalThis as Record<string, unknown>).__seen as { keys: number }).keys)).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('key-driver_id');
    await page.keyboard.type('02');
    expect(await key.inputValue()).toBe('1001, 1002');
  });
});
