import { describe, expect, it } from 'vitest';
import { plainValues } from '../../src/arrow/arrow-types.js';
import { NativeDuckDBEngine } from '../../src/runtime/node/duckdb/duckdb-native-engine.js';

describe('native DuckDB results with nested columns', () => {
  it('reads a struct column (how pandas writes dict features to Parquet, e.g. quickstart driver_metadata) as objects', async () => {
    const engine = await NativeDuckDBEngine.open();
    try {
      const table = await engine.query(
        `SELECT * FROM (VALUES ({'vehicle_type': 'suv', 'rating': '4.2'}), (NULL), ({'vehicle_type': 'van', 'rating': NULL})) AS t(s)`,
      );
      expect(plainValues(table.getChild('s'))).toEqual([{ vehicle_type: 'suv', rating: '4.2' }, null, { vehicle_type: 'van', rating: null }]);
    } finally {
      await engine.close();
    }
  });

  it('reads a list of timestamps as epoch milliseconds (what materialization turns into Dates)', async () => {
    const engine = await NativeDuckDBEngine.open();
    try {
      const table = await engine.query(`SELECT [TIMESTAMP '2025-01-06 00:00:00', TIMESTAMP '2025-01-05 23:00:00.5'] AS l, []::TIMESTAMP[] AS e`);
      expect(plainValues(table.getChild('l'))).toEqual([[1_736_121_600_000, 1_736_118_000_500]]);
      expect(plainValues(table.getChild('e'))).toEqual([[]]);
    } finally {
      await engine.close();
    }
  });
});
