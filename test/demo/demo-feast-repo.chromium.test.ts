import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from '../support/chromium.js';
import { startDemo, type StartedDemo } from '../support/demo-app.js';
import { newDemoPage, shootForReadme } from './demo-page.js';

// "Load your own repo" with the files real Feast 0.66 wrote (test/fixtures/feast/<repo>):
// registry.db, online_store.db and the Parquet sources picked through the page's file
// inputs, as a user does. Every expected value is read from Feast's files here: names from
// registry.json, training-set cells from historical-expected-*.parquet, online values from
// online-expected.json's server_json.
const chromiumPath = findChromium();
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feast');

interface RepoCase {
  readonly repo: 'quickstart' | 'rich';
  readonly source: string;
  /** The historical case (historical-cases.json) whose feature-view columns the page's join is compared with. */
  readonly historical: string;
  readonly features: readonly string[];
  /** Rows where Feast's file offline store is documented to differ (its created-timestamp tie-break is not honoured). */
  readonly skipRows: readonly number[];
  readonly online: string;
  /** The instant Feast materialized to: within the read views' ttls. */
  readonly asOf: string;
  /** An instant before every row of the read views' sources. */
  readonly before: string;
}

const CASES: readonly RepoCase[] = [
  {
    repo: 'quickstart',
    source: 'driver_stats.parquet',
    historical: 'features',
    features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate', 'driver_hourly_stats:avg_daily_trips'],
    skipRows: [],
    online: 'features_found_and_unknown',
    asOf: '2026-12-02T14:00:00Z',
    // The quickstart's rows are from 2026 (feast init makes them relative to its run).
    before: '2021-04-12T00:00:00Z',
  },
  {
    repo: 'rich',
    source: 'driver_stats.parquet',
    historical: 'driver_stats_only',
    features: ['driver_stats:conv_rate', 'driver_stats:acc_rate', 'driver_stats:avg_daily_trips'],
    skipRows: [3, 4],
    online: 'string_keys_incl_non_ascii',
    asOf: '2025-01-07T06:00:00Z',
    before: '2024-01-01T00:00:00Z',
  },
];

interface WireBody {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[] }[];
}

const fixture = (repo: string, file: string) => join(FIXTURES, repo, file);
const json = <T>(repo: string, file: string) => JSON.parse(readFileSync(fixture(repo, file), 'utf8')) as T;
const registryNames = (repo: string, collection: string) =>
  (json<Record<string, { spec?: { name: string }; name?: string }[]>>(repo, 'registry.json')[collection] ?? [])
    .map((o) => o.spec?.name ?? o.name!)
    .filter((n) => n !== '__dummy');

/** Feast's expected training set (historical-expected-<case>.parquet), read by DuckDB: row_id and the feature columns. */
async function feastTrainingRows(repo: string, historical: string, columns: readonly string[]): Promise<Record<string, number | null>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const select = ['CAST(row_id AS DOUBLE) AS row_id', ...columns.map((c) => `CAST("${c}" AS DOUBLE) AS "${c}"`)].join(', ');
    const reader = await connection.runAndReadAll(`SELECT ${select} FROM read_parquet('${fixture(repo, `historical-expected-${historical}.parquet`)}')`);
    return reader.getRowObjectsJS() as Record<string, number | null>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

let demo: StartedDemo;
let page: Page;

async function goto(route: string): Promise<void> {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, `#/${route}`);
}

async function pickFeatures(picker: string, refs: readonly string[]): Promise<void> {
  await page.locator(`[data-testid="${picker}-by-features"]`).check();
  for (const ref of refs) await page.locator(`main [data-ref="${ref}"]`).check();
}

beforeAll(async () => {
  if (!chromiumPath) return;
  demo = await startDemo('feast-edge-demo-feast-', chromiumPath);
  page = await newDemoPage(demo);
  await page.goto(`${demo.served.url}/#/registry`);
  await page.waitForFunction(() => document.body.dataset.store === 'ready', undefined, { timeout: 60_000 });
}, 300_000);

afterAll(async () => {
  await demo?.close();
});

// One page, in order: quickstart loaded over the example repo, then rich over quickstart, as a user switching repos.
describe.skipIf(!chromiumPath)("the demo app over Feast's own files (Chromium)", () => {
  for (const c of CASES) {
    it(`loads ${c.repo}'s registry.db and online_store.db through the page and lists Feast's objects under its project`, async () => {
      await goto('registry');
      const panel = page.locator('details.panel');
      if ((await panel.getAttribute('open')) === null) await page.locator('summary', { hasText: 'Load your own repo' }).click();
      await page.locator('[data-testid="registry-file"]').setInputFiles(fixture(c.repo, 'registry.db'));
      await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain(`Imported registry.db: project '${c.repo}'`);
      await expect.poll(() => page.locator('[data-testid="project-name"]').textContent(), { timeout: 30_000 }).toBe(c.repo);
      // The online store stays what it was (the previous repo's file, kept) until this repo's is picked.
      await expect.poll(() => page.locator('#store-status').textContent()).toMatch(new RegExp(`^project ${c.repo}( ·|$)`));

      const expected = [
        ...registryNames(c.repo, 'entities').map((n) => `entity-${n}`),
        ...registryNames(c.repo, 'data_sources').map((n) => `dataSource-${n}`),
        ...registryNames(c.repo, 'feature_views').map((n) => `featureView-${n}`),
        ...registryNames(c.repo, 'on_demand_feature_views').map((n) => `onDemandFeatureView-${n}`),
        ...registryNames(c.repo, 'stream_feature_views').map((n) => `streamFeatureView-${n}`),
        ...registryNames(c.repo, 'feature_services').map((n) => `featureService-${n}`),
      ];
      const shown = await page.locator('[data-testid="registry"] tr[data-testid]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
      expect([...shown].sort()).toEqual([...expected].sort());
      // Feast's on-demand views are Python: listed, each marked on its page as needing a TypeScript transform.
      const onDemand = registryNames(c.repo, 'on_demand_feature_views');
      for (const view of onDemand)
        expect(await page.locator(`[data-testid="onDemandFeatureView-${view}"]`).textContent()).toContain('Python: needs a TypeScript transform');
      for (const view of onDemand) {
        await goto(`on-demand-feature-view/${view}`);
        await expect
          .poll(() => page.locator(`[data-testid="needs-typescript-${view}"]`).textContent(), { timeout: 30_000 })
          .toContain('needs a TypeScript transform');
      }
      await goto('registry');

      await page.locator('[data-testid="online-store-file"]').setInputFiles(fixture(c.repo, 'online_store.db'));
      await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain(`Serving online_store.db as the online store of project '${c.repo}'`);
      await expect
        .poll(() => page.locator('#store-status').textContent())
        .toBe(`project ${c.repo} · online store: Feast's online_store.db in this browser (kept in OPFS)`);
    });

    it(`builds a ${c.repo} training set from Feast's Parquet data whose cells equal Feast's historical-expected-${c.historical}.parquet`, async () => {
      await goto('registry');
      await page.locator('[data-testid="data-files"]').setInputFiles(fixture(c.repo, `data/${c.source}`));
      await page.locator('button', { hasText: 'Use these files' }).click();
      await expect.poll(() => page.locator('details.panel').textContent(), { timeout: 30_000 }).toMatch(/Registered \w+ ← driver_stats\.parquet/);

      await goto('training');
      await page.locator('[data-testid="entity-file"]').setInputFiles(fixture(c.repo, 'entity_df.parquet'));
      await pickFeatures('training', c.features);
      // A Python on-demand view's features cannot be picked, and say why.
      for (const view of registryNames(c.repo, 'on_demand_feature_views')) {
        const box = page.locator(`main [data-ref^="${view}:"]`).first();
        expect(await box.isDisabled()).toBe(true);
        expect(await box.getAttribute('title')).toContain('needs a TypeScript transform');
      }
      await page.locator('[data-testid="run-join"]').click();
      const table = page.locator('[data-testid="training-rows"]');
      await Promise.race([
        table.waitFor({ timeout: 120_000 }),
        page
          .locator('main [data-testid="error"]')
          .waitFor({ timeout: 120_000 })
          .then(async () => {
            throw new Error(`the join failed: ${await page.locator('main [data-testid="error"]').textContent()}`);
          }),
      ]);
      const shown = await table.evaluate((t) => ({
        columns: [...t.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
        rows: [...t.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-value') ?? '')),
      }));
      const columns = c.features.map((f) => f.split(':')[1]);
      const at = (name: string) => shown.columns.indexOf(name);
      const ours = shown.rows.map((row) =>
        Object.fromEntries(['row_id', ...columns].map((col) => [col, row[at(col)] === 'null' ? null : Number(row[at(col)])])),
      );

      const feast = (await feastTrainingRows(c.repo, c.historical, columns)).filter((row) => !c.skipRows.includes(row.row_id!));
      expect(feast.length).toBeGreaterThan(5);
      for (const expected of feast) {
        const mine = ours.filter((row) => row.row_id === expected.row_id);
        expect(mine.length, `row_id ${expected.row_id}`).toBeGreaterThan(0);
        for (const row of mine) {
          for (const col of columns) {
            // Float32 features cross as float32 in both files: compared at float32 precision.
            const same = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.fround(a) === Math.fround(b));
            expect(same(row[col], expected[col]), `row_id ${expected.row_id} ${col}: ours ${row[col]}, Feast ${expected[col]}`).toBe(true);
          }
        }
      }
    });

    it(`reads ${c.repo}'s online features from Feast's online_store.db with Feast's values and statuses`, async () => {
      const request = json<{ requests: { name: string; features: string[]; entity_rows: Record<string, unknown>[]; server_json: WireBody }[] }>(
        c.repo,
        'online-expected.json',
      ).requests.find((r) => r.name === c.online)!;
      await goto('online');
      await pickFeatures('online', request.features);
      for (const key of Object.keys(request.entity_rows[0])) {
        await page.locator(`[data-testid="key-${key}"]`).fill(request.entity_rows.map((row) => String(row[key])).join(', '));
      }
      await page.locator('[data-testid="online-as-of"]').fill(c.asOf);
      await page.locator('[data-testid="online-lookup"]').click();
      const vector = page.locator('[data-testid="online-vector"]');
      await Promise.race([
        vector.waitFor({ timeout: 60_000 }),
        page
          .locator('main [data-testid="error"]')
          .waitFor({ timeout: 60_000 })
          .then(async () => {
            throw new Error(`the lookup failed: ${await page.locator('main [data-testid="error"]').textContent()}`);
          }),
      ]);
      const cells = await vector.evaluate((table) => {
        const out: Record<string, { value: unknown; status: string }[]> = {};
        for (const cell of table.querySelectorAll<HTMLElement>('td[data-feature]'))
          (out[cell.dataset.feature!] ??= []).push({ value: JSON.parse(cell.dataset.value!), status: cell.dataset.status! });
        return out;
      });
      const feast = Object.fromEntries(
        request.server_json.metadata.feature_names.map((name, i) => [
          name,
          request.server_json.results[i].values.map((value, row) => {
            const status = request.server_json.results[i].statuses[row];
            // feast-edge answers a stored null NULL_VALUE where Feast says PRESENT.
            return { value, status: status === 'PRESENT' && value === null ? 'NULL_VALUE' : status };
          }),
        ]),
      );
      expect(cells).toEqual(feast);
      expect(await page.locator('[data-testid="online-http-skipped"]').count()).toBe(1);
      expect(await page.locator('[data-testid="online-worker-result-store"]').textContent()).toBe(
        `Answered by Feast's online_store.db in this browser (kept in OPFS) (the Web Worker), as of ${new Date(c.asOf).toISOString()}`,
      );

      // As of an instant before every row Feast materialized (${c.asOf}), none of them existed yet: NOT_FOUND, not PRESENT.
      await page.locator('[data-testid="online-as-of"]').fill(c.before);
      await page.locator('[data-testid="online-lookup"]').click();
      await expect
        .poll(
          async () => {
            const statuses = await vector.evaluate((table) =>
              [...table.querySelectorAll<HTMLElement>('td[data-feature]')].map((td) => [td.dataset.feature, td.dataset.status]),
            );
            return [...new Set(statuses.filter(([feature]) => !Object.keys(request.entity_rows[0]).includes(feature!)).map(([, status]) => status))];
          },
          { timeout: 60_000 },
        )
        .toEqual(['NOT_FOUND']);
    });
  }

  it('keeps the loaded project, its online store and its picked data file across a reload', async () => {
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.store === 'ready', undefined, { timeout: 60_000 });
    await expect
      .poll(() => page.locator('#store-status').textContent(), { timeout: 30_000 })
      .toBe("project rich · online store: Feast's online_store.db in this browser (kept in OPFS)");
    await goto('registry');
    await expect.poll(() => page.locator('[data-testid="project-name"]').textContent(), { timeout: 30_000 }).toBe('rich');
    await expect.poll(() => page.locator('[data-testid="kept-sources"]').textContent(), { timeout: 30_000 }).toMatch(/← driver_stats\.parquet \(OPFS\)/);
    // The kept file is read without picking it again: the preview of the view over it has Feast's rows.
    const view = json<{ feature_views: { spec: { name: string; batch_source: { file_options: { uri: string } } } }[] }>(
      'rich',
      'registry.json',
    ).feature_views.find((v) => v.spec.batch_source.file_options.uri.endsWith('driver_stats.parquet'))!.spec.name;
    await goto(`preview?view=${view}`);
    await expect.poll(() => page.locator('[data-testid="preview-rows"] tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
  });

  it("shows a stream feature view's page: its push source, aggregations and windows", async () => {
    const stream = registryNames('rich', 'stream_feature_views')[0];
    await goto(`stream-feature-view/${stream}`);
    await expect.poll(() => page.locator('[data-testid="object-name"]').textContent(), { timeout: 30_000 }).toBe(stream);
    const aggregations = json<{ stream_feature_views: { spec: { name: string; aggregations: { column: string; function: string }[] } }[] }>(
      'rich',
      'registry.json',
    ).stream_feature_views[0].spec.aggregations;
    const rows = await page
      .locator('[data-testid="object-aggregations"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[1], r[2]])).toEqual(aggregations.map((a) => [a.function, a.column]));
    expect(await page.locator('[data-testid="object-lineage"] [data-node]').count()).toBeGreaterThan(1);
    await shootForReadme(page, 'stream-feature-view');
  });
});
