import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latestDriverRows, type PackedInstall, packedInstall, runCli } from './packed-install.js';

/*
 * From a packed install, outside the clone: `init`, online_store type deno_kv, `apply`,
 * `materialize-incremental` (Node writes the Deno KV file through the deno binary from
 * npm), `build-edge --target deno`, then the built dist-edge/deno.js on that binary over
 * the same file answers /get-online-features with the values DuckDB SQL computes.
 */

const DENO = join(import.meta.dirname, '..', '..', 'node_modules', 'deno', 'deno');
let install: PackedInstall;
let repo: string;
let materializedAt: Date;
let buildOutput: string;

beforeAll(async () => {
  install = packedInstall('feast-edge-packed-deno-');
  await runCli(install, ['init', 'repo'], install.dir);
  repo = join(install.dir, 'repo');
  const yaml = readFileSync(join(repo, 'feature_store.yaml'), 'utf8').replace(
    /online_store:\n(\s+type: lmdb.*\n)/,
    `online_store:\n  type: deno_kv\n  deno_path: ${DENO}\n`,
  );
  expect(yaml).toContain('type: deno_kv');
  writeFileSync(join(repo, 'feature_store.yaml'), yaml);
  await runCli(install, ['apply'], repo);
  materializedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  await runCli(install, ['materialize-incremental', materializedAt.toISOString().slice(0, 19)], repo);
  buildOutput = await runCli(install, ['build-edge', '--target', 'deno'], repo);
}, 240_000);

afterAll(() => install?.remove());

it('the built Deno server serves what Node materialized into Deno KV, as DuckDB computes it', async () => {
  expect(buildOutput).toMatch(/^Wrote dist-edge\/deno\.js \(deno\): [\d,]+ bytes/m);
  // The CLI reads back through the same file too.
  const cliRead = JSON.parse(await runCli(install, ['get-online-features', '-f', 'driver_hourly_stats:conv_rate', '-e', 'driver_id=1001'], repo)) as Record<
    string,
    unknown[]
  >;
  const expected = await latestDriverRows(join(repo, 'data', 'driver_stats.parquet'), materializedAt);
  expect(expected.map((r) => r.driver_id)).toEqual(Array.from({ length: 10 }, (_, i) => 1001 + i));
  expect(cliRead.conv_rate).toEqual([expected[0].conv_rate]);

  const child = spawn(
    DENO,
    [
      'run',
      '--unstable-kv',
      '--allow-net=127.0.0.1',
      '--allow-read',
      '--allow-write',
      '--allow-env',
      'dist-edge/deno.js',
      '--kv',
      'data/online.kv',
      '--port',
      '0',
    ],
    {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let output = '';
      const look = (data: Buffer) => {
        output += data.toString();
        const found = output.match(/listening on (http:\/\/[^\s/]+)\//);
        if (found) resolve(found[1]);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', (code) => reject(new Error(`deno exited (${code}):\n${output}`)));
    });
    const response = await fetch(`${origin}/get-online-features`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
        entities: { driver_id: expected.map((r) => r.driver_id) },
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: { values: unknown[]; statuses: string[] }[] };
    expect(body.results[1]).toEqual(expect.objectContaining({ values: expected.map((r) => r.conv_rate), statuses: expected.map(() => 'PRESENT') }));
    expect(body.results[2].values).toEqual(expected.map((r) => r.avg_daily_trips));
  } finally {
    child.kill('SIGKILL');
  }
});
