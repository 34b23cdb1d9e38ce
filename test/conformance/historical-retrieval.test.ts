import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { runHistoricalConformance } from './historical-retrieval.js';

runHistoricalConformance('native DuckDB', () => createNodeEngine({ engine: 'duckdb-native' }));
runHistoricalConformance('DuckDB-WASM', () => createNodeEngine({ engine: 'duckdb-wasm' }));
// The store's other point-in-time plan (range join + row_number) must give the same answers.
runHistoricalConformance('native DuckDB, window plan', () => createNodeEngine({ engine: 'duckdb-native' }), { joinStrategy: 'window' });
// The partitioned plan (hash partitions of the entity rows and the sources, passes merged by row number) must too.
runHistoricalConformance('DuckDB-WASM, 3 partitions', () => createNodeEngine({ engine: 'duckdb-wasm' }), { partitions: 3 });
runHistoricalConformance('native DuckDB, 3 partitions', () => createNodeEngine({ engine: 'duckdb-native' }), { partitions: 3 });
runHistoricalConformance('native DuckDB, window plan, 3 partitions', () => createNodeEngine({ engine: 'duckdb-native' }), {
  joinStrategy: 'window',
  partitions: 3,
});
