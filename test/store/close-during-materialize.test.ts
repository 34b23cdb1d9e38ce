import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import { AbortError } from '../../src/errors.js';
import type { OnlineColumnarBatch } from '../../src/online/online-store.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../../src/runtime/node/duckdb/duckdb-native-engine.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../../src/store/feature-store.js';

/*
 * store.close() while a materialization runs (the server's ?async=true run, when the
 * process is told to stop): the run stops at a batch boundary, as a cancel stops it, and
 * close() returns only after it has: the offline and online stores are never closed under
 * a run still reading and writing them. (A test process once died in that overlap.)
 */
const USERS = 1000;
const BATCH = 100;
const user = entity({ name: 'user', joinKeys: ['user_id'], valueType: Int64 });
const scores = featureView({
  name: 'scores',
  entities: [user],
  source: fileSource({ name: 'scores_src', path: 'scores.parquet' }),
  schema: [field('score', Float64)],
});

/** The memory store, counting the rows each columnar write brings and noting when it is closed. */
class WatchedStore extends MemoryOnlineStore {
  readonly writes: number[] = [];
  closed = false;
  override async writeColumns(project: string, batch: OnlineColumnarBatch) {
    if (this.closed) throw new Error('written after close');
    this.writes.push(batch.keys.length);
    return super.writeColumns(project, batch);
  }
  override async close() {
    this.closed = true;
    await super.close();
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-close-materialize-'));
  const engine = await NativeDuckDBEngine.open();
  await engine.exec(
    `COPY (SELECT range AS user_id, TIMESTAMP '2021-04-12 10:00:00' AS event_timestamp, range / 10.0 AS score FROM range(${USERS})) TO '${join(dir, 'scores.parquet')}' (FORMAT parquet)`,
  );
  await engine.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('stops a running materialization at a batch boundary and waits for it before closing the stores', async () => {
  const online = new WatchedStore();
  const registry = new MemoryRegistryStore();
  const store = createFeatureStore({
    project: 'closing',
    registry,
    offlineStore: createDuckDbOfflineStore({ engine: () => NativeDuckDBEngine.open(), sources: nodeSourceLoader(dir) }),
    onlineStore: online,
  });
  await store.apply([user, scores]);
  const order: string[] = [];
  let closing: Promise<void> | undefined;
  const run = store
    .materialize({
      start: '2021-04-12T00:00:00Z',
      end: '2021-04-13T00:00:00Z',
      batchRows: BATCH,
      // Closed after the first batch is written, as a SIGTERM arriving mid-run would.
      onProgress: () => {
        closing ??= store.close().then(() => void order.push('closed'));
      },
    })
    .finally(() => order.push('materialize settled'));

  await expect(run).rejects.toThrow(AbortError);
  await expect(run).rejects.toThrow("materialize: the store was closed while materializing 'scores'; batches already written stay whole");
  await closing;
  expect(order).toEqual(['materialize settled', 'closed']);
  // Whole batches only, and not all of them: the run stopped at the next boundary.
  expect(online.writes.length).toBeGreaterThan(0);
  expect(online.writes.length).toBeLessThan(USERS / BATCH);
  expect(online.writes.every((rows) => rows === BATCH)).toBe(true);
  expect((await registry.read('closing'))?.featureViews.scores.materializationIntervals).toEqual([]);
});
