import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { runHistoricalConformance } from './historical-retrieval.js';

runHistoricalConformance('native DuckDB', () => createNodeEngine({ engine: 'duckdb-native' }));
runHistoricalConformance('DuckDB-WASM', () => createNodeEngine({ engine: 'duckdb-wasm' }));
// The store's other point-in-time plan (range join + row_number) must give the same answers.
runHistoricalConformance('native DuckDB, window plan', () => createNodeEngine({ engine: 'duckdb-native' }), { joinStrategy: 'window' });
