import type { DataSource, Entity, FeastObject, FeatureService, FeatureView } from '../definitions/index.js';
import type { ApplyOptions, RegistryDiff } from '../store/types.js';
import type { MaterializationInterval, RegistryDocument, SavedDataset, StoredOnDemandFeatureView } from './document.js';
import {
  dataSourceNotFound, entityNotFound, featureServiceNotFound, featureViewNotFound, onDemandFeatureViewNotFound,
  ProjectNotFoundException, RegistryVersionConflictError, SavedDatasetExistsError, savedDatasetNotFound,
} from './errors.js';
import { mergeObjects } from './merge.js';
import type { RegistryStore } from './registry-store.js';

const MAX_ATTEMPTS = 8;

type Collection = 'entities' | 'dataSources' | 'featureViews' | 'onDemandFeatureViews' | 'featureServices' | 'savedDatasets';

/**
 * One project's registry over a store. Every change is read-modify-write with an
 * optimistic version check; on a conflict it re-reads and re-applies the same change
 * (changes are merges), so concurrent writers never lose each other's updates.
 */
export class Registry {
  readonly store: RegistryStore;
  readonly project: string;
  #cache?: { doc: RegistryDocument; at: number };

  constructor(store: RegistryStore, project: string) {
    this.store = store;
    this.project = project;
  }

  async apply(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    let diff!: RegistryDiff;
    await this.#mutate(async (current, now) => {
      const merged = await mergeObjects(current, this.project, objects, options.delete ?? [], now);
      diff = merged.diff;
      const changed = diff.added.length + diff.changed.length + diff.removed.length > 0;
      return changed || !current ? merged.next : undefined;
    });
    return diff;
  }

  /** The diff `apply` would make, without writing. */
  async plan(objects: readonly FeastObject[], options: ApplyOptions = {}): Promise<RegistryDiff> {
    const current = await this.store.read(this.project);
    return (await mergeObjects(current, this.project, objects, options.delete ?? [], new Date().toISOString())).diff;
  }

  async teardown(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.read(this.project);
      if (!current) return;
      try {
        await this.store.delete(this.project, current.version);
        this.#cache = undefined;
        return;
      } catch (error) {
        if (!(error instanceof RegistryVersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The project's document; `maxAgeMs` > 0 serves a cached copy up to that age. */
  async document(options: { maxAgeMs?: number } = {}): Promise<RegistryDocument> {
    const maxAge = options.maxAgeMs ?? 0;
    if (maxAge > 0 && this.#cache && Date.now() - this.#cache.at <= maxAge) return this.#cache.doc;
    const doc = await this.store.read(this.project);
    if (!doc) throw new ProjectNotFoundException(this.project);
    this.#cache = { doc, at: Date.now() };
    return doc;
  }

  async version(): Promise<number> {
    return (await this.store.read(this.project))?.version ?? 0;
  }

  async listEntities(): Promise<Entity[]> { return Object.values((await this.document()).entities).map((s) => s.spec); }
  async listDataSources(): Promise<DataSource[]> { return Object.values((await this.document()).dataSources).map((s) => s.spec); }
  async listFeatureViews(): Promise<FeatureView[]> { return Object.values((await this.document()).featureViews).map((s) => s.spec); }
  async listOnDemandFeatureViews(): Promise<StoredOnDemandFeatureView[]> { return Object.values((await this.document()).onDemandFeatureViews).map((s) => s.spec); }
  async listFeatureServices(): Promise<FeatureService[]> { return Object.values((await this.document()).featureServices).map((s) => s.spec); }
  async listSavedDatasets(): Promise<SavedDataset[]> { return Object.values((await this.document()).savedDatasets).map((s) => s.spec); }

  getEntity(name: string): Promise<Entity> { return this.#get('entities', name, entityNotFound); }
  getDataSource(name: string): Promise<DataSource> { return this.#get('dataSources', name, dataSourceNotFound); }
  getFeatureView(name: string): Promise<FeatureView> { return this.#get('featureViews', name, featureViewNotFound); }
  getOnDemandFeatureView(name: string): Promise<StoredOnDemandFeatureView> { return this.#get('onDemandFeatureViews', name, onDemandFeatureViewNotFound); }
  getFeatureService(name: string): Promise<FeatureService> { return this.#get('featureServices', name, featureServiceNotFound); }
  getSavedDataset(name: string): Promise<SavedDataset> { return this.#get('savedDatasets', name, savedDatasetNotFound); }

  /** One object of a collection, or the collection's not-found error listing what exists. */
  async #get<K extends Collection, T = RegistryDocument[K][string]['spec']>(
    collection: K, name: string, notFound: (name: string, project: string, existing: readonly string[]) => Error,
  ): Promise<T> {
    const objects = (await this.document())[collection] as Record<string, { spec: unknown }>;
    const found = objects[name];
    if (!found) throw notFound(name, this.project, Object.keys(objects));
    return found.spec as T;
  }

  async saveDataset(dataset: SavedDataset, options: { allowOverwrite?: boolean } = {}): Promise<void> {
    await this.#mutate((current, now) => {
      if (!current) throw new ProjectNotFoundException(this.project);
      const existing = current.savedDatasets[dataset.name];
      if (existing && !options.allowOverwrite) throw new SavedDatasetExistsError(dataset.name);
      const spec = JSON.parse(JSON.stringify(dataset)) as SavedDataset;
      return {
        ...current,
        savedDatasets: { ...current.savedDatasets, [dataset.name]: { spec, createdAt: existing?.createdAt ?? now, lastUpdatedAt: now } },
      };
    });
  }

  /** Records a materialized interval of a view (Feast's apply_materialization). */
  async addMaterializationInterval(viewName: string, interval: MaterializationInterval): Promise<void> {
    await this.#mutate((current, now) => {
      const view = current?.featureViews[viewName];
      if (!current || !view) throw featureViewNotFound(viewName, this.project, Object.keys(current?.featureViews ?? {}));
      const updated = { ...view, lastUpdatedAt: now, materializationIntervals: [...view.materializationIntervals, { ...interval }] };
      return { ...current, featureViews: { ...current.featureViews, [viewName]: updated } };
    });
  }

  /** Read, change, write with the version check; retries the same change on a conflict. */
  async #mutate(change: (current: RegistryDocument | undefined, now: string) => Promise<RegistryDocument | undefined> | RegistryDocument | undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.store.read(this.project);
      const now = new Date().toISOString();
      const next = await change(current, now);
      if (!next) return;
      const version = current?.version ?? 0;
      try {
        await this.store.write({ ...next, version: version + 1, lastUpdatedAt: now }, version);
        this.#cache = undefined;
        return;
      } catch (error) {
        if (!(error instanceof RegistryVersionConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }
}

