import type { Table } from 'apache-arrow';
import type { DataSource, Entity, FeastObject, FeatureService, FeatureView, OnDemandFeatureView, StreamFeatureView } from '../definitions/index.js';
import { transformAsViewCode } from '../definitions/on-demand-transform.js';
import { OfflineStoreUnavailableError } from '../errors.js';
import type { RegistryDocument, SavedDataset, StoredOnDemandFeatureView, StoredStreamFeatureView } from '../registry/document.js';
import { planRetrieval, type RetrievalPlan } from '../retrieval/retrieval-plan.js';
import { Registry } from '../registry/registry.js';
import type { ApplyOptions, RegistryDiff } from '../registry/apply-types.js';
import { MemoryOnlineStore } from '../online/memory-online-store.js';
import type { OnlineStore } from '../online/online-store.js';
import type { OnlineResponse } from '../online/online-response.js';
import { toOnlineBatch } from '../online/online-write.js';
import type { OnlineEntityRows } from '../online/entity-rows.js';
import type { FeatureViewPreview, OfflineStore } from '../offline/offline-store.js';
import type { SourceData } from '../sql/load-source.js';
import type { HistoricalFeaturesRequest, RetrievalJob } from '../retrieval/types.js';
import { loadedStreamView } from '../stream/loaded-view.js';
import type { StreamViewCode } from '../stream/stream-events.js';
import { ingestEvents, type EventSource, type IngestOptions, type IngestResult } from '../stream/stream-ingest.js';
import {
  materializeIncrementalViews,
  materializeViews,
  type MaterializeContext,
  type MaterializeIncrementalOptions,
  type MaterializeOptions,
} from './materialize.js';
import type { DefinitionsOf, FeatureSelection, ResponseRow, SelectionKeys } from './feature-refs.js';
import { retrieveOnline, type OnlineFeaturesRequest } from './online-retrieval.js';
import { pushRows, type PushResult } from './push.js';
import type { FeatureStoreOptions, OnlineReadOptions } from './feature-store-options.js';
import { RunningWork } from './running-work.js';
import { persistDataset } from './persist-dataset.js';

export type { PushResult } from './push.js';
export type { FeatureStoreOptions, OnlineReadOptions } from './feature-store-options.js';

/**
 * The feature store: one object that applies definitions and retrieves features, the
 * same in every runtime. `D` is the union of the definitions it was typed with (see
 * `createFeatureStore`); the default, `FeastObject`, accepts any reference.
 * @example
 * const store = createFeatureStore({ project: 'demo', registry: new MemoryRegistryStore(),
 *   offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }) });
 * await store.apply([driver, driverStatsSource, driverStats]);
 * const rows = await store.getHistoricalFeatures({ entityDf, features: ['driver_hourly_stats:conv_rate'] }).toRows();
 */
export class FeatureStore<D extends FeastObject = FeastObject> {
  readonly project: string;
  readonly registry: Registry;
  readonly onlineStore: OnlineStore;
  readonly #offlineStore?: OfflineStore;
  readonly #onDemandCode = new Map<string, OnDemandFeatureView>();
  readonly #streamCode = new Map<string, StreamFeatureView>();
  #plans: { version: number; byRequest: Map<string, RetrievalPlan> } = { version: -1, byRequest: new Map() };
  readonly #registryCacheTtlMs: number;
  /** Materializations in progress: close() stops them between batches and waits for them. */
  readonly #running = new RunningWork();

  constructor(options: FeatureStoreOptions) {
    this.project = options.project;
    this.#offlineStore = options.offlineStore;
    this.registry = new Registry(options.registry, options.project);
    this.onlineStore = options.onlineStore ?? new MemoryOnlineStore();
    this.#rememberCode(options.definitions ?? []);
    for (const supplied of options.onDemandTransforms ?? []) this.#onDemandCode.set(supplied.name, transformAsViewCode(supplied));
    this.#registryCacheTtlMs = options.registryCacheTtlMs ?? 0;
  }

  /** Registers or updates objects; omitted objects stay unless named in `delete` (Feast's partial apply). */
  async apply(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    this.#rememberCode(objects);
    if (options.checkSources) {
      await this.offline('apply with checkSources').checkSources(
        objects.filter((o): o is FeatureView => o.kind === 'featureView'),
        { skipMissingData: true },
      );
    }
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

  registryDocument(): Promise<RegistryDocument> {
    return this.registry.document();
  }
  listEntities(): Promise<Entity[]> {
    return this.registry.listEntities();
  }
  listDataSources(): Promise<DataSource[]> {
    return this.registry.listDataSources();
  }
  listFeatureViews(): Promise<FeatureView[]> {
    return this.registry.listFeatureViews();
  }
  listOnDemandFeatureViews(): Promise<StoredOnDemandFeatureView[]> {
    return this.registry.listOnDemandFeatureViews();
  }
  listStreamFeatureViews(): Promise<StoredStreamFeatureView[]> {
    return this.registry.listStreamFeatureViews();
  }
  listFeatureServices(): Promise<FeatureService[]> {
    return this.registry.listFeatureServices();
  }
  listSavedDatasets(): Promise<SavedDataset[]> {
    return this.registry.listSavedDatasets();
  }
  getEntity(name: string): Promise<Entity> {
    return this.registry.getEntity(name);
  }
  getDataSource(name: string): Promise<DataSource> {
    return this.registry.getDataSource(name);
  }
  getFeatureView(name: string): Promise<FeatureView> {
    return this.registry.getFeatureView(name);
  }
  getOnDemandFeatureView(name: string): Promise<StoredOnDemandFeatureView> {
    return this.registry.getOnDemandFeatureView(name);
  }
  getStreamFeatureView(name: string): Promise<StoredStreamFeatureView> {
    return this.registry.getStreamFeatureView(name);
  }
  getFeatureService(name: string): Promise<FeatureService> {
    return this.registry.getFeatureService(name);
  }
  getSavedDataset(name: string): Promise<SavedDataset> {
    return this.registry.getSavedDataset(name);
  }

  /** Supplies a file source's rows (Arrow, or Parquet/CSV bytes) instead of reading its path. */
  registerSourceData(sourceName: string, data: SourceData): void {
    this.offline('registerSourceData').registerSourceData(sourceName, data);
  }

  /**
   * Builds a point-in-time correct training set. Lazy: the join runs on the job's first accessor.
   * @example await store.getHistoricalFeatures({ entityDf: [{ driver_id: 1001, event_timestamp: '2021-04-12T10:59:42Z' }],
   *   features: ['driver_hourly_stats:conv_rate'] }).toArrow()
   */
  getHistoricalFeatures<const F extends readonly string[] = never, const S extends string | FeatureService = never, const Full extends boolean = false>(
    request: Omit<HistoricalFeaturesRequest, SelectionKeys> & FeatureSelection<D, F, S, Full>,
  ): RetrievalJob {
    let job: Promise<ReturnType<OfflineStore['getHistoricalFeatures']>> | undefined;
    // Lazy like Feast's: nothing runs (not even the registry read) until an accessor is called.
    const started = () =>
      (job ??= (async () =>
        this.offline('getHistoricalFeatures').getHistoricalFeatures(request, {
          document: await this.registry.document(),
          onDemandCode: this.#onDemandCode,
          streamCode: this.#streamCode,
        }))());
    return {
      toArrow: async () => (await started()).toArrow(),
      toRows: async () => (await started()).toRows(),
      toCSV: async () => (await started()).toCSV(),
      toParquet: async () => (await started()).toParquet(),
      persist: async (name, options = {}) =>
        persistDataset({ registry: this.registry, offlineStore: this.offline('persist') }, name, await (await started()).result(), request, options),
    };
  }

  /**
   * The latest values for each entity row, with Feast's statuses (PRESENT, NULL_VALUE,
   * NOT_FOUND, OUTSIDE_MAX_AGE: the view's ttl is enforced at read time).
   * A typed store (see `createFeatureStore`) checks literal `features` and
   * `featureService` at compile time and types the response's columns.
   * @example (await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'],
   *   entityRows: [{ driver_id: 1001 }] })).toDict()
   */
  async getOnlineFeatures<const F extends readonly string[] = never, const S extends string | FeatureService = never, const Full extends boolean = false>(
    request: Omit<OnlineFeaturesRequest, SelectionKeys> & FeatureSelection<D, F, S, Full>,
    options: OnlineReadOptions = {},
  ): Promise<OnlineResponse<ResponseRow<D, F, S, Full>>> {
    const document = await this.registry.document({ maxAgeMs: options.registryMaxAgeMs ?? this.#registryCacheTtlMs });
    const response = await retrieveOnline(
      { document, store: this.onlineStore, onDemandCode: this.#onDemandCode, plan: this.#readPlan(document, request) },
      request,
    );
    // The plan resolved the same references the types did: the columns are the typed ones.
    return response as OnlineResponse<ResponseRow<D, F, S, Full>>;
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
    return this.#materializing('materialize', (context) => materializeViews(context, options));
  }

  /** Materializes each view from the end of its last interval (first run: end - ttl) to `end`. */
  async materializeIncremental(options: MaterializeIncrementalOptions): Promise<{ view: string; rows: number }[]> {
    return this.#materializing('materializeIncremental', (context) => materializeIncrementalViews(context, options));
  }

  /** A materialization over this store's stores, tracked so that close() can stop it and wait for it. */
  #materializing<T>(operation: string, work: (context: MaterializeContext) => Promise<T>): Promise<T> {
    const offlineStore = this.offline(operation);
    return this.#running.run((closing) => work({ offlineStore, registry: this.registry, onlineStore: this.onlineStore, closing }));
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
    await this.offline('writeToOfflineStore').writeRows(view.batchSource, [{ view, rows }]);
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
    return pushRows(
      {
        project: this.project,
        registry: this.registry,
        onlineStore: this.onlineStore,
        streamCode: this.#streamCode,
        offline: (operation) => this.offline(operation),
      },
      pushSourceName,
      rows,
      options,
    );
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
    return ingestEvents(
      {
        project: this.project,
        onlineStore: this.onlineStore,
        appendOffline:
          options.to === 'online'
            ? async () => {}
            : (v: StreamViewCode, rows, checked) => this.offline('ingest').writeRows(v.batchSource, [{ view: checked.offlineView, rows }]),
      },
      view,
      events,
      options,
    );
  }

  /** The rows of a saved dataset, as persisted. */
  async readSavedDataset(name: string): Promise<Table> {
    const dataset = await this.registry.getSavedDataset(name);
    return this.offline('readSavedDataset').readDataset(dataset.storage.path);
  }

  /** Statistics and the first rows of a view's source (the browser demo's preview). */
  async previewFeatureView(viewName: string, options: { bins?: number; firstRows?: number } = {}): Promise<FeatureViewPreview> {
    const view = await this.registry.getFeatureView(viewName);
    return this.offline('previewFeatureView').previewFeatureView(view, options);
  }

  /** The offline store, or the error an online-only deployment answers with. */
  offline(operation: string): OfflineStore {
    if (!this.#offlineStore) throw new OfflineStoreUnavailableError(operation);
    return this.#offlineStore;
  }

  /**
   * Closes the offline and online stores. A materialization still running (an async one a
   * server started, say) is stopped at its next batch boundary first, as a cancel stops it
   * (batches written stay whole, its interval is not recorded), and waited for: no store is
   * closed under a run still writing to it.
   */
  async close(): Promise<void> {
    await this.#running.stop();
    await this.#offlineStore?.close();
    await this.onlineStore.close();
  }

  #rememberCode(objects: readonly FeastObject[]): void {
    for (const o of objects) {
      if (o.kind === 'onDemandFeatureView') this.#onDemandCode.set(o.name, o);
      if (o.kind === 'streamFeatureView') this.#streamCode.set(o.name, o);
    }
  }
}

/**
 * Creates a feature store over a registry store, an online store and, for offline work,
 * an offline store. Definitions given as a tuple (`definitions: [...] as const`) type the
 * store: `getOnlineFeatures` and `getHistoricalFeatures` then refuse, at compile time, a
 * literal `view:feature` reference or `featureService` name the definitions lack, and
 * `toDict()` / `toRows()` are typed with the output columns (join keys, request data and
 * features, `view__feature` with `fullFeatureNames: true`). The tuple is taken as the
 * whole repo. Any other list (`FeastObject[]`, a registry loaded from JSON, no
 * definitions) gives an untyped store, where references are plain strings; a typed store
 * still takes a `string[]` built at run time, answered as `Record<string, unknown>`.
 * @example
 * const store = createFeatureStore({ project: 'demo', registry, definitions: [driver, driverStats, driverActivity] as const });
 * const dict = (await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows: [{ driver_id: 1001 }] })).toDict();
 * dict.conv_rate; // (number | null)[]
 * store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rat'], entityRows }); // compile error
 */
export function createFeatureStore<T extends readonly FeastObject[] = readonly FeastObject[]>(options: FeatureStoreOptions<T>): FeatureStore<DefinitionsOf<T>> {
  return new FeatureStore<DefinitionsOf<T>>(options);
}
