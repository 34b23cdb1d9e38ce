import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { FileDatasetStorage } from '../../src/runtime/node/file-dataset-storage.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';

let dir: string;
let server: Server;
let baseUrl: string;
let parquet: Uint8Array;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-node-'));
  const engine = await createNodeEngine();
  parquet = await engine.export(
    `SELECT * FROM (VALUES (1::BIGINT, TIMESTAMP '2021-04-12 09:00:00', 0.25::DOUBLE), (2::BIGINT, TIMESTAMP '2021-04-12 09:30:00', 0.75::DOUBLE)) t(driver_id, event_timestamp, conv_rate)`,
    'parquet',
  );
  await engine.close();
  server = createServer((req, res) => {
    if (req.url === '/stats.parquet') {
      res.writeHead(200);
      res.end(parquet);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
});

/** A repo with one view over `path`, and the stats file at data/stats.parquet. */
async function writeRepo(name: string, path: string, yaml = 'project: web\n'): Promise<string> {
  const repo = join(dir, name);
  await mkdir(join(repo, 'data'), { recursive: true });
  await writeFile(join(repo, 'data', 'stats.parquet'), parquet);
  await writeFile(join(repo, 'feature_store.yaml'), yaml);
  await writeFile(
    join(repo, 'defs.ts'),
    `import { entity, field, fileSource, featureView, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const src = fileSource({ name: 'stats_src', path: '${path}' });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '1h', source: src, schema: [field('conv_rate', Float64)] });
`,
  );
  return repo;
}

const ENTITIES = [
  { driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z' },
  { driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z' },
];

describe('openFeatureStore', () => {
  it('opens a repo: its yaml, its definitions, a file registry where the yaml says, and repo-relative sources', async () => {
    const repo = await writeRepo('local', 'data/stats.parquet', 'project: web\nregistry: state/reg.json\noffline_store: duckdb-wasm\n');
    const { store, config, definitions } = await openFeatureStore({ repoPath: repo });
    expect(config).toMatchObject({ project: 'web', registryPath: join(repo, 'state', 'reg.json'), offlineStore: { type: 'duckdb-wasm' } });
    expect(definitions.map((d) => d.name).sort()).toEqual(['driver', 'stats', 'stats_src']);
    await store.apply(definitions);
    expect(JSON.parse(await readFile(join(repo, 'state', 'reg.json'), 'utf8')).project.name).toBe('web');
    const rows = await store.getHistoricalFeatures({ entityDf: ENTITIES, features: ['stats:conv_rate'] }).toRows();
    expect(rows.map((r) => r.conv_rate)).toEqual([0.25, 0.75]);
    await store.close();
  });

  it('reads a file source from an http URL, an absolute path or a file:// URL', async () => {
    const absolute = join(dir, 'shared.parquet');
    await writeFile(absolute, parquet);
    for (const [name, path] of [
      ['url', `${baseUrl}/stats.parquet`],
      ['absolute', absolute],
      ['file-url', pathToFileURL(absolute).href],
    ]) {
      const { store, definitions } = await openFeatureStore({ repoPath: await writeRepo(name, path) });
      await store.apply(definitions);
      const rows = await store.getHistoricalFeatures({ entityDf: ENTITIES, features: ['stats:conv_rate'] }).toRows();
      expect(
        rows.map((r) => r.conv_rate),
        name,
      ).toEqual([0.25, 0.75]);
      await store.close();
    }
  });

  it('names the source and the resolved path when a file is missing or a URL answers 404', async () => {
    for (const [name, path, message] of [
      ['missing', 'data/none.parquet', /source 'stats_src': file .*missing\/data\/none.parquet does not exist/],
      ['gone', `${baseUrl}/gone.parquet`, /source 'stats_src': GET .*gone.parquet answered 404/],
    ] as const) {
      const { store, definitions } = await openFeatureStore({ repoPath: await writeRepo(name, path) });
      await store.apply(definitions);
      await expect(store.getHistoricalFeatures({ entityDf: ENTITIES, features: ['stats:conv_rate'] }).toArrow()).rejects.toThrow(message);
      await store.close();
    }
  });

  it('persists saved datasets under data/saved_datasets, recorded by a repo-relative path', async () => {
    const repo = await writeRepo('saved', 'data/stats.parquet');
    const { store, definitions } = await openFeatureStore({ repoPath: repo });
    await store.apply(definitions);
    const dataset = await store.getHistoricalFeatures({ entityDf: ENTITIES, features: ['stats:conv_rate'] }).persist('train_v1');
    expect(dataset.storage.path).toBe('data/saved_datasets/train_v1.parquet');
    expect(await readdir(join(repo, 'data', 'saved_datasets'))).toEqual(['train_v1.parquet']);
    await store.close();
  });
});

describe('FileDatasetStorage', () => {
  it('writes atomically, reads back by the stored path, and refuses names that leave its folder', async () => {
    const storage = new FileDatasetStorage(join(dir, 'storage'));
    const path = await storage.write('ds', new Uint8Array([1, 2, 3]));
    expect(path).toBe('data/saved_datasets/ds.parquet');
    await storage.write('ds', new Uint8Array([4, 5]));
    expect(Array.from(await storage.read(path))).toEqual([4, 5]);
    expect(await readdir(join(dir, 'storage', 'data', 'saved_datasets'))).toEqual(['ds.parquet']);
    for (const name of ['../escape', 'a/b', '.hidden', ''])
      await expect(storage.write(name, new Uint8Array())).rejects.toThrow(/saved dataset: expected a name/);
  });
});

describe("openFeatureStore over Feast's files", () => {
  const repoWith = async (name: string, yaml: string) => {
    const repo = join(dir, name);
    await mkdir(repo, { recursive: true });
    await writeFile(join(repo, 'feature_store.yaml'), yaml);
    return repo;
  };

  it("picks the online store in Feast's layouts beside registry.db, and feast-edge's beside registry.json", async () => {
    const cases: [string, string][] = [
      ['project: p\nregistry: data/registry.db\n', 'feast-sqlite'],
      ['project: p\nregistry: data/registry.db\nonline_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n', 'feast-redis'],
      ['project: p\nregistry: data/registry.json\nonline_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n', 'redis'],
      ['project: p\nregistry: data/registry.json\nonline_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n  layout: feast\n', 'feast-redis'],
      ['project: p\nregistry: data/registry.db\nonline_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n  layout: feast-edge\n', 'redis'],
    ];
    for (const [i, [yaml, store]] of cases.entries()) {
      // Redis connects on first use: opening needs no server.
      const { store: opened } = await openFeatureStore({ repoPath: await repoWith(`layout-${i}`, yaml) });
      expect(opened.onlineStore.name, yaml).toBe(store);
      await opened.close();
    }
  });

  it("refuses a key prefix in Feast's Redis layout, which has none", async () => {
    const repo = await repoWith(
      'prefix',
      'project: p\nregistry: data/registry.db\nonline_store:\n  type: redis\n  connection_string: 127.0.0.1:1\n  key_prefix: "a:"\n',
    );
    await expect(openFeatureStore({ repoPath: repo })).rejects.toThrow(
      "feature_store.yaml: online_store.key_prefix: Feast's Redis layout has no key prefix (a key is the entity key's bytes and the project); remove it, or set layout: feast-edge",
    );
  });
});
