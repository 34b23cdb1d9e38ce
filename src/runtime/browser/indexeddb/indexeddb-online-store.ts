import { unwrap, type IDBPDatabase } from 'idb';
import type { OnlineReadResult, OnlineStore, OnlineWriteBatch } from '../../../online/online-store.js';
import { openOnlineDatabase, type OnlineConnection, type OnlineSchema } from './online/database.js';
import { Mirror } from './online/mirror.js';
import { readKeys } from './online/read-transaction.js';
import { writeBatch } from './online/write-transaction.js';

export interface IndexedDbOnlineStoreOptions {
  /**
   * Buckets of a view created by this connection (default 128; a view keeps the count it
   * was created with). Every IndexedDB request costs tens of microseconds whatever its
   * size, and a batch writes one record per bucket it touches, so fewer buckets write
   * faster; a cold read fetches a whole bucket per distinct bucket of its keys, so more
   * buckets read cold faster. 128 puts a 100k-row view at about 800 rows a bucket (10k-row
   * batches over 100k x 50 Float64 rows: about 110k rows/s written, a cold 100-key read
   * 200 ms); 256 halves the cold read and costs about a third of the write rate.
   */
  readonly bucketCount?: number;
  /**
   * Most rows (summed over cached segments) the in-memory mirror holds before it drops the
   * least recently used buckets (default 200,000: up to about 90 MB at 50 Float64
   * features, 20 MB at 10). Superseded rows of a bucket count until it is merged.
   * 0 turns the mirror off: every read fetches its buckets.
   */
  readonly maxCachedRows?: number;
  /**
   * A bucket is merged into one record once it would hold this many plus (bucket mod 8)
   * segment records (default 8): the offset spreads merging over batches. Lower merges
   * more often (slower writes, smaller cold reads).
   */
  readonly compactAfter?: number;
}

/**
 * The online store in IndexedDB, for browsers, Web Workers and Service Workers.
 *
 * Layout: a view's rows are hashed by entity key into a fixed number of buckets; a bucket
 * is a few columnar segment records (one per write that touched it, merged into one every
 * few writes), so a 10k-row batch is about a hundred puts instead of ten thousand.
 *
 * Mirror: each connection keeps decoded buckets in memory (bounded by maxCachedRows, least
 * recently used dropped first), each stamped with the view generation it is exact at.
 * Every read and write first fetches the view's meta record in its own transaction: a
 * bucket that no write has touched since its stamp is used as is, one written since (by
 * any tab, worker or connection) fetches only its newer records, or all of them if it was
 * merged, and a view deleted and written again (new epoch) starts over. So a warm read is
 * one small get and never returns what another context has since replaced; correctness
 * rests on the meta record alone, not on any message between tabs.
 *
 * A batch write is one readwrite transaction (all of it or none of it); a batch read is
 * one readonly transaction.
 * @example
 * const store = createFeatureStore({ project: 'demo', registry, onlineStore: await IndexedDbOnlineStore.open() });
 */
export class IndexedDbOnlineStore implements OnlineStore {
  readonly name = 'indexeddb';
  readonly #db: IDBPDatabase<OnlineSchema>;
  readonly #connection: OnlineConnection;

  private constructor(db: IDBPDatabase<OnlineSchema>, options: IndexedDbOnlineStoreOptions) {
    this.#db = db;
    this.#connection = {
      db: unwrap(db),
      bucketCount: Math.max(1, Math.min(65_536, Math.floor(options.bucketCount ?? 128))),
      mirror: new Mirror(Math.max(0, options.maxCachedRows ?? 200_000)),
      compactAfter: Math.max(2, Math.min(240, Math.floor(options.compactAfter ?? 8))),
    };
  }

  /**
   * Opens (creating if needed) the database `name` on this origin. A database of the
   * earlier one-record-per-row layout (version 1) is cleared on upgrade: materialize again.
   */
  static async open(name = 'feast-edge-online', options: IndexedDbOnlineStoreOptions = {}): Promise<IndexedDbOnlineStore> {
    const db = await openOnlineDatabase(name);
    return new IndexedDbOnlineStore(db, options);
  }

  /** Project and view names are limited to [A-Za-z0-9_.-], so '/' cannot occur in them. */
  static #viewId(project: string, view: string): string {
    return `${project}/${view}`;
  }

  /** Rows the mirror holds now (superseded rows of a bucket included), never above maxCachedRows. */
  get cachedRows(): number {
    return this.#connection.mirror.cachedRows;
  }

  /** Drops every cached bucket; the next reads fetch theirs from IndexedDB. */
  clearCache(): void {
    this.#connection.mirror.clear();
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    return writeBatch(this.#connection, IndexedDbOnlineStore.#viewId(project, batch.view), batch);
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    return readKeys(this.#connection, IndexedDbOnlineStore.#viewId(project, view), keys, features);
  }

  async deleteView(project: string, view: string): Promise<void> {
    const viewId = IndexedDbOnlineStore.#viewId(project, view);
    const tx = this.#db.transaction(['segments', 'meta'], 'readwrite');
    await Promise.all([tx.objectStore('segments').delete(IDBKeyRange.bound([viewId], [viewId, []])), tx.objectStore('meta').delete(viewId), tx.done]);
    this.#connection.mirror.forget(viewId);
  }

  async close(): Promise<void> {
    this.#db.close();
    this.clearCache();
  }
}
