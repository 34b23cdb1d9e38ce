import { openDB, type IDBPDatabase } from 'idb';
import type { FileSource } from '../../../definitions/index.js';
import type { OfflineAppendStorage, OfflinePart } from '../../../offline/offline-appends.js';

interface StoredPart {
  readonly source: string;
  readonly bytes: Uint8Array;
}

/**
 * Offline writes in browsers and workers: each append is one record (the part's Parquet
 * bytes) in IndexedDB, indexed by source name; auto-increment ids keep write order. One
 * put per append, so a part is stored whole or not at all, and it survives reloads.
 * @example createFeatureStore({ ..., offlineAppends: await IndexedDbOfflineAppends.open() })
 */
export class IndexedDbOfflineAppends implements OfflineAppendStorage {
  readonly #db: IDBPDatabase;

  private constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  static async open(name = 'feast-edge-offline'): Promise<IndexedDbOfflineAppends> {
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore('parts', { autoIncrement: true }).createIndex('source', 'source');
      },
    });
    return new IndexedDbOfflineAppends(db);
  }

  async append(source: FileSource, parquet: Uint8Array): Promise<void> {
    const part: StoredPart = { source: source.name, bytes: parquet.slice() };
    await this.#db.add('parts', part);
  }

  async parts(source: FileSource): Promise<OfflinePart[]> {
    const stored = (await this.#db.getAllFromIndex('parts', 'source', source.name)) as StoredPart[];
    return stored.map((part) => ({ bytes: part.bytes }));
  }

  /** Forgets every part of a source (its file was rewritten to include them, or it was removed). */
  async clear(source: FileSource): Promise<void> {
    const transaction = this.#db.transaction('parts', 'readwrite');
    for (const key of await transaction.store.index('source').getAllKeys(source.name)) await transaction.store.delete(key);
    await transaction.done;
  }

  close(): void {
    this.#db.close();
  }
}
