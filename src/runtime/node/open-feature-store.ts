import { resolve } from 'node:path';
import type { FeastObject, OnDemandTransform } from '../../definitions/index.js';
import { createFeatureStore, type FeatureStore } from '../../store/feature-store.js';
import { createDuckDbOfflineStore } from '../../offline/duckdb/duckdb-offline-store.js';
import type { RegistryStore } from '../../registry/registry-store.js';
import { createNodeEngine, type NodeEngineChoice } from './duckdb/engine.js';
import { FeastRegistryFileStore } from './feast-registry-file-store.js';
import { FileOfflineAppends } from './file-offline-appends.js';
import { FileDatasetStorage } from './file-dataset-storage.js';
import { FileRegistryStore } from './file-registry-store.js';
import { loadRepoModules } from './load-definitions.js';
import { nodeSourceLoader } from './node-source-loader.js';
import { loadRepoConfig, redisOptionsOf, RepoConfigError, type RepoConfig } from './repo-config.js';
import { LmdbOnlineStore } from './lmdb/lmdb-online-store.js';
import { MemoryOnlineStore } from '../../online/memory-online-store.js';
import type { OnlineStore } from '../../online/online-store.js';

/**
 * The online store feature_store.yaml names: LMDB (a file under data/) unless it says
 * otherwise; SQLite and Redis in Feast's own layouts beside a Feast registry, so Feast
 * reads what feast-edge materializes and the other way round.
 */
async function openOnlineStore(config: RepoConfig): Promise<OnlineStore> {
  const online = config.onlineStore;
  if (online.type === 'memory') return new MemoryOnlineStore();
  if (online.type === 'cloudflare_kv' || online.type === 'deno_kv') {
    // The edge's stores (Workers KV as a bulk file and REST writes, Deno KV through the deno binary), loaded only when configured.
    const { openEdgeKvStore } = await import('./kv-online-stores.js');
    const edge = openEdgeKvStore(config);
    if (edge) return edge;
  }
  // The config resolves the paths (data/online_store.lmdb, Feast's data/online.db by default).
  if (online.type === 'lmdb' && online.path) return new LmdbOnlineStore(online.path);
  if (online.type === 'sqlite' && online.path) {
    // Loaded only when configured: sql.js is an optional peer.
    const { openFeastSqliteOnlineStore } = await import('./sqlite/feast-sqlite-file.js');
    return openFeastSqliteOnlineStore(online.path);
  }
  if (online.type === 'redis') {
    const { target, keyPrefix, keyTtlSeconds, layout = config.registryFormat === 'feast' ? 'feast' : 'feast-edge' } = redisOptionsOf(online);
    if (layout === 'feast') {
      if (keyPrefix) {
        throw new RepoConfigError(
          "feature_store.yaml: online_store.key_prefix: Feast's Redis layout has no key prefix (a key is the entity key's bytes and the project); remove it, or set layout: feast-edge",
        );
      }
      const { FeastRedisOnlineStore } = await import('./redis/feast-redis-online-store.js');
      return new FeastRedisOnlineStore({ ...target, ...(keyTtlSeconds ? { keyTtlSeconds } : {}) });
    }
    // Loaded only when configured, so a repo on LMDB never loads the Redis client.
    const { RedisOnlineStore } = await import('./redis/redis-online-store.js');
    // No connection yet: the store connects on first use, and says so if it cannot.
    return new RedisOnlineStore({ ...target, ...(keyPrefix ? { keyPrefix } : {}), ...(keyTtlSeconds ? { keyTtlSeconds } : {}) });
  }
  throw new RepoConfigError(
    `feature_store.yaml: online_store.type '${online.type}' is not available; use lmdb, memory, sqlite, redis, cloudflare_kv or deno_kv`,
  );
}

/** Feast's registry.db, or feast-edge's JSON document. */
function openRegistryStore(config: RepoConfig): RegistryStore {
  return config.registryFormat === 'feast' ? new FeastRegistryFileStore(config.registryPath) : new FileRegistryStore(config.registryPath);
}

export interface OpenedRepo {
  store: FeatureStore;
  config: RepoConfig;
  /** Every feast object the repo's modules export: what `apply` applies (none in a repo of Feast's Python alone). */
  definitions: FeastObject[];
  /** The repo's `onDemandTransform(...)` exports: TypeScript code for on-demand views whose registry code is Python. */
  transforms: OnDemandTransform[];
}

/**
 * Opens a feature repo from disk: `feature_store.yaml`, its TypeScript definitions, the
 * registry it names (Feast's `registry.db` or feast-edge's `.json`) and DuckDB (native
 * when it loads, else WASM, unless the yaml says otherwise). A Feast repo (registry.db,
 * Parquet sources, Python definitions) opens as it is: `.py` files are not read.
 * @example const { store, definitions } = await openFeatureStore({ repoPath: 'my_repo' });
 *          await store.apply(definitions);
 */
export async function openFeatureStore(options: { repoPath: string; engine?: NodeEngineChoice }): Promise<OpenedRepo> {
  const repoPath = resolve(options.repoPath);
  const config = await loadRepoConfig(repoPath);
  const { definitions, transforms } = await loadRepoModules(repoPath);
  const store = createFeatureStore({
    project: config.project,
    registry: openRegistryStore(config),
    offlineStore: createDuckDbOfflineStore({
      engine: () => createNodeEngine({ engine: options.engine ?? config.offlineStore.type }),
      sources: nodeSourceLoader(repoPath),
      datasets: new FileDatasetStorage(repoPath),
      appends: new FileOfflineAppends(repoPath),
    }),
    onlineStore: await openOnlineStore(config),
    definitions,
    onDemandTransforms: transforms,
  });
  return { store, config, definitions, transforms };
}
