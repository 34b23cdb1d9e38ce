/**
 * Browser side of test/reliability/fuzz/bad-batches.chromium.test.ts: the SDK's write
 * entry points over the IndexedDB online store, each given issue 14's bad batches.
 */
import { deleteDB } from 'idb';
import { MemoryRegistryStore } from '../../../../src/registry/memory-store.js';
import { IndexedDbOnlineStore } from '../../../../src/runtime/browser/indexeddb/indexeddb-online-store.js';
import { createFeatureStore, type FeatureStore } from '../../../../src/store/feature-store.js';
import { TYPED_FEATURES, typedDefinitions, typedEvent, typedRow, typedStreamDefinitions } from '../../typed-definitions.js';
import { BAD_BATCHES, badBatch } from '../bad-batches.js';

export interface Outcome {
  readonly bad: string;
  readonly entry: string;
  /** The error class the write was refused with, or 'accepted'. */
  readonly error: string;
  readonly expected: string;
  /** The stored rows read afterwards equal those before. */
  readonly unchanged: boolean;
}

const typed = typedDefinitions('typed.parquet');
const stream = typedStreamDefinitions(typed);

async function open(db: string): Promise<FeatureStore> {
  const store = createFeatureStore({ project: 'typed_idb', registry: new MemoryRegistryStore(), onlineStore: await IndexedDbOnlineStore.open(db) });
  await store.apply([...typed.objects, ...stream.objects]);
  return store;
}

async function stored(store: FeatureStore): Promise<string> {
  const entityRows = { user_id: ['u1', 'good', 'bad'] };
  const rows = await store.getOnlineFeatures({ features: TYPED_FEATURES.map((f) => `typed:${f}`), entityRows });
  const tiles = await store.getOnlineFeatures({ features: ['typed_stream:sum_f_int32_1h'], entityRows });
  return JSON.stringify([rows.toWire(), tiles.toWire()]);
}

const api = {
  /** Every entry point against every bad batch on a fresh database; then the rows as a reopened store reads them. */
  async refuseAll(db: string): Promise<{ outcomes: Outcome[]; reopenedUnchanged: boolean }> {
    await deleteDB(db);
    let store = await open(db);
    await store.writeToOnlineStore('typed', [typedRow('u1')]);
    const before = await stored(store);
    const entries: [string, (bad: (typeof BAD_BATCHES)[number]) => Promise<unknown>][] = [
      ['writeToOnlineStore', (bad) => store.writeToOnlineStore('typed', badBatch(typedRow, bad))],
      ['push to online', (bad) => store.push('typed_push', badBatch(typedRow, bad), { to: 'online' })],
      ['ingest online', (bad) => store.ingest('typed_stream', badBatch(typedEvent, bad), { to: 'online', batchSize: 1 })],
    ];
    const outcomes: Outcome[] = [];
    for (const bad of BAD_BATCHES) {
      for (const [entry, write] of entries) {
        const error = await write(bad).then(
          () => 'accepted',
          (e: unknown) => (e instanceof Error ? e.name : String(e)),
        );
        outcomes.push({ bad: bad.what, entry, error, expected: bad.error, unchanged: (await stored(store)) === before });
      }
    }
    // A new connection reads IndexedDB itself, not the first one's in-memory mirror.
    await store.close();
    store = await open(db);
    const reopenedUnchanged = (await stored(store)) === before;
    await store.close();
    return { outcomes, reopenedUnchanged };
  },
};

Object.assign(globalThis, api);
