import type { Table } from 'apache-arrow';
import type {
  DataSource, Entity, FeastObject, FeatureService, FeatureView, FileSource, OnDemandFeatureView, StreamFeatureView,
} from '../definitions/index.js';
import type { HistoricalResult, SourceData } from '../offline/historical-retrieval.js';
import { urlSourceLoader, type SourceLoader } from '../offline/source-loader.js';
import type { SqlEngine } from '../offline/sql-engine.js';
import { microsToIso } from '../offline/timestamp.js';
import type { RegistryDocument, SavedDataset, StoredOnDemandFeatureView, StoredStreamFeatureView } from '../registry/document.js';
import { planRetrieval, type RetrievalPlan } from '../offline/retrieval-plan.js';
import { Registry } from '../registry/registry.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { MemoryOnlineStore } from '../online/memory-online-store.js';
import type { OnlineStore } from '../online/online-store.js';
import type { OnlineResponse } from '../online/online-response.js';
import { MemoryDatasetStorage, type DatasetStorage } from './dataset-storage.js';
import type { MaterializeContext, MaterializeIncrementalOptions, MaterializeOptions } from './materialize.js';
import { toOnlineBatch } from './online-write.js';
import type { OfflineWriteContext } from './offline-write.js';
import { MemoryOfflineAppends, type OfflineAppendStorage } from '../offline/offline-appends.js';
import type { OnlineEntityRows } from '../online/entity-rows.js';
import { FeastEdgeError } from '../definitions/errors.js';
import { retrieveOnline, type OnlineFeaturesRequest } from './online-retrieval.js';
import type { ApplyOptions, HistoricalFeaturesRequest, RegistryDiff, RetrievalJob } from './types.js';
import { applyToTiles } from '../stream/ingest.js';
import { loadedStreamView } from '../stream/loaded-view.js';
import { checkStreamEvents, type StreamViewCode } from '../stream/stream-events.js';
import { ingestEvents, type EventSource, type IngestOptions, type IngestResult } from './stream-ingest.js';

/** What a push did: rows pushed, and for stream views, events applied online and late ones (written offline only). */
export interface PushResult {
  events: number;
  applied: number;
  late: number;
  lateByView: Record<string, number>;
}

/** The offline half, loaded on first use (see offline-operations.ts). */
const offline = () => import('./offline-operations.js');

export interface FeatureStoreOptions {
  project: string;
  registry: RegistryStore;
  /** Opens the SQL engine on first offline use (DuckDB native or WASM). */
  engine?: () => Promise<SqlEngine>;
  /** How file sources' paths are read in this runtime; default fetches http(s) URLs. */
  sources?: SourceLoader;
  /** Where saved datasets' rows go; default memory. */
  datasets?: DatasetStorage;
  /** Where rows written to the offline store (push, writeToOfflineStore) go; default memory. */
  offlineAppends?: OfflineAppendStorage;
  /** The loaded definitions: on-demand transforms are code and come from here. */
  definitions?: readonly FeastObject[];
  /** Point-in-time plan: 'asof' (default) or 'window'. */
  joinStrategy?: 'asof' | 'window';
  /** Where the latest feature values are served from; default an in-memory store. */
  onlineStore?: OnlineStore;
  /** Online reads reuse a registry document read at most this long ago (ms); 0 (default) re-reads it each time. */
  registryCacheTtlMs?: number;
}

/**
 * The feature store: one object that applies definitions and retrieves features, the
 * same in every runtime.
 * @example
 * const store = createFeatureStore({ project: 'demo', registry: new MemoryRegistryStore(), engine });
 * await store.apply([driver, driverStatsSource, driverStats]);
 * const rows = await store.getHistoricalFeatures({ entityDf, features: ['driver_hourly_stats:conv_rate'] }).toRows();
 */
export class FeatureStore {
  readonly project: string;
  readonly registry: Registry;
  readonly onlineStore: OnlineStore;
  readonly #options: FeatureStoreOptions;
  readonly #sourceData = new Map<string, SourceData>();
  readonly #onDemandCode = new Map<string, OnDemandFeatureView>();
  readonly #streamCode = new Map<string, StreamFeatureView>();
  readonly #datasets: DatasetStorage;
  readonly #appends: OfflineAppendStorage;
  #plans: { version: number; byRequest: Map<string, RetrievalPlan> } = { version: -1, byRequest: new Map() };
  #engine?: Promise<SqlEngine>;
  #registryCacheTtlMs: number;

  constructor(options: FeatureStoreOptions) {
    this.project = options.project;
    this.#options = options;
    this.registry = new Registry(options.registry, options.project);
    this.#datasets = options.datasets ?? new MemoryDatasetStorage();
    this.#appends = options.offlineAppends ?? new MemoryOfflineAppends();
    this.onlineStore = options.onlineStore ?? new MemoryOnlineStore();
    this.#rememberCode(options.definitions ?? []);
    this.#registryCacheTtlMs = options.registryCacheTtlMs ?? 0;
  }

  /** Registers or updates objects; omitted objects stay unless named in `delete` (Feast's partial apply). */
  async apply(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    this.#rememberCode(objects);
    return this.registry.apply(objects, options);
  }

  /** What `apply` would change, without writing. */
  plan(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    return this.registry.plan(objects, options);
  }

  /** Removes the project's registry. */
  teardown(): Promise<void> {
    return this.registry.teardown();
  }

  registryDocument(): Promise<RegistryDocument> { return this.registry.document(); }
  listEntities(): Promise<Entity[]> { return this.registry.listEntities(); }
  listDataSources(): Promise<DataSource[]> { return this.registry.listDataSources(); }
  listFeatureViews(): Promise<FeatureView[]> { return this.registry.listFeatureViews(); }
  listOnDemandFeatureViews(): Promise<StoredOnDemandFeatureView[]> { return this.registry.listOnDemandFeatureViews(); }
  listStreamFeatureViews(): Promise<StoredStreamFeatureView[]> { return this.registry.listStreamFeatureViews(); }
  listFeatureServices(): Promise<FeatureService[]> { return this.registry.listFeatureServices(); }
  listSavedDatasets(): Promise<SavedDataset[]> { return this.registry.listSavedDatasets(); }
  getEntity(name: string): Promise<Entity> { return this.registry.getEntity(name); }
  getDataSource(name: string): Promise<DataSource> { return this.registry.getDataSource(name); }
  getFeatureView(name: string): Promise<FeatureView> { return this.registry.getFeatureView(name); }
  getOnDemandFeatureView(name: string): Promise<StoredOnDemandFeatureView> { return this.registry.getOnDemandFeatureView(name); }
  getStreamFeatureView(name: string): Promise<StoredStreamFeatureView> { return this.registry.getStreamFeatureView(name); }
  getFeatureService(name: string): Promise<FeatureService> { return this.registry.getFeatureService(name); }
  getSavedDataset(name: string): Promise<SavedDataset> { return this.registry.getSavedDataset(name); }

  /** Supplies a file source's rows (Arrow, or Parquet/CSV bytes) instead of reading its path. */
  registerSourceData(sourceName: string, data: SourceData): void {
    this.#sourceData.set(sourceName, data);
  }

  /**
   * Builds a point-in-time correct training set. Lazy: the join runs on the job's first accessor.
   * @example await store.getHistoricalFeatures({ entityDf: [{ driver_id: 1001, event_timestamp: '2021-04-12T10:59:42Z' }],
   *   features: ['driver_hourly_stats:conv_rate'] }).toArrow()
   */
  getHistoricalFeatures(request: HistoricalFeaturesRequest): RetrievalJob {
    let result: Promise<HistoricalResult> | undefined;
    const run = () => (result ??= (async () => {
      const [engine, document, { retrieveHistorical }] = await Promise.all([this.engine(), this.registry.document(), offline()]);
      return retrieveHistorical({
        engine, document, sources: this.#sources(), sourceData: this.#sourceData,
        onDemandCode: this.#onDemandCode, streamCode: this.#streamCode, strategy: this.#options.joinStrategy,
      }, request);
    })());
    const job = offline().then(({ HistoricalRetrievalJob }) => new HistoricalRetrievalJob(async () => (await run()).table, {
      engine: () => this.engine(),
      persist: async (name, _table, options) => this.#persist(name, await run(), request, options),
    }));
    job.catch(() => undefined);
    return {
      toArrow: async () => (await job).toArrow(),
      toRows: async () => (await job).toRows(),
      toCSV: async () => (await job).toCSV(),
      toParquet: async () => (await job).toParquet(),
      persist: async (name, options) => (await job).persist(name, options),
    };
  }

  /**
   * The latest values for each entity row, with Feast's statuses (PRESENT, NULL_VALUE,
   * NOT_FOUND, OUTSIDE_MAX_AGE: the view's ttl is enforced at read time).
   * @example (await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'],
   *   entityRows: [{ driver_id: 1001 }] })).toDict()
   */
  async getOnlineFeatures(request: OnlineFeaturesRequest): Promise<OnlineResponse> {
    const document = await this.registry.document({ maxAgeMs: this.#registryCacheTtlMs });
    return retrieveOnline({ document, store: this.onlineStore, onDemandCode: this.#onDemandCode, plan: this.#readPlan(document, request) }, request);
  }

  /**
   * How long online reads reuse a registry document before checking its version again
   * (a server's registry_ttl_sec); 0 re-reads it every time.
   */
  setRegistryCacheTtl(ms: number): void {
    this.#registryCacheTtlMs = ms;
  }

  /** Resolved plans are kept per registry version: an apply (a new version) drops them all. */
  #readPlan(document: RegistryDocument, request: OnlineFeaturesRequest): RetrievalPlan {
    if (this.#plans.version !== document.version) this.#plans = { version: document.version, byRequest: new Map() };
    const service = request.featureService;
    // Feature references hold no NUL, so joining on it keys the list without JSON's quoting.
    const key = `${request.fullFeatureNames ? 1 : 0}\u0000${typeof service === 'object' ? `service:${service.name}` : service !== undefined ? `service:${service}` : `features:${(request.features ?? []).join('\u0000')}`}`;
    let plan = this.#plans.byRequest.get(key);
    if (!plan) {
      plan = planRetrieval(document, request, this.#onDemandCode);
      // A bounded cache: requests with ad-hoc feature lists must not grow it without limit.
      if (this.#plans.byRequest.size >= 1000) this.#plans.byRequest.clear();
      this.#plans.byRequest.set(key, plan);
    }
    return plan;
  }

  /** Loads the latest row per entity key with start <= event time <= end into the online store. */
  async materialize(options: MaterializeOptions): Promise<{ view: string; rows: number }[]> {
    const { materializeViews } = await offline();
    return materializeViews(await this.#materializeContext(), options);
  }

  /** Materializes each view from the end of its last interval (first run: end - ttl) to `end`. */
  async materializeIncremental(options: MaterializeIncrementalOptions): Promise<{ view: string; rows: number }[]> {
    const { materializeIncrementalViews } = await offline();
    return materializeIncrementalViews(await this.#materializeContext(), options);
  }

  async #materializeContext(): Promise<MaterializeContext> {
    return {
      engine: await this.engine(), registry: this.registry, onlineStore: this.onlineStore,
      sources: this.#sources(), sourceData: this.#sourceData,
    };
  }

  /**
   * Writes rows (objects or columns) of one view to the online store. Every row is
   * checked first; a bad row refuses the whole write, naming the column and row.
   */
  async writeToOnlineStore(viewName: string, rows: OnlineEntityRows): Promise<{ written: number; skipped: number }> {
    const view = await this.registry.getFeatureView(viewName);
    return this.onlineStore.write(this.project, toOnlineBatch(view, rows));
  }

  /**
   * Appends rows (objects or columns) of one view to its batch source, where later
   * historical retrieval and materialization read them. Every row is checked first (the
   * view's join keys, timestamp and features, each value of its feature's type); a bad
   * row refuses the whole write, naming the column and row.
   */
  async writeToOfflineStore(viewName: string, rows: OnlineEntityRows): Promise<void> {
    const view = await this.registry.getFeatureView(viewName);
    const { offlinePart } = await offline();
    const part = await offlinePart(await this.#offlineContext(), view.batchSource, [{ view, rows }]);
    await this.#appends.append(view.batchSource, part);
  }

  /**
   * Pushes rows to every view reading push source `pushSourceName` (Feast's push):
   * `to` 'online' writes the online store, 'offline' appends to the push source's batch
   * source, 'online_and_offline' both. The default is 'online', or 'online_and_offline'
   * when a stream view reads the source, so its history exists for training; an explicit
   * 'online' skips the offline append for stream views too. Everything is checked before
   * anything is written, so a bad push writes nothing anywhere.
   */
  async push(pushSourceName: string, rows: OnlineEntityRows, options: { to?: 'online' | 'offline' | 'online_and_offline' } = {}): Promise<PushResult> {
    if (options.to !== undefined && !['online', 'offline', 'online_and_offline'].includes(options.to)) {
      throw new FeastEdgeError('ValueError', `push: to must be 'online', 'offline' or 'online_and_offline', got ${JSON.stringify(options.to)}`);
    }
    const document = await this.registry.document();
    const views = Object.values(document.featureViews).map((v) => v.spec).filter((v) => v.streamSource?.name === pushSourceName);
    const streams = Object.values(document.streamFeatureViews ?? {}).map((v) => v.spec).filter((v) => v.source.name === pushSourceName)
      .map((v) => loadedStreamView(v, this.#streamCode));
    if (views.length === 0 && streams.length === 0) {
      const sources = Object.values(document.dataSources).map((s) => s.spec).filter((s) => s.kind === 'pushSource').map((s) => s.name);
      throw new FeastEdgeError('PushSourceNotFoundException', `no feature view reads push source '${pushSourceName}'; push sources: ${sources.join(', ') || 'none'}`);
    }
    const to = options.to ?? (streams.length > 0 ? 'online_and_offline' : 'online');
    // Views sharing a push source may read different columns: each takes the ones it knows.
    const batches = to === 'offline' ? [] : views.map((view) => toOnlineBatch(view, rows, { allowExtraColumns: true }));
    const checkedStreams = streams.map((view) => ({ view, checked: checkStreamEvents(view, rows, { allowExtraColumns: true }) }));
    const parts: { source: FileSource; part: Uint8Array }[] = [];
    if (to !== 'online') {
      // Views of one push share its batch source: one part holds the rows for all of them.
      const source = views[0]?.batchSource ?? streams[0].batchSource;
      const writes = [
        ...views.map((view) => ({ view, rows, allowExtraColumns: true })),
        ...checkedStreams.map(({ checked }) => ({ view: checked.offlineView, rows, allowExtraColumns: true })),
      ];
      const { offlinePart } = await offline();
      parts.push({ source, part: await offlinePart(await this.#offlineContext(), source, writes) });
    }
    for (const { source, part } of parts) await this.#appends.append(source, part);
    for (const batch of batches) await this.onlineStore.write(this.project, batch);
    const result: PushResult = { events: checkedStreams[0]?.checked.count ?? batches[0]?.keys.length ?? 0, applied: 0, late: 0, lateByView: {} };
    if (to !== 'offline') {
      for (const { view, checked } of checkedStreams) {
        const counts = await applyToTiles(this.onlineStore, this.project, view, checked);
        result.applied += counts.applied;
        result.late += counts.late;
        result.lateByView[view.name] = counts.late;
      }
    }
    return result;
  }

  /**
   * Feeds events to a stream view: in batches of `batchSize` (default 10,000), each
   * checked whole, appended to the push source's batch source as one Parquet part, then
   * applied to the online tiles. Late events (older than their entity's newest event by
   * more than the view's allowed lateness) are written offline, not applied online, and
   * counted in the result. Single writer per view.
   * @example await store.ingest('driver_trips', [{ driver_id: 1, event_timestamp: new Date(), fare: 12.5 }])
   */
  async ingest(viewName: string, events: EventSource, options: IngestOptions = {}): Promise<IngestResult> {
    const view = loadedStreamView(await this.registry.getStreamFeatureView(viewName), this.#streamCode);
    return ingestEvents({
      project: this.project, onlineStore: this.onlineStore,
      appendOffline: async (v: StreamViewCode, rows, checked) => {
        const { offlinePart } = await offline();
        const part = await offlinePart(await this.#offlineContext(), v.batchSource, [{ view: checked.offlineView, rows }]);
        await this.#appends.append(v.batchSource, part);
      },
    }, view, events, options);
  }

  async #offlineContext(): Promise<OfflineWriteContext> {
    return { engine: await this.engine(), sources: this.#sources(), sourceData: this.#sourceData };
  }

  /** The runtime's source loader, reading each source together with the parts appended to it. */
  #sources(): SourceLoader {
    const base = this.#options.sources ?? urlSourceLoader;
    return { load: (engine, view, source, columns) => base.load(engine, view, source, columns), parts: (source) => this.#appends.parts(source) };
  }

  /** The rows of a saved dataset, as persisted. */
  async readSavedDataset(name: string): Promise<Table> {
    const dataset = await this.registry.getSavedDataset(name);
    const engine = await this.engine();
    const view = `__saved_${name.replace(/\W/g, '_')}`;
    await engine.registerBytes(view, await this.#datasets.read(dataset.storage.path), 'parquet');
    try {
      return await engine.query(`SELECT * FROM "${view}"`);
    } finally {
      await engine.unregister(view);
    }
  }

  /** The SQL engine, opened once on first use. */
  engine(): Promise<SqlEngine> {
    if (!this.#options.engine) {
      return Promise.reject(new FeastEdgeError('NoSqlEngineError', 'this feature store has no SQL engine (historical retrieval, materialization and offline writes need one); pass engine to createFeatureStore'));
    }
    return (this.#engine ??= this.#options.engine());
  }

  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    if (engine) await (await engine).close();
    await this.onlineStore.close();
  }

  #rememberCode(objects: readonly FeastObject[]): void {
    for (const o of objects) {
      if (o.kind === 'onDemandFeatureView') this.#onDemandCode.set(o.name, o);
      if (o.kind === 'streamFeatureView') this.#streamCode.set(o.name, o);
    }
  }

  async #persist(
    name: string, result: HistoricalResult, request: HistoricalFeaturesRequest,
    options: { tags?: Record<string, string>; allowOverwrite?: boolean },
  ): Promise<SavedDataset> {
    const { table } = result;
    const { exportTable } = await offline();
    const bytes = await exportTable(await this.engine(), table, 'parquet');
    const path = await this.#datasets.write(name, bytes);
    const timestamps = table.getChild(result.timestampColumn);
    let min: bigint | undefined;
    let max: bigint | undefined;
    if (timestamps && String(timestamps.type).startsWith('Timestamp')) {
      for (const chunk of timestamps.data) {
        const values = chunk.values as unknown as BigInt64Array;
        for (let i = 0; i < chunk.length; i++) {
          if (!chunk.getValid(i)) continue;
          const v = values[i];
          if (min === undefined || v < min) min = v;
          if (max === undefined || v > max) max = v;
        }
      }
    }
    const service = request.featureService;
    const dataset: SavedDataset = {
      kind: 'savedDataset', name,
      features: [...result.featureRefs],
      joinKeys: [...result.joinKeys],
      fullFeatureNames: request.fullFeatureNames ?? false,
      ...(service ? { featureServiceName: typeof service === 'string' ? service : service.name } : {}),
      storage: { format: 'parquet', path },
      rowCount: table.numRows,
      ...(min !== undefined ? { minEventTimestamp: microsToIso(min) } : {}),
      ...(max !== undefined ? { maxEventTimestamp: microsToIso(max) } : {}),
      ...(options.tags ? { tags: { ...options.tags } } : {}),
    };
    await this.registry.saveDataset(dataset, { allowOverwrite: options.allowOverwrite ?? false });
    return dataset;
  }
}

/** Creates a feature store over a registry store and, for offline work, a SQL engine. */
export function createFeatureStore(options: FeatureStoreOptions): FeatureStore {
  return new FeatureStore(options);
}
