import { resolve } from 'node:path';
import type { FeastObject } from '../../definitions/index.js';
import { createFeatureStore, type FeatureStore } from '../../store/feature-store.js';
import { createDuckDbOfflineStore } from '../../offline/duckdb/duckdb-offline-store.js';
import { createNodeEngine, type NodeEngineChoice } from './duckdb/engine.js';
import { FileOfflineAppends } from './file-offline-appends.js';
import { FileDatasetStorage } from './file-dataset-storage.js';
import { FileRegistryStore } from './file-registry-store.js';
import { loadDefinitions } from './load-definitions.js';
import { nodeSourceLoader } from './node-source-loader.js';
import { loadRepoConfig, redisOptionsOf, RepoConfigError, type RepoConfig } from './repo-config.js';
import { LmdbOnlineStore } from './lmdb/lmdb-online-store.js';
import { MemoryOnlineStore } from '../../online/memory-online-store.js';
import type { OnlineStore } from '../../online/online-store.js';

/** The online store feature_store.yaml names; LMDB (a file under data/) unless it says otherwise. */
async function openOnlineStore(config: RepoConfig): Promise<OnlineStore> {
  const online = config.onlineStore;
  if (online.type === 'memory') return new MemoryOnlineStore();
  // The config resolves the path (data/online_store.lmdb by default).
  if (online.type === 'lmdb' && online.path) return new LmdbOnlineStore(online.path);
  if (online.type === 'redis') {
    const { target, ...rest } = redisOptionsOf(online);
    // Loaded only when configured, so a repo on LMDB never loads the Redis client.
    const { RedisOnlineStore } = await import('./redis/redis-online-store.js');
    // No connection yet: the store connects on first use, and says so if it cannot.
    return new RedisOnlineStore({ ...target, ...rest });
  }
  throw new RepoConfigError(`feature_store.yaml: online_store.type '${online.type}' is not available; use lmdb, memory or redis`);
}

export interface OpenedRepo {
  store: FeatureStore;
  config: RepoConfig;
  /** Every feast object the repo's modules export: what `apply` applies. */
  definitions: FeastObject[];
}

/**
 * Opens a feature repo from disk: `feature_store.yaml`, its definitions, a file registry,
 * and DuckDB (native when it loads, else WASM, unless the yaml says otherwise).
 * @example const { store, definitions } = await openFeatureStore({ repoPath: 'my_repo' });
 *          await store.apply(definitions);
 */
export async function openFeatureStore(options: { repoPath: string; engine?: NodeEngineChoice }): Promise<OpenedRepo> {
  const repoPath = resolve(options.repoPath);
  const config = await loadRepoConfig(repoPath);
  const definitions = await loadDefinitions(repoPath);
  const store = createFeatureStore({
    project: config.project,
    registry: new FileRegistryStore(config.registryPath),
    offlineStore: createDuckDbOfflineStore({
      engine: () => createNodeEngine({ engine: options.engine ?? config.offlineStore.type }),
      sources: nodeSourceLoader(repoPath),
      datasets: new FileDatasetStorage(repoPath),
      appends: new FileOfflineAppends(repoPath),
    }),
    onlineStore: await openOnlineStore(config),
    definitions,
  });
  return { store, config, definitions };
}
