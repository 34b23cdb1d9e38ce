import { entityKeyId } from '../../../../online/entity-key.js';
import type { OnlineReadResult } from '../../../../online/online-store.js';
import { Bucket, hashKey } from './bucket.js';
import { bucketRange, transactionDone, type OnlineConnection } from './database.js';
import type { Segment } from './segment.js';
import type { MirrorView, ViewMeta } from './view-meta.js';

/**
 * Reads `keys` of one view (`viewId`, `project/view`) in one readonly transaction: the
 * head record, beside it the buckets the mirror lacks, then the records of buckets written
 * since their stamp. Everything is assembled inside the transaction, so the answer is the
 * state as of the head record's generation.
 */
export async function readKeys(
  connection: OnlineConnection,
  viewId: string,
  keys: readonly Uint8Array[],
  features: readonly string[],
): Promise<OnlineReadResult> {
  const eventTimestamps: (bigint | null)[] = new Array(keys.length).fill(null);
  const values: Record<string, unknown[]> = {};
  for (const f of features) values[f] = new Array(keys.length).fill(null);
  if (keys.length === 0) return { eventTimestamps, values };
  const ids = keys.map(entityKeyId);
  const hashes = new Uint32Array(keys.length);
  for (let i = 0; i < keys.length; i++) hashes[i] = hashKey(ids[i]);

  const tx = connection.db.transaction(['segments', 'meta'], 'readonly');
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
  const result = new Promise<void>((resolve, reject) => {
    finish = resolve;
    done.promise.catch(reject);
  });
  const assemble = () => {
    if (!meta || !mirror) return;
    // Read in the transaction that read the meta record: the state as of its generation.
    const caching = connection.mirror.view(viewId) === mirror;
    for (const [b, { request, base }] of loads) {
      if (base) {
        // Another read of this snapshot may have brought it up to date already.
        if (base.validAt < meta.generation) {
          let rows = 0;
          for (const segment of request.result) {
            base.add(segment);
            rows += segment.keys.length;
          }
          base.validAt = meta.generation;
          if (caching) connection.mirror.grew(base, rows);
        }
        known.set(b, base);
        continue;
      }
      const bucket = new Bucket(mirror, `${viewId}\u0000${b}`, meta.generation);
      for (const segment of request.result) bucket.add(segment);
      known.set(b, bucket);
      if (caching) connection.mirror.cache(bucket);
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
  const guess = connection.mirror.view(viewId);
  const guessed = new Set<number>();
  if (guess) {
    for (let i = 0; i < keys.length; i++) {
      const b = hashes[i] % guess.bucketCount;
      if (!guessed.has(b)) {
        guessed.add(b);
        if (!connection.mirror.has(viewId, b)) load(b);
      }
    }
  }
  const metaRequest = tx.objectStore('meta').get(viewId) as IDBRequest<ViewMeta | undefined>;
  metaRequest.onsuccess = () => {
    meta = metaRequest.result;
    if (meta) {
      if (guess && guess.bucketCount !== meta.bucketCount) loads.clear();
      mirror = connection.mirror.viewFor(viewId, meta);
      for (let i = 0; i < keys.length; i++) {
        const b = hashes[i] % meta.bucketCount;
        if (known.has(b) || loads.has(b)) continue;
        const cached = connection.mirror.cached(mirror, viewId, b, meta);
        if (cached?.exact) known.set(b, cached.bucket);
        // Written since but not merged: only the newer records are missing.
        else if (cached && meta.merged[b] <= cached.bucket.validAt) load(b, cached.bucket);
        else load(b);
      }
    } else {
      connection.mirror.forget(viewId);
    }
    answered();
  };
  await result;
  return { eventTimestamps, values };
}
