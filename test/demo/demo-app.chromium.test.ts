import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../demo/build/build-demo.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { exampleRepo } from '../cli/built-cli.js';
import { findChromium } from '../support/chromium.js';
import { launchChromium, serveDemo, type ServedDemo } from '../support/demo-app.js';

const chromiumPath = findChromium();
const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'test-output', 'screenshots');

let repo: Awaited<ReturnType<typeof exampleRepo>>;
let buildDir: string;
let served: ServedDemo;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** What a cell holds, compared across engines: ISO instants, integers as digits, floats to 6 significant digits. */
function canonical(value: unknown): string {
  if (value === null || value === undefined || value === 'null') return 'null';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(value) ? Number(value) : undefined;
  if (number !== undefined) return Number.isInteger(number) ? String(number) : String(Number(number.toPrecision(6)));
  return String(value);
}

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function open(route: string): Promise<void> {
  await page.goto(`${served.url}/#/${route}`);
  await page.waitForFunction(() => document.body.dataset.store === 'ready' || document.body.dataset.store === 'failed', undefined, { timeout: 60_000 });
  expect(await page.evaluate(() => document.body.dataset.store), (await page.locator('#store-status').textContent()) ?? '').toBe('ready');
}

/** The training-set table as shown: its header and each row's exact cell values. */
async function shownRows(testId: string): Promise<{ columns: string[]; rows: string[][] }> {
  return page.locator(`[data-testid="${testId}"]`).evaluate((table) => ({
    columns: [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
    rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? '')),
  }));
}

async function onlineStatuses(testId: string): Promise<Record<string, string[]>> {
  return page.locator(`[data-testid="${testId}"]`).evaluate((table) => {
    const out: Record<string, string[]> = {};
    for (const cell of table.querySelectorAll<HTMLElement>('td[data-feature]')) (out[cell.dataset.feature!] ??= []).push(cell.dataset.status!);
    return out;
  });
}

beforeAll(async () => {
  if (!chromiumPath) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  repo = await exampleRepo('feast-edge-demo-e2e-', { apply: true });
  buildDir = await mkdtemp(join(tmpdir(), 'feast-edge-demo-dist-'));
  await buildDemo({ outDir: buildDir });
  served = await serveDemo(repo.repo, buildDir);
  browser = await launchChromium(chromiumPath);
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  await repo?.remove();
  if (buildDir) await rm(buildDir, { recursive: true, force: true });
});

// One browser context for the whole file, in order: the Service Worker, IndexedDB and the
// materialized rows of one test are what the next one uses, as for a user.
describe.skipIf(!chromiumPath)('the demo app (Chromium, served by feast-edge serve --ui)', () => {
  it('loads, shows the registry with its links, and is taken over by its Service Worker', async () => {
    await open('registry');
    await expect.poll(() => page.locator('[data-testid="project-name"]').textContent(), { timeout: 30_000 }).toBe('driver_ranking');
    for (const card of [
      'entity-driver',
      'dataSource-driver_hourly_stats_source',
      'featureView-driver_hourly_stats',
      'onDemandFeatureView-transformed_conv_rate',
      'featureService-driver_activity',
    ]) {
      await expect.poll(() => page.locator(`[data-testid="${card}"]`).count()).toBe(1);
    }
    // A feature view links to its entity, its source and the service that uses it.
    const links = await page.locator('[data-testid="featureView-driver_hourly_stats"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(
      expect.arrayContaining([
        '#/registry?focus=entity-driver',
        '#/registry?focus=dataSource-driver_hourly_stats_source',
        '#/registry?focus=featureService-driver_activity',
        '#/preview?view=driver_hourly_stats',
      ]),
    );
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href'))).toBe('/manifest.webmanifest');
    await shoot('registry');
  });

  it('previews a feature view with statistics and plots computed in the worker', async () => {
    await open('preview?view=driver_hourly_stats');
    const card = page.locator('[data-testid="feature-acc_rate"]');
    await card.waitFor({ timeout: 60_000 });
    const text = await card.textContent();
    expect(text).toMatch(/null share\d+\.\d %/);
    expect(text).toMatch(/distinct\d+/);
    expect(await card.locator('svg.plot rect.bar').count()).toBeGreaterThan(1);
    expect(await card.locator('svg.plot polyline').count()).toBeGreaterThan(0);
    expect((await shownRows('preview-rows')).rows.length).toBe(10);
    await shoot('preview');
  });

  it("builds a training set through the page whose rows equal the Node API's, and refuses a bad entity file naming the column", async () => {
    await open('training');
    const bad = join(repo.dir, 'bad_entities.csv');
    await writeFile(bad, 'driver_id,event_timestamp,val_to_add\n1001,2021-04-12T10:59:42Z,1\n');
    await page.locator('[data-testid="entity-file"]').setInputFiles(bad);
    await page.locator('[data-testid="run-join"]').click();
    await expect.poll(() => page.locator('[data-testid="error"]').textContent()).toMatch(/bad_entities\.csv: no column 'customer_id'/);

    const entityFile = join(repo.repo, 'data', 'entity_df.csv');
    await page.locator('[data-testid="entity-file"]').setInputFiles(entityFile);
    await page.locator('[data-testid="run-join"]').click();
    await page.locator('[data-testid="training-rows"]').waitFor({ timeout: 120_000 });
    const shown = await shownRows('training-rows');

    const { store } = await openFeatureStore({ repoPath: repo.repo });
    try {
      const expected = await store.getHistoricalFeatures({ entityDf: { path: entityFile, format: 'csv' }, featureService: 'driver_activity' }).toRows();
      expect(shown.columns).toEqual(Object.keys(expected[0]));
      const sortRows = (rows: string[][]) => rows.map((r) => r.map(canonical)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sortRows(shown.rows)).toEqual(sortRows(expected.map((row) => shown.columns.map((c) => canonical(row[c])))));
      expect(shown.rows.length).toBe(6);
    } finally {
      await store.close();
    }

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="download-csv"]').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe(shown.columns.join(','));
    await page.locator('[data-testid="dataset-name"]').fill('e2e_training_set');
    await page.locator('[data-testid="save-dataset"]').click();
    await expect
      .poll(() => page.locator('[data-testid="dataset-saved"]').textContent(), { timeout: 60_000 })
      .toContain("Saved 6 rows as dataset 'e2e_training_set'");
    await shoot('training-set');
  });

  it('materializes with a progress bar; the Online page reads the rows PRESENT as of now and as of the window end, and once re-stamped PRESENT from the worker and from the Service Worker', async () => {
    await open('materialize');
    // The default window: the example data (generated relative to the build's time) up to now.
    const windowEnd = await page.locator('[data-testid="materialize-end"]').inputValue();
    await page.locator('[data-testid="materialize-run"]').click();
    await expect.poll(() => page.locator('[data-testid="materialize-summary"]').textContent(), { timeout: 120_000 }).toMatch(/Materialized \d+ rows/);
    expect(await page.locator('[data-testid="materialized-intervals"]').textContent()).toContain(windowEnd);
    await shoot('materialize');

    await open('online');
    await page.locator('[data-testid="key-driver_id"]').waitFor();
    await page.locator('[data-testid="online-lookup"]').click();
    await page.locator('[data-testid="online-http-vector"]').waitFor({ timeout: 60_000 });
    // Materialized, and the example data is of today (init generates it relative to now): within every ttl.
    const materialized = await onlineStatuses('online-vector');
    expect(materialized.conv_rate).toEqual(['PRESENT', 'PRESENT']);
    expect(materialized.current_balance).toEqual(['PRESENT', 'PRESENT']);
    // As of the window's end the same rows are within every ttl (drivers 1 day, customers 2 days): PRESENT.
    await page.locator('[data-testid="online-as-of-materialized"]').click();
    await expect.poll(() => page.locator('[data-testid="online-as-of"]').inputValue()).toContain(windowEnd);
    await page.locator('[data-testid="online-lookup"]').click();
    await expect.poll(async () => (await onlineStatuses('online-vector')).conv_rate, { timeout: 60_000 }).toEqual(['PRESENT', 'PRESENT']);
    const asOfEnd = await onlineStatuses('online-vector');
    for (const feature of ['conv_rate', 'avg_daily_trips', 'current_balance', 'conv_rate_plus_val'])
      expect(asOfEnd[feature], feature).toEqual(['PRESENT', 'PRESENT']);
    await page.locator('[data-testid="online-as-of"]').fill('');

    await page.locator('[data-testid="online-restamp"]').click();
    await expect
      .poll(() => page.locator('.notice').textContent(), { timeout: 60_000 })
      .toMatch(/Re-stamped as of now: driver_hourly_stats 2 rows, customer_profile 2 rows/);
    await page.locator('[data-testid="online-http-vector"]').waitFor({ timeout: 60_000 });
    const fromWorker = await onlineStatuses('online-vector');
    for (const feature of ['conv_rate', 'avg_daily_trips', 'current_balance', 'conv_rate_plus_val'])
      expect(fromWorker[feature], feature).toEqual(['PRESENT', 'PRESENT']);
    expect(await onlineStatuses('online-http-vector')).toEqual(fromWorker);
    expect(await page.locator('[data-testid="online-served-by"]').textContent()).toMatch(/^HTTP 200 from service-worker/);
    expect(await page.locator('[data-testid="online-latency"]').textContent()).toMatch(/lookup [\d.]+ m?s in the worker/);
    await shoot('online');
  });

  it('keeps the page responsive (no long task over 100 ms) while a 1,000,000-row join runs in the worker', { timeout: 300_000 }, async () => {
    await open('training');
    await page.locator('[data-testid="entity-count"]').fill('1000000');
    await page.locator('[data-testid="entity-source-generate"]').check();
    await page.evaluate(() => {
      const record = { longest: 0, longTasks: [] as number[], maxFrameGap: 0, running: true };
      (globalThis as Record<string, unknown>).__responsiveness = record;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          record.longTasks.push(entry.duration);
          record.longest = Math.max(record.longest, entry.duration);
        }
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const frame = (now: number) => {
        record.maxFrameGap = Math.max(record.maxFrameGap, now - last);
        last = now;
        if (record.running) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    await page.locator('[data-testid="run-join"]').click();
    await expect.poll(() => page.locator('[data-testid="training-result"]').getAttribute('data-rows'), { timeout: 240_000, interval: 1000 }).toBe('1000000');
    // The table is drawn after the rows arrive: let a frame pass so its cost is measured too.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
    const measured = await page.evaluate(() => {
      const record = (globalThis as Record<string, unknown>).__responsiveness as {
        longest: number;
        longTasks: number[];
        maxFrameGap: number;
        running: boolean;
      };
      record.running = false;
      return record;
    });
    console.log(
      `1M-row join: longest main-thread task ${measured.longest.toFixed(0)} ms (${measured.longTasks.length} over 50 ms), largest frame gap ${measured.maxFrameGap.toFixed(0)} ms; ${await page.locator('[data-testid="training-summary"]').textContent()}`,
    );
    expect(measured.longest).toBeLessThan(100);
    expect(await page.locator('[data-testid="training-summary"]').textContent()).toMatch(/^1,000,000 rows/);
    await shoot('training-set-1m');
  });

  it("loads a user's own registry.json and data files: the registry shown and the rows previewed are the picked ones", async () => {
    // A fresh profile, so the example repo the other tests use stays as it is.
    const own = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const ownPage = await own.newPage();
    const dir = await mkdtemp(join(tmpdir(), 'feast-edge-own-repo-'));
    try {
      const registry = JSON.parse(await readFile(join(repo.repo, 'data', 'registry.json'), 'utf8'));
      registry.project.description = 'My own repo, loaded from a file';
      await writeFile(join(dir, 'registry.json'), JSON.stringify(registry));
      // The user's data: every conv_rate 0.25, so the preview shows whose rows it read.
      const engine = await createNodeEngine({ engine: 'duckdb-native' });
      try {
        await writeFile(
          join(dir, 'driver_stats.parquet'),
          await engine.export(
            `SELECT * REPLACE (CAST(0.25 AS FLOAT) AS conv_rate) FROM read_parquet('${join(repo.repo, 'data', 'driver_stats.parquet')}')`,
            'parquet',
          ),
        );
      } finally {
        await engine.close();
      }
      await ownPage.goto(`${served.url}/#/registry`);
      await ownPage.waitForFunction(() => document.body.dataset.store === 'ready', undefined, { timeout: 60_000 });
      await ownPage.locator('summary', { hasText: 'Load your own repo' }).click();
      await ownPage.locator('[data-testid="registry-file"]').setInputFiles(join(dir, 'registry.json'));
      await expect
        .poll(() => ownPage.locator('details.panel').textContent(), { timeout: 30_000 })
        .toMatch(/Imported registry\.json: project 'driver_ranking', 3 feature views/);
      await expect.poll(() => ownPage.locator('main').textContent(), { timeout: 30_000 }).toContain('My own repo, loaded from a file');
      await ownPage.locator('[data-testid="data-files"]').setInputFiles(join(dir, 'driver_stats.parquet'));
      await ownPage.locator('button', { hasText: 'Use these files' }).click();
      await expect
        .poll(() => ownPage.locator('details.panel').textContent(), { timeout: 30_000 })
        .toContain('Registered driver_hourly_stats_source ← driver_stats.parquet');
      // Same visit (picked files are not kept across reloads): the preview reads the picked file.
      await ownPage.evaluate(() => {
        location.hash = '#/preview?view=driver_hourly_stats';
      });
      const card = ownPage.locator('[data-testid="feature-conv_rate"]');
      await card.waitFor({ timeout: 60_000 });
      const text = await card.textContent();
      expect(text).toMatch(/distinct1(?!\d)/);
      expect(text).toMatch(/min0\.25(?!\d)/);
      expect(text).toMatch(/max0\.25(?!\d)/);
    } finally {
      await own.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("after one visit works with the server stopped and the network cut: the app reloads and fetch('/get-online-features') answers", async () => {
    await served.stop();
    await context.setOffline(true);
    await page.goto('about:blank');
    await open('online');
    await page.locator('[data-testid="key-driver_id"]').waitFor();
    await page.locator('[data-testid="online-lookup"]').click();
    await page.locator('[data-testid="online-http-vector"]').waitFor({ timeout: 60_000 });
    expect((await onlineStatuses('online-vector')).conv_rate).toEqual(['PRESENT', 'PRESENT']);

    const answer = await page.evaluate(async () => {
      const response = await fetch('/get-online-features', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001, 1099] } }),
      });
      return { status: response.status, servedBy: response.headers.get('x-feast-edge-served-by'), json: await response.json() };
    });
    expect(answer).toMatchObject({ status: 200, servedBy: 'service-worker' });
    expect(answer.json.metadata.feature_names).toEqual(['driver_id', 'conv_rate']);
    expect(answer.json.results[1].statuses).toEqual(['PRESENT', 'NOT_FOUND']);

    // The offline half runs too: DuckDB's .wasm and the sample data come from the precache.
    await open('preview?view=customer_profile');
    await page.locator('[data-testid="feature-current_balance"]').waitFor({ timeout: 60_000 });
    await shoot('offline-online');
  });
});
