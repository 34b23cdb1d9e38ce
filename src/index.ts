/**
 * feast-edge: the portable core. Definitions, the registry, and the FeatureStore facade;
 * no Node built-ins and no DuckDB (engines are passed in by the runtime entries).
 */
export {
  entity, field, fileSource, pushSource, requestSource, featureView, onDemandFeatureView, streamFeatureView,
  featureService, project, projection,
  Int32, Int64, Float32, Float64, String, Bool, Bytes, UnixTimestamp, Map, Json, Array, Struct,
  parseDuration, FeastEdgeError, InvalidDefinitionError,
} from './definitions/index.js';
export type {
  Entity, Field, ValueType, FileSource, PushSource, RequestSource, DataSource, FeatureView,
  OnDemandFeatureView, FeatureService, FeatureViewProjection, Project, FeastObject,
  TransformRow, TransformColumns, StreamFeatureView, StreamFeatureViewSpec, Aggregation, AggregationSpec,
  AggregationFunction, StreamRow,
} from './definitions/index.js';
export { createFeatureStore, FeatureStore, type FeatureStoreOptions, type PushResult } from './store/feature-store.js';
export type { IngestResult, IngestOptions, EventSource } from './store/stream-ingest.js';
export { MemoryDatasetStorage, type DatasetStorage } from './store/dataset-storage.js';
export type { OnlineFeaturesRequest } from './store/online-retrieval.js';
export type { MaterializeOptions } from './store/materialize.js';
export { OnlineResponse, type FieldStatus, type OnlineWireResponse } from './online/online-response.js';
export { MemoryOnlineStore } from './online/memory-online-store.js';
export { IndexedDbOnlineStore } from './online/indexeddb-online-store.js';
export { CloudflareKvOnlineStore, type KvNamespaceBinding } from './online/cloudflare-kv-online-store.js';
export { DenoKvOnlineStore } from './online/deno-kv-online-store.js';
export { MemoryOfflineAppends, type OfflineAppendStorage, type OfflinePart } from './offline/offline-appends.js';
export { IndexedDbOfflineAppends } from './offline/indexeddb-offline-appends.js';
export type { OnlineStore, OnlineWriteBatch, OnlineReadResult } from './online/online-store.js';
export { encodeEntityKey } from './online/entity-key.js';
export type {
  EntityDf, EntityRow, HistoricalFeaturesRequest, RetrievalJob, RegistryDiff, ApplyOptions,
} from './store/types.js';
export type { RegistryDocument, SavedDataset, StoredStreamFeatureView } from './registry/document.js';
export type { RegistryStore } from './registry/registry-store.js';
export { MemoryRegistryStore } from './registry/memory-store.js';
export { IndexedDbRegistryStore } from './registry/indexeddb-registry-store.js';
export type { SqlEngine } from './offline/sql-engine.js';
export type { SourceLoader } from './offline/source-loader.js';
