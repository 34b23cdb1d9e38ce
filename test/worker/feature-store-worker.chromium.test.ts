import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToRows } from '../../src/arrow/table-rows.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore, type OpenedRepo } from '../../src/runtime/node/open-feature-store.js';
import { callInPage, findChromium } from '../support/chromium.js';
import {
  afterDriverHour,
  DEFAULT_WORKER,
  OBSERVED_WORKER,
  databases,
  ok,
  plainRows,
  startWorkerFixture,
  type DecodedResult,
  type Outcome,
  type WorkerFixture,
} from './worker-fixture.js';

const found = findChromium() !== undefined;
/** Up to half an hour after driver hour 356, the hour of 1001's correction row (the data is relative to the fixture's making). */
const WINDOW = { start: afterDriverHour(0, -24 * 3600), end: afterDriverHour(356, 30 * 60) };
const ONLINE_REQUEST = {
  features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips', 'customer_profile:current_balance'],
  entityRows: [
    { driver_id: 1001, customer_id: 2001 },
    { driver_id: 1005, customer_id: 2010 },
    { driver_id: 4242, customer_id: 2002 },
  ],
  now: afterDriverHour(356, 3600),
};

let fixture: WorkerFixture;
let node: OpenedRepo;

describe.skipIf(!found)('the feature store in a Web Worker (Chromium)', () => {
  beforeAll(async () => {
    fixture = await startWorkerFixture();
    // The Node API over the same repo and data: the independent expectation.
    node = await openFeatureStore({ repoPath: fixture.repo });
    await node.store.apply(node.definitions);
  });
  afterAll(async () => {
    await node?.store.close();
    await fixture?.close();
  });

  it('connects, opens IndexedDB, applies the definitions module and finds its transforms matching on the next open', async () => {
    const page = await fixture.harness.openPage('page');
    await callInPage(page, 'connect', 'apply', DEFAULT_WORKER);
    expect(await ok(page, 'call', 'apply', 'open', databases('apply', fixture.harness.origin))).toEqual({
      project: 'driver_ranking',
      transforms: [],
      onlineStore: { type: 'indexeddb' },
      keptSources: [],
    });
    const diff = await ok<{ added: { kind: string; name: string }[] }>(page, 'call', 'apply', 'apply');
    expect(diff.added.map((a) => `${a.kind}:${a.name}`).sort()).toEqual(node.definitions.map((o) => `${o.kind}:${o.name}`).sort());
    const document = await ok<{ version: number; featureViews: Record<string, unknown> }>(page, 'call', 'apply', 'registryDocument');
    expect(document.version).toBe(1);
    expect(Object.keys(document.featureViews).sort()).toEqual(['customer_profile', 'driver_hourly_stats', 'driver_hourly_stats_fresh']);
    // The registry lives in IndexedDB: a second open (a reload) reads it back and checks the transforms against it.
    expect(await ok(page, 'call', 'apply', 'open', databases('apply', fixture.harness.origin))).toEqual({
      project: 'driver_ranking',
      transforms: ['transformed_conv_rate'],
      onlineStore: { type: 'indexeddb' },
      keptSources: [],
    });
    await callInPage(page, 'terminate', 'apply');
  });

  it("answers historical retrieval with the Node API's rows for the same definitions and data, with progress increasing", async () => {
    const page = await fixture.openStore('historical');
    await ok(page, 'call', 'historical', 'apply');
    const expected = plainRows(
      await node.store.getHistoricalFeatures({ entityDf: { path: join(fixture.repo, 'data', 'entity_df.csv') }, featureService: 'driver_activity' }).toRows(),
    );
    expect(expected).toHaveLength(6);
    // The entity file as a URL relative to sourceBaseUrl, as a page names a file of the app.
    const { rows, progress } = await callInPage<Outcome<DecodedResult> & { progress: { step: string; done: number }[] }>(
      page,
      'historicalWithProgress',
      'historical',
      {
        entityDf: { url: 'data/entity_df.csv' },
        featureService: 'driver_activity',
      },
    ).then((r) => ({ ...r.ok!, progress: r.progress }));
    expect(rows).toEqual(expected);
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.map((p) => p.done)).toEqual(progress.map((_, i) => i + 1));
    expect(progress.map((p) => p.step)).toContain('historical retrieval: loading source driver_hourly_stats_source');
    // Rows given inline join the same way.
    const csvRows = (await readFile(join(fixture.repo, 'data', 'entity_df.csv'), 'utf8'))
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [driver, customer, at, val] = line.split(',');
        return { driver_id: Number(driver), customer_id: Number(customer), event_timestamp: at, val_to_add: Number(val) };
      });
    const inline = await ok<DecodedResult>(page, 'historical', 'historical', { entityDf: csvRows, featureService: 'driver_activity' });
    expect(inline.rows.map(({ val_to_add: _v, ...r }) => r)).toEqual(expected.map(({ val_to_add: _v, ...r }) => r));
    await callInPage(page, 'terminate', 'historical');
  });

  it('materializes into IndexedDB and serves the same online response as the Node API', async () => {
    const page = await fixture.openStore('online');
    await ok(page, 'call', 'online', 'apply');
    const summary = await callInPage<Outcome<{ view: string; rows: number }[]> & { progress: { step: string; done: number; total?: number }[] }>(
      page,
      'materializeWithProgress',
      'online',
      WINDOW,
    );
    expect(summary.ok).toEqual([
      { view: 'customer_profile', rows: 10 },
      { view: 'driver_hourly_stats', rows: 10 },
      { view: 'driver_hourly_stats_fresh', rows: 10 },
    ]);
    expect(summary.progress).toEqual([
      { step: 'materialize customer_profile', done: 10, total: 10 },
      { step: 'materialize driver_hourly_stats', done: 10, total: 10 },
      { step: 'materialize driver_hourly_stats_fresh', done: 10, total: 10 },
    ]);
    await node.store.materialize(WINDOW);
    const expected = (await node.store.getOnlineFeatures(ONLINE_REQUEST)).toWire();
    const answered = await ok<{ response: unknown; lookupMs: number }>(page, 'call', 'online', 'getOnlineFeatures', ONLINE_REQUEST);
    expect(answered.response).toEqual(expected);
    expect(answered.lookupMs).toBeGreaterThanOrEqual(0);
    // Driver 1001 at hour 356 is the correction row (conv_rate 0.999), as the README says.
    expect(expected.results[expected.metadata.feature_names.indexOf('conv_rate')].values[0] as number).toBeCloseTo(0.999, 6);
    const document = await ok<{ featureViews: Record<string, { materializationIntervals: unknown[] }> }>(page, 'call', 'online', 'registryDocument');
    expect(document.featureViews.driver_hourly_stats.materializationIntervals).toEqual([{ start: WINDOW.start, end: WINDOW.end }]);
    await callInPage(page, 'terminate', 'online');
  });

  it("writes a training set as Parquet and CSV files and saves it as a dataset, each holding the Node API's rows", async () => {
    const page = await fixture.openStore('files');
    await ok(page, 'call', 'files', 'apply');
    const request = { entityDf: { url: 'data/entity_df.csv' }, featureService: 'driver_activity' };
    const expected = plainRows(
      await node.store.getHistoricalFeatures({ entityDf: { path: join(fixture.repo, 'data', 'entity_df.csv') }, featureService: 'driver_activity' }).toRows(),
    );
    // The Parquet file read back by native DuckDB in Node, not by the code that wrote it.
    const parquet = new Uint8Array(await ok<number[]>(page, 'exportHistorical', 'files', request, 'parquet'));
    expect(new TextDecoder().decode(parquet.subarray(0, 4))).toBe('PAR1');
    const engine = await createNodeEngine({ engine: 'duckdb-native' });
    try {
      await engine.registerBytes('exported', parquet, 'parquet');
      expect(plainRows(tableToRows(await engine.query('SELECT * FROM exported')))).toEqual(expected);
    } finally {
      await engine.close();
    }
    const csv = new TextDecoder()
      .decode(new Uint8Array(await ok<number[]>(page, 'exportHistorical', 'files', request, 'csv')))
      .trim()
      .split(/\r?\n/);
    expect(csv[0].split(',')).toEqual(Object.keys(expected[0]));
    expect(csv).toHaveLength(expected.length + 1);
    expect(csv.slice(1).map((line) => Number(line.split(',')[0]))).toEqual(expected.map((row) => row.driver_id));

    const { saved, read } = await ok<{ saved: { name: string; rowCount: number; features: string[] }; read: DecodedResult }>(
      page,
      'saveAndRead',
      'files',
      request,
      'worker_training_set',
    );
    expect(saved.name).toBe('worker_training_set');
    expect(saved.rowCount).toBe(expected.length);
    expect(read.rows).toEqual(expected);
    const document = await ok<{ savedDatasets: Record<string, unknown> }>(page, 'call', 'files', 'registryDocument');
    expect(Object.keys(document.savedDatasets)).toEqual(['worker_training_set']);
    await callInPage(page, 'terminate', 'files');
  });

  it('sends Arrow results as a transferred buffer: the worker-side buffer is detached after posting', async () => {
    const page = await fixture.openStore('transfer', OBSERVED_WORKER);
    await ok(page, 'call', 'transfer', 'apply');
    const before = (await callInPage<unknown[]>(page, 'transfers')).length;
    const result = await ok<DecodedResult & { ipcIsView: string }>(page, 'historical', 'transfer', {
      entityDf: [{ driver_id: 1001, event_timestamp: afterDriverHour(356, 59 * 60 + 42) }],
      features: ['driver_hourly_stats:conv_rate'],
    });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0].conv_rate as number).toBeCloseTo(0.999, 6);
    const transfers = (await callInPage<{ before: number[]; after: number[] }[]>(page, 'transfers')).slice(before);
    expect(transfers).toHaveLength(1);
    expect(transfers[0].before[0]).toBeGreaterThan(100);
    expect(transfers[0].after).toEqual([0]);
    expect(result.ipcIsView).toBe('whole buffer');
    await callInPage(page, 'terminate', 'transfer');
  });

  it('refuses to open a registry applied with other transform code, naming the view', async () => {
    const page = await fixture.openStore('transforms', OBSERVED_WORKER);
    await ok(page, 'call', 'transforms', 'apply');
    await callInPage(page, 'connect', 'changed', `${OBSERVED_WORKER}?transform=changed`);
    const refused = await callInPage<Outcome<unknown>>(page, 'call', 'changed', 'open', databases('transforms', fixture.harness.origin));
    expect(refused.error?.name).toBe('TransformMismatchError');
    expect(refused.error?.message).toContain("'transformed_conv_rate'");
    await callInPage(page, 'terminate', 'changed');
    await callInPage(page, 'terminate', 'transforms');
  });

  it("imports a user's registry.json as the project's registry, and names the field of a malformed one", async () => {
    const page = await fixture.openStore('import');
    const registryJson = JSON.parse(await readFile(join(fixture.repo, 'data', 'registry.json'), 'utf8'));
    const malformed = await callInPage<Outcome<unknown>>(page, 'call', 'import', 'importRegistry', { ...registryJson, entities: [] });
    expect(malformed.error).toEqual({ name: 'InvalidDefinitionError', message: 'registry document entities: expected an object keyed by name, got []' });
    const badView = structuredClone(registryJson);
    badView.featureViews.driver_hourly_stats.spec.kind = 'view';
    expect((await callInPage<Outcome<unknown>>(page, 'call', 'import', 'importRegistry', badView)).error?.message).toBe(
      `registry document featureViews['driver_hourly_stats'].spec.kind: expected 'featureView', got "view"`,
    );
    await ok(page, 'call', 'import', 'importRegistry', registryJson);
    const document = await ok<{ version: number; featureViews: Record<string, unknown>; onDemandFeatureViews: Record<string, unknown> }>(
      page,
      'call',
      'import',
      'registryDocument',
    );
    expect(document.featureViews).toEqual(registryJson.featureViews);
    expect(document.onDemandFeatureViews).toEqual(registryJson.onDemandFeatureViews);
    expect(document.version).toBe(1);
    // The imported registry serves: a historical retrieval over it needs no apply.
    const result = await ok<DecodedResult>(page, 'historical', 'import', {
      entityDf: [{ driver_id: 1002, event_timestamp: afterDriverHour(354, 12 * 60 + 10) }],
      features: ['driver_hourly_stats:avg_daily_trips'],
    });
    expect(result.rows[0].avg_daily_trips).toBe((1002 + 354) % 50);
    await callInPage(page, 'terminate', 'import');
  });

  it('previews a feature view with statistics equal to hand-computed ones for a tiny source', async () => {
    const page = await fixture.openStore('preview');
    await ok(page, 'call', 'preview', 'apply');
    const csv = [
      'driver_id,event_timestamp,created,conv_rate,acc_rate,avg_daily_trips',
      '1001,2021-04-10T00:00:00Z,2021-04-10T00:05:00Z,0.25,0.5,10',
      '1001,2021-04-10T01:00:00Z,2021-04-10T01:05:00Z,0.5,,20',
      '1002,2021-04-10T02:00:00Z,2021-04-10T02:05:00Z,1.0,0.5,30',
      '1002,2021-04-10T03:00:00Z,2021-04-10T03:05:00Z,,0.75,40',
    ].join('\n');
    await ok(page, 'call', 'preview', 'registerSource', 'driver_hourly_stats_source', { bytes: new TextEncoder().encode(csv), format: 'csv' });
    const preview = await ok<{ view: string; rowCount: number; firstRows: DecodedResult; features: Record<string, unknown>[] }>(
      page,
      'preview',
      'preview',
      'driver_hourly_stats',
      { firstRows: 2, bins: 2 },
    );
    expect(preview.view).toBe('driver_hourly_stats');
    expect(preview.rowCount).toBe(4);
    expect(preview.firstRows.rows).toEqual([
      { driver_id: 1001, event_timestamp: '2021-04-10T00:00:00.000Z', conv_rate: 0.25, acc_rate: 0.5, avg_daily_trips: 10 },
      { driver_id: 1001, event_timestamp: '2021-04-10T01:00:00.000Z', conv_rate: 0.5, acc_rate: null, avg_daily_trips: 20 },
    ]);
    const [conv, acc, trips] = preview.features;
    // Bins over [min, max] in `bins` equal parts; time buckets of ceil((03:00 - 00:00) / 2) = 1h30.
    expect(conv).toEqual({
      name: 'conv_rate',
      type: 'Float32',
      rows: 4,
      nullShare: 0.25,
      distinct: 3,
      min: 0.25,
      max: 1,
      mean: 1.75 / 3,
      histogram: [
        { from: 0.25, to: 0.625, count: 2 },
        { from: 0.625, to: 1, count: 1 },
      ],
      overTime: [
        { at: '2021-04-10T00:00:00Z', mean: 0.375 },
        { at: '2021-04-10T01:30:00Z', mean: 1 },
      ],
    });
    expect(acc).toMatchObject({ name: 'acc_rate', rows: 4, nullShare: 0.25, distinct: 2, min: 0.5, max: 0.75 });
    expect(acc.mean as number).toBeCloseTo(1.75 / 3, 12);
    expect(trips).toEqual({
      name: 'avg_daily_trips',
      type: 'Int64',
      rows: 4,
      nullShare: 0,
      distinct: 4,
      min: 10,
      max: 40,
      mean: 25,
      histogram: [
        { from: 10, to: 25, count: 2 },
        { from: 25, to: 40, count: 2 },
      ],
      overTime: [
        { at: '2021-04-10T00:00:00Z', mean: 15 },
        { at: '2021-04-10T01:30:00Z', mean: 35 },
      ],
    });
    await callInPage(page, 'terminate', 'preview');
  });
});
