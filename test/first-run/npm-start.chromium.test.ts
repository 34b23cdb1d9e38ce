/**
 * Issue 13, finding 1: what a newcomer runs. `npm start` is `npm run build && npm run
 * build:demo && node scripts/start.mjs`; this suite builds what is stale (the package's
 * bundle, which the other CLI suites share, and the demo), runs scripts/start.mjs as npm
 * does, reads the URL it prints, and opens exactly that URL in the system Chromium.
 * (6566, Feast's feature-server port, was the printed port: Chromium refuses it.)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../demo/build/build-demo.js';
import { buildIfStale, ROOT } from '../cli/built-cli.js';
import { findChromium } from '../support/chromium.js';
import { launchChromium } from '../support/demo-app.js';
import { FETCH_BAD_PORTS, portOf } from './bad-ports.js';

const chromiumPath = findChromium();
const sh = promisify(execFile);

let start: ChildProcess;
let output = '';
let browser: Browser;
let appUrl: string;
let curl: string;

/** Whether a port is free on 127.0.0.1: the suite uses npm start's own ports when it can. */
function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

beforeAll(async () => {
  if (!chromiumPath) return;
  buildIfStale();
  await buildDemo();
  // The defaults unless another server holds them (then any free port; the printed URL says which).
  const defaults = (await free(6566)) && (await free(8888));
  if (!defaults) console.warn('npm start suite: 6566 or 8888 is taken on this machine; running with PORT=0 UI_PORT=0');
  start = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...process.env, ...(defaults ? {} : { PORT: '0', UI_PORT: '0' }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    start.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Whatever the wording: the URL after "open", and the curl line.
      const opened = output.match(/\bopen (https?:\/\/\S+)/);
      const curled = output.match(/(curl -s \S+\/get-online-features .*)$/m);
      if (opened && curled) {
        appUrl = opened[1];
        curl = curled[1];
        resolve();
      }
    });
    start.once('exit', (code) => reject(new Error(`scripts/start.mjs exited with ${code} before printing its URL:\n${output}`)));
  });
  browser = await launchChromium(chromiumPath);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (start && start.exitCode === null && start.signalCode === null) {
    const exited = new Promise((resolve) => start.once('exit', resolve));
    start.kill('SIGTERM');
    await exited;
  }
});

describe.skipIf(!chromiumPath)('npm start (scripts/start.mjs), opened as printed', () => {
  it('prints a training set, materializes up to now, and prints a URL on a port browsers allow', () => {
    expect(output).toMatch(/driver_id,customer_id,event_timestamp,val_to_add,conv_rate/);
    // Every entity's newest row, each view: the data is of today, whenever the repo was made.
    expect(output).toMatch(/Materialized 30 rows of 3 view\(s\)/);
    expect(appUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(FETCH_BAD_PORTS.has(portOf(appUrl)), `port ${portOf(appUrl)} is on the Fetch standard's bad-port list`).toBe(false);
  });

  it('the printed curl answers PRESENT for every stored feature: the example data is of today', async () => {
    const { stdout } = await sh('sh', ['-c', curl]);
    const wire = JSON.parse(stdout) as { metadata: { feature_names: string[] }; results: { statuses: string[] }[] };
    expect(wire.metadata.feature_names).toEqual([
      'driver_id',
      'customer_id',
      // Request data (val_to_add) is not echoed, as Feast's server answers.
      'conv_rate',
      'avg_daily_trips',
      'current_balance',
      'avg_passenger_count',
      'lifetime_trip_count',
      'conv_rate_plus_val',
    ]);
    for (const [i, column] of wire.results.entries()) expect(column.statuses, wire.metadata.feature_names[i]).toEqual(['PRESENT', 'PRESENT']);
  });

  it('opens exactly the printed URL in Chromium: the app renders, reaches the API at its origin, and the Online page shows PRESENT features', {
    timeout: 300_000,
  }, async () => {
    // A profile without Service Workers first: the page's own fetch reaches the server's routes at the app's origin.
    const plain = await browser.newContext({ serviceWorkers: 'block' });
    try {
      const page = await plain.newPage();
      const response = await page.goto(appUrl);
      expect(response?.status()).toBe(200);
      await page.waitForFunction(() => document.body.dataset.store === 'ready' || document.body.dataset.store === 'failed', undefined, { timeout: 120_000 });
      expect(await page.evaluate(() => document.body.dataset.store)).toBe('ready');
      await expect.poll(() => page.locator('[data-testid="project-name"]').textContent(), { timeout: 30_000 }).toBe('driver_ranking');
      const answer = await page.evaluate(async () => {
        const r = await fetch('/get-online-features', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            features: ['driver_hourly_stats:conv_rate', 'customer_profile:current_balance'],
            entities: { driver_id: [1001], customer_id: [2001] },
          }),
        });
        return { status: r.status, json: (await r.json()) as { results: { statuses: string[] }[] } };
      });
      expect(answer.status).toBe(200);
      expect(answer.json.results.map((r) => r.statuses[0])).toEqual(['PRESENT', 'PRESENT', 'PRESENT', 'PRESENT']);
    } finally {
      await plain.close();
    }

    // As a newcomer uses it: materialize in the page (the default window), then the Online page's default lookup.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      await page.goto(appUrl);
      await page.waitForFunction(() => document.body.dataset.store === 'ready', undefined, { timeout: 120_000 });
      await page.goto(`${appUrl}#/materialize`);
      await page.locator('[data-testid="materialize-run"]').click();
      // Read without waiting (a locator waits 30 s per call for the element), and the page's error
      // instead when it shows one: a failed run then fails here with its message.
      const summaryOrError = () =>
        page.evaluate(
          () =>
            document.querySelector('[data-testid="materialize-summary"]')?.textContent ??
            document.querySelector('main [data-testid="error"]')?.textContent ??
            '',
        );
      await expect.poll(summaryOrError, { timeout: 120_000 }).toMatch(/Materialized \d+ rows/);
      await page.goto(`${appUrl}#/online`);
      await page.locator('[data-testid="key-driver_id"]').waitFor({ timeout: 60_000 });
      await page.locator('[data-testid="online-lookup"]').click();
      await page.locator('[data-testid="online-vector"]').waitFor({ timeout: 60_000 });
      const statuses = await page.locator('[data-testid="online-vector"]').evaluate((table) => {
        const out: Record<string, string[]> = {};
        for (const cell of table.querySelectorAll<HTMLElement>('td[data-feature]')) (out[cell.dataset.feature!] ??= []).push(cell.dataset.status!);
        return out;
      });
      for (const feature of ['conv_rate', 'avg_daily_trips', 'current_balance', 'conv_rate_plus_val'])
        expect(statuses[feature], feature).toEqual(['PRESENT', 'PRESENT']);
    } finally {
      await context.close();
    }
  });
});
