/**
 * What the demo's Chromium tests do with their page: open it, open a route once the store
 * is ready, read a table's cells and a locator's links, and take README screenshots.
 */
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { shootForReadme as writeReadmeScreenshot, type StartedDemo } from '../support/demo-app.js';

/** A page in a fresh 1280×900 context of the demo's browser, its script errors printed. */
export async function newDemoPage(demo: StartedDemo, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  return page;
}

/** A README screenshot (docs/screenshots/<name>.png), kept under 150 KB. */
export async function shootForReadme(on: Page, name: string, options: { scrollTo?: string } = {}): Promise<void> {
  expect(await writeReadmeScreenshot(on, name, options), `${name}.png`).toBeLessThan(150_000);
}

/**
 * The route, link and table helpers over the page and origin a test file sets up in its
 * beforeAll; both are read at each call, so the helpers can be made before they exist.
 */
export function demoPageHelpers(page: () => Page, origin: () => string) {
  return {
    /** Link targets inside a locator. */
    hrefs: (selector: string) =>
      page()
        .locator(selector)
        .evaluateAll((as) => as.map((a) => a.getAttribute('href'))),

    /** Opens `#/<route>` and waits until the store is ready, failing with the page's status text if it failed. */
    async open(route: string): Promise<void> {
      await page().goto(`${origin()}/#/${route}`);
      await page().waitForFunction(() => document.body.dataset.store === 'ready' || document.body.dataset.store === 'failed', undefined, { timeout: 60_000 });
      expect(await page().evaluate(() => document.body.dataset.store), (await page().locator('#store-status').textContent()) ?? '').toBe('ready');
    },

    /** A table as shown: its header and each row's exact cell values. */
    shownRows(testId: string): Promise<{ columns: string[]; rows: string[][] }> {
      return page()
        .locator(`[data-testid="${testId}"]`)
        .evaluate((table) => ({
          columns: [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
          rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? '')),
        }));
    },
  };
}
