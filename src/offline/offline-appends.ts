import type { FileSource } from '../definitions/index.js';
import type { OfflinePart } from '../sql/source-loader.js';

export type { OfflinePart };

/**
 * Rows written to a source after the fact (push to offline, writeToOfflineStore), kept as
 * Parquet parts beside the source; retrieval and materialization read the source and its
 * parts as one table. Each append adds a whole part or nothing.
 */
export interface OfflineAppendStorage {
  append(source: FileSource, parquet: Uint8Array): Promise<void>;
  parts(source: FileSource): Promise<OfflinePart[]>;
}

/** Parts held in memory: tests, and runtimes with no storage configured (a page reload forgets them). */
export class MemoryOfflineAppends implements OfflineAppendStorage {
  readonly #parts = new Map<string, Uint8Array[]>();

  async append(source: FileSource, parquet: Uint8Array): Promise<void> {
    const parts = this.#parts.get(source.name) ?? [];
    this.#parts.set(source.name, [...parts, parquet.slice()]);
  }

  async parts(source: FileSource): Promise<OfflinePart[]> {
    return (this.#parts.get(source.name) ?? []).map((bytes) => ({ bytes }));
  }
}
