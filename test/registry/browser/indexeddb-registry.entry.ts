/**
 * Browser side of test/registry/indexeddb-registry-store.chromium.test.ts: puts on `globalThis`
 * what the Node test calls through the page.
 */
import { deleteDB } from 'idb';
import { emptyRegistryDocument, type RegistryDocument } from '../../../src/registry/document.js';
import { IndexedDbRegistryStore } from '../../../src/runtime/browser/indexeddb/indexeddb-registry-store.js';
import type { ContractOutcome } from '../../support/contract-cases.js';
import { runRegistryContractCases } from '../store-contract-cases.js';

/** Open stores by database name. */
const stores = new Map<string, IndexedDbRegistryStore>();

function store(db: string): IndexedDbRegistryStore {
  const open = stores.get(db);
  if (!open) throw new Error(`store '${db}' is not open`);
  return open;
}

const doc = (project: string, version: number, description: string): RegistryDocument => ({
  ...emptyRegistryDocument({ kind: 'project', name: project, description }, '2026-01-01T00:00:00.000Z'),
  version,
});

const api = {
  /** The contract, each case on a fresh database named `<prefix>-<n>`; every one is closed and deleted afterwards. */
  async runContract(prefix: string): Promise<ContractOutcome[]> {
    const opened: { name: string; store: IndexedDbRegistryStore }[] = [];
    try {
      return await runRegistryContractCases(async () => {
        const name = `${prefix}-${opened.length}`;
        await deleteDB(name);
        const fresh = await IndexedDbRegistryStore.open(name);
        opened.push({ name, store: fresh });
        return fresh;
      });
    } finally {
      for (const { name, store: s } of opened) {
        s.close();
        await deleteDB(name);
      }
    }
  },
  async resetStore(db: string): Promise<void> {
    await deleteDB(db);
  },
  async openStore(db: string): Promise<void> {
    stores.set(db, await IndexedDbRegistryStore.open(db));
  },
  closeStore(db: string): void {
    store(db).close();
    stores.delete(db);
  },
  /** Writes `project` at `version` with `description`; returns 'ok' or the error's name. */
  async write(db: string, project: string, version: number, description: string, expectedVersion: number): Promise<string> {
    try {
      await store(db).write(doc(project, version, description), expectedVersion);
      return 'ok';
    } catch (error) {
      return error instanceof Error ? error.name : String(error);
    }
  },
  async read(db: string, project: string): Promise<{ version: number; description?: string } | null> {
    const found = await store(db).read(project);
    return found ? { version: found.version, description: found.project.description } : null;
  },
  async listProjects(db: string): Promise<string[]> {
    return store(db).listProjects();
  },
};

Object.assign(globalThis, api);
