/**
 * The feature store inside a Web Worker, exposed to the page with comlink: DuckDB-WASM
 * for historical retrieval, statistics and materialization; IndexedDB for the registry,
 * the online store, offline appends and saved datasets. A worker file calls
 * `hostFeatureStore` with its definitions module and the asset URLs (see
 * feature-store.worker.ts); the page calls `connectFeatureStore(worker)`.
 */
import { expose, transfer } from 'comlink';
import { tableToIPC, type Table } from 'apache-arrow';
import { FeatureStoreNotOpenError, ValueError, DataSourceObjectNotFoundException } from '../../errors.js';
import type { FeastObject, FileSource } from '../../definitions/index.js';
import { IndexedDbOfflineAppends } from '../browser/indexeddb/indexeddb-offline-appends.js';
import { IndexedDbOnlineStore } from '../browser/indexeddb/indexeddb-online-store.js';
import { parseRegistryDocument } from '../../registry/document-shape.js';
import { IndexedDbRegistryStore } from '../browser/indexeddb/indexeddb-registry-store.js';
import { assertTransformsMatch } from '../../registry/transform-check.js';
import { abortError, throwIfAborted } from '../browser/abort.js';
import { BrowserSourceLoader } from '../browser/browser-source-loader.js';
import { collectDefinitions } from '../../definitions/collect-definitions.js';
import { IndexedDbDatasetStorage } from '../browser/indexeddb/indexeddb-dataset-storage.js';
import { ObservedEngine } from './observed-engine.js';
import { createDuckDbOfflineStore } from '../../offline/duckdb/duckdb-offline-store.js';
import { registerLongWorkTransfer, releaseLongWork } from './long-work-transfer.js';
import { loadParquetWasm } from '../browser/parquet-wasm-codec.js';
import { assertSourceInput } from '../browser/source-input.js';
import { toEntityDf } from './worker-entity-df.js';
import { createFeatureStore, type FeatureStore } from '../../store/feature-store.js';
import type { HistoricalFeaturesRequest } from '../../retrieval/types.js';
import { openBrowserEngine, type BrowserEngine, type BrowserEngineAssets } from '../browser/browser-engine.js';
import type {
  ArrowIpcResult, FeatureStoreWorkerApi, FeatureViewPreview, LongWork, OpenOptions, Progress, WorkerHistoricalRequest,
} from './feature-store-api.js';

export interface HostFeatureStoreOptions {
  /** The definitions module (`import * as repo from '...'`) or its feast objects. */
  readonly definitions: Record<string, unknown> | readonly FeastObject[];
  /** URLs on the app's origin: DuckDB's .wasm and worker script, parquet-wasm's .wasm. */
  readonly assets: { readonly duckdbWasm: string; readonly duckdbWorker?: string; readonly parquetWasm: string };
}

interface Opened {
  readonly store: FeatureStore;
  readonly project: string;
  readonly registry: IndexedDbRegistryStore;
  readonly appends: IndexedDbOfflineAppends;
  readonly datasets: IndexedDbDatasetStorage;
  readonly sources: BrowserSourceLoader;
}

const arrowResult = (table: Table, started: number): ArrowIpcResult => {
  const ipc = tableToIPC(table, 'stream');
  return { ipc, numRows: table.numRows, columns: table.schema.fields.map((f) => f.name), elapsedMs: performance.now() - started };
};

/** The worker side as a plain object (what hostFeatureStore exposes), for callers with their own transport. */
export function createFeatureStoreHost(options: HostFeatureStoreOptions): FeatureStoreWorkerApi {
  const definitions = collectDefinitions(options.definitions as Record<string, unknown>);
  const assets: BrowserEngineAssets = options.assets;
  let duckdb: Promise<BrowserEngine> | undefined;
  let observed: ObservedEngine | undefined;
  const engine = () => {
    duckdb ??= openBrowserEngine(assets);
    duckdb.catch(() => { duckdb = undefined; });
    return duckdb;
  };
  let opened: Opened | undefined;
  // One engine job at a time: a job's AbortSignal and progress are bound to the engine for its duration.
  let jobs: Promise<unknown> = Promise.resolve();

  const current = (): Opened => {
    if (!opened) throw new FeatureStoreNotOpenError('the feature store is not open; call open() first');
    return opened;
  };

  /**
   * Runs one engine job after the ones before it, its queries bound to `work.signal`;
   * `engineSteps` reports each finished load and query as progress.
   */
  function engineJob<T>(what: string, work: LongWork | undefined, engineSteps: boolean, job: (o: Opened) => Promise<T>): Promise<T> {
    const onProgress = work?.onProgress;
    const run = jobs.then(async () => {
      throwIfAborted(work?.signal, what);
      const o = current();
      const { backend, engine: inner } = await engine();
      observed ??= new ObservedEngine(inner);
      const steps = engineSteps && onProgress ? ({ step, done }: { step: string; done: number }) => onProgress({ step: `${what}: ${step}`, done }) : undefined;
      return backend.withSignal(work?.signal, () => observed!.observe(steps, () => job(o)));
    }).catch((error: unknown) => {
      // Whichever statement noticed the abort, the caller hears which work was cancelled.
      throw work?.signal?.aborted && (error as Error)?.name === 'AbortError' && !(error as Error).message.startsWith(what) ? abortError(what) : error;
    }).finally(() => releaseLongWork(work));
    jobs = run.catch(() => undefined);
    return run;
  }

  const materializeProgress = (work: LongWork | undefined) => ({
    signal: work?.signal,
    onProgress: ({ view, rowsDone, rowsTotal }: { view: string; rowsDone: number; rowsTotal: number }) =>
      work?.onProgress?.({ step: `materialize ${view}`, done: rowsDone, total: rowsTotal } satisfies Progress),
  });

  async function historicalRequest(request: WorkerHistoricalRequest, o: Opened): Promise<HistoricalFeaturesRequest> {
    return { ...request, entityDf: await toEntityDf(request.entityDf, o.sources.resolve('.')) };
  }

  async function closeOpened(): Promise<void> {
    const o = opened;
    opened = undefined;
    if (!o) return;
    await o.store.close();
    o.registry.close();
    o.appends.close();
    o.datasets.close();
  }

  const fileSourceNames = async (o: Opened) => {
    const fromRegistry = await o.store.listDataSources().catch(() => []);
    return new Set([...definitions, ...fromRegistry].filter((s): s is FileSource => s.kind === 'fileSource').map((s) => s.name));
  };

  return {
    async open(openOptions: OpenOptions = {}) {
      await jobs;
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
        project, registry, onlineStore, definitions,
        offlineStore: createDuckDbOfflineStore({
          appends, datasets, sources,
          engine: async () => { const { engine: inner } = await engine(); return (observed ??= new ObservedEngine(inner)); },
        }),
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
    },

    apply: () => current().store.apply(definitions),

    async importRegistry(document) {
      const o = current();
      const doc = parseRegistryDocument(document);
      if (doc.project.name !== o.project) {
        throw new ValueError(`importRegistry: project.name is '${doc.project.name}' but this worker serves project '${o.project}'; open({ project: '${doc.project.name}' }) first`);
      }
      await assertTransformsMatch(doc, definitions);
      const stored = await o.registry.read(o.project);
      const version = stored?.version ?? 0;
      await o.registry.write({ ...doc, version: version + 1, lastUpdatedAt: new Date().toISOString() }, version);
    },

    registryDocument: () => current().store.registryDocument(),

    async registerSource(sourceName, input) {
      const o = current();
      assertSourceInput(input, `registerSource('${sourceName}')`);
      const names = await fileSourceNames(o);
      if (!names.has(sourceName)) {
        const sorted = [...names].sort();
        throw new DataSourceObjectNotFoundException(sourceName, o.project, sorted, `registerSource: no file source named '${sourceName}'; file sources: ${sorted.join(', ') || 'none'}`);
      }
      o.sources.register(sourceName, input);
    },

    previewFeatureView: (viewName, previewOptions = {}) => engineJob('preview', undefined, false, async (o) => {
      const started = performance.now();
      const { rowCount, features, firstRows } = await o.store.previewFeatureView(viewName, previewOptions);
      const preview: FeatureViewPreview = { view: viewName, rowCount, features: [...features], firstRows: arrowResult(firstRows, started) };
      return transfer(preview, [preview.firstRows.ipc.buffer as ArrayBuffer]);
    }),

    getHistoricalFeatures: (request, work) => engineJob('historical retrieval', work, true, async (o) => {
      const started = performance.now();
      const table = await o.store.getHistoricalFeatures(await historicalRequest(request, o)).toArrow();
      throwIfAborted(work?.signal, 'historical retrieval');
      const result = arrowResult(table, started);
      return transfer(result, [result.ipc.buffer as ArrayBuffer]);
    }),

    exportHistoricalFeatures: (request, format, work) => engineJob('historical export', work, true, async (o) => {
      const job = o.store.getHistoricalFeatures(await historicalRequest(request, o));
      const bytes = format === 'parquet' ? await job.toParquet() : await job.toCSV();
      return transfer(bytes, [bytes.buffer as ArrayBuffer]);
    }),

    saveDataset: (request, name, saveOptions = {}) => engineJob('save dataset', undefined, false, async (o) =>
      o.store.getHistoricalFeatures(await historicalRequest(request, o)).persist(name, { ...saveOptions, tags: saveOptions.tags ? { ...saveOptions.tags } : undefined })),

    readSavedDataset: (name) => engineJob('read saved dataset', undefined, false, async (o) => {
      const started = performance.now();
      const result = arrowResult(await o.store.readSavedDataset(name), started);
      return transfer(result, [result.ipc.buffer as ArrayBuffer]);
    }),

    materialize: (materializeOptions, work) => engineJob('materialize', work, false, (o) =>
      o.store.materialize({ ...materializeOptions, ...materializeProgress(work) })),

    materializeIncremental: (materializeOptions, work) => engineJob('materialize-incremental', work, false, (o) =>
      o.store.materializeIncremental({ ...materializeOptions, ...materializeProgress(work) })),

    async getOnlineFeatures(request) {
      const started = performance.now();
      const response = await current().store.getOnlineFeatures({ ...request, entityRows: request.entityRows as Record<string, unknown>[] });
      return { response: response.toWire(), lookupMs: performance.now() - started };
    },

    // Offline writes encode Parquet with the engine: they wait their turn like every engine job.
    // Only an explicit 'online' skips the engine: with no `to`, a push to a stream view's source also lands offline.
    push: (pushSourceName, rows, pushOptions = {}) => pushOptions.to === 'online'
      ? current().store.push(pushSourceName, rows as Record<string, unknown>[], pushOptions)
      : engineJob('push', undefined, false, (o) => o.store.push(pushSourceName, rows as Record<string, unknown>[], pushOptions)),

    writeToOnlineStore: (viewName, rows) => current().store.writeToOnlineStore(viewName, rows as Record<string, unknown>[]),

    ingest: (viewName, events, ingestOptions = {}, work) => engineJob(`ingest ${viewName}`, work, false, (o) => {
      const batchSize = ingestOptions.batchSize ?? 10_000;
      // The store reads events lazily: checking the signal as each batch is drawn stops between batches.
      const signal = work?.signal;
      function* drawn() {
        for (let i = 0; i < events.length; i++) {
          if (i % batchSize === 0) throwIfAborted(signal, `ingest ${viewName}`);
          yield events[i] as Record<string, unknown>;
        }
      }
      return o.store.ingest(viewName, drawn(), { batchSize, onProgress: (r) => work?.onProgress?.({ step: `ingest ${viewName}`, done: r.events, total: events.length }) });
    }),

    async close() {
      await jobs;
      await closeOpened();
      const running = duckdb;
      duckdb = undefined;
      observed = undefined;
      if (running) await (await running).engine.close();
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
 * hostFeatureStore({ definitions: repo, assets: { duckdbWasm, duckdbWorker, parquetWasm } });
 */
export function hostFeatureStore(options: HostFeatureStoreOptions): void {
  registerLongWorkTransfer();
  expose(createFeatureStoreHost(options));
}
