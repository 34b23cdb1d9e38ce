/**
 * Runs the offline store contract inside a Web Worker, on the browser's engine: DuckDB-WASM
 * as AsyncDuckDB in its own worker with parquet-wasm, exactly as the feature-store worker
 * opens it. Posts the outcomes to whoever started it.
 */
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { createDuckDbOfflineStore } from '../../../src/offline/duckdb/duckdb-offline-store.js';
import { openBrowserEngine } from '../../../src/runtime/browser/browser-engine.js';
import { runOfflineStoreContractCases } from '../offline-store-contract-cases.js';

const post = globalThis.postMessage.bind(globalThis) as (message: unknown) => void;

try {
  const { engine } = await openBrowserEngine({ duckdbWasm, duckdbWorker, parquetWasm });
  try {
    post({ outcomes: await runOfflineStoreContractCases({ newStore: () => createDuckDbOfflineStore({ engine: async () => engine }) }) });
  } finally {
    await engine.close();
  }
} catch (error) {
  post({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
