import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, String as Str } from '../../src/definitions/index.js';
import { InvalidOnlineWriteError } from '../../src/errors.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../../src/runtime/node/duckdb/duckdb-native-engine.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../../src/store/feature-store.js';

/*
 * Materialized rows reach the stores as columns, past the row writes' check: the
 * 1,500-byte entity key limit (issue 14) must hold for them too, refused by name.
 */
const user = entity({ name: 'user', joinKeys: ['user_id'], valueType: Str });
const scores = featureView({
  name: 'scores',
  entities: [user],
  source: fileSource({ name: 'scores_src', path: 'scores.parquet' }),
  schema: [field('score', Float64)],
});
const LONG_ID = 'x'.repeat(2000);

let dir: string;
let engine: NativeDuckDBEngine;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-key-size-'));
  engine = await NativeDuckDBEngine.open();
  await engine.exec(
    `COPY (SELECT * FROM (VALUES ('a', TIMESTAMP '2021-04-12 10:00:00', 1.0), ('${LONG_ID}', TIMESTAMP '2021-04-12 10:00:00', 2.0), ('b', TIMESTAMP '2021-04-12 10:00:00', 3.0)) ` +
      `t(user_id, event_timestamp, score)) TO '${join(dir, 'scores.parquet')}' (FORMAT parquet)`,
  );
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

it('refuses a materialized entity key over 1,500 bytes by name: nothing of its batch is written, no interval recorded', async () => {
  const online = new MemoryOnlineStore();
  const registry = new MemoryRegistryStore();
  const store = createFeatureStore({
    project: 'keys',
    registry,
    offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir) }),
    onlineStore: online,
  });
  await store.apply([user, scores]);
  const run = store.materialize({ start: '2021-04-12T00:00:00Z', end: '2021-04-13T00:00:00Z' });
  await expect(run).rejects.toThrow(InvalidOnlineWriteError);
  await expect(run).rejects.toThrow(/materialize 'scores': the entity key user_id="x{39}\.\.\. is \d{4} bytes, over the 1500/);
  const read = await store.getOnlineFeatures({ features: ['scores:score'], entityRows: { user_id: ['a', 'b'] } });
  expect(read.toDict().score).toEqual([null, null]);
  expect((await registry.read('keys'))?.featureViews.scores.materializationIntervals).toEqual([]);
});
