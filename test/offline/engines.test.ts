import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { runEngineContract } from './engine-contract.js';

runEngineContract('native DuckDB', () => createNodeEngine({ engine: 'duckdb-native' }));
runEngineContract('DuckDB-WASM', () => createNodeEngine({ engine: 'duckdb-wasm' }));
