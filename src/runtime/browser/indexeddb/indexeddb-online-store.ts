import { openDB, unwrap, type DBSchema, type IDBPDatabase } from 'idb';
import { entityKeyId } from '../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';

/**
 * Rows of one bucket, columnar. Row r is `keys[r]` (the encoded entity key, one char per
 * byte) with its times; column j holds the feature at position `columns[j]` of the view's
 * name list, numbers in `numbers[j * rows + r]` and every other value (null, string,
 * bigint, bytes, list) as a `row, column, value` triple in `others`, which then overrides
 * the number slot. A position the segment has no column for is null in each of its rows
 * (a row replaces the stored row whole). Typed arrays are copied by structured clone as
 * one block each, so a record of a hundred 50-float rows costs little more than one row.
 */
interface Segment {
  keys: string[];
  events: BigInt64Array;
  /** Null when no row has a created time; otherwise `createdSet[r]` says whether `created[r]` holds one. */
  created: BigInt64Array | null;
  createdSet: Uint8Array | null;
  columns: Int32Array;
  numbers: Float64Array;
  others: unknown[] | null;
}

/**
 * A view's head record, read at the start of every read and write. `epoch` is drawn at
 * random when the view is created (first write after nothing or deleteView) and
 * `generation` grows by one in every write transaction that stores rows; `changed[b]` is
 * the generation that last wrote bucket b. So (epoch, generation) names one state of the
 * view across tabs, workers and reopened connections, and a bucket cached as of
 * generation g is still exact while `changed[b] <= g`, as checked in each transaction.
 */
interface ViewMeta {
  epoch: number;
  generation: number;
  /** Fixed when the view is created: a key's bucket is its FNV-1a hash modulo this. */
  bucketCount: number;
  /** Feature names by position; append-only until the view is deleted. */
  names: string[];
  /** The newest (event, created) pair ever written, null before the first row. */
  newestEvent: bigint | null;
  newestCreated: bigint | null;
  /** Segment records per bucket (0 = empty bucket). */
  segments: Uint8Array;
  /** Per bucket: the generation that last wrote it, and the one that last merged it into one record. */
  changed: Float64Array;
  merged: Float64Array;
}

type SegmentKey = [viewId: string, bucket: number, generation: number];

interface OnlineSchema extends DBSchema {
  /** A bucket is every record in `[viewId, bucket, *]`, oldest generation first. */
  segments: { key: SegmentKey; value: Segment };
  /** Keyed `project/view`. */
  meta: { key: string; value: ViewMeta };
}

const VERSION = 2;
/** A cached bucket is merged in memory once it holds this many segments. */
const IN_MEMORY_COMPACT_AFTER = 16;
const ROW_STRIDE = 2 ** 32;

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

/** One incarnation of a view in the mirror: its buckets are valid only under the same epoch. */
interface MirrorView {
  epoch: number;
  bucketCount: number;
}

/** A decoded bucket: its segments in generation order and where each key's current row is. */
class Bucket {
  readonly segments: Segment[] = [];
  /** Per segment: row → [column, value, ...] for its non-number values, built on first use. */
  readonly #others: (Map<number, unknown[]> | null | undefined)[] = [];
  /** Per segment: name-list position → column, -1 where the segment has none. */
  readonly columnOf: Int32Array[] = [];
  /** Key → segment * 2^32 + row of its newest row; built once the bucket is looked up a few times. */
  #index: Map<string, number> | null = null;
  #indexed = 0;
  #lookups = 0;
  rows = 0;

  /** `validAt`: a generation at which this is exactly what the bucket's records hold. */
  constructor(readonly view: MirrorView, readonly id: string, public validAt: number) {}

  add(segment: Segment): void {
    this.segments.push(segment);
    this.#others.push(segment.others ? undefined : null);
    let width = 0;
    for (const p of segment.columns) width = Math.max(width, p + 1);
    const columnOf = new Int32Array(width).fill(-1);
    segment.columns.forEach((p, j) => { columnOf[p] = j; });
    this.columnOf.push(columnOf);
    this.rows += segment.keys.length;
  }

  /** Where `key`'s newest row is (segment * 2^32 + row), or undefined. */
  find(key: string): number | undefined {
    // A bucket fetched for one key (a cold read) is scanned; a reused one gets a map.
    if (this.#index === null && ++this.#lookups <= 2) {
      for (let s = this.segments.length - 1; s >= 0; s--) {
        const row = this.segments[s].keys.lastIndexOf(key);
        if (row >= 0) return s * ROW_STRIDE + row;
      }
      return undefined;
    }
    return this.index().get(key);
  }

  /** Every key with its newest row, in first-written order. */
  index(): Map<string, number> {
    const index = (this.#index ??= new Map());
    for (; this.#indexed < this.segments.length; this.#indexed++) {
      const keys = this.segments[this.#indexed].keys;
      const base = this.#indexed * ROW_STRIDE;
      for (let r = 0; r < keys.length; r++) index.set(keys[r], base + r);
    }
    return index;
  }

  othersOf(s: number): Map<number, unknown[]> | null {
    let others = this.#others[s];
    if (others !== undefined) return others;
    const list = this.segments[s].others!;
    others = new Map();
    for (let k = 0; k < list.length; k += 3) {
      const row = list[k] as number;
      let entry = others.get(row);
      if (!entry) others.set(row, (entry = []));
      entry.push(list[k + 1], list[k + 2]);
    }
    this.#others[s] = others;
    return others;
  }

  event(ref: number): bigint {
    return this.segments[Math.floor(ref / ROW_STRIDE)].events[ref % ROW_STRIDE];
  }

  created(ref: number): bigint | null {
    const segment = this.segments[Math.floor(ref / ROW_STRIDE)];
    const row = ref % ROW_STRIDE;
    return segment.createdSet?.[row] ? segment.created![row] : null;
  }

  /** The value at name-list `position` of the row `ref` points at. */
  value(ref: number, position: number): unknown {
    const s = Math.floor(ref / ROW_STRIDE);
    const row = ref % ROW_STRIDE;
    const columnOf = this.columnOf[s];
    const j = position < columnOf.length ? columnOf[position] : -1;
    if (j < 0) return null;
    if (this.#others[s] !== null) {
      const other = this.othersOf(s)?.get(row);
      if (other) {
        for (let k = 0; k < other.length; k += 2) {
          if (other[k] !== j) continue;
          const found = other[k + 1];
          // Bytes and lists are the mirror's own: a caller changing one must not change the store.
          return typeof found === 'object' && found !== null ? structuredClone(found) : found;
        }
      }
    }
    const segment = this.segments[s];
    return segment.numbers[j * segment.keys.length + row];
  }

  /** Every current row in one segment with a column per position of `width`. */
  compact(width: number): Segment {
    const index = this.index();
    const n = index.size;
    const keys: string[] = [];
    const events = new BigInt64Array(n);
    let created: BigInt64Array | null = null;
    let createdSet: Uint8Array | null = null;
    const numbers = new Float64Array(width * n);
    const others: unknown[] = [];
    let r = 0;
    for (const [key, ref] of index) {
      keys.push(key);
      const s = Math.floor(ref / ROW_STRIDE);
      const row = ref % ROW_STRIDE;
      const segment = this.segments[s];
      events[r] = segment.events[row];
      if (segment.createdSet?.[row]) {
        created ??= new BigInt64Array(n);
        createdSet ??= new Uint8Array(n);
        created[r] = segment.created![row];
        createdSet[r] = 1;
      }
      const rows = segment.keys.length;
      const source = segment.numbers;
      const columnOf = this.columnOf[s];
      for (let p = 0; p < width; p++) {
        const j = p < columnOf.length ? columnOf[p] : -1;
        if (j < 0) others.push(r, p, null);
        else numbers[p * n + r] = source[j * rows + row];
      }
      // A non-number value overrides its number slot.
      const other = this.#others[s] === null ? undefined : this.othersOf(s)?.get(row);
      if (other) for (let k = 0; k < other.length; k += 2) others.push(r, segment.columns[other[k] as number], other[k + 1]);
      r++;
    }
    return { keys, events, created, createdSet, columns: Int32Array.from({ length: width }, (_, p) => p), numbers, others: others.length ? others : null };
  }
}

/** 32-bit FNV-1a of the key's bytes (one char per byte): stored bucket numbers depend on it, so it never changes. */
function hashKey(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function bucketRange(viewId: string, bucket: number): IDBKeyRange {
  return IDBKeyRange.bound([viewId, bucket, -Infinity], [viewId, bucket, Infinity]);
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
  // The hot paths use the native database: idb wraps every request in a promise.
  readonly #raw: IDBDatabase;
  readonly #bucketCount: number;
  readonly #maxCachedRows: number;
  readonly #compactAfter: number;
  readonly #views = new Map<string, MirrorView>();
  /** Every cached bucket, least recently used first, keyed `viewId \0 bucket`. */
  readonly #buckets = new Map<string, Bucket>();
  #cachedRows = 0;

  private constructor(db: IDBPDatabase<OnlineSchema>, options: IndexedDbOnlineStoreOptions) {
    this.#db = db;
    this.#raw = unwrap(db);
    this.#bucketCount = Math.max(1, Math.min(65_536, Math.floor(options.bucketCount ?? 128)));
    this.#maxCachedRows = Math.max(0, options.maxCachedRows ?? 200_000);
    this.#compactAfter = Math.max(2, Math.min(240, Math.floor(options.compactAfter ?? 8)));
  }

  /**
   * Opens (creating if needed) the database `name` on this origin. A database of the
   * earlier one-record-per-row layout (version 1) is cleared on upgrade: materialize again.
   */
  static async open(name = 'feast-edge-online', options: IndexedDbOnlineStoreOptions = {}): Promise<IndexedDbOnlineStore> {
    const db = await openDB<OnlineSchema>(name, VERSION, {
      upgrade(database) {
        const old = database as unknown as IDBPDatabase;
        for (const store of ['rows', 'views']) if (old.objectStoreNames.contains(store)) old.deleteObjectStore(store);
        if (!database.objectStoreNames.contains('segments')) database.createObjectStore('segments');
        if (!database.objectStoreNames.contains('meta')) database.createObjectStore('meta');
      },
      // Another tab upgrading or deleting the database would wait on this connection forever.
      blocking() { db.close(); },
    });
    return new IndexedDbOnlineStore(db, options);
  }

  /** Project and view names are limited to [A-Za-z0-9_.-], so '/' cannot occur in them. */
  static #viewId(project: string, view: string): string {
    return `${project}/${view}`;
  }

  /** Rows the mirror holds now (superseded rows of a bucket included), never above maxCachedRows. */
  get cachedRows(): number {
    return this.#cachedRows;
  }

  /** Drops every cached bucket; the next reads fetch theirs from IndexedDB. */
  clearCache(): void {
    this.#views.clear();
    this.#buckets.clear();
    this.#cachedRows = 0;
  }

  /** The view's mirror for `meta`'s incarnation, replacing one of another (its buckets become stale). */
  #mirrorFor(viewId: string, meta: ViewMeta): MirrorView {
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
  #cached(view: MirrorView, viewId: string, bucket: number, meta: ViewMeta): { bucket: Bucket; exact: boolean } | undefined {
    const id = `${viewId}\u0000${bucket}`;
    const found = this.#buckets.get(id);
    if (!found) return undefined;
    this.#buckets.delete(id);
    if (found.view !== view) { this.#cachedRows -= found.rows; return undefined; }
    this.#buckets.set(id, found);
    const exact = meta.changed[bucket] <= found.validAt;
    // Nothing wrote it since: it is exact as of this generation too.
    if (exact) found.validAt = Math.max(found.validAt, meta.generation);
    return { bucket: found, exact };
  }

  #cache(bucket: Bucket): void {
    if (this.#maxCachedRows === 0) return;
    const old = this.#buckets.get(bucket.id);
    if (old) { this.#cachedRows -= old.rows; this.#buckets.delete(bucket.id); }
    this.#buckets.set(bucket.id, bucket);
    this.#cachedRows += bucket.rows;
    for (const [id, victim] of this.#buckets) {
      if (this.#cachedRows <= this.#maxCachedRows) break;
      this.#buckets.delete(id);
      this.#cachedRows -= victim.rows;
    }
  }

  /** Keeps the mirror's row count right after `bucket` (cached) grew by `rows`. */
  #grew(bucket: Bucket, rows: number): void {
    if (this.#buckets.get(bucket.id) !== bucket) return;
    this.#cachedRows += rows;
    this.#cache(bucket);
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const rowCount = batch.keys.length;
    if (rowCount === 0) return { written: 0, skipped: 0 };
    const viewId = IndexedDbOnlineStore.#viewId(project, batch.view);
    const ids = batch.keys.map(entityKeyId);
    const hashes = new Uint32Array(rowCount);
    for (let i = 0; i < rowCount; i++) hashes[i] = hashKey(ids[i]);
    const names = Object.keys(batch.features);
    const columns = names.map((n) => batch.features[n]);
    const events = batch.eventTimestamps;
    const createdOf = (i: number) => batch.createdTimestamps?.[i] ?? null;
    // The batch's oldest and newest (event, created) pairs, in isNotOlder's order.
    let oldest = 0;
    let newest = 0;
    for (let i = 1; i < rowCount; i++) {
      if (!isNotOlder(events[i], createdOf(i), events[oldest], createdOf(oldest))) oldest = i;
      if (isNotOlder(events[i], createdOf(i), events[newest], createdOf(newest))) newest = i;
    }

    const tx = this.#raw.transaction(['segments', 'meta'], 'readwrite', { durability: 'relaxed' });
    const done = transactionDone(tx);
    const segmentStore = tx.objectStore('segments');
    const metaStore = tx.objectStore('meta');
    let written = 0;
    let commit: (() => void) | undefined;
    const fail = (error: unknown) => {
      // A value structured clone cannot copy (a function, say) throws from put: abort so
      // nothing of the batch is kept.
      done.fail(error);
      try { tx.abort(); } catch { /* already finished */ }
    };
    const metaRequest = metaStore.get(viewId) as IDBRequest<ViewMeta | undefined>;
    metaRequest.onsuccess = () => {
      try {
        const stored = metaRequest.result;
        const meta: ViewMeta = stored
          ? { ...stored, names: [...stored.names], segments: stored.segments.slice(), changed: stored.changed.slice(), merged: stored.merged.slice() }
          : { epoch: randomEpoch(), generation: 0, bucketCount: this.#bucketCount, names: [], newestEvent: null, newestCreated: null,
            segments: new Uint8Array(this.#bucketCount), changed: new Float64Array(this.#bucketCount), merged: new Float64Array(this.#bucketCount) };
        const before = meta.generation;
        const view = this.#mirrorFor(viewId, meta);
        const bucketCount = meta.bucketCount;
        const bucketOf = new Int32Array(rowCount);
        const touched: number[] = [];
        const isTouched = new Uint8Array(bucketCount);
        for (let i = 0; i < rowCount; i++) {
          const b = (bucketOf[i] = hashes[i] % bucketCount);
          if (!isTouched[b]) { isTouched[b] = 1; touched.push(b); }
        }
        // A batch not older than anything ever written cannot lose to a stored row: the
        // usual case (materializing or pushing newer events) reads no bucket.
        const mustCompare = meta.newestEvent !== null && !isNotOlder(events[oldest], createdOf(oldest), meta.newestEvent, meta.newestCreated);
        const compacting = (b: number) => meta.segments[b] > 0 && meta.segments[b] + 1 >= this.#compactAfter + (b % 8);
        const known = new Map<number, Bucket>();
        const loads: [number, IDBRequest<Segment[]>][] = [];
        for (const b of touched) {
          if (!mustCompare && !compacting(b)) continue;
          if (meta.segments[b] === 0) { known.set(b, new Bucket(view, `${viewId}\u0000${b}`, before)); continue; }
          const cached = this.#cached(view, viewId, b, meta);
          if (cached?.exact) known.set(b, cached.bucket);
          else loads.push([b, segmentStore.getAll(bucketRange(viewId, b)) as IDBRequest<Segment[]>]);
        }
        const writeRows = () => {
          try {
            for (const [b, request] of loads) {
              // Read in this transaction, so they are the state the meta record names.
              const bucket = new Bucket(view, `${viewId}\u0000${b}`, before);
              for (const segment of request.result) bucket.add(segment);
              known.set(b, bucket);
              this.#cache(bucket);
            }
            // Replay the batch in order against what is stored, as one put per row would.
            const winner = new Map<string, number>();
            for (let i = 0; i < rowCount; i++) {
              const id = ids[i];
              const event = events[i];
              const c = createdOf(i);
              const previous = winner.get(id);
              if (previous !== undefined) {
                if (!isNotOlder(event, c, events[previous], createdOf(previous))) continue;
              } else if (mustCompare) {
                const bucket = known.get(bucketOf[i])!;
                const ref = bucket.find(id);
                if (ref !== undefined && !isNotOlder(event, c, bucket.event(ref), bucket.created(ref))) continue;
              }
              winner.set(id, i);
              written++;
            }
            if (written === 0) return;
            const position = names.map((n) => { const p = meta.names.indexOf(n); return p >= 0 ? p : meta.names.push(n) - 1; });
            const generation = meta.generation + 1;
            const deltas = segmentsOf([...winner.values()], bucketOf, ids, events, batch.createdTimestamps, columns, position);
            const emptyBefore = new Set<number>();
            const compacted = new Map<number, Segment>();
            for (const [b, delta] of deltas) {
              if (meta.segments[b] === 0) emptyBefore.add(b);
              if (compacting(b)) {
                const merged = new Bucket(view, '', before);
                for (const segment of known.get(b)!.segments) merged.add(segment);
                merged.add(delta);
                const whole = merged.compact(meta.names.length);
                compacted.set(b, whole);
                segmentStore.delete(bucketRange(viewId, b));
                segmentStore.put(whole, [viewId, b, generation]);
                meta.segments[b] = 1;
                meta.merged[b] = generation;
              } else {
                segmentStore.put(delta, [viewId, b, generation]);
                meta.segments[b] = Math.min(255, meta.segments[b] + 1);
              }
              meta.changed[b] = generation;
            }
            const top = newest;
            if (meta.newestEvent === null || !isNotOlder(meta.newestEvent, meta.newestCreated, events[top], createdOf(top))) {
              meta.newestEvent = events[top];
              meta.newestCreated = createdOf(top);
            }
            meta.generation = generation;
            metaStore.put(meta, viewId);
            commit = () => {
              // Bring each cached bucket this write touched from the state it read to the
              // state it wrote. A bucket cached as of another generation is left alone: the
              // next transaction to look at it compares its stamp with the meta record.
              if (this.#views.get(viewId) !== view) return;
              for (const [b, delta] of deltas) {
                const id = `${viewId}\u0000${b}`;
                const cached = this.#buckets.get(id);
                const whole = compacted.get(b);
                if (whole || emptyBefore.has(b)) {
                  if (cached && cached.view === view && cached.validAt >= generation) continue;
                  const fresh = new Bucket(view, id, generation);
                  fresh.add(whole ?? delta);
                  this.#cache(fresh);
                  continue;
                }
                if (cached && cached.view === view && cached.validAt <= before && stored!.changed[b] <= cached.validAt) {
                  cached.validAt = generation;
                  cached.add(delta);
                  this.#grew(cached, delta.keys.length);
                  if (cached.segments.length >= IN_MEMORY_COMPACT_AFTER) {
                    // Superseded rows would count against the bound: keep the current rows only.
                    const fresh = new Bucket(view, id, generation);
                    fresh.add(cached.compact(meta.names.length));
                    this.#cache(fresh);
                  }
                }
              }
            };
          } catch (error) {
            fail(error);
          }
        };
        // Requests answer in order: when the last has, every one has, and the puts go out
        // from inside its success callback, while the transaction is still active.
        if (loads.length > 0) loads[loads.length - 1][1].onsuccess = writeRows;
        else writeRows();
      } catch (error) {
        fail(error);
      }
    };
    await done.promise;
    commit?.();
    return { written, skipped: rowCount - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const viewId = IndexedDbOnlineStore.#viewId(project, view);
    const eventTimestamps: (bigint | null)[] = new Array(keys.length).fill(null);
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = new Array(keys.length).fill(null);
    if (keys.length === 0) return { eventTimestamps, values };
    const ids = keys.map(entityKeyId);
    const hashes = new Uint32Array(keys.length);
    for (let i = 0; i < keys.length; i++) hashes[i] = hashKey(ids[i]);

    const tx = this.#raw.transaction(['segments', 'meta'], 'readonly');
    const done = transactionDone(tx);
    const segmentStore = tx.objectStore('segments');
    // Per bucket: its records, or only those newer than what a cached bucket (`base`) holds.
    const loads = new Map<number, { request: IDBRequest<Segment[]>; base?: Bucket }>();
    const load = (b: number, base?: Bucket) => {
      if (loads.has(b)) return;
      const range = base ? IDBKeyRange.bound([viewId, b, base.validAt], [viewId, b, Infinity], true) : bucketRange(viewId, b);
      const request = segmentStore.getAll(range) as IDBRequest<Segment[]>;
      loads.set(b, { request, base });
      pending++;
      request.onsuccess = answered;
    };
    let pending = 1;
    let meta: ViewMeta | undefined;
    let mirror: MirrorView | undefined;
    const known = new Map<number, Bucket>();
    let finish: () => void = () => {};
    const result = new Promise<void>((resolve, reject) => { finish = resolve; done.promise.catch(reject); });
    const assemble = () => {
      if (!meta || !mirror) return;
      // Read in the transaction that read the meta record: the state as of its generation.
      const caching = this.#views.get(viewId) === mirror;
      for (const [b, { request, base }] of loads) {
        if (base) {
          // Another read of this snapshot may have brought it up to date already.
          if (base.validAt < meta.generation) {
            let rows = 0;
            for (const segment of request.result) { base.add(segment); rows += segment.keys.length; }
            base.validAt = meta.generation;
            if (caching) this.#grew(base, rows);
          }
          known.set(b, base);
          continue;
        }
        const bucket = new Bucket(mirror, `${viewId}\u0000${b}`, meta.generation);
        for (const segment of request.result) bucket.add(segment);
        known.set(b, bucket);
        if (caching) this.#cache(bucket);
      }
      const positions = features.map((f) => meta!.names.indexOf(f));
      const targets = features.map((f) => values[f]);
      const bucketCount = meta.bucketCount;
      for (let i = 0; i < keys.length; i++) {
        const bucket = known.get(hashes[i] % bucketCount);
        const ref = bucket?.find(ids[i]);
        if (ref === undefined) continue;
        eventTimestamps[i] = bucket!.event(ref);
        for (let f = 0; f < targets.length; f++) if (positions[f] >= 0) targets[f][i] = bucket!.value(ref, positions[f]) ?? null;
      }
    };
    function answered() {
      if (--pending === 0) {
        // Built inside the last success callback, before any later transaction can commit.
        assemble();
        finish();
      }
    }
    // While the cached stamp may still hold, ask for the missing buckets beside the meta record.
    const guess = this.#views.get(viewId);
    const guessed = new Set<number>();
    if (guess) {
      for (let i = 0; i < keys.length; i++) {
        const b = hashes[i] % guess.bucketCount;
        if (!guessed.has(b)) { guessed.add(b); if (!this.#buckets.has(`${viewId}\u0000${b}`)) load(b); }
      }
    }
    const metaRequest = tx.objectStore('meta').get(viewId) as IDBRequest<ViewMeta | undefined>;
    metaRequest.onsuccess = () => {
      meta = metaRequest.result;
      if (meta) {
        if (guess && guess.bucketCount !== meta.bucketCount) loads.clear();
        mirror = this.#mirrorFor(viewId, meta);
        for (let i = 0; i < keys.length; i++) {
          const b = hashes[i] % meta.bucketCount;
          if (known.has(b) || loads.has(b)) continue;
          const cached = this.#cached(mirror, viewId, b, meta);
          if (cached?.exact) known.set(b, cached.bucket);
          // Written since but not merged: only the newer records are missing.
          else if (cached && meta.merged[b] <= cached.bucket.validAt) load(b, cached.bucket);
          else load(b);
        }
      } else {
        this.#views.delete(viewId);
      }
      answered();
    };
    await result;
    return { eventTimestamps, values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    const viewId = IndexedDbOnlineStore.#viewId(project, view);
    const tx = this.#db.transaction(['segments', 'meta'], 'readwrite');
    await Promise.all([
      tx.objectStore('segments').delete(IDBKeyRange.bound([viewId], [viewId, []])),
      tx.objectStore('meta').delete(viewId),
      tx.done,
    ]);
    this.#views.delete(viewId);
  }

  async close(): Promise<void> {
    this.#db.close();
    this.clearCache();
  }
}

/** The batch rows `rows` (one per key) as one segment per bucket, filled column by column. */
function segmentsOf(rows: readonly number[], bucketOf: Int32Array, ids: readonly string[], events: readonly bigint[],
  created: readonly (bigint | null)[] | undefined, columns: readonly (readonly unknown[])[], position: readonly number[]): Map<number, Segment> {
  const counts = new Map<number, number>();
  for (const i of rows) counts.set(bucketOf[i], (counts.get(bucketOf[i]) ?? 0) + 1);
  const segments = new Map<number, Segment>();
  for (const [b, n] of counts) {
    segments.set(b, { keys: new Array<string>(n), events: new BigInt64Array(n), created: null, createdSet: null,
      columns: Int32Array.from(position), numbers: new Float64Array(columns.length * n), others: null });
  }
  // Where each row goes: its segment and its row there.
  const target = new Array<Segment>(rows.length);
  const at = new Int32Array(rows.length);
  const size = new Int32Array(rows.length);
  const filled = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const b = bucketOf[i];
    const segment = segments.get(b)!;
    const r = filled.get(b) ?? 0;
    filled.set(b, r + 1);
    target[k] = segment;
    at[k] = r;
    size[k] = segment.keys.length;
    segment.keys[r] = ids[i];
    segment.events[r] = events[i];
    const c = created?.[i] ?? null;
    if (c !== null) {
      const n = segment.keys.length;
      (segment.created ??= new BigInt64Array(n))[r] = c;
      (segment.createdSet ??= new Uint8Array(n))[r] = 1;
    }
  }
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j];
    for (let k = 0; k < rows.length; k++) {
      const value = column[rows[k]];
      const segment = target[k];
      if (typeof value === 'number') segment.numbers[j * size[k] + at[k]] = value;
      else (segment.others ??= []).push(at[k], j, value ?? null);
    }
  }
  return segments;
}

/** 52 random bits: a view deleted and written again never repeats a stamp a mirror may hold. */
function randomEpoch(): number {
  const [high, low] = crypto.getRandomValues(new Uint32Array(2));
  return (high & 0xfffff) * 2 ** 32 + low;
}

/** A transaction's end as a promise, rejecting on error or abort; `fail` names the cause of an abort we started. */
function transactionDone(tx: IDBTransaction): { promise: Promise<void>; fail(error: unknown): void } {
  let cause: unknown;
  const promise = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(cause ?? tx.error);
    tx.onabort = () => reject(cause ?? tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  // Callers may never await it on a path that already threw.
  promise.catch(() => {});
  return { promise, fail(error) { cause ??= error; } };
}
