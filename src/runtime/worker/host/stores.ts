import { FeatureStoreNotOpenError, ValueError } from '../../../errors.js';
import type { FeastObject } from '../../../definitions/index.js';
import type { SqlEngine } from '../../../sql/sql-engine.js';
import { IndexedDbOfflineAppends } from '../../browser/indexeddb/indexeddb-offline-appends.js';
import { IndexedDbOnlineStore } from '../../browser/indexeddb/indexeddb-online-store.js';
import { IndexedDbRegistryStore } from '../../browser/indexeddb/indexeddb-registry-store.js';
import { assertTransformsMatch } from '../../../registry/transform-check.js';
import { BrowserSourceLoader } from '../../browser/browser-source-loader.js';
import { IndexedDbDatasetStorage } from '../../browser/indexeddb/indexeddb-dataset-storage.js';
import { createDuckDbOfflineStore } from '../../../offline/duckdb/duckdb-offline-store.js';
import { loadParquetWasm } from '../../browser/parquet-wasm-codec.js';
import { createFeatureStore, type FeatureStore } from '../../../store/feature-store.js';
import type { BrowserEngineAssets } from '../../browser/browser-engine.js';
import type { OpenOptions, OpenResult } from '../feature-store-api.js';

/** What one open() opened: the feature store and the IndexedDB stores under it. */
export interface Opened {
  readonly store: FeatureStore;
  readonly project: string;
  readonly registry: IndexedDbRegistryStore;
  readonly appends: IndexedDbOfflineAppends;
  readonly datasets: IndexedDbDatasetStorage;
  readonly sources: BrowserSourceLoader;
}

/**
 * The stores the worker serves from: none until open(), replaced by each open(). The
 * offline store queries `engine`, the engine the job queue observes.
 */
export function createHostStores(definitions: readonly FeastObject[], assets: BrowserEngineAssets, engine: () => Promise<SqlEngine>) {
  let opened: Opened | undefined;

  const current = (): Opened => {
    if (!opened) throw new FeatureStoreNotOpenError('the feature store is not open; call open() first');
    return opened;
  };

  async function closeOpened(): Promise<void> {
    const o = opened;
    opened = undefined;
    if (!o) return;
    await o.store.close();
    o.registry.close();
    o.appends.close();
    o.datasets.close();
  }

  async function open(openOptions: OpenOptions = {}): Promise<OpenResult> {
    await closeOpened();
    const project = openOptions.project ?? definitions.find((o) => o.kind === 'project')?.name;
    if (!project) throw new ValueError('open: options.project is missing and the definitions module exports no project()');
    const [registry, onlineStore, appends, datasets] = await Promise.all([
      IndexedDbRegistryStore.open(openOptions.registryDatabase),
      IndexedDbOnlineStore.open(openOptions.onlineDatabase),
      IndexedDbOfflineAppends.open(openOptions.offlineDatabase),
      IndexedDbDatasetStorage.open(`${openOptions.offlineDatabase ?? 'feast-edge-offline'}-datasets`),
    ]);
    const sources = new BrowserSourceLoader({
      baseUrl: openOptions.sourceBaseUrl ?? `${globalThis.location.origin}/`,
      parquet: () => loadParquetWasm(assets.parquetWasm),
    });
    const store = createFeatureStore({
      project,
      registry,
      onlineStore,
      definitions,
      offlineStore: createDuckDbOfflineStore({ appends, datasets, sources, engine }),
    });
    try {
      const stored = await registry.read(project);
      const transforms = stored ? await assertTransformsMatch(stored, definitions) : [];
      opened = { store, project, registry, appends, datasets, sources };
      return { project, transforms };
    } catch (error) {
      await store.close();
      registry.close();
      appends.close();
      datasets.close();
      throw error;
    }
  }

  return { current, open, close: closeOpened };
}
