import { createNodeEngine } from '../../src/runtime/node/engine.js';
import { runHistoricalConformance } from './historical-retrieval.js';

runHistoricalConformance('native DuckDB', () => createNodeEngine({ engine: 'duckdb-native' }));
runHistoricalConformance('DuckDB-WASM', () => createNodeEngine({ engine: 'duckdb-wasm' }));
