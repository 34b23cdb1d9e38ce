/**
 * What the worker suites share: the example repo `feast-edge init` writes (its data served
 * under /repo/), extra Parquet files made from the same SQL, and one Chromium with the
 * default worker entry and the test's observed worker bundled over the repo's definitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { initRepo } from '../../src/cli/init/init-repo.js';
import { driverStatsSql, newestSampleEvent } from '../../src/cli/init/sample-data.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { callInPage, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { isoAt, sampleData } from '../cli/expected-sample.js';

export const DEFAULT_WORKER = '/workers/default/feature-store.js';
export const OBSERVED_WORKER = '/workers/observed/feature-store.js';

/**
 * When the fixture's example repo is made: `init` generates its data relative to that
 * time, so the suites take their instants from `SAMPLE` (the data's documented formulas).
 */
const MADE_AT = new Date();
export const SAMPLE = sampleData(newestSampleEvent(MADE_AT).getTime());
/** An instant `seconds` after driver hour `h` of the sample data, as RFC 3339. */
export const afterDriverHour = (h: number, seconds = 0) => isoAt(SAMPLE.driverTime(h) + seconds * 1000);
/** The example data's driver rows as SQL, for extra files made from it. */
export const EXAMPLE_DRIVER_STATS_SQL = driverStatsSql(newestSampleEvent(MADE_AT));

/** The example data with every conv_rate replaced by `value` (a source whose rows a test can tell apart). */
export const constantConvRateSql = (value: number) => `SELECT * REPLACE (CAST(${value} AS FLOAT) AS conv_rate) FROM (${EXAMPLE_DRIVER_STATS_SQL})`;

/** Extra files under /repo/data/, by name: SQL whose result is written as Parquet. */
export type ExtraFiles = Readonly<Record<string, string>>;

export interface WorkerFixture {
  readonly repo: string;
  readonly harness: ChromiumHarness;
  /** A page, and a store on it connected to `script` and opened on databases named after `name`. */
  openStore(name: string, script?: string, page?: Page): Promise<Page>;
  close(): Promise<void>;
}

export async function startWorkerFixture(extra: ExtraFiles = {}): Promise<WorkerFixture> {
  const root = mkdtempSync(join(tmpdir(), 'feast-edge-worker-'));
  const repo = await initRepo(join(root, 'repo'), { now: MADE_AT });
  const engine = await createNodeEngine();
  try {
    for (const [name, sql] of Object.entries(extra)) await writeFile(join(repo, 'data', name), await engine.export(sql, 'parquet'));
  } finally {
    await engine.close();
  }
  const files: Record<string, string> = {};
  for (const name of ['driver_stats.parquet', 'customer_profile.parquet', 'entity_df.csv', ...Object.keys(extra)])
    files[`/repo/data/${name}`] = join(repo, 'data', name);
  const alias = { 'feast-edge-definitions': join(repo, 'definitions.ts'), 'feast-edge': 'src/index.ts' };
  const harness = (await startChromium({
    entries: { page: 'test/worker/browser/worker-page.entry.ts' },
    files,
    webWorkers: {
      [DEFAULT_WORKER]: { entry: 'targets/feature-store.worker.ts', alias },
      [OBSERVED_WORKER]: { entry: 'test/worker/browser/observed.worker.ts', alias },
    },
  }))!;
  return {
    repo,
    harness,
    async openStore(name, script = DEFAULT_WORKER, existing) {
      const page = existing ?? (await harness.openPage('page'));
      await callInPage(page, 'connect', name, script);
      const opened = await callInPage<{ error?: unknown }>(page, 'call', name, 'open', databases(name, harness.origin));
      if (opened.error) throw new Error(`open failed: ${JSON.stringify(opened.error)}`);
      return page;
    },
    async close() {
      await harness.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Open options with databases of their own per name, sources under /repo/. */
export const databases = (name: string, origin: string) => ({
  registryDatabase: `${name}-registry`,
  onlineDatabase: `${name}-online`,
  offlineDatabase: `${name}-offline`,
  sourceBaseUrl: `${origin}/repo/`,
});

export interface Outcome<T> {
  ok?: T;
  error?: { name: string; message: string };
  ms: number;
}

/** Calls a page function that answers an Outcome and returns its value, failing with the worker's error. */
export async function ok<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  const result = await callInPage<Outcome<T>>(page, fn, ...args);
  if (result.error) throw new Error(`${fn} ${String(args[1] ?? '')}: ${result.error.name}: ${result.error.message}`);
  return result.ok as T;
}

export interface DecodedResult {
  rows: Record<string, unknown>[];
  numRows: number;
  columns: string[];
}

/** Rows as the page reports them: timestamps as ISO strings, int64 as numbers. */
export function plainRows(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? Number(v) : v])),
  );
}
