import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT } from './fixture-definitions.js';
import { runWireCases, wireCases } from './wire-cases.js';

// The Worker exactly as `npm run build:edge` makes it (same config, fixture repo bundled),
// run in workerd through miniflare over a real KV namespace binding.
const CONFIG = fileURLToPath(new URL('../../vite.edge.config.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixture-definitions.ts', import.meta.url));
const SIZE_BUDGET = 150 * 1024;

interface Chunk {
  type: 'chunk';
  fileName: string;
  code: string;
  imports: string[];
  dynamicImports: string[];
  modules: Record<string, { renderedLength: number }>;
}

let bundle: Promise<Chunk> | undefined;
function edgeBundle(): Promise<Chunk> {
  return (bundle ??= (async () => {
    process.env.FEAST_EDGE_DEFINITIONS = FIXTURE;
    const result = await build({ configFile: CONFIG, logLevel: 'warn', build: { write: false } });
    const outputs = (Array.isArray(result) ? result : [result]) as unknown as { output: { type: string }[] }[];
    const files = outputs.flatMap((o) => o.output);
    if (files.length !== 1 || files[0].type !== 'chunk') throw new Error(`expected the edge build to emit one module, got ${files.length} files`);
    return files[0] as Chunk;
  })());
}

async function startWorker(bindings: Record<string, string> = {}, kv = true): Promise<Miniflare> {
  const mf = new Miniflare({
    modules: true,
    script: (await edgeBundle()).code,
    compatibilityDate: '2026-04-01',
    kvNamespaces: kv ? ['FEAST_ONLINE'] : [],
    bindings: { FEAST_PROJECT: FIXTURE_PROJECT, ...bindings },
  });
  await mf.ready;
  return mf;
}

const dispatch =
  (mf: Miniflare) =>
  async (request: Request): Promise<Response> => {
    // miniflare's fetch takes its own Request type; pass the parts across.
    const response = await mf.dispatchFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body: request.body ? await request.text() : undefined,
    });
    return response as unknown as Response;
  };

describe('the edge Worker (dist-edge/edge.js in workerd, Workers KV)', () => {
  let mf: Miniflare;
  beforeAll(async () => {
    mf = await startWorker();
  });
  afterAll(async () => {
    await mf?.dispose();
  });

  it('answers every wire-format case as Feast does', async () => {
    const outcomes = await runWireCases(dispatch(mf));
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes).toHaveLength(wireCases.length);
  });

  it('answers materialization and offline pushes with a 501 JSON error naming the limitation', async () => {
    const post = async (path: string, body: unknown) => {
      const response = await mf.dispatchFetch(`http://worker${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, type: response.headers.get('x-feast-edge-error'), json: await response.json() };
    };
    const expected = {
      status: 501,
      type: 'OfflineStoreUnavailableError',
      json: expect.stringContaining('historical retrieval and materialization are not available at the edge'),
    };
    expect(await post('/materialize', { start_ts: '2021-04-12T00:00:00Z', end_ts: '2021-04-13T00:00:00Z' })).toMatchObject(expected);
    expect(await post('/materialize-incremental', { end_ts: '2021-04-13T00:00:00Z' })).toMatchObject(expected);
    expect(
      await post('/push', {
        push_source_name: 'driver_stats_push_source',
        to: 'offline',
        df: {
          driver_id: [1001],
          event_timestamp: ['2021-04-12T10:00:00Z'],
          conv_rate: [0.5],
          acc_rate: [0.5],
          avg_daily_trips: [1],
          label: ['x'],
        },
      }),
    ).toMatchObject(expected);
  });
});

it("takes its tokens and CORS origins from the Worker's variables", async () => {
  const mf = await startWorker({
    FEAST_READ_TOKEN: 'r-secret',
    FEAST_WRITE_TOKEN: 'w-secret',
    FEAST_CORS_ORIGINS: 'https://app.example, https://other.example',
  });
  try {
    const read = (token?: string) =>
      mf.dispatchFetch('http://worker/get-online-features', {
        method: 'POST',
        headers: { Origin: 'https://app.example', 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } }),
      });
    const anonymous = await read();
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe('https://app.example');
    await anonymous.arrayBuffer();
    expect((await read('r-secret')).status).toBe(200);
    const write = await mf.dispatchFetch('http://worker/write-to-online-store', {
      method: 'POST',
      headers: { Authorization: 'Bearer r-secret', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        feature_view_name: 'driver_hourly_stats',
        df: { driver_id: [1], event_timestamp: ['2021-01-01T00:00:00Z'], conv_rate: [1], acc_rate: [1], avg_daily_trips: [1], label: ['x'] },
      }),
    });
    expect([write.status, write.headers.get('x-feast-edge-error')]).toEqual([403, 'PermissionDeniedError']);
    expect(JSON.parse((await write.json()) as string)).toMatchObject({ module: 'feast.errors', class: 'FeastPermissionError' });
  } finally {
    await mf.dispose();
  }
});

it('answers 503 naming the binding when no KV namespace is bound as FEAST_ONLINE', async () => {
  const mf = await startWorker({}, false);
  try {
    const response = await mf.dispatchFetch('http://worker/health');
    expect([response.status, response.headers.get('x-feast-edge-error')]).toEqual([503, 'FeatureServerStartupError']);
    expect(await response.json()).toEqual(expect.stringContaining('FEAST_ONLINE'));
  } finally {
    await mf.dispose();
  }
});

it('stays under 150 KB gzipped, with no DuckDB, Arrow, Parquet or Node built-ins inside', async () => {
  const chunk = await edgeBundle();
  const gzipped = gzipSync(chunk.code).length;
  const definitions = Object.entries(chunk.modules)
    .filter(([id]) => id === FIXTURE)
    .reduce((n, [, m]) => n + m.renderedLength, 0);
  console.log(
    `edge bundle: ${chunk.code.length} bytes, ${gzipped} bytes gzipped (budget ${SIZE_BUDGET}); bundled definitions module ${definitions} bytes before minifying`,
  );
  expect(gzipped).toBeLessThan(SIZE_BUDGET);
  expect(definitions).toBeLessThan(5_000);
  expect(chunk.imports).toEqual([]);
  // The offline stub's lazy import is inlined: it points back at the one module.
  expect(chunk.dynamicImports.filter((file) => file !== chunk.fileName)).toEqual([]);
  expect(chunk.code).not.toMatch(/duckdb/i);
  expect(chunk.code).not.toMatch(/apache-arrow|parquet-wasm|hyparquet/);
  expect(chunk.code).not.toMatch(/["'`]node:[a-z_/]+["'`]/);
  expect(Object.keys(chunk.modules).filter((id) => /apache-arrow|@duckdb|parquet-wasm|offline-operations|historical-retrieval/.test(id))).toEqual([]);
});

it('refuses to build when the definitions module reaches for Arrow, naming the import', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-edge-build-'));
  const definitions = join(dir, 'definitions.ts');
  writeFileSync(definitions, "import { tableFromArrays } from 'apache-arrow';\nexport const table = tableFromArrays({ x: [1] });\n");
  await edgeBundle(); // the shared bundle is built with the fixture first
  process.env.FEAST_EDGE_DEFINITIONS = definitions;
  try {
    await expect(build({ configFile: CONFIG, logLevel: 'silent', build: { write: false } })).rejects.toThrow(
      /imports 'apache-arrow', which the edge bundle must not contain/,
    );
  } finally {
    process.env.FEAST_EDGE_DEFINITIONS = FIXTURE;
    rmSync(dir, { recursive: true, force: true });
  }
});
