import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { findChromium } from '../support/chromium.js';
import { startDemo, type StartedDemo } from '../support/demo-app.js';
import { newDemoPage } from './demo-page.js';

// "Load your own repo" with a registry of the example's own project holding a view of the
// user's, and the user's data file: files kept across a reload, and "Back to the example
// repo" leaving none of it (issue 13, finding 4).
const chromiumPath = findChromium();

let demo: StartedDemo;
let served: StartedDemo['served'];
let repo: StartedDemo['repo'];

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await startDemo('feast-edge-demo-own-', chromiumPath);
  ({ served, repo } = demo);
}, 300_000);

afterAll(async () => {
  await demo?.close();
});

describe.skipIf(!chromiumPath)("the demo app over a user's own repo (Chromium)", () => {
  describe("a user's own registry.json of the example's project, with a view of its own", () => {
    let own: BrowserContext;
    let ownPage: Page;
    let dir: string;
    let viewCount: number;
    const ready = () => ownPage.waitForFunction(() => document.body.dataset.store === 'ready', undefined, { timeout: 60_000 });
    const goto = (route: string) =>
      ownPage.evaluate((hash) => {
        location.hash = hash;
      }, `#/${route}`);
    const listed = () => ownPage.locator('[data-testid="registry"] tr[data-testid]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!));

    beforeAll(async () => {
      if (!chromiumPath) return;
      // A fresh profile, so the example repo the other tests use stays as it is.
      ownPage = await newDemoPage(demo);
      own = ownPage.context();
      dir = await mkdtemp(join(tmpdir(), 'feast-edge-own-repo-'));
      // The example's registry, plus a source, a view and a service of the user's (named to sort first, so the pickers default to them).
      const registry = JSON.parse(await readFile(join(repo.repo, 'data', 'registry.json'), 'utf8'));
      registry.project.description = 'My own repo, loaded from a file';
      const view = structuredClone(registry.featureViews.driver_hourly_stats);
      const source = { ...view.spec.batchSource, name: 'a_my_source', path: 'data/a_my_data.parquet' };
      view.spec = { ...view.spec, name: 'a_my_view', batchSource: source, tags: {} };
      view.materializationIntervals = [];
      registry.dataSources.a_my_source = { ...registry.dataSources.driver_hourly_stats_source, spec: source };
      registry.featureViews = { a_my_view: view, ...registry.featureViews };
      viewCount = Object.keys(registry.featureViews).length;
      const service = structuredClone(registry.featureServices.driver_activity);
      service.spec = { ...service.spec, name: 'a_my_service', projections: [{ ...service.spec.projections[0], viewName: 'a_my_view' }] };
      registry.featureServices = { a_my_service: service, ...registry.featureServices };
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
    });
    afterAll(async () => {
      await own?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('serves the picked registry and data files, and keeps the files (OPFS) across a reload', async () => {
      await ownPage.goto(`${served.url}/#/registry`);
      await ready();
      await ownPage.locator('summary', { hasText: 'Load your own repo' }).click();
      await ownPage.locator('[data-testid="registry-file"]').setInputFiles(join(dir, 'registry.json'));
      await expect
        .poll(() => ownPage.locator('details.panel').textContent(), { timeout: 30_000 })
        .toContain(`Imported registry.json: project 'driver_ranking', ${viewCount} feature views`);
      await expect.poll(() => ownPage.locator('main').textContent(), { timeout: 30_000 }).toContain('My own repo, loaded from a file');
      await ownPage.locator('[data-testid="data-files"]').setInputFiles(join(dir, 'driver_stats.parquet'));
      await ownPage.locator('button', { hasText: 'Use these files' }).click();
      await expect
        .poll(() => ownPage.locator('details.panel').textContent(), { timeout: 30_000 })
        .toContain('Registered driver_hourly_stats_source ← driver_stats.parquet, kept in this browser (OPFS)');

      // After a reload nothing is picked again: the kept file is what the preview reads.
      await ownPage.reload();
      await ready();
      await expect
        .poll(() => ownPage.locator('[data-testid="kept-sources"]').textContent(), { timeout: 30_000 })
        .toBe('Kept in this browser for the sources: driver_hourly_stats_source ← driver_stats.parquet (OPFS).');
      await goto('preview?view=driver_hourly_stats');
      const card = ownPage.locator('[data-testid="feature-conv_rate"]');
      await card.waitFor({ timeout: 60_000 });
      const text = await card.textContent();
      expect(text).toMatch(/distinct1(?!\d)/);
      expect(text).toMatch(/min0\.25(?!\d)/);
      expect(text).toMatch(/max0\.25(?!\d)/);
      // The user's own view reads a file never picked: the join names its source.
      await goto('training');
      await expect.poll(() => ownPage.locator('[data-testid="training-service"]').inputValue(), { timeout: 30_000 }).toBe('a_my_service');
      await ownPage.locator('[data-testid="run-join"]').click();
      await expect.poll(() => ownPage.locator('main [data-testid="error"]').textContent(), { timeout: 120_000 }).toContain('a_my_data.parquet');
    });

    it('"Back to the example repo" leaves none of it: the example\'s objects only, no kept files, and the Training page joins', async () => {
      await goto('registry');
      if ((await ownPage.locator('details.panel').getAttribute('open')) === null) await ownPage.locator('summary', { hasText: 'Load your own repo' }).click();
      await Promise.all([ownPage.waitForEvent('load', { timeout: 60_000 }), ownPage.locator('[data-testid="back-to-example"]').click()]);
      await ready();
      await goto('registry');
      const registry = JSON.parse(await readFile(join(repo.repo, 'data', 'registry.json'), 'utf8')) as Record<string, Record<string, unknown>>;
      await expect
        .poll(async () => (await listed()).filter((id) => id.startsWith('featureView-')).sort(), { timeout: 30_000 })
        .toEqual(
          Object.keys(registry.featureViews)
            .map((n) => `featureView-${n}`)
            .sort(),
        );
      expect(await listed()).not.toContain('featureService-a_my_service');
      expect(await listed()).not.toContain('dataSource-a_my_source');
      expect(await ownPage.locator('main').textContent()).not.toContain('My own repo, loaded from a file');
      expect(await ownPage.locator('[data-testid="kept-sources"]').textContent()).toBe('');

      await goto('training');
      await expect.poll(() => ownPage.locator('[data-testid="training-service"]').inputValue(), { timeout: 30_000 }).toBe('driver_activity');
      await ownPage.locator('[data-testid="run-join"]').click();
      await expect.poll(() => ownPage.locator('[data-testid="training-result"]').getAttribute('data-rows'), { timeout: 120_000 }).toBe('6');
      // The example's own file again, not the user's kept one.
      await goto('preview?view=driver_hourly_stats');
      const card = ownPage.locator('[data-testid="feature-conv_rate"]');
      await card.waitFor({ timeout: 60_000 });
      expect(await card.textContent()).not.toMatch(/max0\.25(?!\d)/);
    });
  });
});
