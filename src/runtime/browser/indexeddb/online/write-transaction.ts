import { entityKeyId } from '../../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineWriteBatch } from '../../../../online/online-store.js';
import { Bucket, hashKey } from './bucket.js';
import { bucketRange, transactionDone, type OnlineConnection } from './database.js';
import { batchBounds, replayBatch } from './replay.js';
import { segmentsOf, type Segment } from './segment.js';
import { editableViewMeta, type ViewMeta } from './view-meta.js';

/**
 * Writes a batch of one view (`viewId`, `project/view`) in one readwrite transaction, all
 * of it or none of it: the head record first, then only the buckets a row could lose to
 * or that are due to be merged, then one segment record per bucket the batch touches.
 * The mirror follows once the transaction has committed.
 */
export async function writeBatch(connection: OnlineConnection, viewId: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
  assertValidBatch(batch);
  const rowCount = batch.keys.length;
  if (rowCount === 0) return { written: 0, skipped: 0 };
  const ids = batch.keys.map(entityKeyId);
  const hashes = new Uint32Array(rowCount);
  for (let i = 0; i < rowCount; i++) hashes[i] = hashKey(ids[i]);
  const names = Object.keys(batch.features);
  const columns = names.map((n) => batch.features[n]);
  const events = batch.eventTimestamps;
  const createdOf = (i: number) => batch.createdTimestamps?.[i] ?? null;
  const { oldest, newest } = batchBounds(events, batch.createdTimestamps);

  const tx = connection.db.transaction(['segments', 'meta'], 'readwrite', { durability: 'relaxed' });
  const done = transactionDone(tx);
  const segmentStore = tx.objectStore('segments');
  const metaStore = tx.objectStore('meta');
  let written = 0;
  let commit: (() => void) | undefined;
  const fail = (error: unknown) => {
    // A value structured clone cannot copy (a function, say) throws from put: abort so
    // nothing of the batch is kept.
    done.fail(error);
    try {
      tx.abort();
    } catch {
      /* already finished */
    }
  };
  const metaRequest = metaStore.get(viewId) as IDBRequest<ViewMeta | undefined>;
  metaRequest.onsuccess = () => {
    try {
      const stored = metaRequest.result;
      const meta = editableViewMeta(stored, connection.bucketCount);
      const before = meta.generation;
      const view = connection.mirror.viewFor(viewId, meta);
      const bucketCount = meta.bucketCount;
      const bucketOf = new Int32Array(rowCount);
      const touched: number[] = [];
      const isTouched = new Uint8Array(bucketCount);
      for (let i = 0; i < rowCount; i++) {
        const b = (bucketOf[i] = hashes[i] % bucketCount);
        if (!isTouched[b]) {
          isTouched[b] = 1;
          touched.push(b);
        }
      }
      // A batch not older than anything ever written cannot lose to a stored row: the
      // usual case (materializing or pushing newer events) reads no bucket.
      const mustCompare = meta.newestEvent !== null && !isNotOlder(events[oldest], createdOf(oldest), meta.newestEvent, meta.newestCreated);
      const compacting = (b: number) => meta.segments[b] > 0 && meta.segments[b] + 1 >= connection.compactAfter + (b % 8);
      const known = new Map<number, Bucket>();
      const loads: [number, IDBRequest<Segment[]>][] = [];
      for (const b of touched) {
        if (!mustCompare && !compacting(b)) continue;
        if (meta.segments[b] === 0) {
          known.set(b, new Bucket(view, `${viewId}\u0000${b}`, before));
          continue;
        }
        const cached = connection.mirror.cached(view, viewId, b, meta);
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
            connection.mirror.cache(bucket);
          }
          // Replay the batch in order against what is stored, as one put per row would.
          const storedRow = (id: string, i: number) => {
            const bucket = known.get(bucketOf[i])!;
            const ref = bucket.find(id);
            return ref === undefined ? undefined : { event: bucket.event(ref), created: bucket.created(ref) };
          };
          const replay = replayBatch(ids, events, batch.createdTimestamps, mustCompare ? storedRow : undefined);
          written = replay.written;
          if (written === 0) return;
          const position = names.map((n) => {
            const p = meta.names.indexOf(n);
            return p >= 0 ? p : meta.names.push(n) - 1;
          });
          const generation = meta.generation + 1;
          const deltas = segmentsOf([...replay.winners.values()], bucketOf, ids, events, batch.createdTimestamps, columns, position);
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
          const width = meta.names.length;
          commit = () =>
            connection.mirror.committed(viewId, view, { before, generation, changedBefore: stored?.changed, width, deltas, compacted, emptyBefore });
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
