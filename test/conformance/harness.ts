import type { Table } from 'apache-arrow';
import { expect } from 'vitest';
import { entity, Int64, type FeastObject } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { pointInTimeOracle, type OracleRequest, type OracleResult } from '../oracle/point-in-time-oracle.js';
import { expectOracle } from './assert-oracle.js';
import { column, sameValue, show } from './fixtures.js';
import { createDuckDbOfflineStore, type DuckDbOfflineStoreOptions } from '../../src/offline/duckdb/duckdb-offline-store.js';

export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const customer = entity({ name: 'customer', joinKeys: ['customer_id'], valueType: Int64 });
export const location = entity({ name: 'location', joinKeys: ['location_id'], valueType: Int64 });

export type SourceData = Table | Uint8Array;

export interface ConformanceOptions {
  /** The point-in-time plan the store is asked for (default: the store's own default). */
  joinStrategy?: 'asof' | 'window';
  /** Forces the join into this many hash partitions (the plan DuckDB-WASM uses when the join outgrows its heap). */
  partitions?: number;
}

/** What every case gets: the engine under test, fresh stores and a scratch folder. */
export interface Harness {
  readonly label: string;
  engine(): SqlEngine;
  /** A new project over a new memory registry, with the objects applied and the sources' data registered. */
  store(objects: readonly FeastObject[], data: Record<string, SourceData>, offline?: Partial<DuckDbOfflineStoreOptions>): Promise<FeatureStore>;
  /** A scratch directory removed after the suite. */
  dir(): string;
}

let projects = 0;

export function makeHarness(label: string, engine: () => SqlEngine, dir: () => string, options: ConformanceOptions): Harness {
  return {
    label,
    engine,
    dir,
    async store(objects, data, extra = {}) {
      const store = createFeatureStore({
        project: `conformance_${++projects}`,
        registry: new MemoryRegistryStore(),
        offlineStore: createDuckDbOfflineStore({
          engine: async () => engine(),
          ...(options.joinStrategy ? { joinStrategy: options.joinStrategy } : {}),
          ...(options.partitions ? { partitions: options.partitions } : {}),
          ...extra,
        }),
      });
      await store.apply(objects);
      for (const [name, value] of Object.entries(data)) store.registerSourceData(name, value);
      return store;
    },
  };
}

/** Asserts the result against the oracle, and returns the oracle's answer for literal checks. */
export function expectAsOracle(result: Table, request: OracleRequest, context?: string): OracleResult {
  const expected = pointInTimeOracle(request);
  expectOracle(result, expected, context);
  return expected;
}

/** Asserts literal, hand-computed values of some columns (the oracle's own cross-check). */
export function expectColumns(result: Table, literal: Record<string, readonly unknown[]>): void {
  for (const [name, want] of Object.entries(literal)) {
    const got = column(result, name);
    const same = got.length === want.length && got.every((g, i) => sameValue(g, want[i]));
    expect(same, `column ${name}: got [${got.map(show).join(', ')}], expected [${want.map(show).join(', ')}]`).toBe(true);
  }
}
