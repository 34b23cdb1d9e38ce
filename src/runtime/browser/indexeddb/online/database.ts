import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Mirror } from './mirror.js';
import type { Segment } from './segment.js';
import type { ViewMeta } from './view-meta.js';

export type SegmentKey = [viewId: string, bucket: number, generation: number];

export interface OnlineSchema extends DBSchema {
  /** A bucket is every record in `[viewId, bucket, *]`, oldest generation first. */
  segments: { key: SegmentKey; value: Segment };
  /** Keyed `project/view`. */
  meta: { key: string; value: ViewMeta };
}

const VERSION = 2;

/** One open connection as the store's read and write transactions use it. */
export interface OnlineConnection {
  /** The native database: the hot paths skip idb, which wraps every request in a promise. */
  readonly db: IDBDatabase;
  readonly mirror: Mirror;
  /** Buckets of a view this connection creates. */
  readonly bucketCount: number;
  /** Segment records a bucket holds before a write merges them (plus bucket mod 8). */
  readonly compactAfter: number;
}

/**
 * Opens (creating if needed) the database `name` on this origin. A database of the
 * earlier one-record-per-row layout (version 1) is cleared on upgrade.
 */
export async function openOnlineDatabase(name: string): Promise<IDBPDatabase<OnlineSchema>> {
  const db = await openDB<OnlineSchema>(name, VERSION, {
    upgrade(database) {
      const old = database as unknown as IDBPDatabase;
      for (const store of ['rows', 'views']) if (old.objectStoreNames.contains(store)) old.deleteObjectStore(store);
      if (!database.objectStoreNames.contains('segments')) database.createObjectStore('segments');
      if (!database.objectStoreNames.contains('meta')) database.createObjectStore('meta');
    },
    // Another tab upgrading or deleting the database would wait on this connection forever.
    blocking() {
      db.close();
    },
  });
  return db;
}

/** Every segment record of one bucket. */
export function bucketRange(viewId: string, bucket: number): IDBKeyRange {
  return IDBKeyRange.bound([viewId, bucket, -Infinity], [viewId, bucket, Infinity]);
}

/** A transaction's end as a promise, rejecting on error or abort; `fail` names the cause of an abort we started. */
export function transactionDone(tx: IDBTransaction): { promise: Promise<void>; fail(error: unknown): void } {
  let cause: unknown;
  const promise = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(cause ?? tx.error);
    tx.onabort = () => reject(cause ?? tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  // Callers may never await it on a path that already threw.
  promise.catch(() => {});
  return {
    promise,
    fail(error) {
      cause ??= error;
    },
  };
}
