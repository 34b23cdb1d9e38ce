/**
 * Browser side of the IndexedDB figure in bench/materialize.ts: the write half of
 * materialize() (its columnar batches, as the IndexedDB store takes them) beside a raw put
 * per row of the same values, both timed inside Chromium.
 */
import { deleteDB, openDB } from 'idb';
import { Int64 } from '../../src/definitions/index.js';
import { entityKeyEncoder, entityKeyToString } from '../../src/online/entity-key.js';
import { toRowBatch, type OnlineColumnarBatch, type OnlineStore } from '../../src/online/online-store.js';
import { IndexedDbOnlineStore } from '../../src/runtime/browser/indexeddb/indexeddb-online-store.js';

const T0 = 1_618_221_600_000_000n;
const encodeKey = entityKeyEncoder([{ joinKey: 'driver_id', type: Int64 }]);

/** One batch as materialization hands it over: typed number columns, typed timestamps. */
function columnarBatch(from: number, rows: number, features: number, event: bigint): OnlineColumnarBatch {
  const columns: Record<string, { numbers: Float64Array }> = {};
  for (let f = 0; f < features; f++) columns[`f${f}`] = { numbers: Float64Array.from({ length: rows }, (_, i) => from + i + f / 100) };
  return {
    view: 'stats',
    keys: Array.from({ length: rows }, (_, i) => encodeKey([from + i])),
    eventTimestamps: new BigInt64Array(rows).fill(event),
    features: columns,
  };
}

const api = {
  /** rows/s of the store's write of materialize's batches (columnar, or as rows where the store has no writeColumns) into an empty database. */
  async materializeWrite(rows: number, features: number, batchRows: number): Promise<number> {
    await deleteDB('feast-edge-bench-materialize');
    const store: OnlineStore = await IndexedDbOnlineStore.open('feast-edge-bench-materialize');
    let seconds = 0;
    for (let from = 0; from < rows; from += batchRows) {
      const batch = columnarBatch(from, Math.min(batchRows, rows - from), features, T0);
      const start = performance.now();
      if (store.writeColumns) await store.writeColumns('bench', batch);
      else await store.write('bench', toRowBatch(batch));
      seconds += (performance.now() - start) / 1000;
    }
    await store.close();
    await deleteDB('feast-edge-bench-materialize');
    return rows / seconds;
  },

  /** rows/s of a raw idb put per row of the same values (one array per key), one transaction per batch, no event-time check. */
  async rawPut(rows: number, features: number, batchRows: number): Promise<number> {
    await deleteDB('feast-edge-bench-raw-put');
    const db = await openDB('feast-edge-bench-raw-put', 1, {
      upgrade(d) {
        d.createObjectStore('rows');
      },
    });
    let seconds = 0;
    for (let from = 0; from < rows; from += batchRows) {
      const n = Math.min(batchRows, rows - from);
      const keys = Array.from({ length: n }, (_, i) => entityKeyToString(encodeKey([from + i])));
      const start = performance.now();
      const tx = db.transaction('rows', 'readwrite');
      await Promise.all([
        ...keys.map((key, i) =>
          tx.store.put(
            Array.from({ length: features }, (_, f) => from + i + f / 100),
            key,
          ),
        ),
        tx.done,
      ]);
      seconds += (performance.now() - start) / 1000;
    }
    db.close();
    await deleteDB('feast-edge-bench-raw-put');
    return rows / seconds;
  },
};

Object.assign(globalThis, api);
export type MaterializeBenchApi = typeof api;
