import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { FIXTURE_PROJECT } from './fixture-definitions.js';
import { wireCases, type WireOutcome } from './wire-cases.js';

const found = findChromium() !== undefined;
const SCRIPT = '/service-worker.js';
const PROJECT = `?project=${FIXTURE_PROJECT}`;
let harness: Promise<ChromiumHarness> | undefined;
// One bundle and one browser for the file; each test has its own context (its own IndexedDB and registrations).
const chromium = () =>
  (harness ??= startChromium({
    entries: { 'sw-page': 'test/server/browser/service-worker-page.entry.ts' },
    serviceWorkers: { [SCRIPT]: { entry: 'targets/service-worker.ts', alias: { 'feast-edge-definitions': 'test/server/fixture-definitions.ts' } } },
  }).then((h) => h!));
afterAll(async () => {
  if (harness) await (await harness).close();
});

type Posted = { status: number; json: unknown } | { error: string };

/** A page of a fresh context, controlled by the worker registered from `script`; then the network is cut. */
async function controlledPage(h: ChromiumHarness, script: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext();
  const page = await h.openPage('sw-page', context);
  await callInPage(page, 'registerFeatureWorker', script);
  expect(await callInPage(page, 'controlledBy')).toBe(`${h.origin}${script}`);
  await context.setOffline(true);
  h.setServerDown(true);
  return { context, page };
}

const LATEST = {
  results: [
    { values: [1001, 1002], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z', '1970-01-01T00:00:00Z'] },
    { values: [0.6, 0.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
    { values: ['faster', 'slow'], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
  ],
  metadata: { feature_names: ['driver_id', 'conv_rate', 'label'] },
};
const latestRequest = { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:label'], entities: { driver_id: [1001, 1002] } };

describe.skipIf(!found)('the feature server in a Service Worker (Chromium)', () => {
  it('answers every wire case offline under its routes prefix, and keeps the written values across a reload and a worker restart', async () => {
    const h = await chromium();
    const { context, page } = await controlledPage(h, `${SCRIPT}${PROJECT}&routes=/feast`);
    try {
      const outcomes = await callInPage<WireOutcome[]>(page, 'runWire', '/feast');
      expect(outcomes.filter((o) => o.error)).toEqual([]);
      expect(outcomes).toHaveLength(wireCases.length);
      // No engine in a Service Worker: materialization answers the facade's error (a 5xx), as JSON.
      const materialized = (await callInPage<Posted>(page, 'post', '/feast/materialize', {
        start_ts: '2021-04-12T00:00:00Z',
        end_ts: '2021-04-13T00:00:00Z',
      })) as { status: number; json: unknown };
      expect(materialized.status).toBe(501);
      expect(materialized.json).toEqual(expect.stringContaining('not available'));

      await h.reload(page);
      expect(await callInPage(page, 'controlledBy')).toBe(`${h.origin}${SCRIPT}${PROJECT}&routes=/feast`);
      expect(await callInPage<Posted>(page, 'post', '/feast/get-online-features', latestRequest)).toEqual({ status: 200, json: LATEST });

      // A stopped worker starts again on the next request: the registry is rebuilt from the definitions, the rows come from IndexedDB.
      const cdp = await context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      expect(await callInPage<Posted>(page, 'post', '/feast/get-online-features', latestRequest)).toEqual({ status: 200, json: LATEST });
      // The metrics live in the worker's memory: one read since the restart proves it restarted.
      const metrics = await callInPage<{ status: number; text: string }>(page, 'get', '/feast/metrics');
      expect(metrics.text).toContain('feast_edge_requests_total{method="POST",route="/get-online-features",status="200"} 1\n');
    } finally {
      h.setServerDown(false);
      await context.close();
    }
  });

  it('at the root answers the Feast routes and lets every other path through to the network', async () => {
    const h = await chromium();
    const { context, page } = await controlledPage(h, `${SCRIPT}${PROJECT}`);
    try {
      const outcomes = await callInPage<WireOutcome[]>(page, 'runWire', '');
      expect(outcomes).toHaveLength(wireCases.length);
      // The one path that is not a Feast route went to the network, which is cut.
      expect(outcomes.filter((o) => o.error)).toEqual([{ name: 'an unknown route is a 404', error: expect.stringMatching(/fetch/i) }]);
      await h.reload(page);
      expect(await callInPage<Posted>(page, 'post', '/get-online-features', latestRequest)).toEqual({ status: 200, json: LATEST });
    } finally {
      h.setServerDown(false);
      await context.close();
    }
  });

  it('bundles into one classic script within its size budget', async () => {
    // About 526 KiB unminified: 300 of the feature server over IndexedDB, the rest Arrow and the
    // offline code, which the facade imports lazily and a one-file worker bundle inlines.
    expect((await chromium()).serviceWorkerBytes[SCRIPT]).toBeLessThan(600 * 1024);
  });
});
