/**
 * The feature store inside a Web Worker, exposed to the page with comlink: DuckDB-WASM
 * for historical retrieval, statistics and materialization; IndexedDB for the registry,
 * the online store, offline appends and saved datasets. A worker file calls
 * `hostFeatureStore` with its definitions module and the asset URLs (see
 * feature-store.worker.ts); the page calls `connectFeatureStore(worker)`.
 */
import { expose } from 'comlink';
import type { FeastObject } from '../../definitions/index.js';
import { collectDefinitions } from '../../definitions/collect-definitions.js';
import { collectOnDemandTransforms } from '../../definitions/on-demand-transform.js';
import { registerLongWorkTransfer } from './long-work-transfer.js';
import type { FeatureStoreWorkerApi, OpenOptions } from './feature-store-api.js';
import type { HostContext } from './host/context.js';
import { createEngineJobs } from './host/engine-jobs.js';
import { materializeApi } from './host/materialize-api.js';
import { onlineApi } from './host/online-api.js';
import { registryApi } from './host/registry-api.js';
import { retrievalApi } from './host/retrieval-api.js';
import { sourcesApi } from './host/sources-api.js';
import { createHostStores, type HostAssets } from './host/stores.js';

export interface HostFeatureStoreOptions {
  /** The definitions module (`import * as repo from '...'`) or its feast objects. */
  readonly definitions: Record<string, unknown> | readonly FeastObject[];
  /**
   * URLs on the app's origin: DuckDB's .wasm and worker script, parquet-wasm's .wasm, and
   * sql.js's browser .wasm (only for Feast's SQLite online store, `open({ onlineStore: { type: 'feast-sqlite' } })`).
   */
  readonly assets: HostAssets;
}

/** The worker side as a plain object (what hostFeatureStore exposes), for callers with their own transport. */
export function createFeatureStoreHost(options: HostFeatureStoreOptions): FeatureStoreWorkerApi {
  const definitions = collectDefinitions(options.definitions as Record<string, unknown>);
  const assets = options.assets;
  const stores = createHostStores(definitions, assets, () => jobs.observedEngine(), collectOnDemandTransforms(options.definitions as Record<string, unknown>));
  const jobs = createEngineJobs(assets, stores.current);
  const host: HostContext = {
    definitions,
    current: stores.current,
    // A switch of project waits for running engine jobs, as open() does.
    serveProject: async (project) => {
      await jobs.idle();
      return stores.serveProject(project);
    },
    engineJob: jobs.engineJob,
  };

  return {
    async open(openOptions: OpenOptions = {}) {
      await jobs.idle();
      return stores.open(openOptions);
    },
    ...registryApi(host),
    ...sourcesApi(host),
    ...retrievalApi(host),
    ...materializeApi(host),
    ...onlineApi(host),
    async close() {
      await jobs.idle();
      await stores.close();
      await jobs.close();
    },
  };
}

/**
 * Serves the feature store to the page that started this worker (comlink.expose).
 * @example // my-feature-store.worker.ts
 * import * as repo from './feature_repo/definitions';
 * import duckdbWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
 * import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
 * import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
 * import sqlJsWasm from 'sql.js/dist/sql-wasm-browser.wasm?url';
 * hostFeatureStore({ definitions: repo, assets: { duckdbWasm, duckdbWorker, parquetWasm, sqlJsWasm } });
 */
export function hostFeatureStore(options: HostFeatureStoreOptions): void {
  registerLongWorkTransfer();
  expose(createFeatureStoreHost(options));
}
