import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { cli, exampleRepo } from './built-cli.js';
import { isoAt, sampleDataOf, type SampleData } from './expected-sample.js';

const HOUR = 3_600_000;

describe('feast-edge materialize (built)', () => {
  let repo: string;
  let remove: () => Promise<void>;
  let sample: SampleData;
  /** Where the incremental run ended (whole seconds, as a user types $(date -u +%FT%T)). */
  let lastEnd: string;
  beforeAll(async () => {
    ({ repo, remove } = await exampleRepo('feast-edge-materialize-', { apply: true }));
    sample = await sampleDataOf(repo);
  });
  afterAll(() => remove());

  it('loads the latest rows into LMDB with a progress line per view and a summary', async () => {
    // Up to half an hour after driver hour 356, the hour of 1001's correction row.
    const end = isoAt(sample.driverTime(356) + HOUR / 2);
    const result = await cli(['--repo', repo, 'materialize', isoAt(sample.newest - 20 * 24 * HOUR), end]);
    expect(result.code, result.stderr).toBe(0);
    // 10 drivers and 10 customers in the sample data: one latest row each, per view
    // (driver_hourly_stats_fresh reads the push source's batch source, the same file).
    expect(result.stdout).toMatch(/Materialized 30 rows of 3 view\(s\) in [\d.]+ s: customer_profile 10, driver_hourly_stats 10, driver_hourly_stats_fresh 10/);
    expect(result.stderr).toMatch(/driver_hourly_stats\s+\[#{30}\] 10\/10 rows/);
    // Another process (this test) reads what the CLI wrote: driver 1001 at hour 356 is the correction row (0.999).
    const { store } = await openFeatureStore({ repoPath: repo });
    const response = await store.getOnlineFeatures({
      features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
      entityRows: [{ driver_id: 1001 }, { driver_id: 1002 }],
      now: end,
    });
    expect(response.toDict().conv_rate?.[0]).toBeCloseTo(0.999, 6);
    expect(response.toDict().avg_daily_trips).toEqual([(1001 + 356) % 50, (1002 + 356) % 50]);
    await store.close();
  });

  it("materializes incrementally up to now and serves the day's data PRESENT (the data is generated relative to init's time)", async () => {
    lastEnd = isoAt(Math.floor(Date.now() / 1000) * 1000);
    const result = await cli(['--repo', repo, 'materialize-incremental', lastEnd, '--views', 'driver_hourly_stats']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Materialized 10 rows of 1 view\(s\)/);
    const { store } = await openFeatureStore({ repoPath: repo });
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:avg_daily_trips'], entityRows: [{ driver_id: 1003 }] });
    expect(response.toWire().results[1].statuses).toEqual(['PRESENT']);
    expect(response.toDict().avg_daily_trips).toEqual([(1003 + 359) % 50]);
    await store.close();
  });

  it('says why a run found no rows: the window it read and the newest event of the source', async () => {
    // The last run ended at lastEnd: nothing new since.
    const end = isoAt(Date.parse(lastEnd) + 1000);
    const again = await cli(['--repo', repo, 'materialize-incremental', end, '--views', 'driver_hourly_stats']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Materialized 0 rows of 1 view\(s\)/);
    expect(again.stdout).toContain(`driver_hourly_stats: no rows between ${lastEnd} and ${end} (the source's newest event is ${isoAt(sample.newest)})`);
    // A window before any data: the same explanation, with the window asked for.
    const before = await cli(['--repo', repo, 'materialize', '2020-01-01T00:00:00Z', '2020-02-01T00:00:00Z', '-v', 'customer_profile']);
    expect(before.stdout).toContain(
      `customer_profile: no rows between 2020-01-01T00:00:00Z and 2020-02-01T00:00:00Z (the source's newest event is ${isoAt(sample.newest)})`,
    );
  });

  it('explains bad windows and views', async () => {
    const backwards = await cli(['--repo', repo, 'materialize', '2021-04-13T00:00:00Z', '2021-04-01T00:00:00Z']);
    expect(backwards.code).not.toBe(0);
    expect(backwards.stderr.trim()).toBe('error: materialize: start 2021-04-13T00:00:00Z is after end 2021-04-01T00:00:00Z');
    const unknown = await cli(['--repo', repo, 'materialize', '2021-04-01', '2021-04-02', '--views', 'nope']);
    expect(unknown.stderr).toMatch(/^error: materialize: feature view 'nope' is not in project 'driver_ranking'; valid: /);
    expect((await cli(['materialize', '--help'])).stdout).toContain('feast-edge materialize [options] <start> <end>');
  });
});
