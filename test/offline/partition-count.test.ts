import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { partitionCount, rowWidth } from '../../src/offline/duckdb/partition-count.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';

describe('the partitions option of the DuckDB offline store', () => {
  it.each([0, -2, 1.5, 'all', null])('refuses %j, naming the field and the choices', (partitions) => {
    expect(() => createDuckDbOfflineStore({ engine: async () => ({}) as SqlEngine, partitions: partitions as never })).toThrow(
      new ConfigurationError(`createDuckDbOfflineStore: partitions: expected 'auto' or a whole number of partitions from 1, got ${JSON.stringify(partitions)}`),
    );
  });

  it('sizes a row from its DuckDB types, one validity byte per column', () => {
    // BIGINT 8, TIMESTAMP 8, DOUBLE 8, INTEGER 4, VARCHAR 32 (guessed), DOUBLE[] 64 (guessed), plus 6 validity bytes.
    const types = new Map([
      ['a', 'BIGINT'],
      ['b', 'TIMESTAMP'],
      ['c', 'DOUBLE'],
      ['d', 'INTEGER'],
      ['e', 'VARCHAR'],
      ['f', 'DOUBLE[]'],
    ]);
    expect(rowWidth(types)).toBe(8 + 8 + 8 + 4 + 32 + 64 + 6);
  });
});

describe('partitions chosen by size', () => {
  const engines: Record<string, SqlEngine> = {};
  beforeAll(async () => {
    engines.native = await createNodeEngine({ engine: 'duckdb-native' });
    engines.wasm = await createNodeEngine({ engine: 'duckdb-wasm' });
    for (const engine of Object.values(engines)) {
      await engine.registerQuery('ent', "SELECT range AS driver_id, TIMESTAMP '2024-01-01' AS event_timestamp FROM range(1000)");
      await engine.registerQuery('src', "SELECT range AS driver_id, TIMESTAMP '2024-01-01' AS event_timestamp, 1.5 AS f FROM range(100000)");
      // 100M rows x 8 columns: 7.2 GB of rows, far above DuckDB-WASM's 3.1 GiB (a view: nothing is materialized).
      await engine.registerQuery('huge', 'SELECT range AS a FROM range(100000000)');
    }
  });
  afterAll(async () => {
    for (const engine of Object.values(engines)) await engine.close();
  });
  const ent = {
    view: 'ent',
    types: new Map([
      ['driver_id', 'BIGINT'],
      ['event_timestamp', 'TIMESTAMP'],
    ]),
    reads: 1,
  };
  const src = {
    view: 'src',
    types: new Map([
      ['driver_id', 'BIGINT'],
      ['event_timestamp', 'TIMESTAMP'],
      ['f', 'DOUBLE'],
    ]),
    reads: 2,
  };
  const wide = new Map(Array.from({ length: 8 }, (_, i) => [`c${i}`, 'BIGINT']));

  it('keeps one pass on native DuckDB, which spills to disk, however large', async () => {
    expect(await partitionCount(engines.native, 'auto', ent, [{ view: 'huge', types: wide, reads: 1 }])).toBe(1);
  });

  it('keeps one pass on DuckDB-WASM when the join fits its memory limit', async () => {
    expect(await partitionCount(engines.wasm, 'auto', ent, [src])).toBe(1);
  });

  it('splits on DuckDB-WASM when the join outgrows its memory limit', async () => {
    expect(await partitionCount(engines.wasm, 'auto', ent, [{ view: 'src', types: wide, reads: 1 }])).toBe(1);
    // 30M rows x 9 columns x 2 joins cannot be joined in one pass within 3.1 GiB.
    await engines.wasm.registerQuery('big', 'SELECT range AS a FROM range(30000000)');
    const n = await partitionCount(engines.wasm, 'auto', ent, [{ view: 'big', types: new Map([...wide, ['x', 'DOUBLE']]), reads: 2 }]);
    expect(n).toBeGreaterThan(1);
  });

  it('forces the number given, on either engine', async () => {
    expect(await partitionCount(engines.native, 3, ent, [src])).toBe(3);
    expect(await partitionCount(engines.wasm, 5, ent, [src])).toBe(5);
  });
});
