import { openDB, type IDBPDatabase } from 'idb';
import { SavedDatasetNotFound } from '../../../errors.js';
import type { DatasetStorage } from '../../../offline/dataset-storage.js';

const FILES = 'files';

/**
 * Saved datasets' Parquet bytes in IndexedDB, one record per dataset, so a dataset saved
 * in a worker can be read back after a reload.
 * @example createFeatureStore({ ..., datasets: await IndexedDbDatasetStorage.open() })
 */
export class IndexedDbDatasetStorage implements DatasetStorage {
  readonly #db: IDBPDatabase;

  private constructor(db: IDBPDatabase) {
    this.#db = db;
  }

  static async open(name = 'feast-edge-datasets'): Promise<IndexedDbDatasetStorage> {
    const db = await openDB(name, 1, {
      upgrade(database) {
        database.createObjectStore(FILES);
      },
    });
    return new IndexedDbDatasetStorage(db);
  }

  async write(name: string, bytes: Uint8Array): Promise<string> {
    const path = `indexeddb://saved_datasets/${name}.parquet`;
    await this.#db.put(FILES, bytes.slice(), path);
    return path;
  }

  async read(path: string): Promise<Uint8Array> {
    const bytes = (await this.#db.get(FILES, path)) as Uint8Array | undefined;
    if (!bytes) throw new SavedDatasetNotFound(path, '', [], `saved dataset data '${path}' is not in this browser's IndexedDB`);
    return bytes;
  }

  close(): void {
    this.#db.close();
  }
}
