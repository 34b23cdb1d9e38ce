import type { SqlEngine } from '../../../sql/sql-engine.js';

export type NodeEngineChoice = 'auto' | 'duckdb' | 'duckdb-native' | 'duckdb-wasm';

/**
 * Opens DuckDB for Node: native (`@duckdb/node-api`, an optional dependency) when it
 * loads, else WASM. 'duckdb-native' or 'duckdb-wasm' forces one and fails if it cannot load.
 */
export async function createNodeEngine(options: { engine?: NodeEngineChoice } = {}): Promise<SqlEngine> {
  const choice = options.engine ?? 'auto';
  if (choice === 'duckdb-wasm') return createWasmEngine();
  try {
    const { NativeDuckDBEngine } = await import('./duckdb-native-engine.js');
    return await NativeDuckDBEngine.open();
  } catch (error) {
    if (choice === 'duckdb-native') {
      throw new Error(`offline_store duckdb-native: @duckdb/node-api did not load (${(error as Error).message}); install it or use duckdb-wasm`);
    }
    return createWasmEngine();
  }
}

/** DuckDB-WASM in Node, loaded on first call so importing feast-edge/node stays light. */
export async function createWasmEngine(): Promise<SqlEngine> {
  return (await import('./wasm-engine.js')).createWasmEngine();
}
