import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { runOnlineStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'feast-edge-lmdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runOnlineStoreContract('LMDB', async () => new LmdbOnlineStore(join(dir, 'online.lmdb')));

it('is the default online store of a repo, persisted under data/', async () => {
  const repo = join(dir, 'repo');
  await mkdir(repo, { recursive: true });
  await writeFile(join(repo, 'feature_store.yaml'), 'project: lmdb_repo\n');
  await writeFile(
    join(repo, 'defs.ts'),
    `import { entity, featureView, field, fileSource, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const stats = featureView({ name: 'stats', entities: [driver], source: fileSource({ name: 's', path: 'data/s.parquet' }), schema: [field('x', Float64)] });
`,
  );
  const first = await openFeatureStore({ repoPath: repo });
  expect(first.store.onlineStore.name).toBe('lmdb');
  await first.store.apply(first.definitions);
  await first.store.writeToOnlineStore('stats', [{ driver_id: 7, event_timestamp: '2021-04-12T10:00:00Z', x: 0.25 }]);
  await first.store.close();
  // A second process-like open reads what the first wrote.
  const second = await openFeatureStore({ repoPath: repo });
  const response = await second.store.getOnlineFeatures({ features: ['stats:x'], entityRows: [{ driver_id: 7 }] });
  expect(response.toDict().x).toEqual([0.25]);
  await second.store.close();
});

it('reads each view by its own schema when one feature list is passed for two views', async () => {
  const store = new LmdbOnlineStore(join(dir, 'shared-list.lmdb'));
  const key = new Uint8Array([1, 2, 3]);
  // The same names in opposite orders: both views' first schema (id 0) places x differently.
  await store.write('p', { view: 'a', keys: [key], eventTimestamps: [1n], features: { x: [1], y: [2] } });
  await store.write('p', { view: 'b', keys: [key], eventTimestamps: [1n], features: { y: [20], x: [10] } });
  const features = ['x', 'y'];
  for (let round = 0; round < 2; round++) {
    expect((await store.read('p', 'a', [key], features)).values).toEqual({ x: [1], y: [2] });
    expect((await store.read('p', 'b', [key], features)).values).toEqual({ x: [10], y: [20] });
  }
  await store.close();
});
