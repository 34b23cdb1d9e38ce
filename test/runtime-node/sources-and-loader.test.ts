import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/engine.js';
import { loadDefinitions } from '../../src/runtime/node/load-definitions.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { parseRepoConfig } from '../../src/runtime/node/repo-config.js';

let dir: string;
let server: Server;
let baseUrl: string;
let parquet: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-node-'));
  const engine = await createNodeEngine();
  parquet = await engine.export(`SELECT * FROM (VALUES (1::BIGINT, TIMESTAMP '2021-04-12 09:00:00', 0.25::DOUBLE), (2::BIGINT, TIMESTAMP '2021-04-12 09:30:00', 0.75::DOUBLE)) t(driver_id, event_timestamp, conv_rate)`, 'parquet');
  await engine.close();
  server = createServer((req, res) => {
    if (req.url === '/stats.parquet') { res.writeHead(200); res.end(parquet); } else { res.writeHead(404); res.end(); }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeRepo(name: string, definitions: Record<string, string>, yaml = 'project: web\n'): Promise<string> {
  const repo = join(dir, name);
  await mkdir(join(repo, 'sub'), { recursive: true });
  await writeFile(join(repo, 'feature_store.yaml'), yaml);
  for (const [file, text] of Object.entries(definitions)) await writeFile(join(repo, file), text);
  return repo;
}

const VIEW = (path: string) => `import { entity, field, fileSource, featureView, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const src = fileSource({ name: 'stats_src', path: '${path}' });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '1h', source: src, schema: [field('conv_rate', Float64)] });
`;

describe('Node runtime', () => {
  it('reads a file source from an http URL', async () => {
    const repo = await writeRepo('url', { 'defs.ts': VIEW(`${baseUrl}/stats.parquet`) });
    const { store, definitions } = await openFeatureStore({ repoPath: repo });
    await store.apply(definitions);
    const rows = await store.getHistoricalFeatures({
      entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }, { driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z' }],
      features: ['stats:conv_rate'],
    }).toRows();
    expect(rows.map((r) => r.conv_rate)).toEqual([0.25, 0.75]);
    await store.close();
  });

  it('names the source and path when a source file is missing or a URL answers 404', async () => {
    for (const [name, path, message] of [['missing', 'data/none.parquet', /source 'stats_src': file .*none.parquet does not exist/], ['gone', `${baseUrl}/gone.parquet`, /source 'stats_src': GET .*gone.parquet answered 404/]] as const) {
      const repo = await writeRepo(name, { 'defs.ts': VIEW(path) });
      const { store, definitions } = await openFeatureStore({ repoPath: repo });
      await store.apply(definitions);
      await expect(store.getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' }], features: ['stats:conv_rate'] }).toArrow())
        .rejects.toThrow(message);
      await store.close();
    }
  });

  it('loads definitions from nested TypeScript and JavaScript modules, skipping data, node_modules and tests', async () => {
    const repo = await writeRepo('nested', {
      'defs.ts': VIEW('data/x.parquet'),
      'sub/more.mjs': `import { entity } from 'feast-edge';\nexport const customer = entity({ name: 'customer', joinKeys: ['customer_id'] });\n`,
      'defs.test.ts': `throw new Error('tests are not loaded');`,
    });
    await mkdir(join(repo, 'data'), { recursive: true });
    await writeFile(join(repo, 'data', 'bad.ts'), `throw new Error('data is not loaded');`);
    const names = (await loadDefinitions(repo)).map((o) => `${o.kind}:${o.name}`).sort();
    expect(names).toEqual(['entity:customer', 'entity:driver', 'featureView:stats', 'fileSource:stats_src']);
  });

  it('refuses two different objects of one kind and name across modules, naming both files', async () => {
    const repo = await writeRepo('dupes', {
      'a.ts': `import { entity } from 'feast-edge';\nexport const e = entity({ name: 'driver', joinKeys: ['driver_id'] });\n`,
      'b.ts': `import { entity } from 'feast-edge';\nexport const e = entity({ name: 'driver', joinKeys: ['id'] });\n`,
    });
    await expect(loadDefinitions(repo)).rejects.toThrow(/two different entity definitions are named 'driver' \(a.ts and b.ts\)/);
  });

  it('reports a definition error with the module it came from', async () => {
    const repo = await writeRepo('invalid', { 'defs.ts': VIEW('data/x.parquet').replace("ttl: '1h'", "ttl: 'soon'") });
    await expect(loadDefinitions(repo)).rejects.toThrow(/defs.ts: featureView 'stats'.ttl: cannot parse duration "soon"/);
  });

  it('validates feature_store.yaml, naming the field and what was expected', () => {
    expect(parseRepoConfig({ project: 'p' }, '/r')).toMatchObject({ project: 'p', registryPath: '/r/data/registry.json', offlineStore: { type: 'auto' }, onlineStore: { type: 'lmdb' } });
    expect(parseRepoConfig({ project: 'p', registry: { path: 'reg.db', cache_ttl_seconds: 5 }, offline_store: { type: 'duckdb-wasm' } }, '/r'))
      .toMatchObject({ registryPath: '/r/reg.json', registryCacheTtlSeconds: 5, offlineStore: { type: 'duckdb-wasm' } });
    expect(() => parseRepoConfig({}, '/r')).toThrow(/project: expected a name/);
    expect(() => parseRepoConfig({ project: 'p', offline_store: { type: 'spark' } }, '/r')).toThrow(/offline_store.type: expected one of duckdb, file, duckdb-native, duckdb-wasm, got 'spark'/);
    expect(() => parseRepoConfig({ project: 'p', registry: 5 }, '/r')).toThrow(/registry: expected a path/);
    expect(() => parseRepoConfig({ project: 'p', entity_key_serialization_version: 2 }, '/r')).toThrow(/only 3 is supported/);
  });
});
