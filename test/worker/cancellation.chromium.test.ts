import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callInPage, findChromium } from '../support/chromium.js';
import { afterDriverHour, ok, startWorkerFixture, type DecodedResult, type Outcome, type WorkerFixture } from './worker-fixture.js';

const found = findChromium() !== undefined;
const DRIVERS = 50_000;
/** One row per driver 1..50,000 at 2021-04-11: five 10,000-row materialization batches. */
const MANY_DRIVERS_SQL = `SELECT range::BIGINT AS driver_id, TIMESTAMP '2021-04-11 00:00:00' AS event_timestamp, TIMESTAMP '2021-04-11 00:05:00' AS created,
  CAST((range % 100) / 100.0 AS FLOAT) AS conv_rate, CAST(0.5 AS FLOAT) AS acc_rate, (range % 50)::BIGINT AS avg_daily_trips FROM range(1, ${DRIVERS + 1})`;
/** 2M entity rows over the example drivers and customers: a join of several seconds in DuckDB-WASM. */
const LONG_JOIN = {
  entityDf: {
    sql: `SELECT 1001 + (range % 10) AS driver_id, 2001 + (range % 10) AS customer_id, TIMESTAMP '2021-04-10 00:00:00' + to_seconds(range % 259200) AS event_timestamp FROM range(2000000)`,
  },
  features: ['driver_hourly_stats:conv_rate', 'customer_profile:current_balance'],
};
/** 1001 within the hour after its correction row (hour 356 of the example data: conv_rate 0.999). */
const SMALL = { entityDf: [{ driver_id: 1001, event_timestamp: afterDriverHour(356, 59 * 60 + 42) }], features: ['driver_hourly_stats:conv_rate'] };

let fixture: WorkerFixture;

type Statuses = { response: { metadata: { feature_names: string[] }; results: { statuses: string[] }[] } };
const presentCount = (answer: Statuses) =>
  answer.response.results[answer.response.metadata.feature_names.indexOf('conv_rate')].statuses.filter((s) => s === 'PRESENT').length;
const everyDriver = {
  features: ['driver_hourly_stats:conv_rate'],
  entityRows: Array.from({ length: DRIVERS }, (_, i) => ({ driver_id: i + 1 })),
  now: '2021-04-11T12:00:00Z',
};

describe.skipIf(!found)('cancelling long work in the Web Worker (Chromium)', () => {
  beforeAll(async () => {
    fixture = await startWorkerFixture({ 'many_drivers.parquet': MANY_DRIVERS_SQL });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('stops materialization between batches: whole batches stay, the interval is not recorded, and a rerun completes', async () => {
    const page = await fixture.openStore('cancel-materialize');
    await ok(page, 'call', 'cancel-materialize', 'apply');
    await ok(page, 'call', 'cancel-materialize', 'registerSource', 'driver_hourly_stats_source', { url: 'data/many_drivers.parquet' });
    const window = { start: '2021-04-10T00:00:00Z', end: '2021-04-12T00:00:00Z', featureViews: ['driver_hourly_stats'] };
    // The page aborts at the first progress report, which comes after the first batch is written.
    const cancelled = await callInPage<Outcome<unknown> & { progress: unknown[] }>(page, 'cancelMaterialize', 'cancel-materialize', window);
    expect(cancelled.error?.name).toBe('AbortError');
    expect(cancelled.error?.message).toContain("'driver_hourly_stats'");
    expect(cancelled.progress).toEqual([{ step: 'materialize driver_hourly_stats', done: 10_000, total: DRIVERS }]);
    expect(presentCount(await ok<Statuses>(page, 'call', 'cancel-materialize', 'getOnlineFeatures', everyDriver))).toBe(10_000);
    const document = await ok<{ featureViews: Record<string, { materializationIntervals: unknown[] }> }>(
      page,
      'call',
      'cancel-materialize',
      'registryDocument',
    );
    expect(document.featureViews.driver_hourly_stats.materializationIntervals).toEqual([]);

    const rerun = await callInPage<Outcome<unknown> & { progress: { done: number; total: number }[] }>(
      page,
      'materializeWithProgress',
      'cancel-materialize',
      window,
    );
    expect(rerun.ok).toEqual([{ view: 'driver_hourly_stats', rows: DRIVERS }]);
    expect(rerun.progress.map((p) => p.done)).toEqual([10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(presentCount(await ok<Statuses>(page, 'call', 'cancel-materialize', 'getOnlineFeatures', everyDriver))).toBe(DRIVERS);
    await callInPage(page, 'terminate', 'cancel-materialize');
  });

  it('interrupts a running historical join (2M entity rows) with an AbortError, and the store still answers afterwards', async () => {
    const page = await fixture.openStore('cancel-join');
    await ok(page, 'call', 'cancel-join', 'apply');
    const full = await callInPage<Outcome<number>>(page, 'historicalCount', 'cancel-join', LONG_JOIN);
    expect(full.ok).toBe(2_000_000);
    // Aborted once the sources are loaded and the join runs: it ends long before the join would.
    const abortAfterMs = 800;
    const cancelled = await callInPage<Outcome<number> & { steps: string[] }>(page, 'cancelHistorical', 'cancel-join', LONG_JOIN, abortAfterMs);
    expect(cancelled.error).toEqual({ name: 'AbortError', message: 'historical retrieval: cancelled' });
    expect(cancelled.steps).toContain('historical retrieval: loading source customer_profile_source');
    expect(cancelled.steps).not.toContain('historical retrieval: querying');
    expect(cancelled.ms - abortAfterMs).toBeLessThan(Math.max(1000, (full.ms - abortAfterMs) / 3));
    const after = await ok<DecodedResult>(page, 'historical', 'cancel-join', SMALL);
    expect(after.rows[0].conv_rate as number).toBeCloseTo(0.999, 6);
    await callInPage(page, 'terminate', 'cancel-join');
  });

  it('refuses work whose signal has already aborted, without running it', async () => {
    const page = await fixture.openStore('pre-aborted');
    await ok(page, 'call', 'pre-aborted', 'apply');
    const cancelled = await callInPage<Outcome<number>>(page, 'cancelHistorical', 'pre-aborted', SMALL, -1);
    expect(cancelled.error?.name).toBe('AbortError');
    await callInPage(page, 'terminate', 'pre-aborted');
  });
});
