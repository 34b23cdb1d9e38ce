import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { runOfflineStoreContract } from './offline-store-contract.js';

runOfflineStoreContract('native DuckDB', () => createNodeEngine({ engine: 'duckdb-native' }));
runOfflineStoreContract('DuckDB-WASM', () => createNodeEngine({ engine: 'duckdb-wasm' }));
