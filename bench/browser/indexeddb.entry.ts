/**
 * Browser side of bench/indexeddb.ts: every figure is measured inside Chromium and only
 * numbers cross back to Node.
 */
import { deleteDB, openDB } from 'idb';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import { entityKeyEncoder, entityKeyToString } from '../../src/online/entity-key.js';
import { IndexedDbOnlineStore } from '../../src/runtime/browser/indexeddb/indexeddb-online-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';

const DB = 'feast-edge-bench';
const NAIVE_DB = 'feast-edge-bench-naive';
const MAX_FEATURES = 50;
const T0 = 1_618_221_600_000_000n;
const encodeKey = entityKeyEncoder([{ joinKey: 'driver_id', type: Int64 }]);
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const view = featureView({
  name: 'stats',
  entities: [driver],
  source: fileSource({ name: 'src', path: 'x.parquet' }),
  schema: Array.from({ length: MAX_FEATURES }, (_, f) => field(`f${f}`, Float64)),
});

let store: IndexedDbOnlineStore | undefined;
let facade: FeatureStore | undefined;
let entityCount = 0;
/** Another connection to the store's database, as another tab or worker would hold. */
let other: IndexedDbOnlineStore | undefined;
let pushEvent = T0 + 10n;

/** Latency percentiles (ms) of `iterations` sequential calls after `warmup` (50) untimed calls. */
async function latency(fn: () => Promise<unknown>, iterations: number, warmup = 50, before?: () => unknown): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < warmup; i++) {
    await before?.();
    await fn();
  }
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await before?.();
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

function batchOf(from: number, rows: number, features: number, event: bigint) {
  const ids = Array.from({ length: rows }, (_, i) => from + i);
  return {
    view: 'stats',
    keys: ids.map((id) => encodeKey([id])),
    eventTimestamps: ids.map(() => event),
    features: Object.fromEntries(Array.from({ length: features }, (_, f) => [`f${f}`, ids.map((id) => id + f / 100)])),
  };
}

const api = {
  /**
   * Writes `rows` x `features` through store.write in `batchRows` batches into a fresh
   * database, then replaces every row with newer events, then again with one older row
   * per batch, which makes the store compare with every stored row (from its mirror),
   * then once more with the mirror off (it reads every touched bucket); rows/s of each pass.
   */
  async benchWrite(rows: number, features: number, batchRows: number): Promise<{ fresh: number; replace: number; compare: number; compareCold: number }> {
    await store?.close();
    await deleteDB(DB);
    const pass = async (target: IndexedDbOnlineStore, event: bigint, oneOlder: boolean) => {
      let seconds = 0;
      for (let from = 0; from < rows; from += batchRows) {
        // Building the columns is the caller's work, not the store's: it stays outside the clock.
        const batch = batchOf(from, Math.min(batchRows, rows - from), features, event);
        if (oneOlder) batch.eventTimestamps[0] = T0;
        const start = performance.now();
        const result = await target.write('bench', batch);
        seconds += (performance.now() - start) / 1000;
        const expected = batch.keys.length - (oneOlder ? 1 : 0);
        if (result.written !== expected) throw new Error(`wrote ${result.written} of ${expected}`);
      }
      return rows / seconds;
    };
    const uncached = await IndexedDbOnlineStore.open(DB, { maxCachedRows: 0 });
    store = await IndexedDbOnlineStore.open(DB);
    const fresh = await pass(store, T0, false);
    const replace = await pass(store, T0 + 1n, false);
    const compare = await pass(store, T0 + 2n, true);
    const compareCold = await pass(uncached, T0 + 3n, true);
    await uncached.close();
    store.clearCache();
    other = await IndexedDbOnlineStore.open(DB);
    entityCount = rows;
    facade = createFeatureStore({ project: 'bench', registry: new MemoryRegistryStore(), onlineStore: store, registryCacheTtlMs: 60_000 });
    await facade.apply([driver, view]);
    return { fresh, replace, compare, compareCold };
  },

  /**
   * The same rows, one idb put per row of a named-field record, one transaction per batch:
   * what a first IndexedDB store would do. The database is kept for the raw read baseline.
   */
  async benchNaiveWrite(rows: number, features: number, batchRows: number): Promise<number> {
    await deleteDB(NAIVE_DB);
    const db = await openDB(NAIVE_DB, 1, {
      upgrade(d) {
        d.createObjectStore('rows');
      },
    });
    let seconds = 0;
    for (let from = 0; from < rows; from += batchRows) {
      const batch = batchOf(from, Math.min(batchRows, rows - from), features, T0);
      const start = performance.now();
      const tx = db.transaction('rows', 'readwrite');
      await Promise.all([
        ...batch.keys.map((key, i) => {
          const values: Record<string, unknown> = {};
          for (const name in batch.features) values[name] = batch.features[name][i];
          return tx.store.put({ event: batch.eventTimestamps[i], created: null, values }, `bench/stats/${entityKeyToString(key)}`);
        }),
        tx.done,
      ]);
      seconds += (performance.now() - start) / 1000;
    }
    db.close();
    return rows / seconds;
  },

  /**
   * store.read with the mirror warm (the same keys every call) and cold (mirror cleared and
   * fresh random keys before every call), getOnlineFeatures (warm), and the floor of a
   * one-record-per-row layout: idb gets of the same keys in the naive database.
   */
  async benchRead(entities: number, features: number, iterations: number) {
    if (!store || !facade) throw new Error('run benchWrite first');
    const ids = Array.from({ length: entities }, (_, i) => (i * 7919) % entityCount);
    const keys = ids.map((id) => encodeKey([id]));
    const names = Array.from({ length: features }, (_, f) => `f${f}`);
    const refs = names.map((n) => `stats:${n}`);
    const raw = await openDB(NAIVE_DB);
    const rawKeys = keys.map((k) => `bench/stats/${entityKeyToString(k)}`);
    const check = await store.read('bench', 'stats', keys, names);
    if (check.values[names[features - 1]][entities - 1] !== ids[entities - 1] + (features - 1) / 100) throw new Error('the store read back a wrong value');
    const served = (await facade.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } })).toDict() as Record<string, unknown[]>;
    if (served[names[features - 1]][entities - 1] !== ids[entities - 1] + (features - 1) / 100) throw new Error('getOnlineFeatures served a wrong value');
    const warm = await latency(() => store!.read('bench', 'stats', keys, names), iterations);
    const online = await latency(() => facade!.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } }), iterations);
    let seed = 12345;
    const randomKeys = () => Array.from({ length: entities }, () => encodeKey([(seed = (seed * 1103515245 + 12345) % 2 ** 31) % entityCount]));
    let fresh = randomKeys();
    // Key drawing and dropping the mirror stay outside the clock.
    const cold = await latency(
      () => store!.read('bench', 'stats', fresh, names),
      Math.max(20, Math.floor(iterations / 3)),
      5,
      () => {
        fresh = randomKeys();
        store!.clearCache();
      },
    );
    // Another connection pushes 100 random rows (same values, newer events) before each
    // read: the mirror fetches only what changed in the buckets the read needs.
    const pushed = await latency(
      () => store!.read('bench', 'stats', keys, names),
      Math.max(20, Math.floor(iterations / 3)),
      5,
      async () => {
        const push = batchOf(0, 0, MAX_FEATURES, 0n);
        const pushIds = Array.from({ length: 100 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % entityCount);
        pushEvent += 1n;
        await other!.write('bench', {
          ...push,
          keys: pushIds.map((id) => encodeKey([id])),
          eventTimestamps: pushIds.map(() => pushEvent),
          features: Object.fromEntries(Array.from({ length: MAX_FEATURES }, (_, f) => [`f${f}`, pushIds.map((id) => id + f / 100)])),
        });
      },
    );
    // The floor of one record per row: idb's own promise API, one readonly transaction, every get issued at once.
    const base = await latency(async () => {
      const tx = raw.transaction('rows');
      return Promise.all(rawKeys.map((k) => tx.store.get(k)));
    }, iterations);
    raw.close();
    await store.read('bench', 'stats', keys, names);
    return { warm, cold, pushed, online, base };
  },

  async cleanup(): Promise<void> {
    await store?.close();
    await other?.close();
    store = undefined;
    other = undefined;
    facade = undefined;
    await deleteDB(DB);
    await deleteDB(NAIVE_DB);
  },

  /** performance.now()'s resolution here: 5 µs when cross-origin isolated, 100 µs otherwise. */
  isolated(): boolean {
    return globalThis.crossOriginIsolated === true;
  },
};

Object.assign(globalThis, api);
export type IndexedDbBenchApi = typeof api;
