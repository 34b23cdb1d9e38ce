import { SavedDatasetNotFound } from '../errors.js';

/** Where saved datasets' rows are kept (Parquet bytes). */
export interface DatasetStorage {
  /** Stores the bytes and returns the path the registry records. */
  write(name: string, bytes: Uint8Array): Promise<string>;
  read(path: string): Promise<Uint8Array>;
}

/** Keeps datasets in memory: tests, and runtimes with no storage configured. */
export class MemoryDatasetStorage implements DatasetStorage {
  readonly #files = new Map<string, Uint8Array>();

  async write(name: string, bytes: Uint8Array): Promise<string> {
    const path = `memory://saved_datasets/${name}.parquet`;
    this.#files.set(path, bytes.slice());
    return path;
  }

  async read(path: string): Promise<Uint8Array> {
    const bytes = this.#files.get(path);
    if (!bytes) throw new SavedDatasetNotFound(path, '', [], `saved dataset data '${path}' is not in this memory storage`);
    return bytes;
  }
}
