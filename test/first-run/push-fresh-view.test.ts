/**
 * Issue 13, finding 3: the example repo's push source feeds a view (as Feast's quickstart's
 * driver_hourly_stats_fresh), so a POST /push to `feast-edge serve` changes what
 * /get-online-features answers, and the data `init` made is served PRESENT today.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, exampleRepo } from '../cli/built-cli.js';
import { isoAt, sampleDataOf, type SampleData } from '../cli/expected-sample.js';

let repo: Awaited<ReturnType<typeof exampleRepo>>;
let sample: SampleData;
let child: ChildProcess;
let url: string;

interface Wire {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: string[]; event_timestamps: string[] }[];
}

async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  // Feast's /push answers 200 with no body.
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

const read = async (features: string[]) =>
  (await post('/get-online-features', { features, entities: { driver_id: [1001, 1002] }, full_feature_names: true })).json as Wire;

beforeAll(async () => {
  repo = await exampleRepo('feast-edge-push-fresh-', { apply: true });
  sample = await sampleDataOf(repo.repo);
  const materialized = await cli(['--repo', repo.repo, 'materialize-incremental', isoAt(Math.floor(Date.now() / 1000) * 1000)]);
  if (materialized.code !== 0) throw new Error(materialized.stderr);
  child = spawn(process.execPath, [CLI, '--repo', repo.repo, 'serve', '--port', '0', '--registry-ttl', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/Serving project '[^']*' at (http:\/\/\S+) /);
      if (found) resolve(found[1]);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await repo?.remove();
});

describe('the example repo through feast-edge serve (Node)', () => {
  it("answers today's materialized rows PRESENT, with the newest event time of the data", async () => {
    const wire = await read(['driver_hourly_stats:conv_rate', 'driver_hourly_stats_fresh:conv_rate']);
    expect(wire.metadata.feature_names).toEqual(['driver_id', 'driver_hourly_stats__conv_rate', 'driver_hourly_stats_fresh__conv_rate']);
    for (const column of wire.results.slice(1)) {
      expect(column.statuses).toEqual(['PRESENT', 'PRESENT']);
      expect(column.event_timestamps).toEqual([isoAt(sample.newest), isoAt(sample.newest)]);
      (column.values as number[]).forEach((value, i) => expect(value).toBeCloseTo(sample.driverRow(1001 + i, 359).conv_rate!, 6));
    }
  });

  it('serves a push to driver_stats_push_source from driver_hourly_stats_fresh at once; the batch view keeps its rows', async () => {
    const at = isoAt(Math.floor(Date.now() / 1000) * 1000);
    const pushed = await post('/push', {
      push_source_name: 'driver_stats_push_source',
      df: { driver_id: [1001], event_timestamp: [at], created: [at], conv_rate: [0.25], acc_rate: [0.5], avg_daily_trips: [7] },
    });
    expect(pushed.status).toBe(200);
    const wire = await read(['driver_hourly_stats:conv_rate', 'driver_hourly_stats_fresh:conv_rate', 'driver_hourly_stats_fresh:avg_daily_trips']);
    const [, batch, fresh, trips] = wire.results;
    expect(fresh.values[0]).toBe(0.25);
    expect(fresh.event_timestamps[0]).toBe(at);
    expect(fresh.statuses).toEqual(['PRESENT', 'PRESENT']);
    expect(trips.values[0]).toBe(7);
    // Driver 1002 was not pushed, and the batch view does not read the push source.
    expect(fresh.values[1]).toBeCloseTo(sample.driverRow(1002, 359).conv_rate!, 6);
    expect(batch.values[0]).toBeCloseTo(sample.driverRow(1001, 359).conv_rate!, 6);
    expect(batch.event_timestamps[0]).toBe(isoAt(sample.newest));
  });

  it("answers a push to an unknown source with Feast's PushSourceNotFoundException (422) naming the push sources there are", async () => {
    const refused = await post('/push', { push_source_name: 'driver_stats_push', df: { driver_id: [1001] } });
    expect(refused.status).toBe(422);
    expect(JSON.parse(refused.json as string)).toEqual({
      module: 'feast.errors',
      class: 'PushSourceNotFoundException',
      message: "push source 'driver_stats_push' is not in project 'driver_ranking'; push sources: driver_stats_push_source",
    });
  });
});
