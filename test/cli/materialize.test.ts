import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { cli, exampleRepo } from './built-cli.js';

describe('feast-edge materialize (built)', () => {
  let repo: string;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    ({ repo, remove } = await exampleRepo('feast-edge-materialize-', { apply: true }));
  });
  afterAll(() => remove());

  it('loads the latest rows into LMDB with a progress line per view and a summary', async () => {
    const result = await cli(['--repo', repo, 'materialize', '2021-04-01T00:00:00Z', '2021-04-12T10:30:00Z']);
    expect(result.code, result.stderr).toBe(0);
    // 10 drivers and 10 customers in the sample data: one latest row each.
    expect(result.stdout).toMatch(/Materialized 20 rows of 2 view\(s\) in [\d.]+ s: customer_profile 10, driver_hourly_stats 10/);
    expect(result.stderr).toMatch(/driver_hourly_stats\s+\[#{30}\] 10\/10 rows/);
    // Another process (this test) reads what the CLI wrote: driver 1001 at 10:00 is the correction row (0.999).
    const { store } = await openFeatureStore({ repoPath: repo });
    const response = await store.getOnlineFeatures({
      features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
      entityRows: [{ driver_id: 1001 }, { driver_id: 1002 }],
      now: '2021-04-12T10:30:00Z',
    });
    expect(response.toDict().conv_rate?.[0]).toBeCloseTo(0.999, 6);
    expect(response.toDict().avg_daily_trips).toEqual([(1001 + 58) % 50, (1002 + 58) % 50]);
    await store.close();
  });

  it('materializes incrementally from the last end, and explains bad windows and views', async () => {
    const result = await cli(['--repo', repo, 'materialize-incremental', '2021-04-13T00:00:00Z', '--views', 'driver_hourly_stats']);
    expect(result.stdout).toMatch(/Materialized 10 rows of 1 view\(s\)/);
    const backwards = await cli(['--repo', repo, 'materialize', '2021-04-13T00:00:00Z', '2021-04-01T00:00:00Z']);
    expect(backwards.code).not.toBe(0);
    expect(backwards.stderr.trim()).toBe('error: materialize: start 2021-04-13T00:00:00Z is after end 2021-04-01T00:00:00Z');
    const unknown = await cli(['--repo', repo, 'materialize', '2021-04-01', '2021-04-02', '--views', 'nope']);
    expect(unknown.stderr).toMatch(/^error: materialize: feature view 'nope' is not in project 'driver_ranking'; valid: /);
    expect((await cli(['materialize', '--help'])).stdout).toContain('feast-edge materialize [options] <start> <end>');
  });
});
