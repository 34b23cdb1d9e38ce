/** feast-edge/offline: the SQL engine contract, point-in-time SQL and the portable DuckDB-WASM adapter. */
export { quoteIdent, quoteLiteral, type SqlEngine } from './sql-engine.js';
export { buildPointInTimeSql, timestampExpr, type PointInTimeSqlInput, type JoinInput } from './point-in-time-sql.js';
export { planRetrieval, type RetrievalPlan, type ViewJoin, type OnDemandStep } from './retrieval-plan.js';
export { retrieveHistorical, type HistoricalResult, type SourceData } from './historical-retrieval.js';
export { urlSourceLoader, type SourceLoader } from './source-loader.js';
export { arrowFromRows } from './arrow-from-rows.js';
export { toEpochMicros, microsToIso } from './timestamp.js';
export {
  FeatureNameCollisionError, FeatureNotFoundException, InvalidFeatureReferenceError,
  RequestDataNotFoundInEntityDfException, FeastEntityDFMissingColumnsError,
  EntityTimestampInferenceException, DataSourceNotFoundException,
} from './errors.js';
