/** feast-edge/browser: browser and Web Worker adapters: IndexedDB stores, Feast's SQLite file over sql.js, DuckDB-WASM (async) with parquet-wasm, browser sources. */
export { IndexedDbOnlineStore } from './indexeddb/indexeddb-online-store.js';
export { IndexedDbRegistryStore } from './indexeddb/indexeddb-registry-store.js';
export { IndexedDbOfflineAppends } from './indexeddb/indexeddb-offline-appends.js';
export { IndexedDbDatasetStorage } from './indexeddb/indexeddb-dataset-storage.js';
export { openBrowserEngine, type BrowserEngine, type BrowserEngineAssets } from './browser-engine.js';
export { AsyncDuckDbBackend, type AsyncDuckDbLike, type AsyncDuckDbConnectionLike } from './async-duckdb-backend.js';
export { loadParquetWasm, parquetWasmCodec, type ParquetWasm } from './parquet-wasm-codec.js';
export { BrowserSourceLoader, type BrowserSourceLoaderOptions } from './browser-source-loader.js';
export { assertSourceInput, type BrowserSourceInput } from './source-input.js';
export { readOpfsFile } from './opfs.js';
export { openBrowserFeastSqlite, type BrowserFeastSqlite, type BrowserFeastSqliteOptions } from './browser-feast-sqlite.js';
export { keptFile, defaultKeepIn, type KeptFile, type KeepIn } from './kept-file.js';
