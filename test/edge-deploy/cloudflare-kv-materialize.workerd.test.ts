import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latestDriverRows, type PackedInstall, packedInstall, runCli } from './packed-install.js';

/*
 * From a packed install, outside the clone: `init`, online_store type cloudflare_kv, `apply`,
 * `materialize-incremental` (the bulk file, and the REST bulk writes to a local stand-in of
 * Cloudflare's API), `build-edge`, `deploy-template`. Then in workerd (miniflare): the bulk
 * file loaded into one KV namespace as `wrangler kv bulk put --local` would (a Worker that
 * puts each pair), the REST stand-in's pairs into another, and the built Worker over each
 * answers /get-online-features with the values DuckDB SQL computes from the Parquet file.
 * What is not Cloudflare's: the REST server is a local Node stand-in that checks the shape
 * documented for PUT .../storage/kv/namespaces/{id}/bulk (bearer token, at most 10,000 pairs).
 */

/** A Worker's fetcher as miniflare hands it out (its types are workerd's, not the DOM's). */
type Fetch = { fetch(url: string, init?: RequestInit): Promise<Response> };

const ACCOUNT = 'acc123';
const NAMESPACE = 'ns456';
const TOKEN = 'cf-test-token';

/** A Worker that puts pairs into the KV namespaces it binds (FILE, REST), as wrangler's local bulk put does. */
const LOADER = `export default {
  async fetch(request, env) {
    const pairs = await request.json();
    const kv = env[new URL(request.url).pathname.slice(1)];
    await Promise.all(pairs.map((p) => kv.put(p.key, p.value)));
    return new Response(String(pairs.length));
  },
};`;

let install: PackedInstall;
let repo: string;
let restServer: Server;
const restRequests: { method: string; url: string; auth: string | undefined; pairs: number }[] = [];
const restPairs: { key: string; value: string }[] = [];
let buildOutput: string;
let materializedAt: Date;

beforeAll(async () => {
  install = packedInstall('feast-edge-packed-cf-');
  // Cloudflare's bulk endpoint, as its API documents it; answers with its envelope.
  restServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const pairs = JSON.parse(body) as { key: string; value: string }[];
      restRequests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, pairs: pairs.length });
      const ok = req.headers.authorization === `Bearer ${TOKEN}` && pairs.length <= 10_000;
      if (ok && req.method === 'PUT') restPairs.push(...pairs);
      res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          success: ok,
          errors: ok ? [] : [{ code: 10000, message: 'bad request' }],
          messages: [],
          result: { successful_key_count: pairs.length, unsuccessful_keys: [] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => restServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(restServer.address() as AddressInfo).port}/client/v4`;

  await runCli(install, ['init', 'repo'], install.dir);
  repo = join(install.dir, 'repo');
  const yaml = readFileSync(join(repo, 'feature_store.yaml'), 'utf8').replace(
    /online_store:\n(\s+type: lmdb.*\n)/,
    `online_store:\n  type: cloudflare_kv\n  bulk_file: data/kv-bulk.json\n  account_id: ${ACCOUNT}\n  namespace_id: ${NAMESPACE}\n  api_token_env: TEST_CF_TOKEN\n  api_base_url: ${base}\n`,
  );
  expect(yaml).toContain('type: cloudflare_kv');
  writeFileSync(join(repo, 'feature_store.yaml'), yaml);
  const env = { TEST_CF_TOKEN: TOKEN };
  await runCli(install, ['apply'], repo, env);
  materializedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  await runCli(install, ['materialize-incremental', materializedAt.toISOString().slice(0, 19)], repo, env);
  buildOutput = await runCli(install, ['build-edge', '--target', 'workerd'], repo);
  await runCli(install, ['deploy-template', '--namespace-id', NAMESPACE], repo);
}, 240_000);

afterAll(async () => {
  await new Promise((resolve) => restServer?.close(resolve));
  install?.remove();
});

it('build-edge prints where it wrote the Worker and how big, bytes and gzipped', () => {
  const code = readFileSync(join(repo, 'dist-edge', 'edge.js'));
  const n = (x: number) => x.toLocaleString('en-US');
  expect(buildOutput).toContain(`Wrote dist-edge/edge.js (workerd): ${n(code.length)} bytes`);
  expect(buildOutput).toContain(`${n(gzipSync(code).length)} bytes`);
  expect(buildOutput).toMatch(/Serves the registry data\/registry\.json/);
});

it('deploy-template writes a wrangler.toml that parses, binds FEAST_ONLINE and names the Worker', () => {
  const toml = parseToml(readFileSync(join(repo, 'wrangler.toml'), 'utf8')) as Record<string, unknown>;
  expect(toml).toMatchObject({
    main: 'dist-edge/edge.js',
    compatibility_date: '2026-04-01',
    kv_namespaces: [{ binding: 'FEAST_ONLINE', id: NAMESPACE }],
    vars: { FEAST_PROJECT: 'driver_ranking' },
  });
  const deno = JSON.parse(readFileSync(join(repo, 'deno.json'), 'utf8')) as { tasks: Record<string, string> };
  expect(deno.tasks['serve-edge']).toContain('dist-edge/deno.js --kv data/online.kv');
});

it('materialize sends the bulk file pairs through the REST bulk endpoint, with the token', () => {
  const file = JSON.parse(readFileSync(join(repo, 'data', 'kv-bulk.json'), 'utf8')) as { key: string; value: string }[];
  // 3 views x 10 entities of the init repo (its sample data: drivers 1001-1010, customers 2001-2010).
  expect(file.length).toBe(30);
  expect(file.every((p) => /^driver_ranking\/[a-z_]+\/[0-9a-f]+$/.test(p.key) && typeof p.value === 'string')).toBe(true);
  expect(restRequests).toEqual([
    { method: 'PUT', url: `/client/v4/accounts/${ACCOUNT}/storage/kv/namespaces/${NAMESPACE}/bulk`, auth: `Bearer ${TOKEN}`, pairs: 30 },
  ]);
  expect(new Map(restPairs.map((p) => [p.key, p.value]))).toEqual(new Map(file.map((p) => [p.key, p.value])));
});

it('the built Worker in workerd serves what the bulk file and the REST writes loaded, as DuckDB computes it', async () => {
  const script = readFileSync(join(repo, 'dist-edge', 'edge.js'), 'utf8');
  const mf = new Miniflare({
    workers: [
      { name: 'feast-file', modules: true, script, compatibilityDate: '2026-04-01', kvNamespaces: { FEAST_ONLINE: 'ns-file' } },
      { name: 'feast-rest', modules: true, script, compatibilityDate: '2026-04-01', kvNamespaces: { FEAST_ONLINE: 'ns-rest' } },
      { name: 'loader', modules: true, script: LOADER, compatibilityDate: '2026-04-01', kvNamespaces: { FILE: 'ns-file', REST: 'ns-rest' } },
    ],
  });
  try {
    await mf.ready;
    const loader = (await mf.getWorker('loader')) as unknown as Fetch;
    const file = readFileSync(join(repo, 'data', 'kv-bulk.json'), 'utf8');
    expect(await (await loader.fetch('http://loader/FILE', { method: 'POST', body: file })).text()).toBe('30');
    expect(await (await loader.fetch('http://loader/REST', { method: 'POST', body: JSON.stringify(restPairs) })).text()).toBe('30');

    const expected = await latestDriverRows(join(repo, 'data', 'driver_stats.parquet'), materializedAt);
    expect(expected.map((r) => r.driver_id)).toEqual(Array.from({ length: 10 }, (_, i) => 1001 + i));
    for (const name of ['feast-file', 'feast-rest']) {
      const worker = (await mf.getWorker(name)) as unknown as Fetch;
      const response = await worker.fetch('http://worker/get-online-features', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:avg_daily_trips'],
          entities: { driver_id: expected.map((r) => r.driver_id) },
        }),
      });
      expect(response.status, name).toBe(200);
      const body = (await response.json()) as { results: { values: unknown[]; statuses: string[] }[] };
      expect(body.results[1], name).toEqual(expect.objectContaining({ values: expected.map((r) => r.conv_rate), statuses: expected.map(() => 'PRESENT') }));
      expect(body.results[2].values, name).toEqual(expected.map((r) => r.avg_daily_trips));
    }
  } finally {
    await mf.dispose();
  }
});
