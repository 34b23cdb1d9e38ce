/**
 * The default Web Worker entry: the feature store over the app's definitions module (the
 * bundler aliases 'feast-edge-definitions' to it, as for the Service Worker), with
 * DuckDB's and parquet-wasm's files bundled by Vite as assets of the app's own origin.
 * @example new Worker(new URL('./feature-store.worker.ts', import.meta.url), { type: 'module' })
 */
import * as repo from 'feast-edge-definitions';
import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import sqlJsWasm from 'sql.js/dist/sql-wasm-browser.wasm?url';
import { hostFeatureStore } from '../src/runtime/worker/host-feature-store.js';

hostFeatureStore({ definitions: repo as Record<string, unknown>, assets: { duckdbWasm, duckdbWorker, parquetWasm, sqlJsWasm } });
