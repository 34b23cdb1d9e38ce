import { InvalidDefinitionError } from '../errors.js';
import type { DataSource, Entity, FeastObject, FeatureService, FeatureView } from '../definitions/index.js';
import { assertName, deepFreeze } from '../definitions/validate.js';
import type { ApplyOptions, RegistryDiff } from './apply-types.js';
import { mergeDocument, prepareApply } from './diff.js';
import {
  entryOf,
  type MaterializationInterval,
  type RegistryDocument,
  type SavedDataset,
  type StoredOnDemandFeatureView,
  type StoredStreamFeatureView,
} from './document.js';
import {
  DataSourceObjectNotFoundException,
  EntityNotFoundException,
  FeatureServiceNotFoundException,
  FeatureViewNotFoundException,
  OnDemandFeatureViewNotFoundException,
  ProjectNotFoundException,
  RegistryReadOnlyError,
  RegistryVersionConflictError,
  SavedDatasetExistsError,
  SavedDatasetNotFound,
  StreamFeatureViewNotFoundException,
  type FeastObjectNotFoundException,
} from '../errors.js';
import type { RegistryStore } from './registry-store.js';
import { validateRegistry } from './validate-objects.js';

export interface RegistryOptions {
  /** Attempts of one change when other writers keep winning the version check; default 10. */
  maxAttempts?: number;
}

export interface ReadOptions {
  /** Serve a document read at most this many ms ago (Feast's registry cache ttl); 0 (default) reads the store. */
  maxAgeMs?: number;
}

type ObjectCollection = 'entities' | 'dataSources' | 'featureViews' | 'onDemandFeatureViews' | 'streamFeatureViews' | 'featureServices' | 'savedDatasets';
type SpecOf<K extends ObjectCollection> = NonNullable<RegistryDocument[K]>[string]['spec'];
type NotFound = new (name: string, project: string, existing: readonly string[]) => FeastObjectNotFoundException;
type Change<R> = (current: RegistryDocument | undefined, now: string) => { next?: RegistryDocument; result: R };

/**
 * One project's registry over a store. Every change is read-modify-write with an
 * optimistic version check; on a conflict it re-reads and re-applies the same change
 * (changes are merges), so concurrent writers never lose each other's updates.
 * Documents handed out are frozen: they may be cached and shared.
 * @example
 * const registry = new Registry(new MemoryRegistryStore(), 'driver_ranking');
 * await registry.apply([driver, driverStatsSource, driverStats]);
 * const view = await registry.getFeatureView('driver_hourly_stats');
 */
export class Registry {
  readonly store: RegistryStore;
  readonly project: string;
  readonly #maxAttempts: number;
  #cache?: { doc: RegistryDocument; at: number };
  #reading?: Promise<RegistryDocument | undefined>;

  constructor(store: RegistryStore, project: string, options: RegistryOptions = {}) {
    assertName(project, 'Registry project');
    this.store = store;
    this.project = project;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 10);
  }

  /**
   * Registers or updates objects; omitted objects stay, objects named in `delete` go
   * (Feast's partial apply). Returns what changed; an identical object is left untouched.
   */
  async apply(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    const prepared = await prepareApply(objects, options.delete ?? []);
    return this.#mutate((current, now) => {
      const { next, diff } = mergeDocument(current, this.project, prepared, now);
      if (next === current) return { result: diff };
      validateRegistry(next);
      return { next, result: diff };
    });
  }

  /** What `apply` would change, validated the same way, without writing. */
  async plan(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    const prepared = await prepareApply(objects, options.delete ?? []);
    const current = await this.store.read(this.project);
    const { next, diff } = mergeDocument(current, this.project, prepared, new Date().toISOString());
    if (next !== current) validateRegistry(next);
    return diff;
  }

  /** Deletes the project's whole registry document. */
  async teardown(): Promise<void> {
    this.#assertWritable();
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.read(this.project);
      if (!current) break;
      try {
        await this.store.delete(this.project, current.version);
        break;
      } catch (error) {
        await this.#afterConflict(error, attempt);
      }
    }
    this.#cache = undefined;
  }

  /** The project's document; `maxAgeMs` > 0 may serve a cached copy up to that age. */
  async document(options: ReadOptions = {}): Promise<RegistryDocument> {
    const maxAge = options.maxAgeMs ?? 0;
    const cached = this.#cache;
    if (maxAge > 0 && cached && Date.now() - cached.at <= maxAge) return cached.doc;
    // Callers content with a cached copy may share one read; a 0 ttl always starts its own.
    const doc =
      maxAge > 0
        ? await (this.#reading ??= this.#read().finally(() => {
            this.#reading = undefined;
          }))
        : await this.#read();
    if (!doc) throw new ProjectNotFoundException(this.project, await this.store.listProjects().catch(() => []));
    return doc;
  }

  /** The stored version: 0 when the project was never applied. */
  async version(): Promise<number> {
    return (await this.store.read(this.project))?.version ?? 0;
  }

  listEntities(o?: ReadOptions): Promise<Entity[]> {
    return this.#list('entities', o);
  }
  listDataSources(o?: ReadOptions): Promise<DataSource[]> {
    return this.#list('dataSources', o);
  }
  listFeatureViews(o?: ReadOptions): Promise<FeatureView[]> {
    return this.#list('featureViews', o);
  }
  listOnDemandFeatureViews(o?: ReadOptions): Promise<StoredOnDemandFeatureView[]> {
    return this.#list('onDemandFeatureViews', o);
  }
  /** Stored stream views: `transformSource` and `transformHash`, no functions (they live in the definitions). */
  listStreamFeatureViews(o?: ReadOptions): Promise<StoredStreamFeatureView[]> {
    return this.#list('streamFeatureViews', o);
  }
  listFeatureServices(o?: ReadOptions): Promise<FeatureService[]> {
    return this.#list('featureServices', o);
  }
  listSavedDatasets(o?: ReadOptions): Promise<SavedDataset[]> {
    return this.#list('savedDatasets', o);
  }

  getEntity(name: string, o?: ReadOptions): Promise<Entity> {
    return this.#get('entities', name, EntityNotFoundException, o);
  }
  getDataSource(name: string, o?: ReadOptions): Promise<DataSource> {
    return this.#get('dataSources', name, DataSourceObjectNotFoundException, o);
  }
  getFeatureView(name: string, o?: ReadOptions): Promise<FeatureView> {
    return this.#get('featureViews', name, FeatureViewNotFoundException, o);
  }
  /** The stored on-demand view: `transformSource` and `transformHash`, no functions (they live in the definitions). */
  getOnDemandFeatureView(name: string, o?: ReadOptions): Promise<StoredOnDemandFeatureView> {
    return this.#get('onDemandFeatureViews', name, OnDemandFeatureViewNotFoundException, o);
  }
  getStreamFeatureView(name: string, o?: ReadOptions): Promise<StoredStreamFeatureView> {
    return this.#get('streamFeatureViews', name, StreamFeatureViewNotFoundException, o);
  }
  getFeatureService(name: string, o?: ReadOptions): Promise<FeatureService> {
    return this.#get('featureServices', name, FeatureServiceNotFoundException, o);
  }
  getSavedDataset(name: string, o?: ReadOptions): Promise<SavedDataset> {
    return this.#get('savedDatasets', name, SavedDatasetNotFound, o);
  }

  async #list<K extends ObjectCollection>(collection: K, options?: ReadOptions): Promise<SpecOf<K>[]> {
    const objects = ((await this.document(options))[collection] ?? {}) as Record<string, { spec: SpecOf<K> }>;
    return Object.values(objects).map((s) => s.spec);
  }

  async #get<K extends ObjectCollection>(collection: K, name: string, notFound: NotFound, options?: ReadOptions): Promise<SpecOf<K>> {
    const objects = ((await this.document(options))[collection] ?? {}) as Record<string, { spec: SpecOf<K> }>;
    const found = entryOf(objects, name);
    if (!found) throw new notFound(name, this.project, Object.keys(objects));
    return found.spec;
  }

  /** Records a saved dataset; an existing name is replaced only with `allowOverwrite`. */
  async saveDataset(dataset: SavedDataset, options: { allowOverwrite?: boolean } = {}): Promise<void> {
    assertName(dataset?.name, 'savedDataset.name');
    if (dataset.kind !== 'savedDataset') throw new InvalidDefinitionError(`savedDataset '${dataset.name}'.kind: expected 'savedDataset'`);
    const spec = JSON.parse(JSON.stringify(dataset)) as SavedDataset;
    await this.#mutate((current, now) => {
      if (!current) throw new ProjectNotFoundException(this.project);
      const existing = entryOf(current.savedDatasets, dataset.name);
      if (existing && !options.allowOverwrite) throw new SavedDatasetExistsError(dataset.name);
      const stored = { spec, createdAt: existing?.createdAt ?? now, lastUpdatedAt: now };
      return { next: { ...current, savedDatasets: { ...current.savedDatasets, [dataset.name]: stored } }, result: undefined };
    });
  }

  async deleteSavedDataset(name: string): Promise<void> {
    await this.#mutate((current) => {
      if (!current) throw new ProjectNotFoundException(this.project);
      if (!entryOf(current.savedDatasets, name)) throw new SavedDatasetNotFound(name, this.project, Object.keys(current.savedDatasets));
      const { [name]: _gone, ...rest } = current.savedDatasets;
      return { next: { ...current, savedDatasets: rest }, result: undefined };
    });
  }

  /** Records a materialized interval of a view (Feast's apply_materialization); bounds are ISO 8601, both inclusive. */
  async addMaterializationInterval(viewName: string, interval: MaterializationInterval): Promise<void> {
    const start = Date.parse(interval?.start);
    const end = Date.parse(interval?.end);
    if (Number.isNaN(start) || Number.isNaN(end) || start > end) {
      throw new InvalidDefinitionError(`materialization interval of '${viewName}': expected ISO 8601 start <= end, got ${JSON.stringify(interval)}`);
    }
    const recorded = { start: interval.start, end: interval.end };
    await this.#mutate((current, now) => {
      const view = current ? entryOf(current.featureViews, viewName) : undefined;
      if (!current || !view) throw new FeatureViewNotFoundException(viewName, this.project, Object.keys(current?.featureViews ?? {}));
      const updated = { ...view, lastUpdatedAt: now, materializationIntervals: [...view.materializationIntervals, recorded] };
      return { next: { ...current, featureViews: { ...current.featureViews, [viewName]: updated } }, result: undefined };
    });
  }

  async #read(): Promise<RegistryDocument | undefined> {
    const doc = await this.store.read(this.project);
    this.#cache = doc ? { doc: deepFreeze(doc), at: Date.now() } : undefined;
    return doc;
  }

  /** Read, change, write with the version check; on a conflict, the same change again on a fresh read. */
  async #mutate<R>(change: Change<R>): Promise<R> {
    this.#assertWritable();
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.read(this.project);
      const now = new Date().toISOString();
      const { next, result } = change(current, now);
      if (!next) return result;
      const version = current?.version ?? 0;
      const doc: RegistryDocument = { ...next, version: version + 1, lastUpdatedAt: now };
      try {
        await this.store.write(doc, version);
        this.#cache = { doc: deepFreeze(doc), at: Date.now() };
        return result;
      } catch (error) {
        await this.#afterConflict(error, attempt);
      }
    }
  }

  /** Rethrows anything but a conflict (or the last one); else waits a random, growing while. */
  async #afterConflict(error: unknown, attempt: number): Promise<void> {
    if (!(error instanceof RegistryVersionConflictError) || attempt >= this.#maxAttempts) throw error;
    // Jitter desynchronizes writers that collided; the cap keeps the worst wait short.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
  }

  #assertWritable(): void {
    if (this.store.readOnly) throw new RegistryReadOnlyError(this.project);
  }
}
