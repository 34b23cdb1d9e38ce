import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { callInPage, findChromium } from '../support/chromium.js';
import {
  afterDriverHour,
  constantConvRateSql,
  databases,
  DEFAULT_WORKER,
  EXAMPLE_DRIVER_STATS_SQL,
  ok,
  startWorkerFixture,
  type DecodedResult,
  type Outcome,
  type WorkerFixture,
} from './worker-fixture.js';

const found = findChromium() !== undefined;
/** The example rows with a 2,000-character column no view reads, in the middle of the file: a reader that skips it fetches a fraction of the bytes. */
const WIDE_SQL = `SELECT driver_id, event_timestamp, created,
  (SELECT string_agg(md5(driver_id::VARCHAR || epoch(event_timestamp)::VARCHAR || i::VARCHAR), '') FROM range(62) r(i)) AS notes,
  CAST(0.75 AS FLOAT) AS conv_rate, acc_rate, avg_daily_trips FROM (${EXAMPLE_DRIVER_STATS_SQL})`;
const REQUEST = {
  entityDf: [{ driver_id: 1003, event_timestamp: afterDriverHour(300, 40 * 60 + 26) }],
  features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
};
/** Driver 1003's latest row 40 minutes after hour 300 is hour 300's, so avg_daily_trips = (1003 + 300) % 50. */
const TRIPS = (1003 + 300) % 50;

let fixture: WorkerFixture;

describe.skipIf(!found)('file sources in the Web Worker (Chromium)', () => {
  beforeAll(async () => {
    fixture = await startWorkerFixture({ 'half.parquet': constantConvRateSql(0.5), 'quarter.parquet': constantConvRateSql(0.25), 'wide.parquet': WIDE_SQL });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('reads a relative source path as a URL under sourceBaseUrl, with range requests', async () => {
    const page = await fixture.openStore('path');
    await ok(page, 'call', 'path', 'apply');
    fixture.harness.clearRequests();
    const result = await ok<DecodedResult>(page, 'historical', 'path', REQUEST);
    expect(result.rows[0].avg_daily_trips).toBe(TRIPS);
    const reads = fixture.harness.requests.filter((r) => r.path === '/repo/data/driver_stats.parquet');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.range !== undefined)).toBe(true);
    await callInPage(page, 'terminate', 'path');
  });

  it('reads a URL source with HTTP range requests for the asked columns only', async () => {
    const page = await fixture.openStore('url');
    await ok(page, 'call', 'url', 'apply');
    await ok(page, 'call', 'url', 'registerSource', 'driver_hourly_stats_source', { url: `${fixture.harness.origin}/repo/data/wide.parquet` });
    fixture.harness.clearRequests();
    const result = await ok<DecodedResult>(page, 'historical', 'url', REQUEST);
    expect(result.rows[0]).toMatchObject({ conv_rate: 0.75, avg_daily_trips: TRIPS });
    const size = statSync(join(fixture.repo, 'data', 'wide.parquet')).size;
    const reads = fixture.harness.requests.filter((r) => r.path === '/repo/data/wide.parquet');
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.method === 'HEAD' || r.range !== undefined)).toBe(true);
    const fetched = reads.reduce((sum, r) => {
      const [, from, to] = /^bytes=(\d*)-(\d*)$/.exec(r.range ?? '') ?? [];
      return sum + (r.range === undefined ? 0 : from === '' ? Number(to) : (to === '' ? size - 1 : Number(to)) - Number(from) + 1);
    }, 0);
    expect(size).toBeGreaterThan(1_000_000);
    expect(fetched).toBeLessThan(size / 10);
    await callInPage(page, 'terminate', 'url');
  });

  it("reads a user's File", async () => {
    const page = await fixture.openStore('file');
    await ok(page, 'call', 'file', 'apply');
    expect(await ok(page, 'registerFetched', 'file', 'driver_hourly_stats_source', '/repo/data/half.parquet', 'file')).toBeUndefined();
    const result = await ok<DecodedResult>(page, 'historical', 'file', REQUEST);
    expect(result.rows[0]).toMatchObject({ conv_rate: 0.5, avg_daily_trips: TRIPS });
    await callInPage(page, 'terminate', 'file');
  });

  it('reads a file of the origin private file system', async () => {
    const page = await fixture.openStore('opfs');
    await ok(page, 'call', 'opfs', 'apply');
    await ok(page, 'registerFetched', 'opfs', 'driver_hourly_stats_source', '/repo/data/quarter.parquet', 'opfs', 'sources/quarter.parquet');
    const result = await ok<DecodedResult>(page, 'historical', 'opfs', REQUEST);
    expect(result.rows[0]).toMatchObject({ conv_rate: 0.25, avg_daily_trips: TRIPS });
    await callInPage(page, 'terminate', 'opfs');
  });

  it('keeps a picked file for its source across a new worker (OPFS): open registers it again and lists it; forgetSources drops it', async () => {
    const page = await fixture.openStore('kept');
    await ok(page, 'call', 'kept', 'apply');
    // What the source reads from its own path: the value to see again once the kept file is forgotten.
    const own = (await ok<DecodedResult>(page, 'historical', 'kept', REQUEST)).rows[0].conv_rate;
    expect(own).not.toBe(0.25);
    const kept = await ok(
      page,
      'callWithFiles',
      'kept',
      'registerSource',
      'driver_hourly_stats_source',
      { file: '$file:/repo/data/quarter.parquet' },
      { keep: true },
    );
    expect(kept).toEqual({
      source: 'driver_hourly_stats_source',
      fileName: 'quarter.parquet',
      format: 'parquet',
      bytes: statSync(join(fixture.repo, 'data', 'quarter.parquet')).size,
      keptIn: 'opfs',
    });
    // A new worker on the same origin, as after a reload: nothing registered but what was kept.
    const reopen = async () => {
      await callInPage(page, 'terminate', 'kept');
      await callInPage(page, 'connect', 'kept', DEFAULT_WORKER);
      return ok<{ keptSources: unknown[] }>(page, 'call', 'kept', 'open', databases('kept', fixture.harness.origin));
    };
    expect((await reopen()).keptSources).toEqual([kept]);
    expect((await ok<DecodedResult>(page, 'historical', 'kept', REQUEST)).rows[0]).toMatchObject({ conv_rate: 0.25, avg_daily_trips: TRIPS });
    expect(await ok(page, 'call', 'kept', 'keptSources')).toEqual([kept]);

    await ok(page, 'call', 'kept', 'forgetSources');
    expect(await ok(page, 'call', 'kept', 'keptSources')).toEqual([]);
    // The source reads its own path again, in this worker and the next.
    expect((await ok<DecodedResult>(page, 'historical', 'kept', REQUEST)).rows[0].conv_rate).toBe(own);
    expect((await reopen()).keptSources).toEqual([]);
    await callInPage(page, 'terminate', 'kept');
  });

  it('restores the definitions as on a first visit: objects imported over them, online rows and kept files go', async () => {
    const page = await fixture.openStore('restore');
    await ok(page, 'call', 'restore', 'apply');
    const own = (await ok<DecodedResult>(page, 'historical', 'restore', REQUEST)).rows[0].conv_rate;
    // A registry imported over the same project, with a view of its own.
    const doc = await ok<{ featureViews: Record<string, { spec: Record<string, unknown> }> }>(page, 'call', 'restore', 'registryDocument');
    const extra = structuredClone(doc.featureViews.driver_hourly_stats);
    extra.spec = { ...extra.spec, name: 'imported_view' };
    await ok(page, 'call', 'restore', 'importRegistry', { ...doc, featureViews: { ...doc.featureViews, imported_view: extra } });
    await ok(page, 'call', 'restore', 'writeToOnlineStore', 'driver_hourly_stats', [
      { driver_id: 1001, event_timestamp: '2021-04-12T10:00:00Z', conv_rate: 0.5, acc_rate: 0.5, avg_daily_trips: 5 },
    ]);
    await ok(page, 'callWithFiles', 'restore', 'registerSource', 'driver_hourly_stats_source', { file: '$file:/repo/data/half.parquet' }, { keep: true });

    const diff = await ok<{ added: unknown[] }>(page, 'call', 'restore', 'restoreDefinitions');
    expect(diff.added.length).toBeGreaterThan(0);
    const restored = await ok<{ featureViews: Record<string, { materializationIntervals: unknown[] }> }>(page, 'call', 'restore', 'registryDocument');
    expect(Object.keys(restored.featureViews).sort()).toEqual(Object.keys(doc.featureViews).sort());
    const online = await ok<{ response: { results: { statuses: string[] }[] } }>(page, 'call', 'restore', 'getOnlineFeatures', {
      features: ['driver_hourly_stats:conv_rate'],
      entityRows: [{ driver_id: 1001 }],
    });
    expect(online.response.results[1].statuses).toEqual(['NOT_FOUND']);
    expect(await ok(page, 'call', 'restore', 'keptSources')).toEqual([]);
    expect((await ok<DecodedResult>(page, 'historical', 'restore', REQUEST)).rows[0].conv_rate).toBe(own);

    // Another project has no definitions to restore.
    await ok(page, 'call', 'restore', 'open', { ...databases('restore', fixture.harness.origin), project: 'someone_else' });
    const refused = await callInPage<Outcome<unknown>>(page, 'call', 'restore', 'restoreDefinitions');
    expect(refused.error).toEqual({
      name: 'ValueError',
      message: "restoreDefinitions: project 'someone_else' is not the definitions module's project ('driver_ranking'); open() that project first",
    });
    await callInPage(page, 'terminate', 'restore');
  });

  it('names the field of a bad source input, and the valid sources of an unknown one', async () => {
    const page = await fixture.openStore('bad');
    await ok(page, 'call', 'bad', 'apply');
    const noFormat = await callInPage<Outcome<unknown>>(page, 'call', 'bad', 'registerSource', 'driver_hourly_stats_source', { bytes: new Uint8Array([1]) });
    expect(noFormat.error).toEqual({
      name: 'InvalidSourceInputError',
      message: "registerSource('driver_hourly_stats_source').format: expected 'parquet' or 'csv' (bytes carry no file name), got nothing",
    });
    const unknown = await callInPage<Outcome<unknown>>(page, 'call', 'bad', 'registerSource', 'nope', { url: 'x.parquet' });
    expect(unknown.error?.message).toBe("registerSource: no file source named 'nope'; file sources: customer_profile_source, driver_hourly_stats_source");
    const missing = await callInPage<Outcome<unknown>>(page, 'call', 'bad', 'registerSource', 'driver_hourly_stats_source', { opfsPath: 'no/such.parquet' });
    expect(missing.error).toBeUndefined();
    const read = await callInPage<Outcome<unknown>>(page, 'historical', 'bad', REQUEST);
    expect(read.error).toEqual({
      name: 'DataSourceNotFoundException',
      message: "OPFS file 'no/such.parquet' does not exist in this origin's private file system",
    });
    await callInPage(page, 'terminate', 'bad');
  });
});
