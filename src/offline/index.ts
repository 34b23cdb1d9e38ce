/**
 * feast-edge/offline: the offline store (training sets, materialization reads, offline
 * writes, saved datasets) on DuckDB, the SqlEngine contract and the portable DuckDB-WASM
 * engine. Heavy (Arrow, DuckDB): online-only deployments do not import it.
 */
export type {
  OfflineStore,
  OfflineRetrievalJob,
  HistoricalContext,
  HistoricalResult,
  LatestRows,
  LatestRowsBatch,
  OfflineRowsWrite,
  StoredDatasetRows,
  FeatureStatistics,
  FeatureViewPreview,
} from './offline-store.js';
export { createDuckDbOfflineStore, DuckDbOfflineStore, type DuckDbOfflineStoreOptions } from './duckdb/duckdb-offline-store.js';
export { MemoryDatasetStorage, type DatasetStorage } from './dataset-storage.js';
export { MemoryOfflineAppends, type OfflineAppendStorage, type OfflinePart } from './offline-appends.js';
export { buildPointInTimeSql, type PointInTimeSqlInput, type JoinInput } from './duckdb/point-in-time-sql.js';
export { latestPerKeySql } from './duckdb/latest-rows.js';
export { quoteIdent, quoteLiteral, type SqlEngine } from '../sql/sql-engine.js';
export { timestampExpr, sourceColumn } from '../sql/source-columns.js';
export { urlSourceLoader, type SourceLoader } from '../sql/source-loader.js';
export type { SourceData } from '../sql/load-source.js';
export { WasmDuckDBEngine, type WasmEngineOptions } from '../sql/duckdb-wasm/duckdb-wasm-engine.js';
export type { WasmBackend, ParquetCodec } from '../sql/duckdb-wasm/wasm-backend.js';
export { planRetrieval, type RetrievalPlan, type ViewJoin, type OnDemandStep } from '../retrieval/retrieval-plan.js';
export { arrowFromRows } from '../arrow/arrow-from-rows.js';
export { tableToRows } from '../arrow/table-rows.js';
export { toEpochMicros, microsToIso } from '../definitions/timestamp.js';
