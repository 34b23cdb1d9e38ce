/**
 * Browser side of test/online/indexeddb-store.test.ts: puts on `globalThis` what the Node
 * test calls through the page. Timestamps cross the page boundary as decimal strings and
 * keys as Int64 driver ids, so the Node side can replay the same calls on another store.
 */
import { deleteDB } from 'idb';
import { Int64 } from '../../../src/definitions/index.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import { IndexedDbOnlineStore } from '../../../src/online/indexeddb-online-store.js';
import { runContractCases, type ContractOutcome } from '../store-contract-cases.js';
import { fromWire, readResultToWire, type WireBatch, type WireRead } from './wire.js';

const stores = new Map<string, IndexedDbOnlineStore>();
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);

function store(db: string): IndexedDbOnlineStore {
  const open = stores.get(db);
  if (!open) throw new Error(`store '${db}' is not open`);
  return open;
}

const api = {
  async runContract(db: string): Promise<ContractOutcome[]> {
    await deleteDB(db);
    const fresh = await IndexedDbOnlineStore.open(db);
    try {
      return await runContractCases(fresh);
    } finally {
      await fresh.close();
    }
  },
  async resetStore(db: string): Promise<void> {
    await deleteDB(db);
  },
  async openStore(db: string): Promise<void> {
    stores.set(db, await IndexedDbOnlineStore.open(db));
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
