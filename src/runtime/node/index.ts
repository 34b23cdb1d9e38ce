/** feast-edge/node: Node wiring (repos on disk, file registry, native or WASM DuckDB). */
export { openFeatureStore, type OpenedRepo } from './open-feature-store.js';
export { FileRegistryStore } from './file-registry-store.js';
export { FeastRegistryFileStore } from './feast-registry-file-store.js';
export { FileDatasetStorage } from './file-dataset-storage.js';
export { FileOfflineAppends } from './file-offline-appends.js';
export { LmdbOnlineStore } from './lmdb/lmdb-online-store.js';
export { RedisOnlineStore, type RedisOnlineStoreOptions } from './redis/redis-online-store.js';
export { createNodeEngine, createWasmEngine, type NodeEngineChoice } from './duckdb/engine.js';
export { FeastRedisOnlineStore, type FeastRedisOnlineStoreOptions } from './redis/feast-redis-online-store.js';
export { openFeastSqliteOnlineStore, loadSqlJs } from './sqlite/feast-sqlite-file.js';
export { loadRepoConfig, parseRepoConfig, RepoConfigError, type RepoConfig, type OnlineStoreConfig } from './repo-config.js';
export { loadDefinitions } from './load-definitions.js';
export { nodeSourceLoader } from './node-source-loader.js';
export { startFeatureServer, ServerStartError, type StartFeatureServerOptions, type RunningFeatureServer } from './serve.js';
