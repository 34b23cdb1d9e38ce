/**
 * Browser side of test/online/indexeddb-store.chromium.test.ts: puts on `globalThis` what the Node
 * test calls through the page. Timestamps cross the page boundary as decimal strings and
 * keys as Int64 driver ids, so the Node side can replay the same calls on another store.
 */
import { deleteDB, openDB } from 'idb';
import { Int64 } from '../../../src/definitions/index.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import { IndexedDbOnlineStore, type IndexedDbOnlineStoreOptions } from '../../../src/runtime/browser/indexeddb/indexeddb-online-store.js';
import { runContractCases, type ContractOutcome } from '../store-contract-cases.js';
import { fromWire, readResultToWire, type WireBatch, type WireRead } from './wire.js';

/** Open stores by handle: the database name, or `name#n` for another connection (its own mirror) to it. */
const stores = new Map<string, IndexedDbOnlineStore>();

export type ConcurrentOp = { handle: string } & ({ write: WireBatch } | { deleteView: string } | { read: { view: string; ids: number[]; features: string[] } });
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);

function store(db: string): IndexedDbOnlineStore {
  const open = stores.get(db);
  if (!open) throw new Error(`store '${db}' is not open`);
  return open;
}

const api = {
  /** The contract on a fresh database; `options` shape the layout (tiny buckets, a tiny mirror). */
  async runContract(db: string, options?: IndexedDbOnlineStoreOptions): Promise<ContractOutcome[]> {
    await deleteDB(db);
    const fresh = await IndexedDbOnlineStore.open(db, options);
    try {
      return await runContractCases(fresh);
    } finally {
      await fresh.close();
    }
  },
  async resetStore(db: string): Promise<void> {
    await deleteDB(db);
  },
  async openStore(handle: string, options?: IndexedDbOnlineStoreOptions): Promise<void> {
    stores.set(handle, await IndexedDbOnlineStore.open(handle.split('#')[0], options));
  },
  /** Writes rows `from`..`to` - 1 (x: id / 2, y: 'id') in batches of `batch`, then reads them all back in reads of `read` keys; returns the mirror's row count after each read and whether every value came back. */
  async fillAndRead(handle: string, from: number, to: number, batch: number, read: number): Promise<{ cached: number[]; right: boolean }> {
    const s = store(handle);
    for (let start = from; start < to; start += batch) {
      const ids = Array.from({ length: Math.min(batch, to - start) }, (_, i) => start + i);
      await s.write('p', { view: 'big', keys: ids.map(key), eventTimestamps: ids.map(() => 1n), features: { x: ids.map((id) => id / 2), y: ids.map(String) } });
    }
    const cached: number[] = [];
    let right = true;
    for (let start = from; start < to; start += read) {
      const ids = Array.from({ length: Math.min(read, to - start) }, (_, i) => start + i);
      const result = await s.read('p', 'big', ids.map(key), ['x', 'y']);
      right &&= ids.every((id, i) => result.values.x[i] === id / 2 && result.values.y[i] === String(id) && result.eventTimestamps[i] === 1n);
      cached.push(s.cachedRows);
    }
    return { cached, right };
  },
  /** Writes a list and bytes, reads them twice, changing what the first read returned; returns the second read. */
  async mutateReturned(handle: string): Promise<unknown[]> {
    const s = store(handle);
    await s.write('p', { view: 'objects', keys: [key(1)], eventTimestamps: [1n], features: { list: [[1, 2]], raw: [new Uint8Array([7])] } });
    const first = await s.read('p', 'objects', [key(1)], ['list', 'raw']);
    (first.values.list[0] as number[]).push(3);
    (first.values.raw[0] as Uint8Array)[0] = 0;
    const second = await s.read('p', 'objects', [key(1)], ['list', 'raw']);
    return [second.values.list[0], [...(second.values.raw[0] as Uint8Array)]];
  },
  /** Drops a connection's mirror, as a cold start would. */
  async clearCache(handle: string): Promise<void> {
    store(handle).clearCache();
  },
  async closeStore(db: string): Promise<void> {
    await store(db).close();
    stores.delete(db);
  },
  async write(db: string, project: string, batch: WireBatch): Promise<{ written: number; skipped: number } | { error: string }> {
    try {
      return await store(db).write(project, fromWire(batch));
    } catch (error) {
      return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  },
  async read(db: string, project: string, view: string, ids: number[], features: string[]): Promise<WireRead> {
    return readResultToWire(await store(db).read(project, view, ids.map(key), features));
  },
  async deleteView(db: string, project: string, view: string): Promise<void> {
    await store(db).deleteView(project, view);
  },
  /**
   * Starts every op at once, without waiting for any (each starts its transaction when
   * called, so they run in call order), and returns each op's outcome.
   */
  async runConcurrently(project: string, ops: ConcurrentOp[]): Promise<unknown[]> {
    return Promise.all(
      ops.map((op) => {
        if ('write' in op)
          return store(op.handle)
            .write(project, fromWire(op.write))
            .catch((error: Error) => ({ error: error.message }));
        if ('deleteView' in op)
          return store(op.handle)
            .deleteView(project, op.deleteView)
            .then(() => null);
        return store(op.handle).read(project, op.read.view, op.read.ids.map(key), op.read.features).then(readResultToWire);
      }),
    );
  },
  /** A database as the one-record-per-row layout (version 1) left it, with one row in it. */
  async makeVersion1(db: string): Promise<void> {
    await deleteDB(db);
    const old = await openDB(db, 1, {
      upgrade(d) {
        d.createObjectStore('rows');
        d.createObjectStore('views');
      },
    });
    await old.put('rows', [1n, null, new Float64Array([0.5]), null], `p/v/${'00'.repeat(8)}`);
    await old.put('views', { names: ['x'], newestEvent: 1n, newestCreated: null }, 'p/v');
    old.close();
  },
  /** A batch whose second row holds a function, which structured clone refuses. */
  async writeUncloneable(db: string, project: string, view: string, ids: [number, number]): Promise<string> {
    try {
      await store(db).write(project, { view, keys: ids.map(key), eventTimestamps: [1n, 1n], features: { x: ['fine', () => 'no'] } });
      return 'written';
    } catch (error) {
      return error instanceof Error ? error.name : String(error);
    }
  },
};

Object.assign(globalThis, api);
export type IndexedDbTestApi = typeof api;
