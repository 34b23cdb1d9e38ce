/**
 * The built CLI on Feast's own repos (registry.db, Parquet, Python, feature_store.yaml as
 * Feast wrote them), with Feast's command spellings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeastRegistry } from '../../src/feast/registry/index.js';
import { feastRepoCopy, type FeastRepoCopy } from '../feast/feast-repo.js';
import { spawn } from 'node:child_process';
import { buildIfStale, CLI, cli } from './built-cli.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The one error line; `note:` lines about feature_store.yaml keys may precede it. */
const oneErrorLine = (stderr: string) => {
  const lines = stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('note: '));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0];
};

describe('feast-edge on a Feast repo (built CLI)', () => {
  let quickstart: FeastRepoCopy;
  let rich: FeastRepoCopy;
  beforeAll(() => {
    buildIfStale();
    quickstart = feastRepoCopy('quickstart', { onlineStore: true, transforms: true });
    rich = feastRepoCopy('rich', { registry: 'registry' });
  }, 120_000);
  afterAll(() => {
    quickstart?.remove();
    rich?.remove();
  });
  const edge = (repo: FeastRepoCopy, ...args: string[]) => cli(['--repo', repo.dir, ...args]);

  it("lists and describes Feast's objects in both spellings, and prints the configuration", async () => {
    const views = await edge(quickstart, 'feature-views', 'list');
    expect(views.code).toBe(0);
    expect(views.stdout).toMatch(/^driver_hourly_stats_fresh\s+driver\s+conv_rate, acc_rate/m);
    expect((await edge(quickstart, 'list', 'feature-views')).stdout).toBe(views.stdout);
    for (const kind of ['entities', 'feature-services', 'data-sources', 'on-demand-feature-views', 'saved-datasets', 'stream-feature-views']) {
      expect((await edge(rich, kind, 'list')).code, kind).toBe(0);
    }
    expect((await edge(rich, 'entities', 'list')).stdout).toMatch(/^customer\s+customer_id\s+String/m);
    const described = await edge(quickstart, 'feature-services', 'describe', 'driver_activity_v1');
    expect(described.stdout).toMatch(/^name: driver_activity_v1$/m);
    expect(described.stdout).toMatch(/viewName: transformed_conv_rate/);
    const missing = await edge(quickstart, 'entities', 'describe', 'rider');
    expect(oneErrorLine(missing.stderr)).toBe("error: entity 'rider' is not in project 'quickstart'; valid: 'driver' (Did you mean driver?)");
    const config = await edge(rich, 'configuration');
    expect(config.stdout).toMatch(/online_store:\n {2}type: sqlite\n {2}path: .*\/data\/online_store.db/);
    expect(config.stderr).toBe(
      "note: offline_store 'file' (Feast's dask store) runs on feast-edge's DuckDB engine (native, else WebAssembly) over the same file sources\n",
    );
  });

  it("refuses apply, plan and teardown on Feast's registry when the repo defines nothing in TypeScript", async () => {
    for (const [command, feast] of [
      ['apply', 'feast apply'],
      ['plan', 'feast plan'],
      ['teardown', 'feast teardown'],
    ]) {
      const result = await edge(quickstart, command);
      expect(result.code).toBe(1);
      expect(oneErrorLine(result.stderr)).toBe(
        `error: this repo's registry (data/registry.db) is Feast's and the repo defines nothing in TypeScript: run \`${feast}\`; feast-edge reads it`,
      );
    }
  });

  it("answers get-online-features and get-historical-features with Feast's options", async () => {
    const online = await edge(quickstart, 'get-online-features', '-e', 'driver_id=1001', '-e', 'driver_id=1005', '-f', 'driver_hourly_stats:conv_rate');
    expect(online.code).toBe(0);
    const expected = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feast', 'quickstart', 'online-expected.json'), 'utf8')).requests[0]
      .to_dict;
    expect(JSON.parse(online.stdout)).toEqual({ driver_id: [1001, 1005], conv_rate: expected.conv_rate.slice(0, 2) });

    const rows = JSON.stringify([{ driver_id: 1001, event_timestamp: '2021-04-12T07:00:00Z', val_to_add: 1, val_to_add_2: 10 }]);
    const historical = await edge(
      quickstart,
      'get-historical-features',
      '-d',
      rows,
      '-f',
      'driver_hourly_stats:conv_rate',
      '-f',
      'transformed_conv_rate:conv_rate_plus_val1',
    );
    expect(historical.code).toBe(0);
    // Feast's training set, row 0 (historical-expected-features.parquet): conv_rate 0.5287933... (float32), plus 1.
    const [row] = JSON.parse(historical.stdout);
    expect(row).toMatchObject({ driver_id: 1001, event_timestamp: Date.parse('2021-04-12T07:00:00Z'), val_to_add: 1 });
    expect(row.conv_rate).toBeCloseTo(0.528793, 6);
    expect(row.conv_rate_plus_val1).toBeCloseTo(1.528793, 6);
  });

  it("materializes into Feast's SQLite store and records the intervals in registry.db", async () => {
    const result = await edge(rich, 'materialize', '2025-01-01T00:00:00', '2025-01-07T06:00:00', '-v', 'driver_stats', '-v', 'customer_profile');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Materialized [\d,]+ rows of 2 view\(s\)/m);
    const doc = await readFeastRegistry(new Uint8Array(readFileSync(join(rich.dir, 'data', 'registry.db'))));
    expect(doc.featureViews.driver_stats.materializationIntervals).toEqual([{ start: '2025-01-01T00:00:00Z', end: '2025-01-07T06:00:00Z' }]);
    expect(doc.featureViews.all_types.materializationIntervals).toEqual([]);
    const read = await edge(rich, 'get-online-features', '-e', 'customer_id=Zoë', '-f', 'customer_profile:name');
    expect(JSON.parse(read.stdout)).toEqual({ customer_id: ['Zoë'], name: [expect.any(String)] });
  });

  it('fails a Python on-demand view with no TypeScript transform in one line, and suggests a misspelt command', async () => {
    const result = await edge(
      rich,
      'get-online-features',
      '-e',
      'driver_id=1001',
      '-e',
      'val_to_add=1',
      '-e',
      'multiplier=2.5',
      '-f',
      'driver_adjustments:trips_scaled',
    );
    expect(oneErrorLine(result.stderr)).toMatch(/^error: on-demand feature view 'driver_adjustments' is computed by a Python function/);
    const typo = await edge(rich, 'feature-view', 'list');
    expect(oneErrorLine(typo.stderr)).toMatch(/Did you mean feature-views\?/);
  });

  it("serves the Feast repo: /get-online-features gives Feast's values for Feast's request, the on-demand outputs from the TypeScript transforms", async () => {
    const child = spawn(process.execPath, [CLI, '--repo', quickstart.dir, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const found = output.match(/ at (http:\/\/\S+) /);
          if (found) resolve(found[1]);
        });
        child.stderr!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
      });
      const requests = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'feast', 'quickstart', 'online-expected.json'), 'utf8')).requests;
      const request = requests.find((r: { name: string }) => r.name === 'feature_service_v1_with_request_data');
      const entities = Object.fromEntries(Object.keys(request.entity_rows[0]).map((k) => [k, request.entity_rows.map((r: Record<string, unknown>) => r[k])]));
      const response = await fetch(`${url}/get-online-features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ feature_service: 'driver_activity_v1', entities }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { metadata: { feature_names: string[] }; results: { values: unknown[] }[] };
      const values = Object.fromEntries(body.metadata.feature_names.map((name, i) => [name, body.results[i].values]));
      const feast = request.server_json as typeof body;
      // Values by name (statuses depend on today's date: feast-edge enforces the ttl at read time).
      feast.metadata.feature_names.forEach((name, i) => expect(values[name], name).toEqual(feast.results[i].values));
    } finally {
      child.kill('SIGTERM');
    }
  });
});
