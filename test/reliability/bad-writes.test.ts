/**
 * Regression tests for issue 14's findings about writes: each is named after the bug it
 * pins, and each failed before its fix. The repo is the one the issue describes: a view
 * `typed` keyed by a String user_id with one feature of each value type, and a push source
 * (./typed-repo.ts, shared with the fuzz suite).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureViewNotFoundException, InvalidEntityKeyError, InvalidOnlineWriteError, InvalidTimestampError } from '../../src/errors.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { TYPED_AT, typedDefinitions, typedParquet, typedRow } from './typed-repo.js';

const { user, source, push, typed } = typedDefinitions('typed.parquet');
const AT = TYPED_AT;
const row = typedRow;

let dir: string;
let engine: SqlEngine;
let store: FeatureStore;
const read = async (userId: string, feature = 'f_int32') =>
  (await store.getOnlineFeatures({ features: [`typed:${feature}`], entityRows: [{ user_id: userId }] })).toDict()[feature][0];
const history = (entityDf: Record<string, unknown>[], features = ['typed:f_int32']) => store.getHistoricalFeatures({ entityDf, features });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-bad-writes-'));
  engine = await createNodeEngine();
  await writeFile(join(dir, 'typed.parquet'), await typedParquet());
  store = createFeatureStore({
    project: 'p',
    registry: new MemoryRegistryStore(),
    onlineStore: new LmdbOnlineStore(join(dir, 'online.lmdb')),
    offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir) }),
  });
  await store.apply([user, source, push, typed]);
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('bad writes are refused whole, with a 4xx error naming the row (issue 14)', () => {
  it('refuses an LMDB batch whose second key is over LMDB key size, writing neither row (finding 1)', async () => {
    const error = await store.writeToOnlineStore('typed', [row('a'), row('x'.repeat(2500))]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOnlineWriteError);
    expect((error as InvalidOnlineWriteError).httpStatus).toBe(422);
    expect((error as Error).message).toMatch(/row 1: its entity key is 2527 bytes/);
    expect(await read('a')).toBe(null);
    expect(await read('x'.repeat(2500))).toBe(null);
  });

  it('refuses far-future and nonsense timestamps, so no entity is poisoned and a later write lands (finding 3)', async () => {
    for (const bad of [{ event_timestamp: 9e12 }, { event_timestamp: 1e13 }, { f_ts: 1e15 }, { event_timestamp: '10000-01-01T00:00:00Z' }]) {
      await expect(store.writeToOnlineStore('typed', [row('b', bad)]), JSON.stringify(bad)).rejects.toBeInstanceOf(InvalidTimestampError);
    }
    await store.writeToOnlineStore('typed', [row('b', { event_timestamp: new Date().toISOString(), f_int32: 7 })]);
    expect(await read('b')).toBe(7);
  });

  it('refuses impossible dates instead of rolling them over (finding 11)', async () => {
    for (const date of ['2021-02-30T00:00:00Z', '2021-04-31', '2021-01-01T24:00:00Z', '2021-01-01T10:61:00Z']) {
      await expect(store.writeToOnlineStore('typed', [row('c', { event_timestamp: date })]), date).rejects.toBeInstanceOf(InvalidTimestampError);
    }
  });

  it('refuses a value out of its declared type range on the online and the offline path alike (finding 7)', async () => {
    for (const to of ['online', 'offline', 'online_and_offline'] as const) {
      await expect(store.push('typed_push', [row('d', { f_int32: 10_000_000_000 })], { to }), to).rejects.toBeInstanceOf(InvalidOnlineWriteError);
    }
    await expect(store.push('typed_push', [row('d', { f_int64: 2n ** 63n })])).rejects.toThrow(/Int64/);
    await expect(store.push('typed_push', [row('d', { f_float32: 1e39 })])).rejects.toThrow(/Float32/);
    expect(await read('d')).toBe(null);
    expect((await history([{ user_id: 'd', event_timestamp: '2021-01-03T00:00:00Z' }]).toRows())[0].f_int32).toBe(null);
  });

  it('refuses a key holding a lone surrogate, which would collide with U+FFFD (finding 8)', async () => {
    await expect(store.writeToOnlineStore('typed', [row('\ud800')])).rejects.toBeInstanceOf(InvalidEntityKeyError);
    await store.writeToOnlineStore('typed', [row('\ufffd', { f_int32: 5 })]);
    expect(await read('\ufffd')).toBe(5);
    await expect(read('\udc00')).rejects.toBeInstanceOf(InvalidEntityKeyError);
    await expect(store.writeToOnlineStore('typed', [row('e', { f_string: 'a\ud800' })])).rejects.toThrow(/lone UTF-16 surrogate/);
  });

  it('appends an offline push with an Array(Int64) feature, which training sets then read (finding 6)', async () => {
    await store.push('typed_push', [row('f', { f_list: [3, 4, 5] })], { to: 'offline' });
    const [joined] = await history([{ user_id: 'f', event_timestamp: '2021-01-03T00:00:00Z' }], ['typed:f_list']).toRows();
    expect(joined.f_list).toEqual([3, 4, 5]);
  });

  it('answers materialize-incremental of a view named like an Object member with FeatureViewNotFoundException (finding 5)', async () => {
    for (const name of ['constructor', 'toString', '__proto__']) {
      await expect(store.materializeIncremental({ end: AT, featureViews: [name] }), name).rejects.toBeInstanceOf(FeatureViewNotFoundException);
    }
  });

  it('keeps an entity dataframe column named __row_id (finding 11)', async () => {
    const [joined] = await history([{ user_id: 'u1', event_timestamp: '2021-01-05T00:00:00Z', __row_id: 'mine' }]).toRows();
    expect(joined).toEqual({ user_id: 'u1', event_timestamp: new Date('2021-01-05T00:00:00Z'), __row_id: 'mine', f_int32: 1 });
  });
});

describe.each(['duckdb-native', 'duckdb-wasm'] as const)('a Bool feature no entity row matches (%s, finding 9)', (which) => {
  it('is null in the training set, and the set exports to CSV and Parquet', async () => {
    const other = await createNodeEngine({ engine: which });
    const boolStore = createFeatureStore({
      project: 'bools',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: async () => other, sources: nodeSourceLoader(dir) }),
    });
    try {
      await boolStore.apply([user, source, push, typed]);
      const job = boolStore.getHistoricalFeatures({
        entityDf: Array.from({ length: 9 }, (_, i) => ({ user_id: `nobody${i}`, event_timestamp: '2021-01-05T00:00:00Z' })),
        features: ['typed:f_bool'],
      });
      expect((await job.toRows()).map((r) => r.f_bool)).toEqual(Array(9).fill(null));
      const csv = new TextDecoder()
        .decode(await job.toCSV())
        .trim()
        .split(/\r?\n/);
      expect(csv).toHaveLength(10);
      await other.registerBytes('exported', await job.toParquet(), 'parquet');
      const back = await other.query('SELECT count(*)::INTEGER AS n, count(f_bool)::INTEGER AS values, typeof(any_value(f_bool)) AS type FROM exported');
      expect(back.toArray().map((r) => r.toJSON())).toEqual([{ n: 9, values: 0, type: 'BOOLEAN' }]);
    } finally {
      await boolStore.close();
    }
  });
});
