import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.js';
import { startDemo, type StartedDemo } from '../support/demo-app.js';
import { demoPageHelpers, newDemoPage, shootForReadme } from './demo-page.js';

// The registry's pages as Feast's web UI has them: the overview with counts, tags and
// search, the lineage graph, and one page per object, over the example repo applied by
// the CLI (its registry.json is the expectation).
const chromiumPath = findChromium();
/** Asked for first, so the origin the pages show is the same in every run (any free port when it is taken). */
const DEMO_PORT = 47_322;

let demo: StartedDemo;
let page: Page;
let served: StartedDemo['served'];
let repo: StartedDemo['repo'];

/** The rows listed on the Registry page, by test id ('featureView-driver_hourly_stats'). */
const listedObjects = () => page.locator('[data-testid="registry"] tr[data-testid]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!));
const { hrefs, open, shownRows } = demoPageHelpers(
  () => page,
  () => served.url,
);

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await startDemo('feast-edge-demo-registry-', chromiumPath, { port: DEMO_PORT });
  ({ served, repo } = demo);
  page = await newDemoPage(demo);
}, 300_000);

afterAll(async () => {
  await demo?.close();
});

describe.skipIf(!chromiumPath)("the demo's registry pages (Chromium, served by feast-edge serve --ui)", () => {
  it('lists the registry with tags, descriptions and counts, and searches it by tag and feature', async () => {
    await open('registry');
    await expect.poll(() => page.locator('[data-testid="project-name"]').textContent(), { timeout: 30_000 }).toBe('driver_ranking');
    const registry = JSON.parse(await readFile(join(repo.repo, 'data', 'registry.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    // Every object of the registry file the CLI applied is listed once, under its kind.
    const expected = [
      ...Object.keys(registry.entities).map((n) => `entity-${n}`),
      ...Object.keys(registry.dataSources).map((n) => `dataSource-${n}`),
      ...Object.keys(registry.featureViews).map((n) => `featureView-${n}`),
      ...Object.keys(registry.onDemandFeatureViews).map((n) => `onDemandFeatureView-${n}`),
      ...Object.keys(registry.featureServices).map((n) => `featureService-${n}`),
    ];
    await expect.poll(async () => [...(await listedObjects())].sort()).toEqual([...expected].sort());
    expect(await page.locator('[data-testid="featureView-driver_hourly_stats"]').textContent()).toContain('team: driver_performance');
    expect(await page.locator('[data-testid="entity-driver"]').textContent()).toContain('A driver');
    expect(await page.locator('[data-testid="registry-counts"]').textContent()).toContain(`${Object.keys(registry.featureViews).length}Feature views`);
    await shootForReadme(page, 'registry');

    // A tag finds the objects carrying it (the chip links to that search); a feature name finds its views and services.
    await page.locator('[data-testid="featureView-driver_hourly_stats"] a.tag').click();
    await expect.poll(() => page.locator('[data-testid="registry-search"]').inputValue()).toBe('team:driver_performance');
    await expect.poll(listedObjects).toContain('featureView-driver_hourly_stats');
    for (const row of await listedObjects()) expect(await page.locator(`[data-testid="${row}"]`).textContent(), row).toContain('team: driver_performance');
    await page.locator('[data-testid="registry-search"]').fill('conv_rate_plus_val');
    await expect.poll(listedObjects).toEqual(['onDemandFeatureView-transformed_conv_rate', 'featureService-driver_activity']);
    await page.locator('[data-testid="registry-search"]').fill('no_such_thing');
    await expect.poll(listedObjects).toEqual([]);
    expect(await page.locator('[data-testid="registry-matches"]').textContent()).toMatch(/^0 of \d+ objects match 'no_such_thing'/);
  });

  it('draws the lineage from sources to views to services, every box a link to its page', async () => {
    await open('lineage');
    const graph = page.locator('[data-testid="lineage"] svg');
    await graph.waitFor({ timeout: 30_000 });
    const nodes = await graph.locator('[data-node]').evaluateAll((as) => as.map((a) => [a.getAttribute('data-node'), a.getAttribute('href')]));
    const registry = JSON.parse(await readFile(join(repo.repo, 'data', 'registry.json'), 'utf8')) as Record<string, Record<string, unknown>>;
    const routes: Record<string, string> = {
      entities: 'entity',
      dataSources: 'data-source',
      featureViews: 'feature-view',
      onDemandFeatureViews: 'on-demand-feature-view',
      featureServices: 'feature-service',
    };
    const kinds: Record<string, string> = {
      entities: 'entity',
      dataSources: 'dataSource',
      featureViews: 'featureView',
      onDemandFeatureViews: 'onDemandFeatureView',
      featureServices: 'featureService',
    };
    expect(nodes.sort()).toEqual(
      Object.entries(routes)
        .flatMap(([collection, route]) => Object.keys(registry[collection]).map((name) => [`${kinds[collection]}:${name}`, `#/${route}/${name}`]))
        .sort(),
    );
    const edges = await graph.locator('[data-edge]').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-edge')));
    // What definitions.ts says feeds what (template.ts): each source and entity into its view, the views and the request source into the on-demand view, all three into the service.
    expect(edges).toEqual(
      expect.arrayContaining([
        'entity:driver->featureView:driver_hourly_stats',
        'dataSource:driver_hourly_stats_source->featureView:driver_hourly_stats',
        'entity:customer->featureView:customer_profile',
        'dataSource:customer_profile_source->featureView:customer_profile',
        'dataSource:driver_hourly_stats_source->dataSource:driver_stats_push_source',
        'featureView:driver_hourly_stats->onDemandFeatureView:transformed_conv_rate',
        'dataSource:vals_to_add->onDemandFeatureView:transformed_conv_rate',
        'featureView:driver_hourly_stats->featureService:driver_activity',
        'featureView:customer_profile->featureService:driver_activity',
        'onDemandFeatureView:transformed_conv_rate->featureService:driver_activity',
      ]),
    );
    await shootForReadme(page, 'lineage');
  });

  it('gives every object a page with its fields, metadata, freshness per store, what it uses and what uses it', async () => {
    await open('feature-view/driver_hourly_stats');
    await expect.poll(() => page.locator('[data-testid="object-name"]').textContent(), { timeout: 30_000 }).toBe('driver_hourly_stats');
    expect(await shownRows('object-features')).toMatchObject({
      columns: ['name', 'type', 'description', 'tags'],
      rows: [
        ['conv_rate', 'Float32', '', ''],
        ['acc_rate', 'Float32', '', ''],
        ['avg_daily_trips', 'Int64', '', ''],
      ],
    });
    expect(await hrefs('[data-testid="object-properties"] a')).toEqual(
      expect.arrayContaining([
        '#/entity/driver',
        '#/data-source/driver_hourly_stats_source',
        '#/on-demand-feature-view/transformed_conv_rate',
        '#/feature-service/driver_activity',
      ]),
    );
    expect(await page.locator('[data-testid="object-properties"]').textContent()).toContain('ttl1 d');
    expect(await page.locator('[data-testid="object-metadata"]').textContent()).toContain('team: driver_performance');
    // Freshness names each store: this browser's, and the server's (its own registry, GET /registry).
    const freshness = page.locator('[data-testid="freshness-driver_hourly_stats"]');
    expect(await freshness.locator('dt').allTextContents()).toEqual(["this browser's IndexedDB", `the server at ${served.url}`]);
    await expect.poll(() => freshness.locator('dd[data-store="server"]').textContent()).toBe('never materialized');
    expect(await page.locator('[data-testid="object-lineage"] [data-node="featureView:driver_hourly_stats"]').getAttribute('class')).toContain('focus');
    await shootForReadme(page, 'feature-view');

    await open('entity/driver');
    await expect.poll(() => page.locator('[data-testid="object-properties"]').textContent(), { timeout: 30_000 }).toContain('join keydriver_id');
    expect(await page.locator('[data-testid="object-properties"]').textContent()).toContain('value typeInt64');
    expect(await page.locator('[data-testid="object-description"]').textContent()).toBe('A driver');
    expect(await hrefs('[data-testid="object-properties"] a')).toContain('#/feature-view/driver_hourly_stats');
    await shootForReadme(page, 'entity');

    await open('data-source/driver_hourly_stats_source');
    await expect.poll(() => page.locator('[data-testid="object-properties"]').textContent(), { timeout: 30_000 }).toContain('pathdata/driver_stats.parquet');
    const source = await page.locator('[data-testid="object-properties"]').textContent();
    expect(source).toContain('event timeevent_timestamp');
    expect(source).toContain('created timecreated');
    expect(await hrefs('[data-testid="object-properties"] a')).toEqual(
      expect.arrayContaining(['#/feature-view/driver_hourly_stats', '#/data-source/driver_stats_push_source']),
    );
    await shootForReadme(page, 'data-source');

    await open('on-demand-feature-view/transformed_conv_rate');
    await expect.poll(() => page.locator('[data-testid="object-transform"]').textContent(), { timeout: 30_000 }).toContain('conv_rate_plus_val');
    expect(await page.locator('[data-testid="object-properties"]').textContent()).toContain('request fieldsval_to_add');
    await shootForReadme(page, 'on-demand-feature-view');

    await open('feature-service/driver_activity');
    await page.locator('[data-testid="object-curl"]').waitFor({ timeout: 30_000 });
    expect((await shownRows('object-projections')).rows.map((r) => r[0])).toEqual(['driver_hourly_stats', 'customer_profile', 'transformed_conv_rate']);
    // The request the page writes out is one the server answers.
    const curl = (await page.locator('[data-testid="object-curl"]').textContent())!;
    expect(curl).toContain(`curl -s ${served.url}/get-online-features -H 'content-type: application/json'`);
    const answer = await fetch(`${served.url}/get-online-features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: /-d '(.*)'/s.exec(curl)![1],
    });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { metadata: { feature_names: string[] } }).metadata.feature_names).toContain('conv_rate_plus_val');
    await shootForReadme(page, 'feature-service');

    await open('feature-view/no_such_view');
    await expect
      .poll(() => page.locator('main [data-testid="error"]').textContent(), { timeout: 30_000 })
      .toMatch(/^Project 'driver_ranking' has no feature view 'no_such_view'; feature views: customer_profile, driver_hourly_stats/);
  });
});
