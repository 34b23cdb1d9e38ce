/** Browser and Web Worker wiring: DuckDB-WASM (AsyncDuckDB) with parquet-wasm, browser sources, IndexedDB datasets. */
export { AsyncDuckDbBackend, type AsyncDuckDbLike, type AsyncDuckDbConnectionLike } from './async-duckdb-backend.js';
export { loadParquetWasm, parquetWasmCodec, type ParquetWasm } from './parquet-wasm-codec.js';
export { BrowserSourceLoader, type BrowserSourceLoaderOptions } from './browser-source-loader.js';
export { assertSourceInput, type BrowserSourceInput } from './source-input.js';
export { readOpfsFile } from './opfs.js';
export { IndexedDbDatasetStorage } from './indexeddb-dataset-storage.js';
export { featureStatistics, type FeatureStatistics } from './feature-statistics.js';
export { registerLongWorkTransfer, releaseLongWork, type LongWorkOptions } from './long-work-transfer.js';
export { toEntityDf, type BrowserEntityDf } from './worker-entity-df.js';
export { ObservedEngine, type EngineStep } from './observed-engine.js';
export { abortError, throwIfAborted } from './abort.js';
