import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { DEFAULT_WORKER, ok, type Outcome } from './worker-fixture.js';

// The worker over the files real Feast 0.66 wrote (test/fixtures/feast/<repo>): its registry.db
// imported, its online_store.db served through sql.js. Expected values come from Feast's
// registry.json and online-expected.json only.
const found = findChromium() !== undefined;
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'feast');
const REPOS = ['quickstart', 'rich'] as const;
type Repo = (typeof REPOS)[number];

interface WireBody {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
}
interface OnlineCase {
  name: string;
  features: string[] | null;
  feature_service: string | null;
  entity_rows: Record<string, unknown>[];
  full_feature_names: boolean;
  server_json: WireBody;
}

const json = <T>(repo: Repo, file: string): T => JSON.parse(readFileSync(join(FIXTURES, repo, file), 'utf8')) as T;
const onlineCase = (repo: Repo, name: string) => json<{ requests: OnlineCase[] }>(repo, 'online-expected.json').requests.find((r) => r.name === name)!;
const names = (repo: Repo, collection: string) =>
  (json<Record<string, { spec: { name: string } }[]>>(repo, 'registry.json')[collection] ?? [])
    .map((o) => o.spec.name)
    .filter((n) => n !== '__dummy')
    .sort();

/** Cells by column name (Feast orders a view's features by a Python set). */
function byName(body: WireBody) {
  return Object.fromEntries(
    body.metadata.feature_names.map((name, i) => [
      name,
      body.results[i].values.map((value, row) => ({ value, status: body.results[i].statuses[row], time: body.results[i].event_timestamps[row] })),
    ]),
  );
}

/** Feast's answer as feast-edge gives it: a stored null is NULL_VALUE (Feast says PRESENT). */
const asFeastEdge = (body: WireBody) =>
  Object.fromEntries(
    Object.entries(byName(body)).map(([name, cells]) => [
      name,
      cells.map((c) => ({ ...c, status: c.status === 'PRESENT' && c.value === null ? 'NULL_VALUE' : c.status })),
    ]),
  );

/** The instant Feast's rows were materialized to: within every ttl of the views read here. */
const MATERIALIZED: Record<Repo, string> = { quickstart: '2026-12-02T14:00:00Z', rich: '2025-01-07T06:00:00Z' };
const REQUESTS: Record<Repo, string> = { quickstart: 'features_found_and_unknown', rich: 'string_keys_incl_non_ascii' };

let harness: ChromiumHarness;
let page: Page;
const databases = (name: string) => ({
  registryDatabase: `${name}-registry`,
  onlineDatabase: `${name}-online`,
  offlineDatabase: `${name}-offline`,
  sourceBaseUrl: `${harness.origin}/feast/`,
});

describe.skipIf(!found)("the worker over Feast's own files (Chromium)", () => {
  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const repo of REPOS) for (const file of ['registry.db', 'online_store.db']) files[`/feast/${repo}/${file}`] = join(FIXTURES, repo, file);
    files['/picked/driver_stats.parquet'] = join(FIXTURES, 'rich', 'data', 'driver_stats.parquet');
    harness = (await startChromium({
      entries: { page: 'test/worker/browser/worker-page.entry.ts' },
      files,
      webWorkers: {
        [DEFAULT_WORKER]: { entry: 'targets/feature-store.worker.ts', alias: { 'feast-edge-definitions': 'test/worker/browser/own-project-definitions.ts' } },
      },
    }))!;
    page = await harness.openPage('page');
  });
  afterAll(async () => {
    await harness?.close();
  });

  for (const repo of REPOS) {
    it(`imports ${repo}'s registry.db and serves its project, then reads Feast's online_store.db with Feast's answers`, async () => {
      const name = `import-${repo}`;
      await callInPage(page, 'connect', name, DEFAULT_WORKER);
      expect(await ok(page, 'call', name, 'open', databases(name))).toMatchObject({ project: 'own_project', onlineStore: { type: 'indexeddb' } });
      // Another project: the worker switches to it; the definitions' transform of the same name is not checked against Feast's Python one.
      expect(await ok(page, 'callWithFiles', name, 'importFeastRegistry', `$file:/feast/${repo}/registry.db`)).toMatchObject({ project: repo, transforms: [] });
      const doc = await ok<{ project: { name: string } } & Record<string, Record<string, { spec: { transformLanguage?: string } }>>>(
        page,
        'call',
        name,
        'registryDocument',
      );
      expect(doc.project.name).toBe(repo);
      expect(Object.keys(doc.entities).sort()).toEqual(names(repo, 'entities'));
      expect(Object.keys(doc.featureViews).sort()).toEqual(names(repo, 'feature_views'));
      expect(Object.keys(doc.featureServices).sort()).toEqual(names(repo, 'feature_services'));
      expect(Object.keys(doc.onDemandFeatureViews).sort()).toEqual(names(repo, 'on_demand_feature_views'));
      for (const view of Object.values(doc.onDemandFeatureViews)) expect(view.spec.transformLanguage).toBe('python');

      const opened = await ok(page, 'callWithFiles', name, 'open', {
        ...databases(name),
        project: repo,
        onlineStore: { type: 'feast-sqlite', file: `$file:/feast/${repo}/online_store.db`, name: `${name}/online_store.db` },
      });
      expect(opened).toMatchObject({ project: repo, onlineStore: { type: 'feast-sqlite', from: 'file' } });
      const request = onlineCase(repo, REQUESTS[repo]);
      const { response } = await ok<{ response: WireBody }>(page, 'call', name, 'getOnlineFeatures', {
        features: request.features,
        entityRows: request.entity_rows,
        now: MATERIALIZED[repo],
      });
      expect(byName(response)).toEqual(asFeastEdge(request.server_json));
      await callInPage(page, 'terminate', name);
    });
  }

  for (const keepIn of ['opfs', 'indexeddb'] as const) {
    it(`keeps Feast's online_store.db in ${keepIn}: a write, then a new worker opened without the file, reads it back`, async () => {
      const name = `keep-${keepIn}`;
      const onlineStore = { type: 'feast-sqlite', keepIn, name: `${name}/online_store.db` };
      await callInPage(page, 'connect', name, DEFAULT_WORKER);
      // The online store first, the registry second: the import keeps the open store.
      expect(
        await ok(page, 'callWithFiles', name, 'open', {
          ...databases(name),
          project: 'rich',
          onlineStore: { ...onlineStore, file: '$file:/feast/rich/online_store.db' },
        }),
      ).toMatchObject({ onlineStore: { type: 'feast-sqlite', keptIn: keepIn, from: 'file' } });
      expect(await ok(page, 'callWithFiles', name, 'importFeastRegistry', '$file:/feast/rich/registry.db')).toMatchObject({
        project: 'rich',
        onlineStore: { type: 'feast-sqlite', from: 'file' },
      });
      const row = {
        driver_id: 4242,
        event_timestamp: '2025-01-07T05:00:00Z',
        created: '2025-01-07T05:00:00Z',
        conv_rate: 0.5,
        acc_rate: 0.25,
        avg_daily_trips: 7,
      };
      expect(await ok(page, 'call', name, 'writeToOnlineStore', 'driver_stats', [row])).toEqual({ written: 1, skipped: 0 });
      await callInPage(page, 'terminate', name);

      await callInPage(page, 'connect', name, DEFAULT_WORKER);
      expect(await ok(page, 'call', name, 'open', { ...databases(name), project: 'rich', onlineStore })).toMatchObject({
        onlineStore: { type: 'feast-sqlite', keptIn: keepIn, from: 'kept' },
      });
      const { response } = await ok<{ response: WireBody }>(page, 'call', name, 'getOnlineFeatures', {
        features: ['driver_stats:conv_rate', 'driver_stats:avg_daily_trips'],
        entityRows: [{ driver_id: 4242 }, { driver_id: 1001 }],
        now: MATERIALIZED.rich,
      });
      const cells = byName(response);
      expect(cells.conv_rate[0]).toEqual({ value: 0.5, status: 'PRESENT', time: '2025-01-07T05:00:00Z' });
      expect(cells.avg_daily_trips[0]).toEqual({ value: 7, status: 'PRESENT', time: '2025-01-07T05:00:00Z' });
      // Feast's own row is still there (online-expected.json, features_found_and_unknown: driver 1001).
      const feast = byName(onlineCase('rich', 'features_found_and_unknown').server_json);
      expect(cells.conv_rate[1]).toEqual(feast.conv_rate[0]);
      await callInPage(page, 'terminate', name);
    });
  }

  it('keeps the files picked for sources when it reopens the same project on another online store', async () => {
    const name = 'reopen-sources';
    await callInPage(page, 'connect', name, DEFAULT_WORKER);
    await ok(page, 'call', name, 'open', databases(name));
    await ok(page, 'callWithFiles', name, 'importFeastRegistry', '$file:/feast/rich/registry.db');
    await ok(page, 'callWithFiles', name, 'registerSource', 'driver_stats_source', { file: '$file:/picked/driver_stats.parquet' });
    await ok(page, 'callWithFiles', name, 'open', {
      ...databases(name),
      project: 'rich',
      onlineStore: { type: 'feast-sqlite', file: '$file:/feast/rich/online_store.db', name: `${name}/online_store.db` },
    });
    // Nothing is served at the source's own path (under sourceBaseUrl): the preview reads the picked file or fails.
    const preview = await ok<{ rowCount: number }>(page, 'preview', name, 'driver_stats', { firstRows: 1 });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(FIXTURES, 'rich', 'data', 'driver_stats.parquet')}')`)
    ).getRowObjectsJS();
    connection.closeSync();
    instance.closeSync();
    expect(preview.rowCount).toBe(rows[0].n);
    await callInPage(page, 'terminate', name);
  });

  it('refuses a request that needs a Python on-demand view, naming it, and an online store it does not know, naming the choices', async () => {
    const name = 'python-view';
    await callInPage(page, 'connect', name, DEFAULT_WORKER);
    await ok(page, 'call', name, 'open', databases(name));
    await ok(page, 'callWithFiles', name, 'importFeastRegistry', '$file:/feast/rich/registry.db');
    const refused = await callInPage<Outcome<unknown>>(page, 'call', name, 'getOnlineFeatures', {
      features: ['driver_adjustments:conv_rate_plus_val'],
      entityRows: [{ driver_id: 1001, val_to_add: 1, multiplier: 2 }],
    });
    expect(refused.error?.message).toContain('driver_adjustments');
    expect(refused.error?.name).toBe('OnDemandTransformUnavailableError');
    // A source whose file was neither picked nor served is an error naming it, not a wait.
    const missing = await callInPage<Outcome<unknown>>(page, 'preview', name, 'driver_stats', { firstRows: 1 });
    expect(missing.error).toEqual({
      name: 'DataSourceNotFoundException',
      message: `source 'driver_stats_source': GET ${harness.origin}/feast/data/driver_stats.parquet answered 404`,
    });
    const unknown = await callInPage<Outcome<unknown>>(page, 'call', name, 'open', { ...databases(name), onlineStore: { type: 'redis' } });
    expect(unknown.error).toEqual({ name: 'ValueError', message: `open: onlineStore.type: expected 'indexeddb' or 'feast-sqlite', got "redis"` });
    await callInPage(page, 'terminate', name);
  });
});
