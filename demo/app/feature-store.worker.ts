/**
 * The demo's Web Worker: the whole feature store (DuckDB-WASM, Parquet, IndexedDB) off
 * the page's main thread, over the example repo's definitions. The asset URLs come from
 * the build, so the Service Worker can precache them and the worker starts offline.
 */
import * as definitions from 'feast-edge-definitions';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import sqlJsWasm from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { hostFeatureStore } from '../../src/runtime/worker/host-feature-store.js';

hostFeatureStore({ definitions: definitions as Record<string, unknown>, assets: { duckdbWasm, duckdbWorker, parquetWasm, sqlJsWasm } });
