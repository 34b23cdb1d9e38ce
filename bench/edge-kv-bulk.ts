/**
 * Materializing into Workers KV from Node: 100k rows of one view written by `materialize`
 * (online_store type cloudflare_kv) into a `wrangler kv bulk put` file, then that file
 * loaded into a KV namespace in workerd (miniflare) in requests of 10,000 pairs, as the
 * REST bulk endpoint takes them, and a sample read back through the built Worker.
 * Baselines in the same run: the same materialize into the default online store (LMDB),
 * and the path the edge had before, POST /write-to-online-store to the built Worker.
 *   node --import tsx bench/edge-kv-bulk.ts [rows]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Miniflare } from 'miniflare';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEdgeBundle } from '../src/cli/edge/edge-bundle.js';
import { encodeEntityKey, entityKeyToString } from '../src/online/entity-key.js';
import { Int64 } from '../src/definitions/value-type.js';
import { sendBulk } from '../src/runtime/node/cloudflare-kv-bulk-store.js';
import { openFeatureStore } from '../src/runtime/node/open-feature-store.js';
import { fmtMs, ratio } from './measure.js';

const FEATURES = 10;
/** Rows per /write-to-online-store request (the Worker's default body limit is 1 MiB) and rows sent that way. */
const HTTP_BATCH = 1_000;
const HTTP_ROWS = 5_000;
/** Pairs loaded into miniflare's KV simulator (it takes a few hundred puts a second, so 100k would take minutes). */
const LOAD_ROWS = 5_000;
const BULK_PAIRS = 10_000;
const END = '2026-01-02T00:00:00Z';
const LOAD_CONCURRENCY = 100;

const LOADER = `export default {
  async fetch(request, env) {
    const pairs = await request.json();
    // ${LOAD_CONCURRENCY} puts in flight: miniflare's KV simulator slows down with thousands at once.
    for (let at = 0; at < pairs.length; at += ${LOAD_CONCURRENCY}) {
      await Promise.all(pairs.slice(at, at + ${LOAD_CONCURRENCY}).map((p) => env.KV.put(p.key, p.value)));
    }
    return new Response(String(pairs.length));
  },
};`;

const definitions = `import { entity, featureView, field, fileSource, project, Float64 } from 'feast-edge';
export const bench = project({ name: 'bench' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'] });
export const source = fileSource({ name: 'stats_source', path: 'data/stats.parquet', timestampField: 'event_timestamp' });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '0s', source,
  schema: [${Array.from({ length: FEATURES }, (_, i) => `field('f${i}', Float64)`).join(', ')}] });
`;

async function makeRepo(dir: string, online: string, rows: number, parquet?: string): Promise<string> {
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'feature_store.yaml'), `project: bench\nregistry: data/registry.json\nonline_store:\n${online}\n`);
  writeFileSync(join(dir, 'definitions.ts'), definitions);
  const file = join(dir, 'data', 'stats.parquet');
  if (parquet) {
    writeFileSync(file, readFileSync(parquet));
    return file;
  }
  const instance = await DuckDBInstance.create();
  const connection = await instance.connect();
  const columns = Array.from({ length: FEATURES }, (_, i) => `random() AS f${i}`).join(', ');
  await connection.run(
    `COPY (SELECT i AS driver_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i % 80000) AS event_timestamp, ${columns} FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  connection.closeSync();
  instance.closeSync();
  return file;
}

/** apply, then materialize everything up to END; the store is closed (the bulk file written) inside the timing. */
/** The driver id whose KV key (project/view/hex of Feast's entity key) is `key`, found by encoding each id. */
function idOfKey(key: string, rows: number): number {
  const hex = key.split('/')[2];
  for (let id = 0; id < rows; id++) {
    if (entityKeyToString(encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: BigInt(id) }])) === hex) return id;
  }
  throw new Error(`no driver id has the key ${key}`);
}

/** Sends the pairs to a local HTTP server answering as Cloudflare's bulk endpoint; returns the ms taken. */
async function timeRestSend(pairs: { key: string; value: string }[]): Promise<number> {
  let received = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received += (JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[]).length;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"success":true,"errors":[],"messages":[],"result":{"successful_key_count":0,"unsuccessful_keys":[]}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
    const started = performance.now();
    await sendBulk({ baseUrl, accountId: 'bench', namespaceId: 'bench', apiToken: 'bench' }, pairs);
    const ms = performance.now() - started;
    if (received !== pairs.length) throw new Error(`the stand-in received ${received} of ${pairs.length} pairs`);
    return ms;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

async function materializeMs(repo: string): Promise<number> {
  const { store, definitions: objects } = await openFeatureStore({ repoPath: repo });
  await store.apply(objects);
  const started = performance.now();
  const result = await store.materialize({ start: '2025-12-31T00:00:00Z', end: END });
  await store.close();
  const ms = performance.now() - started;
  if (result[0]?.rows === undefined) throw new Error('materialize wrote nothing');
  return ms;
}

export async function benchEdgeKvBulk(rows = 100_000): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-kvbulk-'));
  const log = (line: string) => process.stderr.write(`  ${line}\n`);
  try {
    const kvRepo = join(dir, 'kv');
    const parquet = await makeRepo(kvRepo, '  type: cloudflare_kv', rows);
    const lmdbRepo = join(dir, 'lmdb');
    await makeRepo(lmdbRepo, '  type: lmdb', rows, parquet);
    // Taken in turns, LMDB first, so a warm page cache favours neither.
    const denoRepo = join(dir, 'deno');
    await makeRepo(denoRepo, `  type: deno_kv\n  deno_path: ${join(import.meta.dirname, '..', 'node_modules', 'deno', 'deno')}`, rows, parquet);
    const lmdbMs = await materializeMs(lmdbRepo);
    const kvMs = await materializeMs(kvRepo);
    const denoMs = await materializeMs(denoRepo);
    log(`materialize ${rows} rows: bulk file ${fmtMs(kvMs)}, Deno KV ${fmtMs(denoMs)}, LMDB ${fmtMs(lmdbMs)}`);
    const bulkText = readFileSync(join(kvRepo, 'data', 'cloudflare_kv_bulk.json'), 'utf8');
    const pairs = JSON.parse(bulkText) as { key: string; value: string }[];
    if (pairs.length !== rows) throw new Error(`the bulk file holds ${pairs.length} pairs, expected ${rows}`);

    // The REST path: every pair sent to a local stand-in of Cloudflare's bulk endpoint (it parses each body and answers success).
    const restMs = await timeRestSend(pairs);
    log(`send ${rows} pairs to a local REST stand-in: ${fmtMs(restMs)}`);

    const bundle = await buildEdgeBundle({
      repoPath: kvRepo,
      outDir: join(kvRepo, 'dist-edge'),
      target: 'workerd',
      registryPath: join(kvRepo, 'data', 'registry.json'),
    });
    const script = readFileSync(bundle.file, 'utf8');
    const mf = new Miniflare({
      workers: [
        { name: 'feast', modules: true, script, compatibilityDate: '2026-04-01', kvNamespaces: { FEAST_ONLINE: 'bulk' } },
        { name: 'http', modules: true, script, compatibilityDate: '2026-04-01', kvNamespaces: { FEAST_ONLINE: 'http' } },
        { name: 'loader', modules: true, script: LOADER, compatibilityDate: '2026-04-01', kvNamespaces: { KV: 'bulk' } },
      ],
    });
    try {
      await mf.ready;
      type Fetch = { fetch(url: string, init?: RequestInit): Promise<Response> };
      const worker = async (name: string) => (await mf.getWorker(name)) as unknown as Fetch;
      const loader = await worker('loader');
      let started = performance.now();
      const loaded = pairs.slice(0, LOAD_ROWS);
      for (let at = 0; at < loaded.length; at += BULK_PAIRS) {
        const response = await loader.fetch('http://loader/', { method: 'POST', body: JSON.stringify(loaded.slice(at, at + BULK_PAIRS)) });
        if (!response.ok) throw new Error(`load: ${response.status} ${await response.text()}`);
      }
      const loadMs = performance.now() - started;
      log(`load ${loaded.length} pairs into miniflare KV: ${fmtMs(loadMs)}`);

      // Baseline: rows sent to the Worker as Feast's /write-to-online-store bodies.
      const http = await worker('http');
      started = performance.now();
      for (let at = 0; at < HTTP_ROWS; at += HTTP_BATCH) {
        const ids = Array.from({ length: HTTP_BATCH }, (_, i) => at + i);
        const df: Record<string, unknown[]> = { driver_id: ids, event_timestamp: ids.map(() => END) };
        for (let f = 0; f < FEATURES; f++) df[`f${f}`] = ids.map((i) => i / 7 + f);
        const response = await http.fetch('http://worker/write-to-online-store', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ feature_view_name: 'stats', df }),
        });
        if (!response.ok) throw new Error(`write-to-online-store: ${response.status} ${await response.text()}`);
      }
      const httpMs = performance.now() - started;
      log(`/write-to-online-store ${HTTP_ROWS} rows: ${fmtMs(httpMs)}`);

      // The load is checked, not assumed: the last entity reads back PRESENT through the Worker.
      const feast = await worker('feast');
      const read = await feast.fetch('http://worker/get-online-features', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ features: ['stats:f0'], entities: { driver_id: [idOfKey(loaded.at(-1)!.key, rows)] } }),
      });
      const body = (await read.json()) as { results: { statuses: string[] }[] };
      if (body.results[1]?.statuses[0] !== 'PRESENT') throw new Error(`read after load: ${JSON.stringify(body)}`);

      const perSec = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} rows/s`;
      const n = rows.toLocaleString('en-US');
      const loadRate = loaded.length / loadMs;
      const httpRate = HTTP_ROWS / httpMs;
      return [
        '## Materializing into Workers KV from Node (bulk file, REST bulk writes)',
        '',
        `${n} rows of one view (${FEATURES} Float64 features) from Parquet. Materialize: \`store.materialize\` with online_store type cloudflare_kv, timed until the \`wrangler kv bulk put\` file (${(bulkText.length / 2 ** 20).toFixed(1)} MiB) is written, against the same materialize into LMDB (the default online store) in the same run; likewise online_store type deno_kv, whose rows go to a deno process writing a Deno KV file (SQLite) with DenoKvOnlineStore. Send: every pair through the REST bulk client (PUT .../bulk, ${BULK_PAIRS.toLocaleString('en-US')} pairs a request) to a local Node stand-in of Cloudflare's endpoint that parses each body: this is feast-edge's side of the upload, not Cloudflare's network or its write time. Load: ${LOAD_ROWS.toLocaleString('en-US')} of the pairs put into a KV namespace in workerd (miniflare's local KV simulator, as \`wrangler kv bulk put --local\` fills one; it takes a few hundred puts a second here, so not all ${n}), against the edge's HTTP path in the same run: POST /write-to-online-store to the built Worker in ${HTTP_BATCH.toLocaleString('en-US')}-row bodies (${HTTP_ROWS.toLocaleString('en-US')} rows), which reads, compares and puts each row. A read through the built Worker checks the load.`,
        '',
        '| step | rows | time | rate | baseline (same run) | baseline rate | ratio |',
        '|---|---|---|---|---|---|---|',
        `| materialize to the bulk file | ${n} | ${fmtMs(kvMs)} | ${perSec(rows, kvMs)} | materialize to LMDB: ${fmtMs(lmdbMs)} | ${perSec(rows, lmdbMs)} | ${ratio(kvMs, lmdbMs)} the time |`,
        `| materialize to Deno KV (through the deno binary) | ${n} | ${fmtMs(denoMs)} | ${perSec(rows, denoMs)} | materialize to LMDB: ${fmtMs(lmdbMs)} | ${perSec(rows, lmdbMs)} | ${ratio(denoMs, lmdbMs)} the time |`,
        `| send through the REST bulk client (local stand-in) | ${n} | ${fmtMs(restMs)} | ${perSec(rows, restMs)} | | | |`,
        `| load into miniflare KV (${BULK_PAIRS.toLocaleString('en-US')}-pair requests) | ${loaded.length.toLocaleString('en-US')} | ${fmtMs(loadMs)} | ${perSec(loaded.length, loadMs)} | /write-to-online-store: ${fmtMs(httpMs)} for ${HTTP_ROWS.toLocaleString('en-US')} | ${perSec(HTTP_ROWS, httpMs)} | ${ratio(loadRate, httpRate)} the rate |`,
        '',
        `Materialize plus send (to the local stand-in): ${fmtMs(kvMs + restMs)} for ${n} rows. Loading into miniflare is bounded by its KV simulator's puts, the same puts the HTTP path makes.`,
        '',
      ].join('\n');
    } finally {
      await mf.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await benchEdgeKvBulk(Number(process.argv[2] ?? 100_000)));
}
