import { openDB, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import type { RegistryDocument } from '../../../registry/document.js';
import { RegistryVersionConflictError } from '../../../errors.js';
import type { RegistryStore } from '../../../registry/registry-store.js';

const DOCUMENTS = 'documents';
type Documents = IDBPObjectStore<unknown, [typeof DOCUMENTS], typeof DOCUMENTS, 'readwrite'>;

/** One record per project, keyed by project name; the document kept as JSON text, as the memory store keeps it. */
interface StoredDocument {
  readonly version: number;
  readonly text: string;
}

/**
 * Registry documents in IndexedDB (browsers and browser workers), one record per project.
 * The version check and the put (or delete) run in one readwrite transaction, and
 * IndexedDB runs readwrite transactions over one object store one at a time, across every
 * tab of the origin: of two writers racing at one expected version exactly one wins, the
 * other gets RegistryVersionConflictError. Documents survive reloads.
 * @example new Registry(await IndexedDbRegistryStore.open(), 'demo')
 */
export class IndexedDbRegistryStore implements RegistryStore {
  readonly #db: IDBPDatabase;

  private constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  static async open(name = 'feast-edge-registry'): Promise<IndexedDbRegistryStore> {
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore(DOCUMENTS);
      },
    });
    return new IndexedDbRegistryStore(db);
  }

  async read(project: string): Promise<RegistryDocument | undefined> {
    const stored = (await this.#db.get(DOCUMENTS, project)) as StoredDocument | undefined;
    return stored === undefined ? undefined : (JSON.parse(stored.text) as RegistryDocument);
  }

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    // Serialized before the transaction opens: a throw here leaves nothing half done.
    const record: StoredDocument = { version: doc.version, text: JSON.stringify(doc) };
    await this.#checked(doc.project.name, expectedVersion, (store) => store.put(record, doc.project.name));
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    await this.#checked(project, expectedVersion, (store) => store.delete(project));
  }

  async listProjects(): Promise<string[]> {
    return (await this.#db.getAllKeys(DOCUMENTS)).map(String).sort();
  }

  /** Closes the connection (a test deleting the database, a worker shutting down). */
  close(): void {
    this.#db.close();
  }

  // The get, the check and the change share one transaction: no other readwrite
  // transaction on the store (from this tab or another) can run between them.
  async #checked(project: string, expectedVersion: number, change: (store: Documents) => Promise<unknown>): Promise<void> {
    const transaction = this.#db.transaction(DOCUMENTS, 'readwrite');
    const stored = (await transaction.store.get(project)) as StoredDocument | undefined;
    const actual = stored?.version ?? 0;
    if (actual !== expectedVersion) {
      transaction.abort();
      await transaction.done.catch(() => {});
      throw new RegistryVersionConflictError(project, expectedVersion, actual);
    }
    await Promise.all([change(transaction.store), transaction.done]);
  }
}
