/**
 * feast-edge: the portable core. Definitions, the FeatureStore facade, the in-memory
 * stores and every error class; no Node built-ins, no DuckDB, no Arrow at run time.
 * Runtimes add their stores and engines from their own entries: feast-edge/node,
 * /browser, /worker, /cloudflare, /deno, /service-worker, /offline, /server.
 */
export {
  entity,
  field,
  fileSource,
  pushSource,
  requestSource,
  featureView,
  onDemandFeatureView,
  onDemandTransform,
  collectOnDemandTransforms,
  streamFeatureView,
  featureService,
  project,
  projection,
  Int32,
  Int64,
  Float32,
  Float64,
  String,
  Bool,
  Bytes,
  UnixTimestamp,
  Map,
  Json,
  Array,
  Struct,
  parseDuration,
} from './definitions/index.js';
export type {
  Entity,
  Field,
  ValueType,
  FileSource,
  PushSource,
  RequestSource,
  DataSource,
  FeatureView,
  OnDemandFeatureView,
  OnDemandTransform,
  FeatureService,
  FeatureViewProjection,
  Project,
  FeastObject,
  TransformRow,
  TransformColumns,
  StreamFeatureView,
  StreamFeatureViewSpec,
  Aggregation,
  AggregationSpec,
  AggregationFunction,
  StreamRow,
  ValueOf,
} from './definitions/index.js';
export {
  FeastEdgeError,
  InvalidDefinitionError,
  describeChoices,
  FeatureNameCollisionError,
  FeatureNotFoundException,
  InvalidFeatureReferenceError,
  RequestDataNotFoundInEntityDfException,
  FeastEntityDFMissingColumnsError,
  EntityTimestampInferenceException,
  DataSourceNotFoundException,
  DataSourceColumnError,
  FeastObjectNotFoundException,
  EntityNotFoundException,
  DataSourceObjectNotFoundException,
  FeatureViewNotFoundException,
  OnDemandFeatureViewNotFoundException,
  StreamFeatureViewNotFoundException,
  FeatureServiceNotFoundException,
  SavedDatasetNotFound,
  ProjectNotFoundException,
  RegistryVersionConflictError,
  ConflictingFeatureViewNames,
  DataSourceRepeatNamesException,
  SavedDatasetExistsError,
  RegistryReadOnlyError,
  RegistryStoreError,
  TransformMismatchError,
  OfflineStoreUnavailableError,
  RequestDataNotFoundInEntityRowsException,
  InvalidEntityDfError,
  InvalidEntityRowsError,
  InvalidEntityKeyError,
  MissingJoinKeyError,
  InvalidRequestDataError,
  InvalidTimestampError,
  InvalidOnlineWriteError,
  InvalidOfflineWriteError,
  InvalidSourceInputError,
  InvalidMaterializationWindow,
  InvalidMaterializationRequest,
  ValueError,
  OnDemandTransformError,
  StreamTransformError,
  OnDemandTransformMismatchError,
  OnDemandTransformUnavailableError,
  StreamTransformMismatchError,
  AbortError,
  RequestValidationError,
  AuthenticationError,
  PermissionDeniedError,
  PushSourceNotFoundException,
  OnlineWriteConflictError,
  OnlineStoreConnectionError,
  OnlineStoreFaultError,
  StreamStateError,
  OnlineStoreRowError,
  FeatureStoreNotOpenError,
  ConfigurationError,
  FeastConfigError,
  FeastRepoLoadError,
  InvalidOnlineStoreConfig,
  ServerStartError,
  FeastRegistryError,
  InvalidFeastValueError,
  UnmodeledFeastObject,
} from './errors.js';
export { createFeatureStore, FeatureStore, type FeatureStoreOptions, type OnlineReadOptions, type PushResult } from './store/feature-store.js';
export type { FeatureRef, FeatureServiceName, ResponseRow } from './store/feature-refs.js';
export type { IngestResult, IngestOptions, EventSource } from './stream/stream-ingest.js';
export type { OnlineFeaturesRequest } from './store/online-retrieval.js';
export type { MaterializeOptions, MaterializeIncrementalOptions } from './store/materialize.js';
export { OnlineResponse, type FieldStatus, type OnlineWireResponse } from './online/online-response.js';
export { MemoryOnlineStore } from './online/memory-online-store.js';
export type { OnlineStore, OnlineWriteBatch, OnlineReadResult } from './online/online-store.js';
export { encodeEntityKey } from './online/entity-key.js';
export { MemoryRegistryStore } from './registry/memory-store.js';
export type { RegistryStore } from './registry/registry-store.js';
export type { RegistryDocument, SavedDataset, StoredStreamFeatureView } from './registry/document.js';
export type { RegistryDiff, ApplyOptions } from './registry/apply-types.js';
export type { EntityDf, EntityRow, HistoricalFeaturesRequest, RetrievalJob } from './retrieval/types.js';
export type { OfflineStore, FeatureViewPreview, FeatureStatistics } from './offline/offline-store.js';
export type { SqlEngine } from './sql/sql-engine.js';
export type { SourceLoader } from './sql/source-loader.js';
