import { Float64 as ArrowF64, Int64 as ArrowI64, Table, TimestampMicrosecond, Utf8, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { entity, fileSource, Int64, pushSource } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import type { FeastObject } from '../../src/definitions/index.js';
import type { OnlineStore } from '../../src/online/online-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const tripsSource = fileSource({ name: 'trips_source', path: 'trips.parquet' });
export const tripsPush = pushSource({ name: 'trips_push', batchSource: tripsSource });

/** 2021-04-12T10:00:00Z in microseconds: a whole hour, so tiles of every test align with it. */
export const BASE = 1_618_221_600_000_000n;
export const S = 1_000_000n;
export const at = (seconds: number | bigint, micros = 0n): bigint => BASE + BigInt(seconds) * S + micros;
export const iso = (micros: bigint): Date => new Date(Number(micros / 1000n));

/** An empty batch source with the columns the tests push (events land in appended parts). */
export function emptyTrips(): Table {
  const ts = makeVector(makeData({ type: new TimestampMicrosecond(), length: 0, nullCount: 0, data: new Int32Array(0) }));
  return new Table({
    driver_id: vectorFromArray([], new ArrowI64()),
    event_timestamp: ts,
    fare: vectorFromArray([], new ArrowF64()),
    trips: vectorFromArray([], new ArrowI64()),
    city: vectorFromArray([], new Utf8()),
  });
}

let projects = 0;
export async function streamStore(engine: SqlEngine, objects: readonly FeastObject[], onlineStore?: OnlineStore): Promise<FeatureStore> {
  const store = createFeatureStore({
    project: `stream${projects++}`,
    registry: new MemoryRegistryStore(),
    offlineStore: createDuckDbOfflineStore({ engine: async () => engine }),
    ...(onlineStore ? { onlineStore } : {}),
  });
  store.registerSourceData('trips_source', emptyTrips());
  await store.apply(objects);
  return store;
}
