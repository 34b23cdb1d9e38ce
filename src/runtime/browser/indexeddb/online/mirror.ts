import { Bucket } from './bucket.js';
import type { Segment } from './segment.js';
import type { MirrorView, ViewMeta } from './view-meta.js';

/** A cached bucket is merged in memory once it holds this many segments. */
const IN_MEMORY_COMPACT_AFTER = 16;

/** What a committed write stored, for the mirror to follow it. */
export interface CommittedWrite {
  /** The view's generation the write read, and the one it wrote. */
  readonly before: number;
  readonly generation: number;
  /** `changed` of the head record the write read; undefined when the write created the view. */
  readonly changedBefore: Float64Array | undefined;
  /** Positions in the view's name list after the write. */
  readonly width: number;
  /** The segment written to each bucket, the whole merged record of those merged, and the buckets that were empty. */
  readonly deltas: ReadonlyMap<number, Segment>;
  readonly compacted: ReadonlyMap<number, Segment>;
  readonly emptyBefore: ReadonlySet<number>;
}

/**
 * Decoded buckets kept in memory by one connection, bounded by maxCachedRows (least
 * recently used dropped first), each stamped with the view generation it is exact at
 * (`Bucket.validAt`) and valid only under its view's incarnation (MirrorView). Nothing
 * here reads IndexedDB: the store compares stamps with the head record it read in its
 * own transaction, so no message between tabs is needed.
 */
export class Mirror {
  readonly #views = new Map<string, MirrorView>();
  /** Every cached bucket, least recently used first, keyed `viewId \0 bucket`. */
  readonly #buckets = new Map<string, Bucket>();
  #cachedRows = 0;

  constructor(readonly maxCachedRows: number) {}

  /** Rows the mirror holds now (superseded rows of a bucket included), never above maxCachedRows. */
  get cachedRows(): number {
    return this.#cachedRows;
  }

  /** Drops every cached bucket; the next reads fetch theirs from IndexedDB. */
  clear(): void {
    this.#views.clear();
    this.#buckets.clear();
    this.#cachedRows = 0;
  }

  /** The view's incarnation the mirror holds buckets of, if any. */
  view(viewId: string): MirrorView | undefined {
    return this.#views.get(viewId);
  }

  /** Forgets the view (deleted, or found missing): its buckets are never used again. */
  forget(viewId: string): void {
    this.#views.delete(viewId);
  }

  /** Whether bucket `bucket` of the view is cached, whatever its stamp. */
  has(viewId: string, bucket: number): boolean {
    return this.#buckets.has(`${viewId}\u0000${bucket}`);
  }

  /** The view's mirror for `meta`'s incarnation, replacing one of another (its buckets become stale). */
  viewFor(viewId: string, meta: ViewMeta): MirrorView {
    const current = this.#views.get(viewId);
    if (current && current.epoch === meta.epoch && current.bucketCount === meta.bucketCount) return current;
    const fresh: MirrorView = { epoch: meta.epoch, bucketCount: meta.bucketCount };
    this.#views.set(viewId, fresh);
    return fresh;
  }

  /**
   * The cached bucket of `view` (marked as just used) and whether `meta`, read in the
   * caller's transaction, says it is still exact; a bucket of another incarnation is dropped.
   */
  cached(view: MirrorView, viewId: string, bucket: number, meta: ViewMeta): { bucket: Bucket; exact: boolean } | undefined {
    const id = `${viewId}\u0000${bucket}`;
    const found = this.#buckets.get(id);
    if (!found) return undefined;
    this.#buckets.delete(id);
    if (found.view !== view) {
      this.#cachedRows -= found.rows;
      return undefined;
    }
    this.#buckets.set(id, found);
    const exact = meta.changed[bucket] <= found.validAt;
    // Nothing wrote it since: it is exact as of this generation too.
    if (exact) found.validAt = Math.max(found.validAt, meta.generation);
    return { bucket: found, exact };
  }

  /** Caches `bucket` as the most recently used, dropping the least recently used ones past maxCachedRows. */
  cache(bucket: Bucket): void {
    if (this.maxCachedRows === 0) return;
    const old = this.#buckets.get(bucket.id);
    if (old) {
      this.#cachedRows -= old.rows;
      this.#buckets.delete(bucket.id);
    }
    this.#buckets.set(bucket.id, bucket);
    this.#cachedRows += bucket.rows;
    for (const [id, victim] of this.#buckets) {
      if (this.#cachedRows <= this.maxCachedRows) break;
      this.#buckets.delete(id);
      this.#cachedRows -= victim.rows;
    }
  }

  /** Keeps the mirror's row count right after `bucket` (cached) grew by `rows`. */
  grew(bucket: Bucket, rows: number): void {
    if (this.#buckets.get(bucket.id) !== bucket) return;
    this.#cachedRows += rows;
    this.cache(bucket);
  }

  /**
   * Brings each cached bucket a committed write touched from the state it read to the
   * state it wrote. A bucket cached as of another generation is left alone: the next
   * transaction to look at it compares its stamp with the meta record.
   */
  committed(viewId: string, view: MirrorView, { before, generation, changedBefore, width, deltas, compacted, emptyBefore }: CommittedWrite): void {
    if (this.#views.get(viewId) !== view) return;
    for (const [b, delta] of deltas) {
      const id = `${viewId}\u0000${b}`;
      const cached = this.#buckets.get(id);
      const whole = compacted.get(b);
      if (whole || emptyBefore.has(b)) {
        if (cached && cached.view === view && cached.validAt >= generation) continue;
        const fresh = new Bucket(view, id, generation);
        fresh.add(whole ?? delta);
        this.cache(fresh);
        continue;
      }
      if (cached && cached.view === view && cached.validAt <= before && changedBefore![b] <= cached.validAt) {
        cached.validAt = generation;
        cached.add(delta);
        this.grew(cached, delta.keys.length);
        if (cached.segments.length >= IN_MEMORY_COMPACT_AFTER) {
          // Superseded rows would count against the bound: keep the current rows only.
          const fresh = new Bucket(view, id, generation);
          fresh.add(cached.compact(width));
          this.cache(fresh);
        }
      }
    }
  }
}
