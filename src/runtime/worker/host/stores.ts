import { FeatureStoreNotOpenError, ValueError } from '../../../errors.js';
import type { FeastObject } from '../../../definitions/index.js';
import type { OnlineStore } from '../../../online/online-store.js';
import type { SqlEngine } from '../../../sql/sql-engine.js';
import { IndexedDbOfflineAppends } from '../../browser/indexeddb/indexeddb-offline-appends.js';
import { IndexedDbOnlineStore } from '../../browser/indexeddb/indexeddb-online-store.js';
import { IndexedDbRegistryStore } from '../../browser/indexeddb/indexeddb-registry-store.js';
import { assertTransformsMatch } from '../../../registry/transform-check.js';
import { BrowserSourceLoader } from '../../browser/browser-source-loader.js';
import { IndexedDbDatasetStorage } from '../../browser/indexeddb/indexeddb-dataset-storage.js';
import { openBrowserFeastSqlite } from '../../browser/browser-feast-sqlite.js';
import { createDuckDbOfflineStore } from '../../../offline/duckdb/duckdb-offline-store.js';
import { loadParquetWasm } from '../../browser/parquet-wasm-codec.js';
import { createFeatureStore, type FeatureStore } from '../../../store/feature-store.js';
import type { BrowserEngineAssets } from '../../browser/browser-engine.js';
import type { OpenOptions, OpenResult } from '../feature-store-api.js';
import type { OnDemandTransform } from '../../../definitions/on-demand-transform.js';
import { keptSources } from './kept-sources.js';

/** What one open() opened: the feature store and the IndexedDB stores under it. */
export interface Opened {
  readonly store: FeatureStore;
  readonly project: string;
  /** The definitions that serve this project: the module's, or none for another project's registry. */
  readonly definitions: readonly FeastObject[];
  readonly registry: IndexedDbRegistryStore;
  readonly appends: IndexedDbOfflineAppends;
  readonly datasets: IndexedDbDatasetStorage;
  readonly sources: BrowserSourceLoader;
}

export interface HostAssets extends BrowserEngineAssets {
  /** sql.js's browser .wasm: only for Feast's SQLite online store. */
  readonly sqlJsWasm?: string;
}

/** The module's definitions serve their own project, or any project when the module names none. */
export function definitionsFor(definitions: readonly FeastObject[], project: string): readonly FeastObject[] {
  const own = definitions.find((o) => o.kind === 'project')?.name;
  return own === undefined || own === project ? definitions : [];
}

async function openOnlineStore(options: OpenOptions, assets: HostAssets): Promise<{ store: OnlineStore; result: OpenResult['onlineStore'] }> {
  const choice = options.onlineStore ?? { type: 'indexeddb' };
  if (choice.type === 'indexeddb') return { store: await IndexedDbOnlineStore.open(options.onlineDatabase), result: { type: 'indexeddb' } };
  if (choice.type === 'feast-sqlite') {
    const opened = await openBrowserFeastSqlite({ sqlJsWasm: assets.sqlJsWasm ?? '', file: choice.file, keepIn: choice.keepIn, name: choice.name });
    return { store: opened.store, result: { type: 'feast-sqlite', keptIn: opened.keptIn, from: opened.from } };
  }
  throw new ValueError(`open: onlineStore.type: expected 'indexeddb' or 'feast-sqlite', got ${JSON.stringify((choice as { type?: unknown }).type)}`);
}

/** Opens every store, or closes the ones that opened and rethrows when one fails. */
async function openAll<T extends readonly unknown[]>(opening: { [K in keyof T]: Promise<T[K]> }, close: (opened: unknown) => unknown): Promise<T> {
  const settled = await Promise.allSettled(opening);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
  for (const s of settled) if (s.status === 'fulfilled') await Promise.resolve(close(s.value)).catch(() => undefined);
  throw failed.reason;
}

/**
 * The stores the worker serves from: none until open(), replaced by each open(). The
 * offline store queries `engine`, the engine the job queue observes.
 */
export function createHostStores(
  definitions: readonly FeastObject[],
  assets: HostAssets,
  engine: () => Promise<SqlEngine>,
  onDemandTransforms: readonly OnDemandTransform[] = [],
) {
  let opened: (Opened & { readonly result: OpenResult }) | undefined;
  // What the last open() was given, less a Feast file (by then kept): an import of another project reopens with it.
  let lastOptions: OpenOptions = {};

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
    const project = openOptions.project ?? definitions.find((o) => o.kind === 'project')?.name;
    // Reopening the same project (another online store, say) keeps the files registered for its sources.
    const registered = opened && opened.project === project ? opened.sources.registered() : new Map();
    await closeOpened();
    if (!project) throw new ValueError('open: options.project is missing and the definitions module exports no project()');
    const [registry, online, appends, datasets] = await openAll<
      [IndexedDbRegistryStore, Awaited<ReturnType<typeof openOnlineStore>>, IndexedDbOfflineAppends, IndexedDbDatasetStorage]
    >(
      [
        IndexedDbRegistryStore.open(openOptions.registryDatabase),
        openOnlineStore(openOptions, assets),
        IndexedDbOfflineAppends.open(openOptions.offlineDatabase),
        IndexedDbDatasetStorage.open(`${openOptions.offlineDatabase ?? 'feast-edge-offline'}-datasets`),
      ],
      (s) => ('store' in (s as object) ? (s as { store: OnlineStore }).store.close() : (s as { close(): void }).close()),
    );
    const sources = new BrowserSourceLoader({
      baseUrl: openOptions.sourceBaseUrl ?? `${globalThis.location.origin}/`,
      parquet: () => loadParquetWasm(assets.parquetWasm),
    });
    // Files kept by an earlier visit first; what this worker registered since wins over them.
    const kept = keptSources(project);
    const keptList = await kept.list().catch(() => []);
    for (const { source, input } of await kept.inputs().catch(() => [])) sources.register(source, input);
    for (const [name, input] of registered) sources.register(name, input);
    const served = definitionsFor(definitions, project);
    const store = createFeatureStore({
      project,
      registry,
      onlineStore: online.store,
      definitions: served,
      onDemandTransforms,
      offlineStore: createDuckDbOfflineStore({ appends, datasets, sources, engine }),
    });
    try {
      const stored = await registry.read(project);
      const transforms = stored ? await assertTransformsMatch(stored, served) : [];
      const result: OpenResult = { project, transforms, onlineStore: online.result, keptSources: keptList };
      opened = { store, project, definitions: served, registry, appends, datasets, sources, result };
      const choice = openOptions.onlineStore;
      lastOptions = { ...openOptions, ...(choice?.type === 'feast-sqlite' ? { onlineStore: { ...choice, file: undefined } } : {}) };
      return result;
    } catch (error) {
      await store.close();
      registry.close();
      appends.close();
      datasets.close();
      throw error;
    }
  }

  /** Serves `project`: the open one as it is, else the last open's options on that project. */
  async function serveProject(project: string): Promise<OpenResult> {
    if (opened?.project === project) return opened.result;
    return open({ ...lastOptions, project });
  }

  return { current, open, serveProject, close: closeOpened };
}
